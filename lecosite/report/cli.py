"""``lecosite report``: which modules to update next, from collected statements."""

from __future__ import annotations

import re
import sys
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import click

from lecosite.report import fixture
from lecosite.report.analyze import Content, Report, analyze, printable
from lecosite.report.render import CSV_TABLES, FORMATS
from lecosite.report.source import Scope, SourceError, from_lrs, from_sqlite, stored_summary
from lecosite.xapi import DEFAULT_DB, lrs_url, public_url, site_base

ENV_USER = "LECOSITE_LRS_USER"
ENV_PASSWORD = "LECOSITE_LRS_PASSWORD"
TERMINAL_HTML = "report.html"


def build_report(*, db: str | Path | None = None, lrs: str | None = None,
                 lrs_user: str | None = None, lrs_password: str | None = None,
                 project: str | Path = ".", today: date | None = None,
                 scope: Scope | None = None, demo: bool = False,
                 left_out: Counter[str] | None = None,
                 unreadable: list[int] | None = None) -> Report:
    """Read the statements in ``scope`` and the content, and analyze them (raises
    SourceError). ``demo`` reads made-up visits to this content instead; ``left_out``
    counts, by site, the statements an LRS returned outside the scope; ``unreadable``
    collects the seq of each damaged row of the database."""
    from lecosite.check import check_project
    from lecosite.governance.codeowners import unreadable as unread_files
    from lecosite.project import find_root, load_settings

    if (db is not None) + (lrs is not None) + demo != 1:
        raise SourceError("give exactly one of --db FILE, --lrs URL or --demo")
    scope = scope or Scope()
    root = find_root(Path(project))
    broken = load_settings(root)[1]  # lecosite.yml unread: the defaults would count
    if broken:
        raise SourceError("the site's settings cannot be read, and a report made with the "
                          "defaults instead would mislead:\n" + "".join(
                              f"  {f.location()}: {f.message}\n" for f in broken)
                          + "Fix the file ('lecosite check' says how), then run the report "
                          "again.")
    result = check_project(root, today=today)
    if not result.site.modules:
        raise SourceError(f"no modules found under {root}; pass --project DIR")
    content = Content.from_check(result)
    if demo:
        weak = _demo_weak(content)
        try:
            statements: Any = fixture.generate(content, weak=weak)
        except ValueError as exc:
            raise SourceError(f"--demo: {exc}") from None
        source = f"made-up visits by 80 learners, with '{weak}' made to look weak"
    elif db is not None:
        statements = from_sqlite(db, scope, unreadable)
        source = f"collector database {Path(db).name}"
    else:
        assert lrs is not None
        try:
            lrs_url(lrs)
        except ValueError as exc:
            raise SourceError(f"--lrs: {exc}") from None
        statements = from_lrs(lrs, lrs_user, lrs_password, scope=scope, left_out=left_out)
        source = f"LRS {public_url(lrs)}"
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    report = analyze(statements, content, today=today or date.today(),
                     source=source + scope.describe(), generated=stamp,
                     partial=scope.since is not None or lrs is not None,
                     cut=scope.since is not None)
    report.demo = demo
    report.unread = [result.site.prefix + f for f in unread_files(result.site)]
    return report


def _demo_weak(content: Content) -> str:
    """The module of the demo's weak showing: the one most paths share (it weighs most);
    with no path yet, the first module."""
    counts: dict[str, int] = {}
    for _, order in content.paths.values():
        for mid in dict.fromkeys(order):
            counts[mid] = counts.get(mid, 0) + 1
    if not counts:
        return min(content.titles)
    return max(counts, key=lambda mid: counts[mid])


def _site(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """The site_url as statements name it. A query or fragment is no part of one: kept, it
    was read as a folder ('…/?a=b/') and matched nothing, unsaid."""
    if value is None:
        return None
    found = re.match(r"^(https?://[^/\s?#]+)([^?#]*)$", value, re.I)
    if not found:
        raise click.BadParameter(f"{value!r} is not a site URL such as "
                                 "https://learn.example.com: give the site's site_url, "
                                 "without query or fragment")
    return site_base(found.group(1).lower() + found.group(2))  # scheme and host: any case


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
    suffix = Path(output).suffix.lower().lstrip(".") if output and output != "-" else ""
    return suffix if suffix in FORMATS else "html"


def _output(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """'-' is standard output; a suffix that names another format than --format, or none
    a program opens the file by, is a mistake caught before any file is written."""
    if value is None or value == "-":
        return value
    suffix = Path(value).suffix.lower().lstrip(".")
    fmt = ctx.params.get("fmt")
    if fmt and suffix in FORMATS and suffix != fmt:
        raise click.BadParameter(f"{value!r} is a .{suffix} file but --format is {fmt}; "
                                 f"name it .{fmt}, or leave --format out")
    if suffix not in FORMATS and suffix not in ("htm",) and not fmt:
        raise click.BadParameter(f"{value!r}: the suffix says which format to write: "
                                 f"{', '.join('.' + f for f in sorted(FORMATS))}")
    return value


def terminal_output(fmt: str, output: str | None, stdout_is_tty: bool) -> str | None:
    """Where to write: an HTML page printed on a terminal is unreadable, so there it goes to
    report.html in the current folder; piped (``> x.html``) it stays on standard output."""
    if output is None and fmt == "html" and stdout_is_tty:
        return str(Path.cwd() / TERMINAL_HTML)
    return output


def output_files(result: Report, fmt: str, output: str) -> dict[Path, str]:
    """What ``-o`` writes. One CSV holds one table, so CSV also writes its videos, paths and
    comments tables beside the modules one: report.csv, report-videos.csv, report-paths.csv,
    report-comments.csv."""
    target = Path(output)
    files = {target: FORMATS[fmt](result)}
    if fmt == "csv":
        for name, render in CSV_TABLES.items():
            files[target.with_name(f"{target.stem}-{name}{target.suffix}")] = render(result)
    return files


def default_db(project: str | Path) -> Path:
    """The collector's file where `lecosite serve` writes it, at the project's root (found
    from any folder of the project, as the project is), else in the current folder, where
    `lecosite collect` writes it."""
    from lecosite.project import find_root

    at_root = (find_root(Path(project)) / DEFAULT_DB).resolve()
    here = Path(DEFAULT_DB).resolve()
    return here if not at_root.is_file() and here.is_file() else at_root


def unreadable_note(seqs: list[int]) -> str:
    """What to say of damaged rows: which (by seq, never by content: a learner's id or
    comment must not end up in a terminal's scrollback or a CI log) and what to do."""
    shown = ", ".join(map(str, seqs[:10])) + (f" and {len(seqs) - 10} more" if len(seqs) > 10
                                              else "")
    return (f"note: {len(seqs)} stored statement(s) could not be read and were left out "
            f"(rows seq {shown}); see 'Run the collector' in the operator guide: restore "
            "them from a backup of the database, or delete them")


def scope_words(site: str | None, since: datetime | None) -> str:
    return " and ".join([*([f"--site {site}"] if site else []),
                         *([f"--since {since.isoformat()}"] if since else [])])


def refuse_database(files: dict[Path, str], db: str | Path) -> None:
    """Never write the report over the database it reads ('--format csv -o the.sqlite'):
    the file would be replaced, and every statement in it lost."""
    source = Path(db).resolve()
    kept = {source, *(source.with_name(source.name + end) for end in ("-wal", "-shm",
                                                                       "-journal"))}
    for path in files:
        if path.resolve() in kept or (path.exists() and source.exists()
                                      and path.samefile(source)):
            raise click.ClickException(f"cannot write {path}: it is the database the report "
                                       f"reads ({db}), and writing would replace every "
                                       "statement in it; give -o another file")


def write_all(files: dict[Path, str]) -> None:
    """Write every file or none: a CSV table written beside an old one of another run
    would mix two reports. A file there is replaced; one is written where a link to it
    points (the link stays); a device or pipe, which a rename would replace, is refused."""
    for path in files:
        if path.exists() and not path.is_file():
            raise click.ClickException(f"cannot write {path}: it is not a file (a folder, "
                                       "device or pipe); give a file's path, or -o - for "
                                       "standard output")
        if not path.parent.is_dir():
            raise click.ClickException(f"cannot write {path}: there is no folder {path.parent}; "
                                       "create it, or give -o a path in a folder that exists")
    files = {path.resolve(): text for path, text in files.items()}
    temporaries = {path: path.with_name(f".{path.name}.tmp") for path in files}
    target = next(iter(files))
    try:
        for target, text in files.items():
            temporaries[target].write_text(text, encoding="utf-8")
        for target, temporary in temporaries.items():
            temporary.replace(target)
    except OSError as exc:
        for temporary in temporaries.values():
            temporary.unlink(missing_ok=True)
        raise click.ClickException(f"cannot write {target}: {exc.strerror or exc}") from None


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
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), is_eager=True,
              help="Default: from -o's suffix (.csv, .json), else html. "
              "csv with -o FILE.csv also writes FILE-videos.csv (one row per video), "
              "FILE-paths.csv (one row per path step) and FILE-comments.csv (one row per "
              "learner's comment); on standard output, modules only. "
              "A CSV cell that a spreadsheet would run as a formula (text starting with =, +, "
              "-, @, a tab or CR, there or after a ';') gets a ' before it.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, allow_dash=True),
              callback=_output, help=f"Write here, replacing the file if there is one, instead "
              f"of standard output ('-'; HTML on a terminal goes to {TERMINAL_HTML}).")
@click.option("--demo", is_flag=True, help="Show the report on made-up visits to this "
              "project's content, to see what it tells before learners come.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), hidden=True)
def report(db: str | None, lrs: str | None, lrs_user: str | None, lrs_password: str | None,
           site: str | None, since: datetime | None, project: str, fmt: str,
           output: str | None, demo: bool, today: Any) -> None:
    """Per-module, per-video and per-path figures, and a ranked list of modules to update."""
    fmt = fmt or format_for(output)
    if demo and (db or lrs or site or since):
        raise click.UsageError("--demo reads no stored statements: leave out --db, --lrs, "
                               "--site and --since")
    if db is None and lrs is None and not demo:
        db = str(default_db(project))
    left_out: Counter[str] = Counter()
    unreadable: list[int] = []
    try:
        result = build_report(db=db, lrs=lrs, lrs_user=lrs_user, lrs_password=lrs_password,
                              project=project, today=today.date() if today else None,
                              scope=Scope(site=site, since=since), demo=demo,
                              left_out=left_out, unreadable=unreadable)
    except SourceError as exc:
        raise click.ClickException(str(exc)) from None
    if unreadable:
        click.echo(unreadable_note(unreadable), err=True)
    if result.unread:
        click.echo(f"note: {len(result.unread)} content file(s) could not be read: "
                   f"{', '.join(result.unread)}; their modules' figures are shown without "
                   "what the files say (title, owners, review dates, path steps); 'lecosite "
                   "check' says what is wrong", err=True)
    if not result.statements and (site or since):
        stored, sites, latest = (
            stored_summary(db, site) if db is not None else
            (left_out.total(), [s for s, _ in left_out.most_common(5)], ""))
        where = f"in {db}" if db is not None else f"the LRS at {public_url(lrs or '')} returned"
        of_site = f"of {site} " if site else ""
        home = max((s for s in sites if site and site != site_base(s)
                    and site.startswith(site_base(s))), key=len,
                   default=None)  # the nearest: staging/ holds staging/modules/
        told = ([f"{site} is a page of the site {printable(home)}: give --site "
                 f"{printable(home)}"] if home else
                [f"their sites: {', '.join(map(printable, sites))}"] if site and not latest else
                [f"the latest {of_site}is from {latest}"] if since and latest else [])
        if stored:
            click.echo(f"note: none of the {stored} statements {where} matches "
                       f"{'; '.join([scope_words(site, since), *told])}", err=True)
    output = terminal_output(fmt, None if output == "-" else output,
                             sys.stdout.isatty() and output != "-")
    if output is None:
        sys.stdout.write(FORMATS[fmt](result))
        sys.stdout.flush()  # a full disk is told now, not ignored at exit
        return
    files = output_files(result, fmt, output)
    if db is not None:
        refuse_database(files, db)
    write_all(files)
    click.echo(f"Wrote {', '.join(map(str, files))}: {len(result.candidates)} update "
               "candidates", err=True)
