"""The MkDocs plugin, through real builds of small sites (no browser needed)."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
import warnings
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from served import free_port, port_taken

from lecosite.check import check_project
from lecosite.mkdocs.config import LecositeConfig
from lecosite.project import PLUGIN_OPTIONS
from lecosite.render import Renderer

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

MKDOCS = """\
site_name: Test academy
site_url: http://127.0.0.1:8000/
docs_dir: content
theme:
  name: material
  font: false
  features: [navigation.indexes, navigation.prune]
plugins:
  - lecosite:
      drafts: {drafts}
      nav_fanout: {fanout}
{extra}"""
FAR = "2099-01-01"  # review dates that never fall due while these tests live


@pytest.fixture
def portal(make_site):
    """A project with mkdocs.yml; ``build()`` runs a real MkDocs build and returns the site."""
    project = make_site(bare=True)

    def run(*, drafts=False, fanout=16, strict=False, collector=None, governance=None,
            site_url="http://127.0.0.1:8000/", serving=False):
        extra = f"      collector: {collector}\n" if collector else ""
        if governance is not None:
            extra += f"      governance: {governance}\n"
        project.write("mkdocs.yml", MKDOCS.format(drafts=str(drafts).lower(), fanout=fanout,
                                                  extra=extra).replace(
            "http://127.0.0.1:8000/", site_url))
        config = load_config(str(project.root / "mkdocs.yml"), strict=strict)
        (preview if serving else build)(config)
        return project.root / "site"

    project.build = run
    return project


def page(site, url):
    return (site / url / "index.html").read_text(encoding="utf-8")


def test_modules_get_pages_by_id_and_the_nav_comes_from_paths(portal):
    portal.module("alpha", folder="deep/er", review_by=FAR)
    portal.module("beta", review_by=FAR, prerequisites=["alpha"])
    portal.module("gamma", review_by=FAR)
    portal.path("first", modules=["alpha", "beta"])
    portal.path("second", kind="learning-plan", modules=["beta", "gamma"])
    site = portal.build()
    assert "data-ls-module=\"alpha\"" in page(site, "modules/alpha")
    assert not (site / "paths" / "first.yml").exists()  # path sources are not published
    nav = page(site, "modules/gamma")
    # one section per kind, paths inside, a reused module is one page (a link in the 2nd path)
    assert nav.index("Learning plans") < nav.index("Courses")
    assert nav.count('href="../beta/?path=second"') == 1
    assert "data-ls-pathnav=\"second\"" in nav


def test_a_certification_leads_through_the_modules_of_the_paths_it_requires(portal):
    """A module met only through a required course still belongs to the certification: its
    page takes the certification as context (prev/next in the certification's order), and
    the certification page links it with that context."""
    for mid in ("alpha", "beta", "gamma"):
        portal.module(mid, review_by=FAR)
    portal.path("course", modules=["alpha", "beta"])
    portal.path("exam", kind="certification", modules=["gamma"], requires=["course"],
                valid_for=12, pass_mark=0.8)
    site = portal.build()
    beta = page(site, "modules/beta")
    assert 'data-ls-paths="course exam"' in beta
    cert_nav = beta[beta.index('data-ls-pathnav="exam"'):]
    cert_nav = cert_nav[:cert_nav.index("</nav>")]
    assert re.sub(r"<[^>]+>", "", cert_nav).count("Module 3 of 3 in Exam") == 1
    assert 'href="../alpha/?path=exam"' in cert_nav and "Back to Exam" in cert_nav
    exam = page(site, "paths/exam")
    assert 'data-ls-modules="gamma@1.0.0:0 alpha@1.0.0:0 beta@1.0.0:0"' in exam
    required = exam[exam.index('class="ls-required"'):exam.index("</ul>\n    </li>")]
    assert re.findall(r'data-ls-module-item="(\w+)"[^>]*><a href="([^"]+)"', required) == [
        ("alpha", "../../modules/alpha/?path=exam"), ("beta", "../../modules/beta/?path=exam")]


def test_whole_numbers_written_with_a_point_are_published_as_written(portal):
    """'duration: 8.0', 'valid_for: 24.0', 'length: 272.0' passed the check, then the page
    showed 0 min, the certificate expired after the default 12 months and the video lost its
    length; 'review_every: 6.0' stopped the build with a TypeError."""
    portal.write("content/modules/basics/_defaults.yml", "review_every: 6.0\n")
    video = {"src": "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "length": 272.0,
             "captions": [{"lang": "en"}]}
    portal.module("alpha", folder="basics", duration=8.0, video=video, review_by=None,
                  last_reviewed="2026-01-15")
    portal.module("beta", folder="basics", duration=7, review_by=FAR)
    portal.path("exam", kind="certification", modules=["alpha", "beta"], valid_for=24.0,
                pass_mark=0.8)
    site = portal.build()
    alpha = page(site, "modules/alpha")
    assert 'data-ls-duration="8"' in alpha and "<dd>8 min</dd>" in alpha
    assert 'data-ls-length="272"' in alpha and "Play video: Alpha (4:32)" in alpha
    assert 'data-ls-duration="15">15 min<' in page(site, "paths/exam")
    assert 'data-ls-valid-for="24"' in page(site, "certificates/exam")


def preview(config) -> None:
    """Build as `serve` does. MkDocs keeps one plugin instance per process (for serve's
    rebuilds), so the next test's build must find it in build mode again."""
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_startup(command="build", dirty=False)


@pytest.mark.parametrize(("option", "built", "served"), [
    (None, False, False), ("false", False, False), ("preview", False, True),
    ("true", True, True)])
def test_the_governance_page_is_published_only_where_the_option_says(portal, option, built,
                                                                      served):
    """It lists owners' e-mail addresses: `preview` keeps it to `lecosite serve`. Module
    pages and a retired module's tombstone name their owners under the same rule."""
    portal.module("alpha", review_by=FAR, owners=["ana@example.com"])
    portal.module("old", status="retired", replaced_by="alpha", owners=["bo@example.com"],
                  review_by=FAR)
    portal.path("first", modules=["alpha"])
    for serving, shown in ((False, built), (True, served)):
        site = portal.build(governance=option, serving=serving)
        governance = site / "governance" / "index.html"
        assert governance.is_file() is shown
        assert ("ana@example.com" in governance.read_text(encoding="utf-8")) if shown else True
        assert ('href="../../governance/"' in page(site, "modules/alpha")) is shown
        assert ("ana@example.com" in page(site, "modules/alpha")) is shown
        assert ("bo@example.com" in page(site, "modules/old")) is shown


def test_a_wrong_governance_option_is_named(portal):
    portal.module("alpha", review_by=FAR)
    with pytest.raises(Abort):
        portal.build(governance="internal")


def test_drafts_are_left_out_unless_the_option_shows_them(portal):
    portal.module("alpha", review_by=FAR)
    portal.module("sketch", status="draft", review_by=FAR)
    portal.path("first", modules=["alpha"])
    portal.path("plan", kind="learning-plan", status="draft", modules=["alpha"])
    site = portal.build()
    assert not (site / "modules" / "sketch").exists()
    assert not (site / "paths" / "plan").exists()
    site = portal.build(drafts=True)
    assert "Preview: this module is not published yet." in page(site, "modules/sketch")
    assert "Preview: this learning plan is not published yet." in page(site, "paths/plan")
    assert "not published yet" not in page(site, "paths/first")
    # The author's preview (`serve`) shows the draft they are writing, marked.
    portal.write("mkdocs.yml", MKDOCS.format(drafts="false", fanout=16, extra=""))
    preview(load_config(str(portal.root / "mkdocs.yml")))
    assert "Preview: this module is not published yet." in page(portal.root / "site",
                                                                 "modules/sketch")


def test_links_the_check_accepts_to_generated_pages_pass_a_strict_build(portal):
    """The check and MkDocs' own link validation agree on the pages lecosite adds."""
    portal.module("alpha", review_by=FAR, body=(
        "# Alpha\n\n[Course](../paths/first/index.md), [exam](../certificates/exam/index.md), "
        "[catalog](../index.md), [progress](../progress/index.md), [rules](../guides/rules.md), "
        "[beta](beta.md).\n"))
    portal.module("beta", review_by=FAR)
    portal.path("first", modules=["alpha"])
    portal.path("exam", kind="certification", modules=["beta"], valid_for=12, pass_mark=0.8)
    assert portal.check() == []
    validation = "validation:\n" + "".join(
        f"  {kind}: warn\n" for kind in ("omitted_files", "absolute_links", "unrecognized_links",
                                         "anchors"))
    portal.write("mkdocs.yml", MKDOCS.format(drafts="false", fanout=16, extra="") + validation)
    build(load_config(str(portal.root / "mkdocs.yml"), strict=True))
    alpha = page(portal.root / "site", "modules/alpha")
    for href in ("../../paths/first/", "../../certificates/exam/", "../../", "../../progress/",
                 "../../guides/rules/", "../beta/"):
        assert f'<a href="{href}">' in alpha, href


TAKEN = ("progress/index.md", "governance/index.md", "certificates/exam/README.md",
         "paths/first/index.md")


def test_a_page_where_lecosite_publishes_one_is_an_error_not_replaced_in_silence(portal,
                                                                                caplog):
    """The build published lecosite's page in the author's place, with MkDocs' deprecation
    warning and a stack fragment in its log; a page in paths/ was said to be published."""
    portal.module("alpha", review_by=FAR)
    portal.path("first", modules=["alpha"])
    portal.path("exam", kind="certification", modules=["alpha"], valid_for=12, pass_mark=0.8)
    for name in TAKEN:
        portal.write(f"content/{name}", f"MINE in {name}\n")
    found = [f for f in portal.check() if f.severity == "error"]
    assert {(f.file, f.rule) for f in found} == {(f"content/{n}", "LS208") for n in TAKEN}
    said = {f.file: f.message for f in found}
    assert said["content/paths/first/index.md"] == (
        "this page is not published: the page of path 'first' (content/paths/first.yml) takes "
        "its address, paths/first/")
    assert said["content/progress/index.md"].endswith(
        "the progress page takes its address, progress/")
    with caplog.at_level(logging.WARNING), pytest.raises(Abort):
        portal.build(governance="true")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert all(f"content/{name}:1:1: LS208 page-address-taken" in logged for name in TAKEN)
    assert "LS006" not in logged
    # A preview goes on: lecosite's pages, the errors on each, MkDocs never told to replace.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        site = portal.build(governance="true", serving=True)
    assert [w for w in caught if "replace an existing file" in str(w.message)] == []
    assert "MINE" not in "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))
    assert 'data-ls-path-page="first"' in page(site, "paths/first")
    assert "error LS208 page-address-taken" in page(site, "progress")


def test_a_module_takes_its_address_from_a_page_of_the_same_name(portal):
    """With modules in another folder, modules/<id>.md is a plain page at modules/<id>/,
    where the module is published; without directory URLs it is at modules/<id>.html."""
    portal.write("lecosite.yml", portal.read("lecosite.yml").replace(
        "modules_dir: modules", "modules_dir: lessons"))
    portal.module("alpha", review_by=FAR)
    (portal.root / "content/lessons").mkdir()
    (portal.root / "content/modules/alpha.md").rename(portal.root / "content/lessons/alpha.md")
    portal.path("first", modules=["alpha"])
    portal.write("content/modules/alpha.md", "# Mine\n")
    portal.write("content/progress.md", "# Mine\n")
    assert [(f.file, f.message) for f in portal.check() if f.rule == "LS208"] == [
        ("content/modules/alpha.md", "this page is not published: the page of module 'alpha' "
         "(content/lessons/alpha.md) takes its address, modules/alpha/"),
        ("content/progress.md", "this page is not published: the progress page takes its "
         "address, progress/")]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        site = portal.build(serving=True)
    assert [w for w in caught if "replace an existing file" in str(w.message)] == []
    assert "Mine" not in page(site, "modules/alpha") + page(site, "progress")
    assert 'data-ls-module="alpha"' in page(site, "modules/alpha")
    portal.write("mkdocs.yml", MKDOCS.format(drafts="false", fanout=16, extra="")
                 + "use_directory_urls: false\n")
    assert [f for f in portal.check() if f.rule == "LS208"] == []
    build(load_config(str(portal.root / "mkdocs.yml")))
    assert "Mine" in (portal.root / "site" / "progress.html").read_text(encoding="utf-8")
    assert "data-ls-module" in (portal.root / "site/modules/alpha/index.html").read_text(
        encoding="utf-8")


@pytest.mark.parametrize("directory_urls", [True, False])
def test_an_authors_page_at_the_catalogs_or_rules_address_is_published_in_their_place(
        portal, caplog, directory_urls):
    """MkDocs publishes README.md at its folder's address, and guides/rules/index.md where
    guides/rules.md is with directory URLs: lecosite's catalog and rules reference were
    built into the same file as the author's page, in silence, and both were in the nav."""
    portal.module("alpha", review_by=FAR)
    portal.path("first", modules=["alpha"])
    portal.write("content/README.md", "# Our home\n")
    portal.write("content/guides/rules/index.md", "# Our rules\n")
    portal.write("mkdocs.yml", MKDOCS.format(drafts="false", fanout=16, extra="")
                 + f"use_directory_urls: {str(directory_urls).lower()}\n")
    assert portal.check() == []
    with caplog.at_level(logging.WARNING), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        build(load_config(str(portal.root / "mkdocs.yml")))
    assert [r.getMessage() for r in caplog.records] == []
    assert [str(w.message) for w in caught if "mkdocs" in w.filename] == []
    site = portal.root / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Our home</h1>" in home and "data-ls-catalog" not in home
    mine = (site / "guides/rules/index.html").read_text(encoding="utf-8")
    assert "Our rules</h1>" in mine and "Rules reference</h1>" not in mine
    # the nav, open at Guides on this page: the author's home once, at the top, no catalog
    nav = re.findall(r'href="([^"]+)" class="md-nav__link', mine)
    if directory_urls:
        assert nav == ["../..", "../../progress/", "../../paths/first/", "./"]
    else:  # guides/rules/index.html is not guides/rules.html: the reference is built too
        assert nav == ["../../index.html", "../../progress/index.html",
                       "../../paths/first/index.html", "index.html", "../rules.html"]
        assert "Rules reference</h1>" in (site / "guides/rules.html").read_text(
            encoding="utf-8")


def _not_found(caplog) -> list[str]:
    """The link targets MkDocs' own validation found no file for, in the order logged."""
    return [m[2] for r in caplog.records if (m := re.search(
        r"contains a link '([^']+)', but the target '([^']+)' is not found", r.getMessage()))]


@pytest.mark.parametrize("directory_urls", [True, False])
def test_links_to_pages_an_authors_own_replace_are_broken_as_mkdocs_says(portal, caplog,
                                                                        directory_urls):
    """With directory URLs the author's guides/rules/index.md is published where the rules
    reference is, which is not built: a link to guides/rules.md passed the check, and MkDocs
    warned that it found no such file and published the link as written."""
    portal.module("alpha", review_by=FAR, body=(
        "# Alpha\n\n[Rules](../guides/rules.md), [ours](../guides/rules/index.md), "
        "[home](../README.md), [catalog](../index.md).\n"))
    portal.path("first", modules=["alpha"])
    portal.write("content/README.md", "# Our home\n")
    portal.write("content/guides/rules/index.md", "# Our rules\n")
    portal.write("mkdocs.yml", MKDOCS.format(drafts="false", fanout=16, extra="")
                 + f"use_directory_urls: {str(directory_urls).lower()}\n")
    broken = [f.message for f in portal.check() if f.rule == "LS403"]
    with caplog.at_level(logging.WARNING):  # a preview goes on where a build stops
        preview(load_config(str(portal.root / "mkdocs.yml")))
    said = _not_found(caplog)
    assert said == (["guides/rules.md", "index.md"] if directory_urls else ["index.md"])
    assert broken == [f"link target '../{target}' not found" for target in said]


@pytest.mark.parametrize(("options", "missing"), [
    ("", ["governance/index.md"]),
    ("      catalog: false\n", ["index.md", "governance/index.md"]),
    ("      governance: true\n", []),
])
def test_links_to_pages_the_plugins_options_leave_out_are_broken_as_mkdocs_says(
        portal, caplog, options, missing):
    """`catalog: false` builds no catalog, and only `governance: true` a governance page
    in every build: the check took the catalog as built whatever the options, and the
    governance page as never built, so a link to it stopped even a build that has it."""
    portal.module("alpha", review_by=FAR, body=(
        "# Alpha\n\n[catalog](../index.md), [governance](../governance/index.md).\n"))
    portal.path("first", modules=["alpha"])
    portal.write("mkdocs.yml", MKDOCS.format(drafts="false", fanout=16, extra=options))
    broken = [f.message for f in portal.check() if f.rule == "LS403"]
    with caplog.at_level(logging.WARNING):
        (preview if missing else build)(load_config(str(portal.root / "mkdocs.yml"),
                                                    strict=not missing))
    assert _not_found(caplog) == missing
    assert broken == [f"link target '../{target}' not found" for target in missing]


def test_the_build_checks_links_with_its_own_options_not_another_files(portal, caplog):
    """`mkdocs build -f other.yml`: the options are other.yml's, whatever the mkdocs.yml
    beside lecosite.yml says; the plugin checked links with the latter's."""
    portal.module("alpha", review_by=FAR, body="# Alpha\n\n[catalog](../index.md).\n")
    portal.path("first", modules=["alpha"])
    portal.write("mkdocs.yml", MKDOCS.format(drafts="false", fanout=16, extra=""))
    portal.write("other.yml", MKDOCS.format(drafts="false", fanout=16,
                                            extra="      catalog: false\n"))
    with caplog.at_level(logging.WARNING):
        preview(load_config(str(portal.root / "other.yml")))
    assert _not_found(caplog) == ["index.md"]
    assert [r.getMessage() for r in caplog.records if "LS403" in r.getMessage()
            and "'../index.md'" in r.getMessage()
            and r.name == "mkdocs.plugins.lecosite.mkdocs.plugin"]


def test_links_to_draft_or_retired_paths_pages_are_reported_as_mkdocs_finds_them(portal,
                                                                               caplog):
    """A draft path's page is built in a preview only, a retired one's never: the check
    took every path's page as built, and MkDocs found no such file."""
    portal.module("alpha", review_by=FAR, body="# Alpha\n\n[plan](../paths/plan/index.md).\n")
    portal.path("first", modules=["alpha"])
    portal.path("plan", status="draft", modules=["alpha"])
    portal.path("old", status="retired", modules=["alpha"])
    warned = [f.message for f in portal.check() if f.rule == "LS408"]
    with caplog.at_level(logging.WARNING):
        portal.build()
    assert _not_found(caplog) == ["paths/plan/index.md"]
    assert warned == ["link to path 'plan', which is draft and not in the published site"]
    portal.module("alpha", review_by=FAR, body="# Alpha\n\n[old](../paths/old/index.md).\n")
    broken = [f.message for f in portal.check() if f.rule == "LS403"]
    caplog.clear()
    with caplog.at_level(logging.WARNING):  # drafts and all
        preview(load_config(str(portal.root / "mkdocs.yml")))
    assert _not_found(caplog) == ["paths/old/index.md"]
    assert broken == ["link target '../paths/old/index.md' not found"]


def test_a_nav_in_mkdocs_yml_is_one_warning_in_the_check_and_the_build(portal, caplog):
    """The plugin puts its own menu in place of an author's nav, but MkDocs had warned of
    every page that nav left out (the generated ones too, which no author can list): a
    strict build failed on pages no one could add, after a check that passed."""
    portal.module("alpha", review_by=FAR)
    portal.path("first", modules=["alpha"])
    portal.write("content/guides/help.md", "# Help\n\nAsk us.\n")
    portal.write("mkdocs.yml", MKDOCS.format(drafts="false", fanout=16, extra="")
                 + "validation:\n  omitted_files: warn\nnav:\n  - Help: guides/help.md\n")
    line = portal.read("mkdocs.yml").splitlines().index("nav:") + 1
    findings = check_project(portal.root).findings
    assert [(f.rule, f.file, f.line, f.col, f.message) for f in findings] == [
        ("LS017", "mkdocs.yml", line, 1, "'nav' is not used: lecosite builds the portal's "
         "menu from the learning paths, and lists every other page under Guides")]
    with caplog.at_level(logging.WARNING):
        build(load_config(str(portal.root / "mkdocs.yml")))
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == [
        f"lecosite: mkdocs.yml:{line}:1: LS017 nav-not-used: 'nav' is not used: lecosite builds "
        "the portal's menu from the learning paths, and lists every other page under Guides "
        "(hint: Delete 'nav:' and the lines under it; a module's place is set by its path's "
        "'modules:' list.)"]
    home = (portal.root / "site" / "index.html").read_text(encoding="utf-8")
    assert 'href="guides/help/"' in home and 'href="paths/first/"' in home


def test_a_guide_whose_front_matter_mkdocs_cannot_read_stops_the_build(portal, caplog):
    """MkDocs published the fields as the page's text ('title: [unclosed' under a rule),
    titled after the file, and the build passed."""
    portal.module("alpha", review_by=FAR)
    portal.path("first", modules=["alpha"])
    portal.write("content/guides/g.md", "---\ntitle: [unclosed\n---\nHello\n")
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        portal.build()
    assert any("content/guides/g.md:2:8: LS002 invalid-yaml" in r.getMessage()
               for r in caplog.records)
    site = portal.build(serving=True)  # a preview lists the error, and shows no YAML as text
    assert not (site / "guides" / "g").exists()
    assert "error LS002 invalid-yaml" in page(site, "paths/first")


@pytest.mark.parametrize(("first", "shown"), [("Note: stop the agent first.\n", False),
                                              ("\nNote: stop the agent first.\n", True)])
def test_ls016_warns_exactly_when_mkdocs_drops_a_guides_first_line(portal, caplog, first,
                                                                    shown):
    """MkDocs reads 'Key: value' lines atop a page as fields and drops them from the page."""
    portal.module("alpha", review_by=FAR)
    portal.path("first", modules=["alpha"])
    portal.write("content/guides/g.md", first + "\n# Guide\n\nText.\n")
    with caplog.at_level(logging.WARNING):
        site = portal.build()
    assert ("stop the agent first." in page(site, "guides/g")) is shown
    assert any("LS016 text-read-as-field" in r.getMessage()
               for r in caplog.records) is not shown


def test_the_preview_lists_warnings_too_and_a_build_shows_none(portal):
    """CI fails on warnings, so the author's preview names them; the published site never."""
    portal.module("alpha", review_by=FAR, title="PLACE")
    portal.write("content/modules/alpha.md", portal.read("content/modules/alpha.md").replace(
        "title: PLACE", "title: Fix error #1234"))
    portal.path("first", modules=["alpha"])
    site = portal.build()
    assert "ls-problems" not in page(site, "modules/alpha")
    preview(load_config(str(portal.root / "mkdocs.yml")))
    html = page(site, "paths/first")
    assert 'class="admonition warning ls-problems" role="status"' in html
    assert "1 content warning: CI stops on it" in html
    assert ("<code>lecosite build</code> and <code>lecosite check --strict</code>, as CI runs "
            "them, stop until this is fixed") in html  # what stops, as the guide says
    assert ("<code>content/modules/alpha.md:3:8</code> warning LS007 text-cut-by-comment" in html)


def test_the_preview_shows_a_module_it_cannot_read_nowhere_but_in_its_error(portal):
    """MkDocs published the file as raw text at its source address, owners included."""
    portal.module("alpha", review_by=FAR, owners=["ann@example.com"])
    portal.path("first", modules=["alpha"])
    portal.write("content/modules/alpha.md", portal.read("content/modules/alpha.md").replace(
        "title: ", 'title: "broken: [', 1))
    portal.write("mkdocs.yml", MKDOCS.format(drafts="false", fanout=16, extra=""))
    preview(load_config(str(portal.root / "mkdocs.yml")))
    site = portal.root / "site"
    assert "error LS002 invalid-yaml" in page(site, "paths/first")
    assert [p for p in site.rglob("*.html") if "ann@example.com" in p.read_text()] == []
    assert not (site / "modules" / "alpha").exists()


def test_files_set_aside_with_an_underscore_are_not_published(portal):
    portal.module("alpha", review_by=FAR, body="# Alpha\n\n![Map](_media/map.png)\n")
    portal.write("content/modules/_alpha-old.md", portal.read("content/modules/alpha.md"))
    portal.write("content/_notes/plan.md", "# Plan\n")
    portal.write("content/modules/_media/map.png", b"\x89PNG")
    portal.path("first", modules=["alpha"])
    site = portal.build(strict=True)
    assert not (site / "modules" / "_alpha-old").exists()
    assert not (site / "_notes").exists()
    assert (site / "modules" / "_media" / "map.png").exists()  # media are published as usual


def test_summaries_are_the_pages_descriptions_escaped(portal):
    portal.module("alpha", review_by=FAR, summary='Ports "80" & <443>, tested.')
    portal.path("first", modules=["alpha"], summary="Start here.")
    site = portal.build()
    assert ('<meta name="description" content="Ports &quot;80&quot; &amp; &lt;443&gt;, '
            'tested.">') in page(site, "modules/alpha")
    assert '<meta name="description" content="Start here.">' in page(site, "paths/first")


def test_check_ids_count_checks_only_so_a_video_before_them_shifts_nothing(portal):
    check = "```check\n? Which port?\n- [ ] 80\n- [x] 443\n```\n\n"
    portal.write("content/media/clip.webm", b"\x1aE")
    portal.write("content/media/clip.en.vtt", "WEBVTT\n")
    portal.module("alpha", review_by=FAR, objectives=["Open the ports."], body=(
        "# Alpha\n\n@[video](../media/clip.webm \"Clip\")\n\n" + check + check))
    portal.path("first", modules=["alpha"])
    html = page(portal.build(), "modules/alpha")
    assert re.findall(r'data-ls-check="(q\d+)"', html) == ["q0", "q1"]


def test_editor_backup_copies_are_not_published(portal):
    """A copy saved next to a draft held its text and owners, published as a raw file."""
    portal.module("alpha", review_by=FAR)
    portal.path("first", modules=["alpha"])
    for name in ("content/modules/alpha.md~", "content/modules/draft.md.bak",
                 "content/paths/first.yml.orig", "content/media/#notes.md#"):
        portal.write(name, "---\nid: draft\nowners: [ana@example.com]\n---\n")
    site = portal.build()
    assert [p.name for p in site.rglob("*") if "draft" in p.name or p.name.endswith(
        ("~", ".bak", ".orig", "#"))] == []
    assert "ana@example.com" not in "".join(
        p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*") if p.is_file())


def test_retired_module_gets_a_tombstone_linking_its_replacement(portal):
    portal.module("alpha", review_by=FAR)
    portal.module("old", status="retired", replaced_by="alpha", review_by=FAR)
    portal.path("first", modules=["alpha"])
    site = portal.build()
    tomb = page(site, "modules/old")
    assert "data-ls-retired=\"old\"" in tomb and 'href="../alpha/"' in tomb


def test_content_errors_fail_the_build_with_file_and_line(portal, caplog):
    portal.module("alpha", review_by=FAR, prerequisites=["nope"])
    portal.path("first", modules=["alpha"])
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        portal.build()
    line = portal.at("content/modules/alpha.md", "nope")[0]
    assert any(r.name == "mkdocs.plugins.lecosite.mkdocs.plugin" and
               f"content/modules/alpha.md:{line}:" in r.getMessage() and "LS101" in r.getMessage()
               for r in caplog.records)


def test_links_no_browser_follows_stop_the_build(portal, caplog):
    """MkDocs publishes 'htps://…' and '[this]()' as written, and its strict build passed."""
    portal.module("alpha", review_by=FAR, body=(
        "# Alpha\n\nRead the [docs](htps://docs.example.com), <https://example.com> and "
        "[this]().\n"))
    portal.path("first", modules=["alpha"])
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        portal.build(strict=True)
    broken = [r.getMessage() for r in caplog.records if "LS403" in r.getMessage()]
    assert len(broken) == 2 and "htps:" in broken[0] and "[this]()" in broken[1]


@pytest.mark.parametrize(("option", "value", "says"), [
    ("fanout", 0, "'nav_fanout': must be 2 or more (the entries one nav level shows); got 0."),
    ("fanout", -3, "'nav_fanout': must be 2 or more"),
    ("collector", "not a url", "collector must be the http(s) URL of a collector"),
])
def test_bad_plugin_options_stop_the_build_with_a_message(portal, caplog, option, value,
                                                          says):
    portal.module("alpha", review_by=FAR)
    portal.path("first", modules=["alpha"])
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        portal.build(**{option: value})
    assert any(says in r.getMessage() for r in caplog.records)


def test_a_content_dir_other_than_docs_dir_stops_the_build(portal, caplog):
    """`lecosite check` (and so CI) read content_dir; MkDocs publishes docs_dir."""
    portal.module("alpha", review_by=FAR)
    portal.path("first", modules=["alpha"])
    (portal.root / "docs").mkdir()
    portal.write("lecosite.yml", portal.read("lecosite.yml").replace("content_dir: content",
                                                                 "content_dir: docs"))
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        portal.build()
    assert any("has content_dir: docs, so 'lecosite check' would check another folder than "
               "the one published; make them the same, e.g. content_dir: content in "
               "lecosite.yml" in r.getMessage() for r in caplog.records)
    assert not (portal.root / "site" / "index.html").exists()


def test_warnings_count_under_strict(portal):
    portal.module("alpha", review_by=FAR)
    portal.module("lonely", review_by=FAR)  # in no path: LS204, a warning
    portal.path("first", modules=["alpha"])
    portal.build()  # warnings alone build
    with pytest.raises(Abort):
        portal.build(strict=True)


@pytest.mark.parametrize(("site_url", "collector", "says"), [
    ("https://academy.example.com/", "http://collect.example.com/", "mixed content"),
    ("https://academy.example.com/", "http://127.0.0.1:8787/", "post to its own computer"),
    ("http://academy.example.com/", "http://academy.example.com/collect/",
     "browsers send usage data only from https pages"),
    # the sample's site_url left in a production build: ids a report would not match
    ("http://127.0.0.1:8000/", "https://academy.example.com/collect/",
     "Set site_url in mkdocs.yml to the portal's public address"),
])
def test_a_collector_learners_browsers_cannot_reach_is_a_warning(portal, caplog, site_url,
                                                                 collector, says):
    """The build works, but the beacon would be blocked or silent in every browser: the
    operator learns it at build time (and --strict stops), not from an empty report."""
    portal.module("alpha", review_by=FAR)
    portal.path("first", modules=["alpha"])
    with caplog.at_level(logging.WARNING):
        portal.build(site_url=site_url, collector=collector)
    [warning] = [r.getMessage() for r in caplog.records
                 if r.name.startswith("mkdocs.plugins.lecosite") and r.levelno == logging.WARNING]
    assert says in warning
    with pytest.raises(Abort):
        portal.build(site_url=site_url, collector=collector, strict=True)


@pytest.mark.parametrize(("site_url", "collector"), [
    ("https://academy.example.com/", "https://academy.example.com/collect/"),
    ("http://127.0.0.1:8000/", "http://127.0.0.1:8787/"),  # a preview on this machine
    ("http://localhost:8000/", "http://localhost:8787/collect/"),
])
def test_a_collector_browsers_can_reach_builds_without_warnings(portal, site_url, collector):
    portal.module("alpha", review_by=FAR)
    portal.path("first", modules=["alpha"])
    portal.build(site_url=site_url, collector=collector, strict=True)


def test_the_level_filter_lists_levels_in_their_order(portal):
    portal.module("alpha", review_by=FAR)
    for pid, level in (("a-path", "advanced"), ("b-path", "beginner"),
                       ("c-path", "intermediate")):
        portal.path(pid, modules=["alpha"], level=level)
    catalog = page(portal.build(), "")
    shown = [catalog.index(f'<option value="{lv}"') for lv in
             ("beginner", "intermediate", "advanced")]
    assert shown == sorted(shown)


def test_topics_filter_paths_by_their_tags_and_their_modules_and_rank_in_search(portal):
    """Tags were read and checked, then published nowhere: the catalog's Topic filter finds
    a path by its own tags and by its modules' (a folder's _defaults.yml tags included), and
    search, which ranks a page's tags first, gets the folder's too."""
    portal.write("content/modules/net/_defaults.yml", "tags: [network]\n")
    portal.module("alpha", folder="net", review_by=FAR)  # its folder's tags
    portal.module("beta", review_by=FAR)
    portal.module("gamma", folder="net", review_by=FAR, tags=["proxy", "single-sign-on"])
    portal.path("first", modules=["alpha", "gamma"])
    portal.path("second", modules=["beta"], tags=["admin"])
    portal.write("mkdocs.yml", MKDOCS.format(drafts="false", fanout=16, extra="").replace(
        "plugins:\n", "plugins:\n  - search\n"))
    build(load_config(str(portal.root / "mkdocs.yml")))
    site = portal.root / "site"
    catalog = page(site, "")
    assert re.findall(r'data-ls-path-id="(\w+)"[^>]* data-tags="([^"]*)"', catalog) == [
        ("first", "network proxy single-sign-on"), ("second", "admin")]
    topics = catalog[catalog.index('data-ls-facet="tags"'):]
    topics = topics[:topics.index("</select>")]
    assert re.findall(r'<option value="([^"]*)">([^<]*)<', topics) == [
        ("", "All"), ("admin", "admin"), ("network", "network"), ("proxy", "proxy"),
        ("single-sign-on", "single sign on")]
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    alpha = next(d for d in index["docs"] if d["location"] == "modules/alpha/")
    assert alpha["tags"] == ["network"]


def test_select_all_that_apply_is_said_once(portal):
    check = ("```check\n? Which ports must be open?{}\nobjective: 1\n"
             "- [x] 443\n- [x] 8443\n- [ ] 80\n```\n")
    portal.module("alpha", review_by=FAR, body=check.format(" Select all that apply."))
    portal.module("beta", review_by=FAR, body=check.format(""))
    portal.path("first", modules=["alpha", "beta"])
    site = portal.build()
    assert [page(site, f"modules/{m}").count("elect all that apply") for m in
            ("alpha", "beta")] == [1, 1]


def test_long_path_lists_are_grouped_so_each_nav_level_stays_small(portal):
    for n in range(12):
        portal.module(f"m{n:02d}", review_by=FAR)
        portal.path(f"p{n:02d}", title=f"{'ABCDEFGHIJKL'[n]} path", modules=[f"m{n:02d}"])
    site = portal.build(fanout=4)
    html = page(site, "modules/m00")
    assert "A–D (1)" in html and "I–L (3)" in html  # 12 paths, at most 4 a level


def test_author_text_is_escaped_everywhere(portal):
    portal.module("alpha", title="<b>Bold</b> & co", goal="<script>x()</script>",
                  review_by=FAR)
    portal.module("old", title="Old </title><script>x()</script>", status="retired",
                  replaced_by="alpha", review_by=FAR)  # a tombstone has a title too
    portal.path("first", title="<i>Path</i>", modules=["alpha"])
    site = portal.build()
    for html in (page(site, ""), page(site, "paths/first"), page(site, "modules/alpha"),
                 page(site, "modules/old")):
        assert "<script>x()" not in html and "<b>Bold" not in html and "<i>Path" not in html
    title = "<title>&lt;b&gt;Bold&lt;/b&gt; &amp; co - Test academy</title>"  # escaped once
    assert title in page(site, "modules/alpha")


def test_a_guides_front_matter_is_escaped_too(portal):
    """Material prints these fields as they are: a guide's front matter is author text."""
    portal.module("alpha", review_by=FAR)
    portal.path("first", modules=["alpha"])
    portal.write("content/guides/help.md", (
        "---\ntitle: Help & <img src=x onerror=alert(1)>\n"
        "description: 'x\"><img src=x onerror=alert(2)>'\n"
        "subtitle: <b>sub</b>\nauthor: '\"><i>me</i>'\n---\n\nText.\n"))
    site = portal.build()
    html = page(site, "guides/help")
    assert "<img" not in html and "<b>sub" not in html and "<i>me" not in html
    assert "<title>Help &amp; &lt;img src=x onerror=alert(1)&gt; - Test academy</title>" in html
    assert 'content="x&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"' in html
    assert "<img" not in page(site, "")  # the nav of every other page


def test_module_and_path_pages_show_what_changed(portal):
    portal.module("alpha", version="2.0.0", review_by=FAR, changelog=[
        {"2.0.0": "Replaced `port 80` with <b>443</b>."}, {"1.0.0": "First."}])
    portal.path("first", modules=["alpha"], version="1.1.0",
                changelog=[{"1.1.0": "Added alpha."}])
    site = portal.build()
    module, path = page(site, "modules/alpha"), page(site, "paths/first")
    assert ("<li><strong>2.0.0</strong> Replaced <code>port 80</code> with &lt;b&gt;443&lt;/b&gt;."
            "</li><li><strong>1.0.0</strong> First.</li>") in module
    assert "review it again (see “What changed” below)" in module
    assert "<li><strong>1.1.0</strong> Added alpha.</li>" in path
    portal.module("alpha", review_by=FAR)
    assert "What changed" not in page(portal.build(), "modules/alpha")


def test_inline_video_and_folder_defaults_are_not_published(portal):
    portal.module("alpha", review_by=FAR, folder="intro",
                  body='Watch:\n\n@[video](https://youtu.be/abcdefghijk "Tour"){captions=en}\n')
    portal.write("content/modules/intro/_defaults.yml", "owners: ['ops@example.com']\n")
    portal.path("first", modules=["alpha"])
    site = portal.build()
    html = page(site, "modules/alpha")
    assert "youtube-nocookie.com/embed/abcdefghijk" in html and "Play video: Tour" in html
    assert not list(site.rglob("_defaults.yml"))


def test_examples_inside_code_fences_stay_text(portal):
    example = "```\n@[video](missing.webm)\n```\n\n````\n```check\n? Shown, not asked\n```\n````\n"
    portal.module("alpha", review_by=FAR, body=example)
    portal.path("first", modules=["alpha"])
    assert portal.check(today=None) == []  # no missing-video, missing-caption or check findings
    html = page(portal.build(), "modules/alpha")
    assert "@[video](missing.webm)" in html and "data-ls-video" not in html
    assert "<form class=\"ls-check\"" not in html


def test_markdown_inside_html_is_read_as_the_check_reads_it(portal):
    """The check takes `<script>` in <div markdown> for code: the build must make it code, even
    where mkdocs.yml lists no md_in_html. The blocks the author guide teaches (`!!!`, `???`,
    tabs) need no line in mkdocs.yml either."""
    portal.module("alpha", review_by=FAR, body=(
        '<div class="grid" markdown>\n\nType `<script>` here, **bold**.\n\n</div>\n\n'
        '!!! tip "Back up first"\n    Copy the file.\n\n??? note "Why"\n    Because.\n\n'
        '=== "Linux"\n\n    Run it.\n'))
    portal.path("first", modules=["alpha"])
    assert portal.check(today=None) == []
    html = page(portal.build(), "modules/alpha")
    assert "Type <code>&lt;script&gt;</code> here, <strong>bold</strong>." in html
    assert "<script>" not in html.split('class="grid"')[1].split("</div>")[0]
    assert '<p class="admonition-title">Back up first</p>' in html and "!!!" not in html
    assert "<details class=\"note\">\n<summary>Why</summary>" in html
    assert 'class="tabbed-set tabbed-alternate"' in html


def test_one_script_for_every_page_with_the_collector_only_when_set(portal):
    portal.module("alpha", review_by=FAR)
    portal.path("first", modules=["alpha"])
    scripts = ("beacon", "tracking", "checks", "progress")
    for collector in (None, "http://127.0.0.1:8787/"):
        site = portal.build(collector=collector)
        html = page(site, "modules/alpha")
        assert html.count("assets/lecosite/") == 2  # lecosite.css and lecosite.js
        assert 'src="../../assets/lecosite/lecosite.js"' in html
        assert not any(f"{name}.js" in html for name in scripts)
        bundle = (site / "assets" / "lecosite" / "lecosite.js").read_text(encoding="utf-8")
        assert "L.track=" in bundle and "L.progress=" in bundle
        assert "/*" not in bundle and "\n  " not in bundle  # shipped minified
        assert ('"collector":"http://127.0.0.1:8787/xapi/statements"' in bundle) is bool(collector)
        assert ('"collector":null' in bundle) is not bool(collector)
    catalog = (site / "index.html").read_text(encoding="utf-8")
    assert 'data-ls-script="pages"' in catalog  # loaded on demand, not on module pages
    for name in ("pages", "certificate", "governance"):
        shipped = (site / "assets" / "lecosite" / f"{name}.js").read_text(encoding="utf-8")
        assert "/*" not in shipped and "lecosite.page(" in shipped  # follows instant navigation


def test_lecosite_serve_points_any_portal_at_its_collector(portal, monkeypatch):
    """`lecosite serve` sets LECOSITE_COLLECTOR: it must reach a portal whose mkdocs.yml says
    nothing of a collector, and win over a deployed one, so previews never post there."""
    portal.module("alpha", review_by=FAR)
    portal.path("first", modules=["alpha"])
    monkeypatch.setenv("LECOSITE_COLLECTOR", "http://127.0.0.1:8787/")
    for configured in (None, "https://collect.example.com/"):
        site = portal.build(collector=configured)
        bundle = (site / "assets" / "lecosite" / "lecosite.js").read_text(encoding="utf-8")
        assert '"collector":"http://127.0.0.1:8787/xapi/statements"' in bundle
        assert "collect.example.com" not in bundle


def test_a_preview_without_its_collector_posts_nowhere(portal, monkeypatch):
    """`lecosite serve --no-collect` sets LECOSITE_COLLECTOR=off: the deployed collector in
    mkdocs.yml must not receive the author's preview visits."""
    portal.module("alpha", review_by=FAR)
    portal.path("first", modules=["alpha"])
    plain = (portal.build() / "assets" / "lecosite" / "lecosite.js").read_text(encoding="utf-8")
    monkeypatch.setenv("LECOSITE_COLLECTOR", "off")
    site = portal.build(collector="https://collect.example.com/")
    bundle = (site / "assets" / "lecosite" / "lecosite.js").read_text(encoding="utf-8")
    assert "collect.example.com" not in bundle and bundle == plain


def test_blocks_rendered_ahead_on_another_core_are_the_blocks_rendered_inline(tmp_path,
                                                                            monkeypatch):
    """A build renders lecosite's blocks in a forked process while MkDocs converts Markdown;
    the sample portal (videos, checks, certificates, governance) must come out identical."""
    parent_calls = []
    header = Renderer.module_header
    monkeypatch.setattr(Renderer, "module_header", lambda self, module, url: (
        parent_calls.append(module.id), header(self, module, url))[1])
    mkdocs_yml = Path(__file__).resolve().parents[1] / "mkdocs.yml"
    sites, calls = {}, {}
    for jobs in (1, 2):
        parent_calls.clear()
        config = load_config(str(mkdocs_yml), site_dir=str(tmp_path / f"jobs{jobs}"))
        config.plugins["lecosite"].jobs = jobs
        config.plugins["lecosite"].config.governance = True
        build(config)
        calls[jobs] = len(parent_calls)
        sites[jobs] = {p.relative_to(tmp_path / f"jobs{jobs}"): p.read_text(encoding="utf-8")
                       for p in (tmp_path / f"jobs{jobs}").rglob("*.html")}
    assert calls[1] > 10 and calls[2] == 0  # with two jobs no header was rendered here
    assert sites[1].keys() == sites[2].keys()
    assert [name for name in sites[1] if sites[1][name] != sites[2][name]] == []


def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def start_serve(*args, collector=False, **popen):
    """`lecosite serve` on a port found free, once it answers: (process, port). It builds
    the site before it binds the port (seconds); when another process took the port (or the
    collector's) meanwhile, serve stops, and another is tried."""
    popen = {"stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE, "text": True} | popen
    for attempt in range(5):
        port, collector_port = free_port(), free_port()
        extra = ["--collector-port", str(collector_port)] if collector else ["--no-collect"]
        server = subprocess.Popen([sys.executable, "-c", "from lecosite.cli import main; main()",
                                   "serve", *args, *extra, "-a", f"127.0.0.1:{port}"], **popen)
        base = f"http://127.0.0.1:{port}/"
        _until(lambda server=server, base=base: server.poll() is not None or _get(base))
        if server.poll() is None:
            return server, port
        log = server.communicate(timeout=30)[1]
        if attempt < 4 and (port_taken(port) or (collector and port_taken(collector_port))):
            continue
        raise AssertionError(f"lecosite serve stopped: {log}")
    raise AssertionError("unreachable")


def _until(predicate, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.3)
    raise AssertionError("the preview did not get there in time")


def test_serve_shows_content_errors_on_every_page_and_clears_them_once_fixed(portal):
    """A build stops on a content error; `lecosite serve` goes on, so an author sees what to
    fix in the browser instead of a preview that never reloads."""
    portal.module("alpha", review_by=FAR)
    portal.module("beta", review_by=FAR, prerequisites=["no-such-module"])
    portal.path("first", modules=["alpha", "beta"])
    portal.write("mkdocs.yml", MKDOCS.format(drafts="false", fanout=16, extra=""))
    lines = (portal.root / "content/modules/beta.md").read_text(encoding="utf-8").splitlines()
    line = lines.index("prerequisites: [no-such-module]") + 1
    with pytest.raises(Abort):  # a build (and so CI) still stops
        build(load_config(str(portal.root / "mkdocs.yml")))
    server, port = start_serve("-f", str(portal.root / "mkdocs.yml"))
    try:
        base = f"http://127.0.0.1:{port}/"
        for url in (base, f"{base}modules/alpha/", f"{base}paths/first/"):
            html = _until(lambda url=url: _get(url))
            assert html.count('class="admonition failure ls-problems"') == 1
            assert (f"<li><code>content/modules/beta.md:{line}:17</code> error LS101 "
                    "unknown-prerequisite: prerequisite &#39;no-such-module&#39; is not a "
                    "module id") in html
            assert "<code>lecosite build</code> and CI stop until this is fixed" in html
        portal.module("beta", review_by=FAR, prerequisites=["alpha"])
        _until(lambda: "ls-problems" not in (_get(base) or "ls-problems"))
        assert "data-ls-module=\"beta\"" in _get(f"{base}modules/beta/")
        # A file saved in another encoding is an error like any other, not a stuck preview.
        alpha = portal.root / "content/modules/alpha.md"
        alpha.write_bytes(alpha.read_bytes().replace(b"Some text.", b"Caf\xe9 text."))
        html = _until(lambda: "LS001" in (_get(f"{base}paths/first/") or "") and
                      _get(f"{base}paths/first/"))
        assert "content/modules/alpha.md" in html and "not UTF-8" in html
        portal.module("alpha", review_by=FAR)
        _until(lambda: "ls-problems" not in (_get(base) or "ls-problems"))
    finally:
        server.terminate()
        log = server.communicate(timeout=30)[1]
    assert "1 content error(s) above; the preview lists them on every page" in log
    assert "Traceback" not in log and "An error happened during the rebuild" not in log


def test_serve_notices_codeowners_rewritten_as_its_warning_says(portal):
    """LS611 says to run `lecosite codeowners --write`: the preview must see that file."""
    portal.module("alpha", review_by=FAR)
    portal.path("first", modules=["alpha"])
    portal.write("mkdocs.yml", MKDOCS.format(drafts="false", fanout=16, extra=""))
    portal.write(".github/CODEOWNERS", "/content/ @someone\n")
    cli = [sys.executable, "-c", "from lecosite.cli import main; main()"]
    server, port = start_serve("-f", str(portal.root / "mkdocs.yml"), stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}/"
        assert "LS611" in _until(lambda: _get(base))
        subprocess.run([*cli, "codeowners", "--write", "--project", str(portal.root)],
                       check=True, capture_output=True, timeout=60)
        _until(lambda: "ls-problems" not in (_get(base) or "ls-problems"))
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_terminated_serve_closes_its_collector_and_exits_cleanly(portal):
    """SIGTERM (a service manager, `kill`) killed the process before the embedded
    collector closed its database: its '-wal' and '-shm' files stayed behind."""
    portal.module("alpha", review_by=FAR)
    portal.path("first", modules=["alpha"])
    portal.write("mkdocs.yml", MKDOCS.format(drafts="false", fanout=16, extra=""))
    db = portal.root / "s.sqlite"
    server, port = start_serve("-f", str(portal.root / "mkdocs.yml"), "--db", str(db),
                               collector=True)
    try:
        _until(lambda: _get(f"http://127.0.0.1:{port}/"))
        assert Path(f"{db}-wal").exists()
    finally:
        server.terminate()
        log = server.communicate(timeout=30)[1]
    assert server.returncode == 0, log
    assert "Shutting down..." in log and "Traceback" not in log
    assert db.exists() and not Path(f"{db}-wal").exists() and not Path(f"{db}-shm").exists()


def test_serve_answers_byte_ranges_so_a_video_can_seek(portal):
    """Browsers seek in a video only when its file is served in ranges, as a published
    portal's web server does; MkDocs' own preview sends the whole file every time."""
    portal.module("alpha", review_by=FAR)
    portal.path("first", modules=["alpha"])
    portal.write("mkdocs.yml", MKDOCS.format(drafts="false", fanout=16, extra=""))
    clip = bytes(range(256)) * 40
    portal.write("content/media/clip.webm", clip)
    server, port = start_serve("-f", str(portal.root / "mkdocs.yml"))

    def fetch(path: str, wanted: str | None = None,
              method: str = "GET") -> tuple[int, dict[str, str], bytes]:
        request = urllib.request.Request(f"http://127.0.0.1:{port}/{path}", method=method,
                                         headers={"Range": wanted} if wanted else {})
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read()

    try:
        _until(lambda: _get(f"http://127.0.0.1:{port}/modules/alpha/"))
        status, headers, body = fetch("media/clip.webm", "bytes=1000-1999")
        assert (status, headers["Content-Range"], body) == (206, "bytes 1000-1999/10240",
                                                            clip[1000:2000])
        assert headers["Content-Type"] == "video/webm"
        status, headers, body = fetch("media/clip.webm", "bytes=10000-")
        assert (status, headers["Content-Range"], body) == (206, "bytes 10000-10239/10240",
                                                            clip[10000:])
        status, headers, _ = fetch("media/clip.webm", "bytes=20000-")
        assert (status, headers["Content-Range"]) == (416, "bytes */10240")
        assert fetch("media/clip.webm")[::2] == (200, clip)
        # A range on HEAD is ignored (RFC 9110), as is one no file here could have.
        status, headers, _ = fetch("media/clip.webm", "bytes=0-9", method="HEAD")
        assert status == 200 and "Content-Range" not in headers
        assert fetch("media/clip.webm", "bytes=" + "9" * 5000 + "-")[::2] == (200, clip)
        assert fetch("media/none.webm", "bytes=0-9")[0] == 404
        status, _, body = fetch("modules/alpha/", "bytes=0-99")
        assert status == 206 and len(body) == 100
    finally:
        server.terminate()
        log = server.communicate(timeout=30)[1]
    assert "Traceback" not in log
    # A part is as normal as a whole file: no warning an author would try to fix.
    assert "code 206" not in log and '"GET /media/clip.webm HTTP/1.1" code 416' in log


def test_the_preview_holds_its_port_from_before_the_first_build(tmp_path):
    """MkDocs bound the port only after the first build (seconds), so a program starting
    meanwhile could take the port `lecosite serve` had found free."""
    from lecosite.mkdocs.run import RangeServer

    port = free_port()
    server = RangeServer(builder=lambda: None, host="127.0.0.1", port=port, root=str(tmp_path))
    try:
        assert port_taken(port)  # held before any build
        server.server_bind()  # as MkDocs' serve() calls it after the build: no second bind
        server.server_activate()
    finally:
        server.server_close()
    assert not port_taken(port)


def test_a_poster_address_cannot_break_out_of_its_style(portal):
    """HTML escaping is undone before CSS reads a style attribute: a quote in the address
    would end url('…') and restyle the page (the checker accepts any https:// poster)."""
    poster = "https://x.example/p.jpg'); position: fixed; inset: 0; x: url('"
    portal.module("alpha", review_by=FAR, video={
        "src": "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "poster": poster,
        "captions": [{"lang": "en", "label": "English"}]})
    portal.path("first", modules=["alpha"])
    html = page(portal.build(), "modules/alpha")
    assert ("style=\"background-image: url('https://x.example/p.jpg%27%29;%20position:"
            "%20fixed;%20inset:%200;%20x:%20url%28%27')\"") in html


@pytest.mark.parametrize("src", ["javascript:alert(1)", " java\tscript:alert(1)",
                                 "data:text/html,<b>x</b>"])
def test_a_preview_never_links_a_video_address_that_is_not_on_the_web(portal, src):
    """`lecosite serve` goes on despite errors (here LS406), so the page must be safe too."""
    portal.module("alpha", review_by=FAR, video={"src": src, "captions": [{"lang": "en"}]})
    portal.path("first", modules=["alpha"])
    portal.write("mkdocs.yml", MKDOCS.format(drafts="false", fanout=16, extra=""))
    preview(load_config(str(portal.root / "mkdocs.yml")))
    html = page(portal.root / "site", "modules/alpha")
    assert "This video cannot be embedded.</p>" in html
    assert not re.search(r'href="\s*(java|data)', html)


def test_without_directory_urls_every_link_names_a_file(portal):
    """With `use_directory_urls: false` the site works from disk (file://), where a folder
    does not show its index.html: every relative link must name a file that exists. Links
    in raw HTML are published as written: the check reads them from these addresses too."""
    portal.write("content/guides/help.md", '# Help\n\n<a href="../modules/alpha/index.html">'
                 'alpha</a> <a href="../index.html">catalog</a>\n')
    portal.module("alpha", review_by=FAR, body='# Alpha\n\n<a href="../../guides/help.html">'
                  'help</a>\n')
    portal.module("beta", review_by=FAR, prerequisites=["alpha"])
    portal.path("first", modules=["alpha", "beta"])
    portal.path("second", kind="certification", modules=["beta"], valid_for=12, pass_mark=0.8)
    portal.write("mkdocs.yml", MKDOCS.format(drafts="false", fanout=16, extra="")
                 + "use_directory_urls: false\n")
    build(load_config(str(portal.root / "mkdocs.yml")))
    site = portal.root / "site"
    checked = 0
    for html in site.rglob("*.html"):
        if html.name == "404.html":  # served from any folder: Material links it from the root
            continue
        # Code shows HTML as text (the rules page's examples): its quotes are not escaped.
        text = re.sub(r"<code\b.*?</code>", "", html.read_text(encoding="utf-8"), flags=re.S)
        for target in re.findall(r'(?:href|src|data-ls-module-url)="([^"#:/][^"#:]*?)'
                                 r'(?:[?#][^"]*)?"', text):
            resolved = (html.parent / target.replace("{id}", "alpha")).resolve()
            assert resolved.is_file(), f"{html.relative_to(site)} links to {target}"
            checked += 1
    assert checked > 50


def test_the_settings_file_knows_the_plugins_options_by_name():
    """LS004 sends a plugin option found in lecosite.yml to mkdocs.yml: the core keeps their
    names without importing MkDocs, so they must follow the plugin's."""
    assert {name for name, _ in LecositeConfig._schema} == PLUGIN_OPTIONS
