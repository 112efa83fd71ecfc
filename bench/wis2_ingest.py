"""Benchmark: WIS2 notifications with inline BUFR through the whole ingest path, per second.

    .venv/bin/python bench/wis2_ingest.py [--json] [--messages 500]

Each message is a WIS2 notification (WNM) carrying a single-subset SYNOP BUFR4 message made by ecCodes
(air temperature, precipitation, snow depth) for one of the 13 bundled WMO stations, one hour apart:
``hydromet.wis2.notification_receive`` checks the notification, its sha512 digest and its data_id,
decodes the BUFR, stores the three observations through the push service (QC, rules, alarms) and
records the outcome — on SQLite in a temporary folder. Baseline in the same run: decoding the same
BUFR messages alone with ecCodes (the floor of any BUFR ingest).

Printed: ``{"messages", "observations", "ingest_per_s", "decode_only_per_s", "ratio", "load_average"}``.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path


def _bufr(eccodes, block: int, station: int, day: int, hour: int) -> bytes:
    handle = eccodes.codes_bufr_new_from_samples("BUFR4")
    eccodes.codes_set(handle, "masterTablesVersionNumber", 31)
    eccodes.codes_set(handle, "dataCategory", 0)
    eccodes.codes_set(handle, "numberOfSubsets", 1)
    eccodes.codes_set(handle, "compressedData", 0)
    eccodes.codes_set_array(handle, "unexpandedDescriptors", [301001, 301011, 301012, 301021, 12101, 13011, 13013])
    for key, value in (("blockNumber", block), ("stationNumber", station), ("year", 2026), ("month", 5),
                       ("day", day), ("hour", hour), ("minute", 0), ("latitude", 38.5), ("longitude", 68.8),
                       ("airTemperature", 285.0 + hour % 5), ("totalPrecipitationOrTotalWaterEquivalent", 0.4),
                       ("totalSnowDepth", 0.0)):
        eccodes.codes_set(handle, key, value)
    eccodes.codes_set(handle, "pack", 1)
    message = eccodes.codes_get_message(handle)
    eccodes.codes_release(handle)
    return message


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--messages", type=int, default=500)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="hushdor-wis2-"))
    os.environ.update({
        "HUSHDOR_DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
        "HUSHDOR_VAR_DIR": str(folder),
        "DJANGO_SETTINGS_MODULE": "hushdor.settings",
    })
    import logging

    import django

    django.setup()
    logging.getLogger("hushdor").setLevel(logging.WARNING)
    import eccodes
    from django.core.management import call_command

    from hushdor.apps.hydromet import wis2
    from hushdor.apps.hydromet.models import Observation, Station
    from hushdor.apps.hydromet.services import stations_load_bundled
    from hushdor.feeds.hydromet import bufr

    call_command("migrate", verbosity=0)
    stations_load_bundled()
    wmo = [s.wmo_index for s in Station.objects.exclude(wmo_index="")]
    wis2.MAX_PER_STATION_MINUTE = 10**9  # the benchmark is a flood on purpose
    messages, payloads = [], []
    for number in range(args.messages):
        index = wmo[number % len(wmo)]
        step = number // len(wmo)
        data = _bufr(eccodes, int(index[:2]), int(index[2:]), 1 + step // 24, step % 24)
        messages.append(data)
        payloads.append(json.dumps({
            "id": str(uuid.uuid4()), "conformsTo": ["http://wis.wmo.int/spec/wnm/1/conf/core"], "type": "Feature",
            "geometry": None,
            "properties": {
                "data_id": f"tj/synop/{index}/{number}", "metadata_id": "urn:wmo:md:tj:synop",
                "pubtime": "2026-05-07T06:02:11Z", "datetime": "2026-05-07T06:00:00Z",
                "integrity": {"method": "sha512", "value": base64.b64encode(hashlib.sha512(data).digest()).decode()},
                "content": {"encoding": "base64", "size": len(data), "value": base64.b64encode(data).decode()},
            },
            "links": [{"rel": "canonical", "type": "application/bufr", "href": "https://wis2.example.tj/x.bufr4"}],
        }).encode())
    started = time.perf_counter()
    for data in messages:
        bufr.decode(data)
    decode_only = time.perf_counter() - started
    started = time.perf_counter()
    states = [wis2.notification_receive(payload).state for payload in payloads]
    ingest = time.perf_counter() - started
    accepted = states.count("accepted")
    result = {
        "messages": len(payloads),
        "accepted": accepted,
        "observations": Observation.objects.count(),
        "ingest_per_s": round(len(payloads) / ingest, 1),
        "decode_only_per_s": round(len(messages) / decode_only, 1),
        "ratio": round((len(payloads) / ingest) / (len(messages) / decode_only), 3),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    print(json.dumps(result) if args.json else json.dumps(result, indent=2))
    return 0 if accepted == len(payloads) else 1


if __name__ == "__main__":
    sys.exit(main())
