"""``lecosite collect``: run the statement collector."""

from __future__ import annotations

import errno
import ipaddress
import math
import os
import re
import signal
import socket
import sqlite3
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import click
from click.core import ParameterSource

from lecosite.collect.app import normalize_origin
from lecosite.collect.server import (
    ENV_PASSWORD,
    ENV_USER,
    LOG_LEVELS,
    close,
    http_url,
    listen,
    serve_collector,
)
from lecosite.collect.store import SYNC_MODES, Store, connect
from lecosite.project import find_root, load_settings
from lecosite.xapi import DEFAULT_DB, lrs_url, public_url

ENV_HEALTH_TOKEN = "LECOSITE_HEALTH_TOKEN"
MIN_TOKEN = 16


def check_db(db: str) -> None:
    """The checks of the database file that touch no file, for before the port is known
    to be free: a collector that cannot start leaves no empty database (nor '-wal' file) behind.
    The content folder is the one of the project run from, and of the project the file
    would be in: a collector run from elsewhere (/srv) must not write into a portal's
    content either."""
    target = Path(db).resolve()
    for root in dict.fromkeys((find_root(Path.cwd()), find_root(target.parent))):
        content = load_settings(root)[0].content_path.resolve()
        if target.is_relative_to(content):
            raise click.ClickException(
                f"the database {db} would be inside the content folder {content}, and "
                "everything there is published with the portal, learners' statements "
                f"included; pass --db a path outside it, e.g. {root / DEFAULT_DB}")


def prepare_db(db: str) -> None:
    """Check a file there for damage, read-only, then make it (or bring one from an older
    version up to date) as the collector will, to say now what would stop it."""
    verdict = "ok"
    try:
        if Path(db).is_file() and Path(db).stat().st_size:
            conn = connect(db, readonly=True)
            try:
                (verdict,) = conn.execute("PRAGMA quick_check(1)").fetchone()
            finally:
                conn.close()
        if verdict == "ok":
            Store(db).close()
    except (OSError, sqlite3.Error) as exc:
        if "malformed" in str(exc):  # too damaged for quick_check to run at all (truncated)
            verdict = str(exc)
        else:
            folder = Path(db).resolve().parent
            why = (f"; the folder {folder} is not writable by this user: pass --db a path in "
                   "a folder it can write" if folder.is_dir() and not os.access(folder, os.W_OK)
                   else "")
            raise click.ClickException(f"cannot open the database {db}: {exc}{why}") from None
    if verdict != "ok":
        raise click.ClickException(
            f"the database {db} is damaged ({_one_line(verdict)}); move it aside and start "
            f"with a new --db, then recover what it holds: sqlite3 {db} .recover | sqlite3 "
            "recovered.sqlite ('Run the collector' in the operator guide says what to do if "
            "sqlite3 answers 'SQL logic error')")


def claim(db: str, host: str, port: int, *, port_option: str = "--port",
          other: str = "check --host") -> list[socket.socket]:
    """Everything a collector needs before it serves, in the order that leaves nothing
    behind when it cannot: the database's place checked, the port held, then the database
    made (a port only checked could be taken before the server bound it, leaving a new
    database that never held a statement). Return the sockets to serve on. ``other``: what
    to do when the address is no port of this machine to take."""
    check_db(db)
    try:
        sockets = listen(host, port)
    except OSError as exc:
        hint = (f"another program listens there: stop it, or pass another {port_option}"
                if exc.errno == errno.EADDRINUSE else f"pass another {port_option}"
                if exc.errno == errno.EACCES else other)
        raise click.ClickException(
            f"cannot start the collector on {host}:{port} ({exc}); {hint}") from None
    try:
        prepare_db(db)
    except BaseException:
        close(sockets)
        raise
    return sockets


def _one_line(verdict: str) -> str:
    return " ".join(verdict.replace("*** in database main ***", "").split())


def _checked(name: str, check: Callable[[str | None], str | None],
             value: str | None) -> str | None:
    """``check(value)``, its ValueError told as click tells a bad option, naming the
    variable when the value came from it: an operator who set one and is told of a flag
    never given looks for the mistake in the wrong place. Called from the command, not as
    a callback: click 8.2 and later record where a value came from after its callback."""
    try:
        return check(value)
    except ValueError as exc:
        ctx = click.get_current_context()
        param = next(p for p in ctx.command.params if p.name == name)
        hint = (f"${param.envvar} (in the environment)"
                if ctx.get_parameter_source(name) is ParameterSource.ENVIRONMENT else None)
        raise click.BadParameter(str(exc), ctx, param, hint) from None


def _origin(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> list[str]:
    try:
        return [normalize_origin(v) for v in values]
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _upstream(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    try:
        return None if value is None else lrs_url(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _rate(ctx: click.Context, param: click.Parameter, value: float) -> float:
    if not math.isfinite(value):
        raise click.BadParameter(f"{value} is not a number of requests a second (0 means "
                                 "no limit)")
    return value


def _proxies(value: str | None) -> str | None:
    """Each entry an address or a network: uvicorn takes anything else for a literal that
    never matches, so a typo would quietly put every learner behind one rate limit."""
    if value is None or value.strip() == "*":
        return value
    for entry in value.split(","):
        try:
            ipaddress.ip_network(entry.strip(), strict=False)
        except ValueError:
            raise ValueError(f"{entry.strip()!r} is not an IP address or network (e.g. "
                             "10.0.0.5, 10.0.0.0/8 or ::1), nor '*'") from None
    return value


def _token(value: str | None) -> str | None:
    """A token an 'Authorization: Bearer' header can carry (RFC 6750's characters): with a
    space or a quote in it, none could match, and /health would hide its details for good.
    A short one could be guessed by trying. An empty variable is no token."""
    value = (value or "").strip()
    example = "e.g. a token from: python3 -c 'import secrets; print(secrets.token_urlsafe())'"
    if value and not re.fullmatch(r"[A-Za-z0-9._~+/-]+=*", value):
        raise ValueError(f"use only letters, digits and - . _ ~ + /, {example}")
    if value and len(value) < MIN_TOKEN:
        raise ValueError(f"{len(value)} characters are too few to keep guessers out: "
                         f"use at least {MIN_TOKEN}, {example}")
    return value or None


@click.command("collect")
@click.option("--db", type=click.Path(dir_okay=False), default=DEFAULT_DB,
              show_default=True, help="SQLite file the statements are stored in (the default: "
              "in the current folder; keep it out of the content folder).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (keep 127.0.0.1 behind a reverse proxy).")
@click.option("--port", type=click.IntRange(1, 65535), default=8787, show_default=True,
              help="Port to listen on.")
@click.option("--allow-origin", "allow_origins", multiple=True, callback=_origin,
              help="Portal origin allowed to send (CORS), e.g. https://learn.example.com; "
              "repeatable.")
@click.option("--upstream", metavar="URL", callback=_upstream,
              help="xAPI LRS to relay statements to, e.g. https://lrs.example.com/xAPI.")
@click.option("--upstream-user", envvar=ENV_USER, help=f"LRS Basic auth user (or ${ENV_USER}).")
@click.option("--upstream-password", envvar=ENV_PASSWORD,
              help=f"LRS Basic auth password (prefer ${ENV_PASSWORD}).")
@click.option("--rate", type=click.FloatRange(0), default=20.0, show_default=True,
              callback=_rate,
              help="Requests per second per client (0: no limit).")
@click.option("--burst", type=click.IntRange(1), default=100, show_default=True,
              help="Requests a client may send at once before --rate applies.")
@click.option("--forwarded-allow-ips", metavar="IPS", envvar="FORWARDED_ALLOW_IPS",
              help="Reverse proxies trusted to name the client in X-Forwarded-For, so the rate "
              "limit counts learners, not the proxy: comma-separated addresses or networks, or "
              "'*'. Default: $FORWARDED_ALLOW_IPS, else 127.0.0.1,::1 (a proxy on this machine).")
@click.option("--health-token", metavar="TOKEN", envvar=ENV_HEALTH_TOKEN,
              help="/health shows its details (the LRS, its errors, queue figures) to requests "
              "with 'Authorization: Bearer TOKEN', as well as to requests from this machine "
              f"that no proxy relayed; others get its status only (prefer ${ENV_HEALTH_TOKEN}).")
@click.option("--sync", type=click.Choice(SYNC_MODES), default="full", show_default=True,
              help="full survives power loss; normal survives a killed process and is faster.")
@click.option("--log-level", type=click.Choice(LOG_LEVELS, case_sensitive=False),
              default="warning", show_default=True,
              help="The least severe lines logged, the collector's and uvicorn's alike; "
              "info adds a line per batch relayed.")
def collect(db: str, host: str, port: int, allow_origins: list[str], upstream: str | None,
            upstream_user: str | None, upstream_password: str | None, rate: float, burst: int,
            forwarded_allow_ips: str | None, health_token: str | None, sync: str,
            log_level: str) -> None:
    """Collect the portal's xAPI statements into SQLite and relay them to an LRS."""
    forwarded_allow_ips = _checked("forwarded_allow_ips", _proxies, forwarded_allow_ips)
    health_token = _checked("health_token", _token, health_token)
    sockets = claim(db, host, port)
    if not allow_origins:
        click.echo("note: no --allow-origin given, so browsers cannot send statements here.",
                   err=True)
    if upstream and urlsplit(upstream).username is not None:
        # They work (httpx sends them), so "no credentials" would be wrong; they are exposed.
        click.echo(f"note: the LRS's credentials in --upstream can be read by every user of "
                   f"this machine (ps); give them in ${ENV_USER} and ${ENV_PASSWORD} instead.",
                   err=True)
    elif upstream and not (upstream_user or os.environ.get(ENV_USER)):
        click.echo(f"note: no LRS credentials (${ENV_USER}, ${ENV_PASSWORD}), so the LRS "
                   "must accept statements without them.", err=True)
    click.echo(f"Collecting into {db} on {http_url(host, port, '/xapi/statements')}"
               + (f", relaying to {public_url(upstream)}" if upstream else ""), err=True)
    # systemd and docker stop with SIGTERM: uvicorn stops as cleanly as for Ctrl-C, then
    # passes it on, which would end the process before it says where the statements are.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        serve_collector(db, sockets, allow_origins, upstream=upstream,
                        upstream_user=upstream_user, upstream_password=upstream_password,
                        log_level=log_level, forwarded_allow_ips=forwarded_allow_ips,
                        rate=rate, burst=burst, sync=sync, health_token=health_token)
    except KeyboardInterrupt:  # uvicorn stopped cleanly first, then passed the signal on
        click.echo(f"Stopped; every statement it acknowledged is stored in {db}.", err=True)
    finally:
        signal.signal(signal.SIGTERM, previous)
        close(sockets)  # uvicorn closes them, unless it stopped before it served


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
