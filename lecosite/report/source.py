"""Where the report reads statements from: the collector's SQLite, or any xAPI LRS."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpx

from lecosite.collect.store import read_statements
from lecosite.xapi import XAPI_VERSION


class SourceError(Exception):
    """The statements cannot be read; the message says why, for the command line."""


def from_sqlite(path: str | Path) -> Iterator[dict[str, Any]]:
    if not Path(path).is_file():
        raise SourceError(f"no collector database at {path}")
    import sqlite3

    try:
        yield from read_statements(path)
    except sqlite3.Error as exc:
        raise SourceError(f"cannot read {path}: {exc}") from None


def from_lrs(url: str, user: str | None = None, password: str | None = None, *,
             page_size: int | None = None, max_pages: int = 100_000,
             timeout: float = 30.0) -> Iterator[dict[str, Any]]:
    """Every statement an LRS returns from ``GET <url>/statements``, following ``more``.

    Repeated ``more`` links end the walk, so a misbehaving LRS cannot loop it forever.
    """
    auth = httpx.BasicAuth(user, password or "") if user is not None else None
    headers = {"X-Experience-API-Version": XAPI_VERSION}
    base = url.rstrip("/") + "/"
    # Without a limit the LRS pages at its own maximum (asking for more can be a 400).
    target: str | None = urljoin(base, "statements") + (f"?limit={page_size}" if page_size
                                                         else "")
    seen: set[str] = set()
    with httpx.Client(auth=auth, headers=headers, timeout=timeout) as client:
        for _ in range(max_pages):
            if not target or target in seen:
                return
            seen.add(target)
            try:
                response = client.get(target)
            except httpx.HTTPError as exc:
                raise SourceError(f"cannot reach the LRS at {url}: {exc}") from None
            if response.status_code != 200:
                raise SourceError(f"the LRS answered {response.status_code} for {target}")
            try:
                data = response.json()
            except ValueError:
                raise SourceError(f"the LRS at {url} did not answer JSON") from None
            statements = data.get("statements") if isinstance(data, dict) else None
            if not isinstance(statements, list):
                raise SourceError(f"the LRS at {url} answered without a statements list")
            yield from (s for s in statements if isinstance(s, dict))
            more = data.get("more")
            target = urljoin(base, more) if isinstance(more, str) and more else None
