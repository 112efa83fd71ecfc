"""Place names after prepositions, in the right grammatical case: "в 12 км от Мургаба", "аз Мурғоб".

Russian declines place names: after «от» (from) the genitive, after «в» (in) the prepositional
(locative). The forms of the bundled names are in ``data/tj/place_cases_ru.csv`` (built by
``scripts/tjdata/place_cases.py``, which gives the rules and sources; rows marked ``verify`` await a
Russian speaker). A name that is not in the table is never declined by guess: the phrase is
rephrased with a generic noun in apposition, which keeps the name in the nominative and is
grammatical — «от населённого пункта Ходжа-Мастон», «в районе Шамсиддин Шохин».

Tajik has no noun cases: «аз» (from) and «дар» (in) take the name unchanged («аз Мурғоб», «дар Мурғоб»).
"""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib import resources
from typing import Literal

Kind = Literal["settlement", "district"]

# The generic noun in apposition, per case: the name after it stays in the nominative.
_RU_FALLBACK = {
    "settlement": {"genitive": "населённого пункта", "prepositional": "населённом пункте"},
    "district": {"genitive": "района", "prepositional": "районе"},
}


@cache
def russian_cases() -> dict[str, tuple[str, str]]:
    """nominative → (genitive, prepositional), from the packaged table."""
    text = resources.files("hushdor").joinpath("data", "tj", "place_cases_ru.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in io.StringIO(text) if not line.startswith("#"))
    return {row["nominative"]: (row["genitive"], row["prepositional"]) for row in rows}


def _russian(name: str, case: str, kind: Kind) -> str:
    forms = russian_cases().get(name)
    if forms is not None:
        return forms[0] if case == "genitive" else forms[1]
    return f"{_RU_FALLBACK[kind][case]} {name}"


def from_place(name: str, language: str, kind: Kind = "settlement") -> str:
    """"from <place>" in ``language`` (tg, ru, en): «от Мургаба», «аз Мурғоб», "from Murghob"."""
    if language == "ru":
        return f"от {_russian(name, 'genitive', kind)}"
    if language == "tg":
        return f"аз {name}"
    return f"from {name}"


def in_place(name: str, language: str, kind: Kind = "settlement") -> str:
    """"in <place>" in ``language``: «в Мургабе», «дар Мурғоб», "in Murghob"."""
    if language == "ru":
        return f"в {_russian(name, 'prepositional', kind)}"
    if language == "tg":
        return f"дар {name}"
    return f"in {name}"
