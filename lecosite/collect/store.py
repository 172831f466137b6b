"""The collector's embedded store: SQLite in WAL mode with a group-committing writer thread.

Every accepted statement is committed before the request that carried it is acknowledged;
requests that arrive while a commit runs share the next one, so a burst costs one fsync.
Rows with ``relayed_at IS NULL`` are the outbox the relay drains; the ``relay_tries``,
``relay_drops``, ``relay_failed`` and ``relay_after`` columns are the relay's bookkeeping for
a statement the LRS failed on: tries that count against it, connections the LRS closed on it
alone without an answer (which never count against it), when it last failed alone or in a
batch the LRS took nothing of, and when it is due again. A row with tries or drops is sent
alone.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import shutil
import sqlite3
import tempfile
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from lecosite import xapi

SCHEMA = """
CREATE TABLE IF NOT EXISTS statements (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    verb TEXT NOT NULL,
    object TEXT NOT NULL,
    actor TEXT NOT NULL,
    timestamp TEXT,
    stored TEXT NOT NULL,
    body TEXT NOT NULL,
    relayed_at TEXT,
    relay_error TEXT,
    relay_tries INTEGER NOT NULL DEFAULT 0,
    relay_drops INTEGER NOT NULL DEFAULT 0,
    relay_failed REAL,
    relay_after REAL
);
CREATE INDEX IF NOT EXISTS statements_outbox ON statements(seq) WHERE relayed_at IS NULL;
CREATE INDEX IF NOT EXISTS statements_refused ON statements(seq) WHERE relay_error IS NOT NULL;
"""

SYNC_MODES = ("normal", "full")
ALONE = "(relay_tries > 0 OR relay_drops > 0)"  # rows the relay sends alone, as it indexes them
log = logging.getLogger("lecosite.collect.store")


class Conflict(Exception):
    """A statement id already stored with different content (xAPI: 409)."""


class _Failed(Exception):
    """A commit failed (disk full, I/O error): nothing of its group is durable."""


@dataclass
class Row:
    id: str
    verb: str
    object: str
    actor: str
    timestamp: str | None
    body: str  # canonical JSON
    assigned_timestamp: bool = False  # the client sent none: the collector set it


def connect(path: str | Path, *, sync: str = "full", readonly: bool = False) -> sqlite3.Connection:
    """A connection with the settings every part of lecosite uses on this file."""
    if readonly:
        conn = _open_readonly(Path(path))
    else:
        conn = sqlite3.connect(str(path), timeout=10, isolation_level=None,
                               check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(f"PRAGMA synchronous={'FULL' if sync == 'full' else 'NORMAL'}")
    conn.execute("PRAGMA busy_timeout=10000")
    return conn


def _open_readonly(path: Path) -> sqlite3.Connection:
    """Read without writing. A WAL database needs its '-shm' file, which SQLite creates
    beside it; on a read-only mount (a copy, a backup) it cannot, and the file is read as
    it is instead (immutable: nothing is writing there), with its '-wal' file if any."""
    uri = path.resolve().as_uri()
    try:
        return _opened(f"{uri}?mode=ro")
    except sqlite3.OperationalError as exc:
        if "unable to open" not in str(exc):
            raise
    wal = path.with_name(path.name + "-wal")
    if wal.is_file() and wal.stat().st_size:
        return snapshot(path, wal)
    return _opened(f"{uri}?mode=ro&immutable=1")


def snapshot(path: Path, wal: Path) -> sqlite3.Connection:
    """The database with the statements still in its '-wal' file, in memory: immutable
    reading leaves them out, and reading them needs a '-shm' file, so a private copy of
    both files is read."""
    with tempfile.TemporaryDirectory(prefix="lecosite-read-") as folder:
        copy = Path(folder) / "statements.sqlite"
        shutil.copyfile(path, copy)
        shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
        source = sqlite3.connect(copy)
        memory = sqlite3.connect(":memory:", check_same_thread=False)
        try:
            source.backup(memory)
        finally:
            source.close()
    return memory


def _opened(uri: str) -> sqlite3.Connection:
    conn = sqlite3.connect(uri, uri=True, timeout=10, check_same_thread=False)
    try:
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1")  # WAL: opens the '-shm' now
    except sqlite3.Error:
        conn.close()
        raise
    return conn


_COLUMNS = {"seq", "id", "verb", "object", "actor", "timestamp", "stored", "body", "relayed_at",
            "relay_error"}
# Added since: a file without them is lecosite's own, from an older version.
_ADDED = {"relay_tries": "INTEGER NOT NULL DEFAULT 0", "relay_failed": "REAL",
          "relay_after": "REAL", "relay_drops": "INTEGER NOT NULL DEFAULT 0"}


def _refuse_foreign(path: Path) -> None:
    """Never add tables to another program's database (a mistyped --db), nor switch it to
    WAL: it is read without writing first."""
    if not path.is_file() or path.stat().st_size == 0:
        return
    conn = _open_readonly(path)
    try:
        tables = {name for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
        columns = {row[1] for row in conn.execute("PRAGMA table_info(statements)")}
    finally:
        conn.close()
    if tables and (not tables >= {"statements"} or not columns >= _COLUMNS):
        raise sqlite3.DatabaseError(
            f"{path} is another program's database (its tables: {', '.join(sorted(tables))}); "
            "give lecosite a file of its own with --db")


def _add_columns(conn: sqlite3.Connection) -> None:
    """Give a file from an older version the columns added since, so it keeps working, and
    the index on them the relay reads the statements it sends alone by."""
    have = {row[1] for row in conn.execute("PRAGMA table_info(statements)")}
    for name, kind in _ADDED.items():
        if name not in have:
            conn.execute(f"ALTER TABLE statements ADD COLUMN {name} {kind}")
    conn.execute("DROP INDEX IF EXISTS statements_struck")  # relay_tries alone, before drops
    conn.execute("CREATE INDEX IF NOT EXISTS statements_alone ON statements(seq) "
                 f"WHERE relayed_at IS NULL AND {ALONE}")


def _clear_tries_set_aside(conn: sqlite3.Connection) -> None:
    """Rows the relay set aside keep no tries, so clearing ``relay_error`` (what the operator
    guide says to do) tries one afresh: an older version kept them, and the first failure
    set the row aside again."""
    conn.execute("UPDATE statements SET relay_tries = 0, relay_failed = NULL, relay_after = NULL "
                 "WHERE relay_error IS NOT NULL AND relay_tries > 0")


def _keep_count(conn: sqlite3.Connection) -> None:
    """Count the rows as they come and go, so /health says how many are stored without
    counting a large table on every call: triggers, so rows an operator deletes (a purge)
    or an older collector adds are counted too. A file from before them is counted once,
    in the transaction that adds them; a file restored or recovered from a damaged one (its
    count copied, its rows not all) is counted afresh at every start."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'statement_count'").fetchone():
            conn.execute("UPDATE statement_count SET n = (SELECT COUNT(*) FROM statements) "
                         "WHERE n IS NOT (SELECT COUNT(*) FROM statements)")
            conn.execute("COMMIT")
            return
        conn.execute("CREATE TABLE statement_count (n INTEGER NOT NULL)")
        conn.execute("INSERT INTO statement_count SELECT COUNT(*) FROM statements")
        conn.execute("CREATE TRIGGER statements_added AFTER INSERT ON statements "
                     "BEGIN UPDATE statement_count SET n = n + 1; END")
        conn.execute("CREATE TRIGGER statements_deleted AFTER DELETE ON statements "
                     "BEGIN UPDATE statement_count SET n = n - 1; END")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _same(stored: bytes, row: Row) -> bool:
    """Whether ``row`` re-sends the stored statement. A stored body no longer readable (a
    disk error, a hand edit) is told apart from it: a failure to compare would fail the
    whole group of requests, with 503s that the client's retries would bring back."""
    try:
        text = stored.decode()
        return text == row.body or xapi.same_statement(
            text, row.body, assigned_timestamp=row.assigned_timestamp)
    except (ValueError, AttributeError, RecursionError):  # not UTF-8, not a JSON object
        return False


class Store:
    """Owns the database file: one writer thread, short-lived readers."""

    def __init__(self, path: str | Path, *, sync: str = "full", max_group: int = 5000) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.sync = sync
        self.max_group = max_group
        _refuse_foreign(self.path)
        conn = connect(self.path, sync=sync)
        conn.executescript(SCHEMA)
        _add_columns(conn)
        _clear_tries_set_aside(conn)
        _keep_count(conn)
        self._writer_conn = conn
        self._queue: queue.Queue[tuple[list[Row], Future[list[str]]] | None] = queue.Queue()
        self._listeners: list[threading.Event] = []
        self.failing: str | None = None  # why the last commit failed, until one succeeds
        self._thread = threading.Thread(target=self._write_loop, name="lecosite-store",
                                        daemon=True)
        self._thread.start()
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []

    # -- writing ------------------------------------------------------------------------

    def submit(self, rows: list[Row]) -> Future[list[str]]:
        """Queue rows for the next group commit; the future resolves once they are durable."""
        future: Future[list[str]] = Future()
        self._queue.put((rows, future))
        return future

    def add(self, rows: list[Row], timeout: float = 30) -> list[str]:
        """Store rows and wait for the commit (for scripts and tests)."""
        return self.submit(rows).result(timeout)

    def notify(self, event: threading.Event) -> None:
        """Set ``event`` after each commit (the relay waits on it)."""
        self._listeners.append(event)

    def _write_loop(self) -> None:
        conn = self._writer_conn
        while True:
            item = self._queue.get()
            if item is None:
                break
            group = [item]
            count = len(item[0])
            while count < self.max_group:
                try:
                    nxt = self._queue.get_nowait()
                except queue.Empty:
                    break
                if nxt is None:
                    self._queue.put(None)
                    break
                group.append(nxt)
                count += len(nxt[0])
            self._commit(conn, group)
        conn.close()

    def _commit(self, conn: sqlite3.Connection,
                group: list[tuple[list[Row], Future[list[str]]]]) -> None:
        stored = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        try:
            if not self._commit_fast(conn, group, stored):
                self._commit_each(conn, group, stored)
        except _Failed as exc:
            if self.failing is None:  # once per outage: every request fails alike meanwhile
                log.error("cannot store statements in %s (%s); they are refused with 503, "
                          "and browsers keep them queued until this is fixed", self.path, exc)
            self.failing = str(exc)
            return
        if self.failing is not None:
            log.warning("storing statements in %s works again", self.path)
            self.failing = None
        for event in self._listeners:
            event.set()

    def _commit_fast(self, conn: sqlite3.Connection,
                     group: list[tuple[list[Row], Future[list[str]]]], stored: str) -> bool:
        """The common case, new ids only: one statement for the whole group, few GIL trips.

        False (nothing written) when an id is already stored: the careful path sorts out
        which request re-sent what.
        """
        params = [(r.id, r.verb, r.object, r.actor, r.timestamp, stored, r.body)
                  for rows, _ in group for r in rows]
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(
                "INSERT INTO statements (id, verb, object, actor, timestamp, stored, body) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)", params)
            conn.execute("COMMIT")
        except sqlite3.IntegrityError:
            conn.execute("ROLLBACK")
            return False
        except Exception as exc:  # disk full, I/O error: nothing in this group is durable
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            for _, future in group:
                future.set_exception(exc)
            raise _Failed(exc) from exc
        # Only now, after COMMIT returned, may any request be acknowledged.
        for rows, future in group:
            future.set_result([r.id for r in rows])
        return True

    def _commit_each(self, conn: sqlite3.Connection,
                     group: list[tuple[list[Row], Future[list[str]]]], stored: str) -> None:
        """Request by request, each in a savepoint: a conflict fails only its own request."""
        outcomes: list[tuple[Future[list[str]], list[str] | BaseException]] = []
        try:
            conn.execute("BEGIN IMMEDIATE")
            for rows, future in group:
                conn.execute("SAVEPOINT request")
                try:
                    outcomes.append((future, self._insert(conn, rows, stored)))
                    conn.execute("RELEASE request")
                except Conflict as exc:
                    conn.execute("ROLLBACK TO request")
                    conn.execute("RELEASE request")
                    outcomes.append((future, exc))
            conn.execute("COMMIT")
        except Exception as exc:  # disk full, I/O error: nothing in this group is durable
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            for _, future in group:
                if not future.done():
                    future.set_exception(exc)
            raise _Failed(exc) from exc
        # Only now, after COMMIT returned, may any request be acknowledged.
        for future, outcome in outcomes:
            if isinstance(outcome, BaseException):
                future.set_exception(outcome)
            else:
                future.set_result(outcome)

    @staticmethod
    def _insert(conn: sqlite3.Connection, rows: list[Row], stored: str) -> list[str]:
        for row in rows:
            cur = conn.execute(
                "INSERT INTO statements (id, verb, object, actor, timestamp, stored, body) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING",
                (row.id, row.verb, row.object, row.actor, row.timestamp, stored, row.body))
            if cur.rowcount == 0:
                (existing,) = conn.execute("SELECT CAST(body AS BLOB) FROM statements "
                                           "WHERE id = ?", (row.id,)).fetchone()
                if not _same(existing, row):
                    raise Conflict(f"statement {row.id} already stored with other content")
        return [row.id for row in rows]

    def close(self) -> None:
        """Stop, leaving every statement in the database file itself: the writer closes
        last, which moves the WAL into the file (a copy of the file alone is complete)."""
        for conn in self._readers:
            conn.close()
        self._readers.clear()
        self._queue.put(None)
        self._thread.join(timeout=30)

    # -- reading ------------------------------------------------------------------------

    def reader(self) -> sqlite3.Connection:
        """A per-thread read connection (WAL lets readers run beside the writer)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = connect(self.path, sync=self.sync)
            self._local.conn = conn
            self._readers.append(conn)
        return conn

    def counts(self) -> dict[str, int]:
        conn = self.reader()
        (stored,) = conn.execute("SELECT n FROM statement_count").fetchone()
        pending = conn.execute(
            "SELECT COUNT(*) FROM statements WHERE relayed_at IS NULL AND relay_error IS NULL"
        ).fetchone()[0]
        refused = conn.execute(
            "SELECT COUNT(*) FROM statements WHERE relay_error IS NOT NULL").fetchone()[0]
        return {"stored": stored, "pending": pending, "refused": refused}
