"""Errors of the places app: one class per kind of failure, each with a message an operator can act on."""

from __future__ import annotations

from pathlib import Path


class PlacesError(Exception):
    """Base class of every error raised by the places app."""


class PlacesImportError(PlacesError, ValueError):
    """A file offered for import is unreadable or has a bad row, feature or field; nothing of it was imported.

    ``location`` names the row ("row 7") or feature ("feature 3") or is empty for the file as a whole;
    ``field`` names the column or property at fault, or is empty.
    """

    def __init__(self, file: str | Path, location: str, field: str, problem: str) -> None:
        self.file = str(file)
        self.location = location
        self.field = field
        self.problem = problem
        super().__init__(self.describe())

    def describe(self) -> str:
        parts = [self.file]
        if self.location:
            parts.append(self.location)
        if self.field:
            parts.append(f"field {self.field!r}")
        return f"{', '.join(parts)}: {self.problem}"
