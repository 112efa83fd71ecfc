"""Hardened reading of untrusted XML (CAP alerts, Atom/RSS index feeds).

Every limit is checked before lxml builds a tree, cheapest first, and each refusal is a
:class:`~hushdor.cap.findings.Finding`, never an exception:

1. empty input, then size (default 1 MiB; Google Public Alerts caps a whole feed at 900 KB,
   https://developers.google.com/public-alerts/reference/cap-requirements — a single alert is far
   smaller), checked on ``len`` so a 50 MB document costs nothing;
2. any ``<!DOCTYPE`` or ``<!ENTITY`` declaration: CAP needs neither, and refusing them closes
   external-entity (XXE) and entity-expansion ("billion laughs") attacks outright
   (OWASP XML External Entity Prevention Cheat Sheet);
3. invalid UTF-8, and any declared encoding other than UTF-8;
4. nesting depth (default 32; a CAP alert is 5 levels deep, 7 with an XML signature): libxml2
   itself stops at 256 levels without ``huge_tree`` (so a 10,000-deep document fails after 256
   elements, in well under a millisecond), and a compiled XPath checks the configured limit in C.

The parser itself never resolves entities, never loads a DTD, never touches the network and keeps
libxml2's default size guards (``huge_tree=False``).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from hushdor.cap.findings import Finding, error
from hushdor.xmlsafe import hardened_parser

DEFAULT_MAX_BYTES = 1024 * 1024
DEFAULT_MAX_DEPTH = 32

_DECLARATION = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_XML_DECLARATION_ENCODING = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, slots=True)
class Limits:
    max_bytes: int = DEFAULT_MAX_BYTES
    max_depth: int = DEFAULT_MAX_DEPTH


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True, slots=True)
class LoadedTree:
    root: etree._Element | None
    findings: tuple[Finding, ...]


def precheck(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Finding | None:
    """The checks that need no parser; ``None`` when the bytes may be handed to lxml."""
    if not isinstance(data, bytes | bytearray | memoryview):
        return error("xml.type", f"expected the document as bytes, got {type(data).__name__}")
    if len(data) == 0 or not bytes(data[:4096]).strip():
        return error("xml.empty", "the document is empty")
    if len(data) > limits.max_bytes:
        return error(
            "xml.too_large",
            f"the document is {len(data):,} bytes; the limit is {limits.max_bytes:,} bytes",
        )
    if _DECLARATION.search(data):
        return error(
            "xml.doctype",
            "the document declares a DOCTYPE or ENTITY; CAP documents never need one and they are "
            "refused because they can read local files or expand without bound",
        )
    declared = _XML_DECLARATION_ENCODING.match(bytes(data[:200]).removeprefix(_UTF8_BOM))
    if declared and declared.group(1).decode("ascii").lower().replace("_", "-") not in {"utf-8", "utf8"}:
        return error(
            "xml.encoding",
            f"the document declares encoding {declared.group(1).decode()}; only UTF-8 is accepted",
        )
    try:
        bytes(data).decode("utf-8")
    except UnicodeDecodeError as exc:
        return error("xml.utf8", f"the document is not valid UTF-8 (byte {exc.start}: {exc.reason})")
    return None


def load_tree(data: bytes, limits: Limits = DEFAULT_LIMITS) -> LoadedTree:
    """Parse untrusted bytes into an lxml tree, or say why not."""
    refusal = precheck(data, limits)
    if refusal is not None:
        return LoadedTree(None, (refusal,))
    try:
        root = etree.fromstring(bytes(data), hardened_parser())
    except etree.XMLSyntaxError as exc:
        if "Excessive depth" in str(exc.msg):
            return LoadedTree(None, (_too_deep(limits),))
        return LoadedTree(
            None, (error("xml.malformed", f"the document is not well-formed XML: {_describe(exc)}"),)
        )
    if root is None:
        return LoadedTree(None, (error("xml.malformed", "the document has no root element"),))
    if _deeper_than(limits.max_depth)(root):
        return LoadedTree(None, (_too_deep(limits),))
    return LoadedTree(root, ())


@functools.cache
def _deeper_than(max_depth: int) -> etree.XPath:
    """An XPath that is true when any element sits below ``max_depth`` levels (evaluated in C)."""
    return etree.XPath("boolean(/" + "/".join(["*"] * (max_depth + 1)) + ")")


def _too_deep(limits: Limits) -> Finding:
    return error("xml.too_deep", f"elements are nested more than {limits.max_depth} levels deep")


def read_limited(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[bytes | None, Finding | None]:
    """Read a file but never more than ``max_bytes + 1`` bytes of it."""
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        return None, error("file.unreadable", f"cannot read {path}: {exc.strerror or exc}")
    if len(data) > max_bytes:
        return None, error("xml.too_large", f"{path} is larger than the limit of {max_bytes:,} bytes")
    return data, None


def _describe(exc: etree.XMLSyntaxError) -> str:
    message = str(exc.msg or exc).strip()
    line = getattr(exc, "lineno", None)
    return f"{message} (line {line})" if line else message
