"""``hushdor assistance``: requests for assistance as EDXL files.

    hushdor assistance export RFA_ID --out DIR [--exercise]   the approved RFA as an EDXL-DE envelope file
    hushdor assistance import FILE                            an envelope from another node, into quarantine
    hushdor assistance peer NODE_ID --name N --url URL        add or change a peer node; the shared key
                         (--secret-env VAR | --secret-file F) is read from the environment or a file
    hushdor assistance peers [--json]                         the peer nodes
    hushdor assistance inbox [--json] [--accept-all --user U] what other nodes sent, waiting in quarantine;
                                                              --accept-all applies it as officer U
    hushdor assistance offer RFA_ID --line N --quantity Q --user U [--conditions TEXT]
                                                              offer against line N of a received request
    hushdor assistance send [--json]                          post the due outbox envelopes now

Bad input: one line on stderr, exit code 2.
"""

from __future__ import annotations

import json
import os
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from hushdor.apps.assistance import exchange
from hushdor.apps.assistance.inbox import envelope_receive, inbox_accept
from hushdor.apps.assistance.models import AssistanceRequest, Peer, ReceivedEnvelope
from hushdor.apps.assistance.services import AssistanceError, offer_make, rfa_export
from hushdor.cap.safety import read_limited
from hushdor.edxl.envelope import DEFAULT_LIMITS


def _fail(message: str) -> CommandError:
    return CommandError(message, returncode=2)


class Command(BaseCommand):
    help = "Requests for assistance as EDXL-DE / EDXL-RM files"

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{export,import}")
        export = actions.add_parser("export", help="write an approved RFA as an EDXL-DE envelope")
        export.add_argument("rfa_id", type=int)
        export.add_argument("--out", type=Path, required=True)
        export.add_argument("--exercise", action="store_true")
        imported = actions.add_parser("import", help="read an envelope from another node into quarantine")
        imported.add_argument("file", type=Path)
        peer = actions.add_parser("peer", help="add or change a peer node")
        peer.add_argument("node_id")
        peer.add_argument("--name", required=True)
        peer.add_argument("--url", required=True, help="the peer's inbox, e.g. https://host/assistance/inbox")
        key = peer.add_mutually_exclusive_group(required=True)
        key.add_argument("--secret-env", help="environment variable holding the shared key")
        key.add_argument("--secret-file", type=Path, help="file holding the shared key")
        peer.add_argument("--inactive", action="store_true")
        peers = actions.add_parser("peers", help="list the peer nodes")
        peers.add_argument("--json", action="store_true")
        inbox = actions.add_parser("inbox", help="envelopes waiting in quarantine")
        inbox.add_argument("--json", action="store_true")
        inbox.add_argument("--accept-all", action="store_true")
        inbox.add_argument("--user")
        offer = actions.add_parser("offer", help="offer against a line of a received request")
        offer.add_argument("rfa_id", type=int)
        offer.add_argument("--line", type=int, required=True, help="1 = the first line item")
        offer.add_argument("--quantity", required=True)
        offer.add_argument("--conditions", default="")
        offer.add_argument("--user", required=True)
        send = actions.add_parser("send", help="post the due outbox envelopes now")
        send.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action in ("peer", "peers", "inbox", "offer", "send"):
            getattr(self, f"_{action}")(options)
            return
        if options["action"] == "export":
            request = AssistanceRequest.objects.filter(pk=options["rfa_id"]).first()
            if request is None:
                raise _fail(f"no request for assistance {options['rfa_id']}")
            try:
                data = rfa_export(request=request, exercise=options["exercise"])
            except AssistanceError as error:
                raise _fail(str(error)) from error
            options["out"].mkdir(parents=True, exist_ok=True)
            path = options["out"] / f"rfa-{request.pk}-request.xml"
            path.write_bytes(data)
            self.stdout.write(str(path))
            return
        data, problem = read_limited(options["file"], DEFAULT_LIMITS.max_bytes)
        if problem is not None:
            raise _fail(problem.message)
        try:
            received = envelope_receive(data=data or b"")
        except AssistanceError as error:
            raise _fail(f"{options['file']}: {error}") from error
        self.stdout.write(
            f"held in quarantine as #{received.pk}: {received.distribution_id} from {received.sender_id}"
        )

    def _user(self, name: str | None):
        if not name:
            raise _fail("--user names the officer who decides")
        user = get_user_model().objects.filter(username=name, is_active=True).first()
        if user is None:
            raise _fail(f"no active operator {name!r}")
        return user

    def _peer(self, options) -> None:
        if options["secret_env"]:
            secret = os.environ.get(options["secret_env"], "")
            if not secret:
                raise _fail(f"the environment variable {options['secret_env']} is empty or not set")
        else:
            try:
                secret = options["secret_file"].read_text().strip()
            except OSError as error:
                raise _fail(f"cannot read {options['secret_file']}: {error.strerror}") from None
        try:
            peer = exchange.peer_save(
                node_id=options["node_id"],
                name=options["name"],
                inbox_url=options["url"],
                secret=secret,
                active=not options["inactive"],
            )
        except ValueError as error:
            raise _fail(str(error)) from None
        self.stdout.write(f"peer {peer.node_id} ({peer.name}) → {peer.inbox_url}")

    def _peers(self, options) -> None:
        rows = [
            {"node_id": p.node_id, "name": p.name, "inbox_url": p.inbox_url, "active": p.active}
            for p in Peer.objects.order_by("node_id")
        ]
        if options["json"]:
            self.stdout.write(json.dumps({"peers": rows}, ensure_ascii=False))
            return
        for row in rows:
            self.stdout.write(f"{row['node_id']}\t{row['name']}\t{row['inbox_url']}{'' if row['active'] else ' (off)'}")

    def _inbox(self, options) -> None:
        pending = list(ReceivedEnvelope.objects.filter(state=ReceivedEnvelope.State.PENDING).order_by("pk"))
        decided = []
        if options["accept_all"]:
            user = self._user(options["user"])
            for row in pending:
                try:
                    accepted = inbox_accept(actor=user, received=row)
                    decided.append({"id": row.pk, "content": row.content, "state": "accepted", "note": accepted.reason})
                except AssistanceError as error:
                    decided.append({"id": row.pk, "content": row.content, "state": "refused", "note": str(error)})
            pending = []
        rows = [
            {"id": r.pk, "from": r.sender_id, "content": r.content, "summary": r.summary, "state": r.state}
            for r in pending
        ]
        if options["json"]:
            self.stdout.write(json.dumps({"pending": rows, "decided": decided}, ensure_ascii=False))
            return
        for row in rows:
            self.stdout.write(f"#{row['id']} {row['from']} {row['content']}: {row['summary']}")
        for row in decided:
            self.stdout.write(f"#{row['id']} {row['content']} {row['state']}: {row['note']}")

    def _offer(self, options) -> None:
        user = self._user(options["user"])
        request = AssistanceRequest.objects.filter(pk=options["rfa_id"]).first()
        if request is None:
            raise _fail(f"no request for assistance {options['rfa_id']}")
        needs = list(request.needs.order_by("pk"))
        if not 1 <= options["line"] <= len(needs):
            raise _fail(f"request {request.pk} has lines 1 to {len(needs)}")
        try:
            quantity = Decimal(options["quantity"])
        except InvalidOperation:
            raise _fail(f"--quantity {options['quantity']!r} is not a number") from None
        try:
            offer = offer_make(
                actor=user, need=needs[options["line"] - 1], quantity=quantity, conditions=options["conditions"]
            )
        except AssistanceError as error:
            raise _fail(str(error)) from None
        self.stdout.write(f"offer {offer.pk} queued for {request.origin_node}")

    def _send(self, options) -> None:
        result = exchange.dispatch()
        if options["json"]:
            self.stdout.write(json.dumps(vars(result)))
        else:
            self.stdout.write(str(result))
