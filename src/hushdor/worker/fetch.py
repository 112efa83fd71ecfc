"""Fetch many feed documents at once over async HTTP, so one slow source never delays the others.

The pollers (monitoring's seismic feeds, alerts' CAP feeds) hand :func:`fetch_all` a list of
:class:`FetchRequest` and get one :class:`FetchResult` per request, in the same order. Every request
has its own connect and read timeouts and a total deadline, carries the conditional-GET validators
(``If-None-Match`` / ``If-Modified-Since``), and is read as a stream that stops past the size limit.
A result never raises: a failure is a result with the reason in plain words, for the operator.

No Django here: the pollers do their database work before and after, outside the event loop.
:func:`fetch_all` runs its own event loop (``asyncio.run``), so call it from synchronous code only.

Backoff with jitter follows M. Brooker, "Exponential Backoff And Jitter", AWS Architecture Blog,
2015-03-04: delays double per consecutive failure up to a cap, and a random fraction is taken off
so that sources which failed together (a shared network outage) do not retry in lockstep.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import httpx

from hushdor import __version__

log = logging.getLogger("hushdor.worker.fetch")

USER_AGENT = f"hushdor/{__version__} (early-warning feed poller)"

FetchState = Literal["fetched", "not_modified", "failed"]


class InvalidFetchSettings(ValueError):
    """A timeout, limit or backoff setting that cannot work (named in the message)."""


@dataclass(frozen=True)
class FetchLimits:
    """Per request: how long to wait for a connection, for the next bytes, and for the whole document."""

    connect_timeout_s: float = 5.0
    read_timeout_s: float = 10.0
    deadline_s: float = 30.0
    max_bytes: int = 16 * 1024 * 1024

    def __post_init__(self) -> None:
        for name in ("connect_timeout_s", "read_timeout_s", "deadline_s", "max_bytes"):
            if not getattr(self, name) > 0:
                raise InvalidFetchSettings(f"{name} must be positive, not {getattr(self, name)!r}")


@dataclass(frozen=True)
class Backoff:
    """Wait ``interval × 2^failures`` after a failure, at most ``cap_s``, less a random ``jitter`` share."""

    cap_s: float
    jitter: float = 0.2

    def __post_init__(self) -> None:
        if not self.cap_s > 0:
            raise InvalidFetchSettings(f"the backoff cap must be positive, not {self.cap_s!r}")
        if not 0.0 <= self.jitter < 1.0:
            raise InvalidFetchSettings(f"the backoff jitter must be in [0, 1), not {self.jitter!r}")

    def nominal_s(self, *, interval_s: float, failures: int) -> float:
        """The delay before jitter: doubles per failure, capped."""
        return min(self.cap_s, interval_s * 2.0 ** min(max(failures, 0), 62))

    def delay_s(self, *, interval_s: float, failures: int) -> float:
        """The delay to wait: in ``(nominal × (1 − jitter), nominal]``, never above the cap."""
        return self.nominal_s(interval_s=interval_s, failures=failures) * (
            1.0 - self.jitter * random.random()
        )


@dataclass(frozen=True)
class FetchRequest:
    url: str
    etag: str = ""
    last_modified: str = ""
    limits: FetchLimits = field(default_factory=FetchLimits)
    group: str = ""  # requests of one group share the per-group concurrency limit (e.g. one CAP feed)


@dataclass(frozen=True)
class FetchResult:
    url: str
    state: FetchState
    body: bytes = b""
    etag: str = ""
    last_modified: str = ""
    error: str = ""
    elapsed_s: float = 0.0


class _Refused(Exception):
    """The answer is unusable (status, size); the message is the operator's reason."""


def fetch_all(
    requests: Sequence[FetchRequest], *, concurrency: int = 16, per_group: int | None = None
) -> list[FetchResult]:
    """Fetch every request concurrently (at most ``concurrency`` at once, ``per_group`` per group)."""
    if concurrency < 1 or (per_group is not None and per_group < 1):
        raise InvalidFetchSettings(f"concurrency limits must be at least 1 ({concurrency}, {per_group})")
    if not requests:
        return []
    return asyncio.run(_fetch_concurrently(list(requests), concurrency=concurrency, per_group=per_group))


async def _fetch_concurrently(
    requests: list[FetchRequest], *, concurrency: int, per_group: int | None
) -> list[FetchResult]:
    overall = asyncio.Semaphore(concurrency)
    groups = {request.group: asyncio.Semaphore(per_group or concurrency) for request in requests}
    pool = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(
        headers={"User-Agent": USER_AGENT}, follow_redirects=True, limits=pool
    ) as client:

        async def limited(request: FetchRequest) -> FetchResult:
            async with groups[request.group], overall:
                return await fetch_one(client, request)

        return list(await asyncio.gather(*(limited(request) for request in requests)))


async def fetch_one(client: httpx.AsyncClient, request: FetchRequest) -> FetchResult:
    """One conditional GET within the request's limits. Never raises for network or server trouble."""
    started = time.monotonic()
    limits = request.limits
    try:
        async with asyncio.timeout(limits.deadline_s):
            result = await _get(client, request)
    except TimeoutError:
        reason = f"no complete document within the deadline of {limits.deadline_s:g} s"
    except httpx.ConnectTimeout:
        reason = f"no connection within {limits.connect_timeout_s:g} s"
    except httpx.TimeoutException:
        reason = f"no answer within {limits.read_timeout_s:g} s"
    except httpx.UnsupportedProtocol:
        reason = f"not an http(s) URL: {request.url}"
    except httpx.ConnectError as error:
        reason = f"could not connect (ConnectError: {error})"
    except httpx.TooManyRedirects:
        reason = "too many redirects"
    except httpx.HTTPError as error:  # protocol errors, connection dropped mid-document, bad encoding
        reason = f"the transfer failed ({type(error).__name__}: {error})"
    except httpx.InvalidURL as error:
        reason = f"not a valid URL: {error}"
    except _Refused as refusal:
        reason = str(refusal)
    except Exception as error:  # one source's surprise never stops the others; the reason is kept
        log.exception("fetching %s failed unexpectedly", request.url)
        reason = f"unexpected error ({type(error).__name__}: {error})"
    else:
        return result
    return FetchResult(url=request.url, state="failed", error=reason, elapsed_s=time.monotonic() - started)


async def _get(client: httpx.AsyncClient, request: FetchRequest) -> FetchResult:
    started = time.monotonic()
    limits = request.limits
    timeout = httpx.Timeout(limits.read_timeout_s, connect=limits.connect_timeout_s, pool=limits.deadline_s)
    async with client.stream("GET", request.url, headers=_conditional(request), timeout=timeout) as response:
        if response.status_code == httpx.codes.NOT_MODIFIED:
            return FetchResult(
                url=request.url,
                state="not_modified",
                etag=response.headers.get("ETag", request.etag),
                last_modified=response.headers.get("Last-Modified", request.last_modified),
                elapsed_s=time.monotonic() - started,
            )
        if response.status_code != httpx.codes.OK:
            raise _Refused(f"HTTP {response.status_code} {response.reason_phrase}".strip())
        body = await _read_limited(response, limits.max_bytes)
        return FetchResult(
            url=request.url,
            state="fetched",
            body=body,
            etag=response.headers.get("ETag", ""),
            last_modified=response.headers.get("Last-Modified", ""),
            elapsed_s=time.monotonic() - started,
        )


def _conditional(request: FetchRequest) -> dict[str, str]:
    headers = {}
    if request.etag:
        headers["If-None-Match"] = request.etag
    if request.last_modified:
        headers["If-Modified-Since"] = request.last_modified
    return headers


async def _read_limited(response: httpx.Response, max_bytes: int) -> bytes:
    """The body, read as a stream; refused as soon as it passes ``max_bytes`` (after decompression)."""
    declared = response.headers.get("Content-Length", "")
    with contextlib.suppress(ValueError):
        if int(declared) > max_bytes:
            raise _Refused(
                f"document of {int(declared):,} bytes is larger than the limit of {max_bytes:,} bytes"
            )
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise _Refused(
                f"document larger than the limit of {max_bytes:,} bytes (stopped reading after {size:,} bytes)"
            )
        chunks.append(chunk)
    return b"".join(chunks)
