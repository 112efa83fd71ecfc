"""Russian and Tajik (Cyrillic) names: two reviewed tables beside this module, checked and applied.

- ``names_cyrillic.csv``: every region and district code -> ``name_ru``, ``name_tg`` (all required).
- ``settlement_names_cyrillic.csv``: GeoNames ids whose guessed names (vectors.cyrillic_names) are
  blank or wrong -> both names; the row's ``name`` must equal GeoNames' name.
Each row cites its source and whether the name was read in that source (header of each file). After
the tables are applied every region, district and settlement has both names, or the build fails.

Script checks: a Russian name has Cyrillic letters and none of the Tajik-only letters ғ ӣ қ ӯ ҳ ҷ; a
Tajik name uses only the Tajik alphabet (1998 reform: no ц щ ы ь). Neither contains a Latin letter.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

from tjdata.inputs import InputError

HERE = Path(__file__).resolve().parent
AREA_NAMES = HERE / "names_cyrillic.csv"
SETTLEMENT_NAMES = HERE / "settlement_names_cyrillic.csv"

_RUSSIAN = re.compile(r"^[А-ЯЁа-яё0-9][А-ЯЁа-яё0-9\- ]*$")
_TAJIK = re.compile(r"^[0-9А-ЯЁа-яёҒғӢӣҚқӮӯҲҳҶҷ][0-9А-ЯЁа-яёҒғӢӣҚқӮӯҲҳҶҷ\- ]*$")
_NOT_TAJIK = re.compile(r"[ЦцЩщЫыЬь]")
_TAJIK_ONLY = re.compile(r"[ҒғӢӣҚқӮӯҲҳҶҷ]")


def _rows(path: Path, key: str) -> dict[str, dict[str, str]]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    rows: dict[str, dict[str, str]] = {}
    for number, row in enumerate(csv.DictReader(lines), start=2):
        where = f"{path.name}, data row {number - 1} ({row.get(key)})"
        if not row.get("source"):
            raise InputError(f"{where}: no source")
        check_names(row.get("name_ru", ""), row.get("name_tg", ""), where)
        if row[key] in rows:
            raise InputError(f"{where}: {key} {row[key]} appears twice")
        rows[row[key]] = row
    return rows


def check_names(name_ru: str, name_tg: str, where: str) -> None:
    """Raise InputError unless name_ru is Russian Cyrillic and name_tg Tajik Cyrillic."""
    if not _RUSSIAN.match(name_ru or "") or _TAJIK_ONLY.search(name_ru):
        raise InputError(f"{where}: name_ru {name_ru!r} is not a Russian name in Cyrillic")
    if not _TAJIK.match(name_tg or "") or _NOT_TAJIK.search(name_tg):
        raise InputError(f"{where}: name_tg {name_tg!r} is not a Tajik name in Cyrillic")


def apply_area_names(areas: list[dict[str, Any]], path: Path = AREA_NAMES) -> None:
    """Set name_ru/name_tg of every region or district from the table; every code must be there."""
    table = _rows(path, "code")
    for area in areas:
        row = table.get(area["code"])
        if row is None:
            raise InputError(f"{path.name} has no names for {area['code']} ({area['name']})")
        area["name_ru"], area["name_tg"] = row["name_ru"], row["name_tg"]


def check_area_table_complete(codes: list[str], path: Path = AREA_NAMES) -> None:
    """The table names exactly the built codes (no stale row for a code the build no longer makes)."""
    extra = sorted(set(_rows(path, "code")) - set(codes))
    if extra:
        raise InputError(f"{path.name} names codes the build does not make: {extra}")


def apply_settlement_names(places: list[dict[str, Any]], path: Path = SETTLEMENT_NAMES) -> None:
    """Replace the guessed names of the listed places; then every place must have both names."""
    table = _rows(path, "id")
    by_id = {str(place["id"]): place for place in places}
    for geonameid, row in table.items():
        place = by_id.get(geonameid)
        if place is None:
            raise InputError(f"{path.name}: no GeoNames place {geonameid} ({row['name']})")
        if place["name"] != row["name"]:
            raise InputError(f"{path.name}: place {geonameid} is {place['name']!r}, not {row['name']!r}")
        place["name_ru"], place["name_tg"] = row["name_ru"], row["name_tg"]
    for place in places:
        check_names(place["name_ru"], place["name_tg"], f"settlement {place['id']} ({place['name']})")
