"""Learner progress, knowledge checks and certificates in real Chromium, on real builds.

Expected answers, feedback, versions, pass marks and validity come from the sample's own
Markdown and YAML (answers through `lecosite.questions.find`), never from the page under test.
"""

from __future__ import annotations

import calendar
import functools
import html
import json
import math
import re
import shutil
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from conftest import Server, build_portal
from fake_players import EMBEDS, PAUSE_VIDEO, VIDEO_MODULE, VIMEO_MODULE, YOUTUBE_MODULE
from playwright.sync_api import Locator, Page, Route, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from lecosite import questions, xapi
from lecosite.questions import Question

REPO = Path(__file__).resolve().parents[2]
KEY = "lecosite.progress"
MARKER = "window.__lecositeProgressMarker"
LABELS = {"done": "Done", "started": "In progress", "new": "Not started",
          "review": "Updated: review again"}
DPI = 96 / 25.4  # CSS px per mm
PAPERS = {"A4": (210, 297), "Letter": (215.9, 279.4)}  # mm
PRINT_MARGIN = 12  # mm, lecosite.css's @page margin


# -- helpers -----------------------------------------------------------------------------


def stored(page: Page) -> dict | None:
    return page.evaluate("k => JSON.parse(localStorage.getItem(k))", KEY)


def store(page: Page, data: dict) -> None:
    page.evaluate("([k, d]) => localStorage.setItem(k, JSON.stringify(d))", [KEY, data])


def browser_today(page: Page) -> str:
    return page.evaluate("() => new Date().toISOString().slice(0, 10)")


def add_months(iso: str, months: int) -> str:
    """Calendar months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    day = date.fromisoformat(iso)
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last)).isoformat()


def month_end_to_clamp(before: str, months: int) -> str:
    """The latest month's last day before `before` whose date `months` later does not exist
    (31 Jan + 1 month, 29 Feb + 12 months): where naive month arithmetic overflows."""
    day = date.fromisoformat(before)
    while True:
        day = day.replace(day=1) - timedelta(days=1)
        year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
        if calendar.monthrange(year, month + 1)[1] < day.day:
            return day.isoformat()


def verification_code(text: str) -> str:
    """FNV-1a (32 bit) as XXXX-XXXX: what a verifier recomputes from the certificate."""
    raw, value = text.encode("utf-16-le"), 0x811C9DC5
    for at in range(0, len(raw), 2):  # JS charCodeAt: UTF-16 code units
        value ^= int.from_bytes(raw[at:at + 2], "little")
        value = (value * 0x01000193) & 0xFFFFFFFF
    digits = f"{value:08X}"
    return f"{digits[:4]}-{digits[4:]}"


def checks_of(sample, module_id: str) -> list[Question]:
    return questions.find(sample.bodies[module_id])


def required_pass(sample, module_id: str) -> float | None:
    """The score the module's completion requires of its checks (0 included), or None."""
    return (sample.modules[module_id].get("completion") or {}).get("check")


def pass_mark(sample, module_id: str) -> float:
    """The score that passes the module's checks: its own rule, else the site's (a mark of
    0 is one)."""
    need = required_pass(sample, module_id)
    if need is None:
        site = yaml.safe_load((REPO / "lecosite.yml").read_text(encoding="utf-8"))
        need = site["completion"]["check"]
    return need


def percent(share: float) -> int:
    return int(share * 100 + 0.5)  # JS Math.round


def gated_module(sample, kinds: frozenset[str] | set[str] = frozenset()
                 ) -> tuple[str, list[Question]]:
    """A module whose completion needs its checks, at a pass mark above 0 (wrong answers
    fail), with questions of at least these kinds."""
    for mid in sample.modules:
        found = checks_of(sample, mid)
        if (required_pass(sample, mid) or 0) > 0 and kinds <= {q.kind for q in found}:
            return mid, found
    pytest.fail(f"the test needs a module in content/ whose completion requires its checks "
                f"(completion: {{check: ...}}), with questions of kinds {sorted(kinds)}")


def course_with_plain_modules(sample) -> tuple[str, list[str]]:
    """A path with 3+ modules whose first two complete with the button (no required check)."""
    for pid in sample.paths:
        order = sample.order(pid)
        if len(order) >= 3 and all(required_pass(sample, m) is None for m in order[:2]):
            return pid, order
    pytest.fail("the test needs a path in content/ with 3 or more modules, the first two "
                "without a required check (completed by the button)")


def record(sample, module_id: str, done: str, score: float = 1.0) -> dict:
    rec = {"version": sample.modules[module_id]["version"], "started": done, "done": done}
    if checks_of(sample, module_id):
        rec.update(score=score, passed=score >= pass_mark(sample, module_id))
    return rec


def form(page: Page, index: int) -> Locator:
    return page.locator("form[data-ls-check]").nth(index)


def answer(page: Page, index: int, question: Question, right: bool) -> list[int]:
    """Answer one check right or wrong from its Markdown; returns the choices picked."""
    box = form(page, index)
    expect(box).to_have_attribute("data-ls-kind", question.kind)
    if question.kind == "text":
        assert question.answers, question.prompt
        # Case, spacing and quote marks do not matter, the words do.
        words = question.answers[0].upper().split()
        words[-1] = f'"{words[-1]}"'
        typed = "  " + "   ".join(words) if right else "no idea"
        box.locator("input[type=text]").fill(typed)
        picked = []
    else:
        correct = [i for i, c in enumerate(question.choices) if c.correct]
        wrong = [i for i, c in enumerate(question.choices) if not c.correct]
        if right:
            picked = correct
        elif question.kind == "multiple":
            picked = [correct[0], wrong[0]]  # half right is still wrong
        else:
            picked = [wrong[0]]
        inputs = box.locator("input")
        for i in range(inputs.count()):
            if question.kind == "multiple":
                inputs.nth(i).set_checked(i in picked)
            elif i in picked:
                inputs.nth(i).check()
    box.locator("button[type=submit]").click()
    expect(box).to_have_attribute("data-ls-result", "correct" if right else "wrong")
    return picked


def pass_all_checks(page: Page, found: list[Question]) -> None:
    for index, question in enumerate(found):
        answer(page, index, question, right=True)


def expect_locked(button: Locator, locked: bool = True) -> None:
    """"Mark complete" while the module's check is still to pass: aria-disabled, never the
    disabled attribute, which takes a button out of the Tab order (a keyboard or
    screen-reader learner could not find it, nor hear why it does nothing)."""
    expect(button).to_have_attribute("aria-disabled", "true" if locked else "false")
    if locked:
        expect(button).to_be_disabled()  # Playwright reads aria-disabled as well
    else:
        expect(button).to_be_enabled()
    assert button.evaluate("b => !b.hasAttribute('disabled')")


def state_of(page: Page, module_id: str) -> tuple[str | None, str]:
    item = page.locator(f'[data-ls-module-item="{module_id}"]')
    return (item.get_attribute("data-ls-progress-state"),
            item.locator("[data-ls-state]").inner_text())


def expect_bar(box: Locator, done: int, total: int) -> None:
    expect(box).to_be_visible()
    expect(box).to_contain_text(f"{done} of {total} modules done")
    meter = box.locator("progress")
    assert meter.evaluate("m => [m.value, m.max]") == [done, total]


def set_marker(page: Page) -> None:
    page.evaluate(f"() => {{ {MARKER} = 'kept'; }}")


def marker(page: Page) -> object:
    return page.evaluate(f"() => {MARKER}")


def ready_for_instant(page: Page, url: str) -> None:
    """Material intercepts links only once it has read the sitemap."""
    page.goto(url)
    page.wait_for_load_state("networkidle")


# -- marking modules complete ---------------------------------------------------------------


BLOCK_STORAGE = """(() => {
  const blocked = {
    get() { throw new DOMException("The operation is insecure.", "SecurityError"); } };
  Object.defineProperty(window, "localStorage", blocked);
  Object.defineProperty(window, "sessionStorage", blocked);
})()"""  # what Chromium does when the learner blocks site data (cookies) for the portal


def test_a_browser_that_keeps_no_site_data_keeps_progress_for_the_visit(page: Page, portal,
                                                                        sample) -> None:
    """Where the browser keeps no site data, "Mark complete" did nothing: its save failed and
    the button read the (missing) progress back. Progress now lasts the visit (instant
    navigation keeps the page's scripts), and the note says it is not saved."""
    pid, order = course_with_plain_modules(sample)
    page.goto(f"{portal.url}progress/")
    expect(page.locator("[data-ls-storage-off]")).to_be_hidden()  # storage works here
    page.add_init_script(BLOCK_STORAGE)
    ready_for_instant(page, f"{portal.url}modules/{order[0]}/?path={pid}")
    set_marker(page)
    note, button = page.locator("[data-ls-complete-note]"), page.locator(
        "[data-ls-complete] button")
    not_kept = re.compile(r"^This browser did not let the portal save your progress: its "
                          r"site data is blocked")
    expect(note).to_have_text(not_kept)
    button.click()
    expect(button).to_have_attribute("data-ls-marked", "true")
    expect(button).to_have_text("Completed ✓ (undo)")
    expect(note).to_have_text(not_kept)  # done for now, and the learner is told it won't last
    page.locator(f'[data-ls-pathnav="{pid}"] a[rel=next]').click()
    page.wait_for_url(re.compile(rf"/modules/{order[1]}/"))
    expect(page.locator(f'[data-ls-module="{order[1]}"]')).to_have_count(1)
    expect(button).to_have_attribute("data-ls-marked", "false")
    expect(note).to_have_text(not_kept)
    page.go_back()
    page.wait_for_url(re.compile(rf"/modules/{order[0]}/"))
    expect(page.locator(f'[data-ls-module="{order[0]}"]')).to_have_count(1)
    expect(button).to_have_attribute("data-ls-marked", "true")
    expect(note).to_have_text(not_kept)
    page.locator(f'[data-ls-pathnav="{pid}"] .ls-pathnav__where a').click()
    page.wait_for_url(re.compile(rf"/paths/{pid}/$"))
    expect_bar(page.locator("[data-ls-path-page] [data-ls-progress]"), 1, len(order))
    assert state_of(page, order[1]) == ("started", LABELS["started"])
    page.locator(".md-nav a", has_text=re.compile(r"^\s*Your progress\s*$")).first.click()
    page.wait_for_url(re.compile(r"/progress/$"))
    expect(page.locator("[data-ls-storage-off]")).to_be_visible()
    expect_bar(page.locator(f'[data-ls-card][data-ls-path-id="{pid}"] [data-ls-progress]'),
               1, len(sample.all_modules(pid)))
    assert marker(page) == "kept", "a link did a full page load instead of instant navigation"
    page.goto(f"{portal.url}paths/{pid}/")  # a new page: what the note said would be lost is
    assert state_of(page, order[0]) == ("new", LABELS["new"])


def test_where_site_data_is_blocked_import_and_reset_say_what_they_did(page: Page, portal,
                                                                      sample) -> None:
    """With progress kept in memory, "Reset" said "Progress reset." over the visit's
    progress, still shown; "Not imported" was said over the progress it showed."""
    pid, order = course_with_plain_modules(sample)
    page.add_init_script(BLOCK_STORAGE)
    page.goto(f"{portal.url}progress/")
    card = page.locator(f'[data-ls-card][data-ls-path-id="{pid}"] [data-ls-progress]')
    status, total = page.locator("[data-ls-progress-status]"), len(sample.all_modules(pid))
    theirs = {"v": 1, "modules": {mid: record(sample, mid, "2026-01-05") for mid in order}}
    with page.expect_file_chooser() as chooser:
        page.locator("[data-ls-import]").click()
    chooser.value.set_files({"name": "progress.json", "mimeType": "application/json",
                             "buffer": json.dumps(theirs).encode()})
    expect(status).to_have_text(re.compile(r"^Imported for this visit only: this browser does "
                                           r"not let the portal save it\."))
    expect_bar(card, len(order), total)
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("[data-ls-reset]").click()
    expect(status).to_have_text("Progress reset.")
    expect_bar(card, 0, total)


COLLECTOR = "http://127.0.0.1:9/collect/"  # never reached: sent() answers for it


@pytest.fixture(scope="module")
def tracked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The sample portal built with a collector, for tests of what progress sends."""
    server = Server()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("LECOSITE_COLLECTOR", COLLECTOR)
        site = build_portal(REPO / "mkdocs.yml", tmp_path_factory.mktemp("tracked"),
                            server.url)
    yield server.serve(site)
    server.close()


def sent(page: Page) -> list[dict]:
    """The statements the page's beacon sends from now on, in every page it loads: its
    fetch to the collector is answered (200) in the page."""
    got: list[dict] = []
    page.expose_function("__sent", lambda body: got.extend(json.loads(body)))
    page.add_init_script(f"""{{ const f = fetch; window.fetch = (u, o) =>
      u.startsWith("{COLLECTOR}") ? (__sent(o.body), Promise.resolve(new Response("[]")))
      : f(u, o) }}""")
    return got


def sent_when(page: Page, got: list[dict], verb: str, url: str) -> dict:
    """The last statement of this verb about this page's activity, once sent."""
    page.evaluate("window.lecosite.flush()")
    for _ in range(100):
        found = [s for s in got if s["verb"]["id"] == xapi.VERBS[verb]
                 and s["object"]["id"] == url]
        if found:
            return found[-1]
        page.wait_for_timeout(100)
    raise AssertionError(f"no {verb} statement about {url} in {got}")


def credited(statement: dict) -> str | None:
    """The path a statement credits (its grouping), as a path id."""
    grouping = statement["context"]["contextActivities"].get("grouping") or [{}]
    return (re.search(r"/paths/([^/]+)/$", grouping[0].get("id", "")) or [None, None])[1]


def test_where_site_data_is_blocked_the_visit_keeps_one_learner_and_its_path(
        page: Page, tracked, sample) -> None:
    """The actor, the path and the completions to void live in store()'s memory for the
    visit: the first statement had an actor of its own (the one written was not read back),
    and an "Undo" voids the completion sent."""
    pid, order = course_with_plain_modules(sample)
    got = sent(page)
    page.add_init_script(BLOCK_STORAGE)
    ready_for_instant(page, f"{tracked.url}paths/{pid}/")
    set_marker(page)
    page.locator(f'[data-ls-module-item="{order[0]}"] a').click()
    page.wait_for_url(re.compile(rf"/modules/{order[0]}/"))
    button = page.locator("[data-ls-complete] button")
    button.click()
    expect(button).to_have_attribute("data-ls-marked", "true")
    done = sent_when(page, got, "completed", f"{tracked.url}modules/{order[0]}/")
    assert credited(done) == pid
    button.click()
    expect(button).to_have_attribute("data-ls-marked", "false")
    voided = sent_when(page, got, "voided", done["id"])
    assert voided["object"] == {"objectType": "StatementRef", "id": done["id"]}
    assert marker(page) == "kept", "a link did a full page load instead of instant navigation"
    learners = {s["actor"]["account"]["name"] for s in got}
    assert len(learners) == 1, learners


FILL_STORAGE = """() => {
  let n = 0;
  for (const size of [1 << 20, 1 << 10, 16, 1]) {
    const chunk = "x".repeat(size);
    try { for (;;) localStorage["junk" + n++] = chunk; } catch { /* full at this size */ }
  }
}"""


def test_a_full_storage_is_said_when_progress_cannot_be_saved(page: Page, portal,
                                                              sample) -> None:
    """Not a completion that seems to do nothing, and is lost without a word."""
    pid, order = course_with_plain_modules(sample)
    page.goto(f"{portal.url}modules/{order[0]}/?path={pid}")
    note, button = page.locator("[data-ls-complete-note]"), page.locator(
        "[data-ls-complete] button")
    expect(button).to_have_attribute("data-ls-marked", "false")
    page.evaluate(FILL_STORAGE)
    button.click()
    expect(note).to_have_text(re.compile(r"^This browser did not let the portal save your "
                                         r"progress: its site data is blocked or full"))
    expect(button).to_have_attribute("data-ls-marked", "false")
    page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('junk'))"
                  ".forEach(k => localStorage.removeItem(k))")
    button.click()
    expect(button).to_have_attribute("data-ls-marked", "true")
    expect(note).to_have_text(re.compile(r"^Completed on "))
    assert stored(page)["modules"][order[0]]["done"]


def test_mark_complete_updates_path_page_and_catalog(page: Page, portal, sample) -> None:
    pid, order = course_with_plain_modules(sample)
    opened, finished = order[0], order[1]
    page.goto(f"{portal.url}modules/{opened}/?path={pid}")  # opened: in progress
    page.goto(f"{portal.url}modules/{finished}/?path={pid}")
    button = page.locator("[data-ls-complete] button")
    expect(button).to_have_attribute("data-ls-marked", "false")
    button.click()
    expect(button).to_have_attribute("data-ls-marked", "true")
    # A toggle whose label changes must not also claim "pressed": a screen reader would say
    # "Completed (undo), toggle button, pressed".
    expect(button).to_have_text("Completed ✓ (undo)")
    assert button.get_attribute("aria-pressed") is None
    today = browser_today(page)
    expect(page.locator("[data-ls-complete-note]")).to_contain_text(
        f"Completed on {today} at version {sample.modules[finished]['version']}")
    rec = stored(page)["modules"][finished]
    assert rec["done"] == today and rec["version"] == sample.modules[finished]["version"]

    for reload in (False, True):
        page.goto(f"{portal.url}paths/{pid}/")
        if reload:
            page.reload()
        expect_bar(page.locator("[data-ls-path-page] [data-ls-progress]"), 1, len(order))
        assert state_of(page, finished) == ("done", LABELS["done"])
        assert state_of(page, opened) == ("started", LABELS["started"])
        for mid in order[2:]:
            assert state_of(page, mid) == ("new", LABELS["new"]), mid
        start = page.locator("[data-ls-start]")
        expect(start).to_have_text(f"Continue: {sample.modules[opened]['title']}")

        page.goto(portal.url)
        if reload:
            page.reload()
        for path_id in sample.paths:
            card = page.locator(f'[data-ls-card][data-ls-path-id="{path_id}"]')
            ids = sample.all_modules(path_id)
            expect_bar(card.locator("[data-ls-progress]"), int(finished in ids), len(ids))
        card = page.locator(f'[data-ls-card][data-ls-path-id="{pid}"]')
        link = card.locator("[data-ls-start]")
        expect(link).to_be_visible()
        assert f"modules/{opened}/?path={pid}" in link.get_attribute("href")
        assert opened not in link.inner_text(), "the Continue link shows a raw module id"
        # Several cards say "Continue": each link's name says which path it continues.
        expect(link).to_have_accessible_name(f"Continue {sample.paths[pid]['title']}")

    # Undo: the module is no longer done, but was started.
    page.goto(f"{portal.url}modules/{finished}/")
    page.locator("[data-ls-complete] button").click()
    expect(page.locator("[data-ls-complete] button")).to_have_attribute("data-ls-marked", "false")
    page.goto(f"{portal.url}paths/{pid}/")
    expect_bar(page.locator("[data-ls-path-page] [data-ls-progress]"), 0, len(order))
    assert state_of(page, finished) == ("started", LABELS["started"])


# -- knowledge checks ---------------------------------------------------------------------


def expect_feedback(page: Page, index: int, question: Question, picked: list[int],
                    right: bool) -> None:
    box = form(page, index).locator("[data-ls-feedback]")
    expect(box.locator(".ls-check__verdict")).to_have_text("Correct." if right else "Not quite.")
    text = box.inner_text()
    for i, choice in enumerate(question.choices):
        if choice.feedback and i in picked:
            assert choice.feedback in text, f"q{index}: feedback of choice {i} missing"
        elif choice.feedback:
            assert choice.feedback not in text, f"q{index}: feedback of unpicked choice {i}"
    if question.kind == "text" and question.feedback:
        assert (question.feedback in text) != right, f"q{index}: wrong-answer feedback"
    if question.explanation:
        expect(box.locator(".ls-check__explanation")).to_have_text(question.explanation)


def test_a_finished_path_offers_a_review_not_a_start(page: Page, portal, sample) -> None:
    pid = next(iter(sample.paths))
    order = sample.order(pid)
    today = "2026-01-05"
    page.goto(f"{portal.url}paths/{pid}/")
    start = page.locator("[data-ls-start]")
    kind = start.inner_text().split()[-1]  # "Start the course" -> "course"
    store(page, {"v": 1, "modules": {m: record(sample, m, today) for m in order}})
    page.reload()
    expect(start).to_have_text(f"Done: review the {kind}")
    assert start.get_attribute("href").split("?")[0].rstrip("/").endswith(order[0])


def test_a_certification_continues_into_the_paths_it_requires(page: Page, portal,
                                                                 sample) -> None:
    """With its own modules done, a certification's "Continue" names the next module of a
    required path and opens it in the certification's context: its prev/next, its credit."""
    cid, _, ids = certification(sample)
    own = sample.order(cid)
    nxt = next(m for m in ids if m not in own)
    page.goto(f"{portal.url}paths/{cid}/")
    store(page, {"v": 1, "modules": {m: record(sample, m, "2026-01-05") for m in own}})
    page.reload()
    expect(page.locator(f'.ls-required [data-ls-module-item="{nxt}"] [data-ls-state]')
           ).to_have_text(LABELS["new"])
    start = page.locator("[data-ls-start]")
    expect(start).to_have_text(f"Continue: {sample.modules[nxt]['title']}")
    start.click()
    page.wait_for_url(re.compile(rf"/modules/{nxt}/\?path={cid}$"))
    nav = page.locator("[data-ls-pathnav]:visible")
    expect(nav).to_have_count(1)
    assert nav.get_attribute("data-ls-pathnav") == cid
    expect(nav.locator(".ls-pathnav__where")).to_contain_text(
        f"Module {ids.index(nxt) + 1} of {len(ids)}")
    assert page.evaluate(
        "document.documentElement.getAttribute('data-ls-current-path')") == cid


def test_a_certification_says_which_checks_still_keep_its_certificate_locked(
        page: Page, portal, sample) -> None:
    """Every module marked complete, but checks untaken or below the pass mark: the path
    page says so on those modules and leads to the first, as the certificate page does."""
    cid, path, ids = certification(sample)
    gated = [m for m in ids if checks_of(sample, m)]
    if len(gated) < 2:
        pytest.fail(f"the test needs certification {cid!r} in content/ to have two modules "
                    "with knowledge checks")
    untaken, low = gated[0], gated[1]
    data = {"v": 1, "modules": {m: record(sample, m, "2026-01-05") for m in ids}}
    del data["modules"][untaken]["score"], data["modules"][untaken]["passed"]
    data["modules"][low].update(score=0.5, passed=False)
    page.goto(f"{portal.url}paths/{cid}/")
    store(page, data)
    page.reload()
    percent = round(path["pass_mark"] * 100)
    item = '[data-ls-module-item="{}"] [data-ls-state]'
    expect(page.locator(item.format(untaken)).first).to_have_text(
        "Done: knowledge check not taken yet")
    expect(page.locator(item.format(low)).first).to_have_text(
        f"Done: knowledge check below {percent}%")
    start = page.locator("[data-ls-start]")
    expect(start).to_have_text(f"Take the knowledge check: {sample.modules[untaken]['title']}")
    assert start.get_attribute("href").split("?")[0].rstrip("/").endswith(untaken)
    bar = f"{len(ids)} of {len(ids)} modules done, 2 knowledge checks to pass"
    expect(page.locator("[data-ls-path-page] [data-ls-progress]")).to_have_text(bar)
    for where in ("", "progress/"):  # the catalog's card, the progress page's row
        page.goto(f"{portal.url}{where}")
        expect(page.locator(f'[data-ls-card][data-ls-path-id="{cid}"] [data-ls-progress]')
               ).to_have_text(bar)
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: the label goes below
    widths = page.evaluate("""() => [...document.querySelectorAll(
      '[data-ls-progress] progress')].map(p => p.getBoundingClientRect().width)""")
    assert min(widths) >= 150, widths  # it squeezed the certification's bar to 40 px
    page.goto(f"{portal.url}certificates/{cid}/")
    why = '[data-ls-missing-item="{}"] [data-ls-why]'
    expect(page.locator(why.format(untaken))).to_have_text(" (knowledge check not taken yet)")
    expect(page.locator(why.format(low))).to_have_text(f" (knowledge check below {percent}%)")


def test_checks_give_feedback_and_a_score(page: Page, portal, sample) -> None:
    mid, found = gated_module(sample, {"single", "multiple", "text"})
    need = required_pass(sample, mid)
    page.goto(f"{portal.url}modules/{mid}/")
    assert page.locator("form[data-ls-check]").count() == len(found)
    score = page.locator("[data-ls-check-score]")
    first = form(page, 0)
    first.locator("button[type=submit]").click()  # nothing chosen yet
    expect(first.locator("[data-ls-feedback]")).to_have_text(
        "Type your answer first." if found[0].kind == "text" else "Choose an answer first.")
    assert first.get_attribute("data-ls-result") is None
    typed = next(i for i, q in enumerate(found) if q.kind == "text")
    form(page, typed).locator("input[type=text]").fill("   ")  # only spaces: not an answer
    form(page, typed).locator("button[type=submit]").click()
    expect(form(page, typed).locator("[data-ls-feedback]")).to_have_text(
        "Type your answer first.")  # nothing to choose there
    assert form(page, typed).get_attribute("data-ls-result") is None

    for index, question in enumerate(found):
        picked = answer(page, index, question, right=False)
        expect_feedback(page, index, question, picked, right=False)
        if index == len(found) - 1:  # every question answered once: a score
            share = (len(found) - 1) / len(found)
            expect(score).to_be_visible()
            expect(score).to_contain_text(
                f"Your score: {len(found) - 1} of {len(found)} ({percent(share)}%)")
            if share < need:
                right = math.ceil(need * len(found) - 1e-6)
                expect(score).to_contain_text(f"You need {percent(need)}% to pass: " + (
                    f"all {len(found)}" if right >= len(found) else f"{right} of {len(found)}")
                    + " right.")
                rec = stored(page)["modules"][mid]
                assert rec["score"] == pytest.approx(share) and rec["passed"] is False
        else:
            expect(score).to_be_hidden()
        picked = answer(page, index, question, right=True)
        expect_feedback(page, index, question, picked, right=True)

    expect(score).to_have_text(f"Your score: {len(found)} of {len(found)} (100%). Passed.")
    rec = stored(page)["modules"][mid]
    assert rec["score"] == 1 and rec["passed"] is True


def test_one_try_of_the_checks_is_one_result_however_it_is_mended(page: Page, portal,
                                                                  sample) -> None:
    """Mending wrong answers one at a time is one more try, not one per answer; after a
    pass, a new result comes only once every question is answered again."""
    mid, found = gated_module(sample)
    page.goto(f"{portal.url}modules/{mid}/")
    page.evaluate("() => { window.results = []; document.addEventListener("
                  "'lecosite:check-result', e => results.push(e.detail.passed)); }")
    results = lambda: page.evaluate("() => results")  # noqa: E731
    for index, question in enumerate(found):
        answer(page, index, question, right=False)
    assert results() == [False]
    for index, question in enumerate(found):
        answer(page, index, question, right=True)
    assert results() == [False, True]
    answer(page, 0, found[0], right=False)
    assert results() == [False, True]
    for index, question in enumerate(found):
        answer(page, index, question, right=True)
    assert results() == [False, True, True]


def test_a_typed_double_dash_made_an_em_dash_by_a_phone_is_still_right(page: Page, portal,
                                                                       sample) -> None:
    """iOS and macOS smart punctuation turn '--' into '—' as the learner types."""
    mid, index, question = next(
        ((mid, i, q) for mid in sample.modules for i, q in enumerate(checks_of(sample, mid))
         if q.kind == "text" and "--" in q.answers[0]), (None, 0, None))
    if question is None:
        pytest.fail("the test needs a short-answer check in content/ whose answer has '--'")
    page.goto(f"{portal.url}modules/{mid}/")
    box = form(page, index)
    box.locator("input[type=text]").fill(question.answers[0].replace("--", "—"))
    box.locator("button[type=submit]").click()
    expect(box).to_have_attribute("data-ls-result", "correct")


def test_answers_are_not_readable_before_answering(page: Page, portal, sample) -> None:
    mid, found = gated_module(sample, {"single", "multiple", "text"})
    page.goto(f"{portal.url}modules/{mid}/")
    text, source = page.locator("body").inner_text(), page.content()
    secrets = [s for q in found for s in
               (q.explanation, q.feedback, *(c.feedback for c in q.choices)) if s]
    assert len(secrets) >= len(found)
    for secret in secrets:
        assert secret not in text, f"visible before answering: {secret!r}"
        for form_of in {secret, html.escape(secret), html.escape(secret, quote=False)}:
            assert form_of not in source, f"in the page source: {secret!r}"
    attributes = page.evaluate(
        "() => [...document.querySelectorAll('*')].flatMap(e => [...e.attributes]"
        ".map(a => a.value.toLowerCase()))")
    for question in found:
        for accepted in question.answers:
            hits = [a for a in attributes if accepted.lower() in a]
            assert hits == [], f"accepted answer {accepted!r} in an attribute"
    # Right and wrong choices are the same markup but for their index.
    for index, question in enumerate(found):
        if question.kind == "text":
            continue
        shapes = form(page, index).locator("label.ls-choice").evaluate_all(
            "labels => labels.map(l => { const i = l.querySelector('input'); return "
            "[l.className, i.type, i.name, [...i.attributes].map(a => a.name).sort().join()]"
            ".join('|'); })")
        assert len(set(shapes)) == 1, f"q{index}: choices differ: {shapes}"


def test_a_required_check_gates_completion(page: Page, portal, sample) -> None:
    mid, found = gated_module(sample)
    need = required_pass(sample, mid)
    page.goto(f"{portal.url}modules/{mid}/")
    button = page.locator("[data-ls-complete] button")
    expect_locked(button)
    expect(page.locator("[data-ls-complete-note]")).to_contain_text("Pass this module's knowledge")
    button.click(force=True)  # the click reaches the page, which refuses it
    expect(button).to_have_text("Mark complete")
    assert not (stored(page)["modules"][mid].get("done"))

    # All right but the last: completes only if that is still a pass.
    for index, question in enumerate(found):
        answer(page, index, question, right=index < len(found) - 1)
    share = (len(found) - 1) / len(found)
    if share < need:
        expect_locked(button)
        button.click(force=True)
        assert not stored(page)["modules"][mid].get("done")
    answer(page, len(found) - 1, found[-1], right=True)
    expect_locked(button, locked=False)
    expect(button).to_have_attribute("data-ls-marked", "true")
    rec = stored(page)["modules"][mid]
    assert rec["done"] == browser_today(page) and rec["passed"] is True
    assert rec["version"] == sample.modules[mid]["version"]
    page.reload()
    expect(page.locator("[data-ls-complete] button")).to_have_attribute("data-ls-marked", "true")


def test_back_on_a_module_the_check_says_how_it_went(page: Page, portal, sample) -> None:
    """The answers are not kept, the result is: a learner who comes back sees it until they
    answer again; a result from an older major version is not shown."""
    mid, found = gated_module(sample)
    total = len(found)
    score = page.locator("[data-ls-check-score]")
    page.goto(f"{portal.url}modules/{mid}/")
    expect(score).to_be_hidden()
    for index, question in enumerate(found):
        answer(page, index, question, right=index > 0)
    page.reload()
    expect(score).to_have_text(re.compile(
        rf"^Your last try: {total - 1} of {total} \({percent((total - 1) / total)}%\)\. "
        r"You need \d+% to pass: .* right\.$"))
    pass_all_checks(page, found)
    expect(score).to_have_text(f"Your score: {total} of {total} (100%). Passed.")
    page.reload()
    expect(score).to_have_text(f"You passed this check: {total} of {total} (100%).")
    record = stored(page)["modules"][mid]
    assert record["asked"] == total
    # A result of another major version, or of a check with another number of questions
    # (a minor version may add one), is not this check's.
    for other in ({"checked": "0.1.0"}, {"asked": total + 1}, {"asked": None}):
        store(page, {"v": 1, "modules": {mid: {**record, **other}}})
        page.reload()
        expect(score).to_be_hidden()


def test_a_pass_stands_and_passing_again_renews_the_completion(page: Page, portal,
                                                               sample) -> None:
    """A wrong answer after a pass does not take the pass (or a certificate) away; passing
    again on a module completed long ago completes it again today."""
    mid, found = gated_module(sample)
    version = sample.modules[mid]["version"]
    page.goto(f"{portal.url}modules/{mid}/")
    store(page, {"v": 1, "modules": {mid: {"version": version, "started": "2020-01-01",
                                           "done": "2020-01-01", "score": 1, "passed": True,
                                           "checked": version}}})
    page.reload()
    pass_all_checks(page, found)
    rec = stored(page)["modules"][mid]
    assert rec["done"] == browser_today(page) and rec["passed"] is True
    answer(page, 0, found[0], right=False)
    rec = stored(page)["modules"][mid]
    assert rec["passed"] is True and rec["score"] == 1 and rec["done"] == browser_today(page)
    expect(page.locator("[data-ls-complete] button")).to_have_attribute("data-ls-marked", "true")


QUESTION = """```check
? Which colour is the sky on a clear day?
objective: 1
- [x] Blue -- Yes.
- [ ] Green -- No.
```
"""


def test_a_pass_mark_of_zero_passes_any_score(page: Page, serve_site, tmp_path: Path) -> None:
    """0 is a pass mark (schema minimum 0), for a module and as the site's default: the
    footer says 'You need 0% to pass', so a wrong answer passes and completes the module.
    The browser took a 0 for no mark at all and asked for 80%."""
    project = small_project(tmp_path, {"alpha": "1.0.0", "beta": "1.0.0"})
    settings = project / "lecosite.yml"
    text = settings.read_text(encoding="utf-8")
    assert re.search(r"(?m)^  check: [\d.]+", text)
    settings.write_text(re.sub(r"(?m)^  check: [\d.]+", "  check: 0", text), encoding="utf-8")
    modules = project / "content" / "modules"
    (modules / "alpha.md").write_text(small_module("alpha", "1.0.0", QUESTION,
                                                   completion={"check": 0}), encoding="utf-8")
    (modules / "beta.md").write_text(small_module("beta", "1.0.0", QUESTION), encoding="utf-8")
    [question] = questions.find(QUESTION)
    server = serve_site(project)
    for mid in ("alpha", "beta"):  # the module's own mark, the site's default
        page.goto(f"{server.url}modules/{mid}/")
        score, button = page.locator("[data-ls-check-score]"), page.locator(
            "[data-ls-complete] button")
        expect(score).to_have_attribute("data-ls-failed", re.compile("You need 0% to pass"))
        if mid == "alpha":  # its check is required: no completing it by the button
            expect_locked(button)
        answer(page, 0, question, right=False)
        expect(score).to_have_text("Your score: 0 of 1 (0%). Passed.")
        expect_locked(button, locked=False)
        expect(button).to_have_attribute("data-ls-marked", "true")
        rec = stored(page)["modules"][mid]
        assert rec["passed"] is True and rec["score"] == 0, mid
        assert rec["done"] == browser_today(page), mid


def video_share(sample, module_id: str) -> float:
    """The share of a module's video that completes it: the module's rule, else the site's."""
    site = yaml.safe_load((REPO / "lecosite.yml").read_text(encoding="utf-8"))["completion"]
    return (sample.modules[module_id].get("completion") or {}).get("video", site["video"])


def test_watching_a_video_past_its_share_completes_the_module(page: Page, portal,
                                                              sample) -> None:
    """Progress follows the player itself: this build has no collector."""
    share = video_share(sample, VIDEO_MODULE)
    assert 0 < share < 1
    page.goto(f"{portal.url}modules/{VIDEO_MODULE}/")
    button = page.locator("[data-ls-complete] button")
    expect(button).to_have_attribute("data-ls-marked", "false")
    page.evaluate("""() => { const v = document.querySelector('video');
      v.muted = true; v.playbackRate = 2; return v.play(); }""")
    length = page.evaluate("document.querySelector('video').duration")
    page.wait_for_function(f"document.querySelector('video').currentTime > {length * share / 2}")
    page.evaluate(PAUSE_VIDEO)  # answers once the portal has handled the pause: no wait
    expect(button).to_have_attribute("data-ls-marked", "false")  # half the share is not enough
    page.evaluate("document.querySelector('video').play()")
    page.wait_for_function("document.querySelector('video').ended", timeout=30000)
    expect(button).to_have_attribute("data-ls-marked", "true")
    rec = stored(page)["modules"][VIDEO_MODULE]
    assert rec["done"] == browser_today(page)
    assert rec["version"] == sample.modules[VIDEO_MODULE]["version"]


def video_length(page: Page) -> float:
    """The duration of the page's (first) video, once its metadata has loaded."""
    page.wait_for_function("document.querySelector('video').duration > 0")
    return page.evaluate("document.querySelector('video').duration")


def play_to_end(page: Page, start: float) -> None:
    """Play the video from ``start`` until its ``ended`` event: fired after the timeupdate
    and pause of its last frame, which the portal's capturing listeners have handled."""
    page.evaluate("""start => { const v = document.querySelector('video');
      window.__lsEnded = false;
      v.addEventListener('ended', () => { window.__lsEnded = true; }, {once: true});
      v.muted = true; v.playbackRate = 2; v.currentTime = start; return v.play(); }""", start)
    page.wait_for_function("window.__lsEnded", timeout=30000)


def test_a_video_watched_in_two_sittings_completes_the_module(page: Page, portal,
                                                              sample) -> None:
    """Half the share on one visit, skipping ahead to play it to the end, the rest from the
    start on the next: neither visit alone is enough, their seconds together are, while
    the playhead is still short of the share."""
    share = video_share(sample, VIDEO_MODULE)
    assert 0.5 < share < 1
    page.goto(f"{portal.url}modules/{VIDEO_MODULE}/")
    button = page.locator("[data-ls-complete] button")
    length = video_length(page)
    play_to_end(page, length * (1 - share / 2))
    expect(button).to_have_attribute("data-ls-marked", "false")
    seen = stored(page)["modules"][VIDEO_MODULE]["seen"]
    assert list(seen) == [video_key(sample, length)]
    [[start, end]] = next(iter(seen.values()))
    assert start == pytest.approx(length * (1 - share / 2), abs=0.3)
    assert end == pytest.approx(length, abs=0.3)
    page.reload()
    expect(button).to_have_attribute("data-ls-marked", "false")
    page.evaluate("""() => { const v = document.querySelector('video');
      v.muted = true; v.playbackRate = 2; return v.play(); }""")
    # The other half of the share from the start: complete about there, not at the share.
    expect(button).to_have_attribute("data-ls-marked", "true", timeout=30000)
    at = page.evaluate(PAUSE_VIDEO)
    assert length * share / 2 - 1 < at < length * share - 1
    assert stored(page)["modules"][VIDEO_MODULE]["done"] == browser_today(page)


def test_only_seconds_played_count_each_once(page: Page, portal, sample) -> None:
    """As the author guide says: skipping ahead past the share and playing to the end is
    not watching the share, nor is playing the same part again; playing the seconds
    missing is."""
    share = video_share(sample, VIDEO_MODULE)
    assert 0.5 < share < 1
    page.goto(f"{portal.url}modules/{VIDEO_MODULE}/")
    button = page.locator("[data-ls-complete] button")
    expect(button).to_have_attribute("data-ls-marked", "false")
    length = video_length(page)
    skip_to = length * (1 + share) / 2  # past the share: what is left is too little
    play_to_end(page, skip_to)
    expect(button).to_have_attribute("data-ls-marked", "false")
    key = video_key(sample, length)
    assert stored(page)["modules"][VIDEO_MODULE]["seen"][key] == [
        [pytest.approx(skip_to, abs=0.3), pytest.approx(length, abs=0.3)]]
    # Twice the same part: together with the end, more than the share if counted twice.
    part = length * share * 0.6
    assert (length - skip_to) + part < length * share < (length - skip_to) + 2 * part
    for _ in range(2):
        play_part(page, 0, part)
        expect(button).to_have_attribute("data-ls-marked", "false")
    assert not stored(page)["modules"][VIDEO_MODULE].get("done")
    play_to_end(page, part - 0.2)  # the seconds still missing: now it is watched
    expect(button).to_have_attribute("data-ls-marked", "true")
    rec = stored(page)["modules"][VIDEO_MODULE]
    assert rec["done"] == browser_today(page)


def test_only_the_modules_own_video_completes_it(page: Page, serve_site,
                                                 tmp_path: Path) -> None:
    """A video in the body is more to watch, not the module's: watching it completed the
    module while its own video was never played."""
    project = small_project(tmp_path, {"alpha": "1.0.0"})
    media = project / "content" / "media"
    media.mkdir()
    for name in ("connect-upgrade-in-place.webm", "connect-upgrade-in-place.en.vtt"):
        shutil.copy(REPO / "content" / "media" / name, media / name)
    clip = {"src": "../media/connect-upgrade-in-place.webm", "length": 20,
            "captions": [{"lang": "en", "label": "English",
                          "src": "../media/connect-upgrade-in-place.en.vtt"}]}
    (project / "content" / "modules" / "alpha.md").write_text(small_module(
        "alpha", "1.0.0", '@[video](../media/connect-upgrade-in-place.webm "More"){captions=en}'
        "\n", video=clip, completion={"video": 0.9}), encoding="utf-8")
    page.goto(f"{serve_site(project).url}modules/alpha/")
    button = page.locator("[data-ls-complete] button")
    videos = page.locator("video")
    expect(videos).to_have_count(2)
    for index in (1, 0):
        videos.nth(index).evaluate("v => { v.muted = true; v.playbackRate = 4; return v.play() }")
        page.wait_for_function("v => v.ended", arg=videos.nth(index).element_handle(),
                               timeout=30000)
        expect(button).to_have_attribute("data-ls-marked", "true" if index == 0 else "false")


def video_key(sample, length: float) -> str:
    """Where the parts of the module's (first) video are kept: per major version and length."""
    return f"0@{sample.modules[VIDEO_MODULE]['version'].split('.')[0]}/{round(length)}"


def play_part(page: Page, start: float, until: float) -> float:
    """Play the video from ``start`` past ``until``, pause, and say where it stopped."""
    page.evaluate(f"""() => {{ const v = document.querySelector('video');
      v.muted = true; v.playbackRate = 2; v.currentTime = {start}; return v.play(); }}""")
    page.wait_for_function(f"document.querySelector('video').currentTime > {until}")
    return page.evaluate(PAUSE_VIDEO)


def test_parts_watched_in_two_tabs_add_up_and_broken_parts_are_dropped(page: Page, portal,
                                                                       sample) -> None:
    """Each tab adds the part it played to what is kept, rather than writing its own over
    the other's; parts that cannot be (hand-edited) count for nothing and are cleaned up."""
    url = f"{portal.url}modules/{VIDEO_MODULE}/"
    page.goto(url)
    length = page.evaluate("document.querySelector('video').duration")
    key = video_key(sample, length)
    store(page, {"v": 1, "modules": {VIDEO_MODULE: {"started": "2026-01-01", "seen": {
        key: [[0, "x"], [-5, 3], [15, 5], [0, 1e9], "ab", None, [1]]}}}})
    other = page.context.new_page()
    page.reload()
    other.goto(url)
    first = play_part(page, 0, 4)
    second = play_part(other, 10, 14)
    parts = stored(page)["modules"][VIDEO_MODULE]["seen"][key]
    assert len(parts) == 2
    assert parts[0][0] < 0.5 and parts[0][1] == pytest.approx(first, abs=0.01)
    assert parts[1][0] == pytest.approx(10, abs=0.3)
    assert parts[1][1] == pytest.approx(second, abs=0.01)
    assert not stored(page)["modules"][VIDEO_MODULE].get("done")  # [0, 1e9] counted nothing
    expect(page.locator("[data-ls-complete] button")).to_have_attribute("data-ls-marked", "false")


def test_a_reset_in_another_tab_is_not_undone_by_an_open_video(page: Page, portal,
                                                                sample) -> None:
    page.goto(f"{portal.url}modules/{VIDEO_MODULE}/")
    length = page.evaluate("document.querySelector('video').duration")
    play_part(page, 0, 4)
    other = page.context.new_page()
    other.goto(f"{portal.url}progress/")
    other.once("dialog", lambda dialog: dialog.accept())
    other.locator("[data-ls-reset]").click()
    expect(other.locator("[data-ls-progress-status]")).to_have_text("Progress reset.")
    assert stored(page) is None
    expect(page.locator("[data-ls-complete-note]")).to_have_text("")  # storage works
    again = play_part(page, 8, 10)
    parts = stored(page)["modules"][VIDEO_MODULE]["seen"][video_key(sample, length)]
    assert len(parts) == 1 and parts[0][0] == pytest.approx(8, abs=0.3)
    assert parts[0][1] == pytest.approx(again, abs=0.01)


def test_a_tab_left_open_shows_what_another_tab_did_and_does_not_undo_it(page: Page, portal,
                                                                         sample) -> None:
    """A stale "Mark complete" pressed after another tab completed the module was taken as
    "Undo": the completion was lost, from the report too."""
    pid, order = course_with_plain_modules(sample)
    url = f"{portal.url}modules/{order[0]}/?path={pid}"
    page.goto(url)
    button = page.locator("[data-ls-complete] button")
    expect(button).to_have_attribute("data-ls-marked", "false")
    # Completed elsewhere, unheard of here (a tab hears of its own writes no storage event).
    data, today = stored(page), browser_today(page)
    data["modules"][order[0]].update(done=today, version=sample.modules[order[0]]["version"])
    store(page, data)
    expect(button).to_have_attribute("data-ls-marked", "false")
    button.click()
    expect(button).to_have_attribute("data-ls-marked", "true")
    assert stored(page)["modules"][order[0]]["done"] == today

    other = page.context.new_page()  # a change in another tab shows here at once
    other.goto(url)
    other.locator("[data-ls-complete] button").click()
    expect(other.locator("[data-ls-complete] button")).to_have_attribute("data-ls-marked", "false")
    expect(button).to_have_attribute("data-ls-marked", "false")
    other.close()


def test_a_module_page_kept_while_away_shows_progress_made_meanwhile(page: Page, portal,
                                                                    sample) -> None:
    """Back from another site, the browser shows the page it kept (no document$ emission, no
    storage event heard): a reset made meanwhile still read "Completed ✓ (undo)"."""
    pid, order = course_with_plain_modules(sample)
    page.goto(f"{portal.url}modules/{order[0]}/?path={pid}")
    button = page.locator("[data-ls-complete] button")
    button.click()
    expect(button).to_have_attribute("data-ls-marked", "true")
    page.evaluate("() => localStorage.removeItem('lecosite.progress')")  # reset while away
    page.evaluate("dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))")
    expect(button).to_have_attribute("data-ls-marked", "false")
    expect(button).to_have_text("Mark complete")
    assert stored(page) is None  # shown, not written: a reset stays a reset


def test_path_and_certificate_pages_show_progress_made_elsewhere(page: Page, portal,
                                                                 sample) -> None:
    """Another tab's "Mark complete", or progress made while the page sat in the browser's
    back/forward cache (Back from another site), shows without a reload."""
    pid, order = course_with_plain_modules(sample)
    page.goto(f"{portal.url}paths/{pid}/")
    box = page.locator("[data-ls-path-page] [data-ls-progress]")
    expect_bar(box, 0, len(order))
    other = page.context.new_page()
    other.goto(f"{portal.url}modules/{order[0]}/?path={pid}")
    other.locator("[data-ls-complete] button").click()
    expect_bar(box, 1, len(order))
    data = stored(page)  # as if done while this page was away: no storage event here
    data["modules"][order[1]] = {"done": browser_today(page),
                                 "version": sample.modules[order[1]]["version"]}
    store(page, data)
    page.evaluate("dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))")
    expect_bar(box, 2, len(order))
    cid = next(c for c in sample.paths if order[0] in sample.all_modules(c)
               and sample.paths[c]["kind"] == "certification")
    page.goto(f"{portal.url}certificates/{cid}/")
    why = page.locator(f'[data-ls-missing-item="{order[2]}"] [data-ls-why]')
    expect(why).to_have_text(" (not complete)")
    other.goto(f"{portal.url}modules/{order[2]}/?path={pid}")
    other.locator("[data-ls-complete] button").click()
    expect(why).not_to_have_text(" (not complete)")  # done, or a check left to pass
    other.close()


@pytest.mark.parametrize("provider", sorted(EMBEDS))
def test_embedded_players_complete_their_module_too(page: Page, portal, sample,
                                                    provider: str) -> None:
    module, host, fake = EMBEDS[provider]
    assert video_share(sample, module) <= 0.95  # both fake players play past 95%
    page.route(host, lambda route: route.fulfill(status=200, content_type="text/html",
                                                 body=fake))
    page.goto(f"{portal.url}modules/{module}/")
    button = page.locator("[data-ls-complete] button")
    expect(button).to_have_attribute("data-ls-marked", "false")
    page.click(".ls-video__facade")
    expect(button).to_have_attribute("data-ls-marked", "true", timeout=15000)
    assert stored(page)["modules"][module]["done"] == browser_today(page)


# Counts the reads of an iframe's window once it has left the page: the portal reads it to
# tell which player a message comes from.
COUNT_LEFT_FRAMES = """(() => {
  const d = Object.getOwnPropertyDescriptor(HTMLIFrameElement.prototype, "contentWindow");
  window.__leftFrameReads = 0;
  Object.defineProperty(HTMLIFrameElement.prototype, "contentWindow", { ...d,
    get() { this.isConnected || window.__leftFrameReads++; return d.get.call(this); } });
})()"""


def test_embedded_players_left_by_instant_navigation_are_let_go(page: Page, portal) -> None:
    """The iframes of players opened on earlier pages were kept for good across Material's
    instant navigation, and every message after was checked against each of them. A player
    opened on the next page still counts."""
    for _, host, fake in EMBEDS.values():
        page.route(host, functools.partial(Route.fulfill, status=200,
                                           content_type="text/html", body=fake))
    page.add_init_script(COUNT_LEFT_FRAMES)
    button = page.locator("[data-ls-complete] button")
    ready_for_instant(page, f"{portal.url}modules/{YOUTUBE_MODULE}/")
    set_marker(page)
    page.click(".ls-video__facade")
    expect(button).to_have_attribute("data-ls-marked", "true", timeout=15000)
    # Instant navigation, by a link in the page as a learner follows one.
    page.evaluate("""url => document.querySelector('.md-content article').prepend(Object.assign(
      document.createElement('a'), { href: url, id: 'ls-test-next', textContent: 'Next' }))""",
                  f"{portal.url}modules/{VIMEO_MODULE}/")
    page.click("#ls-test-next")
    page.wait_for_url(re.compile(rf"/modules/{VIMEO_MODULE}/$"))
    assert marker(page) == "kept", "a link did a full page load instead of instant navigation"
    expect(button).to_have_attribute("data-ls-marked", "false")
    page.click(".ls-video__facade")
    expect(button).to_have_attribute("data-ls-marked", "true", timeout=15000)
    assert page.evaluate("window.__leftFrameReads") == 0


# -- versions -----------------------------------------------------------------------------


def small_module(module_id: str, version: str, body: str = "", **fields: object) -> str:
    meta = {"id": module_id, "title": f"Module {module_id}", "summary": "A short module.",
            "owners": ["@team"], "version": version, "status": "published",
            "goal": "Learners do one thing.", "objectives": ["Do one thing."], "duration": 10,
            "audience": ["administrator"], "level": "beginner", **fields}
    body = body or f"Body of {module_id}.\n"
    return f"---\n{yaml.safe_dump(meta, sort_keys=False)}---\n\n{body}"


def small_project(root: Path, versions: dict[str, str]) -> Path:
    if not (root / "mkdocs.yml").exists():
        shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
        shutil.copy(REPO / "lecosite.yml", root / "lecosite.yml")
        shutil.copytree(REPO / "overrides", root / "overrides")
        (root / "content" / "modules").mkdir(parents=True)
        (root / "content" / "paths").mkdir(parents=True)
    for mid, version in versions.items():
        (root / "content" / "modules" / f"{mid}.md").write_text(
            small_module(mid, version), encoding="utf-8")
    path = {"id": "demo", "title": "Demo course", "kind": "course", "status": "published",
            "summary": "Two modules.", "goal": "Learners do two things.", "owners": ["@team"],
            "version": "1.0.0", "audience": ["administrator"], "level": "beginner",
            "modules": list(versions)}
    (root / "content" / "paths" / "demo.yml").write_text(yaml.safe_dump(path), encoding="utf-8")
    return root


def test_major_update_asks_for_review_minor_does_not(page: Page, same_origin,
                                                     tmp_path: Path) -> None:
    # No HTTP cache (routing turns it off): a rebuild within the second of the last fetch
    # would be answered '304 Not Modified' (one-second Last-Modified) and show the old build.
    page.route("**/*", lambda route: route.continue_())
    project = small_project(tmp_path, {"alpha": "1.0.0", "beta": "1.0.0"})
    server = same_origin(project)
    page.goto(f"{server.url}modules/alpha/")
    page.locator("[data-ls-complete] button").click()
    assert stored(page)["modules"]["alpha"]["version"] == "1.0.0"

    def check(version: str, done: bool) -> None:
        page.goto(f"{server.url}modules/alpha/")
        expect(page.locator("[data-ls-module]")).to_have_attribute("data-ls-version", version)
        review = page.locator("[data-ls-review]")
        if done:
            expect(review).to_be_hidden()
        else:
            expect(review).to_be_visible()
            expect(review).to_contain_text("review it again")
        expect(page.locator("[data-ls-complete] button")).to_have_attribute(
            "data-ls-marked", "true" if done else "false")
        page.goto(f"{server.url}paths/demo/")
        expect_bar(page.locator("[data-ls-path-page] [data-ls-progress]"), int(done), 2)
        want = "done" if done else "review"
        assert state_of(page, "alpha") == (want, LABELS[want]), version

    check("1.0.0", done=True)
    same_origin(small_project(tmp_path, {"alpha": "1.1.0", "beta": "1.0.0"}))
    check("1.1.0", done=True)
    same_origin(small_project(tmp_path, {"alpha": "2.0.0", "beta": "1.0.0"}))
    check("2.0.0", done=False)
    # Reviewing and completing it again records the new version.
    page.goto(f"{server.url}modules/alpha/")
    page.locator("[data-ls-complete] button").click()
    expect(page.locator("[data-ls-review]")).to_be_hidden()
    assert stored(page)["modules"]["alpha"]["version"] == "2.0.0"


# -- export, reset, import ------------------------------------------------------------------


def test_export_reset_import_restores_progress(page: Page, portal, sample,
                                               tmp_path: Path) -> None:
    pid, order = course_with_plain_modules(sample)
    page.goto(f"{portal.url}modules/{order[0]}/")
    page.locator("[data-ls-complete] button").click()
    page.goto(f"{portal.url}modules/{order[1]}/")  # started only
    page.evaluate("() => { const d = JSON.parse(localStorage['lecosite.progress']); "
                  f"d.modules['{order[1]}'].seen = {{'0@1/20': [[0, 5.5], [8, 20.4]]}}; "
                  "localStorage['lecosite.progress'] = JSON.stringify(d); }")
    before = stored(page)
    assert set(before["modules"]) == {order[0], order[1]}

    page.goto(f"{portal.url}progress/")
    item = page.locator(f'[data-ls-card][data-ls-path-id="{pid}"]')
    expect_bar(item.locator("[data-ls-progress]"), 1, len(sample.all_modules(pid)))
    for path_id in sample.paths:  # the same counts as the catalog cards
        expect(page.locator(f'[data-ls-card][data-ls-path-id="{path_id}"] [data-ls-progress]')
               ).to_contain_text(f" of {len(sample.all_modules(path_id))} modules done")

    with page.expect_download() as download:
        page.locator("[data-ls-export]").click()
    exported = tmp_path / download.value.suggested_filename
    download.value.save_as(exported)
    assert re.fullmatch(r"lecosite-progress-\d{4}-\d\d-\d\d\.json", exported.name)
    assert json.loads(exported.read_text(encoding="utf-8")) == before
    status = page.locator("[data-ls-progress-status]")
    expect(status).to_have_text("Progress exported.")

    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.locator("[data-ls-reset]").click()
    assert stored(page) == before, "reset although the learner said no"
    assert "certificates earned" in asked[0] and "Export to a file first" in asked[0]
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("[data-ls-reset]").click()
    expect(status).to_have_text("Progress reset.")
    assert stored(page) is None
    expect_bar(item.locator("[data-ls-progress]"), 0, len(sample.all_modules(pid)))

    importer = page.locator("[data-ls-import]")
    for bad in (b'{"v": 1, "modules": null}', b'{"modules": {"alpha": "x"}}',
                b'{"modules": {"alpha": {"version": 5, "done": "x"}}}',
                b'{"modules": {"alpha": {"done": "2026-01-01", "score": "all"}}}',
                b'{"modules": {}, "certs": {"c": {"earned": "soon", "version": "1.0.0"}}}',
                b'{"modules": {"alpha": {"seen": {"0@1/20": [[0, "ten"]]}}}}',
                b'{"modules": {"alpha": {"seen": {"0@1/20": "0-10"}}}}',
                b'{"modules": {"alpha": {"seen": {"0@1/20": [[-5, 3]]}}}}',
                b'{"modules": {"alpha": {"seen": {"0@1/20": [[15, 5]]}}}}',
                b'{"modules": {"alpha": {"seen": {"0@1/20": [[0, 1e9]]}}}}',
                b'{"modules": {"alpha": {"seen": {"0@1": [[0, 5]]}}}}'):
        with page.expect_file_chooser() as chooser:
            importer.click()
        chooser.value.set_files({"name": "other.json", "mimeType": "application/json",
                                 "buffer": bad})
        expect(status).to_have_text("That file is not a lecosite progress export.")
        assert stored(page) is None
        status.evaluate("s => { s.textContent = '' }")
    with page.expect_file_chooser() as chooser:
        importer.click()
    chooser.value.set_files(exported)
    expect(status).to_have_text("Progress imported.")
    assert stored(page) == before
    # Over progress already here, an import asks first; "no" keeps what is here.
    page.evaluate("() => { const d = JSON.parse(localStorage['lecosite.progress']); "
                  "d.modules.marker = {started: '2026-01-01'}; "
                  "localStorage['lecosite.progress'] = JSON.stringify(d); }")
    page.once("dialog", lambda dialog: dialog.dismiss())
    with page.expect_file_chooser() as chooser:
        importer.click()
    chooser.value.set_files(exported)
    # The import ends by emptying the file input (so the same file can be imported again).
    page.wait_for_function("i => i.value === ''", arg=importer.element_handle())
    assert "marker" in stored(page)["modules"]
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_file_chooser() as chooser:
        importer.click()
    chooser.value.set_files(exported)
    page.wait_for_function("!JSON.parse(localStorage['lecosite.progress']).modules.marker")
    assert stored(page) == before
    expect_bar(item.locator("[data-ls-progress]"), 1, len(sample.all_modules(pid)))
    page.goto(f"{portal.url}paths/{pid}/")
    assert state_of(page, order[0]) == ("done", LABELS["done"])
    assert state_of(page, order[1]) == ("started", LABELS["started"])


def test_an_import_the_browser_cannot_save_says_so(page: Page, portal, sample) -> None:
    """With the storage full, "Progress imported." over progress that did not change was a
    lie the learner found out about later."""
    pid, order = course_with_plain_modules(sample)
    page.goto(f"{portal.url}progress/")
    mine = {"v": 1, "modules": {order[0]: {"started": "2026-01-02", "version": "1.0.0"}}}
    store(page, mine)
    page.reload()
    page.evaluate(FILL_STORAGE)
    theirs = {"v": 1, "name": "Ada Lovelace", "modules": {
        mid: record(sample, mid, "2026-01-05") for mid in order}}
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_file_chooser() as chooser:
        page.locator("[data-ls-import]").click()
    chooser.value.set_files({"name": "progress.json", "mimeType": "application/json",
                             "buffer": json.dumps(theirs).encode()})
    expect(page.locator("[data-ls-progress-status]")).to_have_text(re.compile(
        r"^Not imported: this browser did not let the portal save it\."))
    assert stored(page) == mine
    expect(page.locator(f'[data-ls-card][data-ls-path-id="{pid}"] [data-ls-progress]')
           ).to_contain_text(f"0 of {len(sample.all_modules(pid))} modules done")


# -- instant navigation -------------------------------------------------------------------


def test_progress_survives_instant_navigation_and_reload(page: Page, portal, sample) -> None:
    pid, order = course_with_plain_modules(sample)
    ready_for_instant(page, f"{portal.url}paths/{pid}/")
    set_marker(page)
    page.locator(f'[data-ls-module-item="{order[0]}"] a').click()
    page.wait_for_url(re.compile(rf"/modules/{order[0]}/"))
    page.locator("[data-ls-complete] button").click()
    expect(page.locator("[data-ls-complete] button")).to_have_attribute("data-ls-marked", "true")
    page.locator(f'[data-ls-pathnav="{pid}"] a[rel=next]').click()
    page.wait_for_url(re.compile(rf"/modules/{order[1]}/"))
    expect(page.locator(f'[data-ls-module="{order[1]}"]')).to_have_count(1)
    expect(page.locator("[data-ls-complete] button")).to_have_attribute("data-ls-marked", "false")
    page.locator(f'[data-ls-pathnav="{pid}"] .ls-pathnav__where a').click()
    page.wait_for_url(re.compile(rf"/paths/{pid}/$"))
    expect(page.locator(f'[data-ls-path-page="{pid}"]')).to_have_count(1)
    assert marker(page) == "kept", "a link did a full page load instead of instant navigation"
    expect_bar(page.locator("[data-ls-path-page] [data-ls-progress]"), 1, len(order))
    assert state_of(page, order[0]) == ("done", LABELS["done"])
    assert state_of(page, order[1]) == ("started", LABELS["started"])

    certificates = [p for p in sample.paths if sample.paths[p]["kind"] == "certification"]
    page.locator(".md-nav a", has_text=re.compile(r"^\s*Your progress\s*$")).first.click()
    page.wait_for_url(re.compile(r"/progress/$"))
    expect_bar(page.locator(f'[data-ls-card][data-ls-path-id="{pid}"] [data-ls-progress]'),
               1, len(sample.all_modules(pid)))
    if certificates:  # the certificate page's own script runs after instant navigation, too
        cid = certificates[0]
        page.locator(f'[data-ls-path-id="{cid}"] a[href*="certificates/"]').click()
        page.wait_for_url(re.compile(rf"/certificates/{cid}/$"))
        # Done by the button is not enough where the module has checks: still listed.
        counts = not checks_of(sample, order[0]) and order[0] in sample.all_modules(cid)
        expect(page.locator("[data-ls-missing] > li:not([hidden])")).to_have_count(
            len(sample.all_modules(cid)) - counts)
    assert marker(page) == "kept"

    page.reload()
    assert marker(page) is None
    page.goto(f"{portal.url}paths/{pid}/")
    assert state_of(page, order[0]) == ("done", LABELS["done"])
    assert state_of(page, order[1]) == ("started", LABELS["started"])


@pytest.fixture
def keeping_page(browser_type, browser_type_launch_args: dict) -> Iterator[Page]:
    """A page in a browser with the back/forward cache on (Playwright turns it off): Back
    restores the page left, scripts and all, as a learner's browser does."""
    browser = browser_type.launch(**browser_type_launch_args,
                                  ignore_default_args=["--disable-back-forward-cache"])
    page, errors = browser.new_page(), []
    page.add_init_script("addEventListener('pageshow', e => window.__kept = e.persisted)")
    page.on("pageerror", lambda exc: errors.append(f"{exc.name}: {exc.message}"))
    yield page
    browser.close()
    assert not errors, f"uncaught errors in the page: {errors}"


def back_to_kept(page: Page, url: str) -> None:
    """Back, to a page the browser restores from its back/forward cache (no load event)."""
    page.go_back(wait_until="commit")
    try:
        page.wait_for_function("window.__kept === true", timeout=10000)
    except PlaywrightTimeoutError:
        why = page.evaluate("JSON.stringify(performance.getEntriesByType('navigation')[0]"
                            ".notRestoredReasons)")
        pytest.fail(f"the browser did not restore {url} from its back/forward cache: {why}")
    assert page.url == url


def leave_idle(page: Page, url: str) -> None:
    """To ``url`` once this page sends nothing more: a request in flight as it is left
    keeps it out of the back/forward cache."""
    page.wait_for_load_state("networkidle")
    page.goto(url)


def test_back_to_a_kept_module_page_continues_its_path(keeping_page: Page, tracked,
                                                      sample) -> None:
    """Module X reached through path A's page, then path B's page and X again (B's links),
    then Back twice: the browser restores X as it was, with A's links, crediting A, but the
    tab still remembered B, so the next module opened without ?path= (the sidebar, a link in
    the text) showed B's links and credited B."""
    page = keeping_page
    x, a, b = next((m, *ps[:2]) for m in sample.modules if required_pass(sample, m) is None
                   and len(ps := [p for p in sample.paths if m in sample.order(p)]) > 1)
    y = next(m for m in sample.order(a) if m in sample.order(b) and m != x)
    got = sent(page)
    module = f"{tracked.url}modules/{x}/"
    page.goto(f"{tracked.url}paths/{a}/")
    page.goto(module)
    expect(page.locator(f'[data-ls-pathnav="{a}"]')).to_be_visible()
    leave_idle(page, f"{tracked.url}paths/{b}/")
    leave_idle(page, module)
    expect(page.locator(f'[data-ls-pathnav="{b}"]')).to_be_visible()
    back_to_kept(page, f"{tracked.url}paths/{b}/")
    back_to_kept(page, module)
    expect(page.locator(f'[data-ls-pathnav="{a}"]')).to_be_visible()
    expect(page.locator(f'[data-ls-pathnav="{b}"]')).to_be_hidden()
    assert credited(sent_when(page, got, "experienced", module)) == a  # the view restored
    page.locator("[data-ls-complete] button").click()
    assert credited(sent_when(page, got, "completed", module)) == a
    page.goto(f"{tracked.url}modules/{y}/")
    expect(page.locator(f'[data-ls-pathnav="{a}"]')).to_be_visible()
    assert credited(sent_when(page, got, "experienced", f"{tracked.url}modules/{y}/")) == a


# -- certificates -------------------------------------------------------------------------


def certification(sample) -> tuple[str, dict, list[str]]:
    for pid, path in sample.paths.items():
        if path["kind"] == "certification":
            return pid, path, sample.all_modules(pid)
    pytest.fail("the test needs a certification (kind: certification) in content/paths/")


def complete_all(page: Page, sample, ids: list[str], done: str, **changes: dict) -> None:
    """Everything done (checks at 100%) in localStorage, keeping what the UI recorded."""
    data = stored(page) or {"v": 1, "modules": {}}
    for mid in ids:
        if not (data["modules"].get(mid) or {}).get("done"):
            data["modules"][mid] = record(sample, mid, done)
        data["modules"][mid].update(changes.get(mid, {}))
    store(page, data)


def test_an_earned_certificate_stays_when_a_module_gets_a_major_update(page: Page, portal,
                                                                      sample) -> None:
    """The module asks for a review on its own page; the holder keeps the certificate until
    it expires. Never earned, the same review still keeps it locked."""
    cid, _, ids = certification(sample)
    url = f"{portal.url}certificates/{cid}/"
    page.goto(url)
    today = browser_today(page)
    complete_all(page, sample, ids, today)
    page.reload()
    expect(page.locator("[data-ls-cert-ready]")).to_be_visible()
    updated = next(m for m in ids if int(str(sample.modules[m]["version"]).split(".")[0]) >= 1)
    data = stored(page)
    data["modules"][updated]["version"] = "0.9.0"  # done before the module's major update
    store(page, data)
    page.reload()
    expect(page.locator("[data-ls-cert-ready]")).to_be_visible()
    expect(page.locator(".ls-certificate [data-ls-cert-field=earned]")).to_have_text(today)
    del data["certs"]
    store(page, data)
    page.reload()
    expect(page.locator("[data-ls-cert-locked]")).to_be_visible()
    expect(page.locator("[data-ls-missing] > li:not([hidden])")).to_have_text(
        re.compile(r"updated: review again"))


def test_a_certification_with_a_pass_mark_of_zero_needs_its_modules_not_their_checks(
        page: Page, serve_site, tmp_path: Path) -> None:
    """A pass mark of 0: the certificate asks for every module completed, as its page, the
    path page and the catalog say; a module whose check was not taken is complete. The
    certificate page alone still wanted a score, any score, and stayed locked."""
    project = small_project(tmp_path, {"alpha": "1.0.0"})
    (project / "content" / "modules" / "alpha.md").write_text(
        small_module("alpha", "1.0.0", QUESTION), encoding="utf-8")
    demo = project / "content" / "paths" / "demo.yml"
    path = yaml.safe_load(demo.read_text(encoding="utf-8"))
    demo.write_text(yaml.safe_dump({**path, "kind": "certification", "pass_mark": 0,
                                   "valid_for": 12}),
                    encoding="utf-8")
    server = serve_site(project)
    page.goto(f"{server.url}modules/alpha/")
    page.locator("[data-ls-complete] button").click()  # the check is not taken
    assert "score" not in stored(page)["modules"]["alpha"]
    page.goto(f"{server.url}paths/demo/")
    expect(page.locator("[data-ls-path-page] [data-ls-progress]")).to_have_text(
        "1 of 1 modules done")
    page.goto(f"{server.url}certificates/demo/")
    expect(page.locator("[data-ls-cert-ready]")).to_be_visible()
    expect(page.locator("[data-ls-cert-locked]")).to_be_hidden()


def test_certificate_page_lists_what_to_do_without_javascript(browser, portal, sample) -> None:
    """Without JavaScript the page cannot read progress, but it still says what the
    certificate asks for: every module, linked, under "Still to do"."""
    cid, _, ids = certification(sample)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{portal.url}certificates/{cid}/")
    items = page.locator("[data-ls-cert-locked] li:visible")
    expect(items).to_have_count(len(ids))
    for item, mid in zip(items.all(), ids, strict=True):
        expect(item).to_have_text(sample.modules[mid]["title"])
        assert f"modules/{mid}/?path={cid}" in item.locator("a").get_attribute("href")
    context.close()


def test_controls_that_need_javascript_show_only_with_it(browser, portal, sample) -> None:
    """Without JavaScript a button that would do nothing is not offered (filters, "Check
    answer", "Mark complete", export and reset, the usage-data block); an embedded video
    links to its own site instead of a player that cannot load."""
    checked = next(m for m in sample.modules if "```check" in sample.bodies[m])
    embedded = next(m for m in sample.modules
                    if "youtube.com" in str((sample.modules[m].get("video") or {}).get("src")))
    typed = next(m for m in sample.modules if "\n= " in sample.bodies[m])  # short answers
    for javascript in (False, True):
        context = browser.new_context(java_script_enabled=javascript)
        page = context.new_page()

        def offered(selector: str, page: Page = page, javascript: bool = javascript) -> None:
            found = expect(page.locator(selector).first)
            found.to_be_visible() if javascript else found.to_be_hidden()

        page.goto(portal.url)
        offered("[data-ls-filters]")
        page.goto(f"{portal.url}modules/{checked}/")
        expect(page.locator("form[data-ls-check] legend").first).to_be_visible()
        offered("form[data-ls-check] button[type=submit]")
        offered("[data-ls-complete] button")
        # Not a form that looks usable and does nothing: the page says why.
        said = page.locator("form[data-ls-check] p", has_text="Checking your answer needs "
                            "JavaScript, which is off in this browser.").first
        footer = page.locator("footer p", has_text="turn it on to mark this module complete")
        for note in (said, footer):
            expect(note).to_be_hidden() if javascript else expect(note).to_be_visible()
        page.goto(f"{portal.url}modules/{embedded}/")
        offered("[data-ls-embed]")
        link = page.locator(".ls-video__missing a")
        if javascript:
            expect(link).to_have_count(0)
        else:
            expect(link).to_have_attribute("href", sample.modules[embedded]["video"]["src"])
        # Enter in a short-answer field submits a form even without a button: without
        # JavaScript it must not reload the page with the answer in the address.
        page.goto(f"{portal.url}modules/{typed}/")
        page.locator("form[data-ls-check] input[type=text]").first.fill("443")
        # press() waits for a navigation it started (a form submitted) to commit.
        page.locator("form[data-ls-check] input[type=text]").first.press("Enter")
        assert page.url == f"{portal.url}modules/{typed}/"
        page.goto(f"{portal.url}progress/")
        offered("h2:has-text('Move or reset')")
        offered("h2:has-text('Usage data')")
        context.close()


def test_controls_show_before_materials_bundle_has_run(page: Page, portal, sample) -> None:
    """Hiding them until Material's bundle swaps 'no-js' for 'js' made them flash in on a
    first load, and the video frame jump from nothing to 16:9."""
    embedded = next(m for m in sample.modules
                    if "youtube.com" in str((sample.modules[m].get("video") or {}).get("src")))
    page.route("**/assets/javascripts/bundle.*.min.js", lambda route: route.abort())
    page.goto(f"{portal.url}modules/{embedded}/")
    assert "no-js" in page.evaluate("() => document.documentElement.className")
    facade = page.locator("[data-ls-embed]")
    expect(facade).to_be_visible()
    box = facade.bounding_box()
    assert box and box["height"] >= box["width"] * 9 / 16 - 1
    expect(page.locator("[data-ls-complete] button")).to_be_visible()


def test_certificate_unlocks_with_name_dates_and_code(page: Page, portal, sample) -> None:
    cid, path, ids = certification(sample)
    pass_mark, valid_for = path.get("pass_mark") or 0, path.get("valid_for") or 12
    url = f"{portal.url}certificates/{cid}/"
    page.goto(url)
    expect(page.locator("[data-ls-cert-ready]")).to_be_hidden()
    expect(page.locator("[data-ls-missing] > li:not([hidden])")).to_have_count(len(ids))

    # Through the UI: one module by its required checks, one by the button (checks not taken).
    gated = next(m for m in ids if required_pass(sample, m) and checks_of(sample, m))
    page.goto(f"{portal.url}modules/{gated}/?path={cid}")
    pass_all_checks(page, checks_of(sample, gated))
    expect(page.locator("[data-ls-complete] button")).to_have_attribute("data-ls-marked", "true")
    plain = next(m for m in ids if required_pass(sample, m) is None)
    page.goto(f"{portal.url}modules/{plain}/?path={cid}")
    page.locator("[data-ls-complete] button").click()
    today = browser_today(page)

    # The rest in storage, earlier; one check below the pass mark keeps it locked.
    earlier = (date.fromisoformat(today) - timedelta(days=40)).isoformat()
    low = next(m for m in ids if m not in (gated, plain) and checks_of(sample, m))
    below = round(pass_mark - 0.05, 2)
    complete_all(page, sample, ids, earlier, **{low: {"score": below, "passed": False}})
    page.goto(url)
    missing = page.locator("[data-ls-missing] > li:not([hidden])")
    lacking = [m for m in (plain, low) if checks_of(sample, m)]
    expect(missing).to_have_count(len(lacking))
    for item, mid in zip(missing.all(), [m for m in ids if m in lacking], strict=True):
        expect(item).to_contain_text(sample.modules[mid]["title"])
        expect(item).to_contain_text("knowledge check not taken yet" if mid == plain else
                                     f"knowledge check below {percent(pass_mark)}%")
        assert f"modules/{mid}/" in item.locator("a").get_attribute("href")

    if checks_of(sample, plain):
        page.goto(f"{portal.url}modules/{plain}/?path={cid}")
        pass_all_checks(page, checks_of(sample, plain))
    complete_all(page, sample, ids, earlier, **{low: {"score": 1, "passed": True}})
    page.goto(url)
    expect(page.locator("[data-ls-cert-ready]")).to_be_visible()
    expect(page.locator("[data-ls-cert-locked]")).to_be_hidden()
    certificate = page.locator(".ls-certificate")
    # No name yet: a muted placeholder, and Print asks for the name instead of printing.
    shown_name = certificate.locator("[data-ls-cert-field=name]")
    expect(shown_name).to_have_text("Your name")
    expect(shown_name).to_have_class(re.compile(r"ls-certificate__name--empty"))
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    name_input, need = page.locator("[data-ls-cert-name]"), page.locator("[data-ls-cert-need-name]")
    page.locator("[data-ls-print]").click()
    expect(need).to_be_visible()
    expect(name_input).to_be_focused()
    expect(name_input).to_have_attribute("aria-invalid", "true")
    assert page.evaluate("window.printed") == 0
    name = "Ada Lovelace"
    name_input.fill(name)
    expect(need).to_be_hidden()
    expect(name_input).not_to_have_attribute("aria-invalid", "true")
    expect(shown_name).not_to_have_class(re.compile(r"ls-certificate__name--empty"))
    page.locator("[data-ls-print]").click()
    assert page.evaluate("window.printed") == 1
    expires = add_months(today, valid_for)
    code = verification_code("|".join([name, cid, str(path["version"]), today, expires]))
    for reload in (False, True):
        if reload:
            page.reload()
            expect(page.locator("[data-ls-cert-name]")).to_have_value(name)
        expect(certificate.locator("[data-ls-cert-field=name]")).to_have_text(name)
        expect(certificate.locator("[data-ls-cert-field=earned]")).to_have_text(today)
        expect(certificate.locator("[data-ls-cert-field=status]")).to_have_text(
            f"Valid until {expires}")
        shown = certificate.locator("[data-ls-cert-field=code]").inner_text()
        assert re.fullmatch(r"[0-9A-F]{4}-[0-9A-F]{4}", shown), shown
        assert shown == code
        expect(certificate).to_contain_text(path["title"])
        expect(page.locator("[data-ls-cert-expired]")).to_be_hidden()
    assert stored(page)["name"] == name

    # Earned longer ago than it is valid for: expired, with what to retake. The earned day
    # has no twin `valid_for` months later, so the expiry is that month's last day.
    version = str(path["version"])
    assert stored(page)["certs"] == {cid: {"earned": today, "version": version}}
    old = month_end_to_clamp(add_months(today, -valid_for), valid_for)
    data = stored(page)
    for rec in data["modules"].values():
        rec["done"] = rec["started"] = old
    data["certs"][cid]["earned"] = old
    store(page, data)
    page.reload()
    root = page.locator("[data-ls-certificate]")
    expect(root).to_have_attribute("data-ls-cert-state", "expired")
    expect(certificate.locator("[data-ls-cert-field=earned]")).to_have_text(old)
    expect(certificate.locator("[data-ls-cert-field=status]")).to_have_text(
        f"Expired on {add_months(old, valid_for)}")
    banner = page.locator("[data-ls-cert-expired]")
    expect(banner).to_be_visible()
    retake = [sample.modules[m]["title"] for m in ids if checks_of(sample, m)]
    expect(banner.locator("li")).to_have_text(retake)

    # Retaking one module's check is not a renewal; retaking every one the banner lists is.
    with_checks = [m for m in ids if checks_of(sample, m)]
    page.goto(f"{portal.url}modules/{with_checks[0]}/?path={cid}")
    pass_all_checks(page, checks_of(sample, with_checks[0]))
    page.goto(url)
    expect(root).to_have_attribute("data-ls-cert-state", "expired")
    expect(certificate.locator("[data-ls-cert-field=earned]")).to_have_text(old)
    expect(banner.locator("li")).to_have_text(  # the list says what is left
        [f"{retake[0]} (done again)", *retake[1:]])
    data = stored(page)
    for mid in with_checks:
        data["modules"][mid]["done"] = today
    store(page, data)
    page.reload()
    expect(root).to_have_attribute("data-ls-cert-state", "valid")
    expect(certificate.locator("[data-ls-cert-field=earned]")).to_have_text(today)
    assert stored(page)["certs"][cid]["earned"] == today

    # Reviewing a module of a valid certificate changes neither its date nor its code.
    earlier = (date.fromisoformat(today) - timedelta(days=30)).isoformat()
    data = stored(page)
    data["certs"][cid]["earned"] = earlier
    store(page, data)
    page.reload()
    shown = certificate.locator("[data-ls-cert-field=code]").inner_text()
    assert shown == verification_code("|".join(
        [name, cid, version, earlier, add_months(earlier, valid_for)]))
    page.goto(f"{portal.url}modules/{with_checks[1]}/?path={cid}")
    pass_all_checks(page, checks_of(sample, with_checks[1]))
    assert stored(page)["modules"][with_checks[1]]["done"] == today
    page.goto(url)
    expect(certificate.locator("[data-ls-cert-field=earned]")).to_have_text(earlier)
    expect(certificate.locator("[data-ls-cert-field=code]")).to_have_text(shown)


def test_a_name_a_full_storage_cannot_keep_is_still_the_one_on_the_certificate(
        page: Page, portal, sample) -> None:
    """Earned before the storage filled up: the certificate shows and prints the name being
    typed, not the one saved last (a mix of the two, or nothing)."""
    cid, _, ids = certification(sample)
    page.goto(f"{portal.url}certificates/{cid}/")
    complete_all(page, sample, ids, browser_today(page))
    data = stored(page)
    store(page, {**data, "name": "Old Name"})
    page.reload()
    expect(page.locator("[data-ls-cert-ready]")).to_be_visible()
    page.evaluate(FILL_STORAGE)
    name_input = page.locator("[data-ls-cert-name]")
    name_input.fill("")
    name = "Augusta Ada King, Countess of Lovelace"  # longer than the room left
    name_input.press_sequentially(name)
    shown = page.locator(".ls-certificate [data-ls-cert-field=name]")
    expect(shown).to_have_text(name)
    assert stored(page)["name"] != name
    code = page.locator(".ls-certificate [data-ls-cert-field=code]").inner_text()
    page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('junk'))"
                  ".forEach(k => localStorage.removeItem(k))")
    name_input.press_sequentially("!")
    expect(shown).to_have_text(name + "!")  # saved again once there is room
    assert stored(page)["name"] == name + "!"
    assert page.locator(".ls-certificate [data-ls-cert-field=code]").inner_text() != code


@pytest.mark.parametrize("expired", [False, True], ids=["valid", "expired"])
def test_certificate_prints_on_one_page(page: Page, portal, sample, expired: bool) -> None:
    cid, path, ids = certification(sample)
    page.goto(f"{portal.url}certificates/{cid}/")
    today = browser_today(page)
    earned = add_months(today, -((path.get("valid_for") or 12) + 1)) if expired else today
    complete_all(page, sample, ids, earned)
    data = stored(page)
    data["name"] = "Maximiliana Wilhelmina Alexandrine von Hohenzollern-Sigmaringen-Bergstrasse"
    assert len(data["name"]) <= 80  # the name field's maxlength
    store(page, data)
    page.reload()
    expect(page.locator("[data-ls-cert-ready]")).to_be_visible()
    expect(page.locator("[data-ls-certificate]")).to_have_attribute(
        "data-ls-cert-state", "expired" if expired else "valid")
    page.emulate_media(media="print")
    for paper, (width, height) in PAPERS.items():
        usable_w, usable_h = (width - 2 * PRINT_MARGIN) * DPI, (height - 2 * PRINT_MARGIN) * DPI
        page.set_viewport_size({"width": int(usable_w), "height": int(usable_h)})
        box = page.locator(".ls-certificate").bounding_box()
        assert box and box["height"] <= usable_h, f"{paper}: certificate is {box} tall"
        assert box["width"] <= usable_w + 1, f"{paper}: certificate is {box} wide"
        printed = page.evaluate("() => document.documentElement.scrollHeight")
        assert printed <= usable_h, f"{paper}: printed content is {printed}px tall"
        expect(page.locator(".ls-cert-controls")).to_be_hidden()
        expect(page.locator(".md-header")).to_be_hidden()
        pdf = page.pdf(format=paper)
        pages = len(re.findall(rb"/Type\s*/Page(?!s)\b", pdf))
        assert pages == 1, f"{paper}: the certificate prints on {pages} pages"


def test_a_module_prints_with_its_title_and_without_buttons(page: Page, portal, sample) -> None:
    """Only the certificate hides the page title in print (it is its own title)."""
    mid, _ = gated_module(sample, {"single"})
    page.goto(f"{portal.url}modules/{mid}/")
    page.emulate_media(media="print")
    title = page.locator(".md-content h1").first
    expect(title).to_be_visible()
    expect(title).to_have_text(sample.modules[mid]["title"])
    for widget in ("[data-ls-complete]", ".ls-check__submit"):
        expect(page.locator(widget).first).to_be_hidden()
    expect(page.locator("form[data-ls-check]").first).to_be_visible()  # the question stays


PRINTED_MODULE = {
    "changelog": [{"1.1.0": "Named the proxy exception."}, {"1.0.0": "First release."}],
    "video": {"src": "https://www.youtube.com/watch?v=Hq8vR2mLp4K", "title": "The ports",
              "length": 272, "captions": [{"lang": "en", "label": "English"}],
              "transcript": "Test port 443 from the agent host before you install."},
}
PRINTED_BODY = """\
??? note "Why not port 80"
    The agent never speaks plain HTTP.

```check
? Which port must the agent host reach outbound?
- [ ] 80 -- No: the agent never uses plain HTTP.
- [x] 443 -- Yes: everything goes over HTTPS.
> The agent only opens outbound connections.
```
"""


def test_collapsed_parts_of_a_module_print_open_and_answers_stay_hidden(
        page: Page, serve_site, tmp_path: Path) -> None:
    """Paper cannot be clicked open. Print emulation sends no beforeprint, as a browser
    without JavaScript runs none: Material's handler cannot open them, the print style must."""
    project = small_project(tmp_path, {"alpha": "1.1.0"})
    (project / "content" / "modules" / "alpha.md").write_text(
        small_module("alpha", "1.1.0", PRINTED_BODY, **PRINTED_MODULE), encoding="utf-8")
    page.goto(f"{serve_site(project).url}modules/alpha/")
    collapsed = {"What changed": "Named the proxy exception.",
                 "Transcript": "Test port 443 from the agent host",
                 "Why not port 80": "The agent never speaks plain HTTP."}
    for summary, text in collapsed.items():
        expect(page.locator("details", has_text=summary).get_by_text(text)).to_be_hidden()
    page.emulate_media(media="print")
    for summary, text in collapsed.items():
        expect(page.locator("details", has_text=summary).get_by_text(text)).to_be_visible()
    for unanswered in ("Yes: everything goes over HTTPS.", "outbound connections"):
        expect(page.get_by_text(unanswered)).to_have_count(0)
    page.emulate_media(media="screen")  # back on screen, each as the learner left it
    for summary, text in collapsed.items():
        expect(page.locator("details", has_text=summary).get_by_text(text)).to_be_hidden()


# -- accessibility ------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_on_checks_and_certificate(page: Page, portal, sample, axe, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)
    mid, found = gated_module(sample)
    page.goto(f"{portal.url}modules/{mid}/")
    assert axe(page) == [], f"{mid} before answering ({scheme})"
    for index, question in enumerate(found):  # wrong, then right: every kind of feedback
        answer(page, index, question, right=index % 2 == 1)
    expect(page.locator("[data-ls-check-score]")).to_be_visible()
    violations = axe(page)
    assert violations == [], f"{mid} after answering ({scheme}):\n" + json.dumps(
        violations, indent=2)

    cid, _, ids = certification(sample)
    complete_all(page, sample, ids, browser_today(page))
    page.goto(f"{portal.url}certificates/{cid}/")
    page.locator("[data-ls-cert-name]").fill("Ada Lovelace")
    expect(page.locator("[data-ls-cert-ready]")).to_be_visible()
    violations = axe(page)
    assert violations == [], f"certificate ({scheme}):\n" + json.dumps(violations, indent=2)
    data = stored(page)  # expired: dimmed frame and the retake list, same contrast
    long_ago = add_months(browser_today(page), -120)
    data["certs"][cid]["earned"] = long_ago
    for rec in data["modules"].values():
        rec["done"] = long_ago
    store(page, data)
    page.reload()
    expect(page.locator("[data-ls-cert-expired]")).to_be_visible()
    violations = axe(page)
    assert violations == [], f"expired certificate ({scheme}):\n" + json.dumps(violations,
                                                                                 indent=2)
