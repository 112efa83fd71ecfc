"""``hushdor dissemination``: the local delivery peers of the demo, and its subscribers.

    hushdor dissemination demo-peers         run an SMTP server, a webhook endpoint and (when Debian's
                                             kannel + kannel-extras are installed) Kannel with its fake
                                             SMS centre on loopback until stopped; what they receive
                                             lands under var/demo/
    hushdor dissemination demo-subscribers   create (once) the demo's subscribers in Gorno-Badakhshan:
                                             e-mail, webhook, MQTT (Mosquitto on 1883) and two phones

`hushdor run --demo` starts demo-peers and points the SMTP, SMS and webhook settings at them.
"""

from __future__ import annotations

import signal
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from hushdor.apps.dissemination import local_peers
from hushdor.apps.dissemination.models import Subscription
from hushdor.apps.dissemination.services import SubscriptionError, subscription_create

DEMO_SMTP_PORT, DEMO_WEBHOOK_PORT = 8025, 8026
DEMO_WEBHOOK_SECRET = "whsec_ZGVtbyB3ZWJob29rIHNlY3JldCBvZiBodXNoZG9yIQ=="  # noqa: S105 - loopback demo peer
DEMO_AREA = ["TJ-GB"]  # Gorno-Badakhshan: the Sarez warning reaches it
DEMO_SUBSCRIBERS = (
    ("Rushon district emergency officer (demo)", "email", "rushon-duty@demo.coes.tj", "ru"),
    ("Partner system (demo webhook)", "webhook", f"http://127.0.0.1:{DEMO_WEBHOOK_PORT}/hooks/cap", "en"),
    ("Sirens and displays, Bartang (demo)", "mqtt", "mqtt://127.0.0.1:1883/hushdor-demo/alerts", "tg"),
    ("Jamoat head, Barchadiv (demo)", "sms", "992935550001", "tg"),
    ("School director, Rushon (demo)", "sms", "992935550002", "ru"),
)


class Command(BaseCommand):
    help = "The demo's local delivery peers and subscribers"

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{demo-peers,demo-subscribers}")
        actions.add_parser("demo-peers", help="run the local SMTP, webhook and Kannel peers until stopped")
        actions.add_parser("demo-subscribers", help="create the demo's subscribers once")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "demo-subscribers":
            self._subscribers()
        else:
            self._peers()

    def _subscribers(self) -> None:
        made = 0
        for name, channel, address, language in DEMO_SUBSCRIBERS:
            if Subscription.objects.filter(channel=channel, address=address, subscriber__name=name).exists():
                continue
            try:
                subscription_create(
                    channel=channel,
                    address=address,
                    language=language,
                    name=name,
                    place_codes=DEMO_AREA,
                    secret=DEMO_WEBHOOK_SECRET if channel == "webhook" else "",
                    confirmed=True,
                )
            except SubscriptionError as error:
                raise CommandError(f"demo subscriber {name}: {error}") from None
            made += 1
        self.stdout.write(f"demo subscribers: {made} created, {len(DEMO_SUBSCRIBERS) - made} already there")

    def _peers(self) -> None:
        folder = settings.VAR_DIR / "demo"
        running = []
        for port, name in ((DEMO_SMTP_PORT, "SMTP"), (DEMO_WEBHOOK_PORT, "webhook")):
            if local_peers.port_busy(port):
                self.stderr.write(f"port {port} is taken: the demo {name} peer does not run")
        if not local_peers.port_busy(DEMO_SMTP_PORT):
            smtp = local_peers.SmtpSink(folder / "mailbox", DEMO_SMTP_PORT)
            smtp.start()
            running.append(smtp)
            self.stdout.write(f"SMTP on 127.0.0.1:{DEMO_SMTP_PORT} → {folder / 'mailbox'}")
        if not local_peers.port_busy(DEMO_WEBHOOK_PORT):
            hook = local_peers.WebhookSink(folder / "webhooks", DEMO_WEBHOOK_PORT, DEMO_WEBHOOK_SECRET)
            hook.start()
            running.append(hook)
            self.stdout.write(f"webhook endpoint {hook.url} → {folder / 'webhooks'}")
        missing = local_peers.kannel_missing()
        if missing:
            self.stdout.write(f"SMS: Kannel is not installed ({', '.join(missing)}); the SMS channel waits")
        elif any(local_peers.port_busy(port) for port in local_peers.KANNEL_PORTS):
            self.stdout.write("SMS: a Kannel port (13000, 13001, 13013, 10000) is taken; Kannel does not run")
        else:
            (folder / "kannel").mkdir(parents=True, exist_ok=True)
            kannel = local_peers.LocalKannel(folder / "kannel")
            try:
                kannel.start()
            except RuntimeError as error:
                kannel.stop()
                self.stderr.write(f"SMS: Kannel did not start: {error}")
            else:
                running.append(kannel)
                self.stdout.write(f"SMS: Kannel at {kannel.sendsms_url}, fake SMS centre → {folder / 'kannel' / 'run'}")
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while not stopping:
            time.sleep(0.5)
        for peer in reversed(running):
            peer.stop()
