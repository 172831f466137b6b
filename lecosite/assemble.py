"""Assemble paths from modules: order, sections, computed durations, reuse, neighbours.

Built once per check or build; everything a page needs is then a dictionary lookup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from lecosite.model import PUBLISHED, Module, Path, Site

PREVIEW = frozenset({"draft", "review"})


@dataclass
class SectionView:
    title: str | None
    modules: list[Module]

    @property
    def duration(self) -> int:
        return sum(m.duration for m in self.modules)


@dataclass
class PathView:
    path: Path
    sections: list[SectionView]
    modules: list[Module]  # in order, each once
    required: list[PathView | Module] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.path.id

    @property
    def duration(self) -> int:
        """Minutes for this path's own modules."""
        return sum(m.duration for m in self.modules)

    @property
    def total_duration(self) -> int:
        """Minutes including everything a certification requires, each module counted once."""
        return sum(m.duration for m in self.sequence)

    @cached_property
    def sequence(self) -> list[Module]:
        """What a learner goes through: the path's own modules, then those it requires, each
        once. Read only after :func:`assemble` has filled ``required``."""
        seen: dict[str, Module] = {m.id: m for m in self.modules}
        for item in self.required:
            for module in item.modules if isinstance(item, PathView) else [item]:
                seen.setdefault(module.id, module)
        return list(seen.values())

    @cached_property
    def _places(self) -> dict[str, int]:
        return {m.id: index for index, m in enumerate(self.sequence)}

    def position(self, module_id: str) -> int:
        return self._places.get(module_id, -1)


@dataclass
class Catalog:
    site: Site
    paths: dict[str, PathView]
    modules: dict[str, Module]  # the modules that get a page
    #: module id → ids of the paths a learner meets it in: those that include it, then the
    #: certifications that require it (directly or through a path)
    part_of: dict[str, list[str]]

    def neighbours(self, module_id: str, path_id: str) -> tuple[Module | None, Module | None]:
        order = self.paths[path_id].sequence
        index = self.paths[path_id].position(module_id)
        if index < 0:
            return None, None
        before = order[index - 1] if index > 0 else None
        after = order[index + 1] if index + 1 < len(order) else None
        return before, after



def assemble(site: Site, *, drafts: bool = False) -> Catalog:
    """The catalog learners see; with ``drafts``, draft and review content is included."""
    shown_modules = PUBLISHED | PREVIEW if drafts else PUBLISHED
    modules = {mid: m for mid, m in site.modules.items() if m.status in shown_modules}
    views: dict[str, PathView] = {}
    part_of: dict[str, list[str]] = {}
    for path in sorted(site.paths.values(), key=_path_order):
        if not (path.published or (drafts and path.status == "draft")):
            continue
        sections, seen = [], {}
        for section in path.sections:
            found = [modules[mid] for mid in section.modules if mid in modules]
            sections.append(SectionView(section.title, found))
            for module in found:
                seen.setdefault(module.id, module)
        views[path.id] = PathView(path, sections, list(seen.values()))
        for mid in seen:
            part_of.setdefault(mid, []).append(path.id)
    for view in views.values():
        for rid in view.path.requires:
            if rid in views and rid != view.id:
                view.required.append(views[rid])
            elif rid in modules:
                view.required.append(modules[rid])
    for view in views.values():
        for module in view.sequence[len(view.modules):]:
            part_of.setdefault(module.id, []).append(view.id)
    return Catalog(site, views, modules, part_of)


_KIND_ORDER = {"learning-plan": 0, "course": 1, "certification": 2}


def _path_order(path: Path) -> tuple[int, str]:
    return (_KIND_ORDER.get(path.kind, 9), path.title.lower())


def format_minutes(minutes: int) -> str:
    """'45 min', '1 h', '2 h 5 min'."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h" + (f" {rest} min" if rest else "")


KIND_GROUPS = {"learning-plan": "Learning plans", "course": "Courses",
               "certification": "Certifications"}


@dataclass
class NavPath:
    view: PathView
    modules: list[tuple[Module, bool]]  # (module, True where this is the module's own place)


@dataclass
class NavGroup:
    title: str
    children: list[NavGroup | NavPath]


def nav_tree(catalog: Catalog, fanout: int = 16) -> list[NavGroup]:
    """Paths grouped by kind, each listing its modules; a reused module has one own place.

    No level holds more than ``fanout`` entries: long lists are split into titled groups
    (A–C, D–K…). A site generator renders every visible nav entry into every page, so
    bounded levels are what keep a large site's build linear in its size.
    """
    placed: set[str] = set()
    by_kind: dict[str, list[NavGroup | NavPath]] = {}
    for view in catalog.paths.values():
        entries = []
        for module in view.modules:
            entries.append((module, module.id not in placed))
            placed.add(module.id)
        by_kind.setdefault(view.path.kind, []).append(NavPath(view, entries))
    return [NavGroup(label, _bounded(by_kind[kind], fanout))
            for kind, label in KIND_GROUPS.items() if kind in by_kind]


def _title(item: NavGroup | NavPath) -> str:
    return item.title if isinstance(item, NavGroup) else item.view.path.title


def _bounded(items: list[NavGroup | NavPath], fanout: int) -> list[NavGroup | NavPath]:
    if len(items) <= fanout:
        return items
    size = max(fanout, -(-len(items) // fanout))
    groups: list[NavGroup | NavPath] = []
    for start in range(0, len(items), size):
        chunk = items[start:start + size]
        first, last = _title(chunk[0])[:1].upper(), _title(chunk[-1])[:1].upper()
        span = first if first == last else f"{first}–{last}"
        groups.append(NavGroup(f"{span} ({len(groups) + 1})", chunk))
    return _bounded(groups, fanout)
