"""The channels: each sends one delivery and says, by its exception, whether trying again can help.

``send(delivery, message) -> provider id``; a :class:`SendError` with ``permanent=True`` stops the
delivery at once (a 410 Gone, a refused address, a private target), any other error is retried.

* **E-mail** — SMTP (``HUSHDOR_SMTP_HOST``/``PORT``, STARTTLS and login when ``HUSHDOR_SMTP_STARTTLS``
  / ``HUSHDOR_SMTP_USER`` are set): text in the subscriber's language, the signed CAP XML attached,
  ``List-Unsubscribe`` with a one-click link (RFC 2369, RFC 8058). A 5xx reply is permanent.
* **SMS** — Kannel's sendsms HTTP API (``HUSHDOR_KANNEL_SENDSMS_URL``, ``_USER``, ``_PASSWORD``): the
  info's headline and instruction, cut to ``HUSHDOR_SMS_MAX_PARTS`` parts; ``coding=2`` (UCS-2)
  whenever a character is outside the GSM 7-bit default alphabet — every Tajik and Russian text —
  because Kannel otherwise accepts the message and delivers ``?`` for each Cyrillic letter;
  ``dlr-mask=31`` and a ``dlr-url`` back to Hushdor carrying the delivery id and a token that
  authenticates the report. A 202 means "handed to the gateway" (state ``sent``), never delivered:
  only a delivery report of type 1 makes it ``delivered``. At most ``HUSHDOR_SMS_RATE`` messages per
  second leave this process for the gateway (operators allow 10–30 per account).
* **Cell broadcast** — a CBC's REST interface, as OsmoCBC's "ECBE" API defines it (``POST
  /api/ecbe/v1/message``; ``DELETE /api/ecbe/v1/message/<message id>`` for a CAP Cancel): one message
  per CAP info, built by ``hushdor.cbs`` (message identifier, serial number with the update number,
  DCS) and sent as ``payload_encoded`` pages of 82 octets (the 88-octet page without its 6-octet
  header), because OsmoCBC does not encode UCS-2 itself. PLMN-wide scope (the only one OsmoCBC's
  REST level takes); the CBC's coverage decides the cells. The CBC is an operator's own system on its
  own network, so a CBC address is not subject to the private-address guard of webhooks.
* **Web push** — RFC 8030 with VAPID (RFC 8292) and aes128gcm payload encryption (RFC 8291), by
  ``pywebpush``: the subscription's endpoint is the address, its ``p256dh``/``auth`` keys the secret
  (JSON). The payload is a small JSON (identifier, headline, instruction, link); the TTL is the time
  left until the CAP ``expires``. 201/202 = the push service took it (``sent``); 404/410 = the browser
  dropped the subscription (``dead`` and the subscription is switched off); 429/5xx are retried. The
  VAPID key is ``HUSHDOR_VAPID_KEY`` (PEM) or one generated once under ``var/vapid/``.
* **Webhook** — POST of the signed CAP XML with the Standard Webhooks headers (``webhook-id`` = the
  delivery's id, so a receiver drops a repeat; ``webhook-timestamp``; ``webhook-signature: v1,<base64
  HMAC-SHA256 of "id.timestamp.body">`` with the subscription's ``whsec_`` secret). 2xx = delivered
  (the receiver acknowledged); 410 = permanent (the endpoint is gone); 429/5xx/timeouts are retried.
  Targets on loopback, private, link-local or reserved addresses are refused (SSRF) unless
  ``HUSHDOR_DISSEMINATION_ALLOW_PRIVATE_TARGETS`` is set; at most 64 KiB of a response is read.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import ipaddress
import smtplib
import socket
import time
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import urlsplit

import httpx
from django.conf import settings

from hushdor.cbs.pages import fits_gsm7

MAX_RESPONSE_BYTES = 64 * 1024
_TIMEOUT = httpx.Timeout(10.0, connect=5.0)


@functools.cache
def _http() -> httpx.Client:
    """One HTTP client per process, reused: building a client (its TLS context) costs ~50 ms, which
    capped a dispatcher at ~20 webhooks or SMS a second (bench/dissemination_throughput.py)."""
    return httpx.Client(timeout=_TIMEOUT, follow_redirects=False, limits=httpx.Limits(max_keepalive_connections=20))


class SendError(Exception):
    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class OutgoingMessage:
    delivery_id: int
    subject: str
    text: str
    cap_xml: bytes
    cap_identifier: str
    unsubscribe_url: str
    instruction: str = ""


# SMS capacity per coding (3GPP TS 23.038 / 23.040): one message, and one part of a concatenated one.
SMS_CAPACITY = {0: (160, 153), 2: (70, 67)}


def sms_text(headline: str, instruction: str, *, max_parts: int) -> tuple[str, int]:
    """(text, coding) of an SMS: headline then instruction, cut to ``max_parts`` parts with an
    ellipsis; coding 0 (GSM 7-bit) only when every character is in the default alphabet, else 2."""
    text = " ".join(part.strip() for part in (headline, instruction) if part and part.strip())
    coding = 0 if fits_gsm7(text) else 2
    single, per_part = SMS_CAPACITY[coding]
    budget = single if max_parts <= 1 else per_part * max_parts
    if len(text) > budget:
        ellipsis = "..." if coding == 0 else "…"
        text = text[: budget - len(ellipsis)].rstrip() + ellipsis
    return text, coding


def sms_parts(text: str, coding: int) -> int:
    single, per_part = SMS_CAPACITY[coding]
    return 1 if len(text) <= single else -(-len(text) // per_part)


def dlr_token(delivery_id: int) -> str:
    """Authenticates a delivery report for one delivery (HMAC of the id with the secret key)."""
    return hmac.new(settings.SECRET_KEY.encode(), f"dlr:{delivery_id}".encode(), hashlib.sha256).hexdigest()[:32]


class _RateLimit:
    """At most ``rate`` sends per second from this process (a spacing, not a burst allowance)."""

    def __init__(self) -> None:
        self.next_at = 0.0

    def wait(self, rate: float) -> None:
        if rate <= 0:
            return
        now = time.monotonic()
        if self.next_at > now:
            time.sleep(self.next_at - now)
        self.next_at = max(now, self.next_at) + 1.0 / rate


SMS_RATE_LIMIT = _RateLimit()


def normalise_phone(address: str) -> str | None:
    """Digits of an international number (E.164 without '+'), or None if it cannot be one."""
    digits = address.strip().replace(" ", "").replace("-", "").replace("(", "").replace(")", "")
    digits = digits.removeprefix("+").removeprefix("00")
    if not digits.isdigit() or not 8 <= len(digits) <= 15 or digits.startswith("0"):
        return None
    return digits


def send_sms(address: str, message: OutgoingMessage, *, with_receipt: bool = True) -> str:
    """Hand one SMS to Kannel; returns Kannel's answer as the provider id."""
    if not settings.KANNEL_SENDSMS_URL:
        raise SendError("no SMS gateway is configured (HUSHDOR_KANNEL_SENDSMS_URL)")
    number = normalise_phone(address)
    if number is None:
        raise SendError(f"{address!r} is not an international phone number", permanent=True)
    text, coding = sms_text(message.subject, message.instruction, max_parts=settings.SMS_MAX_PARTS)
    dlr_url = (
        f"{settings.PUBLIC_URL}/subscriptions/dlr/{message.delivery_id}/{dlr_token(message.delivery_id)}/"
        "?type=%d&fid=%F&reply=%A"
    )
    params = {
        "username": settings.KANNEL_USER,
        "password": settings.KANNEL_PASSWORD,
        "to": number,
        "text": text,
        "charset": "UTF-8",
        "coding": str(coding),
        "priority": "3",
    }
    if with_receipt:
        params.update({"dlr-mask": "31", "dlr-url": dlr_url})
    SMS_RATE_LIMIT.wait(settings.SMS_RATE)
    try:
        response = _http().get(settings.KANNEL_SENDSMS_URL, params=params)
    except httpx.HTTPError as error:
        raise SendError(f"the SMS gateway did not answer: {type(error).__name__}: {error}") from error
    answer = response.text.strip()[:200]
    if response.status_code == 202:
        return f"kannel: {answer}"
    raise SendError(
        f"the SMS gateway answered {response.status_code}: {answer}",
        permanent=response.status_code == 400,  # the number or text was refused; others may recover
    )


def sign_webhook(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """``v1,<signature>`` of the Standard Webhooks scheme (standardwebhooks.com, "Signature scheme")."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    digest = hmac.new(key, f"{message_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def _check_target(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SendError(f"not an http(s) URL: {url}", permanent=True)
    if settings.DISSEMINATION_ALLOW_PRIVATE_TARGETS:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    except socket.gaierror as error:
        raise SendError(f"cannot resolve {parts.hostname}: {error}") from error
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if address.is_private or address.is_loopback or address.is_link_local or address.is_reserved:
            raise SendError(
                f"{parts.hostname} resolves to {address}, a private address: refused", permanent=True
            )


def send_webhook(address: str, secret: str, message: OutgoingMessage) -> str:
    _check_target(address)
    timestamp = int(time.time())
    message_id = f"hushdor-delivery-{message.delivery_id}"
    headers = {
        "content-type": "application/cap+xml",
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign_webhook(secret, message_id, timestamp, message.cap_xml),
    }
    try:
        with _http().stream("POST", address, content=message.cap_xml, headers=headers) as response:
            received = 0
            for chunk in response.iter_bytes():
                received += len(chunk)
                if received > MAX_RESPONSE_BYTES:
                    break
            status = response.status_code
    except httpx.HTTPError as error:
        raise SendError(f"{type(error).__name__}: {error}") from error
    if 200 <= status < 300:
        return message_id
    permanent = status == 410 or (400 <= status < 500 and status not in (408, 425, 429))
    raise SendError(f"HTTP {status} from {address}", permanent=permanent)


def send_email(address: str, message: OutgoingMessage, *, attach_cap: bool = True) -> str:
    mail = EmailMessage()
    mail["From"] = settings.SMTP_FROM
    mail["To"] = address
    mail["Subject"] = message.subject
    mail["Message-ID"] = f"<hushdor-delivery-{message.delivery_id}@{settings.CAP_SENDER}>"
    mail["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
    mail["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    mail.set_content(message.text)
    if attach_cap:
        mail.add_attachment(
            message.cap_xml, maintype="application", subtype="cap+xml", filename=f"{message.cap_identifier}.xml"
        )
    try:
        with smtplib.SMTP(settings.SMTP_HOST, settings.SMTP_PORT, timeout=10) as smtp:
            if settings.SMTP_STARTTLS:
                smtp.starttls()
            if settings.SMTP_USER:
                smtp.login(settings.SMTP_USER, settings.SMTP_PASSWORD)
            refused = smtp.send_message(mail)
    except smtplib.SMTPRecipientsRefused as error:
        raise SendError(f"the server refused {address}: {error.recipients}", permanent=True) from error
    except smtplib.SMTPResponseException as error:
        reply = error.smtp_error
        text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
        raise SendError(
            f"the SMTP server answered {error.smtp_code} for {address}: {text}",
            permanent=500 <= error.smtp_code < 600,
        ) from error
    except (OSError, smtplib.SMTPException) as error:
        raise SendError(f"{type(error).__name__}: {error}") from error
    if refused:
        raise SendError(f"the server refused {address}: {refused}", permanent=True)
    return mail["Message-ID"]


def cbc_requests(cap_xml: bytes, *, earlier: tuple[bytes, ...] = ()) -> list[tuple[str, str, dict | None]]:
    """(method, path, JSON body) per CBS message of a signed CAP alert, for an ECBE-style CBC.

    A Cancel withdraws the identifiers that the ``earlier`` messages of its chain were broadcast
    under: the Cancel's own info (severity, urgency) would give other identifiers."""
    from datetime import UTC, datetime

    from hushdor.cap.xml import parse
    from hushdor.cbs.from_cap import messages_for

    parsed = parse(cap_xml)
    if parsed.alert is None:
        raise SendError("the alert's CAP XML cannot be read for cell broadcast", permanent=True)
    alert = parsed.alert
    if alert.msg_type == "Cancel":
        withdrawn: list[int] = []
        for data in earlier:
            before = parse(data).alert
            if before is not None and before.msg_type != "Cancel":
                withdrawn += [m.message_id for m in messages_for(before)]
        withdrawn = withdrawn or [m.message_id for m in messages_for(alert)]
        return [("DELETE", f"/api/ecbe/v1/message/{number}", None) for number in dict.fromkeys(withdrawn)]
    requests = []
    for message in messages_for(alert):
        info = next((i for i in alert.infos if i.language.split("-")[0].lower() == message.language), None)
        expires = info.expires if info is not None else None
        seconds = int((expires - datetime.now(UTC)).total_seconds()) if expires else None
        body = {
            "cbe_name": "hushdor",
            "category": "high_priority" if message.message_id in (4370, 4371, 4372, 4383, 4384, 4385) else "normal",
            "repetition_period": 30,
            "num_of_bcast": 0,
            "scope": {"scope_plmn": {}},
            "smscb_message": {
                "message_id": message.message_id,
                "serial_nr": {"serial_nr_encoded": message.serial.value},
                "payload": {"payload_encoded": {"dcs": message.dcs, "pages": [page[6:].hex() for page in message.pages]}},
            },
        }
        if seconds is not None:
            body["warning_period_sec"] = max(seconds, 60)
        requests.append(("POST", "/api/ecbe/v1/message", body))
    return requests


def send_cbc(address: str, message: OutgoingMessage, *, earlier: tuple[bytes, ...] = ()) -> str:
    """Hand the alert's cell-broadcast messages to the CBC at ``address`` (its base URL)."""
    requests = cbc_requests(message.cap_xml, earlier=earlier)
    base = address.rstrip("/")
    done = []
    try:
        client = _http()
        for method, path, body in requests:
            response = client.request(method, base + path, json=body)
            if method == "DELETE" and response.status_code == 404:
                done.append(f"{path.rsplit('/', 1)[1]} already gone")
                continue
            if not 200 <= response.status_code < 300:
                raise SendError(
                    f"the CBC answered {response.status_code} to {method} {path}: {response.text[:200]}",
                    permanent=400 <= response.status_code < 500 and response.status_code not in (408, 429),
                )
            done.append(f"{method} {body['smscb_message']['message_id'] if body else path.rsplit('/', 1)[1]}")
    except httpx.HTTPError as error:
        raise SendError(f"the CBC did not answer: {type(error).__name__}: {error}") from error
    return "cbc: " + ", ".join(done)


def vapid_key_path() -> str:
    """The VAPID private key (PEM): HUSHDOR_VAPID_KEY, or one generated once under var/vapid/."""
    import os
    from pathlib import Path

    configured = os.environ.get("HUSHDOR_VAPID_KEY")
    if configured:
        return configured
    path = Path(settings.VAR_DIR) / "vapid" / "private.pem"
    if not path.exists():
        from py_vapid import Vapid02

        path.parent.mkdir(parents=True, exist_ok=True)
        key = Vapid02()
        key.generate_keys()
        key.save_key(str(path))
        path.chmod(0o600)
    return str(path)


def vapid_public_key() -> str:
    """The application server key a browser needs to subscribe (base64url, uncompressed point)."""
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
    from py_vapid import Vapid02

    key = Vapid02.from_file(vapid_key_path())
    raw = key.public_key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def send_webpush(address: str, keys_json: str, message: OutgoingMessage, *, ttl_s: int) -> str:
    import json

    from pywebpush import WebPushException, webpush

    _check_target(address)
    try:
        keys = json.loads(keys_json)
        info = {"endpoint": address, "keys": {"p256dh": keys["p256dh"], "auth": keys["auth"]}}
    except (ValueError, KeyError, TypeError):
        raise SendError("the push subscription's keys (p256dh, auth) are missing or not JSON", permanent=True) from None
    payload = json.dumps(
        {
            "identifier": message.cap_identifier,
            "headline": message.subject,
            "instruction": message.instruction,
            "url": f"{settings.PUBLIC_URL}/cap/",
            "delivery": message.delivery_id,
        },
        ensure_ascii=False,
    )
    try:
        response = webpush(
            info,
            data=payload,
            vapid_private_key=vapid_key_path(),
            vapid_claims={"sub": f"mailto:{settings.SMTP_FROM}"},
            ttl=max(ttl_s, 0),
            timeout=10,
        )
    except WebPushException as error:
        status = error.response.status_code if error.response is not None else 0
        raise SendError(
            f"the push service answered {status or 'nothing'}: {str(error)[:200]}",
            permanent=status in (400, 403, 404, 410, 413),
        ) from error
    except Exception as error:  # requests' connection errors and timeouts
        raise SendError(f"the push service did not answer: {type(error).__name__}: {error}") from error
    return f"push {response.status_code} {response.headers.get('Location', '')}".strip()
