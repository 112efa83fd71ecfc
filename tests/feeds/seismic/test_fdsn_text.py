from datetime import UTC, datetime

from hushdor.feeds.seismic import DOCUMENT, parse_fdsn_text


def test_rows_become_reports_with_the_contributor_as_agency(write):
    document = "\n".join([write.fdsn_header, write.fdsn_row(write.rasht), write.fdsn_row(write.sarez)]) + "\n"
    parsed = parse_fdsn_text(document)
    assert parsed.rejections == []
    rasht, sarez = parsed.reports
    assert rasht.agency == "TJ"
    assert rasht.event_id == "tj10007ab2"
    assert rasht.origin_time == datetime(2021, 7, 10, 2, 14, 43, tzinfo=UTC)
    assert (rasht.latitude, rasht.longitude, rasht.depth_km, rasht.magnitude) == (38.917, 70.554, 12.0, 5.7)
    assert rasht.magnitude_type == "mb"
    assert rasht.updated is None
    assert sarez.origin_time == datetime(2015, 12, 7, 7, 50, 5, 470000, tzinfo=UTC)
    assert sarez.place == "Sarez, Tajikistan"


def test_configured_agency_wins(write):
    document = "\n".join([write.fdsn_header, write.fdsn_row(write.rasht)])
    assert parse_fdsn_text(document, agency="IGEES").reports[0].agency == "IGEES"


def test_thirteen_column_header_without_event_type(write):
    header = write.fdsn_header.rsplit("|", 1)[0]
    row = write.fdsn_row(write.rasht).rsplit("|", 1)[0]
    parsed = parse_fdsn_text(f"{header}\n{row}\n")
    assert len(parsed.reports) == 1


def test_bad_rows_are_rejected_and_good_rows_kept(write):
    rows = [
        write.fdsn_row(write.sarez, Magnitude="12.0"),
        write.fdsn_row(write.rasht, Latitude="north"),
        write.fdsn_row(write.hindu_kush, event_id="tjblast", EventType="quarry blast"),
        write.fdsn_row(write.illapel, event_id="cl1"),
        write.fdsn_row(write.sarez, event_id="tjnan", **{"Depth/km": "nan"}),
        "tjshort|2015-12-07T07:50:05",
    ]
    parsed = parse_fdsn_text("\n".join([write.fdsn_header, *rows]))
    assert [report.event_id for report in parsed.reports] == ["cl1"]
    reasons = {rejection.item_ref: rejection.reason for rejection in parsed.rejections}
    assert "magnitude 12 is outside" in reasons["tj10004ff1"]
    assert "latitude must be a number, got str 'north'" in reasons["tj10007ab2"]
    assert "not an earthquake" in reasons["tjblast"]
    assert "finite" in reasons["tjnan"]
    assert "has 2 fields" in reasons["tjshort"]


def test_withdrawn_event_is_reported_deleted(write):
    row = write.fdsn_row(write.rasht, EventType="not existing")
    assert parse_fdsn_text(f"{write.fdsn_header}\n{row}").reports[0].deleted


def test_missing_header_is_a_document_rejection(write):
    parsed = parse_fdsn_text(write.fdsn_row(write.rasht))
    assert parsed.rejections[0].item_ref == DOCUMENT
    assert "header" in parsed.rejections[0].reason


def test_truncated_last_line_loses_only_that_line(write):
    document = "\n".join([write.fdsn_header, write.fdsn_row(write.rasht), write.fdsn_row(write.sarez)])
    parsed = parse_fdsn_text(document[:-30])
    assert [report.event_id for report in parsed.reports] == ["tj10007ab2"]
    assert parsed.rejections[0].item_ref == "tj10004ff1"


def test_empty_document():
    assert "empty" in parse_fdsn_text(b"  \n").rejections[0].reason
