"""Build src/hushdor/data/tj/sarez_villages.csv: places downstream of the Usoi dam with their distance
along the Bartang and Panj, for the lead times of a Sarez warning (hushdor.science.hydromet.lead_times).

Places: the Barchadiv gauge site (indicative position, stations_sarez.csv) and every bundled settlement
(GeoNames, settlements.csv) within 5 km of a river line whose river path from the dam passes the
Bartang–Panj confluence at Rushon and goes on downstream (not up the Panj towards Khorog, not up the
Vakhsh), in the districts along the Panj. Distance:
hushdor.geo.river_network over the bundled river lines. These are PLANNING ESTIMATES from a simplified
river drawing; the 17 villages the Sarez system protects along the Murgab and Bartang (CAE 2021) are not
in the bundled settlement list and are to be added with surveyed river distances by the CoES Usoi unit.

    .venv/bin/python scripts/tjdata/sarez_villages.py
"""

from __future__ import annotations

import csv
from pathlib import Path

from hushdor.geo.river_network import RiverNetwork

DATA = Path(__file__).resolve().parents[2] / "src" / "hushdor" / "data" / "tj"
USOI_DAM = (38.27, 72.60)  # stations_sarez.csv, USOI-PIEZO (indicative)
KHOROG = (37.49, 71.55)  # upstream on the Panj: places reached through it are not downstream
MAX_SNAP_KM = 5.0
# Districts on the Bartang and on the Panj below Rushon. The drawn network also reaches up the Vakhsh
# from its confluence with the Panj; places there are not downstream of the dam and are left out.
PANJ_DISTRICTS = {
    "TJ-GB-RUSHON", "TJ-GB-VANJ", "TJ-GB-DARVOZ", "TJ-KT-SHURO-OBOD", "TJ-KT-HAMADONI", "TJ-KT-FARKHOR",
    "TJ-KT-PANJ", "TJ-KT-JILIKUL",
}
MAX_RIVER_KM = 650.0  # the Panj leaves the country below Panji Poyon


def main() -> None:
    network = RiverNetwork.from_geojson(DATA / "rivers.geojson")
    places = [("Barchadiv", "Барчадив", "Барчадив", 38.30, 72.30, "TJ-GB-RUSHON", "indicative gauge site")]
    with (DATA / "settlements.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            places.append((row["name"], row["name_ru"], row["name_tg"], float(row["lat"]), float(row["lon"]),
                           row["district_code"], f"GeoNames {row['id']}"))
    coordinates = [(p[3], p[4]) for p in places]
    from_dam = network.distances_from(USOI_DAM, coordinates)
    rushon = next(i for i, p in enumerate(places) if p[0] == "Rŭshon")
    from_rushon = network.distances_from(coordinates[rushon], coordinates)
    from_khorog = network.distances_from(KHOROG, coordinates)
    khorog_to_rushon = from_khorog[rushon].distance_km
    rows = []
    for place, dam, via, up in zip(places, from_dam, from_rushon, from_khorog, strict=True):
        if dam.snap_km > MAX_SNAP_KM or dam.distance_km == float("inf"):
            continue
        upstream_branch = up.distance_km + 1.0 < khorog_to_rushon + via.distance_km  # reached via Khorog
        bartang = dam.distance_km <= from_dam[rushon].distance_km + 0.5
        if not bartang and upstream_branch:
            continue
        if place[5] not in PANJ_DISTRICTS or dam.distance_km > MAX_RIVER_KM:
            continue
        rows.append((place, round(dam.distance_km, 1), round(dam.snap_km, 1)))
    rows.sort(key=lambda row: row[1])
    with (DATA / "sarez_villages.csv").open("w", encoding="utf-8", newline="") as handle:
        handle.write(
            "# Places downstream of the Usoi dam (Lake Sarez) along the Bartang and Panj, with the distance along\n"
            "# the river from the dam: PLANNING ESTIMATES computed by scripts/tjdata/sarez_villages.py over the\n"
            "# bundled river lines (rivers.geojson; simplified, so true thalweg distances are longer). Lead time =\n"
            "# river_km / wave celerity (hushdor.science.hydromet.lead_times); calibrate on Risley, Walder &\n"
            "# Denlinger (2006), Natural Hazards 38:375-390. To be replaced by the CoES Usoi unit's surveyed table.\n"
        )
        writer = csv.writer(handle)
        writer.writerow(["name", "name_ru", "name_tg", "lat", "lon", "district_code", "river_km", "snap_km", "source"])
        for place, river_km, snap in rows:
            name, name_ru, name_tg, lat, lon, district, source = place
            writer.writerow([name, name_ru, name_tg, lat, lon, district, river_km, snap, source])
    print(f"{len(rows)} places written to {DATA / 'sarez_villages.csv'}")


if __name__ == "__main__":
    main()
