"""The governance commands: ``diff``, ``codeowners`` and ``stale``.

Registered on the main ``lecosite`` group; the work is imported when a command runs, so
``lecosite check`` does not pay for git or report code.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import date
from pathlib import Path as FsPath
from typing import TYPE_CHECKING, Any

import click

from lecosite.cli import content_root
from lecosite.project import PROJECT_HELP

if TYPE_CHECKING:
    from lecosite.model import Site
    from lecosite.project import Settings


def _day(value: Any) -> date:
    return value.date() if value is not None else date.today()


def _load(root: FsPath) -> tuple[Settings, Site]:
    """The site (whatever loads of it) and its settings; config problems go to stderr."""
    from lecosite.findings import format_text
    from lecosite.load import load_site
    from lecosite.project import load_settings

    settings, problems = load_settings(root)
    if problems:
        click.echo(format_text(problems), err=True)
    site, _ = load_site(settings, jobs=os.cpu_count() or 1)
    return settings, site


def _default_base() -> str:
    base = os.environ.get("GITHUB_BASE_REF")
    return f"origin/{base}" if base else "HEAD"


@click.command("diff")
@click.option("--base", default=_default_base, show_default="origin/$GITHUB_BASE_REF in a "
              "pull-request job, else HEAD",
              help="Git ref to compare the working tree with (at the commit where the "
                   "branch forked from it, as a pull request is).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github", "markdown"]),
              default="text", show_default=True,
              help="markdown is the impact summary for a PR comment; github annotates lines.")
@click.option("--strict", is_flag=True, help="Count new warnings as errors.")
@click.option("--project", type=click.Path(file_okay=False, exists=True),
              help=PROJECT_HELP)
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), hidden=True)
@click.option("--jobs", type=click.IntRange(1, 64), default=None,
              help="Processes that read files (default: one per core).")
def diff_cmd(base: str, fmt: str, strict: bool, project: str | None, today: Any,
             jobs: int | None) -> None:
    """Compare the content with a git ref: versions, changelogs, impact on paths, and the
    problems the change introduces. Exit 1 when it introduces errors."""
    from lecosite.governance.diff import run_diff
    from lecosite.governance.gitbase import GitError
    from lecosite.governance.summary import FORMATS

    root = content_root(project)
    try:
        result = run_diff(root, base, today=_day(today), jobs=jobs or os.cpu_count() or 1)
    except GitError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    click.echo(FORMATS[fmt](result, strict=strict))
    if result.failed(strict):
        sys.exit(1)


@click.command("codeowners")
@click.option("--write", is_flag=True, help="Write the file instead of printing it.")
@click.option("--output", default=None, show_default="the CODEOWNERS file GitHub uses: the "
              "first of .github/CODEOWNERS, CODEOWNERS, docs/CODEOWNERS that exists, else "
              ".github/CODEOWNERS",
              help="Where to write, relative to the repository's root (where GitHub reads "
                   "it; the project folder outside git). Only lecosite's block of lines in "
                   "it is rewritten.")
@click.option("--project", type=click.Path(file_okay=False, exists=True),
              help=PROJECT_HELP)
def codeowners_cmd(write: bool, output: str | None, project: str | None) -> None:
    """Print (or --write) the CODEOWNERS file with lecosite's block made from the content's
    owners; the file's other lines are kept. Files that cannot be read now keep the owners
    the current block gives them."""
    from lecosite.governance.codeowners import (
        LOOKUP,
        BlockError,
        elsewhere,
        generate,
        split,
        target,
        unreadable,
    )

    root = content_root(project)
    settings, site = _load(root)
    if write and not settings.codeowners:
        click.echo(f"error: {settings.config_file} sets 'codeowners: false' (CODEOWNERS is "
                   "managed elsewhere), so lecosite writes none: remove that line to let "
                   "lecosite keep its block, or run without --write to see the block.",
                   err=True)
        sys.exit(1)
    where, name, base = target(root, output)
    if where.is_dir():
        raise click.BadParameter(f"'{output}' is a folder: give the file's path, e.g. "
                                 f"{str(output).rstrip('/')}/CODEOWNERS", param_hint="--output")
    try:
        current = where.read_bytes().decode("utf-8") if where.is_file() else ""  # as it is
    except (OSError, UnicodeDecodeError) as exc:
        click.echo(f"error: cannot read {name}: {exc}", err=True)
        sys.exit(1)
    if where.name != "CODEOWNERS" and current.strip("\ufeff \t\r\n"):
        raise click.BadParameter(
            f"{name} is not a CODEOWNERS file and is not empty, so lecosite will not add its "
            f"rules to it: give the path of a file named CODEOWNERS, or leave --output out to "
            f"use the one GitHub reads ({', '.join(LOOKUP)}).", param_hint="--output")
    unused = elsewhere(root, output) if output is not None else None
    if unused and unused[1] and write:
        raise click.BadParameter(unused[0], param_hint="--output")
    if unused:
        click.echo(f"note: {unused[0]}.", err=True)
    try:
        text = generate(site, base, current)
    except BlockError as exc:
        click.echo(f"error: {name}, {exc}, so lecosite cannot tell which lines are its own: "
                   "restore the missing line (or delete the block's lines) and run again.",
                   err=True)
        sys.exit(1)
    broken = unreadable(site)
    if broken:
        click.echo(f"note: {len(broken)} file(s) cannot be read, so they keep the owners "
                   f"{name} gives them now (run 'lecosite check' to see why): "
                   + ", ".join(site.prefix + rel for rel in broken), err=True)
    if not write:
        click.echo(text, nl=False)
        return
    if current == text:
        click.echo(f"{name} is up to date.")
        return
    try:
        where.parent.mkdir(parents=True, exist_ok=True)
        with open(where, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
    except OSError as exc:
        click.echo(f"error: cannot write {name}: {exc}", err=True)
        sys.exit(1)
    rules = sum(1 for line in split(text, base).block.splitlines()
                if line.strip() and not line.startswith("#"))
    click.echo(f"Wrote {name} ({rules} rules).")


@click.command("stale")
@click.option("--within", type=click.IntRange(0, 36500), default=30, show_default=True,
              help="Days ahead: list modules due within them, and every overdue or "
                   "never reviewed one.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]),
              default="text", show_default=True)
@click.option("--project", type=click.Path(file_okay=False, exists=True),
              help=PROJECT_HELP)
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), hidden=True)
def stale_cmd(within: int, fmt: str, project: str | None, today: Any) -> None:
    """List published modules due for review within N days, overdue or never reviewed, by
    owner (for a scheduled job that opens reminders). Exits 1, after the list, when a file
    cannot be read (a YAML typo): its modules, or the owners and cadence it sets, are
    unknown, and the job should not pass as if nothing were due."""
    from lecosite.findings import md_code
    from lecosite.governance.codeowners import unreadable
    from lecosite.governance.review import FORMATS, stale

    root = content_root(project)
    settings, site = _load(root)
    day = _day(today)
    groups = stale(site, settings.review_every, day, within)
    out = FORMATS[fmt](groups, day, within, site.prefix)
    broken = [site.prefix + rel for rel in unreadable(site)]
    if fmt == "json":
        out = json.dumps({**json.loads(out), "unreadable": broken}, indent=2)
    elif broken and fmt == "markdown":  # an issue body made from it must say so too
        out += (f"\n\n**Not checked:** {len(broken)} file(s) cannot be read (run `lecosite "
                "check` to see why): " + ", ".join(map(md_code, broken)))
    click.echo(out)
    if broken:
        click.echo(f"note: {len(broken)} file(s) cannot be read, so the list may leave out "
                   "modules due for review in them, or get the owners and review dates they "
                   "set wrong (run 'lecosite check' to see why): " + ", ".join(broken),
                   err=True)
        sys.exit(1)
