"""``lecosite collect``: run the statement collector."""

from __future__ import annotations

import errno
import ipaddress
import math
import os
import sqlite3

import click

from lecosite.collect.app import normalize_origin
from lecosite.collect.server import (
    ENV_PASSWORD,
    ENV_USER,
    check_port,
    http_url,
    serve_collector,
)
from lecosite.collect.store import SYNC_MODES, Store
from lecosite.xapi import DEFAULT_DB, lrs_url, public_url


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


def _proxies(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Each entry an address or a network: uvicorn takes anything else for a literal that
    never matches, so a typo would quietly put every learner behind one rate limit."""
    if value is None or value.strip() == "*":
        return value
    for entry in value.split(","):
        try:
            ipaddress.ip_network(entry.strip(), strict=False)
        except ValueError:
            raise click.BadParameter(
                f"{entry.strip()!r} is not an IP address or network (e.g. 10.0.0.5, "
                "10.0.0.0/8 or ::1), nor '*'") from None
    return value


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
              callback=_proxies,
              help="Reverse proxies trusted to name the client in X-Forwarded-For, so the rate "
              "limit counts learners, not the proxy: comma-separated addresses or networks, or "
              "'*'. Default: $FORWARDED_ALLOW_IPS, else 127.0.0.1,::1 (a proxy on this machine).")
@click.option("--sync", type=click.Choice(SYNC_MODES), default="full", show_default=True,
              help="full survives power loss; normal survives a killed process and is faster.")
@click.option("--log-level", type=click.Choice(["critical", "error", "warning", "info"]),
              default="warning", show_default=True)
def collect(db: str, host: str, port: int, allow_origins: list[str], upstream: str | None,
            upstream_user: str | None, upstream_password: str | None, rate: float, burst: int,
            forwarded_allow_ips: str | None, sync: str, log_level: str) -> None:
    """Collect the portal's xAPI statements into SQLite and relay them to an LRS."""
    try:
        Store(db).close()  # fail here, readably, on a path SQLite cannot open
    except (OSError, sqlite3.Error) as exc:
        raise click.ClickException(f"cannot open the database {db}: {exc}") from None
    try:
        check_port(host, port)  # else uvicorn logs a bare "[Errno 98]" and exits
    except OSError as exc:
        hint = ("pass another --port" if exc.errno in (errno.EADDRINUSE, errno.EACCES)
                else "check --host")
        raise click.ClickException(
            f"cannot start the collector on {host}:{port} ({exc}); {hint}") from None
    if not allow_origins:
        click.echo("note: no --allow-origin given, so browsers cannot send statements here.",
                   err=True)
    if upstream and not (upstream_user or os.environ.get(ENV_USER)):
        click.echo(f"note: no LRS credentials (${ENV_USER}, ${ENV_PASSWORD}), so the LRS "
                   "must accept statements without them.", err=True)
    click.echo(f"Collecting into {db} on {http_url(host, port, '/xapi/statements')}"
               + (f", relaying to {public_url(upstream)}" if upstream else ""), err=True)
    try:
        serve_collector(db, host, port, allow_origins, upstream=upstream,
                        upstream_user=upstream_user, upstream_password=upstream_password,
                        log_level=log_level, forwarded_allow_ips=forwarded_allow_ips,
                        rate=rate, burst=burst, sync=sync)
    except KeyboardInterrupt:  # uvicorn stopped cleanly first, then passed Ctrl-C on
        click.echo(f"Stopped; every statement it acknowledged is stored in {db}.", err=True)
