"""Benchmark: how fast deliveries are created and each channel hands messages to its real local peer.

    .venv/bin/python bench/dissemination_throughput.py [--json] [--messages 1000] [--subscribers 100000]

Measured in one run, each against a baseline on the same peer:

* **deliveries created per second**: one warning matched against ``--subscribers`` district
  subscriptions and its deliveries written (the issuing transaction's listener, bulk INSERTs), against a
  bare ``bulk_create`` of the same rows without matching (SQLite in a temporary folder);
* **SMS accepted by Kannel per second** (when Debian's Kannel is installed): ``channels.send_sms`` —
  UCS-2 text, delivery reports asked for (``dlr-mask`` 31, answered by a local receiver standing in for
  Hushdor's endpoint) — against the same sendsms requests sent by a bare HTTP client over one
  keep-alive connection (the gateway's own ceiling for one client), and the same without delivery
  reports (``sms_without_receipts_per_s``: what receipts cost the gateway);
* **e-mails per second into aiosmtpd**: ``channels.send_email`` (a new SMTP session per message, CAP
  attached) against one SMTP session sending the same messages;
* **webhooks per second**: ``channels.send_webhook`` (signature, a new connection per message) against
  plain POSTs of the same body over one keep-alive connection.

Printed: ``{"deliveries_per_s", "baseline_insert_per_s", "sms_per_s", "sms_baseline_per_s", "email_per_s",
"email_baseline_per_s", "webhook_per_s", "webhook_baseline_per_s", "ratios", "load_average"}``.
Single-threaded, as one dispatcher sends; the rate limit of SMS is switched off for the measurement.
"""

from __future__ import annotations

import argparse
import json
import os
import smtplib
import sys
import tempfile
import threading
import time
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx


def _django(folder: Path) -> None:
    import logging

    os.environ.update(
        {
            "HUSHDOR_DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
            "HUSHDOR_VAR_DIR": str(folder),
            "HUSHDOR_DISSEMINATION_ALLOW_PRIVATE_TARGETS": "1",
            "DJANGO_SETTINGS_MODULE": "hushdor.settings",
        }
    )
    import django

    django.setup()
    for name in ("mail.log", "httpx"):
        logging.getLogger(name).setLevel(logging.WARNING)


def _rate(count: int, seconds: float) -> float:
    return round(count / seconds, 1) if seconds > 0 else 0.0


def deliveries(subscribers: int) -> tuple[float, float]:
    from datetime import timedelta

    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from hushdor.apps.accounts.services import operator_create
    from hushdor.apps.alerts.services import (
        AreaDraft,
        InfoDraft,
        alert_approve,
        alert_create_draft,
        alert_submit,
    )
    from hushdor.apps.alerts.services.publish import publish
    from hushdor.apps.dissemination.models import Delivery, Subscriber, Subscription
    from hushdor.apps.dissemination.services import deliveries_create_for_alert

    call_command("migrate", verbosity=0)
    people = [operator_create(username=n, password=f"bench-{n}-password", roles=r)[0]
              for n, r in (("edith", ["editor"]), ("anna", ["approver"]), ("bahrom", ["approver"]))]
    subs = Subscriber.objects.bulk_create([Subscriber(language="tg") for _ in range(subscribers)], batch_size=5000)
    if subs[0].pk is None:
        subs = list(Subscriber.objects.all())
    Subscription.objects.bulk_create(
        [Subscription(subscriber=s, channel="email", address=f"p{s.pk}@school.tj", place_codes=["TJ-RA-VARZOB"],
                      confirmed=True) for s in subs],
        batch_size=5000,
    )
    info = InfoDraft(language="en", event="Mudflow", headline="Mudflow danger", description="Heavy rain.",
                     urgency="Expected", severity="Severe", certainty="Likely",
                     expires=timezone.now() + timedelta(hours=6))
    area = AreaDraft(kind="polygon", description="Varzob",
                     polygons=[[(38.7, 68.7), (38.7, 68.9), (38.9, 68.9), (38.9, 68.7), (38.7, 68.7)]],
                     geocodes=[("TJ-district", "TJ-RA-VARZOB")])
    from hushdor.apps.alerts.services.listeners import listen, unlisten

    alerts = []
    unlisten("published", deliveries_create_for_alert)  # issue first; time the listener on its own below
    for _ in range(2):
        alert = alert_create_draft(actor=people[0], hazard="mudflow", infos=[info], areas=[area])
        alert_submit(actor=people[0], alert=alert)
        alert_approve(actor=people[2], alert=alert)
        with transaction.atomic():
            publish(alert, now=timezone.now())
        alert.refresh_from_db()
        alerts.append(alert)
    listen("published", deliveries_create_for_alert)
    started = time.perf_counter()
    with transaction.atomic():
        created = deliveries_create_for_alert(alerts[0])
    matched = time.perf_counter() - started
    rows = list(Delivery.objects.filter(alert=alerts[0]).values_list("subscription_id", flat=True))
    now = timezone.now()
    started = time.perf_counter()
    with transaction.atomic():  # the floor: the same rows inserted for the second alert, no matching, no events
        Delivery.objects.bulk_create(
            [Delivery(alert=alerts[1], subscription_id=pk, channel="email", address="x", language="tg",
                      next_attempt_at=now) for pk in rows],
            batch_size=5000,
        )
    bare = time.perf_counter() - started
    assert created == subscribers, (created, subscribers)
    return _rate(created, matched), _rate(len(rows), bare)


class _Sink(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length") or 0))
        self.send_response(200)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def webhooks(count: int, message) -> tuple[float, float]:
    from hushdor.apps.dissemination import channels

    class Server(ThreadingHTTPServer):
        request_queue_size = 1024

    server = Server(("127.0.0.1", 0), _Sink)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    secret = "whsec_" + "YmVuY2ggc2VjcmV0IG9mIHRoZSB3ZWJob29rcyEh"
    started = time.perf_counter()
    for _ in range(count):
        channels.send_webhook(url, secret, message)
    ours = time.perf_counter() - started
    with httpx.Client() as client:
        started = time.perf_counter()
        for _ in range(count):
            client.post(url, content=message.cap_xml)
        base = time.perf_counter() - started
    server.shutdown()
    return _rate(count, ours), _rate(count, base)


def emails(count: int, message) -> tuple[float, float]:
    from aiosmtpd.controller import Controller
    from django.conf import settings

    from hushdor.apps.dissemination import channels
    from hushdor.apps.dissemination.local_peers import free_port

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.SMTP_HOST, settings.SMTP_PORT = "127.0.0.1", controller.port
    started = time.perf_counter()
    for number in range(count):
        channels.send_email(f"person{number}@school.tj", message)
    ours = time.perf_counter() - started
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = "warnings@coes.tj", "x@school.tj", message.subject
    mail.set_content(message.text)
    mail.add_attachment(message.cap_xml, maintype="application", subtype="cap+xml", filename="cap.xml")
    with smtplib.SMTP("127.0.0.1", controller.port) as smtp:
        started = time.perf_counter()
        for _ in range(count):
            smtp.send_message(mail)
        base = time.perf_counter() - started
    controller.stop()
    return _rate(count, ours), _rate(count, base)


SMS_WITHOUT_RECEIPTS: list[float] = []


def sms(count: int, message, folder: Path) -> tuple[float | None, float | None]:
    from django.conf import settings

    from hushdor.apps.dissemination import channels
    from hushdor.apps.dissemination.local_peers import (
        KANNEL_DEMO_PASSWORD,
        KANNEL_PORTS,
        LocalKannel,
        free_port,
        kannel_missing,
    )

    if kannel_missing():
        return None, None
    class Receipts(BaseHTTPRequestHandler):  # stands in for Hushdor's delivery-report endpoint
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            self.send_response(200)
            self.send_header("content-length", "2")
            self.end_headers()
            self.wfile.write(b"OK")

        def log_message(self, *args):
            pass

    class Server(ThreadingHTTPServer):
        request_queue_size = 1024

    receipts = Server(("127.0.0.1", 0), Receipts)
    threading.Thread(target=receipts.serve_forever, daemon=True).start()
    settings.PUBLIC_URL = f"http://127.0.0.1:{receipts.server_address[1]}"
    kannel = LocalKannel(folder / "kannel", ports={port: free_port() for port in KANNEL_PORTS})
    kannel.start()
    try:
        settings.KANNEL_SENDSMS_URL, settings.KANNEL_USER = kannel.sendsms_url, "hushdor"
        settings.KANNEL_PASSWORD, settings.SMS_RATE = KANNEL_DEMO_PASSWORD, 0
        started = time.perf_counter()
        for number in range(count):
            channels.send_sms(f"99290{number:07d}", message)
        ours = time.perf_counter() - started
        text, coding = channels.sms_text(message.subject, message.instruction, max_parts=2)
        with httpx.Client() as client:
            started = time.perf_counter()
            for number in range(count):
                client.get(kannel.sendsms_url, params={"username": "hushdor", "password": KANNEL_DEMO_PASSWORD,
                                                       "to": f"99291{number:07d}", "text": text, "charset": "UTF-8",
                                                       "coding": str(coding), "dlr-mask": "31",
                                                       "dlr-url": f"{settings.PUBLIC_URL}/dlr?type=%d"})
            base = time.perf_counter() - started
            started = time.perf_counter()
            for number in range(count):
                client.get(kannel.sendsms_url, params={"username": "hushdor", "password": KANNEL_DEMO_PASSWORD,
                                                       "to": f"99292{number:07d}", "text": text, "charset": "UTF-8",
                                                       "coding": str(coding)})
            SMS_WITHOUT_RECEIPTS.append(_rate(count, time.perf_counter() - started))
    finally:
        kannel.stop()
        receipts.shutdown()
    return _rate(count, ours), _rate(count, base)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--subscribers", type=int, default=100_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="hushdor-throughput-"))
    _django(folder)
    from hushdor.apps.dissemination.channels import OutgoingMessage

    message = OutgoingMessage(
        delivery_id=1, subject="Хатари сел: ноҳияи Варзоб", instruction="Маҷрои дарёҳоро тарк кунед.",
        text="Хатари сел: ноҳияи Варзоб\n\nБинобар боришоти шадид хатари сел баланд аст.",
        cap_xml=b"<alert>" + b"x" * 4000 + b"</alert>", cap_identifier="urn:oid:2.49.0.1.762.1.bench",
        unsubscribe_url="http://127.0.0.1:8000/subscriptions/unsubscribe/x/",
    )
    result: dict = {}
    result["deliveries_per_s"], result["baseline_insert_per_s"] = deliveries(args.subscribers)
    result["webhook_per_s"], result["webhook_baseline_per_s"] = webhooks(args.messages, message)
    result["email_per_s"], result["email_baseline_per_s"] = emails(args.messages, message)
    result["sms_per_s"], result["sms_baseline_per_s"] = sms(args.messages, message, folder)
    result["sms_without_receipts_per_s"] = SMS_WITHOUT_RECEIPTS[0] if SMS_WITHOUT_RECEIPTS else None
    result["ratios"] = {
        name: round(result[f"{name}_per_s"] / result[f"{name}_baseline_per_s"], 2)
        for name in ("webhook", "email", "sms")
        if result.get(f"{name}_baseline_per_s")
    }
    result["ratios"]["deliveries"] = round(result["deliveries_per_s"] / result["baseline_insert_per_s"], 2)
    result["load_average"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(result) if args.json else json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
