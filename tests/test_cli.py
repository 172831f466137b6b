"""The ``lecosite`` command, through click's runner and as a real process."""

import json
import os
import pty
import re
import shutil
import socket
import subprocess
import sys
from datetime import date

import jsonschema
import pytest
import yaml
from click.testing import CliRunner
from terminal import read_all

from lecosite import yamldoc
from lecosite.cli import main
from lecosite.load import split_front_matter
from lecosite.rules import REGISTRY

TODAY = "2026-06-01"
BETA = "content/modules/basics/beta.md"

REPO_LIKE_CONFIG = """\
duration: {min: 5, max: 15}
schema:
  required: [audience, level]
  audience: [administrator, end-user]
  level: [beginner, intermediate, advanced]
"""


def run(*args, input=None):
    result = CliRunner().invoke(main, [str(a) for a in args], input=input)
    assert "Traceback" not in result.output
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), result.exception
    return result


def check(site, *args):
    return run("check", "--project", site.root, "--today", TODAY, *args)


def broken_prerequisite(site):
    site.module("beta", folder="basics", prerequisites=["alpha", "nope"])
    return site.at(BETA, "nope")


# -- check --------------------------------------------------------------------------------


def test_clean_site_exits_0(site):
    result = check(site)
    assert result.exit_code == 0
    assert "No problems found in 3 file(s)." in result.output


def test_errors_exit_1_with_locations(site):
    line, col = broken_prerequisite(site)
    result = check(site)
    assert result.exit_code == 1
    assert f"{BETA}:{line}:{col}: error LS101 unknown-prerequisite: " in result.output
    assert "Found 1 error(s) and 0 warning(s)" in result.output


def test_an_mkdocs_yml_that_is_no_yaml_fails_the_check(site):
    """No portal builds from it: the check says so, not the build with YAML's own words."""
    site.write("mkdocs.yml", 'site_name: "Academy\ndocs_dir: content\n')
    result = check(site)
    assert result.exit_code == 1
    assert ("mkdocs.yml:1:12: error LS002 invalid-yaml: invalid YAML: the quote opened here is "
            "never closed") in result.output
    # Read with PyYAML's Python parser, as MkDocs reads it, whose words differ from libyaml's.
    site.write("mkdocs.yml", "site_name: Academy\nplugins:\n  - search\n - lecosite\n")
    assert ("mkdocs.yml:4:2: error LS002 invalid-yaml: invalid YAML: this '-' is indented 1 "
            "space, which lines it up with nothing above it") in check(site).output


def test_a_file_that_cannot_be_read_still_counts_as_checked(site):
    site.write(BETA, "")  # empty: LS003, and no module
    assert "Found 1 error(s) and 0 warning(s) in 3 file(s)." in check(site).output


def test_warnings_exit_0_unless_strict(site):
    site.module("gamma")  # published, in no path: LS204 warning
    assert check(site).exit_code == 0
    strict = check(site, "--strict")
    assert strict.exit_code == 1
    assert "error LS204 orphan-module" in strict.output


@pytest.mark.parametrize("args", [("--format", "xml"), ("--bogus",)])
def test_usage_errors_exit_2(site, args):
    result = check(site, *args)
    assert result.exit_code == 2
    assert "Usage:" in result.output


def test_missing_content_dir_exits_2(tmp_path):
    result = run("check", "--project", tmp_path)
    assert result.exit_code == 2
    assert "no content folder" in result.output


def test_missing_project_dir_exits_2(tmp_path):
    assert run("check", "--project", tmp_path / "nowhere").exit_code == 2


def test_json_format(site):
    line, col = broken_prerequisite(site)
    site.module("gamma")
    result = check(site, "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert (data["errors"], data["warnings"]) == (1, 1)
    first = data["findings"][0]
    assert {k: first[k] for k in ("file", "line", "col", "rule", "name", "severity")} == {
        "file": BETA, "line": line, "col": col, "rule": "LS101",
        "name": "unknown-prerequisite", "severity": "error"}
    assert data["findings"][1]["severity"] == "warning"


def test_json_format_on_a_clean_site(site):
    assert json.loads(check(site, "--format", "json").output) == {
        "errors": 0, "warnings": 0, "findings": []}


def test_github_format(site):
    line, col = broken_prerequisite(site)
    site.module("gamma")
    lines = check(site, "--format", "github").output.splitlines()
    assert lines[0].startswith(
        f"::error file={BETA},line={line},col={col},title=LS101 unknown-prerequisite::"
        "prerequisite 'nope' is not a module id%0A")
    assert re.fullmatch(r"::warning file=content/modules/gamma\.md,line=2,col=1,"
                        r"title=LS204 orphan-module::.+", lines[1])
    assert lines[-1] == "Found 1 error(s) and 1 warning(s)."


def test_github_format_names_files_from_the_repository_root(site):
    """GitHub attaches an annotation by the file's path in the repository: a portal kept in
    a subfolder must not lose its annotations."""
    subprocess.run(["git", "init", "-q", str(site.root.parent)], check=True)
    line, col = broken_prerequisite(site)
    first = check(site, "--format", "github").output.splitlines()[0]
    assert first.startswith(f"::error file={site.root.name}/{BETA},line={line},col={col},")


def test_github_format_escapes_newlines_and_properties(site):
    site.write("content/modules/a,b.md", "no front matter")
    out = check(site, "--format", "github").output
    assert "::error file=content/modules/a%2Cb.md,line=1,col=1,title=LS003 " in out


def test_markdown_format(site):
    broken_prerequisite(site)
    out = check(site, "--format", "markdown").output
    assert "| ❌ | `content/modules/basics/beta.md:" in out
    assert "LS101 unknown-prerequisite" in out


def test_check_finds_the_project_from_a_subfolder(site, monkeypatch):
    broken_prerequisite(site)
    monkeypatch.chdir(site.root / "content" / "modules")
    result = run("check", "--today", TODAY)
    assert result.exit_code == 1
    assert BETA in result.output


def test_invalid_config_is_reported(site):
    site.write("lecosite.yml", "duration: {min: 0}\n")
    result = check(site)
    assert result.exit_code == 1
    assert "lecosite.yml:1:" in result.output and "LS004" in result.output


# -- schema and rules ---------------------------------------------------------------------


def test_schema_is_valid_json_schema_and_accepts_a_module(site):
    out = json.loads(run("schema", "--project", site.root).output)
    assert set(out) == {"module", "path"}
    for kind in ("module", "path"):
        schema = json.loads(run("schema", kind, "--project", site.root).output)
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema == out[kind]
    fm_text, fm_line, _, _ = split_front_matter(site.read(BETA))
    module = yamldoc.parse(fm_text, fm_line).data
    jsonschema.Draft202012Validator(out["module"]).validate(module)
    path = yamldoc.parse(site.read("content/paths/basics.yml")).data
    jsonschema.Draft202012Validator(out["path"]).validate(path)


def test_schema_follows_the_site_config(site):
    site.write("lecosite.yml", REPO_LIKE_CONFIG)
    schema = json.loads(run("schema", "module", "--project", site.root).output)
    assert {"audience", "level"} <= set(schema["required"])
    assert schema["properties"]["audience"]["items"]["enum"] == ["administrator", "end-user"]
    validator = jsonschema.Draft202012Validator(schema)
    assert not validator.is_valid({"audience": ["nobody"]})


def test_schema_with_broken_config_exits_1(site):
    site.write("lecosite.yml", "duration: [\n")
    result = run("schema", "--project", site.root)
    assert result.exit_code == 1
    assert "LS004" in result.output


def test_rules_lists_every_rule():
    out = run("rules").output
    listed = re.findall(r"^(LS\d{3}) ", out, re.M)
    assert listed == sorted(REGISTRY)  # in id order, as a reader looks one up


def test_rules_reference_shows_prose_as_prose_and_examples_whole():
    """Rule functions' docstrings start on the quote line, so dedent left their prose
    indented: the reference showed it as code, and a ```check example closed its fence."""
    import markdown

    out = run("rules", "--format", "markdown").output
    html = markdown.markdown(out, extensions=["pymdownx.superfences"])
    for rule in REGISTRY.values():
        assert f"<p>{rule.summary.split('`')[0]}" in html, rule.id
    assert "<code>Example" not in html
    assert "<code>```check\n? Which port must be open?\n- [ ] 80\n" in html
    text = run("rules").output
    assert "\n    Example:\n        prerequisites: [connect-system-requirments]" in text


def test_version():
    result = run("--version")
    assert result.exit_code == 0
    assert result.output.startswith("lecosite, version ")


# -- new ----------------------------------------------------------------------------------


def new_module(site, mid="connect-check-ports", *extra):
    return run("new", "module", "--project", site.root, "--id", mid, "--title",
               "Check the ports: 443 and 8443", "--owner", "@org/team", "--goal",
               "Learners open the ports the agent needs.", "--duration", 8, "--folder", "", *extra)


@pytest.mark.parametrize("config", [None, REPO_LIKE_CONFIG])
def test_new_module_passes_the_schema(site, config):
    if config:
        site.write("lecosite.yml", config)
        for mid in ("alpha", "beta"):
            site.module(mid, folder="basics", audience=["end-user"], level="beginner",
                        prerequisites=["alpha"] if mid == "beta" else None)
    result = new_module(site, "connect-check-ports", "--folder", "install")
    assert result.exit_code == 0, result.output
    target = site.root / "content/modules/install/connect-check-ports.md"
    assert target.is_file()
    mine = [f for f in site.check(today=date.today()) if "connect-check-ports" in f.file]
    assert [f for f in mine if f.rule.startswith("LS01")] == []
    assert site.check(today=date.today()) == []


def test_new_module_names_only_an_audience_the_site_lists(site):
    """'audience: [all]' became a catalog filter named "all" in sites that list none."""
    assert new_module(site, "unlisted").exit_code == 0
    assert "audience" not in site.read("content/modules/unlisted.md")
    site.write("lecosite.yml", "schema:\n  audience: [administrator, end-user]\n")
    assert new_module(site, "listed").exit_code == 0
    assert "audience:\n- administrator\n" in site.read("content/modules/listed.md")


def test_new_module_prompts_for_what_is_missing(site):
    result = run("new", "module", "--project", site.root,
                 input="prompted\nPrompted title\n@org/team\nA goal.\n9\n")
    assert result.exit_code == 0, result.output
    assert "Folder" not in result.output  # not on a terminal: a script gets modules/ itself
    assert "duration: 9" in site.read("content/modules/prompted.md")
    assert site.check(today=date.today()) == []


def test_new_without_a_flag_and_no_input_left_names_the_flag(site):
    """A script that left out a flag got "Aborted!" alone from the prompt that met the end of
    its input: nothing said which flag was missing."""
    site.module("alpha", folder="basics")
    for args, input, option in (
            (["new", "module"], "", "--id"),
            (["new", "module", "--id", "x", "--title", "T", "--owner", "@org/team",
              "--goal", "G."], "", "--duration"),
            (["new", "path", "--id", "p", "--title", "T", "--kind", "course", "--owner",
              "@org/team", "--goal", "G."], "", "--module"),
            (["new", "module", "--id", "x"], "Title\n", "--owner")):
        result = run(*args, "--project", site.root, input=input)
        assert result.exit_code == 2, result.output
        assert f"was asked for, but the input ended: pass {option}, or run this on a " \
            "terminal" in result.output
        assert "Aborted" not in result.output
    assert not site.root.joinpath("content/modules/x.md").exists()


def test_new_module_on_a_terminal_asks_for_the_folder(site):
    """The real command on a pseudo-terminal, as an author runs it."""
    site.module("alpha", folder="basics")
    site.path("first", modules=["alpha"])
    main, terminal = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-c", "from lecosite.cli import main; main()", "new", "module",
         "--project", str(site.root), "--id", "prompted", "--title", "T", "--owner",
         "@org/team", "--goal", "G.", "--duration", "9"],
        stdin=terminal, stdout=terminal, stderr=terminal)
    os.close(terminal)
    os.write(main, b"basics\n")
    shown = read_all(main)
    assert proc.wait(timeout=30) == 0, shown
    assert b"Folder in modules/ (basics, or Enter for none):" in shown
    assert (site.root / "content/modules/basics/prompted.md").is_file()


def test_new_module_on_a_terminal_asks_again_after_a_slip(site):
    """An id that is taken, a duration in words and a folder name with a typo are asked for
    again: the session goes on, and no stray folder is made."""
    site.module("alpha", folder="basics")
    site.path("first", modules=["alpha"])
    main, terminal = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-c", "from lecosite.cli import main; main()", "new", "module",
         "--project", str(site.root)], stdin=terminal, stdout=terminal, stderr=terminal)
    os.close(terminal)
    os.write(main, b"alpha\nprompted\n  \nT\n@org/team\nG.\nten\n9\nbasic\nn\n../..\n"
                   b"basics/alpha.md\nbasics\n")
    shown = read_all(main).decode()
    assert proc.wait(timeout=30) == 0, shown
    assert "'alpha' is already the id of content/modules/basics/alpha.md; choose another." in shown
    assert "Error: '  ' is blank: write it in words" in shown
    assert "Error: '../..' is outside modules/: give a folder inside it" in shown
    assert "Error: 'modules/basics/alpha.md' is a file, not a folder" in shown
    assert "title: T\n" in site.read("content/modules/basics/prompted.md")
    assert "'ten' is not a number of minutes: write a whole number from 1 to 600" in shown
    assert "There is no folder 'basic' in modules/ yet. Create it? [y/N]" in shown
    assert (site.root / "content/modules/basics/prompted.md").is_file()
    assert not (site.root / "content/modules/basic").exists()


def test_new_path_on_a_terminal_asks_again_for_a_module_that_is_not_there(site):
    """A mistyped module id is asked for again, as a taken path id is: the file was written
    with it and then refused by the check."""
    site.module("read-logs", folder="basics")
    site.module("alpha", folder="basics")
    site.path("first", modules=["alpha"])
    main, terminal = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-c", "from lecosite.cli import main; main()", "new", "path",
         "--project", str(site.root), "--id", "asked", "--title", "T", "--kind", "course",
         "--owner", "@org/team", "--goal", "G."],
        stdin=terminal, stdout=terminal, stderr=terminal)
    os.close(terminal)
    os.write(main, b"alpha read-log nope\nalpha read-logs\n")
    shown = read_all(main).decode()
    assert proc.wait(timeout=30) == 0, shown
    assert "Error: 'read-log' is not a module's id; did you mean 'read-logs'?" in shown
    assert "Error: 'nope' is not a module's id." in shown
    assert "modules:\n- alpha\n- read-logs\n" in site.read("content/paths/asked.yml")


def test_new_module_refuses_to_overwrite(site):
    assert new_module(site).exit_code == 0
    before = site.read("content/modules/connect-check-ports.md")
    result = new_module(site)
    assert result.exit_code == 2
    assert ("'connect-check-ports' is already the id of content/modules/connect-check-ports.md"
            in result.output)
    assert site.read("content/modules/connect-check-ports.md") == before
    elsewhere = new_module(site, "--folder", "other")  # the id, not the file, must be new
    assert elsewhere.exit_code == 2 and not (site.root / "content/modules/other").exists()


@pytest.mark.parametrize(("args", "message"), [
    (["--folder", "basics/alpha.md"], "Invalid value for --folder: 'modules/basics/alpha.md' is "
     "a file, not a folder"),
    (["--folder", "../../elsewhere"], "Invalid value for --folder: '../../elsewhere' is outside "
     "modules/"),
    (["--title", " "], "Invalid value for --title: ' ' is blank: write it in words"),
    (["--goal", ""], "Invalid value for --goal: '' is blank: write it in words")])
def test_new_module_refuses_a_folder_it_cannot_use_and_blank_text(site, args, message):
    result = new_module(site, "fresh", *args)
    assert (result.exit_code, message in result.output) == (2, True), result.output
    assert not list(site.root.rglob("fresh.md"))


def test_new_in_a_module_folder_of_a_project_without_lecosite_yml(site, monkeypatch):
    """The project is the folder with mkdocs.yml: not a second content/ inside modules/."""
    site.remove("lecosite.yml")
    site.write("mkdocs.yml", "site_name: T\ndocs_dir: content\nplugins:\n  - lecosite\n")
    monkeypatch.chdir(site.root / "content/modules/basics")
    result = run("new", "module", "--id", "fresh", "--title", "T", "--owner", "@org/team",
                 "--goal", "G.", "--duration", 8, "--folder", "basics")
    assert result.exit_code == 0, result.output
    assert [p.relative_to(site.root).as_posix() for p in site.root.rglob("fresh.md")] == [
        "content/modules/basics/fresh.md"]


def new_path(site, pid="first-course", *extra):
    return run("new", "path", "--project", site.root, "--id", pid, "--title", "First course",
               "--kind", "course", "--owner", "@org/team", "--goal", "Learners start.",
               "--module", "alpha", *extra)


@pytest.mark.parametrize(("settings", "where"), [
    ("schema: [\n", "lecosite.yml:1:"),
    ("content_dri: docs\n", "unknown key 'content_dri'; did you mean 'content_dir'?")])
def test_new_stops_on_a_broken_settings_file(site, settings, where):
    """The defaults in its place would put the file where the author did not mean."""
    site.write("lecosite.yml", settings)
    before = sorted(site.root.rglob("*"))
    for result in (new_module(site, "fresh"), new_path(site, "fresh")):
        assert result.exit_code == 1, result.output
        assert where in result.output and "LS004" in result.output
        assert "Created" not in result.output
    assert sorted(site.root.rglob("*")) == before


@pytest.mark.parametrize("content_dir", ["contnet", "README"])
def test_new_refuses_a_content_dir_that_is_not_a_folder(site, content_dir):
    """A typo in content_dir started a second content tree; a file there ended in 'Not a
    directory' alone."""
    site.write("README", "A file, not a folder.\n")
    site.write("lecosite.yml", f"content_dir: {content_dir}\n")
    before = sorted(site.root.rglob("*"))
    what = "a file, not a folder" if content_dir == "README" else "no folder of the project"
    for result in (new_module(site, "fresh"), new_path(site, "fresh"), check(site)):
        assert result.exit_code == 1, result.output
        assert (f"lecosite.yml:1:1: error LS004 invalid-config: content_dir '{content_dir}' is "
                f"{what}") in result.output
        assert "Created" not in result.output and "Not a directory" not in result.output
    assert sorted(site.root.rglob("*")) == before


def test_build_into_a_file_says_which_file_is_in_the_way(site):
    """MkDocs stopped half-way with only 'Not a directory'."""
    site.write("mkdocs.yml", "site_name: T\ndocs_dir: content\nplugins:\n  - lecosite\n")
    site.write("site", "notes\n")
    for args in [], ["-d", "site/out"]:
        done = subprocess.run([*lecosite_command(), "build", *args], cwd=site.root,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
        assert (f": {site.root / 'site'} is a file, not a folder. Move or rename that file"
                in done.stderr), done.stderr
    assert site.read("site") == "notes\n"


def test_new_portal_starts_a_project_that_builds(tmp_path):
    """A team starting from nothing: the portal, a module, a path, then a real build."""
    import yaml

    (tmp_path / "acme").mkdir()
    (tmp_path / "acme/.gitignore").write_text("node_modules/", encoding="utf-8")
    result = run("new", "portal", tmp_path / "acme", "--name", 'Acme "Academy" <b>',
                 "--site-url", "https://learn.example.com")
    assert result.exit_code == 0, result.output
    root = tmp_path / "acme"
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    assert (config["site_name"], config["site_url"]) == ('Acme "Academy" <b>',
                                                         "https://learn.example.com/")
    assert (root / ".gitignore").read_text(encoding="utf-8").splitlines() == [
        "node_modules/", "/site/", "lecosite-statements.sqlite", "lecosite-statements.sqlite-*",
        "/report.html", "/report*.csv", "/report.json"]
    before = (root / "lecosite.yml").read_text(encoding="utf-8")
    again = run("new", "portal", root)
    assert again.exit_code == 2 and "already there" in again.output
    assert (root / "lecosite.yml").read_text(encoding="utf-8") == before
    for command in (["module", "--id", "acme-install", "--title", "Install Acme", "--owner",
                     "@acme/training", "--goal", "Install it.", "--duration", 8, "--folder",
                     "install"],
                    ["path", "--id", "acme-admin", "--title", "Acme admin", "--kind", "course",
                     "--owner", "@acme/training", "--goal", "Run it.", "--module",
                     "acme-install"]):
        assert run("new", *command, "--project", root).exit_code == 0
    done = subprocess.run([*lecosite_command(), "build"], cwd=root,
                          capture_output=True, text=True, timeout=300,
                          env=os.environ | {"NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 0, done.stderr
    assert (root / "site/index.html").is_file()


def test_an_empty_new_portal_names_the_modules_folder_without_a_line(tmp_path):
    """A folder has no line or column to go to: the place is the folder alone."""
    assert run("new", "portal", tmp_path / "acme").exit_code == 0
    result = run("check", "--project", tmp_path / "acme")
    assert result.exit_code == 0
    assert result.output.startswith(
        "content/modules: warning LS207 no-modules: there are no modules in content/modules/")
    github = run("check", "--project", tmp_path / "acme", "--format", "github")
    assert github.output.startswith("::warning file=content/modules,title=LS207 no-modules::")


@pytest.mark.parametrize(("args", "message"), [
    (["--site-url", "learn.example.com"], "'learn.example.com' is not a web address"),
    (["--name", " "], "Invalid value for --name: is blank")])
def test_new_portal_refuses_what_would_not_work(tmp_path, args, message):
    result = run("new", "portal", tmp_path / "acme", *args)
    assert (result.exit_code, message in result.output) == (2, True), result.output
    assert not (tmp_path / "acme").exists()


@pytest.mark.parametrize("bad", ["Connect_Ports", "-ports", "ports-", "two words"])
def test_new_module_rejects_a_bad_id(site, bad):
    result = new_module(site, bad)
    assert result.exit_code == 2
    assert "lowercase" in result.output
    assert not list((site.root / "content/modules").glob("*.md"))


def test_new_module_rejects_a_bad_owner_before_writing(site):
    result = run("new", "module", "--project", site.root, "--id", "fresh", "--title", "T",
                 "--owner", "@org/team", "--owner", "maria", "--goal", "G.", "--duration", 8)
    assert result.exit_code == 2
    assert "'maria' is not an owner: write @handle, @org/team or an e-mail" in result.output
    assert not (site.root / "content/modules/fresh.md").exists()  # so running again works
    result = run("new", "module", "--project", site.root, "--id", "fresh", "--title", "T",
                 "--owner", "not an owner", "--goal", "G.", "--duration", 8, "--folder", "")
    assert result.exit_code == 2 and "'not an owner' is not an owner" in result.output


def test_new_path_takes_modules_separated_by_commas(site):
    args = ["--title", "T", "--kind", "course", "--owner", "@org/team, a@example.com",
            "--goal", "G."]
    result = run("new", "path", "--project", site.root, "--id", "listed", *args,
                 "--module", "alpha, beta")
    assert result.exit_code == 0, result.output
    text = site.read("content/paths/listed.yml")
    assert "modules:\n- alpha\n- beta\n" in text and "- a@example.com\n" in text


def test_new_module_rejects_a_bad_duration(site):
    result = new_module(site, "ok-id", "--duration", 0)
    assert result.exit_code == 2
    assert "0 minutes is out of range: write a whole number from 1 to 600." in result.output


@pytest.mark.parametrize("kind", ["course", "learning-plan", "certification"])
def test_new_path_passes_the_schema(site, kind):
    result = run("new", "path", "--project", site.root, "--id", "admin-course", "--title",
                 "Admin course", "--kind", kind, "--owner", "admin@example.com", "--goal",
                 "Learners run the agent.", "--module", "alpha", "--module", "beta")
    assert result.exit_code == 0, result.output
    assert (site.root / "content/paths/admin-course.yml").is_file()
    assert site.check() == []


def test_new_path_takes_its_audience_and_level_from_its_modules(site):
    """The catalog filters paths by them: a path without would show under no audience."""
    site.module("alpha", folder="basics", audience=["administrator"], level="beginner")
    site.module("beta", folder="basics", audience=["partner", "administrator"],
                level="advanced")
    result = run("new", "path", "--project", site.root, "--id", "plan", "--title", "Plan",
                 "--kind", "learning-plan", "--owner", "@org/team", "--goal", "G.",
                 "--module", "alpha beta nope")
    assert result.exit_code == 1  # 'nope' is not written yet: LS103, as before
    data = yaml.safe_load(site.read("content/paths/plan.yml"))
    assert (data["audience"], data["level"]) == (["administrator", "partner"], "advanced")


def test_new_path_refuses_to_overwrite_and_rejects_bad_ids(site):
    args = ["--title", "T", "--kind", "course", "--owner", "@org/team", "--goal", "G."]
    assert run("new", "path", "--project", site.root, "--id", "basics", *args).exit_code == 2
    assert run("new", "path", "--project", site.root, "--id", "Bad Id", *args).exit_code == 2


def test_new_files_with_errors_exit_1_and_say_what_to_fix(site):
    args = ["--title", "T", "--kind", "course", "--owner", "@org/team", "--goal", "G."]
    result = run("new", "path", "--project", site.root, "--id", "fresh", *args,
                 "--module", "alpha", "--module", "nope")
    assert result.exit_code == 1
    assert "content/paths/fresh.yml:12:3: error LS103 unknown-module-in-path" in result.output
    # A planned module may come later, but a typo should not look like a failed command.
    assert ("content/paths/fresh.yml is kept: fix the errors above in it (or delete it "
            "before running the command again).") in result.output


def test_new_writes_a_pasted_tab_or_line_break_as_a_space(site):
    """"Learners\tdo it." was written as an escape, which its own check (LS009) refused."""
    result = new_module(site, "tabbed", "--goal", "Learners\tdo it.\nIn time.")
    assert result.exit_code == 0, result.output
    assert "goal: Learners do it. In time.\n" in site.read("content/modules/tabbed.md")
    assert site.check(today=date.today()) == []


def test_new_shows_only_the_new_files_findings(site):
    """Findings were picked by the id appearing in a file name: 'lecosite new module --id
    beta-intro' is clean, yet it listed another file's error and exited 1."""
    site.module("beta", folder="basics", prerequisites=["alpha"], body="[x](nope.md)\n")
    site.write("content/modules/basics/beta-intro-old.md", "no front matter\n")
    result = new_module(site, "beta-intro")
    assert result.exit_code == 0, result.output
    assert "LS403" not in result.output and "LS003" not in result.output
    args = ["--title", "T", "--kind", "course", "--owner", "@org/team", "--goal", "G."]
    result = run("new", "path", "--project", site.root, "--id", "basic", *args,
                 "--module", "alpha")
    assert result.exit_code == 0, result.output
    assert "LS403" not in result.output


def test_new_module_does_not_repeat_the_title_as_a_heading(site):
    """The guide says not to: the portal shows the title above the body already."""
    assert new_module(site).exit_code == 0
    body = split_front_matter(site.read("content/modules/connect-check-ports.md"))[2]
    assert not re.search(r"^#", body, re.M)


def test_new_path_asks_for_its_modules(site):
    args = ["--title", "T", "--kind", "course", "--owner", "@org/team", "--goal", "G."]
    result = run("new", "path", "--project", site.root, "--id", "asked", *args,
                 input="alpha beta\n")
    assert result.exit_code == 0, result.output
    assert "modules:\n- alpha\n- beta\n" in site.read("content/paths/asked.yml")


# -- as a real process ----------------------------------------------------------------------


def lecosite_command():
    script = shutil.which("lecosite")
    if script:
        return [script]
    return [sys.executable, "-c", "from lecosite.cli import main; main()"]


def test_real_process(site):
    line, col = broken_prerequisite(site)
    done = subprocess.run([*lecosite_command(), "check", "--format", "json", "--today", TODAY],
                          cwd=site.root, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    finding = json.loads(done.stdout)["findings"][0]
    assert (finding["file"], finding["line"], finding["col"], finding["rule"]) == (
        BETA, line, col, "LS101")


def test_real_process_usage_error(tmp_path):
    done = subprocess.run([*lecosite_command(), "check", "--format", "xml"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "Traceback" not in done.stdout + done.stderr
    assert "Invalid value for '--format'" in done.stderr


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs Linux's /dev/full")
@pytest.mark.parametrize("args", [["check", "--format", "json"], ["rules"],
                                  ["report", "--demo", "--format", "csv", "-o", "-"]])
def test_output_to_a_full_disk_is_one_line(site, args):
    """A cron job writing to a full disk learns why in a line, not from a traceback."""
    with open("/dev/full", "w") as full:
        done = subprocess.run([*lecosite_command(), *args], cwd=site.root, stdout=full,
                              stderr=subprocess.PIPE, text=True, timeout=120)
    assert (done.returncode, done.stderr.splitlines()) == (
        1, ["Error: cannot write the output: No space left on device"])


def test_real_process_clean_site_via_python(site):
    done = subprocess.run(
        [sys.executable, "-c", "from lecosite.cli import main; main()", "check", "--strict",
         "--today", TODAY], cwd=site.root, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No problems found" in done.stdout


def test_build_and_serve_refuse_a_portal_that_does_not_run_the_plugin(site):
    """MkDocs alone would publish every file unchecked: drafts, path files as raw YAML."""
    site.write("mkdocs.yml", "site_name: Test\ndocs_dir: content\nplugins:\n  - search\n")
    config = site.root / "mkdocs.yml"
    for command in (["build"], ["serve", "--no-collect"]):
        result = run(*command, "-f", config)
        assert result.exit_code == 1
        assert result.output.strip() == (
            f"Error: {config} does not run the lecosite plugin, so the portal would be "
            "published unchecked (drafts included); add '- lecosite' under 'plugins:' in it")
    assert not (site.root / "site").exists()
    site.write("mkdocs.yml", (  # tags MkDocs reads do not hide the plugin
        "site_name: !ENV [LECOSITE_TEST_NAME, Test]\ndocs_dir: content\nplugins:\n"
        "  - lecosite:\n      drafts: false\nmarkdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_generator: !!python/name:pymdownx.emoji.to_alt\n"))
    done = subprocess.run([*lecosite_command(), "build"], cwd=site.root, capture_output=True,
                          text=True, timeout=120)  # in its own process: MkDocs sets up logging
    assert done.returncode == 0, done.stderr
    assert (site.root / "site" / "index.html").is_file()


def test_build_and_serve_say_where_an_mkdocs_yml_is_no_yaml_as_check_does(site):
    """MkDocs showed its parser's error ('found character '\\t' that cannot start any
    token'); the check's words say what to do."""
    site.write("mkdocs.yml", "site_name: Test\ndocs_dir: content\nplugins:\n\t- lecosite\n")
    for command in (["build"], ["serve", "--no-collect"]):
        result = run(*command, "-f", site.root / "mkdocs.yml")
        assert result.exit_code == 1
        assert result.output.strip() == (
            "Error: mkdocs.yml:4:1: invalid YAML: a tab, where YAML needs spaces. Indent with "
            "spaces only: replace the tab on this line with spaces.")
    assert not (site.root / "site").exists()


def test_serve_on_a_busy_port_says_so_in_one_line(site):
    site.write("mkdocs.yml", "site_name: Test\ndocs_dir: content\nplugins:\n  - lecosite\n")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        address = f"127.0.0.1:{busy.getsockname()[1]}"
        result = run("serve", "--no-collect", "-f", site.root / "mkdocs.yml", "-a", address)
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: cannot serve the portal on {address} ([Errno 98] Address already in use); "
        "pass --dev-addr with a free port, e.g. 127.0.0.1:8001"]


def test_serve_with_the_collectors_port_busy_leaves_no_database_behind(site):
    site.write("mkdocs.yml", "site_name: Test\ndocs_dir: content\nplugins:\n  - lecosite\n")
    with socket.socket() as busy, socket.socket() as free:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        free.bind(("127.0.0.1", 0))
        port, address = busy.getsockname()[1], f"127.0.0.1:{free.getsockname()[1]}"
        free.close()
        result = run("serve", "-f", site.root / "mkdocs.yml", "-a", address,
                     "--collector-port", port)
    assert result.exit_code == 1
    assert f"cannot start the collector on 127.0.0.1:{port}" in result.output
    assert list(site.root.glob("*.sqlite*")) == []


def test_a_broken_settings_file_is_reported_before_a_missing_content_folder(site):
    """With content_dir moved, a YAML error in lecosite.yml must not hide behind 'no content
    folder at content/': the error says where the file is broken."""
    (site.root / "content").rename(site.root / "docs")
    site.write("lecosite.yml", "content_dir: docs\nschema: [\n")
    result = run("check", "--project", site.root)
    assert result.exit_code == 1
    assert "lecosite.yml:2:" in result.output and "invalid YAML" in result.output
    assert "no content folder" not in result.output
    site.write("lecosite.yml", "content_dir: docs\n")
    assert run("check", "--project", site.root).exit_code == 0


def test_build_from_a_subfolder_uses_the_projects_mkdocs_yml(site):
    """In a process of its own: MkDocs' command line sets up logging for the process."""
    site.write("mkdocs.yml", "site_name: T\ndocs_dir: content\ntheme:\n  name: material\n"
               "  font: false\nplugins:\n  - lecosite\n")
    for mid in ("alpha", "beta"):  # never due for review: a strict build fails on LS301
        site.write(f"content/modules/basics/{mid}.md", site.read(
            f"content/modules/basics/{mid}.md").replace("2026-12-31", "2099-12-31"))
    done = subprocess.run([*lecosite_command(), "build"], cwd=site.root / "content" / "modules",
                          capture_output=True, text=True, timeout=300,
                          env=os.environ | {"NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 0, done.stderr
    assert (site.root / "site" / "modules" / "alpha" / "index.html").is_file()
    done = subprocess.run([*lecosite_command(), "build"], cwd=site.root.parent,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "no mkdocs.yml here or in a folder above" in done.stderr


def test_without_a_content_dir_the_content_is_mkdocs_docs_dir(site):
    """A portal started from plain MkDocs keeps its pages in docs/: check looked for
    content/ ("no content folder") and the build called a lecosite.yml that does not exist
    wrong. Without content_dir, both read what mkdocs.yml publishes."""
    (site.root / "content").rename(site.root / "docs")
    site.remove("lecosite.yml")
    site.write("mkdocs.yml", "site_name: T\ndocs_dir: docs\ntheme:\n  name: material\n"
               "  font: false\nplugins:\n  - lecosite\n")
    for mid in ("alpha", "beta"):  # never due for review: a strict build fails on LS301
        site.write(f"docs/modules/basics/{mid}.md", site.read(
            f"docs/modules/basics/{mid}.md").replace("2026-12-31", "2099-12-31"))
    assert run("check", "--project", site.root).exit_code == 0
    done = subprocess.run([*lecosite_command(), "build"], cwd=site.root, capture_output=True,
                          text=True, timeout=300, env=os.environ | {"NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 0, done.stderr
    assert (site.root / "site" / "modules" / "alpha" / "index.html").is_file()
    site.write("docs/modules/basics/beta.md", site.read("docs/modules/basics/beta.md").replace(
        "prerequisites: [alpha]", "prerequisites: [nope]"))
    result = run("check", "--project", site.root)
    assert result.exit_code == 1 and "docs/modules/basics/beta.md:" in result.output


def test_a_settings_file_that_is_a_list_is_named_as_such(site):
    site.write("lecosite.yml", "- content_dir: content\n")
    result = run("check", "--project", site.root)
    assert result.exit_code == 1
    assert ("lecosite.yml:1:1: error LS004 invalid-config: 'lecosite.yml' must be a set of "
            "'key: value' fields, not a list") in result.output
