"""The collector against a real uvicorn server on 127.0.0.1, a real SQLite file and, for the
relay, a real Ralph LRS in its own virtual environment."""

from __future__ import annotations

import asyncio
import errno
import fcntl
import gzip
import json
import logging
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta, timezone
from pathlib import Path
from typing import Any

import click
import httpx
import pytest
from click.testing import CliRunner
from served import Served, bound_socket, free_port, port_taken
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from lecosite import xapi
from lecosite.cli import main
from lecosite.collect.app import create_app, statement_row
from lecosite.collect.cli import ENV_HEALTH_TOKEN, collect
from lecosite.collect.relay import pending
from lecosite.collect.server import CollectorThread, http_url, make_config
from lecosite.collect.store import Store, snapshot
from lecosite.report.analyze import Content, analyze
from lecosite.report.cli import default_db, report
from lecosite.report.source import from_lrs, from_sqlite

REPO = Path(__file__).resolve().parents[1]
SITE = "http://127.0.0.1:8000/"
PORTAL = "http://127.0.0.1:8000"


def statement(n: int = 0, learner: str | None = None, **extra: Any) -> dict[str, Any]:
    stmt = xapi.statement(
        "experienced", xapi.activity(xapi.module_iri(SITE, f"module-{n % 7}"), "module"),
        actor=xapi.actor(SITE, learner or xapi.new_id()),
        context=xapi.context(SITE, version="1.0.0", path="a-path"))
    return stmt | extra


def rows(db: Path) -> list[dict[str, Any]]:
    conn = sqlite3.connect(db)
    try:
        return [json.loads(b) for (b,) in conn.execute("SELECT body FROM statements ORDER BY seq")]
    finally:
        conn.close()


ATTEMPTS = 5  # ports tried by a collector that can only be given a port number


def start_collector(db: Path, **options: Any) -> CollectorThread:
    """CollectorThread binds the port number it is given, as `lecosite serve` does: a port
    found free a moment before may have been taken meanwhile; then another is tried."""
    for attempt in range(ATTEMPTS):
        server = CollectorThread(db, port=free_port(), **options)
        try:
            return server.start()
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE or attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


@pytest.fixture
def collector(tmp_path: Path) -> Iterator:
    started: list[CollectorThread] = []

    def start(**options: Any) -> CollectorThread:
        options.setdefault("allow_origins", [PORTAL])
        server = start_collector(tmp_path / "statements.sqlite", **options)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def test_stores_single_and_batched_statements_and_answers_ids(collector) -> None:
    c = collector()
    one = statement(1)
    r = httpx.post(c.url + "xapi/statements", json=one, headers={"Origin": PORTAL})
    assert r.status_code == 200 and r.json() == [one["id"]]
    assert r.headers["access-control-allow-origin"] == PORTAL
    assert r.headers["x-experience-api-version"] == "1.0.3"
    batch = [statement(n) for n in range(5)]
    del batch[0]["id"]  # the collector assigns one, as an LRS does
    del batch[1]["timestamp"]  # and a timestamp, so the relay sends the same when it retries
    r = httpx.post(c.url + "xapi/statements", json=batch)
    ids = r.json()
    assert r.status_code == 200 and len(ids) == 5 and ids[1:] == [s["id"] for s in batch[1:]]
    stored = rows(c.config.db)
    assert [s["id"] for s in stored] == [one["id"], *ids]
    assert stored[0] == one
    assert xapi.parse_timestamp(stored[2]["timestamp"]) is not None
    assert {k: v for k, v in stored[2].items() if k != "timestamp"} == batch[1]


def test_text_plain_is_accepted_so_the_beacon_needs_no_preflight(collector) -> None:
    c = collector()
    r = httpx.post(c.url + "xapi/statements", content=json.dumps([statement()]),
                   headers={"Content-Type": "text/plain;charset=UTF-8", "Origin": PORTAL})
    assert r.status_code == 200


def test_resending_is_idempotent_and_a_changed_statement_conflicts(collector) -> None:
    c = collector()
    stmt = statement(3)
    for _ in range(3):
        assert httpx.post(c.url + "xapi/statements", json=[stmt]).status_code == 200
    changed = stmt | {"timestamp": "2020-01-01T00:00:00Z"}
    fresh = statement(4)
    r = httpx.post(c.url + "xapi/statements", json=[fresh, changed])
    assert r.status_code == 409 and "already stored" in r.json()["error"]
    assert [s["id"] for s in rows(c.config.db)] == [stmt["id"]]  # the batch is all or nothing
    # As xAPI compares statements: a timestamp the collector set, or the same instant in
    # another zone, is no difference; a number written otherwise is.
    bare = {k: v for k, v in statement(5).items() if k != "timestamp"}
    for again in (bare, bare):
        assert httpx.post(c.url + "xapi/statements", json=[again]).status_code == 200
    zoned = stmt | {"timestamp": xapi.parse_timestamp(stmt["timestamp"]).astimezone(
        timezone(timedelta(hours=2))).isoformat()}
    assert httpx.post(c.url + "xapi/statements", json=[zoned]).status_code == 200
    scored = statement(6, result={"score": {"raw": 3, "min": 1, "max": 5}})
    assert httpx.post(c.url + "xapi/statements", json=[scored]).status_code == 200
    scored["result"]["score"]["raw"] = 3.0
    assert httpx.post(c.url + "xapi/statements", json=[scored]).status_code == 409


def test_resending_a_statement_whose_row_is_damaged_conflicts_and_fails_no_other(
        collector, caplog) -> None:
    """Comparing with a stored body that is no longer UTF-8 JSON raised, which failed every
    request of the commit group with a 503 (retried, to fail again) and logged the row's
    text: the learner's id."""
    c = collector()
    stmt = statement(3)
    assert httpx.post(c.url + "xapi/statements", json=[stmt]).status_code == 200
    conn = sqlite3.connect(c.config.db)
    with conn:
        conn.execute("UPDATE statements SET body = CAST(CAST(body AS BLOB) || x'ff' AS TEXT)")
    conn.close()
    r = httpx.post(c.url + "xapi/statements", json=[stmt])
    assert r.status_code == 409 and "already stored" in r.json()["error"]
    fresh = statement(4)
    assert httpx.post(c.url + "xapi/statements", json=[fresh]).status_code == 200
    assert httpx.get(c.url + "health").json()["status"] == "ok"
    assert stmt["actor"]["account"]["name"] not in caplog.text


@pytest.mark.parametrize(("body", "content_type", "status", "message"), [
    (b"{not json", "application/json", 400, "not JSON"),
    (b"[]", "application/json", 400, "no statements"),
    (b'[[[[' * 3000, "application/json", 400, "not JSON"),
    (json.dumps([{"verb": {}}]).encode(), "application/json", 400, "actor"),
    (json.dumps({"a": 1}).encode(), "application/x-www-form-urlencoded", 415, "json"),
    (b"", "", 415, "json"),
    (gzip.compress(json.dumps([statement(1)]).encode()), "application/json; gzip", 415,
     "Content-Encoding gzip is not accepted; send the body uncompressed"),
])
def test_bad_payloads_get_a_4xx_with_a_json_reason(collector, body: bytes, content_type: str,
                                                    status: int, message: str) -> None:
    c = collector()
    content_type, _, encoding = content_type.partition("; ")
    headers = {"Content-Type": content_type} if content_type else {}
    headers |= {"Content-Encoding": encoding} if encoding else {}
    r = httpx.post(c.url + "xapi/statements", content=body, headers=headers)
    assert r.status_code == status
    assert message in r.json()["error"]
    assert rows(c.config.db) == []


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_nan_and_infinity_are_refused_not_stored(collector, literal: str) -> None:
    """Python's json reads them; stored, they would be a body no LRS accepts."""
    c = collector()
    stmt = statement(1)
    stmt["context"]["extensions"]["https://example.org/score"] = "PLACEHOLDER"
    body = json.dumps([stmt]).replace('"PLACEHOLDER"', literal)
    r = httpx.post(c.url + "xapi/statements", content=body,
                   headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    assert r.json()["error"].startswith("body is not JSON: ") and literal in r.json()["error"]
    assert rows(c.config.db) == []


def test_the_failing_statement_is_named_by_index(collector) -> None:
    c = collector()
    bad = statement(2)
    bad["verb"]["id"] = "http://example.org/verbs/hacked"
    r = httpx.post(c.url + "xapi/statements", json=[statement(1), bad])
    assert r.status_code == 400
    assert r.json() == {"error": "verb.id: is not a verb lecosite records", "index": 1}


def test_half_an_emoji_is_a_400_that_names_the_statement(collector) -> None:
    """A lone surrogate cannot be stored as UTF-8: it once made the collector answer 500,
    which the beacon retries for ever, holding up every later statement of that learner."""
    c = collector()
    bad = statement(2)
    bad["result"] = {"response": "PLACEHOLDER"}
    body = json.dumps([statement(1), bad]).replace("PLACEHOLDER", "abc\\ud83d")
    r = httpx.post(c.url + "xapi/statements", content=body,
                   headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    assert r.json()["index"] == 1 and "surrogate" in r.json()["error"]


def test_health_never_shows_the_upstream_password(collector) -> None:
    with FakeLRS(fail_first=0) as lrs:
        c = collector(upstream=lrs.url.replace("http://", "http://collector:s3cret@"))
        upstream = httpx.get(c.url + "health").json()["upstream"]
        assert upstream["url"] == lrs.url.rstrip("/") + "/statements"


TOKEN = "Zq3-operator_token.9"
PROXIED = [{"X-Forwarded-For": "203.0.113.9"}, {"Forwarded": "for=203.0.113.9"},
           {"X-Real-IP": "203.0.113.9"}]


def test_health_tells_a_request_through_a_proxy_its_status_only(collector) -> None:
    """A reverse proxy on this machine connects from loopback too: what it relays must not
    see the LRS's address, its error messages or the queue. The operator's token does."""
    with FakeLRS(fail_first=10**6) as lrs:
        c = collector(upstream=lrs.url, relay_backoff_max=0.2, health_token=TOKEN)
        httpx.post(c.url + "xapi/statements", json=[statement()])
        httpx.post(c.url + "xapi/statements", json=[statement()],
                   headers={"Origin": "https://evil.example"})
        assert wait_until(lambda: httpx.get(c.url + "health").json()["upstream"]["last_error"])
        for headers in PROXIED:
            public = httpx.get(c.url + "health", headers=headers)
            assert (public.status_code, public.json()) == (200, {"status": "ok"}), headers
            assert public.headers["cache-control"] == "no-store"
            told = httpx.get(c.url + "health", headers=headers | {
                "Authorization": f"Bearer {TOKEN}"}).json()
            assert told["upstream"]["url"] == lrs.url + "/statements"
            assert told["refused"] == {"origin": 1}
        direct = httpx.get(c.url + "health").json()  # curl on this machine, no token needed
        assert direct["upstream"]["last_error"] and direct["pending"] == 1
        wrong = httpx.get(c.url + "health", headers={"Authorization": f"Bearer {TOKEN}x"})
        assert wrong.json() == {"status": "ok"}  # even from here


def test_health_tells_a_client_elsewhere_its_status_only(tmp_path: Path) -> None:
    """A collector listening on a public address: a client there gets no details, unless it
    has the token."""
    app = create_app(make_config(tmp_path / "s.sqlite", health_token=TOKEN))

    async def ask(**headers: str) -> httpx.Response:
        transport = httpx.ASGITransport(app, client=("203.0.113.9", 40000))
        async with app.router.lifespan_context(app), httpx.AsyncClient(
                transport=transport, base_url="http://collector.example") as http:
            return await http.get("/health", headers=headers)

    def run(coroutine: Any) -> httpx.Response:  # the browser tests' Playwright keeps a loop
        with ThreadPoolExecutor(1) as thread:  # running in this thread: one of its own
            return thread.submit(asyncio.run, coroutine).result()

    public = run(ask())
    assert (public.status_code, public.json()) == (200, {"status": "ok"})
    told = run(ask(Authorization=f"bearer  {TOKEN} "))
    assert told.json() == {"status": "ok", "stored": 0}


def test_the_health_token_comes_from_the_environment(tmp_path: Path, monkeypatch) -> None:
    """Kept out of the command line, which every user of the machine can read in ps."""
    monkeypatch.setenv(ENV_HEALTH_TOKEN, TOKEN)
    proc, port = run_collector_process(tmp_path / "s.sqlite")
    try:
        url = http_url("127.0.0.1", port, "/health")
        proxied = PROXIED[0]
        assert httpx.get(url, headers=proxied).json() == {"status": "ok"}
        told = httpx.get(url, headers=proxied | {"Authorization": f"Bearer {TOKEN}"})
        assert told.json() == {"status": "ok", "stored": 0}
    finally:
        proc.terminate()
        proc.communicate(timeout=30)


def test_a_stopped_collector_leaves_every_statement_in_the_file_itself(collector,
                                                                       tmp_path: Path) -> None:
    """Once /health had been asked, statements stayed in the '-wal' file after a clean stop:
    a copy of the database file alone held none of them."""
    c = collector()
    assert httpx.get(c.url + "health").status_code == 200
    httpx.post(c.url + "xapi/statements", json=[statement(n) for n in range(10)])
    assert httpx.get(c.url + "health").json()["stored"] == 10
    c.stop()
    copy = tmp_path / "copy" / "statements.sqlite"
    copy.parent.mkdir()
    copy.write_bytes(Path(c.config.db).read_bytes())
    conn = sqlite3.connect(copy)
    assert conn.execute("SELECT COUNT(*) FROM statements").fetchone()[0] == 10
    conn.close()


def test_health_counts_the_statements_stored_after_a_purge_and_a_resend(collector) -> None:
    """/health said the last row's number: after an operator deleted old rows it still
    counted them."""
    c = collector()
    sent = [statement(n) for n in range(10)]
    httpx.post(c.url + "xapi/statements", json=sent)
    conn = sqlite3.connect(c.config.db)
    with conn:  # the operator's purge, while the collector runs
        conn.execute("DELETE FROM statements WHERE seq <= 4")
    conn.close()
    httpx.post(c.url + "xapi/statements", json=[*sent[8:], statement(10)])  # 2 stored already
    assert httpx.get(c.url + "health").json()["stored"] == 7


def test_health_counts_the_statements_of_a_file_from_before_the_count(
        collector, tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "statements.sqlite")
    conn.executescript(OLD_SCHEMA)  # rows 1 and 3 left after a purge
    conn.close()
    c = collector()
    assert httpx.get(c.url + "health").json()["stored"] == 2
    httpx.post(c.url + "xapi/statements", json=[statement(1)])
    assert httpx.get(c.url + "health").json()["stored"] == 3


def test_health_counts_the_statements_of_a_file_recovered_from_a_damaged_one(
        collector, tmp_path: Path) -> None:
    """A recovery copies the damaged file's count, but not every row: /health said 2000
    stored of the 1983 recovered, for good."""
    store = Store(tmp_path / "statements.sqlite")
    store.add([statement_row(statement(n)) for n in range(5)])
    store.close()
    conn = sqlite3.connect(tmp_path / "statements.sqlite")
    with conn:
        conn.execute("UPDATE statement_count SET n = 2000")
    conn.close()
    assert httpx.get(collector().url + "health").json()["stored"] == 5


OLD_SCHEMA = """
CREATE TABLE statements (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, verb TEXT NOT NULL,
    object TEXT NOT NULL, actor TEXT NOT NULL, timestamp TEXT, stored TEXT NOT NULL,
    body TEXT NOT NULL, relayed_at TEXT, relay_error TEXT);
INSERT INTO statements (seq, id, verb, object, actor, stored, body)
    VALUES (1, 'a', 'v', 'o', 'x', '2024-01-01T00:00:00Z', '{"id": "a"}'),
           (3, 'b', 'v', 'o', 'x', '2024-01-01T00:00:00Z', '{"id": "b"}');
"""


def test_a_read_only_copy_is_read_with_the_statements_in_its_wal_file(tmp_path: Path) -> None:
    """Where no '-shm' file can be made beside a copy (a read-only folder), the file was read
    as it is: the statements still in its '-wal' file were left out, without a word."""
    live, copy = tmp_path / "live.sqlite", tmp_path / "copy" / "statements.sqlite"
    copy.parent.mkdir()
    store = Store(live)
    store.add([statement_row(statement(n)) for n in range(5)])
    for suffix in ("", "-wal"):  # copied while the collector runs, as a backup would
        Path(f"{copy}{suffix}").write_bytes(Path(f"{live}{suffix}").read_bytes())
    store.close()
    as_is = sqlite3.connect(f"{copy.as_uri()}?mode=ro&immutable=1", uri=True)
    tables = {name for (name,) in as_is.execute("SELECT name FROM sqlite_master")}
    held = (as_is.execute("SELECT COUNT(*) FROM statements").fetchone()[0]
            if "statements" in tables else 0)
    assert held < 5  # left out
    as_is.close()
    read = snapshot(copy, Path(f"{copy}-wal"))
    assert read.execute("SELECT COUNT(*) FROM statements").fetchone()[0] == 5
    read.close()
    assert sorted(p.name for p in copy.parent.iterdir()) == ["statements.sqlite",
                                                             "statements.sqlite-wal"]


def test_oversized_requests_get_413(collector) -> None:
    c = collector(max_body=4096)
    big = [statement(n) for n in range(12)]
    r = httpx.post(c.url + "xapi/statements", json=big)
    assert r.status_code == 413 and "larger than 4096" in r.json()["error"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit holds while streaming
        yield b"["
        for n in range(12):
            yield (b"," if n else b"") + json.dumps(statement(n)).encode()
        yield b"]"

    r = httpx.post(c.url + "xapi/statements", content=chunks(),
                   headers={"Content-Type": "application/json"})
    assert r.status_code == 413
    assert rows(c.config.db) == []


def test_too_many_statements_in_one_request_get_413(collector) -> None:
    c = collector(max_statements=5)
    r = httpx.post(c.url + "xapi/statements", json=[statement(n) for n in range(6)])
    assert r.status_code == 413 and "more than 5 statements" in r.json()["error"]


def test_a_statement_over_the_size_cap_is_413_like_any_size_limit(collector) -> None:
    c = collector()
    huge = statement(1)
    huge["context"]["extensions"]["https://example.org/x"] = "x" * (xapi.MAX_STATEMENT_BYTES + 10)
    rated = xapi.statement("responded", xapi.rating_activity(SITE, "m"),
                           actor=xapi.actor(SITE, "l"),
                           result=xapi.rating_result(2, "fine"))
    rated["result"]["extensions"]["https://example.org/note"] = "long " * 8000
    for stmt in (huge, rated):
        r = httpx.post(c.url + "xapi/statements", json=[statement(2), stmt])
        assert r.status_code == 413 and "larger than" in r.json()["error"]
        assert r.json()["index"] == 1
    assert rows(c.config.db) == []


def test_a_database_deleted_under_the_collector_is_said_and_nothing_is_acknowledged(
        collector) -> None:
    """Statements committed into a deleted file could never be read: refused with 503, so
    browsers keep them queued, and /health says why."""
    c = collector()
    assert httpx.post(c.url + "xapi/statements", json=[statement(1)]).status_code == 200
    for suffix in ("", "-wal", "-shm"):
        Path(f"{c.config.db}{suffix}").unlink(missing_ok=True)
    r = httpx.post(c.url + "xapi/statements", json=[statement(2)])
    assert r.status_code == 503
    health = httpx.get(c.url + "health")
    assert health.status_code == 503 and health.json()["status"] == "failing"
    assert "was deleted or moved" in health.json()["store_error"]
    public = httpx.get(c.url + "health", headers=PROXIED[0])  # no path of this machine
    assert (public.status_code, public.json()) == (503, {"status": "failing"})


@pytest.mark.parametrize("rate", [0.1, 0.25])
def test_each_client_is_rate_limited_with_429(collector, rate: float) -> None:
    c = collector(rate=rate, burst=2)
    start = time.monotonic()
    codes = [httpx.post(c.url + "xapi/statements", json=[statement(n)]).status_code
             for n in range(4)]
    assert codes == [200, 200, 429, 429]
    r = httpx.post(c.url + "xapi/statements", json=[statement(9)])
    elapsed = time.monotonic() - start
    assert r.status_code == 429
    # The burst is spent: the next token comes 1/rate seconds after the first request, less
    # what has refilled since (at most ``elapsed`` seconds' worth), rounded to whole seconds.
    assert max(1, round(1 / rate - elapsed)) <= int(r.headers["retry-after"]) <= round(1 / rate)
    assert "too many" in r.json()["error"]
    assert len(rows(c.config.db)) == 2


def test_the_rate_limit_keys_on_x_forwarded_for_only_from_a_trusted_proxy(
        collector, tmp_path: Path) -> None:
    def codes(c: Any, clients: list[str]) -> list[int]:
        return [httpx.post(c.url + "xapi/statements", json=[statement()],
                           headers={"X-Forwarded-For": client}).status_code
                for client in clients]

    learners = ["198.51.100.1", "198.51.100.2", "198.51.100.1"]
    trusted = collector(rate=0.01, burst=1, forwarded_allow_ips="127.0.0.1")
    assert codes(trusted, learners) == [200, 200, 429]  # one bucket per learner
    default = collector(rate=0.01, burst=1)  # as before the option: a proxy on this machine
    assert codes(default, learners) == [200, 200, 429]
    elsewhere = collector(rate=0.01, burst=1, forwarded_allow_ips="192.0.2.7")
    assert codes(elsewhere, learners) == [200, 429, 429]  # the header is not believed
    proc, port = run_collector_process(tmp_path / "proxy.sqlite", "--rate", "0.01", "--burst",
                                       "1", "--forwarded-allow-ips", "192.0.2.7,10.0.0.0/8")
    try:
        url = f"http://127.0.0.1:{port}/xapi/statements"
        assert [httpx.post(url, json=[statement()], headers={"X-Forwarded-For": ip}).status_code
                for ip in learners[:2]] == [200, 429]
    finally:
        proc.terminate()
        proc.wait(10)


def test_cors_only_for_the_portal_origin(collector) -> None:
    # The default port as written in a URL: browsers leave it out of the Origin they send.
    c = collector(allow_origins=["http://127.0.0.1:8000/academy/",
                                 "https://Learn.Example.com:443"])
    ok = httpx.options(c.url + "xapi/statements", headers={
        "Origin": "https://learn.example.com", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type, x-experience-api-version"})
    assert ok.status_code == 204
    assert ok.headers["access-control-allow-origin"] == "https://learn.example.com"
    assert "POST" in ok.headers["access-control-allow-methods"]
    assert "X-Experience-API-Version" in ok.headers["access-control-allow-headers"]
    foreign = {"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
    bad = httpx.options(c.url + "xapi/statements", headers=foreign)
    assert bad.status_code == 403 and "access-control-allow-origin" not in bad.headers
    odd = httpx.options(c.url + "xapi/statements", headers={
        "Origin": PORTAL, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization"})
    assert odd.status_code == 403
    r = httpx.post(c.url + "xapi/statements", json=[statement()],
                   headers={"Origin": "https://evil.example"})
    assert r.status_code == 403 and "access-control-allow-origin" not in r.headers
    assert rows(c.config.db) == []
    r = httpx.post(c.url + "xapi/statements", json=[statement()], headers={"Origin": PORTAL})
    assert r.status_code == 200 and r.headers["access-control-allow-origin"] == PORTAL


def test_health_unknown_routes_and_methods_answer_json(collector) -> None:
    c = collector()
    httpx.post(c.url + "xapi/statements", json=[statement(), statement()])
    health = httpx.get(c.url + "health").json()
    assert health == {"status": "ok", "stored": 2}  # no upstream: nothing is pending
    assert httpx.get(c.url + "nope").json() == {"error": "not found"}
    wrong = httpx.get(c.url + "xapi/statements")
    allowed = set(wrong.headers["allow"].split(", "))  # Starlette's order varies by run
    assert (wrong.status_code, allowed) == (405, {"OPTIONS", "POST"})
    assert httpx.get(c.url + "xapi/about").json() == {"version": ["1.0.3"]}


def test_refused_requests_are_counted_in_health_and_logged_once_a_minute(
        collector, caplog) -> None:
    """A mistyped --allow-origin turns every learner's statements away: the browser cannot
    say so, the collector must."""
    c = collector()
    caplog.set_level(logging.WARNING, logger="lecosite.collect")
    for _ in range(3):
        r = httpx.post(c.url + "xapi/statements", json=[statement()],
                       headers={"Origin": "https://www.learn.example.com"})
        assert r.status_code == 403
    wrong = statement() | {"verb": {"id": "http://example.com/verbs/poked"}}
    assert httpx.post(c.url + "xapi/statements", json=[wrong]).status_code == 400
    assert httpx.post(c.url + "xapi/statements", json=[statement()]).status_code == 200
    health = httpx.get(c.url + "health").json()
    assert health == {"status": "ok", "stored": 1, "refused": {"invalid": 1, "origin": 3}}
    told = [r.getMessage() for r in caplog.records if r.name == "lecosite.collect"]
    assert told[0] == ("refused statements (origin): origin https://www.learn.example.com is "
                       f"not allowed (allowed: {PORTAL})")
    assert len(told) == 2 and told[1].startswith("refused statements (invalid): statement 0 ")


def test_health_says_failing_while_statements_cannot_be_stored(collector, caplog) -> None:
    """A full disk refuses every statement with 503 (the beacon keeps them queued); an
    uptime check on /health must see it, and the log must say it once."""
    c = collector()
    caplog.set_level(logging.WARNING, logger="lecosite.collect.store")
    conn = sqlite3.connect(c.config.db)
    conn.execute("CREATE TRIGGER full BEFORE INSERT ON statements "
                 "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")
    conn.commit()
    for _ in range(2):
        r = httpx.post(c.url + "xapi/statements", json=[statement()])
        assert r.status_code == 503
    health = httpx.get(c.url + "health")
    assert health.status_code == 503
    assert health.json() == {"status": "failing", "stored": 0,
                             "store_error": "database or disk is full"}
    public = httpx.get(c.url + "health", headers=PROXIED[0])  # the public uptime check
    assert (public.status_code, public.json()) == (503, {"status": "failing"})
    conn.execute("DROP TRIGGER full")
    conn.commit()
    conn.close()
    assert httpx.post(c.url + "xapi/statements", json=[statement()]).status_code == 200
    assert httpx.get(c.url + "health").json() == {"status": "ok", "stored": 1}
    told = [r.getMessage() for r in caplog.records if r.name == "lecosite.collect.store"]
    assert len(told) == 2 and "database or disk is full" in told[0]
    assert told[1].endswith("works again")


def test_every_acknowledged_statement_is_committed_under_concurrency(collector) -> None:
    c = collector(rate=0)
    acked: list[str] = []
    lock = threading.Lock()

    def client(k: int) -> None:
        with httpx.Client() as http:
            for n in range(20):
                batch = [statement(k * 100 + n) for _ in range(5)]
                r = http.post(c.url + "xapi/statements", json=batch)
                assert r.status_code == 200
                with lock:
                    acked.extend(r.json())

    threads = [threading.Thread(target=client, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    conn = sqlite3.connect(c.config.db)
    stored = {i for (i,) in conn.execute("SELECT id FROM statements")}
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    assert len(acked) == 800 and stored == set(acked)


# -- relay -----------------------------------------------------------------------------------


class FakeLRS(Served):
    """An upstream that fails the first few times, then behaves; records what it got."""

    def __init__(self, fail_first: int = 2, refuse: str | None = None,
                 crash: str | None = None) -> None:
        self.fail_first = fail_first
        self.refuse = refuse  # a statement id answered with 400
        self.crash = crash  # one answered with 500, as Ralph does for some IRIs
        self.refuse_all = False  # misconfigured: 400 to everything
        self.login_page = False  # not an LRS at all: 200 and HTML to everything
        self.calls: list[dict[str, Any]] = []
        self.stored: dict[str, dict[str, Any]] = {}

        async def statements(request: Request) -> Response:
            body = json.loads(await request.body())
            self.calls.append({"headers": dict(request.headers), "count": len(body)})
            if len(self.calls) <= self.fail_first:
                return JSONResponse({"error": "down"}, status_code=503)
            if self.login_page:
                return Response("<html><body>Sign in</body></html>", media_type="text/html")
            if self.refuse_all:
                return JSONResponse({"error": "unsupported version header"}, status_code=400)
            if self.refuse and any(s["id"] == self.refuse for s in body):
                return JSONResponse({"error": "bad"}, status_code=400)
            if self.crash and any(s["id"] == self.crash for s in body):
                return JSONResponse({"error": "internal"}, status_code=500)
            for s in body:
                self.stored[s["id"]] = s
            return JSONResponse([s["id"] for s in body])

        super().__init__(bound_socket(), [Route("/xAPI/statements", statements,
                                                methods=["POST"])])


def wait_until(predicate, timeout: float = 30.0, step: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


def test_relay_retries_with_backoff_and_marks_only_after_2xx(collector) -> None:
    with FakeLRS(fail_first=2) as lrs:
        c = collector(upstream=lrs.url, upstream_user="collector", upstream_password="s3cret",
                      relay_backoff_max=0.5)
        sent = [statement(n) for n in range(30)]
        httpx.post(c.url + "xapi/statements", json=sent)
        assert wait_until(lambda: pending(c.config.db) == 0)
        assert set(lrs.stored) == {s["id"] for s in sent}
        relay = c.parts["relay"]
        assert list(relay.state.history)[:3] == [503, 503, 200]
        headers = lrs.calls[-1]["headers"]
        assert headers["x-experience-api-version"] == "1.0.3"
        assert headers["authorization"] == httpx.BasicAuth("collector", "s3cret")._auth_header
        assert lrs.stored[sent[0]["id"]] == sent[0]


def test_a_statement_the_lrs_refuses_does_not_block_the_outbox(collector) -> None:
    sent = [statement(n) for n in range(10)]
    with FakeLRS(fail_first=0, refuse=sent[4]["id"]) as lrs:
        c = collector(upstream=lrs.url)
        httpx.post(c.url + "xapi/statements", json=sent)
        assert wait_until(lambda: pending(c.config.db) == 0)
        assert set(lrs.stored) == {s["id"] for s in sent} - {sent[4]["id"]}
        conn = sqlite3.connect(c.config.db)
        (error,) = conn.execute("SELECT relay_error FROM statements WHERE id = ?",
                                (sent[4]["id"],)).fetchone()
        conn.close()
        assert error == 'upstream answered 400 ({"error":"bad"})'
        assert httpx.get(c.url + "health").json()["upstream"]["rejected"] == 1
        c.stop()
        again = collector(upstream=lrs.url)  # the refused row is still counted
        health = httpx.get(again.url + "health").json()
        assert (health["pending"], health["upstream"]["rejected"]) == (0, 1)


@pytest.mark.parametrize(("fault", "count", "calls", "error"), [
    ("refuse_all", 50, 1 + 2,  # the batch, and two of its statements alone
     'upstream answered 400 ({"error":"unsupported version header"}) to 50 statements and to '
     "2 of them alone, and accepted none; check --upstream and the LRS's settings (the "
     "statements wait here)"),
    ("login_page", 5, 2,
     "upstream answered 200 with text/html (<html><body>Sign in</body></html>), not the list "
     "of statement ids an xAPI LRS answers; check --upstream: the LRS's xAPI address (the "
     "statements wait here)"),
])
def test_a_misconfigured_upstream_holds_the_outbox_until_it_is_fixed(
        collector, fault: str, count: int, calls: int, error: str) -> None:
    """400 to everything is a misconfigured LRS, not fifty bad statements: none is refused
    for good. A login page or a web app's catch-all route answers 200: none is marked
    relayed (they were, and never reached the LRS). /health says why, and once the upstream
    is fixed every one arrives."""
    sent = [statement(n) for n in range(count)]
    with FakeLRS(fail_first=0) as lrs:
        setattr(lrs, fault, True)
        c = collector(upstream=lrs.url, relay_backoff_max=0.2)
        httpx.post(c.url + "xapi/statements", json=sent)
        assert wait_until(lambda: len(lrs.calls) >= calls)
        health = httpx.get(c.url + "health").json()
        upstream = health["upstream"]
        assert (health["pending"], upstream["rejected"], upstream["relayed"]) == (count, 0, 0)
        assert upstream["last_error"] == error
        setattr(lrs, fault, False)
        assert wait_until(lambda: pending(c.config.db) == 0)
        assert set(lrs.stored) == {s["id"] for s in sent}
        assert httpx.get(c.url + "health").json()["upstream"]["rejected"] == 0


def test_a_statement_the_lrs_fails_on_with_500_does_not_block_the_outbox(collector) -> None:
    """A 5xx for the batch is an outage, until the LRS takes some of its statements alone:
    then the batch is narrowed down to the one it fails on. That is no reason to refuse it
    yet: it waits with its own pause (test_relay.py follows it until it is refused)."""
    sent = [statement(n) for n in range(10)]
    with FakeLRS(fail_first=0, crash=sent[0]["id"]) as lrs:
        c = collector(upstream=lrs.url, relay_backoff_max=0.05)
        httpx.post(c.url + "xapi/statements", json=sent)
        assert wait_until(lambda: set(lrs.stored) == {s["id"] for s in sent[1:]})
        relay = c.parts["relay"]
        assert wait_until(lambda: len(relay.state.history) == 12)
        # The batch, retried first; the last one alone, taken, so the LRS works: halves,
        # first halves first, down to the first one alone, then the rest of each half, and
        # the middle one, kept to go alone had the last one failed.
        assert list(relay.state.history) == [500] * 4 + [200] + [500] * 3 + [200] * 4
        time.sleep(0.5)
        assert len(relay.state.history) == 12  # it waits its own pause, 30 seconds
        conn = sqlite3.connect(c.config.db)
        tries, after, error = conn.execute(
            "SELECT relay_tries, relay_after, relay_error FROM statements WHERE id = ?",
            (sent[0]["id"],)).fetchone()
        conn.close()
        assert (tries, error) == (1, None) and after - time.time() > 25
        health = httpx.get(c.url + "health").json()
        assert (health["pending"], health["upstream"]["rejected"]) == (1, 0)


def test_an_lrs_that_recovers_while_the_relay_narrows_a_batch_down_loses_none(
        collector) -> None:
    sent = [statement(n) for n in range(10)]
    with FakeLRS(fail_first=8) as lrs:  # 4 batches, 2 statements alone, 1 batch and 1 alone
        c = collector(upstream=lrs.url, relay_backoff_max=0.05)
        httpx.post(c.url + "xapi/statements", json=sent)
        assert wait_until(lambda: pending(c.config.db) == 0)
        assert set(lrs.stored) == {s["id"] for s in sent}
        assert [call["count"] for call in lrs.calls] == [10] * 4 + [1, 1, 10, 1, 1, 4, 4, 1]
        assert c.parts["relay"].state.rejected == 0


def test_the_outbox_survives_a_restart_while_the_lrs_is_down(tmp_path: Path) -> None:
    with FakeLRS(fail_first=10**6) as down:
        first = start_collector(tmp_path / "s.sqlite", upstream=down.url)
        httpx.post(first.url + "xapi/statements", json=[statement(n) for n in range(7)])
        time.sleep(0.5)
        first.stop()
    assert pending(tmp_path / "s.sqlite") == 7
    with FakeLRS(fail_first=0) as lrs:
        second = start_collector(tmp_path / "s.sqlite", upstream=lrs.url)
        try:
            assert wait_until(lambda: pending(tmp_path / "s.sqlite") == 0)
            assert len(lrs.stored) == 7
        finally:
            second.stop()


# -- a real LRS ------------------------------------------------------------------------------

RALPH = "ralph-malph[cli,lrs,backend-lrs]==5.1.0"  # RALPH_LAUNCHER reaches into 5.1's backend
# Outside the repository (no venv to keep out of git, rg or ruff) and shared by every clone.
LRS_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "lecosite-tests"
LRS_VENV = LRS_CACHE / f"ralph-5.1.0-py{sys.version_info[0]}.{sys.version_info[1]}"
LRS_PYTHON = LRS_VENV / "bin" / "python"
LRS_INSTALLED = LRS_VENV / "installed"  # written once pip has installed everything


# Ralph 5.1's filesystem backend writes each POST with operation "create", which refuses an
# existing file: only the first POST would ever succeed. Appending is what its LRS needs; the
# rest (HTTP API, validation, duplicate handling, GET paging with `more`) is Ralph as shipped.
# It serves on the listening socket the test bound and handed over (its fd in argv[1]).
RALPH_LAUNCHER = """
import socket, sys, uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend
FSLRSBackend.default_operation_type = BaseOperationType.APPEND
listening = socket.socket(fileno=int(sys.argv[1]))
uvicorn.Server(uvicorn.Config("ralph.api:app", log_level="warning")).run(sockets=[listening])
"""


def _ralph_ready() -> str | None:
    """Install Ralph in its own venv (cached); the reason it cannot be, or None.

    Offline, pip would retry for minutes (PIP_DEFAULT_TIMEOUT may be minutes itself): one
    quick question to the package index first says at once that it cannot be reached."""
    LRS_CACHE.mkdir(parents=True, exist_ok=True)
    with (LRS_CACHE / "ralph.lock").open("w") as lock:  # another session may be installing
        fcntl.flock(lock, fcntl.LOCK_EX)
        if LRS_INSTALLED.exists() and subprocess.run(
                [str(LRS_PYTHON), "-c", "import uvicorn, ralph.backends.lrs.fs, ralph.cli"],
                capture_output=True,
                timeout=120).returncode == 0:
            return None
        shutil.rmtree(LRS_VENV, ignore_errors=True)  # half installed, or its Python is gone
        try:
            subprocess.run([sys.executable, "-m", "venv", str(LRS_VENV)], check=True,
                           capture_output=True, timeout=300)
            probe = subprocess.run([str(LRS_PYTHON), "-m", "pip", "index", "versions",
                                    "ralph-malph", "--retries", "0", "--timeout", "10"],
                                   capture_output=True, timeout=60)
            if probe.returncode != 0:
                said = probe.stderr.decode(errors="replace").strip().splitlines()
                return (f"Ralph (a real LRS) is not installed in {LRS_VENV} and the package "
                        "index cannot be reached to install it (offline?); pip said: "
                        f"{said[-1] if said else 'nothing'}")
            subprocess.run([str(LRS_PYTHON), "-m", "pip", "install", "-q", "--retries", "2",
                            "--timeout", "60", RALPH, "requests"], check=True,
                           capture_output=True, timeout=900)
        except subprocess.TimeoutExpired as exc:
            return f"installing Ralph in {LRS_VENV} took over {exc.timeout:g} s: {exc.cmd}"
        except (subprocess.CalledProcessError, OSError) as exc:
            output = (getattr(exc, "stderr", b"") or b"").decode(errors="replace")
            return f"pip could not install {RALPH} in {LRS_VENV}: {output[-300:] or exc}"
        LRS_INSTALLED.write_text(RALPH + "\n")
    return None


@pytest.fixture(scope="session")
def ralph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A real Ralph LRS (filesystem backend) on a port bound for it, stopped by its
    process id."""
    reason = _ralph_ready()
    if reason:
        pytest.skip(reason)
    home = tmp_path_factory.mktemp("ralph")
    (home / "data").mkdir()
    env = os.environ | {
        "RALPH_APP_DIR": str(home), "RALPH_AUTH_FILE": str(home / "auth.json"),
        "RALPH_RUNSERVER_BACKEND": "fs",
        "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(home / "data")}
    subprocess.run([str(LRS_VENV / "bin" / "ralph"), "auth", "-u", "collector", "-p", "secret",
                    "-s", "all", "-M", "mailto:collector@example.org", "-w"],
                   env=env, check=True, capture_output=True, timeout=120)
    sock = bound_socket()  # Ralph's from the start: no other process can take the port
    port = sock.getsockname()[1]
    log = (home / "ralph.log").open("wb")
    with sock:
        proc = subprocess.Popen([str(LRS_PYTHON), "-c", RALPH_LAUNCHER, str(sock.fileno())],
                                env=env, stdout=log, stderr=subprocess.STDOUT,
                                pass_fds=[sock.fileno()])
    url = f"http://127.0.0.1:{port}/xAPI"
    try:
        def up() -> bool:
            try:
                return httpx.get(url + "/statements", auth=("collector", "secret"),
                                 timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        if not wait_until(up, timeout=60, step=0.3):
            pytest.fail("Ralph did not start: " + (home / "ralph.log").read_text()[-2000:])
        yield {"url": url, "user": "collector", "password": "secret"}
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def visit(n: int) -> list[dict[str, Any]]:
    """One learner's visit to a module, as the beacon sends it: every verb, in its shape."""
    me = xapi.actor(SITE, f"learner-{n % 9}")
    mid = f"module-{n % 7}"
    module = xapi.activity(xapi.module_iri(SITE, mid), "module")
    video = xapi.activity(xapi.video_iri(module["id"]), "video")
    check = xapi.activity(xapi.check_iri(SITE, mid), "check")
    question = xapi.activity(xapi.question_iri(SITE, mid, "Which port?"), "question")
    session = xapi.new_id()

    def send(verb: str, obj: dict[str, Any], result: dict[str, Any] | None = None, *,
             parent: bool = False, video_profile: bool = False,
             **extensions: Any) -> dict[str, Any]:
        if video_profile:
            extensions |= {"length": 120, "threshold": xapi.DEFAULT_THRESHOLD,
                           "session": session}
        ctx = xapi.context(SITE, version="1.0.0", path="a-path" if n % 2 else None,
                           parent=[module] if parent else None,
                           category=[xapi.activity(xapi.VIDEO_PROFILE, "profile")]
                           if video_profile else None, extensions=extensions)
        return xapi.statement(verb, obj, actor=me, context=ctx, result=result)

    def watch(verb: str, result: dict[str, Any] | None = None) -> dict[str, Any]:
        return send(verb, video, result, parent=True, video_profile=True)

    right = n % 3 != 0
    watched = xapi.segments_text([(0, 30), (45, 110)])
    done = send("completed", module, {"completion": True})
    undo = [xapi.statement("voided", {"objectType": "StatementRef", "id": done["id"]},
                           actor=me)] if n % 4 == 0 else []
    return [
        send("experienced", module),
        watch("initialized"),
        watch("played", xapi.video_result(time=0)),
        watch("seeked", xapi.video_result(**{"from": 30, "to": 45})),
        watch("paused", xapi.video_result(time=60, progress=0.375, segments="0[.]30[,]45[.]60")),
        watch("completed", {"completion": True, "duration": "PT95S",
                            **xapi.video_result(time=110, progress=0.792, segments=watched)}),
        watch("terminated", xapi.video_result(time=110, progress=0.792, segments=watched)),
        send("answered", question, {"success": right, "response": "443" if right else "80",
                                    "score": {"scaled": 1 if right else 0}},
             parent=True, objective="Open the ports the agent needs."),
        send("passed" if right else "failed", check,
             {"success": right, "score": {"scaled": 1 if right else 0}}, parent=True),
        done,
        *undo,  # "Undo" on the completion
        send("responded", xapi.rating_activity(SITE, mid),
             xapi.rating_result(1 + n % 5, f"Comment {n}: clear steps."), parent=True),
        send("terminated", module, {"duration": xapi.duration(95.4 + n)}),
    ]


def test_relay_into_ralph_delivers_every_statement_exactly_once(collector, ralph) -> None:
    c = collector(upstream=ralph["url"], upstream_user=ralph["user"],
                  upstream_password=ralph["password"], rate=0)
    sent = [stmt for n in range(22) for stmt in visit(n)]
    assert {s["verb"]["id"] for s in sent} == set(xapi.VERBS.values())
    for start in range(0, len(sent), 20):  # the beacon's retries: every batch goes twice
        for _ in range(2):
            assert httpx.post(c.url + "xapi/statements",
                              json=sent[start:start + 20]).status_code == 200
    assert wait_until(lambda: pending(c.config.db) == 0, timeout=60)
    # An LRS re-sent what it holds (a relay that crashed before marking) changes nothing.
    conn = sqlite3.connect(c.config.db)
    conn.execute("UPDATE statements SET relayed_at = NULL WHERE seq <= 50")
    conn.commit()
    conn.close()
    c.parts["relay"].wake.set()
    assert wait_until(lambda: pending(c.config.db) == 0, timeout=60)
    assert c.parts["relay"].state.rejected == 0  # Ralph refused none of the beacon's shapes
    got = list(from_lrs(ralph["url"], ralph["user"], ralph["password"], page_size=100))
    held = Counter(s["id"] for s in got)
    assert {s["id"]: held[s["id"]] for s in sent if held[s["id"]] != 1} == {}  # exactly once
    assert len(got) >= len(sent)
    by_id = {s["id"]: s for s in got}
    for stmt in sent:  # and as sent: verb, object, result and the video profile's context
        assert {k: by_id[stmt["id"]].get(k) for k in ("verb", "object", "result", "context")} \
            == {k: stmt.get(k) for k in ("verb", "object", "result", "context")}, stmt["verb"]
    # The report reads the LRS (paging with `more`) as it reads the collector's database.
    content = Content(titles={f"module-{n}": f"Module {n}" for n in range(7)})
    day = date.today()
    from_db = analyze(from_sqlite(c.config.db), content, today=day)
    sent_ids = {s["id"] for s in sent}
    from_ralph = analyze((s for s in got if s["id"] in sent_ids), content, today=day)
    assert [(m.id, m.views, m.learners, m.completions) for m in from_db.modules] == \
        [(m.id, m.views, m.learners, m.completions) for m in from_ralph.modules]
    # Ralph returns the completions learners took back with "Undo": the report does not count
    # them, from either source (22 visits, every fourth undone).
    assert sum(m.completions for m in from_ralph.modules) == 22 - 6
    # And the command line, with the credentials from the environment.
    result = CliRunner().invoke(report, ["--lrs", ralph["url"], "--project", str(REPO),
                                         "--format", "json"],
                                env={"LECOSITE_LRS_USER": ralph["user"],
                                     "LECOSITE_LRS_PASSWORD": ralph["password"]})
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["statements"] == len(got)


# -- kill -9 ---------------------------------------------------------------------------------


def run_collector_process(db: Path, *extra: str,
                          **popen: Any) -> tuple[subprocess.Popen, int]:
    """`python -m lecosite.collect` on a free port, once its /health answers: (process, port).
    The command takes a port number, not a socket, and exits at once on a busy port: when
    another process took the port after it was found free, another port is tried."""
    popen = {"stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE} | popen
    for attempt in range(ATTEMPTS):
        port = free_port()
        proc = subprocess.Popen([sys.executable, "-m", "lecosite.collect", "--db", str(db),
                                 "--port", str(port), "--rate", "0", *extra], **popen)
        wait_until(lambda proc=proc, port=port: proc.poll() is not None or _health(port),
                   timeout=20)
        if proc.poll() is None and _health(port):
            return proc, port
        if proc.poll() is None:
            proc.kill()
        said = proc.communicate(timeout=30)[1]
        if attempt < ATTEMPTS - 1 and proc.returncode != 0 and port_taken(port):
            continue
        raise RuntimeError(said.decode() if said else f"no collector on port {port}")
    raise AssertionError("unreachable")


def _health(port: int, host: str = "127.0.0.1") -> bool:
    try:
        return httpx.get(http_url(host, port, "/health"), timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def test_ctrl_c_stops_the_collector_cleanly_with_every_statement_in_its_file(
        tmp_path: Path) -> None:
    """uvicorn passes Ctrl-C on once it has stopped: click printed "Aborted!" and exit 1,
    as if the statements had been dropped."""
    db = tmp_path / "stop.sqlite"
    proc, port = run_collector_process(db)
    posted = httpx.post(http_url("127.0.0.1", port, "/xapi/statements"),
                        json=[statement(n) for n in range(7)])
    assert posted.status_code == 200
    proc.send_signal(signal.SIGINT)
    said = proc.communicate(timeout=30)[1].decode()
    assert proc.returncode == 0, said
    assert f"Stopped; every statement it acknowledged is stored in {db}." in said
    assert "Aborted" not in said and "Traceback" not in said
    assert not Path(f"{db}-wal").exists()  # closed: the file alone holds them
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT COUNT(*) FROM statements").fetchone()[0] == 7
    conn.close()


def second_of_two(db: Path, lrs: FakeLRS) -> tuple[int, str, subprocess.Popen, int]:
    """Two collectors relaying from ``db``, the first stopped with SIGTERM once the second
    answers: (the first's exit code, what it said, the second, the second's port)."""
    first, _ = run_collector_process(db, "--upstream", lrs.url)
    try:
        second, port = run_collector_process(db, "--upstream", lrs.url)
    finally:
        first.send_signal(signal.SIGTERM)
        said = first.communicate(timeout=30)[1].decode()
    return first.returncode, said, second, port


def test_sigterm_stops_as_ctrl_c_does_and_a_takeover_is_logged_by_default(
        tmp_path: Path) -> None:
    """systemd and docker stop with SIGTERM, which ended the collector without a word; and
    the collector that took over relaying said so at 'info', below the default log level."""
    db = tmp_path / "shared.sqlite"
    with FakeLRS(fail_first=0) as lrs:
        code, said, second, port = second_of_two(db, lrs)
        try:
            assert code == 0, said
            assert f"Stopped; every statement it acknowledged is stored in {db}." in said
            posted = httpx.post(http_url("127.0.0.1", port, "/xapi/statements"),
                                json=[statement(n) for n in range(3)])
            assert posted.status_code == 200
            assert wait_until(lambda: len(lrs.stored) == 3)  # the second one relays them
        finally:
            second.send_signal(signal.SIGTERM)
            said = second.communicate(timeout=30)[1].decode()
        assert second.returncode == 0, said
    assert "another collector relays statements in" in said
    assert f"this collector relays statements in {db} to {lrs.url}/statements now" in said
    assert f"Stopped; every statement it acknowledged is stored in {db}." in said
    assert "Traceback" not in said


def test_a_collector_waiting_to_relay_keeps_what_it_acknowledges_when_the_other_stops(
        tmp_path: Path) -> None:
    """The waiting collector looked at the database file for the relay lock and closed it,
    which dropped SQLite's locks of its process: the other one, stopping, took itself for
    the file's last user and deleted the WAL the waiting one went on acknowledging into."""
    db = tmp_path / "shared.sqlite"
    with FakeLRS(fail_first=0) as lrs:
        _, _, second, port = second_of_two(db, lrs)
        try:
            assert Path(f"{db}-wal").exists()  # the second one still uses it
            posted = httpx.post(http_url("127.0.0.1", port, "/xapi/statements"),
                                json=[statement(n) for n in range(5)])
            assert posted.status_code == 200
        finally:
            second.kill()
            second.communicate(timeout=30)
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT COUNT(*) FROM statements").fetchone()[0] == 5
    finally:
        conn.close()


def test_an_ipv6_host_is_printed_as_an_address_that_works(tmp_path: Path) -> None:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "lecosite.collect", "--db",
                             str(tmp_path / "v6.sqlite"), "--host", "::1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        assert wait_until(lambda: _health(port, "::1"), timeout=20)
    finally:
        proc.terminate()
        said = proc.communicate(timeout=30)[1]
    assert f"on http://[::1]:{port}/xapi/statements" in said


def test_credentials_in_the_upstream_address_are_not_called_missing(tmp_path: Path) -> None:
    """'--upstream https://user:pass@lrs/xAPI' relays with them, yet the collector said there
    were none and that the LRS must take statements without them."""
    upstream = f"http://collector:secret@127.0.0.1:{free_port()}/xAPI"
    proc, _ = run_collector_process(tmp_path / "s.sqlite", "--upstream", upstream)
    proc.terminate()
    said = proc.communicate(timeout=30)[1].decode()
    assert "no LRS credentials" not in said
    assert ("note: the LRS's credentials in --upstream can be read by every user of this "
            "machine (ps); give them in $LECOSITE_UPSTREAM_USER and "
            "$LECOSITE_UPSTREAM_PASSWORD instead.") in said
    assert "secret" not in said.replace("$LECOSITE_UPSTREAM_PASSWORD", "")


def refuse_one(port: int) -> None:
    """A statement from a portal not allowed: the collector logs a warning of its own."""
    r = httpx.post(http_url("127.0.0.1", port, "/xapi/statements"), json=[statement()],
                   headers={"Origin": "https://evil.example"})
    assert r.status_code == 403


def stop(proc: subprocess.Popen) -> str:
    """SIGTERM, as systemd stops it; what it said on stderr."""
    proc.send_signal(signal.SIGTERM)
    said = proc.communicate(timeout=30)[1]
    return said.decode() if said else ""


STAMP = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}"  # ISO 8601, with the offset


def test_log_level_info_shows_lecosites_info_lines_as_uvicorns(tmp_path: Path) -> None:
    """--log-level set uvicorn's loggers only: lecosite's went through Python's last resort,
    which prints warnings and above, bare, whatever the level."""
    with FakeLRS(fail_first=0) as lrs:
        proc, port = run_collector_process(tmp_path / "info.sqlite", "--upstream", lrs.url,
                                           "--log-level", "info")
        try:
            posted = httpx.post(http_url("127.0.0.1", port, "/xapi/statements"),
                                json=[statement(n) for n in range(3)])
            assert posted.status_code == 200
            assert wait_until(lambda: len(lrs.stored) == 3)
        finally:
            said = stop(proc)
    relayed = rf"^{STAMP} INFO relayed 3 statements to {re.escape(lrs.url)}/statements$"
    assert re.search(relayed, said, re.M), said
    assert re.search(rf"^{STAMP} INFO Application startup complete", said, re.M), said  # one format


def test_log_level_error_hides_lecosites_warnings(tmp_path: Path) -> None:
    """Python's last resort printed them whatever --log-level said."""
    proc, port = run_collector_process(tmp_path / "error.sqlite", "--log-level", "error")
    refuse_one(port)
    said = stop(proc)
    assert "refused statements" not in said
    assert "Stopped; every statement it acknowledged is stored in" in said  # not a log line


def test_a_warning_says_its_level_and_the_time_unless_the_journal_stamps_it(
        tmp_path: Path) -> None:
    """At the default level, lecosite's warnings came bare: neither level nor time to grep a
    journal by. systemd's journal stamps each line itself, so there the time is left out,
    and the line starts with its priority (4: warning) for `journalctl -p`."""
    proc, port = run_collector_process(tmp_path / "s.sqlite")
    refuse_one(port)
    said = stop(proc)
    warned = (r"WARNING refused statements \(origin\): origin https://evil\.example is not "
              r"allowed \(allowed: none: pass --allow-origin\)$")
    assert re.search(rf"^{STAMP} {warned}", said, re.M), said
    journal = tmp_path / "journal.txt"
    with journal.open("wb") as stream:
        info = os.fstat(stream.fileno())
        proc, port = run_collector_process(
            tmp_path / "s.sqlite", stderr=stream,
            env=os.environ | {"JOURNAL_STREAM": f"{info.st_dev}:{info.st_ino}"})
        refuse_one(port)
        stop(proc)
    assert re.search("^<4>" + warned, journal.read_text(), re.M), journal.read_text()


def test_the_embedded_collector_logs_as_mkdocs_does(collector, capsys) -> None:
    """`lecosite serve` shares MkDocs' process: the collector's lines read as MkDocs' own."""
    refuse_one(collector().port)
    said = " ".join(click.unstyle(capsys.readouterr().err).split())  # MkDocs may wrap lines
    assert ("WARNING - refused statements (origin): origin https://evil.example is not "
            f"allowed (allowed: {PORTAL})") in said


def hammer(url: str, acked: list[str], stop: threading.Event, lock: threading.Lock,
           batch: int = 10) -> None:
    """Post batches until the server goes away; keep the ids of every 200."""
    with httpx.Client(timeout=5) as http:
        while not stop.is_set():
            body = [statement() for _ in range(batch)]
            try:
                r = http.post(url, json=body)
            except httpx.HTTPError:
                return
            if r.status_code == 200:
                with lock:
                    acked.extend(r.json())


def test_kill_9_under_load_loses_no_acknowledged_statement(tmp_path: Path) -> None:
    db = tmp_path / "kill.sqlite"
    proc, port = run_collector_process(db)
    acked: list[str] = []
    lock, stop = threading.Lock(), threading.Event()
    threads = [threading.Thread(target=hammer, args=(f"http://127.0.0.1:{port}/xapi/statements",
                                                     acked, stop, lock)) for _ in range(6)]
    # Enough acknowledged batches that the kill lands among posts in flight: a property of
    # the store, not a speed this shared machine must reach, so the wait is generous.
    enough = 200
    for t in threads:
        t.start()
    try:
        reached = wait_until(lambda: len(acked) >= enough, timeout=120, step=0.01)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        stop.set()
        for t in threads:
            t.join(10)
    assert reached, f"only {len(acked)} statements acknowledged in 120 s"
    conn = sqlite3.connect(db)
    stored = {i for (i,) in conn.execute("SELECT id FROM statements")}
    conn.close()
    lost = set(acked) - stored
    assert not lost, f"{len(lost)} acknowledged statements lost"


@pytest.mark.parametrize("url", ["notaurl", "lrs.example.com/xAPI", "ftp://lrs.example.com/xAPI",
                                 "https://", "http://lrs.example.com:99999/xAPI"])
def test_the_collect_command_refuses_an_upstream_that_is_not_an_http_url(
        tmp_path: Path, url: str) -> None:
    (tmp_path / "dir.sqlite").mkdir()  # click refuses it: a run the option let through ends
    result = CliRunner().invoke(collect, ["--upstream", url, "--db", str(tmp_path / "dir.sqlite")])
    assert result.exit_code == 2, result.output
    assert f"not an http(s) URL: {url!r}" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("url", "said"), [
    ("https://lrs example.com/xAPI", "'https://lrs example.com/xAPI' has a space in it,"),
    ("https://u:pa ss@lrs.example.com/xAPI",
     "'https://lrs.example.com/xAPI' has a space in its user name or password,"),
])
def test_a_space_in_the_upstream_is_named_where_it_is(tmp_path: Path, url: str,
                                                      said: str) -> None:
    """The credentials stay out of the message, so it must say where the space is."""
    result = CliRunner().invoke(collect, ["--upstream", url, "--db", str(tmp_path / "s.sqlite")])
    assert result.exit_code == 2, result.output
    assert said + " which a URL cannot hold: write it as %20" in result.output
    assert "pa ss" not in result.output


def test_a_busy_port_fails_in_one_line_naming_the_address(tmp_path: Path) -> None:
    in_use = f"[Errno {errno.EADDRINUSE}] {os.strerror(errno.EADDRINUSE)}"
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "lecosite.collect", "--db",
                               str(tmp_path / "s.sqlite"), "--port", str(port)],
                              capture_output=True, text=True, timeout=30)
        assert done.returncode == 1
        assert done.stderr.splitlines() == [
            f"Error: cannot start the collector on 127.0.0.1:{port} ({in_use}); another "
            "program listens there: stop it, or pass another --port"]
        # `lecosite serve` says it the same way for its embedded collector.
        result = CliRunner().invoke(main, ["serve", "--collector-port", str(port),
                                           "--dev-addr", f"127.0.0.1:{free_port()}",
                                           "--db", str(tmp_path / "s.sqlite")])
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert (f"cannot start the collector on 127.0.0.1:{port} ({in_use}); another program "
                "listens there: stop it, or pass another --collector-port (or --no-collect)") \
            in result.output


@pytest.mark.parametrize("host", ["127.0.0.1", "192.0.2.1"])  # a taken port; no such address
def test_a_collector_that_cannot_start_leaves_no_database_behind(tmp_path: Path,
                                                                 host: str) -> None:
    """It made an empty file (and its folder) before finding it could not listen: the next
    look for the statements finds a database that never held any. A file that was there
    stays as it was."""
    kept = tmp_path / "kept.sqlite"
    store = Store(kept)
    store.add([statement_row(statement(1))])
    store.close()
    before = kept.read_bytes()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        for db in (tmp_path / "new" / "s.sqlite", kept):
            done = subprocess.run([sys.executable, "-m", "lecosite.collect", "--db", str(db),
                                   "--host", host, "--port", str(port)],
                                  capture_output=True, text=True, timeout=30)
            assert done.returncode == 1 and "cannot start the collector" in done.stderr, \
                done.stderr
    assert not (tmp_path / "new").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.sqlite"]
    assert kept.read_bytes() == before


@pytest.mark.parametrize("command", ["collect", "serve"])
def test_the_collector_holds_its_port_before_it_makes_its_database(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str) -> None:
    """It found the port free, made its database, and only then listened: a program that
    took the port in between left a new database that never held a statement, and uvicorn's
    bare '[Errno 98]' (exit 3; under serve, 'the collector did not start'). Here the
    database is made while another program tries to take the port: it cannot, and a start
    that fails there leaves the port free and no file."""
    import lecosite.collect.cli as collect_cli

    db, port, held = tmp_path / "s.sqlite", free_port(), []

    def racing(path: str) -> None:
        held.append(port_taken(port))  # another program trying to take it
        raise click.ClickException("stopped by the test")

    monkeypatch.setattr(collect_cli, "prepare_db", racing)
    args = (["collect", "--port", str(port)] if command == "collect" else
            ["serve", "--collector-port", str(port), "-a", f"127.0.0.1:{free_port()}",
             "-f", str(REPO / "mkdocs.yml")])
    result = CliRunner().invoke(main, [*args, "--db", str(db)])
    assert held == [True], result.output
    assert result.exit_code == 1 and "stopped by the test" in result.output, result.output
    assert not port_taken(port)  # let go when it did not start
    assert not [*tmp_path.iterdir()]


def run_serve(*args: str, **run: Any) -> subprocess.CompletedProcess[str]:
    """`lecosite serve` in a process of its own, its collector on a port found free: when
    another process took it meanwhile, serve said so and stopped; then another is tried."""
    for _ in range(ATTEMPTS):
        done = subprocess.run([sys.executable, "-c", "from lecosite.cli import main; main()",
                               "serve", *args, "--collector-port", str(free_port()),
                               "--dev-addr", f"127.0.0.1:{free_port()}"],
                              capture_output=True, text=True, timeout=60, **run)
        if f"[Errno {errno.EADDRINUSE}]" not in done.stderr:
            break
    return done


#: A configuration MkDocs refuses once the collector has started (no such theme).
REFUSED = "site_name: T\nplugins:\n  - lecosite\ntheme:\n  name: no-such-theme\n"


def test_serve_names_its_own_database_in_the_report_command_it_suggests(tmp_path: Path) -> None:
    """`lecosite report -o report.html` alone reads the default file, not the one --db named.
    In a process of its own: serve sets the environment and MkDocs' logging for its build."""
    config = tmp_path / "mkdocs.yml"
    config.write_text(REFUSED, encoding="utf-8")  # serve stops after the hint
    db = tmp_path / "my data" / "s.sqlite"
    done = run_serve("-f", str(config), "--db", str(db))
    assert f"run 'lecosite report --db '{db}' -o report.html' to read them" in done.stderr
    assert done.returncode != 0 and "Traceback" not in done.stderr


def test_serve_from_elsewhere_keeps_its_default_database_in_the_project(tmp_path: Path) -> None:
    """'serve -f other/mkdocs.yml' wrote the default file in the current folder, where
    'lecosite report' run in the project never looks."""
    project, elsewhere = tmp_path / "portal", tmp_path / "elsewhere"
    project.mkdir()
    elsewhere.mkdir()
    (project / "mkdocs.yml").write_text(REFUSED, encoding="utf-8")
    done = run_serve("-f", "../portal/mkdocs.yml", cwd=elsewhere)
    db = project / xapi.DEFAULT_DB
    assert f"into {db} (" in done.stderr
    assert f"run 'lecosite report --project {project} -o report.html' to read them" in done.stderr
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert db.is_file() and not (elsewhere / xapi.DEFAULT_DB).exists()
    assert default_db(project) == db  # where 'lecosite report' in the project reads


def test_serve_honours_lecosite_collector_off_as_the_build_does(tmp_path: Path) -> None:
    """The guide says LECOSITE_COLLECTOR=off builds a portal without analytics; serve ran
    its collector and overwrote the variable with it, unsaid."""
    config = tmp_path / "mkdocs.yml"
    config.write_text(REFUSED, encoding="utf-8")
    done = run_serve("-f", str(config), env={**os.environ, "LECOSITE_COLLECTOR": "off"})
    assert done.stderr.startswith("LECOSITE_COLLECTOR=off: serving without the embedded "
                                  "collector, as --no-collect does."), done.stderr
    assert "Collecting" not in done.stderr and not (tmp_path / xapi.DEFAULT_DB).exists()
    url = run_serve("-f", str(config), env={**os.environ,
                                            "LECOSITE_COLLECTOR": "https://lrs.example/c/"})
    assert ("note: the preview sends to its own collector, not to LECOSITE_COLLECTOR "
            "(https://lrs.example/c/); set LECOSITE_COLLECTOR=off to send nothing.") in url.stderr
    assert "Collecting this preview's statements into" in url.stderr


def test_the_collect_command_refuses_bad_arguments_readably(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(collect, ["--allow-origin", "not-an-origin"])
    assert result.exit_code == 2 and "not an origin" in result.output
    for origin, said in (("https://me@learn.example.com", "an origin has no user name"),
                         ("https://learn.example.com:44a", "not a port number")):
        result = runner.invoke(collect, ["--allow-origin", origin])
        assert result.exit_code == 2 and said in result.output, result.output
    (tmp_path / "dir.sqlite").mkdir()
    result = runner.invoke(collect, ["--db", str(tmp_path / "dir.sqlite")])
    assert result.exit_code != 0 and "Traceback" not in result.output
    result = runner.invoke(collect, ["--log-level", "debug"])
    assert result.exit_code == 2
    assert ("Invalid value for '--log-level': 'debug' is not one of 'critical', 'error', "
            "'warning', 'info'.") in result.output
    with collect.make_context("collect", ["--log-level", "INFO"]) as ctx:
        assert ctx.params["log_level"] == "info"  # as uvicorn takes it, either case


@pytest.mark.parametrize(("args", "env", "says"), [
    (["--forwarded-allow-ips", "127.0.0.0/33"], {}, "'127.0.0.0/33' is not an IP address"),
    (["--forwarded-allow-ips", "10.0.0.1, proxy"], {}, "'proxy' is not an IP address"),
    ([], {"FORWARDED_ALLOW_IPS": "notanip"},
     "Invalid value for $FORWARDED_ALLOW_IPS (in the environment): 'notanip' is not an IP"),
    (["--upstream", "https://lrs.example.com/xAPI/statements"], {},
     "give its xAPI address, without '/statements'"),
    (["--upstream", "https://lrs.example.com/xAPI?tenant=1"], {},
     "has a query or fragment ('?…' or '#…'), which the LRS's xAPI address has not"),
    (["--rate", "nan"], {}, "nan is not a number of requests a second"),
    (["--health-token", "my token"], {}, "use only letters, digits and - . _ ~ + /"),
    ([], {ENV_HEALTH_TOKEN: '"quoted"'}, "use only letters, digits and - . _ ~ + /"),
    (["--health-token", "hunter2"], {},
     "Invalid value for '--health-token': 7 characters are too few to keep guessers out"),
    ([], {ENV_HEALTH_TOKEN: "hunter2"}, f"Invalid value for ${ENV_HEALTH_TOKEN} (in the "
     "environment): 7 characters are too few to keep guessers out"),
])
def test_the_collect_command_refuses_a_typo_that_would_fail_quietly(
        tmp_path: Path, args: list[str], env: dict[str, str], says: str) -> None:
    """A mistyped proxy puts every learner behind one rate limit; '/statements' twice in
    the relay's address is an endless 404; a token no header can carry hides /health's
    details for good, and a short one gives them to whoever guesses it. A value from the
    environment is blamed on its variable: the flag was never given."""
    result = CliRunner().invoke(collect, ["--db", str(tmp_path / "s.sqlite"), *args], env=env)
    assert result.exit_code == 2 and says in result.output, result.output
    assert bool(env) != ("'--" in result.output)
    assert not (tmp_path / "s.sqlite").exists()


@pytest.mark.parametrize("damage", ["overwritten", "truncated"])
def test_a_damaged_database_is_refused_before_it_acknowledges_anything(
        tmp_path: Path, damage: str) -> None:
    """Statements written into a damaged file might never be read back. A file cut short
    (a full disk, a copy interrupted) fails before its check can run: the same advice."""
    db = tmp_path / "statements.sqlite"
    store = Store(db)
    store.add([statement_row(statement(n)) for n in range(2000)])
    store.close()
    with db.open("r+b") as file:
        if damage == "truncated":
            file.truncate(db.stat().st_size // 2)
        else:
            file.seek(20 * 4096)
            file.write(b"\xa5" * 6000)
    for command in (["collect", "--db", str(db), "--port", str(free_port())],
                    ["serve", "--db", str(db), "-a", f"127.0.0.1:{free_port()}",
                     "--collector-port", str(free_port()), "-f", str(REPO / "mkdocs.yml")]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 1, result.output
        assert f"the database {db} is damaged (" in result.output
        assert (f"sqlite3 {db} .recover | sqlite3 recovered.sqlite ('Run the collector' in "
                "the operator guide says what to do if sqlite3 answers 'SQL logic error')"
                ) in result.output
    report = CliRunner().invoke(main, ["report", "--db", str(db), "--project", str(REPO)])
    assert report.exit_code == 1 and f"{db} is damaged" in report.output


def test_a_database_in_the_content_folder_is_refused_before_it_is_made(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Everything in the content folder is published: learners' statements too."""
    (tmp_path / "content" / "media").mkdir(parents=True)
    (tmp_path / "mkdocs.yml").write_text("site_name: T\ndocs_dir: content\nplugins: [lecosite]\n",
                                         encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for command in (["collect", "--db", "content/s.sqlite", "--port", str(free_port())],
                    ["serve", "--db", "content/media/s.sqlite", "-a",
                     f"127.0.0.1:{free_port()}", "--collector-port", str(free_port())]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 1, result.output
        assert "would be inside the content folder" in result.output
        assert f"pass --db a path outside it, e.g. {tmp_path / xapi.DEFAULT_DB}" in result.output
    assert not [*tmp_path.rglob("*.sqlite*")]


def test_a_database_in_another_projects_content_folder_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A collector run from outside the portal (/srv) made its file in the portal's content
    folder, to be published with the next build."""
    portal = tmp_path / "portal"
    (portal / "docs" / "modules").mkdir(parents=True)
    (portal / "lecosite.yml").write_text("content_dir: docs\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with socket.create_server(("127.0.0.1", 0)) as busy:  # a collector let through stops
        port = busy.getsockname()[1]
        for db in (portal / "docs" / "s.sqlite",
                   portal / "docs" / "modules" / "new" / "s.sqlite"):
            result = CliRunner().invoke(main, ["collect", "--db", str(db), "--port", str(port)])
            assert result.exit_code == 1, result.output
            assert (f"the database {db} would be inside the content folder "
                    f"{portal / 'docs'}") in result.output
            assert f"pass --db a path outside it, e.g. {portal / xapi.DEFAULT_DB}" \
                in result.output
    assert not [*tmp_path.rglob("*.sqlite*")]


@pytest.mark.parametrize("address", ["127.0.0.1:99999", ":18131", "127.0.0.1:0", "localhost",
                                     "127.0.0.1:http"])
def test_serve_refuses_an_address_it_could_not_serve_on(tmp_path: Path, address: str) -> None:
    db = tmp_path / "s.sqlite"
    result = CliRunner().invoke(main, ["serve", "-a", address, "--db", str(db),
                                       "-f", str(REPO / "mkdocs.yml")])
    assert result.exit_code == 2, result.output
    assert f"Invalid value for '--dev-addr': {address!r} is not an address and port" \
        in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not db.exists()


def test_another_programs_database_is_refused_untouched(tmp_path: Path) -> None:
    """A mistyped --db must not add tables to, or switch the journal of, someone's file."""
    other = tmp_path / "crm.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE customers (name TEXT)")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    for command in (["collect", "--db", str(other), "--port", str(free_port())],
                    ["serve", "--db", str(other), "-a", f"127.0.0.1:{free_port()}",
                     "--collector-port", str(free_port())]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 1, result.output
        assert (f"cannot open the database {other}: {other} is another program's database "
                "(its tables: customers)") in result.output
        assert "Traceback" not in result.output
    assert other.read_bytes() == before
