from dataclasses import dataclass, replace
from datetime import UTC, datetime

import numpy as np
import pytest

from hushdor import __version__
from hushdor.apps.monitoring.models import Assessment, OperatorNotification
from hushdor.apps.monitoring.selectors import event_assessment_latest, events_recent
from hushdor.apps.monitoring.services import chain
from hushdor.apps.monitoring.services.association import AssociationSettings, origin_receive
from hushdor.feeds.seismic import OriginReport
from hushdor.science.quake.distances import InvalidEventError

pytestmark = pytest.mark.django_db

HINDU_KUSH = OriginReport(
    agency="USGS",
    event_id="us10003re3",
    origin_time=datetime(2015, 10, 26, 9, 9, 42, tzinfo=UTC),
    latitude=36.524,
    longitude=70.368,
    depth_km=231.0,
    magnitude=7.5,
    magnitude_type="mww",
    updated=datetime(2015, 10, 26, 10, 0, tzinfo=UTC),
    status="reviewed",
    place="Hindu Kush",
)


@dataclass
class FakeImpact:
    max_mmi: float
    exposure_by_mmi: object
    model_set: str
    shakemap_png: bytes
    contours_geojson: dict


class Engine:
    """Stands in for hushdor.science.quake.impact.assess and records its calls."""

    def __init__(self, fail=False):
        self.calls = []
        self.fail = fail

    def __call__(self, **inputs):
        self.calls.append(inputs)
        if self.fail:
            raise ValueError("depth outside [0, 700] km")
        return FakeImpact(
            max_mmi=np.float64(6.8),
            exposure_by_mmi=np.array([0, 10, 2000]),
            model_set="deep",
            shakemap_png=b"\x89PNG fake",
            contours_geojson={"type": "FeatureCollection", "features": []},
        )


@pytest.fixture
def event():
    return origin_receive(HINDU_KUSH, settings=AssociationSettings()).event


def test_assessment_stores_inputs_result_timings_and_artefacts(event):
    engine = Engine()
    assessment = chain.assessment_run(event=event, origin=event.preferred_origin, assess=engine)
    assert engine.calls == [{"latitude": 36.524, "longitude": 70.368, "depth_km": 231.0, "magnitude": 7.5}]
    stored = Assessment.objects.get(pk=assessment.pk)
    assert stored.model_set == "deep"
    assert stored.code_version == __version__
    assert stored.result["max_mmi"] == 6.8
    assert stored.result["exposure_by_mmi"] == [0, 10, 2000]
    assert "shakemap_png" not in stored.result
    assert bytes(stored.shakemap_png) == b"\x89PNG fake"
    assert stored.contours_geojson["type"] == "FeatureCollection"
    assert stored.timings_ms["total"] >= 0
    assert stored.inputs["origin_time"] == "2015-10-26T09:09:42+00:00"
    assert event_assessment_latest(event_id=event.pk) == stored


@pytest.fixture
def counted_engine(monkeypatch):
    """The real impact engine, with its calls counted."""
    calls = []
    real = chain.quake_impact.assess

    def assess(**inputs):
        calls.append(inputs)
        return real(**inputs)

    monkeypatch.setattr(chain.quake_impact, "assess", assess)
    return calls


def test_event_changed_assesses_once_per_origin_with_the_real_engine(event, counted_engine):
    first = chain.event_changed(event.pk)
    again = chain.event_changed(event.pk)
    assert first is not None and again.pk == first.pk
    assert len(counted_engine) == 1
    assert first.model_set  # the deep set for 231 km, chosen by the engine
    assert first.result["max_mmi"] >= 4


def test_failing_engine_raises_a_critical_notification_not_an_exception(event, monkeypatch):
    monkeypatch.setattr(chain.quake_impact, "assess", Engine(fail=True))  # fault injection
    assert chain.event_changed(event.pk) is None
    notification = OperatorNotification.objects.get(subject=f"assessment-failed:{event.pk}")
    assert notification.level == "critical"
    assert "depth outside" in notification.message
    assert not Assessment.objects.exists()


def test_deleted_event_is_not_assessed(event, counted_engine):
    deletion = replace(HINDU_KUSH, deleted=True, updated=datetime(2015, 10, 27, tzinfo=UTC))
    origin_receive(deletion, settings=AssociationSettings())
    assert chain.event_changed(event.pk) is None
    assert counted_engine == []
    assert list(events_recent()) == []
    assert len(events_recent(include_deleted=True)) == 1


def test_refused_event_raises_a_warning_not_a_critical_notification(event, monkeypatch):
    def refuse(**inputs):
        raise InvalidEventError("depth (km) must be between 0 and 700")

    monkeypatch.setattr(chain.quake_impact, "assess", refuse)
    assert chain.event_changed(event.pk) is None
    assert OperatorNotification.objects.get(subject=f"assessment-failed:{event.pk}").level == "warning"


def test_depth_above_sea_level_is_assessed_at_the_surface():
    shallow = replace(HINDU_KUSH, event_id="us6000shallow", depth_km=-2.5, latitude=39.4, longitude=71.5)
    event = origin_receive(shallow, settings=AssociationSettings()).event
    engine = Engine()
    chain.assessment_run(event=event, origin=event.preferred_origin, assess=engine)
    assert engine.calls[0]["depth_km"] == 0.0
