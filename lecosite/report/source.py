"""Where the report reads statements from: the collector's SQLite, or any xAPI LRS."""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import SplitResult, urlencode, urljoin, urlsplit, urlunsplit

import httpx

from lecosite.collect.store import connect
from lecosite.xapi import (
    DEFAULT_DB,
    XAPI_VERSION,
    happened,
    nested_too_deep,
    public_url,
    site_base,
)

# xAPI's 'since' is exclusive and compares 'stored': the LRS is asked from a second earlier,
# and the exact cut (Scope.keeps) is made here.
SINCE_SLACK = timedelta(seconds=1)
# Pages in a row that bring no statement not answered before: the LRS loops. Offset paging
# may repeat one page when as many statements arrive meanwhile, not this many in a row.
STALE_PAGES = 10


def _home_page(stmt: dict[str, Any]) -> str | None:
    """The site a statement is from, as its learner's account names it: the beacon sends
    the site's URL (its activity ids' start) as every statement's actor homePage."""
    actor = stmt.get("actor")
    account = actor.get("account") if isinstance(actor, dict) else None
    home = account.get("homePage") if isinstance(account, dict) else None
    return home if isinstance(home, str) else None


def same_site(a: str, b: str) -> bool:
    """Whether two site URLs are one site: the same address, with the scheme and host in
    any letter case and with or without the closing '/'. Not a prefix: a staging site at
    https://learn.example.com/staging/ is not https://learn.example.com/."""
    def key(url: str) -> str:
        scheme, _, rest = url.partition("://")
        host, slash, path = rest.partition("/")
        return f"{scheme.lower()}://{host.lower()}{slash}{path}".rstrip("/")
    return key(a) == key(b)


# How JSON spells half of a UTF-16 pair: a statement without one holds no lone surrogate.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _mended(stmt: dict[str, Any]) -> dict[str, Any]:
    """The statement with each lone UTF-16 surrogate ("\\ud83d", half an emoji, which JSON
    can spell and an LRS may hold) as U+FFFD: no UTF-8 file can hold one, so no report
    could be written; the rest of a learner's comment stays."""
    text = json.dumps(stmt, ensure_ascii=False)
    try:
        text.encode()
    except UnicodeEncodeError:
        return json.loads(text.encode("utf-16", "surrogatepass").decode("utf-16", "replace"))
    return stmt


class SourceError(Exception):
    """The statements cannot be read; the message says why, for the command line."""


@dataclass(frozen=True)
class Scope:
    """Which statements a report covers, for sites that share one collector or LRS (staging
    and production) and for "since the last update" questions. None: no limit."""

    site: str | None = None  # the site_url, as statements' actor homePage names it
    since: datetime | None = None  # time zone aware; statements at or after it

    def keeps(self, stmt: dict[str, Any]) -> bool:
        """The exact test, on the site the statement's actor names (voiding statements
        too) and when it happened (xapi.happened)."""
        if self.site is not None:
            home = _home_page(stmt)
            if home is None or not same_site(home, self.site):
                return False
        if self.since is not None:
            when = happened(stmt)
            if when is None or when < self.since:
                return False
        return True

    def describe(self) -> str:
        """For the report's header: which statements it covers."""
        parts = [f" · site {self.site}" if self.site else "",
                 f" · since {self.since.isoformat()}" if self.since else ""]
        return "".join(parts)


def _stored_statement(body: bytes) -> dict[str, Any] | None:
    """The statement a row's body holds, None for one no report can read. The body comes as
    bytes: SQLite hands back whatever a disk error or a hand edit left there, and decoding
    it in sqlite3 would stop the whole report (in a message quoting the learner's id)."""
    try:
        text: str | None = body.decode()
    except UnicodeDecodeError:
        text = None  # json still reads another tool's UTF-16, and refuses broken UTF-8
    try:
        stmt = json.loads(body if text is None else text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(stmt, dict) or nested_too_deep(stmt):
        return None
    if text is None or _SURROGATE_ESCAPE.search(text):
        stmt = _mended(stmt)
    return stmt


def from_sqlite(path: str | Path, scope: Scope | None = None,
                unreadable: list[int] | None = None) -> Iterator[dict[str, Any]]:
    """Every stored statement in the scope, oldest first, with ``stored`` as an LRS adds it;
    ``unreadable`` collects the seq of each row whose body is no statement (damaged).

    SQL narrows by site and time (a timestamp SQLite cannot read, and a body that is no
    JSON, are kept for the exact test).
    """
    if not Path(path).is_file():
        raise SourceError(f"no collector database at {path}: statements are stored there "
                          "once 'lecosite serve' or 'lecosite collect' has run and the "
                          "portal was visited; pass --db for another file, or --lrs")
    scope = scope or Scope()
    where, params = ["1"], []
    if scope.site is not None:
        where.append(f"(NOT json_valid(body) OR lower(rtrim({_HOME_SQL}, '/')) = "
                     "lower(rtrim(?, '/')))")
        params.append(scope.site)
    if scope.since is not None:
        where.append("coalesce(julianday(coalesce(timestamp, stored)) >= julianday(?), 1)")
        params.append(scope.since.isoformat())
    query = (f"SELECT seq, CAST(body AS BLOB), CAST(stored AS BLOB) FROM statements "
             f"WHERE {' AND '.join(where)} ORDER BY seq")
    try:
        conn = connect(path, readonly=True)
        try:
            for seq, body, stored in conn.execute(query, params):
                stmt = _stored_statement(body)
                if stmt is None:
                    if unreadable is not None:
                        unreadable.append(seq)
                    yield {}  # no statement a report can read: counted as left out
                    continue
                stmt.setdefault("stored", stored.decode(errors="replace"))  # as an LRS has it
                if scope.keeps(stmt):
                    yield stmt
        finally:
            conn.close()
    except sqlite3.Error as exc:
        what = str(exc)
        if "malformed" in what:
            raise SourceError(f"{path} is damaged ({what}); recover what it holds with "
                              f"'sqlite3 {path} .recover | sqlite3 recovered.sqlite' ('Run "
                              "the collector' in the operator guide says what to do if sqlite3 "
                              "answers 'SQL logic error'), then pass --db recovered.sqlite"
                              ) from None
        if "no such table" in what or "no such column" in what or "not a database" in what:
            empty = Path(path).stat().st_size == 0
            raise SourceError(
                f"{path} is {'an empty file' if empty else 'not a collector database'}: "
                "pass --db the file 'lecosite serve' or 'lecosite collect' writes "
                f"({DEFAULT_DB} at the project's root, unless given another --db)"
            ) from None
        if "locked" in what or "busy" in what:
            raise SourceError(f"cannot read {path}: another program holds it locked (a "
                              "database tool with a transaction open, say); close that "
                              "transaction and run the report again, or report on a copy: "
                              f"sqlite3 {path} '.backup copy.sqlite'") from None
        raise SourceError(f"cannot read {path}: {exc}") from None


# The statement's site in SQL (see _home_page), for rows whose body is JSON.
_HOME_SQL = "json_extract(body, '$.actor.account.homePage')"


def stored_summary(path: str | Path, site: str | None = None) -> tuple[int, list[str], str]:
    """How many statements the file holds, their sites (as their actors name them), most
    used first, and the time of the latest one (of ``site``, if given): what a --site or
    --since that matched none should have been."""
    try:
        conn = connect(path, readonly=True)
        try:
            (count,) = conn.execute("SELECT COUNT(*) FROM statements").fetchone()
            sites = [site for site, _ in conn.execute(
                f"SELECT {_HOME_SQL} AS site, COUNT(*) AS n FROM statements "
                "WHERE json_valid(body) AND site LIKE 'http%://%' "
                "GROUP BY site ORDER BY n DESC, site LIMIT 5")]
            latest = conn.execute(
                "SELECT CASE WHEN julianday(timestamp) < julianday(stored) THEN timestamp "
                "ELSE stored END AS at FROM statements "
                f"WHERE ? IS NULL OR (json_valid(body) AND lower(rtrim({_HOME_SQL}, '/')) "
                "= lower(rtrim(?, '/'))) "
                "ORDER BY julianday(at) DESC LIMIT 1", (site, site)).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return 0, [], ""
    return count, sites, latest[0] if latest else ""


def _origin(url: SplitResult) -> tuple[str, str | None, int | None]:
    """Scheme, host and port, the default port spelt out or not (…:443/ is …/)."""
    return url.scheme, url.hostname, url.port or {"http": 80, "https": 443}.get(url.scheme)


def _next_page(base: str, more: Any, url: str) -> str | None:
    """The ``more`` link, kept on the LRS's own origin (scheme, host, port): the credentials
    go with it, so a link elsewhere, or one that is no URL, is an error rather than a leak."""
    if not isinstance(more, str) or not more:
        return None
    try:
        link, here = urlsplit(urljoin(base, more)), urlsplit(base)
        if _origin(link) == _origin(here):
            target = urlunsplit(here[:2] + link[2:4] + ("",))  # base's netloc: its user:pass
            httpx.URL(target)
            return target
    except (ValueError, httpx.InvalidURL):
        pass
    raise SourceError(f"the LRS at {public_url(url)} answered a 'more' link the report "
                      f"cannot follow: {public_url(more)[:200]!r}")


def site_of(stmt: dict[str, Any]) -> str:
    """The site (as --site takes it) a statement is from."""
    home = _home_page(stmt)
    try:
        parts = urlsplit(home) if home is not None else None
    except ValueError:  # an LRS holds what others sent it: 'https://[::1/' is no address
        return "(no site)"
    if not parts or parts.scheme not in ("http", "https") or not parts.netloc:
        return "(no site)"
    return site_base(f"{parts.scheme}://{parts.netloc}{parts.path}")


def from_lrs(url: str, user: str | None = None, password: str | None = None, *,
             scope: Scope | None = None, page_size: int | None = None,
             max_pages: int = 100_000, timeout: float = 30.0,
             left_out: Counter[str] | None = None) -> Iterator[dict[str, Any]]:
    """Every statement in the scope an LRS returns from ``GET <url>/statements``, following
    ``more``; ``left_out`` counts the others by site, to say what a --site should have been.

    ``since`` goes to the LRS (which compares it with ``stored``); the site has no xAPI
    filter (``agent=`` matches one learner, ``activity=`` one id), so it is applied here.
    Repeated ``more`` links end the walk; pages that bring back only statements already
    answered (an LRS that ignores its cursor) and a walk longer than ``max_pages`` are
    errors: either would otherwise run for hours, and end in a report cut short unsaid.
    """
    scope = scope or Scope()
    auth = httpx.BasicAuth(user, password or "") if user is not None else None
    headers = {"X-Experience-API-Version": XAPI_VERSION}
    base = url.rstrip("/") + "/"
    query: dict[str, str] = {}
    if page_size:  # without a limit the LRS pages at its own maximum (more can be a 400)
        query["limit"] = str(page_size)
    if scope.since is not None:
        # At the very start of year 1 there is nothing to narrow: the exact cut will do.
        with contextlib.suppress(OverflowError):
            early = (scope.since - SINCE_SLACK).astimezone(UTC)
            query["since"] = early.isoformat(timespec="seconds").replace("+00:00", "Z")
    target: str | None = urljoin(base, "statements") + (f"?{urlencode(query)}" if query else "")
    seen: set[str] = set()
    answered: set[str] = set()  # statement ids
    stale = 0  # pages in a row with no statement not answered before
    with httpx.Client(auth=auth, headers=headers, timeout=timeout) as client:
        for _ in range(max_pages):
            if not target or target in seen:
                return
            if stale >= STALE_PAGES:
                raise SourceError(f"the LRS at {public_url(url)} loops: its 'more' links bring "
                                  f"back only statements it answered already ({stale} pages "
                                  "in a row); report this to its operator, or use --db")
            seen.add(target)
            try:
                response = client.get(target)
            except httpx.HTTPError as exc:
                raise SourceError(f"cannot reach the LRS at {public_url(url)}: {exc}") from None
            code = response.status_code
            if code in (401, 403):
                if user is None and not urlsplit(url).username:
                    raise SourceError(f"the LRS at {public_url(url)} asks for credentials "
                                      f"({code}): give them with --lrs-user and --lrs-password")
                raise SourceError(f"the LRS at {public_url(url)} refused the credentials "
                                  f"({code}): check --lrs-user and --lrs-password")
            if response.is_redirect:
                moved = urljoin(target, response.headers["location"])
                raise SourceError(f"the LRS answered {code}, sending the report to "
                                  f"{public_url(moved)}: give --lrs the address it moved to")
            if code in (404, 405):
                raise SourceError(f"the LRS answered {code} for {public_url(target)}: give "
                                  "--lrs the LRS's xAPI address (e.g. "
                                  "https://lrs.example.com/xAPI), without '/statements'")
            if code != 200:
                why = ("it fails or is overloaded; try again later, or ask its operator"
                       if code >= 500 or code == 429 else "it refused the report's query; "
                       "check that --lrs is its xAPI address, or ask its operator")
                raise SourceError(f"the LRS answered {code} for {public_url(target)}: {why}")
            try:
                data = response.json()
            except (ValueError, RecursionError):
                raise SourceError(f"the LRS at {public_url(url)} did not answer JSON a report "
                                  "can read") from None
            statements = data.get("statements") if isinstance(data, dict) else None
            if not isinstance(statements, list):
                raise SourceError(f"the LRS at {public_url(url)} answered without a statements "
                                  "list")
            before, unknown = len(answered), False
            halves = _SURROGATE_ESCAPE.search(response.text) is not None
            for stmt in statements:
                if not isinstance(stmt, dict) or nested_too_deep(stmt):
                    yield {}  # no statement a report can read: counted as left out
                    continue
                if halves:
                    stmt = _mended(stmt)
                sid = stmt.get("id")
                if isinstance(sid, str):
                    answered.add(sid.lower())
                else:
                    unknown = True  # no id to tell it by: taken as new
                if scope.keeps(stmt):
                    yield stmt
                elif left_out is not None:
                    left_out[site_of(stmt)] += 1
            stale = 0 if unknown or len(answered) > before else stale + 1
            target = _next_page(base, data.get("more"), url)
        if target and target not in seen:
            raise SourceError(f"the LRS at {public_url(url)} has more than {max_pages} pages "
                              "of statements, more than a report reads: narrow it with --since")
