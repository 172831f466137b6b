"""Rules about keeping content current."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from lecosite.findings import Severity
from lecosite.governance.review import Cadence, add_months
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
        last = module.last_reviewed
        if last is not None and due.on < last <= ctx.today + timedelta(days=1):
            # A review_by before the review it follows: the two dates were swapped, or one
            # has a typo; 'overdue' alone sends the author to review content just reviewed.
            yield Hit(module.file, module.where("review_by"),
                      f"review_by {due.on.isoformat()} is before last_reviewed "
                      f"{last.isoformat()}: the two dates look swapped",
                      "last_reviewed is the day of the last review, review_by the day the next "
                      f"one is due. If the last review was on {last.isoformat()}, set review_by "
                      f"to a later date, e.g. {add_months(last, 6).isoformat()} (six months "
                      f"on); if it was on {due.on.isoformat()}, swap the two dates and review "
                      "the module now, as the next review was due then.")
            continue
        yield Hit(module.file, module.where("review_by"),
                  f"review was due on {due.on.isoformat()} ({days} days ago)",
                  "Review the content with its owners "
                  f"({', '.join(module.owners) or 'no owners'}), then update last_reviewed "
                  "and review_by.")


@rule("LS302", "review-date-in-future")
def review_in_future(site: Site, ctx: Context) -> Iterator[Hit]:
    """`last_reviewed` is the day a review happened, so it is not after today; a typo there
    (2062 for 2026) would silence review reminders for decades.

    Example: `last_reviewed: 2062-10-12` → the date of the last review, e.g. 2026-10-12.
    """
    latest = ctx.today + timedelta(days=1)  # a reviewer a time zone ahead of CI
    for module in site.modules.values():
        if module.last_reviewed is not None and module.last_reviewed > latest:
            yield Hit(module.file, module.where("last_reviewed"),
                      f"last_reviewed {module.last_reviewed.isoformat()} is in the future",
                      "Write the date the module was last reviewed (today at the latest); "
                      "the next review's date goes in review_by.")
