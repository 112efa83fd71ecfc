"""A felt earthquake at the Usoi dam is a Sarez technical alarm (the chain's "seismic" sensor).

An alerts listener (``published``): when an earthquake warning is issued or updated, the shaking at the
dam is computed with the same ground-motion models as the national assessment
(``science.quake.impact.site_shaking``, rock site Vs30 760 m/s) from the event's preferred origin. MMI ≥ 6
raises ``sarez.felt_earthquake`` level 1, MMI ≥ 7 level 2, at the lake-level station: for the duty
officers, like every Sarez alarm; a person verifies it before anything is public. Thresholds: VI is the
intensity from which earthquake-triggered slope failures become common (Keefer 1984, GSA Bulletin
95:406–421) — a planning threshold for the CoES Usoi unit to set. One alarm per event and level.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import numpy as np

from hushdor.apps.hydromet.models import Station, TechnicalAlarm

log = logging.getLogger("hushdor.hydromet.felt")
DAM_STATION = "SAREZ-LAKE"
DAM_VS30 = 760.0
LEVELS = ((7.0, 2), (6.0, 1))
RULE = "sarez.felt_earthquake"


def mmi_at(lat: float, lon: float, *, event_lat: float, event_lon: float, depth_km: float, mag: float) -> float:
    from hushdor.science.quake.fast_shaking import SiteSet
    from hushdor.science.quake.impact import EarthquakeInput, get_model_set, site_shaking

    event = EarthquakeInput(lat=event_lat, lon=event_lon, depth_km=depth_km, mag=mag).validated()
    sites = SiteSet(np.array([lat]), np.array([lon]), np.array([DAM_VS30]))
    mmi, _ = site_shaking(event, get_model_set(event.model_set), sites)
    return float(mmi[0])


def alarm_for_earthquake_alert(alert) -> TechnicalAlarm | None:
    """The listener: never lets a problem here stop the warning that is being issued."""
    try:
        return _alarm(alert)
    except Exception:  # the warning matters more than this alarm
        log.exception("the felt-earthquake check at the Usoi dam failed for alert %s", alert.pk)
        return None


def _alarm(alert) -> TechnicalAlarm | None:
    if alert.hazard != "earthquake" or alert.msg_type == "Cancel":
        return None
    from hushdor.apps.monitoring.models import SeismicEvent
    from hushdor.apps.monitoring.services.quake_message import EVENT_PARAMETER

    key = next((info.parameters.get(EVENT_PARAMETER) for info in alert.infos.all() if info.parameters), None)
    if not key or not str(key).startswith("monitoring-event-"):
        return None
    event = SeismicEvent.objects.filter(pk=int(str(key).rsplit("-", 1)[1])).first()
    dam = Station.objects.filter(code=DAM_STATION).first()
    if event is None or dam is None:
        return None
    mmi = mmi_at(dam.lat, dam.lon, event_lat=event.latitude, event_lon=event.longitude,
                 depth_km=event.depth_km, mag=event.magnitude)
    level = next((lvl for threshold, lvl in LEVELS if mmi >= threshold), 0)
    if not level:
        return None
    window = (event.time - timedelta(minutes=1), event.time + timedelta(minutes=1))
    if TechnicalAlarm.objects.filter(station=dam, rule=RULE, time__range=window, level__gte=level).exists():
        return None
    return TechnicalAlarm.objects.create(
        station=dam, rule=RULE, level=level, time=event.time, value=round(mmi, 2), exercise=alert.status != "Actual"
    )
