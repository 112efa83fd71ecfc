"""A real HTTP server on 127.0.0.1 (random port) for the feed pollers' tests: no mocking of httpx.

Each path is a :class:`Route` the test changes between polls: its body, status, validators, and how
slowly it answers (a pause before the headers, or a body trickled out in chunks).
"""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    etag: str = ""
    last_modified: str = ""
    content_type: str = "application/json"
    delay_s: float = 0.0  # before the status line
    chunk_bytes: int = 0  # 0: the body in one write; else in chunks of this size ...
    chunk_pause_s: float = 0.0  # ... with this pause between them
    declare_length: bool = True  # False: no Content-Length, the body ends when the connection closes
    requests: list[dict[str, str]] = field(default_factory=list)
    arrivals: list[float] = field(default_factory=list)  # time.monotonic() of each request
    in_flight: int = 0
    most_in_flight: int = 0


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64  # the default 5 drops simultaneous connections, and the client waits 1 s

    def handle_error(self, request, client_address) -> None:  # a client that gave up is expected here
        pass


class FeedServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.in_flight = 0
        self.most_in_flight = 0  # over all routes
        self._lock = threading.Lock()
        self._server = _QuietServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def route(self, path: str, **fields) -> Route:
        route = self.routes.setdefault(path, Route())
        for name, value in fields.items():
            setattr(route, name, value)
        return route

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{path}"

    def __enter__(self) -> FeedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                route = server.routes.get(urlsplit(self.path).path)
                if route is None:
                    self._answer(404, b"")
                    return
                with server._lock:
                    route.requests.append(dict(self.headers))
                    route.arrivals.append(time.monotonic())
                    route.in_flight += 1
                    route.most_in_flight = max(route.most_in_flight, route.in_flight)
                    server.in_flight += 1
                    server.most_in_flight = max(server.most_in_flight, server.in_flight)
                try:
                    with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up
                        self._serve(route)
                finally:
                    with server._lock:
                        route.in_flight -= 1
                        server.in_flight -= 1

            def _serve(self, route: Route) -> None:
                if route.delay_s:
                    time.sleep(route.delay_s)
                if route.status != 200:
                    self._answer(route.status, b"")
                    return
                if (route.etag and self.headers.get("If-None-Match") == route.etag) or (
                    route.last_modified and self.headers.get("If-Modified-Since") == route.last_modified
                ):
                    self.send_response(304)
                    self._validators(route)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", route.content_type)
                if route.declare_length:
                    self.send_header("Content-Length", str(len(route.body)))
                self._validators(route)
                self.end_headers()
                size = route.chunk_bytes or len(route.body) or 1
                for start in range(0, len(route.body), size):
                    if start and route.chunk_pause_s:
                        time.sleep(route.chunk_pause_s)
                    self.wfile.write(route.body[start : start + size])
                    self.wfile.flush()

            def _validators(self, route: Route) -> None:
                if route.etag:
                    self.send_header("ETag", route.etag)
                if route.last_modified:
                    self.send_header("Last-Modified", route.last_modified)

            def _answer(self, status: int, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        return Handler
