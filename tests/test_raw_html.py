"""LS411: raw HTML in a body is published as written, so only harmless formatting passes.

Each body below reached the built page and a learner's browser unreported before LS411
read HTML the way a browser does (see the review of raw HTML).
"""

import itertools
import time

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from test_plugin import MKDOCS

from lecosite.body import scan

ALPHA = "content/modules/basics/alpha.md"


def places(site, found):
    return [(f.line, f.col) for f in found]


def published(site, bodies):
    """The page a real MkDocs build publishes for each body (module m0, m1, ...). It builds as
    `lecosite serve` does, which goes on past content errors, so the page shows what a body
    LS411 refuses would have put before learners."""
    for n, body in enumerate(bodies):
        site.module(f"m{n}", body=body)
    site.write("mkdocs.yml", MKDOCS.format(drafts="false", fanout=16, extra=""))
    config = load_config(str(site.root / "mkdocs.yml"))
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        build(config)
    finally:  # MkDocs keeps one plugin instance per process: the next build is a build again
        config.plugins.on_startup(command="build", dirty=False)
    return [(site.root / "site" / "modules" / f"m{n}" / "index.html").read_text(encoding="utf-8")
            for n in range(len(bodies))]


def refused(site, n):
    """Where LS411 points in module m{n}."""
    return [(f.line, f.col) for f in site.findings("LS411") if f.file.endswith(f"/m{n}.md")]


def at(site, n, needle):
    return site.at(f"content/modules/m{n}.md", needle)


def test_a_base_tag_is_refused(site):
    """<base> moves every later relative script, the portal's own too, to another host."""
    site.module("alpha", folder="basics", body=(
        '# Heading\n\nSome text.\n\n<base href="https://evil.example/">\n'))
    found = site.only("LS411")
    assert (found.line, found.col) == site.at(ALPHA, "<base")
    assert "the portal's own scripts included" in found.message
    assert "relative to this file" in found.hint


@pytest.mark.parametrize("href", [
    "jav&#x09;ascript:alert(11)",  # a tab, written as a character reference
    "&#106;avascript:alert(17)",
    "javascript&colon;alert(1)",
    "&#x01; javascript:alert(1)",  # control characters and spaces before the scheme
    "java\nscript:alert(1)",  # a line break inside the value
    "JAVA&Tab;SCRIPT:alert(1)",
])
def test_a_disguised_script_link_in_a_tag(site, href):
    site.module("alpha", folder="basics", body=f'# Heading\n\nSee <a href="{href}">this</a>.\n')
    found = site.only("LS411")
    assert (found.line, found.col) == site.at(ALPHA, "<a href")
    assert found.message == "the 'javascript:' link runs a script in every learner's browser"


def test_a_disguised_script_link_in_markdown(site):
    """Python-Markdown writes a link's target as given; the browser decodes it."""
    site.module("alpha", folder="basics", body=(
        "# Heading\n\nSee [this](&#106;avascript:alert(1)) and [that][ref].\n\n"
        "[ref]: vb&#x0A;script:msgbox(2)\n"))
    found = site.findings("LS411")
    assert [((f.line, f.col), f.message.split("'")[1]) for f in found] == [
        (site.at(ALPHA, "[this]"), "javascript:"), (site.at(ALPHA, "[ref]:"), "vbscript:")]


def test_a_data_link_is_refused_but_a_data_image_is_not(site):
    site.module("alpha", folder="basics", body=(
        '# Heading\n\n<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">'
        "Open</a> and [this](data:text/html,hi).\n\n"
        '![A dot](data:image/png;base64,iVBORw0KGgo=) <img alt="A dot" '
        'src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">\n'))
    found = site.findings("LS411")
    assert places(site, found) == [site.at(ALPHA, "<a href"), site.at(ALPHA, "[this]")]
    assert all("'data:' link opens a page carried inside the link" in f.message for f in found)


@pytest.mark.parametrize(("html", "harm"), [
    ('<meta http-equiv="refresh" content="0;url=https://evil.example/">',
     "send every learner to another site"),
    ('<form action="https://evil.example/"><input type="password" name="p"></form>',
     "ask learners for their password"),
    ('<button formaction="https://evil.example/">Sign in</button>',
     "ask learners for their password"),
    ("<style>.md-nav { display: none }</style>", "restyles the whole page"),
    ('<link rel="stylesheet" href="https://evil.example/x.css">', "hide or change anything"),
    ('<svg><a xlink:href="javascript:alert(1)"><text y="20">Click</text></a></svg>',
     "scripts and links"),
    ('<math href="javascript:alert(1)">x</math>', "run a script"),
    ('<frameset><frame src="https://evil.example/"></frameset>', "another page"),
    ('<applet code="X.class"></applet>', "another page or program"),
    ('<portal src="https://evil.example/"></portal>', "another page"),
    ("<template><p>hidden</p></template>", "does not publish"),
])
def test_a_harmful_tag_is_refused(site, html, harm):
    site.module("alpha", folder="basics", body=f"# Heading\n\nSome text.\n\n{html}\n")
    found = site.findings("LS411")
    assert places(site, found[:1]) == [site.at(ALPHA, html[:5])]
    assert harm in found[0].message and found[0].hint


def test_attributes_that_restyle_or_script_an_allowed_tag(site):
    site.module("alpha", folder="basics", body=(
        '# Heading\n\n<div style="position:fixed;inset:0">Session expired</div>\n\n'
        '<a title=">" href="javascript:alert(1)">A quote does not end a tag</a>\n\n'
        "A paragraph\n{: onmouseover=\"alert(2)\" }\n\n"
        '[a link](https://example.com){ href="&#106;avascript:alert(3)" }\n\n'
        '<agent onclick="alert(4)">an unknown tag is inert, its attributes are not</agent>\n'))
    found = site.findings("LS411")
    assert [((f.line, f.col), f.message.split("'")[1]) for f in found] == [
        (site.at(ALPHA, "<div"), "style="), (site.at(ALPHA, "<a title"), "javascript:"),
        (site.at(ALPHA, "{:"), "onmouseover="), (site.at(ALPHA, "{ href"), "javascript:"),
        (site.at(ALPHA, "<agent"), "onclick=")]
    assert "look-alike of the portal" in found[0].message


def test_code_in_a_raw_html_block_is_html(site):
    """Markdown reads nothing inside a raw HTML block: backticks there are no code span."""
    site.module("alpha", folder="basics", body=(
        "# Heading\n\n<div>\n\n`<script>alert(1)</script>`\n\n</div>\n\n"
        '<div title="`" onclick="alert(2)">x</div> `y`\n\n'
        "<div>\n<!-- </div> -->\n\n`<iframe src=\"https://evil.example/\"></iframe>`\n</div>\n\n"
        "After the blocks: `<script>` is text.\n"))
    found = site.findings("LS411")
    assert places(site, found) == [site.at(ALPHA, "<script>alert"), site.at(ALPHA, '<div title'),
                                   site.at(ALPHA, "<iframe")]


def test_code_in_a_markdown_block_is_code(site):
    """The plugin turns on md_in_html: inside <div markdown> backticks make code, as outside."""
    site.module("alpha", folder="basics", body=(
        '# Heading\n\n<div class="grid" markdown>\n\nType `<script>` or `<iframe>` here.\n\n'
        '<div>\n`<form>` in a raw block inside is HTML.\n</div>\n\n</div>\n\n'
        '<div markdown="0">\n`<style>` stays HTML.\n</div>\n\n'
        '<div title=" markdown">\n`<object>` too.\n</div>\n'))
    assert places(site, site.findings("LS411")) == [
        site.at(ALPHA, "<form>"), site.at(ALPHA, "<style>"), site.at(ALPHA, "<object>")]


def test_harmless_html_and_html_as_text_stay_allowed(site):
    site.module("alpha", folder="basics", body=(
        "# Heading\n\nPress <kbd>Ctrl</kbd>+<kbd>C</kbd>, H<sub>2</sub>O, x<sup>2</sup>,<br>\n"
        '<abbr title="Open Database Connectivity">ODBC</abbr>, <mark>new</mark>, '
        '<span class="note">a note</span>, <small>small</small>, <ins>in</ins> <del>out</del>, '
        '<a href="https://example.com/?q=javascript:x">web</a>, <a href="../basics/beta.md">'
        'beta</a>, <a href="#heading">top</a>, <a href="mailto:team@example.com">mail</a>.\n\n'
        "<details>\n<summary>More</summary>\n<p>Hidden text with <b>bold</b>.</p>\n</details>\n\n"
        '<div class="grid" markdown>\n\n**Markdown** inside.\n\n</div>\n\n'
        '<figure>\n<img src="https://example.com/a.png" alt="A chart">\n'
        "<figcaption>A chart</figcaption>\n</figure>\n\n"
        "<table>\n<thead><tr><th>Port</th></tr></thead>\n"
        "<tbody><tr><td>443</td></tr></tbody>\n</table>\n\n"
        "<dl><dt>Agent</dt><dd>The service that syncs.</dd></dl>\n\n"
        "<!-- a note for authors -->\n\n"
        "Text: `<base href=x>`, `<form>`, a <videos> word, 1 < 2 and <agent host> from a "
        "command.\n\n"
        "```html\n<script>alert(1)</script>\n<meta http-equiv=\"refresh\" content=\"0\">\n```\n"))
    assert site.findings("LS411") == []


@pytest.mark.parametrize("line", ["{a " * 20_000, "{#" * 30_000], ids=["{a", "{#"])
def test_a_long_line_of_braces_is_read_in_linear_time(line):
    """Finding the '#id' of attribute lists tried every '{' up to the line's end: 60 KB of
    '{a ' in a heading and a paragraph took 3.5 s, of '{#' over 10 s."""
    start = time.perf_counter()
    scan(f"# Title {line}\n\n{line}\n", 1)
    assert time.perf_counter() - start < 2


def test_code_spans_are_paired_as_markdown_pairs_them(site):
    """Each tag reached the page live while LS411 took it for code: a heading ends a paragraph,
    so no backtick before it pairs with one after; Python-Markdown 3.11 pairs '``' only with
    '``', or with a shorter run when no run after it is longer; '</div>' in backticks ends a
    <div markdown>, and the rest of the line is read anew."""
    bodies = ["# Heading `\n`\na` <img src=x onerror=alert(1)> `b\n",
              "See ``x <img src=x onerror=alert(2)>` and ```.\n",
              "<div markdown>\n\nText `x </div> <img src=x onerror=alert(3)> `\n",
              "<div markdown>\n\nText `x </div> `y\nz` <img src=x onerror=alert(4)> `w\n"]
    for n, page in enumerate(published(site, bodies)):
        assert f"<img src=x onerror=alert({n + 1})>" in page
        assert refused(site, n) == [at(site, n, "<img")]


def test_a_code_span_over_lines_is_code(site):
    """A code span may run over the lines of a paragraph or list item: Markdown escapes the tags
    in it, and LS411 refused them."""
    body = ("Type `<iframe\nsrc=x>` or `a <script>\nb` here.\n\n"
            "- An item with `<b\nonclick=alert(1)>`.\n")
    page = published(site, [body])[0]
    for code in ("&lt;iframe\nsrc=x&gt;", "a &lt;script&gt;\nb", "&lt;b\nonclick=alert(1)&gt;"):
        assert f"<code>{code}</code>" in page
    assert refused(site, 0) == []


def test_raw_html_blocks_run_as_far_as_markdown_runs_them(site):
    """Each tag in backticks reached the page live: Markdown read it as raw HTML while LS411
    took it for code, as a block ran on further than LS411 knew. A line-start block tag inside
    a <p> in a <div markdown> ends the <p> and starts a block of its own; after a <div
    markdown> ends, a block tag on the same line starts one; a <p markdown> reads its text as
    one paragraph; a block may start on a line after an ended one; after an '&#' that is no
    character reference html.parser reads no end tag; '/' in 'x=/' is a value; a no-break space
    does not stop a line from starting a block; '<!-->' is a comment to Markdown up to '-->';
    and '</div<x>' ends no <div>."""
    bodies = [
        '<div markdown="1">\n<p>\n<div>\n</p>\n\n`<img src=x onerror=alert(0)>`\n\n</div>\n'
        "</div>\n",
        "<div markdown>\n\nText.</div><details>\n\n`<img src=x onerror=alert(1)>`\n",
        "<p markdown>\n`a\n\n` <img src=x onerror=alert(2)> `\n</p>\n",
        "<div>x</div>\n<table>\n\n`<img src=x onerror=alert(3)>`\n",
        "<div>\n&#x;\n</div>\n\n`<img src=x onerror=alert(4)>`\n",
        "<div x=/>\n\n`<img src=x onerror=alert(5)>`\n\n</div>\n",
        "\u00a0<div>\n\n`<img src=x onerror=alert(6)>`\n\n</div>\n",
        "<!--> `<img src=x onerror=alert(7)>` -->\n",
        "<div>\n</div<x>\n\n`<img src=x onerror=alert(8)>`\n\n</div>\n"]
    for n, page in enumerate(published(site, bodies)):
        assert f"<img src=x onerror=alert({n})>" in page
        assert refused(site, n) == [at(site, n, "<img")]


def test_markdown_after_a_raw_block_on_its_stretch(site):
    """A raw block's stretch runs to the next blank line, and Markdown reads on right after its
    end tag: a link it wrote into a tag there put onclick on the tag, and an autolink there
    linked to a script, while LS411 read both as raw HTML."""
    bodies = ['<div>x</div>\nA <span title="[x](onclick=alert(1)//)">link</span>\n',
              "<div>x</div>\nSee <JavaScript://%0Aalert(2)>.\n"]
    pages = published(site, bodies)
    assert '<span title="<a href="onclick=alert(1)//">' in pages[0]
    assert '<a href="JavaScript://%0Aalert(2)">' in pages[1]
    found = [f for f in site.findings("LS411") if "/m" in f.file]
    assert [(f.line, f.col) for f in found] == [at(site, 0, "<span"), at(site, 1, "<Java")]
    assert found[0].message.startswith("Markdown turns the `code`, link")
    assert "'javascript:' link" in found[1].message


def test_a_tag_markdown_and_the_browser_end_apart_is_refused(site):
    """Markdown's html.parser read on past the '>' a browser ends each tag at (or, for the
    <?…?> in a line, took it for text and read the <div> in it): the raw block ran on over the
    blank line and published the tag in backticks live. LS411 ended the block where a browser
    would, and took the tag for code."""
    bodies = ['<div title==">\n</div>\n\n`<img src=x onerror=alert(0)>`\n\n">\n</div>\n',
              '<div title=\u00a0">\n</div>\n\n`<img src=x onerror=alert(1)>`\n\n">\n</div>\n',
              '<div>\n</div title="> <div>">\n\n`<img src=x onerror=alert(2)>`\n\n</div>\n',
              "<div>\nx <?a <div> ?>\n</div>\n\n`<img src=x onerror=alert(3)>`\n\n</div>\n"]
    tags = ["<div title", "<div title", "</div title", "<?a"]
    for n, page in enumerate(published(site, bodies)):
        assert f"<img src=x onerror=alert({n})>" in page
        found = [f for f in site.findings("LS411") if f.file.endswith(f"/m{n}.md")]
        assert (found[0].line, found[0].col) == at(site, n, tags[n])
        assert found[0].message.startswith("Markdown and browsers end this tag in different")


def test_a_fence_markdown_does_not_read_as_code_is_no_code(site):
    """pymdownx.superfences takes a fence for code only with an info it reads and lines as far
    in as its fence: these were text on the page, the tag live, while LS411 took them for
    code. A fence it reads is still code."""
    bodies = ["```<img src=x onerror=alert(0)> |\n\n```\n",
              "Text\n\t~~~\n\n<img src=x onerror=alert(1)>\n\n    ~~~\n",
              "```html\n<script>alert(2)</script>\n```\n\n"
              "```python title=\"a.py\"\nx = '<iframe>'\n```\n\n  ```\n  <form>\n  ```\n"]
    pages = published(site, bodies)
    for n in range(2):
        assert f"<img src=x onerror=alert({n})>" in pages[n]
        assert refused(site, n) == [at(site, n, "<img")]
    assert "<script>alert(2)" not in pages[2] and refused(site, 2) == []


def test_tags_in_an_indented_code_block_are_code(site):
    """Lines indented four columns (or a tab) after a blank line are a code block that Markdown
    escapes: LS411 refused the tags in them. Where the lines are a list item's, an admonition's
    or a paragraph's that a fence ends, they are no code, and their tags still are."""
    bodies = ["    <script>alert(0)</script>\n\nText.\n\n    <iframe src=x></iframe>\n\n"
              "# Title\n\n\t<img src=x onerror=alert(0)>\n\n__init__ is **set** by:\n\n"
              "    <form action=x>\n    <style>x</style>\n",
              "- An item\n\n    <img src=x onerror=alert(1)>\n",
              "!!! note\n\n    <img src=x onerror=alert(2)>\n",
              "Text\n```\nx\n```\n    <img src=x onerror=alert(3)>\n"]
    pages = published(site, bodies)
    for code in ("&lt;script&gt;alert(0)", "&lt;iframe src=x&gt;", "&lt;img src=x onerror=alert(0)",
                 "&lt;form action=x&gt;\n&lt;style&gt;"):
        assert f"<pre><code>{code}" in pages[0]
    assert refused(site, 0) == []
    for n in (1, 2, 3):
        assert f"<img src=x onerror=alert({n})>" in pages[n]
        assert refused(site, n) == [at(site, n, "<img")]


def test_no_fence_opens_right_after_an_indented_code_line(site):
    """superfences opened no fence there: the lines were a paragraph, whose '```' paired with
    the one before the tag, which ran, while LS411 took the lines for a fence's code."""
    page = published(site, ["    x\n```\ny ``` <img src=x onerror=alert(1)>\n```\n"])[0]
    assert "<img src=x onerror=alert(1)>" in page
    assert refused(site, 0) == [at(site, 0, "<img")]


UNKNOWN = ["videos", "agent", "x-y", "custom-element", "foo:bar", "ABC", "x.y", "scriptx"]
PLACES = ["Text {} end.", "# Title {}", "- item {}", "| {} | b |", "<div>\n{}\n</div>",
          "<div markdown>\n\n{}\n\n</div>", "> quote {}", "!!! note\n    Text {}", "[{}](y)",
          "Text `x` {} `y`"]


def test_an_unknown_tag_with_an_event_attribute_is_refused(site):
    """A name no browser knows still makes an element, whose event attribute runs: each of
    these reached the page as written. A bare unknown name ('a <videos> word') stays text."""
    bodies = ["# Title <custom-el ONFOCUS=alert(0) autofocus tabindex=1>x</custom-el>\n",
              "A <videos onmouseover=alert(1)>word</videos>, a <videos> word.\n",
              'An <agent host onclick="alert(2)">agent</agent> and <agent host>.\n',
              "| a | b |\n|---|---|\n| <x-y/onclick=alert(3)>c</x-y> | d |\n",
              "<div>\n<widget\nonload=alert(4)></widget>\n</div>\n"]
    tags = ["<custom-el ONFOCUS=alert(0)", "<videos onmouseover=alert(1)>",
            '<agent host onclick="alert(2)">', "<x-y/onclick=alert(3)>",
            "<widget\nonload=alert(4)>"]
    for n, page in enumerate(published(site, bodies)):
        assert tags[n] in page
        assert refused(site, n) == [at(site, n, tags[n].split("\n")[0].split(" ")[0])]
    for name, space, place in itertools.product(UNKNOWN, " \n\t/", PLACES):
        table = "| a | b |\n|---|---|\n" if place.startswith("|") else ""
        found = scan(table + place.format(f"<{name}{space}onclick=alert(1)>t</{name}>") + "\n", 1)
        assert [what for *_, what in found.unsafe] == ["onclick="], (name, space, place)


@pytest.mark.parametrize("body", ["<div>\n" + "<a " * 30_000,
                                  "Text " + '<b title="[x](y)\n' * 30_000 + ">"],
                         ids=["in a raw block", "with links"])
def test_many_tags_that_overlap_are_read_in_linear_time(body):
    """Each '<a' or '<b' runs to the text's end, so each looked for links and code in all the
    rest, and each finding counted the lines before it: 30,000 such tags took over 10 s."""
    start = time.perf_counter()
    scan(body, 1)
    assert time.perf_counter() - start < 2


def test_a_fence_in_a_paragraph_leaves_it_one(site):
    """superfences puts a line in a fence's place, no blank one: the paragraph runs on over it,
    and its backticks pair across it; LS411 took the fence for a blank line and the tag after
    it for code. Words after a language ('```text Title') open no fence."""
    bodies = ["`\n```\n```\n`<img src=x onerror=alert(0)>`\n",
              "Text `a\n```\ncode\n```\nb` <img src=x onerror=alert(1)> `c`\n",
              "```text Title\n<img src=x onerror=alert(2)>\n\n```\n"]
    for n, page in enumerate(published(site, bodies)):
        assert f"<img src=x onerror=alert({n})>" in page
        assert refused(site, n) == [at(site, n, "<img")]


def test_a_line_start_html_parser_does_not_read_hides_no_block(site):
    """A '<div>' that starts a line inside a comment or a tag's quotes begun on a line before is
    no block for html.parser, so the raw block after it starts where LS411 saw the first one
    end; and after '<p markdown>', a block tag ends the <p>, so one later on its line is raw.
    Each left a tag in backticks live while LS411 took it for code."""
    bodies = ["Text <!--\n<div>\n-->\n<table>\n</div>\n\n`<img src=x onerror=alert(0)>`\n",
              'Text <b title="\n<div>\n">\n<table>\n</div>\n\n`<img src=x onerror=alert(1)>`\n',
              'Text <b title==">\n<div>\n">\n<table>\n</div>\n\n`<img src=x onerror=alert(2)>`\n',
              '<p markdown><p markdown>"><div>`<img src=x onerror=alert(3)>`</div>\n']
    for n, page in enumerate(published(site, bodies)):
        assert f"<img src=x onerror=alert({n})>" in page
        assert refused(site, n) == [at(site, n, "<img")]


def test_after_an_ampersand_hash_that_is_no_reference_all_is_raw(site):
    """html.parser (before Python 3.13.6) stops at an '&#' that is no character reference and
    reads on from the wrong places: Markdown published the text after it twice, the second
    time a tag in backticks live, while LS411 took it for code."""
    page = published(site, ["Use `&#x;` for it</span> and `<img src=x onerror=alert(1)>`.\n"])[0]
    assert "<img src=x onerror=alert(1)>" in page
    assert refused(site, 0) == [at(site, 0, "<img")]


def test_links_in_raw_html_are_published_as_written(site):
    """MkDocs rewrites the links Markdown makes, not those in raw HTML (in a <div markdown>
    too): the browser reads those from the page's address, modules/m0/, so LS403 does."""
    site.write("content/modules/basics/host.png", b"png")
    body = ('# Heading\n\n[Beta](basics/beta.md) and <a href="basics/beta.md">Beta</a>.\n\n'
            '<div markdown>\n<img src="basics/host.png" alt="The host">\n</div>\n')
    page = published(site, [body])[0]
    assert '<a href="../beta/">Beta</a>' in page
    assert '<a href="basics/beta.md">Beta</a>' in page
    assert '<img src="basics/host.png" alt="The host">' in page
    assert (site.root / "site/modules/basics/host.png").exists()
    assert not (site.root / "site/modules/m0/basics/host.png").exists()
    found = [f for f in site.findings("LS403") if f.file.endswith("/m0.md")]
    assert [(f.line, f.col) for f in found] == [at(site, 0, "<a href"), at(site, 0, "<img")]
    assert [f.hint.split(": ", 1)[1].split(".", 1)[0] for f in found] == [
        "[text](basics/beta", "![The host](basics/host"]


def test_the_word_markdown_outside_a_tag_opens_no_markdown_block(site):
    """Only a 'markdown' that may be a tag's attribute can open a <div markdown>: the word in
    prose or in a quoted value made LS411 read later code spans line by line and refuse a tag
    in one that the page shows as text."""
    bodies = ["Markdown shows `</div>` as code.\n\nSo is `<iframe src=x>`.\n",
              '<span title="<b> markdown">x</span> `</div>` and\n`<iframe src=x>`.\n']
    pages = published(site, bodies)
    for n, page in enumerate(pages):
        assert "&lt;iframe src=x&gt;" in page and "<iframe src=x>" not in page
        assert refused(site, n) == []
