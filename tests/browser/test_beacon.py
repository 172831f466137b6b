"""The beacon in real Chromium: a built sample site, a real collector on 127.0.0.1, and the
exact statements that land in its SQLite file."""

from __future__ import annotations

import copy
import json
import re
import shutil
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from fake_players import (
    FAKE_VIMEO,
    FAKE_YOUTUBE,
    PAUSE_VIDEO,
    VIDEO_MODULE,
    VIMEO_HOST,
    VIMEO_MODULE,
    YOUTUBE_HOST,
    YOUTUBE_MODULE,
)
from playwright.sync_api import expect as shows
from served import free_port
from test_progress import FILL_STORAGE

from lecosite import xapi
from lecosite.collect.server import CollectorThread

REPO = Path(__file__).resolve().parents[2]
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleNamespace]:
    """The sample portal, built once, with the beacon pointed at a collector port."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    project = tmp_path_factory.mktemp("beacon")
    for name in ("mkdocs.yml", "lecosite.yml"):
        shutil.copy(REPO / name, project / name)
    for name in ("content", "overrides"):
        if (REPO / name).exists():
            shutil.copytree(REPO / name, project / name)
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    # The portal's server holds its port from now; the collector's port is written into the
    # build and bound by each test that starts one (stopped and started again on that port).
    httpd = ThreadingHTTPServer(("127.0.0.1", 0),
                                functools.partial(Quiet, directory=str(project / "site")))
    port, collector_port = httpd.server_address[1], free_port()
    url = f"http://127.0.0.1:{port}/"
    # mkdocs.yml reads the plugin's collector from the environment, as `lecosite serve` sets it.
    with pytest.MonkeyPatch.context() as env:
        env.setenv("LECOSITE_COLLECTOR", f"http://127.0.0.1:{collector_port}/")
        build(load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site"),
                          site_url=url))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield SimpleNamespace(url=url, origin=url.rstrip("/"), collector_port=collector_port,
                          collector=f"http://127.0.0.1:{collector_port}/")
    httpd.shutdown()
    httpd.server_close()


class Collector:
    def __init__(self, site: SimpleNamespace, db: Path) -> None:
        self.site, self.db, self.server = site, db, None

    def start(self) -> Collector:
        self.server = CollectorThread(self.db, port=self.site.collector_port,
                                      allow_origins=[self.site.origin]).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None

    def statements(self) -> list[dict[str, Any]]:
        if not self.db.exists():
            return []
        conn = sqlite3.connect(self.db)
        try:
            return [json.loads(b) for (b,) in conn.execute("SELECT body FROM statements "
                                                          "ORDER BY seq")]
        finally:
            conn.close()

    def wait_for(self, count: int, timeout: float = 15) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.statements()
            if len(found) >= count:
                return found
            time.sleep(0.1)
        return self.statements()


@pytest.fixture
def collector(site: SimpleNamespace, tmp_path: Path) -> Iterator[Collector]:
    c = Collector(site, tmp_path / "statements.sqlite")
    yield c
    c.stop()


@pytest.fixture
def errors(page) -> list[str]:
    """Page errors (uncaught exceptions) and console errors a learner could see."""
    found: list[str] = []
    page.on("pageerror", lambda exc: found.append(f"pageerror: {exc}"))
    page.on("console", lambda msg: found.append(f"console: {msg.text}")
            if msg.type == "error" else None)
    return found


def drain(page) -> None:
    """Send what is queued now and wait until the collector acknowledged it."""
    page.evaluate("window.lecosite.flush()")
    page.wait_for_function("!JSON.parse(localStorage['lecosite.q'] || '[]').length",
                           timeout=15000)


def viewed(page, path: str) -> None:
    """Wait until the beacon has started the view of this page: had it a statement to queue
    (the view's start, the last one's end), it has queued it."""
    page.wait_for_function("p => window.lecosite.view?.u === p", arg=path)


def sent_since(collector: Collector, count: int) -> list[tuple[str, str]]:
    """(verb, object) of each statement the collector received after the first ``count``."""
    return [(s["verb"]["id"], s["object"].get("id")) for s in collector.statements()[count:]]


def learner_of(statements: list[dict[str, Any]]) -> str:
    names = {s["actor"]["account"]["name"] for s in statements}
    assert len(names) == 1, names
    (name,) = names
    assert UUID.match(name)
    return name


def norm(stmt: dict[str, Any]) -> dict[str, Any]:
    """A statement with what varies per run (ids, times, the learner) checked, then masked."""
    s = copy.deepcopy(stmt)
    assert UUID.match(s.pop("id"))
    assert STAMP.match(s.pop("timestamp"))
    s.pop("actor")
    result = s.get("result", {})
    if "duration" in result:
        assert xapi.parse_duration(result["duration"]) is not None
        result["duration"] = "PT*S"
    ext = s.get("context", {}).get("extensions", {})
    if xapi.EXTENSIONS["session"] in ext:
        assert UUID.match(ext[xapi.EXTENSIONS["session"]])
        ext[xapi.EXTENSIONS["session"]] = "*"
    return s


def expect(site_url: str, verb: str, obj: dict[str, Any], context: dict[str, Any] | None,
           result: dict[str, Any] | None = None) -> dict[str, Any]:
    """What the beacon must send, built from lecosite/xapi.py."""
    built = xapi.statement(verb, obj, actor=xapi.actor(site_url, "x"), context=context,
                           result=result)
    return norm(built)


def module_act(site_url: str, mid: str) -> dict[str, Any]:
    return xapi.activity(xapi.module_iri(site_url, mid), "module")


def header(page) -> dict[str, str]:
    return page.evaluate("""() => { const h = document.querySelector('[data-ls-module]');
      return {id: h.dataset.lsModule, version: h.dataset.lsVersion,
              path: document.documentElement.dataset.lsCurrentPath || null} }""")


# -- page views and time on page -------------------------------------------------------------


def test_page_views_and_time_on_page_across_instant_navigation(page, site, collector,
                                                                errors) -> None:
    collector.start()
    page.goto(site.url + "modules/connect-check-ports/")
    first = header(page)
    assert first["path"] is None  # opened straight from its address: no path is credited
    page.evaluate("window.__sameDocument = true")
    path_link = page.locator(".ls-partof a").first
    path_id = path_link.get_attribute("href").rstrip("/").split("/")[-1]
    path_link.click()
    page.wait_for_selector("[data-ls-path-page]")
    path_version = page.get_attribute("[data-ls-path-page]", "data-ls-version")
    page.locator(".ls-modules a").nth(1).click()
    page.wait_for_selector(".ls-module-header")
    page.wait_for_function("window.lecosite.view && window.lecosite.view.id")
    second = header(page)
    assert page.evaluate("window.__sameDocument") is True  # Material's instant navigation
    # A back/forward-cache round trip: the page is hidden, then shown again as it was.
    page.evaluate("""() => {
      dispatchEvent(new PageTransitionEvent('pagehide', {persisted: true}));
      dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true})); }""")
    drain(page)
    got = collector.wait_for(7)
    learner_of(got)
    u = site.url
    m1 = module_act(u, first["id"])
    m2 = module_act(u, second["id"])
    p = xapi.activity(xapi.path_iri(u, path_id), "path")
    c1 = xapi.context(u, version=first["version"], path=first["path"])
    cp = xapi.context(u, version=path_version)
    c2 = xapi.context(u, version=second["version"], path=path_id)
    assert second["path"] == path_id  # the module was opened from the path page
    assert [norm(s) for s in got] == [
        expect(u, "experienced", m1, c1), expect(u, "terminated", m1, c1, {"duration": "PT1S"}),
        expect(u, "experienced", p, cp), expect(u, "terminated", p, cp, {"duration": "PT1S"}),
        expect(u, "experienced", m2, c2), expect(u, "terminated", m2, c2, {"duration": "PT1S"}),
        expect(u, "experienced", m2, c2),
    ]
    assert all(xapi.parse_duration(s["result"]["duration"]) > 0 for s in got[1:6:2])
    assert errors == []


def test_an_anchor_on_the_same_page_is_not_a_new_view(page, site, collector, errors) -> None:
    collector.start()
    page.set_viewport_size({"width": 1500, "height": 900})  # the table of contents shows
    page.goto(site.url + "modules/connect-check-ports/")
    page.wait_for_load_state("networkidle")  # Material intercepts links once it is ready
    page.evaluate("window.__sameDocument = true")
    page.locator(".md-sidebar--secondary a.md-nav__link[href*='#']").last.click()
    page.wait_for_function("location.hash.length > 1")
    page.wait_for_timeout(500)
    page.go_back()
    page.wait_for_function("!location.hash")
    page.wait_for_timeout(500)
    assert page.evaluate("window.__sameDocument") is True
    page.evaluate("dispatchEvent(new PageTransitionEvent('pagehide', {persisted: true}))")
    drain(page)
    got = collector.wait_for(2)
    assert [xapi.VERB_NAMES[s["verb"]["id"]] for s in got] == ["experienced", "terminated"]
    assert errors == []


def test_time_on_page_leaves_out_hidden_time(page, site, collector) -> None:
    collector.start()
    page.goto(site.url + "modules/connect-check-ports/")
    page.wait_for_timeout(300)
    page.evaluate("""() => {
      Object.defineProperty(document, 'hidden', {configurable: true, get: () => true});
      document.dispatchEvent(new Event('visibilitychange')); }""")
    page.wait_for_timeout(1500)
    page.evaluate("""() => {
      Object.defineProperty(document, 'hidden', {configurable: true, get: () => false});
      document.dispatchEvent(new Event('visibilitychange'));
      dispatchEvent(new PageTransitionEvent('pagehide', {persisted: true})); }""")
    drain(page)
    terminated = [s for s in collector.wait_for(2) if s["verb"]["id"] == xapi.VERBS["terminated"]]
    assert len(terminated) == 1
    assert 0.2 < xapi.parse_duration(terminated[0]["result"]["duration"]) < 1.4


# -- video -------------------------------------------------------------------------------------


def test_self_hosted_video_statements(page, site, collector, errors) -> None:
    collector.start()
    page.goto(site.url + f"modules/{VIDEO_MODULE}/")
    h = header(page)
    page.evaluate("""() => { const v = document.querySelector('video');
      v.muted = true; v.playbackRate = 2; return v.play(); }""")
    page.wait_for_function("document.querySelector('video').ended", timeout=30000)
    page.evaluate("document.querySelector('video').currentTime = 5")
    page.wait_for_function("!document.querySelector('video').seeking")
    landed = page.evaluate("document.querySelector('video').currentTime")
    page.evaluate("dispatchEvent(new PageTransitionEvent('pagehide', {persisted: true}))")
    drain(page)
    got = collector.wait_for(8)
    learner_of(got)
    u = site.url
    module = module_act(u, VIDEO_MODULE)
    video = xapi.activity(xapi.video_iri(module["id"]), "video")
    vctx = xapi.context(u, version=h["version"], path=h["path"], parent=[module],
                        category=[xapi.activity(xapi.VIDEO_PROFILE, "profile")],
                        extensions={"length": 20, "threshold": 0.9, "session": xapi.new_id()})
    videos = [s for s in got if s["object"]["id"] == video["id"]]
    sessions = {s["context"]["extensions"][xapi.EXTENSIONS["session"]] for s in videos}
    assert len(sessions) == 1
    ext = xapi.EXTENSIONS
    verbs = [xapi.VERB_NAMES[s["verb"]["id"]] for s in videos]
    assert verbs == ["initialized", "played", "completed", "paused", "seeked", "terminated"]
    init, played, completed, paused, seeked, terminated = videos
    assert norm(init) == expect(u, "initialized", video, vctx)
    r = played["result"]["extensions"]
    assert r[ext["time"]] < 0.5
    assert norm(played) == expect(u, "played", video, vctx, xapi.video_result(time=r[ext["time"]]))
    r = completed["result"]
    assert r["completion"] is True and xapi.parse_duration(r["duration"]) >= 18
    assert 0.9 <= r["extensions"][ext["progress"]] < 0.95
    assert xapi.parse_segments(r["extensions"][ext["segments"]])[0][0] < 0.5
    r = paused["result"]["extensions"]
    assert r[ext["time"]] == pytest.approx(20, abs=0.05) and r[ext["progress"]] >= 0.99
    assert norm(paused) == expect(u, "paused", video, vctx, xapi.video_result(
        time=r[ext["time"]], progress=r[ext["progress"]], segments=r[ext["segments"]]))
    r = seeked["result"]["extensions"]
    assert r == {ext["from"]: pytest.approx(20, abs=0.05), ext["to"]: round(landed, 3)}
    r = terminated["result"]["extensions"]
    assert r[ext["progress"]] >= 0.99
    verbs_all = [xapi.VERB_NAMES[s["verb"]["id"]] for s in got if s not in videos]
    assert verbs_all[0] == "experienced" and verbs_all[-1] == "terminated"
    # Watching the video completed the module: cause first, then effect.
    assert [s["object"]["id"] for s in got if s["verb"]["id"] == xapi.VERBS["completed"]] == [
        video["id"], module["id"]]
    assert errors == []


def test_a_video_watched_over_visits_completes_once(page, site, collector, errors) -> None:
    """Its seconds add up across visits: the second visit's statements carry them all and
    complete the video; a third visit that watches again does not complete it again."""
    collector.start()
    url = site.url + f"modules/{VIDEO_MODULE}/"
    page.goto(url)
    page.evaluate("""() => { const v = document.querySelector('video');
      v.muted = true; v.playbackRate = 2; return v.play(); }""")
    page.wait_for_function("document.querySelector('video').currentTime > 9")
    stop = page.evaluate(PAUSE_VIDEO)
    for start in (stop - 0.2, 0):
        page.reload()
        page.evaluate(f"""() => {{ const v = document.querySelector('video');
          v.muted = true; v.playbackRate = 2; v.currentTime = {start}; return v.play(); }}""")
        page.wait_for_function("document.querySelector('video').ended" if start else
                               "document.querySelector('video').currentTime > 2",
                               timeout=30000)
        page.evaluate(PAUSE_VIDEO)
    page.evaluate("dispatchEvent(new PageTransitionEvent('pagehide', {persisted: true}))")
    drain(page)
    ext = xapi.EXTENSIONS
    got = collector.wait_for(15)
    video = [s for s in got if s["object"]["id"].endswith("/video")]
    sessions = list(dict.fromkeys(s["context"]["extensions"][ext["session"]] for s in video))
    assert len(sessions) == 3
    completed = [s for s in video if s["verb"]["id"] == xapi.VERBS["completed"]]
    assert len(completed) == 1
    (done,) = completed
    assert done["context"]["extensions"][ext["session"]] == sessions[1]
    assert done["result"]["extensions"][ext["progress"]] >= 0.9
    assert xapi.parse_segments(done["result"]["extensions"][ext["segments"]])[0][0] < 0.5
    first = [s for s in video if s["context"]["extensions"][ext["session"]] == sessions[0]]
    assert max(s["result"]["extensions"].get(ext["progress"], 0) for s in first
               if s.get("result")) < 0.5
    assert errors == []


def test_a_seek_after_playback_stalled_is_no_time_watched(page, site, collector, errors) -> None:
    """On a slow network playback stalls, with no timeupdate; the learner then drags ahead.
    The jump fits what the wall clock would allow, but <video> says it was a seek."""
    collector.start()
    page.goto(site.url + f"modules/{VIDEO_MODULE}/")
    page.evaluate("""async () => {
      const v = document.querySelector('video'), at = x => (t = x, v), pause = ms =>
        new Promise(r => setTimeout(r, ms));
      let t = 0;
      Object.defineProperty(v, 'currentTime', {get: () => t, configurable: true});
      for (const n of ['play', 'timeupdate']) v.dispatchEvent(new Event(n));
      await pause(3000);
      at(5).dispatchEvent(new Event('seeking'));
      at(5).dispatchEvent(new Event('timeupdate'));
      await pause(500);
      at(5.4).dispatchEvent(new Event('timeupdate'));
      v.dispatchEvent(new Event('pause'));
    }""")
    drain(page)
    got = collector.wait_for(5)
    ext = xapi.EXTENSIONS
    video = [s for s in got if s["object"]["id"].endswith("/video")]
    assert [xapi.VERB_NAMES[s["verb"]["id"]] for s in video] == [
        "initialized", "played", "seeked", "paused"]
    assert video[2]["result"]["extensions"] == {ext["from"]: 0, ext["to"]: 5}
    assert xapi.parse_segments(video[3]["result"]["extensions"][ext["segments"]]) == [(5, 5.4)]
    assert errors == []


@pytest.mark.parametrize(("module", "host", "fake", "expected"), [
    (YOUTUBE_MODULE, YOUTUBE_HOST, FAKE_YOUTUBE,
     ["initialized", "played", "seeked", "seeked", "completed", "paused"]),
    (VIMEO_MODULE, VIMEO_HOST, FAKE_VIMEO,
     ["initialized", "played", "completed", "paused"]),
], ids=["youtube", "vimeo"])
def test_embedded_players_through_their_postmessage_apis(page, site, collector, errors,
                                                         module: str, host: str, fake: str,
                                                         expected: list[str]) -> None:
    collector.start()
    page.route(host, lambda route: route.fulfill(status=200, content_type="text/html",
                                                 body=fake))
    page.goto(site.url + f"modules/{module}/")
    h = header(page)
    page.click(".ls-video__facade")
    page.wait_for_function(f"""() => JSON.parse(localStorage['lecosite.q'] || '[]').some(
        s => s.verb.id === {json.dumps(xapi.VERBS['paused'])})""", timeout=15000)
    drain(page)
    u = site.url
    video_id = xapi.video_iri(xapi.module_iri(u, module))
    videos = [s for s in collector.wait_for(len(expected) + 1) if s["object"]["id"] == video_id]
    assert [xapi.VERB_NAMES[s["verb"]["id"]] for s in videos] == expected
    ext = xapi.EXTENSIONS
    length = 100 if module == YOUTUBE_MODULE else 60
    vctx = xapi.context(u, version=h["version"], path=h["path"],
                        parent=[module_act(u, module)],
                        category=[xapi.activity(xapi.VIDEO_PROFILE, "profile")],
                        extensions={"length": length, "threshold": 0.9,
                                    "session": xapi.new_id()})
    video = xapi.activity(video_id, "video")
    for stmt in videos:
        assert norm(stmt)["context"] == expect(u, "played", video, vctx)["context"]
        assert norm(stmt)["object"] == video
    paused = videos[-1]["result"]["extensions"]
    if module == YOUTUBE_MODULE:
        assert [s["result"]["extensions"] for s in videos[2:4]] == [
            {ext["from"]: 40, ext["to"]: 60}, {ext["from"]: 100, ext["to"]: 40}]
        # 0-40, 60-100 and 40-60 played: the parts are sent merged.
        assert paused == {ext["time"]: 60, ext["progress"]: 1, ext["segments"]: "0[.]100"}
    else:
        assert paused == {ext["time"]: 58, ext["progress"]: 0.967, ext["segments"]: "0[.]58"}
    assert errors == []


# -- rating, checks, completion ---------------------------------------------------------------


def test_rating_a_module(page, site, collector, errors) -> None:
    collector.start()
    page.goto(site.url + "modules/connect-check-ports/")
    h = header(page)
    assert page.is_visible("[data-ls-rating]")
    page.check("[data-ls-rating] input[name=rating][value='2']")
    page.fill("[data-ls-rating] textarea[name=comment]", "  Step 3 <b>skips</b> the firewall.  ")
    page.click("[data-ls-rating] button[type=submit]")
    page.wait_for_selector("text=your rating goes to the authors anonymously")
    assert page.locator("[data-ls-rating] form").count() == 0
    # Focus moves to the thanks, not back to the top of the page.
    assert "your rating goes to the authors" in page.evaluate("document.activeElement.textContent")
    drain(page)
    got = collector.wait_for(2)
    u = site.url
    module = module_act(u, "connect-check-ports")
    ctx = xapi.context(u, version=h["version"], path=h["path"])
    assert [norm(s) for s in got] == [
        expect(u, "experienced", module, ctx),
        expect(u, "responded", xapi.rating_activity(u, "connect-check-ports"),
               xapi.context(u, version=h["version"], path=h["path"], parent=[module]),
               xapi.rating_result(2, "Step 3 <b>skips</b> the firewall.")),
    ]
    # Back on the page, the learner sees their rating, chosen, ready to change.
    page.reload()
    assert page.is_checked("[data-ls-rating] input[name=rating][value='2']")
    assert page.locator("[data-ls-rated]").inner_text() == (
        "You rated this module 2. To change your rating, choose again and send it.")
    assert errors == []


def test_a_rating_sent_while_storage_is_full_reaches_the_collector(page, site, collector,
                                                                   errors) -> None:
    """The queue falls back to memory when a write fails: it went on reading the stored
    queue, so the rating was lost while the page said it was sent."""
    collector.start()
    page.goto(site.url + "modules/connect-check-ports/")
    drain(page)
    page.evaluate(FILL_STORAGE)
    page.check("[data-ls-rating] input[name=rating][value='5']")
    page.fill("[data-ls-rating] textarea[name=comment]", "Kept in memory.")
    page.click("[data-ls-rating] button[type=submit]")
    page.wait_for_selector("text=your rating goes to the authors anonymously")
    page.evaluate("window.lecosite.flush()")
    got = collector.wait_for(2)
    assert [s["verb"]["id"].rsplit("/", 1)[1] for s in got] == ["experienced", "responded"]
    assert got[1]["result"] == xapi.rating_result(5, "Kept in memory.")
    assert errors == []


def test_undo_voids_the_completion(page, site, collector, errors) -> None:
    """The report counts a completion the learner took back with "Undo" no more."""
    collector.start()
    page.goto(site.url + "modules/connect-check-ports/")
    h = header(page)
    button = page.locator("[data-ls-complete] button")
    marked = "document.querySelector('[data-ls-complete] button').dataset.lsMarked == '{}'"

    def click(state: str) -> None:
        button.click()
        page.wait_for_function(marked.format(state))

    def sent(count: int) -> list[dict[str, Any]]:
        drain(page)
        return collector.wait_for(count)

    def voided(stmt: dict[str, Any]) -> dict[str, Any]:
        return expect(site.url, "voided", {"objectType": "StatementRef", "id": stmt["id"]}, None)

    click("true")
    click("false")  # undo
    got = sent(3)
    assert [norm(s) for s in got[2:]] == [voided(got[1])]
    # Completed again, by the button and then by passing the check: "Undo" voids both.
    click("true")
    page.evaluate("""([module, version]) => document.dispatchEvent(new CustomEvent(
      'lecosite:check-result', {detail: {module, version, score: 1, passed: true}}))""",
                  [h["id"], h["version"]])
    click("false")
    got = sent(8)
    verbs = [xapi.VERB_NAMES[s["verb"]["id"]] for s in got]
    assert verbs == ["experienced", "completed", "voided", "completed", "passed", "completed",
                     "voided", "voided"]
    assert [norm(s) for s in got[6:]] == [voided(got[3]), voided(got[5])]
    # A new random id forgets the old one's completions: an "Undo" would link the two ids.
    click("true")
    page.evaluate("window.lecosite.reset()")
    click("false")
    got = sent(9)
    page.wait_for_timeout(1500)
    assert len(collector.statements()) == 9  # the completion, and nothing voided
    assert errors == []


def test_completion_and_knowledge_check_events(page, site, collector, errors) -> None:
    collector.start()
    page.goto(site.url + "modules/connect-check-ports/")
    h = header(page)
    page.evaluate("""([id, version, path]) => {
      const fire = (n, d) => document.dispatchEvent(new CustomEvent('lecosite:' + n, {detail: d}));
      fire('check', {module: id, version, question: 'which port?', objective: 'Open port 443',
                     correct: false, score: 0, passed: false, response: '8443'});
      fire('check', {module: id, version, question: 'q2', objective: 'Open port 443',
                     correct: true, score: 1, passed: true, response: ['443', 'tcp']});
      fire('check-result', {module: id, version, score: 0.5, passed: false});
      fire('check-result', {module: id, version, score: 1, passed: true});
      fire('check', null);  /* a broken emitter must not break the page */
      fire('complete', {module: 'connect-verify-first-sync', version: '9.9.9',
                        path: 'connect-install-course'});
    }""", [h["id"], h["version"], h["path"]])
    drain(page)
    got = collector.wait_for(7)
    u = site.url
    module = module_act(u, h["id"])
    check = xapi.activity(xapi.check_iri(u, h["id"]), "check")

    def ctx(**extra: Any) -> dict[str, Any]:
        return xapi.context(u, version=h["version"], path=h["path"], **extra)

    def question(q: str) -> dict[str, Any]:
        return xapi.activity(xapi.question_iri(u, h["id"], q), "question")

    objective = {"objective": "Open port 443"}
    assert [norm(s) for s in got] == [
        expect(u, "experienced", module, ctx()),
        expect(u, "answered", question("which port?"),
               ctx(parent=[module], extensions=objective),
               {"success": False, "response": "8443", "score": {"scaled": 0}}),
        expect(u, "answered", question("q2"), ctx(parent=[module], extensions=objective),
               {"success": True, "response": "443,tcp", "score": {"scaled": 1}}),
        expect(u, "failed", check, ctx(parent=[module]),
               {"success": False, "score": {"scaled": 0.5}}),
        expect(u, "passed", check, ctx(parent=[module]),
               {"success": True, "score": {"scaled": 1}}),
        # The portal's progress code completes a module whose check was passed.
        expect(u, "completed", module, ctx(), {"completion": True}),
        expect(u, "completed", module_act(u, "connect-verify-first-sync"),
               xapi.context(u, version="9.9.9", path="connect-install-course"),
               {"completion": True}),
    ]
    assert errors == []


# -- privacy -----------------------------------------------------------------------------------

PRIVACY = {
    "do-not-track": "Object.defineProperty(Navigator.prototype, 'doNotTrack', {get: () => '1'})",
    "global-privacy-control":
        "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => true})",
}


def exercise(page, site) -> None:
    """Everything that would send statements: views, a video, events, navigation."""
    page.goto(site.url + f"modules/{VIDEO_MODULE}/")
    page.evaluate("""() => { const v = document.querySelector('video');
      v.muted = true; v.playbackRate = 4; return v.play(); }""")
    page.wait_for_timeout(1500)
    page.evaluate("""() => document.dispatchEvent(new CustomEvent('lecosite:complete',
      {detail: {module: 'connect-upgrade-in-place', version: '1', path: null}}))""")
    page.locator(".ls-partof a").first.click()
    page.wait_for_selector("[data-ls-path-page]")
    page.goto(site.url)
    page.wait_for_timeout(2000)


@pytest.mark.parametrize("signal", sorted(PRIVACY))
def test_privacy_signals_send_and_store_nothing(page, site, collector, errors,
                                                signal: str) -> None:
    collector.start()
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.url.startswith(site.collector)
            else None)
    page.add_init_script(PRIVACY[signal])
    exercise(page, site)
    assert sent == [] and collector.statements() == []
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('lecosite.') "
                         "&& k !== 'lecosite.progress')") == []
    page.goto(site.url + "modules/connect-check-ports/")
    assert page.is_hidden("[data-ls-rating]")
    page.goto(site.url + "progress/")
    box = page.locator("[data-ls-privacy]")
    shows(box.locator("[data-ls-privacy-text]")).to_have_text(box.get_attribute("data-ls-off"))
    assert errors == []


def test_without_a_collector_configured_the_beacon_is_off(page, site, collector, errors) -> None:
    collector.start()
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.url.startswith(site.collector)
            else None)
    def without_collector(route) -> None:  # the same site's script, its collector unset
        body = route.fetch().text()
        assert site.collector.rstrip("/") in body
        route.fulfill(status=200, content_type="text/javascript",
                      body=re.sub(r'"collector":"[^"]*"', '"collector":null', body, count=1))

    page.route("**/assets/lecosite/lecosite.js", without_collector)
    exercise(page, site)
    page.goto(site.url + "modules/connect-check-ports/")
    assert page.is_hidden("[data-ls-rating]")
    page.goto(site.url + "progress/")
    box = page.locator("[data-ls-privacy]")
    shows(box.locator("[data-ls-privacy-text]")).to_have_text(box.get_attribute("data-ls-none"))
    assert box.locator("button:visible").count() == 0
    assert sent == [] and collector.statements() == []
    assert not page.evaluate("localStorage['lecosite.q'] || localStorage['lecosite.actor']")
    assert errors == []


def test_opting_out_stops_everything(page, site, collector, errors) -> None:
    collector.start()
    sent: list[str] = []
    page.goto(site.url + "modules/connect-check-ports/")
    drain(page)
    assert len(collector.wait_for(1)) == 1
    page.on("request", lambda r: sent.append(r.url) if r.url.startswith(site.collector)
            else None)
    page.click("[data-ls-optout]")
    page.wait_for_selector("text=this browser sends no more usage data")
    assert page.evaluate("document.activeElement.matches('[data-ls-rating] > [data-ls-said]')")
    back_on = page.locator("[data-ls-rating] a", has_text="Your progress")
    assert back_on.evaluate("a => a.href") == site.url + "progress/"  # where to turn it on
    assert page.evaluate("localStorage['lecosite.optout']") == "1"
    assert not page.evaluate("localStorage['lecosite.actor']")
    exercise(page, site)
    page.goto(site.url + "modules/connect-check-ports/")
    assert page.is_hidden("[data-ls-rating]")
    viewed(page, "/modules/connect-check-ports/")
    assert sent == [] and len(collector.statements()) == 1
    # Back on, the next view is sent, and nothing from before: the queue is first in,
    # first out, so anything queued while off would arrive by the time it has.
    page.goto(site.url + "progress/")
    page.locator("[data-ls-privacy-resume]").click()
    page.goto(site.url + "modules/connect-check-ports/")
    drain(page)
    collector.wait_for(2)
    assert sent_since(collector, 1) == [(xapi.VERBS["experienced"],
                                         site.url + "modules/connect-check-ports/")]
    assert errors == []


def test_opt_out_is_a_function_too(page, site, collector) -> None:
    """lecosite.optOut() drops what is queued and sends nothing more until optIn()."""
    page.goto(site.url)  # the collector is down: the view waits in the queue
    viewed(page, "/")
    page.evaluate("window.lecosite.optOut()")
    collector.start()
    page.goto(site.url + "modules/connect-check-ports/")
    viewed(page, "/modules/connect-check-ports/")
    page.evaluate("window.lecosite.optIn()")
    # The next view is sent, and nothing from before: the queue is first in, first out.
    page.goto(site.url + "progress/")
    drain(page)
    collector.wait_for(1)
    assert sent_since(collector, 0) == [(xapi.VERBS["experienced"], site.url + "progress/")]


def test_an_opt_out_in_another_tab_holds_in_this_one(page, site, collector, errors) -> None:
    """Tab A was open before tab B opted out: A sends nothing more, not even the end of its
    view, and does not write its old actor id back."""
    collector.start()
    page.goto(site.url + "modules/connect-check-ports/")
    drain(page)
    other = page.context.new_page()
    other.goto(site.url + "progress/")
    viewed(other, "/progress/")
    drain(other)  # its view, begun while on, is sent: what counts is what comes after
    before = len(collector.wait_for(2))
    other.locator("[data-ls-privacy-stop]").click()
    assert other.evaluate("localStorage['lecosite.optout']") == "1"
    page.goto(site.url)  # A ends its view and starts another
    viewed(page, "/")
    assert len(collector.statements()) == before
    assert not page.evaluate("localStorage['lecosite.actor']")
    assert not json.loads(page.evaluate("localStorage['lecosite.q'] || '[]'"))
    other.locator("[data-ls-privacy-resume]").click()  # back on: a new id, nothing old
    page.goto(site.url + "modules/connect-check-ports/")
    drain(page)
    collector.wait_for(before + 1)
    # Only this view: the queue is first in, first out, so anything A queued while off
    # would have arrived by now.
    assert sent_since(collector, before) == [(xapi.VERBS["experienced"],
                                              site.url + "modules/connect-check-ports/")]
    fresh = collector.statements()[before:]
    assert learner_of(fresh) != learner_of(collector.statements()[:before])
    assert errors == []


def test_statements_queued_in_memory_are_dropped_by_an_opt_out(page, site, collector) -> None:
    """Where storage is off the queue lives in memory; opting out empties it too."""
    page.add_init_script("Object.defineProperty(window, 'localStorage', {get() { throw new "
                         "DOMException('blocked', 'SecurityError') }})")
    page.goto(site.url + "modules/connect-check-ports/")  # collector down: statements wait
    page.goto(site.url)
    page.evaluate("window.lecosite.optOut(); window.lecosite.optIn()")
    collector.start()
    page.evaluate("window.lecosite.flush()")
    page.wait_for_timeout(1500)
    assert collector.statements() == []


NO_STORAGE = ("for (const name of ['localStorage', 'sessionStorage']) Object.defineProperty("
              "window, name, {get() { throw new DOMException('blocked', 'SecurityError') }})")


def test_where_the_browser_keeps_no_site_data_an_opt_out_holds_while_the_page_is_open(
        page, site, collector, errors) -> None:
    """The opt-out could not be kept: it said "Done" and sending went on. It now holds
    across instant navigation, and the learner is told it ends with a reload."""
    collector.start()
    page.add_init_script(NO_STORAGE)
    page.goto(site.url + "modules/connect-check-ports/")
    page.evaluate("window.lecosite.flush()")
    count = len(collector.wait_for(1))
    rating = page.locator("[data-ls-rating]")
    page.click("[data-ls-optout]")
    shows(rating).to_have_text(re.compile(r"^\s*Done for now: no usage data is sent until "
                                          r"this page is reloaded\."))
    page.locator(".ls-partof a").first.click()  # instant navigation: the same page session
    page.wait_for_selector("[data-ls-path-page]")
    page.goto(site.url + "progress/")  # a new page: the choice could not be kept
    box = page.locator("[data-ls-privacy]")
    shows(box.locator("[data-ls-privacy-text]")).to_have_text(box.get_attribute("data-ls-on"))
    page.evaluate("window.lecosite.flush()")
    new = collector.wait_for(count + 1)[count:]
    assert [(s["verb"]["id"], s["object"]["id"]) for s in new] == [  # not the path page's
        (xapi.VERBS["experienced"], site.url + "progress/")]
    box.locator("[data-ls-privacy-stop]").click()
    shows(box.locator("[data-ls-privacy-text]")).to_have_text(
        box.get_attribute("data-ls-visit"))
    shows(box.locator("[data-ls-privacy-resume]")).to_be_focused()
    page.locator("a.md-logo").first.click()  # instant navigation again
    page.wait_for_selector("[data-ls-card]")
    page.evaluate("window.lecosite.flush()")
    page.wait_for_timeout(1500)
    assert len(collector.statements()) == count + 1
    assert errors == []


def test_a_rating_after_an_opt_out_in_another_tab_says_it_was_not_sent(page, site, collector,
                                                                        errors) -> None:
    collector.start()
    page.goto(site.url + "modules/connect-check-ports/")
    drain(page)
    other = page.context.new_page()
    other.goto(site.url + "progress/")
    viewed(other, "/progress/")
    drain(other)  # its view, begun while on, is sent: what counts is what comes after
    count = len(collector.wait_for(2))
    other.locator("[data-ls-privacy-stop]").click()
    unsent = page.locator("[data-ls-rating] form").get_attribute("data-ls-unsent")
    page.check("[data-ls-rating] input[name=rating][value='5']")
    page.click("[data-ls-rating] button[type=submit]")
    shows(page.locator("[data-ls-rating] p[tabindex='-1']")).to_have_text(unsent)
    shows(page.locator("[data-ls-rating] p[tabindex='-1']")).to_be_focused()
    assert len(collector.statements()) == count
    other.locator("[data-ls-privacy-resume]").click()  # back on: only what comes next is sent
    page.goto(site.url + "progress/")  # the end of the module's view (begun while on), a view
    drain(page)
    collector.wait_for(count + 2)
    assert sent_since(collector, count) == [
        (xapi.VERBS["terminated"], site.url + "modules/connect-check-ports/"),
        (xapi.VERBS["experienced"], site.url + "progress/")]
    assert errors == []


def test_the_actor_is_anonymous_stable_and_resettable(page, site, collector) -> None:
    collector.start()
    page.goto(site.url + "modules/connect-check-ports/")
    drain(page)
    first = page.evaluate("localStorage['lecosite.actor']")
    page.goto(site.url)
    drain(page)
    assert page.evaluate("localStorage['lecosite.actor']") == first
    assert page.context.cookies() == []
    page.evaluate("window.lecosite.reset()")
    page.goto(site.url + "modules/connect-check-ports/")
    drain(page)
    got = collector.statements()
    names = [s["actor"]["account"]["name"] for s in got]
    assert names[0] == first and names[-1] != first and UUID.match(names[-1])
    assert {s["actor"]["account"]["homePage"] for s in got} == {site.url}


def test_the_learner_controls_usage_data_on_the_progress_page(page, site, collector,
                                                                errors) -> None:
    collector.start()
    page.goto(site.url + "progress/")
    box = page.locator("[data-ls-privacy]")
    text = box.locator("[data-ls-privacy-text]")
    shows(text).to_have_text(box.get_attribute("data-ls-on"))
    drain(page)
    first = page.evaluate("localStorage['lecosite.actor']")
    box.locator("[data-ls-privacy-renew]").click()
    shows(text).to_have_text(box.get_attribute("data-ls-renewed"))
    page.goto(site.url + "modules/connect-check-ports/")
    drain(page)
    second = page.evaluate("localStorage['lecosite.actor']")
    assert UUID.match(second) and second != first
    page.goto(site.url + "progress/")
    box.locator("[data-ls-privacy-stop]").click()
    shows(text).to_have_text(box.get_attribute("data-ls-optout"))
    shows(box.locator("[data-ls-privacy-stop]")).to_be_hidden()
    shows(box.locator("[data-ls-privacy-resume]")).to_be_focused()  # focus is not lost
    count = len(collector.statements())
    page.goto(site.url + "modules/connect-check-ports/")
    viewed(page, "/modules/connect-check-ports/")
    assert len(collector.statements()) == count
    page.goto(site.url + "progress/")
    box.locator("[data-ls-privacy-resume]").click()
    shows(text).to_have_text(box.get_attribute("data-ls-on"))
    shows(box.locator("[data-ls-privacy-stop]")).to_be_focused()
    page.goto(site.url + "modules/connect-check-ports/")
    drain(page)
    collector.wait_for(count + 1)
    # Only this view: anything queued while off would have gone first (first in, first out).
    assert sent_since(collector, count) == [(xapi.VERBS["experienced"],
                                             site.url + "modules/connect-check-ports/")]
    assert errors == []


# -- an absent collector -------------------------------------------------------------------


def test_with_the_collector_down_the_page_works_and_the_queue_flushes_later(
        page, site, collector) -> None:
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error"
            and "net::ERR_CONNECTION_REFUSED" not in msg.text else None)
    page.goto(site.url + "modules/connect-check-ports/")
    page.locator(".ls-partof a").first.click()
    page.wait_for_selector("[data-ls-path-page]")
    page.locator(".ls-modules a").first.click()
    page.wait_for_selector(".ls-module-header")
    page.wait_for_timeout(2500)  # a send fails, backs off, keeps everything queued
    queued = page.evaluate("JSON.parse(localStorage['lecosite.q'])")
    assert len(queued) == 5  # 3 views, 2 ends
    assert page.is_visible(".ls-module-header")  # the page itself is unaffected
    assert problems == []
    collector.start()
    page.goto(site.url)  # the next page sends the queue, then its own view
    page.wait_for_function("!JSON.parse(localStorage['lecosite.q'] || '[]').length",
                           timeout=15000)
    got = collector.wait_for(7)
    ids = [s["id"] for s in got]
    assert ids[:5] == [s["id"] for s in queued] and len(ids) == len(set(ids))
    assert [xapi.VERB_NAMES[s["verb"]["id"]] for s in got[5:]] == ["terminated", "experienced"]
    assert problems == []


def test_big_batches_are_split_and_a_refused_statement_is_dropped_alone(page, site,
                                                                         collector) -> None:
    """Browsers refuse keepalive bodies over 64 KB; the collector refuses a whole batch for
    one bad statement (as xAPI says an LRS must). Neither may hold back the others."""
    collector.start()
    page.goto(site.url + "modules/connect-check-ports/")
    drain(page)
    page.evaluate("""() => {
      const L = window.lecosite, long = "é".repeat(999);
      for (let i = 0; i < 45; i++) {
        if (i == 30) {  /* a statement the collector refuses: a verb that is no IRI */
          const q = JSON.parse(localStorage['lecosite.q'] || '[]');
          q.push({...q[q.length - 1], id: crypto.randomUUID(), verb: {id: 'not an iri'}});
          localStorage['lecosite.q'] = JSON.stringify(q);
        }
        L.track('experienced', L.view.o, L.view.c, {response: long});
      }
    }""")
    drain(page)
    got = collector.wait_for(1 + 45)
    assert len(got) == 1 + 45 and all(s["verb"]["id"] != "not an iri" for s in got)
    assert [s["result"]["response"] for s in got[1:]] == ["é" * 999] * 45


def test_the_queue_is_capped(page, site, collector) -> None:
    page.goto(site.url)
    page.evaluate("""() => { for (let i = 0; i < 600; i++)
        window.lecosite.track('experienced', window.lecosite.view.o, window.lecosite.view.c) }""")
    assert page.evaluate("JSON.parse(localStorage['lecosite.q']).length") == 500
