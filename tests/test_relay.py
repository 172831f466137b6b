"""The relay against LRSes that fail in parts: a body limit, passing 5xx, statements the LRS
fails on for good. The relay runs on its own over a store, with short pauses."""

from __future__ import annotations

import contextlib
import json
import logging
import random
import socket
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from served import Served, bound_socket
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from lecosite import xapi
from lecosite.collect import relay as relay_module
from lecosite.collect.app import statement_row
from lecosite.collect.relay import PROBES, REFUSE_AFTER, SUSPECT_AFTER, Relay, Upstream, pending
from lecosite.collect.store import Store

SITE = "http://127.0.0.1:8000/"
SAID = {400: "bad", 409: "differing statement with the same id", 413: "request too large",
        500: "internal", 503: "busy"}


class LRS(Served):
    """An upstream whose ``answer`` gives the status for a request's statement ids (None:
    it takes them); records the ids of each request."""

    def __init__(self, answer: Callable[[list[str]], int | None]) -> None:
        self.answer = answer
        self.calls: list[list[str]] = []
        self.stored: set[str] = set()

        async def statements(request: Request) -> Response:
            ids = [s["id"] for s in json.loads(await request.body())]
            self.calls.append(ids)
            status = self.answer(ids)
            if status is not None:
                return JSONResponse({"error": SAID[status]}, status_code=status)
            self.stored.update(ids)
            return JSONResponse(ids)

        super().__init__(bound_socket(), [Route("/xAPI/statements", statements,
                                                methods=["POST"])])

    def alone(self, statement_id: str) -> int:
        return sum(call == [statement_id] for call in self.calls)


class CrashingLRS:
    """An LRS in a process of its own, as the relay sees one: when ``kills(ids, n)`` says a
    request (its statement ids, and how many requests the LRS took since it last started)
    kills it, it closes every connection without an answer and stops listening, so
    connections are refused, until it is started again ``restart`` seconds later on the
    same port, as systemd or docker restarts an LRS that crashed. A plain HTTP/1.1 server
    on a socket: uvicorn cannot be made to die mid-request."""

    def __init__(self, kills: Callable[[list[str], int], bool], restart: float = 0.2) -> None:
        self.kills, self.restart = kills, restart
        self.calls: list[list[str]] = []
        self.stored: set[str] = set()
        self.crashes = 0
        self._listener = self._listen(0)
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/xAPI"
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._served = 0  # requests since it last started
        self._ended = False

    def __enter__(self) -> CrashingLRS:
        threading.Thread(target=self._accept, args=(self._listener,), daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._ended = True
            self._stop()

    def alone(self, statement_id: str) -> int:
        return sum(call == [statement_id] for call in self.calls)

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:  # stopped
                return
            with self._lock:
                self._open.add(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn, conn.makefile("rb") as stream:
            while stream.readline().strip():  # the request line; none once the client closed
                length = 0
                while (line := stream.readline().strip()):
                    name, _, value = line.decode().partition(":")
                    if name.lower() == "content-length":
                        length = int(value)
                ids = [s["id"] for s in json.loads(stream.read(length))]
                with self._lock:
                    self._served += 1
                    self.calls.append(ids)
                    if self.kills(ids, self._served):
                        self._crash()
                        return
                    self.stored.update(ids)
                reply = json.dumps(ids).encode()
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                             b"Content-Length: %d\r\n\r\n%s" % (len(reply), reply))

    def _crash(self) -> None:
        self.crashes += 1
        self._stop()
        threading.Timer(self.restart, self._start_again).start()

    def _stop(self) -> None:
        if self._listener.fileno() != -1:  # not stopped by a crash already
            self._listener.shutdown(socket.SHUT_RDWR)  # refused from now; accept() returns
            self._listener.close()
        for conn in self._open:
            with contextlib.suppress(OSError):  # closed by its client already
                conn.shutdown(socket.SHUT_RDWR)
        self._open.clear()

    @staticmethod
    def _listen(port: int) -> socket.socket:
        """SO_REUSEADDR, which its connections inherit: else one still open (or in
        TIME_WAIT) keeps the port from being bound again."""
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", port))
        listener.listen(128)
        return listener

    def _start_again(self) -> None:
        with self._lock:
            if self._ended:
                return
            listener = self._listener = self._listen(self.port)
            self._served = 0
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()


def requests_until(lrs: LRS, wanted: set[str]) -> int:
    """How many requests the LRS got until it held every statement in ``wanted``."""
    held: set[str] = set()
    for count, call in enumerate(lrs.calls, 1):
        if set(call) <= lrs.stored:  # a call it took
            held.update(call)
        if held >= wanted:
            return count
    raise AssertionError(f"the LRS never got {len(wanted - held)} of the statements")


@pytest.fixture
def outbox(tmp_path: Path) -> Iterator[tuple[Store, Callable[..., Relay]]]:
    store = Store(tmp_path / "statements.sqlite")
    started: list[Relay] = []

    def start(lrs: LRS | CrashingLRS, **options: float) -> Relay:
        options = {"backoff_min": 0.01, "backoff_max": 0.05, "row_backoff_min": 0.02,
                   "row_backoff_max": 0.1} | options
        relay = Relay(store.path, Upstream(lrs.url), **options)
        store.notify(relay.wake)
        started.append(relay.start())
        return relay

    yield store, start
    for relay in started:
        relay.stop()
    store.close()


def add(store: Store, count: int) -> list[str]:
    """Store ``count`` statements; their ids, in outbox order."""
    rows = [statement_row(xapi.statement(
        "experienced", xapi.activity(xapi.module_iri(SITE, f"module-{n % 7}"), "module"),
        actor=xapi.actor(SITE, xapi.new_id()))) for n in range(count)]
    return store.add(rows)


def errors(store: Store) -> dict[str, str]:
    conn = sqlite3.connect(store.path)
    try:
        return dict(conn.execute(
            "SELECT id, relay_error FROM statements WHERE relay_error IS NOT NULL"))
    finally:
        conn.close()


def tries_of(store: Store, statement_id: str) -> int:
    conn = sqlite3.connect(store.path)
    try:
        return conn.execute("SELECT relay_tries FROM statements WHERE id = ?",
                            (statement_id,)).fetchone()[0]
    finally:
        conn.close()


def seq_of(store: Store, statement_id: str) -> int:
    conn = sqlite3.connect(store.path)
    try:
        return conn.execute("SELECT seq FROM statements WHERE id = ?",
                            (statement_id,)).fetchone()[0]
    finally:
        conn.close()


def feed_until(store: Store, predicate: Callable[[], bool], timeout: float = 30.0) -> list[str]:
    """Store a statement every 50 ms (traffic the LRS takes) until ``predicate``."""
    more: list[str] = []
    deadline = time.monotonic() + timeout
    while not predicate() and time.monotonic() < deadline:
        more += add(store, 1)
        time.sleep(0.05)
    return more


def wait_until(predicate: Callable[[], bool], timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def test_a_413_halves_the_batch_at_once_and_keeps_it(outbox) -> None:
    """A proxy's body limit is met by halving the batch, not by sending one by one."""
    store, start = outbox
    with LRS(lambda ids: 413 if len(ids) > 20 else None) as lrs:
        sent = add(store, 100)
        relay = start(lrs)
        assert wait_until(lambda: pending(store.path) == 0)
        assert lrs.stored == set(sent)
        assert [len(call) for call in lrs.calls] == [100, 50, 25] + [12] * 8 + [4]
        assert relay.state.rejected == 0


def test_a_batch_halved_by_a_413_grows_again(outbox, monkeypatch) -> None:
    """One large statement may have caused the 413: the batch does not stay small."""
    monkeypatch.setattr(relay_module, "GROW_AFTER", 2)
    store, start = outbox
    with LRS(lambda ids: 413 if len(ids) > 20 else None) as lrs:
        add(store, 100)
        start(lrs)
        assert wait_until(lambda: pending(store.path) == 0)
        sizes = [len(call) for call in lrs.calls]
        assert sizes[:6] == [100, 50, 25, 12, 12, 24]


def test_a_statement_the_lrs_fails_on_a_few_times_is_relayed_not_refused(outbox) -> None:
    """A 5xx to a statement alone, even twice in a row while the LRS accepts others, is as
    often a passing overload as a statement it cannot take: it is tried again later."""
    store, start = outbox
    sent = add(store, 30)
    sick = set(sent[::10])

    def answer(ids: list[str]) -> int | None:
        if len(ids) > 1 and sick & set(ids):
            return 503
        if len(ids) == 1 and ids[0] in sick and lrs.alone(ids[0]) <= 3:
            return 503  # its first three times alone
        return None

    with LRS(answer) as lrs:
        relay = start(lrs)
        assert wait_until(lambda: pending(store.path) == 0)
        assert lrs.stored == set(sent)
        assert errors(store) == {}
        assert relay.state.rejected == 0
        assert all(lrs.alone(statement_id) == 4 for statement_id in sick)


def test_an_lrs_with_a_body_limit_and_passing_503s_gets_every_statement(outbox) -> None:
    """The reviewer's LRS: a 413 past 20 statements, and a 503 to three requests in ten."""
    store, start = outbox
    dice = random.Random(1)
    with LRS(lambda ids: 413 if len(ids) > 20 else 503 if dice.random() < 0.3 else None) as lrs:
        sent = add(store, 100)
        relay = start(lrs)
        assert wait_until(lambda: pending(store.path) == 0)
        assert lrs.stored == set(sent)
        assert errors(store) == {}
        assert relay.state.rejected == 0
        assert Counter(len(call) for call in lrs.calls)[100] == 1  # halved once, and kept


def test_a_statement_the_lrs_always_fails_on_is_refused_after_many_tries(outbox) -> None:
    """As Ralph does with a statement it cannot handle: a 500 to it, every time. It waits
    while the LRS accepts nothing else (the LRS might be down), and is refused only after
    REFUSE_AFTER tries, each after a longer pause, while the LRS accepted other statements."""
    store, start = outbox
    sent = add(store, 6)
    crash = sent[0]
    with LRS(lambda ids: 500 if crash in ids else None) as lrs:
        relay = start(lrs, row_backoff_min=0.05, row_backoff_max=0.2)
        assert wait_until(lambda: lrs.stored == set(sent[1:]))
        time.sleep(1.5)  # nothing else to accept: no evidence against the statement
        assert (pending(store.path), errors(store)) == (1, {})
        tries = tries_of(store, crash)
        assert 1 <= tries <= 2  # while the others were accepted
        began = time.monotonic()
        more: list[str] = []
        while not errors(store) and time.monotonic() - began < 30:
            more += add(store, 1)
            time.sleep(0.05)
        took = time.monotonic() - began
        assert errors(store) == {crash: f'upstream answered 500 ({{"error":"{SAID[500]}"}}) '
                                        f"to it alone {REFUSE_AFTER} times, while accepting "
                                        "other statements"}
        # The pauses after its next tries but the last: 0.05 doubled each time, up to 0.2.
        assert took >= sum(min(0.2, 0.05 * 2 ** (n - 1)) for n in range(tries + 1, REFUSE_AFTER))
        assert relay.state.rejected == 1
        assert wait_until(lambda: pending(store.path) == 0)
        assert lrs.stored == set(sent[1:] + more)


def test_statements_the_lrs_refuses_at_the_front_do_not_hold_up_the_others(outbox) -> None:
    """A full batch of statements the LRS refuses (400), with none it accepted: the LRS may
    be misconfigured, so none is refused yet; they wait, the ones behind them flow, and once
    the LRS has accepted those, the bad ones are refused when tried again."""
    store, start = outbox
    bad = set(add(store, 200))
    good = add(store, 5)
    with LRS(lambda ids: 400 if bad & set(ids) else None) as lrs:
        relay = start(lrs)
        assert wait_until(lambda: pending(store.path) == 0)
        assert lrs.stored == set(good)
        assert errors(store) == dict.fromkeys(bad, 'upstream answered 400 ({"error":"bad"})')
        assert (relay.state.relayed, relay.state.rejected) == (5, 200)


def test_a_damaged_row_is_set_aside_once_and_the_rest_is_relayed(outbox, caplog) -> None:
    """A row that is no statement in UTF-8 JSON (a disk error, a hand edit) stopped the relay
    for good: it retried on the store's decoding error, and relayed nothing behind it. It
    stays in the file, marked, warned of once by its seq, never by its content; every
    other statement is relayed once."""
    store, start = outbox
    sent = add(store, 20)
    damaged = {2, 6, 7, 8, 9, 10, 14}  # one, then a whole batch, not UTF-8; one not JSON
    conn = sqlite3.connect(store.path)
    with conn:
        (learner,) = conn.execute("SELECT actor FROM statements WHERE seq = 2").fetchone()
        conn.execute("UPDATE statements SET body = CAST(CAST(body AS BLOB) || x'ff' AS TEXT) "
                     "WHERE seq BETWEEN 2 AND 10 AND seq NOT IN (3, 4, 5)")
        conn.execute("UPDATE statements SET body = '{\"id\": ' WHERE seq = 14")
    conn.close()
    bad = {sent[seq - 1] for seq in damaged}
    with LRS(lambda ids: None) as lrs:
        relay = start(lrs, batch=5)
        assert wait_until(lambda: pending(store.path) == 0, timeout=10)
        relay.stop()
    assert sorted(i for call in lrs.calls for i in call) == sorted(set(sent) - bad)  # once
    assert errors(store) == dict.fromkeys(bad, relay_module.DAMAGED)
    assert relay.state.last_error is None
    for seq in damaged:
        assert caplog.text.count(f"statement seq {seq} in {store.path} is not relayed") == 1
    assert learner not in caplog.text and "decode" not in caplog.text


def test_a_statement_an_older_version_set_aside_is_tried_afresh_once_cleared(
        tmp_path: Path) -> None:
    """An older version kept a row's tries when it set it aside: cleared, the row was set
    aside again at its first failure. Opening the file clears them."""
    path = tmp_path / "statements.sqlite"
    store = Store(path)
    add(store, 2)
    store.close()
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE statements SET relay_tries = ?, relay_after = 1, relay_error = "
                     "'upstream answered 500' WHERE seq = 1", (REFUSE_AFTER,))
        conn.execute("UPDATE statements SET relay_tries = 2, relay_after = 1 WHERE seq = 2")
    conn.close()
    Store(path).close()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT seq, relay_tries, relay_after, relay_error FROM statements "
                            "ORDER BY seq").fetchall() == [
            (1, 0, None, "upstream answered 500"), (2, 2, 1.0, None)]  # waiting: untouched
    finally:
        conn.close()


OLD_SCHEMA = """
CREATE TABLE statements (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, verb TEXT NOT NULL,
    object TEXT NOT NULL, actor TEXT NOT NULL, timestamp TEXT, stored TEXT NOT NULL,
    body TEXT NOT NULL, relayed_at TEXT, relay_error TEXT);
INSERT INTO statements (id, verb, object, actor, stored, body)
    VALUES ('a', 'v', 'o', 'x', '2024-01-01T00:00:00Z', '{"id": "a"}');
"""


def test_two_collectors_on_one_database_relay_each_statement_once(outbox, monkeypatch,
                                                                  caplog) -> None:
    """Both store statements; one relays them, and the other takes over once it stops."""
    monkeypatch.setattr(relay_module, "IDLE_WAIT", 0.05)
    caplog.set_level(logging.INFO, logger="lecosite.collect.relay")
    store, start = outbox
    with LRS(lambda ids: None) as lrs:
        relays = [start(lrs), start(lrs)]
        sent = add(store, 300)
        assert wait_until(lambda: pending(store.path) == 0)
        assert wait_until(lambda: sorted(r.state.standby for r in relays) == [False, True])
        relaying, waiting = sorted(relays, key=lambda r: r.state.standby)
        assert "another collector relays statements in" in caplog.text
        assert f"relayed 200 statements to {lrs.url}/statements" in caplog.text  # at info
        relaying.stop()
        sent += add(store, 50)
        assert wait_until(lambda: pending(store.path) == 0)
        assert not waiting.state.standby
        assert Counter(i for call in lrs.calls for i in call) == Counter(sent)  # once each


def test_a_waiting_collector_outlives_its_database_file_moved_away_for_a_while(
        outbox, monkeypatch) -> None:
    """The waiting relay looked for the file to lock, found it moved, and its thread died
    with a traceback: once the file was back and the other collector stopped, no one relayed."""
    monkeypatch.setattr(relay_module, "IDLE_WAIT", 0.05)
    store, start = outbox
    with LRS(lambda ids: None) as lrs:
        relays = [start(lrs), start(lrs)]
        assert wait_until(lambda: sorted(r.state.standby for r in relays) == [False, True])
        relaying, waiting = sorted(relays, key=lambda r: r.state.standby)
        aside = store.path.with_name("aside.sqlite")
        store.path.rename(aside)
        time.sleep(0.3)  # a few looks for the file
        aside.rename(store.path)
        assert waiting._thread is not None and waiting._thread.is_alive()
        relaying.stop()
        sent = add(store, 20)
        assert wait_until(lambda: pending(store.path) == 0)
        assert not waiting.state.standby and set(sent) <= lrs.stored


def test_a_database_from_before_the_retry_columns_keeps_working(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)
    conn.executescript(OLD_SCHEMA)
    conn.close()
    store = Store(path)
    try:
        assert store.counts() == {"stored": 1, "pending": 1, "refused": 0}
        columns = {row[1] for row in store.reader().execute("PRAGMA table_info(statements)")}
        assert columns >= {"relay_tries", "relay_drops", "relay_failed", "relay_after"}
    finally:
        store.close()
    assert pending(path) == 1


def accepted(lrs: LRS, answers: list[int | None]) -> Counter[str]:
    """How many times the LRS took each statement (``answers``: its answer to each call)."""
    return Counter(i for call, answer in zip(lrs.calls, answers, strict=True) if answer is None
                   for i in call)


def test_an_lrs_down_with_5xx_gets_a_few_requests_a_try_and_every_statement_once(
        outbox) -> None:
    """An outage answered 503: the relay sent every statement of a batch alone on each
    retry, hundreds of requests to a down LRS. Now each try is the batch and a few
    statements alone; none is set aside, and once the LRS is back each arrives once."""
    store, start = outbox
    sent = add(store, 1000)
    down, answers = True, []

    def answer(ids: list[str]) -> int | None:
        answers.append(503 if down else None)
        return answers[-1]

    with LRS(answer) as lrs:
        relay = start(lrs, backoff_min=0.1, backoff_max=0.1)
        time.sleep(2)
        down = False
        assert len(lrs.calls) <= (1 + relay_module.PROBES) * (relay.state.failures + 1)
        assert wait_until(lambda: pending(store.path) == 0)
        assert accepted(lrs, answers) == Counter(sent)
        assert errors(store) == {} and relay.state.rejected == 0


def test_an_lrs_that_keeps_failing_and_recovering_gets_no_statement_set_aside(
        outbox, monkeypatch) -> None:
    """An LRS down most of each second and up in between (a crash loop, a dead backend
    behind a balancer) fails good statements alone while it takes others now and then: that
    counted against them, and set them aside. A failure counts only when the LRS took others
    right before and right after it, and tries are few: with REFUSE_AFTER at 5 (10 by
    default) none is set aside. At 3 this is a matter of timing: a loaded machine set 9 of
    ~300 aside."""
    monkeypatch.setattr(relay_module, "REFUSE_AFTER", 5)
    store, start = outbox
    sent = add(store, 100)
    began, flapping, answers = time.monotonic(), True, []

    def answer(ids: list[str]) -> int | None:
        down = flapping and (time.monotonic() - began) % 0.5 < 0.4
        answers.append(503 if down else None)
        return answers[-1]

    with LRS(answer) as lrs:
        relay = start(lrs, row_backoff_min=0.05, row_backoff_max=0.1)
        while time.monotonic() - began < 10:
            sent += add(store, 2)
            time.sleep(0.05)
        assert errors(store) == {}
        flapping = False
        assert wait_until(lambda: pending(store.path) == 0)
        assert accepted(lrs, answers) == Counter(sent)
        assert errors(store) == {} and relay.state.rejected == 0


def test_a_statement_the_lrs_always_fails_on_is_found_in_a_few_requests(outbox, caplog) -> None:
    """One statement in a batch of 200 that the LRS fails on with a 500 whatever comes
    with it: the relay sent each statement of the batch alone to find it, 200 requests.
    Halves find it in a few, and the others are taken; it is set aside after REFUSE_AFTER
    tries, warned of once by its seq with the LRS's answer, and stays in the file."""
    store, start = outbox
    sent = add(store, 200)
    crash = sent[57]
    with LRS(lambda ids: 500 if crash in ids else None) as lrs:
        relay = start(lrs, row_backoff_min=0.05, row_backoff_max=0.1)
        assert wait_until(lambda: lrs.stored == set(sent) - {crash})
        # The batch, a few alone, then two halves a level (2⁸ > 200) until all others arrived.
        assert requests_until(lrs, set(sent) - {crash}) <= SUSPECT_AFTER + 1 + PROBES + 2 * 8
        more = feed_until(store, lambda: bool(errors(store)))
        assert wait_until(lambda: pending(store.path) == 0)
    answer = f'upstream answered 500 ({{"error":"{SAID[500]}"}})'
    reason = f"{answer} to it alone {REFUSE_AFTER} times, while accepting other statements"
    assert errors(store) == {crash: reason} and relay.state.rejected == 1
    assert lrs.stored == set(sent + more) - {crash}
    seq = seq_of(store, crash)
    warned = [r.getMessage() for r in caplog.records
              if r.levelno >= logging.WARNING and f"seq {seq} " in r.getMessage()]
    assert warned == [f"upstream LRS refused statement seq {seq} ({reason}); it stays in "
                      f"{store.path}, set aside (see 'Statements set aside' in the operator "
                      "guide)"]


def test_two_statements_side_by_side_the_lrs_fails_on_are_both_set_aside(
        outbox, monkeypatch) -> None:
    """Sent alone one after the other, each failure is followed by another: the LRS taking
    the statements after them still counts against both."""
    monkeypatch.setattr(relay_module, "REFUSE_AFTER", 3)
    store, start = outbox
    sent = add(store, 40)
    bad = set(sent[20:22])
    with LRS(lambda ids: 500 if bad & set(ids) else None) as lrs:
        start(lrs, row_backoff_min=0.05, row_backoff_max=0.1)
        more = feed_until(store, lambda: len(errors(store)) == 2)
        assert set(errors(store)) == bad
        assert wait_until(lambda: pending(store.path) == 0)
        assert lrs.stored == set(sent + more) - bad


def test_clearing_relay_error_tries_a_statement_set_aside_afresh(outbox, monkeypatch) -> None:
    """What the operator guide says to do once the LRS is fixed: clear relay_error. The
    statement gets as many tries as a new one (its count was left at REFUSE_AFTER, so the
    first failure set it aside again), and once the LRS takes it, it is relayed."""
    monkeypatch.setattr(relay_module, "REFUSE_AFTER", 3)
    monkeypatch.setattr(relay_module, "IDLE_WAIT", 0.05)
    store, start = outbox
    sent = add(store, 10)
    crash, fixed = sent[0], False

    def clear() -> None:
        conn = sqlite3.connect(store.path)
        with conn:
            conn.execute("UPDATE statements SET relay_error = NULL WHERE relay_error IS NOT NULL")
        conn.close()

    with LRS(lambda ids: 500 if crash in ids and not fixed else None) as lrs:
        start(lrs, row_backoff_min=0.05, row_backoff_max=0.1)
        feed_until(store, lambda: bool(errors(store)))
        assert tries_of(store, crash) == 0
        alone = lrs.alone(crash)
        clear()
        feed_until(store, lambda: tries_of(store, crash) == 2)
        assert errors(store) == {}
        feed_until(store, lambda: bool(errors(store)))
        assert lrs.alone(crash) - alone >= relay_module.REFUSE_AFTER
        fixed = True
        clear()
        assert wait_until(lambda: crash in lrs.stored and pending(store.path) == 0)
        assert errors(store) == {}


def drops_of(store: Store, statement_id: str) -> int:
    conn = sqlite3.connect(store.path)
    try:
        return conn.execute("SELECT relay_drops FROM statements WHERE id = ?",
                            (statement_id,)).fetchone()[0]
    finally:
        conn.close()


def test_a_statement_that_crashes_the_lrs_waits_alone_and_holds_up_none(outbox,
                                                                        caplog) -> None:
    """An LRS process that dies on a statement (the connection closed without an answer,
    then refused until the LRS is restarted) looked down: after each restart the relay sent
    the same batch, crashing it again, and relayed nothing, for good. The batch is narrowed
    down over the restarts, a crash a step, and the others arrive; the statement waits with
    a growing pause of its own, sent alone just after the LRS took others, so it crashes the
    LRS once a pause at most, and not at all while nothing else comes. It is never set aside
    for it (an LRS that crashes on its own does that to good statements too): the log tells
    the operator, by its seq, where to look."""
    store, start = outbox
    sent = add(store, 100)
    poison = sent[37]
    with CrashingLRS(lambda ids, n: poison in ids) as lrs:
        relay = start(lrs, row_backoff_min=0.2, row_backoff_max=0.4)
        assert wait_until(lambda: lrs.stored == set(sent) - {poison})
        # The batch, then halves with it, 7 levels (2⁷ > 100), one crash each at most.
        assert sum(poison in call and len(call) > 1 for call in lrs.calls) <= 1 + 7
        more = feed_until(store, lambda: drops_of(store, poison) >= 4)
        assert wait_until(lambda: pending(store.path) == 1)  # all but it taken
        time.sleep(relay_module.NEAR + 0.5)  # past the last statement the LRS took
        crashes = lrs.crashes
        time.sleep(1)  # nothing else comes: it waits, and the LRS stays up
        assert lrs.crashes == crashes
        more += feed_until(store, lambda: lrs.crashes > crashes)  # until traffic resumes
        assert wait_until(lambda: pending(store.path) == 1)
    assert errors(store) == {} and relay.state.rejected == 0
    assert lrs.stored == set(sent + more) - {poison}
    seq = seq_of(store, poison)
    assert ("upstream closed the connection without an answer (RemoteProtocolError: Server "
            f"disconnected without sending a response.) to statement seq {seq} alone, just "
            "after accepting others (3 times): the LRS may crash on it; it is tried again "
            "alone in 0s, and the statements behind it go on (see 'Statements set aside' in "
            "the operator guide)") in caplog.text


@pytest.mark.parametrize("kills", ["a quarter of requests", "every second request"])
def test_an_lrs_that_crashes_whatever_it_is_sent_gets_every_statement_once_fixed(
        outbox, kills: str) -> None:
    """A crash loop closes connections on good statements alone too, just after the LRS
    took others, in step with the relay's requests when it crashes on the second request
    after each start: none is set aside for it, and once the LRS is fixed every statement
    arrives, those sent alone too."""
    store, start = outbox
    dice, crashing = random.Random(7), True

    def kill(ids: list[str], n: int) -> bool:
        return crashing and (n % 2 == 0 if kills == "every second request"
                             else dice.random() < 0.25)

    sent = add(store, 100)
    with CrashingLRS(kill, restart=0.1) as lrs:
        relay = start(lrs, row_backoff_min=0.05, row_backoff_max=0.1)
        began = time.monotonic()
        while time.monotonic() - began < 6:
            sent += add(store, 2)
            time.sleep(0.05)
        assert lrs.crashes >= 10
        crashing = False
        assert wait_until(lambda: pending(store.path) == 0)
        assert errors(store) == {} and relay.state.rejected == 0
        assert lrs.stored == set(sent)


@pytest.mark.parametrize("together", [1, 2])
def test_on_a_quiet_site_a_statement_the_lrs_fails_on_is_set_aside_as_others_come(
        outbox, monkeypatch, together: int) -> None:
    """Alone in the outbox, a statement the LRS fails on with a 500 might be an outage: it
    waits, with no try against it. Statements that came later, one or two at a time, each
    went ahead of it and was taken, then it failed alone with nothing after it: a 5xx counted
    only with others taken within NEAR seconds after, so on a quiet site it never did, and
    the statement stayed pending for good. The next statement the LRS takes counts as after,
    whenever it comes, as long as nothing but statements alone failed in between."""
    monkeypatch.setattr(relay_module, "REFUSE_AFTER", 3)
    monkeypatch.setattr(relay_module, "NEAR", 0.5)
    store, start = outbox
    (bad,) = add(store, 1)
    with LRS(lambda ids: 500 if bad in ids else None) as lrs:
        relay = start(lrs, backoff_max=0.2, row_backoff_min=0.05, row_backoff_max=0.1)
        assert wait_until(lambda: len(lrs.calls) >= 3)
        time.sleep(0.5)
        assert tries_of(store, bad) == 0 and errors(store) == {}  # nothing known against it
        more: list[str] = []
        began = time.monotonic()
        while not errors(store) and time.monotonic() - began < 30:
            more += add(store, together)
            time.sleep(relay_module.NEAR * 2)  # a quiet site: none taken within NEAR of another
        assert errors(store) == {bad: f'upstream answered 500 ({{"error":"{SAID[500]}"}}) to it '
                                      "alone 3 times, while accepting other statements"}
        assert wait_until(lambda: pending(store.path) == 0)
        assert lrs.stored == set(more) and relay.state.rejected == 1


def test_a_statement_the_lrs_holds_another_of_is_set_aside_on_a_quiet_site(outbox) -> None:
    """A 409 says the LRS holds a different statement with this id: no try will do. Alone
    in the outbox, it waited for another statement to prove the LRS works, backing off for
    up to 5 minutes and telling the operator to check --upstream, and held up the next."""
    store, start = outbox
    (held,) = add(store, 1)
    with LRS(lambda ids: 409 if held in ids else None) as lrs:
        relay = start(lrs, backoff_min=30, backoff_max=30)
        assert wait_until(lambda: bool(errors(store)))
        assert errors(store) == {held: f'upstream answered 409 ({{"error":"{SAID[409]}"}})'}
        assert relay.state.failures == 0 and relay.state.last_error is None
        later = add(store, 2)
        assert wait_until(lambda: lrs.stored == set(later), timeout=5)


def test_a_statement_refused_alone_on_a_quiet_site_is_told_as_what_it_may_be(outbox) -> None:
    """A 400 to the only statement waiting may be about it or about every statement (a
    wrong version header): the relay waits for another to tell, and says both."""
    store, start = outbox
    (bad,) = add(store, 1)
    with LRS(lambda ids: 400 if bad in ids else None) as lrs:
        relay = start(lrs)
        assert wait_until(lambda: relay.state.last_error is not None)
        assert relay.state.last_error == (
            f'upstream answered 400 ({{"error":"{SAID[400]}"}}) to a statement alone, and '
            "accepted none; if the LRS refuses only this one, it is set aside once the LRS "
            "takes another, else check --upstream and the LRS's settings (the statements "
            "wait here)")
        assert errors(store) == {}
        more = add(store, 1)
        assert wait_until(lambda: bool(errors(store)))
        assert wait_until(lambda: lrs.stored == set(more))
