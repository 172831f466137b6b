"""The outbox relay: forwards stored statements to an upstream xAPI LRS.

Rows are marked relayed only after the LRS answered 2xx with the list of statement ids an
xAPI LRS answers, so a crash, an outage or a wrong address (a login page answers 200 too)
means a later retry, never a loss. Statement ids make retries safe: a conformant LRS ignores a
statement it already holds with the same content.

A batch the LRS fails on is narrowed down, in halves, to the statements it fails on alone, so
the others go on; a few statements sent alone first tell an outage (each try then costs a few
requests, and no statement is blamed) from bad statements. A statement the LRS fails on alone
waits with its own growing pause, sent alone when due. It is set aside for good (it stays here,
with the LRS's answer in ``relay_error``) only on answers that say the LRS works: at once for a
4xx while the LRS takes others; for a 5xx, which is as often a passing overload or a flapping
LRS as a statement the LRS cannot handle, only after ``REFUSE_AFTER`` such failures spread over
hours, each within ``NEAR`` seconds after the LRS took others, and followed by the next
statements it took, however much later (a quiet site), with nothing but statements alone
failing in between. A row damaged in the file (no statement in UTF-8 JSON) is set aside too,
without being sent. Clearing ``relay_error`` has a row set aside tried afresh.

An LRS that closes the connection without an answer may have crashed on a statement (and be
restarting): the batch is narrowed down over its restarts, a crash a step, and a statement it
does that to alone waits with its own growing pause, sent alone, while the others go on. That
is never reason enough to set it aside (see ``_dropped``).
"""

from __future__ import annotations

import json
import logging
import os
import random
import sqlite3
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import httpx

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

from lecosite.collect.store import ALONE, connect
from lecosite.xapi import XAPI_VERSION, public_url

log = logging.getLogger("lecosite.collect.relay")

_RETRYABLE = {408, 425, 429}
ENV_USER = "LECOSITE_UPSTREAM_USER"
ENV_PASSWORD = "LECOSITE_UPSTREAM_PASSWORD"
_HINTS = {401: f"; give the LRS's credentials in ${ENV_USER} and ${ENV_PASSWORD}",
          403: "; the LRS's credentials lack the permission to write statements",
          404: "; check --upstream: the LRS's xAPI address, without '/statements'"}
SUSPECT_AFTER = 3  # failed tries of a batch answered 5xx before it is narrowed down
REFUSE_AFTER = 10  # 5xx to a statement alone, each between statements the LRS took
PROBES = 2  # statements of a failed batch sent alone to learn whether the LRS takes any
NEAR = 2.0  # seconds: the LRS took others this close before a statement it failed on
GROW_AFTER = 16  # full batches accepted before a batch halved by a 413 doubles again
IDLE_WAIT = 5.0  # seconds between looks at the outbox when no commit wakes the relay
DROPPED = 0  # _post's status for a request the LRS closed the connection on without an answer
# Errors of a request sent whole or in part (so not a refused connection): the LRS went away
# without answering it.
_GONE = (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)
DAMAGED = ("damaged in the database: no statement in UTF-8 JSON; see 'Run the collector' in "
           "the operator guide")


@dataclass
class Upstream:
    """Where to relay: the LRS base URL (``…/xAPI``) and its Basic credentials."""

    url: str
    user: str | None = None
    password: str | None = None

    @property
    def statements_url(self) -> str:
        return self.url.rstrip("/") + "/statements"

    def describe(self) -> str:
        return public_url(self.statements_url)  # never the credentials


@dataclass
class RelayState:
    relayed: int = 0
    rejected: int = 0
    failures: int = 0  # consecutive
    last_error: str | None = None
    next_try: float = 0.0
    standby: bool = False  # another collector relays the same database file
    # The LRS's latest answers (HTTP statuses): bounded, as a collector runs for months.
    history: deque[int] = field(default_factory=lambda: deque(maxlen=64))


class _Row(NamedTuple):
    seq: int
    body: str
    tries: int  # 5xx to it alone, each between statements the LRS took
    drops: int  # connections the LRS closed on it alone without an answer (see _dropped)
    failed: float | None  # when it last failed while the LRS took no others (Unix time)


class _Suspect(NamedTuple):
    """A statement the LRS failed on alone with a 5xx just after it took others: it counts
    against the statement when the LRS takes others next, unless the LRS fails on more
    than statements alone first (see ``_failed``)."""

    row: _Row
    failed: float  # when (Unix time), for relay_failed
    answer: str


class Relay:
    """A thread that drains the outbox in batches, backing off exponentially on failure.

    ``row_backoff_min`` and ``row_backoff_max`` bound the pause of a statement the LRS failed
    on alone with a 5xx: by default ten tries take about three hours.
    """

    def __init__(self, db_path: str | Path, upstream: Upstream, *, batch: int = 200,
                 backoff_min: float = 1.0, backoff_max: float = 300.0,
                 row_backoff_min: float = 30.0, row_backoff_max: float = 3600.0,
                 timeout: float = 15.0, wake: threading.Event | None = None) -> None:
        self.db_path = Path(db_path)
        self.upstream = upstream
        self.batch = batch
        self.backoff_min = backoff_min
        self.backoff_max = backoff_max
        self.row_backoff_min = row_backoff_min
        self.row_backoff_max = row_backoff_max
        self.timeout = timeout
        self.wake = wake or threading.Event()
        self.state = RelayState()
        self._stop = threading.Event()
        self._answer = ""
        self._size = batch  # halved on a 413: what the LRS or a proxy before it takes
        self._fits = 0  # full batches of _size accepted since it last changed
        self._accepted_at: float | None = None  # when the LRS last took statements (monotonic)
        self._accepted_wall: float | None = None  # the same, as Unix time, for relay_failed
        self._suspects: dict[int, _Suspect] = {}  # by seq, since the LRS last took statements
        self._after = 0  # the seq after which the next batch starts (0: the front)
        self._thread: threading.Thread | None = None
        self._lock = _RelayLock(self.db_path)
        self._conn: sqlite3.Connection  # opened by start()

    def start(self) -> Relay:
        """Start relaying. The database is opened and the relay lock tried here, before
        the collector answers, so of two collectors on one file the one started first relays,
        and a file moved away just after the start is no longer looked for by name."""
        self._conn = connect(self.db_path)
        self._relays(self._lock)
        self._thread = threading.Thread(target=self._run, name="lecosite-relay", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self.wake.set()
        if self._thread is not None:
            self._thread.join(timeout=self.timeout + 5)

    def _run(self) -> None:
        auth = None
        if self.upstream.user is not None:
            auth = httpx.BasicAuth(self.upstream.user, self.upstream.password or "")
        headers = {"X-Experience-API-Version": XAPI_VERSION, "Content-Type": "application/json"}
        conn, lock = self._conn, self._lock
        with httpx.Client(auth=auth, headers=headers, timeout=self.timeout) as client:
            while not self._stop.is_set():
                if not self._relays(lock):
                    self._stop.wait(IDLE_WAIT)
                    continue
                wait = self.state.next_try - time.monotonic()
                if wait > 0:
                    self._stop.wait(wait)
                    continue
                self.wake.clear()  # a commit from now on ends the wait below at once
                try:
                    if self.drain_once(conn, client) == 0:
                        self.wake.wait(self._idle(conn))
                except sqlite3.Error as exc:  # the store is busy or broken: try again later
                    self._failed(f"store: {exc}")
        lock.release()
        conn.close()

    def _relays(self, lock: _RelayLock) -> bool:
        """Whether this collector relays: one per database file, or two collectors on it
        would each send every statement. The other stores statements and takes over when
        the one relaying stops."""
        held = lock.take()
        if held == self.state.standby:  # it changed
            self.state.standby = not held
            if held:  # as loud as the wait it ends: the operator watches for both
                log.warning("this collector relays statements in %s to %s now (the one "
                            "relaying them stopped)", self.db_path, self.upstream.describe())
            else:
                log.warning("another collector relays statements in %s; this one stores "
                            "statements and relays once that one stops", self.db_path)
        return held

    def _idle(self, conn: sqlite3.Connection) -> float:
        """How long to wait for a commit: until a deferred statement is due, at most
        IDLE_WAIT, and not at all while backing off (the loop waits for that)."""
        if self.state.next_try > time.monotonic():
            return 0.0
        now = time.time()
        (due,) = conn.execute(
            "SELECT MIN(relay_after) FROM statements WHERE relayed_at IS NULL "
            "AND relay_error IS NULL AND relay_after > ?", (now,)).fetchone()
        return IDLE_WAIT if due is None else min(IDLE_WAIT, due - now)

    def drain_once(self, conn: sqlite3.Connection, client: httpx.Client) -> int:
        """Send the next batch, and the statements due again that the LRS failed on alone;
        return how many rows were dealt with: relayed, refused or given a pause (0 when
        idle or failing).

        Those go alone, between the two halves of the batch, and only while the LRS has just
        taken statements: its answers just before and just after one tell whether the LRS
        works when it fails on it. While it takes none they wait, and cost no request."""
        rows = self._rows(conn)
        if not rows and self._after:
            self._after = 0  # past the end of the outbox: from the front again
            rows = self._rows(conn)
        struck = self._rows(conn, struck=True)
        if not rows and not (struck and self._near()):
            return 0
        half = (len(rows) + 1) // 2 if struck else len(rows)
        done, going = self._send(conn, client, rows[:half]) if half else (0, True)
        if half and going:  # taking the half struck those it failed on before: as they are now
            struck = self._rows(conn, struck=True)
        for row in struck:
            if not going or not self._near():
                break
            sent, going = self._send(conn, client, [row])
            done += sent
        if going and rows[half:]:
            done += self._send(conn, client, rows[half:])[0]
        return done

    def _near(self) -> bool:
        """Whether the LRS took statements within the last NEAR seconds."""
        return (self._accepted_at is not None
                and time.monotonic() - self._accepted_at <= NEAR)

    def _rows(self, conn: sqlite3.Connection, *, struck: bool = False) -> list[_Row]:
        """The next batch due, or (``struck``) the statements due again that the LRS failed
        on alone; damaged rows are set aside on the way (see ``_set_aside``)."""
        while True:
            rows, damaged = [], []
            for seq, body, tries, drops, failed in conn.execute(
                    "SELECT seq, CAST(body AS BLOB), relay_tries, relay_drops, relay_failed "
                    "FROM statements WHERE relayed_at IS NULL AND relay_error IS NULL AND seq > ? "
                    "AND " + (ALONE if struck else f"NOT {ALONE}")
                    + " AND (relay_after IS NULL OR relay_after <= ?) ORDER BY seq LIMIT ?",
                    (0 if struck else self._after, time.time(), self._size)):
                text = _statement_text(body)
                if text is None:
                    damaged.append(seq)
                else:
                    rows.append(_Row(seq, text, tries, drops, failed))
            if not damaged:
                return rows
            self._set_aside(conn, damaged)
            if rows:
                return rows

    def _set_aside(self, conn: sqlite3.Connection, seqs: list[int]) -> None:
        """Stop relaying rows whose body is no statement (a disk error, a hand edit): sent,
        they would fail every batch; read as text, they stopped the relay for good. They
        stay in the file, marked in ``relay_error`` (so counted as refused, and warned of
        once), and the rows behind them go on."""
        marks = ",".join("?" * len(seqs))
        conn.execute(f"UPDATE statements SET relay_error = ? WHERE seq IN ({marks})",
                     (DAMAGED, *seqs))
        for seq in seqs:
            log.warning("statement seq %s in %s is not relayed, %s; it stays in the file, "
                        "and the relay goes on with the statements behind it", seq,
                        self.db_path, DAMAGED)

    def _send(self, conn: sqlite3.Connection, client: httpx.Client,
              rows: list[_Row]) -> tuple[int, bool]:
        """Send rows as one batch and deal with the answer, narrowing the batch down if the
        LRS fails on it; return how many rows were dealt with, and whether to go on (not
        once the relay backs off)."""
        status = self._post(client, rows)
        while status == 413 and len(rows) > 1:
            # The body limit of the LRS or of a proxy before it: keep to half as many.
            rows = rows[:len(rows) // 2]
            self._size, self._fits = len(rows), 0
            log.warning("upstream answered 413 to %d statements; sending %d at a time",
                        len(rows) * 2, len(rows))
            status = self._post(client, rows)
        if status is None:  # unreachable, or not an LRS: _post has backed off already
            return 0, False
        if status == DROPPED:
            return self._dropped(conn, rows)
        if 200 <= status < 300:
            self._accept(conn, rows)
            self._grow(len(rows))
            return len(rows), True
        if self._lrs_side(status):
            return 0, False
        if (status >= 500 and len(rows) > 1 and not self._near()
                and self.state.failures < SUSPECT_AFTER):
            # An outage, until a few tries say otherwise: some LRSes fail with a 5xx on one
            # statement they cannot handle (Ralph, on a homePage with '[' in it).
            self._failed(f"upstream answered {self._answer}")
            return 0, False
        return self._narrow(conn, client, rows, status)

    def _lrs_side(self, status: int) -> bool:
        """Whether the answer is about the LRS, not the statements (an outage, a
        misconfiguration): then the relay backs off and the statements wait."""
        if status in _RETRYABLE or status in _HINTS:
            self._failed(f"upstream answered {self._answer}{_HINTS.get(status, '')}")
            return True
        return False

    def _narrow(self, conn: sqlite3.Connection, client: httpx.Client, rows: list[_Row],
                status: int) -> tuple[int, bool]:
        """Find the statements the LRS fails on in a batch it failed on with ``status``:
        halves, then halves of the halves that fail, down to statements alone, so the
        others are taken in a few requests. A half goes before the other, each to the end,
        so a statement alone is followed by its neighbours.

        Unless the LRS has just taken statements, a few of the batch go alone first: if it
        takes none of them either, it is down or misconfigured, and the batch waits (the
        next try starts behind it, so bad statements at the front hold up nothing)."""
        if len(rows) == 1:
            if self._single(conn, rows[0], status, taken=False):
                return 1, True
            return 0, self._none_taken(conn, rows, 1, status)
        if self._near():
            parts, rest = list(reversed(_halves(rows))), []
        else:
            spread = (len(rows) - 1 - k * len(rows) // PROBES for k in range(PROBES))
            probes = [rows[i] for i in dict.fromkeys(spread)]
            parts = [[row] for row in reversed(probes)]
            rest = [row for row in rows if row not in probes]
        done, alone, misses, taken = 0, 0, 0, False
        early: list[_Row] = []  # failed alone before the LRS took any in this pass
        while parts:
            part = parts.pop()
            alone += len(part) == 1
            status = self._post(client, part)
            if status == DROPPED:
                sent, going = self._dropped(conn, part)
                return done + sent, going
            if status is None or self._lrs_side(status):
                return done, False
            if 200 <= status < 300:
                self._accept(conn, part)
                done, misses = done + len(part), 0
                if not taken:  # it works: try those again, and narrow the rest down
                    taken = True
                    parts.extend([row] for row in reversed(early))
                    parts.extend(reversed(_halves(rest)))
                    rest = []
            elif len(part) > 1 and (status < 500 or self._near()):
                parts.extend(reversed(_halves(part)))
            elif len(part) == 1 and self._single(conn, part[0], status, taken):
                done, misses = done + 1, 0
                parts.extend(reversed(_halves(rest)))  # it judges statements: narrow
                rest = []
            else:  # a 5xx while it has taken nothing for a while, or a 4xx before it took any
                misses += 1
                if taken and (len(part) > 1 or misses >= PROBES):
                    self._failed(f"upstream answered {self._answer}")
                    return done, False
                if len(part) > 1 or misses >= PROBES:
                    return done, self._none_taken(conn, rows, alone, status)
                early.append(part[0])
        if early and not taken:
            return done, self._none_taken(conn, rows, alone, status)
        return done, True

    def _none_taken(self, conn: sqlite3.Connection, rows: list[_Row], alone: int,
                    status: int) -> bool:
        """The LRS failed on a batch, and on ``alone`` of its statements sent alone, while
        taking none: back off, and start the next try behind the batch. Its rows are
        marked: a 4xx to one alone, once the LRS has taken others since, refuses it."""
        told = ("" if status >= 500 else "; check --upstream and the LRS's settings"
                if len(rows) > 1 else "; if the LRS refuses only this one, it is set aside "
                "once the LRS takes another, else check --upstream and the LRS's settings")
        sent = (f"{len(rows)} statements and to {alone} of them alone" if len(rows) > 1
                else "a statement alone")
        self._failed(f"upstream answered {self._answer} to {sent}, and accepted none{told} "
                     "(the statements wait here)", suspects=len(rows) == 1)
        marks = ",".join("?" * len(rows))
        conn.execute(f"UPDATE statements SET relay_failed = ? WHERE seq IN ({marks})",
                     (time.time(), *(row.seq for row in rows)))
        self._after = rows[-1].seq
        return False

    def _dropped(self, conn: sqlite3.Connection, rows: list[_Row]) -> tuple[int, bool]:
        """The LRS closed the connection without an answer: it may have crashed on one of
        ``rows`` (and refuse connections until it is restarted), or gone down meanwhile.

        Several statements: half as many go from now on, so one that crashes the LRS is
        narrowed down over its restarts, a crash a step, while the others are taken. One
        alone, just after the LRS took others, is sent alone from now on, with a growing
        pause of its own, and the statements behind it go on: resent in every batch, it
        would crash the LRS on every try and hold up everything behind it. It is never set
        aside for this: an LRS that crashes on its own (a crash loop, a restart) closes
        connections on good statements alike, in step with the relay's requests (the
        second after each start, say), so no number of such tries tells them apart; the
        log says what the operator can do. Otherwise, it is an outage: back off, and
        start the next try behind the statement."""
        gone = f"upstream closed the connection without an answer ({self._answer})"
        if len(rows) > 1:
            self._size, self._fits = max(1, len(rows) // 2), 0
            self._failed(f"{gone} to {len(rows)} statements; sending {self._size} at a time, "
                         "in case one of them crashes the LRS")
            return 0, False
        row, now = rows[0], time.time()
        if not self._near():
            self._failed(f"{gone} to a statement alone, and accepted none (the statements "
                         "wait here)")
            conn.execute("UPDATE statements SET relay_failed = ? WHERE seq = ?", (now, row.seq))
            self._after = row.seq
            return 0, False
        drops, delay = row.drops + 1, self._pause(max(row.tries, row.drops + 1))
        conn.execute("UPDATE statements SET relay_drops = ?, relay_failed = ?, relay_after = ? "
                     "WHERE seq = ?", (drops, now, now + delay, row.seq))
        log.warning("%s to statement seq %s alone, just after accepting others (%d time%s): "
                    "the LRS may crash on it; it is tried again alone in %.0fs, and the "
                    "statements behind it go on (see 'Statements set aside' in the operator "
                    "guide)", gone, row.seq, drops, "s" * (drops != 1), delay)
        return 1, True

    def _single(self, conn: sqlite3.Connection, row: _Row, status: int, taken: bool) -> int:
        """A statement the LRS failed on alone. A 409 refuses it: the LRS holds another
        statement with its id, whatever its settings, so no try will do (and on a quiet site
        no other statement may come to prove the LRS works). Another 4xx refuses it if the
        LRS took others in this pass (``taken``) or since it last failed; a 5xx just after
        the LRS took others makes it a suspect, with a pause of its own. Otherwise nothing
        is known against it. Return 1 when dealt with."""
        if status < 500:
            if not (status == 409 or taken or self._taken_since(row)):
                return 0
            self._refuse(conn, row.seq, f"upstream answered {self._answer}")
            return 1
        if not self._near():
            return 0
        now = time.time()
        self._suspects[row.seq] = _Suspect(row, now, self._answer)
        conn.execute("UPDATE statements SET relay_failed = ?, relay_after = ? WHERE seq = ?",
                     (now, now + self._pause(row.tries), row.seq))
        return 1

    def _taken_since(self, row: _Row) -> bool:
        """Whether the LRS took other statements since this one last failed."""
        return (row.failed is not None and self._accepted_wall is not None
                and self._accepted_wall > row.failed)

    def _pause(self, tries: int) -> float:
        """A statement's own pause after it failed alone, growing with its tries."""
        return min(self.row_backoff_max, self.row_backoff_min * 2 ** max(tries - 1, 0))

    def _strike(self, conn: sqlite3.Connection, suspect: _Suspect) -> None:
        """The LRS took others just before failing on this statement alone, and the next it
        was sent after: a try against it, each after a longer pause; the last sets it aside."""
        seq, tries = suspect.row.seq, suspect.row.tries + 1
        if tries >= REFUSE_AFTER:
            self._refuse(conn, seq, f"upstream answered {suspect.answer} to it alone {tries} "
                                    "times, while accepting other statements")
            return
        delay = self._pause(tries)
        conn.execute("UPDATE statements SET relay_tries = ?, relay_failed = ?, relay_after = ? "
                     "WHERE seq = ? AND relay_error IS NULL",
                     (tries, suspect.failed, suspect.failed + delay, seq))
        log.info("upstream LRS answered %s to statement seq %s alone, while accepting others "
                 "(%d of %d tries); trying it again in %.0fs", suspect.answer, seq, tries,
                 REFUSE_AFTER, delay)

    def _refuse(self, conn: sqlite3.Connection, seq: int, reason: str) -> None:
        """Keep the statement (it stays in the store and the report) but stop relaying it,
        warning once. Its tries are cleared: clearing ``relay_error`` tries it afresh."""
        conn.execute("UPDATE statements SET relay_error = ?, relay_tries = 0, relay_drops = 0, "
                     "relay_failed = NULL, relay_after = NULL WHERE seq = ?", (reason, seq))
        self.state.rejected += 1
        log.warning("upstream LRS refused statement seq %s (%s); it stays in %s, set aside "
                    "(see 'Statements set aside' in the operator guide)", seq, reason,
                    self.db_path)

    def _accept(self, conn: sqlite3.Connection, rows: list[_Row]) -> None:
        """Mark rows relayed; the statements the LRS failed on alone just before count
        against them now (see ``_strike``)."""
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        marks = ",".join("?" * len(rows))
        conn.execute(f"UPDATE statements SET relayed_at = ? WHERE seq IN ({marks})",
                     (stamp, *(row.seq for row in rows)))
        self._accepted_at = time.monotonic()
        self._accepted_wall = time.time()
        taken = {row.seq for row in rows}
        for suspect in self._suspects.values():
            if suspect.row.seq not in taken:
                self._strike(conn, suspect)
        self._suspects.clear()
        self._after = 0
        self.state.relayed += len(rows)
        self.state.failures = 0
        self.state.last_error = None
        log.info("relayed %d statement%s to %s", len(rows), "s" * (len(rows) != 1),
                 self.upstream.describe())

    def _grow(self, sent: int) -> None:
        """After a run of full batches, try twice as many again: a 413 may have come from
        one large statement, not from the limit every batch meets."""
        if sent < self._size or self._size >= self.batch:
            return
        self._fits += 1
        if self._fits >= GROW_AFTER:
            self._size, self._fits = min(self.batch, self._size * 2), 0

    def _post(self, client: httpx.Client, rows: list[_Row]) -> int | None:
        """The LRS's status (None when unreachable); ``_answer`` keeps it with the start of
        what the LRS said, which names the problem. A failure of several statements at once
        clears the suspects: the LRS failed on more than them."""
        payload = "[" + ",".join(row.body for row in rows) + "]"
        try:
            response = client.post(self.upstream.statements_url, content=payload.encode())
        except _GONE as exc:
            self._answer = f"{type(exc).__name__}: {exc}"
            return DROPPED
        except httpx.HTTPError as exc:
            self._failed(f"{type(exc).__name__}: {exc}")
            return None
        self.state.history.append(response.status_code)
        code, said = response.status_code, " ".join(response.text.split())[:200]
        self._answer = f"{code}" + (f" ({said})" if said and code >= 300 else "")
        if 200 <= code < 300 and not _ids(response):
            kind = response.headers.get("content-type", "no content type").split(";")[0]
            self._failed(f"upstream answered {code} with {kind} ({said or 'empty'}), not the "
                         "list of statement ids an xAPI LRS answers; check --upstream: the "
                         "LRS's xAPI address (the statements wait here)")
            return None
        if code >= 300 and len(rows) > 1:
            self._suspects.clear()
        return code

    def _failed(self, reason: str, *, suspects: bool = False) -> None:
        """Back off: the LRS is down, misconfigured or unreachable, so a statement it has
        just failed on alone says nothing against that statement. Unless it has only failed
        on a statement alone again (``suspects`` kept): on a quiet site, the one it failed on
        just after taking others, tried again before any other came, as an outage may be."""
        if not suspects:
            self._suspects.clear()
        state = self.state
        state.failures += 1
        state.last_error = reason
        delay = min(self.backoff_max, self.backoff_min * 2 ** (state.failures - 1))
        delay *= random.uniform(0.8, 1.2)  # jitter: many collectors do not retry in step
        state.next_try = time.monotonic() + delay
        log.warning("relay to %s failed (%s); retrying in %.1fs", self.upstream.describe(),
                    reason, delay)


class _RelayLock:
    """An advisory lock (flock) held by the collector that relays; the system drops it when
    that process ends, however it ends. Where flock does not exist (Windows), every
    collector relays.

    It is taken on a file of its own beside the database (``….sqlite-relay.lock``), never on
    the database: closing any descriptor of a file drops every POSIX lock the process holds
    on it, SQLite's included. A collector waiting to relay looked at the database every few
    seconds that way, and the other one, stopping, took itself for the last user of the file
    and deleted the WAL the waiting one went on writing its acknowledged statements to."""

    def __init__(self, db_path: Path) -> None:
        self.path = db_path.with_name(db_path.name + "-relay.lock")
        self.fd: int | None = None

    def take(self) -> bool:
        if self.fd is not None or fcntl is None:
            return True
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_CREAT, 0o644)
        except OSError:  # its folder moved away or became read-only: wait, as for the other
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self.fd = fd
        return True

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing drops the lock
            self.fd = None


def _halves(rows: list[_Row]) -> list[list[_Row]]:
    middle = len(rows) // 2
    return [half for half in (rows[:middle], rows[middle:]) if half]


def _ids(response: httpx.Response) -> bool:
    """The answer of an LRS that took the statements: their ids, or no content (Ralph, for
    statements it holds already)."""
    if response.status_code == 204:
        return True
    try:
        return isinstance(response.json(), list)
    except ValueError:
        return False


def _statement_text(body: bytes) -> str | None:
    """The body as the JSON object the LRS is sent, None when the row holds none."""
    try:
        text = body.decode()
        return text if isinstance(json.loads(text), dict) else None
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return None


def pending(db_path: str | Path) -> int:
    conn = connect(db_path)
    try:
        return conn.execute("SELECT COUNT(*) FROM statements WHERE relayed_at IS NULL "
                            "AND relay_error IS NULL").fetchone()[0]
    finally:
        conn.close()

