"""Rules about keeping content current."""

from __future__ import annotations

from collections.abc import Iterator

from lecosite.findings import Severity
from lecosite.model import Site
from lecosite.rules.registry import Context, Hit, rule


@rule("LS301", "review-overdue", Severity.WARNING)
def review_overdue(site: Site, ctx: Context) -> Iterator[Hit]:
    """A published module's `review_by` date has passed (an error with `--strict`).

    Example: `review_by: 2026-01-31` checked on 2026-03-01 → review the module, then set
    `last_reviewed` to today and move `review_by` forward.
    """
    for module in site.modules.values():
        if module.review_by and module.published and module.review_by < ctx.today:
            days = (ctx.today - module.review_by).days
            yield Hit(module.file, module.where("review_by"),
                      f"review was due on {module.review_by.isoformat()} ({days} days ago)",
                      "Review the content with its owners "
                      f"({', '.join(module.owners) or 'no owners'}), then update last_reviewed "
                      "and review_by.")
