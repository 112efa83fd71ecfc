"""The built-in replay: real past earthquakes served as feed documents in accelerated time.

Used by ``hushdor demo`` (no network) and its tests. Each step is one feed document in a published
format — the USGS GeoJSON summary feed (``kind="usgs_geojson"``) or EMSC SeismicPortal JSON
(``kind="emsc_json"``) — parsed by the same parsers and received by the same ``origin_receive`` as a
live source.

Catalogue (origin time UTC, epicentre, depth, magnitude):

* Sarez, 2015-12-07 07:50:05, 38.211 N 72.780 E, 22 km, Mw 7.2 — issue 5's listing (USGS ComCat).
* Rasht, 2021-07-10 02:14:43, 38.917 N 70.554 E, 12 km, M 5.7 — issue 5.
* Gissar, 1989-01-22 23:02:04, 38.484 N 68.699 E, M 5.3, "shallow": depth taken as 10 km (this
  catalogue's choice; the source gives no depth).
* Kairakkum, 1985-10-13 15:59:52, 40.346 N 69.814 E, 10 km, M 5.8 — issue 5.
* Hindu Kush, 2015-10-26 09:09:42, 36.524 N 70.368 E, 231 km, Mw 7.5 — issue 5; intermediate depth,
  so the impact engine's deep branches apply.
* Arica, Chile, 2019-12-03 06:46 (to the minute), about 18.6 S 70.65 W, about 32 km, M 6.0 — the
  Associated Press report of the USGS solution ("3:46 a.m. local time at a moderate depth of 20 miles
  … 23 miles west-southwest of the city of Arica", Los Angeles Times, 2019-12-03,
  www.latimes.com/world-nation/story/2019-12-03/earthquake-chile-6-0); the epicentre here is placed
  23 miles WSW of Arica and is APPROXIMATE. A distant event: no warning.

ILLUSTRATIVE, not historical records of the agencies' real-time products: the Sarez event is first
published by USGS as an automatic M 7.0, then EMSC publishes its own origin (38.25 N 72.85 E, 20 km,
M 7.2, 40 s later in the feed) and finally USGS publishes the reviewed M 7.2 — so that the demo shows
one event across two agencies and a magnitude revision (which issues a CAP Update). Event ids carry
the prefix ``replay`` so that they never collide with a real agency's ids.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

USGS_GEOJSON = "usgs_geojson"
EMSC_JSON = "emsc_json"
REPLAY_NOTE = "Replay of a past event"


@dataclass(frozen=True)
class ReplayEvent:
    """One earthquake of the catalogue, with its published (final) parameters."""

    key: str
    name: str
    time: datetime
    latitude: float
    longitude: float
    depth_km: float
    magnitude: float
    place: str
    magnitude_type: str = "mww"


@dataclass(frozen=True)
class ReplayStep:
    """One feed document to deliver ``offset_s`` seconds of replay time after the start."""

    offset_s: float
    kind: str
    agency: str
    event_key: str
    label: str
    document: bytes


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


CATALOGUE: tuple[ReplayEvent, ...] = (
    ReplayEvent(
        "gissar-1989", "Gissar", _utc("1989-01-22T23:02:04"), 38.484, 68.699, 10.0, 5.3,
        "Gissar, Tajikistan", "mb",
    ),
    ReplayEvent(
        "kairakkum-1985", "Kairakkum", _utc("1985-10-13T15:59:52"), 40.346, 69.814, 10.0, 5.8,
        "Kairakkum, Tajikistan", "mb",
    ),
    ReplayEvent(
        "rasht-2021", "Rasht", _utc("2021-07-10T02:14:43"), 38.917, 70.554, 12.0, 5.7,
        "Rasht valley, Tajikistan", "mww",
    ),
    ReplayEvent(
        "hindukush-2015", "Hindu Kush", _utc("2015-10-26T09:09:42"), 36.524, 70.368, 231.0, 7.5,
        "Hindu Kush region, Afghanistan",
    ),
    ReplayEvent(
        "chile-2019", "Arica, Chile", _utc("2019-12-03T06:46:00"), -18.6, -70.65, 32.0, 6.0,
        "off the coast of Arica, Chile",
    ),
    ReplayEvent(
        "sarez-2015", "Sarez", _utc("2015-12-07T07:50:05"), 38.211, 72.780, 22.0, 7.2,
        "Sarez lake, Gorno-Badakhshan, Tajikistan",
    ),
)  # fmt: skip

SAREZ_FIRST_MAGNITUDE = 7.0  # illustrative automatic solution, revised to the catalogue's 7.2
SAREZ_EMSC = {"latitude": 38.25, "longitude": 72.85, "depth_km": 20.0, "magnitude": 7.2}  # illustrative


def catalogue_event(key: str) -> ReplayEvent:
    for event in CATALOGUE:
        if event.key == key:
            return event
    raise KeyError(f"no replay event {key!r}; known: {', '.join(event.key for event in CATALOGUE)}")


def replay_steps(*, interval_s: float = 2.0) -> list[ReplayStep]:
    """The replay script, in order; one step every ``interval_s`` seconds of wall-clock time."""
    steps: list[tuple[str, str, str, str, bytes]] = []
    for event in CATALOGUE:
        if event.key == "sarez-2015":
            continue
        steps.append((USGS_GEOJSON, "USGS", event.key, "USGS origin", usgs_document([usgs_feature(event)])))
    sarez = catalogue_event("sarez-2015")
    first = usgs_feature(sarez, magnitude=SAREZ_FIRST_MAGNITUDE, status="automatic", updated_after_s=300)
    steps.append((USGS_GEOJSON, "USGS", sarez.key, "USGS automatic origin M7.0", usgs_document([first])))
    steps.append((EMSC_JSON, "EMSC", sarez.key, "EMSC origin", emsc_document([emsc_feature(sarez)])))
    revised = usgs_feature(sarez, status="reviewed", updated_after_s=1800)
    steps.append((USGS_GEOJSON, "USGS", sarez.key, "USGS reviewed origin M7.2", usgs_document([revised])))
    return [
        ReplayStep(
            offset_s=index * interval_s, kind=kind, agency=agency, event_key=key, label=label, document=doc
        )
        for index, (kind, agency, key, label, doc) in enumerate(steps)
    ]


def usgs_feature(
    event: ReplayEvent,
    *,
    magnitude: float | None = None,
    status: str = "reviewed",
    updated_after_s: float = 1800.0,
    event_id: str | None = None,
) -> dict:
    """A Feature of the USGS GeoJSON summary format for ``event`` (time in ms since 1970, UTC)."""
    code = event_id or "replay" + event.key.replace("-", "")
    magnitude = event.magnitude if magnitude is None else magnitude
    updated = event.time + timedelta(seconds=updated_after_s)
    return {
        "type": "Feature",
        "id": code,
        "properties": {
            "mag": magnitude,
            "place": event.place,
            "time": _epoch_ms(event.time),
            "updated": _epoch_ms(updated),
            "url": "",
            "status": status,
            "net": "replay",
            "code": code.removeprefix("replay"),
            "ids": f",{code},",
            "sources": ",replay,",
            "magType": event.magnitude_type,
            "type": "earthquake",
            "title": f"M {magnitude:.1f} - {event.place}",
        },
        "geometry": {"type": "Point", "coordinates": [event.longitude, event.latitude, event.depth_km]},
    }


def usgs_document(features: list[dict], *, title: str = "Hushdor replay") -> bytes:
    generated = max((feature["properties"]["updated"] for feature in features), default=0)
    collection = {
        "type": "FeatureCollection",
        "metadata": {"generated": generated, "title": title, "status": 200, "count": len(features)},
        "features": features,
    }
    return json.dumps(collection, separators=(",", ":")).encode()


def emsc_feature(event: ReplayEvent) -> dict:
    """SeismicPortal's JSON for the illustrative EMSC origin of ``event`` (Sarez only)."""
    values = SAREZ_EMSC
    time = event.time + timedelta(seconds=1.2)
    unid = "replay-emsc-" + event.key
    return {
        "type": "Feature",
        "id": unid,
        "geometry": {
            "type": "Point",
            "coordinates": [values["longitude"], values["latitude"], -values["depth_km"]],
        },
        "properties": {
            "unid": unid,
            "time": time.isoformat().replace("+00:00", "Z"),
            "lastupdate": (event.time + timedelta(seconds=600)).isoformat().replace("+00:00", "Z"),
            "lat": values["latitude"],
            "lon": values["longitude"],
            "depth": values["depth_km"],
            "mag": values["magnitude"],
            "magtype": "mw",
            "auth": "EMSC",
            "flynn_region": "TAJIKISTAN",
        },
    }


def emsc_document(features: list[dict]) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")).encode()


def _epoch_ms(moment: datetime) -> int:
    return math.floor(moment.timestamp() * 1000)
