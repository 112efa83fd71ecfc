"""Atom 1.0 and RSS 2.0 index feeds of active CAP alerts, and a reader for other agencies' feeds.

Following Google Public Alerts ("Feed formats": Atom, RSS or EDXL-DE; ideally ≤ 100 KB, at most
900 KB — https://developers.google.com/public-alerts/reference/cap-requirements) and the WMO
alert-hub practice (one entry per active alert linking to its signed CAP XML):

* one entry/item per alert: title = headline, id/guid = identifier, updated/pubDate = sent,
  summary/description, author, and a link ``rel="alternate" type="application/cap+xml"`` to the
  absolute URL of the alert's XML (RSS: ``<link>``);
* if the feed would exceed ``max_bytes`` (900 KB), the oldest entries are dropped and counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime

from lxml import etree

from hushdor.cap.errors import FeedError
from hushdor.cap.safety import Limits, load_tree
from hushdor.cap.timefmt import format_cap_datetime, parse_cap_datetime

ATOM_NS = "http://www.w3.org/2005/Atom"
CAP_MIME = "application/cap+xml"
MAX_FEED_BYTES = 900 * 1000
_A = "{" + ATOM_NS + "}"


@dataclass(frozen=True, slots=True)
class FeedEntry:
    identifier: str
    headline: str
    sent: datetime
    url: str
    summary: str = ""
    author: str = ""


@dataclass(frozen=True, slots=True)
class FeedDocument:
    content: bytes
    included: int
    dropped: int


@dataclass(frozen=True, slots=True)
class FeedLink:
    identifier: str
    url: str
    updated: datetime | None
    title: str


def atom_feed(
    entries: Sequence[FeedEntry],
    *,
    feed_id: str,
    title: str,
    self_url: str,
    updated: datetime,
    author: str = "",
    max_bytes: int = MAX_FEED_BYTES,
) -> FeedDocument:
    def shell() -> etree._Element:
        feed = etree.Element(_A + "feed", nsmap={None: ATOM_NS})
        _sub(feed, _A + "id", feed_id)
        _sub(feed, _A + "title", title)
        _sub(feed, _A + "updated", format_cap_datetime(updated))
        if author:
            etree.SubElement(etree.SubElement(feed, _A + "author"), _A + "name").text = author
        etree.SubElement(feed, _A + "link", rel="self", href=self_url, type="application/atom+xml")
        return feed

    return _fit(entries, shell, lambda feed: feed, _atom_entry, max_bytes)


def rss_feed(
    entries: Sequence[FeedEntry],
    *,
    feed_id: str,
    title: str,
    self_url: str,
    updated: datetime,
    description: str = "Active CAP alerts",
    max_bytes: int = MAX_FEED_BYTES,
) -> FeedDocument:
    def shell() -> etree._Element:
        rss = etree.Element("rss", version="2.0", nsmap={"atom": ATOM_NS})
        channel = etree.SubElement(rss, "channel")
        _sub(channel, "title", title)
        _sub(channel, "link", feed_id)
        _sub(channel, "description", description)
        _sub(channel, "lastBuildDate", format_datetime(updated))
        etree.SubElement(channel, _A + "link", rel="self", href=self_url, type="application/rss+xml")
        return rss

    return _fit(entries, shell, lambda rss: rss[0], _rss_item, max_bytes)


def _atom_entry(entry: FeedEntry) -> etree._Element:
    element = etree.Element(_A + "entry", nsmap={None: ATOM_NS})
    _sub(element, _A + "id", entry.identifier)
    _sub(element, _A + "title", entry.headline)
    _sub(element, _A + "updated", format_cap_datetime(entry.sent))
    if entry.author:
        etree.SubElement(etree.SubElement(element, _A + "author"), _A + "name").text = entry.author
    if entry.summary:
        _sub(element, _A + "summary", entry.summary)
    etree.SubElement(element, _A + "link", rel="alternate", type=CAP_MIME, href=entry.url)
    return element


def _rss_item(entry: FeedEntry) -> etree._Element:
    item = etree.Element("item")
    _sub(item, "title", entry.headline)
    _sub(item, "link", entry.url)
    if entry.summary:
        _sub(item, "description", entry.summary)
    etree.SubElement(item, "guid", isPermaLink="false").text = entry.identifier
    _sub(item, "pubDate", format_datetime(entry.sent))
    if entry.author:
        _sub(item, "category", entry.author)
    return item


def _fit(entries, shell, container, build, max_bytes: int) -> FeedDocument:  # type: ignore[no-untyped-def]
    """Newest first; stop before the serialised feed would pass ``max_bytes``."""
    try:
        newest_first = sorted(entries, key=lambda entry: entry.sent, reverse=True)
        root = shell()
        size = len(_serialise(root))
        elements = []
        for entry in newest_first:
            element = build(entry)
            entry_size = _size_inside_feed(element)
            if size + entry_size > max_bytes:
                break
            size += entry_size
            elements.append(element)
        parent = container(root)
        for element in elements:
            parent.append(element)
        content = _serialise(root)
        while len(content) > max_bytes and elements:
            parent.remove(elements.pop())
            content = _serialise(root)
    except (ValueError, TypeError) as exc:
        raise FeedError(f"cannot build the feed: {exc}") from exc
    return FeedDocument(content=content, included=len(elements), dropped=len(newest_first) - len(elements))


def _size_inside_feed(element: etree._Element) -> int:
    """Serialised size once appended to the feed, where its Atom namespace declaration is inherited."""
    size = len(etree.tostring(element, encoding="UTF-8"))
    return size - len(f' xmlns="{ATOM_NS}"') if element.nsmap.get(None) == ATOM_NS else size


def _serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _sub(parent: etree._Element, tag: str, text: str) -> None:
    etree.SubElement(parent, tag).text = text


def parse_index_feed(data: bytes, *, max_bytes: int = 5 * 1024 * 1024) -> list[FeedLink]:
    """Links to CAP documents in an Atom or RSS index feed; raises :class:`FeedError` on bad input."""
    loaded = load_tree(data, Limits(max_bytes=max_bytes))
    if loaded.root is None:
        raise FeedError(f"the feed cannot be read: {loaded.findings[0].message}")
    root = loaded.root
    if root.tag == _A + "feed":
        return [link for entry in root.iterfind(_A + "entry") if (link := _atom_link(entry))]
    if root.tag == "rss" and root.find("channel") is not None:
        return [link for item in root.iterfind("channel/item") if (link := _rss_link(item))]
    raise FeedError(f"the document is neither an Atom feed nor RSS 2.0 (root element {root.tag!r})")


def _atom_link(entry: etree._Element) -> FeedLink | None:
    links = entry.findall(_A + "link")
    chosen = next((link for link in links if link.get("type") == CAP_MIME), None)
    if chosen is None:
        chosen = next((link for link in links if link.get("rel", "alternate") == "alternate"), None)
    if chosen is None or not chosen.get("href"):
        return None
    updated, _ = parse_cap_datetime(entry.findtext(_A + "updated", "").strip())
    return FeedLink(
        identifier=entry.findtext(_A + "id", "").strip(),
        url=chosen.get("href", "").strip(),
        updated=updated,
        title=entry.findtext(_A + "title", "").strip(),
    )


def _rss_link(item: etree._Element) -> FeedLink | None:
    enclosure = item.find("enclosure")
    url = (item.findtext("link") or "").strip()
    if enclosure is not None and enclosure.get("type") == CAP_MIME and enclosure.get("url"):
        url = enclosure.get("url", "").strip()
    if not url:
        return None
    return FeedLink(
        identifier=(item.findtext("guid") or url).strip(),
        url=url,
        updated=_rfc822(item.findtext("pubDate")),
        title=(item.findtext("title") or "").strip(),
    )


def _rfc822(text: str | None) -> datetime | None:
    from email.utils import parsedate_to_datetime

    if not text:
        return None
    try:
        moment = parsedate_to_datetime(text.strip())
    except (TypeError, ValueError):
        return None
    return moment if moment.utcoffset() is not None else None
