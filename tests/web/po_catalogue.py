"""A tiny reader of gettext .po files, enough to check the shipped catalogues (no new dependency).

It understands what ``makemessages`` writes: comments and flags (``#,``), ``msgctxt``, ``msgid``,
``msgid_plural``, ``msgstr`` / ``msgstr[n]``, and continuation lines of quoted strings.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class PoEntry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False
    line: int = 0

    @property
    def key(self) -> str:
        return f"{self.msgctxt}\x04{self.msgid}" if self.msgctxt is not None else self.msgid


def read_po(path: Path) -> list[PoEntry]:
    entries: list[PoEntry] = []
    current = PoEntry()
    target: tuple[str, int] | None = None

    def finish() -> None:
        nonlocal current, target
        if current.msgid or current.msgstr:
            entries.append(current)
        current, target = PoEntry(), None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            current.obsolete = True
            continue
        if line.startswith("#,"):
            current.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if keyword.startswith('"'):
            _append(current, target, ast.literal_eval(line))
            continue
        if keyword == "msgctxt" and current.msgstr:  # a new entry without a blank line between
            finish()
        current.line = current.line or number
        text = ast.literal_eval(rest)
        if keyword in ("msgctxt", "msgid", "msgid_plural"):
            setattr(current, keyword, text)
            target = (keyword, 0)
        elif keyword == "msgstr":
            current.msgstr[0] = text
            target = ("msgstr", 0)
        elif keyword.startswith("msgstr["):
            index = int(keyword[7:-1])
            current.msgstr[index] = text
            target = ("msgstr", index)
        else:
            raise ValueError(f"{path}:{number}: cannot read {raw!r}")
    finish()
    return entries


def _append(entry: PoEntry, target: tuple[str, int] | None, text: str) -> None:
    if target is None:
        raise ValueError("a continuation line before any keyword")
    name, index = target
    if name == "msgstr":
        entry.msgstr[index] += text
    else:
        setattr(entry, name, getattr(entry, name) + text)
