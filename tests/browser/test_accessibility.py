"""Accessibility and layout: axe-core (WCAG 2.1 A/AA) on every kind of page, in light and dark
palettes, on a desktop and a phone, before and after a learner made progress; contrast of
lecosite's own blocks; no sideways scrolling on a 320 px phone, with WCAG's text spacing too;
the knowledge check, "Mark complete", the rating and wide tables from the keyboard alone."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from conftest import AXE
from playwright.sync_api import Locator, Page, expect
from test_progress import (  # noqa: F401 (tracked: a fixture, see below)
    browser_today,
    certification,
    checks_of,
    expect_locked,
    form,
    gated_module,
    pass_all_checks,
    record,
    sent,
    store,
    stored,
    tracked,
)

from lecosite import xapi

# tracked is test_progress's fixture: the sample portal built with a collector (the rating
# shows only there). Tests that take it say noqa: F811: ruff reads the argument as a
# redefinition of the import.

SCHEMES = {"light": "default", "dark": "slate"}
VIEWPORTS = {"desktop": {"width": 1280, "height": 720}, "phone": {"width": 390, "height": 844}}
LECOSITE_BLOCKS = (".ls-catalog, .ls-path, .ls-module-header, .ls-module-footer, .ls-video, "
                   ".ls-tombstone, .ls-progress-page, .ls-check, .ls-certificate-page, "
                   ".ls-governance")
# WCAG 2.1 A and AA, and nothing else: axe's best-practice rules also flag Material's own
# chrome (its search dialog has no name, its sidebars repeat a navigation landmark), which
# is Material's to change. 2.5.3 "Label in name" (A) is still an experimental axe rule: it
# is asked for by name, or a link whose name and visible text differ would pass.
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a",
                                                      "wcag21aa"]},
               "rules": {"label-content-name-mismatch": {"enabled": True}}}


def audit(page: Page) -> list[dict]:
    """axe-core on the whole page as shown (nothing is excluded: Material's chrome passes
    these rules too, and its table wrapper is made reachable by lecosite); each violation
    with its impact, its help and, for each failing node, its selector and what to fix."""
    page.evaluate("() => Promise.all(document.getAnimations().map(a => a.finished))")
    if not page.evaluate("() => !!window.axe"):
        if not AXE.exists():
            pytest.fail("axe-core is missing: run 'npm ci' (the README's test command does).")
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("o => axe.run(document, o)", AXE_OPTIONS)
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [" ".join(n["target"]) + ": " + n["failureSummary"].replace("\n", " ")
                       for n in v["nodes"]][:8]} for v in result["violations"]]


def assert_no_violations(page: Page, where: str) -> None:
    """Every WCAG A/AA violation fails, whatever impact axe gives it (moderate and minor
    too): with the rules limited to WCAG, none on these pages is Material's alone."""
    found = audit(page)
    if found:
        pytest.fail(f"axe, {where}:\n" + "".join(
            f"- {v['id']} ({v['impact']}): {v['help']}\n" + "".join(f"    {n}\n"
                                                                 for n in v["nodes"])
            for v in found), pytrace=False)


def _video_module(sample, remote: bool, check: bool = False) -> str:
    for mid, meta in sample.modules.items():
        src = (meta.get("video") or {}).get("src", "")
        if src and bool(urlparse(src).netloc) == remote and (
                not check or checks_of(sample, mid)):
            return mid
    # The sample content is what these tests measure: a missing kind is a test that cannot
    # run, said as a failure rather than a skip nobody reads.
    kind = "a YouTube or Vimeo address" if remote else "a video file of the site"
    pytest.fail(f"these tests need a module in content/modules/ whose 'video: src:' is {kind}"
                f"{' and with a knowledge check' if check else ''}; the sample content has none")


def _pages(sample) -> dict[str, str]:
    """Catalog, a path page, a module with a YouTube/Vimeo facade and a knowledge check, one
    with a <video>, "Your progress" (its import and export controls, and the usage-data
    block), a certificate not earned yet and the governance page (the portal fixture builds
    it)."""
    return {
        "catalog": "",
        "progress": "progress/",
        "path": f"paths/{next(iter(sample.paths))}/",
        "module-embed": f"modules/{_video_module(sample, remote=True, check=True)}/",
        "module-file": f"modules/{_video_module(sample, remote=False)}/",
        "certificate": f"certificates/{certification(sample)[0]}/",
        "governance": "governance/",
    }


def open_in_scheme(page: Page, url: str, scheme: str) -> None:
    """Material follows prefers-color-scheme when the learner has not picked a palette."""
    page.emulate_media(color_scheme=scheme)
    page.goto(url)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", SCHEMES[scheme])


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("which", ["catalog", "progress", "path", "module-embed",
                                   "module-file", "certificate", "governance"])
def test_axe_finds_no_violations(page: Page, portal, sample, which: str, scheme: str,
                                 viewport: str) -> None:
    page.set_viewport_size(VIEWPORTS[viewport])
    open_in_scheme(page, portal.url + _pages(sample)[which], scheme)
    assert_no_violations(page, f"{which} ({scheme}, {viewport})")
    if viewport == "phone":
        # lecosite's colours do not change with the width, and axe cannot measure a cell
        # scrolled out of a phone's view ("partially obscured"): measured on the desktop.
        return
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


# -- states a learner brings about, and the rating --------------------------------------------


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("scheme", SCHEMES)
def test_axe_once_a_learner_has_made_progress(page: Page, portal, sample, scheme: str,
                                             viewport: str) -> None:
    """Bars, "Continue" links and module states only show with progress: a certification's
    modules all done, one knowledge check not taken and one below the pass mark, so cards
    and pages lead to "Take the knowledge check" and its module shows the last score; one
    module done before a major update asks for a review. Then the certificate, earned."""
    cid, _, ids = certification(sample)
    gated = [m for m in ids if checks_of(sample, m)]
    if len(gated) < 2:
        pytest.fail(f"the test needs certification {cid!r} in content/ to have two modules "
                    "with knowledge checks")
    untaken, low = gated[:2]
    data = {"v": 1, "modules": {m: record(sample, m, "2026-01-05") for m in ids}}
    del data["modules"][untaken]["score"], data["modules"][untaken]["passed"]
    data["modules"][low].update(score=0.5, passed=False, checked=data["modules"][low]["version"],
                                asked=len(checks_of(sample, low)))
    # Outside the certification, whose links would lead to it first.
    updated = next((m for m in sample.modules if m not in ids
                    and int(str(sample.modules[m]["version"]).split(".")[0]) >= 1), None)
    if updated is None:
        pytest.fail(f"the test needs a module outside {cid!r} at version 1.0 or later")
    data["modules"][updated] = {**record(sample, updated, "2026-01-05"), "version": "0.9.0"}
    page.set_viewport_size(VIEWPORTS[viewport])
    page.emulate_media(color_scheme=scheme)
    page.goto(portal.url)
    store(page, data)
    card = f'[data-ls-card][data-ls-path-id="{cid}"]'
    for where, shown in (("", f"{card} [data-ls-start]"),
                         (f"paths/{cid}/", "[data-ls-path-page] [data-ls-progress]"),
                         ("progress/", f"{card} [data-ls-progress]"),
                         (f"certificates/{cid}/", f'[data-ls-missing-item="{low}"]'),
                         (f"modules/{low}/", "[data-ls-check-score]"),
                         (f"modules/{updated}/", "[data-ls-review]")):
        page.goto(portal.url + where)
        expect(page.locator(shown)).to_be_visible()
        if not where:
            expect(page.locator(shown)).to_have_text("Take the knowledge check")
        assert_no_violations(page, f"/{where} with progress ({scheme}, {viewport})")
    store(page, {"v": 1, "modules": {m: record(sample, m, "2026-01-05") for m in ids}})
    page.goto(f"{portal.url}certificates/{cid}/")
    page.locator("[data-ls-cert-name]").fill("Ada Lovelace")
    expect(page.locator("[data-ls-cert-ready]")).to_be_visible()
    assert_no_violations(page, f"certificate earned ({scheme}, {viewport})")


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("scheme", SCHEMES)
def test_axe_on_the_rating(page: Page, tracked, sample, scheme: str,  # noqa: F811
                           viewport: str) -> None:
    """"Was this module helpful?" shows where usage data is sent: a build with a collector.
    Shown, sent (the thanks), shown again with the rating chosen, then opted out."""
    sent(page)
    mid = _video_module(sample, remote=True, check=True)
    page.set_viewport_size(VIEWPORTS[viewport])
    page.emulate_media(color_scheme=scheme)
    page.goto(f"{tracked.url}modules/{mid}/")
    rating = page.locator("[data-ls-rating]")
    expect(rating).to_be_visible()
    # The privacy request stays on screen while the learner types, and is read with the box.
    expect(rating.locator("textarea")).to_have_accessible_description(
        "Please leave out names and other personal details.")
    assert_no_violations(page, f"rating ({scheme}, {viewport})")
    rating.locator("input[value='4']").check()
    rating.locator("button[type=submit]").click()
    expect(rating).to_contain_text("your rating goes to the authors")
    assert_no_violations(page, f"rating sent ({scheme}, {viewport})")
    page.reload()
    expect(rating.locator("[data-ls-rated]")).to_be_visible()
    assert_no_violations(page, f"rating chosen before ({scheme}, {viewport})")
    rating.locator("[data-ls-optout]").click()
    expect(rating).to_contain_text("this browser sends no more usage data")
    assert_no_violations(page, f"rating opted out ({scheme}, {viewport})")


# A colour as the page computes it, put over the colour under it (alpha included): contrast.
CONTRAST = """([fg, bg]) => {
  const parse = c => (c.match(/[\\d.]+/g) || []).map(Number),
    [r, g, b, a = 1] = parse(fg), under = parse(bg),
    mixed = [r, g, b].map((v, i) => v * a + under[i] * (1 - a)),
    lum = ([x, y, z]) => [x, y, z].map(v => (v /= 255) <= .03928 ? v / 12.92
      : ((v + .055) / 1.055) ** 2.4).reduce((s, v, i) => s + v * [.2126, .7152, .0722][i], 0),
    [hi, lo] = [lum(mixed), lum(under)].sort((p, q) => q - p);
  return (hi + .05) / (lo + .05);
}"""


@pytest.mark.parametrize("scheme", SCHEMES)
def test_placeholder_text_is_readable(page: Page, portal, sample, scheme: str) -> None:
    """axe does not measure a placeholder: lecosite's own are 4.5:1 on their field (WCAG
    1.4.3), in the dark palette too, where the browser's grey was 2.4:1 on its dark field."""
    mid = _video_module(sample, remote=True, check=True)
    low = {}
    for url in (f"modules/{mid}/", "governance/", ""):
        open_in_scheme(page, portal.url + url, scheme)
        fields = page.locator("[class^=ls-] [placeholder], [data-ls-rating] [placeholder]")
        for at in range(fields.count()):
            colours = fields.nth(at).evaluate("""e => { let b = e;
                while (b && /, 0\\)$|transparent/.test(getComputedStyle(b).backgroundColor))
                  b = b.parentElement;
                return [getComputedStyle(e, '::placeholder').color,
                        getComputedStyle(b || document.body).backgroundColor] }""")
            ratio = page.evaluate(CONTRAST, colours)
            if ratio < 4.5:
                low[f"{url} {fields.nth(at).get_attribute('placeholder')}"] = round(ratio, 2)
    assert low == {}, f"placeholders under 4.5:1 ({scheme}): {low}"


# Text spacing WCAG 1.4.12 asks content to survive (its test bookmarklet's values).
TEXT_SPACING = ("* { line-height: 1.5 !important; letter-spacing: .12em !important;"
                " word-spacing: .16em !important; } p { margin-bottom: 2em !important; }")


def test_no_horizontal_scroll_at_320px_with_wcag_text_spacing(page: Page, portal,
                                                               sample) -> None:
    """WCAG 1.4.10 with 1.4.12: a learner's wider letter and word spacing makes no word (an
    owner's handle, a URL in a question) push the page sideways on a phone."""
    page.set_viewport_size({"width": 320, "height": 640})
    certifications = [p for p, meta in sample.paths.items() if meta["kind"] == "certification"]
    wide = {}
    for url in ["", "progress/", "governance/", *(f"paths/{p}/" for p in sample.paths),
                *(f"certificates/{p}/" for p in certifications),
                *(f"modules/{m}/" for m in _wide_content_modules(sample))]:
        page.goto(portal.url + url, wait_until="load")
        page.add_style_tag(content=TEXT_SPACING)
        width = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
        if width[0] > width[1]:
            wide[url or "/"] = width
    assert wide == {}, f"pages wider than 320 px with text spacing (scrollWidth, innerWidth): " \
        f"{wide}"


# -- the keyboard alone -----------------------------------------------------------------------


def tab_to(page: Page, target: Locator, limit: int = 250) -> None:
    """Press Tab until the target has focus, as a keyboard user would; it must then show a
    focus ring (WCAG 2.4.7): a solid outline of 2px or more, or the browser's own ring."""
    for _ in range(limit):
        if target.evaluate("e => e === document.activeElement"):
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail(f"{target} is not reached with Tab ({limit} presses)")
    ring = target.evaluate("""e => { const s = getComputedStyle(e);
        return [e.matches(':focus-visible'), s.outlineStyle, parseFloat(s.outlineWidth)] }""")
    assert ring[0] and (ring[1] == "auto" or (ring[1] == "solid" and ring[2] >= 2)), (
        f"no visible focus on {target}: {ring}")


def test_checks_mark_complete_and_rating_work_from_the_keyboard(
        page: Page, tracked, sample) -> None:  # noqa: F811
    """Tab, Space, Enter and a radio group's arrows only: every check answered and passed,
    which completes the module; "Mark complete" undone and done again; a rating sent."""
    got = sent(page)
    mid, found = gated_module(sample)
    page.goto(f"{tracked.url}modules/{mid}/")
    for index, question in enumerate(found):
        box = form(page, index)
        if question.kind == "text":
            tab_to(page, box.locator("input[type=text]"))
            page.keyboard.type(question.answers[0])
        elif question.kind == "single":  # Tab enters the group, Space picks, arrows move
            tab_to(page, box.locator("input").first)
            page.keyboard.press("Space")
            for _ in range(next(i for i, c in enumerate(question.choices) if c.correct)):
                page.keyboard.press("ArrowDown")
        else:  # one checkbox after the other
            for at, choice in enumerate(question.choices):
                tab_to(page, box.locator("input").nth(at))
                if choice.correct:
                    page.keyboard.press("Space")
        tab_to(page, box.locator("button[type=submit]"))
        page.keyboard.press("Enter")
        expect(box).to_have_attribute("data-ls-result", "correct")
        expect(box.locator("[data-ls-feedback]")).to_contain_text("Correct.")
    button = page.locator("[data-ls-complete] button")
    expect(button).to_have_text("Completed ✓ (undo)")  # passing the checks completed it
    tab_to(page, button)
    page.keyboard.press("Space")
    expect(button).to_have_text("Mark complete")
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    expect(button).to_have_text("Completed ✓ (undo)")
    expect(page.locator("[data-ls-complete-note]")).to_contain_text("Completed on")

    rating = page.locator("[data-ls-rating]")
    tab_to(page, rating.locator("input[value='1']"))
    page.keyboard.press("Space")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    expect(rating.locator("input[value='4']")).to_be_checked()
    tab_to(page, rating.locator("textarea"))
    page.keyboard.type("The port table helped.")
    tab_to(page, rating.locator("button[type=submit]"))
    page.keyboard.press("Enter")
    thanks = rating.get_by_text("your rating goes to the authors")
    expect(thanks).to_be_focused()  # focus follows the form it replaced
    page.evaluate("window.lecosite.flush()")
    for _ in range(100):
        ratings = [s for s in got if s["verb"]["id"] == xapi.VERBS["responded"]]
        if ratings:
            break
        page.wait_for_timeout(100)
    assert [(s["result"]["score"]["raw"], list(s["result"]["extensions"].values()))
            for s in ratings] == [(4, ["The port table helped."])]


def test_a_mark_complete_the_check_still_locks_is_reached_and_says_why(page: Page, portal,
                                                                      sample) -> None:
    """While the module's check is still to pass, "Mark complete" stays in the Tab order
    (aria-disabled, not disabled) and is described by the visible reason; Enter and Space
    do nothing then, and it works once the check is passed."""
    mid, found = gated_module(sample)
    page.goto(f"{portal.url}modules/{mid}/")
    button, note = page.locator("[data-ls-complete] button"), page.locator(
        "[data-ls-complete-note]")
    reason = note.get_attribute("data-ls-blocked")
    tab_to(page, button)
    expect_locked(button)
    expect(button).to_have_accessible_name("Mark complete")
    expect(button).to_have_accessible_description(reason)
    expect(note).to_have_text(reason)
    expect(note).to_be_visible()
    looks = "b => [getComputedStyle(b).opacity, getComputedStyle(b).cursor]"
    assert button.evaluate(looks) == ["0.6", "not-allowed"]  # still looks unavailable
    # A press says why again: the live note is emptied and filled anew (unchanged, a screen
    # reader reads nothing, and the press seemed to do nothing).
    note.evaluate("""n => { window.__said = [];
      new MutationObserver(() => __said.push(n.textContent)).observe(n, {childList: true}); }""")
    for key in ("Enter", "Space"):
        page.keyboard.press(key)
        expect(button).to_be_focused()
        expect(button).to_have_text("Mark complete")
        expect_locked(button)
        expect(note).to_have_text(reason)
        assert not stored(page)["modules"][mid].get("done"), key
    assert page.evaluate("__said") == ["", reason, "", reason]

    pass_all_checks(page, found)  # which completes the module
    expect_locked(button, locked=False)
    expect(button).to_have_text("Completed ✓ (undo)")
    expect(button).to_have_accessible_description(re.compile(r"^Completed on "))
    assert button.evaluate(looks) == ["1", "pointer"]
    tab_to(page, button)
    page.keyboard.press("Space")
    expect(button).to_have_text("Mark complete")
    expect_locked(button, locked=False)  # the pass stands
    page.keyboard.press("Enter")
    expect(button).to_have_text("Completed ✓ (undo)")
    assert stored(page)["modules"][mid]["done"] == browser_today(page)


# A live region, or inside one: a screen reader says its text as it changes.
LIVE = "[aria-live]:not([aria-live=off]), [role=status], [role=alert], [role=log]"


def said_once(page: Page, text: str) -> None:
    """The message has focus, so a screen reader reads it, and no live region holds it, or
    it would be read twice; focus is on it, not left on <body> by a control taken away."""
    focused = page.evaluate("""live => { const e = document.activeElement;
        return { tag: e.tagName, text: e.textContent.trim(), shown: e.checkVisibility(),
          live: [...document.querySelectorAll(live)].filter(r => r.textContent.includes(
            e.textContent.trim())).map(r => r.outerHTML.slice(0, 80)) } }""", LIVE)
    assert focused["tag"] != "BODY", f"focus lost after: {text}"
    assert focused["shown"] and text in focused["text"], focused
    assert focused["live"] == [], f"also in a live region: {focused}"


def test_the_rating_says_what_happened_once_and_keeps_focus(page: Page, tracked,  # noqa: F811
                                                            sample) -> None:
    """Sending a rating, sending one the browser may no longer send, and the opt-out each
    replace the controls with a message: focus moves to it, so it must not also be in a live
    region (a screen reader read it twice)."""
    sent(page)
    mid = _video_module(sample, remote=True, check=True)
    page.goto(f"{tracked.url}modules/{mid}/")
    rating = page.locator("[data-ls-rating]")
    said = {k: rating.locator("form").get_attribute(f"data-ls-{k}") for k in ("thanks", "unsent")}
    for kind in ("thanks", "unsent"):
        page.reload()
        if kind == "unsent":  # opted out since the page was shown (in another tab, say)
            page.evaluate("localStorage.setItem('lecosite.optout', '1')")
        tab_to(page, rating.locator("input[value='1']"))  # the first, or the one rated
        page.keyboard.press("Space")
        tab_to(page, rating.locator("button[type=submit]"))
        page.keyboard.press("Enter")
        expect(rating.locator("form")).to_have_count(0)
        said_once(page, said[kind])
    page.evaluate("localStorage.removeItem('lecosite.optout')")
    page.reload()
    tab_to(page, rating.locator("[data-ls-optout]"))
    page.keyboard.press("Enter")
    said_once(page, "this browser sends no more usage data")


def test_a_wide_table_scrolls_from_the_keyboard_on_a_phone(page: Page, portal, sample) -> None:
    """Material wraps a table in a box that scrolls sideways when the table is wider than a
    phone; Tab must reach it and the arrow keys scroll it (WCAG 2.1.1), or the columns past
    the edge are out of a keyboard user's reach."""
    page.set_viewport_size(VIEWPORTS["phone"])
    rule = re.compile(r"^\|?\s*:?-{3,}:?\s*\|", re.M)  # a Markdown table's header rule
    tables = [m for m in sample.modules if rule.search(sample.bodies[m])]
    for mid in tables:  # the first whose table is wider than the phone
        page.goto(f"{portal.url}modules/{mid}/")
        wraps = page.locator(".md-typeset__scrollwrap")
        expect(wraps.first).to_be_attached()
        wide = [i for i in range(wraps.count())
                if wraps.nth(i).evaluate("e => e.scrollWidth > e.clientWidth")]
        if wide:
            break
    else:
        pytest.fail(f"the test needs a module in content/modules/ with a table wider than a "
                    f"390 px phone; the tables of {tables} all fit")
    # Reached by Material's instant navigation, which swaps the page without a load.
    page.goto(portal.url)
    page.wait_for_load_state("networkidle")  # Material intercepts links once it read the sitemap
    page.evaluate("m => { window.notReloaded = true; const a = document.createElement('a');"
                  " a.id = 'to-table'; a.href = `modules/${m}/`; a.textContent = 'x';"
                  " document.querySelector('article').append(a); }", mid)
    page.locator("#to-table").click()
    page.wait_for_url(f"**/modules/{mid}/")
    assert page.evaluate("window.notReloaded") is True
    narrow = [i for i in range(wraps.count()) if i not in wide]
    table = wraps.nth(wide[0])
    # Chromium (130 on) and Firefox let Tab stop on a scrolling box of their own accord,
    # Safari does not: there, and for axe, the box needs its tabindex.
    expect(table).to_have_attribute("tabindex", "0")
    tab_to(page, table)
    page.keyboard.press("ArrowRight")
    page.wait_for_function("e => e.scrollLeft > 0", arg=table.element_handle())
    # A table that fits is no stop on the way; on a desktop, none is.
    assert all(wraps.nth(i).get_attribute("tabindex") is None for i in narrow)
    page.set_viewport_size({"width": 1280, "height": 720})
    page.wait_for_function("() => ![...document.querySelectorAll('.md-typeset__scrollwrap')]"
                           ".some(e => e.hasAttribute('tabindex'))")
