"""``lecosite report``: which modules to update next, from collected statements."""

from __future__ import annotations

import re
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import click

from lecosite.report.analyze import Content, Report, analyze
from lecosite.report.render import CSV_TABLES, FORMATS
from lecosite.report.source import Scope, SourceError, from_lrs, from_sqlite
from lecosite.xapi import DEFAULT_DB, lrs_url, public_url, site_base

ENV_USER = "LECOSITE_LRS_USER"
ENV_PASSWORD = "LECOSITE_LRS_PASSWORD"
TERMINAL_HTML = "report.html"


def build_report(*, db: str | Path | None = None, lrs: str | None = None,
                 lrs_user: str | None = None, lrs_password: str | None = None,
                 project: str | Path = ".", today: date | None = None,
                 scope: Scope | None = None) -> Report:
    """Read the statements in ``scope`` and the content, and analyze them (raises
    SourceError)."""
    from lecosite.check import check_project
    from lecosite.project import find_root

    if (db is None) == (lrs is None):
        raise SourceError("give exactly one of --db FILE or --lrs URL")
    scope = scope or Scope()
    root = find_root(Path(project))
    result = check_project(root, today=today)
    if not result.site.modules:
        raise SourceError(f"no modules found under {root}; pass --project DIR")
    content = Content.from_check(result)
    if db is not None:
        statements = from_sqlite(db, scope)
        source = f"collector database {Path(db).name}"
    else:
        assert lrs is not None
        try:
            lrs_url(lrs)
        except ValueError as exc:
            raise SourceError(f"--lrs: {exc}") from None
        statements = from_lrs(lrs, lrs_user, lrs_password, scope=scope)
        source = f"LRS {public_url(lrs)}"
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return analyze(statements, content, today=today or date.today(),
                   source=source + scope.describe(), generated=stamp)


def _site(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    if not re.match(r"^https?://[^/\s]+", value):
        raise click.BadParameter(f"{value!r} is not a site URL such as https://learn.example.com")
    return site_base(value)


def _since(ctx: click.Context, param: click.Parameter, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (2026-10-01) or a date and time "
                                 "(2026-10-01T14:30, 2026-10-01T14:30+02:00)") from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def format_for(output: str | None) -> str:
    """-o report.csv means CSV: an HTML page in a .csv file opens as nonsense."""
    suffix = Path(output).suffix.lower().lstrip(".") if output else ""
    return suffix if suffix in FORMATS else "html"


def terminal_output(fmt: str, output: str | None, stdout_is_tty: bool) -> str | None:
    """Where to write: an HTML page printed on a terminal is unreadable, so there it goes to
    report.html in the current folder; piped (``> x.html``) it stays on standard output."""
    if output is None and fmt == "html" and stdout_is_tty:
        return str(Path.cwd() / TERMINAL_HTML)
    return output


def output_files(result: Report, fmt: str, output: str) -> dict[Path, str]:
    """What ``-o`` writes. One CSV holds one table, so CSV also writes its videos and paths
    tables beside the modules one: report.csv, report-videos.csv, report-paths.csv."""
    target = Path(output)
    files = {target: FORMATS[fmt](result)}
    if fmt == "csv":
        for name, render in CSV_TABLES.items():
            files[target.with_name(f"{target.stem}-{name}{target.suffix}")] = render(result)
    return files


@click.command("report")
@click.option("--db", type=click.Path(dir_okay=False),
              help=f"The collector's SQLite file (default: {DEFAULT_DB}).")
@click.option("--lrs", metavar="URL", help="An xAPI LRS endpoint instead, e.g. https://lrs/xAPI.")
@click.option("--lrs-user", envvar=ENV_USER, help=f"LRS Basic auth user (or ${ENV_USER}).")
@click.option("--lrs-password", envvar=ENV_PASSWORD,
              help=f"LRS Basic auth password (prefer ${ENV_PASSWORD}).")
@click.option("--site", metavar="URL", callback=_site,
              help="Only this site's statements (its site_url), e.g. when staging and "
              "production share one LRS.")
@click.option("--since", metavar="DATE", callback=_since,
              help="Only statements from this date or date and time on (ISO 8601; UTC "
              "unless it gives an offset), e.g. 2026-10-01.")
@click.option("--project", type=click.Path(file_okay=False, exists=True), default=".",
              help="Project folder, for module titles, owners, review dates and path order.")
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)),
              help="Default: from -o's suffix (.csv, .json), else html. "
              "csv with -o FILE.csv also writes FILE-videos.csv (one row per video) and "
              "FILE-paths.csv (one row per path step); on standard output, modules only.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help=f"Write here instead of standard output (HTML on a terminal: "
              f"{TERMINAL_HTML}).")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), hidden=True)
def report(db: str | None, lrs: str | None, lrs_user: str | None, lrs_password: str | None,
           site: str | None, since: datetime | None, project: str, fmt: str,
           output: str | None, today: Any) -> None:
    """Per-module, per-video and per-path figures, and a ranked list of modules to update."""
    fmt = fmt or format_for(output)
    if db is None and lrs is None:
        db = DEFAULT_DB  # what `lecosite serve` and `lecosite collect` write by default
    try:
        result = build_report(db=db, lrs=lrs, lrs_user=lrs_user, lrs_password=lrs_password,
                              project=project, today=today.date() if today else None,
                              scope=Scope(site=site, since=since))
    except SourceError as exc:
        raise click.ClickException(str(exc)) from None
    output = terminal_output(fmt, output, sys.stdout.isatty())
    if output is None:
        sys.stdout.write(FORMATS[fmt](result))
        return
    files = output_files(result, fmt, output)
    for path, text in files.items():
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise click.ClickException(f"cannot write {path}: {exc}") from None
    click.echo(f"Wrote {', '.join(map(str, files))}: {len(result.candidates)} update "
               "candidates", err=True)
