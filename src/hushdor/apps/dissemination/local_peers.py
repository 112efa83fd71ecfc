"""Local delivery peers for the demo and the tests: a real Kannel with its fake SMS centre, an SMTP
server and a webhook endpoint, all on loopback.

* :class:`LocalKannel` runs Debian's ``bearerbox`` and ``smsbox`` with the shipped
  ``hushdor/data/kannel/kannel.conf`` (ports moved where asked) and ``fakesmsc`` from ``kannel-extras`` as
  the SMS centre; :meth:`LocalKannel.received` reads back what the SMS centre got, concatenated parts
  joined and UCS-2 decoded.
* :class:`SmtpSink` (aiosmtpd) keeps each message as an ``.eml`` file.
* :class:`WebhookSink` checks each Standard Webhooks signature with the subscription's secret and keeps
  the body; it answers 200 only to a valid signature (401 otherwise).

Nothing here is used by a production installation: the demo (``hushdor dissemination demo-peers``)
and the tests start them so that every channel is exercised against its real peer.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import socket
import subprocess
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import hushdor

BEARERBOX, SMSBOX, FAKESMSC = "/usr/sbin/bearerbox", "/usr/sbin/smsbox", "/usr/lib/kannel/test/fakesmsc"
KANNEL_PORTS = (13000, 13001, 13013, 10000)  # admin, smsbox, sendsms, fake SMS centre (kannel.conf)
KANNEL_DEMO_USER, KANNEL_DEMO_PASSWORD = "hushdor", "change-this-sendsms-password"


def kannel_conf() -> Path:
    """The shipped, documented configuration (package data: hushdor/data/kannel/kannel.conf)."""
    return Path(hushdor.__file__).resolve().parent / "data" / "kannel" / "kannel.conf"


def kannel_missing() -> list[str]:
    return [path for path in (BEARERBOX, SMSBOX, FAKESMSC) if not Path(path).exists()]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_busy(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def wait_port(port: int, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if port_busy(port):
            return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port} after {seconds:g} s")


class LocalKannel:
    def __init__(self, folder: Path, *, ports: dict[int, int] | None = None) -> None:
        self.folder = folder
        self.ports = ports or {port: port for port in KANNEL_PORTS}
        self.processes: list[subprocess.Popen] = []
        self.sendsms_url = f"http://127.0.0.1:{self.ports[13013]}/cgi-bin/sendsms"

    def _start(self, *command: str, log: str) -> None:
        handle = (self.folder / "run" / log).open("ab")
        self.processes.append(
            subprocess.Popen(command, cwd=self.folder, stdout=handle, stderr=subprocess.STDOUT)
        )

    def start(self) -> None:
        """bearerbox, then the fake SMS centre, then smsbox (the order Kannel's own checks use)."""
        text = kannel_conf().read_text()
        for old, new in self.ports.items():
            text = re.sub(rf"= {old}\b", f"= {new}", text)
        (self.folder / "run" / "store").mkdir(parents=True, exist_ok=True)
        (self.folder / "run" / "dlrspool").mkdir(parents=True, exist_ok=True)
        (self.folder / "kannel.conf").write_text(text)
        self._start(BEARERBOX, "-v", "1", "kannel.conf", log="bb.out")
        wait_port(self.ports[10000])
        self._start(FAKESMSC, "-H", "127.0.0.1", "-r", str(self.ports[10000]), "-m", "0", "1 2 text nop",
                    log="fakesmsc.out")
        time.sleep(0.5)
        self._start(SMSBOX, "-v", "1", "kannel.conf", log="sb.out")
        wait_port(self.ports[13013])

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes.clear()

    def received(self) -> list[tuple[str, str]]:
        """(receiver, text) of every message the fake SMS centre got, concatenated parts joined."""
        path = self.folder / "run" / "fakesmsc.out"
        if not path.exists():
            return []
        messages = []
        parts: dict[tuple[str, int], dict[int, str]] = {}
        for line in path.read_text(errors="replace").splitlines():
            match = re.search(r"Got message \d+: <(\S+) (\S+) (.*)>$", line)
            if not match:
                continue
            _sender, receiver, rest = match.groups()
            udh = b""
            if rest.startswith("udh "):
                udh_text, rest = rest[4:].split(" ", 1)
                udh = urllib.parse.unquote_to_bytes(udh_text)
            kind, _, data = rest.partition(" ")
            raw = urllib.parse.unquote_to_bytes(data.replace("+", "%20"))  # fakesmsc URL-encodes
            text = raw.decode("utf-16-be", "replace") if kind in ("ucs-2", "data") else raw.decode("latin-1")
            if len(udh) >= 6 and udh[1] == 0:  # 8-bit reference concatenation: ref, total, sequence
                key = (receiver, udh[3])
                parts.setdefault(key, {})[udh[5]] = text
                if len(parts[key]) == udh[4]:
                    messages.append((receiver, "".join(parts[key][i] for i in sorted(parts[key]))))
                    del parts[key]
            else:
                messages.append((receiver, text))
        return messages


class SmtpSink:
    def __init__(self, folder: Path, port: int) -> None:
        from aiosmtpd.controller import Controller

        folder.mkdir(parents=True, exist_ok=True)
        self.folder, self.count = folder, 0
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                sink.count += 1
                (folder / f"{int(time.time() * 1000)}-{sink.count}.eml").write_bytes(envelope.content)
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=port)

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()


class WebhookSink:
    def __init__(self, folder: Path, port: int, secret: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        key = base64.b64decode(secret.removeprefix("whsec_"))
        self.received: list[dict] = []
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                message_id, stamp = self.headers.get("webhook-id", ""), self.headers.get("webhook-timestamp", "")
                digest = hmac.new(key, f"{message_id}.{stamp}.".encode() + body, hashlib.sha256).digest()
                valid = hmac.compare_digest(
                    self.headers.get("webhook-signature", ""), "v1," + base64.b64encode(digest).decode()
                )
                record = {"id": message_id, "valid": valid, "bytes": len(body), "path": self.path}
                sink.received.append(record)
                if valid:
                    (folder / f"{message_id}.xml").write_bytes(body)
                (folder / "log.jsonl").open("a").write(json.dumps(record) + "\n")
                self.send_response(200 if valid else 401)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        class Server(ThreadingHTTPServer):
            request_queue_size = 256

        self.server = Server(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/cap"

    def start(self) -> None:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
