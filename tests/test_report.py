"""The update report on a generated data set with one planted weak module."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from lecosite import xapi
from lecosite.check import check_project
from lecosite.collect.app import statement_row
from lecosite.collect.store import Store
from lecosite.report.analyze import Content, analyze
from lecosite.report.cli import report as report_command
from lecosite.report.fixture import generate
from lecosite.report.render import to_csv, to_html, to_json

REPO = Path(__file__).resolve().parents[1]
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
    assert {"experienced", "terminated", "completed", "answered", "passed", "failed", "rated",
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
    assert first.video_completion_rate is not None and first.video_completion_rate < 0.4
    assert first.dropoff_at is not None and 0.25 <= first.dropoff_at / first.video_length <= 0.45
    assert first.weakest_question and first.weakest_question[0] == "q2"


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
    page = to_html(analyze(statements, hostile, today=TODAY))
    assert "<script" not in page
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
    rated = xapi.statement("rated", xapi.activity(xapi.module_iri(site, WEAK), "module"),
                           actor=learner, result={"score": {"raw": 1, "min": 1, "max": 5}})
    titles = dict(content.titles) | {WEAK: "=HYPERLINK(\"http://evil\")"}
    report = analyze([rated], Content(titles=titles, owners=content.owners), today=TODAY)
    assert "'=HYPERLINK" in to_csv(report)


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


@pytest.mark.parametrize("args", [
    ["--db", "missing.sqlite"],
    [],
    ["--db", "x.sqlite", "--lrs", "http://127.0.0.1:9/xAPI"],
    ["--lrs", "http://127.0.0.1:9/xAPI"],
])
def test_report_command_errors_are_one_readable_line(args: list[str], tmp_path: Path) -> None:
    result = CliRunner().invoke(report_command, [*args, "--project", str(REPO)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Error:" in result.output and "Traceback" not in result.output


def test_a_corrupt_database_is_a_readable_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"this is not a database" * 100)
    result = CliRunner().invoke(report_command, ["--db", str(bad), "--project", str(REPO)])
    assert result.exit_code == 1 and "cannot read" in result.output
