"""The report's HTML page as a training lead sees it: on a desktop screen and on paper."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page

from lecosite.check import check_project
from lecosite.report.analyze import Content, analyze
from lecosite.report.fixture import generate
from lecosite.report.render import to_html

REPO = Path(__file__).resolve().parents[2]
WEAK = "connect-configure-proxy"
WIDER = ("[...document.querySelectorAll('.scroll')].filter(s => s.scrollWidth > s.clientWidth)"
         ".map(s => `${s.getAttribute('aria-labelledby')}: ${s.scrollWidth} > ${s.clientWidth}`)")


@pytest.fixture(scope="module")
def html() -> str:
    """The report on the sample content's made-up visits: videos, checks, ratings, comments."""
    content = Content.from_check(check_project(REPO))
    return to_html(analyze(generate(content, weak=WEAK, learners=120, seed=11), content,
                           today=date(2026, 12, 1)))


def test_the_modules_table_fits_a_desktop_screen(page: Page, html: str) -> None:
    """At 1280 px every column shows, comments included, without scrolling sideways."""
    page.set_viewport_size({"width": 1280, "height": 800})
    page.set_content(html)
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    assert page.evaluate(WIDER) == []


def test_it_prints_every_column_and_every_comment(page: Page, html: str) -> None:
    """On paper nothing scrolls: the tables fit an A4 landscape page (its 12 mm margins
    leave 273 mm, 1032 px), and comments print though their lists are closed on screen."""
    page.set_viewport_size({"width": 1032, "height": 800})
    page.set_content(html)
    page.emulate_media(media="print")
    assert page.evaluate(WIDER) == []
    comments = page.locator("td.comments blockquote")
    assert comments.count() > 0
    assert comments.evaluate_all("all => all.filter(b => !b.getClientRects().length)") == []
