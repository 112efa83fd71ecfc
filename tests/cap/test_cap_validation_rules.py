"""Semantic rules on models: times, languages, polygons (repair keeps coverage)."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hushdor.cap import model as cap
from hushdor.cap.geometry import covers, repair_polygon
from hushdor.cap.identifiers import new_identifier
from hushdor.cap.validation import ValidationContext, validate

SENT = datetime(2025, 7, 7, 9, 0, tzinfo=UTC)
RING = ((38.5, 68.7), (38.6, 68.8), (38.5, 68.9), (38.5, 68.7))


def alert_with(**info_changes: object) -> cap.Alert:
    info = cap.Info(
        categories=(cap.Category.MET,),
        event="Сел",
        urgency=cap.Urgency.EXPECTED,
        severity=cap.Severity.SEVERE,
        certainty=cap.Certainty.LIKELY,
        language="ru",
        headline="Угроза схода селей",
        description="Сильные дожди вызовут сели в ущелье Варзоб.",
        expires=SENT + timedelta(hours=6),
        areas=(cap.Area("Варзоб", polygons=(cap.Polygon(RING),)),),
    )
    return cap.Alert(
        identifier=new_identifier(2, sent=SENT),
        sender="warnings@meteo.tj",
        sent=SENT,
        status=cap.Status.ACTUAL,
        msg_type=cap.MsgType.ALERT,
        scope=cap.Scope.PUBLIC,
        infos=(replace(info, **info_changes),),
    )


def codes(alert: cap.Alert, **context: object) -> list[str]:
    return [f.code for f in validate(alert, rules=ValidationContext(now=SENT, **context))]  # type: ignore[arg-type]


def test_a_plain_alert_is_valid() -> None:
    assert codes(alert_with()) == []


def test_a_naive_datetime_in_the_model_is_an_offset_error() -> None:
    assert "datetime.offset" in codes(alert_with(expires=datetime(2025, 7, 7, 15, 0)))


def test_effective_a_little_before_sent_is_tolerated_as_clock_skew_but_not_more() -> None:
    assert codes(alert_with(effective=SENT - timedelta(seconds=30))) == []
    assert "effective.before_sent" in codes(alert_with(effective=SENT - timedelta(seconds=90)))


def test_an_observed_onset_may_precede_sent_but_a_forecast_onset_may_not() -> None:
    early = SENT - timedelta(minutes=5)
    assert codes(alert_with(onset=early, certainty=cap.Certainty.OBSERVED)) == []
    assert "onset.before_sent" in codes(alert_with(onset=early))


def test_expires_must_follow_effective() -> None:
    found = codes(alert_with(effective=SENT + timedelta(hours=7)))
    assert "expires.before_effective" in found


def test_long_event_and_headline_are_warnings() -> None:
    found = validate(
        alert_with(event="Очень сильный селевой поток в ущелье", headline="Сели " * 40),
        rules=ValidationContext(now=SENT),
    )
    assert {f.code: f.severity for f in found} == {"event.long": "warning", "headline.long": "warning"}


def test_tajik_letters_in_a_russian_info_are_only_a_warning() -> None:
    found = validate(
        alert_with(description="Борони шадид дар кӯҳҳо метавонад сел ба вуҷуд орад."),
        rules=ValidationContext(now=SENT),
    )
    assert [(f.code, f.severity) for f in found] == [("language.tajik_in_ru", "warning")]


def test_identifier_must_carry_the_configured_authority() -> None:
    assert "identifier.arc" in codes(alert_with(), authority="1")
    assert codes(alert_with(), authority="2") == []


def test_a_self_intersecting_polygon_is_repaired_to_a_valid_ring_covering_both_lobes() -> None:
    bowtie = ((0.0, 0.0), (1.0, 1.0), (0.0, 1.0), (1.0, 0.0), (0.0, 0.0))
    repaired, findings = repair_polygon(bowtie)
    assert [f.code for f in findings] == ["polygon.invalid"]
    assert findings[0].repaired == repaired
    assert repaired[0] == repaired[-1]
    assert covers(repaired, ((0.0, 0.0), (0.5, 0.5), (0.0, 1.0), (0.0, 0.0)))
    assert covers(repaired, ((1.0, 0.0), (0.5, 0.5), (1.0, 1.0), (1.0, 0.0)))


def test_a_300_point_polygon_is_simplified_to_at_most_100_points_without_losing_coverage() -> None:
    ring = [
        (
            38.5 + 0.3 * math.sin(2 * math.pi * k / 300) * (1 + 0.1 * math.sin(7 * k)),
            68.7 + 0.4 * math.cos(2 * math.pi * k / 300),
        )
        for k in range(300)
    ]
    ring.append(ring[0])
    repaired, findings = repair_polygon(ring)
    assert [f.code for f in findings] == ["polygon.too_many_points"]
    assert 4 <= len(repaired) <= 100
    assert covers(repaired, tuple(ring))


def test_too_few_points_and_out_of_range_coordinates_are_errors() -> None:
    assert "polygon.too_few_points" in [
        f.code for f in repair_polygon([(1.0, 1.0), (2.0, 2.0), (1.0, 1.0)])[1]
    ]
    assert [f.code for f in repair_polygon([(91.0, 1.0), (2.0, 2.0), (3.0, 1.0), (91.0, 1.0)])[1]] == [
        "polygon.coordinates"
    ]
