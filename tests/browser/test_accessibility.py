"""Accessibility and layout: axe-core (WCAG 2.1 A/AA) in light and dark palettes, contrast of
lecosite's own blocks in the dark palette, and no sideways scrolling on a 375 px phone."""

from __future__ import annotations

import json
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect

SCHEMES = {"light": "default", "dark": "slate"}
LECOSITE_BLOCKS = (".ls-catalog, .ls-path, .ls-module-header, .ls-module-footer, .ls-video, "
                   ".ls-tombstone, .ls-progress-page")


def _video_module(sample, remote: bool) -> str:
    for mid, meta in sample.modules.items():
        src = (meta.get("video") or {}).get("src", "")
        if src and bool(urlparse(src).netloc) == remote:
            return mid
    # The sample content is what these tests measure: a missing kind is a test that cannot
    # run, said as a failure rather than a skip nobody reads.
    kind = "a YouTube or Vimeo address" if remote else "a video file of the site"
    pytest.fail(f"these tests need a module in content/modules/ whose 'video: src:' is {kind}; "
                "the sample content has none")


def _pages(sample) -> dict[str, str]:
    """Catalog, a path page, a module with a YouTube/Vimeo facade and one with a <video>, and
    "Your progress" (its import and export controls, and the usage-data block)."""
    return {
        "catalog": "",
        "progress": "progress/",
        "path": f"paths/{next(iter(sample.paths))}/",
        "module-embed": f"modules/{_video_module(sample, remote=True)}/",
        "module-file": f"modules/{_video_module(sample, remote=False)}/",
    }


def open_in_scheme(page: Page, url: str, scheme: str) -> None:
    """Material follows prefers-color-scheme when the learner has not picked a palette."""
    page.emulate_media(color_scheme=scheme)
    page.goto(url)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", SCHEMES[scheme])


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("which", ["catalog", "progress", "path", "module-embed",
                                   "module-file"])
def test_axe_finds_no_violations(page: Page, portal, sample, axe, which: str,
                                 scheme: str) -> None:
    open_in_scheme(page, portal.url + _pages(sample)[which], scheme)
    violations = axe(page)
    assert violations == [], f"{which} ({scheme}):\n" + json.dumps(violations, indent=2)
    # The lecosite blocks themselves: axe must have measured their text (not skipped it as
    # 'incomplete'), so "no contrast violation" really means readable in this palette.
    result = page.evaluate(
        "sel => axe.run({include: [...document.querySelectorAll(sel)]},"
        " {runOnly: {type: 'rule', values: ['color-contrast']}})", LECOSITE_BLOCKS)
    checked = [n["target"] for p in result["passes"] for n in p["nodes"]]
    unsure = [(n["target"], n["any"][0]["message"] if n["any"] else "")
              for v in result["incomplete"] for n in v["nodes"]]
    assert len(checked) >= 3, f"{which} ({scheme}): axe measured {checked} only"
    assert unsure == [], f"{which} ({scheme}): contrast not measurable: {unsure}"


def test_palette_toggle_switches_to_dark(page: Page, portal) -> None:
    page.emulate_media(color_scheme="light")
    page.goto(portal.url)
    page.locator("label.md-header__button[for^=__palette]:visible").first.click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    page.reload()  # the choice is remembered
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")


def _wide_content_modules(sample) -> list[str]:
    """Modules whose content is most likely to overflow: each kind of video, the first with
    a table, a code block, an image, every one with a knowledge check (a question may hold a
    URL), and the longest title."""
    mods = sample.modules
    picks = [_video_module(sample, remote=True), _video_module(sample, remote=False),
             max(mods, key=lambda m: len(mods[m]["title"]))]
    for marker in ("\n|---", "\n```", "!["):
        picks += [m for m in mods if marker in sample.bodies[m]][:1]
    picks += [m for m in mods if "\n```check" in sample.bodies[m]]
    return list(dict.fromkeys(picks))


def test_no_horizontal_scroll_at_320px(page: Page, portal, sample) -> None:
    """WCAG 1.4.10 (reflow): nothing scrolls sideways at 320 CSS pixels."""
    page.set_viewport_size({"width": 320, "height": 640})
    certifications = [p for p, meta in sample.paths.items() if meta["kind"] == "certification"]
    urls = ["", "progress/", "governance/", *(f"paths/{p}/" for p in sample.paths),
            *(f"certificates/{p}/" for p in certifications),
            *(f"modules/{m}/" for m in _wide_content_modules(sample))]
    wide = {}
    for url in urls:
        page.goto(portal.url + url, wait_until="load")
        width = page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth]")
        if width[0] > width[1]:
            wide[url or "/"] = width
    assert wide == {}, f"pages wider than the 375 px viewport (scrollWidth, innerWidth): {wide}"


def test_no_horizontal_scroll_without_javascript(browser, portal, sample) -> None:
    """Content must read with JavaScript off, without sideways scrolling on a 360 px phone."""
    context = browser.new_context(java_script_enabled=False,
                                  viewport={"width": 360, "height": 740})
    page = context.new_page()
    wide = {}
    for url in ["", "progress/", *(f"paths/{p}/" for p in sample.paths),
                *(f"modules/{m}/" for m in _wide_content_modules(sample))]:
        page.goto(portal.url + url)
        width = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
        if width[0] > width[1]:
            wide[url or "/"] = width
    context.close()
    assert wide == {}, f"pages wider than the 360 px viewport without JavaScript: {wide}"


def test_keyboard_focus_shows_on_lecosite_controls(page: Page, portal, sample) -> None:
    """Material takes the outline off inputs; a keyboard user must still see where they are."""
    checked = next(m for m in sample.modules if "```check" in sample.bodies[m])
    plain = next(m for m in sample.modules if "```check" not in sample.bodies[m])
    for mid, selector in ((checked, "form[data-ls-check] input"),
                          (checked, "[data-ls-rating] textarea"),
                          (checked, "form[data-ls-check] button[type=submit]"),
                          (plain, "[data-ls-complete] button")):
        page.goto(portal.url + f"modules/{mid}/")
        field = page.locator(selector).first
        field.evaluate("e => e.closest('[hidden]')?.removeAttribute('hidden')")
        page.keyboard.press("Shift")  # the keyboard was used last: focus shows as for Tab
        field.focus()
        style = field.evaluate("""e => [e.matches(':focus-visible'),
            getComputedStyle(e).outlineStyle, getComputedStyle(e).outlineWidth]""")
        # Wider than the browser's 1px ring, dark on a dark button (WCAG 2.4.7).
        assert style[0] and style[1] == "solid" and float(style[2][:-2]) >= 2, (selector, style)


def test_catalog_cards_form_a_grid_in_line_with_the_filters(page: Page, portal) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(portal.url)
    cards = page.locator("ul.ls-cards")
    assert cards.evaluate("e => getComputedStyle(e).display") == "grid"
    lefts = [page.locator(s).first.bounding_box()["x"] for s in ("[data-ls-filters]",
                                                                 "[data-ls-card]")]
    assert abs(lefts[0] - lefts[1]) < 1, lefts
    tops = [c.bounding_box()["y"] for c in page.locator("[data-ls-card]").all()[:2]]
    assert tops[0] == tops[1], "the first two cards should share a row at 1280 px"


def test_a_long_video_title_fits_its_facade_on_a_small_phone(page: Page, portal, sample) -> None:
    """The click-to-load facade is 16:9 at least: an author's long title grows it instead of
    squeezing out the play button or cutting off the text (the frame clips its corners)."""
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(portal.url + f"modules/{_video_module(sample, remote=True)}/")
    facade = page.locator(".ls-video__facade")
    facade.locator(".ls-video__label").evaluate(
        "e => { e.textContent = 'Play video: Opening the outbound ports the Connect Agent "
        "needs before the installation starts (4:32)'; }")
    box, frame = facade.bounding_box(), page.locator(".ls-video__frame").bounding_box()
    assert box["height"] >= box["width"] * 9 / 16 - 0.5, box
    bottom = box["y"] + box["height"]
    assert frame["y"] <= box["y"] and frame["y"] + frame["height"] >= bottom, (frame, box)
    for part in (".ls-video__play", ".ls-video__label", ".ls-video__note"):
        inner = facade.locator(part).bounding_box()
        assert box["y"] <= inner["y"] and inner["y"] + inner["height"] <= bottom, (part, inner)
    assert facade.locator(".ls-video__play").bounding_box()["height"] > 40, "play button squeezed"


def test_after_an_instant_navigation_focus_starts_on_the_new_pages_heading(page: Page, portal,
                                                                          sample) -> None:
    """Material leaves focus on <body>: Tab would start over at the top of the page."""
    pid = next(iter(sample.paths))
    page.goto(f"{portal.url}paths/{pid}/")
    page.wait_for_load_state("networkidle")  # Material intercepts links once it read the sitemap
    page.evaluate("() => { window.notReloaded = true; }")
    assert page.evaluate("document.activeElement.tagName") == "BODY"  # a page load: as is
    first = page.locator("[data-ls-module-item] a").first
    module = first.get_attribute("href").split("?")[0].rstrip("/").rsplit("/", 1)[-1]
    first.click()
    page.wait_for_url(f"**/modules/{module}/**")
    assert page.evaluate("window.notReloaded") is True
    expect(page.locator("article h1")).to_be_focused()
    expect(page.locator("article h1")).to_have_text(sample.modules[module]["title"])
    page.keyboard.press("Tab")  # on into the page, not back to the header
    assert page.evaluate("!!document.activeElement.closest('article')")
    page.go_back()
    page.wait_for_url(f"**/paths/{pid}/")
    expect(page.locator("article h1")).to_be_focused()
    # A link to an anchor: Material scrolls there, focus is left alone.
    page.evaluate("() => { const a = document.createElement('a'); a.id = 'to-anchor'; "
                  f"a.href = '../../modules/{module}/#check-yourself'; a.textContent = 'x'; "
                  "document.querySelector('article').append(a); }")
    page.locator("#to-anchor").click()
    page.wait_for_url(f"**/modules/{module}/#check-yourself")
    assert page.evaluate("window.notReloaded") is True
    expect(page.locator("article h1")).not_to_be_focused()


def test_a_search_result_opened_from_the_keyboard_starts_on_its_heading(page: Page, portal,
                                                                         sample) -> None:
    """Search results have headings of their own: focus goes to the new page's, not to one
    left in the closed results (which left it on <body>)."""
    module = next(iter(sample.modules))
    title = sample.modules[module]["title"]
    page.goto(portal.url)
    page.wait_for_load_state("networkidle")
    page.evaluate("() => { window.notReloaded = true; }")
    page.keyboard.press("/")
    page.keyboard.type(title)
    result = page.locator(f'.md-search-result__link[href*="modules/{module}/"]').first
    expect(result).to_be_visible()
    for _ in range(10):  # down the results to the module's own
        page.keyboard.press("ArrowDown")
        if result.evaluate("e => e === document.activeElement"):
            break
    expect(result).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/modules/{module}/?h=*")
    assert page.evaluate("window.notReloaded") is True
    heading = page.locator(".md-content h1")
    expect(heading).to_have_text(title)
    expect(heading).to_be_focused()
