"""EDXL-DE envelopes carrying EDXL-RM messages: schema-valid, read back unchanged, hostile input refused."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from importlib import resources

import pytest
from lxml import etree

from hushdor.edxl import envelope as de
from hushdor.edxl import rm

DUSHANBE = timezone(timedelta(hours=5))
SENT = datetime(2026, 12, 4, 9, 30, tzinfo=DUSHANBE)


def request() -> rm.ResourceMessage:
    return rm.ResourceMessage(
        message_type="RequestResource",
        message_id="coes.tj/rfa/2026-7",
        sent=SENT,
        incident="Earthquake M7.2, Sarez, GBAO (exercise)",
        contact_role="Requester",
        contact="CoES duty officer, +992 37 000 00 00",
        items=(
            rm.LineItem("1", "USAR team, heavy", "usar-heavy", Decimal(1), "team", "INSARAG-classified",
                        "RequestedArrival", SENT + timedelta(hours=24), "Khorog airport"),
            rm.LineItem("2", "Family tents", "shelter", Decimal(2000), "piece", schedule_type="RequestedArrival",
                        schedule_time=SENT + timedelta(hours=72), location="Rushan"),
            rm.LineItem("3", "Water purification unit", "water-purification", Decimal("4"), "unit"),
        ),
    )


def wrapped(message: rm.ResourceMessage, kind: str = "Request") -> de.Envelope:
    return de.Envelope(
        distribution_id=f"{message.message_id}/de",
        sender_id="coes@hushdor.tj",
        sent=SENT,
        status="Exercise",
        kind=kind,
        language="en",
        keywords=(("urn:hushdor:edxl:content", message.message_type),),
        countries=("TJ",),
        subdivisions=("TJ-GB",),
        content_description="EDXL-RM " + message.message_type,
        incident_id="coes.tj/incident/41",
        incident_description="Sarez M7.2",
        payload=rm.to_xml(message),
    )


def test_the_packaged_schema_is_the_copy_its_readme_describes():
    data = resources.files("hushdor.edxl").joinpath("schema", "edxl-de-v1.0.xsd").read_bytes()
    assert hashlib.sha256(data).hexdigest() == "4000180d75aa6e05a3801f42f178c3e0d84c54ebb181ff2ef6fbb969e026b227"


def test_a_request_for_assistance_travels_as_a_schema_valid_envelope_and_reads_back_unchanged():
    envelope = wrapped(request())
    xml = de.to_xml(envelope)
    root = etree.fromstring(xml)
    assert de.schema().validate(root), de.schema().error_log
    read, findings = de.parse(xml)
    assert findings == [] and read == replace(envelope, payload=read.payload)
    message, problems = rm.parse(read.payload)
    assert problems == [] and message == request()
    assert [item.quantity for item in message.items] == [Decimal(1), Decimal(2000), Decimal(4)]


def test_an_offer_and_an_acceptance_point_at_the_request_and_its_lines():
    offer = rm.ResourceMessage(
        message_type="ResponseToRequestResource",
        message_id="partner.example/offer/1",
        sent=SENT + timedelta(hours=3),
        incident="Earthquake M7.2, Sarez",
        originating_message_id="coes.tj/rfa/2026-7",
        contact_role="RespondingOrg",
        items=(rm.LineItem("o1", "Family tents", "shelter", Decimal(1200), "piece", preceding_item_id="2",
                           response_type="Provisional", reason="self-sufficient 14 days"),),
    )
    envelope = replace(wrapped(offer, "Response"), sender_id="eadrcc@partner.example",
                       references=(wrapped(request()).reference(),))
    read, findings = de.parse(de.to_xml(envelope))
    assert findings == [] and read.references == (wrapped(request()).reference(),)
    message, _ = rm.parse(read.payload)
    assert (message.originating_message_id, message.items[0].preceding_item_id, message.items[0].response_type) == (
        "coes.tj/rfa/2026-7", "2", "Provisional"
    )


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>', "xml.doctype"),
        (b"<EDXLDistribution", "xml.malformed"),
        (b"<a xmlns='urn:other'/>", "edxl.root"),
        (b"", "xml.empty"),
    ],
)
def test_hostile_or_broken_envelopes_are_refused_with_a_reason(data, code):
    envelope, findings = de.parse(data)
    assert envelope is None and [f.code for f in findings] == [code]


def test_an_envelope_over_the_size_limit_is_refused_before_parsing():
    big = de.to_xml(wrapped(request())).replace(b"Sarez M7.2", b"S" * (3 * 1024 * 1024))
    envelope, findings = de.parse(big)
    assert envelope is None and findings[0].code == "xml.too_large"


def test_an_envelope_the_schema_refuses_names_the_problem():
    xml = de.to_xml(wrapped(request())).replace(b"<distributionType>Request</distributionType>",
                                                 b"<distributionType>Please</distributionType>")
    envelope, findings = de.parse(xml)
    assert envelope is None and findings and findings[0].code == "edxl.schema" and "Please" in findings[0].message


def test_writing_a_wrong_envelope_is_refused():
    with pytest.raises(ValueError, match="unknown"):
        de.to_xml(replace(wrapped(request()), kind="Please"))
    with pytest.raises(ValueError, match="time zone"):
        de.to_xml(replace(wrapped(request()), sent=datetime(2026, 12, 4, 9, 30)))


def test_a_resource_message_with_a_bad_line_names_the_line():
    xml = rm.to_xml(request()).replace(b"<rm:Amount>2000</rm:Amount>", b"<rm:Amount>lots</rm:Amount>")
    message, findings = rm.parse(xml)
    assert message is None and [f.message for f in findings] == ["ResourceInformation 2: Amount is not a number"]
    negative = rm.to_xml(request()).replace(b"<rm:Amount>4</rm:Amount>", b"<rm:Amount>-4</rm:Amount>")
    assert rm.parse(negative)[1][0].code == "rm.quantity"
    unknown = rm.to_xml(request()).replace(b"rm:RequestResource", b"rm:RequestPizza")
    assert rm.parse(unknown)[1][0].code == "rm.root"


def test_times_keep_their_zone_through_the_round_trip():
    message, _ = rm.parse(rm.to_xml(request()))
    assert message.sent == SENT and message.sent.utcoffset() == timedelta(hours=5)
    assert message.items[0].schedule_time.astimezone(UTC) == (SENT + timedelta(hours=24)).astimezone(UTC)
