"""The outbox relay: forwards stored statements to an upstream xAPI LRS.

Rows are marked relayed only after the LRS answered 2xx with the list of statement ids an
xAPI LRS answers, so a crash, an outage or a wrong address (a login page answers 200 too)
means a later retry, never a loss. Statement ids make retries safe: a conformant LRS ignores a
statement it already holds with the same content.
"""

from __future__ import annotations

import logging
import random
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from lecosite.collect.store import connect
from lecosite.xapi import XAPI_VERSION, public_url

log = logging.getLogger("lecosite.collect.relay")

_RETRYABLE = {408, 425, 429}
ENV_USER = "LECOSITE_UPSTREAM_USER"
ENV_PASSWORD = "LECOSITE_UPSTREAM_PASSWORD"
_HINTS = {401: f"; give the LRS's credentials in ${ENV_USER} and ${ENV_PASSWORD}",
          403: "; the LRS's credentials lack the permission to write statements",
          404: "; check --upstream: the LRS's xAPI address, without '/statements'"}
SUSPECT_AFTER = 3  # failed tries of a batch answered 5xx before it is sent one by one


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
    history: list[int] = field(default_factory=list)  # HTTP statuses seen, for tests


class Relay:
    """A thread that drains the outbox in batches, backing off exponentially on failure."""

    def __init__(self, db_path: str | Path, upstream: Upstream, *, batch: int = 200,
                 backoff_min: float = 1.0, backoff_max: float = 300.0,
                 timeout: float = 15.0, wake: threading.Event | None = None) -> None:
        self.db_path = Path(db_path)
        self.upstream = upstream
        self.batch = batch
        self.backoff_min = backoff_min
        self.backoff_max = backoff_max
        self.timeout = timeout
        self.wake = wake or threading.Event()
        self.state = RelayState()
        self._stop = threading.Event()
        self._answer = ""
        self._thread: threading.Thread | None = None

    def start(self) -> Relay:
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
        conn = connect(self.db_path)
        with httpx.Client(auth=auth, headers=headers, timeout=self.timeout) as client:
            while not self._stop.is_set():
                wait = self.state.next_try - time.monotonic()
                if wait > 0:
                    self._stop.wait(wait)
                    continue
                try:
                    moved = self.drain_once(conn, client)
                except sqlite3.Error as exc:  # the store is busy or broken: try again later
                    self._failed(f"store: {exc}")
                    moved = 0
                if moved == 0:
                    self.wake.wait(5.0)
                    self.wake.clear()
        conn.close()

    def drain_once(self, conn: sqlite3.Connection, client: httpx.Client) -> int:
        """Send one batch; return how many rows left the outbox (0 when idle or failing)."""
        rows = conn.execute(
            "SELECT seq, body FROM statements WHERE relayed_at IS NULL AND relay_error IS NULL "
            "ORDER BY seq LIMIT ?", (self.batch,)).fetchall()
        if not rows:
            return 0
        status = self._post(client, [body for _, body in rows])
        if status is None:  # unreachable, or not an LRS: _post has backed off already
            return 0
        if 200 <= status < 300:
            self._mark(conn, [seq for seq, _ in rows])
            self.state.relayed += len(rows)
            self.state.failures = 0
            self.state.last_error = None
            return len(rows)
        if status >= 500 and len(rows) > 1 and self.state.failures >= SUSPECT_AFTER:
            # Some LRSes fail with a 5xx on one statement they cannot handle (Ralph, on a
            # homePage with '[' in it): after a few tries, find out which, one by one.
            return self._one_by_one(conn, client, rows)
        if status in _RETRYABLE or status >= 500 or status in (401, 403, 404):
            # Outage or misconfiguration on the LRS side: keep the rows, retry later.
            self._failed(f"upstream answered {self._answer}{_HINTS.get(status, '')}")
            return 0
        # A 4xx (400, 409, 413) for the batch: find the statements the LRS refuses one by one,
        # so a single bad row cannot block the outbox forever.
        return self._one_by_one(conn, client, rows)

    def _one_by_one(self, conn: sqlite3.Connection, client: httpx.Client,
                    rows: list[tuple[int, str]]) -> int:
        """Send a refused batch statement by statement. A statement the LRS refuses (4xx) or
        fails on (5xx) is refused for good only once the LRS has accepted another one: an
        LRS that refuses everything is misconfigured or down, and the statements wait."""
        moved, suspects, accepted = 0, [], False
        for seq, body in rows:
            single = self._post(client, [body])
            if single is None:  # unreachable: _post has backed off already
                return moved
            if single in _RETRYABLE:
                break
            if 200 <= single < 300:
                accepted = True
                self._mark(conn, [seq])
                self.state.relayed += 1
                self.state.failures, self.state.last_error = 0, None
                moved += 1
                left = [(s, b) for s, b in suspects if not self._settle(conn, client, s, b)]
                moved += len(suspects) - len(left)
                suspects = left
            elif accepted and single < 500:
                self._refuse(conn, seq, f"upstream answered {self._answer}")
                moved += 1
            else:
                suspects.append((seq, body))
        if suspects:
            self._failed(f"upstream answered {self._answer} to each statement it was sent, "
                         "and accepted none; check --upstream and the LRS's settings (the "
                         "statements wait here)")
        return moved

    def _settle(self, conn: sqlite3.Connection, client: httpx.Client, seq: int,
                body: str) -> bool:
        """Send a statement that failed with a 5xx again, now that the LRS accepts others;
        True when it is settled: relayed, or refused for good."""
        status = self._post(client, [body])
        if status is None or status in _RETRYABLE:
            return False
        if 200 <= status < 300:
            self._mark(conn, [seq])
            self.state.relayed += 1
        else:
            self._refuse(conn, seq, f"upstream answered {self._answer} to it alone again, "
                                    "while accepting other statements")
        return True

    def _refuse(self, conn: sqlite3.Connection, seq: int, reason: str) -> None:
        """Keep the statement (it stays in the store and the report) but stop relaying it."""
        conn.execute("UPDATE statements SET relay_error = ? WHERE seq = ?", (reason, seq))
        self.state.rejected += 1
        log.warning("upstream LRS refused statement seq %s (%s)", seq, reason)

    def _post(self, client: httpx.Client, bodies: list[str]) -> int | None:
        """The LRS's status (None when unreachable); ``_answer`` keeps it with the start of
        what the LRS said, which names the problem."""
        payload = "[" + ",".join(bodies) + "]"
        try:
            response = client.post(self.upstream.statements_url, content=payload.encode())
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
        return code

    def _mark(self, conn: sqlite3.Connection, seqs: list[int]) -> None:
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        marks = ",".join("?" * len(seqs))
        conn.execute(f"UPDATE statements SET relayed_at = ? WHERE seq IN ({marks})",
                     (stamp, *seqs))

    def _failed(self, reason: str) -> None:
        state = self.state
        state.failures += 1
        state.last_error = reason
        delay = min(self.backoff_max, self.backoff_min * 2 ** (state.failures - 1))
        delay *= random.uniform(0.8, 1.2)  # jitter: many collectors do not retry in step
        state.next_try = time.monotonic() + delay
        log.warning("relay to %s failed (%s); retrying in %.1fs", self.upstream.describe(),
                    reason, delay)


def _ids(response: httpx.Response) -> bool:
    """The answer of an LRS that took the statements: their ids, or no content (Ralph, for
    statements it holds already)."""
    if response.status_code == 204:
        return True
    try:
        return isinstance(response.json(), list)
    except ValueError:
        return False


def pending(db_path: str | Path) -> int:
    conn = connect(db_path)
    try:
        return conn.execute("SELECT COUNT(*) FROM statements WHERE relayed_at IS NULL "
                            "AND relay_error IS NULL").fetchone()[0]
    finally:
        conn.close()

