"""One call that loads, assembles and validates a site: what the CLI and the plugin share."""

from __future__ import annotations

import gc
import os
import pickle
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from lecosite import model, rules
from lecosite.assemble import Catalog, assemble
from lecosite.findings import Finding
from lecosite.load import PARALLEL_MIN, Loading, mkdocs_nav, mkdocs_syntax, start_load
from lecosite.model import Module, Site
from lecosite.project import Settings, directory_urls, load_settings
from lecosite.rules.references import listings
from lecosite.rules.registry import Context
from lecosite.schema import SLUG


@dataclass
class Result:
    settings: Settings
    site: Site
    catalog: Catalog  # with drafts, as the rules see it
    findings: list[Finding]
    files: int  # modules, paths and pages read


def check(settings: Settings, *, content_dir: str | None = None, today: date | None = None,
          jobs: int = 1, loading: Loading | None = None,
          directory_urls: bool = True) -> Result:
    """Load the content (or finish ``loading``, begun earlier with start_load) and run every
    rule; findings come back sorted by place. ``directory_urls`` is how the portal publishes
    pages (MkDocs' use_directory_urls): links in raw HTML are read from their addresses."""
    with _collection_paused():
        site, findings = (loading or start_load(settings, content_dir, jobs=jobs,
                                                reads_too=True)).finish()
        catalog = assemble(site, drafts=True)
        ctx = Context(settings=settings, catalog=catalog, today=today or date.today(),
                      prefix=site.prefix, directory_urls=directory_urls)
        findings = [*findings, *_run_rules(site, ctx, jobs)]
        findings = _without_repeats([*findings, *_duplicates_own(site, ctx, set(findings))])
        findings = _invalid_ids_once(site, findings)
        findings = _misspelt_keys_once(findings)
    findings.sort(key=Finding.sort_key)
    files = (len(site.modules) + len(site.paths) + len(site.pages) + len(site.duplicates)
             + len(site.unloaded))
    return Result(settings, site, catalog, findings, files)


def _duplicates_own(site: Site, ctx: Context, found: set[Finding]) -> list[Finding]:
    """The rules' findings in each file whose id one read before it holds (LS013), which
    the site leaves out: the order files are read in says nothing of which is the copy, so
    a problem of its own (an empty path, a broken link) is reported in either. Each such
    file in turn takes its first holder's place in a copy of the site, rules run there, and
    its findings are kept. A site without such files costs nothing."""
    rounds: list[list[Module | model.Path]] = []
    seen: dict[tuple[type, str], int] = {}
    for item in site.duplicates:  # a third holder of an id comes in a round of its own
        key = (type(item), item.id)
        seen[key] = seen.get(key, -1) + 1
        if seen[key] == len(rounds):
            rounds.append([])
        rounds[seen[key]].append(item)
    out: list[Finding] = []
    for items in rounds:
        modules, paths = dict(site.modules), dict(site.paths)
        duplicates = list(site.duplicates)
        for item in items:
            table: dict[str, Any] = modules if isinstance(item, Module) else paths
            duplicates[duplicates.index(item)], table[item.id] = table[item.id], item
        shadow = replace(site, modules=modules, paths=paths, duplicates=duplicates)
        own = {site.prefix + item.file for item in items}
        there = replace(ctx, catalog=assemble(shadow, drafts=True), cache={})
        out += [f for f in rules.run(shadow, there) if f.file in own and f not in found]
    return out


#: Findings another says better, at the same place: an LS011 on a reference that names
#: nothing ('Alpha' is no id) where a reference rule names the id meant; an LS006 "published
#: as a plain page" on a page LS208 says lecosite's own page is published in place of.
_SAID_BETTER = {"LS011": frozenset({"LS101", "LS103", "LS105", "LS106"}),
                "LS006": frozenset({"LS208"})}


def _without_repeats(findings: list[Finding]) -> list[Finding]:
    """The findings but those another says better at the same place: an author sees the
    problem once, with the better hint."""
    said = {(f.file, f.line, f.col, f.rule) for f in findings}
    return [f for f in findings if not any(
        (f.file, f.line, f.col, rule) in said for rule in _SAID_BETTER.get(f.rule, ()))]


def _invalid_ids_once(site: Site, findings: list[Finding]) -> list[Finding]:
    """An invalid id listed as it is elsewhere ('Mod_Bad!' in a path) is one mistake, which
    each listing's LS011 reported again. Fixing the id means changing the listings too, so
    it is reported once, at the id, and its hint names them; their LS011s are left out."""
    invalid = {item.id: item for item in [*site.modules.values(), *site.paths.values()]
               if not re.match(SLUG, item.id)}
    if not invalid:
        return findings
    reported = {(f.file, f.line, f.col) for f in findings if f.rule == "LS011"}
    at_id = {name: (site.prefix + item.file, *item.where("id"))
             for name, item in invalid.items()}
    listed: dict[tuple[str, int, int], list[tuple[str, int, int]]] = {}  # id → its listings
    for file, name, (line, col) in listings(site):
        if name in invalid and at_id[name] in reported:
            listed.setdefault(at_id[name], []).append((site.prefix + file, line, col))
    left_out = {place for places in listed.values() for place in places}
    kept = []
    for f in findings:
        place = (f.file, f.line, f.col)
        if f.rule == "LS011" and place in listed:
            where = ", ".join(f"{file}:{line}:{col}" for file, line, col in sorted(listed[place]))
            also = f"Then write the new id where this one is listed: {where}."
            f = replace(f, hint=f"{f.hint} {also}" if f.hint else also)
        elif f.rule == "LS011" and place in left_out:
            continue
        kept.append(f)
    return kept


_MISSING_KEY = re.compile(r"the (?:module|path) has no '(?P<key>.+)'")
_MEANT_KEY = re.compile(r"unknown key '.+'; did you mean '(?P<key>.+)'\?")


def _misspelt_keys_once(findings: list[Finding]) -> list[Finding]:
    """A required key written misspelt ('durations:', 'Goal:') is one mistake, which the
    loader reported twice: as an unknown key (LS012) and as the key meant missing (LS010).
    The LS012 names the fix, so the LS010 is left out. Keys at the top only: an LS012 there
    is in the mapping LS010 points at, in the same column; which of a list's mappings a
    deeper one is in, a finding does not say."""
    meant = {(f.file, f.col, m["key"]) for f in findings
             if f.rule == "LS012" and (m := _MEANT_KEY.fullmatch(f.message))}
    if not meant:
        return findings
    return [f for f in findings if not (f.rule == "LS010" and (
        m := _MISSING_KEY.fullmatch(f.message)) and (f.file, f.col, m["key"]) in meant)]


#: The rules that go through every link and video: about a third of the rules' time, run
#: in a forked process while this one runs the others, when there are cores to spare.
_BESIDE = frozenset({"LS402", "LS403", "LS404", "LS405", "LS406", "LS408"})


def _run_rules(site: Site, ctx: Context, jobs: int) -> list[Finding]:
    """Every rule's findings. Forking is left to a process with one thread (the CLI's): a
    thread of a server could hold a lock the copy would wait on for ever. Should the copy
    fail, its rules run here."""
    if jobs < 2 or len(site.modules) < PARALLEL_MIN or not hasattr(os, "fork") \
            or threading.active_count() > 1:
        return list(rules.run(site, ctx))
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            os.close(read_end)
            with os.fdopen(write_end, "wb") as out:
                pickle.dump(list(rules.run(site, ctx, _BESIDE.__contains__)), out)
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    given = os.fdopen(read_end, "rb")
    try:
        mine = list(rules.run(site, ctx, lambda rule: rule not in _BESIDE))
        data = given.read()
    finally:  # a rule that fails here still leaves no copy waiting and no pipe open
        given.close()
        _, status = os.waitpid(pid, 0)
    theirs = pickle.loads(data) if status == 0 else list(rules.run(site, ctx, _BESIDE.__contains__))
    return [*mine, *theirs]


@contextmanager
def _collection_paused() -> Iterator[None]:
    """Loading makes tens of thousands of objects that live as long as the result: the
    full collections they would set off meanwhile (in a build too) find nothing to free."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def check_project(root: Path, *, today: date | None = None, jobs: int = 1) -> Result:
    """What `lecosite check` runs: lecosite.yml's findings join the content's, so CI
    reports both in one run, and mkdocs.yml says where pages are published. An mkdocs.yml
    that is no YAML is reported too: no portal builds from it."""
    settings, config_findings = load_settings(root)
    result = check(settings, today=today, jobs=jobs, directory_urls=directory_urls(root))
    result.findings = sorted([*config_findings, *mkdocs_syntax(root), *mkdocs_nav(root),
                              *result.findings],
                             key=Finding.sort_key)
    return result
