"""Ingestion: valid, invalid → quarantine, badly signed → quarantine, duplicates, update/cancel chains,
and the feed poller (conditional GET, backoff, health) against a fake transport."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from django.core.management import call_command
from django.utils import timezone

from hushdor.apps.alerts.models import CapFeedSource, ExternalAlert, QuarantinedAlert
from hushdor.apps.alerts.services.feeds import cap_feeds_poll_due
from hushdor.apps.alerts.services.ingest import cap_ingest
from hushdor.cap import model as cap
from hushdor.cap.feeds import FeedEntry, atom_feed
from hushdor.cap.signing import generate_self_signed, sign
from hushdor.cap.xml import to_xml

pytestmark = pytest.mark.django_db
SENDER = "meteo.example.kz"


def foreign(
    identifier: str,
    *,
    minutes: int = 0,
    msg_type: str = "Alert",
    references=(),
    hours: float = 6,
    urgency: str = "Expected",
) -> bytes:
    sent = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1) + timedelta(minutes=minutes)
    info = cap.Info(
        categories=(cap.Category.MET,),
        event="Heavy snow",
        urgency=cap.Urgency(urgency),
        severity=cap.Severity.SEVERE,
        certainty=cap.Certainty.LIKELY,
        language="en",
        headline="Heavy snow in the Almaty region",
        expires=sent + timedelta(hours=hours),
        areas=(cap.Area(area_desc="Almaty region", geocodes=(cap.ValuePair("ISO3166-2", "KZ-19"),)),),
    )
    alert = cap.Alert(
        identifier=identifier,
        sender=SENDER,
        sent=sent,
        status=cap.Status.ACTUAL,
        msg_type=cap.MsgType(msg_type),
        scope=cap.Scope.PUBLIC,
        references=tuple(references),
        infos=(info,),
    )
    return to_xml(alert)


def reference_to(xml: bytes) -> cap.Reference:
    from hushdor.cap.xml import parse

    alert = parse(xml).alert
    return cap.Reference(sender=alert.sender, identifier=alert.identifier, sent=alert.sent)


def test_a_valid_foreign_alert_is_accepted():
    result = cap_ingest(foreign("KZ-1"), source="test")
    assert result.outcome == "accepted"
    assert result.external.state == "active" and result.external.signature == "unsigned"
    assert result.external.headline == "Heavy snow in the Almaty region"


def test_an_invalid_alert_is_quarantined_with_findings():
    result = cap_ingest(foreign("KZ-2", urgency="Unknown"), source="test")
    assert result.outcome == "quarantined" and ExternalAlert.objects.count() == 0
    row = QuarantinedAlert.objects.get()
    assert "urgency.unknown" in {finding["code"] for finding in row.findings}
    assert row.identifier == "KZ-2"


def test_garbage_is_quarantined_not_raised():
    result = cap_ingest(b"<html>not cap</html>", source="test")
    assert result.outcome == "quarantined" and result.quarantined.findings


def test_a_tampered_signed_alert_is_quarantined_and_an_intact_one_accepted():
    key_pem, cert_pem = generate_self_signed("meteo.example.kz")
    signed = sign(foreign("KZ-3"), key_pem, cert_pem)
    assert cap_ingest(signed, source="test").external.signature == "intact"
    tampered = sign(foreign("KZ-4"), key_pem, cert_pem).replace(b"Heavy snow in", b"Light snow in")
    result = cap_ingest(tampered, source="test")
    assert result.outcome == "quarantined"
    assert "signature.invalid" in {finding.code for finding in result.findings}


def test_a_duplicate_is_ignored():
    xml = foreign("KZ-5")
    assert cap_ingest(xml, source="a").outcome == "accepted"
    assert cap_ingest(xml, source="b").outcome == "duplicate"
    assert ExternalAlert.objects.count() == 1


def test_update_then_cancel_resolve_to_one_current_state():
    original = foreign("KZ-6")
    update = foreign("KZ-7", minutes=5, msg_type="Update", references=[reference_to(original)])
    cancel = foreign(
        "KZ-8", minutes=10, msg_type="Cancel", references=[reference_to(original), reference_to(update)]
    )
    for xml in (original, update, cancel):
        assert cap_ingest(xml, source="test").outcome == "accepted"
    states = dict(ExternalAlert.objects.values_list("identifier", "state"))
    assert states == {"KZ-6": "cancelled", "KZ-7": "cancelled", "KZ-8": "active"}


def test_an_update_arriving_before_its_original_still_retires_it():
    original = foreign("KZ-9")
    update = foreign("KZ-10", minutes=5, msg_type="Update", references=[reference_to(original)])
    cap_ingest(update, source="test")
    cap_ingest(original, source="test")
    assert ExternalAlert.objects.get(identifier="KZ-9").state == "updated"


def _feed(urls: dict[str, bytes]) -> bytes:
    entries = [
        FeedEntry(
            identifier=identifier,
            headline="Heavy snow",
            sent=timezone.now(),
            url=f"https://meteo.example.kz/cap/{identifier}.xml",
        )
        for identifier in urls
    ]
    return atom_feed(
        entries,
        feed_id="https://meteo.example.kz/",
        title="KZ",
        updated=timezone.now(),
        self_url="https://meteo.example.kz/feed.atom",
    ).content


def test_the_poller_ingests_new_alerts_and_uses_conditional_get():
    documents = {"KZ-11": foreign("KZ-11"), "KZ-12": foreign("KZ-12")}
    seen_headers = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/feed.atom":
            seen_headers.append(request.headers.get("If-None-Match"))
            if request.headers.get("If-None-Match") == '"v1"':
                return httpx.Response(304)
            return httpx.Response(200, content=_feed(documents), headers={"ETag": '"v1"'})
        return httpx.Response(200, content=documents[request.url.path.split("/")[-1].removesuffix(".xml")])

    source = CapFeedSource.objects.create(name="KZ", url="https://meteo.example.kz/feed.atom")
    client = httpx.Client(transport=httpx.MockTransport(handler))
    now = timezone.now()
    assert "2 alert(s) accepted" in cap_feeds_poll_due(now=now, client=client)
    source.refresh_from_db()
    assert source.etag == '"v1"' and source.last_success_at == now and source.consecutive_failures == 0
    assert "0 feed(s)" in cap_feeds_poll_due(now=now + timedelta(seconds=10), client=client)  # not due yet
    cap_feeds_poll_due(now=now + timedelta(seconds=source.poll_interval_s), client=client)
    assert seen_headers == [None, '"v1"']
    assert ExternalAlert.objects.count() == 2


def test_the_poller_backs_off_exponentially_and_records_the_error():
    source = CapFeedSource.objects.create(
        name="down", url="https://down.example/feed.atom", poll_interval_s=60
    )
    client = httpx.Client(transport=httpx.MockTransport(lambda request: httpx.Response(503)))
    now = timezone.now()
    cap_feeds_poll_due(now=now, client=client)
    source.refresh_from_db()
    assert source.consecutive_failures == 1 and "HTTP 503" in source.last_error
    assert source.next_poll_at == now + timedelta(seconds=120)
    cap_feeds_poll_due(now=source.next_poll_at, client=client)
    source.refresh_from_db()
    assert source.consecutive_failures == 2 and source.next_poll_at - source.last_polled_at == timedelta(
        seconds=240
    )


def test_the_import_command_reads_a_file(tmp_path, capsys):
    path = tmp_path / "alert.xml"
    path.write_bytes(foreign("KZ-13"))
    call_command("cap", "import", str(path))
    assert ExternalAlert.objects.filter(identifier="KZ-13").exists()
    assert "accepted" in capsys.readouterr().out
