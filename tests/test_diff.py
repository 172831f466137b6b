"""``lecosite diff`` on a real git repository made in the test: the committed project is the
base, the working tree the change."""

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import date

import pytest
from click.testing import CliRunner

from lecosite.cli import main
from lecosite.governance import summary
from lecosite.governance.diff import bump_level, next_version, run_diff

TODAY = "2026-06-01"
ALPHA = "content/modules/basics/alpha.md"
BETA = "content/modules/basics/beta.md"
BASICS = "content/paths/basics.yml"


def diff(site, *args):
    result = CliRunner().invoke(main, ["diff", "--base", "HEAD", "--project", str(site.root),
                                       "--today", TODAY, "--jobs", "1", *map(str, args)])
    assert "Traceback" not in result.output
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), result.exception
    return result


def annotations(output):
    """(level, file, line, rule) of every GitHub annotation."""
    return [(m[1], m[2], int(m[3]), m[4]) for m in re.finditer(
        r"^::(error|warning) file=([^,]+),line=(\d+),col=\d+,title=(LS\d+)", output, re.M)]


def lecosite_command():
    script = shutil.which("lecosite")
    return [script] if script else [sys.executable, "-c", "from lecosite.cli import main; main()"]


# -- the rules, through the command ----------------------------------------------------------


def test_unbumped_change_is_annotated_on_the_version_line(git_site):
    git_site.module("alpha", folder="basics", body="# Heading\n\nNew wording.\n")
    result = diff(git_site, "--format", "github")
    assert result.exit_code == 1
    line = git_site.at(ALPHA, "version:")[0]
    assert annotations(result.output) == [("error", ALPHA, line, "LS601")]
    assert "body text changed" in result.output


def test_unbumped_change_as_a_real_process(git_site):
    git_site.module("alpha", folder="basics", goal="Learners can do alpha well.")
    done = subprocess.run([*lecosite_command(), "diff", "--base", "HEAD", "--format", "json",
                           "--today", TODAY], cwd=git_site.root, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    data = json.loads(done.stdout)
    [finding] = data["introduced"]
    assert (finding["file"], finding["line"], finding["rule"]) == (
        ALPHA, git_site.at(ALPHA, "version:")[0], "LS601")
    [change] = data["changes"]
    assert (change["id"], change["status"], change["needed"]) == ("alpha", "changed", "minor")


def test_minor_needed(git_site):
    git_site.module("alpha", folder="basics", objectives=["Do alpha.", "Check alpha."],
                    version="1.0.1", changelog=[{"1.0.1": "Added an objective."}])
    result = diff(git_site, "--format", "github")
    assert annotations(result.output) == [
        ("error", ALPHA, git_site.at(ALPHA, "version:")[0], "LS602")]
    assert "needs a minor bump (1.1.0): objectives added (1 → 2)" in result.output


def test_a_major_bump_a_typo_does_not_need_is_a_warning(git_site):
    """A major bump asks every learner who completed the module to take it again: for a
    typo it did so without a word. Going live from 0.x to 1.0.0 is no such bump."""
    git_site.module("alpha", folder="basics", body="# Heading\n\nSome txet.\n",
                    version="2.0.0", changelog=[{"2.0.0": "Typo."}])
    result = diff(git_site, "--format", "github")
    assert result.exit_code == 0, result.output
    assert annotations(result.output) == [
        ("warning", ALPHA, git_site.at(ALPHA, "version:")[0], "LS608")]
    assert ("1.0.0 → 2.0.0 is a major bump, but the change needs only a patch bump (1.0.1): "
            "learners who completed it are asked to take it again") in result.output
    git_site.module("alpha", folder="basics", version="1.0.1", changelog=[{"1.0.1": "Typo."}],
                    body="# Heading\n\nSome txet.\n")
    assert annotations(diff(git_site, "--format", "github").output) == []


def test_objective_case_and_punctuation_need_a_minor_bump(git_site):
    git_site.module("alpha", folder="basics", objectives=["do  ALPHA!"], version="1.0.1",
                    changelog=[{"1.0.1": "Shouting."}])
    result = diff(git_site, "--format", "github")
    assert annotations(result.output) == [
        ("error", ALPHA, git_site.at(ALPHA, "version:")[0], "LS602")]
    assert "needs a minor bump (1.1.0): objectives reordered, or their case" in result.output


def test_reordered_objectives_name_the_checks_whose_number_now_means_another(git_site):
    check = "```check\n? Q?\nobjective: {n}\n- [x] A -- Yes.\n- [ ] B -- No.\n```\n"
    body = "Text.\n\n" + check.format(n=1) + "\n" + check.format(n=2)
    git_site.module("alpha", folder="basics", objectives=["Do alpha.", "Check alpha."],
                    version="1.1.0", changelog=[{"1.1.0": "Two."}], body=body)
    git_site.commit("two objectives")
    git_site.module("alpha", folder="basics", objectives=["Check alpha.", "Do alpha."],
                    version="1.2.0", changelog=[{"1.2.0": "Swapped."}], body=body)
    result = diff(git_site)
    first, second = (git_site.at(ALPHA, "objective: 1")[0], git_site.at(ALPHA, "objective: 2")[0])
    assert ("checks name objectives by number that now mean others: line "
            f"{first} (objective 1 was 'Do alpha.'), line {second} (objective 2 was "
            "'Check alpha.'); make sure each still assesses the right one, or name it by its "
            "text") in result.output
    # With the bump right, each check is still named on its own line (LS609, a warning).
    assert annotations(diff(git_site, "--format", "github").output) == [
        ("warning", ALPHA, first, "LS609"), ("warning", ALPHA, second, "LS609")]
    assert ("this check names objective 1, which was 'Do alpha.' and is now 'Check alpha.'"
            in diff(git_site).output)


def test_replacing_an_objective_needs_a_major_bump_though_the_count_stays(git_site):
    git_site.module("alpha", folder="basics", objectives=["A one.", "B two.", "C three."],
                    version="1.1.0", changelog=[{"1.1.0": "Three objectives."}])
    git_site.commit("three objectives")
    git_site.module("alpha", folder="basics", objectives=["A one.", "B two.", "D four."],
                    version="1.2.0", changelog=[{"1.2.0": "D instead of C."}])
    result = diff(git_site, "--format", "github")
    assert annotations(result.output) == [
        ("error", ALPHA, git_site.at(ALPHA, "version:")[0], "LS602")]
    assert ("needs a major bump (2.0.0): objectives removed or reworded: 'C three.'"
            in result.output)
    assert "objectives added" not in result.output  # a reworded objective is not one more
    git_site.module("alpha", folder="basics", objectives=["A one.", "B two.", "D four."],
                    version="2.0.0", changelog=[{"2.0.0": "D instead of C."}])
    assert diff(git_site).exit_code == 0


def test_major_needed_for_removed_objectives_and_modules_removed_from_a_path(git_site):
    git_site.module("alpha", folder="basics", objectives=["One.", "Two."], version="1.1.0",
                    changelog=[{"1.1.0": "Two objectives."}])
    git_site.commit("two objectives")
    git_site.module("alpha", folder="basics", objectives=["One."], version="1.2.0",
                    changelog=[{"1.2.0": "One objective."}])
    git_site.path("basics", modules=["beta"], version="1.1.0", changelog=[{"1.1.0": "Shorter."}])
    git_site.module("beta", folder="basics", prerequisites=None, version="2.0.0",
                    changelog=[{"2.0.0": "Stands alone."}])
    result = diff(git_site, "--format", "github")
    assert sorted(annotations(result.output)) == sorted([
        ("error", ALPHA, git_site.at(ALPHA, "version:")[0], "LS602"),
        ("error", BASICS, git_site.at(BASICS, "version:")[0], "LS602"),
        ("warning", ALPHA, git_site.at(ALPHA, "id:")[0], "LS204"),  # alpha is in no path now
    ])
    assert "objectives removed or reworded (2 → 1): 'Two.'" in result.output
    assert "modules removed: alpha" in result.output


def test_files_a_module_uses_are_part_of_it(git_site):
    """Its video, poster, captions, transcript and body images (also in HTML, whose address
    is read from the page's): a new transcript changes what learners get as much as new body
    text does."""
    media = {"alpha.webm": bytes(300 * 1024),  # above the size the base tree leaves empty
             "alpha.jpg": b"\xff\xd8 poster", "alpha.en.vtt": b"WEBVTT\n",
             "alpha.transcript.txt": b"What the video says.\n", "diagram.svg": b"<svg/>\n",
             "html.svg": b"<svg/>\n"}
    for name, data in media.items():
        git_site.write(f"content/media/{name}", data)
    git_site.module("alpha", folder="basics", video={
        "src": "../../media/alpha.webm", "poster": "../../media/alpha.jpg",
        "captions": [{"lang": "en", "label": "English", "src": "../../media/alpha.en.vtt"}],
        "transcript": "../../media/alpha.transcript.txt"},
        body="# Heading\n\n![A diagram](../../media/diagram.svg)\n\n"
             '<img src="../../media/html.svg" alt="From the page\'s address">\n')
    git_site.commit("media")
    output = diff(git_site).output
    assert "no module or path changed" in output
    summary = diff(git_site, "--format", "markdown").output  # not "Changed no module or …"
    assert "\nNo module or path changed.\n" in summary and "Changed no" not in summary
    # Comparing the commit checked out with itself: say so, and what to compare with.
    assert ("HEAD is the commit checked out, so only edits not committed yet are compared; "
            "to check work already committed, compare with the commit it started from, e.g. "
            "--base HEAD~1 for the last commit alone.") in output  # no other branch here
    version_line = git_site.at(ALPHA, "version:")[0]
    for name, data in media.items():
        git_site.write(f"content/media/{name}", data + b"more")
        result = diff(git_site, "--format", "github")
        assert annotations(result.output) == [("error", ALPHA, version_line, "LS601")], name
        assert f"files it uses changed: content/media/{name}" in result.output
        git_site.write(f"content/media/{name}", data)
    git_site.write("content/media/alpha.transcript.txt", b"What the video says now.\n")
    git_site.git("add", "content/media")  # staged or not, it is the working tree that counts
    text = git_site.read(ALPHA).replace("version: 1.0.0",
                                        "version: 1.0.1\nchangelog:\n- 1.0.1: New transcript.")
    git_site.write(ALPHA, text)
    result = diff(git_site, "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert ("| **Alpha** `alpha` | changed (patch) | 1.0.0 → 1.0.1 | `@org/team` "
            "| Basics (16 min) |") in result.output


def test_missing_changelog_entry(git_site):
    git_site.module("alpha", folder="basics", duration=9, version="1.0.1")
    result = diff(git_site, "--format", "github")
    assert annotations(result.output) == [
        ("error", ALPHA, git_site.at(ALPHA, "version:")[0], "LS603")]


def test_the_pr_comment_of_a_change_to_every_module_fits_githubs_limit(git_site):
    """GitHub refuses a comment over 65,536 characters: 165 modules changed made 73,847, and
    the workflow's post step would fail on the pull request that most needs its summary."""
    title = "A module with the long sort of title authors give their modules"
    for n in range(170):
        git_site.module(f"bulk-{n:03}", folder="bulk", title=f"{title} {n}")
    git_site.commit("a large catalogue")
    for n in range(170):
        git_site.module(f"bulk-{n:03}", folder="bulk", title=f"{title} {n}",
                        body="# Heading\n\nEvery module edited at once.\n")
    result = diff(git_site, "--format", "markdown")
    assert result.exit_code == 1
    assert 50_000 < len(result.output) <= 65_536
    assert "### Modules (170)" in result.output and "### Introduced by this change (170)" in (
        result.output)
    assert "What changed, and the bump each change needs" not in result.output  # cut first
    assert ("what each change needs are left out to keep this comment within GitHub's size "
            "limit: `lecosite diff` shows them.") in result.output
    assert result.output.count("| **A module with the long") == 170  # every row still there
    # Past that, the longest lists are cut, each saying how many it leaves out.
    shorter = summary.markdown(run_diff(git_site.root, "HEAD", today=date.fromisoformat(TODAY)),
                               limit=20_000)
    assert len(shorter) <= 20_000
    assert shorter.count("| **A module with the long") < 170
    assert re.search(r"… and \d+ more, left out to keep this comment within GitHub's size "
                     r"limit: `lecosite diff` lists them all\.", shorter)


def test_removed_module_still_referenced(git_site):
    """LS604 says why each reference dangles; the check's "does not exist, did you mean"
    for the same place (LS101, LS103, LS105, LS106) is not repeated next to it."""
    git_site.module("gamma", folder="basics", status="retired", replaced_by="alpha",
                    body="# Gamma\n\nSee [alpha](alpha.md#heading) and [beta](beta.md).\n")
    git_site.path("cert", kind="certification", requires=["alpha"], pass_mark=0.8)
    help_page = "content/guides/help.md"
    git_site.write(help_page, "# Help\n\nStart with [alpha](../modules/basics/alpha.md).\n")
    git_site.commit("more")
    git_site.remove(ALPHA)
    result = diff(git_site, "--format", "github")
    assert result.exit_code == 1
    gamma, cert = "content/modules/basics/gamma.md", "content/paths/cert.yml"
    assert sorted(annotations(result.output)) == sorted([
        ("error", BASICS, git_site.at(BASICS, "alpha")[0], "LS604"),
        ("error", BETA, git_site.at(BETA, "alpha]")[0], "LS604"),
        ("error", gamma, git_site.at(gamma, "replaced_by:")[0], "LS604"),
        ("error", gamma, git_site.at(gamma, "[alpha]")[0], "LS604"),
        ("error", help_page, git_site.at(help_page, "[alpha]")[0], "LS604"),
        ("error", cert, git_site.at(cert, "alpha]")[0], "LS604")])
    assert (f"{help_page}:3:12: error LS604 removed-still-referenced: module 'alpha' was "
            f"removed in this change ({ALPHA}) but is still linked here") in diff(git_site).output
    hints = {(f["file"], f["hint"]) for f in json.loads(
        diff(git_site, "--format", "json").output)["introduced"]}
    # Kept retired, a module still has a page for links; a path's list refuses it (LS201).
    assert (BASICS, "Remove it from the path's modules.") in hints
    assert (cert, "Remove it from requires.") in hints
    assert (help_page, "Remove the link or point it at another module, or keep the module "
            "with status: retired and a replaced_by.") in hints


def test_module_that_cannot_be_read_is_not_removed(git_site):
    """A YAML typo is reported as what it is, not as a removal still referenced, and the
    paths' new totals are unknown rather than short of the module's minutes."""
    git_site.write(ALPHA, git_site.read(ALPHA).replace("owners: ['@org/team']",
                                                       "owners: [@org/x]"))
    result = diff(git_site, "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert [(f["file"], f["rule"]) for f in data["introduced"]] == [(ALPHA, "LS002")]
    assert [(c["id"], c["status"]) for c in data["changes"]] == [("alpha", "unreadable")]
    assert [(p["id"], p["old_total"], p["new_total"], p["unknown"]) for p in data["paths"]] == [
        ("basics", 16, None, True)]
    assert "unreadable module alpha  1.0.0 → ?" in diff(git_site).output
    markdown = diff(git_site, "--format", "markdown").output
    assert "| cannot be read | 1.0.0 → ? | `@org/team` | Basics (16 min → ?) |" in markdown
    assert "LS604" not in markdown


def test_removed_and_unreferenced_module_passes(git_site):
    git_site.remove(BETA)
    git_site.path("basics", modules=["alpha"], version="2.0.0", changelog=[{"2.0.0": "Alpha."}])
    result = diff(git_site)
    assert result.exit_code == 0, result.output
    assert "removed   module beta" in result.output


def test_version_going_backwards(git_site):
    git_site.path("basics", modules=["alpha", "beta"], version="0.9.0")
    result = diff(git_site, "--format", "github")
    assert annotations(result.output) == [
        ("error", BASICS, git_site.at(BASICS, "version:")[0], "LS605")]


def test_renamed_file_with_the_same_id_is_a_rename(git_site):
    text = git_site.read(ALPHA)
    git_site.remove(ALPHA)
    git_site.write("content/modules/intro/alpha.md", text)
    result = diff(git_site, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["renames"] == [{"id": "alpha", "from": ALPHA,
                                "to": "content/modules/intro/alpha.md"}]
    assert [(c["id"], c["status"], c["old_file"], c["new_file"]) for c in data["changes"]] == [
        ("alpha", "renamed", ALPHA, "content/modules/intro/alpha.md")]  # as findings name them
    assert data["introduced"] == []
    markdown = diff(git_site, "--format", "markdown").output
    assert "### Renamed files (1)" in markdown
    assert "`content/modules/basics/alpha.md` → `content/modules/intro/alpha.md`" in markdown
    assert "::notice file=content/modules/intro/alpha.md" in diff(
        git_site, "--format", "github").output


def test_renamed_and_changed_file_keeps_its_old_findings(git_site):
    git_site.module("alpha", folder="basics", duration=40)  # a warning at the base
    git_site.commit("long alpha")
    text = git_site.read(ALPHA).replace("Some text.", "Some more text.")
    text = text.replace("version: 1.0.0", "version: 1.0.1\nchangelog:\n- 1.0.1: More text.")
    git_site.remove(ALPHA)
    git_site.write("content/modules/intro/alpha.md", text)
    data = json.loads(diff(git_site, "--format", "json").output)
    assert data["introduced"] == []
    assert [(f["file"], f["rule"]) for f in data["existing"]] == [
        ("content/modules/intro/alpha.md", "LS205")]


# -- clean changes and the impact summary ---------------------------------------------------


def test_clean_pr_passes(git_site):
    git_site.module("alpha", folder="basics", objectives=["Do alpha.", "Check alpha."],
                    version="1.1.0", changelog=[{"1.1.0": "Added a check objective."}])
    result = diff(git_site, "--format", "github")
    assert result.exit_code == 0, result.output
    assert annotations(result.output) == []
    assert diff(git_site).exit_code == 0


def test_no_change_passes(git_site):
    result = diff(git_site, "--format", "markdown")
    assert result.exit_code == 0
    assert "✅ This change introduces no problems." in result.output


def test_impact_summary_durations(git_site):
    durations = {"alpha": 8, "beta": 8, "gamma": 10}  # as written below / by the fixture
    git_site.module("gamma", folder="cert", duration=durations["gamma"])
    git_site.path("cert", kind="certification", modules=["gamma"], requires=["basics"],
                  pass_mark=0.8, valid_for=24)
    git_site.commit("certification")
    git_site.module("alpha", folder="basics", duration=13, version="1.0.1",
                    changelog=[{"1.0.1": "A longer walkthrough."}])
    new = {**durations, "alpha": 13}

    def minutes(total):
        return f"{total} min" if total < 60 else f"{total // 60} h {total % 60} min"

    basics = (durations["alpha"] + durations["beta"], new["alpha"] + new["beta"])
    cert = (sum(durations.values()), sum(new.values()))  # gamma plus everything basics has
    result = diff(git_site, "--format", "markdown")
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("<!-- lecosite-impact -->")
    row = next(line for line in out.splitlines() if line.startswith("| **Alpha** `alpha`"))
    assert "| changed (patch) | 1.0.0 → 1.0.1 | `@org/team` |" in row
    assert f"Basics ({minutes(basics[0])} → {minutes(basics[1])})" in row
    assert f"Cert ({minutes(cert[0])} → {minutes(cert[1])})" in row
    assert (f"| **Basics** `basics` | affected | 1.0.0 | {minutes(basics[0])} → "
            f"{minutes(basics[1])} | 2 | `@org/team` |") in out
    data = json.loads(diff(git_site, "--format", "json").output)
    totals = {p["id"]: (p["old_total"], p["new_total"]) for p in data["paths"]}
    assert totals == {"basics": basics, "cert": cert}


def test_new_owners_show_in_the_summary_without_a_bump(git_site):
    """Who reviews a module is part of what a pull request does (CODEOWNERS follows it),
    though learners see nothing new: no bump needed, no path affected."""
    git_site.module("alpha", folder="basics", owners=["@org/docs"])
    result = diff(git_site, "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert "Changed modules: 1 owners only." in result.output
    assert ("| **Alpha** `alpha` | owners only | 1.0.0 | `@org/team` → `@org/docs` | — |"
            in result.output)
    data = json.loads(diff(git_site, "--format", "json").output)
    [change] = data["changes"]
    assert (change["status"], change["old_owners"], change["owners"], change["paths"]) == (
        "owners", ["@org/team"], ["@org/docs"], [])
    assert "owners: @org/team → @org/docs" in diff(git_site).output


def test_publishing_a_draft_is_reported_with_what_it_means_for_learners(git_site):
    """Only `status: draft` → `published`: no new content, so no bump (authoring.md exempts
    status), but the module goes live, and the published certification that requires it
    gets its minutes and one more module, where the public build left the draft out."""
    gamma = "content/modules/basics/gamma.md"
    git_site.module("gamma", folder="basics", status="draft", duration=10)
    git_site.path("next", modules=["gamma"], status="draft")
    git_site.path("cert", kind="certification", modules=["alpha"], requires=["basics", "gamma"],
                  pass_mark=0.8, valid_for=24)
    git_site.commit("a draft")
    git_site.module("gamma", folder="basics", status="published", duration=10)
    result = diff(git_site)
    assert result.exit_code == 0, result.output
    assert "Compared with HEAD: modules: 1 goes live." in result.output
    assert ("  status    module gamma  1.0.0  status: draft → published (goes live: now in the "
            "published portal)") in result.output
    assert "  path cert: total 16 min → 26 min, modules 2 → 3" in result.output
    assert "  path next: total 10 min (draft), modules 1 (draft)" in result.output
    data = json.loads(diff(git_site, "--format", "json").output)
    [change] = data["changes"]
    assert (change["status"], change["needed"], change["lifecycle"], change["paths"]) == (
        "status", "none", {"from": "draft", "to": "published",
                           "means": "goes live: now in the published portal"}, ["cert", "next"])
    assert data["introduced"] == []
    paths = {p["id"]: (p["old_total"], p["new_total"], p["old_modules"], p["new_modules"],
                       p["old_live"], p["new_live"]) for p in data["paths"]}
    assert paths == {"cert": (16, 26, 2, 3, True, True), "next": (10, 10, 1, 1, False, False)}
    github = diff(git_site, "--format", "github").output
    assert annotations(github) == []
    assert (f"::notice file={gamma},line={git_site.at(gamma, 'status:')[0]},col=1,"
            "title=module goes live::module 'gamma' goes live: now in the published portal "
            "(draft → published)") in github
    markdown = diff(git_site, "--format", "markdown").output
    assert "Changed modules: 1 goes live." in markdown
    assert ("| **Gamma** `gamma` | goes live: now in the published portal (draft → published) "
            "| 1.0.0 | `@org/team` | Cert (16 min → 26 min)<br>Next (10 min (draft)) |") in markdown
    assert "| **Cert** `cert` | affected | 1.0.0 | 16 min → 26 min | 2 → 3 | `@org/team` |" in (
        markdown)
    assert "Figures marked (draft) are a preview's" in markdown


def test_every_change_of_status_says_what_it_means(git_site):
    """Leaving the portal, deprecated, retired, a path going live: each is a change, with
    the published totals learners will see."""
    git_site.module("gamma", folder="basics", status="draft", duration=10)
    git_site.path("next", modules=["gamma"], status="draft")
    git_site.commit("a draft path")
    git_site.module("gamma", folder="basics", duration=10)
    git_site.path("next", modules=["gamma"])
    git_site.module("beta", folder="basics", prerequisites=["alpha"], status="review")
    out = diff(git_site).output
    assert ("Compared with HEAD: modules: 1 goes live, 1 leaves the published portal; "
            "paths: 1 goes live.") in out
    assert "module beta  1.0.0  status: published → review (leaves the published portal)" in out
    assert ("path   next  1.0.0  status: draft → published (goes live: now in the published "
            "portal)") in out
    assert "  path basics: total 16 min → 8 min, modules 2 → 1" in out
    assert "  path next: total 10 min (draft) → 10 min, modules 1 (draft) → 1" in out
    git_site.module("beta", folder="basics", prerequisites=["alpha"])
    git_site.commit("next is live")
    git_site.module("alpha", folder="basics", status="deprecated", replaced_by="gamma")
    git_site.path("next", modules=["gamma"], status="retired")
    out = diff(git_site).output
    assert "Compared with HEAD: modules: 1 deprecated; paths: 1 retired." in out
    assert ("module alpha  1.0.0  status: published → deprecated (deprecated: still in the "
            "published portal, labelled deprecated)") in out
    assert ("path   next  1.0.0  status: published → retired (retired: leaves the published "
            "portal)") in out
    assert "  path next: total 10 min → —, modules 1 → —" in out


def test_a_renamed_module_leaving_the_portal_still_affects_its_paths(git_site):
    """A move alone changes no path; a move that also takes the module out does."""
    text = git_site.read(BETA).replace("status: published", "status: review")
    git_site.remove(BETA)
    git_site.write("content/modules/intro/beta.md", text)
    data = json.loads(diff(git_site, "--format", "json").output)
    assert [(c["id"], c["status"], c["lifecycle"]["means"], c["paths"])
            for c in data["changes"]] == [
        ("beta", "renamed", "leaves the published portal", ["basics"])]
    assert [(p["id"], p["old_total"], p["new_total"]) for p in data["paths"]] == [
        ("basics", 16, 8)]


def test_only_new_findings_are_blamed(git_site):
    link = "[Old](missing.md)"
    git_site.module("beta", folder="basics", prerequisites=["alpha"],
                    body=f"# Heading\n\nSee {link}.\n")
    git_site.commit("a broken link at the base")
    # the old link moves down two lines; alpha gets a new broken link
    git_site.module("beta", folder="basics", prerequisites=["alpha"], version="1.0.1",
                    changelog=[{"1.0.1": "Intro."}],
                    body=f"# Heading\n\nIntro.\n\nSee {link}.\n")
    git_site.module("alpha", folder="basics", version="1.0.1", changelog=[{"1.0.1": "Link."}],
                    body="# Heading\n\nSee [New](nowhere.md).\n")
    result = diff(git_site, "--format", "github")
    assert result.exit_code == 1
    assert annotations(result.output) == [
        ("error", ALPHA, git_site.at(ALPHA, "[New]")[0], "LS403")]
    markdown = diff(git_site, "--format", "markdown").output
    assert "### Introduced by this change (1)" in markdown
    assert "Already present at HEAD (1), not caused by this change" in markdown


def test_new_warnings_fail_only_with_strict(git_site):
    git_site.module("alpha", folder="basics", duration=40, version="1.0.1",
                    changelog=[{"1.0.1": "Longer."}])
    assert diff(git_site).exit_code == 0
    assert diff(git_site, "--strict").exit_code == 1


def test_title_in_the_summary_is_escaped(git_site):
    git_site.module("alpha", folder="basics", title="A | <b>bold</b> title", version="1.0.1",
                    changelog=[{"1.0.1": "Title."}])
    out = diff(git_site, "--format", "markdown").output
    assert "A \\| &lt;b&gt;bold&lt;/b&gt; title" in out
    assert "<b>" not in out


def test_markdown_in_titles_owners_and_findings_shows_as_written(git_site):
    """'*', '_', '`' and '[...](...)' in a title would make emphasis, code or a link in the PR
    comment, and a trailing '\\' would break the bold around it."""
    git_site.module("alpha", folder="basics", owners=["@org/team_a"], version="1.0.1",
                    title="Use *args*, `code`, [a link](https://example.com) and a_b_ \\",
                    changelog=[{"1.0.1": "Title."}], **{"[x](y)*": "z"})
    out = diff(git_site, "--format", "markdown").output
    assert ("| **Use \\*args\\*, \\`code\\`, \\[a link\\](https://example.com) and a\\_b\\_ "
            "\\\\** `alpha` |") in out
    assert "| `@org/team` → `@org/team_a` |" in out
    assert "unknown key '\\[x\\](y)\\*'" in out


def test_author_text_in_findings_cannot_open_an_html_comment(git_site):
    """An unknown key '<!-- note' is quoted in LS012: raw, it would hide the rest of the PR
    comment; a '|' in a version would split its table row."""
    git_site.module("alpha", folder="basics", **{"<!-- note": "x", "version": "1.0.0|`x"})
    out = diff(git_site, "--format", "markdown").output
    assert out.count("<!--") == 1 and out.startswith("<!-- lecosite-impact -->")
    assert "unknown key '&lt;!-- note'" in out
    rows = [line for line in out.splitlines() if line.startswith("| ❌ |")]
    assert len(rows) == 2 and all(len(re.findall(r"(?<!\\)\|", row)) == 6 for row in rows), rows


def test_base_ref_in_the_summarys_html_block_is_html_escaped(git_site):
    """The <summary> line is raw HTML, where a Markdown escape ('\\|') shows as written."""
    git_site.module("beta", folder="basics", prerequisites=["alpha"],
                    body="# Heading\n\nSee [Old](missing.md).\n")
    git_site.commit("a broken link at the base")
    git_site.git("branch", "fix|x&y")
    out = diff(git_site, "--base", "fix|x&y", "--format", "markdown").output
    assert "<summary>Already present at fix|x&amp;y (1), not caused by" in out


def test_commits_the_base_branch_got_since_the_fork_are_not_blamed(git_site):
    """The branch is compared where it forked from the base, as GitHub's diff is: a module
    bumped on main since is not 'going backwards' in a branch that never touched it."""
    branch = git_site.git("rev-parse", "--abbrev-ref", "HEAD").strip()
    git_site.git("checkout", "-q", "-b", "feature")
    git_site.module("beta", folder="basics", prerequisites=["alpha"], goal="Changed.",
                    version="1.1.0", changelog=[{"1.1.0": "New goal."}])
    git_site.commit("feature")
    git_site.git("checkout", "-q", branch)
    git_site.module("alpha", folder="basics", duration=9, version="1.0.1",
                    changelog=[{"1.0.1": "Longer."}])
    git_site.commit("main moves on")
    fork = git_site.git("rev-parse", "HEAD~1").strip()
    git_site.git("checkout", "-q", "feature")
    result = diff(git_site, "--base", branch, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [(c["id"], c["status"]) for c in data["changes"]] == [("beta", "changed")]
    assert (data["base"], data["fork"], data["introduced"]) == (branch, fork, [])
    assert f"Compared with {branch} at {fork[:12]}, where this branch forked" in (
        diff(git_site, "--base", branch).output)
    assert "forked" not in diff(git_site, "--base", "HEAD~1").output
    assert "checked out" not in diff(git_site, "--base", "HEAD~1").output


def test_comparing_with_the_commit_checked_out_suggests_another_ref(git_site, tmp_path):
    """A clone whose HEAD is at origin/<branch>: the hint never suggests the ref just given,
    which would only compare nothing again; on a branch with commits, it names the base."""
    git_site.module("alpha", folder="basics", duration=9, version="1.0.1",
                    changelog=[{"1.0.1": "Longer."}])
    git_site.commit("second")
    branch = git_site.git("rev-parse", "--abbrev-ref", "HEAD").strip()
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", git_site.root.as_uri(), str(clone)], check=True,
                   capture_output=True)

    def hint(base):
        result = CliRunner().invoke(main, ["diff", "--base", base, "--project", str(clone),
                                           "--today", TODAY, "--jobs", "1"])
        assert result.exit_code == 0, result.output
        return result.output.splitlines()[1].strip()

    last = ("so only edits not committed yet are compared; to check work already committed, "
            "compare with the commit it started from, e.g. --base HEAD~1 for the last commit "
            "alone.")
    assert hint(f"origin/{branch}") == (
        f"origin/{branch} is the commit checked out (HEAD), {last}")
    assert hint("HEAD") == f"HEAD is the commit checked out, {last}"
    subprocess.run(["git", "checkout", "-q", "-b", "feature"], cwd=clone, check=True)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q",
                    "--allow-empty", "-m", "work"], cwd=clone, check=True)
    assert hint("HEAD") == ("HEAD is the commit checked out, so only edits not committed yet "
                            "are compared; to check committed work, compare with the branch it "
                            f"goes into, e.g. --base origin/{branch}.")
    subprocess.run(["git", "checkout", "-q", "--detach", "HEAD~2"], cwd=clone, check=True)
    assert hint(f"origin/{branch}") == (
        f"HEAD is already part of origin/{branch} (it has no commit of its own), so only edits "
        "not committed yet are compared, and there is no earlier commit to compare with.")


# -- bad input ------------------------------------------------------------------------------


def test_unknown_ref_and_no_repository_say_so(git_site, site):
    result = diff(git_site, "--base", "no-such-branch")
    assert result.exit_code == 2
    assert ("unknown git ref 'no-such-branch': no branch, tag or commit has that name here; "
            "check its name ('git branch -a' lists the branches)") in result.output
    result = diff(git_site, "--base", "")
    assert result.exit_code == 2
    assert "error: --base is empty: name the branch to compare with" in result.output
    result = CliRunner().invoke(main, ["diff", "--project", str(site.root), "--base", "HEAD"])
    assert result.exit_code == 2
    assert "is not inside a git repository" in result.output


@pytest.mark.skipif(getattr(os, "geteuid", lambda: 1)() != 0,
                    reason="giving the repository to another user needs root")
def test_repository_of_another_user_says_how_to_trust_it(git_site, tmp_path, monkeypatch):
    """git refuses a repository another user owns (a checkout in a container): it is not
    'not a git repository'."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-global-config"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    os.chown(git_site.root, 65534, 65534)
    result = diff(git_site)
    assert result.exit_code == 2
    assert result.output == (
        f"error: git will not read the repository {git_site.root} is in: it belongs to another "
        "user (as in a container or CI job); if you trust it, run 'git config --global --add "
        f"safe.directory {git_site.root}' first\n")


def test_shallow_clone_says_how_to_get_the_base(git_site, tmp_path):
    """As actions/checkout leaves it by default: one commit, no base branch."""
    git_site.module("alpha", folder="basics", goal="Changed.")
    git_site.commit("second")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", git_site.root.as_uri(), str(clone)],
                   check=True, capture_output=True)
    branch = git_site.git("rev-parse", "--abbrev-ref", "HEAD").strip()
    for ref, fetch in (("HEAD~1", "git fetch --unshallow"),
                       (f"origin/{branch}-next", f"git fetch --unshallow origin {branch}-next:"
                        f"refs/remotes/origin/{branch}-next")):
        result = CliRunner().invoke(main, ["diff", "--base", ref, "--project", str(clone)])
        assert result.exit_code == 2
        assert f"unknown git ref '{ref}': this is a shallow clone" in result.output
        assert f"run '{fetch}' first, or check out with fetch-depth: 0" in result.output


def test_the_fetch_a_clone_of_one_branch_is_told_to_run_brings_the_base(git_site, tmp_path):
    """'git clone --depth 1 --branch feature' tracks that branch alone: 'git fetch origin
    main' wrote FETCH_HEAD only, and the hint was given again, for ever."""
    branch = git_site.git("rev-parse", "--abbrev-ref", "HEAD").strip()
    git_site.git("checkout", "-q", "-b", "feature")
    git_site.module("alpha", folder="basics", goal="Changed.")
    git_site.commit("feature")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", "--branch", "feature",
                    git_site.root.as_uri(), str(clone)], check=True, capture_output=True)
    ref = f"origin/{branch}"
    told = CliRunner().invoke(main, ["diff", "--base", ref, "--project", str(clone)])
    fetch = re.search(r"run '(git fetch[^']*)' first", told.output)
    assert told.exit_code == 2 and fetch, told.output
    subprocess.run(fetch[1].split(), cwd=clone, check=True, capture_output=True)
    result = CliRunner().invoke(main, ["diff", "--base", ref, "--project", str(clone),
                                       "--format", "json"])
    assert result.exit_code == 1, result.output  # the goal changed without a bump
    assert [c["id"] for c in json.loads(result.output)["changes"]] == ["alpha"]


def test_shallow_clone_without_the_fork_point_does_not_compare_with_the_tip(git_site, tmp_path):
    """A CI job that fetched the base branch one commit deep: the fork point is not in the
    clone, and the base's tip holds a change to beta the branch never made."""
    branch = git_site.git("rev-parse", "--abbrev-ref", "HEAD").strip()
    git_site.git("checkout", "-q", "-b", "feature")
    git_site.module("alpha", folder="basics", duration=9, version="1.0.1",
                    changelog=[{"1.0.1": "Longer."}])
    git_site.commit("feature")
    git_site.git("checkout", "-q", branch)
    git_site.module("beta", folder="basics", duration=9)
    git_site.commit("main moves")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", "--branch", "feature",
                    git_site.root.as_uri(), str(clone)], check=True, capture_output=True)
    subprocess.run(["git", "fetch", "-q", "--depth", "1", "origin",
                    f"{branch}:refs/remotes/origin/{branch}"], cwd=clone, check=True)
    result = CliRunner().invoke(main, ["diff", "--base", f"origin/{branch}", "--project",
                                       str(clone), "--today", TODAY, "--jobs", "1"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "Compared with" not in result.output
    assert (f"error: this clone is shallow: the commit where HEAD forked from 'origin/{branch}'"
            " is not in it") in result.output
    assert "run 'git fetch --unshallow' first, or check out with fetch-depth: 0" in (
        result.output)
    subprocess.run(["git", "fetch", "-q", "--unshallow"], cwd=clone, check=True)
    result = CliRunner().invoke(main, ["diff", "--base", f"origin/{branch}", "--project",
                                       str(clone), "--today", TODAY, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [(c["id"], c["status"]) for c in data["changes"]] == [("alpha", "changed")]


def test_unrelated_histories_have_no_fork_point(git_site):
    branch = git_site.git("rev-parse", "--abbrev-ref", "HEAD").strip()
    git_site.git("checkout", "-q", "--orphan", "elsewhere")
    git_site.commit("a history of its own")
    result = diff(git_site, "--base", branch)
    assert result.exit_code == 2
    assert (f"error: HEAD and '{branch}' share no commit, so there is no point where this "
            f"branch forked from '{branch}'") in result.output


def test_no_commit_yet_says_to_commit_first(site, git_site):
    """A new repository, and a new branch made with --orphan: HEAD names no commit."""
    subprocess.run(["git", "init", "-q"], cwd=site.root, check=True)
    branch = git_site.git("rev-parse", "--abbrev-ref", "HEAD").strip()
    git_site.git("checkout", "-q", "--orphan", "new")
    for project, base in ((site, "HEAD"), (site, "origin/main"), (git_site, branch)):
        result = diff(project, "--base", base)
        assert result.exit_code == 2, (base, result.output)
        assert result.output == ("error: HEAD has no commit yet (a new repository or branch), "
                                 "so there is nothing to compare with: commit the content first"
                                 " (git add, git commit), then run lecosite diff again\n")


def test_base_without_content(git_site):
    git_site.git("checkout", "-q", "--orphan", "empty")
    git_site.git("rm", "-rq", "--cached", ".")
    git_site.git("commit", "-q", "--allow-empty", "-m", "nothing")
    result = diff(git_site, "--format", "json")
    assert result.exit_code == 0, result.output
    statuses = {(c["kind"], c["id"]): c["status"] for c in json.loads(result.output)["changes"]}
    assert statuses == {("module", "alpha"): "added", ("module", "beta"): "added",
                        ("path", "basics"): "added"}


def test_project_in_a_subfolder_of_the_repository(make_site, git_repo):
    """Annotations name files from the repository's root, where GitHub looks for them, and
    the base's CODEOWNERS is read there too, as the working tree's is."""
    project = make_site()
    folder = project.root.name
    codeowners = project.root.parent / ".github" / "CODEOWNERS"
    repo = git_repo(project.root.parent)
    CliRunner().invoke(main, ["codeowners", "--write", "--project", str(project.root)])
    codeowners.write_text(codeowners.read_text().replace(  # LS611 at the base
        "# END lecosite", "/docs/ @someone\n# END lecosite"))
    repo.commit("codeowners")
    project.module("alpha", folder="basics", goal="Changed.")
    result = diff(project, "--format", "github")
    assert annotations(result.output) == [
        ("error", f"{folder}/{ALPHA}", project.at(ALPHA, "version:")[0], "LS601")]
    data = json.loads(diff(project, "--format", "json").output)
    assert [(f["file"], f["rule"]) for f in data["existing"]] == [
        ("../.github/CODEOWNERS", "LS611")]
    project.module("alpha", folder="basics")
    text = project.read(BETA)
    project.remove(BETA)
    project.write("content/modules/intro/beta.md", text)
    result = diff(project, "--format", "github")
    assert f"::notice file={folder}/content/modules/intro/beta.md,title=renamed::" in (
        result.output)
    assert [(level, file, rule) for level, file, _, rule in annotations(result.output)] == [
        ("warning", ".github/CODEOWNERS", "LS611")]  # its patterns follow the file


def test_edited_media_of_a_project_in_a_subfolder(make_site, git_repo):
    """git hashes the edited file from the repository's root, not from the project's
    folder: the transcript is found, and its module needs a bump."""
    project = make_site()
    project.write("content/media/alpha.transcript.txt", b"What the video says.\n")
    project.module("alpha", folder="basics", video={
        "src": "https://example.com/alpha.webm", "title": "Alpha", "length": 60,
        "transcript": "../../media/alpha.transcript.txt"})
    git_repo(project.root.parent)
    project.write("content/media/alpha.transcript.txt", b"What the video says now.\n")
    result = diff(project, "--format", "github")
    assert result.exit_code == 1, result.output
    assert annotations(result.output) == [
        ("error", f"{project.root.name}/{ALPHA}", project.at(ALPHA, "version:")[0], "LS601")]
    assert "files it uses changed: content/media/alpha.transcript.txt" in result.output


# -- versions ---------------------------------------------------------------------------------


def test_bump_levels():
    assert bump_level("1.2.3", "2.0.0") == "major"
    assert bump_level("1.2.3", "1.3.0") == "minor"
    assert bump_level("1.2.3", "1.2.4") == "patch"
    assert bump_level("1.2.3", "1.2.3") == "none"
    assert bump_level("1.2.3", "1.2.2") == "backwards"
    assert bump_level("1.10.0", "1.9.0") == "backwards"
    assert bump_level("1.1.0-rc.1", "1.1.0") == "patch"
    assert bump_level("1.1.0", "1.1.0-rc.1") == "backwards"
    assert bump_level("1.0", "1.1.0") is None
    assert next_version("1.2.3", "major") == "2.0.0"
    assert next_version("1.2.3", "minor") == "1.3.0"
    assert next_version("1.2.3", "patch") == "1.2.4"


def test_an_added_module_learners_do_not_see_yet_says_so(git_site):
    """'added' alone reads as live: a new draft is not in the published portal."""
    git_site.module("gamma", folder="basics", status="draft")
    git_site.module("delta", folder="basics", status="review")
    lines = {line.split()[2]: line for line in diff(git_site).output.splitlines()
             if line.startswith("  added")}
    assert lines["gamma"].endswith("(draft: not in the published portal)")
    assert lines["delta"].endswith("(review: not in the published portal)")
    markdown = diff(git_site, "--format", "markdown").output
    assert "| added; draft: not in the published portal |" in markdown
    git_site.module("gamma", folder="basics")
    assert [line for line in diff(git_site).output.splitlines()
            if "module gamma" in line] == ["  added     module gamma  — → 1.0.0"]
