"""The earthquake warning policy: from an impact assessment to issue / draft / log (pure, no database).

Issue 5, part 4 (documented in docs/operations.md, "Earthquake warning policy"):

* **issue** automatically when the highest intensity reached in populated cells of Tajikistan is at
  least ``issue_mmi`` (VI) or the PAGER alert level is at least ``issue_alert`` (yellow);
* **draft** an alert for review when it is at least ``draft_mmi`` (V);
* otherwise only **log** it.

Intensities are PAGER's exposure bins (usgs/pager ``losspager/models/exposure.py``: a cell counts at
MMI *k* when its intensity rounds to *k*), read from the assessment's ``exposure_by_mmi``; a bin is
"populated" when at least ``min_population`` people live in it. The PAGER alert levels and their
meanings are those of Wald et al. (2010), "PAGER — Rapid assessment of an earthquake's impact",
USGS Fact Sheet 2010-3036: green (no or limited impact), yellow (some, local or regional response),
orange (significant, national response), red (extensive, international response).

Severity (this project's choice, so that the CAP severity follows the expected harm): red or orange,
or MMI VIII and above in populated cells → Extreme; any other issued warning → Severe; a draft →
Moderate. Which severities are then issued at once or held for an approver is the alerts app's Policy
table (defaults: earthquake Severe and Extreme automatic).

Settings come from the environment when the service runs: ``HUSHDOR_QUAKE_WARNING_ISSUE_MMI`` (6),
``HUSHDOR_QUAKE_WARNING_DRAFT_MMI`` (5), ``HUSHDOR_QUAKE_WARNING_ISSUE_ALERT`` (yellow; "none" turns
the alert-level rule off), ``HUSHDOR_QUAKE_WARNING_MIN_POPULATION`` (1), ``HUSHDOR_QUAKE_WARNING_
EXPIRES_H`` (24), ``HUSHDOR_QUAKE_WARNING_AREA_MMI`` (5: the lowest contour drawn as a CAP area).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from hushdor.apps.monitoring.services.environment import env_number

ALERT_LEVELS = ("green", "yellow", "orange", "red")
ROMAN = ("", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
Action = Literal["issue", "draft", "log"]


class WarningPolicyError(ValueError):
    """A warning-policy setting or an assessment the policy cannot read; the message says which."""


@dataclass(frozen=True)
class WarningPolicy:
    issue_mmi: int = 6
    draft_mmi: int = 5
    issue_alert: str | None = "yellow"
    min_population: int = 1
    expires_h: float = 24.0
    area_mmi: int = 5

    def __post_init__(self) -> None:
        if not 1 <= self.draft_mmi <= self.issue_mmi <= 10:
            raise WarningPolicyError(
                f"need 1 ≤ draft MMI ≤ issue MMI ≤ 10, got draft {self.draft_mmi}, issue {self.issue_mmi}"
            )
        if self.issue_alert is not None and self.issue_alert not in ALERT_LEVELS:
            raise WarningPolicyError(
                f"issue alert {self.issue_alert!r} is not one of {', '.join(ALERT_LEVELS)}"
            )
        if self.min_population < 0 or self.expires_h <= 0 or not 1 <= self.area_mmi <= 10:
            raise WarningPolicyError("min population ≥ 0, expiry > 0 h and area MMI 1..10 are required")

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> WarningPolicy:
        environ = os.environ if environ is None else environ
        defaults = cls()
        alert = (
            environ.get("HUSHDOR_QUAKE_WARNING_ISSUE_ALERT", defaults.issue_alert or "none").strip().lower()
        )
        return cls(
            issue_mmi=_integer(environ, "HUSHDOR_QUAKE_WARNING_ISSUE_MMI", defaults.issue_mmi),
            draft_mmi=_integer(environ, "HUSHDOR_QUAKE_WARNING_DRAFT_MMI", defaults.draft_mmi),
            issue_alert=None if alert in ("", "none", "off") else alert,
            min_population=_integer(environ, "HUSHDOR_QUAKE_WARNING_MIN_POPULATION", defaults.min_population),
            expires_h=_number(environ, "HUSHDOR_QUAKE_WARNING_EXPIRES_H", defaults.expires_h),
            area_mmi=_integer(environ, "HUSHDOR_QUAKE_WARNING_AREA_MMI", defaults.area_mmi),
        )


@dataclass(frozen=True)
class WarningDecision:
    action: Action
    severity: str  # CAP severity: Extreme | Severe | Moderate | Minor
    max_populated_mmi: int  # 0 when no populated cell is shaken
    alert_level: str
    reason: str


def warning_decide(result: Mapping[str, Any], policy: WarningPolicy) -> WarningDecision:
    """Apply ``policy`` to an assessment result (the impact engine's JSON)."""
    mmi = max_populated_mmi(result, min_population=policy.min_population)
    level = alert_level_of(result)
    by_alert = policy.issue_alert is not None and _rank(level) >= _rank(policy.issue_alert)
    shown = roman(mmi) if mmi else "none"
    facts = f"highest intensity in populated cells {shown}, PAGER alert {level}"
    if mmi >= policy.issue_mmi or by_alert:
        why = []
        if mmi >= policy.issue_mmi:
            why.append(f"MMI {shown} ≥ {roman(policy.issue_mmi)}")
        if by_alert:
            why.append(f"alert {level} ≥ {policy.issue_alert}")
        extreme = _rank(level) >= _rank("orange") or mmi >= 8
        return WarningDecision(
            "issue", "Extreme" if extreme else "Severe", mmi, level, f"issue: {' and '.join(why)} ({facts})"
        )
    if mmi >= policy.draft_mmi:
        return WarningDecision(
            "draft",
            "Moderate",
            mmi,
            level,
            f"draft for review: MMI {shown} ≥ {roman(policy.draft_mmi)} ({facts})",
        )
    return WarningDecision("log", "Minor", mmi, level, f"log only: below the warning thresholds ({facts})")


def max_populated_mmi(result: Mapping[str, Any], *, min_population: int = 1) -> int:
    """The highest PAGER bin (1..10) holding at least ``min_population`` people; 0 if none."""
    exposure = result.get("exposure_by_mmi")
    if not isinstance(exposure, Mapping):
        raise WarningPolicyError("the assessment has no exposure_by_mmi table")
    highest = 0
    for key, people in exposure.items():
        try:
            level, count = int(key), float(people)
        except (TypeError, ValueError):
            raise WarningPolicyError(f"exposure_by_mmi entry {key!r}: {people!r} is not a number") from None
        if 1 <= level <= 10 and count >= max(min_population, 1e-9):
            highest = max(highest, level)
    return highest


def alert_level_of(result: Mapping[str, Any]) -> str:
    """The assessment's PAGER alert: the overall ``alert``, else the fatality alert; green if absent."""
    level = result.get("alert")
    if level is None and isinstance(result.get("fatalities"), Mapping):
        level = result["fatalities"].get("alert")
    level = str(level or "green").lower()
    if level not in ALERT_LEVELS:
        raise WarningPolicyError(f"alert level {level!r} is not one of {', '.join(ALERT_LEVELS)}")
    return level


def exposed_at_least(result: Mapping[str, Any], mmi: int) -> int:
    """People in PAGER bins ≥ ``mmi``."""
    exposure = result.get("exposure_by_mmi") or {}
    return round(sum(float(people) for key, people in exposure.items() if int(key) >= mmi))


def roman(mmi: int) -> str:
    return ROMAN[mmi] if 0 <= mmi <= 10 else str(mmi)


def _rank(level: str) -> int:
    return ALERT_LEVELS.index(level)


def _integer(environ: Mapping[str, str], name: str, default: int) -> int:
    text = environ.get(name)
    if text is None or not text.strip():
        return default
    try:
        return int(text)
    except ValueError:
        raise WarningPolicyError(f"{name}={text!r} is not a whole number") from None


def _number(environ: Mapping[str, str], name: str, default: float) -> float:
    return env_number(environ, name, default, error=WarningPolicyError)
