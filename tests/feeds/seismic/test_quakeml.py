from datetime import UTC, datetime

from hushdor.feeds.seismic import DOCUMENT, parse_feed, parse_quakeml


def test_preferred_origin_and_magnitude_are_used(write):
    parsed = parse_quakeml(write.quakeml_document(write.quakeml_event(write.sarez)))
    assert parsed.rejections == []
    [report] = parsed.reports
    assert report.agency == "us"
    assert report.event_id == "us10004ff1"
    assert report.origin_time == datetime(2015, 12, 7, 7, 50, 5, 470000, tzinfo=UTC)
    # the preferred origin, not the automatic one listed first (whose latitude is 0.3 degrees off)
    assert (report.latitude, report.longitude) == (38.211, 72.780)
    assert report.depth_km == 22.0  # QuakeML depth is in metres
    assert (report.magnitude, report.magnitude_type) == (7.2, "Mww")
    assert report.status == "reviewed"
    assert report.updated == datetime(2015, 12, 7, 8, 31, tzinfo=UTC)  # latest creationTime
    assert report.place == "Tajikistan region"


def test_automatic_solution_and_configured_agency(write):
    document = write.quakeml_document(write.quakeml_event(write.hindu_kush, mode="automatic"))
    [report] = parse_feed("quakeml", document, agency="USGS").reports
    assert report.agency == "USGS"
    assert report.status == "automatic"
    assert report.depth_km == 231.0


def test_not_existing_event_is_deleted(write):
    document = write.quakeml_document(write.quakeml_event(write.rasht, event_type="not existing"))
    assert parse_quakeml(document).reports[0].deleted


def test_bad_event_does_not_block_the_next(write):
    bad = write.quakeml_event(write.sarez).replace("<value>7.2</value>", "<value>12.5</value>")
    dangling = write.quakeml_event(write.rasht).replace(
        "<preferredOriginID>quakeml:us.anss.org/origin/us10007ab2", "<preferredOriginID>quakeml:nowhere"
    )
    parsed = parse_quakeml(write.quakeml_document(bad, dangling, write.quakeml_event(write.illapel)))
    assert [report.event_id for report in parsed.reports] == ["us20003k7a"]
    reasons = [rejection.reason for rejection in parsed.rejections]
    assert "magnitude 12.5 is outside" in reasons[0]
    assert "names no origin" in reasons[1]
    assert parsed.rejections[0].item_ref == "quakeml:us.anss.org/event/us10004ff1"


def test_truncated_xml_is_one_document_rejection(write):
    document = write.quakeml_document(write.quakeml_event(write.sarez), write.quakeml_event(write.rasht))
    parsed = parse_quakeml(document[: len(document) * 2 // 3])
    assert parsed.reports == []
    assert parsed.rejections[0].item_ref == DOCUMENT
    assert "not well-formed XML" in parsed.rejections[0].reason


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<q:quakeml xmlns:q="http://quakeml.org/xmlns/quakeml/1.2" xmlns="http://quakeml.org/xmlns/bed/1.2">
<eventParameters publicID="x"><event publicID="e"><description><text>&lol3;</text></description></event>
</eventParameters></q:quakeml>"""

XXE = """<?xml version="1.0"?>
<!DOCTYPE q [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<q:quakeml xmlns:q="http://quakeml.org/xmlns/quakeml/1.2" xmlns="http://quakeml.org/xmlns/bed/1.2">
<eventParameters publicID="x"><event publicID="&secret;"/></eventParameters></q:quakeml>"""


def test_xml_bomb_is_refused():
    parsed = parse_quakeml(BILLION_LAUGHS)
    assert parsed.reports == []
    assert "DOCTYPE" in parsed.rejections[0].reason


def test_external_entity_is_refused():
    parsed = parse_quakeml(XXE)
    assert parsed.reports == []
    assert "XXE" in parsed.rejections[0].reason


def test_doctype_hidden_by_utf16_is_still_refused():
    parsed = parse_quakeml(
        XXE.replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>').encode("utf-16")
    )
    assert parsed.reports == []
    assert parsed.rejections[0].item_ref == DOCUMENT
    assert "passwd" not in parsed.rejections[0].reason


def test_undeclared_entity_reference_is_an_error_not_an_expansion(write):
    document = write.quakeml_document(write.quakeml_event(write.sarez)).replace("Sarez", "&ext;")
    assert parse_quakeml(document).rejections[0].item_ref == DOCUMENT


def test_other_xml_is_not_quakeml():
    parsed = parse_quakeml("<alert xmlns='urn:oasis:names:tc:emergency:cap:1.2'/>")
    assert "expected QuakeML 1.2" in parsed.rejections[0].reason
