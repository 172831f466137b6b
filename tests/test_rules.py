"""One failing fixture per rule (exact rule id, file, line, column) and a passing counterpart.

Test names start with ``test_lsNNN``; ``test_every_rule_has_a_test`` relies on that.
"""

import os
import re
from datetime import date
from pathlib import Path

import pytest

from lecosite import questions, rules, video
from lecosite.check import check_project
from lecosite.findings import Severity
from lecosite.load import PARALLEL_MIN
from lecosite.rules import REGISTRY

ALPHA = "content/modules/basics/alpha.md"
BETA = "content/modules/basics/beta.md"
BASICS = "content/paths/basics.yml"


def place(finding):
    return finding.file, finding.line, finding.col


# -- meta -------------------------------------------------------------------------------


def test_every_rule_has_a_test():
    tested = {m.group(1).upper() for name in globals()
              if (m := re.match(r"test_(ls\d{3})_", name))}
    assert set(REGISTRY) - tested == set()
    assert tested - set(REGISTRY) == set()


def test_every_rule_is_documented_with_an_example():
    for rule in REGISTRY.values():
        assert re.fullmatch(r"LS\d{3}", rule.id)
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.name), rule.id
        assert rule.summary, rule.id
        assert "Example" in rule.doc, rule.id


def test_clean_site_has_no_findings(site):
    assert site.check() == []


# -- loading (LS0xx) ----------------------------------------------------------------------


def test_ls001_unreadable_file_points_at_the_binary_line(site):
    site.write(ALPHA, b"---\nid: alpha\ntitle: \x00\x01\x02\n---\n")
    assert place(site.only("LS001")) == (ALPHA, 3, 1)


def test_ls002_invalid_yaml_points_at_the_bad_line(site):
    site.write(ALPHA, """\
        ---
        id: alpha
        objectives:
          - Open the ports
         - Check the proxy
        duration: 8
        ---
        """)
    finding = site.only("LS002")
    assert place(finding) == (ALPHA, 5, 2)
    assert finding.message.startswith("invalid YAML")


def test_ls002_a_tab_is_named_in_the_hint(site):
    site.module("alpha", folder="basics")
    site.write(ALPHA, site.read(ALPHA).replace("\nduration:", "\n\tduration:"))
    finding = site.only("LS002")
    assert finding.hint == "Indent with spaces only: replace the tab on this line with spaces."
    site.write(ALPHA, site.read(ALPHA).replace("\tduration: 8", "duration: !!int ten-tables"))
    assert "tab" not in site.only("LS002").hint


def test_ls002_curly_quotes_are_named_in_the_hint(site):
    """Quoted in a word processor, 'text: with a colon' still fails: “ ” quote nothing."""
    site.module("alpha", folder="basics")
    site.write(ALPHA, site.read(ALPHA).replace("\ntitle: Alpha", "\ntitle: “Alpha: the start”"))
    assert site.only("LS002").hint.startswith("Curly quotes (“ ”, as word processors type them)")


MKDOCS = """\
site_name: Academy
docs_dir: content
theme:
  name: material
plugins:
  - search
  - lecosite
"""


def test_ls002_an_mkdocs_yml_that_is_no_yaml(site):
    """MkDocs stops on it: the check said "No problems found" and the build showed the
    parser's own words."""
    site.write("mkdocs.yml", MKDOCS.replace("  - search", "\t- search"))
    finding = site.only("LS002")
    assert (place(finding), finding.message, finding.hint) == (
        ("mkdocs.yml", 6, 1), "invalid YAML: a tab, where YAML needs spaces",
        "Indent with spaces only: replace the tab on this line with spaces.")
    site.write("mkdocs.yml", MKDOCS.replace("site_name: Academy", 'site_name: "Academy'))
    assert place(site.only("LS002")) == ("mkdocs.yml", 1, 12)


def test_ls002_an_mkdocs_yml_is_read_for_its_syntax_only(site):
    """MkDocs' own tags read as MkDocs reads them, and what its settings mean is for MkDocs
    to say; a configuration it INHERITs is read too."""
    site.write("base.yml", MKDOCS + "extra:\n  analytics: !ENV [ANALYTICS, none]\n"
               "markdown_extensions:\n  - pymdownx.emoji:\n"
               "      emoji_generator: !!python/name:material.extensions.emoji.to_svg\n")
    site.write("mkdocs.yml", "INHERIT: base.yml\nsite_nmae: typo\nhooks: [!relative x.py]\n")
    assert site.check() == []
    site.write("base.yml", site.read("base.yml").replace("extra:\n", "extra:\n\t"))
    assert place(site.only("LS002")) == ("base.yml", 9, 1)


def test_ls003_missing_front_matter(site):
    site.write(ALPHA, "# Alpha\n\nNo front matter here.\n")
    finding = site.only("LS003")
    assert place(finding) == (ALPHA, 1, 1)
    assert "'---'" in finding.message


def test_ls003_front_matter_that_is_not_a_mapping(site):
    site.write(ALPHA, "---\n- just\n- a list\n---\nbody\n")
    assert place(site.only("LS003")) == (ALPHA, 2, 1)


GUIDE_PAGE = "content/guides/g.md"


@pytest.mark.parametrize(("text", "message"), [
    ("Note: stop the agent first.\n\n# G\n", "MkDocs reads its first line as page field "
                                              "'note'"),
    ("https://example.com/get\n\nText.\n", "field 'https'"),
    ("Owner: ops\nAudience: admins,\n    support\nText\n", "its first 3 lines as page "
                                                           "fields 'owner', 'audience'"),
])
def test_ls016_text_read_as_field(site, text, message):
    site.write(GUIDE_PAGE, text)
    finding = site.only("LS016")
    assert (finding.file, finding.line, finding.severity) == (GUIDE_PAGE, 1, "warning")
    assert message in finding.message


@pytest.mark.parametrize("text", [
    "Title: Help\nHide: toc\n\nText.\n",  # fields MkDocs and Material read: meant
    "\nNote: stop the agent first.\n",  # a blank line first: MkDocs reads no fields
    "# Help\nNote: a colon.\n",
])
def test_ls016_not_raised_for_known_fields_or_lines_mkdocs_shows(site, text):
    site.write(GUIDE_PAGE, text)
    assert site.check() == []


def test_ls017_nav_not_used_in_mkdocs_yml_or_one_it_inherits(site):
    site.write("base.yml", "site_name: Base\nnav:\n  - index.md\n")
    site.write("mkdocs.yml", "INHERIT: base.yml\ndocs_dir: content\n"
               "extra_css: [!ENV [EXTRA_CSS, a.css]]\n")
    finding = site.only("LS017")
    assert (place(finding), finding.severity) == (("base.yml", 2, 1), Severity.WARNING)
    site.write("base.yml", "site_name: Base\n")
    assert site.check() == []


def test_ls004_invalid_config_points_at_the_setting(site):
    site.write("lecosite.yml", "content_dir: content\nduration:\n  min: five\n  max: 15\n")
    finding = site.only("LS004")
    assert place(finding) == ("lecosite.yml", 3, 3)
    assert finding.severity is Severity.ERROR


def test_ls004_unknown_setting_points_at_its_own_line(site):
    site.write("lecosite.yml", "content_dir: content\nduration:\n  min: 5\n  mx: 15\nfoo: 1\n")
    found = site.findings("LS004")
    assert [(f.line, f.message) for f in found] == [(4, "unknown key 'mx'; did you mean 'max'?"),
                                                    (5, "unknown key 'foo'")]
    assert found[0].hint.startswith("Known keys here: min, max.")


def test_ls004_a_plugin_option_in_the_settings_file_is_sent_to_mkdocs_yml(site):
    """An operator who puts the collector's URL in lecosite.yml is told where it goes, not
    'did you mean completion'."""
    site.write("lecosite.yml", "content_dir: content\ncollector: https://x.example/c/\n")
    finding = site.only("LS004")
    assert (finding.line, finding.message) == (
        2, "'collector' is an option of the MkDocs plugin, not a setting of lecosite.yml")
    assert "mkdocs.yml" in finding.hint and "- lecosite:" in finding.hint


def test_ls005_a_setting_written_twice_in_the_settings_file(site):
    """A second 'schema:' block at the end silently wiped the first's required fields."""
    site.write("lecosite.yml", "schema:\n  required: [audience]\nduration:\n  max: 15\n"
                               "schema:\n  fields:\n    product: {type: string}\n")
    finding = site.only("LS005")
    assert (place(finding), finding.severity) == (("lecosite.yml", 5, 1), Severity.ERROR)
    assert finding.message == ("'schema' is written twice (first on line 1): YAML keeps only "
                               "the second")


@pytest.mark.parametrize("folders", ["paths_dir: modules\n", "paths_dir: modules/paths\n",
                                     "modules_dir: paths/\n"])
def test_ls004_modules_and_paths_need_folders_of_their_own(site, folders):
    site.write("lecosite.yml", "content_dir: content\n" + folders)
    finding = site.only("LS004")
    assert place(finding) == ("lecosite.yml", 2, 1)
    assert "must be two folders, neither inside the other" in finding.message


def test_ls004_a_site_field_cannot_replace_a_built_in_one(site):
    """'fields: {owners: {}}' accepted any owners, a title list or a number as version."""
    site.write("lecosite.yml", "schema:\n  fields:\n    product: {type: string}\n"
                               "    owners: {}\n    duration: {type: string}\n")
    found = site.findings("LS004")
    assert [(f.line, f.message) for f in found] == [
        (4, "'owners' is a field lecosite defines: a field of the site's own cannot replace it "
            "(its checks would stop)"),
        (5, "'duration' is a field lecosite defines: a field of the site's own cannot replace "
            "it (its checks would stop)")]
    assert found[0].hint == "Give your field a name of its own (e.g. 'our-owners'), or remove it."


def test_ls004_a_wrong_value_says_what_to_write_in_an_authors_words(site):
    site.write("lecosite.yml", "content_dir: content\nduration:\n  min: six\n")
    assert site.only("LS004").message == "'duration.min' must be a whole number, not text ('six')"


def test_ls004_invalid_config_yaml(site):
    site.write("lecosite.yml", "content_dir: content\nduration: [5, 15\n")
    assert site.only("LS004").file == "lecosite.yml"


@pytest.mark.parametrize(("content", "place", "message", "hint"), [
    ("content_dir: content\nduration:\n\tmin: 5\n", (3, 1), "invalid YAML: a tab, where YAML "
     "needs spaces", "Indent with spaces only: replace the tab on this line with spaces."),
    ("# R\u00e9glages\ncontent_dir: content\n".encode("latin-1"), (1, 4),
     "the file is not UTF-8 text (byte 0xe9)", "Re-save the file with UTF-8 encoding in your "
     "editor."),
    ("content_dir: content\n".encode("utf-16"), (1, 1), 'the file is saved as UTF-16 ("Unicode")',
     "Re-save it as UTF-8: in Notepad, File > Save as > Encoding: UTF-8."),
    ("content_dir content\nmodules_dir: modules\n", (1, 1),
     "invalid YAML: line 1 has no ':' after 'content_dir'", "Write 'content_dir: content'."),
])
def test_ls004_an_unreadable_settings_file_is_said_as_a_content_file_is(site, content, place,
                                                                         message, hint):
    """Not Python's 'utf-8' codec can't decode byte 0xe9 in position 3', at line 1."""
    site.write("lecosite.yml", content)
    finding = site.only("LS004")
    assert (finding.line, finding.col, finding.message, finding.hint) == (*place, message, hint)


def test_ls004_field_that_is_not_json_schema(site):
    site.write("lecosite.yml", """\
        schema:
          fields:
            product: {type: string}
            team: {type: nonsense}
        """)
    site.module("alpha", folder="basics", product="Connect")
    finding = site.only("LS004")
    assert place(finding) == ("lecosite.yml", 4, 5)
    assert "'team'" in finding.message


def test_ls004_required_field_that_does_not_exist(site):
    """A typo in schema.required once crashed the check with a fastjsonschema traceback."""
    site.write("lecosite.yml", "schema:\n  required: [audience, levl]\n")
    site.module("alpha", folder="basics", audience=["admin"])
    finding = site.only("LS004")
    assert place(finding) == ("lecosite.yml", 2, 24)
    assert "'levl'" in finding.message and "did you mean 'level'" in finding.message
    missing = site.only("LS010")  # the valid name stays required: beta has no audience
    assert missing.file.endswith("beta.md") and "'audience'" in missing.message


def test_ls004_passes_for_the_repo_settings(site):
    site.write("lecosite.yml", "content_dir: content\nreview:\n  every: 180\n")
    assert site.check() == []


def test_ls005_duplicate_key_points_at_the_second_one(site):
    site.module("alpha", folder="basics", tags=["one"])
    text = site.read(ALPHA).replace("tags: [one]\n", "tags: [one]\nduration: 10\n")
    site.write(ALPHA, text)
    finding = site.only("LS005")
    assert place(finding) == (ALPHA, *site.at(ALPHA, "duration", nth=1))
    assert f"first on line {site.at(ALPHA, 'duration')[0]}" in finding.message


def test_ls010_missing_field(site):
    site.module("alpha", folder="basics", goal=None)
    finding = site.only("LS010")
    assert place(finding) == (ALPHA, 2, 1)  # the front matter's first key
    assert "'goal'" in finding.message


def test_ls010_missing_nested_field_points_at_its_parent(site):
    site.module("alpha", folder="basics", sources=[{"kind": "docs"}])
    finding = site.only("LS010")
    assert place(finding) == (ALPHA, *site.at(ALPHA, "{kind: docs}"))
    assert "'title'" in finding.message


def test_ls010_site_config_can_require_more(site):
    site.write("lecosite.yml", "schema:\n  required: [level]\n  level: [beginner, expert]\n")
    site.module("beta", folder="basics", prerequisites=["alpha"], level="expert")
    finding = site.only("LS010")
    assert finding.file == ALPHA and "'level'" in finding.message


def test_ls009_escapes_in_double_quotes_that_make_control_characters(site):
    """A Windows path in double quotes became a tab, a line break and a backspace."""
    text = site.read(site.module("alpha", folder="basics"))
    site.write(ALPHA, text.replace("\ntitle:", '\ntitle: "Back up C:\\tallyflow\\new-config"'
                                   "\nx-title:", 1).replace(
        "\nversion:", '\nsummary: "Say \\"hi\\" \\u00e9 C:\\\\temp"\nversion:', 1))
    found = [f for f in site.check() if f.rule in ("LS009", "LS002")]
    assert [(f.rule, place(f)) for f in found] == [
        ("LS009", (ALPHA, *site.at(ALPHA, '"Back up')))]
    assert found[0].message == (
        'in double quotes a backslash starts an escape, so "Back up C:\\tallyflow\\new-config" '
        "holds a tab, line break or other control character")
    site.write(ALPHA, text.replace("\ntitle:", '\ntitle: "Logs in C:\\ProgramData\\Tally"'
                                   "\nx-title:", 1))
    assert "use single quotes" in site.only("LS002").hint


def test_ls011_invalid_value_points_at_the_key(site):
    site.module("alpha", folder="basics", duration="ten")
    finding = site.only("LS011")
    assert place(finding) == (ALPHA, *site.at(ALPHA, "duration:"))
    assert "whole number" in finding.message


def test_ls011_a_pass_mark_written_as_a_percentage_is_turned_into_a_share(site):
    site.path("cert", kind="certification", requires=["basics"], pass_mark=80, valid_for=12)
    finding = site.only("LS011")
    assert finding.message == "'pass_mark' is 80; it must be at most 1"
    assert finding.hint.startswith("Write 80% as 0.8. Certifications: share of check points")


@pytest.mark.parametrize(("written", "message", "hint"), [
    ("{check: 0,8}", "'completion.check' reads '0,8' as the number 0 and a key '8'",
     "Write a decimal point, not a comma: 0.8."),
    ("{check: '0,8'}", "'completion.check' must be a number, not text ('0,8')",
     "Write a decimal point, not a comma: 0.8. Score"),
    ("{check: 85 %}", "'completion.check' must be a number, not text ('85 %')",
     "Write 85% as 0.85. Score"),
])
def test_ls011_a_share_written_as_people_write_numbers(site, written, message, hint):
    """A decimal comma in a {…} mapping splits it into two entries; in quotes it is text."""
    text = site.read(site.module("alpha", folder="basics"))
    site.write(ALPHA, text.replace("\nversion:", f"\ncompletion: {written}\nversion:", 1))
    finding = site.only("LS011")
    assert place(finding) == (ALPHA, *site.at(ALPHA, "check:"))
    assert (finding.message, finding.hint[:len(hint)]) == (message, hint)


def test_ls011_invalid_list_item_points_at_the_item(site):
    site.write(ALPHA, site.read(ALPHA).replace("owners: ['@org/team']",
                                               "owners:\n  - '@org/team'\n  - nobody"))
    assert place(site.only("LS011")) == (ALPHA, *site.at(ALPHA, "nobody"))


@pytest.mark.parametrize(("field", "written", "message"), [
    ("review_by", "2027-4-1", "'review_by' is '2027-4-1', which is not written YYYY-MM-DD: "
     "write 2027-04-01"),
    ("review_by", "25/03/2027", "'review_by' is '25/03/2027', which is not written "
     "YYYY-MM-DD: write 2027-03-25"),
    ("last_reviewed", "12/03/2026", "'last_reviewed' is '12/03/2026', which is 12 March where "
     "the day comes first, and December 3 where the month does: write 2026-03-12 or "
     "2026-12-03 (YYYY-MM-DD), whichever is meant"),
    ("owners", ["@jane.doe"], "'owners[1]' is '@jane.doe', which is no GitHub handle: a "
     "handle has only letters, digits and '-', no '.'; write the handle as GitHub shows it "
     "(e.g. '@jane-doe'), or the person's e-mail address (e.g. jane.doe@example.com)"),
    ("owners", ["jane"], "'owners[1]' is 'jane', which needs an '@' in front to be a GitHub "
     "handle: write '@jane'"),
    ("video", {"src": "https://youtu.be/dQw4w9WgXcQ", "captions": [{"lang": "en_US"}]},
     "'video.captions[1].lang' is 'en_US', which is not a language tag as players read it: "
     "write en-US"),
    ("id", "Alpha", "'id' is 'Alpha', which is not an id (lowercase letters, digits and "
     "'-'): write alpha"),
    ("version", "1.0", "'version' is '1.0', which is not MAJOR.MINOR.PATCH: write 1.0.0"),
])
def test_ls011_a_value_in_the_wrong_form_says_what_to_write(site, field, written, message):
    """'which is not in the expected form' left an author to guess the form."""
    site.module("alpha", folder="basics", **{field: written})
    assert site.only("LS011").message == message


@pytest.mark.parametrize(("written", "message"), [
    ("maria.lopez@tallyflow.example\u200b", "is 'maria.lopez@tallyflow.example[zero-width "
     "space]': delete the zero-width space (U+200B) at the end"),
    ("maria.lopez@tallyflow.example\u00a0", "is 'maria.lopez@tallyflow.example[non-breaking "
     "space]': delete the non-breaking space (U+00A0) at the end"),
    ("mailto:maria@tallyflow.example", "is 'mailto:maria@tallyflow.example', which is a mail "
     "link: write maria@tallyflow.example, without mailto:"),
    ("evil<i>X</i>@x.example", "is 'evil<i>X</i>@x.example', which is not an e-mail "
     "address: an address has no '<' (nor spaces, quotes or HTML); write it alone, e.g. "
     "name@example.com"),
    ("Maria Lopez <maria@tallyflow.example>", "is 'Maria Lopez <maria@tallyflow.example>', "
     "which is a name and an address: write the address alone, maria@tallyflow.example"),
    ("@acme/team, @other/x", "is '@acme/team, @other/x', which is 2 owners in one: write "
     "each as an item of its own: [\"@acme/team\", \"@other/x\"]"),
])
def test_ls011_an_owner_that_is_no_address_github_matches(site, written, message):
    """An invisible character, 'mailto:' or HTML passed as an e-mail address and went into
    CODEOWNERS, where GitHub matches no one; a list in one item was read as an e-mail."""
    site.module("alpha", folder="basics", owners=[written])
    assert site.only("LS011").message == f"'owners[1]' {message}"
    site.write("content/modules/basics/_defaults.yml", f"owners: ['{written}']\n")
    site.module("alpha", folder="basics", owners=None)
    finding = site.only("LS011")
    assert (finding.file, finding.message) == ("content/modules/basics/_defaults.yml",
                                               f"'owners[1]' {message}")


def test_ls011_an_odd_space_at_the_end_of_an_id_is_to_be_deleted(site):
    """Ids hold no spaces: 'type a plain space instead' was the wrong fix."""
    site.module("alpha", folder="basics", id="alpha\u00a0")
    assert site.only("LS011").message == ("'id' is 'alpha[non-breaking space]': delete the "
                                          "non-breaking space (U+00A0) at the end")


@pytest.mark.parametrize(("field", "written", "message"), [
    # a plain space would not do either: the value meant is named
    ("status", "in\u00a0review", "'status' is 'in review', which is not one of: draft, review, "
     "published, deprecated, retired; did you mean 'review'?"),
    ("status", "Draft\u00a0", "'status' is 'Draft ', which is not one of: draft, review, "
     "published, deprecated, retired; did you mean 'draft'?"),
    ("level", "intro\u00a0ductory", "'level' is 'intro[non-breaking space]ductory': delete "
     "the non-breaking space (U+00A0) in it"),
    ("status", "re\u200bview", "'status' is 're[zero-width space]view': delete the zero-width "
     "space (U+200B) in it"),
    # a value of the site's own with a space in it: there a plain space is the fix
    ("level", "Getting\u00a0started", "'level' is 'Getting[non-breaking space]started': type "
     "a plain space in place of the non-breaking space (U+00A0)"),
])
def test_ls011_an_odd_space_inside_a_choice_names_the_fix_that_makes_it_valid(
        site, field, written, message):
    """'type a plain space instead' was the hint for 'in\\u00a0review', which a plain space
    leaves invalid; for 're\\u200bview' the message read "is 'review', which is not one of:
    …, review, …"."""
    site.write("lecosite.yml", site.read("lecosite.yml")
               + "schema:\n  level: [introductory, Getting started]\n")
    site.module("alpha", folder="basics", **{field: written})
    assert site.only("LS011").message == message


def test_ls011_impossible_date(site):
    site.module("alpha", folder="basics", review_by="2026-02-30")
    finding = site.only("LS011")
    assert place(finding) == (ALPHA, *site.at(ALPHA, "review_by"))
    assert "not a real date" in finding.message


@pytest.mark.parametrize("months", [100000, 999999, 100000000])
def test_ls011_a_certificate_valid_for_ever_has_an_upper_limit(site, months):
    """valid_for: 100000000 passed, and the certificate page's script then threw (Invalid
    time value): the certificate never showed; 100000 showed 'Valid until +010360-03'."""
    site.path("cert", kind="certification", requires=["basics"], pass_mark=0.8,
              valid_for=months)
    finding = site.only("LS011")
    assert place(finding) == ("content/paths/cert.yml", *site.at("content/paths/cert.yml",
                                                                 "valid_for"))
    assert finding.message == f"'valid_for' is {months}; it must be at most 1200"
    assert "for one meant to last, write 1200" in finding.hint
    site.path("cert", kind="certification", requires=["basics"], pass_mark=0.8, valid_for=1200)
    assert site.check() == []


def test_ls011_passes_for_site_narrowed_values(site):
    site.write("lecosite.yml", "schema:\n  audience: [admin]\n")
    site.module("alpha", folder="basics", audience=["admin"])
    assert site.check() == []
    site.module("alpha", folder="basics", audience=["learner"])
    assert place(site.only("LS011")) == (ALPHA, *site.at(ALPHA, "learner"))


def test_ls012_unknown_key_suggests_the_right_one(site):
    site.module("alpha", folder="basics", objective=["Typo."])
    finding = site.only("LS012")
    assert place(finding) == (ALPHA, *site.at(ALPHA, "objective:"))
    assert "did you mean 'objectives'" in finding.message


def test_ls012_a_misspelt_required_key_is_not_also_missing(site):
    """'durations:' was reported twice: as an unknown key, and as 'duration' missing."""
    text = site.read(ALPHA)
    for key, written in [("duration", "durations"), ("goal", "Goal"), ("owners", "owner"),
                         ("objectives", "objective")]:
        site.write(ALPHA, text.replace(f"\n{key}:", f"\n{written}:"))
        findings = site.check()
        assert [(f.rule, place(f), f.message) for f in findings] == [
            ("LS012", (ALPHA, *site.at(ALPHA, f"{written}:")),
             f"unknown key '{written}'; did you mean '{key}'?")]
    site.write(BASICS, site.read(BASICS).replace("kind:", "kinds:"))
    assert [(f.rule, f.file) for f in site.check()] == [("LS012", ALPHA), ("LS012", BASICS)]
    site.path("basics", modules=["alpha", "beta"])
    # Only a key at the top is held back: a deeper one may be in another of a list's mappings
    site.module("alpha", folder="basics", title=None,
                sources=[{"kind": "docs", "titel": "The manual"}])
    assert {(f.rule, f.message) for f in site.check()} == {
        ("LS010", "the module has no 'title'"),
        ("LS010", "'sources[1]' has no 'title'"),
        ("LS012", "unknown key 'titel'; did you mean 'title'?")}


def test_ls012_nested_unknown_key_names_only_that_places_keys(site):
    """Site fields are top-level keys: the hint under 'video:' must not suggest them."""
    site.module("alpha", folder="basics", video={"src": "https://youtu.be/abc", "colour": "red"})
    finding = site.only("LS012")
    assert finding.message == "unknown key 'colour'"
    assert finding.hint.startswith("Known keys here: captions,") and "schema" not in finding.hint


def test_ls012_passes_for_site_declared_fields(site):
    site.write("lecosite.yml", "schema:\n  fields:\n    product: {type: string}\n")
    site.module("alpha", folder="basics", product="Connect")
    assert site.check() == []


def test_ls007_text_cut_by_a_comment(site):
    site.module("alpha", folder="basics", title="PLACE", objectives=["Open the ports."])
    text = site.read(ALPHA).replace("title: PLACE", 'title: Fix "sync" error #1234 today')
    site.write(ALPHA, text.replace("objectives: [Open the ports.]",
                                   "objectives:\n  - Open the ports. #2\n  # a comment"))
    found = site.findings("LS007")
    assert [place(f) for f in found] == [(ALPHA, *site.at(ALPHA, "Fix")),
                                         (ALPHA, *site.at(ALPHA, "Open the ports"))]
    assert found[0].message == "the text after ' #' is left out: YAML reads '#1234 today' as a " \
        "comment"
    assert found[0].hint == 'Put the whole value in double quotes: "Fix \\"sync\\" error ' \
        '#1234 today"'
    assert found[0].severity is Severity.WARNING


def test_ls007_in_a_changelog_quotes_the_text_not_the_version(site):
    """Quoting the whole '1.3.0: …' line, as the hint said, made it text: an LS011 error."""
    site.module("alpha", folder="basics", version="1.3.0")
    site.write(ALPHA, site.read(ALPHA).replace(
        "version: 1.3.0\n", "version: 1.3.0\nchangelog:\n  - 1.3.0: Added checks (ticket #412).\n"))
    assert site.only("LS007").hint == ('Put the whole value in double quotes: "Added checks '
                                       '(ticket #412)."')
    site.write(ALPHA, site.read(ALPHA).replace("Added checks (ticket #412).",
                                               '"Added checks (ticket #412)."'))
    assert site.check() == []


def test_ls007_passes_for_comments_and_quoted_text(site):
    site.module("alpha", folder="basics", title="Fix error #1234")  # dumped quoted
    site.write(ALPHA, site.read(ALPHA).replace("duration:", "# note\nduration:", 1)
               .replace("duration: 8", "duration: 8   # minutes"))
    assert site.check() == []


def test_ls008_a_dash_line_indented_too_far_is_joined_to_the_line_above(site):
    site.module("alpha", folder="basics", title="PLACE", objectives=["PLACE"])
    text = site.read(ALPHA).replace("objectives: [PLACE]", "objectives:\n  - Open the ports.\n"
                                    "   - Check the proxy.\n  - Ask - then act.")
    site.write(ALPHA, text.replace("title: PLACE", "title: Ports\n  - and proxies"))
    found = site.findings("LS008")
    assert [place(f) for f in found] == [(ALPHA, *site.at(ALPHA, "- and")),
                                         (ALPHA, *site.at(ALPHA, "- Check"))]
    assert found[1].message == ("this '- ' line does not start an item: YAML joins it to the "
                                "text above, 'Open the ports. - Check the proxy.'")
    assert found[1].hint.startswith("Line this '-' up with the '-' above it")
    assert found[0].hint.startswith("'title' holds one text, not a list: remove this '- '")
    assert found[0].severity is Severity.WARNING


def test_ls008_ids_joined_into_one_are_one_error(site):
    """Two ids joined make no id: the value is invalid, and the joined line is the one mistake
    to fix. No LS011 that suggests 'alpha-beta', no unknown module, no module in no path."""
    site.module("gamma", folder="basics")
    site.write(BASICS, "id: basics\ntitle: Basics\nkind: course\nsummary: The course.\n"
               "goal: Learners finish it.\nowners: ['@org/team']\nversion: 1.0.0\nsections:\n"
               "  - title: Start\n    modules:\n    - alpha\n    - beta\n     - gamma\n")
    site.module("gamma", folder="basics", prerequisites=["PLACE"])
    gamma = "content/modules/basics/gamma.md"
    site.write(gamma, site.read(gamma).replace("prerequisites: [PLACE]",
                                               "prerequisites:\n- alpha\n - beta"))
    found = site.check()
    assert [(place(f), f.rule, f.severity, f.hint) for f in found] == [
        ((gamma, *site.at(gamma, "- beta")), "LS008", Severity.ERROR,
         "Line this '-' up with the '-' above it to start an item of its own."),
        ((BASICS, *site.at(BASICS, "- gamma")), "LS008", Severity.ERROR,
         "Line this '-' up with the '-' above it to start an item of its own.")]
    assert found[1].message == ("this '- ' line does not start an item: YAML joins it to the "
                                "text above, 'beta - gamma', which is not a valid value there")


def test_ls008_passes_for_items_in_line_and_dashes_inside_text(site):
    site.module("alpha", folder="basics", objectives=["PLACE"], title="PLACE")
    text = site.read(ALPHA).replace("objectives: [PLACE]", "objectives:\n  - Ask - then act.\n"
                                    "  - |\n    - a list\n     - in a block\n  - \"Quoted\n"
                                    "     - too\"")
    site.write(ALPHA, text.replace("title: PLACE", "title: Ports - and\n  proxies"))
    assert site.check() == []


def test_ls013_duplicate_module_id_is_reported_on_both_files(site):
    other = site.module("alpha", folder="advanced")  # sorts first: read first
    site.module("beta", folder="basics", prerequisites=["alpha"],
                body="# Heading\n\nFirst see [Alpha](alpha.md).\n")
    found = [f for f in site.check() if f.rule == "LS013"]
    assert sorted(place(f) for f in found) == sorted([(other, 2, 1), (ALPHA, 2, 1)])
    assert {f.message.rpartition(" ")[2] for f in found} == {ALPHA, other}
    assert "learners already know" in found[0].hint
    # Links to either file still resolve: no false "not found".
    assert [f for f in site.check() if f.rule == "LS403"] == []


def test_ls013_duplicate_path_id(site):
    other = site.write("content/paths/zz-copy.yml", site.read(BASICS))
    found = [f for f in site.check() if f.rule == "LS013"]
    assert sorted(place(f) for f in found) == sorted([(other, 1, 1), (BASICS, 1, 1)])
    assert BASICS in found[1].message and other in found[0].message


def test_ls013_each_holder_of_an_id_gets_its_own_findings(site):
    """Which holder the site keeps follows the order files are read in, which says nothing of
    which is the copy: a problem in either file is reported in that file."""
    site.path("basics", modules=[])
    copy = site.write("content/paths/basics.yaml", site.read(BASICS))  # read first
    site.module("gamma", folder="basics", body="# Gamma\n\nSee [it](gone.md).\n")
    twin = site.module("gamma", folder="advanced", body="# Gamma\n\nSee [it](lost.md).\n")
    site.path("more", modules=["alpha", "beta", "gamma"])
    found = [f for f in site.check() if f.rule != "LS013"]
    assert sorted((place(f), f.rule) for f in found) == sorted([
        ((BASICS, *site.at(BASICS, "modules:")), "LS203"),
        ((copy, *site.at(copy, "modules:")), "LS203"),
        (("content/modules/basics/gamma.md", *site.at("content/modules/basics/gamma.md",
                                                      "[it]")), "LS403"),
        ((twin, *site.at(twin, "[it]")), "LS403")])


def test_ls014_path_id_must_be_its_file_name(site):
    renamed = site.write("content/paths/onboarding-plan.yml", site.read(BASICS))
    site.remove(BASICS)
    finding = site.only("LS014")
    assert place(finding) == (renamed, 1, 1)
    assert finding.hint == ("Rename the file to basics.yml, or change the id to "
                            "'onboarding-plan' and every path that requires it.")


def test_ls014_does_not_suggest_a_file_name_that_is_no_id(site):
    renamed = site.module("connect check ports 2", folder="advanced", id="delta")
    finding = site.only("LS014")
    assert (finding.file, finding.hint) == (renamed, "Rename the file to delta.md.")


def test_ls013_a_path_may_not_take_a_modules_id(site):
    site.write("content/paths/alpha.yml", site.read(BASICS).replace("id: basics", "id: alpha"))
    finding = site.only("LS013")
    assert (finding.file, finding.message) == (
        "content/paths/alpha.yml", f"path id 'alpha' is also a module's id ({ALPHA})")


def test_ls014_module_id_must_be_its_file_name(site):
    renamed = site.module("gamma", folder="basics", id="gama")
    finding = site.only("LS014")
    assert place(finding) == (renamed, 2, 1)
    assert "'gama'" in finding.message and "'gamma'" in finding.message
    assert "gama.md" in finding.hint


def test_ls014_on_a_copy_asks_for_a_new_id_not_the_name_of_the_original(site):
    copy = site.write("content/modules/basics/alpha-v2.md", site.read(ALPHA))
    finding = site.only("LS014", [f for f in site.check() if f.file == copy])
    assert finding.hint == ("alpha.md is the file beside it; a copy needs an id of its own: "
                            "change the id to 'alpha-v2'.")


def test_ls014_on_a_copy_in_another_folder_names_the_original(site):
    """Renaming the copy to the id's name would take the original's name: the id changes."""
    copy = site.write("content/modules/advanced/alpha-v2.md", site.read(ALPHA))
    finding = site.only("LS014", [f for f in site.check() if f.file == copy])
    assert finding.hint == (f"{ALPHA} has that name; a copy needs an id of its own: "
                            "change the id to 'alpha-v2'.")


def test_ls014_leaves_a_malformed_id_to_ls011(site):
    site.module("gamma", folder="basics", id="Gamma")
    findings = site.check()
    assert "LS011" in {f.rule for f in findings} and "LS014" not in {f.rule for f in findings}


# -- references (LS1xx) --------------------------------------------------------------------


def test_ls101_unknown_prerequisite_points_at_the_list_item(site):
    site.module("beta", folder="basics", prerequisites=["alpha", "alpah"])
    finding = site.only("LS101")
    assert place(finding) == (BETA, *site.at(BETA, "alpah"))
    assert "Did you mean 'alpha'" in finding.hint


def test_ls101_block_list_item(site):
    site.write(BETA, site.read(BETA).replace("prerequisites: [alpha]",
                                             "prerequisites:\n  - alpha\n  - nope"))
    assert place(site.only("LS101")) == (BETA, *site.at(BETA, "nope"))


def test_ls101_a_prerequisite_written_as_a_title_names_the_id(site):
    """Authors copy the title they see on the page, not the id in the front matter."""
    site.module("beta", folder="basics", prerequisites=["Alpha"])
    assert site.only("LS101").hint == ("Use the id: value of an existing module. 'Alpha' is "
                                       "the title of module 'alpha': write its id instead.")


def test_ls103_a_module_whose_own_id_is_invalid_is_not_suggested(site):
    """'Did you mean 'Alpha'?' would send the path's author to copy an id that is itself an
    error (LS011 on the module)."""
    site.write(ALPHA, site.read(ALPHA).replace("id: alpha", "id: Alpha"))
    site.path("basics", modules=["alph", "beta"])
    finding = next(f for f in site.check() if f.rule == "LS103")
    assert finding.hint == "Use the id: value of an existing module."


def test_ls103_a_module_whose_own_id_is_invalid_is_its_one_error(site):
    """'id: Alpha' in alpha.md made the path's 'alpha' unknown (LS103), beta's prerequisite
    unknown (LS101) and alpha an orphan (LS204): three knock-ons of one LS011."""
    site.write(ALPHA, site.read(ALPHA).replace("id: alpha", "id: Alpha"))
    assert [(f.rule, f.file) for f in site.check()] == [("LS011", ALPHA)]


def test_ls103_a_zero_width_space_in_an_entry_is_shown_and_said_once(site):
    """Quoted as it is, 'al\u200bpha' reads 'alpha': the message shows the character, and
    the schema's LS011 at the same place (and beta's LS204) are left out."""
    site.path("basics", modules=["al\u200bpha", "beta"])
    finding = site.only("LS103")
    assert [f.rule for f in site.check()] == ["LS103"]
    assert finding.message == "module 'al[zero-width space]pha' does not exist"
    assert finding.hint == ("Use the id: value of an existing module. It has a zero-width "
                            "space in it, shown as [zero-width space]: delete it. Then it "
                            "reads 'alpha'.")
    assert place(finding) == (BASICS, *site.at(BASICS, "al\u200bpha"))


def test_ls103_an_odd_space_at_the_end_of_an_entry_is_no_file_name(site):
    """'mod-a\u00a0' was taken for a file name ('\'alpha \' is a file name'), and ids, which
    hold no spaces, were told to 'type a plain space instead'."""
    site.path("basics", modules=["alpha\u00a0", "beta"])
    assert site.only("LS103").hint == (
        "Use the id: value of an existing module. It has a non-breaking space at the end, "
        "shown as [non-breaking space]: delete it. Then it reads 'alpha'.")


def test_ls103_an_invalid_id_is_fixed_as_its_ls011_says_without_a_knock_on(site):
    """'id: alphé' was told to become 'alph', and a path listing that was then told 'alph'
    does not exist; the path's entry follows the module's id, whose own error is the one."""
    site.write(ALPHA, site.read(ALPHA).replace("id: alpha", "id: alphé"))
    assert site.only("LS011").message == ("'id' is 'alphé', which is not an id (lowercase "
                                          "letters, digits and '-'): write alphe")
    site.path("basics", modules=["alphe", "beta"])
    site.module("beta", folder="basics", prerequisites=["alphe"])
    assert [(f.rule, f.file) for f in site.check()] == [("LS011", ALPHA)]


def test_ls011_an_invalid_id_listed_as_it_is_is_said_once_at_the_id(site):
    """A path and a prerequisite listing 'Alpha!', alpha's own invalid id, each had an LS011
    of its own for the one mistake; alpha's did not say that they must change with it."""
    site.write(ALPHA, site.read(ALPHA).replace("id: alpha", "id: Alpha!"))
    site.path("basics", modules=["Alpha!", "beta"])
    site.module("beta", folder="basics", prerequisites=["Alpha!"])
    finding = site.only("LS011")
    assert [(f.rule, f.file) for f in site.check()] == [("LS011", ALPHA)]
    assert finding.message == ("'id' is 'Alpha!', which is not an id (lowercase letters, "
                               "digits and '-'): write alpha")
    (path_line, path_col), (beta_line, beta_col) = (site.at(BASICS, "Alpha!"),
                                                    site.at(BETA, "Alpha!"))
    assert finding.hint.endswith(
        f". Then write the new id where this one is listed: {BETA}:{beta_line}:{beta_col}, "
        f"{BASICS}:{path_line}:{path_col}.")


def test_ls101_a_title_or_file_name_as_prerequisite_is_said_once(site):
    """LS011 ('not in the expected form') and LS101 at the same place said one slip twice."""
    site.module("beta", folder="basics", prerequisites=["Alpha"])
    assert [f.rule for f in site.check()] == ["LS101"]
    site.module("beta", folder="basics", prerequisites=["alpha.md"])
    finding = site.only("LS101")
    assert [f.rule for f in site.check()] == ["LS101"]
    assert finding.hint.endswith("'alpha.md' is a file name: write the id 'alpha' instead.")


def test_ls103_a_typo_in_a_path_does_not_make_the_module_meant_an_orphan(site):
    site.path("basics", modules=["alpha", "betta"])
    assert [f.rule for f in site.check()] == ["LS103"]


def test_ls102_prerequisite_cycle(site):
    site.module("alpha", folder="basics", prerequisites=["beta"])
    finding = site.only("LS102")
    assert place(finding) == (BETA, *site.at(BETA, "alpha]"))
    assert finding.message == "prerequisites form a cycle: alpha → beta → alpha"


def test_ls102_points_at_the_cyclic_item_not_an_earlier_unknown_one(site):
    site.module("alpha", folder="basics", prerequisites=["beta"])
    site.module("beta", folder="basics", prerequisites=["nope", "alpha"])
    assert place(site.only("LS102")) == (BETA, *site.at(BETA, "alpha]"))


def test_ls102_self_prerequisite(site):
    site.module("alpha", folder="basics", prerequisites=["alpha"])
    assert place(site.only("LS102")) == (ALPHA, *site.at(ALPHA, "alpha]"))


def test_ls103_unknown_module_in_path(site):
    site.path("basics", modules=["alpha", "beta", "betta"])
    finding = site.only("LS103")
    assert place(finding) == (BASICS, *site.at(BASICS, "betta"))
    assert "Did you mean 'beta'" in finding.hint


def test_ls103_in_a_section(site):
    site.write(BASICS, """\
        id: basics
        title: Basics
        kind: course
        summary: The basics.
        goal: Learners finish basics.
        owners: ['@org/team']
        version: 1.0.0
        sections:
          - title: Start
            modules: [alpha]
          - title: Next
            modules:
              - beta
              - gamma
        """)
    assert place(site.only("LS103")) == (BASICS, 14, 9)


def test_ls104_prerequisite_after_dependant(site):
    site.path("basics", modules=["beta", "alpha"])
    finding = site.only("LS104")
    assert place(finding) == (BASICS, *site.at(BASICS, "beta,"))
    assert "'beta' comes before its prerequisite 'alpha'" in finding.message


def test_ls104_waits_for_a_prerequisite_cycle(site):
    """Two modules that need each other have no right order: 'Move beta above alpha' beside
    the cycle would be followed by 'Move alpha above beta'. A module outside the cycle
    still comes before a prerequisite however the cycle is broken."""
    site.module("alpha", folder="basics", prerequisites=["beta"])
    site.module("gamma", folder="basics", prerequisites=["beta"])
    site.path("basics", modules=["gamma", "alpha", "beta"])
    findings = site.check()
    assert [(f.rule, place(f)) for f in findings] == [
        ("LS102", (BETA, *site.at(BETA, "alpha]"))),
        ("LS104", (BASICS, *site.at(BASICS, "gamma")))]
    assert findings[1].hint == "Move 'beta' above 'gamma' in this path."


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_unreadable_module_is_reported_once_not_in_every_file_that_names_it(site, jobs):
    """Its own finding says what is wrong; prerequisites, paths and links naming it must not
    add 'unknown id' or 'not found' errors about a file that is there."""
    site.module("gamma", folder="basics", prerequisites=["alpha"],
                body="See [alpha](alpha.md).\n")
    many = [f"m{n:03d}" for n in range(PARALLEL_MIN if jobs > 1 else 0)]  # for the workers
    for mid in many:
        site.module(mid, folder="many")
    site.path("basics", modules=["alpha", "beta", "gamma", *many])
    site.write(ALPHA, site.read(ALPHA).replace("---\n\n", "\n\n", 1))  # front matter open
    result = check_project(site.root, today=site.today, jobs=jobs)
    found = {(f.rule, f.file) for f in result.findings if f.severity is Severity.ERROR}
    assert found == {("LS003", ALPHA)}


def test_a_large_site_runs_the_link_rules_beside_the_others_with_the_same_findings(
        site, monkeypatch):
    """On a site large enough, the link and video rules run in a forked copy; its findings
    come back whole, and a copy that fails leaves its rules to this process."""
    forks: list[int] = []
    os.register_at_fork(before=lambda: forks.append(1))
    # Other tests leave threads in this process (servers, Playwright's); the CLI has none.
    monkeypatch.setattr("lecosite.check.threading.active_count", lambda: 1)
    site.module("gamma", folder="basics", prerequisites=["no-such-module"],
                body="See [the steps](no-such-file.md) and ![](missing.png).\n")
    many = [f"m{n:03d}" for n in range(PARALLEL_MIN)]
    for mid in many:
        site.module(mid, folder="many")
    site.path("basics", modules=["alpha", "beta", "gamma", *many])

    def found(jobs: int) -> list[tuple]:
        result = check_project(site.root, today=site.today, jobs=jobs)
        return [(f.file, f.line, f.col, f.rule, f.message, f.hint) for f in result.findings]

    alone = found(1)
    assert {"LS101", "LS402", "LS403"} <= {rule for _, _, _, rule, _, _ in alone}
    assert forks == []
    assert found(2) == alone
    assert len(forks) >= 2  # the loading worker and the rules' copy
    parent, run = os.getpid(), rules.run

    def failing_in_the_copy(*args):
        if os.getpid() != parent:
            raise RuntimeError("the copy fails")
        return run(*args)

    monkeypatch.setattr(rules, "run", failing_in_the_copy)
    assert found(2) == alone
    # A rule that fails here leaves no copy behind (a zombie) and no pipe open.
    monkeypatch.setattr(rules, "run", run)
    open_before = len(os.listdir("/proc/self/fd"))
    monkeypatch.setattr(REGISTRY["LS101"], "check", lambda *args: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        found(2)
    assert len(os.listdir("/proc/self/fd")) == open_before
    assert not [pid for pid in os.listdir("/proc") if pid.isdigit() and _zombie_child(pid)]


def _zombie_child(pid: str) -> bool:
    try:
        stat = (Path("/proc") / pid / "stat").read_text()
    except OSError:
        return False
    state, parent = stat.rsplit(")", 1)[1].split()[:2]
    return state == "Z" and int(parent) == os.getpid()


def test_ls105_unknown_requirement(site):
    site.path("cert", kind="certification", requires=["basics", "basix"], pass_mark=0.8,
              valid_for=24)
    cert = "content/paths/cert.yml"
    finding = site.only("LS105")
    assert place(finding) == (cert, *site.at(cert, "basix"))
    assert "Did you mean 'basics'" in finding.hint


def test_ls105_path_requiring_itself(site):
    site.path("cert", kind="certification", requires=["alpha", "cert"], pass_mark=0.8,
              valid_for=24)
    cert = "content/paths/cert.yml"
    assert place(site.only("LS105")) == (cert, *site.at(cert, "cert]"))


def test_ls105_certifications_requiring_each_other(site):
    site.path("cert-a", kind="certification", requires=["cert-b"], pass_mark=0.8,
              valid_for=24)
    site.path("cert-b", kind="certification", requires=["basics", "cert-a"], pass_mark=0.8,
              valid_for=24)
    found = sorted((f.file, f.line, f.message) for f in site.check() if f.rule == "LS105")
    a, b = "content/paths/cert-a.yml", "content/paths/cert-b.yml"
    assert found == [
        (a, site.at(a, "cert-b]")[0], "'cert-b' requires this path in turn, so neither can be "
                                      "finished"),
        (b, site.at(b, "cert-a]")[0], "'cert-a' requires this path in turn, so neither can be "
                                      "finished"),
    ]


def test_ls105_a_circle_of_three_certifications_is_said_as_it_goes(site):
    for name, required in (("cert-a", "cert-b"), ("cert-b", "cert-c"), ("cert-c", "cert-a")):
        site.path(name, kind="certification", requires=[required], pass_mark=0.8, valid_for=24)
    found = sorted((f.file, f.message) for f in site.check() if f.rule == "LS105")
    assert found == [
        ("content/paths/cert-a.yml", "'cert-b' requires 'cert-c', which requires this path in "
                                     "turn, so none of them can be finished"),
        ("content/paths/cert-b.yml", "'cert-c' requires 'cert-a', which requires this path in "
                                     "turn, so none of them can be finished"),
        ("content/paths/cert-c.yml", "'cert-a' requires 'cert-b', which requires this path in "
                                     "turn, so none of them can be finished"),
    ]


def test_ls106_module_replacing_itself(site):
    old = site.module("gamma", status="retired", replaced_by="gamma")
    finding = site.only("LS106")
    assert (finding.file, finding.message) == (old, "a module cannot replace itself")


def test_ls106_unknown_replacement(site):
    old = site.module("gamma", status="retired", replaced_by="alpah")
    finding = site.only("LS106")
    assert place(finding) == (old, *site.at(old, "replaced_by"))


def test_ls106_replacement_retired_itself(site):
    site.module("delta", status="retired")
    old = site.module("gamma", status="retired", replaced_by="delta")
    assert place(site.only("LS106")) == (old, *site.at(old, "replaced_by"))


def test_ls106_replacements_in_a_circle(site):
    """Two deprecated modules naming each other passed: a learner sent on went round."""
    site.module("gamma", folder="basics", status="deprecated", replaced_by="delta")
    site.module("delta", folder="basics", status="deprecated", replaced_by="epsilon")
    site.module("epsilon", folder="basics", status="deprecated", replaced_by="gamma")
    site.path("basics", modules=["alpha", "beta", "gamma", "delta", "epsilon"])
    finding = site.only("LS106")
    delta = "content/modules/basics/delta.md"
    assert place(finding) == (delta, *site.at(delta, "replaced_by"))
    assert finding.message == ("replacements go round in a circle: delta → epsilon → gamma → "
                               "delta, so learners sent on never reach a module that is taught")
    site.module("epsilon", folder="basics", status="deprecated", replaced_by="alpha")
    assert site.findings("LS106") == []


def test_ls106_passes_for_a_live_replacement(site):
    site.module("gamma", status="retired", replaced_by="alpha")
    assert site.check() == []


def test_ls108_unpublished_replacement(site):
    site.module("gamma", folder="basics", status="draft")
    site.module("old", folder="basics", status="retired", replaced_by="gamma")
    site.module("sketch", folder="basics", status="draft", replaced_by="gamma")
    finding = site.only("LS108")
    old = "content/modules/basics/old.md"
    assert place(finding) == (old, *site.at(old, "replaced_by:"))
    assert finding.severity is Severity.WARNING


def test_ls109_a_deprecated_module_names_its_replacement(site):
    site.module("alpha", folder="basics", status="deprecated")
    finding = site.only("LS109")
    assert place(finding) == (ALPHA, *site.at(ALPHA, "status"))
    assert finding.severity is Severity.WARNING


def test_ls109_a_module_still_taught_has_no_replacement(site):
    site.module("alpha", folder="basics", replaced_by="beta")
    finding = site.only("LS109")
    assert place(finding) == (ALPHA, *site.at(ALPHA, "replaced_by"))
    assert finding.message == "replaced_by is set but the module is published"


def test_ls109_passes_for_a_retired_module_without_successor(site):
    site.module("alpha", folder="basics", status="retired")
    site.module("beta", folder="basics")  # no longer asks for alpha first (else LS110)
    site.path("basics", modules=["beta"])
    assert site.check() == []


def test_ls107_repeated_module_in_path(site):
    site.path("basics", modules=["alpha", "beta"])
    site.write(BASICS, site.read(BASICS).replace("modules: [alpha, beta]",
                                                 "modules:\n- alpha\n- beta\n- alpha"))
    finding = site.only("LS107")
    assert place(finding) == (BASICS, *site.at(BASICS, "- alpha", nth=1)[:1], 3)


# -- paths (LS2xx) -------------------------------------------------------------------------


def test_ls201_unpublished_module_in_published_path(site):
    site.module("alpha", folder="basics", status="draft")
    finding = site.only("LS201")
    assert place(finding) == (BASICS, *site.at(BASICS, "alpha"))
    assert "draft" in finding.message


def test_ls201_passes_for_a_draft_path(site):
    site.module("alpha", folder="basics", status="draft")
    site.module("beta", folder="basics")  # not asking for the draft first (LS110)
    site.path("basics", modules=["alpha", "beta"], status="draft")
    assert [f.rule for f in site.check()] == ["LS204"]  # beta is published: in no path shown


def test_ls201_a_retired_module_without_successor_is_removed_from_the_path(site):
    site.module("alpha", folder="basics", status="retired")
    assert site.only("LS201").hint == "Remove it from the path (it names no replacement)."
    site.module("gamma", folder="basics")
    site.module("alpha", folder="basics", status="retired", replaced_by="gamma")
    assert site.only("LS201").hint == "Replace it with 'gamma'."


def test_ls201_ls202_do_not_offer_a_replacement_that_leads_back(site):
    """"Replace it with 'alpha'" was said of alpha itself, and of a circle of two."""
    site.module("alpha", folder="basics", status="retired", replaced_by="alpha")
    assert site.findings("LS201")[0].hint == "Remove it from the path (it names no replacement)."
    site.module("alpha", folder="basics", status="deprecated", replaced_by="gamma")
    site.module("gamma", folder="basics", status="deprecated", replaced_by="alpha")
    site.path("more", modules=["gamma"])
    assert {f.hint for f in site.findings("LS202")} == {"Replace it before it is retired."}
    site.module("gamma", folder="basics")
    assert site.only("LS202").hint == "Replace it with 'gamma' before it is retired."


def test_ls201_a_published_certification_requires_only_published_content(site):
    site.module("gamma", folder="basics", status="draft")
    site.path("second", modules=["beta"], status="draft")
    site.path("cert", kind="certification", requires=["basics", "gamma", "second"],
              pass_mark=0.8, valid_for=12)
    cert = "content/paths/cert.yml"
    found = [f for f in site.check() if f.rule == "LS201"]
    assert [place(f) for f in found] == [(cert, *site.at(cert, "gamma")),
                                         (cert, *site.at(cert, "second"))]
    assert found[0].message == ("required module 'gamma' is draft, so the published portal "
                                "leaves it out and learners would earn this certification "
                                "without it")
    assert found[1].hint == ("Publish the path, remove it from requires, or set this "
                             "certification's status: draft.")
    site.path("cert", kind="certification", requires=["basics", "gamma", "second"],
              pass_mark=0.8, valid_for=12, status="draft")
    assert [f for f in site.check() if f.rule == "LS201"] == []


def test_ls202_deprecated_module_in_path(site):
    site.module("alpha", folder="basics", status="deprecated")
    finding = site.only("LS202")
    assert place(finding) == (BASICS, *site.at(BASICS, "alpha"))
    assert finding.severity is Severity.WARNING


def test_ls202_offers_no_replacement_whose_id_is_invalid(site):
    """Its own LS011 says the id must change: 'Replace it with Gamma!' would copy the typo."""
    site.module("alpha", folder="basics", status="deprecated", replaced_by="Gamma!")
    site.write("content/modules/basics/Gamma!.md",
               site.read(ALPHA).replace("id: alpha", "id: Gamma!").replace("deprecated",
                                                                             "published"))
    finding = site.only("LS202")
    assert "Gamma!" not in finding.hint


def test_ls202_ls201_a_replacement_already_in_the_path_is_not_offered_again(site):
    """'Replace it with beta' where beta is in the path already: doing so lists beta twice
    (LS107)."""
    site.module("alpha", folder="basics", status="deprecated", replaced_by="beta")
    site.module("beta", folder="basics")
    finding = site.only("LS202")
    assert (place(finding), finding.hint) == (
        (BASICS, *site.at(BASICS, "alpha")),
        "Remove it from the path: 'beta', which replaces it, is there already.")
    site.module("alpha", folder="basics", status="retired", replaced_by="beta")
    assert site.only("LS201").hint == (
        "Remove it from the path: 'beta', which replaces it, is there already.")
    site.path("cert", kind="certification", requires=["alpha", "beta"], pass_mark=0.8,
              valid_for=24)
    cert = [f for f in site.check() if f.file == "content/paths/cert.yml"]
    assert [(f.rule, f.hint) for f in cert] == [
        ("LS201", "Remove it from requires: 'beta', which replaces it, is there already.")]
    site.path("cert", kind="certification", requires=["alpha"], pass_mark=0.8, valid_for=24)
    cert = [f for f in site.check() if f.file == "content/paths/cert.yml"]
    assert [(f.rule, f.hint) for f in cert] == [("LS201", "Require 'beta' instead.")]


def test_ls203_empty_path(site):
    site.path("basics", modules=[])
    site.path("more", modules=["alpha", "beta"])
    assert place(site.only("LS203")) == (BASICS, *site.at(BASICS, "modules:"))


def test_ls203_empty_sections_list(site):
    site.path("basics", sections=[])
    site.path("more", modules=["alpha", "beta"])
    assert place(site.only("LS203")) == (BASICS, *site.at(BASICS, "sections:"))


def test_ls203_empty_section(site):
    site.path("basics", sections=[{"title": "One", "modules": ["alpha", "beta"]},
                                  {"title": "Two", "modules": []}])
    finding = site.only("LS203")
    assert place(finding) == (BASICS, *site.at(BASICS, "title: Two"))
    assert "'Two'" in finding.message


def test_ls207_a_check_that_finds_no_modules_says_so(make_site):
    site = make_site(bare=True)
    site.write("content/guides/help.md", "# Help\n")
    finding = site.only("LS207")  # a folder has no line
    assert (place(finding), finding.severity) == (("content/modules", 0, 0), Severity.WARNING)
    assert finding.location() == "content/modules"
    site.write("lecosite.yml", "modules_dir: guides\n")
    assert site.findings("LS207") == []  # help.md is read as a module now (and fails)


def test_ls204_orphan_module(site):
    gamma = site.module("gamma")
    finding = site.only("LS204")
    assert place(finding) == (gamma, 2, 1)
    assert finding.severity is Severity.WARNING


def test_ls204_counts_the_modules_of_a_path_whose_id_is_taken(site):
    """Two paths with one id: the second is left out of the site, but its modules are in a
    path all the same; the duplicate id is the one error to fix."""
    site.module("gamma")
    site.write("content/paths/basics-v2.yml",
               site.read(BASICS).replace("modules: [alpha, beta]", "modules: [alpha, gamma]"))
    assert {f.rule for f in site.check()} == {"LS013", "LS014"}


def test_ls204_waits_while_a_path_cannot_be_read(site):
    """A path with a YAML error made every module it lists an orphan: noise on top of the
    one error to fix."""
    site.write(BASICS, site.read(BASICS).replace("modules: [alpha, beta]", "modules: [alpha, beta"))
    assert [f.rule for f in site.check()] == ["LS002"]


@pytest.mark.parametrize("listing", ["sections:\n  start:\n    modules: [alpha, beta]\n",
                                     "modules: alpha, beta\n",
                                     "sections:\n  - title: Start\n    modules: alpha, beta\n"])
def test_ls204_waits_while_a_paths_modules_cannot_be_read(site, listing):
    """'sections' written as a mapping made every module the path lists an orphan, and the
    path empty (LS203): knock-ons of the one LS011 to fix."""
    site.write(BASICS, site.read(BASICS).replace("modules: [alpha, beta]\n", listing))
    assert {f.rule for f in site.check()} == {"LS011"}


def test_ls204_still_reports_a_module_no_broken_path_names(site):
    gamma = site.module("gamma")
    site.write(BASICS, site.read(BASICS).replace("modules: [alpha, beta]", "modules: alpha, beta"))
    assert {(f.rule, f.file) for f in site.check()} == {("LS011", BASICS), ("LS204", gamma)}


def test_ls204_is_not_silenced_by_an_unreadable_page_among_the_paths(site):
    """Only a path file (YAML) can list modules: a broken Markdown note there cannot."""
    gamma = site.module("gamma")
    site.write("content/paths/notes.md", b"\xff\xfe\x00broken")
    assert ("LS204", gamma) in {(f.rule, f.file) for f in site.check()}


def test_ls004_duration_min_above_max(site):
    site.write("lecosite.yml", "duration:\n  min: 20\n  max: 10\n")
    finding = site.only("LS004")
    assert place(finding) == ("lecosite.yml", 3, 3)
    assert "min is more than max" in finding.message


def test_ls204_passes_for_drafts_and_certification_requirements(site):
    site.module("gamma", status="draft")
    site.module("delta")
    site.path("cert", kind="certification", requires=["basics", "delta"], pass_mark=0.8,
              valid_for=24)
    assert site.check() == []


@pytest.mark.parametrize("status", ["draft", "retired"])
def test_ls204_a_module_only_in_a_path_learners_do_not_see(site, status):
    """The catalog left the path out and published the modules' pages, which nothing
    linked to: the check found no problem."""
    site.path("basics", modules=["alpha", "beta"], status=status)
    findings = site.check()
    assert [(f.rule, place(f)) for f in findings] == [("LS204", (ALPHA, 2, 1)),
                                                      ("LS204", (BETA, 2, 1))]
    assert findings[0].message == ("module 'alpha' is in no published path: 'basics' is "
                                   + ("a draft" if status == "draft" else "retired"))
    assert findings[0].hint == ("Publish 'basics' (status: published), add" if status == "draft"
                                else "Add") + (" the module to a published path, or set this "
                                               "module's status: draft.")
    site.path("more", modules=["alpha", "beta"])
    assert site.check() == []
    site.remove("content/paths/more.yml")
    site.path("basics", modules=["alpha", "beta"], status="live")  # its own LS011 only
    assert [f.rule for f in site.check()] == ["LS011"]


def test_ls205_duration_out_of_budget(site):
    site.module("alpha", folder="basics", duration=40)
    finding = site.only("LS205")
    assert place(finding) == (ALPHA, *site.at(ALPHA, "duration"))
    assert finding.severity is Severity.WARNING


def test_ls205_passes_at_the_configured_bounds(site):
    site.module("alpha", folder="basics", duration=15)
    site.module("beta", folder="basics", duration=5, prerequisites=["alpha"])
    assert site.check() == []
    site.write("lecosite.yml", "duration:\n  min: 10\n  max: 20\n")
    assert place(site.only("LS205")) == (BETA, *site.at(BETA, "duration"))


def test_ls205_a_budget_and_duration_written_with_a_point_are_whole_minutes(site):
    """'duration: 1.0' read as no duration never fell outside the budget, and 'min: 5.0'
    showed in the warning as written."""
    site.write("lecosite.yml", "duration:\n  min: 5.0\n  max: 15.0\n")
    site.module("alpha", folder="basics", duration=1.0)
    finding = site.only("LS205")
    assert place(finding) == (ALPHA, *site.at(ALPHA, "duration"))
    assert finding.message == "duration is 1 min; modules here take 5–15 min"


@pytest.mark.parametrize(("duration", "message"), [
    (-5, "'duration' is -5; it must be at least 1"),
    (700, "'duration' is 700; it must be at most 600")])
def test_ls205_waits_for_a_duration_no_module_can_have(site, duration, message):
    """'-5' was also told to merge with a related module: one mistake, two conflicting fixes."""
    site.module("alpha", folder="basics", duration=duration)
    finding = site.only("LS011")
    assert (place(finding), finding.message) == ((ALPHA, *site.at(ALPHA, "duration")), message)
    assert [f.rule for f in site.check()] == ["LS011"]


def test_ls206_certification_without_settings(site):
    site.path("cert", kind="certification", requires=["basics"], pass_mark=0.8)
    cert = "content/paths/cert.yml"
    finding = site.only("LS206")
    assert place(finding) == (cert, *site.at(cert, "kind:"))
    assert "'valid_for'" in finding.message


def test_ls208_page_address_taken_names_the_page_published_in_its_place(site):
    site.write("content/paths/basics/index.md", "# Basics\n")
    found = site.only("LS208")
    assert (found.file, found.line, found.col) == ("content/paths/basics/index.md", 1, 1)
    assert "the page of path 'basics' (content/paths/basics.yml)" in found.message


def test_ls206_course_with_certification_settings(site):
    site.path("basics", modules=["alpha", "beta"], valid_for=12)
    assert place(site.only("LS206")) == (BASICS, *site.at(BASICS, "valid_for"))


# -- freshness (LS3xx) ---------------------------------------------------------------------


def test_ls301_review_overdue(site):
    site.module("alpha", folder="basics", review_by="2026-05-01")
    finding = site.only("LS301")
    assert place(finding) == (ALPHA, *site.at(ALPHA, "review_by"))
    assert finding.severity is Severity.WARNING
    assert "31 days ago" in finding.message


def test_ls301_review_dates_that_look_swapped_are_said_so(site):
    """'review was due 396 days ago' sent the author to review content reviewed last month."""
    site.module("alpha", folder="basics", last_reviewed="2026-05-01", review_by="2025-05-01")
    finding = site.only("LS301")
    assert place(finding) == (ALPHA, *site.at(ALPHA, "review_by"))
    assert finding.message == ("review_by 2025-05-01 is before last_reviewed 2026-05-01: the "
                               "two dates look swapped")
    assert "set review_by to a later date, e.g. 2026-11-01" in finding.hint


def test_ls301_passes_before_the_date_and_for_drafts(site):
    site.module("alpha", folder="basics", review_by="2026-05-01")
    assert site.check(today=date(2026, 5, 1)) == []
    site.module("alpha", folder="basics", review_by="2026-05-01", status="draft")
    site.module("beta", folder="basics", status="draft")  # not asking for alpha (LS110)
    site.path("basics", modules=["alpha", "beta"], status="draft")
    assert site.check() == []


def test_ls302_review_date_in_future(site):
    site.module("alpha", folder="basics", last_reviewed="2062-05-01")
    finding = site.only("LS302")
    assert place(finding) == (ALPHA, *site.at(ALPHA, "last_reviewed"))
    assert finding.message == "last_reviewed 2062-05-01 is in the future"


def test_ls302_passes_up_to_a_day_ahead(site):
    site.module("alpha", folder="basics", last_reviewed="2026-06-02")
    assert site.check() == []


def test_ls606_version_behind_its_own_changelog(site):
    site.module("alpha", folder="basics", version="1.2.0",
                changelog=[{"1.3.0": "Added the proxy step."}, {"1.2.0": "First."}])
    finding = site.only("LS606")
    assert place(finding) == (ALPHA, *site.at(ALPHA, "version:"))
    assert finding.message == ("version 1.2.0 is older than 1.3.0, the newest version in its "
                               "changelog")


def test_ls606_passes_for_a_version_at_or_past_its_changelog(site):
    site.module("alpha", folder="basics", version="1.3.0",
                changelog=[{"1.3.0-rc.1": "Draft."}, {"1.2.0": "First."}])
    assert site.check() == []


def test_ls607_changelog_order(site):
    site.module("alpha", folder="basics", version="1.3.0", changelog=[
        {"1.2.0": "Proxy step."}, {"1.3.0": "Port fixed."}, {"1.1.0": "Typo."},
        {"1.1.0": "Typo again."}, {"1.0.0": "First."}])
    found = site.findings("LS607")
    assert [(f.line, f.message) for f in found] == [
        (site.at(ALPHA, "1.3.0: Port")[0], "changelog entry 1.3.0 comes after 1.2.0, an older "
                                            "version"),
        (site.at(ALPHA, "Typo again")[0], "the changelog lists 1.1.0 twice")]


def test_ls607_a_changelog_oldest_first_is_one_message(site):
    site.module("alpha", folder="basics", version="1.2.0", changelog=[
        {"1.0.0": "First."}, {"1.1.0": "More."}, {"1.2.0": "Most."}])
    finding = site.only("LS607")
    assert place(finding) == (ALPHA, *site.at(ALPHA, "changelog:"))
    site.module("alpha", folder="basics", version="1.2.0", changelog=[
        {"1.2.0": "Most."}, {"1.2.0-rc.1": "Almost."}, {"1.0.0": "First."}])
    assert site.check() == []


# -- content and media (LS4xx) -------------------------------------------------------------


YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


def test_ls401_video_without_captions(site):
    site.module("alpha", folder="basics", video={"src": YOUTUBE})
    assert place(site.only("LS401")) == (ALPHA, *site.at(ALPHA, "video:"))


def test_ls401_self_hosted_caption_without_file(site):
    site.write("content/media/clip.webm", b"webm")
    site.module("alpha", folder="basics",
                video={"src": "../../media/clip.webm", "captions": [{"lang": "en"}]})
    assert place(site.only("LS401")) == (ALPHA, *site.at(ALPHA, "{lang: en}"))


def test_ls401_passes_with_captions(site):
    site.write("content/media/clip.webm", b"webm")
    site.write("content/media/clip.en.vtt", "WEBVTT\n")
    site.module("alpha", folder="basics", video={
        "src": "../../media/clip.webm",
        "captions": [{"lang": "en", "label": "English", "src": "../../media/clip.en.vtt"}]})
    site.module("beta", folder="basics", prerequisites=["alpha"],
                video={"src": YOUTUBE, "captions": [{"lang": "en"}]})
    assert site.check() == []


def test_ls401_an_unsupported_video_is_one_message_not_two(site):
    site.write("content/media/clip.mov", b"mov")
    site.module("alpha", folder="basics", body="# Alpha\n\n@[video](../../media/clip.mov)\n")
    assert [f.rule for f in site.check()] == ["LS406"]


def test_a_missing_video_in_a_body_is_one_message_that_names_the_file_meant(site):
    """The player, the captions beside the file and the link under it all need the file:
    one mistake, one message (LS405), not also LS401 and LS403."""
    site.write("content/media/clip.webm", b"webm")
    site.write("content/media/clip.en.vtt", "WEBVTT\n")
    site.module("alpha", folder="basics", body="# Alpha\n\n@[video](../../media/clpi.webm)\n")
    finding, = site.check()
    assert (finding.rule, place(finding)) == ("LS405", (ALPHA, *site.at(ALPHA, "@[video]")))
    assert finding.hint == "Did you mean '../../media/clip.webm'? Paths are relative to this file."
    site.module("alpha", folder="basics", body="# Alpha\n\n@[video](../../media/gone.webm)\n")
    assert [(f.rule, f.hint) for f in site.check()] == [
        ("LS405", "Paths are relative to this file; add the file or fix the path.")]


def test_a_missing_media_file_is_never_told_to_be_one_of_another_kind(site):
    """A missing caption file was told 'did you mean' the video, a missing poster the module."""
    name = "connect-upgrade-in-place"  # long names: a close match across kinds
    site.write(f"content/media/{name}.webm", b"webm")
    site.module(name, folder="basics", video={
        "src": f"../../media/{name}.webm", "poster": f"{name}.jpg",
        "captions": [{"lang": "en", "src": f"../../media/{name}.en.vtt"}]})
    assert {f.hint for f in site.findings("LS405")} == {
        "Paths are relative to this file; add the file or fix the path."}
    site.write(f"content/media/{name}.en.vtt", "WEBVTT\n")
    site.write(f"content/media/{name}.jpg", b"jpg")
    assert [f.hint for f in site.findings("LS405")] == [
        f"Did you mean '../../media/{name}.jpg'? Paths are relative to this file."]


@pytest.mark.parametrize("name", ["../../media/clip-transcript.docx", "Clip transcript.PDF",
                                  "../../media/clip.en.srt"])
def test_ls416_a_transcript_naming_a_document_is_not_shown_as_its_name(site, name):
    site.write("content/media/clip.webm", b"webm")
    site.module("alpha", folder="basics", video={"src": "../../media/clip.webm",
                                                 "transcript": name})
    finding = site.only("LS416")
    assert (place(finding), finding.severity) == ((ALPHA, *site.at(ALPHA, "transcript:")),
                                                  Severity.ERROR)
    assert finding.message.startswith(f"transcript '{name}' is not a text file")


def test_ls416_passes_for_text_and_for_transcript_files_it_can_show(site):
    site.write("content/media/clip.webm", b"webm")
    site.write("content/media/clip.txt", "What the video says.\n")
    for transcript in ["../../media/clip.txt", "The speaker opens the docs page index.html.\n"
                       "Then the guide, guide.pdf."]:
        site.module("alpha", folder="basics", video={"src": "../../media/clip.webm",
                                                     "transcript": transcript})
        assert site.findings("LS416") == []


def test_ls412_captions_that_are_not_webvtt(site):
    site.write("content/media/clip.webm", b"webm")
    site.write("content/media/clip.en.srt", "1\n00:00:01,000 --> 00:00:02,000\nHello\n")
    site.write("content/media/clip.de.vtt", "not a caption file\n")
    site.write("content/media/clip.fr.vtt", "\ufeffWEBVTT - with a BOM and a title\n\n")
    site.module("alpha", folder="basics", video={"src": "../../media/clip.webm", "captions": [
        {"lang": "en", "src": "../../media/clip.en.srt"},
        {"lang": "de", "src": "../../media/clip.de.vtt"},
        {"lang": "fr", "src": "../../media/clip.fr.vtt"}]})
    found = site.findings("LS412")
    assert [(f.line, f.message) for f in found] == [
        (site.at(ALPHA, "clip.en.srt")[0],
         "captions '../../media/clip.en.srt' are not a WebVTT (.vtt) file"),
        (site.at(ALPHA, "clip.de.vtt")[0],
         "'../../media/clip.de.vtt' is not WebVTT: its first line is not WEBVTT")]
    site.write("content/media/clip.de.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\nHallo\n")
    assert site.findings("LS412")[1:] == []  # fixed: checked again, not remembered


def test_ls412_a_caption_file_not_saved_as_utf8(site):
    """A Latin-1 .vtt passed: browsers read WebVTT as UTF-8 only, so learners saw 'Caf\ufffd'."""
    site.write("content/media/clip.webm", b"webm")
    site.write("content/media/clip.en.vtt", b"WEBVTT\n\n00:01.000 --> 00:02.000\nCaf\xe9\n")
    site.module("alpha", folder="basics", video={"src": "../../media/clip.webm", "captions": [
        {"lang": "en", "src": "../../media/clip.en.vtt"}]})
    finding = site.only("LS412")
    assert place(finding) == (ALPHA, *site.at(ALPHA, "src: ../../media/clip.en.vtt"))
    assert finding.message.startswith(
        "'../../media/clip.en.vtt' is not UTF-8 text (byte 0xe9 at line 4)")
    assert finding.hint.startswith("Re-save the file with UTF-8 encoding")
    site.write("content/media/clip.en.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\nCafé\n")
    assert site.findings("LS412") == []


@pytest.mark.parametrize(("content", "message"), [
    (b"Caf\xe9 au lait\n", "is not UTF-8 text (byte 0xe9 at line 1), so the page shows no "
                           "transcript"),
    ("Café\n".encode("utf-16"), 'is saved as UTF-16 ("Unicode"), not UTF-8'),
    (b" \n\n", "is empty, so the page shows no transcript")])
def test_ls416_a_transcript_file_the_page_cannot_show(site, content, message):
    """A Windows-1252 or empty transcript file passed check and build; the page dropped it."""
    site.write("content/media/clip.webm", b"webm")
    site.write("content/media/clip.txt", content)
    site.module("alpha", folder="basics", video={"src": "../../media/clip.webm",
                                                 "transcript": "../../media/clip.txt"})
    finding = site.only("LS416")
    assert place(finding) == (ALPHA, *site.at(ALPHA, "transcript:"))
    assert finding.message.startswith(f"transcript '../../media/clip.txt' {message}")
    site.write("content/media/clip.txt", "\ufeffCafé au lait\n")  # UTF-8, with a BOM
    assert site.findings("LS416") == []


def test_ls417_a_caption_file_named_for_another_language_than_its_lang(site):
    """lang: en with src: ports.fr.vtt was accepted: English speakers got French captions."""
    site.write("content/modules/basics/ports.fr.vtt", "WEBVTT\n")
    site.write("content/modules/basics/ports.en-US.vtt", "WEBVTT\n")
    site.module("alpha", folder="basics", video={
        "src": "https://youtu.be/dQw4w9WgXcQ",
        "captions": [{"lang": "en", "src": "ports.fr.vtt"},
                     {"lang": "en", "src": "ports.en-US.vtt"}]})
    finding = site.only("LS417")
    assert (place(finding), finding.severity) == ((ALPHA, *site.at(ALPHA, "src: ports.fr.vtt")),
                                                  Severity.WARNING)
    assert finding.message == ("caption file 'ports.fr.vtt' is named as 'fr' captions, but "
                               "its lang: is 'en'")
    assert finding.hint == ("If the file holds 'fr' captions, write lang: fr (and a label in "
                            "that language); if it holds 'en' ones, rename it to ports.en.vtt "
                            "and write src: ports.en.vtt.")


def test_ls413_caption_language_in_a_body(site):
    site.write("content/media/clip.webm", b"webm")
    site.write("content/media/clip.english.vtt", "WEBVTT\n")
    site.module("alpha", folder="basics", body=(
        f"# Alpha\n\n@[video]({YOUTUBE}){{captions=english}}\n\n"
        f"@[video]({YOUTUBE}){{captions=en,pt-BR}}\n\n@[video](../../media/clip.webm)\n"))
    found = site.findings("LS413")
    assert [(f.line, f.message) for f in found] == [
        (site.at(ALPHA, "captions=english")[0], "'english' is not a language tag"),
        (site.at(ALPHA, "clip.webm")[0], "caption file '../../media/clip.english.vtt' does not "
         "end in a language tag ('english')")]


def test_ls401_ls413_body_videos_find_their_own_captions_only(site):
    """A name with a space is a URL in the line ('my%20clip'); 'clip.part2.en.vtt' is the
    second video's, not a badly tagged one of the first."""
    for name in ("my clip.webm", "my clip.en.vtt", "clip.webm", "clip.en.vtt",
                 "clip.part2.webm", "clip.part2.en.vtt"):
        site.write(f"content/media/{name}", "WEBVTT\n" if name.endswith(".vtt") else b"webm")
    site.module("alpha", folder="basics", body=(
        "# Alpha\n\n@[video](../../media/my%20clip.webm \"One\")\n\n"
        "@[video](../../media/clip.webm \"Two\")\n\n"
        "@[video](../../media/clip.part2.webm \"Three\")\n"))
    assert [f for f in site.check() if f.rule in ("LS401", "LS413")] == []


def test_ls402_image_without_alt(site):
    site.write("content/media/pic.png", b"png")
    site.module("alpha", folder="basics",
                body="# Alpha\n\nThe ports:\n\nSee ![](../../media/pic.png) here.\n")
    finding = site.only("LS402")
    assert place(finding) == (ALPHA, *site.at(ALPHA, "![]"))


def test_ls402_html_image_without_alt(site):
    site.write("content/media/pic.png", b"png")
    site.module("alpha", folder="basics", body='Text\n\n<img src="../../media/pic.png">\n')
    assert place(site.only("LS402")) == (ALPHA, *site.at(ALPHA, "<img"))


def test_ls402_passes_with_alt_and_ignores_code(site):
    site.write("content/media/pic.png", b"png")
    site.module("alpha", folder="basics", body=(
        "![The ports](../../media/pic.png)\n\n```md\n![](nothing.png)\n```\n\n`![](x.png)`\n"))
    assert site.check() == []


def test_ls403_broken_link(site):
    site.module("alpha", folder="basics", body="# Alpha\n\nThen read [beta](./betta.md).\n")
    finding = site.only("LS403")
    assert place(finding) == (ALPHA, *site.at(ALPHA, "[beta]"))
    assert "'./betta.md'" in finding.message


def test_ls403_hint_names_the_file_meant(site):
    """The same name in another letter case works on the author's laptop but not on the
    server; a near miss in the name is likely a typo."""
    site.write("content/media/diagram.png", b"png")
    site.module("alpha", folder="basics", body=(
        "# Alpha\n\n[a](Beta.md#heading) [b](betta.md) [c](../../media/Diagram.PNG) "
        "[d](nothing-like-it.md)\n"))
    hints = [f.hint for f in site.findings("LS403")]
    assert hints == [
        "Did you mean 'beta.md#heading' (letter case matters on the web server)? Paths are "
        "relative to this file.",
        "Did you mean 'beta.md'? Paths are relative to this file.",
        "Did you mean '../../media/diagram.png' (letter case matters on the web server)? Paths "
        "are relative to this file.",
        "Paths are relative to this file; check the folder and file name."]


def test_ls403_hint_keeps_an_anchor_only_if_the_file_meant_has_it(site):
    """Applying the hint gave LS404: the file meant had no heading '#install-package'."""
    site.module("acme-install", folder="basics", body=(
        "# Install\n\n## Install the package\n\nText.\n\n## Check the ports\n\nText.\n"))
    site.module("alpha", folder="basics", body=(
        "# Alpha\n\n[a](acme-instal.md#install-package) [b](acme-instal.md#check-the-ports) "
        "[c](acme-instal.md#uninstall-everything) [d](Beta.md#setup)\n"))
    hints = [f.hint for f in site.findings("LS403")]
    assert hints == [
        "Did you mean 'acme-install.md#install-the-package'? That file has no heading "
        "'#install-package'. Paths are relative to this file.",
        "Did you mean 'acme-install.md#check-the-ports'? Paths are relative to this file.",
        "Did you mean 'acme-install.md'? That file has no heading '#uninstall-everything'. "
        "Paths are relative to this file.",
        "Did you mean 'beta.md' (letter case matters on the web server)? That file has no "
        "heading '#setup'. Paths are relative to this file."]
    meant = " ".join(f"[{n}]({hint.split(chr(39))[1]})" for n, hint in enumerate(hints))
    site.module("alpha", folder="basics", body=f"# Alpha\n\n{meant}\n")
    assert [f for f in site.check() if f.rule in ("LS403", "LS404")] == []


def test_ls403_broken_link_in_a_page(site):
    site.write("content/guides/help.md", "# Help\n\nSee [alpha](../modules/alpha.md).\n")
    assert place(site.only("LS403")) == ("content/guides/help.md", 3, 5)


def test_ls403_link_whose_target_has_a_space(site):
    """Python-Markdown links [x](a b.md) to 'a b.md': the check used to skip such links."""
    site.write("content/modules/basics/my notes.md", "# Notes\n")
    site.module("alpha", folder="basics", body=(
        "# Alpha\n\nRead [beta](../basics/bet a.md) and [notes](my notes.md \"Notes\").\n"))
    finding = site.only("LS403")
    assert place(finding) == (ALPHA, *site.at(ALPHA, "[beta]"))
    assert "'../basics/bet a.md'" in finding.message


@pytest.mark.parametrize(("target", "hint"), [
    ("/modules/basics/beta.md", "'beta.md'."),
    ("/modules/basics/betta.md#x", "'betta.md#x', and check"),
    ("/modules/beta/#steps", "'beta.md#steps'."),  # a page's address
    ("/paths/basics/", "'../../paths/basics/index.md'."),
    ("/", "'../../index.md'."),
    ("/media/pic.png", "'../../media/pic.png'."),
    ("/media/gone.png", "'../../media/gone.png', and check"),
    ("/guides/help/", "'../../guides/help.md'."),
    ("/guides/more/", "'../../guides/more/README.md'."),  # published at its folder's address
    # the content folder's own name, as a file browser shows it: was '../../content/media/…'
    ("/content/media/pic.png", "'../../media/pic.png'."),
])
def test_ls403_link_from_the_site_root(site, target, hint):
    """MkDocs leaves '/…' links as written: they lead nowhere and fail a strict build."""
    site.write("content/media/pic.png", b"png")
    site.write("content/guides/help.md", "# Help\n")
    site.write("content/guides/more/README.md", "# More\n")
    site.module("alpha", folder="basics", body=f"# Alpha\n\nRead [beta]({target}).\n")
    finding = site.only("LS403")
    assert place(finding) == (ALPHA, *site.at(ALPHA, "[beta]"))
    assert "starts with '/'" in finding.message and hint in finding.hint


def test_ls403_link_to_a_path_file_or_a_folder_names_the_page(site):
    """The build drops path sources and leaves folder links as written: both fail it."""
    site.module("beta", folder="basics")
    site.path("basics", modules=["beta"])
    site.write("content/guides/index.md", "# Guides\n\n## Top\n")
    site.module("alpha", folder="basics", body=(
        "# Alpha\n\nTake [the course](../../paths/basics.yml), see [here](../../guides#top).\n"
        "Or [there](../../guides/?v=1#tops).\n"))
    found = site.findings("LS403")
    assert [place(f) for f in found] == [(ALPHA, *site.at(ALPHA, "[the course]")),
                                         (ALPHA, *site.at(ALPHA, "[here]")),
                                         (ALPHA, *site.at(ALPHA, "[there]"))]
    assert found[0].message == ("link target '../../paths/basics.yml' is the file the path is "
                                "written in, not a page of the portal")
    assert found[0].hint == "Link to the path's page: '../../paths/basics/index.md'."
    assert found[1].message == "link target '../../guides#top' is a folder"
    assert found[1].hint == "Link to the page in it: '../../guides/index.md#top'."
    assert found[2].hint == ("Link to the page in it: '../../guides/index.md?v=1#top'. "
                             "That file has no heading '#tops'.")
    # The content folder (its page is the catalog) and a topic folder without an index.
    site.module("alpha", folder="basics", body=(
        "# Alpha\n\nBack to [the catalog](../../), on to [basics](../basics/).\n"))
    assert [(f.message, f.hint) for f in site.findings("LS403")] == [
        ("link target '../../' is a folder", "Link to the page in it: '../../index.md'."),
        ("link target '../basics/' is a folder",
         "Link to a page in it, e.g. '../basics/alpha.md'.")]


@pytest.mark.parametrize(("file", "target", "hint"), [
    (ALPHA, "../gamma/#steps", "'../intro/gamma.md#steps'"),
    (ALPHA, "../../guides/help/", "'../../guides/help.md'"),
    ("content/guides/help.md", "../../modules/gamma/", "'../modules/intro/gamma.md'"),
    ("content/guides/help.md", "../../", "'../index.md'"),
])
def test_ls403_a_pages_address_copied_from_the_browser_names_its_file(site, file, target,
                                                                       hint):
    """Relative to the page's address in the portal, not to its file: 'check the folder
    and file name' did not help."""
    site.module("gamma", folder="intro")
    site.write("content/index.md", "# Home\n")
    site.write("content/guides/help.md", "# Help\n")
    site.write(file, site.read(file) + f"\nRead [it]({target}).\n")
    assert site.only("LS403").hint == (
        f"That is the page's address in the portal; link to its file: {hint}.")


def test_ls403_no_catalog_to_link_to_where_a_readme_is_the_home_page(site):
    """A top README.md is published in the catalog's place, and MkDocs then finds no
    index.md: a link to it passed the check and failed a strict build."""
    site.write("content/README.md", "# Home\n")
    site.module("alpha", folder="basics", body=(
        "# Alpha\n\n[Catalog](../../index.md), [home](../../README.md), [top](/).\n"))
    found = site.findings("LS403")
    assert [(place(f), f.message) for f in found] == [
        ((ALPHA, *site.at(ALPHA, "[Catalog]")), "link target '../../index.md' not found"),
        ((ALPHA, *site.at(ALPHA, "[top]")), "link target '/' starts with '/'")]
    assert found[1].hint == "Write the path relative to this file: '../../README.md'."


def test_ls403_a_link_to_a_page_the_authors_own_replaces_names_the_authors(site):
    """With directory URLs the author's guides/rules/index.md is published where lecosite's
    rules reference is, which is then not built: a link to guides/rules.md passed the check
    and MkDocs warned it found no such file. From a guide, '../index.md' where README.md is
    the home page was said to mean 'rules/index.md'."""
    site.write("content/README.md", "# Home\n")
    site.write("content/guides/rules/index.md", "# Our rules\n\n## Links\n")
    site.write("content/guides/help.md", "# Help\n\n[Home](../index.md)\n")
    site.module("alpha", folder="basics", body=(
        "# Alpha\n\n[Rules](../../guides/rules.md#links), [rules](../../guides/rules.md#ls403)"
        "\n"))
    found = site.findings("LS403")
    assert [(place(f), f.message) for f in found] == [
        (("content/guides/help.md", 3, 1), "link target '../index.md' not found"),
        ((ALPHA, *site.at(ALPHA, "[Rules]")),
         "link target '../../guides/rules.md#links' not found"),
        ((ALPHA, *site.at(ALPHA, "[rules]")),
         "link target '../../guides/rules.md#ls403' not found")]
    assert [f.hint for f in found] == [
        "Did you mean '../README.md'? content/README.md is the page published at the "
        "portal's top address, in place of the catalog. Paths are relative to this file.",
        "Did you mean '../../guides/rules/index.md#links'? content/guides/rules/index.md is "
        "the page published at 'guides/rules/', in place of lecosite's rules reference. Paths "
        "are relative to this file.",
        "Did you mean '../../guides/rules/index.md'? content/guides/rules/index.md is the page "
        "published at 'guides/rules/', in place of lecosite's rules reference. That file has "
        "no heading '#ls403'. Paths are relative to this file."]
    # Without directory URLs the author's page is at guides/rules/index.html: both are built.
    site.write("mkdocs.yml", "site_name: T\ndocs_dir: content\nuse_directory_urls: false\n")
    assert [f.file for f in site.findings("LS403")] == ["content/guides/help.md"]


def test_ls403_a_folders_page_is_not_guessed_from_another_folder(site):
    """Every folder's page is named index.md: one elsewhere is no typo of the link's."""
    site.write("content/guides/help.md", "# Help\n")
    site.write("content/guides/more/index.md", "# More\n")
    site.module("alpha", folder="basics", body=(
        "# Alpha\n\n[a](../../guides/index.md), [b](../../guides/mroe/index.md), "
        "[c](../../giudes/more/index.md)\n"))
    assert [f.hint for f in site.findings("LS403")] == [
        "Paths are relative to this file; check the folder and file name.",
        "Did you mean '../../guides/more/index.md'? Paths are relative to this file.",
        "Did you mean '../../guides/more/index.md'? Paths are relative to this file."]


def test_ls403_a_windows_path_is_written_with_slashes_in_the_hint(site):
    site.module("gamma", folder="intro")
    site.module("alpha", folder="basics", body="# Alpha\n\nRead [it](..\\intro\\gamma.md).\n")
    assert site.only("LS403").hint == "Write '/' between folders, not '\\': '../intro/gamma.md'."


def test_ls403_reference_link_without_a_definition(site):
    """Markdown shows '[text][label]' as written when no '[label]: address' line defines it."""
    site.module("alpha", folder="basics", body=(
        "# Alpha\n\nRead [the guide][guide], [Beta][], [the ports][Ports] and ![a map][map].\n"
        "Not links: a[0][1], `[a][b]`, - [x] [Step], a footnote[^1].\n\n"
        "[GUIDE]: https://example.com/guide\n[beta]: beta.md\n[gone]: gone.md\n\n"
        "[^1]: The note.\n"))
    site.module("beta", folder="basics")
    found = site.findings("LS403")
    assert [(place(f), f.message) for f in found] == [
        ((ALPHA, *site.at(ALPHA, "[the ports]")),
         "link [the ports][Ports] has no address: no line '[Ports]: …' in this file, so the "
         "page shows the brackets as text"),
        ((ALPHA, *site.at(ALPHA, "![a map]")),
         "link ![a map][map] has no address: no line '[map]: …' in this file, so the page "
         "shows the brackets as text"),
        ((ALPHA, *site.at(ALPHA, "[gone]:")), "link target 'gone.md' not found")]
    assert found[0].hint == ("Add a line '[Ports]: address' to this file (after the "
                             "paragraph), or write the address in the link: [text](address).")


def test_ls403_a_file_link_to_the_authors_computer(site):
    site.module("alpha", folder="basics", body=(
        "# Alpha\n\nSee [my notes](file:///C:/Users/me/notes.pdf).\n"))
    finding = site.only("LS403")
    assert place(finding) == (ALPHA, *site.at(ALPHA, "[my notes]"))
    assert finding.message == ("link target 'file:///C:/Users/me/notes.pdf' is a file on your "
                               "own computer, which learners cannot open")
    assert finding.hint.endswith("e.g. '../../media/notes.pdf'.")


def test_ls403_a_misspelt_scheme_leads_nowhere(site):
    """MkDocs leaves any 'x:' address as written and its strict build passes: a misspelt web
    or mail address leads nowhere. An app's own link (Teams, Zoom) opens the app: it passes."""
    site.module("alpha", folder="basics", body=(
        "# Alpha\n\nRead the [Acme docs](htps://docs.acme.example/agent), the [notes]"
        "(ttps://docs.acme.example/notes), [mail](mailt:help@acme.example), "
        "[meet](msteams:/l/meetup-join/x), [zoom](zoommtg://zoom.us/join?confno=1) and "
        "<htps://docs.acme.example/faq>.\n\n"
        '<a href="HTPS://docs.acme.example/x">docs</a>\n\n[docs]: htp://docs.acme.example\n'))
    found = site.findings("LS403")
    assert [(place(f), f.message, f.hint) for f in found] == [
        ((ALPHA, *site.at(ALPHA, "[Acme docs]")),
         "link target 'htps://docs.acme.example/agent' starts with 'htps:', which no browser "
         "opens", "Did you mean 'https://docs.acme.example/agent'?"),
        ((ALPHA, *site.at(ALPHA, "[notes]")),
         "link target 'ttps://docs.acme.example/notes' starts with 'ttps:', which no browser "
         "opens", "Did you mean 'https://docs.acme.example/notes'?"),
        ((ALPHA, *site.at(ALPHA, "[mail]")),
         "link target 'mailt:help@acme.example' starts with 'mailt:', which no browser opens",
         "Did you mean 'mailto:help@acme.example'?"),
        ((ALPHA, *site.at(ALPHA, "<htps:")),
         "link target 'htps://docs.acme.example/faq' starts with 'htps:', which no browser "
         "opens", "Did you mean 'https://docs.acme.example/faq'?"),
        ((ALPHA, *site.at(ALPHA, "<a href")),
         "link target 'HTPS://docs.acme.example/x' starts with 'HTPS:', which no browser "
         "opens", "Did you mean 'https://docs.acme.example/x'?"),
        ((ALPHA, *site.at(ALPHA, "[docs]:")),
         "link target 'htp://docs.acme.example' starts with 'htp:', which no browser opens",
         "Did you mean 'http://docs.acme.example'?")]


def test_ls403_an_address_typed_as_written_elsewhere_gets_a_hint_to_act_on(site):
    """A web or e-mail address without its scheme, 'https//', a network share or a Windows
    path: the build reads each as a file of the site, which it is not."""
    site.module("alpha", folder="basics", body=(
        "# Alpha\n\n[docs](www.acme.example/docs), [mail](help@acme.example), "
        "[admin](https//docs.acme.example/admin), [faq](docs.acme.example/faq), "
        "[notes](notes.pdf/),\n"
        "[share](\\\\fileserver\\training\\guide.docx), [mine](C:\\Users\\me\\notes.pdf) and "
        '<a href="www.acme.example">web</a> <a href="\\\\fileserver\\training\\a.pdf">a</a>.\n'))
    found = site.findings("LS403")
    share = ("Copy the file into the content folder (e.g. content/media/) and link to it "
             "relative to this file, e.g. '../../media/{}'.")
    assert [(place(f), f.message, f.hint) for f in found] == [
        ((ALPHA, *site.at(ALPHA, "[docs]")), "link target 'www.acme.example/docs' not found",
         "Add https:// in front: 'https://www.acme.example/docs'."),
        ((ALPHA, *site.at(ALPHA, "[mail]")), "link target 'help@acme.example' not found",
         "Write mailto: in front of an e-mail address: 'mailto:help@acme.example'."),
        ((ALPHA, *site.at(ALPHA, "[admin]")),
         "link target 'https//docs.acme.example/admin' not found",
         "A colon is missing after https: 'https://docs.acme.example/admin'."),
        ((ALPHA, *site.at(ALPHA, "[faq]")), "link target 'docs.acme.example/faq' not found",
         "Paths are relative to this file; if it is a web address, add https:// in front: "
         "'https://docs.acme.example/faq'."),
        ((ALPHA, *site.at(ALPHA, "[notes]")), "link target 'notes.pdf/' not found",
         "Paths are relative to this file; check the folder and file name."),
        ((ALPHA, *site.at(ALPHA, "[share]")),
         "link target '\\\\fileserver\\training\\guide.docx' is a file on a network share, "
         "which learners cannot open", share.format("guide.docx")),
        ((ALPHA, *site.at(ALPHA, "[mine]")),
         "link target 'C:\\Users\\me\\notes.pdf' is a file on your own computer, which "
         "learners cannot open", share.format("notes.pdf")),
        ((ALPHA, *site.at(ALPHA, '<a href="www')), "link target 'www.acme.example' not found",
         "Add https:// in front: 'https://www.acme.example'."),
        ((ALPHA, *site.at(ALPHA, '<a href="\\\\')),
         "link target '\\\\fileserver\\training\\a.pdf' is a file on a network share, which "
         "learners cannot open", share.format("a.pdf"))]


def test_ls403_a_link_without_an_address(site):
    site.module("alpha", folder="basics", body=(
        "# Alpha\n\nSee [this](), ![the map]( ) and <a href=\"\">that</a>.\n"))
    found = site.findings("LS403")
    assert [(place(f), f.message, f.hint) for f in found] == [
        ((ALPHA, *site.at(ALPHA, "[this]")),
         "link [this]() has no address, so it leads nowhere",
         "Write the address between the round brackets, e.g. [this](https://…) or "
         "[this](other-module.md), or remove the brackets to keep the words as plain text."),
        ((ALPHA, *site.at(ALPHA, "![the map]")),
         "image ![the map]() has no address, so it shows nothing",
         "Write the image file's path between the round brackets, relative to this file, e.g. "
         "![the map](../../media/picture.png), or remove the image."),
        ((ALPHA, *site.at(ALPHA, "<a href")),
         "link in HTML has no address (href=\"\"), so it leads nowhere",
         "Write the address in href=\"…\", or remove the <a> tag to keep its words as plain "
         "text.")]


def test_ls403_passes_addresses_browsers_open(site):
    site.write("content/media/ports.png", b"png")
    site.module("alpha", folder="basics", body=(
        "# Heading\n\n[web](https://example.com), [plain](http://example.com), "
        "[mail](mailto:help@acme.example), [phone](tel:+15551234567), [text](sms:+15551234567), "
        "<https://example.com/a>, <help@acme.example>, [top](#heading), [beta](beta.md), "
        "![The ports](../../media/ports.png), ![dot](data:image/png;base64,iVBORw0KGgo=), "
        "[cdn](//cdn.example/x.js) and <a href=\"HTTPS://example.com\">web</a>.\n"
        "<a id=\"here\"></a><a name=\"there\">there</a>\n"))
    assert site.check() == []


def test_ls403_leaves_a_site_root_address_without_a_file_alone(site):
    site.module("alpha", folder="basics", body="# Alpha\n\nSee [the status page](/status/).\n")
    assert [f for f in site.check() if f.rule == "LS403"] == []


@pytest.mark.parametrize("code", [
    "```bash\nsee [x](gone.md)\n```",
    "> ```bash\n> see [x](gone.md)\n> ```",  # in a quote: it closes in the quote
    "````markdown\n```\n[x](gone.md)\n```\n[y](gone.md)\n````",  # a fence shown in a fence
    "    ~~~\n    [x](gone.md)\n    ~~~",
])
def test_ls403_leaves_links_in_code_alone(site, code):
    site.module("alpha", folder="basics", body=f"# Alpha\n\n{code}\n\nThen [z](nope.md).\n")
    finding = site.only("LS403")  # only the link after the code
    assert place(finding) == (ALPHA, *site.at(ALPHA, "[z]"))


@pytest.mark.parametrize("code", [
    "```text\n````\n```",  # a longer fence inside does not close it
    "```` ``` ```` opens a code block.",  # inline code, not a fence
])
def test_ls403_finds_links_around_code_as_the_portal_reads_it(site, code):
    site.module("alpha", folder="basics", body=(
        f"# Alpha\n\n{code}\n\nSee [a](gone.md).\n\n```python\n[b](x.md)\n```\n"))
    assert place(site.only("LS403")) == (ALPHA, *site.at(ALPHA, "[a]"))


def test_ls403_checks_links_after_a_fence_never_closed(site):
    """The portal shows a fence never closed as text: its links are links."""
    site.module("alpha", folder="basics", body="# Alpha\n\n```bash\nrun it\n\nSee [x](gone.md).\n")
    assert place(site.only("LS403")) == (ALPHA, *site.at(ALPHA, "[x]"))


def test_ls403_passes_for_existing_and_external_targets(site):
    site.module("alpha", folder="basics", body=(
        "# Heading\n\n[beta](beta.md), [site](https://example.com), [mail](mailto:a@b.c), "
        "[top](#heading)\n"))
    assert site.check() == []


# LS403 in raw HTML: MkDocs rewrites the links Markdown makes only; HTML is published as written,
# so the browser reads its addresses from the page's address (modules/<id>/), not the file.


def test_ls403_a_md_link_in_html_leads_nowhere(site):
    site.module("gamma", folder="intro", body="# Gamma\n\n## Steps\n\nText.\n")
    site.module("alpha", folder="basics", body=(
        '# Alpha\n\nRead <a href="../intro/gamma.md#steps">the steps</a>.\n'))
    finding = site.only("LS403")
    assert place(finding) == (ALPHA, *site.at(ALPHA, "<a href"))
    assert finding.message == (
        "link target '../intro/gamma.md#steps' in HTML leads nowhere: the build rewrites only "
        "Markdown links, so the browser asks for the Markdown file, which the portal does not "
        "publish")
    assert finding.hint == (
        "Write it as a Markdown link, which the build rewrites and the check follows: "
        "[text](../intro/gamma.md#steps). In HTML, write it relative to the page's address: "
        "'../gamma/#steps'.")
    site.module("alpha", folder="basics", body=(
        "# Alpha\n\nRead [the steps](../intro/gamma.md#steps), "
        '<a href="../gamma/#steps">the steps</a>.\n'))
    assert [f for f in site.check() if f.rule in ("LS403", "LS404")] == []


def test_ls403_a_md_link_in_html_to_no_file_gets_the_closest_one(site):
    site.module("alpha", folder="basics", body='# Alpha\n\n<a href="betta.md">Beta</a>\n')
    assert site.only("LS403").hint == (
        "Write it as a Markdown link, which the build rewrites and the check follows. Did you "
        "mean [text](beta.md)? In HTML, write it relative to the page's address: '../beta/'.")


def test_ls403_an_image_in_html_is_found_from_the_pages_address(site):
    """From modules/alpha/, '../../media/' is the same folder as from the file; the image
    beside the file is not: the browser looks for it in modules/alpha/."""
    site.write("content/media/ports.png", b"png")
    site.write("content/modules/basics/host.png", b"png")
    site.module("alpha", folder="basics", body=(
        '# Alpha\n\n<img src="../../media/ports.png" alt="The ports">\n\n'
        '<img alt="The host" src="host.png">\n'))
    finding = site.only("LS403")
    assert place(finding) == (ALPHA, *site.at(ALPHA, '<img alt="The host"'))
    assert finding.message == (
        "image target 'host.png' in HTML leads nowhere: HTML is published as written, so the "
        "browser reads it relative to the page's address, 'modules/alpha/', not to this file")
    assert finding.hint == (
        "Show it as a Markdown image, which the build rewrites and the check follows: "
        "![The host](host.png). In HTML, write it relative to the page's address: "
        "'../basics/host.png'.")
    site.module("alpha", folder="basics", body=(
        '# Alpha\n\n![The host](host.png) <img alt="The host" src="../basics/host.png">\n'))
    assert [f for f in site.check() if f.rule == "LS403"] == []


def test_ls403_every_srcset_address_in_html_is_checked(site):
    """In a raw HTML block backticks are text: the tag is HTML, and published."""
    site.write("content/media/ports.png", b"png")
    site.module("alpha", folder="basics", body=(
        "# Alpha\n\n<div>\n"
        '`<img src="../../media/ports.png" srcset="../../media/ports.png 1x,'
        'ports@2x.png 2x" alt="The ports">`\n</div>\n'))
    finding = site.only("LS403")
    assert place(finding) == (ALPHA, *site.at(ALPHA, "<img"))
    assert finding.message.startswith("image target 'ports@2x.png' in HTML leads nowhere")


def test_ls403_a_link_in_html_in_a_page_is_found_from_its_address(site):
    """A guide is published at guides/<name>/: one folder further down than its file."""
    site.write("content/media/ports.png", b"png")
    site.write("content/guides/help.md", (
        '# Help\n\n<a href="../../modules/beta/">Beta</a>\n'
        '<img src="../media/ports.png" alt="The ports">\n'))
    finding = site.only("LS403")
    assert place(finding) == ("content/guides/help.md", 4, 1)
    assert "'guides/help/'" in finding.message
    assert finding.hint.endswith(": ![The ports](../media/ports.png). In HTML, write it "
                                 "relative to the page's address: '../../media/ports.png'.")


def test_ls403_a_link_in_html_from_the_site_root(site):
    site.write("content/media/ports.png", b"png")
    site.module("alpha", folder="basics", body=(
        '# Alpha\n\n<img src="/media/ports.png" alt="The ports"> '
        '<a href="/status/">the status page</a>\n'))
    finding = site.only("LS403")
    assert place(finding) == (ALPHA, *site.at(ALPHA, "<img"))
    assert finding.message == (
        "image target '/media/ports.png' starts with '/': a portal published below the site's "
        "root (e.g. https://example.com/training/) would not find it")
    assert finding.hint == (
        "Show it as a Markdown image, which the build rewrites and the check follows: "
        "![The ports](../../media/ports.png). In HTML, write it relative to the page's "
        "address: '../../media/ports.png'.")


@pytest.mark.parametrize("code", [
    '`<a href="gone.md">`',
    '```html\n<img src="gone.png" alt="x">\n```',
    '- In a list:\n\n    ```html\n    <a href="gone.md">x</a>\n    ```',
    '> ```html\n> <a href="gone.md">x</a>\n> ```',
    '    <a href="gone.md">x</a>',
    # After a tag with a markdown attribute and a block's end tag in backticks, LS411 reads
    # later backticks as HTML, in case a <div markdown> is open (the authoring guide read so).
    'Write `<div markdown>` and `</div>`.\n\nSo is `<a href="gone.md">`.',
])
def test_ls403_leaves_html_in_code_alone(site, code):
    site.module("alpha", folder="basics", body=(
        f'# Alpha\n\n{code}\n\nThen <a href="nope.md">z</a>.\n'))
    finding = site.only("LS403")  # only the link after the code
    assert place(finding) == (ALPHA, *site.at(ALPHA, '<a href="nope.md"'))


def test_ls403_passes_html_links_to_the_web_and_to_pages_of_the_portal(site):
    site.write("content/guides/help.md", "# Help\n")
    site.write("content/media/ports.png", b"png")
    site.module("alpha", folder="basics", body=(
        '# Alpha\n\n<a href="https://example.com/notes.md">web</a> '
        '<a href="mailto:team@example.com">mail</a> <a href="//cdn.example/notes.md">cdn</a> '
        '<a href="#alpha">top</a> <a href="?path=basics">here</a> <a href="../beta/">beta</a> '
        '<a href="../beta/index.html#x">beta</a> <a href="../../guides/help/">help</a> '
        '<a href="../../paths/basics/">course</a> <a href="../../">catalog</a> '
        '<img src="https://example.com/a.png" alt="web"> '
        '<img src="../../media/ports%2Epng" alt="The ports"> '
        '<a href="../../guides/help.html">not a page</a>\n'))
    finding = site.only("LS403")  # only the last: guides are published at guides/help/
    assert finding.message.startswith("link target '../../guides/help.html' in HTML leads")
    assert finding.hint.startswith("Write it as a Markdown link, which the build rewrites and "
                                   "the check follows: [text](../../guides/help.md).")


@pytest.mark.parametrize(("rel", "text", "message"), [
    ("content/modules/basics/p.yml", "id: p\nkind: course\n", "YAML file in the modules folder"),
    ("content/modules/basics/gamma.MD", "---\nid: gamma\n---\n", "must be lowercase"),
    ("content/modules/basics/gamma.md.txt", "---\nid: gamma\n---\n", "it ends in .txt"),
    ("content/paths/notes.md", "# Notes\n", "Markdown file in the paths folder"),
    ("content/guides/lost.md", "---\nid: lost\ngoal: Learn.\n---\n# Lost\n",
     "front matter looks like a module's"),
    ("content/modules/basics/_defaults.yaml", "owners: ['@org/team']\n",
     "folder defaults are named _defaults.yml"),
    ("content/modules/basics/_Default.yml", "owners: ['@org/team']\n",
     "folder defaults are named _defaults.yml"),
    ("content/modules/basics/alpha.md~", "---\nid: alpha\n---\n", "backup copy"),
    ("content/paths/basics.yml.orig", "id: basics\n", "backup copy"),
    ("content/guides/#help.md#", "# Help\n", "backup copy"),
])
def test_ls006_file_not_read(site, rel, text, message):
    site.write(rel, text)
    finding = site.only("LS006")
    assert (finding.file, message in finding.message) == (rel, True)
    assert finding.severity is Severity.WARNING


def test_ls006_passes_for_pages_media_and_folder_defaults(site):
    site.write("content/guides/help.md", "---\ntitle: Help\n---\n# Help\n")
    site.write("content/modules/basics/_defaults.yml", "owners: ['@org/team']\n")
    site.write("content/modules/basics/diagram.svg", "<svg/>")
    assert [f for f in site.check() if f.rule == "LS006"] == []


def test_a_linked_folder_is_checked_as_the_portal_publishes_it(site, tmp_path):
    # MkDocs follows folder links, so a module reached through one is published: check it.
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "gamma.md").write_text(site.read(ALPHA).replace("id: alpha", "id: gamma")
                                     + "\n[gone](nowhere.md)\n", encoding="utf-8")
    (site.root / "content/modules/shared").symlink_to(shared, target_is_directory=True)
    finding = site.only("LS403")
    assert finding.file == "content/modules/shared/gamma.md"


def test_ls015_a_folder_link_back_up_is_named_not_followed(site):
    (site.root / "content/modules/basics/loop").symlink_to("..", target_is_directory=True)
    finding = site.only("LS015")
    assert (finding.location(), finding.severity) == ("content/modules/basics/loop",
                                                      Severity.ERROR)
    assert "Remove the link" in finding.hint


def test_files_and_folders_starting_with_an_underscore_are_set_aside(site):
    # Drafts and notes: not modules, not paths, no findings (this one would have several).
    site.write("content/modules/basics/_old-alpha.md", site.read(ALPHA))
    site.write("content/modules/_drafts/gamma.md", "---\nid: gamma\n---\n[x](nowhere.md)\n")
    site.write("content/paths/_ideas.yml", "id: basics\n")
    assert site.check() == []


def test_ls404_broken_anchor(site):
    site.module("alpha", folder="basics",
                body="## Set the proxy\n\nSee [the proxy step](#proxy-settings).\n")
    finding = site.only("LS404")
    assert place(finding) == (ALPHA, *site.at(ALPHA, "[the proxy"))
    assert "#set-the-proxy" in finding.hint


def test_ls404_anchor_in_another_file(site):
    site.module("alpha", folder="basics", body="[b](beta.md#heading) and [c](beta.md#nope)\n")
    finding = site.only("LS404")
    assert place(finding) == (ALPHA, *site.at(ALPHA, "[c]"))


def test_ls404_anchors_of_links_in_html_are_read_from_the_pages_address(site):
    site.write("content/guides/help.md", "# Help\n\n## Ports\n")
    site.module("beta", folder="basics", body="## Steps\n")
    site.module("alpha", folder="basics", body=(
        '## Start\n\n<a href="#start">ok</a> <a href="../beta/#steps">ok</a> '
        '<a href="../../guides/help/#ports">ok</a> <a href="https://x.org/#nope">web</a>\n'
        '<a href="../beta/#nope">bad</a> <a href="#gone">bad</a>\n'))
    found = sorted((f.line, f.message) for f in site.check() if f.rule == "LS404")
    line = site.at(ALPHA, '<a href="../beta/#nope"')[0]
    assert found == [(line, "no heading '#gone' in modules/basics/alpha.md"),
                     (line, "no heading '#nope' in modules/basics/beta.md")]


HEADINGS = ["Edit `agent.conf`", "Raise max_retries", "**Bold** and _em_ words",
            "The __init__ method", "Use `_private` and `a*b` names", "See [the guide](x.md)",
            "A & B: ports 80/443", "Ünïcode café", "Setext heading"]


def test_ls404_anchors_are_the_ids_markdown_gives_headings(site):
    """Links to headings with code, underscores, emphasis or links pass exactly when they
    use the id Python-Markdown's toc renders, which is what the built page has."""
    import markdown

    headings = "\n\n".join(f"## {h}" for h in HEADINGS[:-1]) + f"\n\n{HEADINGS[-1]}\n---\n"
    ids = re.findall(r'<h2 id="([^"]+)"', markdown.markdown(headings, extensions=["toc"]))
    assert len(ids) == len(HEADINGS)
    links = " ".join(f"[{n}](#{i})" for n, i in enumerate(ids))
    site.module("alpha", folder="basics", body=f"{headings}\n{links}\n")
    assert [f for f in site.check() if f.rule == "LS404"] == []
    site.module("alpha", folder="basics", body=f"{headings}\n[x](#edit)\n")
    assert "#edit-agentconf" in site.only("LS404").hint


def test_ls408_link_to_unpublished(site):
    site.module("gamma", folder="basics", status="draft")
    site.module("alpha", folder="basics", body="# A\n\nSee [the draft](gamma.md).\n")
    site.module("delta", folder="basics", status="draft", body="[g](gamma.md)\n")
    finding = site.only("LS408")
    assert place(finding) == (ALPHA, *site.at(ALPHA, "[the draft]"))
    assert finding.severity is Severity.WARNING and "'gamma', which is draft" in finding.message


def test_ls408_link_in_html_to_unpublished(site):
    site.module("gamma", folder="basics", status="draft")
    site.module("alpha", folder="basics", body='# A\n\nSee <a href="../gamma/#x">it</a>.\n')
    finding = site.only("LS408")
    assert place(finding) == (ALPHA, *site.at(ALPHA, '<a href="../gamma/'))
    assert "'gamma', which is draft" in finding.message


def test_ls408_link_to_a_draft_paths_page(site):
    """A draft path's page is built in a preview only, as a draft module's is: the check
    took every path's page as built."""
    site.path("plan", kind="certification", status="draft", modules=["alpha"], valid_for=12,
              pass_mark=0.8)
    site.module("gamma", folder="basics", status="draft", body="[p](../../paths/plan/index.md)\n")
    site.module("alpha", folder="basics", body=(
        "# A\n\nSee [the plan](../../paths/plan/index.md), [its certificate]"
        "(../../certificates/plan/index.md).\n"))
    found = site.findings("LS408")
    assert [(place(f), f.message) for f in found] == [
        ((ALPHA, *site.at(ALPHA, "[the plan]")),
         "link to path 'plan', which is draft and not in the published site"),
        ((ALPHA, *site.at(ALPHA, "[its certificate]")),
         "link to path 'plan', which is draft and not in the published site")]
    assert found[0].hint == "Publish 'plan' first, or remove the link until it is."


def test_ls403_a_link_to_a_retired_paths_page(site):
    """No build makes a retired path's page, nor its certificate: the check accepted links
    to them, and MkDocs found no such file."""
    site.path("old", kind="certification", status="retired", modules=["alpha"], valid_for=12,
              pass_mark=0.8)
    site.module("alpha", folder="basics", body=(
        "# A\n\n[The old one](../../paths/old/index.md), [its certificate]"
        "(../../certificates/old/index.md), [its file](../../paths/old.yml).\n"))
    found = site.findings("LS403")
    assert [(place(f), f.message) for f in found] == [
        ((ALPHA, *site.at(ALPHA, "[The old one]")),
         "link target '../../paths/old/index.md' not found"),
        ((ALPHA, *site.at(ALPHA, "[its certificate]")),
         "link target '../../certificates/old/index.md' not found"),
        ((ALPHA, *site.at(ALPHA, "[its file]")), "link target '../../paths/old.yml' is the "
         "file the path is written in, not a page of the portal")]
    assert found[0].hint == found[1].hint == found[2].hint == (
        "Path 'old' is retired (content/paths/old.yml), so the portal has no page for it: "
        "remove the link, or link to the page of a path learners can take.")


def test_ls405_missing_media(site):
    site.module("alpha", folder="basics", video={
        "src": "../../media/clip.webm",
        "captions": [{"lang": "en", "src": "../../media/clip.en.vtt"}]})
    found = sorted(place(f) for f in site.check() if f.rule == "LS405")
    assert found == [(ALPHA, *site.at(ALPHA, "src: ../../media/clip.webm")),
                     (ALPHA, *site.at(ALPHA, "src: ../../media/clip.en.vtt"))]


@pytest.mark.parametrize(("ref", "message"), [
    ("C:\\Users\\maria\\clip.webm", "is a path on your computer"),
    ("media\\clip.webm", "is a path on your computer"),
    ("javascript:alert(1)//clip.webm", "is neither a file of the site nor a web address"),
    ("/media/nope.webm", "file '/media/nope.webm' starts with '/'"),
])
def test_ls405_media_that_a_browser_cannot_load(site, ref, message):
    site.write("content/media/clip.en.vtt", "WEBVTT\n")
    site.module("alpha", folder="basics", video={
        "src": ref, "captions": [{"lang": "en", "src": "../../media/clip.en.vtt"}]})
    finding = site.only("LS405")
    assert message in finding.message
    assert place(finding) == (ALPHA, *site.at(ALPHA, "src:"))


def test_ls405_passes_for_site_files_and_web_addresses(site):
    site.write("content/media/clip.webm", b"\x1aE")
    site.write("content/media/clip.en.vtt", "WEBVTT\n")
    for ref in ("../../media/clip.webm", "https://cdn.example.com/c.mp4"):
        site.module("alpha", folder="basics", video={
            "src": ref, "captions": [{"lang": "en", "src": "../../media/clip.en.vtt"}]})
        assert [f for f in site.check() if f.rule == "LS405"] == [], ref


def test_ls405_media_from_the_project_root_name_the_file_in_the_content_folder(site):
    """'/content/media/poster.jpg' was told to become '../../content/media/poster.jpg',
    which does not exist either."""
    site.write("content/media/poster.jpg", b"jpg")
    site.module("alpha", folder="basics", video={
        "src": "https://youtu.be/dQw4w9WgXcQ", "poster": "/content/media/poster.jpg",
        "captions": [{"lang": "en"}]})
    assert site.only("LS405").hint == ("Write the path relative to this file: "
                                       "'../../media/poster.jpg'.")


def test_ls405_media_from_the_site_root_name_the_relative_path(site):
    """The page would ask the host's root: a portal below it (…/training/) finds nothing.
    Each field is reported once, by LS405, with the path to write; a body's video line too."""
    site.write("content/media/clip.webm", b"\x1aE")
    site.write("content/media/clip.en.vtt", "WEBVTT\n")
    site.module("alpha", folder="basics", video={
        "src": "/media/clip.webm", "poster": "/media/poster.jpg",
        "captions": [{"lang": "en", "src": "/media/clip.en.vtt"}]},
        body="# Alpha\n\n@[video](/media/clip.webm \"Again\")\n")
    found = sorted((f.rule, f.line, f.message.split(":")[0], f.hint)
                   for f in site.check() if f.rule.startswith("LS4"))
    line = site.at(ALPHA, "@[video]")[0]
    assert found == sorted([
        ("LS405", site.at(ALPHA, "src: /media/clip.webm")[0],
         "file '/media/clip.webm' starts with '/'",
         "Write the path relative to this file: '../../media/clip.webm'."),
        ("LS405", site.at(ALPHA, "poster:")[0], "file '/media/poster.jpg' starts with '/'",
         "Write the path relative to this file: '../../media/poster.jpg', and check that the "
         "file exists."),
        ("LS405", site.at(ALPHA, "src: /media/clip.en.vtt")[0],
         "file '/media/clip.en.vtt' starts with '/'",
         "Write the path relative to this file: '../../media/clip.en.vtt'."),
        ("LS405", line, "file '/media/clip.webm' starts with '/'",
         "Write the path relative to this file: '../../media/clip.webm'."),
    ])


def test_ls406_unsupported_video(site):
    site.module("alpha", folder="basics",
                video={"src": "https://example.com/watch/123", "captions": [{"lang": "en"}]})
    finding = site.only("LS406")
    assert place(finding) == (ALPHA, *site.at(ALPHA, "src:"))


def test_ls406_passes_for_vimeo_and_youtu_be(site):
    site.module("alpha", folder="basics",
                video={"src": "https://vimeo.com/123456789", "captions": [{"lang": "en"}]})
    site.module("beta", folder="basics", prerequisites=["alpha"],
                video={"src": "https://youtu.be/dQw4w9WgXcQ", "captions": [{"lang": "en"}]})
    assert site.check() == []


def test_ls406_refuses_a_vimeo_showcase(site):
    site.module("alpha", folder="basics", video={"src": "https://vimeo.com/showcase/1234567",
                                                  "captions": [{"lang": "en"}]})
    assert "one video" in site.only("LS406").hint


@pytest.mark.parametrize("src", ["https://vimeo.com/123456789/0a1b2c3d4e",
                                 "https://player.vimeo.com/video/123456789?h=0a1b2c3d4e"])
def test_an_unlisted_vimeo_video_keeps_its_hash_in_the_embed(src):
    # Without h=, Vimeo refuses to play an unlisted video in another site's page.
    assert video.embed_url(src) == ("https://player.vimeo.com/video/123456789?h=0a1b2c3d4e"
                                    "&dnt=1&autoplay=1")


@pytest.mark.parametrize(("src", "embed"), [
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=90s", "enablejsapi=1&start=90"),
    ("https://youtu.be/dQw4w9WgXcQ?t=1m30s", "enablejsapi=1&start=90"),
    ("https://www.youtube.com/embed/dQw4w9WgXcQ?start=3600", "enablejsapi=1&start=3600"),
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "enablejsapi=1"),
    ("https://vimeo.com/123456789#t=42s", "autoplay=1#t=42s"),
])
def test_a_shared_links_start_time_starts_the_embed_there_too(src, embed):
    assert video.embed_url(src).endswith(embed)


def test_ls410_a_line_meant_as_a_video_that_is_not_read_as_one(site):
    site.module("alpha", folder="basics", body=(
        "# Heading\n\n  @[video](https://youtu.be/dQw4w9WgXcQ){captions=en}\n\n"
        "@[Video](https://youtu.be/dQw4w9WgXcQ){captions=en}\n\n"
        "@[video](https://youtu.be/dQw4w9WgXcQ) {captions = en}\n\n"
        "@[video](https://youtu.be/dQw4w9WgXcQ){captions=en}\n\n"
        "```markdown\n  @[Video](x.mp4)\n```\n\n"
        "See @[video](https://youtu.be/dQw4w9WgXcQ){captions=en} and @[video](x.mp4).\n\n"
        "Write `@[video](x.mp4)` on its own line.\n"))
    found = site.findings("LS410")
    assert [f.line for f in found] == [site.at(ALPHA, "@[")[0], site.at(ALPHA, "@[", 1)[0],
                                       site.at(ALPHA, "@[", 2)[0], site.at(ALPHA, "See @[")[0]]
    meant = "Write it on a line of its own, at the start, as @[video](https://youtu.be/" \
            "dQw4w9WgXcQ){captions=en}"
    assert [f.hint == meant for f in found] == [True, True, True, False]  # two on one line


def test_ls410_names_the_line_as_it_was_meant(site):
    site.module("alpha", folder="basics", body=(
        '# Heading\n\nSee @[Video]( clip.mp4  "Intro" ) {caption = en, de}\n'))
    assert site.only("LS410").hint == ("Write it on a line of its own, at the start, as "
                                       '@[video](clip.mp4 "Intro"){captions=en,de}')


def test_ls410_a_space_in_the_file_name_is_named(site):
    """A space ends a link's address, so the line is no video line: the hint writes it as %20."""
    site.write("content/media/my clip.webm", b"webm")
    site.write("content/media/my clip.en.vtt", "WEBVTT\n")
    site.module("alpha", folder="basics", body=(
        '# Heading\n\n@[video](../../media/my clip.webm "Intro")\n'))
    assert site.only("LS410").hint == (
        "Write it on a line of its own, at the start, as @[video](../../media/my%20clip.webm "
        '"Intro") (a space ends the address: write each as %20)')
    site.module("alpha", folder="basics", body=(
        '# Heading\n\n@[video](../../media/my%20clip.webm "Intro")\n'))
    assert site.check() == []


def test_ls411_a_raw_player_or_script_in_a_body(site):
    site.module("alpha", folder="basics", body=(
        "# Heading\n\nSee <IFRAME src=\"https://www.youtube.com/embed/dQw4w9WgXcQ\"></IFRAME>\n\n"
        "<video src=\"clip.mp4\" controls></video> and <script>alert(1)</script>\n\n"
        "In code: `<iframe>`, and\n\n```html\n<video src=\"x.mp4\"></video>\n```\n\n"
        "A <videos> word is no tag.\n"))
    found = site.findings("LS411")
    assert [(f.line, f.col) for f in found] == [
        site.at(ALPHA, "<IFRAME"), site.at(ALPHA, "<video"), site.at(ALPHA, "<script")]
    assert "<iframe> player" in found[0].message and "@[video](" in found[0].hint
    assert "would run in every learner's browser" in found[2].message


def test_ls411_script_in_an_attribute_or_a_link(site):
    """No <script>, yet a script all the same: each reached the built page as written."""
    site.module("alpha", folder="basics", body=(
        "# Heading\n\nSee [the docs](javascript:alert(1)) and "
        "<a href=\"JavaScript:alert(2)\">x</a>.\n\n"
        "## A <img alt=\"a\" src=x onerror=alert(3)> title\n\n"
        "[ref]: vbscript:msgbox(4)\n\n"
        "In code: `<img onerror=x>`, a word like onerror=, "
        "[a page](https://example.com/?q=javascript:x) and <b class=\"online\">bold</b>\n"))
    found = site.findings("LS411")
    assert [((f.line, f.col), f.message) for f in found] == [
        (site.at(ALPHA, "[the docs]"), "the 'javascript:' link runs a script in every learner's "
                                       "browser"),
        (site.at(ALPHA, "<a href"), "the 'javascript:' link runs a script in every learner's "
                                    "browser"),
        (site.at(ALPHA, "<img"), "the 'onerror=' attribute runs a script in every learner's "
                                 "browser"),
        (site.at(ALPHA, "[ref]"), "the 'vbscript:' link runs a script in every learner's browser")]


@pytest.mark.parametrize("html", [
    '<x:y onmouseover="alert(1)" style="position:fixed;inset:0">cover</x:y>',
    "<javascript:alert(4) autofocus onfocus=alert(2) tabindex=1>",
    "<x.y onclick=alert(1)>z</x.y>",
    "<x_y(1) onclick=alert(1)>z</x_y(1)>",
    "<X:Y\n\tONCLICK=alert(1)>z</X:Y>",
    "<x:y/onclick=alert(1)>z</x:y>",
    '<a title=\u00a0"a onclick=alert(1) b">z</a>',  # a no-break space is no separator
])
@pytest.mark.parametrize("where", ["See {} now.", "- item {}", "## Title {}", "| {} | b |",
                                   "!!! note\n    Text {}", "<div>\n{}\n</div>"])
def test_ls411_reads_a_tag_name_as_markdown_and_the_browser_do(site, html, where):
    """A tag's name runs to a space, '/' or '>': each of these reached the page as an element
    whose attribute ran a script in Chromium, and LS411 said nothing."""
    table = "| a | b |\n|---|---|\n" if where.startswith("|") else ""
    site.module("alpha", folder="basics", body=f"# Heading\n\n{table}{where.format(html)}\n")
    found = site.findings("LS411")
    assert found and {(f.line, f.col) for f in found} == {site.at(ALPHA, html.split("\n")[0])}
    assert {f.message.split("'")[1] for f in found} <= {"onmouseover=", "style=", "onfocus=",
                                                        "onclick=", "onerror="}


def test_ls411_a_tag_name_with_odd_characters_and_no_harm_passes(site):
    site.module("alpha", folder="basics", body=(
        '# Heading\n\nAn <x:y title="a">unknown</x:y> element, <team@example.com>, '
        "<https://example.com/onboarding> and <https://example.com/?q=javascript:x>.\n"))
    assert site.findings("LS411") == []


def test_ls411_reads_an_attribute_list_as_markdown_does(site):
    """attr_list reads to the line's last '}' and splits words at spaces only: each of these
    put onclick on the element, and LS411 said nothing."""
    site.module("alpha", folder="basics", body=(
        '# Heading\n\nA paragraph\n{: title="}" onclick="alert(1)" }\n\n'
        '## Title {: a="x onclick=alert(2) }\n\n'
        "*word*{: title=> onclick=alert(3) }\n"))
    found = site.findings("LS411")
    assert [((f.line, f.col), f.message.split("'")[1]) for f in found] == [
        (site.at(ALPHA, '{: title="}"'), "onclick="), (site.at(ALPHA, '{: a="x'), "onclick="),
        (site.at(ALPHA, "{: title=>"), "onclick=")]


def test_ls411_reads_code_spans_as_markdown_does(site):
    """Backticks made code of a tag only where Markdown makes code: each of these tags
    reached the page and ran, and LS411 took it for code."""
    site.module("alpha", folder="basics", body=(
        "# Heading\n\nAn escaped \\`<img src=x onerror=alert(1)>` backtick.\n\n"
        "Runs ``x` <img src=x onerror=alert(2)> `y of different lengths.\n\n"
        "A span `` over\nlines `a `` <img src=x onerror=alert(3)> `\n\n"
        "Code: `<script>`, ``a ` <iframe>``, \\\\`<form>` and `` `<style>` ``.\n"))
    assert [(f.line, f.col) for f in site.findings("LS411")] == [
        site.at(ALPHA, "<img", n) for n in range(3)]


@pytest.mark.parametrize("html", [
    '<div markdown="yes">\n`<img src=x onerror=alert(1)>`\n</div>',  # only 1, block, span
    '<div markdown="">\n`<img src=x onerror=alert(1)>`\n</div>',
    '<div markdown="1" markdown="0">\n`<img src=x onerror=alert(1)>`\n</div>',  # the last
    "<pre markdown>\n`<img src=x onerror=alert(1)>`\n</pre>",  # never Markdown in a <pre>
    '<div title=\u00a0"a markdown b">\n`<img src=x onerror=alert(1)>`\n</div>',
    "<!-- a note --> <div>`<img src=x onerror=alert(1)>`</div>",
    "<?php x ?><div>\n`<img src=x onerror=alert(1)>`\n</div>",
    "<div></div><div>\n\n`<img src=x onerror=alert(1)>`\n\n</div>",
    "<div markdown>x</div><div>`<img src=x onerror=alert(1)>`</div>",
    "<div markdown><div>`<img src=x onerror=alert(1)>`</div></div>",
])
def test_ls411_backticks_in_raw_html_are_html(site, html):
    """Markdown leaves each of these blocks raw: the backticks stay, the tag runs."""
    site.module("alpha", folder="basics", body=f"# Heading\n\n{html}\n\nAfter.\n")
    assert [(f.line, f.col) for f in site.findings("LS411")] == [site.at(ALPHA, "<img")]


def test_ls411_backticks_after_inline_html_are_code(site):
    site.module("alpha", folder="basics", body=(
        "# Heading\n\n<kbd>Ctrl</kbd> then type `<script>`, <b>x</b> <div>`<form>`</div>\n\n"
        "<div markdown> <div>`<iframe>`</div></div>\n\n<br> <p>`<style>`</p>\n"))
    assert site.findings("LS411") == []


def test_ls411_markdown_written_into_a_tag(site):
    """Markdown makes the code span, autolink or link inside a tag into HTML before it keeps
    the tag: the quotes that brings ended the title, and onclick ran."""
    site.module("alpha", folder="basics", body=(
        '# Heading\n\nA <span title="`a" onclick="alert(1)`">code</span> span.\n\n'
        'An <span title="<https://example.com/ onmouseover=alert(2) x=>">address</span>.\n\n'
        'A <span title="[x](onclick=alert(3)//)">link</span> and a '
        '<span title="[x][ref]">reference</span>.\n\n'
        "[ref]: x/onclick=alert(4)//\n\n"
        'Plain: <img alt="Figure [1]" src="a.png"> <abbr title="a `b`, c">x</abbr> `<b title="`'
        "\n"))
    found = site.findings("LS411")
    assert [(f.line, f.col) for f in found] == [
        site.at(ALPHA, "<span"), site.at(ALPHA, "<span", 1), site.at(ALPHA, "<span", 2),
        site.at(ALPHA, '<span title="[x][ref]'), site.at(ALPHA, "<abbr")]
    assert "Markdown turns the `code`, link or <https://…> address inside this tag into HTML" \
        in found[0].message and "&#96;" in found[0].hint


def test_ls411_a_tag_never_closed_in_a_raw_block(site):
    """The page's own HTML after the body closed it: onerror ran."""
    site.module("alpha", folder="basics", body=(
        "# Heading\n\nText.\n\n<div>\n<img src=x onerror=alert(2) "))
    assert [(f.line, f.col) for f in site.findings("LS411")] == [site.at(ALPHA, "<img")]


def test_ls411_an_autolink_to_a_script(site):
    """Markdown writes '<scheme://…>' as a link to it: a 'javascript://' one ran its script
    ('//' starts a comment, %0A ends it) when clicked. In a raw HTML block it is a tag."""
    site.module("alpha", folder="basics", body=(
        "# Heading\n\nSee <JavaScript://%0Aalert(1)>.\n\n"
        "<div>\n<https://example.com onclick=alert(2)>\n</div>\n"))
    found = site.findings("LS411")
    assert [((f.line, f.col), f.message.split("'")[1]) for f in found] == [
        (site.at(ALPHA, "<JavaScript"), "javascript:"), (site.at(ALPHA, "<https"), "onclick=")]
    assert found[0].message == "the 'javascript:' link runs a script in every learner's browser"


def test_ls415_a_database_in_the_content_folder(site):
    """`lecosite collect` run from content/ wrote its statements there: the build then
    published learners' data beside the pages."""
    site.module("alpha", folder="basics")
    for name in ("lecosite-statements.sqlite", "lecosite-statements.sqlite-wal",
                 "media/notes.db"):
        site.write(f"content/{name}", b"SQLite format 3\x00")
    site.write("content/media/sqlite.png", b"png")
    found = site.findings("LS415")
    assert [f.file for f in found] == ["content/lecosite-statements.sqlite",
                                       "content/lecosite-statements.sqlite-wal",
                                       "content/media/notes.db"]
    assert found[0].severity is Severity.ERROR and "--db" in found[0].hint


def test_ls110_a_prerequisite_the_published_site_does_not_have(site):
    """The built 'Take first' line dropped it without a word."""
    site.module("alpha", folder="basics", status="draft")
    site.module("old", folder="basics", status="retired", replaced_by="gamma")
    site.module("gamma", folder="basics")
    site.module("beta", folder="basics", prerequisites=["alpha", "old", "gamma"])
    site.module("draft-too", folder="basics", status="draft", prerequisites=["alpha"])
    found = site.findings("LS110")
    assert [(f.file, f.message, f.hint) for f in found] == [
        ("content/modules/basics/beta.md", "prerequisite 'alpha' is draft, so the published "
         "page does not ask learners to take it first", "Publish 'alpha' first, or remove it "
         "from the prerequisites until it is."),
        ("content/modules/basics/beta.md", "prerequisite 'old' is retired, so the published "
         "page does not ask learners to take it first", "Name its replacement, 'gamma'.")]
    assert found[0].severity is Severity.WARNING


def test_ls110_a_prerequisite_with_an_invalid_status_is_its_own_error(site):
    """'prerequisite 'alpha' is , so…' repeated alpha's LS011 at beta; a prerequisite that
    replaces itself was offered as its own replacement."""
    site.module("alpha", folder="basics", status="publised")
    assert [f.rule for f in site.check()] == ["LS011"]
    site.module("alpha", folder="basics", status="retired", replaced_by="alpha")
    assert site.only("LS110").hint == "Remove it from the prerequisites."


def test_ls409_placeholders_left_by_new_in_a_published_module(site):
    site.module("alpha", folder="basics", summary="TODO: one or two sentences about Alpha.",
                body="# Heading\n\n```text\nTODO: in code, this is an example\n```\n\n"
                     "  TODO: teach one thing.\n")
    found = site.findings("LS409")
    assert [place(f) for f in found] == [(ALPHA, *site.at(ALPHA, "summary")),
                                         (ALPHA, *site.at(ALPHA, "TODO: teach"))]
    assert found[0].message == "'summary' is still a placeholder"


def test_ls409_placeholders_in_lists_headings_quotes_tables_and_the_title(site):
    site.module("alpha", folder="basics", title="Alpha (todo: better title)",
                body="Intro.\n\n2. TODO: add the screenshot\n## Todo: What if it fails\n"
                     "> TODO: ask SME\n- [ ] TODO: a task\n| a | TODO: cell |\n\n"
                     "A line that mentions TODO: in the middle is text.\n")
    found = site.findings("LS409")
    assert [place(f) for f in found] == [
        (ALPHA, *site.at(ALPHA, "title")),
        (ALPHA, *site.at(ALPHA, "TODO: add")), (ALPHA, *site.at(ALPHA, "Todo: What")),
        (ALPHA, *site.at(ALPHA, "TODO: ask")), (ALPHA, *site.at(ALPHA, "TODO: a task")),
        (ALPHA, *site.at(ALPHA, "TODO: cell"))]
    assert found[0].message == "'title' is still a placeholder"


def test_ls409_a_published_module_or_path_is_not_empty(site):
    site.module("alpha", folder="basics", body="\n")
    site.path("basics", modules=["alpha", "beta"], goal="TODO: a goal.")
    found = site.findings("LS409")
    assert {(f.file, f.message) for f in found} == {
        (ALPHA, "the module is published but empty"), (BASICS, "'goal' is still a placeholder")}


def test_ls409_passes_for_drafts(site):
    site.module("alpha", folder="basics", status="draft", body="TODO: teach one thing.\n")
    site.module("beta", folder="basics", status="draft")  # not asking for alpha (LS110)
    site.path("basics", modules=["alpha", "beta"], status="draft")
    assert site.check() == []


# -- knowledge checks (LS5xx) --------------------------------------------------------------


CHECK = """\
# Heading

```check
? Which port must be open?
objective: {objective}
- [ ] 80 -- No.
- [x] 443 -- Yes.
```
"""


def test_ls501_unassessed_objective(site):
    site.module("alpha", folder="basics", objectives=["Open ports.", "Set the proxy."],
                body=CHECK.format(objective=1))
    finding = site.only("LS501")
    assert place(finding) == (ALPHA, *site.at(ALPHA, "Set the proxy."))
    assert finding.severity is Severity.WARNING


def test_ls501_passes_when_every_objective_is_assessed(site):
    site.module("alpha", folder="basics", objectives=["Open ports.", "Set the proxy."],
                body=CHECK.format(objective=1) + CHECK.format(objective="set the proxy."))
    assert site.check() == []


def test_ls502_unknown_objective(site):
    site.module("alpha", folder="basics", body=CHECK.format(objective=3))
    finding = site.only("LS502")
    assert place(finding) == (ALPHA, *site.at(ALPHA, "objective: 3"))
    assert finding.hint.startswith("Write the objective's number")


def test_ls502_names_the_objective_a_near_copy_means(site):
    long = "Reset the cache with tfconnect cache reset without losing queued data."
    site.module("alpha", folder="basics", objectives=["Open ports.", long],
                body=CHECK.format(objective=long[:-1]))
    shown = long[:59] + "…"  # cut, and marked so
    assert site.only("LS502").hint == (
        f"Did you mean objective 2, '{shown}'? Write the objective's number (1 for the first) "
        "or its exact text.")
    site.module("alpha", folder="basics", objectives=["Open ports.", long],
                body=CHECK.format(objective=1))
    assert site.only("LS501").message == f"objective 2 has no question: '{shown}'"


@pytest.mark.parametrize(("written", "rule", "at"), [
    ("objective:\n  - Open ports.\n  - Set the proxy.\n", "LS012", "objective:"),
    ("objectives:\n  • Open ports.\n  • Set the proxy.\n", "LS011", "objectives:"),
    ("objectives:\n  1. Open ports.\n  2. Set the proxy.\n", "LS011", "objectives:"),
    ("objectives: []\n", "LS011", "objectives:"),
])
def test_ls502_waits_while_the_objectives_cannot_be_counted(site, written, rule, at):
    """A misspelt key, bullets YAML reads as text or an item joined to the one above was
    also reported as questions naming objectives the module did not have, with a hint to
    change the questions, which were right."""
    site.module("alpha", folder="basics", objectives=["PLACE"],
                body=CHECK.format(objective=1) + CHECK.format(objective=2))
    site.write(ALPHA, site.read(ALPHA).replace("objectives: [PLACE]\n", written))
    assert [(f.rule, place(f)) for f in site.check()] == [(rule, (ALPHA, *site.at(ALPHA, at)))]


def test_ls502_under_objectives_joined_by_yaml_says_to_fix_the_join(site):
    """The join is a warning (the text may be meant); the question naming objective 2 is
    then an error, so the check fails, but its fix is the join, not the question."""
    site.module("alpha", folder="basics", objectives=["PLACE"],
                body=CHECK.format(objective=1) + CHECK.format(objective=2))
    site.write(ALPHA, site.read(ALPHA).replace(
        "objectives: [PLACE]\n", "objectives:\n  - Open ports.\n   - Set the proxy.\n"))
    found = site.check()
    assert [(f.rule, f.severity) for f in found] == [("LS008", Severity.WARNING),
                                                     ("LS502", Severity.ERROR)]
    line = site.at(ALPHA, "- Open")[0]
    assert found[1].hint == (f"YAML joined two objectives into objective 1 (line {line}, "
                             "LS008): put its second '-' in line with the others, and the "
                             "question may be right as it is.")


def test_ls501_waits_while_the_objectives_are_text(site):
    site.module("alpha", folder="basics", objectives="Open ports. Set the proxy.",
                body=CHECK.format(objective="Open ports.") + CHECK.format(objective=2))
    assert [f.rule for f in site.check()] == ["LS011"]


def test_ls505_a_dash_where_feedback_would_start(site):
    site.module("alpha", folder="basics", objectives=["Open the ports."], body=(
        "# Heading\n\n```check\n? Which port?\n- [ ] 80 — No: plain HTTP.\n"
        "- [x] 443 -- Yes: HTTPS.\n- [ ] 8080-8090\n```\n"))
    finding = site.only("LS505")
    assert place(finding) == (ALPHA, *site.at(ALPHA, "- [ ] 80"))
    assert finding.severity is Severity.WARNING
    assert "'—'" in finding.message


@pytest.mark.parametrize("choice", ["- [ ] 80 - No: plain HTTP.", "- [ ] 80--No: plain HTTP.",
                                    "- [ ] 80 -No: plain HTTP.", "- [ ] 80 – no, plain HTTP.",
                                    "- [ ] 80 -> No: plain HTTP.", "- [ ] 80 → Wrong: HTTP.",
                                    "- [ ] 80 ― No: plain HTTP.", "- [ ] 80 => no, HTTP."])
def test_ls505_hyphens_without_the_spaces_before_feedback(site, choice):
    site.module("alpha", folder="basics", objectives=["Open the ports."], body=(
        f"# Heading\n\n```check\n? Which port?\n{choice}\n- [x] 443 -- Yes: HTTPS.\n"
        "- [ ] git push --no-verify\n- [ ] Self-signed - only in tests\n"
        "- [ ] Settings -> Network -> Proxy\n```\n"))
    assert place(site.only("LS505")) == (ALPHA, *site.at(ALPHA, "- [ ] 80"))


def test_ls503_lines_that_would_be_misread(site):
    """Each was read without a word: feedback typed into the answer key (nobody could pass),
    an empty choice, a second objective or choice-question 'feedback:' silently dropped."""
    body = ("```check\n? Which port must be open?\nobjective: 1\nobjective: 2\n"
            "- [x] -- Yes.\n- [ ] 80 -- No.\n- [ ] 8080\nfeedback: Think of HTTPS.\n```\n\n"
            "```check\n? Which port must be open?\nobjective: 1\n= 443 -- Yes: HTTPS.\n"
            "= tfconnect open --port 443\n```\n")
    site.module("alpha", folder="basics", objectives=["Open ports.", "Set the proxy."],
                body=body)
    found = sorted((f.line, f.message) for f in site.check() if f.rule == "LS503")
    fence = site.at(ALPHA, "```check")[0]
    assert found == [
        (fence, "'feedback:' is shown for a wrong short answer; a choice question shows none "
                "of it: give each choice its feedback after ' -- '"),
        (fence + 3, f"a question assesses one objective; line {fence + 2} already names one: "
                    "keep one 'objective:' line"),
        (fence + 4, "the choice has no text before its feedback: write the choice after ']'"),
        (site.at(ALPHA, "= 443")[0], "a short answer holds no feedback after ' -- ': learners "
                                     "would have to type it too; put it on a 'feedback:' line"),
    ]


def test_ls503_type_single_with_two_right_choices(site):
    """Not silently turned into a 'select all that apply' question."""
    body = ("```check\n? Which ports?\ntype: single\nobjective: 1\n- [x] 443 -- Yes.\n"
            "- [x] 8443 -- Yes.\n- [ ] 80 -- No.\n```\n")
    site.module("alpha", folder="basics", body=body)
    finding = site.only("LS503")
    assert (finding.line, finding.message) == (
        site.at(ALPHA, "type: single")[0],
        "'type: single', but 2 choices are marked right with [x]: learners would be asked to "
        "select all that apply; mark one, or write 'type: multiple'")


def test_ls503_invalid_check(site):
    body = CHECK.format(objective=1).replace("- [ ] 80 -- No.", "80 or 443?")
    site.module("alpha", folder="basics", body=body)
    found = sorted((f.line, f.col, f.message) for f in site.check() if f.rule == "LS503")
    fence = site.at(ALPHA, "```check")[0]
    assert found == [
        (fence, 1, "a choice question needs at least two choices"),
        (site.at(ALPHA, "80 or 443?")[0], 1, "cannot read this line: '80 or 443?'"),
    ]


def test_ls503_a_choice_listed_twice(site):
    """Marked right once and wrong once, no answer to the question could score."""
    body = ("```check\n? Which port must be open?\nobjective: 1\n- [x] 443\n- [ ] 80\n"
            "- [ ]  443 -- No.\n- [ ] 80\n```\n")
    site.module("alpha", folder="basics", body=body)
    found = sorted((f.line, f.message) for f in site.check() if f.rule == "LS503")
    first_443, first_80 = site.at(ALPHA, "- [x] 443")[0], site.at(ALPHA, "- [ ] 80")[0]
    assert found == [
        (first_80 + 1, f"the choice '443' repeats the one on line {first_443}, once marked "
                       "right and once wrong: learners would see it twice; remove one"),
        (first_80 + 2, f"the choice '80' repeats the one on line {first_80}: learners would "
                       "see it twice; remove one"),
    ]


@pytest.mark.parametrize(("line", "says"), [
    ("=", "an answer line ('=') is empty: write the accepted answer after '='"),
    ("= 443 -- yes", "a short answer holds no feedback after ' -- ': learners would have to "
                     "type it too; put it on a 'feedback:' line"),
])
def test_ls503_a_short_answer_it_cannot_read_is_one_finding(site, line, says):
    """Not also 'a choice question needs at least two choices': it has no choices."""
    body = f"```check\n? Which port must be open?\nobjective: 1\n{line}\n```\n"
    site.module("alpha", folder="basics", body=body)
    found = sorted((f.line, f.message) for f in site.check() if f.rule == "LS503")
    assert found == [(site.at(ALPHA, line)[0], says)]


@pytest.mark.parametrize(("fence", "indent", "expected"), [
    ("```Check", "", "not ```Check"),
    ("``` checks", "", "not ```checks"),
    ("~~~{.check}", "", "not ~~~{.check}"),
    ("```check", "    ", "not inside a call-out"),
    ("```check", "> ", "not inside a call-out"),
])
def test_ls503_fence_not_read_as_a_check(site, fence, indent, expected):
    """Such a block was shown to learners as code, the [x] answers included, unreported."""
    lines = [fence, "? Which port must be open?", "- [ ] 80", "- [x] 443", fence[:3]]
    body = "# Heading\n\n!!! note\n" + "".join(f"{indent}{line}\n" for line in lines)
    site.module("alpha", folder="basics", body=body)
    finding = site.only("LS503")
    assert place(finding) == (ALPHA, site.at(ALPHA, fence)[0], 1)
    assert expected in finding.message and "answers included" in finding.message


@pytest.mark.parametrize(("opening", "closing"), [("~~~check", "```"), ("````check", "```"),
                                                  ("```check", "")])
def test_ls503_check_never_closed(site, opening, closing):
    """The portal shows the question as plain text then, the answers included."""
    body = f"{opening}\n? Which port must be open?\n- [ ] 80\n- [x] 443\n{closing}\n\nMore.\n"
    site.module("alpha", folder="basics", body=body)
    finding = site.only("LS503")
    assert place(finding) == (ALPHA, site.at(ALPHA, opening)[0], 1)
    fence = opening.removesuffix("check")
    assert f"never closed: end it with a line {fence} " in finding.message


@pytest.mark.parametrize(("opening", "next_opening"), [
    ("```check", "```check"), ("~~~check", "``` check"), ("````check", "~~~check")])
def test_ls503_a_check_left_open_before_the_next_is_one_finding(site, opening, next_opening):
    """It held the next check up to that one's fence: a stray '```check' line, two '?' and
    two 'objective:' lines were reported, and its objectives as unassessed."""
    second = CHECK.format(objective=2).removeprefix("# Heading\n\n")
    second = second.replace("```check", next_opening).replace("```\n", next_opening[:3] + "\n")
    body = CHECK.format(objective=1).replace("```check", opening).replace(
        "443 -- Yes.\n```\n", "443 -- Yes.\n\n") + second
    site.module("alpha", folder="basics", body=body, objectives=["Open ports.", "Test them."])
    finding = site.only("LS503")
    following = site.at(ALPHA, next_opening, nth=int(next_opening == opening))[0]
    assert place(finding) == (ALPHA, site.at(ALPHA, opening)[0], 1)
    fence = opening.removesuffix("check")
    last = site.at(ALPHA, "443 -- Yes.")[0]
    assert finding.message == (f"the check is not closed before the next check starts on "
                               f"line {following}: add a line {fence} after line {last}")


def test_ls503_a_check_left_open_before_a_code_block_is_one_finding(site):
    body = CHECK.format(objective=1).replace("443 -- Yes.\n```\n", "443 -- Yes.\n\nRun:\n\n")
    site.module("alpha", folder="basics", body=body + "```bash\ntfconnect status\n```\n")
    finding = site.only("LS503")
    assert finding.message == (
        f"the check is not closed before a code block starts on line "
        f"{site.at(ALPHA, '```bash')[0]}: add a line ``` after line "
        f"{site.at(ALPHA, '443 -- Yes.')[0]}")
    assert [f.rule for f in site.check()] == ["LS503"]
    assert [f.rule for f in site.check()] == ["LS503"]


def test_a_check_after_a_code_block_in_a_quote_is_read(site):
    """A quoted fence closes in its quote: the check after it was taken for its text."""
    body = "# Heading\n\n> ```bash\n> tfconnect status\n> ```\n\n" + CHECK.format(
        objective=1).removeprefix("# Heading\n\n")
    site.module("alpha", folder="basics", body=body)
    assert site.check() == []  # read as a check: objective 1 is assessed (no LS501)
    assert [q.prompt for q in questions.find(body)] == ["Which port must be open?"]


def test_ls503_a_check_ends_at_its_own_fence_only(site):
    """As in the portal's Markdown (pymdownx.superfences): a longer fence does not close."""
    body = CHECK.format(objective=1).replace("443 -- Yes.\n```", "443 -- Yes.\n````")
    site.module("alpha", folder="basics", body=body)
    finding = site.only("LS503")
    assert "never closed: end it with a line ``` " in finding.message
    assert questions.find(body) == []


@pytest.mark.parametrize("shown", [
    "CHECK",
    "```Check\n? Q?\n- [x] a\n- [ ] b\n```\n",  # the wrong way, shown as a warning
    "~~~check\n? Q?\n",  # a partial check, never closed inside the example
])
def test_ls503_passes_for_a_check_shown_as_an_example(site, shown):
    shown = CHECK.format(objective=1) if shown == "CHECK" else shown
    body = f"# Heading\n\n````markdown\n{shown}````\n\nA `check` fence.\n"
    site.module("alpha", folder="basics", body=body)
    assert [f for f in site.check() if f.rule == "LS503"] == []


def test_ls504_check_required_without_checks(site):
    site.module("alpha", folder="basics", completion={"check": 0.8})
    finding = site.only("LS504")
    assert place(finding) == (ALPHA, *site.at(ALPHA, "check: 0.8"))
    site.module("alpha", folder="basics", completion={"check": 0.8},
                body=CHECK.format(objective=1))
    assert [f for f in site.check() if f.rule == "LS504"] == []


def test_ls414_video_completion_without_video(site):
    site.module("alpha", folder="basics", completion={"video": 0.9})
    finding = site.only("LS414")
    assert place(finding) == (ALPHA, *site.at(ALPHA, "video: 0.9"))
    assert "no 'video'" in finding.message and "remove 'video'" in finding.hint
    site.module("alpha", folder="basics", completion={"video": 0.9},
                video={"src": YOUTUBE, "captions": [{"lang": "en"}]})
    assert site.findings("LS414") == []


# -- governance (LS6xx): raised by `lecosite diff` against the commit in `git_site` --------


def diffed(site):
    """The findings the diff makes (version rules), then those the change introduced."""
    return site.diff().blamed


def test_ls601_changed_module_without_a_version_bump(git_site):
    git_site.module("alpha", folder="basics", body="# Heading\n\nOther text.\n")
    finding = git_site.only("LS601", diffed(git_site))
    assert place(finding) == (ALPHA, *git_site.at(ALPHA, "version:"))
    assert "at least 1.0.1" in finding.hint


def test_ls601_passes_for_review_dates_and_owners_only(git_site):
    git_site.module("alpha", folder="basics", last_reviewed="2026-05-30",
                    review_by="2027-05-30", owners=["@org/other"])
    assert diffed(git_site) == []


def test_ls602_bump_too_small_for_an_added_objective(git_site):
    git_site.module("alpha", folder="basics", version="1.0.1",
                    objectives=["Do alpha.", "Do more."], changelog=[{"1.0.1": "More."}])
    finding = git_site.only("LS602", diffed(git_site))
    assert place(finding) == (ALPHA, *git_site.at(ALPHA, "version:"))
    assert "needs a minor bump (1.1.0)" in finding.message


def test_ls602_bump_too_small_for_changed_prerequisites(git_site):
    git_site.module("beta", folder="basics", prerequisites=None, version="1.1.0",
                    changelog=[{"1.1.0": "No prerequisites any more."}])
    finding = git_site.only("LS602", diffed(git_site))
    assert place(finding) == (BETA, *git_site.at(BETA, "version:"))
    assert "needs a major bump (2.0.0)" in finding.message


def test_ls608_major_bump_unneeded_but_going_live_from_0x_is_not(git_site):
    git_site.module("alpha", folder="basics", version="2.0.0", body="# Heading\n\nTypo.\n",
                    changelog=[{"2.0.0": "Typo."}])
    finding = git_site.only("LS608", diffed(git_site))
    assert (place(finding), finding.severity) == ((ALPHA, *git_site.at(ALPHA, "version:")),
                                                  Severity.WARNING)
    git_site.module("alpha", folder="basics", version="0.3.0", changelog=[{"0.3.0": "Beta."}])
    git_site.commit("a module before its first release")
    git_site.module("alpha", folder="basics", version="1.0.0", body="# Heading\n\nTypo.\n",
                    changelog=[{"1.0.0": "First release."}, {"0.3.0": "Beta."}])
    assert [f.rule for f in diffed(git_site)] == []


def test_ls609_check_objective_renumbered(git_site):
    check = "```check\n? Q?\nobjective: 2\n- [x] A -- Yes.\n- [ ] B -- No.\n```\n"
    git_site.module("alpha", folder="basics", objectives=["Do alpha.", "Check alpha."],
                    version="1.1.0", changelog=[{"1.1.0": "Two."}], body=check)
    git_site.commit("two objectives")
    git_site.module("alpha", folder="basics", objectives=["Check alpha.", "Do alpha."],
                    version="1.2.0", changelog=[{"1.2.0": "Swapped."}], body=check)
    finding = git_site.only("LS609", diffed(git_site))
    assert (place(finding), finding.severity) == ((ALPHA, *git_site.at(ALPHA, "objective: 2")),
                                                  Severity.WARNING)


def test_ls603_changelog_missing(git_site):
    git_site.module("alpha", folder="basics", version="1.0.1", body="# Heading\n\nFixed.\n",
                    changelog=[{"1.0.0": "First release."}])
    finding = git_site.only("LS603", diffed(git_site))
    assert place(finding) == (ALPHA, *git_site.at(ALPHA, "changelog:"))
    assert "1.0.1" in finding.message


def test_ls603_passes_with_an_entry_for_the_new_version(git_site):
    git_site.module("alpha", folder="basics", version="1.0.1", body="# Heading\n\nFixed.\n",
                    changelog=[{"1.0.1": "Fixed a typo."}, {"1.0.0": "First release."}])
    assert diffed(git_site) == []


def test_ls604_removed_module_still_referenced(git_site):
    git_site.remove(ALPHA)
    found = sorted((*place(f), f.message) for f in diffed(git_site) if f.rule == "LS604")
    removed = f"module 'alpha' was removed in this change ({ALPHA})"
    assert found == [
        (BETA, *git_site.at(BETA, "alpha]"), f"{removed} but is still listed in prerequisites"),
        (BASICS, *git_site.at(BASICS, "alpha"),
         f"{removed} but is still listed in the path's modules"),
    ]


def test_ls605_version_backwards(git_site):
    git_site.module("alpha", folder="basics", version="0.9.0")
    finding = git_site.only("LS605", diffed(git_site))
    assert place(finding) == (ALPHA, *git_site.at(ALPHA, "version:"))
    assert "1.0.0 → 0.9.0" in finding.message


def test_ls611_codeowners_out_of_sync(site):
    from lecosite.governance.codeowners import generate
    from lecosite.load import load_site
    from lecosite.project import load_settings

    site.write(".github/CODEOWNERS", generate(load_site(load_settings(site.root)[0])[0]))
    assert site.check() == []
    site.module("beta", folder="basics", prerequisites=["alpha"], owners=["docs@example.com"])
    finding = site.only("LS611")
    assert place(finding) == (".github/CODEOWNERS",
                              *site.at(".github/CODEOWNERS", "/content/modules/basics/beta.md"))
    assert finding.severity is Severity.WARNING
    assert "docs@example.com" in finding.message


@pytest.mark.parametrize("config", [
    {"mkdocs.yml": "site_name: T\nuse_directory_urls: false\n"},
    {"base.yml": "site_name: T\nuse_directory_urls: false\n",
     "mkdocs.yml": "INHERIT: base.yml\nplugins: [lecosite]\n"},
], ids=["mkdocs.yml", "inherited"])
def test_ls403_reads_html_links_from_html_addresses_without_directory_urls(site, config):
    """With use_directory_urls: false a guide is published at guides/help.html, so a browser
    reads its links from guides/, not guides/help/: the check followed MkDocs' default
    and called right links wrong and wrong ones right."""
    site.write("content/index.md", "# Home\n")
    site.write("content/guides/other.md", "# Other\n")
    site.write("content/guides/help.md", (
        '# Help\n\n<a href="../modules/alpha/index.html">alpha</a> '
        '<a href="../modules/beta/">beta</a> <a href="other.html">other</a> '
        '<a href="../index.html">catalog</a> <a href="other/">gone</a>\n'))
    site.module("alpha", folder="basics", body=(
        '# Alpha\n\n<a href="../../guides/help.html">help</a> '
        '<a href="../../guides/help/">gone</a>\n'))
    # As directory URLs read them: all of the guide's are wrong, and the module's first.
    assert [f.file for f in site.findings("LS403")] == ["content/guides/help.md"] * 5 + [ALPHA]
    for name, text in config.items():
        site.write(name, text)
    found = site.findings("LS403")
    assert [(f.file, f.line, f.col) for f in found] == [
        ("content/guides/help.md", *site.at("content/guides/help.md", '<a href="other/"')),
        (ALPHA, *site.at(ALPHA, '<a href="../../guides/help/"'))]
    assert "page's address, 'guides/help.html'," in found[0].message
    assert found[0].hint.endswith("In HTML, write it relative to the page's address: "
                                  "'other.html'.")
    assert "page's address, 'modules/alpha/index.html'," in found[1].message
    assert found[1].hint.endswith("'../../guides/help.html'.")


CATALOG_OFF = "You have no home page of your own, and mkdocs.yml has 'catalog: false' "
GOVERNANCE = "The governance page is published only where mkdocs.yml has 'governance: true' "


@pytest.mark.parametrize(("config", "hints"), [
    ({}, [None, GOVERNANCE]),
    ({"mkdocs.yml": "plugins:\n  - search\n  - lecosite:\n      catalog: false\n"},
     [CATALOG_OFF, GOVERNANCE]),
    ({"mkdocs.yml": "plugins:\n  lecosite:\n    catalog: false\n    governance: true\n"},
     [CATALOG_OFF, None]),
    ({"mkdocs.yml": "plugins:\n  - lecosite:\n      governance: preview\n"},
     [None, "The governance page is published only in the preview (lecosite serve), as "
      "mkdocs.yml has 'governance: preview' "]),
    ({"base.yml": "plugins:\n  - lecosite:\n      catalog: false\n      governance: true\n",
      "mkdocs.yml": "INHERIT: base.yml\nsite_name: T\n"}, [CATALOG_OFF, None]),
    # MkDocs merges a mapping of plugins with the one it inherits, and replaces a list
    ({"base.yml": "plugins:\n  lecosite:\n    catalog: false\n",
      "mkdocs.yml": "INHERIT: base.yml\nplugins:\n  lecosite:\n    governance: true\n"},
     [CATALOG_OFF, None]),
    ({"base.yml": "plugins:\n  - lecosite:\n      catalog: false\n",
      "mkdocs.yml": "INHERIT: base.yml\nplugins:\n  - lecosite:\n      governance: true\n"},
     [None, None]),
], ids=["defaults", "no-catalog", "mapping", "governance-preview", "inherited", "merged",
        "replaced"])
def test_ls403_a_link_to_a_page_the_plugins_options_leave_out(site, config, hints):
    """The catalog (`catalog: false`) and the governance page (unless `governance: true`)
    are not built where the plugin's options in mkdocs.yml say so: a link to the catalog
    passed, and one to the governance page failed where every build has it."""
    for name, text in config.items():
        site.write(name, text)
    site.module("alpha", folder="basics", body=(
        "# Alpha\n\n[Catalog](../../index.md), [governance](../../governance/index.md)\n"))
    found = {f.message: f.hint for f in site.findings("LS403")}
    for target, hint in zip(("../../index.md", "../../governance/index.md"), hints,
                            strict=True):
        message = f"link target '{target}' not found"
        assert (message in found) is (hint is not None)
        assert found.get(message, "").startswith(hint or "")
