"""Property: model → XML → model is the identity, and every generated alert is valid CAP."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from hushdor.cap import model as cap
from hushdor.cap.identifiers import new_identifier
from hushdor.cap.schema import cap_schema
from hushdor.cap.validation import ValidationContext, validate
from hushdor.cap.xml import parse, to_xml

LATIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
RUSSIAN = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЭЮЯ"
TAJIK = "абвгғдеёжзиӣйкқлмнопрстуӯфхҳчҷшъэюяҒҚҲҶӮӢ"
SCRIPTS = {"en": LATIN, "ru": RUSSIAN, "tg": TAJIK}
UNKNOWN_FREE = {
    "urgency": [u for u in cap.Urgency if u is not cap.Urgency.UNKNOWN],
    "severity": [s for s in cap.Severity if s is not cap.Severity.UNKNOWN],
    "certainty": [c for c in cap.Certainty if c is not cap.Certainty.UNKNOWN],
}

offsets = st.integers(min_value=-12 * 4, max_value=14 * 4).map(lambda q: timezone(timedelta(minutes=15 * q)))
moments = st.builds(
    lambda base, tz: base.replace(tzinfo=UTC).astimezone(tz),
    st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2090, 1, 1)).map(
        lambda d: d.replace(microsecond=0)
    ),
    offsets,
)
free_text = (
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cn", "Co")),
        min_size=1,
        max_size=25,
    )
    .map(str.strip)
    .filter(bool)
)
token = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_.:", min_size=1, max_size=12)
pairs = st.lists(st.builds(cap.ValuePair, value_name=token, value=free_text), max_size=3).map(tuple)


def words(language: str) -> st.SearchStrategy[str]:
    word = st.text(alphabet=SCRIPTS[language], min_size=2, max_size=9)
    return st.lists(word, min_size=1, max_size=12).map(" ".join)


@st.composite
def polygons(draw: st.DrawFn) -> cap.Polygon:
    lat = draw(st.floats(min_value=-60, max_value=60))
    lon = draw(st.floats(min_value=-170, max_value=170))
    radius = draw(st.floats(min_value=0.01, max_value=2))
    count = draw(st.integers(min_value=3, max_value=30))
    ring = [
        (
            round(lat + radius * math.sin(2 * math.pi * k / count), 5),
            round(lon + radius * math.cos(2 * math.pi * k / count), 5),
        )
        for k in range(count)
    ]
    return cap.Polygon((*ring, ring[0]))


circles = st.builds(
    cap.Circle,
    center=st.tuples(st.floats(min_value=-90, max_value=90), st.floats(min_value=-180, max_value=180)),
    radius_km=st.floats(min_value=0.001, max_value=500),
)
areas = st.builds(
    cap.Area,
    area_desc=free_text,
    polygons=st.lists(polygons(), max_size=2).map(tuple),
    circles=st.lists(circles, max_size=2).map(tuple),
    geocodes=pairs.filter(bool),
    altitude=st.none() | st.floats(min_value=-500, max_value=9000),
    ceiling=st.none() | st.floats(min_value=0, max_value=30000),
)
resources = st.builds(
    cap.Resource,
    resource_desc=free_text,
    mime_type=st.sampled_from(["image/png", "application/pdf"]),
    size=st.none() | st.integers(min_value=0, max_value=10**9),
    uri=st.none() | token.map(lambda t: f"https://example.tj/{t}"),
    digest=st.none() | st.text(alphabet="0123456789abcdef", min_size=40, max_size=40),
)


@st.composite
def infos(draw: st.DrawFn, sent: datetime) -> cap.Info:
    language = draw(st.sampled_from(["en", "ru", "tg"]))
    effective = sent + timedelta(minutes=draw(st.integers(0, 600)))
    onset = sent + timedelta(minutes=draw(st.integers(0, 600)))
    expires = max(effective, onset) + timedelta(minutes=draw(st.integers(1, 5000)))
    return cap.Info(
        language=language,
        categories=tuple(
            draw(st.lists(st.sampled_from(list(cap.Category)), min_size=1, max_size=3, unique=True))
        ),
        event=draw(words(language)).strip()[:30].strip() or "x",
        response_types=tuple(
            draw(st.lists(st.sampled_from(list(cap.ResponseType)), max_size=2, unique=True))
        ),
        urgency=draw(st.sampled_from(UNKNOWN_FREE["urgency"])),
        severity=draw(st.sampled_from(UNKNOWN_FREE["severity"])),
        certainty=draw(st.sampled_from(UNKNOWN_FREE["certainty"])),
        audience=draw(st.none() | free_text),
        event_codes=draw(pairs),
        effective=effective,
        onset=onset,
        expires=expires,
        sender_name=draw(st.none() | free_text),
        headline=draw(words(language)),
        description=draw(words(language)),
        instruction=draw(st.none() | words(language)),
        web=draw(st.none() | token.map(lambda t: f"https://khf.tj/a/{t}")),
        contact=draw(st.none() | free_text),
        parameters=draw(pairs),
        resources=tuple(draw(st.lists(resources, max_size=2))),
        areas=tuple(draw(st.lists(areas, min_size=1, max_size=2))),
    )


@st.composite
def alerts(draw: st.DrawFn) -> cap.Alert:
    sent = draw(moments)
    msg_type = draw(st.sampled_from([cap.MsgType.ALERT, cap.MsgType.UPDATE, cap.MsgType.CANCEL]))
    references = ()
    if msg_type is not cap.MsgType.ALERT:
        references = tuple(
            draw(
                st.lists(
                    st.builds(
                        cap.Reference,
                        sender=st.just("cap@khf.tj"),
                        identifier=st.integers(1, 10**6).map(lambda n: f"urn:oid:2.49.0.1.762.1.{n}"),
                        sent=st.integers(1, 10**6).map(lambda s: sent - timedelta(seconds=s)),
                    ),
                    min_size=1,
                    max_size=3,
                )
            )
        )
    return cap.Alert(
        identifier=new_identifier(draw(st.integers(0, 99)), sent=sent, sequence=draw(st.integers(0, 999))),
        sender=draw(st.from_regex(r"[a-z]{1,8}@[a-z]{1,8}\.tj", fullmatch=True)),
        sent=sent,
        status=draw(st.sampled_from(list(cap.Status))),
        msg_type=msg_type,
        scope=cap.Scope.PUBLIC,
        source=draw(st.none() | free_text),
        addresses=tuple(draw(st.lists(st.lists(token, min_size=1, max_size=2).map(" ".join), max_size=3))),
        codes=tuple(draw(st.lists(token, max_size=2))),
        note=draw(st.none() | free_text),
        references=references,
        incidents=tuple(draw(st.lists(token, max_size=2))),
        infos=tuple(draw(st.lists(infos(sent), min_size=1, max_size=3))),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(alerts())
def test_model_to_xml_to_model_is_the_identity(alert: cap.Alert) -> None:
    result = parse(to_xml(alert))
    assert result.findings == ()
    assert result.alert == alert


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(alerts())
def test_every_generated_alert_is_schema_valid_and_passes_the_semantic_rules(alert: cap.Alert) -> None:
    document = to_xml(alert)
    assert cap_schema().validate(etree.fromstring(document))
    errors = [f for f in validate(document, rules=ValidationContext(now=alert.sent)) if f.severity == "error"]
    assert errors == []


def test_the_writer_follows_the_schema_order_and_never_writes_z() -> None:
    sent = datetime(2025, 7, 7, 9, 0, tzinfo=UTC)
    alert = cap.Alert(
        identifier=new_identifier(1, sent=sent),
        sender="cap@khf.tj",
        sent=sent,
        status=cap.Status.ACTUAL,
        msg_type=cap.MsgType.ALERT,
        scope=cap.Scope.PUBLIC,
        source="hushdor",
        codes=("a",),
        note="n",
    )
    document = to_xml(alert)
    assert document.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert b"<sent>2025-07-07T09:00:00+00:00</sent>" in document
    tags = [etree.QName(el).localname for el in etree.fromstring(document)]
    assert tags == ["identifier", "sender", "sent", "status", "msgType", "source", "scope", "code", "note"]
