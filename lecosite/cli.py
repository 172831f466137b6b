"""The ``lecosite`` command: a thin layer that loads, calls the core and prints findings."""

from __future__ import annotations

import errno
import gc
import importlib
import json
import os
import re
import shlex
import sys
from collections.abc import Iterable
from datetime import date
from pathlib import Path as FsPath
from typing import Any, ClassVar

import click
from click.core import ParameterSource

from lecosite import __version__, schema, xapi
from lecosite.check import check_project
from lecosite.findings import REPORTERS, Severity, escalate
from lecosite.governance import codeowners
from lecosite.load import mkdocs_syntax
from lecosite.model import Site
from lecosite.project import (
    PROJECT_HELP,
    Settings,
    find_root,
    load_settings,
    read_mkdocs_yml,
)


def _root(project: str | None) -> FsPath:
    return FsPath(project).resolve() if project else find_root(FsPath.cwd())


def content_root(project: str | None) -> FsPath:
    """The project folder (``--project``, else the one found from here), with its content
    folder there: where every command that reads the content starts, so all refuse a wrong
    project in the same words."""
    root = _root(project)
    settings, findings = load_settings(root)
    place = settings.content_path
    if place.is_dir():
        return root
    if findings:  # content_dir names no folder, or a broken lecosite.yml hides where it points
        click.echo(REPORTERS["text"](findings), err=True)
        sys.exit(1)
    raise click.UsageError(
            f"no content folder at {place}. Run lecosite in the project folder "
            "(the one with lecosite.yml or content/), or pass --project DIR.")


def _settings(root: FsPath) -> Settings:
    """lecosite.yml's settings, or its problems printed and exit 1: a command that writes or
    describes content must not fall back on defaults the author did not choose (a file
    written under them would start a second content tree)."""
    settings, findings = load_settings(root)
    if findings:
        click.echo(REPORTERS["text"](findings), err=True)
        sys.exit(1)
    return settings


_WRITE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO}


class LazyGroup(click.Group):
    """Commands whose modules load only when run, so `lecosite check` does not pay for
    importing the collector's web stack or git plumbing."""

    LAZY: ClassVar[dict[str, str]] = {
        "collect": "lecosite.collect.cli:collect",
        "report": "lecosite.report.cli:report",
        "diff": "lecosite.governance.cli:diff_cmd",
        "codeowners": "lecosite.governance.cli:codeowners_cmd",
        "stale": "lecosite.governance.cli:stale_cmd",
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.LAZY])

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.LAZY:
            module, attr = self.LAZY[name].split(":")
            return getattr(importlib.import_module(module), attr)  # type: ignore[no-any-return]
        return super().get_command(ctx, name)

    def invoke(self, ctx: click.Context) -> Any:
        """What the system refuses (a full disk) ends in one line, not a traceback; click
        itself ends quietly when a reader leaves a pipe."""
        try:
            return super().invoke(ctx)
        except OSError as exc:
            if exc.errno == errno.EPIPE:
                raise
            where = (f"{exc.filename}: " if exc.filename else "cannot write the output: "
                     if exc.errno in _WRITE_ERRORS else "")
            raise click.ClickException(f"{where}{exc.strerror or exc}") from None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lecosite")
def main() -> None:
    """lecosite: governed learning content, from Markdown to a learner portal."""


@main.command()
@click.option("--strict", is_flag=True, help="Treat warnings (e.g. overdue reviews) as errors.")
@click.option("--format", "fmt", type=click.Choice(sorted(REPORTERS)), default="text",
              show_default=True, help="text for people, json for tools, github for annotations, "
              "markdown for a PR comment.")
@click.option("--project", type=click.Path(file_okay=False, exists=True),
              help=PROJECT_HELP)
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), hidden=True,
              help="Check as if today were this date.")
@click.option("--jobs", type=click.IntRange(1, 64), default=None,
              help="Processes that read files (default: one per core).")
def check(strict: bool, fmt: str, project: str | None, today: Any, jobs: int | None) -> None:
    """Validate every module and path; exit 1 when there are errors."""
    gc.disable()  # a short run that allocates many small objects: collection is pure cost
    root = content_root(project)
    result = check_project(root, today=today.date() if today else None,
                           jobs=jobs or os.cpu_count() or 1)
    findings = escalate(result.findings) if strict else result.findings
    # GitHub places annotations by paths from the repository's root, not the project's.
    where = {"folder": codeowners.repository(root)[1]} if fmt == "github" else {}
    click.echo(REPORTERS[fmt](findings, files_checked=result.files, **where))
    if any(f.severity is Severity.ERROR for f in findings):
        sys.exit(1)


@main.command("schema")
@click.argument("kind", type=click.Choice(["module", "path", "all"]), default="all")
@click.option("--project", type=click.Path(file_okay=False, exists=True),
              help=PROJECT_HELP)
def schema_cmd(kind: str, project: str | None) -> None:
    """Print the JSON Schema of module front matter (module) or path files (path), for
    editors; all prints both, under "module" and "path"."""
    settings = _settings(_root(project))
    module = schema.extended(schema.MODULE, settings.schema)
    out = {"module": module, "path": schema.path_schema(settings.schema)}
    click.echo(json.dumps(out if kind == "all" else out[kind], indent=2))


@main.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text",
              show_default=True)
def list_rules(fmt: str) -> None:
    """List every rule with its id, name, severity and documentation."""
    from lecosite.rules import REGISTRY
    from lecosite.rules.registry import reference_markdown

    if fmt == "markdown":
        click.echo(reference_markdown(), nl=False)
        return
    for rule in sorted(REGISTRY.values(), key=lambda r: r.id):
        click.echo(f"{rule.id} {rule.name} ({rule.severity})")
        click.echo("    " + rule.doc.replace("\n", "\n    "))
        click.echo()


_SLUG = re.compile(schema.SLUG)
_OWNER = re.compile(schema.OWNER)
_WORDS = re.compile(r"\s*\S")


def _slug_option(value: str | None, label: str) -> str:
    """The id given as --id, else asked for until it is one (a prompt does not abort)."""
    return _valid(value, label, _SLUG, "is not an id: use lowercase letters, digits and '-', "
                  "e.g. connect-check-ports", "--id")


def _owner_options(owners: tuple[str, ...]) -> list[str]:
    """Owners checked before the file is written: a new file with a wrong owner would only
    be refused again, as an id that exists, when the author runs the command once more."""
    given = [o for value in owners for o in _owner_list(value)] or [None]
    return [_valid(o, "Owner (@org/team or e-mail)", _OWNER, "is not an owner: write "
                   "@handle, @org/team or an e-mail address, e.g. @tallyflow/support",
                   "--owner") for o in given]


def _owner_list(value: str) -> list[str]:
    """Owners written in one value, separated by commas or spaces; a value that is not such a
    list stays whole, so the error quotes what the author wrote."""
    parts = [o for o in re.split(r"[,\s]+", value) if o]
    return parts if all(_OWNER.match(o) for o in parts) else [value.strip()]


def _text(value: str | None, label: str, option: str) -> str:
    """One line of words: a pasted tab or line break would be written as an escape
    ("\\t") that the new file's own check then asks the author to remove."""
    return " ".join(_valid(value, label, _WORDS, "is blank: write it in words", option).split())


def _valid(value: str | None, label: str, pattern: re.Pattern[str], problem: str,
           option: str) -> str:
    """``value``, else asked for until it matches; on no terminal, an error naming
    ``option``."""
    while True:
        value = _ask(value, label, option)
        if pattern.match(value):
            return value
        message = f"'{value}' {problem}"
        if not sys.stdin.isatty():
            raise click.BadParameter(message, param_hint=option)
        click.echo(f"Error: {message}", err=True)
        value = None


def _new_id(site: Site, value: str | None, label: str) -> str:
    """An id the catalog does not have yet, wherever its file is; on a terminal, asked for
    again until it is one."""
    while True:
        item_id = _slug_option(value, label)
        existing = site.modules.get(item_id) or site.paths.get(item_id)
        if existing is None:
            return item_id
        message = f"'{item_id}' is already the id of {site.prefix}{existing.file}; choose another."
        if value is not None or not sys.stdin.isatty():
            raise click.BadParameter(message, param_hint="--id")
        click.echo(f"Error: {message}", err=True)


class _Minutes(click.ParamType):
    """A duration in whole minutes, refused in words an author reads at a glance."""

    name = "minutes"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        try:
            minutes = int(str(value).strip())
        except ValueError:
            self.fail(f"'{value}' is not a number of minutes: write a whole number from 1 to "
                      "600, e.g. 10.", param, ctx)
        if not 1 <= minutes <= 600:
            self.fail(f"{minutes} minutes is out of range: write a whole number from 1 to 600.",
                      param, ctx)
        return minutes


MINUTES = _Minutes()


def _folder(modules: FsPath, given: str | None, modules_dir: str) -> str:
    """The sub-folder for a new module: asked for on a terminal, with the folders there are,
    and a name that is not one of them confirmed first (a typo would start a new topic)."""
    if given is not None or not sys.stdin.isatty():
        problem = _folder_problem(modules, given or "", modules_dir)
        if problem:
            raise click.BadParameter(problem, param_hint="--folder")
        return given or ""  # a script gets what it asked for, and no --folder is none
    folders = sorted(p.name for p in modules.iterdir() if p.is_dir() and
                     not p.name.startswith((".", "_"))) if modules.is_dir() else []
    shown = f"{', '.join(folders)}, or Enter for none" if folders else "Enter for none"
    while True:
        folder = click.prompt(f"Folder in {modules_dir}/ ({shown})", default="",
                              show_default=False).strip().strip("/")
        problem = _folder_problem(modules, folder, modules_dir)
        if problem:
            click.echo(f"Error: {problem}", err=True)
        elif not folder or (modules / folder).is_dir() or click.confirm(
                f"There is no folder '{folder}' in {modules_dir}/ yet. Create it?"):
            return folder


def _folder_problem(modules: FsPath, folder: str, modules_dir: str) -> str | None:
    """Why a new module cannot go in ``folder`` (under the modules folder), if it cannot."""
    target = (modules / folder).resolve()
    if not target.is_relative_to(modules):
        return f"'{folder}' is outside {modules_dir}/: give a folder inside it, e.g. install"
    for place in (target, *target.parents):
        if place == modules.parent:
            break
        if place.exists() and not place.is_dir():
            return (f"'{place.relative_to(modules.parent)}' is a file, not a folder: give the "
                    "name of a folder, e.g. install")
    return None


@main.group()
def new() -> None:
    """Create a valid module or path file from prompts or flags."""


def _ask(value: Any, label: str, option: str, **kwargs: Any) -> Any:
    """``value``, else asked for; input that ends first (a script, no terminal) is an error
    naming ``option``, where click would only say "Aborted!"."""
    if value is not None:
        return value
    try:
        return click.prompt(label, **kwargs)
    except click.Abort:
        if sys.stdin.isatty():  # Ctrl-C or Ctrl-D at the prompt: the author stopped
            raise
        raise click.UsageError(f"'{label}' was asked for, but the input ended: pass "
                               f"{option}, or run this on a terminal") from None


def _write(target: FsPath, text: str) -> None:
    if target.exists():
        click.echo(f"error: {target} already exists; choose another id.", err=True)
        sys.exit(1)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    click.echo(f"Created {target}")


@new.command("module")
@click.option("--id", "mid", help="Module id, e.g. connect-check-ports.")
@click.option("--title")
@click.option("--owner", "owners", multiple=True, help="'@org/team' or e-mail; repeatable.")
@click.option("--goal", help="The one-sentence learning goal.")
@click.option("--duration", type=MINUTES,
              help="Minutes (the site's budget is in lecosite.yml: 5 to 15 by default).")
@click.option("--folder", help="Sub-folder under the modules folder, e.g. install; asked for "
              "on a terminal when not given ('' for none).")
@click.option("--project", type=click.Path(file_okay=False, exists=True),
              help=PROJECT_HELP)
def new_module(mid: str | None, title: str | None, owners: tuple[str, ...], goal: str | None,
               duration: int | None, folder: str | None, project: str | None) -> None:
    """Scaffold a module (draft) with every required field."""
    from lecosite import scaffold
    from lecosite.load import load_site

    root = content_root(project)
    settings = _settings(root)
    mid = _new_id(load_site(settings)[0], mid, "Module id (lowercase-with-dashes)")
    title = _text(title, "Title", "--title")
    owner_list = _owner_options(owners)
    goal = _text(goal, "Learning goal (one sentence)", "--goal")
    duration = _ask(duration, "Duration in minutes", "--duration", type=MINUTES, default=10)
    modules = (settings.content_path / settings.modules_dir).resolve()
    folder = _folder(modules, folder, settings.modules_dir)
    text = scaffold.module_text(settings, mid, title, owner_list, goal, duration, date.today())
    target = (modules / folder / f"{mid}.md").resolve()
    _write(target, text)
    _verify(root, target)


@new.command("path")
@click.option("--id", "pid", help="Path id, e.g. connect-admin-course.")
@click.option("--title")
@click.option("--kind", type=click.Choice(schema.PATH_KINDS))
@click.option("--owner", "owners", multiple=True)
@click.option("--goal")
@click.option("--module", "modules", multiple=True, help="Module id, in order; repeatable.")
@click.option("--project", type=click.Path(file_okay=False, exists=True),
              help=PROJECT_HELP)
def new_path(pid: str | None, title: str | None, kind: str | None, owners: tuple[str, ...],
             goal: str | None, modules: tuple[str, ...], project: str | None) -> None:
    """Scaffold a path (draft) listing the given modules."""
    from lecosite import scaffold
    from lecosite.load import load_site

    root = content_root(project)
    settings = _settings(root)
    site, _ = load_site(settings)
    pid = _new_id(site, pid, "Path id (lowercase-with-dashes)")
    title = _text(title, "Title", "--title")
    kind = _ask(kind, "Kind", "--kind", type=click.Choice(schema.PATH_KINDS), default="course")
    owner_list = _owner_options(owners)
    goal = _text(goal, "Learning goal (one sentence)", "--goal")
    modules = _split_ids(modules) if modules else _ask_modules(site)
    text = scaffold.path_text(site, pid, title, kind, owner_list, goal, modules)
    target = settings.content_path / settings.paths_dir / f"{pid}.yml"
    _write(target, text)
    _verify(root, target)


def _split_ids(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(m for value in values for m in re.split(r"[,\s]+", value) if m)


def _ask_modules(site: Site) -> tuple[str, ...]:
    """The path's modules; on a terminal, asked for again while one is not a module's id,
    as a taken id is, rather than written into a path the check then refuses."""
    from lecosite.rules.references import meant

    while True:
        ids = _split_ids([_ask(None, "Module ids, in order, separated by spaces", "--module")])
        unknown = [m for m in ids if m not in site.modules]
        if not unknown or not sys.stdin.isatty():
            return ids
        for mid in unknown:
            found = meant(mid, site.modules)
            click.echo(f"Error: '{mid}' is not a module's id"
                       + (f"; did you mean '{found[0]}'?" if found else "."), err=True)


@new.command("portal")
@click.argument("folder", default=".", type=click.Path(file_okay=False))
@click.option("--name", default="Academy", show_default=True, help="The portal's name.")
@click.option("--site-url", default="http://127.0.0.1:8000/", show_default=True,
              help="Where the portal will be published (e.g. https://learn.example.com/).")
def new_portal(folder: str, name: str, site_url: str) -> None:
    """Start a portal in FOLDER (default: here): mkdocs.yml, lecosite.yml, the content
    folders, and .gitignore lines for the build and the collector's database."""
    from lecosite import starter

    if not name.strip():
        raise click.BadParameter("is blank: give the portal's name, e.g. 'Acme Academy'",
                                 param_hint="--name")
    if not re.match(r"^https?://[^\s/]+(/\S*)?$", site_url):
        raise click.BadParameter(f"'{site_url}' is not a web address: write it whole, e.g. "
                                 "https://learn.example.com/", param_hint="--site-url")
    root = FsPath(folder)
    taken = starter.existing(root)
    if taken:
        raise click.UsageError(f"{' and '.join(map(str, taken))} already there: a new portal "
                               "starts in a folder without them (they would be overwritten).")
    url = site_url if site_url.endswith("/") else site_url + "/"
    for made in starter.write(root, name.strip(), url):
        click.echo(f"Created {made}{'/' if made.is_dir() else ''}")
    where = "" if root.resolve() == FsPath.cwd() else f"cd {folder} && "
    click.echo(f"Next: {where}lecosite new module, then lecosite serve to preview the portal.")


def _verify(root: FsPath, target: FsPath) -> None:
    """Show what the new file still needs, so the author starts from a known state; exit 1
    when that includes errors (a wrong owner, an unknown module), as `check` would. Only
    that file's findings: the rest of the catalog may have problems of its own."""
    result = check_project(root)
    mine = [f for f in result.findings if (root / f.file).resolve() == target.resolve()]
    if mine:
        click.echo(REPORTERS["text"](mine))
    if any(f.severity is Severity.ERROR for f in mine):
        # Running the command again would only be refused: the id is taken by this file now.
        click.echo(f"{target.relative_to(root)} is kept: fix the errors above in it (or "
                   "delete it before running the command again).", err=True)
        sys.exit(1)


@main.command()
@click.option("--strict/--no-strict", default=True, show_default=True,
              help="Fail on warnings, as CI does.")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True,
              help="The portal's MkDocs configuration.")
@click.option("-d", "--site-dir", default=None, help="Output folder (default: site/).")
def build(strict: bool, config_file: str, site_dir: str | None) -> None:
    """Check the content, then build the portal with MkDocs."""
    from lecosite.mkdocs.run import build_site

    site_dir = site_dir and os.path.abspath(site_dir)
    sys.exit(build_site(_portal_config(config_file), strict=strict, site_dir=site_dir))


def _portal_config(config_file: str) -> str:
    """The MkDocs configuration to build or serve, refused when it does not run lecosite's
    plugin: the plugin is what checks the content, so MkDocs alone would publish every file
    unchecked, drafts included, and path files as raw YAML with owners' addresses."""
    config_file = _in_project(config_file)
    if not os.path.isfile(config_file):
        raise click.ClickException(f"no MkDocs configuration at {config_file}; pass -f "
                                   "path/to/mkdocs.yml")
    for problem in mkdocs_syntax(FsPath(config_file).parent, FsPath(config_file).name):
        raise click.ClickException(f"{problem.location()}: {problem.message}. {problem.hint}")
    if _runs_plugin(config_file) is False:
        raise click.ClickException(
            f"{config_file} does not run the lecosite plugin, so the portal would be published "
            "unchecked (drafts included); add '- lecosite' under 'plugins:' in it")
    return config_file


def _runs_plugin(config_file: str) -> bool | None:
    """Whether the configuration lists the lecosite plugin; None when that cannot be told
    here (it inherits from another file, or does not read): MkDocs then says what it says."""
    data = read_mkdocs_yml(FsPath(config_file))
    if data is None or "INHERIT" in data:
        return None
    plugins = data.get("plugins")
    if plugins is None:
        return False
    names = plugins if isinstance(plugins, dict) else [
        next(iter(p), None) if isinstance(p, dict) else p for p in plugins or []]
    return any(isinstance(n, str) and n.split("/")[-1] == "lecosite" for n in names)


def _in_project(config_file: str) -> str:
    """Run from the project's folder, as `check` finds its project from a subfolder: with
    the default mkdocs.yml missing here, the nearest folder above that has one."""
    if config_file != "mkdocs.yml" or os.path.isfile(config_file):
        return config_file
    for folder in FsPath.cwd().parents:
        if (folder / config_file).is_file():
            click.echo(f"Using {folder / config_file}", err=True)
            os.chdir(folder)
            return config_file
    raise click.ClickException("no mkdocs.yml here or in a folder above; run this in the "
                               "portal's project folder, or pass -f path/to/mkdocs.yml")


def _address(dev_addr: str) -> tuple[str, int]:
    """--dev-addr as host and port, said readably here: MkDocs and the collector's allowed
    origin would each fail on it in their own way (port 0 serves on a port no one is told)."""
    host, _, port_text = dev_addr.rpartition(":")
    host = host.strip("[]")
    if not host or not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
        raise click.BadParameter(f"{dev_addr!r} is not an address and port such as "
                                 "127.0.0.1:8001 (port 1-65535)", param_hint="'--dev-addr'")
    return host, int(port_text)


@main.command()
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True,
              help="The portal's MkDocs configuration.")
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True,
              help="Address and port the preview is served on.")
@click.option("--collect/--no-collect", default=True, show_default=True,
              help="Run the embedded collector, so the preview records your own visits "
              "(read them with 'lecosite report').")
@click.option("--db", type=click.Path(dir_okay=False), default=xapi.DEFAULT_DB,
              show_default=True, help="SQLite file the embedded collector stores statements in "
              "(the default: at the project's root, where 'lecosite report' reads it).")
@click.option("--collector-port", type=click.IntRange(1, 65535), default=8787,
              show_default=True, help="Port of the embedded collector, on 127.0.0.1.")
def serve(config_file: str, dev_addr: str, collect: bool, db: str,
          collector_port: int) -> None:
    """Serve the portal with live reload (and, by default, the embedded collector)."""
    from lecosite.collect.server import check_port
    from lecosite.mkdocs.run import serve_site

    given = click.get_current_context().get_parameter_source("db") != ParameterSource.DEFAULT
    db = os.path.abspath(db)  # before _portal_config may move to the project's folder
    here = find_root(FsPath.cwd())  # the project `report` run from here reads
    config_file = _portal_config(config_file)
    root = find_root(FsPath(config_file).resolve().parent)
    if not given:  # the project's, wherever serve runs from: where `report` reads it
        db = str(root / xapi.DEFAULT_DB)
    host, port = _address(dev_addr)
    try:
        check_port(host, port)
    except OSError as exc:
        raise click.ClickException(f"cannot serve the portal on {dev_addr} ({exc}); pass "
                                   "--dev-addr with a free port, e.g. 127.0.0.1:8001") from None

    wanted = os.environ.get("LECOSITE_COLLECTOR", "").strip()
    if collect and wanted.lower() == "off":  # as the guide says it builds: without analytics
        click.echo("LECOSITE_COLLECTOR=off: serving without the embedded collector, as "
                   "--no-collect does.", err=True)
        collect = False
    elif collect and wanted:
        click.echo(f"note: the preview sends to its own collector, not to LECOSITE_COLLECTOR "
                   f"({wanted}); set LECOSITE_COLLECTOR=off to send nothing.", err=True)
    if not collect:
        os.environ["LECOSITE_COLLECTOR"] = "off"  # nor to the collector in mkdocs.yml
        sys.exit(serve_site(config_file, dev_addr=dev_addr))
    from lecosite.collect.cli import claim
    from lecosite.collect.server import CollectorThread, http_url

    # As `collect` does: a bad --db or a busy port said readably, before any thread, and no
    # empty file left behind by a collector that cannot start.
    sockets = claim(db, "127.0.0.1", collector_port, port_option="--collector-port (or "
                    "--no-collect)", other="pass --collector-port or --no-collect")
    origins = [http_url(host, port, ""), f"http://127.0.0.1:{port}", f"http://localhost:{port}"]
    try:
        collector = CollectorThread(db, "127.0.0.1", collector_port, sockets=sockets,
                                    allow_origins=sorted(set(origins))).start()
    except RuntimeError as exc:
        raise click.ClickException(
            f"cannot start the collector on 127.0.0.1:{collector_port} ({exc}); pass "
            "--collector-port or --no-collect") from None
    named = (f" --db {shlex.quote(db)}" if given
             else "" if root == here else f" --project {shlex.quote(str(root))}")
    click.echo(f"Collecting this preview's statements into {db} ({collector.url}); "
               f"run 'lecosite report{named} -o report.html' to read them.", err=True)
    os.environ["LECOSITE_COLLECTOR"] = collector.url
    try:
        code = serve_site(config_file, dev_addr=dev_addr)
    finally:
        collector.stop()
    sys.exit(code)
