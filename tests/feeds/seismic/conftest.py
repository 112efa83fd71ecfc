"""Feed documents written here in the published formats, for real Tajik (and one Chilean) events.

Event facts: issue 5 (USGS ComCat values as quoted there); Chile: 2015-09-16 Illapel M8.3 (USGS
ComCat). Event codes are illustrative, not the agencies' real identifiers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest


@dataclass(frozen=True)
class Quake:
    code: str
    time: datetime
    latitude: float
    longitude: float
    depth_km: float
    magnitude: float
    place: str


SAREZ = Quake(
    "10004ff1",
    datetime(2015, 12, 7, 7, 50, 5, 470000, tzinfo=UTC),
    38.211,
    72.780,
    22.0,
    7.2,
    "Sarez, Tajikistan",
)
RASHT = Quake(
    "10007ab2", datetime(2021, 7, 10, 2, 14, 43, tzinfo=UTC), 38.917, 70.554, 12.0, 5.7, "Rasht, Tajikistan"
)
HINDU_KUSH = Quake(
    "10003re3",
    datetime(2015, 10, 26, 9, 9, 42, tzinfo=UTC),
    36.524,
    70.368,
    231.0,
    7.5,
    "Hindu Kush, Afghanistan",
)
ILLAPEL = Quake(
    "20003k7a", datetime(2015, 9, 16, 22, 54, 32, tzinfo=UTC), -31.573, -71.674, 22.4, 8.3, "Illapel, Chile"
)


def epoch_ms(moment: datetime) -> int:
    return round(moment.timestamp() * 1000)


def usgs_feature(quake: Quake, *, updated: datetime | None = None, status: str = "reviewed", **overrides):
    properties = {
        "mag": quake.magnitude,
        "place": quake.place,
        "time": epoch_ms(quake.time),
        "updated": epoch_ms(updated or quake.time.replace(hour=(quake.time.hour + 1) % 24)),
        "tz": None,
        "url": f"https://earthquake.usgs.gov/earthquakes/eventpage/us{quake.code}",
        "detail": f"https://earthquake.usgs.gov/fdsnws/event/1/query?eventid=us{quake.code}&format=geojson",
        "felt": None,
        "cdi": None,
        "mmi": None,
        "alert": None,
        "status": status,
        "tsunami": 0,
        "sig": 900,
        "net": "us",
        "code": quake.code,
        "ids": f",us{quake.code},",
        "sources": ",us,",
        "types": ",origin,phase-data,",
        "nst": None,
        "dmin": 1.2,
        "rms": 0.9,
        "gap": 15,
        "magType": "mww",
        "type": "earthquake",
        "title": f"M {quake.magnitude} - {quake.place}",
    }
    properties.update(overrides.pop("properties", {}))
    feature = {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": "Point", "coordinates": [quake.longitude, quake.latitude, quake.depth_km]},
        "id": f"us{quake.code}",
    }
    feature.update(overrides)
    return feature


def usgs_summary(*features) -> str:
    return json.dumps(
        {
            "type": "FeatureCollection",
            "metadata": {
                "generated": epoch_ms(datetime(2021, 7, 10, 3, 0, tzinfo=UTC)),
                "url": "https://earthquake.usgs.gov/earthquakes/feed/v1.0/summary/significant_month.geojson",
                "title": "USGS Significant Earthquakes, Past Month",
                "status": 200,
                "api": "1.10.3",
                "count": len(features),
            },
            "features": list(features),
            "bbox": [-180, -90, -5, 180, 90, 800],
        }
    )


def emsc_feature(quake: Quake, *, lastupdate: str = "2021-07-10T02:40:11.0Z", **properties):
    values = {
        "source_id": "1017" + quake.code[-3:],
        "source_catalog": "EMSC-RTS",
        "lastupdate": lastupdate,
        "time": quake.time.isoformat().replace("+00:00", "Z"),
        "flynn_region": quake.place.upper(),
        "lat": quake.latitude,
        "lon": quake.longitude,
        "depth": quake.depth_km,
        "evtype": "ke",
        "auth": "EMSC",
        "mag": quake.magnitude,
        "magtype": "mw",
        "unid": f"20210710_0000{quake.code[-3:]}",
    }
    values.update(properties)
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [quake.longitude, quake.latitude, -quake.depth_km]},
        "id": values["unid"],
        "properties": values,
    }


FDSN_HEADER = (
    "#EventID|Time|Latitude|Longitude|Depth/km|Author|Catalog|Contributor|ContributorID|MagType|Magnitude"
    "|MagAuthor|EventLocationName|EventType"
)


def fdsn_row(quake: Quake, *, event_id: str | None = None, **columns) -> str:
    values = {
        "EventID": event_id or f"tj{quake.code}",
        "Time": quake.time.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3],
        "Latitude": f"{quake.latitude:.4f}",
        "Longitude": f"{quake.longitude:.4f}",
        "Depth/km": f"{quake.depth_km:.1f}",
        "Author": "TJ",
        "Catalog": "TJ",
        "Contributor": "TJ",
        "ContributorID": f"tj{quake.code}",
        "MagType": "mb",
        "Magnitude": f"{quake.magnitude:.1f}",
        "MagAuthor": "TJ",
        "EventLocationName": quake.place,
        "EventType": "earthquake",
    }
    values.update(columns)
    return "|".join(values.values())


def quakeml_event(
    quake: Quake,
    *,
    creation: str = "2015-12-07T08:31:00Z",
    event_type: str = "earthquake",
    mode: str = "manual",
) -> str:
    base = f"quakeml:us.anss.org/{{}}/us{quake.code}"
    return f"""
    <event catalog:datasource="us" catalog:eventsource="us" catalog:eventid="{quake.code}"
           publicID="{base.format("event")}">
      <description><type>earthquake name</type><text>{quake.place}</text></description>
      <description><type>region name</type><text>{quake.place.split(",")[-1].strip()} region</text></description>
      <type>{event_type}</type>
      <preferredOriginID>{base.format("origin")}</preferredOriginID>
      <preferredMagnitudeID>{base.format("magnitude")}</preferredMagnitudeID>
      <origin publicID="{base.format("origin") + "-automatic"}">
        <time><value>{quake.time.isoformat().replace("+00:00", "Z")}</value></time>
        <latitude><value>{quake.latitude + 0.3}</value></latitude>
        <longitude><value>{quake.longitude}</value></longitude>
        <depth><value>10000</value></depth>
        <evaluationMode>automatic</evaluationMode>
      </origin>
      <origin publicID="{base.format("origin")}">
        <time><value>{quake.time.isoformat().replace("+00:00", "Z")}</value><uncertainty>0.9</uncertainty></time>
        <longitude><value>{quake.longitude}</value></longitude>
        <latitude><value>{quake.latitude}</value></latitude>
        <depth><value>{quake.depth_km * 1000:.0f}</value><uncertainty>1800</uncertainty></depth>
        <evaluationMode>{mode}</evaluationMode>
        <creationInfo><agencyID>us</agencyID><creationTime>2015-12-07T08:02:11Z</creationTime></creationInfo>
      </origin>
      <magnitude publicID="{base.format("magnitude")}">
        <mag><value>{quake.magnitude}</value><uncertainty>0.04</uncertainty></mag>
        <type>Mww</type>
        <originID>{base.format("origin")}</originID>
        <creationInfo><agencyID>us</agencyID><creationTime>{creation}</creationTime></creationInfo>
      </magnitude>
      <creationInfo><agencyID>us</agencyID><creationTime>2015-12-07T08:05:00Z</creationTime></creationInfo>
    </event>"""


def quakeml_document(*events: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<q:quakeml xmlns:q="http://quakeml.org/xmlns/quakeml/1.2" xmlns="http://quakeml.org/xmlns/bed/1.2"
           xmlns:catalog="http://anss.org/xmlns/catalog/0.1">
  <eventParameters publicID="quakeml:earthquake.usgs.gov/fdsnws/event/1/query">
    {"".join(events)}
  </eventParameters>
</q:quakeml>
"""


@pytest.fixture
def write():
    """The document writers above, for tests (test modules cannot import a conftest)."""
    return SimpleNamespace(
        usgs_feature=usgs_feature,
        usgs_summary=usgs_summary,
        emsc_feature=emsc_feature,
        fdsn_header=FDSN_HEADER,
        fdsn_row=fdsn_row,
        quakeml_event=quakeml_event,
        quakeml_document=quakeml_document,
        epoch_ms=epoch_ms,
        sarez=SAREZ,
        rasht=RASHT,
        hindu_kush=HINDU_KUSH,
        illapel=ILLAPEL,
    )
