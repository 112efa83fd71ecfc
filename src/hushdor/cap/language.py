"""Is an ``<info>``'s text written in the script its ``<language>`` says?

WMO cap-composer#138 ("Validate language consistency in CAP info elements") reports published alerts
whose ``<info language="en">`` carried Arabic text. Here the letters of headline + description are
counted by script (Unicode Cyrillic block U+0400–U+04FF and Basic Latin/Latin-1 letters):

* ``tg`` and ``ru`` expect Cyrillic, ``en`` expects Latin; other languages are not checked.
* fewer than half the letters in the expected script → error ``language.script``;
* fewer than 85 % → warning ``language.mixed_script`` (a place name or unit in Latin letters inside
  Russian text is normal, a paragraph is not).
* Tajik Cyrillic adds ғ ӣ қ ӯ ҳ ҷ to the Russian alphabet (Tajik alphabet, 1998 reform). Such letters
  in a ``ru`` info, or their absence from a long ``tg`` text, only suggest a mix-up: warnings.

The 50 % / 85 % / 80-letter thresholds are this project's editorial choice, not a standard.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hushdor.cap.findings import Finding, error, warning

TAJIK_LETTERS = frozenset("ғӣқӯҳҷҒӢҚӮҲҶ")
_CYRILLIC = re.compile(r"[\u0400-\u0481\u048a-\u04ff]+")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]+")
_TAJIK = re.compile("[" + "".join(sorted(TAJIK_LETTERS)) + "]+")
_EXPECTED_SCRIPT = {"tg": "Cyrillic", "ru": "Cyrillic", "en": "Latin"}
MIN_LETTERS = 12
MIN_LETTERS_FOR_TAJIK_HINT = 80


@dataclass(frozen=True, slots=True)
class ScriptCount:
    cyrillic: int
    latin: int
    tajik: int

    @property
    def letters(self) -> int:
        return self.cyrillic + self.latin


def count_scripts(text: str) -> ScriptCount:
    return ScriptCount(
        cyrillic=len(_CYRILLIC.findall(text)),
        latin=len(_LATIN.findall(text)),
        tajik=len(_TAJIK.findall(text)),
    )


def language_findings(language: str, text: str, path: str) -> list[Finding]:
    primary = language.split("-")[0].lower()
    expected = _EXPECTED_SCRIPT.get(primary)
    counts = count_scripts(text)
    if expected is None or counts.letters < MIN_LETTERS:
        return []
    in_script = counts.cyrillic if expected == "Cyrillic" else counts.latin
    share = in_script / counts.letters
    findings: list[Finding] = []
    if share < 0.5:
        findings.append(
            error(
                "language.script",
                f"the info says language '{language}' but only "
                f"{share:.0%} of its headline and description letters are {expected}",
                path,
            )
        )
    elif share < 0.85:
        findings.append(
            warning(
                "language.mixed_script",
                f"the '{language}' info mixes scripts: {1 - share:.0%} of its letters are not {expected}",
                path,
            )
        )
    if primary == "ru" and counts.tajik > 0:
        findings.append(
            warning(
                "language.tajik_in_ru",
                "the 'ru' info contains Tajik letters (ғ ӣ қ ӯ ҳ ҷ); is this text Tajik?",
                path,
            )
        )
    if primary == "tg" and counts.cyrillic >= MIN_LETTERS_FOR_TAJIK_HINT and counts.tajik == 0:
        findings.append(
            warning(
                "language.no_tajik_letters",
                "the 'tg' info has no Tajik letters (ғ ӣ қ ӯ ҳ ҷ); is this text Russian?",
                path,
            )
        )
    return findings
