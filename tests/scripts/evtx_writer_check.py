#!/usr/bin/python3
"""Reads an .evtx file with python-evtx (an independent parser) and prints what it sees as JSON.

Used by tests/unit/support/evtx_writer_test.cpp as an oracle for the test-only EVTX writer.
Run it with the system interpreter that has the Evtx module. Exit status 3 means the module is missing.
"""
import datetime
import json
import sys
import xml.etree.ElementTree as ET

try:
    import Evtx.Evtx as evtx
    import Evtx.Views as views
except ImportError:
    sys.stderr.write("python-evtx (module Evtx) is not importable by this interpreter\n")
    sys.exit(3)


def local(tag):
    return tag.split("}", 1)[1] if tag.startswith("{") else tag


def canon(element):
    """A compact, namespace-free form of a nested element: <name a="v">text<child/></name>."""
    out = ["<", local(element.tag)]
    for key in sorted(element.attrib):
        out.append(' %s="%s"' % (local(key), element.attrib[key]))
    out.append(">")
    text = element.text or ""
    if text.strip():
        out.append(text)
    for child in element:
        out.append(canon(child))
        tail = child.tail or ""
        if tail.strip():
            out.append(tail)
    out.append("</%s>" % local(element.tag))
    return "".join(out)


def iso(text):
    """python-evtx prints FILETIMEs as 'YYYY-MM-DD HH:MM:SS[.ffffff]'; make that one fixed form."""
    value = datetime.datetime.fromisoformat(text)
    return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def main(path):
    result = {"header_ok": None, "dirty": None, "chunks": [], "records": []}
    with evtx.Evtx(path) as log:
        header = log.get_file_header()
        result["header_ok"] = bool(header.verify())
        result["dirty"] = bool(header.is_dirty())
        for chunk in log.chunks():
            result["chunks"].append({
                "magic_ok": bool(chunk.check_magic()),
                "header_crc_ok": chunk.calculate_header_checksum() == chunk.header_checksum(),
                "data_crc_ok": chunk.calculate_data_checksum() == chunk.data_checksum(),
            })
            for record in chunk.records():
                root = ET.fromstring(views.evtx_record_xml_view(record))
                system = root.find("{*}System")
                entry = {
                    "record_num": record.record_num(),
                    "size_ok": bool(record.verify()),
                    "written": record.timestamp().strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                    "EventID": system.find("{*}EventID").text,
                    "EventRecordID": system.find("{*}EventRecordID").text,
                    "Computer": system.find("{*}Computer").text,
                    "Channel": system.find("{*}Channel").text,
                    "Provider": system.find("{*}Provider").get("Name"),
                    "ProviderGuid": system.find("{*}Provider").get("Guid"),
                    "Version": system.find("{*}Version").text,
                    "Level": system.find("{*}Level").text,
                    "Task": system.find("{*}Task").text,
                    "Opcode": system.find("{*}Opcode").text,
                    "Keywords": system.find("{*}Keywords").text,
                    "ProcessID": system.find("{*}Execution").get("ProcessID"),
                    "ThreadID": system.find("{*}Execution").get("ThreadID"),
                    "TimeCreated": iso(system.find("{*}TimeCreated").get("SystemTime")),
                    "data": [],
                }
                event_data = root.find("{*}EventData")
                for data in (event_data if event_data is not None else []):
                    if len(data):
                        value = "".join(canon(child) for child in data)
                    else:
                        value = data.text or ""
                    entry["data"].append([data.get("Name", ""), value])
                result["records"].append(entry)
    json.dump(result, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.stderr.write("usage: evtx_writer_check.py FILE.evtx\n")
        sys.exit(2)
    main(sys.argv[1])
