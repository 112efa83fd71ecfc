"""The earthquake warning policy and service: thresholds, CAP content, revisions, deletions, repeats."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hushdor import __version__
from hushdor.apps.alerts.models import Alert, AlertState, Template
from hushdor.apps.monitoring.models import Assessment, SeismicEvent
from hushdor.apps.monitoring.services.association import origin_receive
from hushdor.apps.monitoring.services.quake_policy import (
    WarningPolicy,
    WarningPolicyError,
    max_populated_mmi,
    warning_decide,
)
from hushdor.apps.monitoring.services.quake_warning import event_alerts, quake_warning_for_event
from hushdor.cap.model import MsgType
from hushdor.cap.validation import validate
from hushdor.cap.xml import parse
from hushdor.feeds.seismic import OriginReport

ORIGIN_TIME = datetime(2024, 3, 1, 6, 30, tzinfo=UTC)  # 11:30 in Dushanbe (UTC+5)


def exposure(**people_by_mmi: int) -> dict[str, int]:
    table = {str(level): 0 for level in range(1, 11)}
    for name, people in people_by_mmi.items():
        table[name.removeprefix("mmi")] = people
    return table


def result(top_mmi: int, *, alert: str = "green", people: int = 50_000) -> dict:
    return {
        "exposure_by_mmi": exposure(**{"mmi4": 900_000, "mmi5": 200_000, f"mmi{top_mmi}": people}),
        "alert": alert,
        "max_mmi": top_mmi + 0.2,
        "districts": [{"name": "Dushanbe", "max_mmi": top_mmi + 0.2}, {"name": "Rudaki", "max_mmi": 5.1}],
        "settlements": [
            {"name": "Dushanbe", "mmi": top_mmi + 0.1, "distance_km": 12.4, "population": 1_000_000}
        ],
    }


# --- the policy, on plain dicts ----------------------------------------------------------------


def test_mmi_six_in_populated_cells_issues_a_severe_warning():
    decision = warning_decide(result(6), WarningPolicy())
    assert (decision.action, decision.severity, decision.max_populated_mmi) == ("issue", "Severe", 6)


def test_mmi_five_drafts_for_review():
    decision = warning_decide(result(5), WarningPolicy())
    assert (decision.action, decision.severity) == ("draft", "Moderate")


def test_mmi_four_is_only_logged():
    decision = warning_decide(
        {"exposure_by_mmi": exposure(mmi4=3_000_000), "alert": "green"}, WarningPolicy()
    )
    assert decision.action == "log"


def test_a_yellow_alert_issues_even_below_mmi_six():
    decision = warning_decide(result(5, alert="yellow"), WarningPolicy())
    assert decision.action == "issue"
    assert "alert yellow" in decision.reason


def test_orange_or_mmi_eight_is_extreme():
    assert warning_decide(result(6, alert="orange"), WarningPolicy()).severity == "Extreme"
    assert warning_decide(result(8), WarningPolicy()).severity == "Extreme"


def test_unpopulated_shaking_does_not_count():
    shaken_desert = {"exposure_by_mmi": exposure(mmi4=10, mmi7=0), "alert": "green"}
    assert max_populated_mmi(shaken_desert) == 4
    assert max_populated_mmi({"exposure_by_mmi": exposure(mmi6=40)}, min_population=100) == 0


def test_policy_is_read_from_the_environment():
    policy = WarningPolicy.from_environment(
        {"HUSHDOR_QUAKE_WARNING_ISSUE_MMI": "7", "HUSHDOR_QUAKE_WARNING_ISSUE_ALERT": "none"}
    )
    assert warning_decide(result(6, alert="yellow"), policy).action == "draft"


def test_bad_policy_settings_name_the_setting():
    with pytest.raises(WarningPolicyError, match="HUSHDOR_QUAKE_WARNING_DRAFT_MMI"):
        WarningPolicy.from_environment({"HUSHDOR_QUAKE_WARNING_DRAFT_MMI": "five"})
    with pytest.raises(WarningPolicyError, match="draft MMI"):
        WarningPolicy(issue_mmi=5, draft_mmi=6)


def test_an_assessment_without_exposure_is_an_error_not_a_crash():
    with pytest.raises(WarningPolicyError, match="exposure_by_mmi"):
        warning_decide({"alert": "green"}, WarningPolicy())


# --- the service, against the database ---------------------------------------------------------


@pytest.fixture(autouse=True)
def signing_key_folder(settings, tmp_path, monkeypatch):
    monkeypatch.delenv("HUSHDOR_CAP_KEY", raising=False)
    monkeypatch.delenv("HUSHDOR_CAP_CERT", raising=False)
    settings.VAR_DIR = tmp_path  # the embedded self-signed key is generated here


def report(*, magnitude=6.1, updated_min=5, event_id="us7000test", deleted=False, **changes) -> OriginReport:
    values = dict(
        agency="USGS",
        event_id=event_id,
        origin_time=ORIGIN_TIME,
        latitude=38.56,
        longitude=68.77,
        depth_km=10.0,
        magnitude=magnitude,
        magnitude_type="mww",
        updated=ORIGIN_TIME + timedelta(minutes=updated_min),
        status="automatic",
        deleted=deleted,
        place="near Dushanbe, Tajikistan",
    )
    values.update(changes)
    return OriginReport(**values)


SQUARE_V = [[68.4, 38.3], [69.1, 38.3], [69.1, 38.8], [68.4, 38.8], [68.4, 38.3]]
SQUARE_VI = [[68.6, 38.45], [68.9, 38.45], [68.9, 38.65], [68.6, 38.65], [68.6, 38.45]]


def contours(levels=(5, 6)) -> dict:
    rings = {5: SQUARE_V, 6: SQUARE_VI}
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"mmi": level, "label": "V" if level == 5 else "VI"},
                "geometry": {"type": "MultiPolygon", "coordinates": [[rings[level]]]},
            }
            for level in levels
        ],
    }


def received(rep: OriginReport, assessment_result: dict | None, levels=(5, 6)) -> SeismicEvent:
    event = origin_receive(rep).event
    event.refresh_from_db()
    if assessment_result is not None:
        Assessment.objects.create(
            event=event,
            origin=event.preferred_origin,
            code_version=__version__,
            model_set="tajikistan",
            result=assessment_result,
            contours_geojson=contours(levels),
        )
    return event


def signed(alert_id: int) -> bytes:
    return bytes(Alert.objects.get(pk=alert_id).signed_xml)


@pytest.mark.django_db
def test_mmi_six_issues_a_signed_cap_alert_in_three_languages_with_areas():
    event = received(report(), result(6))
    outcome = quake_warning_for_event(event.pk)
    assert outcome.state == "issued" and outcome.identifier
    xml = signed(outcome.alert_id)
    assert [f for f in validate(xml) if f.severity == "error"] == []
    alert = parse(xml).alert
    assert (alert.status.value, alert.msg_type.value, alert.scope.value) == ("Actual", "Alert", "Public")
    assert [info.language for info in alert.infos] == ["tg", "ru", "en"]
    english = alert.infos[2]
    assert (english.urgency.value, english.certainty.value, english.severity.value) == (
        "Immediate",
        "Observed",
        "Severe",
    )
    assert "11:30" in english.description  # origin time in Asia/Dushanbe
    assert "MMI VI: 50\u202f000" in english.description
    assert "Dushanbe (VI)" in english.description
    assert "yellow" not in english.description and "green" in english.description
    assert "6.1" in english.headline or "6.1" in english.description
    assert english.instruction
    descriptions = [area.area_desc for area in english.areas]
    assert descriptions[0].startswith("MMI V+") and descriptions[1].startswith("MMI VI+")
    for area in english.areas:
        assert area.polygons and all(len(polygon.points) <= 100 for polygon in area.polygons)
        codes = {pair.value_name: [] for pair in area.geocodes}
        for pair in area.geocodes:
            codes[pair.value_name].append(pair.value)
        assert "TJ-DU" in codes["ISO3166-2"] or "TJ-RR" in codes["ISO3166-2"]
        assert codes["TJ-district"]


@pytest.mark.django_db
def test_mmi_five_is_held_for_review_and_mmi_four_writes_nothing():
    drafted = quake_warning_for_event(received(report(), result(5)).pk)
    assert drafted.state == "draft" and drafted.identifier is None
    assert Alert.objects.get(pk=drafted.alert_id).state == AlertState.SUBMITTED
    quiet = received(report(event_id="us7000quiet", latitude=40.0), {"exposure_by_mmi": exposure(mmi4=10)})
    logged = quake_warning_for_event(quiet.pk)
    assert (logged.state, logged.alert_id) == ("none", None)
    assert Alert.objects.count() == 1


@pytest.mark.django_db
def test_a_yellow_alert_level_issues_at_mmi_five():
    outcome = quake_warning_for_event(received(report(), result(5, alert="yellow")).pk)
    assert outcome.state == "issued"
    assert "yellow" in parse(signed(outcome.alert_id)).alert.infos[2].description


@pytest.mark.django_db
def test_without_an_earthquake_template_the_built_in_texts_are_used():
    Template.objects.filter(hazard="earthquake").delete()
    outcome = quake_warning_for_event(received(report(), result(6)).pk)
    english = parse(signed(outcome.alert_id)).alert.infos[2]
    assert english.headline == "Magnitude 6.1 earthquake: Dushanbe"
    assert [f for f in validate(signed(outcome.alert_id)) if f.severity == "error"] == []


@pytest.mark.django_db
def test_calling_twice_or_receiving_the_same_item_twice_changes_nothing():
    event = received(report(), result(6))
    first = quake_warning_for_event(event.pk)
    origin_receive(report())  # the same feed item again
    again = quake_warning_for_event(event.pk)
    assert (again.state, again.identifier, again.changed) == ("issued", first.identifier, False)
    assert Alert.objects.count() == 1


@pytest.mark.django_db
def test_a_magnitude_revision_issues_an_update_referencing_the_first_alert():
    event = received(report(), result(6))
    first = quake_warning_for_event(event.pk)
    revised = received(report(magnitude=6.4, updated_min=30), result(7, alert="yellow"))
    assert revised.pk == event.pk
    update = quake_warning_for_event(event.pk)
    assert update.state == "updated" and update.identifier != first.identifier
    cap = parse(signed(update.alert_id)).alert
    assert cap.msg_type == MsgType.UPDATE
    assert [reference.identifier for reference in cap.references] == [first.identifier]
    assert Alert.objects.get(pk=first.alert_id).state == AlertState.UPDATED
    assert quake_warning_for_event(event.pk).changed is False


@pytest.mark.django_db
def test_a_revision_that_changes_nothing_in_the_message_issues_no_update():
    event = received(report(), result(6))
    quake_warning_for_event(event.pk)
    received(report(updated_min=30), result(6))  # a new revision with the same values
    again = quake_warning_for_event(event.pk)
    assert (again.state, again.changed) == ("issued", False)
    assert Alert.objects.count() == 1


@pytest.mark.django_db
def test_a_deleted_event_cancels_its_warning():
    event = received(report(), result(6))
    first = quake_warning_for_event(event.pk)
    origin_receive(report(deleted=True, updated_min=60))
    cancelled = quake_warning_for_event(event.pk)
    assert cancelled.state == "cancelled"
    cap = parse(signed(cancelled.alert_id)).alert
    assert cap.msg_type == MsgType.CANCEL
    assert [reference.identifier for reference in cap.references] == [first.identifier]
    assert quake_warning_for_event(event.pk).changed is False
    assert [alert.msg_type for alert in event_alerts(event.pk)] == ["Alert", "Cancel"]


@pytest.mark.django_db
def test_a_replayed_event_is_issued_as_an_exercise():
    event = received(report(event_id="replaysarez2015"), result(6))
    outcome = quake_warning_for_event(event.pk)
    cap = parse(signed(outcome.alert_id)).alert
    assert cap.status.value == "Exercise" and cap.note == "Replay of a past event"
