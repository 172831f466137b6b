"""The report's HTML page as a training lead sees it: on a desktop screen and on paper."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

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


SCREENS = {"laptop": {"width": 1024, "height": 768}, "phone": {"width": 375, "height": 740}}
# Where a scrolled table's module cell and its header are, and what shows at their middle.
STUCK = """s => {
  const box = s.getBoundingClientRect();
  const seen = el => { const r = el.getBoundingClientRect();
    const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return {left: r.left - box.left, top: r.top - box.top, shows: el.contains(top),
            opaque: getComputedStyle(el).backgroundColor.startsWith('rgb(')}; };
  const row = [...s.querySelectorAll('tbody tr')].find(
    tr => tr.getBoundingClientRect().top > box.top + 80);
  return {cell: seen(row.cells[0]), head: seen(s.querySelector('th'))};
}"""


@pytest.mark.parametrize("screen", SCREENS)
def test_the_module_and_the_headers_stay_in_view_when_the_table_scrolls(
        page: Page, html: str, screen: str) -> None:
    """On a laptop or a phone the modules table scrolls sideways: its module column scrolled
    out of view, and its headers did not stick (the box scrolled only sideways). Both stay,
    opaque over the cells that scroll under them, and the keyboard scrolls the box."""
    page.set_viewport_size(SCREENS[screen])
    page.set_content(html)
    table = page.locator(".scroll").first
    table.scroll_into_view_if_needed()
    assert page.evaluate(WIDER)  # it does scroll sideways at this width
    table.evaluate("s => { s.scrollLeft = s.scrollWidth; s.scrollTop = 400; }")
    stuck = table.evaluate(STUCK)
    assert stuck["cell"] == {"left": 0, "top": stuck["cell"]["top"], "shows": True,
                             "opaque": True}
    assert stuck["head"] == {"left": 0, "top": 0, "shows": True, "opaque": True}
    table.evaluate("s => { s.scrollLeft = 0; s.scrollTop = 0; }")
    table.focus()
    for key in ("ArrowRight", "ArrowDown"):
        page.keyboard.press(key)
    # Arrow keys scroll smoothly: wait for the box to move rather than read it at once.
    page.wait_for_function("s => s.scrollLeft > 0 && s.scrollTop > 0",
                           arg=table.element_handle(), timeout=5000)


@pytest.mark.parametrize("screen", SCREENS)
def test_axe_finds_no_violations_in_the_report(browser: Browser, axe, html: str,
                                               screen: str) -> None:
    """The page's strict CSP refuses axe's script tag: only the test's context waives it."""
    context = browser.new_context(bypass_csp=True, viewport=SCREENS[screen])
    try:
        page = context.new_page()
        page.set_content(html)
        assert axe(page) == []
    finally:
        context.close()


def test_retention_charts_show_their_scale_in_legible_text(page: Page, html: str) -> None:
    """A chart without a scale left a lead to guess how far the line falls and when: each
    says 100% and 0%, 0:00 and the video's length, in type of 10 px or more, uncut."""
    page.set_content(html)
    charts = page.locator("svg.chart").evaluate_all("""all => all.map(svg => {
      const w = svg.width.baseVal.value, h = svg.height.baseVal.value;
      return [...svg.querySelectorAll('text')].map(t => { const b = t.getBBox();
        return [t.textContent, parseFloat(getComputedStyle(t).fontSize) >= 10,
                b.x >= 0 && b.y >= 0 && b.x + b.width <= w && b.y + b.height <= h]; }); })""")
    assert charts
    for labels in charts:
        assert [said for said, _, _ in labels][:3] == ["100%", "0%", "0:00"]
        assert re.fullmatch(r"\d+:\d\d(:\d\d)?", labels[3][0])
        assert all(big and inside for _, big, inside in labels), labels


@pytest.mark.parametrize("screen", SCREENS)
def test_a_paths_bars_are_wide_enough_to_read_on_any_screen(page: Page, html: str,
                                                             screen: str) -> None:
    """On a phone the funnel's three columns left each bar some 15 px, its legend cut: a
    bar now takes the width of its step's row there."""
    page.set_viewport_size(SCREENS[screen])
    page.set_content(html)
    widths = page.locator("table.funnel svg").evaluate_all(
        "all => all.map(svg => svg.getBoundingClientRect().width)")
    assert widths and min(widths) >= 200, widths
    legend = page.locator("table.funnel th").nth(1)
    assert legend.evaluate("th => th.scrollWidth <= th.clientWidth"), "its legend is cut"
