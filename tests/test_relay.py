"""The relay against LRSes that fail in parts: a body limit, passing 5xx, statements the LRS
fails on for good. The relay runs on its own over a store, with short pauses."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from lecosite.collect.relay import pending
from lecosite.collect.store import Store

OLD_SCHEMA = """
CREATE TABLE statements (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, verb TEXT NOT NULL,
    object TEXT NOT NULL, actor TEXT NOT NULL, timestamp TEXT, stored TEXT NOT NULL,
    body TEXT NOT NULL, relayed_at TEXT, relay_error TEXT);
INSERT INTO statements (id, verb, object, actor, stored, body)
    VALUES ('a', 'v', 'o', 'x', '2024-01-01T00:00:00Z', '{"id": "a"}');
"""


def test_a_database_from_before_the_retry_columns_keeps_working(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)
    conn.executescript(OLD_SCHEMA)
    conn.close()
    store = Store(path)
    try:
        assert store.counts() == {"stored": 1, "pending": 1, "refused": 0}
        columns = {row[1] for row in store.reader().execute("PRAGMA table_info(statements)")}
        assert columns >= {"relay_tries", "relay_failed", "relay_after"}
    finally:
        store.close()
    assert pending(path) == 1
