"""Seismic feed parsers (pure: bytes in, dataclasses out; no Django, no network).

One module per published format; each returns a ``FeedParse`` of ``OriginReport`` items and
``Rejection`` reasons, so one bad item never blocks the rest. ``parse_feed(kind, document)`` picks the
parser by the monitoring Source kind.
"""

from __future__ import annotations

from collections.abc import Callable

from hushdor.feeds.seismic.emsc_json import parse_emsc_json
from hushdor.feeds.seismic.fdsn_text import parse_fdsn_text
from hushdor.feeds.seismic.quakeml import parse_quakeml
from hushdor.feeds.seismic.report import (
    DOCUMENT,
    DocumentInvalid,
    FeedError,
    FeedParse,
    ItemInvalid,
    OriginReport,
    Rejection,
    UnknownFeedKind,
)
from hushdor.feeds.seismic.usgs_geojson import parse_usgs_geojson

__all__ = [
    "DOCUMENT",
    "PARSERS",
    "DocumentInvalid",
    "FeedError",
    "FeedParse",
    "ItemInvalid",
    "OriginReport",
    "Rejection",
    "UnknownFeedKind",
    "parse_emsc_json",
    "parse_fdsn_text",
    "parse_feed",
    "parse_quakeml",
    "parse_usgs_geojson",
]

Parser = Callable[..., FeedParse]

# "replay" sources serve recorded events in the USGS GeoJSON summary format.
PARSERS: dict[str, Parser] = {
    "usgs_geojson": parse_usgs_geojson,
    "replay": parse_usgs_geojson,
    "fdsn_text": parse_fdsn_text,
    "quakeml": parse_quakeml,
    "emsc_json": parse_emsc_json,
}


def parse_feed(kind: str, document: bytes | str, *, agency: str | None = None) -> FeedParse:
    """Parse ``document`` with the parser for ``kind``; ``agency`` overrides the format's default."""
    try:
        parser = PARSERS[kind]
    except KeyError:
        raise UnknownFeedKind(
            f"no parser for feed kind {kind!r}; known: {', '.join(sorted(PARSERS))}"
        ) from None
    return parser(document, agency=agency) if agency else parser(document)
