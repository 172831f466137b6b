"""Rules about keeping content current."""

from __future__ import annotations

from collections.abc import Iterator

from lecosite.findings import Severity
from lecosite.governance.review import Cadence
from lecosite.model import Site
from lecosite.rules.registry import Context, Hit, rule


@rule("LS301", "review-overdue", Severity.WARNING)
def review_overdue(site: Site, ctx: Context) -> Iterator[Hit]:
    """A published module's review date has passed (an error with `--strict`).

    The review date is `review_by`, or, where a module writes none, `last_reviewed` plus
    the `review_every` months of its folder's `_defaults.yml`, its paths or lecosite.yml
    (`review: {every: 6}`); the finding then points at `last_reviewed`. Under such a
    cadence, a module with neither date was never reviewed and is reported at once.

    Example: `review_by: 2026-01-31` checked on 2026-03-01 → review the module, then set
    `last_reviewed` to today and move `review_by` forward.
    """
    cadence = Cadence(site, ctx.settings.review_every)
    for module in site.modules.values():
        due = cadence.due(module) if module.published else None
        if due is None or not due.passed(ctx.today):
            continue
        if due.on is None:
            yield Hit(module.file, module.where("last_reviewed"),
                      f"never reviewed: no last_reviewed or review_by, and {due.source} asks "
                      f"for a review every {due.every} months",
                      "Add 'last_reviewed: YYYY-MM-DD' with the date the content was last "
                      f"checked with its owners ({', '.join(module.owners) or 'no owners'}); "
                      "if it never was, review it now and write today's date.")
            continue
        days = (ctx.today - due.on).days
        if due.computed:
            yield Hit(module.file, module.where("last_reviewed"),
                      f"review was due on {due.on.isoformat()} ({days} days ago): "
                      f"{due.explain()}",
                      "Review the content with its owners "
                      f"({', '.join(module.owners) or 'no owners'}), then set last_reviewed "
                      "to the day of the review.")
            continue
        yield Hit(module.file, module.where("review_by"),
                  f"review was due on {due.on.isoformat()} ({days} days ago)",
                  "Review the content with its owners "
                  f"({', '.join(module.owners) or 'no owners'}), then update last_reviewed "
                  "and review_by.")
