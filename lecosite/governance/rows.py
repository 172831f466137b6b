"""The data of the portal's governance page: one row per module, for the people who keep
the content current (who owns it, when it is due, where it is used)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lecosite.assemble import Catalog
from lecosite.model import Site, parse_version
from lecosite.project import Settings

from .review import Cadence


@dataclass(frozen=True)
class GovernanceRow:
    id: str
    title: str
    file: str  # relative to the project root
    owners: tuple[str, ...]
    version: str
    status: str
    last_reviewed: date | None
    review_due: date | None  # review_by, or computed from the cadence; None if never reviewed
    review_source: str  # 'review_by', 'last_reviewed + 6 months (lecosite.yml)', or ''
    paths: tuple[tuple[str, str, bool], ...]  # (id, title, has a page) of paths using it
    orphan: bool  # published but in no path
    overdue: bool  # published and its review date has passed
    published: bool  # its review date counts: the page tells overdue again on the day read
    linked: bool  # the module has a page in this build

    @property
    def version_key(self) -> str:
        """Zero-padded, so the table sorts 1.10.0 after 1.9.0 as text, and 1.0.0-beta.2
        before 1.0.0-beta.10 and both before 1.0.0 ('-' sorts before '~')."""
        v = parse_version(self.version)
        if v is None:
            return ""
        pre = "".join(f".{n:06d}" if kind == 0 else f".{text}" for kind, n, text in v[3][1:])
        return f"{v[0]:06d}.{v[1]:06d}.{v[2]:06d}" + (f"-{pre[1:]}" if pre else "~")


def governance_rows(site: Site, catalog: Catalog, today: date, *,
                    settings: Settings | None = None) -> list[GovernanceRow]:
    """Every module (drafts and retired ones too), sorted by title.

    ``settings`` brings the site-wide review cadence (``review: {every: N}``); without it
    only review_by, folder and path cadences count. Paths are all non-retired paths that
    list or require the module; ``has a page`` says whether ``catalog`` publishes them.
    """
    cadence = Cadence(site, settings.review_every if settings else None)
    using: dict[str, list[tuple[str, str, bool]]] = {}
    for path in sorted(site.paths.values(), key=lambda p: (p.title.lower(), p.id)):
        if path.status == "retired":
            continue
        entry = (path.id, path.title, path.id in catalog.paths)
        for mid in dict.fromkeys([*path.module_ids, *path.requires]):
            using.setdefault(mid, []).append(entry)
    rows = []
    for module in site.modules.values():
        due = cadence.due(module)
        paths = tuple(using.get(module.id, ()))
        published = module.published
        rows.append(GovernanceRow(
            id=module.id, title=module.title, file=site.prefix + module.file,
            owners=tuple(module.owners), version=module.version, status=module.status,
            last_reviewed=module.last_reviewed, review_due=due.on if due else None,
            review_source=due.explain() if due else "", paths=paths,
            orphan=module.status == "published" and not paths,
            overdue=bool(published and due and due.passed(today)), published=published,
            linked=module.id in catalog.modules or module.status == "retired"))
    rows.sort(key=lambda r: (r.title.lower(), r.id))
    return rows
