#include "source/xml/xml_event.hpp"

#include <gtest/gtest.h>

namespace {

TEST(XmlEvent, ReadsSystemAndNamedData) {
  const std::string xml =
      "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>"
      "<Provider Name='Microsoft-Windows-Security-Auditing' Guid='{54849625-5478-4994-A5BA-3E3B0328C30D}'/>"
      "<EventID Qualifiers='0'> 4769 </EventID><TimeCreated SystemTime='2024-01-01T00:00:00.1Z'/>"
      "<Execution ProcessID='1' ThreadID='2'/><Level></Level></System>"
      "<EventData><Data Name='Status'>0x1b</Data><Data Name='IpAddress'>  ::1 </Data></EventData>"
      "<RenderingInfo><Message>ignored</Message></RenderingInfo></Event>";
  ki::Record r;
  std::string why;
  std::size_t where = 0;
  ASSERT_TRUE(ki::xml::parse_event(xml, r, why, where)) << why << " at " << where;
  EXPECT_EQ(r.event_id, 4769u);
  ASSERT_NE(r.system_field("EventID"), nullptr);
  EXPECT_EQ(*r.system_field("EventID"), "4769");
  EXPECT_EQ(*r.system_field("Provider"), "Microsoft-Windows-Security-Auditing");
  EXPECT_EQ(*r.system_field("ProviderGuid"), "{54849625-5478-4994-A5BA-3E3B0328C30D}");
  EXPECT_EQ(*r.system_field("TimeCreated"), "2024-01-01T00:00:00.1Z");
  EXPECT_EQ(*r.system_field("ProcessID"), "1");
  EXPECT_EQ(*r.system_field("ThreadID"), "2");
  EXPECT_EQ(r.system_field("Level"), nullptr) << "an empty System value is absent";
  ASSERT_EQ(r.data.size(), 2u);
  EXPECT_EQ(*r.data_field("Status"), "0x1b");
  EXPECT_EQ(*r.data_field("IpAddress"), "  ::1 ") << "Data values are kept verbatim";
  EXPECT_EQ(r.data_field("Message"), nullptr);
}

// The common forms (`<Data Name="n">v</Data>`, `<EventID>v</EventID>`) are read by a shorter path than the
// others; both must give the same record, whatever the form's neighbours.
TEST(XmlEvent, CommonAndGeneralFormsGiveTheSameRecord) {
  const std::string common =
      "<Event><System><EventID>4769</EventID><Version>0</Version><EventRecordID>7</EventRecordID>"
      "<Channel> Security </Channel><Computer>dc&amp;1</Computer><Level></Level></System><EventData>"
      "<Data Name=\"TargetUserName\">a&lt;b</Data><Data Name=\"Empty\"></Data><Data Name=\"Spaced\"> x </Data>"
      "<Data Name=\"T&amp;N\">v</Data><Data Name=\"\">unnamed</Data><Data Name=\"Self\"/>"
      "<Data Name=\"Cdata\"><![CDATA[<c>]]></Data></EventData></Event>";
  const std::string general =
      "<Event><System><EventID >4769</EventID ><Version>0</Version ><EventRecordID\t>7</EventRecordID>"
      "<Channel > Security </Channel><Computer>dc&amp;1</Computer ><Level/></System><EventData>"
      "<Data  Name='TargetUserName'>a&lt;b</Data ><Data Name='Empty' ></Data><Data Name='Spaced'> x </Data>"
      "<Data Name='T&amp;N'>v</Data><Data Name=''>unnamed</Data><Data Name='Self' />"
      "<Data Name='Cdata'><![CDATA[<c>]]></Data></EventData></Event>";
  ki::Record a, b;
  std::string why;
  std::size_t where = 0;
  ASSERT_TRUE(ki::xml::parse_event(common, a, why, where)) << why << " at " << where;
  ASSERT_TRUE(ki::xml::parse_event(general, b, why, where)) << why << " at " << where;
  const auto text = [](const ki::Record& r) {
    std::string s;
    for (const auto& f : r.system) s += "S " + f.name + "=" + f.value + "\n";
    for (const auto& f : r.data) s += "D " + f.name + "=" + f.value + "\n";
    return s;
  };
  EXPECT_EQ(text(a), text(b));
  EXPECT_EQ(text(a),
            "S EventID=4769\nS Version=0\nS EventRecordID=7\nS Channel=Security\nS Computer=dc&1\n"
            "D TargetUserName=a<b\nD Empty=\nD Spaced= x \nD T&N=v\nD Data1=unnamed\nD Self=\nD Cdata=<c>\n");
  // A mismatched end tag is an error on either path.
  EXPECT_FALSE(ki::xml::parse_event("<Event><System><EventID>1</EventId></System></Event>", a, why, where));
  EXPECT_FALSE(ki::xml::parse_event("<Event><System><EventID>1</EventID></System><EventData>"
                                    "<Data Name=\"x\">v</Dat></EventData></Event>",
                                    a, why, where));
}

TEST(XmlEvent, NumbersUnnamedDataAndFlattensUserData) {
  const std::string xml =
      "<e:Event xmlns:e='x'><e:System><e:EventID>104</e:EventID></e:System>"
      "<e:UserData><Wrapper><Channel>Security</Channel><Nested><Leaf>v</Leaf></Nested></Wrapper></e:UserData></e:Event>";
  ki::Record r;
  std::string why;
  std::size_t where = 0;
  ASSERT_TRUE(ki::xml::parse_event(xml, r, why, where)) << why;
  EXPECT_EQ(r.event_id, 104u);
  ASSERT_EQ(r.data.size(), 2u);
  EXPECT_EQ(r.data[0].name, "Channel");
  EXPECT_EQ(r.data[0].value, "Security");
  EXPECT_EQ(r.data[1].name, "Leaf");

  const std::string unnamed =
      "<Event><System><EventID>7036</EventID></System><EventData><Data>a</Data><Data Name='N'>b</Data>"
      "<Data>c</Data></EventData></Event>";
  ASSERT_TRUE(ki::xml::parse_event(unnamed, r, why, where)) << why;
  ASSERT_EQ(r.data.size(), 3u);
  EXPECT_EQ(r.data[0].name, "Data1");
  EXPECT_EQ(r.data[1].name, "N");
  EXPECT_EQ(r.data[2].name, "Data2");
  EXPECT_EQ(r.data[2].value, "c");
}

TEST(XmlEvent, ReportsMalformedInputWithItsOffset) {
  ki::Record r;
  std::string why;
  std::size_t where = 0;
  const std::string mismatched = "<Event><System><EventID>1</EventID></Sys></Event>";
  EXPECT_FALSE(ki::xml::parse_event(mismatched, r, why, where));
  EXPECT_EQ(where, mismatched.find("</Sys>"));
  EXPECT_NE(why.find("</Sys>"), std::string::npos) << why;
  EXPECT_FALSE(ki::xml::parse_event("<Event><System><EventID>1</EventID></System>", r, why, where));
  EXPECT_FALSE(ki::xml::parse_event("<Event><System></System></Event>", r, why, where));
  EXPECT_NE(why.find("EventID"), std::string::npos);
  EXPECT_FALSE(ki::xml::parse_event("<Event><System><EventID>12a</EventID></System></Event>", r, why, where));
  EXPECT_FALSE(ki::xml::parse_event("<Other/>", r, why, where));
  EXPECT_FALSE(ki::xml::parse_event("<Event><System><EventID>1</EventID></System><Data Name=x>1</Data></Event>", r,
                                    why, where));
}

// The names end at the bytes the scanner's table lists; a '<' inside a tag name is an error at the tag.
TEST(XmlEvent, EndsNamesWhereXmlDoes) {
  ki::Record r;
  std::string why;
  std::size_t where = 0;
  const std::string lt_in_name = "<Event><System><Event<ID>1</EventID></System></Event>";
  EXPECT_FALSE(ki::xml::parse_event(lt_in_name, r, why, where));
  EXPECT_EQ(where, lt_in_name.find("<Event<ID>"));
  EXPECT_NE(why.find("malformed start tag"), std::string::npos) << why;
  // Tabs, line ends and '/' end a tag name; '=' and spaces end an attribute name.
  ASSERT_TRUE(ki::xml::parse_event("<Event\t><System\r\n><EventID\n>4769</EventID><Level/></System>"
                                   "<EventData><Data\tName\t=\t'Status'>0x6</Data><Data Name='x'/>"
                                   "<Data Name  =  \"y\"  >2</Data ></EventData></Event>",
                                   r, why, where))
      << why;
  EXPECT_EQ(r.event_id, 4769u);
  ASSERT_EQ(r.data.size(), 3u);
  EXPECT_EQ(r.data[0].name, "Status");
  EXPECT_EQ(r.data[0].value, "0x6");
  EXPECT_EQ(r.data[1].name, "x");
  EXPECT_EQ(r.data[2].name, "y");
  EXPECT_EQ(r.data[2].value, "2");
  // A comment, a CDATA section and a processing instruction still take their own paths.
  ASSERT_TRUE(ki::xml::parse_event("<Event><!-- c --><?pi x?><System><EventID><![CDATA[4]]>768</EventID></System>"
                                   "</Event>",
                                   r, why, where))
      << why;
  EXPECT_EQ(r.event_id, 4768u);
  EXPECT_FALSE(ki::xml::parse_event("<Event><System><EventID>1</EventID></System><", r, why, where));
}

TEST(XmlEvent, ParsesAnEventDataFragment) {
  ki::Record r;
  std::string why;
  std::size_t where = 0;
  ASSERT_TRUE(ki::xml::parse_event_data_fragment(
      "<EventData xmlns=\"x\">\r\n <Data Name=\"ProcessId\">7716</Data>\r\n</EventData>", r, why, where))
      << why;
  ASSERT_EQ(r.data.size(), 1u);
  EXPECT_EQ(r.data[0].value, "7716");
}

TEST(XmlDecode, DecodesEntitiesAndKeepsUnknownOnes) {
  std::string out;
  ki::xml::append_decoded(out, "a&lt;b&gt;c&amp;d&quot;e&apos;f&#65;&#x42;&#x1F511;&bogus;&#xZZ;&#0;&");
  EXPECT_EQ(out, "a<b>c&d\"e'fAB\xF0\x9F\x94\x91&bogus;&#xZZ;\xEF\xBF\xBD&");
}

}  // namespace
