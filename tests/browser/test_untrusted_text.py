"""Author-written text that looks like HTML is shown as text and never runs."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import yaml
from playwright.sync_api import Page, expect

from lecosite import xapi
from lecosite.report.analyze import Content, analyze
from lecosite.report.render import to_html

REPO = Path(__file__).resolve().parents[2]

SCRIPT = "<script>window.__pwned=1</script>"
IMG = "<img src=x onerror=window.__pwned=2>"
# The check refuses '<' in an address; HTML's entities without ';' are valid in one, and
# unescaped they would show as '<' and '&'.
OWNER = "o'x&lt&amp@evil.example"

MODULE = {
    "id": "evil-module",
    "title": f"Evil {SCRIPT} module",
    "summary": f"Summary {IMG}",
    "owners": [OWNER],
    "version": "1.0.0",
    "status": "published",
    "goal": f"Goal {IMG}",
    "objectives": [f"Objective {SCRIPT}", f"Second {IMG}"],
    "duration": 10,
    "audience": ["administrator"],
    "level": "beginner",
}
PATH = {
    "id": "evil-path",
    "title": f"Path {SCRIPT}",
    "kind": "course",
    "status": "published",
    "summary": f"Path summary {IMG}",
    "goal": f"Path goal {SCRIPT}",
    "owners": ["@team"],
    "version": "1.0.0",
    "audience": ["administrator"],
    "level": "beginner",
    "modules": ["evil-module"],
}


SETTLED_IMAGES = """
window.__settled = new WeakSet();
for (const type of ["load", "error"]) {
  window.addEventListener(type, (event) => {
    if (event.target instanceof HTMLImageElement) window.__settled.add(event.target);
  }, true);
}
"""


def make_project(root: Path) -> Path:
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copy(REPO / "lecosite.yml", root / "lecosite.yml")
    (root / "overrides").mkdir()  # mkdocs.yml's custom_dir
    modules, paths = root / "content" / "modules", root / "content" / "paths"
    modules.mkdir(parents=True)
    paths.mkdir(parents=True)
    (modules / "evil-module.md").write_text(
        f"---\n{yaml.safe_dump(MODULE, sort_keys=False)}---\n\nBody text.\n", encoding="utf-8")
    (paths / "evil-path.yml").write_text(yaml.safe_dump(PATH, sort_keys=False), encoding="utf-8")
    return root


def assert_inert(page: Page, *texts: str) -> None:
    for text in texts:
        expect(page.locator(".md-content").get_by_text(text).first).to_be_visible()
    body = page.locator("body").inner_text()
    assert "&lt;" not in body and "&amp;" not in body, "author text is escaped twice"
    assert page.evaluate("() => typeof window.__pwned") == "undefined", "author markup ran"
    planted = page.evaluate(
        "() => [...document.querySelectorAll('script, [onerror], [onload]')]"
        ".filter(e => e.outerHTML.includes('__pwned')).map(e => e.outerHTML)")
    assert planted == [], f"author markup became elements: {planted}"


def test_author_markup_is_text_everywhere(page: Page, serve_site, tmp_path: Path) -> None:
    site = serve_site(make_project(tmp_path), governance=True)  # owners shown too
    page.on("dialog", lambda dialog: dialog.dismiss())
    # Every image that has loaded or failed: an <img onerror> runs only once its image has
    # failed, after this capturing listener (so, by the next task, it has run).
    page.add_init_script(SETTLED_IMAGES)

    page.goto(site.url)
    card = page.locator('[data-ls-card][data-ls-path-id="evil-path"]')
    expect(card.locator(".ls-card__title")).to_have_text(PATH["title"])
    expect(card.locator(".ls-card__goal")).to_have_text(PATH["goal"])
    assert_inert(page, PATH["title"])

    page.goto(f"{site.url}paths/evil-path/")
    expect(page.locator("h1").first).to_have_text(PATH["title"])
    expect(page.locator('[data-ls-module-item="evil-module"] > a')).to_have_text(MODULE["title"])
    assert_inert(page, PATH["goal"], MODULE["goal"])

    page.goto(f"{site.url}modules/evil-module/")
    expect(page.locator("h1").first).to_have_text(MODULE["title"])
    assert page.title().startswith(MODULE["title"]), page.title()
    header = page.locator("[data-ls-module]")
    expect(header.locator(".ls-goal")).to_contain_text(MODULE["goal"])
    expect(header.locator(".ls-objectives li")).to_have_text(MODULE["objectives"])
    expect(header.locator('[data-ls-field="owners"]')).to_have_text(MODULE["owners"][0])
    expect(page.locator('[data-ls-partof="evil-path"] a')).to_have_text(PATH["title"])
    assert_inert(page, MODULE["title"], MODULE["objectives"][0])

    # Search results render titles as HTML: they must stay text there too.
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("Evil", delay=20)
    results = page.locator(".md-search-result")
    expect(results.locator(".md-search-result__item").first).to_be_visible(timeout=10_000)
    # The path page's result quotes the module's goal, an <img onerror> as the author wrote
    # it: as text it is in the results' text; parsed, it would be an element there.
    expect(results).to_contain_text(MODULE["goal"])
    planted = results.evaluate(
        "e => [...e.querySelectorAll('img, script, svg, [onerror], [onload]')]"
        ".filter(x => x.outerHTML.includes('__pwned')).map(x => x.outerHTML)")
    assert planted == [], f"search results made author markup elements: {planted}"
    page.wait_for_function(
        "() => [...document.images].every(i => window.__settled.has(i) || i.loading === 'lazy'"
        " || !(i.hasAttribute('src') || i.hasAttribute('srcset')))")
    assert page.evaluate("() => typeof window.__pwned") == "undefined", "search ran markup"


def test_learners_comments_in_the_report_stay_text_and_inside_the_page(page: Page) -> None:
    """A pasted log line or address has no space to wrap at: it must not widen the table
    past the page, where the other comments would need sideways scrolling."""
    site, mid = "https://learn.example.com/", "connect-check-ports"
    comments = ["A" * xapi.MAX_COMMENT_CHARS, "see https://example.com/" + "x" * 300,
                f"{SCRIPT} {IMG}"]
    rated = [xapi.statement("responded", xapi.rating_activity(site, mid),
                            actor=xapi.actor(site, f"learner{n}"),
                            result=xapi.rating_result(2, text),
                            context=xapi.context(site, version="1.0.0"))
             for n, text in enumerate(comments)]
    report = analyze(rated, Content(titles={mid: "Check the ports"}), today=date(2026, 12, 1))
    page.set_viewport_size({"width": 1280, "height": 900})
    page.set_content(to_html(report))
    page.get_by_text("3 comments").click()
    expect(page.get_by_text(SCRIPT)).to_be_visible()
    region = page.locator(".scroll").first
    assert region.evaluate("e => e.scrollWidth <= e.clientWidth"), region.evaluate(
        "e => [e.scrollWidth, e.clientWidth]")
    assert page.evaluate("window.__pwned") is None
