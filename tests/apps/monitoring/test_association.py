from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured

from hushdor.apps.monitoring.models import Origin, SeismicEvent, Source
from hushdor.apps.monitoring.services.association import (
    AssociationSettings,
    distance_km,
    origin_receive,
)
from hushdor.feeds.seismic import OriginReport

pytestmark = pytest.mark.django_db

SAREZ_TIME = datetime(2015, 12, 7, 7, 50, 5, tzinfo=UTC)
SETTINGS = AssociationSettings()


def sarez(
    agency="USGS",
    event_id="us10004ff1",
    *,
    seconds=0.0,
    latitude=38.211,
    longitude=72.780,
    magnitude=7.2,
    updated_minutes=30,
    deleted=False,
    updated=True,
):
    return OriginReport(
        agency=agency,
        event_id=event_id,
        origin_time=SAREZ_TIME + timedelta(seconds=seconds),
        latitude=latitude,
        longitude=longitude,
        depth_km=22.0,
        magnitude=magnitude,
        magnitude_type="mww",
        updated=SAREZ_TIME + timedelta(minutes=updated_minutes) if updated else None,
        status="reviewed",
        deleted=deleted,
        place="Sarez, Tajikistan",
        raw={"id": event_id},
    )


def test_first_origin_creates_an_event_with_it_preferred():
    outcome = origin_receive(sarez(), settings=SETTINGS)
    assert outcome.created_event and outcome.changed_preferred and not outcome.duplicate
    event = SeismicEvent.objects.get()
    assert event.preferred_origin.agency == "USGS"
    assert (event.magnitude, event.latitude, event.depth_km) == (7.2, 38.211, 22.0)
    assert event.time == SAREZ_TIME
    assert Origin.objects.get().raw == {"id": "us10004ff1"}


def test_two_agencies_within_the_window_make_one_event():
    origin_receive(sarez(), settings=SETTINGS)
    emsc = sarez("EMSC", "20151207_0000061", seconds=3.5, latitude=38.25, longitude=72.90, magnitude=7.0)
    outcome = origin_receive(emsc, settings=SETTINGS)
    assert not outcome.created_event
    assert SeismicEvent.objects.count() == 1
    assert outcome.event.origins.count() == 2
    # USGS ranks above EMSC by default, so the preferred origin stays
    assert not outcome.changed_preferred
    assert outcome.event.preferred_origin.agency == "USGS"


def test_far_origin_of_a_third_agency_is_another_event():
    origin_receive(sarez(), settings=SETTINGS)
    origin_receive(sarez("EMSC", "e1", seconds=2), settings=SETTINGS)
    far = sarez("GFZ", "gfz2015xyz", seconds=4, latitude=36.524, longitude=70.368)  # ~300 km away
    outcome = origin_receive(far, settings=SETTINGS)
    assert outcome.created_event
    assert SeismicEvent.objects.count() == 2


@pytest.mark.parametrize(
    ("change", "joins"),
    [
        ({"seconds": 15.9}, True),
        ({"seconds": 16.5}, False),
        ({"latitude": 38.211 + 0.85}, True),  # about 94.5 km north
        ({"latitude": 38.211 + 0.95}, False),  # about 105.6 km north
        ({"magnitude": 6.75}, True),
        ({"magnitude": 6.6}, False),
    ],
)
def test_window_edges(change, joins):
    origin_receive(sarez(), settings=SETTINGS)
    outcome = origin_receive(sarez("EMSC", "e1", **change), settings=SETTINGS)
    assert outcome.created_event is not joins


def test_national_network_is_preferred_over_usgs():
    origin_receive(sarez(), settings=SETTINGS)
    national = sarez("TJ", "tj2015abc", seconds=1.2, latitude=38.19, longitude=72.75, magnitude=7.1)
    outcome = origin_receive(national, settings=SETTINGS)
    assert outcome.changed_preferred
    event = SeismicEvent.objects.get()
    assert event.preferred_origin.agency == "TJ"
    assert event.magnitude == 7.1
    assert event.revision == 2


def test_priority_is_configurable():
    settings = AssociationSettings(agency_priority=("EMSC", "USGS"))
    origin_receive(sarez(), settings=settings)
    outcome = origin_receive(sarez("EMSC", "e1", magnitude=7.0), settings=settings)
    assert outcome.changed_preferred
    assert outcome.event.preferred_origin.agency == "EMSC"


def test_unlisted_agencies_rank_by_source_priority():
    settings = AssociationSettings(agency_priority=())
    low = Source.objects.create(name="far away agency", kind="quakeml", url="http://x", priority=50)
    high = Source.objects.create(name="regional agency", kind="quakeml", url="http://y", priority=10)
    origin_receive(sarez("GFZ", "g1"), source=low, settings=settings)
    outcome = origin_receive(sarez("KNDC", "k1", magnitude=7.0), source=high, settings=settings)
    assert outcome.event.preferred_origin.agency == "KNDC"


def test_a_revision_updates_the_event():
    origin_receive(sarez(), settings=SETTINGS)
    revision = sarez(magnitude=7.4, updated_minutes=95)
    outcome = origin_receive(revision, settings=SETTINGS)
    assert outcome.changed_preferred and not outcome.created_event
    event = SeismicEvent.objects.get()
    assert event.magnitude == 7.4
    assert event.origins.count() == 2


def test_an_older_revision_arriving_late_does_not_win():
    origin_receive(sarez(magnitude=7.4, updated_minutes=95), settings=SETTINGS)
    outcome = origin_receive(sarez(magnitude=7.0, updated_minutes=10), settings=SETTINGS)
    assert not outcome.changed_preferred
    assert SeismicEvent.objects.get().magnitude == 7.4


def test_revision_moved_out_of_the_window_stays_with_its_event():
    origin_receive(sarez(), settings=SETTINGS)
    outcome = origin_receive(sarez(latitude=39.5, updated_minutes=60), settings=SETTINGS)
    assert not outcome.created_event
    assert SeismicEvent.objects.get().latitude == 39.5


def test_same_feed_item_twice_changes_nothing():
    first = origin_receive(sarez(), settings=SETTINGS)
    event_before = SeismicEvent.objects.values().get()
    again = origin_receive(sarez(), settings=SETTINGS)
    assert again.duplicate and not again.created_event and not again.changed_preferred
    assert again.event.pk == first.event.pk
    assert Origin.objects.count() == 1
    assert SeismicEvent.objects.values().get() == event_before


def test_fdsn_text_rows_without_update_time_are_deduplicated_by_content():
    report = sarez("TJ", "tj1", updated=False)
    origin_receive(report, settings=SETTINGS)
    assert origin_receive(report, settings=SETTINGS).duplicate
    changed = origin_receive(sarez("TJ", "tj1", updated=False, magnitude=7.3), settings=SETTINGS)
    assert not changed.duplicate and changed.changed_preferred
    assert Origin.objects.count() == 2


def test_deleted_event_is_marked_deleted():
    origin_receive(sarez(), settings=SETTINGS)
    outcome = origin_receive(sarez(deleted=True, updated_minutes=120), settings=SETTINGS)
    assert outcome.deleted_event and not outcome.changed_preferred
    event = SeismicEvent.objects.get()
    assert event.state == SeismicEvent.State.DELETED
    assert event.deleted_at is not None
    assert origin_receive(sarez(deleted=True, updated_minutes=120), settings=SETTINGS).duplicate


def test_deletion_by_one_agency_falls_back_to_the_other():
    origin_receive(sarez(), settings=SETTINGS)
    origin_receive(sarez("EMSC", "e1", magnitude=7.0), settings=SETTINGS)
    outcome = origin_receive(sarez(deleted=True, updated_minutes=120), settings=SETTINGS)
    assert outcome.changed_preferred and not outcome.deleted_event
    event = SeismicEvent.objects.get()
    assert event.state == SeismicEvent.State.ACTIVE
    assert event.preferred_origin.agency == "EMSC"


def test_deleted_event_does_not_attract_new_origins():
    origin_receive(sarez(), settings=SETTINGS)
    origin_receive(sarez(deleted=True, updated_minutes=120), settings=SETTINGS)
    outcome = origin_receive(sarez("EMSC", "e1"), settings=SETTINGS)
    assert outcome.created_event


def test_deletion_of_an_unknown_event_stores_nothing():
    outcome = origin_receive(sarez(deleted=True), settings=SETTINGS)
    assert outcome.event is None
    assert not Origin.objects.exists()


def test_chain_hook_runs_after_commit_only_when_the_event_changed(
    django_capture_on_commit_callbacks, monkeypatch
):
    seen = []
    monkeypatch.setattr("hushdor.apps.monitoring.services.chain.event_changed", seen.append)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = origin_receive(sarez(), settings=SETTINGS)
        origin_receive(sarez(), settings=SETTINGS)  # duplicate
        origin_receive(sarez("EMSC", "e1"), settings=SETTINGS)  # not preferred
        origin_receive(sarez(magnitude=7.3, updated_minutes=50), settings=SETTINGS)  # revision
    assert len(callbacks) == 2
    assert seen == [first.event.pk, first.event.pk]


def test_settings_come_from_the_environment_when_asked():
    settings = AssociationSettings.from_environment(
        {"HUSHDOR_QUAKE_ASSOCIATION_WINDOW_S": "20", "HUSHDOR_QUAKE_AGENCY_PRIORITY": "IGEES, USGS"}
    )
    assert settings.window_s == 20.0
    assert settings.distance_km == 100.0
    assert settings.agency_priority == ("IGEES", "USGS")
    with pytest.raises(ImproperlyConfigured, match="HUSHDOR_QUAKE_ASSOCIATION_DISTANCE_KM"):
        AssociationSettings.from_environment({"HUSHDOR_QUAKE_ASSOCIATION_DISTANCE_KM": "far"})


def test_distance_matches_one_degree_of_latitude():
    # one degree of arc on the mean-radius sphere: 2*pi*6371.0088/360 = 111.195 km
    assert distance_km(38.0, 72.0, 39.0, 72.0) == pytest.approx(111.195, abs=0.001)
