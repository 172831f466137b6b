"""The learner portal in real Chromium: catalog, filters, path and module pages, path context,
video facades, captions and search, checked against the sample content's own YAML."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

MARKER = "window.__lecositeMarker"
# Every host a YouTube or Vimeo player talks to: none may be contacted before a click.
THIRD_PARTY = re.compile(
    r"^https?://([^/]*\.)?(youtube\.com|youtube-nocookie\.com|youtu\.be|ytimg\.com|"
    r"googlevideo\.com|vimeo\.com|vimeocdn\.com)(:\d+)?/")


def minutes_shown(text: str) -> int:
    """'1 h 42 min', '2 h', '45 min' as minutes."""
    match = re.fullmatch(r"\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*min)?\s*", text)
    assert match and any(match.groups()), f"not a duration: {text!r}"
    return int(match.group(1) or 0) * 60 + int(match.group(2) or 0)


def set_marker(page: Page) -> None:
    page.evaluate(f"() => {{ {MARKER} = 'kept'; }}")


def marker(page: Page) -> object:
    return page.evaluate(f"() => {MARKER}")


def visible_cards(page: Page) -> list[str]:
    return page.eval_on_selector_all(
        "[data-ls-card]", "cards => cards.filter(c => c.offsetParent !== null)"
        ".map(c => c.getAttribute('data-ls-path-id'))")


def expect_cards(page: Page, want: list[str]) -> None:
    """The visible cards become ``want`` (sorted): instant navigation swaps the page in
    steps, so one reading may catch it between two."""
    try:
        page.wait_for_function(
            "want => JSON.stringify([...document.querySelectorAll('[data-ls-card]')]"
            ".filter(c => c.offsetParent !== null).map(c => c.getAttribute('data-ls-path-id'))"
            ".sort()) === JSON.stringify(want)", arg=want, timeout=5000)
    except PlaywrightTimeoutError:
        assert sorted(visible_cards(page)) == want


# -- catalog ----------------------------------------------------------------------------


def test_catalog_lists_sample_paths_with_total_time(page: Page, portal, sample) -> None:
    page.goto(portal.url)
    cards = page.locator("[data-ls-card]")
    expect(cards).to_have_count(len(sample.paths))
    assert sorted(visible_cards(page)) == sorted(sample.paths)
    for pid, path in sample.paths.items():
        card = page.locator(f'[data-ls-card][data-ls-path-id="{pid}"]')
        title = card.locator(".ls-card__title a")
        expect(title).to_have_text(path["title"])
        assert title.get_attribute("href").rstrip("/").endswith(f"paths/{pid}")
        expected = sample.total_minutes(pid)
        shown = card.locator("dt:text-is('Time') + dd").inner_text()
        assert minutes_shown(shown) == expected, f"{pid}: card shows {shown!r}, want {expected} min"


def test_filters_hide_and_show_cards_without_reload(page: Page, portal, sample) -> None:
    page.goto(portal.url)
    set_marker(page)
    matches = {
        "kind": lambda path, value: path["kind"] == value,
        "level": lambda path, value: path.get("level") == value,
        "audience": lambda path, value: value in (path.get("audience") or []),
        # A topic: a tag of the path or of a module a learner goes through in it.
        "tags": lambda path, value: value in (path.get("tags") or []) or any(
            value in (sample.modules[mid].get("tags") or [])
            for mid in sample.all_modules(path["id"])),
    }
    tried = 0
    for facet, match in matches.items():
        select = page.locator(f'select[data-ls-facet="{facet}"]')
        values = [v for v in select.locator("option").evaluate_all(
            "options => options.map(o => o.value)") if v]
        assert values, f"no options for {facet}"
        for value in values:
            select.select_option(value)
            want = sorted(pid for pid, path in sample.paths.items() if match(path, value))
            assert sorted(visible_cards(page)) == want, f"{facet}={value}"
            count = page.locator("[data-ls-count]").inner_text()
            assert count.startswith(f"{len(want)} "), f"{facet}={value}: count says {count!r}"
            tried += 1
        select.select_option("")
        assert sorted(visible_cards(page)) == sorted(sample.paths)
    # A combination nothing matches shows the empty message.
    kinds = {p["kind"] for p in sample.paths.values()}
    levels = {p.get("level") for p in sample.paths.values()} - {None}
    empty = next(((k, lv) for k in sorted(kinds) for lv in sorted(levels)
                  if not any(p["kind"] == k and p.get("level") == lv
                             for p in sample.paths.values())), None)
    if empty:
        page.locator('select[data-ls-facet="kind"]').select_option(empty[0])
        page.locator('select[data-ls-facet="level"]').select_option(empty[1])
        assert visible_cards(page) == []
        expect(page.locator("[data-ls-empty]")).to_be_visible()
    assert tried >= 4
    assert marker(page) == "kept", "the page reloaded while filtering"


def test_filters_are_kept_in_the_address_for_back_reload_and_links(page: Page, portal,
                                                                    sample) -> None:
    """A learner who filters, opens a path and comes Back finds the same cards."""
    page.goto(portal.url)
    page.wait_for_function("() => !!window.document$")  # instant navigation is on
    kind = sorted({p["kind"] for p in sample.paths.values()})[0]
    want = sorted(pid for pid, path in sample.paths.items() if path["kind"] == kind)
    assert 0 < len(want) < len(sample.paths), "pick a kind that hides some paths"
    page.locator('select[data-ls-facet="kind"]').select_option(kind)
    assert parse_qs(urlparse(page.url).query) == {"kind": [kind]}
    set_marker(page)
    page.locator(f'[data-ls-path-id="{want[0]}"] .ls-card__title a').click()
    page.wait_for_url(re.compile(rf"/paths/{want[0]}/$"))
    page.go_back()
    page.wait_for_url(re.compile(rf"\?kind={kind}$"))
    expect(page.locator('select[data-ls-facet="kind"]')).to_have_value(kind)
    expect(page.locator("[data-ls-count]")).to_have_text(
        f"{len(want)} of {len(sample.paths)} paths")
    expect_cards(page, want)
    assert marker(page) == "kept", "Back left instant navigation"
    page.reload()
    expect(page.locator('select[data-ls-facet="kind"]')).to_have_value(kind)
    expect_cards(page, want)
    # Clearing the filter clears the address; a value the catalog lacks shows everything.
    page.locator('select[data-ls-facet="kind"]').select_option("")
    assert urlparse(page.url).query == ""
    page.goto(f"{portal.url}?kind=no-such-kind")
    expect(page.locator('select[data-ls-facet="kind"]')).to_have_value("")
    assert sorted(visible_cards(page)) == sorted(sample.paths)


# -- path and module pages -------------------------------------------------------------------


def test_path_pages_list_modules_in_yaml_order(page: Page, portal, sample) -> None:
    for pid in sample.paths:
        page.goto(f"{portal.url}paths/{pid}/", wait_until="domcontentloaded")
        for where, expected in ((".ls-modules", sample.order(pid)),
                                (".ls-required", _required_modules(sample, pid))):
            items = page.locator(f"{where} [data-ls-module-item]")
            shown = items.evaluate_all(
                "els => els.map(e => e.getAttribute('data-ls-module-item'))")
            assert shown == expected, (pid, where)
            titles = [t.strip() for t in items.locator(":scope > a").all_inner_texts()]
            assert titles == [sample.modules[m]["title"] for m in expected], (pid, where)


def _required_modules(sample, pid: str) -> list[str]:
    """What a certification's "requires" list shows: each required path's modules, in
    order, and each required module."""
    return [mid for rid in sample.paths[pid].get("requires") or []
            for mid in (sample.order(rid) if rid in sample.paths else [rid])]


def _showcase_modules(sample) -> list[str]:
    """A few modules that exercise the header: most owners, most objectives, a video."""
    mods = sample.modules
    picks = [max(mods, key=lambda m: len(mods[m]["owners"])),
             max(mods, key=lambda m: len(mods[m]["objectives"])),
             next((m for m in mods if mods[m].get("video")), next(iter(mods)))]
    return list(dict.fromkeys(picks))


def test_module_page_shows_front_matter(page: Page, portal, sample) -> None:
    for mid in _showcase_modules(sample):
        meta = sample.modules[mid]
        page.goto(f"{portal.url}modules/{mid}/", wait_until="domcontentloaded")
        header = page.locator(f'[data-ls-module="{mid}"]')
        expect(page.locator("h1").first).to_have_text(meta["title"])
        expect(header.locator(".ls-goal")).to_contain_text(meta["goal"])
        objectives = [t.strip() for t in header.locator(".ls-objectives li").all_inner_texts()]
        assert objectives == meta["objectives"], mid
        owners = header.locator('[data-ls-field="owners"]').inner_text()
        assert [o.strip() for o in owners.split(",")] == meta["owners"], mid
        expect(header.locator('[data-ls-field="version"]')).to_have_text(str(meta["version"]))
        assert minutes_shown(header.locator("dt:text-is('Time') + dd").inner_text()) \
            == meta["duration"], mid


def _reused_with_different_next(sample) -> tuple[str, str, str]:
    for mid in sample.modules:
        paths = sample.part_of(mid)
        for a in paths:
            for b in paths:
                na, nb = sample.neighbours(mid, a)[1], sample.neighbours(mid, b)[1]
                if a < b and na and nb and na != nb:
                    return mid, a, b
    pytest.fail("the sample has no module reused in two paths with different next modules")


def _visible_nav(page: Page):
    navs = page.locator("[data-ls-pathnav]:visible")
    expect(navs).to_have_count(1)
    return navs


def test_next_and_previous_follow_the_path_in_the_url(page: Page, portal, sample) -> None:
    mid, a, b = _reused_with_different_next(sample)
    for pid in (a, b):
        page.goto(f"{portal.url}modules/{mid}/?path={pid}")
        nav = _visible_nav(page)
        assert nav.get_attribute("data-ls-pathnav") == pid
        before, after = sample.neighbours(mid, pid)
        next_link = nav.locator("a[rel=next]")
        expect(next_link).to_contain_text(sample.modules[after]["title"])
        assert f"modules/{after}/?path={pid}" in next_link.get_attribute("href")
        if before:
            prev_link = nav.locator("a[rel=prev]")
            expect(prev_link).to_contain_text(sample.modules[before]["title"])
            assert f"modules/{before}/?path={pid}" in prev_link.get_attribute("href")
        order = sample.all_modules(pid)
        expect(nav.locator(".ls-pathnav__where")).to_contain_text(
            f"Module {order.index(mid) + 1} of {len(order)}")


@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_previous_and_next_stack_full_width_on_a_phone(page: Page, portal, sample,
                                                        where: str) -> None:
    pid = max(sample.paths, key=lambda p: len(sample.order(p)))
    order = sample.order(pid)
    mid = {"first": order[0], "middle": order[1], "last": order[-1]}[where]
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{portal.url}modules/{mid}/?path={pid}")
    nav = _visible_nav(page)
    where_line = nav.locator(".ls-pathnav__where").bounding_box()
    boxes = [link.bounding_box() for link in nav.locator(".ls-pathnav__links a").all()]
    assert len(boxes) == (1 if where == "first" else 2)
    for box in boxes:  # each link spans the column: nothing pushed right or shrunk to its text
        assert abs(box["x"] - where_line["x"]) < 1 and box["width"] >= where_line["width"] - 1, \
            (where, box, where_line)


def test_next_uses_instant_navigation_and_keeps_the_path(page: Page, portal, sample) -> None:
    mid, a, b = _reused_with_different_next(sample)
    page.goto(f"{portal.url}modules/{mid}/")
    listed = page.locator("[data-ls-pathnav]").evaluate_all(
        "els => els.map(e => e.getAttribute('data-ls-pathnav'))")
    # Follow the path that is not shown by default, so keeping the context is visible.
    pid = b if listed.index(b) > listed.index(a) else a
    after = sample.neighbours(mid, pid)[1]
    page.goto(f"{portal.url}modules/{mid}/?path={pid}")
    set_marker(page)
    _visible_nav(page).locator("a[rel=next]").click()
    page.wait_for_url(re.compile(rf"/modules/{after}/\?path={pid}$"))
    expect(page.locator(f'[data-ls-module="{after}"]')).to_have_count(1)
    assert marker(page) == "kept", "Next did a full page load instead of instant navigation"
    nav = _visible_nav(page)
    assert nav.get_attribute("data-ls-pathnav") == pid
    expect(nav.locator("a[rel=prev]")).to_contain_text(sample.modules[mid]["title"])
    assert page.evaluate(
        "document.documentElement.getAttribute('data-ls-current-path')") == pid


def test_module_in_several_paths_lists_them_under_part_of(page: Page, portal, sample) -> None:
    mid = next(m for m in sample.modules if len(sample.part_of(m)) >= 2)
    page.goto(f"{portal.url}modules/{mid}/")
    items = page.locator("[data-ls-partof]")
    ids = items.evaluate_all("els => els.map(e => e.getAttribute('data-ls-partof'))")
    assert sorted(ids) == sorted(sample.part_of(mid))
    for pid in ids:
        link = page.locator(f'[data-ls-partof="{pid}"] a')
        expect(link).to_have_text(sample.paths[pid]["title"])
        assert link.get_attribute("href").rstrip("/").endswith(f"paths/{pid}")
    expect(page.locator("#part-of")).to_be_visible()


# -- video -----------------------------------------------------------------------------


def _module_with_video(sample, provider: str) -> tuple[str, dict]:
    for mid, meta in sample.modules.items():
        src = (meta.get("video") or {}).get("src", "")
        host = urlparse(src).netloc
        kind = ("youtube" if "youtu" in host else "vimeo" if "vimeo" in host
                else "file" if src and not host else None)
        if kind == provider:
            return mid, meta["video"]
    # Said as a failure: an author editing content/ would otherwise turn these into skips.
    said = {"youtube": "a YouTube address", "vimeo": "a Vimeo address",
            "file": "a video file of the site"}[provider]
    pytest.fail(f"this test needs a module in content/modules/ whose 'video: src:' is {said}; "
                "the sample content has none")


@pytest.mark.parametrize("provider", ["youtube", "vimeo"])
def test_video_facade_loads_nothing_until_clicked(page: Page, portal, sample,
                                                   provider: str) -> None:
    mid, video = _module_with_video(sample, provider)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.route(THIRD_PARTY, lambda route: route.fulfill(
        status=200, content_type="text/html", body="<!doctype html><title>stub player</title>"))
    page.goto(f"{portal.url}modules/{mid}/", wait_until="networkidle")
    assert not [u for u in requests if THIRD_PARTY.match(u)], "third-party request on load"
    assert page.locator("iframe").count() == 0

    button = page.locator("button.ls-video__facade")
    expect(button).to_be_visible()
    expect(button).to_contain_text(video.get("title", ""))
    # A network that blocks the provider shows a broken frame: the page offers the way out.
    elsewhere = page.locator("figcaption a.ls-video__elsewhere")
    expect(elsewhere).to_have_text(
        f"Player not loading? Watch it on {'YouTube' if provider == 'youtube' else 'Vimeo'}")
    assert elsewhere.get_attribute("href") == video["src"]
    button.click()
    frame = page.locator("iframe.ls-video__iframe")
    expect(frame).to_have_count(1)
    src, title = frame.get_attribute("src"), frame.get_attribute("title")
    assert title and title.strip(), "the player iframe has no title"
    url = urlparse(src)
    if provider == "youtube":
        assert url.netloc in ("www.youtube-nocookie.com", "youtube-nocookie.com"), src
    else:
        assert url.netloc == "player.vimeo.com", src
        assert parse_qs(url.query).get("dnt") == ["1"], src
    page.wait_for_load_state("networkidle")
    loaded = [u for u in requests if THIRD_PARTY.match(u)]
    assert loaded and all(urlparse(u).netloc == url.netloc for u in loaded), loaded


def test_self_hosted_video_has_captions_that_load(page: Page, portal, sample) -> None:
    mid, video = _module_with_video(sample, "file")
    page.goto(f"{portal.url}modules/{mid}/")
    tracks = page.locator("video track[kind=captions]")
    expected = [c for c in video.get("captions") or [] if c.get("src")]
    assert expected, f"{mid}: the sample video declares no caption file"
    expect(tracks).to_have_count(len(expected))
    for track, caption in zip(tracks.all(), expected, strict=True):
        assert track.get_attribute("srclang") == caption["lang"]
        url = track.evaluate("t => t.src")
        response = page.request.get(url)
        assert response.status == 200, f"{url}: HTTP {response.status}"
        assert response.text().lstrip("\ufeff").startswith("WEBVTT"), url


# -- search ----------------------------------------------------------------------------


def _body_only_word(sample) -> tuple[str, str]:
    """A module and a word found once in its body and nowhere else in the content."""
    everything = {file: text.lower() for file, text in sample.texts.items()}
    for mid, body in sample.bodies.items():
        own = next(f for f, t in sample.texts.items() if t.endswith(body))
        front = everything[own][: -len(body)] if body else everything[own]
        others = " ".join(t for f, t in everything.items() if f != own)
        for word in dict.fromkeys(re.findall(r"(?<![\w.-])[A-Za-z]{8,}(?![\w.-])", body)):
            stem = word.lower()[:6]  # also rules out words sharing a search stem
            if stem not in others and stem not in front and body.lower().count(stem) == 1:
                return mid, word
    pytest.fail("no word appears only in one module's body")


def test_search_finds_a_module_by_a_word_in_its_body(page: Page, portal, sample) -> None:
    mid, word = _body_only_word(sample)
    page.goto(portal.url)
    box = page.locator("input.md-search__input")
    expect(box).to_be_visible()
    box.click()
    box.press_sequentially(word, delay=20)
    hit = page.locator(f'.md-search-result__item a[href*="modules/{mid}/"]').first
    expect(hit).to_be_visible(timeout=10_000)
    expect(page.locator(".md-search-result__meta")).to_contain_text("1 matching document")
