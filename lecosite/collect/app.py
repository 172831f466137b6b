"""The collector's HTTP face: a small Starlette app in front of the store.

It accepts what the beacon sends and nothing else: validated xAPI statements, from the
portal's own origin(s), in bounded sizes and at a bounded rate. A 200 means committed.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import hmac
import ipaddress
import json
import logging
import math
import sqlite3
import threading
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from lecosite import xapi
from lecosite.collect.relay import Relay, Upstream
from lecosite.collect.store import Conflict, Row, Store

ACCEPTED_TYPES = {"application/json", "text/plain"}  # text/plain: a CORS "simple" request
ALLOWED_HEADERS = {"content-type", "x-experience-api-version"}
FORWARDED = ("forwarded", "x-forwarded-for", "x-real-ip")  # what reverse proxies set
log = logging.getLogger("lecosite.collect")


@dataclass
class CollectorConfig:
    """Everything the collector needs; the CLI and ``serve_collector`` fill it."""

    db: Path
    allow_origins: list[str] = field(default_factory=list)
    upstream: Upstream | None = None
    max_body: int = 1024 * 1024  # bytes per request: past this, 413
    max_statements: int = 1000  # per request: past this, 413
    rate: float = 20.0  # requests per second per client, sustained
    burst: int = 100  # requests a client may send at once
    sync: str = "full"  # SQLite synchronous: full survives power loss, normal a killed process
    relay_backoff_max: float = 300.0
    health_token: str | None = None  # shows /health's details to 'Authorization: Bearer …'


class Refusals:
    """Requests refused, by reason. A learner's browser cannot tell the operator that a
    mistyped --allow-origin or a stricter collector turns statements away: /health counts
    them, and the log says so once a minute per reason."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self._told: dict[str, float] = {}

    def note(self, reason: str, detail: str) -> None:
        self.counts[reason] = self.counts.get(reason, 0) + 1
        now = time.monotonic()
        if now - self._told.get(reason, -math.inf) >= 60:
            self._told[reason] = now
            log.warning("refused statements (%s): %s", reason, detail)


def normalize_origin(value: str) -> str:
    """'https://Learn.Example.com:443/academy/' -> 'https://learn.example.com', as browsers
    send it (the scheme's default port left out), or the origin would never match."""
    parts = urlsplit(value.strip())
    example = "use e.g. https://learn.example.com"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an origin: {value!r} ({example})")
    if "@" in parts.netloc:
        raise ValueError(f"an origin has no user name: {value!r} ({example})")
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f"not a port number in {value!r} ({example})") from None
    default = {"http": 80, "https": 443}[parts.scheme]
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{parts.scheme}://{host}" + (f":{port}" if port not in (None, default) else "")


class RateLimiter:
    """A token bucket per client address; memory stays bounded by pruning full buckets."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.burst = burst
        self.buckets: dict[str, tuple[float, float]] = {}

    def take(self, client: str) -> float:
        """0 if the request may pass, else the seconds until it would."""
        if self.rate <= 0:
            return 0.0
        now = time.monotonic()
        tokens, last = self.buckets.get(client, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - last) * self.rate)
        if tokens < 1:
            self.buckets[client] = (tokens, now)
            return (1 - tokens) / self.rate
        self.buckets[client] = (tokens - 1, now)
        if len(self.buckets) > 50_000:
            self._prune(now)
        return 0.0

    def _prune(self, now: float) -> None:
        full = [c for c, (t, last) in self.buckets.items()
                if t + (now - last) * self.rate >= self.burst]
        for client in full:
            del self.buckets[client]


class _NotJSON(ValueError):
    """What Python's json reads but JSON has not: stored, it would be text no LRS accepts."""


def _no_constant(name: str) -> float:
    raise _NotJSON(f"{name} is not a JSON value")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _NotJSON(f"the number {text} is out of range")
    return value


def _json_body(body: bytes | bytearray) -> Any:
    """The request's JSON, refusing NaN, Infinity and numbers that overflow to them."""
    return json.loads(body, parse_constant=_no_constant, parse_float=_finite)


def _loopback(host: str) -> bool:
    """127.0.0.1, ::1 and ::ffff:127.0.0.1 (an IPv4 client of a dual-stack socket)."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:  # a Unix socket's path, or no address at all
        return False
    return (getattr(address, "ipv4_mapped", None) or address).is_loopback


def _error(status: int, message: str, headers: dict[str, str] | None = None,
           **extra: Any) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status, headers=headers)


def create_app(config: CollectorConfig) -> Starlette:
    """The ASGI app; the store and relay start with it and stop with it."""
    origins = {normalize_origin(o) for o in config.allow_origins}
    limiter = RateLimiter(config.rate, config.burst)
    refusals = Refusals()
    holder: dict[str, Any] = {"refusals": refusals}
    allowed = ", ".join(sorted(origins)) or "none: pass --allow-origin"

    def refuse(reason: str, status: int, message: str, headers: dict[str, str] | None,
               detail: str = "", **extra: Any) -> Response:
        refusals.note(reason, detail or message)
        return _error(status, message, headers, **extra)

    def cors(request: Request) -> dict[str, str] | None:
        """CORS headers for an allowed origin, {} without an Origin, None for a foreign one."""
        origin = request.headers.get("origin")
        if origin is None:
            return {"X-Experience-API-Version": xapi.XAPI_VERSION}
        if origin.lower() not in origins:
            return None
        return {"Access-Control-Allow-Origin": origin, "Vary": "Origin",
                "X-Experience-API-Version": xapi.XAPI_VERSION}

    def foreign(request: Request) -> Response:
        origin = request.headers.get("origin")
        return refuse("origin", 403, "origin not allowed", None,
                      f"origin {origin} is not allowed (allowed: {allowed})")

    async def preflight(request: Request) -> Response:
        headers = cors(request)
        if headers is None:
            return foreign(request)
        method = request.headers.get("access-control-request-method", "POST")
        asked = request.headers.get("access-control-request-headers", "")
        wanted = {h.strip().lower() for h in asked.split(",") if h.strip()}
        if method.upper() != "POST" or not wanted <= ALLOWED_HEADERS:
            return _error(403, "only POST with Content-Type and X-Experience-API-Version",
                          headers)
        headers |= {"Access-Control-Allow-Methods": "POST, OPTIONS",
                    "Access-Control-Allow-Headers": "Content-Type, X-Experience-API-Version",
                    "Access-Control-Max-Age": "7200"}
        return Response(status_code=204, headers=headers)

    async def post_statements(request: Request) -> Response:
        headers = cors(request)
        if headers is None:
            return foreign(request)
        client = request.client.host if request.client else "unknown"
        wait = limiter.take(client)
        if wait:
            return refuse("rate", 429, "too many requests; retry later",
                          headers | {"Retry-After": str(max(1, round(wait)))},
                          f"client {client} sent more than --rate {config.rate:g} requests "
                          f"a second (--burst {config.burst})")
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media not in ACCEPTED_TYPES:
            return refuse("invalid", 415, "send statements as application/json", headers)
        encoding = request.headers.get("content-encoding", "identity").strip().lower()
        if encoding != "identity":
            return refuse("invalid", 415, f"Content-Encoding {encoding} is not accepted; send "
                          "the body uncompressed", headers)
        too_large = f"body larger than {config.max_body} bytes"
        declared = request.headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > config.max_body):
            return refuse("too_large", 413, too_large, headers)
        body = bytearray()
        try:
            async for chunk in request.stream():
                body += chunk
                if len(body) > config.max_body:
                    return refuse("too_large", 413, too_large, headers)
        except ClientDisconnect:  # the sender gave up mid-body: nothing to store or answer
            return Response(status_code=400)
        try:
            data = _json_body(body)
        except _NotJSON as exc:
            return refuse("invalid", 400, f"body is not JSON: {exc}", headers)
        except (ValueError, UnicodeDecodeError, RecursionError):
            return refuse("invalid", 400, "body is not JSON", headers)
        batch = data if isinstance(data, list) else [data]
        if not batch:
            return refuse("invalid", 400, "no statements", headers)
        if len(batch) > config.max_statements:
            return refuse("too_large", 413, f"more than {config.max_statements} statements",
                          headers)
        rows = []
        for index, stmt in enumerate(batch):
            try:
                rows.append(statement_row(stmt))
            except xapi.StatementError as exc:
                large = isinstance(exc, xapi.StatementTooLarge)
                return refuse("too_large" if large else "invalid", 413 if large else 400,
                              str(exc), headers,
                              f"statement {index} of a request from {client}: {exc}",
                              index=index)
        store: Store = holder["store"]
        if not store.path.exists():  # a commit would go to a file no one can open again
            return _error(503, "store unavailable; retry later", headers)
        try:
            ids = await asyncio.wrap_future(store.submit(rows))
        except Conflict as exc:
            return refuse("conflict", 409, str(exc), headers)
        except Exception:  # not committed, so not acknowledged: the beacon keeps it queued
            return _error(503, "store unavailable; retry later", headers)
        return JSONResponse(ids, headers=headers)

    async def statements(request: Request) -> Response:
        if request.method == "OPTIONS":
            return await preflight(request)
        return await post_statements(request)

    def operator(request: Request) -> bool:
        """May see /health's details (the LRS's address, its errors, the figures): a request
        with the --health-token, or one from this machine that no reverse proxy relayed. A
        proxy here connects from loopback too, but says whom it relays for (X-Forwarded-For);
        a wrong token is refused even from here."""
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if config.health_token and scheme.lower() == "bearer":
            return hmac.compare_digest(given.strip().encode("latin-1"),
                                       config.health_token.encode())
        return (request.client is not None and _loopback(request.client.host)
                and not any(name in request.headers for name in FORWARDED))

    async def health(request: Request) -> Response:
        """Anyone learns whether statements are stored (200 or 503, for an uptime check);
        only the operator learns more."""
        store: Store = holder["store"]
        failing, counts = store.failing, {}
        if not store.path.exists():  # and a reader connecting now would make an empty one
            failing = (f"the database file {store.path} was deleted or moved: statements are "
                       "refused until the collector is restarted")
        else:
            try:
                counts = await asyncio.to_thread(store.counts)
            except sqlite3.Error as exc:
                failing = f"cannot read the database: {exc}"
        out: dict[str, Any] = {"status": "failing" if failing else "ok"}
        # 503 while statements cannot be stored, so a load balancer's or uptime check sees it.
        status, headers = 503 if failing else 200, {"Cache-Control": "no-store"}
        if not operator(request):
            return JSONResponse(out, status_code=status, headers=headers)
        out["stored"] = counts.get("stored")
        if failing:
            out["store_error"] = failing
        if refusals.counts:
            out["refused"] = dict(sorted(refusals.counts.items()))
        relay: Relay | None = holder.get("relay")
        if relay is not None:  # without one, nothing is pending: statements stay here
            state = relay.state
            out["pending"] = counts.get("pending")
            # Refused rows are counted in the file: they stay refused across restarts.
            out["upstream"] = {"url": relay.upstream.describe(), "relayed": state.relayed,
                               "rejected": counts.get("refused"),
                               "last_error": state.last_error}
            if state.standby:
                out["upstream"]["standby"] = ("another collector relays this database; this "
                                              "one relays once that one stops")
        return JSONResponse(out, status_code=status, headers=headers)

    async def about(request: Request) -> Response:
        return JSONResponse({"version": [xapi.XAPI_VERSION]})

    async def not_found(request: Request, exc: Exception) -> Response:
        return _error(404, "not found")

    async def not_allowed(request: Request, exc: Exception) -> Response:
        allow = getattr(exc, "headers", None) or {}  # Starlette names the methods in Allow
        return _error(405, "method not allowed", dict(allow))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # Everything loaded so far lives as long as the process: keep it out of the cyclic
        # collector's full passes, which otherwise stall requests for tens of milliseconds.
        gc.collect()
        gc.freeze()
        store = Store(config.db, sync=config.sync)
        holder["store"] = store
        relay = None
        if config.upstream is not None:
            wake = threading.Event()
            store.notify(wake)
            relay = Relay(config.db, config.upstream, wake=wake,
                          backoff_max=config.relay_backoff_max).start()
            holder["relay"] = relay
        try:
            yield
        finally:
            if relay is not None:
                relay.stop()
            store.close()

    routes = [
        Route("/health", health, methods=["GET"]),
        Route("/xapi/about", about, methods=["GET"]),
        Route("/xapi/statements", statements, methods=["POST", "OPTIONS"]),
        Route("/xapi/statements/", statements, methods=["POST", "OPTIONS"]),
    ]
    app = Starlette(routes=routes, lifespan=lifespan,
                    exception_handlers={404: not_found, 405: not_allowed})
    app.state.holder = holder
    return app


def statement_row(stmt: Any) -> Row:
    """Validate one statement and shape it for the store; assigns an id and a timestamp
    when missing."""
    xapi.validate(stmt, size=0)
    if "id" not in stmt:
        stmt["id"] = xapi.new_id()
    assigned = "timestamp" not in stmt
    if assigned:  # as an LRS does: a retried relay then sends the same statement
        stmt["timestamp"] = xapi.now_iso()
    stmt["id"] = stmt["id"].lower()
    body = xapi.canonical(stmt)
    if len(body.encode()) > xapi.MAX_STATEMENT_BYTES:
        raise xapi.StatementTooLarge(f"is larger than {xapi.MAX_STATEMENT_BYTES} bytes",
                                     "statement")
    stamp = stmt.get("timestamp")
    return Row(id=stmt["id"], verb=stmt["verb"]["id"], object=stmt["object"]["id"],
               actor=stmt["actor"]["account"]["name"],
               timestamp=stamp if isinstance(stamp, str) else None, body=body,
               assigned_timestamp=assigned)
