"""Findings: what validation reports, and the reporters that print them."""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum


def excerpt(text: str, limit: int = 60) -> str:
    """Text quoted in a message, cut with '…' where it is long: a cut that shows no mark
    reads as a typo in the author's file."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


# Spaces that look like ' ' but are other characters; text pasted from word processors and
# web pages brings them in.
ODD_SPACES = {"\u00a0": "non-breaking space", "\u202f": "narrow non-breaking space",
              "\u2007": "figure space", "\u2009": "thin space", "\u3000": "wide space",
              "\u200b": "zero-width space", "\ufeff": "zero-width space",
              # invisible too, and pasted with text from Word or Slack the same way
              "\u00ad": "soft hyphen", "\u200c": "zero-width non-joiner",
              "\u200d": "zero-width joiner", "\u2060": "word joiner"}
ZERO_WIDTH = "\u200b\ufeff\u00ad\u200c\u200d\u2060"


def odd_space(text: str) -> tuple[int, str] | None:
    """The index and name of the first odd space in ``text``, if any."""
    for index, char in enumerate(text):
        if char in ODD_SPACES:
            return index, ODD_SPACES[char]
    return None


def visible(text: str) -> str:
    """``text`` with each odd space named where it is ('al[zero-width space]pha'): quoted
    as it is, an id with one reads exactly like the id it fails to match."""
    if odd_space(text) is None:
        return text
    return "".join(f"[{ODD_SPACES[c]}]" if c in ODD_SPACES else c for c in text)


def odd_space_at(text: str, index: int) -> str:
    """Where the odd space at ``index`` is: 'at the start', 'at the end' (nothing but spaces
    before or after it) or 'in it'."""
    blank = "".join(ODD_SPACES) + " \t"
    if not text[:index].strip(blank):
        return "at the start"
    return "at the end" if not text[index + 1:].strip(blank) else "in it"


def odd_space_fix(text: str) -> str:
    """What to do about the first odd space in ``text``, an id or other text that holds no
    space of any kind ('' when it has none), as a sentence."""
    found = odd_space(text)
    if found is None:
        return ""
    index, name = found
    return f"It has a {name} {odd_space_at(text, index)}, shown as [{name}]: delete it."


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem at one place. Paths are relative to the project root, lines 1-based;
    line 0 (and col 0) where the place has no lines, a folder."""

    file: str
    line: int
    col: int
    rule: str
    name: str
    severity: Severity
    message: str
    hint: str = ""

    def location(self) -> str:
        """'file:line:col', or the file alone where it has no line to go to (a folder)."""
        return f"{self.file}:{self.line}:{self.col}" if self.line else self.file

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line, self.col, self.rule)


def escalate(findings: Iterable[Finding]) -> list[Finding]:
    """Warnings become errors: what ``--strict`` means, as in ``mkdocs build --strict``."""
    out = []
    for f in findings:
        if f.severity is Severity.WARNING:
            f = Finding(**{**asdict(f), "severity": Severity.ERROR})
        out.append(f)
    return out


def count(findings: Iterable[Finding]) -> tuple[int, int]:
    errors = warnings = 0
    for f in findings:
        if f.severity is Severity.ERROR:
            errors += 1
        else:
            warnings += 1
    return errors, warnings


def _summary(findings: list[Finding]) -> str:
    errors, warnings = count(findings)
    if not findings:
        return "No problems found."
    return f"Found {errors} error(s) and {warnings} warning(s)."


def format_text(findings: list[Finding], *, files_checked: int | None = None) -> str:
    lines = []
    for f in findings:
        lines.append(f"{f.location()}: {f.severity} {f.rule} {f.name}: {f.message}")
        if f.hint:
            lines.append(f"    hint: {f.hint}")
    checked = f" in {files_checked} file(s)" if files_checked is not None else ""
    lines.append(_summary(findings).rstrip(".") + checked + ".")
    return "\n".join(lines)


def format_json(findings: list[Finding], **_: object) -> str:
    errors, warnings = count(findings)
    return json.dumps(
        {
            "errors": errors,
            "warnings": warnings,
            "findings": [{**asdict(f), "severity": str(f.severity)} for f in findings],
        },
        indent=2,
    )


def _gh_escape(text: str, *, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def repo_path(file: str, folder: str) -> str:
    """A project-relative file as GitHub names it: relative to the repository's root, where
    the project is in ``folder`` ('training/', or '' at the root)."""
    return posixpath.normpath(folder + file) if folder else file


def format_github(findings: list[Finding], *, folder: str = "", **_: object) -> str:
    """GitHub Actions workflow commands, which the PR's 'Files changed' tab shows on the
    line; ``folder``: see :func:`repo_path` (GitHub resolves files from the root)."""
    lines = []
    for f in findings:
        title = _gh_escape(f"{f.rule} {f.name}", prop=True)
        body = f.message + (f"\n{f.hint}" if f.hint else "")
        file = _gh_escape(repo_path(f.file, folder), prop=True)
        place = f"line={f.line},col={f.col}," if f.line else ""
        lines.append(f"::{f.severity} file={file},{place}title={title}::{_gh_escape(body)}")
    lines.append(_summary(findings))
    return "\n".join(lines)


_MD_INLINE = re.compile(r"([\\`*_\[\]~$])")  # code, emphasis, links, strikethrough, math
_LINE_BREAK = re.compile(r"\r\n?|\n")


def md_text(text: str) -> str:
    """Author text in Markdown, table cells included: a PR comment shows it as written, so
    a stray '<!--' or '|' cannot hide or break what follows, nor '*', '_', '`' or '[...](...)'
    turn a title into emphasis, code or a link."""
    text = _MD_INLINE.sub(r"\\\1", _LINE_BREAK.sub(" ", text))
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("|", "\\|"))


def md_code(text: str, *, cell: bool = True) -> str:
    """``text`` as a Markdown code span, whatever backticks it holds; in a table ``cell``,
    '|' is escaped too (GitHub splits cells on it even inside code)."""
    text = _LINE_BREAK.sub(" ", text)
    if cell:
        text = text.replace("|", "\\|")
    ticks = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def format_markdown(findings: list[Finding], **_: object) -> str:
    if not findings:
        return "No problems found."
    rows = ["| | Where | Rule | Problem | How to fix |", "|---|---|---|---|---|"]
    for f in findings:
        icon = "❌" if f.severity is Severity.ERROR else "⚠️"
        rows.append(
            f"| {icon} | {md_code(f.location())} | {f.rule} {f.name} | {md_text(f.message)} "
            f"| {md_text(f.hint)} |"
        )
    return "\n".join([_summary(findings), "", *rows])


REPORTERS = {
    "text": format_text,
    "json": format_json,
    "github": format_github,
    "markdown": format_markdown,
}
