"""One exception hierarchy for the CAP package.

Callers catch :class:`CapError` at a boundary (a view, a command, a worker loop) and turn it into a
clear message; the subclasses name what kind of input was wrong.
"""

from __future__ import annotations


class CapError(Exception):
    """Base class of every error raised by :mod:`hushdor.cap`."""


class CapParseError(CapError):
    """A document could not be read as CAP (too large, not XML, hostile, wrong root)."""


class CapModelError(CapError, ValueError):
    """A model value is malformed (e.g. a naive datetime, a polygon with bad coordinates)."""


class IdentifierError(CapError, ValueError):
    """An alert identifier is not in the expected WMO register arc or cannot be built."""


class SigningError(CapError):
    """A key or certificate could not be loaded, or signing failed."""


class FeedError(CapError):
    """An Atom/RSS index feed could not be built or read."""
