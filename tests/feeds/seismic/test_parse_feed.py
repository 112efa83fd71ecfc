import pytest

from hushdor.feeds.seismic import PARSERS, UnknownFeedKind, parse_feed


def test_every_monitoring_source_kind_has_a_parser():
    assert set(PARSERS) == {"usgs_geojson", "fdsn_text", "quakeml", "emsc_json", "replay"}


def test_unknown_kind_is_named():
    with pytest.raises(UnknownFeedKind, match="'seiscomp'"):
        parse_feed("seiscomp", b"{}")
