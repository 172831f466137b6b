"""Compare the content at a git ref with the working tree: what changed, whether versions
and changelogs follow (rules LS601–LS605), what it does to paths, and which findings the
change introduced, so a pull request is blamed only for what it broke.

The bump levels are documented in ``lecosite.rules.governance``.
"""

from __future__ import annotations

import posixpath
import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path as FsPath
from typing import Any
from urllib.parse import unquote

from lecosite import questions, urls, video
from lecosite.assemble import PathView, assemble
from lecosite.check import Result, check_project
from lecosite.findings import Finding, Severity, escalate, excerpt
from lecosite.model import Module, Path, Site, parse_version, published
from lecosite.rules import governance as G
from lecosite.rules.content import link_target
from lecosite.yamldoc import Mark

from .codeowners import repository
from .gitbase import fork_point, materialise, other_base, resolve, worktree_ids

LEVELS = ("none", "patch", "minor", "major")
MODULE_META = frozenset({"version", "changelog", "last_reviewed", "review_by", "owners",
                         "status", "replaced_by"})
PATH_META = frozenset({"version", "changelog", "owners", "status", "review_every"})
_NOT_WORD = re.compile(r"[^\w\s]")

Item = Module | Path


# -- versions ---------------------------------------------------------------------------


def bump_level(old: str, new: str) -> str | None:
    """'major', 'minor', 'patch', 'none', 'backwards', or None when either is not semver.
    Promoting a pre-release (1.1.0-rc.1 → 1.1.0) counts as a patch."""
    a, b = parse_version(old), parse_version(new)
    if a is None or b is None:
        return None
    if b < a:
        return "backwards"
    if b == a:
        return "none"
    for index, level in enumerate(("major", "minor", "patch")):
        if b[index] != a[index]:
            return level
    return "patch"


def next_version(old: str, level: str) -> str:
    v = parse_version(old)
    if v is None:
        return "?"
    major, minor, patch = v[0], v[1], v[2]
    if level == "major":
        return f"{major + 1}.0.0"
    if level == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


# -- what changed -----------------------------------------------------------------------


def _data(item: Item) -> dict[str, Any]:
    return item.doc.data if isinstance(item.doc.data, dict) else {}


def _others(old: dict[str, Any], new: dict[str, Any], skip: frozenset[str]) -> list[str]:
    keys = sorted((set(old) | set(new)) - skip)
    return [k for k in keys if old.get(k) != new.get(k)]


def _objective_key(text: str) -> str:
    return " ".join(_NOT_WORD.sub(" ", text).casefold().split())


def objective_reasons(old: list[str], new: list[str]) -> list[tuple[str, str]]:
    """An objective of the base whose text is gone (case, spacing and punctuation aside) was
    removed, even when another takes its place: learners were taught and assessed on it."""
    old_keys, new_keys = {_objective_key(o) for o in old}, {_objective_key(o) for o in new}
    gone = [o for o in old if _objective_key(o) not in new_keys]
    came = [o for o in new if _objective_key(o) not in old_keys]
    counts = f" ({len(old)} → {len(new)})" if len(old) != len(new) else ""
    out: list[tuple[str, str]] = []
    if gone:
        shown = ", ".join(f"'{excerpt(o)}'" for o in gone[:2])
        more = f" and {len(gone) - 2} more" if len(gone) > 2 else ""
        out.append(("major", f"objectives removed or reworded{counts}: {shown}{more}"))
    if came and (not gone or len(new) > len(old)):  # a reworded one is not one more
        out.append(("minor", f"objectives added{counts if not gone else ''}"))
    if not gone and not came and old != new:
        out.append(("minor", "objectives reordered, or their case or punctuation changed"))
    return out


def _renumbered(old: Module, new: Module) -> list[tuple[questions.Question, int]]:
    """Checks that name an objective by number, where that number now means another one:
    the question would silently assess something else (LS502 only sees numbers past the end)."""
    out = []
    for question in questions.find(new.body, new.body_line):
        ref = (question.objective or "").strip()
        if ref.isdigit() and 1 <= int(ref) <= min(len(old.objectives), len(new.objectives)) \
                and _objective_key(old.objectives[int(ref) - 1]) != _objective_key(
                    new.objectives[int(ref) - 1]):
            out.append((question, int(ref)))
    return out


def _checks_renumbered(old: Module, new: Module, level: str) -> list[tuple[str, str]]:
    moved = [f"line {q.objective_line} (objective {n} was '{excerpt(old.objectives[n - 1])}')"
             for q, n in _renumbered(old, new)]
    if not moved:
        return []
    return [(level, "checks name objectives by number that now mean others: "
                    f"{', '.join(moved)}; make sure each still assesses the right one, or "
                    "name it by its text")]


def renumbered_findings(changes: list[Change], prefix: str) -> list[Finding]:
    """LS609 on each such check's line, whatever the bump: a bump fits the objectives'
    change, and says nothing of a question now asking about another one."""
    out = []
    for change in changes:
        old, new = change.old, change.new
        if not isinstance(old, Module) or not isinstance(new, Module):
            continue
        for question, n in _renumbered(old, new):
            out.append(G.CHECK_RENUMBERED.finding(
                prefix + new.file, (question.objective_line or question.line, 1),
                f"this check names objective {n}, which was '{excerpt(old.objectives[n - 1])}'"
                f" and is now '{excerpt(new.objectives[n - 1])}'",
                "Make sure it still assesses the objective meant: write that one's number, "
                "or its text, which moves with it."))
    return out


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:|^//")


class Uses:
    """The files of one site's content dir that each module's page shows, plays or links
    to: its video, poster, caption and transcript files, the videos in its body with the
    captions beside them, and the images and files its body links to. Editing one of them
    changes what learners get, so it changes the module."""

    def __init__(self, site: Site) -> None:
        self.assets = site.assets
        self.captions = video.caption_index(site.assets)

    def _file(self, folder: str, ref: str | None) -> str | None:
        """The content file ``ref``, relative to ``folder``, names, if the site has it."""
        if not ref or _SCHEME.match(ref) or "\n" in ref:
            return None
        ref = unquote(ref.split("#", 1)[0].split("?", 1)[0])
        if ref.startswith("/"):
            target = posixpath.normpath(ref.lstrip("/"))
        else:
            target = posixpath.normpath(posixpath.join(folder, ref))
        return target if target in self.assets else None

    def __call__(self, module: Module) -> set[str]:
        refs: list[str | None] = []
        clips = [module.video] if module.video is not None else []
        if "@[video]" in module.body:
            clips += [video.from_inline(item, module.file, self.captions)
                      for item in video.inline_videos(module.body)]
        for clip in clips:
            refs += [clip.src, clip.poster, clip.transcript, *(c.src for c in clip.captions)]
        folder = posixpath.dirname(module.file)
        found = {self._file(folder, ref) for ref in refs}
        if module.scan is not None:
            found |= {self._file(folder, link.target) for link in module.scan.links}
            # Published as written: the browser reads them from the page's address.
            found |= {self._file(urls.module_url(module.id), link.target)
                      for link in module.scan.html_links}
        return {f for f in found if f is not None}


def module_reasons(old: Module, new: Module,
                   files: list[str] | None = None) -> list[tuple[str, str]]:
    """(level, why) for every content change between two versions of a module; ``files``
    are the files it uses that changed (see :class:`Uses`)."""
    out = objective_reasons(old.objectives, new.objectives)
    if out and "```" in new.body:
        out += _checks_renumbered(old, new, out[0][0])
    if set(new.prerequisites) != set(old.prerequisites):
        gone = sorted(set(old.prerequisites) - set(new.prerequisites))
        came = sorted(set(new.prerequisites) - set(old.prerequisites))
        what = ", ".join([*(f"+{p}" for p in came), *(f"-{p}" for p in gone)])
        out.append(("major", f"prerequisites changed ({what})"))
    if new.goal != old.goal:
        out.append(("minor", "goal changed"))
    if old.scan is not None and new.scan is not None:
        gone = sorted(old.scan.anchors - new.scan.anchors)
        if gone:
            out.append(("minor", "heading removed or renamed (#" + ", #".join(gone[:3])
                        + (" …" if len(gone) > 3 else "") + ")"))
    skip = MODULE_META | {"objectives", "prerequisites", "goal"}
    fields = _others(_data(old), _data(new), skip)
    if fields:
        out.append(("patch", "changed: " + ", ".join(fields)))
    if new.body.strip() != old.body.strip():
        out.append(("patch", "body text changed"))
    if files:
        out.append(("patch", "files it uses changed: " + ", ".join(files[:3])
                    + (" …" if len(files) > 3 else "")))
    return out


def path_reasons(old: Path, new: Path) -> list[tuple[str, str]]:
    """(level, why) for every content change between two versions of a path."""
    out: list[tuple[str, str]] = []
    before, after = set(old.module_ids), set(new.module_ids)
    if before - after:
        out.append(("major", "modules removed: " + ", ".join(sorted(before - after))))
    if set(new.requires) != set(old.requires):
        out.append(("major", "requires changed"))
    if after - before:
        out.append(("minor", "modules added: " + ", ".join(sorted(after - before))))
    if new.goal != old.goal:
        out.append(("minor", "goal changed"))
    titles = {s.title for s in new.sections}
    gone = [s.title for s in old.sections if s.title is not None and s.title not in titles]
    if gone:
        out.append(("minor", "sections removed: " + ", ".join(gone)))
    skip = PATH_META | {"modules", "sections", "requires", "goal"}
    fields = _others(_data(old), _data(new), skip)
    if [s.title for s in old.sections] != [s.title for s in new.sections] and not gone:
        fields.append("sections")
    if old.module_ids != new.module_ids and not (before ^ after):
        fields.append("module order")
    if fields:
        out.append(("patch", "changed: " + ", ".join(fields)))
    return out




@dataclass(frozen=True)
class Lifecycle:
    """A change of ``status``: no new content, so no version bump (see authoring.md), but
    it decides whether learners see the module or path at all."""

    old: str
    new: str
    headline: str  # 'goes live', 'leaves the published portal', 'deprecated', 'retired'…
    detail: str = ""

    @property
    def means(self) -> str:
        return f"{self.headline}: {self.detail}" if self.detail else self.headline


def lifecycle(kind: str, old: str, new: str) -> Lifecycle | None:
    """What moving from status ``old`` to ``new`` means for learners; None if unchanged."""
    if old == new:
        return None
    was, now = published(kind, old), published(kind, new)
    if new == "retired":
        return Lifecycle(old, new, "retired", "leaves the published portal" if was
                         else "was not in the published portal")
    if now and not was:
        return Lifecycle(old, new, "goes live again" if old == "retired" else "goes live",
                         ("back" if old == "retired" else "now") + " in the published portal"
                         + (", labelled deprecated" if new == "deprecated" else ""))
    if was and not now:
        return Lifecycle(old, new, "leaves the published portal")
    if new == "deprecated":
        return Lifecycle(old, new, "deprecated",
                         "still in the published portal, labelled deprecated")
    if old == "deprecated":
        return Lifecycle(old, new, "no longer deprecated")
    return Lifecycle(old, new, "not live", "still not in the published portal")


@dataclass
class Change:
    kind: str  # 'module' or 'path'
    id: str
    old: Item | None
    new: Item | None
    reasons: list[tuple[str, str]] = field(default_factory=list)
    unreadable: bool = False  # its file is still there but cannot be loaded (a YAML typo)

    @property
    def status(self) -> str:
        if self.old is None:
            return "added"
        if self.new is None:
            return "unreadable" if self.unreadable else "removed"
        if self.reasons:
            return "changed"
        if self.renamed:
            return "renamed"
        if self.lifecycle is not None:
            return "status"
        if self.old.version != self.new.version:
            return "version"
        return "owners" if self.owners_changed else "unchanged"

    @property
    def owners_changed(self) -> bool:
        """Whom CODEOWNERS asks for review changes, though learners see nothing new."""
        return self.old is not None and self.new is not None and self.old.owners != self.new.owners

    @property
    def lifecycle(self) -> Lifecycle | None:
        """Its status changed (whatever else did too): what that means for learners."""
        if self.old is None or self.new is None:
            return None
        return lifecycle(self.kind, self.old.status, self.new.status)

    @property
    def renamed(self) -> bool:
        return self.old is not None and self.new is not None and self.old.file != self.new.file

    @property
    def needed(self) -> str:
        return max((level for level, _ in self.reasons), key=LEVELS.index, default="none")

    @property
    def title(self) -> str:
        item = self.new or self.old
        assert item is not None
        return item.title

    @property
    def owners(self) -> list[str]:
        item = self.new or self.old
        assert item is not None
        return item.owners

    @property
    def old_version(self) -> str | None:
        return self.old.version if self.old is not None else None

    @property
    def new_version(self) -> str | None:
        return self.new.version if self.new is not None else None


def _still_there(item: Item, head: Site) -> bool:
    """Whether a module or path missing from the head is in a file that did not load: its
    own file, or (moved) a file named after its id, as the check assumes too."""
    if item.file in head.unloaded:
        return True
    suffixes = (".yml", ".yaml") if isinstance(item, Path) else (".md", ".markdown")
    return any(f.endswith(suffixes) and posixpath.splitext(posixpath.basename(f))[0] == item.id
               for f in head.unloaded)


def compare(base: Site, head: Site, changed_files: frozenset[str] = frozenset()
            ) -> list[Change]:
    """Every module and path that differs (added, removed, changed, renamed, or no longer
    readable: a file that does not load is not a removal), by id. ``changed_files``: files
    of the content dir whose bytes differ between the two (see :func:`changed_files`)."""
    out = []
    old_uses, new_uses = Uses(base), Uses(head)
    pairs: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
        ("module", base.modules, head.modules), ("path", base.paths, head.paths)]
    for kind, old_items, new_items in pairs:
        for item_id in sorted(set(old_items) | set(new_items)):
            old, new = old_items.get(item_id), new_items.get(item_id)
            change = Change(kind, item_id, old, new)
            if old is not None and new is None:
                change.unreadable = _still_there(old, head)
            if old is not None and new is not None and kind == "module":
                files = (old_uses(old) | new_uses(new)) & changed_files
                change.reasons = module_reasons(old, new,
                                                sorted(head.prefix + f for f in files))
            elif old is not None and new is not None:
                change.reasons = path_reasons(old, new)
            if change.status != "unchanged":
                out.append(change)
    return out


# -- the rules --------------------------------------------------------------------------


def _where_version(item: Item) -> Mark:
    return item.where("version")


def version_findings(changes: list[Change], prefix: str) -> list[Finding]:
    """LS601, LS602, LS603 and LS605 for items present on both sides."""
    out = []
    for change in changes:
        old, new = change.old, change.new
        if old is None or new is None:
            continue
        file, what = prefix + new.file, f"{change.kind} '{change.id}'"
        level = bump_level(old.version, new.version)
        why = "; ".join(w for _, w in sorted(change.reasons, key=lambda r: -LEVELS.index(r[0])))
        needed = change.needed
        if level is None:
            continue  # an invalid version: the check reports it (LS011)
        if level == "backwards":
            out.append(G.VERSION_BACKWARDS.finding(
                file, _where_version(new),
                f"version went backwards: {old.version} → {new.version}",
                f"Use a version above {old.version}"
                + (f", e.g. {next_version(old.version, needed)}." if needed != "none" else ".")))
            continue
        if level == "none" and needed != "none":
            out.append(G.NOT_BUMPED.finding(
                file, _where_version(new),
                f"{what} changed but its version is still {new.version} ({why})",
                f"Bump it to at least {next_version(old.version, needed)} ({needed}) and add "
                "a changelog entry for that version."))
            continue
        if level != "none" and LEVELS.index(level) < LEVELS.index(needed):
            out.append(G.BUMP_TOO_SMALL.finding(
                file, _where_version(new),
                f"{old.version} → {new.version} is a {level} bump; the change needs a "
                f"{needed} bump ({next_version(old.version, needed)}): {why}",
                f"Use version {next_version(old.version, needed)}, or undo the "
                f"{needed}-level change. See 'lecosite rules' (LS602) for the levels."))
        if (level == "major" and needed != "major" and change.kind == "module"
                and (parse_version(old.version) or (0,))[0] >= 1):
            less = (f"only a {needed} bump ({next_version(old.version, needed)})"
                    if needed != "none" else f"no bump (it may stay {old.version})")
            out.append(G.MAJOR_BUMP_UNNEEDED.finding(
                file, _where_version(new),
                f"{old.version} → {new.version} is a major bump, but the change needs "
                f"{less}: learners who completed it are asked to take it again, and its "
                "check and rating figures start afresh",
                f"Keep {new.version} only if learners must really take it again; otherwise "
                f"use {next_version(old.version, needed) if needed != 'none' else old.version}."))
        if level != "none" and new.version not in {v for v, _ in new.changelog}:
            mark = new.where("changelog") if "changelog" in _data(new) else _where_version(new)
            out.append(G.CHANGELOG_MISSING.finding(
                file, mark, f"version {new.version} has no changelog entry",
                f"Add '- {new.version}: what changed' at the top of changelog."))
    return out


def reference_findings(changes: list[Change], head: Site) -> list[Finding]:
    """LS604: removed modules and paths that the working tree still refers to."""
    gone_modules = {c.id: c for c in changes if c.kind == "module" and c.status == "removed"}
    gone_paths = {c.id: c for c in changes if c.kind == "path" and c.status == "removed"}
    if not gone_modules and not gone_paths:
        return []
    out = []

    def hit(file: str, mark: Mark, ref: str, kind: str, where: str) -> None:
        """``where``: the list the reference is in, or '' for a link in a body."""
        change = (gone_modules if kind == "module" else gone_paths)[ref]
        assert change.old is not None
        still, fix = ((f"listed in {where}", f"Remove it from {where}") if where else
                      ("linked here", "Remove the link or point it at another module"))
        # Kept retired, it still has a page, which sends learners on: links keep working.
        # A list refuses a retired one (LS201, LS106) or warns of it (LS110).
        keep = f", or keep the {kind} with status: retired and a replaced_by" if not where else ""
        out.append(G.REMOVED_REFERENCED.finding(
            head.prefix + file, mark,
            f"{kind} '{ref}' was removed in this change ({head.prefix}{change.old.file}) but "
            f"is still {still}", f"{fix}{keep}."))

    for path in head.paths.values():
        for index, mid in enumerate(path.module_ids):
            if mid in gone_modules:
                hit(path.file, path.module_mark(index), mid, "module", "the path's modules")
        for index, rid in enumerate(path.requires):
            for table, kind in ((gone_modules, "module"), (gone_paths, "path")):
                if rid in table:
                    hit(path.file, path.where("requires", index), rid, kind, "requires")
    for module in head.modules.values():
        for index, pid in enumerate(module.prerequisites):
            if pid in gone_modules:
                hit(module.file, module.where("prerequisites", index), pid, "module",
                    "prerequisites")
        if module.replaced_by in gone_modules:
            hit(module.file, module.where("replaced_by"), module.replaced_by, "module",
                "replaced_by")
    there = {*head.module_by_file(), *head.pages, *head.assets, *head.unloaded}
    removed_files = {c.old.file: c.id for c in gone_modules.values()
                     if c.old is not None and c.old.file not in there}
    for owner in [*head.modules.values(), *head.pages.values()] if removed_files else []:
        for link in owner.scan.links if owner.scan is not None else []:
            gone = removed_files.get(link_target(owner.file, link.target) or "")
            if gone is not None:
                hit(owner.file, (link.line, link.col), gone, "module", "")
    return out


# -- impact on paths --------------------------------------------------------------------


@dataclass
class PathImpact:
    id: str
    title: str
    owners: list[str]
    old_version: str | None
    new_version: str | None
    old_total: int | None  # minutes, None where the path does not exist (or is retired)
    new_total: int | None
    status: str  # the path's own change, or 'affected' through its modules
    unknown: bool = False  # the new total is not known: a file in the path cannot be read
    old_modules: int | None = None  # how many modules a learner goes through, as the totals
    new_modules: int | None = None
    # In the published portal; a draft path's totals are what a preview build shows.
    old_live: bool = False
    new_live: bool = False


def _views(site: Site) -> dict[str, PathView]:
    """Paths as the public portal shows them, draft paths as a preview build does."""
    return {**assemble(site, drafts=True).paths, **assemble(site).paths}


def _containing(views: dict[str, PathView]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for view in views.values():
        for module in [*view.sequence]:
            out.setdefault(module.id, set()).add(view.id)
        for item in view.required:
            if isinstance(item, PathView):
                out.setdefault(f"path:{item.id}", set()).add(view.id)
    return out


@dataclass
class Impact:
    modules: dict[str, list[str]]  # changed module id → ids of the paths it affects
    paths: list[PathImpact]


def impact(changes: list[Change], base: Site, head: Site) -> Impact:
    """Which paths each changed module affects, and every affected path's total duration
    (its modules and what it requires) before and after."""
    old_views, new_views = _views(base), _views(head)
    old_in, new_in = _containing(old_views), _containing(new_views)
    by_module: dict[str, list[str]] = {}
    touched: dict[str, str] = {}
    unknown: set[str] = set()  # paths holding a module or path that cannot be read now
    for change in changes:
        if change.kind == "module":
            ids = old_in.get(change.id, set()) | new_in.get(change.id, set())
            if change.status in ("renamed", "owners") and change.lifecycle is None:
                ids = set()  # the same content, moved or owned by others: no path changes
            by_module[change.id] = sorted(ids)
            for pid in ids:
                touched.setdefault(pid, "affected")
        else:
            touched[change.id] = change.status
            ids = old_in.get(f"path:{change.id}", set()) | new_in.get(f"path:{change.id}", set())
            for pid in ids:
                touched.setdefault(pid, "affected")
            ids |= {change.id}
        if change.unreadable:
            unknown |= ids
    rows = []
    for pid, status in touched.items():
        old_path, new_path = base.paths.get(pid), head.paths.get(pid)
        item = new_path or old_path
        if item is None:
            continue
        old_view, new_view = old_views.get(pid), new_views.get(pid)
        if pid in unknown:
            new_view = None
        rows.append(PathImpact(
            pid, item.title, item.owners,
            old_path.version if old_path else None, new_path.version if new_path else None,
            old_view.total_duration if old_view else None,
            new_view.total_duration if new_view else None, status, pid in unknown,
            len(old_view.sequence) if old_view else None,
            len(new_view.sequence) if new_view else None,
            old_path is not None and published("path", old_path.status),
            new_path is not None and published("path", new_path.status)))
    rows.sort(key=lambda r: (r.title.lower(), r.id))
    return Impact(by_module, rows)


# -- the whole comparison ---------------------------------------------------------------


@dataclass
class Diff:
    base_ref: str
    changes: list[Change]
    impact: Impact
    rule_findings: list[Finding]  # LS6xx, made by comparing the two sides
    new: list[Finding]  # check findings the change introduced
    existing: list[Finding]  # check findings already there at the base
    renames: list[tuple[str, str, str]]  # (id, old file, new file), project-relative
    folder: str = ""  # the project's folder in its repository: 'training/', or '' at the root
    prefix: str = ""  # the content dir, as findings name files: 'content/'
    fork: str | None = None  # the commit compared with, when base_ref has moved on since it
    same: bool = False  # HEAD is the fork point: only uncommitted edits compare
    other_base: str | None = None  # when ``same``: a ref that would compare committed work

    @property
    def blamed(self) -> list[Finding]:
        return sorted([*self.rule_findings, *self.new], key=Finding.sort_key)

    def failed(self, strict: bool = False) -> bool:
        findings = escalate(self.blamed) if strict else self.blamed
        return any(f.severity is Severity.ERROR for f in findings)


#: Rules reporting a reference to a module or path that does not exist (LS101 prerequisite,
#: LS103 path module, LS105 requires, LS106 replaced_by, LS403 a link in a body).
UNKNOWN_REFERENCE = frozenset({"LS101", "LS103", "LS105", "LS106", "LS403"})


def split_findings(base: list[Finding], head: list[Finding],
                   renamed: dict[str, str]) -> tuple[list[Finding], list[Finding]]:
    """(introduced, already there): findings match on (file, rule, message), so lines that
    merely moved do not count, and a renamed file keeps its old findings."""
    left = Counter((renamed.get(f.file, f.file), f.rule, f.message) for f in base)
    new, old = [], []
    for f in head:
        key = (f.file, f.rule, f.message)
        if left[key] > 0:
            left[key] -= 1
            old.append(f)
        else:
            new.append(f)
    return new, old


def diff_results(base_ref: str, base: Result, head: Result,
                 changed: frozenset[str] = frozenset()) -> Diff:
    """Compare two checked trees (the base one read from git, the working tree);
    ``changed``: see :func:`compare`."""
    changes = compare(base.site, head.site, changed)
    renames = [(c.id, base.site.prefix + c.old.file, head.site.prefix + c.new.file)
               for c in changes if c.renamed and c.old is not None and c.new is not None]
    rules = [*version_findings(changes, head.site.prefix),
             *renumbered_findings(changes, head.site.prefix),
             *reference_findings(changes, head.site)]
    new, existing = split_findings(base.findings, head.findings,
                                   {old: new for _, old, new in renames})
    # LS604 says why the reference is unknown and what to do: the reference rules'
    # "does not exist, did you mean …?" at the same place would only contradict it.
    removed = {(f.file, f.line, f.col) for f in rules if f.rule == G.REMOVED_REFERENCED.id}
    new = [f for f in new if f.rule not in UNKNOWN_REFERENCE
           or (f.file, f.line, f.col) not in removed]
    return Diff(base_ref, changes, impact(changes, base.site, head.site),
                sorted(rules, key=Finding.sort_key), new, existing, renames,
                prefix=head.site.prefix)


def run_diff(root: FsPath, base_ref: str, *, today: date | None = None,
             jobs: int = 1) -> Diff:
    """Check the working tree and the tree where it forked from ``base_ref`` (see
    :func:`gitbase.fork_point`) and compare them.

    Raises gitbase.GitError when the ref cannot be read or that commit cannot be found.
    """
    today = today or date.today()
    commit = resolve(root, base_ref)
    fork = fork_point(root, base_ref, commit)
    head = check_project(root, today=today, jobs=jobs)
    with tempfile.TemporaryDirectory(prefix="lecosite-base-") as tmp:
        settings, blob_ids = materialise(root, fork, FsPath(tmp))
        base = check_project(settings.root, today=today, jobs=jobs)
    changed = changed_files(root, base.site, head.site, blob_ids)
    result = diff_results(base_ref, base, head, changed)
    result.folder = repository(root)[1]
    result.fork = fork if fork != commit else None
    result.same = fork == resolve(root, "HEAD")
    if result.same:
        result.other_base = other_base(root, base_ref)
    return result


def changed_files(root: FsPath, base: Site, head: Site,
                  blob_ids: dict[str, str]) -> frozenset[str]:
    """Files some module uses (on either side) whose content differs: git's blob ids at
    the base against the working tree's, so a large video is compared without reading
    the base's copy (which the base tree leaves empty)."""
    old_uses, new_uses = Uses(base), Uses(head)
    used = set()
    for site, uses in ((base, old_uses), (head, new_uses)):
        for module in site.modules.values():
            used |= uses(module)
    ours = worktree_ids(root, [head.prefix + f for f in sorted(used)], head.prefix or ".")
    return frozenset(f for f in used
                     if blob_ids.get(base.prefix + f) != ours.get(head.prefix + f))
