"""Web push end to end: pywebpush (VAPID, RFC 8292; aes128gcm, RFC 8291) to a local HTTP server that
stands in for the browser's push service. The server checks the VAPID token's ES256 signature with
the key it carries and decrypts the payload with the subscriber's private key (http_ece), as the
browser would; a 410 Gone switches the subscription off."""

from __future__ import annotations

import base64
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from tests.apps.dissemination.test_deliveries import environment, issue, people  # noqa: F401

from hushdor.apps.dissemination.channels import vapid_public_key
from hushdor.apps.dissemination.models import Delivery, DeliveryState, Subscription
from hushdor.apps.dissemination.services import SubscriptionError, deliveries_dispatch, subscription_create

pytestmark = pytest.mark.django_db


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class PushService:
    def __init__(self) -> None:
        self.browser_key = ec.generate_private_key(ec.SECP256R1())
        self.auth = b"sixteen-byte-key"
        self.received: list[dict] = []
        self.status = 201
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["content-length"]))
                service.received.append(service.open(self.headers, body))
                self.send_response(service.status)
                self.send_header("Location", f"{service.url}/messages/{len(service.received)}")
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def keys(self) -> str:
        public = self.browser_key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
        return json.dumps({"p256dh": b64url(public), "auth": b64url(self.auth)})

    def open(self, headers, body: bytes) -> dict:
        """What the push service and then the browser do: check VAPID, decrypt the payload."""
        scheme, _, params = headers["Authorization"].partition(" ")
        fields = dict(part.strip().split("=", 1) for part in params.split(","))
        token, key = fields["t"], fields["k"]
        head, claims, signature = token.split(".")
        raw = unb64url(signature)
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key))
        public.verify(
            encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")),
            f"{head}.{claims}".encode(),
            ec.ECDSA(hashes.SHA256()),
        )  # raises if the signature is forged
        claims = json.loads(unb64url(claims))
        plain = http_ece.decrypt(body, private_key=self.browser_key, auth_secret=self.auth, version="aes128gcm")
        return {
            "scheme": scheme,
            "key": key,
            "claims": claims,
            "encoding": headers["Content-Encoding"],
            "ttl": int(headers["TTL"]),
            "payload": json.loads(plain),
        }


@pytest.fixture
def push():
    service = PushService()
    yield service
    service.server.shutdown()


def test_a_warning_is_pushed_signed_and_encrypted_to_the_browser(people, push):  # noqa: F811
    subscription_create(channel="webpush", address=f"{push.url}/push/abc", secret=push.keys, language="tg",
                        place_codes=["TJ-RA-VARZOB"], confirmed=True)
    alert = issue(people, hours=6)
    assert deliveries_dispatch().sent == 1
    got = push.received[0]
    assert got["scheme"] == "vapid" and got["encoding"] == "aes128gcm"
    assert got["key"] == vapid_public_key()  # our application server key, the one browsers subscribe with
    assert got["claims"]["aud"] == push.url and got["claims"]["exp"] > time.time()
    assert got["claims"]["sub"].startswith("mailto:")
    assert 5 * 3600 < got["ttl"] <= 6 * 3600  # until the CAP expires
    tajik = alert.infos.get(language="tg")
    assert got["payload"]["headline"] == tajik.headline and got["payload"]["identifier"] == alert.identifier
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.SENT and delivery.provider_id.startswith("push 201")


def test_a_subscription_the_browser_dropped_is_switched_off(people, push):  # noqa: F811
    push.status = 410
    subscription_create(channel="webpush", address=f"{push.url}/push/gone", secret=push.keys,
                        place_codes=["TJ-RA-VARZOB"], confirmed=True)
    issue(people)
    assert deliveries_dispatch().dead == 1
    assert "410" in Delivery.objects.get().last_error
    assert not Subscription.objects.get().active


def test_a_push_subscription_without_its_keys_is_refused():
    with pytest.raises(SubscriptionError, match="p256dh"):
        subscription_create(channel="webpush", address="https://push.example/abc", secret="{}",
                            place_codes=["TJ-RA-VARZOB"])
