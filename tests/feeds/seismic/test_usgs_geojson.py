import json
from datetime import UTC, datetime

import pytest

from hushdor.feeds.seismic import DOCUMENT, parse_feed, parse_usgs_geojson


def test_summary_feed_gives_one_report_per_feature(write):
    document = write.usgs_summary(write.usgs_feature(write.sarez), write.usgs_feature(write.hindu_kush))
    parsed = parse_usgs_geojson(document)
    assert parsed.rejections == []
    sarez, hindu_kush = parsed.reports
    assert sarez.agency == "USGS"
    assert sarez.event_id == "us10004ff1"
    assert sarez.origin_time == datetime(2015, 12, 7, 7, 50, 5, 470000, tzinfo=UTC)
    assert (sarez.latitude, sarez.longitude, sarez.depth_km) == (38.211, 72.780, 22.0)
    assert (sarez.magnitude, sarez.magnitude_type) == (7.2, "mww")
    assert sarez.status == "reviewed"
    assert not sarez.deleted
    assert sarez.place == "Sarez, Tajikistan"
    assert sarez.url.endswith("us10004ff1")
    assert sarez.updated == datetime(2015, 12, 7, 8, 50, 5, 470000, tzinfo=UTC)
    assert hindu_kush.depth_km == 231.0
    assert sarez.raw["properties"]["code"] == "10004ff1"


def test_detail_feed_is_a_single_feature(write):
    feature = write.usgs_feature(write.rasht, status="automatic")
    feature["properties"]["products"] = {"origin": [{"id": "urn:usgs-product:us:origin:x", "source": "us"}]}
    parsed = parse_usgs_geojson(json.dumps(feature))
    assert [report.event_id for report in parsed.reports] == ["us10007ab2"]
    assert parsed.reports[0].status == "automatic"


def test_deleted_status_marks_the_report_deleted_even_without_magnitude(write):
    feature = write.usgs_feature(write.sarez, status="deleted", properties={"mag": None})
    parsed = parse_usgs_geojson(write.usgs_summary(feature))
    assert parsed.rejections == []
    assert parsed.reports[0].deleted
    assert parsed.reports[0].magnitude is None


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"properties": {"mag": 12.0}}, "magnitude 12 is outside [-2, 10]"),
        ({"properties": {"mag": "7.2"}}, "magnitude must be a number, got str"),
        ({"properties": {"mag": None}}, "magnitude missing"),
        ({"properties": {"time": "yesterday"}}, "time must be milliseconds"),
        ({"properties": {"type": "quarry blast"}}, "'quarry blast' is not an earthquake"),
        ({"properties": {"status": "maybe"}}, "status 'maybe'"),
        ({"geometry": {"type": "Point", "coordinates": [72.78, 200.0, 22.0]}}, "latitude 200 is outside"),
        ({"geometry": {"type": "Point", "coordinates": [190.0, 38.2, 22.0]}}, "longitude 190 is outside"),
        (
            {"geometry": {"type": "Point", "coordinates": [72.78, 38.2, -5.0]}},
            "depth (km) -5 is outside (-5, 800]",
        ),
        ({"geometry": {"type": "Point", "coordinates": [72.78, 38.2, 801.0]}}, "depth (km) 801 is outside"),
        ({"geometry": {"type": "Point", "coordinates": [72.78, 38.2]}}, "need [longitude, latitude, depth]"),
        ({"geometry": None}, "geometry coordinates missing"),
    ],
)
def test_absurd_or_malformed_item_is_rejected_and_the_rest_kept(write, change, reason):
    bad = write.usgs_feature(
        write.sarez,
        **{k: v for k, v in change.items() if k != "properties"},
        properties=change.get("properties", {}),
    )
    document = write.usgs_summary(bad, write.usgs_feature(write.rasht))
    parsed = parse_usgs_geojson(document)
    assert [report.event_id for report in parsed.reports] == ["us10007ab2"]
    [rejection] = parsed.rejections
    assert rejection.item_ref == "us10004ff1"
    assert reason in rejection.reason


def test_not_a_number_is_rejected(write):
    document = write.usgs_summary(write.usgs_feature(write.sarez)).replace("7.2", "NaN")
    parsed = parse_usgs_geojson(document)
    assert parsed.reports == []
    assert "finite" in parsed.rejections[0].reason


def test_truncated_document_gives_one_document_rejection(write):
    document = write.usgs_summary(write.usgs_feature(write.sarez), write.usgs_feature(write.rasht))
    parsed = parse_usgs_geojson(document[: len(document) // 2])
    assert parsed.reports == []
    [rejection] = parsed.rejections
    assert rejection.item_ref == DOCUMENT
    assert "not valid JSON" in rejection.reason


def test_wrong_top_level_shape_is_a_document_rejection():
    parsed = parse_usgs_geojson('[{"type": "Feature"}]')
    assert parsed.rejections[0].item_ref == DOCUMENT
    assert "GeoJSON object" in parsed.rejections[0].reason


def test_oversized_document_is_refused_before_parsing(write):
    document = write.usgs_summary(*[write.usgs_feature(write.sarez)] * 20)
    parsed = parse_usgs_geojson(document, max_bytes=1000)
    assert "more than the limit" in parsed.rejections[0].reason


def test_parse_feed_passes_the_source_agency(write):
    parsed = parse_feed("usgs_geojson", write.usgs_summary(write.usgs_feature(write.sarez)), agency="NEIC")
    assert parsed.reports[0].agency == "NEIC"
