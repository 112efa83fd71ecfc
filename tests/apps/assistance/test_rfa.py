"""Requests for assistance: two-person approval, EDXL export that validates, quarantine, offers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from lxml import etree

from hushdor.apps.accounts.services import operator_create
from hushdor.apps.assistance.inbox import envelope_receive
from hushdor.apps.assistance.models import ReceivedEnvelope, RfaState
from hushdor.apps.assistance.services import (
    AssistanceError,
    offer_decide,
    offer_record,
    outstanding,
    rfa_approve,
    rfa_create,
    rfa_export,
)
from hushdor.edxl import envelope as de
from hushdor.edxl import rm

pytestmark = pytest.mark.django_db

NEEDS = [
    {"category": "usar-heavy", "name": "USAR team, heavy", "quantity": 1, "unit": "team", "where": "Khorog airport"},
    {"category": "shelter", "name": "Family tents", "quantity": 2000, "unit": "piece", "where": "Rushan"},
    {"category": "water-purification", "name": "Water purification unit", "quantity": 4, "unit": "unit"},
]


@pytest.fixture
def people(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    liaison, _ = operator_create(username="lola", password="correct-horse-battery", roles=["editor", "approver"])
    second, _ = operator_create(username="bahrom", password="correct-horse-battery", roles=["approver"])
    return liaison, second


def approved(people):
    liaison, second = people
    request = rfa_create(actor=liaison, title="Earthquake M7.2, Sarez (exercise)", needs=NEEDS)
    return rfa_approve(actor=second, request=request)


def test_the_author_cannot_approve_her_own_request(people):
    liaison, _ = people
    request = rfa_create(actor=liaison, title="Sarez", needs=NEEDS)
    with pytest.raises(AssistanceError, match="two-person rule"):
        rfa_approve(actor=liaison, request=request)
    with pytest.raises(AssistanceError, match="approved first"):
        rfa_export(request=request)


def test_bad_line_items_are_refused_naming_the_line(people):
    with pytest.raises(AssistanceError, match="line 2: category 'pizza'"):
        rfa_create(actor=people[0], title="x", needs=[NEEDS[0], {"category": "pizza", "quantity": 1}])
    with pytest.raises(AssistanceError, match="line 1: the quantity"):
        rfa_create(actor=people[0], title="x", needs=[{"category": "shelter", "quantity": -5}])


def test_an_approved_request_exports_as_a_valid_envelope_and_is_circulated(people, tmp_path):
    request = approved(people)
    call_command("assistance", "export", str(request.pk), "--out", str(tmp_path), "--exercise")
    (path,) = tmp_path.iterdir()
    data = path.read_bytes()
    assert de.schema().validate(etree.fromstring(data))
    envelope, findings = de.parse(data)
    assert findings == [] and (envelope.kind, envelope.status) == ("Request", "Exercise")
    message, _ = rm.parse(envelope.payload)
    assert message.message_type == "RequestResource"
    assert [(i.category, i.quantity) for i in message.items] == [
        ("usar-heavy", Decimal(1)), ("shelter", Decimal(2000)), ("water-purification", Decimal(4))
    ]
    request.refresh_from_db()
    assert request.state == RfaState.CIRCULATED


def test_a_received_envelope_is_held_and_a_replay_refused(people, tmp_path):
    data = rfa_export(request=approved(people))
    held = envelope_receive(data=data)
    assert held.state == "pending" and ReceivedEnvelope.objects.count() == 1
    with pytest.raises(AssistanceError, match="replay"):
        envelope_receive(data=data)
    forged = data.replace(b"<distributionStatus>Actual", b"<distributionStatus>Maybe")
    with pytest.raises(AssistanceError, match=r"edxl\.schema"):
        envelope_receive(data=forged)
    path = tmp_path / "xxe.xml"
    path.write_bytes(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>')
    with pytest.raises(CommandError, match=r"xml\.doctype"):
        call_command("assistance", "import", str(path))


def test_offers_flag_oversupply_and_only_the_requesting_side_accepts(people):
    _liaison, second = people
    request = approved(people)
    rfa_export(request=request)
    tents = request.needs.get(category="shelter")
    first = offer_record(need=tents, partner="Partner A", quantity=Decimal(1500))
    second_offer = offer_record(need=tents, partner="Partner B", quantity=Decimal(800))
    assert not first.oversupplied and second_offer.oversupplied
    coordinator, _ = operator_create(username="eadrcc", password="correct-horse-battery", roles=["viewer"])
    with pytest.raises(AssistanceError, match="only an approver"):
        offer_decide(actor=coordinator, offer=first.offer, accept=True)
    offer_decide(actor=second, offer=first.offer, accept=True)
    offer_decide(actor=second, offer=second_offer.offer, accept=False)
    request.refresh_from_db()
    assert request.state == RfaState.PARTIALLY_MET
    board = {row["need"]: row for row in outstanding(request=request)}
    assert board["Family tents"]["outstanding"] == Decimal(500) and board["Family tents"]["accepted"] == Decimal(1500)


def test_a_closed_request_takes_no_offers(people):
    request = approved(people)
    request.state = RfaState.CLOSED
    request.save()
    with pytest.raises(AssistanceError, match="closed"):
        offer_record(need=request.needs.first(), partner="Late partner", quantity=Decimal(1))
