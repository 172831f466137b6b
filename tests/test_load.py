"""Broken files become findings with a file and a line, never exceptions; all in one run."""

import os
import tempfile
import threading
import time

import pytest

from lecosite import load, yamldoc
from lecosite.check import check_project
from lecosite.project import load_settings

MOD = "content/modules/broken.md"
PATH = "content/paths/broken.yml"

VALID = """\
---
id: broken
title: Broken
summary: A module.
owners: ['@org/team']
version: 1.0.0
status: draft
goal: Learners learn.
objectives: [Learn.]
duration: 8
---
Body.
"""

LAUGHS = "".join(f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n"
                 for a, b in zip("abcdefgh", "bcdefghi", strict=True))
BILLION_LAUGHS = f"---\nid: broken\na: &a [{', '.join(['lol'] * 9)}]\n{LAUGHS}---\n"


def places(findings, rule):
    return [(f.file, f.line, f.col) for f in findings if f.rule == rule]


def test_valid_module_loads(site):
    site.write(MOD, VALID)
    assert site.check() == []
    module = check_project(site.root).site.modules["broken"]
    assert (module.duration, module.body_line, module.body) == (8, 12, "Body.\n")


@pytest.mark.parametrize(("text", "line", "col"), [
    (VALID.replace("duration: 8", "duration: [8"), 10, 11),  # the '[' left open
    (VALID.replace("title: Broken", 'title: "Broken'), 3, 8),  # the '"' left open
    (VALID.replace("goal: Learners learn.", "goal: Learners: learn."), 8, 15),
    (VALID.replace("objectives: [Learn.]", "objectives:\n  - Learn.\n - Teach."), 11, 2),
    (VALID.replace("summary: A module.", "\tsummary: A module."), 4, 1),
])
def test_malformed_yaml_reports_the_line(site, text, line, col):
    site.write(MOD, text)
    findings = site.check()
    assert places(findings, "LS002") == [(MOD, line, col)]
    assert all(f.rule == "LS002" for f in findings)


@pytest.mark.parametrize(("old", "new", "place", "message", "hint"), [
    ("owners: ['@org/team']", "owners: @org/team", (5, 9), "the value of 'owners' starts with "
     "'@', which YAML does not allow unquoted", 'in a list: owners: ["@org/team"]'),
    ("owners: ['@org/team']", "owners: [@org/team, @org/docs]", (5, 10), "an item starts "
     "with '@'", 'Put it in double quotes: "@org/team".'),
    ("title: Broken", "title: Connect: the ports", (3, 15), "the value of 'title' holds ': '",
     "Put the whole value in quotes: title: \"Connect: the ports\""),
    ("title: Broken", "title: 'The agent's ports'", (3, 18), "the value of 'title' is in "
     "single quotes, and the ' at column 18 ends them early", "title: \"The agent's ports\""),
    ("summary: A module.", 'summary: "Use the "checker" tool"', (4, 19), "is in double quotes",
     "summary: 'Use the \"checker\" tool'"),
    ("objectives: [Learn.]", 'objectives:\n  - "Open" the ports', (10, 10), "this item is in "
     "double quotes", "Write it as - '\"Open\" the ports'"),
    ("title: Broken", "title: [Beta] Broken", (3, 8), "starts with '[', so YAML reads a list",
     'title: "[Beta] Broken"'),
    ("title: Broken", "title: *New* ports", (3, 8), "starts with '*'", 'title: "*New* ports"'),
    ("title: Broken", "title: `netstat` ports", (3, 8), "starts with '`'", "`netstat` ports"),
    ("summary: A module.", "summary: > A module.", (4, 10), "starts with '>'", '"> A module."'),
    ("objectives: [Learn.]", "objectives:\n  -\tLearn.", (10, 4), "a tab, where YAML needs "
     "spaces", "replace the tab on this line with spaces"),
    ("summary: A module.", "summary: A module\nthat teaches.", (5, 1), "line 5 is neither a "
     "'key: value' field nor a '- ' item", "indent it further than 'summary:'"),
    ("status: draft", "status draft", (7, 1), "line 7 has no ':' after 'status'",
     "Write 'status: draft'."),
    # Indented to line up with nothing: 'did not find expected key (while parsing a block
    # mapping)' said nothing an author could act on.
    ("objectives: [Learn.]", "objectives:\n  - Learn.\n - Teach.", (11, 2), "this '-' is "
     "indented 1 space, which lines it up with nothing above it: YAML cannot tell which list "
     "it belongs to", "Indent it 2 spaces, as the '-' on line 10."),
    ("duration: 8", "  duration: 8", (10, 3), "'duration:' is indented 2 spaces, which lines "
     "it up with nothing above it", "Start it at the beginning of the line, as 'objectives:' "
     "on line 9."),
    ("duration: 8", "duration: 8\nsources:\n  - kind: other\n   title: Notes", (13, 4),
     "'title:' is indented 3 spaces", "Indent it 4 spaces, as 'kind:' on line 12."),
])
def test_the_slips_the_yaml_parser_stops_at_are_said_in_an_authors_words(site, old, new, place,
                                                                      message, hint):
    """The parser's words ('mapping values are not allowed', 'could not find expected
    ':'') mean nothing to an author, and a line without a colon is blamed on the next."""
    site.write(MOD, VALID.replace(old, new))
    finding = site.only("LS002")
    assert (finding.line, finding.col) == place
    assert message in finding.message
    assert hint in finding.hint


def test_a_path_line_without_its_colon_is_named(site):
    site.write(PATH, "id: broken\nkind course\ntitle: Broken\n")
    finding = site.only("LS002")
    assert (finding.file, finding.line, finding.col) == (PATH, 2, 1)
    assert finding.hint == "Write 'kind: course'."


@pytest.mark.parametrize(("old", "new", "line"), [
    ("duration: 8", "duration:8", 10), ("status: draft", "status:draft", 7),
    ("duration: 8", "duration: 8\nsources:\n  - kind: release-notes\n    title:Notes", 13)])
def test_a_key_without_a_space_after_its_colon_is_named_on_its_own_line(site, old, new, line):
    """YAML reads 'duration:8' as a word and fails on the line after: blame the right one."""
    site.write(MOD, VALID.replace(old, new))
    (finding,) = [f for f in site.check() if f.rule == "LS002"]
    key, value = new.rsplit("\n", 1)[-1].strip(" -").split(":")
    assert (finding.file, finding.line, finding.col) == (MOD, line, 1)
    assert finding.message == f"invalid YAML: no space after the colon of '{key}:'"
    assert finding.hint == f"Put a space after the colon: '{key}: {value}'."


def test_wrong_types(site):
    site.write(MOD, VALID.replace("duration: 8", "duration: ten").replace("1.0.0", "1.0"))
    findings = {f.line: f for f in site.check()}
    assert (findings[6].rule, findings[6].col) == ("LS011", 1)
    assert findings[6].message == "'version' must be text, not a decimal number (1.0)"
    assert "1.2.0" in findings[6].hint
    assert findings[10].rule == "LS011"
    assert findings[10].message == "'duration' must be a whole number, not text ('ten')"


@pytest.mark.parametrize(("old", "new", "line", "says"), [
    ("objectives: [Learn.]", "objectives:\n  \u2013 Open the ports.\n  \u2013 Test them.", 9,
     "'\u2013' is not a list mark in YAML: write each item on a line of its own under "
     "'objectives:', indented, starting with '- '"),
    ("objectives: [Learn.]", "objectives:\n  \u2022 Open the ports.", 9, "'\u2022' is not a list"),
    ("objectives: [Learn.]", "objectives:\n  1. Open the ports.\n  2. Test them.", 9,
     "'1.' is not a list mark"),
    ("objectives: [Learn.]", "objectives: Open the ports.", 9,
     "Write each item on a line of its own under 'objectives:'"),
    ("objectives: [Learn.]", "objectives:\n  - Learn.\n  - Note: 443 must be open.", 11,
     "YAML reads the ': ' in this text as 'key: value': put the whole text in quotes, "
     '"Note: 443 must be open."'),
])
def test_a_value_yaml_shaped_wrongly_says_how_to_write_it(site, old, new, line, says):
    """Bullets pasted from a document make one text of a list, and an item's ': ' makes a
    'key: value' of a text: the field's own description does not say what to change."""
    site.write(MOD, VALID.replace(old, new))
    finding = site.only("LS011")
    assert finding.line == line
    assert says in finding.hint


@pytest.mark.parametrize("word", ["Yes", "on", "NO", "false"])
def test_a_word_yaml_reads_as_true_or_false_is_said_so(site, word):
    site.write(MOD, VALID.replace("title: Broken", f"title: {word}"))
    assert site.only("LS011").message == (
        "'title' must be text, but YAML reads the word written here as true/false (it does so "
        "with yes, no, on, off, true and false): put it in quotes")


def test_sections_written_as_fields_say_how_sections_are_written(site):
    site.write(PATH, "id: broken\ntitle: B\nkind: course\nsummary: S.\ngoal: G.\n"
               "owners: ['@org/team']\nversion: 1.0.0\nsections:\n  Setup:\n    - alpha\n")
    finding = site.only("LS011")
    assert finding.hint == ("Named groups of modules: '- title: …' lines, each with its "
                            "'modules:' list indented under it.")


@pytest.mark.parametrize(("written", "read"), [
    ("8:30", "'duration' must be a whole number, not text ('8:30')"),  # not 510 (base 60)
    ("1:30.5", "'duration' must be a whole number, not text ('1:30.5')"),
    ("012", 12),  # not octal 10
    ("09", 9),  # not text, as YAML 1.1 leaves what cannot be octal
    ("+12", 12),
    ("1_2", 12),
])
def test_numbers_are_read_as_an_author_means_them(site, written, read):
    site.write(MOD, VALID.replace("duration: 8", f"duration: {written}"))
    assert [f.message for f in site.check()] == ([read] if isinstance(read, str) else [])
    if isinstance(read, int):
        assert check_project(site.root).site.modules["broken"].duration == read


CAPTIONED = {"src": "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "captions": [{"lang": "en"}]}


@pytest.mark.parametrize(("write", "read", "key"), [
    (lambda site, n: site.module("alpha", folder="basics", duration=n),
     lambda loaded: loaded.modules["alpha"].duration, "duration"),
    (lambda site, n: site.module("alpha", folder="basics", video={**CAPTIONED, "length": n}),
     lambda loaded: loaded.modules["alpha"].video.length, "length"),
    (lambda site, n: site.path("cert", kind="certification", requires=["basics"],
                               pass_mark=0.8, valid_for=n),
     lambda loaded: loaded.paths["cert"].valid_for, "valid_for"),
], ids=["duration", "video.length", "valid_for"])
def test_a_whole_number_written_with_a_point_is_that_number(site, write, read, key):
    """JSON Schema counts 8.0 an integer, so 'duration: 8.0' passed the check, and then the
    page read it as no duration (0 min), a certificate as no valid_for (12 months), a video
    as no length. 8.5 is no whole number: refused where it is written."""
    rel = write(site, 8.0)
    assert site.check() == []
    value = read(check_project(site.root).site)
    assert (value, type(value)) == (8, int)
    write(site, 8.5)
    finding = site.only("LS011")
    assert (finding.file, finding.line) == (rel, site.at(rel, f"{key}: 8.5")[0])
    assert finding.message.endswith("must be a whole number, not a decimal number (8.5)")


@pytest.mark.parametrize(("old", "new", "place", "message"), [
    ("duration: 8", "duration:\u00a08", (10, 10),
     "invalid YAML: a non-breaking space after 'duration:', where YAML needs a plain space"),
    ("objectives: [Learn.]", "objectives:\n\u00a0 - Learn.", (10, 1), "invalid YAML: a "
     "non-breaking space at the start of the line, where YAML needs a plain space"),
    ("objectives: [Learn.]", "objectives:\n  -\u202fLearn.", (9, 1), "'objectives' must be "
     "a list, not text ('- Learn.'); it has a narrow non-breaking space in it: type a plain "
     "space instead"),
    ("objectives: [Learn.]", "objectives:\u00a0\n  - A.\n  - B.\n  - C.\n  - D.", (9, 12),
     "invalid YAML: a non-breaking space after 'objectives:', where YAML needs a plain space"),
    ("objectives: [Learn.]", "objectives:\n  - Learn.\n  -\u00a0Teach.", (11, 4), "invalid "
     "YAML: a non-breaking space after '-', where YAML needs a plain space"),
    # at the end or the start it is to be deleted ('type a plain space instead' was wrong)
    ("status: draft", "status: draft\u00a0", (7, 1), "'status' is 'draft[non-breaking space]': "
     "delete the non-breaking space (U+00A0) at the end"),
    ("status: draft", "status: \u00a0draft", (7, 1), "'status' is '[non-breaking space]draft': "
     "delete the non-breaking space (U+00A0) at the start"),
    ("status: draft", "status: drat\u00a0", (7, 1), "'status' is 'drat ', which is not one of: "
     "draft, review, published, deprecated, retired; did you mean 'draft'?"),
    ("duration: 8", "duration: 8\u00a0", (10, 1), "'duration' must be a whole number, not text "
     "('8 '); it has a non-breaking space at the end: delete it"),
    # inside one too, where deleting it makes the value right (it read "is 'draft', which is
    # not one of: draft, …")
    ("status: draft", "status: dr\u200baft", (7, 1), "'status' is 'dr[zero-width space]aft': "
     "delete the zero-width space (U+200B) in it"),
    ("title: Broken", "title: \"\u00a0\u200b\"", (3, 1), "'title' is only spaces; it must be text"),
    ("id: broken", "id: bro\u00adken", (2, 1), "'id' is 'bro[soft hyphen]ken': delete the soft "
     "hyphen (U+00AD) in it"),
    ("status: draft", "status: dr\u2060aft", (7, 1), "'status' is 'dr[word joiner]aft': delete "
     "the word joiner (U+2060) in it"),
])
def test_a_pasted_odd_space_is_named_where_it_is(site, old, new, place, message):
    """Not "could not find expected ':'" a line below, nor 'draft\\xa0'."""
    site.write(MOD, VALID.replace(old, new))
    (finding,) = site.check()
    assert ((finding.line, finding.col), finding.message) == (place, message)
    if finding.rule == "LS002":
        assert finding.hint.startswith("Delete it and type a plain space")


@pytest.mark.parametrize(("old", "new", "place", "message"), [
    ("title: Broken", 'title: "  "', (3, 1), "'title' is only spaces; it must be text"),
    ("goal: Learners learn.", "goal: ''", (8, 1), "'goal' must not be empty"),
    ("objectives: [Learn.]", "objectives: [Learn., ' ']", (9, 22),
     "'objectives[2]' is only spaces; it must be text"),
    ("objectives: [Learn.]", "objectives:\n  - Learn.\n  - Teach.\n  - Learn.", (12, 5),
     "'objectives' lists 'Learn.' twice"),
])
def test_blank_or_repeated_text_is_refused(site, old, new, place, message):
    site.write(MOD, VALID.replace(old, new))
    (finding,) = site.check()
    assert ((finding.line, finding.col), finding.message) == (place, message)


def test_an_odd_space_inside_a_text_is_the_authors_choice(site):
    site.write(MOD, VALID.replace("title: Broken", "title: Broken\u00a0module"))
    assert site.check() == []
    # nor does one after a plain space take the blame for a slip further down
    text = VALID.replace("goal: Learners", "goal: \u00a0Learners")
    site.write(MOD, text.replace("duration: 8", "duration: 8: 9"))
    assert places(site.check(), "LS002") == [(MOD, 10, 12)]


@pytest.mark.parametrize(("fields", "hint"), [
    ({"video": {"src": "https://youtu.be/dQw4w9WgXcQ", "length": "1:30"}}, "length: 90 for 1:30"),
    ({"video": {"src": "https://youtu.be/dQw4w9WgXcQ", "captions": [{"lang": "English"}]}},
     "e.g. en or pt-BR"),
    ({"video": {"src": "https://youtu.be/dQw4w9WgXcQ", "captions": [{"label": "English"}]}},
     "e.g. en or pt-BR"),
    ({"sources": [{"kind": "docs", "title": "Ports", "url": "www.example.com/ports"}]},
     "starting with https://"),
    ({"completion": {"video": 90}}, "Share (0–1) of the video"),
    ({"video": "https://youtu.be/dQw4w9WgXcQ"}, "indented lines under 'video:'"),
    ({"owners": ["@org/team", 7]}, "\"@org/team\""),
])
def test_a_nested_field_gets_its_own_hint(make_site, fields, hint):
    """Not its parent's description, nor a bare "see the guide"."""
    site = make_site()
    site.module("alpha", folder="basics", **fields)
    (finding,) = [f for f in site.check() if f.rule in ("LS010", "LS011")]
    assert hint in finding.hint, finding


@pytest.mark.parametrize(("fields", "message"), [
    ({"objectives": {"a": "b"}}, "'objectives' must be a list, not 'key: value' fields"),
    ({"changelog": [{"1.0.0": None}]}, "'changelog entry 1.0.0' is empty; it must be text"),
    ({"owners": ["“@org/team”"]}, "'owners[1]' is '“@org/team”': its curly quotes (“ ”, as word "
     "processors type them) are read as part of the text; use straight quotes (\") or none"),
])
def test_wrong_values_are_said_in_an_authors_words(make_site, fields, message):
    site = make_site()
    site.module("alpha", folder="basics", **fields)
    assert [f.message for f in site.check() if f.rule == "LS011"] == [message]


def test_a_version_that_is_not_text_gets_one_message(make_site):
    """Not also LS606 about a version '0.0.0' the author never wrote."""
    site = make_site()
    site.module("alpha", folder="basics", version=1.0, changelog=[{"0.1.0": "First."}])
    assert [f.rule for f in site.check()] == ["LS011"]


def test_several_schema_errors_in_one_file_are_all_reported(site):
    text = VALID.replace("status: draft", "status: live").replace("duration: 8", "duration: 0")
    text = text.replace("summary: A module.\n", "")  # missing; 'gaol' is LS012's alone
    site.write(MOD, text.replace("goal: Learners learn.\n", "gaol: Learners learn.\n"))
    found = sorted((f.line, f.rule) for f in site.check())
    assert found == [(2, "LS010"), (6, "LS011"), (7, "LS012"), (9, "LS011")]


@pytest.mark.parametrize("content", ["", "\n\n  \n"])
def test_empty_module(site, content):
    site.write(MOD, content)
    assert places(site.check(), "LS003") == [(MOD, 1, 1)]


def test_empty_front_matter(site):
    site.write(MOD, "---\n---\nbody\n")
    assert places(site.check(), "LS003") == [(MOD, 2, 1)]


def test_empty_path(site):
    site.write(PATH, "")
    assert places(site.check(), "LS003") == [(PATH, 1, 1)]


def test_a_path_file_wrapped_in_dashes_like_a_module_says_to_delete_them(site):
    site.write(PATH, "---\nid: broken\ntitle: Broken\n---\n")
    finding = next(f for f in site.check() if f.rule == "LS002")
    assert (finding.file, finding.line) == (PATH, 4)
    assert "starts a second document" in finding.message
    assert finding.hint.startswith("Delete the '---' lines")


def test_path_that_is_not_a_mapping(site):
    site.write(PATH, "# a list of modules\n- alpha\n- beta\n")
    finding = site.only("LS011")
    assert (finding.file, finding.line, finding.col) == (PATH, 2, 1)
    assert finding.message == ("a path file holds 'key: value' fields (id, title, kind, "
                               "modules…), not a list ('- ' lines)")
    assert "under 'modules:'" in finding.hint


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_gets_told_to_resave_as_utf8(site, encoding):
    site.module("alpha")
    path = site.root / "content/modules/alpha.md"
    path.write_bytes(path.read_text(encoding="utf-8").encode(encoding))
    findings = site.check()
    assert [(f.rule, f.line) for f in findings] == [("LS001", 1)]
    assert "UTF-16" in findings[0].message and "UTF-8" in findings[0].hint


def test_a_broken_link_is_said_not_skipped(site, tmp_path):
    """A module that cannot be read does not disappear without a word."""
    link = site.root / "content/modules/broken.md"
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(tmp_path / "gone.md")
    findings = site.check()
    assert places(findings, "LS001") == [("content/modules/broken.md", 1, 1)]
    assert findings[0].message == f"the file is a link to {tmp_path / 'gone.md'}, which does " \
                                  "not exist"


def test_binary_junk(site):
    site.write(MOD, b"---\nid: x\n\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    findings = site.check()
    assert places(findings, "LS001") == [(MOD, 5, 1)]
    assert "binary" in findings[0].message


def test_huge_file(site):
    site.write(MOD, VALID + "word " * 250_000)
    start = time.perf_counter()
    findings = site.check()
    assert time.perf_counter() - start < 5
    assert places(findings, "LS001") == [(MOD, 1, 1)]
    assert "larger than" in findings[0].message


def test_non_utf8_reports_the_line_of_the_bad_byte(site):
    site.write(MOD, VALID.replace("title: Broken", "title: Caf\xe9 au lait").encode("latin-1"))
    findings = site.check()
    assert places(findings, "LS001") == [(MOD, 3, 11)]
    assert "0xe9" in findings[0].message


def test_utf8_bom_and_crlf_keep_lines(site):
    text = VALID.replace("duration: 8", "duration: ten").replace("\n", "\r\n")
    site.write(MOD, b"\xef\xbb\xbf" + text.encode())
    assert places(site.check(), "LS011") == [(MOD, 10, 1)]


def test_front_matter_not_closed(site):
    site.write(MOD, VALID.replace("---\nBody.", "Body."))
    findings = site.check()
    assert places(findings, "LS003") == [(MOD, 1, 1)]
    assert "not closed" in findings[0].message


@pytest.mark.parametrize(("body", "line"), [
    ("# Install the agent\n\nYou will need: a host.\n\n---\n\nMore.\n", 11),
    ("\nYou install the agent on a host\nthat passes preflight.\n\n---\n\nMore.\n", 12),
    ("\nBefore you start, you need: an admin account.\n\nSteps.\n\n---\n\nMore.\n", 12),
    ("![The console](console.png)\n\nSteps follow.\n\n---\n\nMore.\n", 11),
    ("!!! note\n    Read this first.\n\n---\n\nMore.\n", 11),
])
def test_front_matter_closed_by_a_rule_in_the_text_names_where_the_text_starts(site, body,
                                                                               line):
    """Without its closing '---', the front matter ran on to a horizontal rule in the text:
    YAML failed somewhere in the text, or took its words for fields."""
    site.write(MOD, VALID.replace("---\nBody.\n", body))
    finding = site.only("LS003")
    first = body.strip().split("\n")[0]
    assert (finding.file, finding.line, finding.col) == (MOD, line, 1)
    assert finding.message == (f"the front matter is not closed: line {line} ('{first}') is "
                               "the module's text, but no '---' line above it ends the fields")
    assert finding.hint == f"Add a line '---' above line {line}, after the last field."


@pytest.mark.parametrize(("edits", "rule"), [
    ({"goal: Learners learn.": "# Optional fields\ngoal Learners learn."}, "LS002"),
    ({"goal: Learners learn.": "Goal text on its own\ngoal: Learners learn."}, "LS002"),
    # a slip above comments at the end of the fields
    ({"title: Broken": "title: Broken: now",
      "duration: 8": "duration: 8\n# keep the changelog newest first\n# (newest on top)"},
     "LS002"),
    # a value wrapped onto lines of its own
    ({"summary: A module.": "summary: Learners learn,\nthen apply it\nat work."}, "LS002"),
    # a commented field of the site's own, a field of its own in capitals
    ({"duration: 8": "duration: 8\n# imported from the old LMS\nlms_id: 1234"}, "LS012"),
    ({"duration: 8": "duration: 8\n\nTags: [connect]\n\"lms-id\": 12"}, "LS012"),
    # a field commented out, its items left; a broken item after a comment
    ({"duration: 8": "duration: 8\n# prerequisites:\n  - alpha\n  - beta"}, "LS002"),
    ({"duration: 8": "duration: 8\nchangelog:\n# newest first\n  - 0.9.0: Draft: first"},
     "LS002"),
])
def test_a_slip_among_the_fields_is_not_taken_for_an_open_front_matter(site, edits, rule):
    text = VALID
    for old, new in edits.items():
        text = text.replace(old, new)
    site.write(MOD, text)
    assert {f.rule for f in site.check()} == {rule}


def test_a_key_with_an_invisible_character_names_it(site):
    """"unknown key 'duration'; did you mean 'duration'?": the two read the same."""
    site.write(MOD, VALID.replace("duration: 8", "dura\u200btion: 8"))
    found = [f for f in site.check() if f.rule == "LS012"]
    assert [(f.message, f.hint) for f in found] == [(
        "the key 'dura[zero-width space]tion' holds a zero-width space",
        "Delete the zero-width space: retype the key.")]


def test_comments_after_the_last_field_are_not_taken_for_the_text(site):
    site.write(MOD, VALID.replace("duration: 8", "duration: 8\n# Reviewers: Ana, Bo\n# Due: May"))
    assert site.check() == []
    site.write(MOD, VALID.replace("duration: 8", "duration: 8\nlevle: basic\n# Note: x\n# y"))
    assert [f.rule for f in site.check()] == ["LS012"]


@pytest.mark.parametrize(("closer", "shown"), [("----", "----"), (" ---", " ---"),
                                               ("--- end", "--- end"), ("\u2014", "\u2014")])
def test_a_closing_line_that_is_nearly_three_hyphens_is_named(site, closer, shown):
    site.write(MOD, VALID.replace("---\nBody.", f"{closer}\nBody."))
    finding = site.only("LS003")
    line = VALID.split("\n").index("Body.")
    assert (finding.file, finding.line, finding.col) == (MOD, line, 1)
    assert finding.message == (f"the front matter is not closed: line {line} reads '{shown}', "
                               "not '---'")
    assert finding.hint.startswith(f"Make line {line} exactly '---'")


def test_blank_lines_above_the_front_matter_are_named(site):
    site.write(MOD, "\n" + VALID)
    finding = site.only("LS003")
    assert (finding.file, finding.line, finding.col) == (MOD, 1, 1)
    assert finding.message == "the front matter's '---' is on line 2, after a blank line"
    assert finding.hint == "Delete the blank line above '---': it must be the file's first line."


def test_no_front_matter(site):
    site.write(MOD, "id: broken\n---\n")
    assert places(site.check(), "LS003") == [(MOD, 1, 1)]


def test_duplicate_keys(site):
    site.write(MOD, VALID.replace("duration: 8", "duration: 8\ntags: [a]\nduration: 9"))
    findings = site.check()
    assert places(findings, "LS005") == [(MOD, 12, 1)]
    assert findings[0].message == "'duration' is written twice (first on line 10)"


def test_duplicate_nested_keys(site):
    site.write(MOD, VALID.replace("duration: 8", "duration: 8\nvideo:\n  src: a.mp4\n  src: b.mp4"))
    assert places(site.check(), "LS005") == [(MOD, 13, 3)]


def test_alias_bomb_is_refused_fast(site):
    site.write(MOD, BILLION_LAUGHS)
    start = time.perf_counter()
    findings = site.check()
    assert time.perf_counter() - start < 2
    assert [f.rule for f in findings] == ["LS002"]
    assert findings[0].file == MOD and findings[0].line >= 2


def test_alias_bomb_in_a_path_file(site):
    site.write(PATH, BILLION_LAUGHS.replace("---\n", ""))
    start = time.perf_counter()
    assert [f.rule for f in site.check()] == ["LS002"]
    assert time.perf_counter() - start < 2


@pytest.mark.parametrize("yaml_text", [
    "a: &a [*a]\n",  # an alias inside itself
    "&a {*a : 1}\n",
    "a: " + "[" * 50_000 + "]" * 50_000 + "\n",  # libyaml's composer would crash
    "a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 300)),
    "<<: {id: x}\n",  # merge keys
    "? [a, b]\n: c\n",  # a list as a key
    "!!python/object/apply:os.system [echo hi]\n",
    "a: !!binary not-base64\n",
    "a: !!int ten\n",  # explicit tags PyYAML cannot construct
    "a: !!bool maybe\n",
    "a: !!int\n",
    "a: " + "9" * 5000 + "\n",  # beyond Python's int() digit limit
])
def test_hostile_yaml_is_a_finding(make_site, yaml_text):
    site = make_site(bare=True)
    site.write(MOD, f"---\n{yaml_text}---\n")
    site.write(PATH, yaml_text)
    findings = site.check()
    assert {f.file for f in findings} == {MOD, PATH}
    assert all(f.line >= 1 and f.col >= 1 for f in findings)


@pytest.mark.parametrize(("line", "field"), [
    ('title: "Open the ports', "title"),  # closed by a later quote, read on to a later line
    ("summary: 'Open the ports", "summary"),  # closed by the apostrophe in "Don't"
])
def test_an_unclosed_quote_is_reported_where_it_opens(site, line, field):
    site.module("alpha", objectives=['Say "hello"', "Don't panic"])
    text = (site.root / "content/modules/alpha.md").read_text(encoding="utf-8")
    lines = text.split("\n")
    at = next(n for n, row in enumerate(lines) if row.startswith(f"{field}:"))
    lines[at] = line
    site.write("content/modules/alpha.md", "\n".join(lines))
    findings = site.check()
    assert [(f.rule, f.line, f.col) for f in findings] == [("LS002", at + 1, len(field) + 3)]
    assert "the quote opened here is not closed on this line" in findings[0].message


def test_deep_nesting_is_refused_at_its_place():
    with pytest.raises(yamldoc.YamlError) as caught:
        yamldoc.parse("id: x\ndeep: " + "[" * 500 + "]" * 500, first_line=2)
    # the document's mapping is level 1, so the 100th '[' (from column 7) is one too many
    assert (caught.value.line, caught.value.col) == (3, 6 + yamldoc.MAX_DEPTH)


def test_all_findings_in_one_run(make_site):
    site = make_site(bare=True)
    site.write("content/modules/a-yaml.md", VALID.replace("duration: 8", "duration: [8"))
    site.write("content/modules/b-type.md", VALID.replace("id: broken", "id: b-type")
               .replace("duration: 8", "duration: ten"))
    site.write("content/modules/c-empty.md", "")
    site.write("content/modules/d-binary.md", b"\x00\x01")
    site.write("content/modules/e-latin1.md", "---\nid: caf\xe9\n---\n".encode("latin-1"))
    site.write("content/modules/f-open.md", "---\nid: f-open\n")
    site.write("content/modules/g-dupe.md", VALID.replace("id: broken", "id: g\nid: g-dupe"))
    site.write("content/modules/h-bomb.md", BILLION_LAUGHS)
    site.write("content/modules/i-huge.md", "x" * 1_000_001)
    site.write("content/paths/j-path.yml", "id: j\ntitle: [\n")
    found = {(f.file.split("/")[-1], f.rule, f.line) for f in site.check()}
    assert {
        ("a-yaml.md", "LS002", 10),
        ("b-type.md", "LS011", 10),
        ("c-empty.md", "LS003", 1),
        ("d-binary.md", "LS001", 1),
        ("e-latin1.md", "LS001", 2),
        ("f-open.md", "LS003", 1),
        ("g-dupe.md", "LS005", 3),
        ("h-bomb.md", "LS002", 3),
        ("i-huge.md", "LS001", 1),
        ("j-path.yml", "LS002", 2),
    } <= found


def test_duplicate_ids_keep_the_first(site):
    site.write("content/modules/basics/gamma.md", site.read("content/modules/basics/alpha.md"))
    result = check_project(site.root, today=site.today)
    assert result.site.modules["alpha"].file == "modules/basics/alpha.md"
    assert [m.file for m in result.site.duplicates] == ["modules/basics/gamma.md"]


def test_hidden_and_underscore_files_are_skipped(site):
    site.write("content/modules/.draft.md", "not a module")
    site.write("content/modules/_notes.md", "not a module")
    assert site.check() == []


def test_content_outside_modules_is_a_page_or_asset(site):
    site.write("content/guides/authoring.md", "# Authoring\n")
    site.write("content/guides/notes.txt", b"\x00binary is fine for assets")
    result = check_project(site.root, today=site.today)
    assert result.findings == []
    assert "guides/authoring.md" in result.site.pages
    assert "guides/notes.txt" in result.site.assets


GUIDE = "content/guides/g.md"


@pytest.mark.parametrize(("text", "rule", "line"), [
    ("---\ntitle: [unclosed\n---\nHello\n", "LS002", 2),
    ("---\ntitle: G\nhide:\n\t- toc\n---\nHello\n", "LS002", 4),  # a tab
    ("---\ntitle: G\n\n# G\n\nHello\n", "LS003", 1),  # no '---' after the fields
    ("---\ntitle: G\n----\nHello\n", "LS003", 3),
    ("---\ntitle: G\n---", "LS003", 3),  # no line break after '---': MkDocs shows the fields
    ("---\n# what the page is\ntitle: G\ntitle: H\n---\nHello\n", "LS005", 4),
])
def test_a_pages_broken_front_matter_is_an_error_as_a_modules_is(site, text, rule, line):
    """MkDocs reads a page's front matter itself: where it is no valid YAML, or is not
    closed, it published the fields as the page's text, and the check said nothing."""
    site.write(GUIDE, text)
    result = check_project(site.root, today=site.today)
    assert [(f.file, f.rule, f.line, f.severity) for f in result.findings] == [
        (GUIDE, rule, line, "error")]
    # Not a page to publish (a preview would show the YAML as text); a duplicate key is read
    assert ("guides/g.md" in result.site.pages) is (rule == "LS005")


@pytest.mark.parametrize("text", [
    "---\ntitle: Help\nhide: [toc]\nsearch:\n  exclude: true\n---\n\n# Help\n",
    "---\n\n# Opens with a rule\n\nText.\n",  # MkDocs: a rule, then the text
    "---\n\nText: [with a bracket\n\n---\n\nMore.\n",  # two rules: not YAML to MkDocs
    "# Help\n\nNote: a colon.\n",
])
def test_a_page_with_valid_front_matter_or_none_is_fine(site, text):
    site.write(GUIDE, text)
    result = check_project(site.root, today=site.today)
    assert result.findings == []
    assert "guides/g.md" in result.site.pages


def test_a_module_that_ends_right_after_its_closing_dashes_is_told_to_add_a_line_break(site):
    site.write(MOD, VALID.split("\n---\n", 1)[0] + "\n---")
    finding = site.only("LS003")
    assert finding.line == VALID.split("\n---\n", 1)[0].count("\n") + 2
    assert finding.hint.startswith(f"Press Enter at the end of line {finding.line}")


def test_an_unclosed_page_front_matter_hint_also_covers_a_horizontal_line(site):
    site.write(GUIDE, "---\nNote: stop the agent first.\n\nText.\n")
    assert "If the '---' is meant as a horizontal line, put a blank line below it." in (
        site.only("LS003").hint)


def test_unicode_line_separators_do_not_shift_lines(site):
    # YAML also breaks lines at U+0085 and U+2028; findings must still use the file's lines
    text = VALID.replace("title: Broken", "title: 'Broken\u2028really\x85'")
    site.write(MOD, text.replace("duration: 8", "duration: ten"))
    assert places(site.check(), "LS011") == [(MOD, 10, 1)]


_FORKS: list[int] = []  # one entry per fork of this process, whatever forked it
os.register_at_fork(before=lambda: _FORKS.append(1))  # cannot be undone: registered once


@pytest.mark.parametrize("reads_too", [False, True])
def test_a_load_in_workers_gives_what_one_process_gives(site, monkeypatch, tmp_path,
                                                          reads_too):
    """Files go to the workers a few at a time; a caller that reads too takes the ones no
    worker has begun. Either way each result must land with its own file."""
    monkeypatch.setattr(load, "CHUNK", 1)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))  # the workers' files
    (tmp_path / "tmp").mkdir()
    site.write(MOD, VALID.replace("duration: 8", "duration: 8\ncolour: red"))  # unknown key
    count = load.PARALLEL_MIN + 50  # as many files as make a load fork its workers
    for n in range(count):
        name = f"m{n:03d}"
        site.write(f"content/modules/{name}.md",
                   VALID.replace("broken", name).replace("Broken", f"Module {n}"))
    site.write("content/modules/m005.md", b"\xff\xfe not UTF-8")  # unusable: in site.unloaded
    settings, _ = load_settings(site.root)
    forks = len(_FORKS)
    expected, expected_findings = load.load_site(settings, jobs=1)
    assert len(_FORKS) == forks  # one process: nothing forked
    loaded, findings = load.start_load(settings, jobs=2, reads_too=reads_too).finish()
    assert len(_FORKS) > forks  # the workers were forked, not skipped
    assert {m.id: (m.file, m.title) for m in loaded.modules.values()} == \
        {m.id: (m.file, m.title) for m in expected.modules.values()}
    assert {f"m{n:03d}" for n in range(count) if n != 5} <= loaded.modules.keys()
    assert loaded.unloaded == expected.unloaded == {"modules/m005.md"}
    assert findings == expected_findings
    assert [f.file for f in findings if "colour" in f.message] == [MOD]
    load.start_load(settings, jobs=2).cancel()  # a build that failed before needing it
    assert list((tmp_path / "tmp").iterdir()) == []  # no worker file is left behind


def test_a_check_in_a_process_with_threads_forks_no_copy_for_the_rules(site):
    """A thread of a server could hold a lock a forked copy would wait on for ever: with a
    thread running, the rules all run here (the load's workers still fork), and the findings
    are those of a check in one process."""
    site.module("gamma", folder="basics", prerequisites=["no-such-module"],
                body="See [the steps](no-such-file.md) and ![](missing.png).\n")
    many = [f"m{n:03d}" for n in range(load.PARALLEL_MIN + 50)]  # enough to fork the rules
    for mid in many:
        site.module(mid, folder="many")
    site.path("basics", modules=["alpha", "beta", "gamma", *many])
    settings, _ = load_settings(site.root)

    def found(jobs: int) -> list[tuple]:
        result = check_project(site.root, today=site.today, jobs=jobs)
        return [(f.file, f.line, f.col, f.rule, f.message, f.hint) for f in result.findings]

    alone = found(1)
    assert {"LS101", "LS402", "LS403"} <= {rule for _, _, _, rule, _, _ in alone}
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)
    thread.start()
    try:
        forks = len(_FORKS)
        load.load_site(settings, jobs=2)
        loading = len(_FORKS) - forks
        assert loading >= 1  # the load's workers, which a thread does not stop
        forks = len(_FORKS)
        threaded = found(2)
        assert thread.is_alive()
        assert len(_FORKS) - forks == loading  # the load's workers and no copy for the rules
    finally:
        stop.set()
        thread.join()
    assert threaded == alone


@pytest.mark.parametrize(("line", "rule"), [
    ("", "LS010"), ("status:", "LS011"), ("status: ''", "LS011"), ("status: publishd", "LS011")])
def test_a_missing_or_wrong_status_is_one_error_in_the_module_only(make_site, line, rule):
    """No guessed status: a default of draft made every published path that lists the
    module fail too (LS201), far from the actual mistake."""
    site = make_site(bare=True)
    site.module("solo")
    text = (site.root / "content/modules/solo.md").read_text(encoding="utf-8")
    site.write("content/modules/solo.md", text.replace("status: published\n",
                                                       line + "\n" if line else ""))
    site.path("first", modules=["solo"])
    findings = site.check()
    assert [(f.file, f.rule) for f in findings] == [("content/modules/solo.md", rule)]


def test_an_unknown_key_in_a_path_does_not_point_at_module_fields(site):
    site.write("lecosite.yml", "schema:\n  fields:\n    product: {type: string}\n")
    site.path("first", modules=["alpha"], product="connect")
    finding = next(f for f in site.check() if f.rule == "LS012")
    assert finding.file == "content/paths/first.yml"
    assert "apply to modules only" in finding.hint and "schema: fields:" not in finding.hint
