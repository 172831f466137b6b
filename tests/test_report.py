"""The update report on a generated data set with one planted weak module."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import pty
import re
import shutil
import sqlite3
import subprocess
import sys
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlencode

import pytest
from click.testing import CliRunner
from served import Served, bound_socket
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from terminal import read_all

from lecosite import xapi
from lecosite.check import check_project
from lecosite.collect.app import statement_row
from lecosite.collect.store import Store
from lecosite.report.analyze import Content, analyze, clock
from lecosite.report.cli import report as report_command
from lecosite.report.fixture import generate
from lecosite.report.render import CSV_TABLES, to_csv, to_csv_videos, to_html, to_json
from lecosite.report.source import Scope, SourceError, _next_page, from_lrs, stored_summary

REPO = Path(__file__).resolve().parents[1]
SITE = "https://learn.example.com/"  # the fixture's site
STAGING = "https://staging.learn.example.com/"
WEAK = "connect-configure-proxy"
TODAY = date(2026, 12, 1)  # before every sample review date, so only the data ranks


@pytest.fixture(scope="module")
def content() -> Content:
    return Content.from_check(check_project(REPO))


@pytest.fixture(scope="module")
def statements(content: Content) -> list[dict]:
    return generate(content, weak=WEAK, learners=120, seed=11)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, statements: list[dict]) -> Path:
    path = tmp_path_factory.mktemp("report") / "statements.sqlite"
    store = Store(path, sync="normal")
    store.add([statement_row(s) for s in statements], timeout=120)
    store.close()
    return path


def test_the_generated_statements_are_ones_the_collector_accepts(statements) -> None:
    for stmt in statements:
        xapi.validate(stmt)
    verbs = Counter(xapi.VERB_NAMES[s["verb"]["id"]] for s in statements)
    assert {"experienced", "terminated", "completed", "answered", "passed", "failed", "responded",
            "initialized", "played", "paused"} <= set(verbs)


def test_the_planted_weak_module_ranks_first_with_its_reasons(statements, content) -> None:
    report = analyze(statements, content, today=TODAY)
    first = report.candidates[0]
    assert first.id == WEAK
    kinds = {r.kind for r in first.reasons}
    assert {"rating", "video", "checks", "path", "dropoff"} <= kinds
    assert first.owners == content.owners[WEAK]
    assert first.score > 2 * report.candidates[1].score
    assert first.mean_rating is not None and first.mean_rating < 3
    video = first.video
    assert video is not None and video.completion_rate is not None
    assert video.completion_rate < 0.4
    assert video.dropoff_at is not None and video.length
    assert 0.25 <= video.dropoff_at / video.length <= 0.45
    # About 80% of its viewers leave between 0:36 and 0:48: one drop-off, though the
    # retention chart's slices split it in two.
    assert video.dropoff_share is not None and video.dropoff_share >= 0.7
    assert [clock(t) for t in (video.dropoff_at, video.dropoff_to)] == ["0:36", "0:48"]
    assert f"{round(video.dropoff_share * 100)}% of viewers stop the video between 0:36 and " \
        "0:48" in [r.text for r in first.reasons]
    assert first.weakest_question and first.weakest_question[0] == "q1"
    prompt = content.questions[WEAK][1]  # the reason names the question as learners read it
    assert any(f"(weakest: question 2 (“{prompt}”), answered right" in r.text
               for r in first.reasons)


def test_figures_match_the_statements(statements, content) -> None:
    report = analyze(statements, content, today=TODAY)
    by_id = {m.id: m for m in report.modules}
    views = Counter(xapi.parse_activity(s["object"]["id"])[1] for s in statements
                    if s["verb"]["id"] == xapi.VERBS["experienced"]
                    and "/modules/" in s["object"]["id"])
    for mid, count in views.items():
        assert by_id[mid].views == count
    assert report.statements == len(statements)
    assert report.learners == len({s["actor"]["account"]["name"] for s in statements})
    weak = by_id[WEAK]
    assert weak.learners == len({s["actor"]["account"]["name"] for s in statements
                                 if f"/modules/{WEAK}/" in s["object"]["id"]})
    assert weak.median_time is not None and 60 <= weak.median_time <= 600


def test_path_funnels_show_where_learners_leave(statements, content) -> None:
    report = analyze(statements, content, today=TODAY)
    through_weak = [p for p in report.paths if WEAK in [s.module for s in p.steps]]
    assert through_weak
    for path in through_weak:
        learners = [s.learners for s in path.steps]
        assert learners == sorted(learners, reverse=True)  # a funnel never widens
        if path.steps[-1].module != WEAK:
            assert path.drop_after == WEAK


def test_a_step_learners_skip_for_a_later_one_is_no_drop() -> None:
    """Two steps may be alternatives (Windows or Linux): only a learner who reaches no later
    step stops after one."""
    order = ["intro", "windows", "linux", "register"]
    content = Content(titles={m: m.title() for m in order}, paths={"p": ("P", order)})

    def views(learner: str, *steps: str) -> list[dict]:
        return [xapi.statement("experienced", xapi.activity(xapi.module_iri(SITE, m), "module"),
                               actor=xapi.actor(SITE, learner),
                               context=xapi.context(SITE, version="1.0.0", path="p"))
                for m in steps]

    took_one = [s for n in range(10) for s in views(
        f"l{n}", "intro", "windows" if n % 2 else "linux", "register")]
    path = analyze(took_one, content, today=TODAY).paths[0]
    assert [s.learners for s in path.steps] == [10, 5, 5, 10]
    assert (path.drop_after, path.drop_share) == (None, None)
    left = [s for n in range(3) for s in views(f"left{n}", "intro")]
    path = analyze(took_one + left, content, today=TODAY).paths[0]
    assert (path.drop_after, path.drop_share) == ("intro", 3 / 13)
    assert path.too_few_learners == []  # 5 and 5 on the alternatives, and none left there
    # Two learners, one of whom left after "Windows": too few to judge, so named as such;
    # both going on from "Intro" is no worry to name.
    two = views("a", "intro", "windows") + views("b", "intro", "windows", "register")
    path = analyze(two, content, today=TODAY).paths[0]
    assert (path.drop_after, path.too_few_learners) == (None, ["Windows"])


def test_a_certification_funnel_runs_through_the_paths_it_requires(content) -> None:
    """Learners meet a required course's modules in the certification's context (the
    portal credits it), so its funnel has those steps too, after its own modules."""
    own, order = ["connect-architecture-overview"], content.paths[
        "connect-certified-administrator"][1]
    required = content.paths["connect-admin-course"][1] + content.paths[
        "connect-troubleshooting"][1]
    assert order[0] == own[0] and set(required) <= set(order)
    assert len(order) == len(set(order))


def test_an_overdue_review_is_a_reason(content) -> None:
    later = date(2031, 1, 1)
    report = analyze([], content, today=later)
    assert report.candidates, "every module's review is due by 2031"
    assert all(r.kind == "review" for m in report.candidates for r in m.reasons)
    assert "review was due" in report.candidates[0].reasons[0].text


def test_html_is_self_contained_and_escaped(statements, content) -> None:
    hostile = Content(titles=dict(content.titles), owners=dict(content.owners),
                      review_by=dict(content.review_by), paths=dict(content.paths))
    hostile.titles[WEAK] = "<script>alert('t')</script>"
    # An LRS can hold any id; one that still ends like a lecosite video gets a row.
    odd = "https://evil.example/<script>x</script>/modules/" + WEAK + "/video/4"
    played = xapi.statement("played", xapi.activity(odd, "video"), actor=xapi.actor(SITE, "x"),
                            result=xapi.video_result(time=0))
    page = to_html(analyze([*statements, played], hostile, today=TODAY))
    assert "<script" not in page
    assert "https://evil.example/&lt;script&gt;x&lt;/script&gt;/modules/" in page
    assert "&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;" in page
    assert "&lt;b&gt;entirely&lt;/b&gt;" in page  # a learner's comment, as text
    assert not re.search(r"""(src|href)\s*=|@import|url\(""", page)
    assert "default-src 'none'" in page
    assert page.index(hostile.titles[WEAK].replace("<", "&lt;").replace(">", "&gt;")
                      .replace("'", "&#39;")) < page.index('id="modules"')


def test_csv_and_json_rank_the_same_way(statements, content) -> None:
    report = analyze(statements, content, today=TODAY)
    rows = list(csv.DictReader(io.StringIO(to_csv(report))))
    assert rows[0]["module"] == WEAK and rows[0]["rank"] == "1"
    assert len(rows) == len(report.modules)
    data = json.loads(to_json(report))
    assert data["candidates"][0]["module"] == WEAK
    assert [c["module"] for c in data["candidates"]] == [m.id for m in report.candidates]
    weak = next(m for m in data["modules"] if m["module"] == WEAK)
    assert len(weak["retention"]) == 20 and weak["comments"]


def test_csv_cells_cannot_become_spreadsheet_formulas(content) -> None:
    site = "https://learn.example.com/"
    learner = xapi.actor(site, "x")
    rated = xapi.statement("responded", xapi.rating_activity(site, WEAK), actor=learner,
                           result=xapi.rating_result(1))
    titles = dict(content.titles) | {WEAK: "=HYPERLINK(\"http://evil\")"}
    report = analyze([rated], Content(titles=titles, owners=content.owners), today=TODAY)
    assert "'=HYPERLINK" in to_csv(report)


def test_csv_cells_cannot_become_formulas_where_spreadsheets_split_on_semicolons(
        tmp_path: Path) -> None:
    """Excel in German or French opens a .csv split on ';': anyone who may post to the
    collector can put ';=…' in a video id, and the cell after that ';' began with '='."""
    iri = f"{SITE}x;=SUM(1+1)*9;/modules/{HAND}/video/2"
    played = xapi.statement("played", xapi.activity(iri, "video"), actor=xapi.actor(SITE, "a"),
                            result=xapi.video_result(time=0))
    db = str(_store(tmp_path / "semicolon.sqlite", [played]))
    result = CliRunner().invoke(report_command, ["--db", db, "--project", str(REPO),
                                                 "-o", str(tmp_path / "r.csv")])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "r-videos.csv").read_text(encoding="utf-8")
    assert f"{SITE}x;'=SUM(1+1)*9;/modules/{HAND}/video/2" in text
    assert not [cell for line in text.splitlines() for cell in line.split(";")[1:]
                if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]


# What no output may hold: control characters but tab and newline, and the bidi controls.
CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def test_a_comment_cannot_reverse_the_page_or_cut_a_csv_row(tmp_path: Path) -> None:
    """A right-to-left override in a comment reversed the text after it on the page, beyond
    the comment; a NUL cut the CSV row short in many readers. Each comment is isolated
    (<bdi>) and loses its control characters but tab and newline: the bidi controls too,
    which reordered a spreadsheet's cell, and a CSV or JSON file read as text. The formula
    guard holds on what is left, a formula behind a control character too."""
    said = ["\u202egnp.exe", "a\x00b\x07c\td\r\ne", "\x00=HYPERLINK(\"http://evil\")",
            "\u2067=1+1\u2069 \u200fok\u061c\u200e \u202a\u202b\u202c\u202d\u2066\u2068"]
    db = _store(tmp_path / "c.sqlite", [_rating(f"l{n}", 2, f"2026-10-0{n + 1}T10:00:00Z", text)
                                        for n, text in enumerate(said)])
    result = CliRunner().invoke(report_command, ["--db", str(db), "--project", str(REPO),
                                                 "-o", str(tmp_path / "r.csv")])
    assert result.exit_code == 0, result.output
    with (tmp_path / "r-comments.csv").open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert [r["comment"] for r in rows] == ["'=1+1 ok ", "'=HYPERLINK(\"http://evil\")",
                                            "abc\td\ne", "gnp.exe"]
    texts = ["=1+1 ok ", "=HYPERLINK(\"http://evil\")", "abc\td\ne", "gnp.exe"]
    data = _json_report("--db", str(db))
    assert [c["text"] for m in data["modules"] for c in m["comments"]] == texts
    result = CliRunner().invoke(report_command, ["--db", str(db), "--project", str(REPO),
                                                 "-o", str(tmp_path / "r.html")])
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert not CONTROLS.search(page)
    for text in ("gnp.exe", "abc\td\ne", '=HYPERLINK(&#34;http://evil&#34;)', "=1+1 ok "):
        assert f": <bdi>{text}</bdi></blockquote>" in page


def test_ids_and_versions_from_statements_lose_their_control_characters(tmp_path: Path) -> None:
    """An LRS hands back what was sent to it: a video's IRI, a question's id and a content
    version with bidi or other control characters, which the collector refuses. They reached
    the CSV's cells, the JSON and the reasons as they were; and the sites the report names
    when --site matches none reached the terminal."""
    hidden = "\u202e\x1b\x07\u2066"
    tries = [s for n in range(4) for s in _try(f"a{n}", "1.0.0", False)]
    for stmt in tries:
        stmt["context"]["extensions"][xapi.EXTENSIONS["version"]] = f"1{hidden}.0.0"
        if stmt["verb"]["id"] == xapi.VERBS["answered"]:
            stmt["object"]["id"] += hidden
    video = f"{SITE}{hidden}x/modules/{HAND}/video/2"
    played = xapi.statement("played", xapi.activity(video, "video"), actor=xapi.actor(SITE, "v"),
                            result=xapi.video_result(time=0))
    report = analyze([*tries, played], Content(titles={HAND: HAND}, majors={HAND: "1"}),
                     today=TODAY)
    outputs = [to_csv(report), to_json(report), to_html(report),
               *(render(report) for render in CSV_TABLES.values())]
    assert not [text for text in outputs if CONTROLS.search(text)]
    row = next(csv.DictReader(io.StringIO(to_csv(report))))
    assert row["check_version"] == "1" and "(weakest: question “q1”" in row["reasons"]
    videos = list(csv.DictReader(io.StringIO(to_csv_videos(report))))
    assert [v["video"] for v in videos] == [f"{SITE}x/modules/{HAND}/video/2"]
    elsewhere = _view(f"https://evil{hidden}.example/", "x", "2026-10-01T00:00:00Z")
    with StatementsLRS([elsewhere | {"stored": "2026-10-01T00:00:01Z"}]) as lrs:
        none = CliRunner().invoke(report_command, ["--lrs", lrs.url, "--project", str(REPO),
                                                   "--site", SITE])
    assert none.exit_code == 0, none.output
    assert "their sites: https://evil.example/" in none.stderr
    assert not CONTROLS.search(none.stderr.replace("\n", ""))


def test_a_statement_whose_activity_id_is_no_address_is_left_out_by_site(tmp_path: Path) -> None:
    """'https://[::1/' made urlsplit raise: the report stopped with a traceback."""
    broken = _view("https://[::1/", "x", "2026-10-01T00:00:00Z")
    with StatementsLRS([broken | {"stored": "2026-10-01T00:00:01Z"}]) as lrs:
        result = CliRunner().invoke(report_command, ["--lrs", lrs.url, "--project", str(REPO),
                                                     "--site", SITE])
    assert result.exit_code == 0, result.output
    assert "their sites: (no site)" in result.stderr


def test_report_command_writes_each_format(db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    for fmt in ("html", "csv", "json"):
        out = tmp_path / f"report.{fmt}"
        result = runner.invoke(report_command, ["--db", str(db), "--project", str(REPO),
                                                "--format", fmt, "-o", str(out),
                                                "--today", TODAY.isoformat()])
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 500
    assert json.loads((tmp_path / "report.json").read_text())["candidates"][0]["module"] == WEAK
    assert "Demo data" not in (tmp_path / "report.html").read_text(encoding="utf-8")


def test_a_database_in_a_folder_that_cannot_be_written_is_read(db: Path, tmp_path: Path) -> None:
    """A copy on a read-only mount: SQLite cannot make the WAL's '-shm' file beside it."""
    folder = tmp_path / "backup #1?"
    folder.mkdir()
    copy = shutil.copy(db, folder / "statements.sqlite")
    conn = sqlite3.connect(copy)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    conn.close()
    folder.chmod(0o555)
    frozen = os.geteuid() == 0 and subprocess.run(["chattr", "+i", str(folder)],
                                                  capture_output=True).returncode == 0
    try:
        try:
            (folder / "probe").touch()
            pytest.skip("this machine lets the test write into a read-only folder")
        except PermissionError:
            pass
        result = CliRunner().invoke(report_command, [
            "--db", str(copy), "--project", str(REPO), "--format", "json", "-o", "-",
            "--today", TODAY.isoformat()])
    finally:
        if frozen:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        folder.chmod(0o755)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["candidates"][0]["module"] == WEAK
    assert sorted(p.name for p in folder.iterdir()) == ["statements.sqlite"]


def test_demo_shows_the_report_on_made_up_visits_and_says_so(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(report_command, ["--demo", "--project", str(REPO), "--format",
                                            "json", "-o", "-", "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["demo"] is True and "made-up visits" in data["source"]
    weak = re.search(r"'([a-z0-9-]+)' made to look weak", data["source"]).group(1)
    assert data["candidates"][0]["module"] == weak
    page = tmp_path / "demo.html"
    assert runner.invoke(report_command, ["--demo", "--project", str(REPO), "-o",
                                          str(page)]).exit_code == 0
    assert "<b>Demo data.</b>" in page.read_text(encoding="utf-8")
    mixed = runner.invoke(report_command, ["--demo", "--db", str(tmp_path / "x.sqlite"),
                                           "--project", str(REPO)])
    assert mixed.exit_code == 2 and "--demo reads no stored statements" in mixed.output


def test_demo_runs_on_a_new_portal_that_has_no_path_yet(tmp_path: Path) -> None:
    """The guide's first steps (new portal, new module) then 'report --demo' ended in
    '--demo: the content has no paths to walk'."""
    from lecosite.cli import main

    runner = CliRunner()
    assert runner.invoke(main, ["new", "portal", str(tmp_path)]).exit_code == 0
    for mid in ("first-steps", "second-steps"):
        made = runner.invoke(main, ["new", "module", "--project", str(tmp_path), "--id", mid,
                                    "--title", mid, "--owner", "@acme/team", "--goal",
                                    "Start.", "--duration", "10", "--folder", ""])
        assert made.exit_code == 0, made.output
    result = runner.invoke(report_command, ["--demo", "--project", str(tmp_path), "--format",
                                            "json", "-o", "-"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert "'first-steps' made to look weak" in data["source"]
    assert data["learners"] == 80 and data["candidates"][0]["module"] == "first-steps"
    assert {m["module"]: m["views"] > 0 for m in data["modules"]} == {
        "first-steps": True, "second-steps": True}


def test_the_output_files_suffix_chooses_the_format(db: Path, tmp_path: Path) -> None:
    for name, starts in (("r.csv", "rank,module,"), ("r.json", "{"), ("r.html", "<!doctype")):
        result = CliRunner().invoke(report_command, ["--db", str(db), "--project", str(REPO),
                                                     "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        assert (tmp_path / name).read_text(encoding="utf-8").startswith(starts), name
    assert (tmp_path / "r-videos.csv").is_file()


def test_site_matches_in_any_case_and_a_site_that_matches_nothing_says_so(db: Path) -> None:
    base = ["--db", str(db), "--project", str(REPO), "--format", "json"]
    upper = CliRunner().invoke(report_command, [*base, "--site", "HTTPS://Learn.Example.com"])
    assert upper.exit_code == 0 and json.loads(upper.stdout)["statements"] > 1000
    other = CliRunner().invoke(report_command, [*base, "--site", "https://staging.example.com"])
    assert other.exit_code == 0 and json.loads(other.stdout)["statements"] == 0
    stored = sqlite3.connect(db).execute("SELECT COUNT(*) FROM statements").fetchone()[0]
    assert (f"note: none of the {stored} statements in {db} matches --site "
            f"https://staging.example.com/; their sites: {SITE}") in other.stderr


def test_a_since_that_matches_nothing_names_the_latest_statement(db: Path) -> None:
    base = ["--db", str(db), "--project", str(REPO), "--format", "json"]
    conn = sqlite3.connect(db)
    stored, latest = conn.execute("SELECT COUNT(*), max(coalesce(timestamp, stored)) "
                                  "FROM statements").fetchone()
    conn.close()
    later = CliRunner().invoke(report_command, [*base, "--since", "2099-01-01"])
    assert later.exit_code == 0 and json.loads(later.stdout)["statements"] == 0
    assert (f"note: none of the {stored} statements in {db} matches --since "
            f"2099-01-01T00:00:00+00:00; the latest is from {latest}") in later.stderr
    both = CliRunner().invoke(report_command, [*base, "--since", "2099-01-01", "--site", SITE])
    assert f"2099-01-01T00:00:00+00:00; the latest of {SITE} is from {latest}" in both.stderr


def test_output_dash_is_standard_output_and_a_suffix_must_name_the_format(
        db: Path, tmp_path: Path) -> None:
    base = ["--db", str(db), "--project", str(REPO)]
    dash = CliRunner().invoke(report_command, [*base, "-o", "-", "--format", "csv"])
    assert dash.exit_code == 0 and dash.stdout.startswith("rank,module,")
    assert not Path("-").exists()
    for args, says in ((["-o", str(tmp_path / "r.txt")], "the suffix says which format"),
                       (["--format", "csv", "-o", str(tmp_path / "r.html")],
                        "r.html' is a .html file but --format is csv")):
        wrong = CliRunner().invoke(report_command, [*base, *args])
        assert wrong.exit_code == 2 and says in wrong.output
    assert list(tmp_path.iterdir()) == []


def test_output_into_a_missing_folder_says_to_create_it(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "reports" / "2026" / "report.csv"
    result = CliRunner().invoke(report_command, ["--db", str(db), "--project", str(REPO),
                                                 "-o", str(target)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert (f"cannot write {target}: there is no folder {target.parent}; create it, or give "
            "-o a path in a folder that exists") in result.output
    assert not (tmp_path / "reports").exists()


def test_output_through_a_link_keeps_the_link_and_a_pipe_is_refused(db: Path,
                                                                     tmp_path: Path) -> None:
    """The rename that writes every file or none replaced a link with a file, and a device
    or pipe with a file ('-o /dev/full' said it wrote)."""
    base = ["--db", str(db), "--project", str(REPO), "--format", "json"]
    real = tmp_path / "shared" / "report.json"
    real.parent.mkdir()
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "latest.json"
    link.symlink_to(real)
    assert CliRunner().invoke(report_command, [*base, "-o", str(link)]).exit_code == 0
    assert link.is_symlink() and json.loads(real.read_text(encoding="utf-8"))["statements"]
    pipe = tmp_path / "pipe.json"
    os.mkfifo(pipe)
    refused = CliRunner().invoke(report_command, [*base, "-o", str(pipe)])
    assert refused.exit_code == 1 and f"cannot write {pipe}: it is not a file" in refused.output
    assert pipe.is_fifo()


def test_output_over_the_database_it_reads_is_refused(db: Path, tmp_path: Path) -> None:
    """'--format csv -o statements.sqlite' replaced the collector's file with the report:
    every statement in it was lost, and the command said it wrote the report."""
    copy = tmp_path / "statements.sqlite"
    shutil.copyfile(db, copy)
    link = tmp_path / "latest.json"
    link.symlink_to(copy)
    for fmt, target in (("csv", copy), ("json", link), ("html", Path(f"{copy}-wal"))):
        result = CliRunner().invoke(report_command, ["--db", str(copy), "--project",
                                                      str(REPO), "--format", fmt,
                                                      "-o", str(target)])
        assert result.exit_code == 1, result.output
        assert (f"cannot write {target}: it is the database the report reads ({copy})"
                in result.output)
    reading = {"statements.sqlite-wal", "statements.sqlite-shm"}  # SQLite's, to read it
    assert {p.name for p in tmp_path.iterdir()} - reading == {"latest.json", "statements.sqlite"}
    assert stored_summary(copy)[0] == stored_summary(db)[0] > 0


def test_the_default_database_is_the_one_serve_writes_at_the_projects_root(
        db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`lecosite serve` writes it at the root; a report run from content/ finds it."""
    project = tmp_path / "project"
    shutil.copytree(REPO / "content", project / "content")
    shutil.copy(REPO / "lecosite.yml", project / "lecosite.yml")
    shutil.copy(db, project / xapi.DEFAULT_DB)
    monkeypatch.chdir(project / "content" / "modules")
    result = CliRunner().invoke(report_command, ["--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["candidates"][0]["module"] == WEAK


def _project(tmp_path: Path, settings: str) -> Path:
    project = tmp_path / "project"
    shutil.copytree(REPO / "content", project / "content")
    (project / "lecosite.yml").write_text(settings, encoding="utf-8")
    return project


def test_review_cadences_make_update_candidates_as_stale_lists_them(tmp_path: Path) -> None:
    """A module without review_by is due by its cadence (lecosite.yml here), as `stale` and
    the freshness rule have it; one never reviewed under a cadence is due already."""
    project = _project(tmp_path, "review: {every: 1}\n")
    ports = project / "content" / "modules" / "connect-install" / "connect-check-ports.md"
    ports.write_text(ports.read_text(encoding="utf-8").replace("review_by: 2027-04-12\n", ""),
                     encoding="utf-8")
    tour = next((project / "content" / "modules").rglob("connect-console-tour.md"))
    text = tour.read_text(encoding="utf-8")
    tour.write_text(re.sub(r"(?m)^(last_reviewed|review_by): .*\n", "", text), encoding="utf-8")
    content = Content.from_check(check_project(project))
    report = analyze([], content, today=TODAY)
    reasons = {m.id: [r.text for r in m.reasons] for m in report.candidates}
    assert reasons["connect-check-ports"] == ["review was due 2026-11-12 (19 days ago)"]
    assert reasons["connect-console-tour"] == [
        "never reviewed, though a review cadence applies (no last_reviewed date)"]


def test_a_module_file_it_cannot_read_stays_a_candidate_and_is_named(tmp_path: Path,
                                                                      db: Path) -> None:
    """A YAML typo in the weak module's file (an unquoted colon) dropped it from the update
    candidates as if it were removed, unsaid: it is still there, only unread."""
    project = _project(tmp_path, "")
    weak = next((project / "content" / "modules").rglob(f"{WEAK}.md"))
    text = weak.read_text(encoding="utf-8")
    weak.write_text(text.replace("goal: Administrators", "goal: Note: administrators"),
                    encoding="utf-8")
    result = CliRunner().invoke(report_command, ["--db", str(db), "--project", str(project),
                                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    first = json.loads(result.stdout)["candidates"][0]
    assert (first["module"], first["in_content"], first["title"]) == (WEAK, True, WEAK)
    rel = weak.relative_to(project).as_posix()
    assert (f"note: 1 content file(s) could not be read: {rel}; their modules' figures are "
            "shown without what the files say") in result.stderr
    page = CliRunner().invoke(report_command, ["--db", str(db), "--project", str(project)])
    assert f"the files say):\n    <code>{rel}</code>." in page.stdout


@pytest.mark.parametrize(("settings", "said"), [
    ("duration: {min: 5, max: 15, maxx: 3}\n", "lecosite.yml:1:29: unknown key 'maxx'"),
    ("modules_dir: [\n", "lecosite.yml:1:14: invalid YAML: the value of 'modules_dir' starts"),
])
def test_settings_it_cannot_read_stop_the_report(tmp_path: Path, db: Path, settings: str,
                                                 said: str) -> None:
    """Not a report made with the default settings, as if the file were fine."""
    project = _project(tmp_path, settings)
    result = CliRunner().invoke(report_command, ["--db", str(db), "--project", str(project),
                                                 "--format", "json", "-o", "-"])
    assert result.exit_code == 1, result.output
    assert said in result.output and "lecosite check" in result.output


@pytest.mark.parametrize("args", [
    ["--db", "missing.sqlite"],
    [],
    ["--db", "x.sqlite", "--lrs", "http://127.0.0.1:9/xAPI"],
    ["--lrs", "http://127.0.0.1:9/xAPI"],
    ["--lrs", "http://[::1"],
    ["--lrs", "lrs.example.com/xAPI"],
    ["--lrs", "http://u:secret@127.0.0.1:9/xAPI"],
])
def test_report_command_errors_are_one_readable_line(args: list[str], tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # A copy, run from elsewhere: the repository's own default database is there once its
    # README's main command has served the portal, and the report with no --db read it.
    project = _project(tmp_path, (REPO / "lecosite.yml").read_text(encoding="utf-8"))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(report_command, [*args, "--project", str(project)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Error:" in result.output and "Traceback" not in result.output
    assert "secret" not in result.output  # credentials in the URL stay out of the message


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/xAPI?tenant=1", "http://127.0.0.1:9/xAPI#x"])
def test_an_lrs_address_with_a_query_is_refused_before_it_is_asked(url: str) -> None:
    """'/statements' was joined to it as a URL is, in place of its last part: the report
    asked http://…/statements, and blamed a '/statements' never typed."""
    result = CliRunner().invoke(report_command, ["--lrs", url, "--project", str(REPO)])
    assert result.exit_code == 1
    assert (f"Error: --lrs: {url!r} has a query or fragment ('?…' or '#…'), which the LRS's "
            "xAPI address has not") in result.output


@pytest.mark.parametrize(("content", "said"), [
    (b"this is not a database" * 100, "is not a collector database"),
    (b"", "is an empty file"),
])
def test_a_file_that_is_no_collector_database_is_a_readable_error(tmp_path: Path, content,
                                                                    said) -> None:
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(content)
    result = CliRunner().invoke(report_command, ["--db", str(bad), "--project", str(REPO)])
    assert result.exit_code == 1 and f"{bad} {said}: pass --db the file" in result.output


def test_a_missing_database_says_how_one_comes_about(tmp_path: Path) -> None:
    result = CliRunner().invoke(report_command, ["--db", str(tmp_path / "none.sqlite"),
                                                 "--project", str(REPO)])
    assert result.exit_code == 1
    assert "no collector database at" in result.output
    assert "once 'lecosite serve' or 'lecosite collect' has run" in result.output


# -- helpers for hand-made data sets ----------------------------------------------------------


def _store(path: Path, statements: list[dict]) -> Path:
    store = Store(path, sync="normal")
    try:
        store.add([statement_row(s) for s in statements], timeout=60)
    finally:
        store.close()
    return path


def _json_report(*args: str) -> dict:
    result = CliRunner().invoke(report_command, [*args, "--project", str(REPO), "--format",
                                                 "json", "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _watch(mid: str, index: int, learner: str, stop: float, *, finished: bool = False,
           length: float | None = None, start: float = 0) -> list[dict]:
    """One viewer of the index-th video on a module page, from ``start`` to ``stop`` s."""
    page = xapi.module_iri(SITE, mid)
    video = xapi.activity(xapi.video_iri(page, index), "video")
    extensions = {"session": xapi.new_id()} | ({"length": length} if length else {})
    ctx = xapi.context(SITE, version="1.0.0", parent=[xapi.activity(page, "module")],
                       category=[xapi.activity(xapi.VIDEO_PROFILE, "profile")],
                       extensions=extensions)
    who = xapi.actor(SITE, learner)
    watched = xapi.video_result(time=stop, segments=xapi.segments_text([(start, stop)]))
    out = [xapi.statement("played", video, actor=who, context=ctx,
                          result=xapi.video_result(time=start))]
    if finished:
        out.append(xapi.statement("completed", video, actor=who, context=ctx,
                                  result={"completion": True, **watched}))
    out.append(xapi.statement("paused", video, actor=who, context=ctx, result=watched))
    return out


# -- several videos on one page ---------------------------------------------------------------

TWO_VIDEOS = "connect-register-agent"  # its front matter gives a 214 s video


@pytest.fixture(scope="module")
def three_videos() -> list[dict]:
    """Video 1 (no length sent: the front matter's) watched to the end by all ten viewers;
    video 2 (60 s) left at 0:20 by eight of them; video 3 (no length) never finished."""
    out = []
    for n in range(10):
        out += _watch(TWO_VIDEOS, 0, f"v{n}", 214, finished=True)
        out += _watch(TWO_VIDEOS, 1, f"v{n}", 60 if n < 2 else 20, finished=n < 2, length=60)
        out += _watch(TWO_VIDEOS, 2, f"v{n}", 30)
    return out


def test_each_video_on_a_page_has_its_own_figures_and_reasons(three_videos, content) -> None:
    module = next(m for m in analyze(three_videos, content, today=TODAY).modules
                  if m.id == TWO_VIDEOS)
    page = xapi.module_iri(SITE, TWO_VIDEOS)
    ids = [xapi.video_iri(page, i) for i in range(3)]
    assert [(v.id, v.number) for v in module.videos] == [(ids[0], 1), (ids[1], 2), (ids[2], 3)]
    first, second, third = module.videos
    assert module.video is first  # the module-level video figures
    assert (first.viewers, first.completion_rate, first.length) == (10, 1.0, 214.0)
    assert first.dropoff_share is None
    assert (second.viewers, second.completion_rate, second.length) == (10, 0.2, 60.0)
    assert second.dropoff_at == second.dropoff_to == 20.0
    assert second.dropoff_share == pytest.approx(0.8)
    # No length in its statements, and the front matter's belongs to the first video only.
    assert third.length is None and third.retention == [] and third.completion_rate == 0
    reasons = [r.text for r in module.reasons]
    assert f"only 20% of 10 viewers finish video 2 ({ids[1]})" in reasons
    assert f"80% of viewers stop video 2 ({ids[1]}) around 0:20" in reasons
    assert f"only 0% of 10 viewers finish video 3 ({ids[2]})" in reasons
    assert not any("video 1" in r for r in reasons)


def test_every_format_lists_each_video(three_videos, tmp_path: Path) -> None:
    db = _store(tmp_path / "videos.sqlite", three_videos)
    second = xapi.video_iri(xapi.module_iri(SITE, TWO_VIDEOS), 1)
    data = _json_report("--db", str(db))
    module = next(m for m in data["modules"] if m["module"] == TWO_VIDEOS)
    assert [(v["video"], v["viewers"], v["length_s"]) for v in module["videos"]][1] == \
        (second, 10, 60.0)
    assert module["videos"][1]["dropoff_at_s"] == module["videos"][1]["dropoff_to_s"] == 20.0
    assert len(module["videos"][1]["retention"]) == 20
    assert module["video_completion_rate"] == 1.0  # the first video's, as before
    runner = CliRunner()
    for fmt in ("csv", "html"):
        result = runner.invoke(report_command, ["--db", str(db), "--project", str(REPO),
                                                "--format", fmt, "-o", str(tmp_path / f"r.{fmt}"),
                                                "--today", TODAY.isoformat()])
        assert result.exit_code == 0, result.output
    rows = list(csv.DictReader((tmp_path / "r-videos.csv").open(encoding="utf-8")))
    assert [(r["module"], r["number"], r["video"]) for r in rows] == \
        [(TWO_VIDEOS, str(n + 1), xapi.video_iri(xapi.module_iri(SITE, TWO_VIDEOS), n))
         for n in range(3)]
    assert rows[1]["completion_rate"] == "0.2" and rows[1]["dropoff_share"] == "0.8"
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert page.count(f"<code class=\"muted\">{second}</code>") == 1
    assert f"finish video 2 ({second})" in page


# -- which statements: --site and --since ------------------------------------------------------

SCOPED = "connect-check-ports"


def _view(site: str, learner: str, when: str) -> dict:
    return xapi.statement("experienced", xapi.activity(xapi.module_iri(site, SCOPED), "module"),
                          actor=xapi.actor(site, learner), timestamp=when,
                          context=xapi.context(site, version="1.0.0"))


# Views of one module from production and staging, around 2026-10-01T00:00Z.
VIEWS = [
    _view(SITE, "before", "2026-09-30T23:59:59.999Z"),
    _view(SITE, "at", "2026-10-01T00:00:00Z"),
    _view(SITE, "offset", "2026-10-01T01:30:00+0200"),  # 23:30Z the day before
    _view(SITE, "after", "2026-10-02T12:00:00.123456789+02:00"),
    _view(STAGING, "staging", "2026-10-03T00:00:00Z"),
]
KEPT = {"at", "after"}


def _views(data: dict) -> int:
    return next(m for m in data["modules"] if m["module"] == SCOPED)["views"]


def test_statements_about_nothing_the_portal_knows_are_counted_as_left_out(
        tmp_path: Path) -> None:
    other = xapi.statement("experienced", xapi.activity(
        "https://learn.example.com/modules/Connect_Old_Module/", "module"),
        actor=xapi.actor(SITE, "x"), context=xapi.context(SITE, version="1.0.0"))
    catalog = xapi.statement("experienced", xapi.activity(SITE, "page"),
                             actor=xapi.actor(SITE, "x"), context=xapi.context(SITE))
    removed_path = xapi.statement("experienced", xapi.activity(
        xapi.path_iri(SITE, "a-path-since-removed"), "path"),
        actor=xapi.actor(SITE, "x"), context=xapi.context(SITE, version="1.0.0"))
    db = str(_store(tmp_path / "odd.sqlite", [*VIEWS[:2], other, removed_path]))
    _store(Path(db), [catalog])  # a view of the catalog is no stranger
    data = _json_report("--db", db)
    assert (data["statements"], data["ignored"]) == (5, 2)
    html = CliRunner().invoke(report_command, ["--db", db, "--project", str(REPO),
                                               "--today", TODAY.isoformat()])
    assert re.search(r"5 statements\s+\(2 left out: not about this portal's modules\s+or "
                     r"paths, or not readable as the portal sends them\)", html.output)


def test_a_completion_undone_is_not_counted(tmp_path: Path) -> None:
    """"Undo" voids the completed statement; a completion again later counts."""
    module = xapi.activity(xapi.module_iri(SITE, SCOPED), "module")

    def done(learner: str) -> dict:
        return xapi.statement("completed", module, actor=xapi.actor(SITE, learner),
                              context=xapi.context(SITE, version="1.0.0"),
                              result={"completion": True})

    def undo(stmt: dict) -> dict:
        return xapi.statement("voided", {"objectType": "StatementRef", "id": stmt["id"]},
                              actor=stmt["actor"])

    first, second, other = done("ada"), done("ada"), done("bob")
    def early(stmt: dict) -> dict:
        return stmt | {"timestamp": "2026-01-01T00:00:00.000Z"}

    db = str(_store(tmp_path / "undo.sqlite",
                    [early(s) for s in (first, undo(first), other, undo(other))]))
    for scope in ([], ["--site", SITE]):  # a voiding statement is on its actor's site
        data = _json_report("--db", db, *scope)
        scoped = next(m for m in data["modules"] if m["module"] == SCOPED)
        assert (data["statements"], data["ignored"], scoped["completion_rate"]) == (4, 0, 0)
    stray = xapi.statement("voided", {"objectType": "StatementRef", "id": xapi.new_id()},
                           actor=xapi.actor(SITE, "ada"))
    _store(Path(db), [early(second), early(stray)])
    data = _json_report("--db", db)
    scoped = next(m for m in data["modules"] if m["module"] == SCOPED)
    assert scoped["completion_rate"] == 0.5  # ada again, of ada and bob
    assert data["ignored"] == 1  # a voiding statement about no statement read
    # From a date on, an "Undo" of an earlier completion is expected, not unknown.
    _store(Path(db), [undo(second)])  # now
    data = _json_report("--db", db, "--since", "2026-06-01")
    assert (data["statements"], data["ignored"]) == (1, 0)
    assert _json_report("--db", db)["ignored"] == 1
    # An LRS leaves voided statements out of its answers: their Undo is expected there too.
    content = Content(titles={SCOPED: "Scoped"})
    for partial, ignored in ((False, 1), (True, 0)):
        report = analyze([undo(first), other], content, today=TODAY, partial=partial)
        assert report.ignored == ignored


def test_an_empty_database_says_there_is_no_data_yet(tmp_path: Path) -> None:
    db = str(_store(tmp_path / "empty.sqlite", []))
    html = CliRunner().invoke(report_command, ["--db", db, "--project", str(REPO),
                                               "--today", TODAY.isoformat()])
    assert html.exit_code == 0, html.output
    assert "No statements yet" in html.output and "No module has been viewed yet" in html.output
    assert "review dates are fine" not in html.output


def test_site_and_since_narrow_the_collector_database(tmp_path: Path) -> None:
    db = str(_store(tmp_path / "sites.sqlite", VIEWS))
    everything = _json_report("--db", db)
    assert everything["statements"] == 5 and _views(everything) == 5
    for since in ("2026-10-01", "2026-10-01T02:00+02:00", "2026-10-01T00:00:00Z"):
        data = _json_report("--db", db, "--site", SITE.rstrip("/"), "--since", since)
        assert data["statements"] == len(KEPT) and _views(data) == len(KEPT), since
        assert f"site {SITE} · since 2026-10-01" in data["source"]
    staging = _json_report("--db", db, "--site", STAGING)
    assert staging["statements"] == 1 and staging["learners"] == 1


def _visit(learner: str, start: str, end: str, seconds: float, *,
           stop: float = 100) -> list[dict]:
    """A view of SCOPED from ``start`` to ``end`` (its time on page, ``seconds``), with a
    video session on it started then: the 100 s video watched to ``stop``."""
    page = xapi.activity(xapi.module_iri(SITE, SCOPED), "module")
    who, ctx = xapi.actor(SITE, learner), xapi.context(SITE, version="1.0.0")
    played, *watched = _watch(SCOPED, 0, learner, stop, finished=stop >= 90, length=100)
    ready = {k: v for k, v in played.items() if k != "result"} | {
        "id": xapi.new_id(), "verb": {"id": xapi.VERBS["initialized"]}}
    return [xapi.statement("experienced", page, actor=who, context=ctx, timestamp=start),
            *(s | {"timestamp": start} for s in (ready, played)),
            *(s | {"timestamp": end} for s in watched),
            xapi.statement("terminated", page, actor=who, context=ctx, timestamp=end,
                           result={"duration": xapi.duration(seconds)})]


def test_since_counts_time_and_video_sessions_of_the_views_it_counts(tmp_path: Path) -> None:
    """With --since, the median time on page took in views begun before the date (their end
    came after it), which the views column does not count; a video session begun before it
    made a viewer of its last part alone: 0% finished, a drop-off where they stopped."""
    db = str(_store(tmp_path / "cut.sqlite", [
        *_visit("before", "2026-09-30T23:40:00Z", "2026-10-01T00:20:00Z", 2400, stop=30),
        *_visit("after", "2026-10-01T08:00:00Z", "2026-10-01T08:01:00Z", 60),
        # one learner, two views: the first begun before the date
        *_visit("both", "2026-09-30T23:50:00Z", "2026-10-01T00:30:00Z", 2400, stop=30),
        *_visit("both", "2026-10-01T09:00:00Z", "2026-10-01T09:02:00Z", 120)]))
    everything = next(m for m in _json_report("--db", db)["modules"] if m["module"] == SCOPED)
    assert (everything["views"], everything["median_time_s"]) == (4, 1260)
    data = _json_report("--db", db, "--since", "2026-10-01")
    scoped = next(m for m in data["modules"] if m["module"] == SCOPED)
    assert (scoped["views"], scoped["median_time_s"]) == (2, 90)
    assert (scoped["video_viewers"], scoped["video_completion_rate"]) == (2, 1)
    # "before" did nothing since the date but end what was begun: no learner of it either.
    assert (scoped["learners"], data["learners"]) == (2, 2)
    assert (everything["learners"], _json_report("--db", db)["learners"]) == (3, 3)

class StatementsLRS(Served):
    """GET /xAPI/statements as an LRS answers it: ``since`` compared with ``stored``
    (exclusive), two statements a page with ``more``; records each query."""

    def __init__(self, statements: list[dict]) -> None:
        self.statements = statements
        self.queries: list[dict[str, str]] = []

        async def get(request: Request) -> JSONResponse:
            query = dict(request.query_params)
            self.queries.append(query)
            since = query.get("since")
            found = [s for s in self.statements if since is None or
                     datetime.fromisoformat(s["stored"]) > datetime.fromisoformat(since)]
            page = int(query.pop("page", "0"))
            more = (f"/xAPI/statements?{urlencode(query | {'page': page + 1})}"
                    if len(found) > 2 * page + 2 else "")
            return JSONResponse({"statements": found[2 * page:2 * page + 2], "more": more})

        super().__init__(bound_socket(), [Route("/xAPI/statements", get)])


def test_site_and_since_narrow_an_lrs_and_a_site_that_matches_none_says_so(
        tmp_path: Path) -> None:
    def stored(stmt: dict, when: str) -> dict:
        return stmt | {"stored": when}

    held = [stored(VIEWS[0], "2026-10-01T00:00:01Z"),
            stored(VIEWS[1], "2026-10-01T00:00:01Z"),
            stored(VIEWS[2], "2026-09-30T23:30:01Z"),
            stored(VIEWS[3], "2026-10-02T10:00:01Z"),
            stored(VIEWS[4], "2026-10-03T00:00:01Z"),
            # a learner whose clock runs an hour ahead: it happened before it was stored
            stored(_view(SITE, "fast-clock", "2026-10-01T00:20:00Z"), "2026-09-30T23:20:00Z"),
            stored(_view(SITE, "long-ago", "2026-01-01T00:00:00Z"), "2026-01-01T00:00:01Z")]
    since = datetime(2026, 10, 1, tzinfo=UTC)
    with StatementsLRS(held) as lrs:
        got = list(from_lrs(lrs.url, scope=Scope(site=SITE, since=since)))
        assert {s["actor"]["account"]["name"] for s in got} == KEPT
        assert lrs.queries[0] == {"since": "2026-09-30T23:59:59Z"}  # the filter the LRS can do
        assert len(lrs.queries) == 2  # four statements stored since then, two a page
        data = _json_report("--lrs", lrs.url, "--site", SITE, "--since", "2026-10-01")
        none = CliRunner().invoke(report_command, ["--lrs", lrs.url, "--project", str(REPO),
                                                   "--site", "https://preview.example.com"])
    assert data["statements"] == 2 and _views(data) == 2
    assert data["source"].startswith(f"LRS {lrs.url} · site {SITE}")
    assert none.exit_code == 0
    assert (f"note: none of the {len(held)} statements the LRS at {lrs.url} returned matches "
            f"--site https://preview.example.com/; their sites: {SITE}, {STAGING}"
            ) in none.stderr


def test_a_site_is_one_site_not_every_address_that_starts_like_it(tmp_path: Path) -> None:
    """A staging site hosted under production's address (…/staging/) was counted in --site
    of production, as its activity ids start alike. A statement is the site's whose
    learner's account names it (homePage: the beacon sends the site there), on the database
    and on an LRS alike. --site …/modules/ keeps nothing, and says which site it is a page of."""
    nested = SITE + "staging/"
    catalog = xapi.statement("experienced", xapi.activity(nested, "page"),
                             actor=xapi.actor(nested, "stager"), context=xapi.context(nested),
                             timestamp="2026-10-03T00:00:00Z")
    held = [*VIEWS[:3], _view(nested, "stager", "2026-10-03T00:00:00Z"), catalog]
    db = str(_store(tmp_path / "nested.sqlite", held))
    with StatementsLRS([s | {"stored": "2026-10-04T00:00:00Z"} for s in held]) as lrs:
        for source in (["--db", db], ["--lrs", lrs.url]):
            production = _json_report(*source, "--site", SITE)
            assert (production["statements"], production["learners"]) == (3, 3), source
            staging = _json_report(*source, "--site", "HTTPS://Learn.Example.com/staging")
            assert (staging["statements"], staging["learners"]) == (2, 1), source
            assert _views(staging) == 1
            for page, home in ((SITE + "modules/", SITE), (nested + "modules/x/", nested)):
                pages = CliRunner().invoke(report_command, [*source, "--project", str(REPO),
                                                            "--format", "json", "--site", page])
                assert pages.exit_code == 0, pages.output
                assert json.loads(pages.stdout)["statements"] == 0
                assert (f"matches --site {page}; {page} is a page of the site {home}: "
                        f"give --site {home}") in pages.stderr, pages.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["--site", "learn.example.com"], "--site"),
    (["--site", "ftp://learn.example.com"], "--site"),
    (["--site", "http://127.0.0.1:8431/?a=b"], "--site"),  # was read as …/?a=b/
    (["--site", "https://learn.example.com/#top"], "--site"),
    (["--site", "https://learn.example.com?"], "--site"),
    (["--since", "last week"], "--since"),
    (["--since", "2026-13-01"], "--since"),
    (["--since", ""], "--since"),
])
def test_bad_site_or_since_is_a_usage_error(args: list[str], message: str,
                                            tmp_path: Path) -> None:
    db = _store(tmp_path / "s.sqlite", VIEWS)
    result = CliRunner().invoke(report_command, ["--db", str(db), *args, "--project", str(REPO)])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert f"Invalid value for '{message}'" in result.output
    assert "Traceback" not in result.output


def test_a_site_with_a_query_or_fragment_says_to_give_the_site_url(tmp_path: Path) -> None:
    db = _store(tmp_path / "s.sqlite", VIEWS)
    result = CliRunner().invoke(report_command, ["--db", str(db), "--project", str(REPO),
                                                 "--site", "http://127.0.0.1:8431/?a=b"])
    assert result.exit_code == 2
    assert "is not a site URL" in result.output
    assert "without query or fragment" in result.output


# -- HTML on a terminal --------------------------------------------------------------------


def test_html_piped_goes_to_standard_output(db: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(report_command, ["--db", str(db), "--project", str(REPO),
                                                 "--today", TODAY.isoformat()])
    assert result.exit_code == 0 and result.output.startswith("<!doctype html>")
    assert not (tmp_path / "report.html").exists()


def test_html_on_a_terminal_is_written_to_report_html(db: Path, tmp_path: Path) -> None:
    """The real command with its standard output on a pseudo-terminal."""
    main, terminal = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-c", "from lecosite.cli import main; main()", "report", "--db",
         str(db), "--project", str(REPO), "--today", TODAY.isoformat()],
        cwd=tmp_path, stdin=subprocess.DEVNULL, stdout=terminal, stderr=subprocess.PIPE)
    os.close(terminal)
    shown = read_all(main)
    _, said = proc.communicate(timeout=120)
    assert proc.returncode == 0, said
    written = (tmp_path / "report.html").resolve()
    assert written.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert b"<!doctype" not in shown
    lines = said.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Wrote {written}: ")


# -- CSV: modules, videos and path funnels ------------------------------------------------------


def test_csv_to_a_file_writes_the_path_funnels_beside_it(db: Path, statements, content,
                                                         tmp_path: Path) -> None:
    out = tmp_path / "report.csv"
    result = CliRunner().invoke(report_command, ["--db", str(db), "--project", str(REPO),
                                                 "--format", "csv", "-o", str(out),
                                                 "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    assert all(f"report-{name}.csv" in result.output for name in ("paths", "videos", "comments"))
    rows = list(csv.DictReader((tmp_path / "report-paths.csv").open(encoding="utf-8")))
    paths = analyze(statements, content, today=TODAY).paths
    assert [(r["path"], r["step"], r["module"], r["reached"], r["completed"]) for r in rows] == \
        [(p.id, str(n), s.module, str(s.learners), str(s.completed))
         for p in paths for n, s in enumerate(p.steps, start=1)]
    drops = {(r["path"], r["module"]): r["steepest_drop_after"] for r in rows
             if r["steepest_drop_after"]}
    assert drops == {(p.id, p.drop_after): str(round(p.drop_share, 3)) for p in paths
                     if p.drop_after and p.drop_share is not None}
    assert any(module == WEAK for _, module in drops)
    videos = list(csv.DictReader((tmp_path / "report-videos.csv").open(encoding="utf-8")))
    assert videos[0]["module"] == WEAK and videos[0]["rank"] == "1"
    comments = list(csv.DictReader((tmp_path / "report-comments.csv").open(encoding="utf-8")))
    weak = next(m for m in analyze(statements, content, today=TODAY).modules if m.id == WEAK)
    assert [(r["rank"], r["module"], r["rating"], r["comment"]) for r in comments
            if r["module"] == WEAK] == [("1", WEAK, str(c["rating"]), c["text"])
                                         for c in weak.comments]
    assert weak.comments


# -- LRS answers a report cannot use ------------------------------------------------------------


class OddLRS(Served):
    """An LRS whose first page answers ``status`` and whose ``more`` link is ``more`` (with
    {url} replaced by its own base); records the Authorization header of each request."""

    def __init__(self, status: int, more: str) -> None:
        sock = bound_socket()
        port = sock.getsockname()[1]
        self.auth: list[str | None] = []

        async def get(request: Request) -> JSONResponse:
            self.auth.append(request.headers.get("authorization"))
            page = [_view(SITE, f"l{len(self.auth)}", "2026-10-01T00:00:00Z")]
            link = more.format(url=f"http://127.0.0.1:{port}/xAPI") if len(self.auth) == 1 else ""
            return JSONResponse({"statements": page, "more": link}, status_code=status)

        super().__init__(sock, [Route("/xAPI/statements", get)])


@pytest.mark.parametrize(("status", "more", "message"), [
    (401, "", "refused the credentials (401): check --lrs-user and --lrs-password"),
    (500, "", "answered 500 for http://127.0.0.1:"),
    (503, "", "/xAPI/statements: it fails or is overloaded; try again later, or ask its "
              "operator"),
    (429, "", "/xAPI/statements: it fails or is overloaded; try again later"),
    (400, "", "/xAPI/statements: it refused the report's query; check that --lrs is its xAPI "
              "address, or ask its operator"),
    (404, "", "give --lrs the LRS's xAPI address (e.g. https://lrs.example.com/xAPI), "
              "without '/statements'"),
    (200, "http://[::1", "a 'more' link the report cannot follow"),
    (200, "/xAPI/statements?page=\x00", "a 'more' link the report cannot follow"),
    (200, "http://elsewhere.example/xAPI/statements?page=2", "cannot follow"),
])
def test_lrs_errors_are_one_line_without_the_password(status: int, more: str,
                                                      message: str) -> None:
    with OddLRS(status, more) as lrs:
        url = lrs.url.replace("http://", "http://bob:hunter2@")
        result = CliRunner().invoke(report_command, ["--lrs", url, "--project", str(REPO),
                                                     "--format", "json"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert message in result.output and "hunter2" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_an_lrs_that_wants_credentials_not_given_says_to_give_them() -> None:
    with OddLRS(401, "") as lrs:
        result = CliRunner().invoke(report_command, ["--lrs", lrs.url, "--project", str(REPO)])
    assert result.exit_code == 1
    assert "asks for credentials (401): give them with --lrs-user and --lrs-password" in (
        result.output)


def test_an_absolute_more_link_on_the_lrs_keeps_its_credentials() -> None:
    with OddLRS(200, "{url}/statements?page=2") as lrs:
        got = list(from_lrs(lrs.url.replace("http://", "http://bob:hunter2@")))
    assert len(got) == 2 and len(lrs.auth) == 2 and lrs.auth[0] == lrs.auth[1] is not None


class LoopingLRS(Served):
    """An LRS that ignores its own cursor: every page holds the same statement, and its
    ``more`` link is a new one each time. Counts the requests."""

    def __init__(self) -> None:
        self.requests = 0
        same = [_view(SITE, "again", "2026-10-01T00:00:00Z")]

        async def get(request: Request) -> JSONResponse:
            self.requests += 1
            return JSONResponse({"statements": same,
                                 "more": f"/xAPI/statements?cursor={self.requests}"})

        super().__init__(bound_socket(), [Route("/xAPI/statements", get)])


def test_more_links_that_bring_nothing_new_are_a_loop_not_an_endless_walk() -> None:
    with LoopingLRS() as lrs:
        result = CliRunner().invoke(report_command, ["--lrs", lrs.url, "--project", str(REPO),
                                                     "--format", "json"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "'more' links bring back only statements it answered already" in result.output
    assert lrs.requests < 20


def test_an_lrs_with_more_pages_than_the_report_walks_is_an_error_not_a_cut(
        tmp_path: Path) -> None:
    views = [_view(SITE, f"l{n}", "2026-10-01T00:00:00Z") | {"stored": "2026-10-01T00:00:00Z"}
             for n in range(7)]
    with StatementsLRS(views) as lrs:
        assert len(list(from_lrs(lrs.url, max_pages=4))) == 7
        with pytest.raises(SourceError, match=r"more than 3 pages .* narrow it with --since"):
            list(from_lrs(lrs.url, max_pages=3))


def test_a_more_link_that_spells_out_the_default_port_is_the_same_lrs() -> None:
    base = "https://bob:pw@lrs.example.com/xAPI/statements"
    assert _next_page(base, "https://lrs.example.com:443/xAPI/statements?p=2", base) == \
        "https://bob:pw@lrs.example.com/xAPI/statements?p=2"
    with pytest.raises(SourceError):
        _next_page(base, "https://lrs.example.com:8443/xAPI/statements?p=2", base)


# -- figures checked by hand on small data sets ------------------------------------------------

HAND = "connect-check-ports"


def _module_of(statements: list[dict], mid: str = HAND):
    return next(m for m in analyze(statements, Content(titles={mid: mid}), today=TODAY).modules
                if m.id == mid)


def test_viewers_who_leave_in_the_first_seconds_are_a_dropoff_at_the_start() -> None:
    """Eight of ten viewers stop at 0:01 of a 100 s video, before the first slice's middle."""
    watched = [s for n in range(10)
               for s in _watch(HAND, 0, f"v{n}", 1 if n < 8 else 100, length=100)]
    video = _module_of(watched).video
    assert video is not None and video.retention[0] == pytest.approx(0.2)
    assert video.dropoff_at == 1.0 and video.dropoff_share == pytest.approx(0.8)
    assert "80% of viewers stop the video around 0:01" in [r.text for r in
                                                           _module_of(watched).reasons]


def test_a_drop_off_that_spans_two_slices_is_one_drop_off(tmp_path: Path) -> None:
    """Four of ten viewers stop at 0:38 and four at 0:46 of a 120 s video: 80% leave within
    eight seconds, but the two times fall in two retention slices, which read '40% stop'."""
    watched = [s for n in range(10)
               for s in _watch(HAND, 0, f"v{n}", (38, 46, 120)[min(n // 4, 2)],
                               finished=n >= 8, length=120)]
    module = _module_of(watched)
    video = module.video
    assert video is not None and video.dropoff_share == pytest.approx(0.8)
    assert (video.dropoff_at, video.dropoff_to) == (38.0, 46.0)
    assert "80% of viewers stop the video between 0:38 and 0:46" in [r.text
                                                                      for r in module.reasons]
    report = analyze(watched, Content(titles={HAND: HAND}), today=TODAY)
    page = to_html(report)
    assert re.search(r'<span class="drop">\s*80% stop between 0:38 and 0:46</span>', page)
    # The chart shades the same range: 38 s to 46 s of 120 on its 86 px wide line.
    assert '<rect x="67.2" width="5.8" height="32"' in page
    row = next(csv.DictReader(io.StringIO(to_csv(report))))
    assert (row["dropoff_at_s"], row["dropoff_to_s"], row["dropoff_share"]) == \
        ("38.0", "46.0", "0.8")
    data = json.loads(to_json(report))["modules"][0]
    assert (data["dropoff_at_s"], data["dropoff_to_s"], data["dropoff_share"]) == \
        (38.0, 46.0, 0.8)


def test_stops_far_apart_are_not_one_drop_off() -> None:
    """Four stop at 0:20 and four at 1:40 of a 120 s video: two drops of 40%, not one of 80%
    spanning most of the video."""
    watched = [s for n in range(10)
               for s in _watch(HAND, 0, f"v{n}", (20, 100, 120)[min(n // 4, 2)],
                               finished=n >= 8, length=120)]
    video = _module_of(watched).video
    assert video is not None and video.dropoff_share == pytest.approx(0.4)
    assert (video.dropoff_at, video.dropoff_to) == (20.0, 20.0)


def test_viewers_who_skip_the_start_and_watch_on_are_no_dropoff() -> None:
    """Four of ten jump past a 600 s video's first two minutes and watch to the end."""
    watched = [s for n in range(10) for s in _watch(HAND, 0, f"v{n}", 600, length=600,
                                                   start=120 if n < 4 else 0)]
    video = _module_of(watched).video
    assert video is not None and video.retention[0] == pytest.approx(0.6)
    assert video.dropoff_at is None
    assert not [r for r in _module_of(watched).reasons if r.kind == "dropoff"]


def test_a_viewer_is_a_learner_however_often_they_play_the_video() -> None:
    """One learner stops at 0:10 three times and finishes on the fourth play; another stops
    once; a third finishes: three viewers, two finished, and one stop is not three."""
    watched = [s for _ in range(3) for s in _watch(HAND, 0, "again", 10, length=100)]
    watched += _watch(HAND, 0, "again", 100, finished=True, length=100)
    watched += _watch(HAND, 0, "once", 10, length=100)
    watched += _watch(HAND, 0, "all", 100, finished=True, length=100)
    video = _module_of(watched).video
    assert video is not None and (video.viewers, video.completion_rate) == (3, pytest.approx(2 / 3))
    assert video.dropoff_share == pytest.approx(1 / 3) and video.dropoff_at == 10.0
    alone = _module_of([s for _ in range(3) for s in _watch(HAND, 0, "a", 10, length=100)])
    assert alone.video is not None and alone.video.viewers == 1
    assert not [r for r in alone.reasons if r.kind in ("video", "dropoff")]  # one learner


def test_skipping_ahead_and_watching_on_is_no_stop_where_the_viewer_skipped() -> None:
    """Three viewers watch 0:00–0:20, jump to 2:30 and watch to the end of a 200 s video:
    nobody stopped, though nobody watched the middle."""
    watched = [s for n in range(3) for part in ((0, 20), (150, 200))
               for s in _watch(HAND, 0, f"skip{n}", part[1], start=part[0], length=200)]
    watched += _watch(HAND, 0, "all", 200, finished=True, length=200)
    video = _module_of(watched).video
    assert video is not None and video.viewers == 4 and video.dropoff_at is None
    assert video.retention[0] == 1.0 and video.retention[10] == pytest.approx(0.25)


def test_scrubbing_a_video_never_played_makes_no_viewer() -> None:
    page = xapi.module_iri(SITE, HAND)
    video = xapi.activity(xapi.video_iri(page, 0), "video")
    ctx = xapi.context(SITE, version="1.0.0", parent=[xapi.activity(page, "module")],
                       extensions={"session": xapi.new_id(), "length": 100})
    scrubbed = [xapi.statement("seeked", video, actor=xapi.actor(SITE, f"s{n}"), context=ctx,
                               result=xapi.video_result(**{"from": 0, "to": 40}))
                for n in range(3)]
    module = _module_of(scrubbed + _watch(HAND, 0, "all", 100, finished=True, length=100))
    assert module.video is not None
    assert (module.video.viewers, module.video.completion_rate) == (1, 1.0)
    assert module.video.dropoff_at is None


def test_finished_and_drop_off_count_the_same_viewers() -> None:
    """A play of an earlier 45 s cut is another video: neither figure counts it."""
    watched = _watch(HAND, 0, "old", 45, finished=True, length=45)
    watched += _watch(HAND, 0, "a", 20, finished=True, length=20)
    watched += _watch(HAND, 0, "b", 8, length=20)
    video = _module_of(watched).video
    assert video is not None and (video.viewers, video.completion_rate) == (2, 0.5)
    assert video.dropoff_share == 0.5


def test_a_recut_video_or_an_odd_length_does_not_make_a_dropoff() -> None:
    """Three viewers watched the 100 s cut to the end, two the new 200 s cut, one statement
    claims an absurd length: everyone finished, nobody dropped off."""
    watched = [s for n, length in enumerate([100, 100, 100, 200, 200])
               for s in _watch(HAND, 0, f"v{n}", length, finished=True, length=length)]
    watched += _watch(HAND, 0, "odd", 10, finished=True, length=9007199254740992)
    video = _module_of(watched).video
    assert video is not None and video.length == 100 and video.completion_rate == 1.0
    assert video.dropoff_at is None and video.retention == [1.0] * len(video.retention)


def test_time_on_page_leaves_out_durations_of_more_than_a_year() -> None:
    """An LRS may hold what the collector refuses as a broken clock (P99999Y): with two
    visits, the median was half of that, not the one real visit's minute."""
    page = xapi.activity(xapi.module_iri(SITE, HAND), "module")
    left = [xapi.statement("terminated", page, actor=xapi.actor(SITE, learner),
                           result={"duration": duration})
            for learner, duration in (("clock", "P99999Y"), ("real", "PT60S"))]
    assert _module_of(left).median_time == 60
    assert _module_of(left[:1]).median_time is None


def test_a_video_length_of_ages_the_collector_takes_breaks_no_format(tmp_path: Path) -> None:
    """The collector takes any finite length (1e308 s); only a length of up to a year is
    one a video can have, and the charts' arithmetic on the other overflowed."""
    odd = _watch(HAND, 0, "odd", 1e308, length=1e308)
    db = str(_store(tmp_path / "ages.sqlite", odd))
    for fmt in ("html", "csv", "json"):
        result = CliRunner().invoke(report_command, ["--db", db, "--project", str(REPO),
                                                     "--format", fmt])
        assert result.exit_code == 0 and result.exception is None, result.output
    module = _module_of(odd)
    assert module.video is not None and module.video.viewers == 1
    assert module.video.length is None and module.video.dropoff_at is None


def _rating(learner: str, score: int, when: str, comment: str | None = None,
            version: str | None = None) -> dict:
    return xapi.statement("responded", xapi.rating_activity(SITE, HAND),
                          actor=xapi.actor(SITE, learner), timestamp=when,
                          result=xapi.rating_result(score, comment),
                          context=xapi.context(SITE, version=version) if version else None)


def test_a_learners_latest_rating_counts_whatever_the_time_zone() -> None:
    """10:00+02:00 is 08:00Z: the 1 given at 09:00Z is the later one, though its text sorts
    first."""
    module = _module_of([_rating("a", 5, "2026-10-01T10:00:00+02:00", "great"),
                         _rating("a", 1, "2026-10-01T09:00:00Z", "no, confusing"),
                         _rating("b", 4, "2026-10-01T09:30:00Z", "fine")])
    assert (module.ratings, module.mean_rating, module.rating_counts) == (2, 2.5, [1, 0, 0, 1, 0])
    # Every comment stays, newest first: a learner's earlier one is still their feedback.
    assert [(c["text"], c["rating"]) for c in module.comments] == [
        ("fine", 4), ("no, confusing", 1), ("great", 5)]


def test_half_stars_from_another_tool_round_up_alike() -> None:
    """Python's round() made 4.5 a 4 and 3.5 a 4."""
    halves = [_rating(who, 5, "2026-10-01T10:00:00Z") for who in "ab"]
    for stmt, raw in zip(halves, (4.5, 3.5), strict=True):
        stmt["result"]["score"]["raw"] = raw
    assert _module_of(halves).rating_counts == [0, 0, 0, 1, 1]


def test_a_clock_set_years_ahead_does_not_make_a_rating_the_latest_forever(
        tmp_path: Path) -> None:
    """A statement cannot have happened after it was stored: its time is the earlier of the
    two, for the latest rating, the order of comments and --since alike."""
    ahead = _rating("a", 1, "2099-01-01T00:00:00Z", "bad clock") | {
        "stored": "2026-10-01T08:00:00Z"}
    later = _rating("a", 5, "2026-10-02T09:00:00Z", "fixed") | {"stored": "2026-10-02T09:00:01Z"}
    module = _module_of([ahead, later])
    assert (module.ratings, module.mean_rating) == (1, 5.0)
    assert [c["text"] for c in module.comments] == ["fixed", "bad clock"]
    assert not Scope(since=datetime(2026, 10, 2, tzinfo=UTC)).keeps(ahead)
    db = tmp_path / "statements.sqlite"
    store = Store(db)
    store.add([statement_row(_rating("a", 1, "2099-01-01T00:00:00Z"))])
    store.close()
    latest = stored_summary(db, SITE)[2]
    assert latest[:4] == str(datetime.now(UTC).year), latest


def test_a_removed_modules_ratings_are_of_the_one_version_learners_saw() -> None:
    """With no version in the content to compare with, one version is no "earlier" one."""
    rated = [_rating(f"l{n}", 1, "2026-10-01T09:00:00Z", "old", version="1.2.0")
             for n in range(3)]
    report = analyze(rated, Content(), today=TODAY)
    module = report.modules[0]
    assert (module.in_content, module.rating_version, module.ratings) == (False, "1", 3)
    html = to_html(report)
    assert "v1:" not in html and "(v1)" not in html and "1/5: <bdi>old" in html
    assert next(r for r in csv.DictReader(io.StringIO(to_csv(report))))["rating_version"] == "1"
    rated.append(_rating("l9", 5, "2026-10-01T09:00:00Z", "new", version="2.0.0"))
    module = analyze(rated, Content(), today=TODAY).modules[0]
    assert (module.rating_version, module.ratings, module.mean_rating) == (None, 4, 2.0)


def test_a_statement_an_lrs_returns_twice_counts_once(tmp_path: Path) -> None:
    """Offset paging overlaps when statements arrive meanwhile; ids are unique in an LRS."""
    views = [_view(SITE, f"l{n}", "2026-10-01T00:00:00Z") for n in range(3)]
    again = views[1] | {"id": views[1]["id"].upper()}
    with StatementsLRS([*views[:2], again, views[2]]) as lrs:
        data = _json_report("--lrs", lrs.url)
    assert data["statements"] == 3 and _views(data) == 3


def test_statements_a_report_cannot_read_are_counted_as_left_out(tmp_path: Path) -> None:
    """Another tool's rows in the table, or a rating no portal sends: counted, not dropped
    unsaid."""
    odd = _rating("a", 5, "2026-10-01T10:00:00Z")
    db = _store(tmp_path / "odd.sqlite", [*VIEWS[:3], odd])
    odd["result"]["score"] = {"raw": 9, "min": 1, "max": 10}
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE statements SET body = 'not json' WHERE seq = 1")
        conn.execute("UPDATE statements SET body = '[1, 2]' WHERE seq = 2")
        conn.execute("UPDATE statements SET body = ? WHERE seq = 4", (json.dumps(odd),))
    conn.close()
    result = CliRunner().invoke(report_command, ["--db", str(db), "--project", str(REPO),
                                                 "--format", "json"])
    data = json.loads(result.stdout)
    assert (data["statements"], data["ignored"]) == (4, 3)
    assert next(m for m in data["modules"] if m["module"] == HAND)["mean_rating"] is None
    assert "2 stored statement(s) could not be read and were left out (rows seq 1, 2)" \
        in result.stderr


def test_a_damaged_row_is_left_out_by_seq_and_the_report_still_runs(tmp_path: Path) -> None:
    """A byte flipped in one row (a disk error, a hand edit) made the whole report fail, in a
    message quoting the row: the learner's id. The row is named by its seq only."""
    learner = xapi.new_id()
    rated = _rating(learner, 2, "2026-10-01T10:00:00Z", "my private comment")
    db = _store(tmp_path / "damaged.sqlite", [*VIEWS[:3], rated])
    with sqlite3.connect(db) as conn:  # invalid UTF-8 after the learner's id
        conn.execute("UPDATE statements SET body = CAST(substr(CAST(body AS BLOB), 1, 120) "
                     "|| x'ff' || substr(CAST(body AS BLOB), 121) AS TEXT) WHERE seq IN (2, 4)")
    conn.close()
    for fmt in ("html", "csv", "json"):
        out = tmp_path / f"r.{fmt}"
        result = CliRunner().invoke(report_command, ["--db", str(db), "--project", str(REPO),
                                                     "-o", str(out)])
        assert result.exit_code == 0 and result.exception is None, result.output
        assert ("note: 2 stored statement(s) could not be read and were left out (rows seq "
                "2, 4); see 'Run the collector' in the operator guide") in result.stderr
        assert learner not in result.output and "private" not in result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert (data["statements"], data["ignored"], _views(data)) == (4, 2, 2)


def test_a_database_another_program_holds_locked_says_what_to_do(tmp_path: Path) -> None:
    """It said only 'database is locked' (after the 10 s a collector's write may take)."""
    db = _store(tmp_path / "locked.sqlite", VIEWS[:1])
    holder = sqlite3.connect(db, isolation_level=None)
    try:
        holder.execute("PRAGMA journal_mode=DELETE")  # as another tool may leave it
        holder.execute("BEGIN EXCLUSIVE")
        result = CliRunner().invoke(report_command, ["--db", str(db), "--project", str(REPO)])
    finally:
        holder.close()
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "another program holds it locked" in result.output
    assert f"sqlite3 {db} '.backup copy.sqlite'" in result.output


def test_infinite_or_nan_numbers_from_an_lrs_are_ignored() -> None:
    """Python's JSON reads Infinity and NaN, which an LRS may send; no figure uses them."""
    rated = _rating("v", 2, "2026-10-01T09:00:00Z") | {"result": {"score": {"raw": math.nan}}}
    held = [*_watch(HAND, 0, "v", 30, length=math.inf), rated]

    async def get(request: Request) -> Response:
        return Response(json.dumps({"statements": held}), media_type="application/json")

    with Served(bound_socket(), [Route("/xAPI/statements", get)]) as lrs:
        for fmt in ("html", "csv", "json"):
            result = CliRunner().invoke(report_command, ["--lrs", lrs.url, "--project",
                                                         str(REPO), "--format", fmt])
            assert result.exit_code == 0, result.output
    module = _module_of(held)
    assert module.video is not None and module.video.viewers == 1
    assert module.video.length is None and module.ratings == 0


def test_half_an_emoji_in_a_comment_is_replaced_not_a_crash(tmp_path: Path) -> None:
    """JSON can spell a lone UTF-16 surrogate ("\\ud83d", half an emoji), which an LRS or
    another tool's SQLite may hold and no UTF-8 file can: writing any format raised a traceback.
    It becomes U+FFFD; the rest of the comment stays."""
    rated = _rating("v", 2, "2026-10-01T09:00:00Z", "before \ud83d after \U0001F600")
    body = json.dumps({"statements": [rated]})

    async def get(request: Request) -> Response:
        return Response(body, media_type="application/json")

    db = _store(tmp_path / "store.sqlite", [_rating("w", 2, "2026-10-01T09:00:00Z", "x")])
    conn = sqlite3.connect(db)  # as another tool may have written it
    conn.execute("UPDATE statements SET body = replace(body, '\"x\"', ?)",
                 (json.dumps("x \udfff"),))
    conn.commit()
    conn.close()
    with Served(bound_socket(), [Route("/xAPI/statements", get)]) as lrs:
        for source, said in ((["--lrs", lrs.url], "before \ufffd after \U0001F600"),
                             (["--db", str(db)], "x \ufffd")):
            for fmt in ("html", "csv", "json"):
                out = tmp_path / f"r.{fmt}"
                result = CliRunner().invoke(report_command, [*source, "--project", str(REPO),
                                                             "-o", str(out)])
                assert result.exit_code == 0 and result.exception is None, result.output
            module = next(m for m in json.loads(out.read_text(encoding="utf-8"))["modules"]
                          if m["module"] == HAND)
            assert [c["text"] for c in module["comments"]] == [said]


def test_html_fits_a_phone_width(statements, content) -> None:
    """Wide tables scroll inside a keyboard-reachable region, not the whole page; funnel
    bars scale with the column rather than a fixed 304 px."""
    page = to_html(analyze(statements, content, today=TODAY))
    tables = re.findall(r"(<[^>]*>)\s*<table(?: class=\"(\w+)\")?>", page)
    assert tables and all(kind == "funnel" or ('class="scroll"' in before and
                                               'tabindex="0"' in before and 'role="region"'
                                               in before) for before, kind in tables)
    assert ".scroll { overflow: auto; max-height: 85vh; }" in page
    assert 'viewBox="0 0 304 14"' in page and '<svg width="304"' not in page


def _try(learner: str, version: str, passed: bool) -> list[dict]:
    """One knowledge-check attempt: its question q1 and the check's outcome."""
    ctx = xapi.context(SITE, version=version)
    who = xapi.actor(SITE, learner)
    return [xapi.statement("answered", xapi.activity(xapi.question_iri(SITE, HAND, "q1"),
                                                     "question"), actor=who, context=ctx,
                           result={"success": passed}),
            xapi.statement("passed" if passed else "failed",
                           xapi.activity(xapi.check_iri(SITE, HAND), "check"), actor=who,
                           context=ctx, result={"success": passed})]


def test_pass_rates_are_per_major_version_and_only_the_current_one_ranks() -> None:
    """Version 1's check failed ten times out of ten; 2.0 rewrote it and passes 3 of 4."""
    tries = ([s for n in range(10) for s in _try(f"a{n}", "1.4.0", False)]
             + [s for n in range(4) for s in _try(f"b{n}", "2.0.1", n > 0)])
    content = Content(titles={HAND: HAND}, majors={HAND: "2"})
    report = analyze(tries, content, today=TODAY)
    module = report.modules[0]
    assert (module.check_version, module.check_attempts, module.check_pass_rate) == \
        ("2", 4, 0.75)
    assert module.check_majors == {"1": (10, 0.0), "2": (4, 0.75)}
    assert module.weakest_question == ("q1", 0.75, 4)
    assert "checks" not in {r.kind for r in module.reasons}
    data = json.loads(to_json(report))["modules"][0]
    assert data["check_majors"] == {"1": {"attempts": 10, "pass_rate": 0.0},
                                    "2": {"attempts": 4, "pass_rate": 0.75}}
    row = next(csv.DictReader(io.StringIO(to_csv(report))))
    assert (row["check_version"], row["check_attempts"], row["check_pass_rate"]) == \
        ("2", "4", "0.75")
    assert "v1: 0% of 10" in to_html(report)
    # Still on version 1, the same tries rank it, and the reason names the version.
    older = analyze(tries, Content(titles={HAND: HAND}, majors={HAND: "1"}), today=TODAY)
    assert [r.text for r in older.modules[0].reasons if r.kind == "checks"] == \
        ["knowledge check (version 1.x) passed in 0% of 10 tries (weakest: question “q1”, "
         "answered right 0%)"]


def test_ratings_are_per_major_version_and_only_the_current_one_ranks() -> None:
    """Five learners rated version 1 a 1; 2.0 rewrote the module and three rate it 4 or 5,
    one of them a learner who had rated version 1 too."""
    when = "2026-10-01T09:00:00Z"
    ratings = ([_rating(f"a{n}", 1, when, "<b>confusing</b>" if n == 0 else None, "1.2.0")
                for n in range(5)]
               + [_rating(who, score, "2026-11-01T09:00:00Z", None, "2.0.0")
                  for who, score in (("a0", 4), ("b1", 5), ("b2", 4))])
    report = analyze(ratings, Content(titles={HAND: HAND}, majors={HAND: "2"}), today=TODAY)
    module = report.modules[0]
    assert (module.rating_version, module.ratings, module.rating_counts) == \
        ("2", 3, [0, 0, 0, 2, 1])
    assert module.mean_rating == pytest.approx(13 / 3)
    assert module.rating_majors == {"1": (5, 1.0), "2": (3, pytest.approx(13 / 3))}
    assert "rating" not in {r.kind for r in module.reasons}
    assert [(c["rating"], c["version"]) for c in module.comments] == [(1, "1")]
    data = json.loads(to_json(report))["modules"][0]
    assert data["rating_majors"] == {"1": {"ratings": 5, "mean": 1.0},
                                     "2": {"ratings": 3, "mean": 4.33}}
    row = next(csv.DictReader(io.StringIO(to_csv(report))))
    assert (row["rating_version"], row["ratings"], row["mean_rating"]) == ("2", "3", "4.33")
    page = to_html(report)
    assert "v1: 1.0/5 by 5" in page
    assert "1/5 (v1): <bdi>&lt;b&gt;confusing&lt;/b&gt;</bdi></blockquote>" in page
    # Still on version 1, its ratings rank it, and the reason names the version.
    older = analyze(ratings, Content(titles={HAND: HAND}, majors={HAND: "1"}), today=TODAY)
    assert [r.text for r in older.modules[0].reasons if r.kind == "rating"] == \
        ["rated 1.0/5 (version 1.x) by 5 learners"]
    assert "1/5: <bdi>&lt;b&gt;confusing&lt;/b&gt;</bdi></blockquote>" in to_html(older)


def test_a_module_no_longer_in_the_content_keeps_its_figures_but_is_no_candidate() -> None:
    """Three learners rated a module that was since removed: its row stays, unranked."""
    gone = [_rating(who, 1, "2026-10-01T09:00:00Z") for who in "abc"]
    report = analyze(gone, Content(titles={}), today=TODAY)
    assert [(m.id, m.in_content, m.mean_rating) for m in report.modules] == [(HAND, False, 1.0)]
    assert "rating" in {r.kind for r in report.modules[0].reasons}
    assert report.candidates == []
    assert json.loads(to_json(report))["candidates"] == []
    assert "not in the content" in to_html(report)
    # Spreadsheets say so too, and give no score to sort it among the modules to update.
    (row,) = [r for r in json.loads(to_json(report))["modules"] if r["module"] == HAND]
    assert (row["in_content"], row["score"], row["rank"]) == (False, None, None)
    (line,) = csv.DictReader(io.StringIO(to_csv(report)))
    assert (line["in_content"], line["score"]) == ("no", "")


def test_charts_say_their_figures_in_words(statements, content) -> None:
    """A screen reader hears the share of viewers who watched each part of each video, and
    the funnel's columns have headers."""
    page = to_html(analyze(statements, content, today=TODAY))
    labels = re.findall(r'aria-label="(viewers who watched: [^"]*)"', page)
    assert labels and all(len(re.findall(r"\d+% at \d+:\d\d", label)) == 5 for label in labels)
    assert labels[0].startswith("viewers who watched: 100% at 0:")
    funnels = re.findall(r'<table class="funnel">\s*<thead>(.*?)</thead>', page, re.S)
    assert funnels and all(funnel.count('<th scope="col"') == 3 for funnel in funnels)


def test_earlier_majors_are_listed_in_numeric_order() -> None:
    tries = [s for version in ("10.0.0", "2.1.0", "9.0.0") for s in _try("a", version, True)]
    report = analyze(tries, Content(titles={HAND: HAND}, majors={HAND: "10"}), today=TODAY)
    assert list(report.modules[0].check_majors) == ["2", "9", "10"]


def test_video_ids_lecosite_never_writes_are_left_out_not_merged_with_its_first() -> None:
    """lecosite numbers a page's videos `video`, `video/2`…: a `video/1` or `video/01` from
    another tool was counted as the first video, merging two videos' viewers."""
    ours = _watch(HAND, 0, "ours", 100, finished=True, length=100)
    theirs = [{**s, "object": {**s["object"], "id": s["object"]["id"] + suffix}}
              for suffix in ("/1", "/01") for s in _watch(HAND, 0, "theirs", 5, length=100)]
    report = analyze(ours + theirs, Content(titles={HAND: HAND}), today=TODAY)
    module = next(m for m in report.modules if m.id == HAND)
    assert [(v.number, v.viewers, v.completion_rate) for v in module.videos] == [(1, 1, 1.0)]
    assert report.ignored == len(theirs)


def test_an_hour_long_video_reads_in_hours_as_players_show_it() -> None:
    """A 3-hour recording's length read '180:00' and its drop-off '135:00': minutes a lead
    must divide, and which a player showing 2:15:00 never says."""
    hours = 3 * 3600
    watched = [s for n in range(5) for s in _watch(HAND, 0, f"v{n}", hours * 0.75, length=hours)]
    report = analyze(watched, Content(titles={HAND: HAND}), today=TODAY)
    page = to_html(report)
    assert '<td class="num">3:00:00</td>' in page and "stop around 2:15:00" in page
    assert "180:00" not in page
    assert any("around 2:15:00" in r.text for r in report.modules[0].reasons)


def test_too_few_learners_to_judge_is_not_told_as_all_fine(content) -> None:
    """With one learner no figure is trusted enough to rank on: the page said 'ratings,
    videos, checks and review dates are fine', and a lead would stop looking."""
    report = analyze(generate(content, weak=WEAK, learners=1, seed=3), content, today=TODAY)
    assert not report.candidates
    page = to_html(report)
    assert "are fine" not in page
    assert "Too few learners yet" in page and "at least 3 learners" in page


def test_figures_too_few_learners_back_are_too_early_to_judge_not_fine() -> None:
    """Three learners viewed a module, but its rating (2.0/5), video (0% finished) and
    check (50% passed) each came from fewer: none ranks it, and the page said 'ratings,
    videos, checks and review dates are fine', as it said that whenever one module had 3
    viewers. It names what is too early to judge instead; JSON says it per module."""
    page = xapi.activity(xapi.module_iri(SITE, HAND), "module")
    seen = [xapi.statement(verb, page, actor=xapi.actor(SITE, f"l{n}"),
                           context=xapi.context(SITE, version="1.0.0"),
                           result={"completion": True} if verb == "completed" else None)
            for n in range(3) for verb in ("experienced", "completed")]
    thin = [*seen, _rating("l0", 1, "2026-10-01T00:00:00Z"),
            _rating("l1", 3, "2026-10-01T00:00:00Z"), *_watch(HAND, 0, "l0", 10, length=100),
            *_try("l0", "1.0.0", True), *_try("l1", "1.0.0", False)]
    content = Content(titles={HAND: "Check ports"}, majors={HAND: "1"})
    report = analyze(thin, content, today=TODAY)
    assert not report.candidates
    html = to_html(report)
    assert "are fine" not in html
    assert "Too few learners yet" in html and "at least 3 learners" in html
    assert re.search(r"Check ports: rated 2\.0/5 by 2 learners, the video finished by 0% "
                     r"of 1 viewer, the knowledge check passed in 50% of 2 tries", html), html
    module = next(m for m in json.loads(to_json(report))["modules"] if m["module"] == HAND)
    assert module["too_few_learners"] == ["rated 2.0/5 by 2 learners",
                                          "the video finished by 0% of 1 viewer",
                                          "the knowledge check passed in 50% of 2 tries"]
    # Enough learners behind every figure, and all of them fine: then it says so.
    fine = [*seen, *(_rating(f"l{n}", 5, "2026-10-01T00:00:00Z") for n in range(3))]
    html = to_html(analyze(fine, content, today=TODAY))
    assert "are fine" in html and "Too few learners" not in html
    # Dozens of lines would push the tables out of sight: the first ten, and how many more.
    many = Content(titles={f"m{n:02}": f"Module {n:02}" for n in range(12)},
                   majors={f"m{n:02}": "1" for n in range(12)})
    rated = [s for n in range(12) for s in (
        xapi.statement("experienced", xapi.activity(xapi.module_iri(SITE, f"m{n:02}"),
                                                     "module"),
                       actor=xapi.actor(SITE, "l0"), context=xapi.context(SITE, version="1")),
        xapi.statement("responded", xapi.rating_activity(SITE, f"m{n:02}"),
                       actor=xapi.actor(SITE, "l0"), timestamp="2026-10-01T00:00:00Z",
                       result=xapi.rating_result(1, None)))]
    html = to_html(analyze(rated, many, today=TODAY))
    assert re.findall(r"<li>Module (\d+): rated 1\.0/5 by 1 learner, completed by 0% of 1 "
                      r"learner</li>", html) == [
        f"{n:02}" for n in range(10)]
    assert "<li>… and 2 more: the\n  tables below have every figure.</li>" in html
    # A good figure from few learners is no worry: naming it buried the weak ones.
    good = [*seen, _rating("l0", 5, "2026-10-01T00:00:00Z"), *_try("l0", "1.0.0", True)]
    report = analyze(good, content, today=TODAY)
    assert not report.too_early and "are fine" in to_html(report)

def test_a_drop_off_is_marked_only_when_enough_viewers_back_it() -> None:
    """One viewer who stopped is '100% stop near 0:30': it was set in bold red like the
    drop-offs that rank a module, though too few viewers stand behind it to rank; now it
    is not shown at all, as no figure of one viewer's is."""
    def page(viewers: int) -> str:
        watched = [s for n in range(viewers) for s in _watch(HAND, 0, f"v{n}", 30, length=100)]
        return to_html(analyze(watched, Content(titles={HAND: HAND}), today=TODAY))

    assert "stop around 0:30" not in page(1)
    assert re.search(r'<span class="drop">\s*100% stop around 0:30', page(3))


def test_counts_of_one_read_in_the_singular(content) -> None:
    """'1 viewers', '1 tries', '1 ratings', '1 learners entered this path' read wrongly on
    the page a lead forwards."""
    one = analyze(generate(content, weak=WEAK, learners=1, seed=3), content, today=TODAY)
    page = re.sub(r"\s+", " ", to_html(one))
    for said in ("<b>1</b> learner</li>", '<span class="muted">1 viewer</span>',
                 '<span class="muted">1 try</span>', "1 learner entered this path"):
        assert said in page
    assert not re.search(r"\b1 (learners|viewers|tries|ratings|candidates)\b", page)
    many = re.sub(r"\s+", " ", to_html(analyze(generate(content, weak=WEAK, learners=5,
                                                        seed=3), content, today=TODAY)))
    assert "<b>5</b> learners</li>" in many and re.search(r"\d+ viewers</span>", many)


def test_the_funnel_names_its_steep_step_in_words_not_only_in_red(statements, content) -> None:
    """Red and blue bars are the same grey on a greyscale printout and alike to some
    colour-blind readers: the steep step's row says so in text too."""
    page = to_html(analyze(statements, content, today=TODAY))
    steep = re.findall(r'fill="#b3261e"/></svg></td>\s*<td class="num">([^<]*)<br><b>([^<]*)</b>',
                       page)
    assert steep and all(said == "steepest drop after this step" for _, said in steep)
    assert page.count("steepest drop after this step") == len(steep)


def test_each_candidate_shows_its_urgency_in_figures(statements, content) -> None:
    """The urgency bar had its figure only for screen readers: a lead saw the weak module's
    bar full and the next ones a sliver, with no figure to tell how much more urgent."""
    report = analyze(statements, content, today=TODAY)
    page = to_html(report)
    shown = re.findall(r'<svg width="104" height="10" aria-hidden="true">.*?</svg>\s*'
                       r'<span class="urgency">urgency ([\d.]+)</span>', page, re.S)
    assert shown == [f"{m.score:.2f}" for m in report.candidates]
    assert "Urgency, which ranks the candidates: the sum of a module's reasons" in page


def test_two_viewers_who_stop_together_are_no_drop_off_to_rank_or_show() -> None:
    """Two of eight viewers stopping at 1:10 and 1:15 are 25%, but no pattern; three are."""
    for stopped, ranked in ((2, False), (3, True)):
        watched = [s for n in range(8) for s in _watch(
            HAND, 0, f"v{n}", 70 + 5 * n if n < stopped else 200, finished=n >= stopped,
            length=200)]
        report = analyze(watched, Content(titles={HAND: HAND}), today=TODAY)
        module = next(m for m in report.modules if m.id == HAND)
        assert module.video is not None and module.video.dropoff_at == 70.0
        assert any(r.kind == "dropoff" for r in module.reasons) is ranked, stopped
        # Nor are they shown: a figure two viewers make is noise on the page.
        assert ("stop between 1:10" in to_html(report)) is ranked, stopped
