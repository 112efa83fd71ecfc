"""Atom and RSS index feeds: well-formed, correct links, size cap; ingesting others' feeds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from lxml import etree

from hushdor.cap.errors import FeedError
from hushdor.cap.feeds import CAP_MIME, FeedEntry, atom_feed, parse_index_feed, rss_feed

ATOM = "{http://www.w3.org/2005/Atom}"
NOW = datetime(2025, 7, 7, 12, 0, tzinfo=UTC)


def entries(count: int, summary: str = "Сел дар водии Варзоб") -> list[FeedEntry]:
    return [
        FeedEntry(
            identifier=f"urn:oid:2.49.0.1.762.2.2025.7.7.{k}",
            headline=f"Хатари сел {k}",
            sent=NOW - timedelta(minutes=k),
            url=f"https://khf.tj/cap/{k}.xml",
            summary=summary,
            author="КҲФ ҶТ",
        )
        for k in range(count)
    ]


FEED_ARGS = {
    "feed_id": "https://khf.tj/cap/",
    "title": "Hushdor alerts",
    "self_url": "https://khf.tj/cap/atom.xml",
    "updated": NOW,
}


def test_atom_feed_has_one_entry_per_alert_with_a_cap_link() -> None:
    document = atom_feed(entries(3), **FEED_ARGS)
    root = etree.fromstring(document.content)
    assert (document.included, document.dropped) == (3, 0)
    feed_entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}id") for e in feed_entries] == [
        f"urn:oid:2.49.0.1.762.2.2025.7.7.{k}" for k in range(3)
    ]
    link = feed_entries[1].find(f"{ATOM}link")
    assert (link.get("rel"), link.get("type"), link.get("href")) == (
        "alternate",
        CAP_MIME,
        "https://khf.tj/cap/1.xml",
    )
    assert feed_entries[1].findtext(f"{ATOM}updated") == "2025-07-07T11:59:00+00:00"
    assert feed_entries[1].findtext(f"{ATOM}author/{ATOM}name") == "КҲФ ҶТ"


def test_rss_feed_items_carry_guid_link_and_rfc822_date() -> None:
    document = rss_feed(entries(2), **FEED_ARGS)
    items = etree.fromstring(document.content).findall("channel/item")
    assert [i.findtext("guid") for i in items] == [
        "urn:oid:2.49.0.1.762.2.2025.7.7.0",
        "urn:oid:2.49.0.1.762.2.2025.7.7.1",
    ]
    assert items[0].find("guid").get("isPermaLink") == "false"
    assert items[1].findtext("pubDate") == "Mon, 07 Jul 2025 11:59:00 +0000"


@pytest.mark.parametrize("build", [atom_feed, rss_feed])
def test_feeds_parse_back_into_the_same_links(build) -> None:  # type: ignore[no-untyped-def]
    source = entries(4)
    links = parse_index_feed(build(source, **FEED_ARGS).content)
    assert [(link.identifier, link.url, link.updated, link.title) for link in links] == [
        (e.identifier, e.url, e.sent, e.headline) for e in source
    ]


@pytest.mark.parametrize("build", [atom_feed, rss_feed])
def test_a_feed_over_the_size_cap_drops_the_oldest_entries(build) -> None:  # type: ignore[no-untyped-def]
    many = entries(3000, summary="Борони шадид " * 30)
    document = build(list(reversed(many)), **FEED_ARGS)
    assert len(document.content) <= 900_000
    assert document.dropped > 0 and document.included + document.dropped == 3000
    kept = [link.identifier for link in parse_index_feed(document.content)]
    assert kept == [e.identifier for e in many[: document.included]]
    assert len(document.content) + 2 * len(build(many[:1], **FEED_ARGS).content) > 900_000 - 2000


def test_hostile_or_foreign_feeds_raise_feed_error() -> None:
    with pytest.raises(FeedError, match="DOCTYPE"):
        parse_index_feed(b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><rss version="2.0"/>')
    with pytest.raises(FeedError, match="neither an Atom feed nor RSS"):
        parse_index_feed(b"<html/>")
