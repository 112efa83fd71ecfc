"""Build src/hushdor/data/tj/place_cases_ru.csv: Russian genitive and prepositional of place names.

Russian declines place names after prepositions ("в 12 км от Мургаба", "в Мургабе"); a warning that
writes "от Мургаб" reads as an error and costs trust. This script writes the case forms of every
settlement and district name of the bundled dataset by the rules of Russian grammar for toponyms
(Rosenthal, «Справочник по правописанию и литературной правке», § 170–171; Агеенко, «Словарь
собственных имён русского языка», 2010, for the common Tajik names):

* a stem ending in a hard consonant is masculine, 2nd declension: +а / +е (Мургаб → Мургаба, Мургабе);
* -ь after a consonant in Tajik names is masculine (Джиликуль → Джиликуля, Джиликуле), and so is -й
  after a vowel (Куруксай → Куруксая, Куруксае);
* -а is feminine, 1st declension: -ы (-и after г к х ж ч ш щ) / -е (Исфара → Исфары, Исфаре);
* -и -е -о -у -ю -э and stressed -а of loanwords: indeclinable (Айни, Душанбе, Орзу);
* OVERRIDES below: adjectives and two-word names the rules do not cover (Московский, Нижний Пяндж).

Names the rules do not decide (hyphenated, multi-word izofa names such as «Абдурахмони Джоми» or
«Ходжа-Мастон», names with digits) are left out on purpose: the warning then rephrases
("от населённого пункта Ходжа-Мастон") instead of guessing. Every row is marked ``verify``: have them
read by a Russian speaker at CoES before the first real warning.

Tajik needs no table: Tajik has no noun cases; the prepositions аз ("from") and дар ("in") take the
name unchanged ("аз Мурғоб", "дар Мурғоб").

    .venv/bin/python scripts/tjdata/place_cases.py   # rewrites the CSV from the packaged names
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from hushdor.geo import dataset

OUT = Path(__file__).resolve().parents[2] / "src" / "hushdor" / "data" / "tj" / "place_cases_ru.csv"
VELAR_OR_SIBILANT = set("гкхжчшщ")
INDECLINABLE_ENDINGS = set("иеоуюэ")
OVERRIDES = {
    "Московский": ("Московского", "Московском", "adjective, masculine"),
    "Нижний Пяндж": ("Нижнего Пянджа", "Нижнем Пяндже", "adjective + noun, masculine"),
    "Горная Матча": ("Горной Матчи", "Горной Матче", "adjective + noun, feminine"),
    "Москва": ("Москвы", "Москве", "as the capital of Russia"),
}


def forms(name: str) -> tuple[str, str, str] | None:
    """(genitive, prepositional, rule), or None when the rules do not decide."""
    if name in OVERRIDES:
        return OVERRIDES[name]
    if not name or " " in name or "-" in name or any(ch.isdigit() for ch in name) or not name[0].isupper():
        return None
    last = name[-1]
    if last in INDECLINABLE_ENDINGS:
        return name, name, "indeclinable (ends in a vowel other than -а/-я)"
    if last == "а":
        genitive = name[:-1] + ("и" if name[-2] in VELAR_OR_SIBILANT else "ы")
        return genitive, name[:-1] + "е", "feminine in -а"
    if last == "я":
        return name[:-1] + "и", name[:-1] + "е", "feminine in -я"
    if last == "ь":
        return name[:-1] + "я", name[:-1] + "е", "masculine in -ь"
    if last == "й":
        if name[-2] in "аоуэе":  # Куруксай → Куруксая, Куруксае
            return name[:-1] + "я", name[:-1] + "е", "masculine in -й after a vowel"
        return None
    if last.isalpha() and last not in "аяьйёыэюъ":
        return name + "а", name + "е", "masculine, consonant stem"
    return None


def main() -> int:
    names = sorted(
        {place.name_ru for place in dataset.load_settlements()}
        | {area.name_ru for area in (*dataset.load_districts(), *dataset.load_regions())}
    )
    rows, skipped = [], []
    for name in names:
        decided = forms(name)
        if decided is None:
            skipped.append(name)
            continue
        genitive, prepositional, rule = decided
        rows.append({"nominative": name, "genitive": genitive, "prepositional": prepositional, "rule": rule, "check": "verify"})
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        handle.write("# Russian case forms of the bundled place names; built by scripts/tjdata/place_cases.py (rules and sources there).\n")
        handle.write("# check=verify: formed by rule, to be read by a Russian speaker. Names not listed are rephrased, never declined by guess.\n")
        writer = csv.DictWriter(handle, fieldnames=["nominative", "genitive", "prepositional", "rule", "check"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} names written to {OUT}; left to the rephrasing fallback: {skipped}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
