"""A light scan of Markdown bodies: headings (anchors), links and images, with lines.

Rendering thousands of bodies to check links would be far slower than the check is
allowed to be, so the scan masks code, then uses a few regular expressions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from markdown.extensions.toc import slugify

# A line that opens or closes a fence; the prefix may put it in a list item or a quote.
FENCE_LINE = re.compile(r"(?P<prefix>[ \t>*+\-.0-9]*)(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)")
# Patterns that run on every body start with a literal character, which the regex engine
# finds with a fast search (about ten times faster than trying '^' or '`+' everywhere):
# line patterns run on the body with a '\n' put in front, and match that line break.
_CODE = re.compile(r"`(`*)[^\n]*?`\1")  # a code span: a run of backticks, the same run
_ATX = re.compile(r"\n(#{1,6})[ \t]+(.+?)[ \t#]*$", re.M)
_UNDERLINE = re.compile(r"\n(?:=+|-+)[ \t]*$", re.M)
_SETEXT_TEXT = re.compile(r"[^\n#>\-*=|][^\n]*")
_ATTR_ID = re.compile(r"\{[^}]*#([\w-]+)[^}]*\}\s*$")
_ATTR_ANY = re.compile(r"\{[^}\n]*#([\w-]+)[^}\n]*\}")
# [text](target "title"); a '!' just before makes it an image. Starting at '[' lets the
# regex engine skip ahead to candidates, which matters over thousands of bodies. As in
# Python-Markdown, a target may hold spaces ([text](my file.md) links to 'my file.md'); words
# after a space hold no bracket, so a line of unclosed links is not scanned once per link.
_LINK = re.compile(
    r"\[((?:[^\[\]]|\[[^\]]*\])*)\]"  # [text]
    r"\(\s*<?([^)\s>]*(?:[ \t]+[^)\s\"'>\[\]][^)\s>\[\]]*)*)>?"  # (target
    r"(?:\s+[\"'][^\"']*[\"'])?\s*\)"  # "title")
)
_REF_DEF = re.compile(r"^[ ]{0,3}\[([^\]]+)\]:\s*<?(\S+?)>?(?:\s+.*)?$", re.M)
_IMG_TAG = re.compile(r"<img\b[^>]*>", re.I)
_ALT = re.compile(r"\balt\s*=\s*[\"'][^\"']*\S")
_SRC = re.compile(r"\bsrc\s*=\s*[\"']([^\"']*)")
# Raw HTML that takes a learner's page past lecosite: players without captions, tracking or
# consent, and scripts.
_RAW_TAG = re.compile(r"<(video|audio|iframe|embed|object|script)\b", re.I)
# Script without a <script>: an event attribute in a tag, or a script URL in one.
_SCRIPTED = re.compile(r"<[a-z][^>]*?[\s\"'/](?:(on[a-z]+)\s*=|[a-z:-]+\s*=\s*[\"']?\s*"
                       r"(javascript|vbscript):)", re.I)
_SCRIPT_URL = re.compile(r"\s*(javascript|vbscript):", re.I)
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
    raw_tags: list[tuple[int, int, str]] = field(default_factory=list)  # line, col, tag name
    # line, col, what runs: 'onerror=' (an event attribute) or 'javascript:' (a URL)
    scripted: list[tuple[int, int, str]] = field(default_factory=list)


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


def _masked(body: str) -> str:
    """The body with every fenced block's lines emptied: code holds no links or headings,
    and keeping its line breaks keeps every later place. A block never closed is not
    code: the portal (pymdownx.superfences) shows it as text, links and all."""
    out, done = [], 0
    for block in fences(body):
        if block.close >= 0:
            out += [body[done:block.start], "\n" * body.count("\n", block.start, block.end)]
            done = block.end
    return "".join(out) + body[done:]


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


def heading_id(text: str, used: set[str]) -> str:
    """The anchor Python-Markdown's toc gives a heading (default slugify, '_N' for repeats)."""
    explicit = _ATTR_ID.search(text)
    if explicit:
        return explicit.group(1)
    slug = candidate = _slug(text)
    n = 0
    while candidate in used:
        n += 1
        candidate = f"{slug}_{n}"
    return candidate


def scan(body: str, first_line: int) -> Scan:
    """Scan a body whose first line is file line ``first_line``."""
    fenced = _masked(body) if ("```" in body or "~~~" in body) else body
    masked = fenced  # and code spans blanked, for links
    if "`" in masked:
        masked = _CODE.sub(lambda m: " " * (m.end() - m.start()), masked)

    def place(offset: int) -> tuple[int, int]:
        return (first_line + masked.count("\n", 0, offset),
                offset - masked.rfind("\n", 0, offset))

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
        result.anchors.update(_ATTR_ANY.findall(masked))
    if "](" in masked:
        for m in _LINK.finditer(masked):
            start = m.start()
            image = start > 0 and masked[start - 1] == "!"
            line, col = place(start - 1 if image else start)
            if image and not m.group(1).strip():
                result.images_without_alt.append((line, col, m.group(2)))
            result.links.append(Link(m.group(2), m.group(1), line, col, image))
    if "]:" in masked:
        for m in _REF_DEF.finditer(masked):
            line, col = place(m.start())
            result.links.append(Link(m.group(2), m.group(1), line, col, False))
    for link in result.links:
        if found := _SCRIPT_URL.match(link.target):
            result.scripted.append((link.line, link.col, found.group(1).lower() + ":"))
    if "<img" in masked or "<IMG" in masked:
        for m in _IMG_TAG.finditer(masked):
            if not _ALT.search(m.group(0)):
                line, col = place(m.start())
                src = _SRC.search(m.group(0))
                result.images_without_alt.append((line, col, src.group(1) if src else ""))
    if "<" in masked:
        for m in _RAW_TAG.finditer(masked):
            result.raw_tags.append((*place(m.start()), m.group(1).lower()))
        for m in _SCRIPTED.finditer(masked):
            what = f"{m.group(1).lower()}=" if m.group(1) else f"{m.group(2).lower()}:"
            result.scripted.append((*place(m.start()), what))
    result.scripted.sort()
    return result
