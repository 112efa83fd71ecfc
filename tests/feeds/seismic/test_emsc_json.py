import json
from datetime import UTC, datetime

from hushdor.feeds.seismic import DOCUMENT, parse_emsc_json


def test_fdsn_ws_geojson_collection(write):
    document = json.dumps(
        {
            "type": "FeatureCollection",
            "metadata": {"count": 2},
            "features": [write.emsc_feature(write.rasht), write.emsc_feature(write.illapel)],
        }
    )
    parsed = parse_emsc_json(document)
    assert parsed.rejections == []
    rasht, illapel = parsed.reports
    assert rasht.agency == "EMSC"
    assert rasht.event_id == "20210710_0000ab2"
    assert rasht.origin_time == datetime(2021, 7, 10, 2, 14, 43, tzinfo=UTC)
    assert rasht.updated == datetime(2021, 7, 10, 2, 40, 11, tzinfo=UTC)
    assert rasht.depth_km == 12.0  # properties.depth is km, positive down
    assert rasht.place == "RASHT, TAJIKISTAN"
    assert rasht.status == "automatic"
    assert (illapel.latitude, illapel.longitude) == (-31.573, -71.674)


def test_websocket_message_carries_one_feature(write):
    message = json.dumps({"action": "update", "data": write.emsc_feature(write.sarez, mag=7.1)})
    parsed = parse_emsc_json(message)
    assert [report.magnitude for report in parsed.reports] == [7.1]


def test_websocket_unknown_action_is_refused(write):
    parsed = parse_emsc_json(json.dumps({"action": "explode", "data": write.emsc_feature(write.sarez)}))
    assert parsed.rejections[0].item_ref == DOCUMENT
    assert "explode" in parsed.rejections[0].reason


def test_bad_items_are_rejected_one_by_one(write):
    features = [
        write.emsc_feature(write.sarez, depth=-7.0),
        write.emsc_feature(write.rasht, lat=None),
        write.emsc_feature(write.hindu_kush, time="26 Oct 2015"),
        write.emsc_feature(write.illapel),
    ]
    parsed = parse_emsc_json(json.dumps({"type": "FeatureCollection", "features": features}))
    assert [report.place for report in parsed.reports] == ["ILLAPEL, CHILE"]
    reasons = [rejection.reason for rejection in parsed.rejections]
    assert "depth (km) -7 is outside" in reasons[0]
    assert reasons[1] == "lat missing"
    assert "not an ISO 8601 time" in reasons[2]


def test_truncated_message(write):
    message = json.dumps({"action": "create", "data": write.emsc_feature(write.sarez)})
    parsed = parse_emsc_json(message[:-10])
    assert parsed.reports == []
    assert parsed.rejections[0].item_ref == DOCUMENT
