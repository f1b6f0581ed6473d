#!/usr/bin/python3
"""Reference reader for the EVTX tests: dumps every record of one .evtx file as JSON lines using
python-evtx (Debian's python3-evtx), so the native reader can be compared against an independent
implementation.

Usage: evtx_oracle.py FILE

Each output line is one of:
  {"chunk": N, "error": "..."}                       a chunk whose magic is not ElfChnk
  {"chunk": N, "offset": O, "error": "..."}          a record python-evtx could not render
  {"chunk": N, "offset": O, "record_number": header ID, "EventRecordID": ..., "EventID": ...,
   "Computer": ..., "TimeCreated": ..., "data": [[name, value], ...]}
Values are python-evtx's renderings (hex zero padded, times with microseconds); the test compares
them with that in mind.
"""
import json
import sys
import xml.etree.ElementTree as ET

import Evtx.Evtx as evtx

NS = "{http://schemas.microsoft.com/win/2004/08/events/event}"


def local(tag):
    return tag.rsplit("}", 1)[-1]


def text_of(element):
    return "".join(element.itertext())


def flatten_user_data(element, out):
    # Same flattening as the native reader: attributes under their own names, leaf elements under theirs
    # (an empty leaf that has attributes is represented by its attributes alone).
    children = list(element)
    text = text_of(element)
    if not children and (text or not element.attrib):
        out.append([local(element.tag), text])
    for name, value in element.attrib.items():
        out.append([local(name), value])
    for child in children:
        flatten_user_data(child, out)


def describe(record_xml):
    root = ET.fromstring(record_xml)
    system = root.find(NS + "System")
    result = {}
    if system is not None:
        for child in system:
            name = local(child.tag)
            if name == "TimeCreated":
                result["TimeCreated"] = child.get("SystemTime")
            elif name in ("EventID", "EventRecordID", "Computer"):
                result[name] = text_of(child)
    data = []
    event_data = root.find(NS + "EventData")
    if event_data is not None:
        unnamed = 0
        for child in event_data:
            if local(child.tag) == "Data":
                name = child.get("Name")
                if name is None:
                    unnamed += 1
                    name = "Data%d" % unnamed
                data.append([name, text_of(child)])
            else:
                data.append([local(child.tag), text_of(child)])
    user_data = root.find(NS + "UserData")
    if user_data is not None:
        for child in user_data:
            flatten_user_data(child, data)
    result["data"] = data
    return result


def main():
    if len(sys.argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    out = sys.stdout
    with evtx.Evtx(sys.argv[1]) as log:
        for index, chunk in enumerate(log.chunks()):
            if not chunk.check_magic():
                out.write(json.dumps({"chunk": index, "error": "bad chunk magic"}) + "\n")
                continue
            try:
                records = list(chunk.records())
            except Exception as e:  # python-evtx raises many kinds of errors on damage
                out.write(json.dumps({"chunk": index, "error": "records: %r" % e}) + "\n")
                continue
            for record in records:
                line = {"chunk": index, "offset": record.offset()}
                try:
                    line["record_number"] = record.record_num()
                    line.update(describe(record.xml()))
                except Exception as e:
                    line["error"] = repr(e)
                out.write(json.dumps(line) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
