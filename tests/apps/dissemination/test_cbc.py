"""Cell broadcast to a CBC over its REST interface (OsmoCBC's ECBE API), tested against a local HTTP
server standing in for the CBC: it checks every JSON body against the ECBE rules and decodes the
pages itself (rebuilding each 88-octet page from the body's identifier, serial and DCS)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from tests.apps.dissemination.test_deliveries import issue, people  # noqa: F401 - fixtures and helper

from hushdor.apps.alerts.services import alert_cancel
from hushdor.apps.dissemination.models import Delivery, DeliveryState
from hushdor.apps.dissemination.services import deliveries_dispatch, subscription_create
from hushdor.cbs.pages import decode_pages

pytestmark = pytest.mark.django_db


class Cbc:
    """The CBC's side: refuses a body that breaks the ECBE rules (400 with the reason)."""

    def __init__(self) -> None:
        self.messages: dict[tuple[int, int], dict] = {}  # (message identifier, serial number)
        self.killed: list[int] = []
        self.problems: list[str] = []
        self.answer: int | None = None
        cbc = self

        class Handler(BaseHTTPRequestHandler):
            def _reply(self, status: int, text: str = "") -> None:
                self.send_response(status)
                self.send_header("content-length", str(len(text.encode())))
                self.end_headers()
                self.wfile.write(text.encode())

            def do_POST(self):
                if cbc.answer:
                    return self._reply(cbc.answer, "busy")
                body = json.loads(self.rfile.read(int(self.headers["content-length"])))
                problem = cbc.check(self.path, body)
                if problem:
                    cbc.problems.append(problem)
                    return self._reply(400, problem)
                message = body["smscb_message"]
                cbc.messages[(message["message_id"], message["serial_nr"]["serial_nr_encoded"])] = body
                return self._reply(201, "{}")

            def do_DELETE(self):
                number = int(self.path.rsplit("/", 1)[1])  # ECBE kills by message identifier
                if number not in {key[0] for key in cbc.messages} or number in cbc.killed:
                    return self._reply(404, "no such message")
                cbc.killed.append(number)
                return self._reply(200, "{}")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    @staticmethod
    def check(path: str, body: dict) -> str:
        if path != "/api/ecbe/v1/message":
            return f"unknown path {path}"
        for key in ("cbe_name", "category", "repetition_period", "num_of_bcast", "scope", "smscb_message"):
            if key not in body:
                return f"{key} is missing"
        if body["category"] not in ("normal", "high_priority", "background"):
            return "bad category"
        if body["scope"] != {"scope_plmn": {}}:
            return "CBCMSG only 'scope_plmn' supported"
        if not 0 <= body["repetition_period"] <= 4095:
            return "repetition_period out of range"
        message = body["smscb_message"]
        serial = message["serial_nr"]["serial_nr_encoded"]
        pages = message["payload"]["payload_encoded"]["pages"]
        if not 0 <= serial <= 65535 or not 1 <= len(pages) <= 15:
            return "serial or page count out of range"
        if any(len(page) > 164 or len(page) % 2 for page in pages):
            return "a page is longer than 82 octets"
        return ""

    def text_of(self, key: tuple[int, int]) -> str:
        """Rebuild the 88-octet pages (header + the 82 octets sent) and decode them independently."""
        message_id = key[0]
        message = self.messages[key]["smscb_message"]
        serial = message["serial_nr"]["serial_nr_encoded"]
        encoded = message["payload"]["payload_encoded"]
        pages = encoded["pages"]
        full = [
            bytes([serial >> 8, serial & 0xFF, message_id >> 8, message_id & 0xFF, encoded["dcs"],
                   (number << 4) | len(pages)]) + bytes.fromhex(page)
            for number, page in enumerate(pages, start=1)
        ]
        return decode_pages(full).text


@pytest.fixture
def cbc():
    peer = Cbc()
    yield peer
    peer.server.shutdown()


def test_a_warning_goes_to_the_cbc_in_every_language_and_a_cancel_withdraws_it(people, cbc):  # noqa: F811
    subscription_create(channel="cbc", address=cbc.url, place_codes=["TJ"], confirmed=True, name="Tcell CBC")
    alert = issue(people)
    run = deliveries_dispatch()
    assert run.sent == 1 and cbc.problems == []
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.SENT and delivery.provider_id.startswith("cbc: POST")
    # tg, ru, en: the first language 4378 (Severe), the others 4378 + 13; each language its own serial
    assert sorted(cbc.messages) == sorted(cbc.messages) and len(cbc.messages) == 3
    assert {key[0] for key in cbc.messages} == {4378, 4391}
    decoded = {cbc.text_of(key) for key in cbc.messages}
    for info in alert.infos.all():
        assert any(text.startswith(info.headline) for text in decoded), (info.headline, decoded)
    assert all(body["category"] == "normal" for body in cbc.messages.values())  # Severe, not Extreme

    alert_cancel(actor=people[1], alert=alert, note="rain stopped")
    assert deliveries_dispatch().sent == 1
    assert sorted(cbc.killed) == [4378, 4391]


def test_a_cbc_refusal_is_dead_with_its_reason_and_a_busy_cbc_is_retried(people, cbc):  # noqa: F811
    subscription_create(channel="cbc", address=cbc.url, place_codes=["TJ"], confirmed=True)
    cbc.answer = 503
    issue(people)
    assert deliveries_dispatch().retrying == 1
    cbc.answer = 400
    Delivery.objects.update(next_attempt_at=Delivery.objects.get().created_at)
    assert deliveries_dispatch().dead == 1
    assert "the CBC answered 400" in Delivery.objects.get().last_error
