"""The operations exercise on the Sarez M7.2 replay: incident → damage → RFA → partner offer →
acceptance of part → sitrep No. 1 as PDF, with every envelope written to a folder.

The partner is a **built-in simulator speaking the same exchange**: the outbox posts our envelopes
to it through an in-process HTTP transport (``httpx.MockTransport``); it checks our HMAC signature and
validates each envelope against the EDXL-DE schema exactly as a peer node does, and answers the RFA with
an offer envelope that it signs and that our inbox receives through :func:`exchange.receive` (the same
authentication, validation and quarantine as an envelope that arrived over the network). Two real
nodes exchanging over HTTP are tested in ``tests/apps/assistance/test_two_nodes.py``.

Status Exercise throughout (the incident comes from the replay, which issues Exercise alerts).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import httpx
from django.conf import settings
from django.utils import timezone

from hushdor.apps.accounts.roles import APPROVER, EDITOR, VIEWER
from hushdor.apps.accounts.services import operator_create
from hushdor.apps.assistance import exchange
from hushdor.apps.assistance.inbox import inbox_accept
from hushdor.apps.assistance.models import Offer, OfferState, OutboundEnvelope, Peer
from hushdor.apps.assistance.services import offer_decide, rfa_approve, rfa_circulate, rfa_create
from hushdor.apps.operations import sitreps
from hushdor.apps.operations.models import Incident
from hushdor.edxl import envelope as de
from hushdor.edxl import rm

PARTNER_NODE = "hushdor@partner.exercise"
PARTNER_NAME = "Partner nation (exercise simulator)"
PARTNER_URL = "http://partner.exercise.invalid/assistance/inbox"
LIAISON, COMMANDER = "demo-liaison", "demo-commander"

# District figures for the exercise: illustrative numbers, not reports of the 2015 event (which
# damaged houses in Rushon and Murghob but killed no one; see docs/operations-centre.md).
DAMAGE = (
    ("Rushon", {"affected": 4200, "injured": 37, "dead": 2, "displaced": 1650, "houses_damaged": 640,
                "houses_destroyed": 118, "schools_damaged": 3, "roads_blocked": 2}, "Rushon district hukumat"),
    ("Murghob", {"affected": 1300, "injured": 9, "displaced": 420, "houses_damaged": 210,
                 "houses_destroyed": 31, "bridges_damaged": 1}, "Murghob district CoES"),
    ("Vanj", {"affected": 600, "injured": 4, "houses_damaged": 95}, "Vanj district CoES"),
)
NEEDS = (
    {"category": "usar-medium", "name": "USAR team, medium (INSARAG)", "quantity": "1", "unit": "team",
     "where": "Barchadiv, Bartang valley"},
    {"category": "shelter", "name": "Winterised family tents", "quantity": "800", "unit": "tent", "where": "Rushon"},
    {"category": "water-purification", "name": "Water purification units (4,000 l/h)", "quantity": "4",
     "unit": "unit", "where": "Rushon and Murghob"},
)
# What the simulated partner offers per category, and which of its offers the stricken side accepts.
PARTNER_OFFERS = {"usar-medium": Decimal(1), "shelter": Decimal(500), "water-purification": Decimal(6)}
ACCEPT = {"usar-medium", "shelter"}


@dataclass
class ScenarioResult:
    incident: int = 0
    rfa: int = 0
    offers: int = 0
    accepted: int = 0
    sitreps: int = 0
    files: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "incident": self.incident,
            "rfa": self.rfa,
            "offers": self.offers,
            "accepted": self.accepted,
            "sitreps": self.sitreps,
            "files": self.files,
        }


class PartnerSimulator:
    """A partner node in-process: authenticates our posts, validates them, answers RFAs with offers."""

    def __init__(self, secret: str) -> None:
        self.secret = secret
        self.received: list[bytes] = []
        self.answers: list[bytes] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        body = request.content
        timestamp = int(request.headers.get("X-Hushdor-Timestamp", "0"))
        if exchange.signature(self.secret, timestamp, body) != request.headers.get("X-Hushdor-Signature"):
            return httpx.Response(401, json={"error": "the signature does not match"})
        envelope, findings = de.parse(body)
        if envelope is None:
            return httpx.Response(400, json={"error": "; ".join(f.message for f in findings)})
        self.received.append(body)
        message, _problems = rm.parse(envelope.payload) if b"EDXL:RM" in envelope.payload[:300] else (None, [])
        if message is not None and message.message_type == "RequestResource":
            self.answers.append(self._offer(envelope, message))
        return httpx.Response(202, json={"received": envelope.distribution_id, "state": "pending"})

    def _offer(self, envelope: de.Envelope, request: rm.ResourceMessage) -> bytes:
        sent = timezone.localtime().replace(microsecond=0)
        message_id = f"{PARTNER_NODE}/offer/{secrets.token_hex(4)}"
        items = tuple(
            rm.LineItem(
                item_id=f"{index}",
                name=item.name,
                category=item.category,
                quantity=PARTNER_OFFERS.get(item.category, item.quantity),
                unit=item.unit,
                description="self-sufficient for 10 days" if item.category.startswith("usar") else "",
                schedule_type="EstimatedArrival",
                schedule_time=sent + timedelta(hours=30),
                preceding_item_id=item.item_id,
                response_type="Accept",
            )
            for index, item in enumerate(request.items, start=1)
            if item.category in PARTNER_OFFERS
        )
        offer = rm.ResourceMessage(
            message_type="ResponseToRequestResource",
            message_id=message_id,
            sent=sent,
            incident=request.incident,
            originating_message_id=request.message_id,
            contact_role="RespondingOrg",
            contact=PARTNER_NAME,
            items=items,
        )
        return de.to_xml(
            de.Envelope(
                distribution_id=f"{message_id}/{int(sent.timestamp())}",
                sender_id=PARTNER_NODE,
                sent=sent,
                status=envelope.status,
                kind="Response",
                keywords=(("urn:hushdor:edxl:content", "ResponseToRequestResource"),),
                references=(envelope.reference(),),
                content_description="EDXL-RM ResponseToRequestResource (offer)",
                incident_id=envelope.incident_id,
                incident_description=request.incident,
                payload=rm.to_xml(offer),
            )
        )


def _sarez_incident() -> Incident | None:
    from hushdor.apps.monitoring.models import Origin
    from hushdor.apps.monitoring.services.quake_warning import event_alerts

    origin = Origin.objects.filter(agency_event_id="replaysarez2015").select_related("event").first()
    if origin is None:
        return None
    alerts = list(event_alerts(origin.event_id).values_list("pk", "lineage_root_id"))
    ids = {pk for pk, _root in alerts} | {root for _pk, root in alerts if root}
    return Incident.objects.filter(alert_chain_id__in=ids).order_by("pk").first()


def _users():
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    liaison = users.filter(username=LIAISON).first() or operator_create(
        username=LIAISON, roles=[VIEWER, EDITOR]
    )[0]
    commander = users.filter(username=COMMANDER).first() or operator_create(
        username=COMMANDER, roles=[VIEWER, EDITOR, APPROVER]
    )[0]
    return liaison, commander


def run_scenario(*, out: Path | None, progress=lambda text: None) -> ScenarioResult:
    """Run the whole exercise on this node's database; writes the envelopes and the PDF into ``out``."""
    from hushdor.apps.places.models import District

    incident = _sarez_incident()
    if incident is None:
        progress("replaying the past earthquakes to open the Sarez incident …")
        from hushdor.apps.monitoring.services.replay_run import replay_run

        replay_run(interval_s=0.0)
        incident = _sarez_incident()
    if incident is None:
        raise RuntimeError("the Sarez replay did not open an incident: is the warning policy switched off?")
    result = ScenarioResult(incident=incident.pk)
    liaison, commander = _users()
    files: list[Path] = []
    folder = out
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)

    def keep(name: str, data: bytes) -> None:
        if folder is not None:
            path = folder / name
            path.write_bytes(data)
            files.append(path)

    secret = secrets.token_urlsafe(24)
    peer = exchange.peer_save(node_id=PARTNER_NODE, name=PARTNER_NAME, inbox_url=PARTNER_URL, secret=secret)
    simulator = PartnerSimulator(secret)
    client = httpx.Client(transport=httpx.MockTransport(simulator.handle))

    progress("district figures …")
    for name, figures, source in DAMAGE:
        district = District.objects.filter(name__iexact=name).first()
        if district is not None:
            sitreps.damage_report(
                actor=liaison, incident=incident, district_code=district.code, figures=figures, source=source
            )

    progress("tasks and teams …")
    from hushdor.apps.operations import tasks as operations_tasks
    from hushdor.apps.operations.models import Team

    road = operations_tasks.task_create(
        actor=liaison, incident=incident, title="Clear the Bartang road to Barchadiv", assignee="CoES engineering unit",
        priority=1,
    )
    operations_tasks.task_create(
        actor=liaison, incident=incident, title="Open shelters for the displaced in Rushon", assignee="Rushon hukumat",
        priority=2, depends_on=[road],
    )
    team, _created = Team.objects.get_or_create(
        name="CoES rescue detachment, Khorog",
        defaults={"organisation": "CoES", "capabilities": "USAR light, first aid", "size": 24, "base": "Khorog"},
    )
    if team.deployed_to_id is None:
        operations_tasks.team_deploy(actor=liaison, team=team, incident=incident)

    progress("request for assistance …")
    rfa = rfa_create(
        actor=liaison,
        title=f"Request for international assistance — {incident.title}"[:300],
        needs=[dict(n) for n in NEEDS],
        incident=incident,
    )
    rfa_approve(actor=commander, request=rfa)
    rfa_data = rfa_circulate(request=rfa, exercise=True)
    keep(f"01-rfa-{rfa.pk}-request.xml", rfa_data)
    _send(client, peer)

    progress("the partner's offer …")
    for number, answer in enumerate(simulator.answers, start=1):
        keep(f"02-offer-{number}.xml", answer)
        received, _created = exchange.receive(
            headers=exchange.signed_headers(node_id=PARTNER_NODE, secret=secret, body=answer), body=answer
        )
        inbox_accept(actor=liaison, received=received)
    offers = list(Offer.objects.filter(need__request=rfa).select_related("need").order_by("pk"))
    result.offers = len(offers)
    for offer in offers:
        offer_decide(actor=commander, offer=offer, accept=offer.need.category in ACCEPT)
    result.accepted = Offer.objects.filter(need__request=rfa, state=OfferState.ACCEPTED).count()
    for row in OutboundEnvelope.objects.filter(peer=peer, content__in=["RequisitionResource", "ResponseToRequestResource"]).order_by("pk"):
        keep(f"03-decision-{row.pk}-{row.content}.xml", bytes(row.body))
    _send(client, peer)

    progress("situation report No. 1 …")
    draft = sitreps.sitrep_draft(actor=liaison, incident=incident, language=settings.LANGUAGE_CODE[:2])
    published = sitreps.sitrep_publish(actor=commander, sitrep=draft)
    keep(f"04-sitrep-{published.number}.pdf", bytes(published.pdf))
    keep(f"04-sitrep-{published.number}.xml", bytes(published.xml))
    for row in OutboundEnvelope.objects.filter(peer=peer, content=exchange.SITREP_CONTENT).order_by("pk"):
        keep(f"05-sitrep-{published.number}-envelope.xml", bytes(row.body))
    _send(client, peer)

    # The simulator lives only inside this run: switch its peer off so that the worker never posts to it.
    type(peer).objects.filter(pk=peer.pk).update(active=False)
    result.rfa = rfa.pk
    result.sitreps = incident.sitreps.filter(state="published").count()
    result.files = [str(path) for path in files]
    return result


def _send(client: httpx.Client, peer: Peer) -> None:
    """Post our outbox to the simulator now (the worker would within seconds)."""
    OutboundEnvelope.objects.filter(peer=peer, state__in=["queued", "retrying"]).update(next_attempt_at=timezone.now())
    exchange.dispatch(client=client, peer=peer)
