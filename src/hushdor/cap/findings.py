"""Findings: what a parser or validator has to say about one alert.

A finding carries a stable ``code`` (``"identifier.arc"``, ``"polygon.open"`` …) that programs match
on, a ``severity`` (``"error"`` blocks publication, ``"warning"`` advises), a ``message`` in plain
words an editor understands, and the ``path`` of the element it is about, zero-based
(``"info[1].area[0].polygon[0]"``). A repair the validator could compute (a closed, valid or
simplified polygon) rides along in ``repaired``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]
LatLon = tuple[float, float]


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    severity: Severity
    message: str
    path: str = ""
    repaired: tuple[LatLon, ...] | None = None

    def __str__(self) -> str:
        where = f" [{self.path}]" if self.path else ""
        return f"{self.code}: {self.message}{where}"


def error(code: str, message: str, path: str = "") -> Finding:
    return Finding(code=code, severity="error", message=message, path=path)


def warning(code: str, message: str, path: str = "", repaired: tuple[LatLon, ...] | None = None) -> Finding:
    return Finding(code=code, severity="warning", message=message, path=path, repaired=repaired)


def has_errors(findings: list[Finding]) -> bool:
    return any(finding.severity == "error" for finding in findings)
