"""Ownership and review cadence: folder _defaults.yml, CODEOWNERS, computed review dates,
``lecosite stale`` and the governance page's rows and template."""

import json
import os
import subprocess
from datetime import date

import pytest
from click.testing import CliRunner

from lecosite.assemble import assemble
from lecosite.check import check_project
from lecosite.cli import main
from lecosite.governance.codeowners import HEADER, begin, end, entries
from lecosite.governance.review import add_months
from lecosite.governance.rows import governance_rows
from lecosite.load import PARALLEL_MIN, load_site
from lecosite.project import load_settings
from lecosite.render import Renderer

TODAY = date(2026, 6, 1)
ALPHA = "content/modules/basics/alpha.md"
BETA = "content/modules/basics/beta.md"
BASICS = "content/paths/basics.yml"
DEFAULTS = "content/modules/basics/_defaults.yml"
FIRST = len(HEADER) + 3  # the first rule's line in a CODEOWNERS that is just the block


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), result.exception
    return result


def place(finding):
    return finding.file, finding.line, finding.col


# -- _defaults.yml ----------------------------------------------------------------------------


def test_defaults_are_inherited(site):
    site.write(DEFAULTS, 'owners: ["@org/basics", "lead@example.com"]\naudience: [admins]\n')
    site.module("alpha", folder="basics", owners=None)
    assert site.check() == []
    result = check_project(site.root, today=TODAY)
    alpha = result.site.modules["alpha"]
    assert alpha.owners == ["@org/basics", "lead@example.com"]
    assert alpha.audience == ["admins"]
    assert result.site.modules["beta"].owners == ["@org/team"]  # its own owners win


def test_nearest_folder_wins_key_by_key(site):
    site.write("content/modules/_defaults.yml", 'owners: ["@org/all"]\nlevel: beginner\n')
    site.write(DEFAULTS, 'owners: ["@org/basics"]\n')
    site.module("alpha", folder="basics", owners=None)
    site.module("gamma", folder="other", owners=None)
    site.path("basics", modules=["alpha", "beta", "gamma"])
    assert site.check() == []
    modules = check_project(site.root, today=TODAY).site.modules
    assert (modules["alpha"].owners, modules["alpha"].level) == (["@org/basics"], "beginner")
    assert modules["gamma"].owners == ["@org/all"]


def test_module_without_owners_and_no_defaults_still_fails(site):
    site.module("alpha", folder="basics", owners=None)
    assert site.only("LS010").file == ALPHA


def test_invalid_defaults_are_reported_in_the_defaults_file(site):
    site.write(DEFAULTS, 'owners: ["not an owner"]\nlevel: expert\nreview_every: 6\ncolour: red\n')
    site.module("alpha", folder="basics", owners=None)
    found = sorted((f.rule, *place(f)) for f in site.check())
    assert found == [
        ("LS010", ALPHA, 2, 1),  # the invalid owners are not passed on
        ("LS011", DEFAULTS, *site.at(DEFAULTS, '"not an owner"')),
        ("LS011", DEFAULTS, *site.at(DEFAULTS, "level")),
        ("LS012", DEFAULTS, *site.at(DEFAULTS, "colour")),
    ]


def test_paths_inherit_owners_and_vocabulary_from_defaults(site):
    site.write("content/_defaults.yml", 'owners: ["@org/all"]\nlevel: beginner\n')
    site.write("content/paths/_defaults.yml", 'owners: ["@org/paths"]\naudience: [admins]\n'
                                              "review_every: 3\n")
    site.path("basics", modules=["alpha", "beta"], owners=None)
    site.path("own", modules=["alpha"], owners=["@org/own"])
    site.module("alpha", folder="basics", owners=None)
    assert site.check() == []
    result = check_project(site.root, today=TODAY)
    basics, own = result.site.paths["basics"], result.site.paths["own"]
    assert (basics.owners, basics.audience, basics.level) == (["@org/paths"], ["admins"],
                                                              "beginner")
    assert own.owners == ["@org/own"]  # its own owners win
    assert result.site.modules["alpha"].owners == ["@org/all"]  # paths/ is not its folder


def test_paths_use_the_sites_vocabulary(site):
    site.write("lecosite.yml", site.read("lecosite.yml") + "schema:\n  audience: [admins]\n")
    site.path("basics", modules=["alpha", "beta"], audience=["admins", "pilots"])
    finding = site.only("LS011")
    assert place(finding) == (BASICS, *site.at(BASICS, "pilots"))
    assert finding.message == "'audience[2]' is 'pilots', which is not one of: admins"


def test_defaults_yaml_errors(site):
    site.write(DEFAULTS, "owners: [\n")
    assert site.only("LS002").file == DEFAULTS
    site.write(DEFAULTS, "- a list\n")
    assert place(site.only("LS011")) == (DEFAULTS, 1, 1)
    site.write(DEFAULTS, "")
    assert site.check() == []


def test_defaults_with_many_modules_in_parallel(site, monkeypatch):
    """A site large enough is read by forked workers: the folder defaults they apply are
    those a serial load applies."""
    forks: list[int] = []
    os.register_at_fork(before=lambda: forks.append(1))
    # The rules stay in this process (on a large site they run in a forked copy of their
    # own): the forks counted are the load's workers.
    monkeypatch.setattr("lecosite.check.threading.active_count", lambda: 2)
    site.write(DEFAULTS, 'owners: ["@org/basics"]\n')
    ids = [f"m{i:03d}" for i in range(PARALLEL_MIN + 50)]  # above the parallel threshold
    for mid in ids:
        site.module(mid, folder="basics/many", owners=None)
    site.path("basics", modules=["alpha", "beta", *ids])
    serial = check_project(site.root, today=TODAY, jobs=1)
    assert forks == []
    result = check_project(site.root, today=TODAY, jobs=2)
    assert forks, "no worker forked: the load was not parallel"
    assert result.findings == serial.findings == []

    def owners(found):
        return {m: tuple(found.site.modules[m].owners) for m in ids}

    assert owners(result) == owners(serial) == dict.fromkeys(ids, ("@org/basics",))


# -- review cadence -----------------------------------------------------------------------------


def test_add_months_clamps_to_the_month_end():
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert add_months(date(2026, 1, 15), 12) == date(2027, 1, 15)
    assert add_months(date(9999, 1, 1), 24) == date.max


def test_overdue_review_computed_from_folder_review_every(site):
    site.write(DEFAULTS, "review_every: 3\n")
    site.module("alpha", folder="basics", review_by=None, last_reviewed="2026-01-15")
    finding = site.only("LS301")
    assert place(finding) == (ALPHA, *site.at(ALPHA, "last_reviewed"))
    assert finding.message == ("review was due on 2026-04-15 (47 days ago): last_reviewed + 3 "
                               "months (the folder's _defaults.yml)")


def test_overdue_review_computed_from_site_and_path_review_every(site):
    site.write("lecosite.yml", site.read("lecosite.yml") + "review:\n  every: 12\n")
    site.module("alpha", folder="basics", review_by=None, last_reviewed="2025-11-30")
    assert site.check() == []  # due 2026-11-30
    site.path("basics", modules=["alpha", "beta"], review_every=6)
    finding = site.only("LS301")
    assert place(finding) == (ALPHA, *site.at(ALPHA, "last_reviewed"))
    assert "due on 2026-05-30 (2 days ago): last_reviewed + 6 months (path basics)" in (
        finding.message)


def test_folder_cadence_overrides_the_site_and_review_by_wins(site):
    site.write("lecosite.yml", site.read("lecosite.yml") + "review:\n  every: 3\n")
    site.write(DEFAULTS, "review_every: 12\n")
    site.module("alpha", folder="basics", review_by=None, last_reviewed="2026-01-15")
    assert site.check() == []  # the folder allows 12 months
    site.module("alpha", folder="basics", review_by="2026-05-01", last_reviewed="2026-01-15")
    assert place(site.only("LS301")) == (ALPHA, *site.at(ALPHA, "review_by"))


def test_never_reviewed_module_is_due_under_a_cadence(site):
    site.module("alpha", folder="basics", review_by=None, last_reviewed=None)
    assert site.check() == []  # no cadence: the dates are optional
    site.write("lecosite.yml", site.read("lecosite.yml") + "review:\n  every: 6\n")
    finding = site.only("LS301")
    assert place(finding) == (ALPHA, 2, 1)  # no last_reviewed: the front matter's start
    assert finding.message == ("never reviewed: no last_reviewed or review_by, and "
                               "lecosite.yml asks for a review every 6 months")
    assert "Add 'last_reviewed: YYYY-MM-DD'" in finding.hint
    result = run("stale", "--project", site.root, "--today", "2026-06-01", "--within", "0",
                 "--format", "json")
    [item] = json.loads(result.output)["owners"]["@org/team"]
    assert (item["id"], item["due"], item["days"], item["overdue"], item["source"]) == (
        "alpha", None, None, True, "never reviewed; every 6 months (lecosite.yml)")
    text = run("stale", "--project", site.root, "--today", "2026-06-01").output
    assert "never reviewed" in text and "alpha" in text
    markdown = run("stale", "--project", site.root, "--today", "2026-06-01",
                   "--format", "markdown").output
    assert "| Alpha (`alpha`) | — (never reviewed) |" in markdown
    _, _, rows = rows_of(site)
    alpha = next(r for r in rows if r.id == "alpha")
    assert (alpha.review_due, alpha.overdue) == (None, True)
    assert alpha.review_source == "never reviewed; every 6 months (lecosite.yml)"


@pytest.mark.parametrize(("write", "rule", "source"), [
    (lambda site, n: site.write(DEFAULTS, f"review_every: {n}\n"), "LS011",
     "the folder's _defaults.yml"),
    (lambda site, n: site.write("lecosite.yml", site.read("lecosite.yml")
                                + f"review:\n  every: {n}\n"), "LS004", "lecosite.yml"),
    (lambda site, n: site.path("basics", modules=["alpha", "beta"], review_every=n), "LS011",
     "path basics"),
], ids=["defaults", "lecosite.yml", "path"])
def test_a_cadence_written_with_a_point_is_that_many_months(site, write, rule, source):
    """'review_every: 6.0' passed the check (JSON Schema counts it an integer), then the
    review date's month arithmetic stopped check, stale and build with a TypeError, or (in a
    path) the cadence was ignored. 6.5 months is refused where it is written."""
    site.module("alpha", folder="basics", review_by=None, last_reviewed="2025-11-30")
    write(site, 6.0)
    finding = site.only("LS301")
    assert place(finding) == (ALPHA, *site.at(ALPHA, "last_reviewed"))
    assert finding.message == ("review was due on 2026-05-30 (2 days ago): last_reviewed + 6 "
                               f"months ({source})")
    result = run("stale", "--project", site.root, "--today", "2026-06-01", "--format", "json")
    [item] = json.loads(result.output)["owners"]["@org/team"]
    assert (item["id"], item["due"]) == ("alpha", "2026-05-30")
    write(site, 6.5)
    assert site.only(rule).message.endswith("must be a whole number, not a decimal number (6.5)")


def test_path_review_every_is_validated(site):
    site.path("basics", modules=["alpha", "beta"], review_every="often")
    assert place(site.only("LS011")) == (BASICS, *site.at(BASICS, "review_every"))


def test_stale_groups_by_owner(site):
    site.module("alpha", folder="basics", owners=["@org/a", "@org/b"], review_by="2026-05-01")
    site.module("beta", folder="basics", owners=["@org/b"], prerequisites=["alpha"],
                review_by="2026-06-20")
    site.module("gamma", folder="basics", owners=["@org/c"], review_by="2026-09-01")
    site.path("basics", modules=["alpha", "beta", "gamma"])
    result = run("stale", "--project", site.root, "--today", "2026-06-01", "--format", "json")
    assert result.exit_code == 0
    owners = json.loads(result.output)["owners"]
    assert {o: [(m["id"], m["days"], m["overdue"]) for m in items]
            for o, items in owners.items()} == {
        "@org/a": [("alpha", -31, True)],
        "@org/b": [("alpha", -31, True), ("beta", 19, False)],
    }
    text = run("stale", "--project", site.root, "--today", "2026-06-01", "--within", "100").output
    assert text.index("@org/a (1)") < text.index("@org/b (2)") < text.index("@org/c (1)")
    assert "overdue by 31 day(s)" in text
    markdown = run("stale", "--project", site.root, "--today", "2026-06-01",
                   "--format", "markdown").output
    assert "### @org/b (2)" in markdown
    quiet = run("stale", "--project", site.root, "--today", "2026-01-01")
    assert quiet.exit_code == 0
    assert "No module is due for review within 30 days." in quiet.output


def test_stale_names_the_files_it_cannot_read_and_fails(site):
    """A YAML typo in an overdue module must not turn the scheduled reminder into "nothing
    is due": the files are named, in JSON too, and the exit code makes the job fail."""
    site.module("alpha", folder="basics", review_by="2026-05-01")
    site.write(ALPHA, site.read(ALPHA).replace("goal: Learners can do alpha.",
                                           "goal: Learners do: A."))
    site.write(DEFAULTS, 'owners: ["@org/basics"\n')
    assert {f.file for f in site.check() if f.rule == "LS002"} == {ALPHA, DEFAULTS}
    note = (f"note: 2 file(s) cannot be read, so the list may leave out modules due for review "
            "in them, or get the owners and review dates they set wrong (run 'lecosite check' to "
            f"see why): {DEFAULTS}, {ALPHA}\n")
    result = run("stale", "--project", site.root, "--today", "2026-06-01")
    assert result.exit_code == 1
    assert result.output == "No module is due for review within 30 days.\n" + note
    result = run("stale", "--project", site.root, "--today", "2026-06-01", "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {"today": "2026-06-01", "within": 30, "owners": {},
                                         "unreadable": [DEFAULTS, ALPHA]}
    assert result.stderr == note
    markdown = run("stale", "--project", site.root, "--today", "2026-06-01", "--format",
                   "markdown")
    assert markdown.exit_code == 1
    assert markdown.stdout.endswith(f"**Not checked:** 2 file(s) cannot be read (run `lecosite "
                                    f"check` to see why): `{DEFAULTS}`, `{ALPHA}`\n")
    site.module("alpha", folder="basics", review_by="2026-05-01")
    site.remove(DEFAULTS)
    fixed = run("stale", "--project", site.root, "--today", "2026-06-01", "--format", "json")
    assert (fixed.exit_code, json.loads(fixed.output)["unreadable"]) == (0, [])


def test_stale_markdown_shows_titles_as_written(site):
    site.module("alpha", folder="basics", title="<!-- A | B &amp; C", review_by="2026-05-01")
    out = run("stale", "--project", site.root, "--today", "2026-06-01", "--format",
              "markdown").output
    assert "| &lt;!-- A \\| B &amp;amp; C (`alpha`) | 2026-05-01 (overdue by 31 day(s)) " in out
    assert "<!--" not in out


def test_stale_markdown_shows_markdown_syntax_as_written(site):
    site.module("alpha", folder="basics", title="*New* `x` [y](z)", owners=["@org/team_a"],
                review_by="2026-05-01")
    out = run("stale", "--project", site.root, "--today", "2026-06-01", "--format",
              "markdown").output
    assert "### @org/team\\_a (1)" in out
    assert "| \\*New\\* \\`x\\` \\[y\\](z) (`alpha`) |" in out


def test_stale_uses_the_computed_date(site):
    site.write(DEFAULTS, "review_every: 3\n")
    site.module("alpha", folder="basics", review_by=None, last_reviewed="2026-03-15")
    result = run("stale", "--project", site.root, "--today", "2026-06-01", "--format", "json")
    [item] = json.loads(result.output)["owners"]["@org/team"]
    assert (item["id"], item["due"], item["source"]) == (
        "alpha", "2026-06-15", "last_reviewed + 3 months (the folder's _defaults.yml)")


# -- CODEOWNERS -------------------------------------------------------------------------------


def test_codeowners_is_generated_sorted_with_a_header(site):
    site.write(DEFAULTS, 'owners: ["@org/basics"]\n')
    site.module("alpha", folder="basics", owners=["@org/a", "writer@example.com"])
    result = run("codeowners", "--project", site.root)
    assert result.exit_code == 0
    assert result.output.split("\n") == [
        begin(""),
        *HEADER,
        "",
        "/content/modules/basics/_defaults.yml @org/basics",
        "/content/modules/basics/alpha.md @org/a writer@example.com",
        "/content/modules/basics/beta.md @org/team",
        "/content/paths/basics.yml @org/team",
        end(""),
        "",
    ]
    assert begin("") == ("# BEGIN lecosite /: generated by `lecosite codeowners --write`, do "
                         "not edit by hand")
    assert end("") == "# END lecosite /"


def test_codeowners_write_then_check_is_clean(site):
    result = run("codeowners", "--project", site.root, "--write")
    assert result.output == "Wrote .github/CODEOWNERS (3 rules).\n"
    assert site.check() == []
    assert run("codeowners", "--project", site.root, "--write").output == (
        ".github/CODEOWNERS is up to date.\n")
    site.module("gamma", folder="basics")
    site.path("basics", modules=["alpha", "beta", "gamma"])
    finding = site.only("LS611")
    assert place(finding) == (".github/CODEOWNERS", FIRST + 1, 1)
    assert finding.message.endswith(f"a line is missing after line {FIRST + 1}: "
                                    "'/content/modules/basics/gamma.md @org/team'")


def test_codeowners_managed_elsewhere_is_neither_checked_nor_written(site):
    """A monorepo's CODEOWNERS kept by another team: LS611 demanded a lecosite block."""
    central = "# managed by the platform team\n* @org/everyone\n"
    site.write(".github/CODEOWNERS", central)
    assert [f.rule for f in site.check()] == ["LS611"]
    site.write("lecosite.yml", site.read("lecosite.yml") + "codeowners: false\n")
    assert site.check() == []
    result = run("codeowners", "--project", site.root, "--write")
    assert result.exit_code == 1
    assert "lecosite.yml sets 'codeowners: false'" in result.output
    assert site.read(".github/CODEOWNERS") == central
    shown = run("codeowners", "--project", site.root)  # printing what it would write is fine
    assert shown.exit_code == 0 and "/content/paths/basics.yml @org/team" in shown.output
    site.write("lecosite.yml", site.read("lecosite.yml").replace("false", "no thanks"))
    assert ("LS004", "'codeowners' must be true/false, not text ('no thanks')") in [
        (f.rule, f.message) for f in site.check()]


def test_codeowners_output_that_is_a_folder_asks_for_the_files_path(site):
    (site.root / ".github").mkdir()
    result = run("codeowners", "--project", site.root, "--write", "--output", ".github/")
    assert result.exit_code == 2
    assert ("Invalid value for --output: '.github/' is a folder: give the file's path, e.g. "
            ".github/CODEOWNERS") in result.output
    assert list((site.root / ".github").iterdir()) == []


def test_codeowners_with_extra_or_missing_lines(site):
    """Inside the block, a line added by hand or one taken out is reported."""
    run("codeowners", "--project", site.root, "--write")
    lines = site.read(".github/CODEOWNERS").splitlines()
    site.write(".github/CODEOWNERS", "\n".join([*lines[:-1], "/docs/ @someone", lines[-1]]))
    finding = site.only("LS611")
    assert place(finding) == (".github/CODEOWNERS", len(lines), 1)
    assert finding.message.endswith(f"line {len(lines)} should be removed: '/docs/ @someone'")
    site.write(".github/CODEOWNERS", "\n".join([*lines[:-2], lines[-1]]) + "\n")
    finding = site.only("LS611")
    assert place(finding) == (".github/CODEOWNERS", len(lines) - 2, 1)
    assert "/content/paths/basics.yml" in finding.message


def test_codeowners_names_the_file_a_change_removed_not_the_line_after_it(site):
    """Removing a module shifts every later line: the message names the module's line."""
    site.module("gamma", folder="basics")
    site.path("basics", modules=["alpha", "beta", "gamma"])
    run("codeowners", "--project", site.root, "--write")
    (site.root / "content/modules/basics/beta.md").unlink()
    site.path("basics", modules=["alpha", "gamma"])
    site.module("gamma", folder="basics", owners=["@org/new"])
    finding = site.only("LS611")
    assert place(finding) == (".github/CODEOWNERS", FIRST + 1, 1)
    assert finding.message.endswith(
        f"line {FIRST + 1} should be removed: '/content/modules/basics/beta.md @org/team'"
        " (and 1 more difference(s))")


def test_codeowners_reads_patterns_with_escaped_spaces(site):
    site.module("gamma", folder="my basics")
    site.module("delta", folder="my basics")
    site.path("basics", modules=["alpha", "beta", "gamma", "delta"])
    run("codeowners", "--project", site.root, "--write")
    (site.root / "content/modules/my basics/delta.md").unlink()
    site.path("basics", modules=["alpha", "beta", "gamma"])
    finding = site.only("LS611")
    assert finding.message.endswith(
        "should be removed: '/content/modules/my\\ basics/delta.md @org/team'")


def test_codeowners_lines_out_of_order_or_without_the_header(site):
    run("codeowners", "--project", site.root, "--write")
    lines = site.read(".github/CODEOWNERS").splitlines()
    alpha, beta = FIRST, FIRST + 1  # line numbers
    swapped = [*lines[:alpha - 1], lines[beta - 1], lines[alpha - 1], *lines[beta:]]
    site.write(".github/CODEOWNERS", "\n".join(swapped) + "\n")
    finding = site.only("LS611")
    assert place(finding) == (".github/CODEOWNERS", beta, 1)  # alpha's line, now there
    assert finding.message.endswith(f"line {beta} is out of order (the generated block sorts "
                                    f"lines by path): '{lines[alpha - 1]}'")
    site.write(".github/CODEOWNERS", "\n".join([lines[0], *lines[FIRST - 1:]]) + "\n")
    finding = site.only("LS611")
    assert place(finding) == (".github/CODEOWNERS", 1, 1)
    assert f"a line is missing after line 1: '{HEADER[0]}' (and {len(HEADER)} more" \
        in finding.message


def test_codeowners_keeps_the_owners_of_files_that_cannot_be_read(site):
    """A YAML typo must not take a module's owners (or a folder's) off CODEOWNERS."""
    site.write(DEFAULTS, 'owners: ["@org/basics"]\n')
    run("codeowners", "--project", site.root, "--write")
    before = site.read(".github/CODEOWNERS")
    site.write(ALPHA, site.read(ALPHA).replace("owners: ['@org/team']", "owners: [@org/x]"))
    site.write(DEFAULTS, 'owners: ["@org/basics"\n')
    assert sorted(f.rule for f in site.check()) == ["LS002", "LS002"]  # and no LS611
    site.module("beta", folder="basics", prerequisites=["alpha"], owners=["@org/new"])
    result = run("codeowners", "--project", site.root, "--write")
    assert result.exit_code == 0
    assert site.read(".github/CODEOWNERS") == before.replace(
        "/content/modules/basics/beta.md @org/team", "/content/modules/basics/beta.md @org/new")
    assert ("note: 2 file(s) cannot be read, so they keep the owners .github/CODEOWNERS gives "
            f"them now (run 'lecosite check' to see why): {DEFAULTS}, {ALPHA}") in result.output
    assert "LS611" not in {f.rule for f in site.check()}


def test_codeowners_of_a_project_in_a_subfolder_of_its_repository(site):
    """GitHub reads CODEOWNERS at the repository's root and anchors patterns there."""
    subprocess.run(["git", "init", "-q"], cwd=site.root.parent, check=True)
    (site.root.parent / "README.md").write_text("other things\n", encoding="utf-8")
    folder = site.root.name
    result = run("codeowners", "--project", site.root, "--write")
    assert result.output == "Wrote ../.github/CODEOWNERS (3 rules).\n"
    text = (site.root.parent / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    assert f"/{folder}/content/modules/basics/alpha.md @org/team" in text.splitlines()
    assert not (site.root / ".github").exists()
    assert site.check() == []
    site.module("alpha", folder="basics", owners=["@org/new"])
    finding = site.only("LS611")
    assert place(finding) == ("../.github/CODEOWNERS", FIRST, 1)
    assert f"/{folder}/content/modules/basics/alpha.md @org/new" in finding.message


def test_codeowners_keeps_other_teams_rules_around_its_block(site):
    """A portal in a larger repository shares CODEOWNERS with other teams: lecosite writes
    and checks only its block, and keeps every other line byte for byte."""
    subprocess.run(["git", "init", "-q"], cwd=site.root.parent, check=True)
    codeowners = site.root.parent / ".github" / "CODEOWNERS"
    codeowners.parent.mkdir()
    theirs = b"\xef\xbb\xbf/src/ @eng/backend\r\n# their note  \r\n/.github/workflows/ @eng/devops"
    codeowners.write_bytes(theirs)
    finding = site.only("LS611")
    assert place(finding) == ("../.github/CODEOWNERS", 1, 1)
    assert finding.message == ("CODEOWNERS has no lecosite block (a '# BEGIN lecosite "
                               f"/{site.root.name}/' line), so it does not name the content's "
                               "owners")
    assert run("codeowners", "--project", site.root, "--write").exit_code == 0
    written = codeowners.read_bytes()
    assert written.startswith(theirs + b"\r\n\r\n# BEGIN lecosite ")  # appended, at the end
    assert written.endswith(f"# END lecosite /{site.root.name}/\r\n".encode())
    assert site.check() == []
    codeowners.write_bytes(written + b"/docs/ @eng/docs\r\n")  # another team's rule, after it
    site.module("alpha", folder="basics", owners=["@org/new"])
    assert "alpha.md @org/new" in site.only("LS611").message
    assert run("codeowners", "--project", site.root, "--write").exit_code == 0
    assert codeowners.read_bytes() == written.replace(
        b"alpha.md @org/team", b"alpha.md @org/new") + b"/docs/ @eng/docs\r\n"
    assert site.check() == []


def test_codeowners_written_whole_by_an_older_lecosite_becomes_the_block(site):
    """This repository's own file among them: it must convert without losing a rule."""
    legacy = ("# Generated by `lecosite codeowners --write` from the `owners` of modules, paths "
              "and\n# folder _defaults.yml files. Do not edit by hand: change the owners in the "
              "content,\n# then run the command again (`lecosite check` reports when this file "
              "is out of sync).\n\n/content/modules/basics/alpha.md @org/team\n")
    site.write(".github/CODEOWNERS", legacy)
    finding = site.only("LS611")
    assert place(finding) == (".github/CODEOWNERS", 1, 1)
    assert "the format of an older lecosite" in finding.message
    assert run("codeowners", "--project", site.root, "--write").exit_code == 0
    assert site.read(".github/CODEOWNERS") == run("codeowners", "--project", site.root).output
    assert site.read(".github/CODEOWNERS").startswith(begin("") + "\n")
    assert site.read(".github/CODEOWNERS").count("# Generated") == 0
    assert site.check() == []


def test_codeowners_block_without_its_end_line_is_left_alone(site):
    run("codeowners", "--project", site.root, "--write")
    lines = site.read(".github/CODEOWNERS").splitlines()
    broken = "\n".join(["/src/ @eng", *lines[:-1], "/docs/ @eng"]) + "\n"
    site.write(".github/CODEOWNERS", broken)
    finding = site.only("LS611")
    assert place(finding) == (".github/CODEOWNERS", 2, 1)
    assert finding.message.startswith("CODEOWNERS: line 2 is '# BEGIN lecosite /' but no "
                                      "'# END lecosite /' line follows it")
    result = run("codeowners", "--project", site.root, "--write")
    assert result.exit_code == 1
    assert result.output.startswith("error: .github/CODEOWNERS, line 2 is '# BEGIN lecosite /' "
                                    "but no '# END lecosite /' line follows it")
    assert site.read(".github/CODEOWNERS") == broken


def test_codeowners_goes_into_the_file_github_reads(site):
    """GitHub uses the first of .github/CODEOWNERS, CODEOWNERS, docs/CODEOWNERS: writing a
    new .github/CODEOWNERS would silently switch off the rules of the others."""
    site.write("docs/CODEOWNERS", "/docs/ @eng/docs\n")
    assert site.only("LS611").file == "docs/CODEOWNERS"
    result = run("codeowners", "--project", site.root, "--write")
    assert result.output == "Wrote docs/CODEOWNERS (3 rules).\n"
    assert site.read("docs/CODEOWNERS").startswith("/docs/ @eng/docs\n\n# BEGIN lecosite /")
    site.write("CODEOWNERS", "* @eng/all\n")
    assert site.only("LS611").file == "CODEOWNERS"  # read before docs/ now
    assert run("codeowners", "--project", site.root, "--write").exit_code == 0
    assert site.check() == []
    assert not (site.root / ".github").exists()
    result = run("codeowners", "--project", site.root, "--write", "--output",
                 ".github/CODEOWNERS")
    assert result.exit_code == 2
    assert ("GitHub would read .github/CODEOWNERS instead of CODEOWNERS, whose rules would stop "
            "applying: move CODEOWNERS to .github/CODEOWNERS first") in result.output
    assert not (site.root / ".github").exists()
    result = run("codeowners", "--project", site.root, "--output", "docs/CODEOWNERS")
    assert result.exit_code == 0
    assert "note: GitHub does not read docs/CODEOWNERS: it reads CODEOWNERS first." in (
        result.output)


def test_codeowners_will_not_write_into_a_file_that_is_not_codeowners(site):
    site.write("mkdocs.yml", "site_name: T\n")
    for name in ("mkdocs.yml", ALPHA):
        before = site.read(name)
        result = run("codeowners", "--project", site.root, "--write", "--output", name)
        assert result.exit_code == 2
        assert (f"Invalid value for --output: {name} is not a CODEOWNERS file and is not empty, "
                "so lecosite will not add its rules to it") in " ".join(result.output.split())
        assert site.read(name) == before


# -- the governance page ---------------------------------------------------------------------


def rows_of(site, today=TODAY):
    result = check_project(site.root, today=today)
    catalog = assemble(result.site)
    return result, catalog, governance_rows(result.site, catalog, today,
                                            settings=result.settings)


def test_governance_rows(site):
    site.write("lecosite.yml", site.read("lecosite.yml") + "review:\n  every: 3\n")
    site.module("alpha", folder="basics", review_by=None, last_reviewed="2026-01-15")
    site.module("lonely", folder="basics", owners=["@org/x", "x@example.com"])
    site.module("draft", folder="basics", status="draft", review_by="2026-01-01")
    _, _, rows = rows_of(site)
    by_id = {r.id: r for r in rows}
    assert [r.id for r in rows] == ["alpha", "beta", "draft", "lonely"]  # by title
    alpha = by_id["alpha"]
    assert (alpha.review_due, alpha.overdue, alpha.orphan) == (date(2026, 4, 15), True, False)
    assert alpha.review_source == "last_reviewed + 3 months (lecosite.yml)"
    assert alpha.paths == (("basics", "Basics", True),)
    assert (by_id["lonely"].orphan, by_id["lonely"].owners) == (True, ("@org/x", "x@example.com"))
    assert (by_id["draft"].overdue, by_id["draft"].orphan, by_id["draft"].linked) == (
        False, False, False)
    beta = by_id["beta"]
    assert (beta.file, beta.owners, beta.version, beta.status) == (
        BETA, ("@org/team",), "1.0.0", "published")
    assert (beta.last_reviewed, beta.review_due, beta.review_source) == (
        date(2026, 1, 15), date(2026, 12, 31), "review_by in the module")
    assert (beta.paths, beta.orphan, beta.overdue) == ((("basics", "Basics", True),), False,
                                                       False)


def test_governance_rows_sort_versions_as_semver_does(site):
    """The table sorts by these keys as text: 1.0.0-beta sorted with 1.0.0 before."""
    versions = ["1.10.0", "1.0.0", "1.0.0-beta.10", "0.9.0", "1.0.0-beta.2", "1.0.0-alpha"]
    for n, version in enumerate(versions):
        site.module(f"m{n}", folder="basics", version=version)
    _, _, rows = rows_of(site)
    mine = [r for r in rows if r.id.startswith("m")]
    assert [r.version for r in sorted(mine, key=lambda r: r.version_key)] == [
        "0.9.0", "1.0.0-alpha", "1.0.0-beta.2", "1.0.0-beta.10", "1.0.0", "1.10.0"]


def test_governance_page_template(site):
    site.module("alpha", folder="basics", title="<script>alert(1)</script> & co",
                review_by="2026-05-01", version="1.10.0")
    site.module("lonely", folder="basics")
    result, catalog, rows = rows_of(site)
    html = Renderer(catalog, result.settings).governance_page("governance/", rows)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html
    assert html.count('<th scope="col"') == 7
    assert html.count('<th scope="row"') == 3
    assert html.count('<th scope="col" aria-sort="ascending">') == 1
    assert html.count('<th scope="col" aria-sort') == 1
    assert html.count("data-ls-gov-sort=") == 7
    assert html.count('class="ls-gov-overdue"') == 1
    assert "Overdue</span>" in html and "In no path</span>" in html
    assert 'href="../modules/alpha/"' in html and 'href="../paths/basics/"' in html
    assert 'data-sort="000001.000010.000000~"' in html  # a release: after its pre-releases
    assert '<option value="@org/team">@org/team</option>' in html


def test_codeowners_leaves_out_owners_the_check_refuses(site):
    """An owner without '@' or a domain ('maria') fails the check; written into CODEOWNERS
    it would make GitHub ignore the line, so it is left out there."""
    site.module("alpha", folder="basics", owners=["maria", "@org/team", "@org/team"])
    loaded, _ = load_site(load_settings(site.root)[0])
    found = dict(entries(loaded))
    assert found["content/modules/basics/alpha.md"] == ["@org/team"]
