"""Two live Hushdor nodes exchange an RFA, an offer, an acceptance and a sitrep over HTTP.

Node A (the stricken nation, CoES Tajikistan) is pytest-django's live server on the test database;
node B (a partner nation) is a second Hushdor — `hushdor run --no-worker` (gunicorn) on another port
with its own SQLite database and its own node ID — driven by its command line, as its liaison officer
would. Every envelope crosses real HTTP with HMAC authentication, lands in the receiver's quarantine,
and is applied only when an officer of the receiving node accepts it. Each envelope on the way is
checked against the EDXL-DE 1.0 schema.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from decimal import Decimal

import httpx
import pytest

from hushdor.apps.accounts.services import operator_create
from hushdor.apps.assistance import exchange
from hushdor.apps.assistance.inbox import inbox_accept
from hushdor.apps.assistance.models import (
    AssistanceRequest,
    Offer,
    OfferState,
    OutboundEnvelope,
    ReceivedEnvelope,
)
from hushdor.apps.assistance.services import offer_decide, rfa_approve, rfa_circulate, rfa_create
from hushdor.apps.operations import sitreps
from hushdor.apps.operations.services import incident_open
from hushdor.apps.places.services import places_load_bundled
from hushdor.edxl import envelope as de

pytestmark = pytest.mark.django_db(transaction=True)

NODE_A, NODE_B = "hushdor@coes.tj", "hushdor@partner.example"
KEY = "two-nodes-share-this-key-0123456789"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def node_b(tmp_path, live_server):
    port = _free_port()
    env = {
        **os.environ,
        "HUSHDOR_DATABASE_URL": f"sqlite:///{tmp_path / 'node-b.sqlite3'}",
        "HUSHDOR_VAR_DIR": str(tmp_path / "var-b"),
        "HUSHDOR_NODE_ID": NODE_B,
        "HUSHDOR_NODE_NAME": "Partner nation (node B)",
        "HUSHDOR_CAP_SENDER": "partner.example",
        "HUSHDOR_PEER_KEY": KEY,
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)

    def hushdor(*args: str, check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [sys.executable, "-m", "hushdor.cli", *args], env=env, capture_output=True, text=True, timeout=180
        )
        if check and done.returncode != 0:
            raise AssertionError(f"node B: hushdor {' '.join(args)} failed: {done.stderr}")
        return done

    hushdor("migrate", "--noinput", "-v", "0")
    hushdor("createoperator", "farid", "--role", "editor", "--password", "partner-liaison-pass")
    hushdor(
        "assistance", "peer", NODE_A, "--name", "CoES Tajikistan (node A)",
        "--url", f"{live_server.url}/assistance/inbox", "--secret-env", "HUSHDOR_PEER_KEY",
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "hushdor.cli", "run", "--no-worker", "--web-workers", "1", "--bind", f"127.0.0.1:{port}"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.3)
    else:
        server.kill()
        raise AssertionError(f"node B did not start: {server.stderr.read().decode()[-2000:]}")
    yield url, hushdor
    server.terminate()
    server.wait(timeout=15)


def _valid(data: bytes) -> de.Envelope:
    envelope, findings = de.parse(data)
    assert findings == [], findings
    return envelope


def test_two_nodes_exchange_rfa_offer_acceptance_and_sitrep(node_b, settings):
    url_b, node_b_cli = node_b
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    places_load_bundled()
    liaison, _ = operator_create(username="lola", password="correct-horse-battery", roles=["editor"])
    commander, _ = operator_create(username="bahrom", password="correct-horse-battery", roles=["approver"])
    exchange.peer_save(node_id=NODE_B, name="Partner nation (node B)", inbox_url=f"{url_b}/assistance/inbox", secret=KEY)

    # Node A: the incident, figures, and a request for assistance, approved by a second person.
    incident = incident_open(title="Earthquake M7.2, Sarez (exercise)", hazard="earthquake")
    sitreps.damage_report(
        actor=liaison, incident=incident, district_code="TJ-GB-RUSHON",
        figures={"injured": 37, "displaced": 1650}, source="Rushon hukumat",
    )
    rfa = rfa_create(
        actor=liaison, title="Sarez M7.2: USAR and shelter", incident=incident,
        needs=[
            {"category": "usar-medium", "name": "USAR team, medium", "quantity": 1, "unit": "team"},
            {"category": "shelter", "name": "Family tents", "quantity": 800, "unit": "tent"},
        ],
    )
    rfa_approve(actor=commander, request=rfa)
    rfa_circulate(request=rfa)
    _valid(bytes(OutboundEnvelope.objects.get(content="RequestResource").body))
    assert exchange.dispatch().delivered == 1  # A → B over HTTP

    # Node B: the request waits in quarantine until its liaison officer accepts it.
    inbox = json.loads(node_b_cli("assistance", "inbox", "--json").stdout)
    assert [row["content"] for row in inbox["pending"]] == ["RequestResource"]
    accepted = json.loads(node_b_cli("assistance", "inbox", "--json", "--accept-all", "--user", "farid").stdout)
    assert accepted["decided"][0]["state"] == "accepted", accepted
    node_b_cli("assistance", "offer", "1", "--line", "2", "--quantity", "500", "--user", "farid",
               "--conditions", "arrive in 48 h")
    node_b_cli("assistance", "offer", "1", "--line", "1", "--quantity", "1", "--user", "farid")
    sent = json.loads(node_b_cli("assistance", "send", "--json").stdout)
    assert sent == {"delivered": 2, "retrying": 0, "dead": 0}  # B → A over HTTP

    # Node A: the offers are in quarantine; the liaison accepts them; the commander accepts one offer.
    pending = list(ReceivedEnvelope.objects.filter(state="pending").order_by("pk"))
    assert [row.content for row in pending] == ["ResponseToRequestResource"] * 2
    for row in pending:
        assert row.peer.node_id == NODE_B
        _valid(bytes(row.raw))
        inbox_accept(actor=liaison, received=row)
    offers = {offer.need.category: offer for offer in Offer.objects.select_related("need")}
    assert offers["shelter"].quantity == Decimal(500) and offers["shelter"].conditions == "arrive in 48 h"
    assert offers["shelter"].source_node == NODE_B
    offer_decide(actor=commander, offer=offers["shelter"], accept=True)
    offer_decide(actor=commander, offer=offers["usar-medium"], accept=False)
    assert AssistanceRequest.objects.get(pk=rfa.pk).state == "partially_met"

    # Sitrep No. 1: drafted, published by the second person, sent with the decisions.
    draft = sitreps.sitrep_draft(actor=liaison, incident=incident)
    published = sitreps.sitrep_publish(actor=commander, sitrep=draft)
    assert bytes(published.pdf).startswith(b"%PDF-")
    for row in OutboundEnvelope.objects.filter(state="queued"):
        _valid(bytes(row.body))
    assert exchange.dispatch().delivered == 3  # acceptance, decline, sitrep: A → B

    # Node B applies them: its offer is accepted, the other declined, the sitrep is on file.
    decided = json.loads(node_b_cli("assistance", "inbox", "--json", "--accept-all", "--user", "farid").stdout)
    states = sorted((row["content"], row["state"]) for row in decided["decided"])
    assert states == [
        ("RequisitionResource", "accepted"),
        ("ResponseToRequestResource", "accepted"),
        ("SitRep", "accepted"),
    ], decided
    notes = " ".join(row["note"] for row in decided["decided"])
    assert "accepted by hushdor@coes.tj" in notes and "declined by hushdor@coes.tj" in notes
    assert "situation report filed" in notes

    # Nothing is left undelivered on either side, and a resend would be a harmless duplicate.
    assert not OutboundEnvelope.objects.exclude(state="delivered").exists()
    row = OutboundEnvelope.objects.get(content="SitRep")
    body = bytes(row.body)
    again = httpx.post(
        f"{url_b}/assistance/inbox", content=body,
        headers=exchange.signed_headers(node_id=NODE_A, secret=KEY, body=body),
    )
    assert again.status_code == 200 and again.json()["state"] == "duplicate"
    assert Offer.objects.get(pk=offers["shelter"].pk).state == OfferState.ACCEPTED
