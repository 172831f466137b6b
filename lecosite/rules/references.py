"""Rules about references between modules and paths."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from typing import Any

from lecosite.assemble import PREVIEW
from lecosite.findings import ODD_SPACES, Severity, odd_space_fix, visible
from lecosite.model import Module, Path, Site, file_id
from lecosite.rules.registry import Context, Hit, rule
from lecosite.schema import SLUG, as_slug
from lecosite.yamldoc import Mark

_SLUG = re.compile(SLUG)


def meant(name: str, modules: dict[str, Module],
          ids: Iterable[str] | None = None) -> tuple[str, str] | None:
    """The valid id ``name`` most likely stands for, and why: 'title' (authors copy the
    title they see), 'file' (a file name), 'plain' (with an odd space taken out), 'close'
    (a typo); None when no id is near. An id that is itself invalid (its own error) is
    never meant."""
    known = modules if ids is None else set(ids)
    plain = "".join(c for c in name if c not in ODD_SPACES)
    if plain != name and plain in known and _SLUG.match(plain):
        return plain, "plain"  # first: strip() below takes one at either end off too
    wanted = name.strip().casefold()
    titled = [m.id for m in modules.values() if m.title.strip().casefold() == wanted]
    if len(titled) == 1 and _SLUG.match(titled[0]):
        return titled[0], "title"
    stem = file_id(name.strip())
    if stem != name and stem in known and _SLUG.match(stem):
        return stem, "file"
    valid = [mid for mid in known if _SLUG.match(mid)]
    close = difflib.get_close_matches(name, valid, n=1, cutoff=0.7)
    return (close[0], "close") if close else None


def _guess(name: str, modules: dict[str, Module], ids: Iterable[str] | None = None) -> str:
    """The end of a hint for a reference that names nothing: the id meant, if one is near."""
    found = meant(name, modules, ids)
    odd = odd_space_fix(name)
    if found is None:
        return f" {odd}" if odd else "" if _SLUG.match(name) else \
            " An id is lowercase letters, digits and '-', e.g. connect-check-ports."
    mid, why = found
    if why == "title":
        return f" '{name}' is the title of module '{mid}': write its id instead."
    if why == "file":
        return f" '{name}' is a file name: write the id '{mid}' instead."
    if why == "plain":
        return f" {odd} Then it reads '{mid}'."
    return f" {odd} Did you mean '{mid}'?" if odd else f" Did you mean '{mid}'?"


def broken_ids(site: Site, ctx: Context) -> set[str]:
    """Ids that files which could not be loaded, or whose own id is invalid, most likely
    hold (a file is named after its id; an invalid id is fixed as its LS011 says): a
    reference to one is not reported again, as the file's own error is the one to fix.
    Built on the first reference that names nothing."""
    return ctx.memo("broken_ids", lambda: site.unloaded_ids() | {
        name for item in [*site.modules.values(), *site.paths.values()]
        if not _SLUG.match(item.id) for name in (file_id(item.file), as_slug(item.id))})


def _names_nothing(name: str, site: Site, ctx: Context) -> bool:
    """Whether ``name``, a reference, is to be reported: it names no module, and no file
    with an error of its own either. A name that is no valid id is always reported (the
    schema's LS011 at the same place is then left out, see check.py)."""
    return name not in site.modules and (not _SLUG.match(name)
                                         or name not in broken_ids(site, ctx))


def listings(site: Site) -> Iterator[tuple[str, str, Mark]]:
    """Every place a file names a module or path by its id, as (file, name, where): a
    path's modules and requires, a module's prerequisites and replaced_by."""
    for path in site.paths.values():
        for index, mid in enumerate(path.module_ids):
            yield path.file, mid, path.module_mark(index)
        for index, rid in enumerate(path.requires):
            yield path.file, rid, path.where("requires", index)
    for module in site.modules.values():
        for index, pid in enumerate(module.prerequisites):
            yield module.file, pid, module.where("prerequisites", index)
        if module.replaced_by is not None:
            yield module.file, module.replaced_by, module.where("replaced_by")


def joined(item: Module | Path) -> set[str]:
    """Texts YAML joined from two '- ' lines in the item's file: 'alpha - beta' in a list of
    ids is the two ids meant, and the joined line (LS008) the one mistake to fix, not an
    unknown id."""
    return {value for _, value, _ in item.doc.joined}


def _entries(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def listing_unread(path: Path) -> bool:
    """Whether the path's 'modules' or 'sections' are not in the shape they are read in
    (its own LS010/LS011 says so): what it lists is then not known, so findings about its
    modules (none, unknown ones, or modules in no path) would only follow from that error."""
    data = path.doc.data
    if "sections" in data:
        sections = data["sections"]
        return "modules" in data or not isinstance(sections, list) or not all(
            isinstance(s, dict) and _entries(s.get("modules")) for s in sections)
    return "modules" in data and not _entries(data["modules"])


def _words(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield from re.split(r"[\s,;]+", value.strip())
    elif isinstance(value, list):
        for item in value:
            yield from _words(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _words(item)


def named_anyhow(path: Path) -> set[str]:
    """Every word of an unread listing (see listing_unread): the module ids it most
    likely names."""
    data = path.doc.data
    return {*_words(data.get("modules")), *_words(data.get("sections"))}


@rule("LS101", "unknown-prerequisite")
def unknown_prerequisite(site: Site, ctx: Context) -> Iterator[Hit]:
    """A module's prerequisites must name existing modules.

    Example:
        prerequisites: [connect-system-requirments]   ← typo: no such module id
    """
    for module in site.modules.values():
        for index, pid in enumerate(module.prerequisites):
            if pid not in site.modules and _names_nothing(pid, site, ctx) and \
                    pid not in joined(module):
                yield Hit(module.file, module.where("prerequisites", index),
                          f"prerequisite '{visible(pid)}' is not a module id",
                          "Use the id: value of an existing module." + _guess(pid, site.modules))


@rule("LS102", "prerequisite-cycle")
def prerequisite_cycle(site: Site, ctx: Context) -> Iterator[Hit]:
    """Prerequisites must not go round in a circle: no learner could ever start.

    Example: a needs b, b needs c, c needs a →
    `prerequisites form a cycle: a → b → c → a`
    """
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    reported: set[frozenset[str]] = set()
    for start in sorted(site.modules):
        if state.get(start):
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        trail: list[str] = []
        while stack:
            mid, index = stack.pop()
            if index == 0:
                state[mid] = 1
                trail.append(mid)
            prereqs = [p for p in site.modules[mid].prerequisites if p in site.modules]
            if index < len(prereqs):
                stack.append((mid, index + 1))
                nxt = prereqs[index]
                if state.get(nxt) == 1:
                    cycle = [*trail[trail.index(nxt):], nxt]
                    key = frozenset(cycle)
                    if key not in reported:
                        reported.add(key)
                        module = site.modules[mid]
                        yield Hit(module.file,
                                  module.where("prerequisites", module.prerequisites.index(nxt)),
                                  "prerequisites form a cycle: " + " → ".join(cycle),
                                  "Remove one of these prerequisites so the chain has a start.")
                elif not state.get(nxt):
                    stack.append((nxt, 0))
            else:
                state[mid] = 2
                trail.pop()


@rule("LS103", "unknown-module-in-path")
def unknown_module_in_path(site: Site, ctx: Context) -> Iterator[Hit]:
    """Every module a path lists must exist.

    Example (content/paths/admin.yml):
        modules: [connect-overview, connect-instal]   ← no such module id
    """
    for path in site.paths.values():
        unread = None
        for index, mid in enumerate(path.module_ids):
            if mid in site.modules or not _names_nothing(mid, site, ctx) or mid in joined(path):
                continue
            if unread is None:
                unread = listing_unread(path)
            if unread and not _SLUG.match(mid):
                continue  # 'modules: a, b' read as one name: the listing's error says it
            yield Hit(path.file, path.module_mark(index), f"module '{visible(mid)}' does not exist",
                      "Use the id: value of an existing module." + _guess(mid, site.modules))


@rule("LS104", "prerequisite-after-dependant")
def prerequisite_order(site: Site, ctx: Context) -> Iterator[Hit]:
    """Within a path, a module's prerequisites must come before it.

    Two modules whose prerequisites go round in a circle (LS102) have no right order: that
    circle is reported, not their order.

    Example: the path lists `connect-first-sync` before `connect-install-agent`, which
    `connect-first-sync` names as a prerequisite.
    """
    for path in site.paths.values():
        order = {mid: i for i, mid in reversed(list(enumerate(path.module_ids)))}
        for index, mid in enumerate(path.module_ids):
            module = site.modules.get(mid)
            if module is None or order.get(mid) != index:
                continue
            for pid in module.prerequisites:
                if order.get(pid, -1) > index and not _needs(site, pid, mid):
                    yield Hit(path.file, path.module_mark(index),
                              f"'{mid}' comes before its prerequisite '{pid}'",
                              f"Move '{pid}' above '{mid}' in this path.")


def _needs(site: Site, start: str, goal: str) -> bool:
    """Whether module ``start`` needs ``goal`` first, through prerequisites of prerequisites."""
    seen, todo = {start}, [start]
    while todo:
        module = site.modules.get(todo.pop())
        for pid in module.prerequisites if module is not None else ():
            if pid == goal:
                return True
            if pid not in seen:
                seen.add(pid)
                todo.append(pid)
    return False


@rule("LS105", "unknown-requirement")
def unknown_requirement(site: Site, ctx: Context) -> Iterator[Hit]:
    """A certification's `requires` must name existing paths or modules, and never lead
    back to itself (A requires B, B requires A: neither could ever be earned).

    Example:
        requires: [connect-admin-cours]   ← no such path or module
    """
    def chain_back(start: str, rid: str) -> list[str] | None:
        """The paths from ``rid`` that require ``start`` in turn, shortest first found."""
        came: dict[str, str | None] = {rid: None}
        todo = [rid]
        while todo:
            current = todo.pop(0)
            for nxt in site.paths[current].requires if current in site.paths else ():
                if nxt == start:
                    chain = [current]
                    while (step := came[chain[-1]]) is not None:
                        chain.append(step)
                    return chain[::-1]
                if nxt not in came:
                    came[nxt] = current
                    todo.append(nxt)
        return None

    for path in site.paths.values():
        for index, rid in enumerate(path.requires):
            if rid == path.id:
                yield Hit(path.file, path.where("requires", index),
                          "a path cannot require itself", "Remove this entry.")
            elif rid in site.paths and (chain := chain_back(path.id, rid)):
                if len(chain) == 1:
                    yield Hit(path.file, path.where("requires", index),
                              f"'{rid}' requires this path in turn, so neither can be finished",
                              "Remove one of the two requirements.")
                else:
                    steps = " requires ".join(f"'{p}'" for p in chain)
                    yield Hit(path.file, path.where("requires", index),
                              f"{steps}, which requires this path in turn, so none of them "
                              "can be finished",
                              "Remove one requirement of this circle.")
            elif rid not in site.paths and _names_nothing(rid, site, ctx) and \
                    rid not in joined(path):
                known = [*site.paths, *site.modules]
                yield Hit(path.file, path.where("requires", index),
                          f"'{visible(rid)}' is neither a path nor a module",
                          "Name a path id or module id." + _guess(rid, site.modules, known))


@rule("LS106", "unknown-replacement")
def unknown_replacement(site: Site, ctx: Context) -> Iterator[Hit]:
    """`replaced_by` must name an existing module that is not itself retired, and not lead
    back to the module (a replaced by b, b replaced by a): learners sent on would go round.

    Example:
        status: retired
        replaced_by: connect-install-agent-v2   ← no such module id

    Example: `connect-proxy` (deprecated) has `replaced_by: connect-proxy-v2`, which has
    `replaced_by: connect-proxy` → point one of them at the module taught now.
    """
    for module in site.modules.values():
        rid = module.replaced_by
        if rid is None:
            continue
        target = site.modules.get(rid)
        if target is None and (not _names_nothing(rid, site, ctx) or rid in joined(module)):
            continue
        if target is None:
            yield Hit(module.file, module.where("replaced_by"),
                      f"replacement '{visible(rid)}' is not a module id",
                      "Name the module learners should take instead." + _guess(rid, site.modules))
        elif rid == module.id:
            yield Hit(module.file, module.where("replaced_by"),
                      "a module cannot replace itself",
                      "Name the module learners should take instead.")
        elif target.status == "retired":
            yield Hit(module.file, module.where("replaced_by"),
                      f"replacement '{rid}' is retired itself",
                      "Point at the current module, so old links lead somewhere useful.")
        elif (circle := _replacement_circle(site, module)) is not None:
            yield Hit(module.file, module.where("replaced_by"),
                      "replacements go round in a circle: " + " → ".join(circle)
                      + ", so learners sent on never reach a module that is taught",
                      "Point replaced_by at the module learners should take now, one that "
                      "nothing replaces.")


def replacement(site: Site, module: Module) -> str | None:
    """The module's replaced_by to offer in a hint, unless it leads back to the module
    (itself, or round a circle, which LS106 reports) or is no valid id (its own LS011 says
    so): "Replace it with itself" or with 'Mod_Bad!' helps no one."""
    if module.replaced_by is not None and not _SLUG.match(module.replaced_by):
        return None
    seen, current = {module.id}, site.modules.get(module.replaced_by or "")
    while current is not None and current.id not in seen:
        seen.add(current.id)
        current = site.modules.get(current.replaced_by or "")
    return None if current is not None and current.id == module.id else module.replaced_by


def _replacement_circle(site: Site, module: Module) -> list[str] | None:
    """The ids from ``module`` along replaced_by back to it, where they lead back to it and
    it comes first of them (so a circle is reported once)."""
    trail, current = [module.id], site.modules.get(module.replaced_by or "")
    while current is not None and current.id not in trail:
        trail.append(current.id)
        current = site.modules.get(current.replaced_by or "")
    if current is None or current.id != module.id or min(trail) != module.id:
        return None
    return [*trail, module.id]


@rule("LS108", "unpublished-replacement", Severity.WARNING)
def unpublished_replacement(site: Site, ctx: Context) -> Iterator[Hit]:
    """A published, deprecated or retired module's `replaced_by` is in the published site:
    a draft successor is left out of the build, and the old module's page would send
    learners nowhere.

    Example: `replaced_by: connect-high-availability` while that module has `status: draft`.
    """
    for module in site.modules.values():
        target = site.modules.get(module.replaced_by or "")
        if target is not None and target.status in PREVIEW and module.status not in PREVIEW:
            yield Hit(module.file, module.where("replaced_by"),
                      f"replacement '{target.id}' is {target.status}, so the published site "
                      "does not have it", f"Publish '{target.id}' first, or name a published "
                      "module.")


@rule("LS109", "replacement-and-status", Severity.WARNING)
def replacement_and_status(site: Site, ctx: Context) -> Iterator[Hit]:
    """`deprecated` means a replacement exists, so it names one in `replaced_by`; a module
    still taught (draft, review, published) is replaced by nothing, and its `replaced_by`
    would be ignored. A retired module may have no successor: the topic is gone.

    Example: `status: deprecated` with no `replaced_by`, or `status: published` with
    `replaced_by: connect-install-agent-v2`.
    """
    for module in site.modules.values():
        if module.status == "deprecated" and module.replaced_by is None:
            yield Hit(module.file, module.where("status"),
                      "a deprecated module names no replacement",
                      "Add 'replaced_by: <module id>' with the module learners should take "
                      "instead, or keep status: published until there is one.")
        elif module.status in ("draft", "review", "published") and module.replaced_by:
            yield Hit(module.file, module.where("replaced_by"),
                      f"replaced_by is set but the module is {module.status}",
                      "Set status: deprecated (or retired) if it is being replaced; otherwise "
                      "remove replaced_by.")


@rule("LS110", "unpublished-prerequisite", Severity.WARNING)
def unpublished_prerequisite(site: Site, ctx: Context) -> Iterator[Hit]:
    """A published module's prerequisites are in the published site: a draft, in-review or
    retired one is left out, and its "Take first" line with it, so learners start without it.

    Example: `prerequisites: [connect-proxy-v2]` while that module has `status: draft`.
    """
    for module in site.modules.values():
        if not module.published:
            continue
        for index, pid in enumerate(module.prerequisites):
            target = site.modules.get(pid)
            if target is None or target.published or not target.status:
                continue  # no status: its own LS011 says what is wrong with it
            instead = replacement(site, target)
            fix = (f"Name its replacement, '{instead}'." if instead
                   else f"Publish '{pid}' first, or remove it from the prerequisites until "
                   "it is." if target.status in PREVIEW
                   else "Remove it from the prerequisites.")
            yield Hit(module.file, module.where("prerequisites", index),
                      f"prerequisite '{pid}' is {target.status}, so the published page does "
                      "not ask learners to take it first", fix)


@rule("LS107", "repeated-module-in-path")
def repeated_module(site: Site, ctx: Context) -> Iterator[Hit]:
    """A path lists each module once.

    Example:
        modules: [connect-overview, connect-install-agent, connect-overview]
    """
    for path in site.paths.values():
        seen: set[str] = set()
        for index, mid in enumerate(path.module_ids):
            if mid in seen:
                yield Hit(path.file, path.module_mark(index),
                          f"module '{mid}' is listed twice in this path",
                          "Remove the second entry.")
            seen.add(mid)
