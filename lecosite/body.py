"""A light scan of Markdown bodies: headings (anchors), links and images, with lines.

Rendering thousands of bodies to check links would be far slower than the check is
allowed to be, so the scan masks code, then uses a few regular expressions.
"""

from __future__ import annotations

import bisect
import heapq
import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from markdown.extensions.toc import slugify

# A line that opens or closes a fence; the prefix may put it in a list item or a quote.
FENCE_LINE = re.compile(r"(?P<prefix>[ \t>*+\-.0-9]*)(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)")
# The info of a fence as pymdownx.superfences surely reads it (see _sure_fence).
_SURE_INFO = re.compile(r"[ \t]*(?:\.?[\w#.+-]+)?(?:[ \t]+title=(?:\"[^\"\n]*\"|'[^'\n]*')"
                        r"|[ \t]+linenums=\"\d+\")*[ \t]*|[ \t]*\{[ \t]*\.[\w#.+-]+[ \t]*\}[ \t]*")
# Patterns that run on every body start with a literal character, which the regex engine
# finds with a fast search (about ten times faster than trying '^' or '`+' everywhere):
# line patterns run on the body with a '\n' put in front, and match that line break.
_BACKTICKS = re.compile(r"`+")  # a run of backticks: code spans pair them (see _code_spans)
_SIMPLE_CODE = re.compile(r"`[^`\n]+`(?!`)")  # `code` with single backticks, as most are
_ATX = re.compile(r"\n(#{1,6})[ \t]+(.+?)[ \t#]*$", re.M)
_UNDERLINE = re.compile(r"\n(?:=+|-+)[ \t]*$", re.M)
_SETEXT_TEXT = re.compile(r"[^\n#>\-*=|][^\n]*")
_ID = re.compile(r"#([\w-]+)")  # an attribute list's '#id'
# [text](target "title"); a '!' just before makes it an image. Starting at '[' lets the
# regex engine skip ahead to candidates, which matters over thousands of bodies. As in
# Python-Markdown, a target may hold spaces ([text](my file.md) links to 'my file.md'); words
# after a space hold no bracket, so a line of unclosed links is not scanned once per link.
_LINK = re.compile(
    r"\[((?:[^\[\]]|\[[^\]]*\])*)\]"  # [text]
    r"\(\s*<?([^)\s>]*(?:[ \t]+[^)\s\"'>\[\]][^)\s>\[\]]*)*)>?"  # (target
    r"(?:\s+[\"'][^\"']*[\"'])?\s*\)"  # "title")
)
# '[label]: address' gives a reference link its address; '[^1]: text' is a footnote.
_REF_DEF = re.compile(r"^[ ]{0,3}\[([^\]^][^\]]*)\]:[ \t]*\n?[ \t]*<?(\S+?)>?(?:[ \t]+.*)?$", re.M)
# [text][label] (or [text][], whose label is its text): a link whose address a definition
# line gives. Not after a word or ']' ('a[0][1]'), nor with a space between ('- [x] [Step]').
_REF_USE = re.compile(r"(?<![\w\]\\])!?\[((?:[^\[\]]|\[[^\]]*\])*)\]\[([^\]^][^\]]*|)\](?![(:])")
_IMG_TAG = re.compile(r"<img\b[^>]*>", re.I)
_ALT = re.compile(r"\balt\s*=\s*[\"'][^\"']*\S")
_SRC = re.compile(r"\bsrc\s*=\s*[\"']([^\"']*)")
# Raw HTML is published as written, so it is checked like a sanitizer would: tags that format
# text pass; any other a browser knows (a player, <script>, <base>, <form>, <style>, <svg>...)
# is refused, and so is whatever in an attribute acts beyond the text. See ``raw_html``.
ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col",
    "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p",
    "pre", "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strong", "sub", "summary",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr"
})
# Every tag a browser knows, obsolete ones too; those not allowed are refused. A name no
# browser knows ('<videos>', '<agent host>') makes an inert element: only its attributes count.
HTML_TAGS = frozenset({
    "a", "abbr", "acronym", "address", "applet", "area", "article", "aside", "audio", "b",
    "base", "basefont", "bdi", "bdo", "bgsound", "big", "blink", "blockquote", "body", "br",
    "button", "canvas", "caption", "center", "cite", "code", "col", "colgroup", "data",
    "datalist", "dd", "del", "details", "dfn", "dialog", "dir", "div", "dl", "dt", "em",
    "embed", "fencedframe", "fieldset", "figcaption", "figure", "font", "footer", "form",
    "frame", "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hgroup", "hr",
    "html", "i", "iframe", "image", "img", "input", "ins", "isindex", "kbd", "keygen", "label",
    "legend", "li", "link", "listing", "main", "map", "mark", "marquee", "math", "menu",
    "menuitem", "meta", "meter", "multicol", "nav", "nextid", "nobr", "noembed", "noframes",
    "noscript", "object", "ol", "optgroup", "option", "output", "p", "param", "picture",
    "plaintext", "portal", "pre", "progress", "q", "rb", "rp", "rt", "rtc", "ruby", "s", "samp",
    "script", "search", "section", "select", "selectedcontent", "selectlist", "slot", "small",
    "source", "spacer", "span", "strike", "strong", "style", "sub", "summary", "sup", "svg",
    "table", "tbody", "td", "template", "textarea", "tfoot", "th", "thead", "time", "title",
    "tr", "track", "tt", "u", "ul", "var", "video", "wbr", "xmp"
})
REFUSED_TAGS = HTML_TAGS - ALLOWED_TAGS
# Attributes a browser follows as an address: 'data:' there opens a page the link carries.
_URL_ATTRS = frozenset({"href", "xlink:href", "src", "srcset", "action", "formaction", "data",
                        "poster", "background", "cite", "longdesc", "ping"})
# The addresses of the allowed tags that lead somewhere: published as written, MkDocs rewrites
# none of them, so LS403 checks them (see ``Scan.html_links``). An image's alt text is kept too,
# for the Markdown the check suggests instead.
_LINK_ATTRS = {"a": ("href",), "img": ("src", "srcset")}
_KEPT_ATTRS = frozenset({"href", "src", "srcset", "alt"})
# A candidate of a srcset: its address runs to a space; a ',' right after it ends the candidate.
_SRCSET_URL = re.compile(r"[\t\n\f\r ,]*([^\t\n\f\r ]+)")
# Tags that start a raw HTML block at the start of a line: Python-Markdown's block-level tags.
_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "canvas", "center", "colgroup", "dd",
    "details", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "group",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "iframe", "legend",
    "li", "main", "map", "math", "menu", "nav", "noscript", "object", "ol", "option", "output",
    "p", "pre", "progress", "script", "section", "style", "summary", "table", "tbody", "td",
    "textarea", "tfoot", "th", "thead", "tr", "ul", "video"
})
# An end tag of a block: where Markdown may end a <div markdown> (md_in_html), and a paragraph.
_BLOCK_END = re.compile(rf"</(?:{'|'.join(sorted(_BLOCK_TAGS))})(?=[\s/>\x00])", re.I)
# Lines between blank ones, and what may start a line that only continues a paragraph's text:
# a letter, a digit (not an ordered list's '1.'), '*text*', '__text__', '![image]', '[link]' (not
# '[label]: address'), or punctuation that starts no heading, list, quote, table or HTML.
_CHUNK = re.compile(r"(?<![^\n])[ \t]*[^ \t\n][^\n]*(?:\n(?![ \t]*(?:\n|\Z))[^\n]*)*")
_LIST_MARKER = re.compile(r" {0,3}(?:(?:[-*+]|\d+[.)])[ \t]+)?")
_PLAIN = re.compile(r"[^\W_]|[`(\"'&\\$%/.,;]|(\*\*?|__?)[^\s*_]|!\[|\[(?![^\[\]\n]*\]:)")
_ORDERED = re.compile(r"\d+[.)](?:\s|$)")
_SPACES_FIRST = re.compile(r"[ \t]+\n(?![ \t]*\n)")
# A tag's name as a browser (and Python-Markdown) reads it: a letter, then anything up to a
# space, '/' or '>', so '<x:y onclick=…>' and '<javascript:alert(1) onfocus=…>' are elements.
# A '<' ends it here (the browser reads on) so that every '<' is looked at, once.
_NAME = r"[A-Za-z][^\t\n\f\r /><]*"
_TAG = re.compile(rf"<(/?)({_NAME})")
# Attributes as Python's html.parser (which md_in_html uses) reads them, before Python 3.13.6:
# any Unicode space separates. A tag holds Markdown only if it reads so and a browser does.
_PARSER_ATTR = re.compile(r"(?:\s|/(?!>))*(?:(/?>)|((?<=['\"\s/])[^\s/>][^\s/=>]*)"
                          r"(?:\s*=+\s*(?:\"([^\"]*)\"|'([^']*)'|(?!['\"])([^>\s]*)))?)")
# md_in_html reads Markdown in a block tag whose last markdown attribute has one of these values
# (no value counts as "markdown"), except in these tags, and in none with any other value.
_MARKDOWN_ON = frozenset({"1", "markdown", "block", "span"})
_NO_MARKDOWN_TAGS = frozenset({"canvas", "hr", "math", "option", "pre", "script", "style",
                               "textarea"})
# Markup Markdown's HTML reader steps over: a comment, a <?…?> or <!…> declaration, a tag.
_MARKUP = re.compile(rf"<!--|<!\[CDATA\[|<[?!]|<(/?)({_NAME})|&#")
# A character reference as html.parser before 3.13.6 reads one: after any other '&#' it takes
# the rest of the text for text, so in a raw block all of it is raw.
_CHARREF = re.compile(r"&#(?:[0-9]+|[xX][0-9a-fA-F]+)[^0-9a-fA-F]")
# Where html.parser ends a comment, a <?…?>, a <![CDATA[…]]>, another declaration or an end tag.
_COMMENT_END = re.compile(r"--!?>")
_PI_END = re.compile(r"\?>")
_CDATA_END = re.compile(r"\]\s*\]\s*>")
_GT = re.compile(">")
# A '<' at the start of a line as html.parser sees one: after up to three spaces of any kind
# (a tab is four columns once Markdown expands it).
_LINE_MARKUP = re.compile(r"\n[^\S\t\n]{0,3}<")
# How far html.parser reads a tag, as Python-Markdown patches it (no backtick in a name or an
# unquoted value): before Python 3.13.6 (and its backports), any Unicode space separates and
# '=' may have spaces and more '=' around it; since, a tag reads much as a browser reads it,
# but Markdown's pattern wants '=' right after a name and a quote right after the '='.
_PARSER_TAG_OLD = re.compile(r"""<[a-zA-Z][^`\t\n\r\f />\x00]*(?:[\s/]*(?:(?<=['"\s/])[^`\s/>]
    [^\s/=>]*(?:\s*=+\s*(?:'[^']*'|"[^"]*"|(?!['"])[^`>\s]*)(?:\s*,)*)?(?:\s|/(?!>))*)*)?\s*""",
                             re.X)
_PARSER_TAG_NEW = re.compile(r"""</?[a-zA-Z][^`\t\n\r\f />]*[\t\n\r\f /]*(?:(?<=['"\t\n\r\f /])
    [^`\t\n\r\f />][^\t\n\r\f /=>]*(?:=(?:'[^']*'|"[^"]*"|(?!['"])[^>\t\n\r\f ]*))?
    [\t\n\r\f /]*)*>?""", re.X)
# How html.parser reads a tag's name and then each attribute, to tell whether '/>' closes it
# ('<div/>' does, '<div x=/>' not): old, then new.
_PARSER_NAME = (re.compile(r"[a-zA-Z][^\t\n\r\f />\x00]*(?:\s|/(?!>))*"),
                re.compile(r"[a-zA-Z][^\t\n\r\f />]*(?:[\t\n\r\f ]|/(?!>))*"))
_PARSER_ATTR_OLD = re.compile(r"""(?<=['"\s/])[^\s/>][^\s/=>]*
    (?:\s*=+\s*(?:'[^']*'|"[^"]*"|(?!['"])[^>\s]*))?(?:\s|/(?!>))*""", re.X)
_PARSER_ATTR_NEW = re.compile(r"""(?<=['"\t\n\r\f /])[^\t\n\r\f />][^\t\n\r\f /=>]*
    (?:[\t\n\r\f ]*=[\t\n\r\f ]*(?:'[^']*'|"[^"]*"|(?!['"])[^>\t\n\r\f ]*))?
    (?:[\t\n\r\f ]|/(?!>))*""", re.X)
# An end tag's name as html.parser reads it: what it holds past a browser's ('</div<x>') too.
_END_NAME = re.compile(r"[a-zA-Z][^\t\n\r\f />]*")
_P_TAG = re.compile(r"<p(?=[\t\n\f\r />])", re.I)
# What old html.parser may read otherwise than a browser in a tag (see _Reach).
_ODD_TAG = re.compile(r"[`\x00]|[^\S\t\n\f\r ]|[\t\n\f\r =]=|=[\t\n\f\r =]|[\"'][\t\n\f\r ]*,")
# One attribute as a browser reads it (a quoted value may hold '>' or line breaks), or '>'.
# Only tab, line feed, form feed, carriage return and space separate attributes: a no-break
# space before a quote makes the quote part of an unquoted value, not the start of one. A '<'
# in a name or an unquoted value is read as the start of another name (the browser reads
# on): no name starting with '<' does anything, and the next tag's attributes are read once.
_ATTR = re.compile(r"[\t\n\f\r /]*(?:(>)|([^\t\n\f\r />][^\t\n\f\r />=<]*)(?:[\t\n\f\r ]*="
                   r"[\t\n\f\r ]*(?:\"([^\"]*)\"?|'([^']*)'?|([^\t\n\f\r ><]*)))?)")
# '<scheme://…>' outside raw HTML is a link Markdown writes itself (its autolink), not a tag.
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>")
_BRACKETED = re.compile(r"\[([^\[\]]+)\]")  # [label]: a reference link, when it is defined
_LINK_OPEN = re.compile(r"\]\(")  # where a link's address starts: [text](
# What ``raw_html`` says of a tag into whose attributes Markdown writes HTML (``_rewrites``),
# and of one that Markdown and a browser may read apart (``_Markup.read``).
REWRITTEN = "Markdown in a tag"
TWO_WAYS = "a tag read two ways"
# Markdown's attribute list ({: .class key="value" }) as attr_list reads it: from a '{' to the
# line's last '}', words split at spaces only, so a quoted value may hold '}' or '>' and a
# lone quote is text. A word's name ends at ' ', '=' or '}'; its value follows.
_LIST_STOP = re.compile(r"[ =}]")
_LIST_VALUE = re.compile(r"=(?:\"(.*?)\"|'(.*?)'|([^ =}]+))")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_NOT_NEWLINE = re.compile(r"[^\n]")
_NEWLINE = re.compile(r"\n")
_FEW_PLACES = 16  # places in a body found by counting (see _placer)
_INDENTED = re.compile(r"(?:^|\n)(?: {0,3}\t| {4})")  # a line four columns in
_MARKDOWN_WORD = re.compile("markdown", re.I)
_QUOTES = re.compile("[\"']")
_SCHEME_OF = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_C0_AND_SPACE = "".join(map(chr, range(0x21)))
_HTML_ID = re.compile(r"\bid=[\"']([^\"']+)[\"']")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
# Markup that is not text: a link or image keeps its text; '_' only where it opens or closes
# emphasis (max_retries keeps it, as Python-Markdown does). slugify drops '*', '~' and '`'.
_INLINE_MARKUP = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|(?<![A-Za-z0-9])_+|_+(?![A-Za-z0-9])")


@dataclass
class Link:
    target: str
    text: str
    line: int
    col: int
    image: bool


@dataclass
class Scan:
    anchors: set[str] = field(default_factory=set)
    links: list[Link] = field(default_factory=list)
    images_without_alt: list[tuple[int, int, str]] = field(default_factory=list)
    # line, col, name of each raw HTML tag in REFUSED_TAGS
    raw_tags: list[tuple[int, int, str]] = field(default_factory=list)
    # line, col, the link as written, its label: [text][label] with no '[label]: …' line
    undefined_refs: list[tuple[int, int, str, str]] = field(default_factory=list)
    # line, col, what acts beyond the text in a tag, a {: attribute list} or a link:
    # an attribute ('onerror=', 'style=') or an address's scheme ('javascript:', 'data:')
    unsafe: list[tuple[int, int, str]] = field(default_factory=list)
    # Each <a>'s href and each <img>'s src and srcset addresses in raw HTML, as a browser reads
    # them, at the tag's '<'; an image's text is its alt. Published as written: a relative one
    # is read from the page's address, not from the file (see LS403). And each autolink's
    # address ('<https://…>'), which Markdown links as written.
    html_links: list[Link] = field(default_factory=list)


@dataclass
class Fence:
    """A fenced block, from its opening line to its closing one."""

    start: int  # offset of the opening line
    inner: int  # of the first line inside
    prefix: str  # what precedes the fence on the opening line: indentation, '> ', '- '
    fence: str  # ``` or ~~~, three or more
    info: str  # the rest of the opening line
    close: int = -1  # offset of the closing line; -1: never closed, it runs to the end
    end: int = -1  # of the end of the closing line


def fence_marker_lines(body: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each line holding ``` or ~~~, found with str.find: this runs on
    every module, and a multi-line regex would try every position of the body."""
    for marker in ("```", "~~~"):
        at = body.find(marker)
        while at != -1:
            end = body.find("\n", at)
            end = len(body) if end == -1 else end
            yield body.rfind("\n", 0, at) + 1, end
            at = body.find(marker, end)


def _fence_lines(body: str) -> list[tuple[int, int, re.Match[str]]]:
    """(start, end, match) of every line that opens or closes a fence, in order."""
    found = []
    for start, end in sorted(set(fence_marker_lines(body))):
        match = FENCE_LINE.fullmatch(body, start, end)
        if match:
            found.append((start, end, match))
    return found


def fences(body: str) -> list[Fence]:
    """The outermost fenced blocks of a body, in order, as the portal's Markdown
    (pymdownx.superfences) reads them: a line whose info holds a backtick opens nothing; a
    block ends at a bare line of exactly its fence, in the same quote (as many '>' before
    it); a fence shown inside a longer one is that block's text."""
    found: list[Fence] = []
    block = None
    for start, end, match in _fence_lines(body):
        prefix, fence, info = match.groups()
        if block is None:
            if "`" not in info:
                block = Fence(start, end + 1, prefix, fence, info)
                found.append(block)
        elif (fence == block.fence and not info.strip() and not prefix.strip(" \t>")
              and prefix.count(">") == block.prefix.count(">")):
            block.close, block.end = start, end
            block = None
    return found


def _masked(body: str, blocks: list[Fence]) -> str:
    """The body with the lines of its fenced ``blocks`` emptied: code holds no links or
    headings, and keeping its line breaks keeps every later place. A block never closed is
    not code: the portal (pymdownx.superfences) shows it as text, links and all."""
    out, done = [], 0
    for block in blocks:
        if block.close >= 0:
            out += [body[done:block.start], "\n" * body.count("\n", block.start, block.end)]
            done = block.end
    return "".join(out) + body[done:]


def _as_text(body: str, blocks: list[Fence]) -> str:
    """The body with each line of each closed block of ``blocks`` a bare 'x' after the fence's
    indent: superfences leaves a placeholder line there, which is no blank line (a paragraph
    runs on over it, and backticks pair across it), and code is no HTML."""
    out, done = [], 0
    for block in blocks:
        if block.close >= 0:
            lines = body.count("\n", block.start, block.end) + 1
            out += [body[done:block.start], "\n".join([block.prefix + "x"] * lines)]
            done = block.end
    return "".join(out) + body[done:]


def _sure_fence(body: str, block: Fence) -> bool:
    """Whether pymdownx.superfences surely reads the block as code, so LS411 may take what is
    in it for text: its fence starts its line after spaces only, its info is a language (with
    title="a.py" or linenums="1", or a class in braces) or nothing, each line in it and its
    end start with those spaces, and no indented code line is right before it. Else
    superfences may take the lines for text: it wants this info (other words after the
    language, '```text Title', opened no fence), and each line as far in as the fence."""
    if block.close < 0 or block.prefix.strip(" ") or not _SURE_INFO.fullmatch(block.info):
        return False
    before = body[body.rfind("\n", 0, max(block.start - 1, 0)) + 1:max(block.start - 1, 0)]
    if before.expandtabs(4).startswith("    ") and before.strip():
        return False  # a line of an indented code block: no fence follows it
    inside = body[block.inner:block.close].split("\n")[:-1] if block.prefix else []
    return (all(line.startswith(block.prefix) or not line.strip() for line in inside)
            and body[block.close:block.end].rstrip(" \t") == block.prefix + block.fence)


def _blank_code(text: str) -> str:
    """The text with its code spans blanked, line breaks kept (so every later place stays)."""
    if "`" not in text:
        return text
    out, done = [], 0
    for start, end in _code_spans(text):
        out += [text[done:start], _NOT_NEWLINE.sub(" ", text[start:end])]
        done = end
    return "".join(out) + text[done:]


# A backtick run: (start, end, whether a '\\' before it makes its first backtick text).
_Run = tuple[int, int, bool]


def _code_spans(text: str, markdown: int | None = None,
                raw: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """(start, end) of each code span that is code however Python-Markdown (old releases and
    new, which pair backticks differently) reads the text. Spans pair within a paragraph, and
    which lines make one is known only for a chunk (lines between blank ones) where each line
    just continues the text (see _one_paragraph): there, spans may run over lines. Elsewhere
    a heading, list item or table row may start on any line, so only lines read alike however
    the chunk splits count: up to the first line whose backticks do not all pair on it.
    Backticks in the ``raw`` stretches (see _raw_blocks) are HTML, unless Markdown reads some
    of that text after all: a chunk that runs into one is read line by line, up to it. From
    ``markdown`` on, a <div markdown> may be open: an end tag of a block inside a span may end
    it there, so no span holding one counts; and a <p markdown> reads all its text as one
    paragraph, blank lines and raw blocks in it too, so the lines from there on are read as
    one chunk that no line starts (by default, none is open)."""
    markdown = len(text) if markdown is None else markdown
    raw = raw or []
    starts = [start for start, _ in raw]
    simple = [m.span() for m in _SIMPLE_CODE.finditer(text)]
    if _alike(text, simple, 0, len(text), len(simple)) and not (
            raw and any(_meets(raw, starts, a, b) for a, b in simple)):
        return simple  # each backtick pairs on its line (most bodies): every reading agrees
    spans: list[tuple[int, int]] = []
    for chunk in _CHUNK.finditer(text):
        start, end = chunk.span()
        if end > markdown:
            runs = _runs(text, start, len(text))
            return spans + _line_spans(text, runs, markdown, raw, starts)
        first = bisect.bisect_left(simple, (start,))
        last = bisect.bisect_left(simple, (end,), first)
        meets = _meets(raw, starts, start, end)
        if not meets and _alike(text, simple[first:last], start, end, last - first):
            spans += simple[first:last]
        elif not meets and _one_paragraph(chunk.group()):
            runs = _runs(text, start, end)
            spans += _overlap(_pairs_old(runs), _pairs_new(runs))
        else:
            spans += _line_spans(text, _runs(text, start, end), markdown, raw, starts)
    return spans


def _runs(text: str, start: int, end: int) -> list[_Run]:
    """The backtick runs in text[start:end]."""
    return [(m.start(), m.end(), _escaped(text, m.start()))
            for m in _BACKTICKS.finditer(text, start, end)]


def _meets(raw: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    """Whether text[start:end] meets one of the ``raw`` stretches (sorted, apart; ``starts``
    holds where each starts)."""
    at = bisect.bisect_right(starts, start) - 1
    return (at >= 0 and raw[at][1] > start) or (at + 1 < len(raw) and raw[at + 1][0] < end)


def _alike(text: str, simple: list[tuple[int, int]], start: int, end: int, count: int) -> bool:
    """Whether every backtick in text[start:end] is one of the ``count`` `simple` spans there,
    none escaped and none holding an end tag: then every reading finds just these."""
    return (2 * count == text.count("`", start, end) and text.find("\\`", start, end) == -1
            and (text.find("</", start, end) == -1
                 or not any(text.find("</", a, b) != -1 for a, b in simple)))


def _escaped(text: str, at: int) -> bool:
    """Whether the character at ``at`` follows an odd number of backslashes."""
    count = 0
    while at > count and text[at - count - 1] == "\\":
        count += 1
    return count % 2 == 1


def _one_paragraph(chunk: str) -> bool:
    """Whether Python-Markdown reads the chunk as one paragraph's text (perhaps a list item's):
    its first line may start a list item, and no line starts another block."""
    first, *rest = chunk.split("\n")
    marker = _LIST_MARKER.match(first)
    return _plain(first[marker.end():]) and all(_plain(line.lstrip()) for line in rest)


def _plain(line: str) -> bool:
    """Whether a line (its indent stripped) starts no block: see _PLAIN."""
    return bool(_PLAIN.match(line)) and not _ORDERED.match(line)


def _line_spans(text: str, runs: list[_Run], markdown: int, raw: list[tuple[int, int]],
                starts: list[int]) -> list[tuple[int, int]]:
    """The code spans of lines up to the first where a backtick run does not pair with one as
    long on its line, where a span holds an end tag that may end a block (from ``markdown`` on),
    or where a run is in a ``raw`` stretch: before it, however Markdown splits the lines, each
    run pairs on its line."""
    spans: list[tuple[int, int]] = []
    index = 0
    while index < len(runs):
        start, end, escaped = runs[index]
        if _meets(raw, starts, start, end):
            break
        ticks = end - start - escaped
        if ticks == 0:  # an escaped lone backtick opens nothing
            index += 1
            continue
        line_end = text.find("\n", end)
        close = index + 1
        while close < len(runs) and runs[close][1] - runs[close][0] != ticks and (
                line_end == -1 or runs[close][0] < line_end):
            close += 1
        if (close == len(runs) or (line_end != -1 and runs[close][0] > line_end)
                or _BLOCK_END.search(text, max(start, markdown), runs[close][0])):
            break
        spans.append((start + escaped, runs[close][1]))
        index = close + 1
    return spans


def _pairs_old(runs: list[_Run]) -> list[tuple[int, int]]:
    """Code spans as older Python-Markdown releases (a regular expression) pair a paragraph's
    backtick runs: a run of n closes at the next run of exactly n; with none, n-1 of it open,
    and so on."""
    following = [-1] * len(runs)  # the next run as long as each
    last: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        width = runs[index][1] - runs[index][0]
        following[index], last[width] = last.get(width, -1), index
    by_width = _by_width(runs)
    spans: list[tuple[int, int]] = []
    index = 0
    while index < len(runs):
        start, end, escaped = runs[index]
        for width in range(end - start - escaped, 0, -1):
            close = following[index] if width == end - start else _next(by_width, width, index)
            if close != -1:
                spans.append((start + escaped, runs[close][1]))
                index = close
                break
        index += 1
    return spans


def _pairs_new(runs: list[_Run]) -> list[tuple[int, int]]:
    """Code spans as newer Python-Markdown releases (find_code_spans, 3.11 here) pair a
    paragraph's backtick runs: a run of n closes at the next run of exactly n; with none, at the
    first longest run after it, if that is shorter."""
    longest = [(0, -1)] * (len(runs) + 1)  # the longest run from each on, the first so long
    for index in range(len(runs) - 1, -1, -1):
        width = runs[index][1] - runs[index][0]
        longest[index] = (width, index) if width >= longest[index + 1][0] else longest[index + 1]
    by_width = _by_width(runs)
    spans: list[tuple[int, int]] = []
    index = 0
    while index < len(runs):
        start, end, escaped = runs[index]
        ticks = end - start - escaped
        close = _next(by_width, ticks, index) if ticks else -1
        if close == -1 and 0 < longest[index + 1][0] < ticks:
            close = longest[index + 1][1]
        if close != -1:
            spans.append((start + escaped, runs[close][1]))
            index = close
        index += 1
    return spans


def _by_width(runs: list[_Run]) -> dict[int, list[int]]:
    """The indexes of the runs of each length, in order."""
    found: dict[int, list[int]] = {}
    for index, (start, end, _) in enumerate(runs):
        found.setdefault(end - start, []).append(index)
    return found


def _next(by_width: dict[int, list[int]], width: int, after: int) -> int:
    """The index of the first run of exactly ``width`` backticks after run ``after``, or -1."""
    same = by_width.get(width, [])
    found = bisect.bisect_right(same, after)
    return same[found] if found < len(same) else -1


def _overlap(one: list[tuple[int, int]], other: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The stretches two sorted lists of disjoint (start, end) both cover."""
    both, i, j = [], 0, 0
    while i < len(one) and j < len(other):
        start, end = max(one[i][0], other[j][0]), min(one[i][1], other[j][1])
        if start < end:
            both.append((start, end))
        if one[i][1] < other[j][1]:
            i += 1
        else:
            j += 1
    return both


def _text(markup: str) -> str:
    return _INLINE_MARKUP.sub(lambda m: m.group(1) or "", markup)


@lru_cache(maxsize=4096)
def _slug(heading: str) -> str:
    """The heading's text as the toc extension sees it: code spans verbatim, markup gone."""
    plain, at = [], 0
    for m in _CODE_SPAN.finditer(heading):
        plain += [_text(heading[at:m.start()]), m.group(2)]
        at = m.end()
    plain.append(_text(heading[at:]))
    return slugify("".join(plain), "-") or "_"


def _last_id(text: str, start: int, end: int) -> str:
    """The name after the last '#' in text[start:end] that one follows, or ''."""
    found = ""
    for m in _ID.finditer(text, start, end):
        found = m.group(1)
    return found


def _heading_list_id(text: str) -> str:
    """The '#id' of the attribute list ending a heading ('Title {: #id }'), or ''. Found from
    the heading's last '}' back to the first '{' after the '}' before it: a regular
    expression trying every '{' read a line of '{a ' in quadratic time."""
    text = text.rstrip()
    if not text.endswith("}"):
        return ""
    close = len(text) - 1
    brace = text.find("{", text.rfind("}", 0, close) + 1, close)
    return _last_id(text, brace + 1, close) if brace != -1 else ""


def _list_ids(text: str) -> list[str]:
    """The '#id' of each '{…#id…}' on a line: the last '#' before the first '}' after a '{'.
    A line with no '}' after a '{' is left at once, so a line of '{a ' is read once."""
    found = []
    at = text.find("{")
    while at != -1:
        line_end = text.find("\n", at)
        line_end = len(text) if line_end == -1 else line_end
        close = text.find("}", at, line_end)
        if close == -1:
            at = text.find("{", line_end)
            continue
        name = _last_id(text, at + 1, close)
        found += [name] if name else []
        at = text.find("{", close)
    return found


def heading_id(text: str, used: set[str]) -> str:
    """The anchor Python-Markdown's toc gives a heading (default slugify, '_N' for repeats)."""
    explicit = _heading_list_id(text)
    if explicit:
        return explicit
    slug = candidate = _slug(text)
    n = 0
    while candidate in used:
        n += 1
        candidate = f"{slug}_{n}"
    return candidate


def _placer(text: str, first_line: int) -> Callable[[int], tuple[int, int]]:
    """The (line, col) of an offset in ``text``, whose first line is file line ``first_line``.
    The first few count the line breaks before them, as most bodies need few; past those, the
    line breaks are found once, so many places (a line of 20,000 tags) cost no count each."""
    breaks: list[int] = []
    asked = [0]

    def place(offset: int) -> tuple[int, int]:
        asked[0] += 1
        if asked[0] <= _FEW_PLACES:
            return (first_line + text.count("\n", 0, offset),
                    offset - text.rfind("\n", 0, offset))
        if not breaks:
            breaks.extend([m.start() for m in _NEWLINE.finditer(text)] or [len(text)])
        line = bisect.bisect_left(breaks, offset)
        return first_line + line, offset - (breaks[line - 1] if line else -1)

    return place


def scan(body: str, first_line: int) -> Scan:
    """Scan a body whose first line is file line ``first_line``."""
    blocks = fences(body) if ("```" in body or "~~~" in body) else []
    fenced = _masked(body, blocks) if blocks else body
    masked = fenced  # and code spans blanked, for links
    if "`" in masked:
        masked = _blank_code(masked)

    place = _placer(masked, first_line)

    result = Scan()
    lines = "\n" + fenced  # a match's start in it is its line's start in fenced
    headings = [(m.start(), m.group(2)) for m in _ATX.finditer(lines)] if "#" in fenced else []
    for m in _UNDERLINE.finditer(lines):
        if m.start() < 2:
            continue
        above = fenced.rfind("\n", 0, m.start() - 1) + 1
        text = fenced[above:m.start() - 1]
        if text.strip() and _SETEXT_TEXT.fullmatch(text):
            headings.append((above, text.strip()))
    for _, text in sorted(headings):
        result.anchors.add(heading_id(text, result.anchors))
    if "id=" in masked:
        result.anchors.update(_HTML_ID.findall(masked))
    if "{" in masked:
        result.anchors.update(_list_ids(masked))
    if "](" in masked:
        for m in _LINK.finditer(masked):
            start = m.start()
            image = start > 0 and masked[start - 1] == "!"
            line, col = place(start - 1 if image else start)
            if image and not m.group(1).strip():
                result.images_without_alt.append((line, col, m.group(2)))
            result.links.append(Link(m.group(2), m.group(1), line, col, image))
    labels = set()
    if "]:" in masked:
        for m in _REF_DEF.finditer(masked):
            line, col = place(m.start())
            result.links.append(Link(m.group(2), m.group(1), line, col, False))
            labels.add(_label(m.group(1)))
    if "][" in masked:
        for m in _REF_USE.finditer(masked):
            label = m.group(2) or m.group(1)
            if _label(label) not in labels:
                result.undefined_refs.append((*place(m.start()), m.group(0), label))
    for link in result.links:
        scheme = url_scheme(link.target)
        if scheme in ("javascript", "vbscript") or (scheme == "data" and not link.image):
            result.unsafe.append((link.line, link.col, f"{scheme}:"))
    if "<img" in masked or "<IMG" in masked:
        for m in _IMG_TAG.finditer(masked):
            if not _ALT.search(m.group(0)):
                line, col = place(m.start())
                src = _SRC.search(m.group(0))
                result.images_without_alt.append((line, col, src.group(1) if src else ""))
    if "<" in body or "{" in body:
        sure = [b for b in blocks if _sure_fence(body, b)]
        if "<" in fenced or "{" in fenced or len(sure) < sum(b.close >= 0 for b in blocks):
            html = _as_text(body, sure) if blocks else body  # a fence not surely code is text
            tags, unsafe, links = raw_html(html, labels)
            html_place = _placer(html, first_line)
            result.raw_tags = [(*html_place(at), name) for at, name in tags]
            result.unsafe += [(*html_place(at), what) for at, what in unsafe]
            result.html_links = [Link(target, alt, *html_place(at), image)
                                 for at, target, alt, image in links]
            if links:
                result.html_links = _surely_html(body, blocks, html, result.html_links,
                                                 first_line)
    result.unsafe.sort()
    return result


def markdown_at(text: str) -> int:
    """Where the first 'markdown' stands that may be an attribute of a tag, so a <div
    markdown> may open there (md_in_html reads any letter case); else the text's end. Only a
    word after a '<' closed by a '>' with no quote between them surely stands outside a tag:
    'Markdown shows `</div>` as code' in prose made LS411 read the rest of a body's code
    spans line by line, and refuse a tag in one as HTML."""
    lt, closed, quoted, done = -1, False, False, 0
    for m in _MARKDOWN_WORD.finditer(text):
        at = m.start()
        found = text.rfind("<", done, at)
        if found != -1:
            lt, closed, quoted, done = found, False, False, found
        part = text[done:at]
        closed = closed or ">" in part
        quoted = quoted or _QUOTES.search(part) is not None
        if lt != -1 and (quoted or not closed):
            return at
        done = at
    return len(text)


def _surely_html(body: str, blocks: list[Fence], html: str, links: list[Link],
                 first_line: int) -> list[Link]:
    """The ``links`` raw_html found in ``html`` that are HTML in the reading that takes the
    most for code too: every closed fence code, and no <div markdown> open (see _code_spans).
    raw_html takes what may be HTML for HTML, as a sanitizer must; a link LS403 reports must
    be HTML however Markdown reads the body, or an example in code would fail the check.
    Both texts have the same lines, so a link is looked for at its line and column."""
    closed = [b for b in blocks if b.close >= 0]
    text = _as_text(body, closed) if closed else body  # as many lines as ``html``
    if text == html and markdown_at(text) == len(text):
        return links  # the two readings are one
    lines = _html_view(text, _raw_blocks(text, len(text))[0], len(text))[0].split("\n")
    return [link for link in links
            if lines[link.line - first_line][link.col - 1:link.col] == "<"]


def _label(label: str) -> str:
    """A reference label as Markdown matches it: letter case and line breaks ignored."""
    return " ".join(label.split()).lower()


def url_scheme(url: str) -> str:
    """The scheme a browser reads in an address, lowercased ('javascript'), or ''.

    Browsers decode character references (``&#106;``) and drop tabs and line breaks anywhere,
    and control characters and spaces at either end, before they read the scheme: so does this,
    or ``jav&#x09;ascript:`` would pass for a relative link.
    """
    if ":" not in url and "&" not in url:  # most links: a file of the site
        return ""
    url = html.unescape(url).strip(_C0_AND_SPACE)
    found = _SCHEME_OF.match(url.replace("\t", "").replace("\n", "").replace("\r", ""))
    return found.group(0)[:-1].lower() if found else ""


# Where a tag's attributes from some point on end ('>'), what is unsafe in them, as (attribute
# name, what _unsafe says), whether a '/' ends them ('<div/>', not '<div x=/>'), and the
# (name, value) of those in _KEPT_ATTRS, in order; kept per text, by the point they start at.
_Tail = tuple[int, frozenset[tuple[str, str]], bool, tuple[tuple[str, str], ...]]


def _tag_tail(text: str, at: int, seen: dict[int, _Tail]) -> _Tail:
    """Read the attributes of a tag from ``at`` (where its name ends) as a browser does: where
    the tag ends, what in them is unsafe, and whether it closes itself. Every '<' starts a look
    and may start inside an earlier tag; ``seen`` keeps the reading from each attribute on, so a
    text read twice costs once."""
    path: list[tuple[int, re.Match[str]]] = []
    end, found, closes = len(text), frozenset[tuple[str, str]](), False
    kept: tuple[tuple[str, str], ...] = ()
    while at < len(text):
        if at in seen:
            end, found, closes, kept = seen[at]
            break
        m = _ATTR.match(text, at)
        if m is None:
            break
        path.append((at, m))
        at = m.end()
        if m.group(1):  # '>', after a '/' of its own or not ('x=/' is a value)
            end, closes = at, m.start(1) > m.start() and text[m.start(1) - 1] == "/"
            break
    for start, m in reversed(path):
        if not m.group(1):
            name = m.group(2).lower()
            value = next((v for v in m.group(3, 4, 5) if v), "")
            what = _unsafe(name, value)
            found |= {(name, what)} if what else set()
            kept = ((name, value), *kept) if name in _KEPT_ATTRS else kept
        seen[start] = (end, found, closes, kept)
    return end, found, closes, kept


def _unsafe(name: str, value: str) -> str:
    """What an attribute does beyond the text, or '': run a script ('onerror=', 'javascript:'),
    restyle the page ('style=') or open a page the link carries ('data:')."""
    if (name.startswith("on") and len(name) > 2) or name == "style":
        return f"{name}="
    scheme = url_scheme(value)
    if scheme in ("javascript", "vbscript") or (scheme == "data" and name in _URL_ATTRS):
        return f"{scheme}:"
    return ""


def _asks_markdown(text: str, name: str, at: int) -> bool:
    """Whether md_in_html (which the plugin turns on) reads Markdown in the block tag ``name``
    whose attributes start at ``at``: markdown, markdown="1", "block" or "span", its last one
    counting; not "0", "yes", "" nor in <pre>. Read both as Python's html.parser does (whose
    spaces differ between versions) and as a browser does: both must say so."""
    return name not in _NO_MARKDOWN_TAGS and all(
        _markdown_value(text, at, attr) in _MARKDOWN_ON for attr in (_ATTR, _PARSER_ATTR))


def _markdown_value(text: str, at: int, attr: re.Pattern[str]) -> str:
    """The value of a tag's last markdown attribute, read with ``attr``; '0' when it has none."""
    value = "0"
    while (m := attr.match(text, at)) and not m.group(1) and m.end() > at:
        if m.group(2).lower() == "markdown":
            value = next((v for v in m.group(3, 4, 5) if v is not None), "markdown")
        at = m.end()
    return value


class _Markup:
    """A body's markup as Python-Markdown's raw HTML reading (html.parser) steps over it. Each
    search for an end goes on from the last one of its kind and tags are read once (see
    _tag_tail), so a body costs about its length. ``two_ways`` gathers the tags that html.parser
    and a browser may end in different places."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.seen: dict[int, _Tail] = {}
        self.ends: dict[str, tuple[int, int, int]] = {}  # from where, the match found (-1: none)
        self.two_ways: list[int] = []
        first_p = _P_TAG.search(text)  # before it no <p markdown> is open
        self.p_at = first_p.start() if first_p else len(text)

    def find(self, pattern: re.Pattern[str], at: int) -> int:
        """Where the first match of ``pattern`` from ``at`` ends, or -1."""
        since, start, end = self.ends.get(pattern.pattern, (len(self.text) + 1, -1, -1))
        if not (since <= at and (start == -1 or at <= start)):
            m = pattern.search(self.text, at)
            since, start, end = at, *(m.span() if m else (-1, -1))
            self.ends[pattern.pattern] = (since, start, end)
        return end

    def read(self, m: re.Match[str], line_start: bool) -> tuple[int, str, str, bool]:
        """Where the markup ``m`` (of _MARKUP) ends as html.parser reads it, its kind, its name
        if a tag, and whether it closes itself. The kind is '' where html.parser takes its start
        for text and reads on: a comment never closed, a '</' whose '>' never comes, a <?…?> or
        declaration other than at a line's start, a character reference. Else 'markup' (a
        comment, <?…?> or declaration: what is in it is no tag), 'start' or 'end'. A <?…?> or
        declaration never closed stops html.parser, which then misplaces what it reads on (it
        published text twice), and after an '&#' that is no character reference it reads no
        more tags: such markup runs to the text's end. A tag goes to two_ways when html.parser,
        old or new, ends it elsewhere than a browser (and none did before: one refuses the
        body); so does a <?…?> or declaration in a line, which is text at the top but markup
        inside a <div markdown>."""
        text, at, opening = self.text, m.start(), m.group(0)
        if opening == "&#":
            found = _CHARREF.match(text, at)
            return (found.end() - 1, "", "", False) if found else (len(text), "markup", "", False)
        if opening == "<!--":
            end = self.find(_COMMENT_END, at + 4)
            return (end, "markup", "", False) if end != -1 else (at + 1, "", "", False)
        if not m.group(2):
            if not line_start:
                self.two_ways.append(at)
                return at + 2, "", "", False
            close = _PI_END if opening == "<?" else _CDATA_END if opening != "<!" else _GT
            end = self.find(close, at + 2)
            return (end if end != -1 else len(text)), "markup", "", False
        end, _, closes, _ = _tag_tail(text, m.end(), self.seen)
        if m.group(1) and self.find(_GT, at + 2) == -1:  # html.parser takes '</' for text
            return at + 2, "", "", False
        if not self.two_ways and text.endswith(">", 0, end) and not self.alike(m, end):
            self.two_ways.append(at)
        if m.group(1):
            name = _END_NAME.match(text, at + 2)
            return end, "end", (name.group() if name else m.group(2)).lower(), False
        return end, "start", m.group(2).lower(), closes and all(
            _parser_closes(text, at, end, name, attr)
            for name, attr in zip(_PARSER_NAME, (_PARSER_ATTR_OLD, _PARSER_ATTR_NEW), strict=True))

    def alike(self, m: re.Match[str], end: int) -> bool:
        """Whether html.parser, old and new, ends the tag ``m`` where a browser does (``end``).
        A reading that agrees costs what the browser's did; one that does not may read on to
        the text's end, which is why only the first tag read two ways is looked for."""
        text, at = self.text, m.start()
        new = _PARSER_TAG_NEW.match(text, at)
        if m.group(1):  # before 3.13.6 html.parser ends an end tag at its first '>'
            old = self.find(_GT, at + 2)
        else:
            read = _PARSER_TAG_OLD.match(text, at)
            gone = read.end() if read else at
            old = (gone + 1 if text.startswith(">", gone)
                   else gone + 2 if text.startswith("/>", gone) else -1)
        return old == end and new is not None and new.end() == end


def _parser_closes(text: str, at: int, end: int, name: re.Pattern[str],
                   attribute: re.Pattern[str]) -> bool:
    """Whether html.parser, reading a tag's ``name`` and each ``attribute`` as one version
    does, finds the '/>' of a tag text[at:end] its own (an end for an empty element)."""
    read = name.match(text, at + 1)
    gone = read.end() if read else end
    while gone < end and (m := attribute.match(text, gone)) and m.end() > gone:
        gone = m.end()
    return text[gone:end].strip() == "/>"


def _line_start(text: str, at: int) -> bool:
    """Whether html.parser (md_in_html's at_line_start) takes ``at`` for a line's start: at most
    three spaces of any kind before it on its line, and no tab (four columns once expanded)."""
    before = text[max(0, at - 3):at]
    cut = before.rfind("\n")
    if cut == -1 and at > 3:
        return False
    before = before[cut + 1:]
    return not before or (before.isspace() and "\t" not in before)


def _closing(markup: _Markup, name: str, at: int) -> int:
    """Where the block ``name`` open before ``at`` ends as Python-Markdown finds it (after its
    end tag, nested ones of its name counted), or the text's end. In a <div markdown>, a block
    tag that starts a line (or follows a tag) inside a <p> ends the <p> and is a raw block of
    its own: the stretch then runs to its end too."""
    text = markup.text
    open_tags = {name: 1}
    follows = at  # where the last markup ended
    while m := _MARKUP.search(text, at):
        line_start = _line_start(text, m.start())
        at, kind, tag, closes = markup.read(m, line_start)
        if kind == "end" and open_tags.get(tag):
            open_tags[tag] -= 1
            if not any(open_tags.values()):
                return at
        elif kind == "start" and not closes and tag != "hr":
            if tag in open_tags:
                open_tags[tag] += 1
            elif open_tags.get("p") and tag in _BLOCK_TAGS and (line_start or m.start() == follows):
                open_tags[tag] = 1
        follows = at if kind else -1
    return len(text)


def _raw_blocks(text: str, markdown: int) -> tuple[list[tuple[int, int]], list[int]]:
    """(start, end) of each stretch of raw HTML blocks: Markdown reads nothing in one, so a
    `code span` there is HTML like the rest; and where a tag is that html.parser and a browser
    may read apart (see _Markup). A block starts at a block-level tag at the start of a line;
    or later on it, with no line break in text between, after a comment or <?…?> that starts
    it, an ended block, or right after a tag that asks for Markdown (md_in_html), which starts
    none itself; a comment, <?…?> or declaration is one of its own there. A block runs to its
    end tag, the stretch to the next blank line (where Markdown surely reads anew); a block
    may start in that stretch after the end tag, and lengthen it. A '<' that starts a line
    inside a comment or tag begun on a line before is no block for html.parser: where one
    may be (see _Reach), the block it seems to start hides no later line start (another block
    may start there). ``markdown``: where the first 'markdown' is, before which no <div
    markdown> starts."""
    blocks: list[tuple[int, int]] = []
    markup = _Markup(text)
    reach = _Reach(markup)
    covered = 0  # where the raw HTML read so far ends, from a place html.parser surely reads
    spent = 0  # what blocks from places it may not read cost, which each may read again
    for at, tail in _block_starts(text, markdown):
        if at < covered:
            continue
        end = _read_line(markup, at, tail)
        if end != -1:
            start = text.rfind("\n", 0, at) + 1
            if reach.before(start) <= at:
                covered = end
            elif (spent := spent + end - at) + reach.spent > 4 * len(text):
                return [*blocks, (start, len(text))], markup.two_ways  # too tangled: all raw
            blank = _BLANK_LINE.search(text, end)
            stop = blank.start() + 1 if blank else len(text)
            if blocks and start <= blocks[-1][1]:
                blocks[-1] = (blocks[-1][0], max(blocks[-1][1], stop))
            else:
                blocks.append((start, stop))
    return _to_the_end(text, blocks, _feed_stop(text, markdown)), markup.two_ways


class _Reach:
    """How far the markup begun before a point reaches as html.parser reads it: a line start
    before that is inside a comment or a tag's quotes. A tag is read as a browser reads it, or
    as html.parser before 3.13.6 does where the two may part (_ODD_TAG), which may read far:
    ``spent`` says how far, and past four times the text, all of it may be hidden. Points asked
    go forward, so other markup is read once."""

    def __init__(self, markup: _Markup) -> None:
        self.markup = markup
        self.found = _MARKUP.finditer(markup.text)
        self.next = next(self.found, None)
        self.far = 0
        self.spent = 0
        self.odd: list[int] | None = None  # where _ODD_TAG matches, found when first asked

    def odd_in(self, start: int, end: int) -> bool:
        """Whether text[start:end] holds what _ODD_TAG finds."""
        if self.odd is None:
            self.odd = [m.start() for m in _ODD_TAG.finditer(self.markup.text)]
        return bisect.bisect_left(self.odd, end) > bisect.bisect_left(self.odd, start)

    def before(self, point: int) -> int:
        """The furthest end of markup that starts before ``point``."""
        text, markup = self.markup.text, self.markup
        while self.next and self.next.start() < point and self.spent <= 4 * len(text):
            m, at = self.next, self.next.start()
            opening, end = m.group(0), at
            if m.group(2):  # a tag; html.parser ends an end tag at its first '>'
                end = _tag_tail(text, m.end(), markup.seen)[0]
                if m.group(1):
                    end = max(end, markup.find(_GT, at + 2))
                elif self.odd_in(at, end):
                    read = _PARSER_TAG_OLD.match(text, at)
                    gone = read.end() if read else at
                    self.spent += gone - at
                    end = max(end, gone + 2 if text.startswith(("/>", ">"), gone) else at)
            elif opening == "<!--":  # html.parser looks for its end after '<!--' ('<!-->' too)
                end = markup.find(_COMMENT_END, at + 4)
            elif opening != "&#":  # a <?…?> or declaration, to the furthest end it may have
                end = max(markup.find(close, at + 2) for close in (_PI_END, _CDATA_END, _GT))
            self.far = max(self.far, end)
            self.next = next(self.found, None)
        return self.far if self.spent <= 4 * len(text) else len(text)  # too tangled: all of it


def _block_starts(text: str, markdown: int) -> Iterator[tuple[int, bool]]:
    """Where a raw HTML block may start, in order, and whether it would be after an ended one:
    each '<' that starts a line; and, once a <div markdown> may be open, right after each end
    tag of a block in a line, which may end one (html.parser's intail)."""
    lines = (m.end() - 2 for m in _LINE_MARKUP.finditer("\n" + text))
    ends = (m.end() for m in _BLOCK_END.finditer(text, markdown))
    tails = (text.find("<", end) for end in ends if text.find("\n", end, text.find("<", end)) == -1)
    return heapq.merge(((at, False) for at in lines), ((at, True) for at in tails if at != -1))


def _read_line(markup: _Markup, at: int, tail: bool) -> int:
    """Where the raw HTML that the markup at ``at`` starts on its line ends, or -1 if none: as
    ``_raw_blocks`` says, reading on through markup with no line break in text between."""
    text = markup.text
    end, first, started = -1, not tail, False
    while at != -1:
        m = _MARKUP.match(text, at)
        after, kind, name, closes = markup.read(m, first) if m else (at + 1, "", "", False)
        attributes = m.end() if m else at
        if not kind:  # a '<' in text
            started = False
        elif kind == "markup":  # starting the line or after a block, it is raw too
            if first or tail:
                end, tail = max(end, after), True
        elif kind == "end":  # the end of an HTML or a Markdown block: more may follow it
            tail = tail or name in _BLOCK_TAGS
        elif name in _BLOCK_TAGS and (first or tail or started):
            if _asks_markdown(text, name, attributes):
                # A block tag right inside it is raw; and if it ends a <p markdown> open before
                # it (html.parser's intail), so is one later on its line.
                started, tail = True, tail or markup.p_at < at
            else:
                if name != "hr" and not closes:
                    after = _closing(markup, name, after)
                end, tail = after, True
        first = False
        at = text.find("<", after)
        if text.find("\n", after, len(text) if at == -1 else at) != -1:
            break  # a line break in text: the next line starts afresh
        started = started and at == after  # text between ends what a Markdown tag began
    return end


def _feed_stop(text: str, markdown: int) -> int:
    """Where html.parser first stops reading what Markdown feeds it, or -1: after that, it
    misplaces what it reads (Markdown published text twice, a tag in backticks live). It stops
    at an '&#' that is no character reference (before 3.13.6), and, in a <div markdown> (so
    after the first 'markdown'), at a <?…?> or declaration never closed (see _Markup.read)."""
    found = [-1]
    at = text.find("&#")
    while at != -1 and _CHARREF.match(text, at):
        at = text.find("&#", at + 2)
    found.append(at)
    if markdown < len(text):
        found.append(text.find("<?", max(markdown, text.rfind("?>") + 1)))
        at = max(markdown, text.rfind(">") + 1)
        while (at := text.find("<!", at)) != -1 and text.startswith(("<!--", "<![CDATA["), at):
            at += 2
        found.append(at)
        cdata = [m.end() for m in _CDATA_END.finditer(text)]
        found.append(text.find("<![CDATA[", max(markdown, cdata[-1] if cdata else 0)))
    return min((at for at in found if at != -1), default=-1)


def _to_the_end(text: str, blocks: list[tuple[int, int]], start: int) -> list[tuple[int, int]]:
    """The blocks, with all from the line of ``start`` on raw (if it is not -1)."""
    if start == -1:
        return blocks
    start = text.rfind("\n", 0, start) + 1
    kept = [(a, b) for a, b in blocks if b <= start]
    if len(kept) < len(blocks) and blocks[len(kept)][0] < start:
        start = blocks[len(kept)][0]
    return [*kept, (start, len(text))]


def _html_view(text: str, blocks: list[tuple[int, int]],
               markdown: int) -> tuple[str, list[tuple[int, int]]]:
    """The text as a browser gets its HTML, indented code blocks and code spans emptied except
    in raw HTML blocks, and where the code spans are. Only a tag with a markdown attribute
    starts a <div markdown> (see _code_spans): none can before ``markdown``, where the first
    'markdown' is."""
    view, done = [], 0
    for start, end in _indented_code(text, blocks, markdown):
        view += [text[done:start], _NOT_NEWLINE.sub(" ", text[start:end])]
        done = end
    text = "".join(view) + text[done:]
    code = _code_spans(text, markdown, blocks)
    view, done = [], 0
    for start, end in code:
        view += [text[done:start], _NOT_NEWLINE.sub(" ", text[start:end])]
        done = end
    return "".join(view) + text[done:], code


def _indented_code(text: str, raw: list[tuple[int, int]], markdown: int) -> list[tuple[int, int]]:
    """(start, end) of each indented code block (lines indented four columns after a blank
    line) that Python-Markdown surely reads as one, and escapes: in a chunk after nothing but
    paragraphs, headings and such code, none in a list, a quote or any other block that takes
    indented lines as its own (known only for chunks of such lines, see _plain), nor after a
    raw block. A <p markdown> reads its lines as text: none is sure after the first
    'markdown'."""
    found: list[tuple[int, int]] = []
    if not _INDENTED.search(text, 0, markdown):
        return found
    starts = [start for start, _ in raw]
    # Whether the blocks so far leave an indented chunk code. A first line of spaces is no blank
    # line (Markdown empties those after a line break), so a chunk right after it is no block.
    plain = not _SPACES_FIRST.match(text)
    for chunk in _CHUNK.finditer(text):
        start, end = chunk.span()
        if end > markdown:
            break
        if _meets(raw, starts, start, end):
            plain = False
            continue
        lines = chunk.group().split("\n")
        code = 0
        while code < len(lines) and lines[code].expandtabs(4).startswith("    "):
            code += 1
        if code and plain:
            found.append((start, start + len("\n".join(lines[:code]))))
        elif code:
            continue
        plain = all(_plain(line.lstrip()) or line.startswith("#") for line in lines[code:])
    return found


def _rewrites(text: str, code: list[tuple[int, int]],
              labels: set[str]) -> Callable[[int, int], bool]:
    """Whether Markdown writes HTML into a tag text[start:end] before it takes the tag as HTML:
    a code span, an autolink or a link there becomes <code>…</code> or <a href="…">…</a>,
    whose quotes (or the code's own) can end an attribute's value and make the rest
    attributes: title="`a" onclick="alert(1)`" runs a script. Where links are is found once,
    so tags that overlap (each '<a' of '<a <a <a …' runs to the end) cost no search each."""
    links = sorted([m.span() for m in _AUTOLINK.finditer(text)]
                   + [(m.start(), m.end()) for m in _LINK_OPEN.finditer(text)]
                   + [m.span() for m in _BRACKETED.finditer(text) if _label(m.group(1)) in labels])
    starts = [start for start, _ in links]
    first_end = [len(text) + 1] * (len(links) + 1)  # where the links from each on first end
    for index in range(len(links) - 1, -1, -1):
        first_end[index] = min(links[index][1], first_end[index + 1])

    def rewritten(start: int, end: int) -> bool:
        before = bisect.bisect_left(code, (end,)) - 1
        if before >= 0 and code[before][1] > start:
            return True
        return first_end[bisect.bisect_left(starts, start)] <= end

    return rewritten


def raw_html(text: str, labels: set[str] | None = None,
             ) -> tuple[list[tuple[int, str]], list[tuple[int, str]],
                        list[tuple[int, str, str, bool]]]:
    """The raw HTML a body (fences as ``_as_text`` leaves them) publishes that is not harmless
    formatting, as (offset, tag name) of each tag in REFUSED_TAGS and (offset, what) of each
    unsafe attribute (see ``_unsafe``) of any other tag or of a Markdown ``{: attribute
    list}``; and where the allowed tags lead, which MkDocs does not rewrite, as (offset,
    address, alt text, whether an image) for each <a>'s href and <img>'s src and srcset
    (see ``_addresses``), and each autolink's address. Tags in code (a code span or an
    indented block, see _html_view) are text.

    Tags are read as a browser reads them (a '>' in a quoted value does not end one), from
    every '<', also one inside another tag: Markdown may show the outer one as text and leave
    the inner one a tag, '<script>' in '<scr<script>ipt>'. An image may carry its picture in
    a 'data:' address. Outside raw HTML blocks, '<https://…>' is a link (Markdown's autolink):
    its address is checked as a link's is; and a tag that holds a code span, an autolink or a
    link (to one of ``labels``, the reference links defined) is unsafe (see ``_rewrites``).
    Both are checked in a raw block's stretch too, which may run past where Markdown reads
    again. So is (TWO_WAYS) a tag that html.parser and a browser may end in different places:
    where html.parser ends it decides what Markdown publishes raw, the browser what runs.
    """
    md_at = markdown_at(text)  # no <div markdown> opens before it
    blocks, two_ways = _raw_blocks(text, md_at)
    view, code = _html_view(text, blocks, md_at)
    tags: list[tuple[int, str]] = []
    unsafe: list[tuple[int, str]] = [(at, TWO_WAYS) for at in two_ways]
    links: list[tuple[int, str, str, bool]] = []
    seen: dict[int, _Tail] = {}
    rewritten = _rewrites(view, code, labels or set())
    # Markdown shows a tag never closed as text; in a raw block the page's own HTML after the
    # body closes it (<img onerror=… at the end ran).
    last = view.rfind(">")
    raw = iter(blocks)
    block = next(raw, None)
    for m in _TAG.finditer(view):
        name = m.group(2).lower()
        if m.group(1):  # an end tag does nothing
            continue
        while block and block[1] <= m.start():
            block = next(raw, None)
        markdown = not (block and block[0] <= m.start())  # Markdown reads the text around
        if markdown and m.start() > last:
            continue
        # A raw block's stretch may run past where Markdown reads again (to the blank line), so
        # what Markdown does to a tag is checked there too: '<https://…>' is its autolink.
        link = _AUTOLINK.match(view, m.start())
        if link:
            what = _unsafe("href", link.group(1))
            unsafe += [(m.start(), what)] if what else []
            if markdown:  # a link: its scheme must be one a browser opens (LS403)
                links.append((m.start(), link.group(1), "", False))
                continue
        if name in REFUSED_TAGS:
            tags.append((m.start(), name))
            continue
        end, found, _, kept = _tag_tail(view, m.end(), seen)
        for attribute, what in sorted(found):
            if not (name == "img" and attribute in ("src", "srcset") and what == "data:"):
                unsafe.append((m.start(), what))
        if rewritten(m.end(), end):  # published otherwise than it reads here: LS411 refuses it
            unsafe.append((m.start(), REWRITTEN))
        elif kept and name in _LINK_ATTRS:
            links += [(m.start(), target, alt, name == "img")
                      for target, alt in _addresses(name, kept)]
    return tags, unsafe + _attribute_lists(view), links


def _addresses(tag: str, kept: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    """(address, alt text) of each address an <a> or <img> leads to, as a browser reads it:
    the first of each attribute counts, character references are decoded, spaces at the ends
    and tabs and line breaks dropped. An attribute written empty (href="") gives '': a link
    with no address (LS403), where no other attribute of the tag leads somewhere. An <a>
    without an href is an anchor, not a link."""
    first: dict[str, str] = {}
    for name, value in kept:
        first.setdefault(name, value)
    alt = html.unescape(first.get("alt", ""))
    found = []
    for name in _LINK_ATTRS[tag]:
        value = html.unescape(first.get(name, ""))
        for address in _srcset(value) if name == "srcset" else [value]:
            address = address.strip(_C0_AND_SPACE)
            address = address.replace("\t", "").replace("\n", "").replace("\r", "")
            found += [(address, alt)] if address else []
    if not found and any(name in first for name in _LINK_ATTRS[tag]):
        found.append(("", alt))
    return found


def _srcset(value: str) -> list[str]:
    """The addresses of a srcset's candidates, as a browser splits it: an address runs to a
    space; a ',' right after it, or after its descriptors ('2x', '640w'), ends the candidate."""
    found, at = [], 0
    while m := _SRCSET_URL.match(value, at):
        address = m.group(1)
        if address.endswith(","):
            at = m.end()
        else:
            comma = value.find(",", m.end())
            at = len(value) if comma == -1 else comma + 1
        found += [address.rstrip(",")] if address.rstrip(",") else []
    return found


def _attribute_lists(text: str) -> list[tuple[int, str]]:
    """(offset of its '{', what) for what is unsafe in each attribute list. A '{' may open one
    wherever it follows an element (*word*{: onclick=x }), so every '{' before its line's last
    '}' is read. The '{'s inside one word share where its name ends and what follows, which is
    read once: a line of '{' costs its length."""
    found: list[tuple[int, str]] = []
    memo: dict[int, tuple[str, frozenset[str] | None]] = {}
    line_end = close = -1
    run = (0, 0)  # the word whose name the last '{' began: a later '{' in it ends there too
    at = text.find("{")
    while at != -1:
        if at >= line_end:
            line_end = text.find("\n", at)
            line_end = len(text) if line_end == -1 else line_end
            close = text.rfind("}", at, line_end)
        if close < at:  # no '}' after it on the line
            at = text.find("{", line_end)
            continue
        start = at + 2 if text.startswith(":", at + 1) else at + 1
        while text.startswith(" ", start):
            start += 1
        if not run[0] <= start < run[1]:
            stop = _LIST_STOP.search(text, start, close)
            run = (start, stop.start() if stop else close)
        if start < run[1]:  # a '=' or the '}' first: attr_list reads no word
            # 24 characters tell every name _unsafe knows, and a long word costs no more
            name = text[start:min(run[1], start + 24)].lower()
            found += [(at, what) for what in sorted(_list_words(text, name, run[1], close, memo))]
        at = text.find("{", at + 1)
    return found


def _list_words(text: str, name: str, at: int, close: int,
                memo: dict[int, tuple[str, frozenset[str] | None]]) -> frozenset[str]:
    """What is unsafe in an attribute list's words, from the word ``name`` (whose name ends
    at ``at``) to ``close``, its '}'. ``memo`` keeps, by where a name ends, the word's value and
    what is unsafe in the words after it."""
    words = [(name, at)]
    while at not in memo:
        m = _LIST_VALUE.match(text, at, close)
        value = next((v for v in m.groups() if v is not None), "") if m else ""
        start = m.end() if m else at
        while text.startswith(" ", start):
            start += 1
        if start >= close or text[start] in "=}":  # attr_list reads no further
            memo[at] = (value, frozenset())
            break
        memo[at] = (value, None)
        stop = _LIST_STOP.search(text, start, close)
        at = stop.start() if stop else close
        words.append((text[start:min(at, start + 24)].lower(), at))
    after = frozenset[str]()
    for name, end in reversed(words):
        value, tail = memo[end]
        if tail is None:
            tail = after
            memo[end] = (value, tail)
        what = _unsafe(name, value)
        after = tail | {what} if what else tail
    return after
