"""A light scan of Markdown bodies: headings (anchors), links and images, with lines.

Rendering thousands of bodies to check links would be far slower than the check is
allowed to be, so the scan masks code, then uses a few regular expressions.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from markdown.extensions.toc import slugify

_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})[^\n]*\n.*?(?:^[ \t]*\1[ \t]*$|\Z)", re.M | re.S)
_CODE = re.compile(r"(`+)[^\n]*?\1")
_ATX = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$", re.M)
_SETEXT = re.compile(r"^([^\n#>\-*=|][^\n]*)\n(=+|-+)[ \t]*$", re.M)
_ATTR_ID = re.compile(r"\{[^}]*#([\w-]+)[^}]*\}\s*$")
_LINK = re.compile(
    r"(!?)\[((?:[^\[\]]|\[[^\]]*\])*)\]"  # ![text] or [text]
    r"\(\s*<?([^)\s>]*)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)"  # (target "title")
)
_REF_DEF = re.compile(r"^[ ]{0,3}\[([^\]]+)\]:\s*<?(\S+?)>?(?:\s+.*)?$", re.M)
_IMG_TAG = re.compile(r"<img\b[^>]*>", re.I)
_HTML_ID = re.compile(r"\bid=[\"']([^\"']+)[\"']")
_INLINE_MARKUP = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|[*_`~]")


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


def _mask(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def heading_id(text: str, used: set[str]) -> str:
    """The anchor Python-Markdown's toc gives a heading (default slugify, '_N' for repeats)."""
    explicit = _ATTR_ID.search(text)
    if explicit:
        return explicit.group(1)
    plain = _INLINE_MARKUP.sub(lambda m: m.group(1) or "", text)
    slug = slugify(plain, "-") or "_"
    candidate, n = slug, 0
    while candidate in used:
        n += 1
        candidate = f"{slug}_{n}"
    return candidate


def scan(body: str, first_line: int) -> Scan:
    """Scan a body whose first line is file line ``first_line``."""
    masked = _CODE.sub(_mask, _FENCE.sub(_mask, body))
    starts = [0] + [m.end() for m in re.finditer("\n", masked)]

    def place(offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(starts, offset) - 1
        return first_line + index, offset - starts[index] + 1

    result = Scan()
    headings = [(m.start(), m.group(2)) for m in _ATX.finditer(masked)]
    headings += [(m.start(), m.group(1).strip()) for m in _SETEXT.finditer(masked)
                 if m.group(1).strip()]
    for _, text in sorted(headings):
        result.anchors.add(heading_id(text, result.anchors))
    result.anchors.update(_HTML_ID.findall(masked))
    result.anchors.update(m.group(1) for m in re.finditer(r"\{[^}\n]*#([\w-]+)[^}\n]*\}", masked))
    for m in _LINK.finditer(masked):
        line, col = place(m.start())
        image = m.group(1) == "!"
        if image and not m.group(2).strip():
            result.images_without_alt.append((line, col, m.group(3)))
        result.links.append(Link(m.group(3), m.group(2), line, col, image))
    for m in _REF_DEF.finditer(masked):
        line, col = place(m.start())
        result.links.append(Link(m.group(2), m.group(1), line, col, False))
    for m in _IMG_TAG.finditer(masked):
        if not re.search(r"\balt\s*=\s*[\"'][^\"']*\S", m.group(0)):
            line, col = place(m.start())
            src = re.search(r"\bsrc\s*=\s*[\"']([^\"']*)", m.group(0))
            result.images_without_alt.append((line, col, src.group(1) if src else ""))
    return result
