"""Review cadence: when each module is due for review, which modules are due soon, and
how ``lecosite stale`` shows them (FORMATS).

A module's review date is its own ``review_by`` when it writes one (a decision made at
its last review). Otherwise it is ``last_reviewed`` plus a cadence in months: the one of
the nearest folder ``_defaults.yml`` (``review_every``), else the site's (``review:
every:`` in lecosite.yml); a path's ``review_every`` tightens it for the path's modules
(the strictest cadence that applies wins). Under a cadence, a module with neither date
has never been reviewed, so it is due now: otherwise leaving the dates out would be the
way never to be reminded.
"""

from __future__ import annotations

import calendar
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from lecosite.findings import md_code, md_text
from lecosite.model import Module, Path, Site

FOLDER = "the folder's _defaults.yml"
SITE = "lecosite.yml"


def add_months(day: date, months: int) -> date:
    """``day`` plus whole months, clamped to the month's end (Aug 31 + 6 → Feb 28/29)."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    if year > date.max.year:
        return date.max
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def path_cadence(path: Path) -> int | None:
    """The path's ``review_every`` (months), when it sets a valid one."""
    value = path.doc.data.get("review_every") if isinstance(path.doc.data, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


@dataclass(frozen=True)
class Due:
    on: date | None  # None: never reviewed, so due already
    source: str  # 'review_by', or where the cadence came from
    every: int | None = None  # months, when computed

    @property
    def computed(self) -> bool:
        return self.source != "review_by"

    @property
    def never(self) -> bool:
        return self.on is None

    def passed(self, today: date) -> bool:
        """Whether the review is overdue on ``today``."""
        return self.on is None or self.on < today

    def days(self, today: date) -> int | None:
        """Days from ``today`` to the due date (negative when overdue); None if never reviewed."""
        return None if self.on is None else (self.on - today).days

    def explain(self) -> str:
        if not self.computed:
            return "review_by in the module"
        if self.on is None:
            return f"never reviewed; every {self.every} months ({self.source})"
        return f"last_reviewed + {self.every} months ({self.source})"


class Cadence:
    """Review dates for one site; build it once, then ask per module."""

    def __init__(self, site: Site, site_every: int | None) -> None:
        self.site_every = site_every
        self.by_path: dict[str, tuple[int, str]] = {}  # module id → strictest (months, source)
        for path in site.paths.values():
            every = path_cadence(path) if path.status != "retired" else None
            if every is None:
                continue
            for mid in path.module_ids:
                known = self.by_path.get(mid)
                if known is None or every < known[0]:
                    self.by_path[mid] = (every, f"path {path.id}")

    def every(self, module: Module) -> tuple[int, str] | None:
        folder = module.review_every
        base = ((folder, FOLDER) if folder is not None and folder > 0
                else (self.site_every, SITE) if self.site_every else None)
        options = [c for c in (base, self.by_path.get(module.id)) if c is not None]
        return min(options, key=lambda c: c[0]) if options else None

    def due(self, module: Module) -> Due | None:
        if module.review_by is not None:
            return Due(module.review_by, "review_by")
        every = self.every(module)
        if every is None:
            return None
        if module.last_reviewed is None:
            return Due(None, every[1], every[0])
        return Due(add_months(module.last_reviewed, every[0]), every[1], every[0])


@dataclass(frozen=True)
class Stale:
    module: Module
    due: Due
    days: int | None  # until the due date; negative when overdue, None if never reviewed

    @property
    def overdue(self) -> bool:
        return self.days is None or self.days < 0


NO_OWNER = "(no owner)"


def stale(site: Site, site_every: int | None, today: date,
          within: int) -> dict[str, list[Stale]]:
    """Published modules due within ``within`` days, overdue or never reviewed, by owner (a
    module with two owners is listed under both), never reviewed first, then soonest;
    owners sorted."""
    cadence = Cadence(site, site_every)
    out: dict[str, list[Stale]] = {}
    for module in site.modules.values():
        due = cadence.due(module) if module.published else None
        days = due.days(today) if due is not None else None
        if due is None or (days is not None and days > within):
            continue
        item = Stale(module, due, days)
        for owner in module.owners or [NO_OWNER]:
            out.setdefault(owner, []).append(item)
    for items in out.values():
        items.sort(key=lambda s: (s.due.on or date.min, s.module.id))
    return dict(sorted(out.items(), key=lambda kv: (kv[0] == NO_OWNER, kv[0].lower())))


# -- ``lecosite stale`` output: each takes stale()'s groups, the day, the window in days and
# the prefix that makes file names the project's, as summary.FORMATS does for ``diff``.


def _when(days: int | None) -> str:
    if days is None:
        return "never reviewed"
    if days < 0:
        return f"overdue by {-days} day(s)"
    return "due today" if days == 0 else f"due in {days} day(s)"


def _on(day: date | None) -> str:
    return day.isoformat() if day is not None else "—"


def text(groups: dict[str, list[Stale]], today: date, within: int, prefix: str) -> str:
    """One line per module under its owner, for a person at a terminal."""
    if not groups:
        return f"No module is due for review within {within} days."
    out = []
    for owner, items in groups.items():
        out.append(f"{owner} ({len(items)})")
        for s in items:
            out.append(f"  {_on(s.due.on):<10}  {_when(s.days):<22} {s.module.id}  "
                       f"{prefix}{s.module.file}  [{s.due.explain()}]")
    return "\n".join(out)


def as_json(groups: dict[str, list[Stale]], today: date, within: int, prefix: str) -> str:
    """Every field a scheduled job needs to open one reminder per owner."""
    return json.dumps({
        "today": today.isoformat(), "within": within,
        "owners": {owner: [{"id": s.module.id, "title": s.module.title,
                            "file": prefix + s.module.file, "version": s.module.version,
                            "due": s.due.on and s.due.on.isoformat(), "days": s.days,
                            "overdue": s.overdue, "source": s.due.explain()}
                           for s in items] for owner, items in groups.items()},
    }, indent=2)


def markdown(groups: dict[str, list[Stale]], today: date, within: int, prefix: str) -> str:
    """A table per owner, for an issue body; titles and ids shown as written."""
    if not groups:
        return f"No module is due for review within {within} days."
    out = [f"## Reviews due by {today.isoformat()} + {within} days", ""]
    for owner, items in groups.items():
        out += [f"### {md_text(owner)} ({len(items)})", "", "| Module | Due | File |",
                "|---|---|---|"]
        for s in items:
            out.append(f"| {md_text(s.module.title)} ({md_code(s.module.id)}) "
                       f"| {_on(s.due.on)} ({_when(s.days)}) "
                       f"| {md_code(prefix + s.module.file)} |")
        out.append("")
    return "\n".join(out)


FORMATS: dict[str, Callable[[dict[str, list[Stale]], date, int, str], str]] = {
    "text": text, "json": as_json, "markdown": markdown}
