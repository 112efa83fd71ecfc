"""Benchmark: nothing is lost when the dispatcher is killed with SIGKILL at random moments.

    .venv/bin/python bench/outbox_crash.py [--json] [--trials 20] [--subscribers 3000] [--alerts 2]

Set-up (a fresh SQLite database in a temporary folder): ``--subscribers`` confirmed subscriptions in
the Varzob district, two thirds webhooks and one third e-mail, and ``--alerts`` warnings issued through
the real services (deliveries written in the issuing transaction). The peers are real and local,
run by this process: an HTTP server that records every webhook's ``webhook-id`` and an ``aiosmtpd``
server that records every message's ``Message-ID`` — both carry the delivery id.

Then ``--trials`` times: a dispatcher process (``deliveries_dispatch`` in a loop, the worker job's own
code) starts, says when it begins sending, is killed with SIGKILL a random 0.05–1.5 s later, and the
next one starts. A new
dispatcher first puts back what a dead one left ``sending`` (``deliveries_requeue_stale``; the stale
limit is 1 s here instead of 5 minutes so the bench ends). After the last trial a dispatcher runs
until nothing is due. Counted per delivery id — one per (alert, recipient, channel):

    {"trials", "expected", "received", "lost", "duplicated", "states", "seconds", "load_average"}

``lost`` must be 0. ``duplicated`` counts deliveries a peer received more than once: a process killed
after the peer took a message and before its row was marked ``sent``/``delivered`` sends it again
when the claim is put back (at-least-once); the repeat carries the same delivery id (webhook-id,
Message-ID), so the receiver drops it. Exactly-once is not possible over SMTP or HTTP without the
receiver's help.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

VARZOB = [(38.70, 68.70), (38.70, 68.90), (38.90, 68.90), (38.90, 68.70), (38.70, 68.70)]
SECRET = "whsec_" + base64.b64encode(b"outbox crash bench shared key!!").decode()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _django(env: dict[str, str]) -> None:
    import logging

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP line at INFO
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hushdor.settings")
    import django

    django.setup()


def worker() -> None:
    """One dispatcher: put back stale claims, then send until killed (or until nothing is due)."""
    _django({})
    from datetime import timedelta

    from hushdor.apps.dissemination import services
    from hushdor.apps.dissemination.models import Delivery, DeliveryState

    services.STALE_AFTER = timedelta(seconds=1)
    time.sleep(1.1)  # a claim of the killed predecessor is older than the stale limit now
    services.deliveries_requeue_stale()
    print("sending", flush=True)  # the parent kills at a random moment after this line
    drain = os.environ.get("BENCH_DRAIN") == "1"
    while True:
        run = services.deliveries_dispatch(limit=50)
        if drain and not (run.sent or run.delivered or run.retrying):
            open_states = (DeliveryState.QUEUED, DeliveryState.RETRYING, DeliveryState.SENDING)
            if not Delivery.objects.filter(state__in=open_states).exists():
                return
            services.deliveries_requeue_stale()
            time.sleep(0.2)


class Peers:
    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.ids: list[int] = []
        lock = threading.Lock()
        peers = self

        class Hook(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers["content-length"]))
                with lock:
                    peers.ids.append(int(self.headers["webhook-id"].rsplit("-", 1)[1]))
                self.send_response(200)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        class Server(ThreadingHTTPServer):
            request_queue_size = 1024

        self.http = Server(("127.0.0.1", 0), Hook)
        threading.Thread(target=self.http.serve_forever, daemon=True).start()
        self.webhook_url = f"http://127.0.0.1:{self.http.server_address[1]}/hook"

        class Mailbox:
            async def handle_DATA(self, server, session, envelope):
                for line in envelope.content.splitlines():
                    if line.lower().startswith(b"message-id:"):
                        number = line.split(b"hushdor-delivery-", 1)[1].split(b"@", 1)[0]
                        with lock:
                            peers.ids.append(int(number))
                        break
                return "250 OK"

        self.smtp = Controller(Mailbox(), hostname="127.0.0.1", port=_free_port())
        self.smtp.start()

    def stop(self) -> None:
        self.http.shutdown()
        self.smtp.stop()


def setup(subscribers: int, alerts: int, peers: Peers) -> list[int]:
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from hushdor.apps.accounts.services import operator_create
    from hushdor.apps.alerts.services import (
        AreaDraft,
        InfoDraft,
        alert_approve,
        alert_create_draft,
        alert_issue,
        alert_submit,
    )
    from hushdor.apps.dissemination.models import Delivery
    from hushdor.apps.dissemination.services import subscription_create

    call_command("migrate", verbosity=0)
    editor, _ = operator_create(username="edith", password="bench-password-1", roles=["editor"])
    approver, _ = operator_create(username="anna", password="bench-password-2", roles=["approver"])
    second, _ = operator_create(username="bahrom", password="bench-password-3", roles=["approver"])
    for number in range(subscribers):
        if number % 3 == 2:
            subscription_create(channel="email", address=f"person{number}@school.tj", language="ru",
                                place_codes=["TJ-RA-VARZOB"], confirmed=True)
        else:
            subscription_create(channel="webhook", address=f"{peers.webhook_url}/{number}", secret=SECRET,
                                language="tg", place_codes=["TJ-RA-VARZOB"], confirmed=True)
    for number in range(alerts):
        info = InfoDraft(language="en", event="Mudflow", headline=f"Mudflow danger {number}",
                         description="Heavy rain in the Varzob valley.", urgency="Expected", severity="Severe",
                         certainty="Likely", expires=timezone.now() + timedelta(hours=6))
        area = AreaDraft(kind="polygon", description="Varzob valley", polygons=[VARZOB],
                         geocodes=[("TJ-district", "TJ-RA-VARZOB")])
        alert = alert_create_draft(actor=editor, hazard="mudflow", infos=[info], areas=[area])
        alert_submit(actor=editor, alert=alert)
        alert_approve(actor=second, alert=alert)
        alert_issue(actor=approver, alert=alert)
    return list(Delivery.objects.values_list("pk", flat=True))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--subscribers", type=int, default=3000)
    parser.add_argument("--alerts", type=int, default=2)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if args.worker:
        worker()
        return 0
    started = time.monotonic()
    folder = Path(tempfile.mkdtemp(prefix="hushdor-outbox-crash-"))
    peers = Peers()
    env = {
        "HUSHDOR_DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
        "HUSHDOR_VAR_DIR": str(folder),
        "HUSHDOR_SMTP_HOST": "127.0.0.1",
        "HUSHDOR_SMTP_PORT": str(peers.smtp.port),
        "HUSHDOR_DISSEMINATION_ALLOW_PRIVATE_TARGETS": "1",
    }
    _django(env)
    expected = setup(args.subscribers, args.alerts, peers)
    rng = random.Random(args.seed)
    child_env = {**os.environ, **env}
    command = [sys.executable, str(Path(__file__).resolve()), "--worker"]
    for trial in range(args.trials):
        process = subprocess.Popen(command, env=child_env, stdout=subprocess.PIPE, text=True)
        process.stdout.readline()  # "sending": set-up done, the dispatch loop starts now
        time.sleep(rng.uniform(0.05, 1.5))  # a random moment while it sends
        process.send_signal(signal.SIGKILL)
        process.wait()
        if not args.json:
            print(f"trial {trial + 1}: killed; the peers hold {len(set(peers.ids))} of {len(expected)}", flush=True)
    subprocess.run(command, env={**child_env, "BENCH_DRAIN": "1"}, check=True, timeout=900, stdout=subprocess.DEVNULL)
    time.sleep(0.5)
    peers.stop()

    from hushdor.apps.dissemination.models import Delivery

    seen = Counter(peers.ids)
    lost = len(set(expected) - set(seen))
    result = {
        "trials": args.trials,
        "expected": len(expected),
        "received": len(set(seen) & set(expected)),
        "lost": lost,
        "duplicated": sum(1 for count in seen.values() if count > 1),
        "states": dict(Counter(Delivery.objects.values_list("state", flat=True))),
        "seconds": round(time.monotonic() - started, 1),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    print(json.dumps(result) if args.json else json.dumps(result, indent=2))
    return 0 if lost == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
