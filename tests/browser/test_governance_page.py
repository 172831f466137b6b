"""The governance page: every module with its owners and versions, sortable, filterable."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

import yaml
from playwright.sync_api import Page, expect


def all_modules(sample) -> dict[str, dict]:
    """Every module file's front matter, drafts and retired ones included."""
    found = {}
    for file, text in sample.texts.items():
        if "modules" in file.parts and file.suffix == ".md" and text.startswith("---\n"):
            data = yaml.safe_load(text.split("---\n", 2)[1])
            found[data["id"]] = data
    return found


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version)[:3])


def test_lists_every_module_and_sorts_and_filters(page: Page, portal, sample) -> None:
    modules = all_modules(sample)
    page.goto(f"{portal.url}governance/")
    rows = page.locator("[data-ls-gov-row]")
    expect(rows).to_have_count(len(modules))
    ids = rows.locator(".ls-gov-id").all_inner_texts()
    assert sorted(ids) == sorted(modules)

    page.evaluate("window.__stay = true")
    page.click("[data-ls-gov-sort=version]")
    expect(page.locator("th:has([data-ls-gov-sort=version])")).to_have_attribute(
        "aria-sort", "ascending")
    shown = [row.locator(".ls-gov-id").inner_text() for row in rows.all()]
    assert [version_key(modules[m]["version"]) for m in shown] == sorted(
        version_key(modules[m]["version"]) for m in shown)

    owner = "maria.lopez@tallyflow.example"
    expected = sorted(m for m, data in modules.items() if owner in data["owners"])
    page.select_option("[data-ls-gov-filter=owner]", owner)
    visible = sorted(row.locator(".ls-gov-id").inner_text() for row in rows.all()
                     if row.is_visible())
    assert visible == expected and expected
    assert page.evaluate("window.__stay") is True  # filtered in place, no reload


def test_governance_page_is_accessible(page: Page, portal, axe) -> None:
    page.goto(f"{portal.url}governance/")
    assert axe(page) == []


def test_overdue_is_told_on_the_day_the_page_is_read(page: Page, portal) -> None:
    """The strict build refuses overdue modules, so a page built on the first of the month
    said "0 overdue" all month, and "Overdue only" never matched: the page tells again."""
    page.goto(f"{portal.url}governance/")
    dues = sorted(page.locator("[data-ls-gov-row][data-due]").evaluate_all(
        "rows => rows.map(r => r.dataset.due)"))
    assert dues and page.locator("[data-ls-gov-overdue]").inner_text() == "0"
    later = date.fromisoformat(dues[0]) + timedelta(days=1)  # the first due is past
    page.clock.install(time=datetime.combine(later, time(12)))
    page.goto(f"{portal.url}governance/")
    late = sum(d < later.isoformat() for d in dues)
    expect(page.locator("[data-ls-gov-overdue]")).to_have_text(str(late))
    expect(page.locator("tr[data-overdue=true] .ls-badge--overdue")).to_have_count(late)
    page.check("[data-ls-gov-filter=overdue]")
    expect(page.locator("[data-ls-gov-row]:visible")).to_have_count(late)
