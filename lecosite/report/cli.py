"""``lecosite report``: which modules to update next, from collected statements."""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import click

from lecosite.report.analyze import Content, Report, analyze
from lecosite.report.render import FORMATS
from lecosite.report.source import SourceError, from_lrs, from_sqlite
from lecosite.xapi import DEFAULT_DB

ENV_USER = "LECOSITE_LRS_USER"
ENV_PASSWORD = "LECOSITE_LRS_PASSWORD"


def build_report(*, db: str | Path | None = None, lrs: str | None = None,
                 lrs_user: str | None = None, lrs_password: str | None = None,
                 project: str | Path = ".", today: date | None = None) -> Report:
    """Read the statements and the content, and analyze them (raises SourceError)."""
    from lecosite.check import check_project
    from lecosite.project import find_root

    if (db is None) == (lrs is None):
        raise SourceError("give exactly one of --db FILE or --lrs URL")
    root = find_root(Path(project))
    result = check_project(root, today=today)
    if not result.site.modules:
        raise SourceError(f"no modules found under {root}; pass --project DIR")
    content = Content.from_check(result)
    if db is not None:
        statements = from_sqlite(db)
        source = f"collector database {Path(db).name}"
    else:
        assert lrs is not None
        statements = from_lrs(lrs, lrs_user, lrs_password)
        source = f"LRS {lrs}"
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return analyze(statements, content, today=today or date.today(), source=source,
                   generated=stamp)


@click.command("report")
@click.option("--db", type=click.Path(dir_okay=False),
              help=f"The collector's SQLite file (default: {DEFAULT_DB}).")
@click.option("--lrs", metavar="URL", help="An xAPI LRS endpoint instead, e.g. https://lrs/xAPI.")
@click.option("--lrs-user", envvar=ENV_USER, help=f"LRS Basic auth user (or ${ENV_USER}).")
@click.option("--lrs-password", envvar=ENV_PASSWORD,
              help=f"LRS Basic auth password (prefer ${ENV_PASSWORD}).")
@click.option("--project", type=click.Path(file_okay=False, exists=True), default=".",
              help="Project folder, for module titles, owners, review dates and path order.")
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default="html",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="Write here instead of standard output.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), hidden=True)
def report(db: str | None, lrs: str | None, lrs_user: str | None, lrs_password: str | None,
           project: str, fmt: str, output: str | None, today: Any) -> None:
    """Per-module and per-path figures, and a ranked list of modules to update."""
    if db is None and lrs is None:
        db = DEFAULT_DB  # what `lecosite serve` and `lecosite collect` write by default
    try:
        result = build_report(db=db, lrs=lrs, lrs_user=lrs_user, lrs_password=lrs_password,
                              project=project, today=today.date() if today else None)
    except SourceError as exc:
        raise click.ClickException(str(exc)) from None
    text = FORMATS[fmt](result)
    if output:
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise click.ClickException(f"cannot write {output}: {exc}") from None
        click.echo(f"Wrote {output}: {len(result.candidates)} update candidates", err=True)
    else:
        sys.stdout.write(text)
