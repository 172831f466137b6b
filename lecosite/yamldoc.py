"""YAML with line marks: every key and list item keeps where it was written.

Findings must point at the key an author has to edit, so documents are composed into
nodes (with the C parser where available) and turned into plain data here. Marks are
worked out on first use only: most files raise no finding, and a check reads thousands.
Dates stay ISO strings so the data is JSON-shaped for the schema.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import yaml

try:
    _Base: type = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _Base = yaml.SafeLoader

Path = tuple[str | int, ...]
Mark = tuple[int, int]

_STR = "tag:yaml.org,2002:str"
MAX_NODES = 50_000  # guards against alias bombs ("billion laughs")
MAX_DEPTH = 100  # deeper nesting overflows the (recursive) composer and walker


class _Loader(_Base):  # type: ignore[misc,valid-type]
    """The safe loader, with tag resolution memoised: the same short values (statuses,
    levels, owners, tags) recur in every file, and resolving each costs regex matches."""

    _tags: dict[str, str] = {}  # noqa: RUF012 (shared on purpose)

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is not yaml.ScalarNode or not implicit[0] or len(value) > 64:
            return str(super().resolve(kind, value, implicit))
        tag = self._tags.get(value)
        if tag is None:
            tag = self._tags[value] = str(super().resolve(kind, value, implicit))
        return tag

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """No path resolvers are registered, so there is nothing to track per node."""

    def ascend_resolver(self) -> None:
        """See descend_resolver."""


def _keep_string(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


# YAML 1.1 reads 012 as octal 10 and 8:30 as 510 (base 60): an author means neither, and a
# plausible wrong number passes every check. Read numbers as YAML 1.2 does instead.
_OCTAL_LOOKING = re.compile(r"[-+]?0[0-9_]+")


def _int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int | str:
    text = str(loader.construct_scalar(node))
    if ":" in text:
        return text
    if _OCTAL_LOOKING.fullmatch(text):
        return int(text.replace("_", ""), 10)
    return int(loader.construct_yaml_int(node))


def _float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> float | str:
    text = str(loader.construct_scalar(node))
    return text if ":" in text else float(loader.construct_yaml_float(node))


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _keep_string)
_Loader.add_constructor("tag:yaml.org,2002:int", _int)
# 08 and 09 are no octal, so YAML 1.1 leaves them text; YAML 1.2 reads every digit run.
_Loader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9][0-9_]*$"),
                              list("-+0123456789"))
_Loader.add_constructor("tag:yaml.org,2002:float", _float)


class YamlError(Exception):
    """Text that is not valid YAML, with the 1-based place the parser stopped at."""

    def __init__(self, message: str, line: int, col: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col


@dataclass
class Doc:
    data: Any
    text: str = ""
    first_line: int = 1
    duplicates: list[tuple[str, Mark, Mark]] = field(default_factory=list)
    #: '- ' lines YAML read as more words of the text above: (mark of the '-', that text,
    #: the key it is the value of, or "" for a list item)
    joined: list[tuple[Mark, str, str]] = field(default_factory=list)
    start: Mark = (1, 1)
    #: double-quoted values whose escapes made control characters: (mark, the text written)
    escaped: list[tuple[Mark, str]] = field(default_factory=list)
    _marks: dict[Path, Mark] | None = None

    @property
    def marks(self) -> dict[Path, Mark]:
        if self._marks is None:
            self._marks = _marks_of(self.text, self.first_line) if self.text else {}
        return self._marks

    def where(self, path: Path) -> Mark:
        """The mark of the deepest written part of ``path`` (a missing key points at its parent)."""
        path = tuple(path)
        while path:
            mark = self.marks.get(path)
            if mark is not None:
                return mark
            path = path[:-1]
        return self.start


_NEWLINE = re.compile("\n")
# What an escape in double quotes ('\t', '\b', '\P', '\x07'...) makes, and text never holds.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_RUN_ON_DASH = re.compile(r"\n[ \t]*(-)(?:[ \t]|\n|$)")
# Block nesting deeper than MAX_DEPTH needs at least that many columns of indentation,
# "- " or "? " before a line's content.
_DEEP_BLOCK = re.compile(rf"\n[ \t?-]{{{MAX_DEPTH},}}")  # searched in '\n' + text: fast


class _Lines:
    """File (line, col) of a character index. YAML also breaks lines at U+0085, U+2028 and
    U+2029, so its own mark.line would drift from the file's lines after one of those."""

    def __init__(self, text: str, first_line: int) -> None:
        self.starts = [0, *(m.end() for m in _NEWLINE.finditer(text))]
        self.first_line = first_line

    def at(self, index: int) -> Mark:
        row = bisect.bisect_right(self.starts, index) - 1
        return (row + self.first_line, index - self.starts[row] + 1)


def parse(text: str, first_line: int = 1) -> Doc:
    """Parse one YAML document; ``first_line`` is the file line the text starts on."""
    doc = Doc(data=None, text=text, first_line=first_line, start=(first_line, 1))
    doc.data = _compose(text, first_line, doc, record=False)
    if doc.duplicates:  # their messages need places now
        doc.duplicates = []
        _compose(text, first_line, doc, record=True)
    return doc


def _marks_of(text: str, first_line: int) -> dict[Path, Mark]:
    doc = Doc(data=None, first_line=first_line, _marks={})
    _compose(text, first_line, doc, record=True)
    return doc.marks


def _compose(text: str, first_line: int, doc: Doc, *, record: bool) -> Any:
    lines = _Lines(text, first_line)
    loader = _Loader(text)
    try:
        _check_depth(text, lines)
        node = loader.get_single_node()
        if node is None:
            return None
        doc.start = lines.at(node.start_mark.index)
        if record:
            doc._marks = {}
        return _Walker(loader, doc, lines, record).value(node, ())
    except yaml.YAMLError as exc:
        raise _readable(exc, text, lines) from None
    finally:
        loader.dispose()


def check_syntax(text: str) -> None:
    """Raise YamlError where ``text`` is no YAML document at all, as any reader of it fails:
    mkdocs.yml, whose tags (!ENV, !!python/name:…) only MkDocs' own reader knows, so its
    values are not made here. Read with PyYAML's Python parser, which MkDocs reads with."""
    loader = yaml.SafeLoader(text)
    try:
        loader.get_single_node()
    except yaml.YAMLError as exc:
        raise _readable(exc, text, _Lines(text, 1)) from None
    finally:
        loader.dispose()


def _readable(exc: yaml.YAMLError, text: str, lines: _Lines) -> YamlError:
    """The parser's error at the place an author is to look: where a quote that runs on was
    opened, or what was left open where the text ends."""
    first_line = lines.first_line
    if not isinstance(exc, yaml.MarkedYAMLError):
        return YamlError(str(exc).splitlines()[0], first_line, 1)
    mark = exc.problem_mark or exc.context_mark
    end = len(text.rstrip())
    if exc.context_mark and exc.problem_mark and exc.problem_mark.index >= end:
        mark = exc.context_mark  # the end tells nothing: point at what was left open
    # past the end of the text: point just after the last written character
    line, col = lines.at(min(mark.index, end)) if mark else (first_line, 1)
    if mark is exc.context_mark and exc.context == "while scanning a quoted scalar":
        return YamlError("the quote opened here is never closed", line, col)
    problem = exc.problem or exc.context or "invalid YAML"
    if exc.context and exc.problem:
        problem = f"{exc.problem} ({exc.context})"
    opened = _unclosed_quote(text, first_line, line)
    if opened is not None:  # a quoted value ran on over the next lines: blame its start
        problem = (f"the quote opened here is not closed on this line (YAML read on "
                   f"to line {line}: {problem})")
        line, col = opened
    return YamlError(problem, line, col)


_QUOTED = re.compile(r"""^[ \t]*(?:-[ \t]+)*(?:[^\s#'"\-][^:#]*:[ \t]+)?(["'])(.*)$""")
_CLOSED = {'"': re.compile(r'(?:[^"\\]|\\.)*"'), "'": re.compile(r"(?:[^']|'')*'(?!')")}


def _unclosed_quote(text: str, first_line: int, error_line: int) -> Mark | None:
    """The first line before ``error_line`` whose value opens a quote it does not close."""
    for number, row in enumerate(text.split("\n")[:error_line - first_line], first_line):
        found = _QUOTED.match(row)
        if found and not _CLOSED[found.group(1)].match(found.group(2)):
            return number, found.start(1) + 1
    return None


def _check_depth(text: str, lines: _Lines) -> None:
    """Refuse very deep nesting before composing: libyaml's composer would crash on it."""
    if text.count("[") + text.count("{") <= MAX_DEPTH and not _DEEP_BLOCK.search("\n" + text):
        return  # too few brackets and no deep indentation: cannot nest that deep
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise YamlError(f"lists and mappings nest more than {MAX_DEPTH} levels deep",
                                *lines.at(event.start_mark.index))
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1


class _Walker:
    def __init__(self, loader: Any, doc: Doc, lines: _Lines, record: bool) -> None:
        self.loader = loader
        self.doc = doc
        self.lines = lines
        self.marks: dict[Path, Mark] | None = doc._marks if record else None
        self.seen = 0

    def mark(self, node: yaml.Node) -> Mark:
        return self.lines.at(node.start_mark.index)

    def _joined(self, node: yaml.ScalarNode) -> None:
        """A plain text that runs on to a line starting with '- ': one item indented too far
        (or a list under a key that holds text), which YAML joins without a word."""
        text = self.doc.text
        found = _RUN_ON_DASH.search(text, node.start_mark.index, node.end_mark.index)
        if found is None:
            return
        start = text.rfind("\n", 0, node.start_mark.index) + 1
        owner = text[start:node.start_mark.index].strip().rstrip("-").rstrip()
        key = owner.rsplit("-", 1)[-1].strip().rstrip(":").strip("'\"") if owner else ""
        self.doc.joined.append((self.lines.at(found.start(1)), node.value, key))

    def value(self, node: yaml.Node, path: Path, depth: int = 1) -> Any:
        self.seen += 1
        if depth > MAX_DEPTH + 1:  # an alias inside its own anchor: a: &a [*a]
            raise YamlError("an alias refers to the list or mapping it is part of",
                            *self.mark(node))
        if self.seen > MAX_NODES:
            line, col = self.mark(node)
            raise YamlError(f"document is too large or nests aliases too deeply "
                            f"(more than {MAX_NODES} values)", line, col)
        if node.tag == _STR and type(node) is yaml.ScalarNode:
            if " - " in node.value and not node.style and self.marks is None:
                self._joined(node)
            elif node.style == '"' and _CONTROL.search(node.value) and self.marks is None:
                written = self.doc.text[node.start_mark.index:node.end_mark.index]
                self.doc.escaped.append((self.mark(node), written))
            return node.value  # most scalars: skip the constructor's machinery
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise YamlError("merge keys ('<<') are not supported; write the keys out",
                                    *self.mark(key_node))
                key = self.value(key_node, path, depth + 1)
                if isinstance(key, (dict, list)):
                    raise YamlError("a key must be a plain word, not a list or mapping",
                                    *self.mark(key_node))
                key = "" if key is None else str(key)
                if key in out:
                    first = self.marks[(*path, key)] if self.marks is not None else (0, 0)
                    self.doc.duplicates.append((key, first, self.mark(key_node)))
                if self.marks is not None:
                    self.marks[(*path, key)] = self.mark(key_node)
                out[key] = self.value(value_node, (*path, key), depth + 1)
            return out
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                if self.marks is not None:
                    self.marks[(*path, index)] = self.mark(item)
                items.append(self.value(item, (*path, index), depth + 1))
            return items
        try:
            return self.loader.construct_object(node)
        except (ValueError, LookupError, TypeError, OverflowError):  # !!int ten, !!bool maybe
            kind = str(node.tag).rsplit(":", 1)[-1]
            raise YamlError(f"'{str(node.value)[:40]}' is not a valid {kind} value",
                            *self.mark(node)) from None


# -- parser errors in an author's words ------------------------------------------------------

# A line's 'key: ' (or '- ' items) and the value after it.
_LINE = re.compile(r"^(?P<lead>[ \t]*(?:-[ \t]+)*)(?:(?P<key>[\w.-]+)[ \t]*:[ \t]+)?(?P<value>.*)$")
_KEY_LINE = re.compile(r"^[ \t]*(?:-(?:[ \t]|$)|[^\s#:][^:#]*:(?:[ \t]|$)|#|$)")
# What the parser (not the walker, whose messages are plain already) says of these slips.
_PARSER = re.compile(r"cannot start any token|did not find expected|could not determine a "
                     r"constructor|mapping values are not allowed|while scanning|"
                     r"expected <block end>")
_STARTS = {
    "[": "starts with '[', so YAML reads a list in brackets",
    "{": "starts with '{', so YAML reads fields in braces",
    "*": "starts with '*', which YAML reads as a reference to another value",
    "&": "starts with '&', which YAML reads as a name for the value",
    "!": "starts with '!', which YAML reads as a type",
    "|": "starts with '|', which YAML reads as the mark of text on the lines below",
    ">": "starts with '>', which YAML reads as the mark of text on the lines below",
    "@": "starts with '@', which YAML does not allow unquoted",
    "`": "starts with '`', which YAML does not allow unquoted",
    "%": "starts with '%', which YAML does not allow unquoted",
}


def quoted(text: str) -> str:
    """``text`` as a YAML quoted value; quotes the author wrapped it in are taken off first."""
    text = text.strip()
    if len(text) > 1 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1]
    if '"' not in text and "\\" not in text:
        return f'"{text}"'
    return "'" + text.replace("'", "''") + "'"


def explain(text: str, error: YamlError, first_line: int = 1,
            fields: Collection[str] = ()) -> tuple[Mark, str, str] | None:
    """Where the common slips the parser stops at really are, and what to write instead, in
    an author's words: (mark, message, hint); None when the error is none of them. Called on
    an error only. ``fields``: keys a line without ':' may be meant to start with."""
    lines = text.split("\n")
    index = error.line - first_line
    if not _PARSER.search(error.message) or not 0 <= index < len(lines):
        return None
    row = lines[index]
    char = row[error.col - 1] if 0 < error.col <= len(row) else ""
    if "simple key" in error.message:
        return _no_colon(lines, index, first_line, fields)
    if (re.search(r"expected key|'-' indicator|expected <block end>", error.message)
            and error.col - 1 == len(row) - len(row.lstrip(" "))):
        misaligned = _misaligned(lines, index, first_line)
        if misaligned is not None:
            return misaligned
    found = _LINE.match(row)
    if found is None:
        return None
    key, value, start = found["key"], found["value"], found.start("value")
    what = f"the value of '{key}'" if key else "this item"
    write = f"{key}: " if key else "- "
    if char == "\t":
        return ((error.line, error.col), "a tab, where YAML needs spaces",
                "Indent with spaces only: replace the tab on this line with spaces.")
    if char in "@`%" and char and error.col - 1 > start and value[:1] in "[{":
        token = re.match(r"[^,\]}]*", row[error.col - 1:])
        shown = token[0].strip() if token else char
        return ((error.line, error.col),
                f"an item starts with '{char}', which YAML does not allow unquoted",
                f"Put it in double quotes: \"{shown}\".")
    if not value or error.col - 1 < start:
        if key and index and "mapping values" in error.message:  # the first field's line
            return _no_colon(lines, index - 1, first_line, fields)  # took this key as text
        return None
    first = value[0]
    if first in "'\"" and ("expected key" in error.message or "'-' indicator" in error.message):
        closed = re.match(r"(?:[^\"\\]|\\.)*\"" if first == '"' else r"(?:[^']|'')*'(?!')",
                          value[1:])
        if closed is None or not value[1 + closed.end():].strip():
            return None
        col = start + 1 + closed.end()
        kind = "double" if first == '"' else "single"
        return ((error.line, col),
                f"{what} is in {kind} quotes, and the {first} at column {col} ends them "
                "early: YAML cannot read the text after it",
                f"Write it as {write}{quoted(value)}")
    if first in _STARTS and not value.startswith("!!"):  # '!!int 8': a tag on purpose
        fix = (f"Put it in quotes, in a list: {write}[{quoted(value)}]" if key == "owners"
               else f"Put the whole value in quotes: {write}{quoted(value)}")
        return (error.line, start + 1), f"{what} {_STARTS[first]}", fix
    if "mapping values are not allowed" in error.message:
        return ((error.line, error.col),
                f"{what} holds ': ', which YAML reads as the start of another field",
                f"Put the whole value in quotes: {write}{quoted(value)}")
    return None


_ITEM_KEY = re.compile(r"^([ \t]*(?:-[ \t]+)*)([\w.-]+)[ \t]*:(?:[ \t]|$)")


def _misaligned(lines: list[str], index: int, first_line: int) -> tuple[Mark, str, str] | None:
    """A '- ' item or a 'key:' indented to line up with nothing above it (one space short
    of its list, a field pushed in): YAML stops there with 'did not find expected key'.
    The place to line it up with is the nearest column its kind starts at above, in the
    block up to the first top-level field (ties: the deeper, the block just above)."""
    row = lines[index]
    indent = len(row) - len(row.lstrip(" "))
    body = row[indent:]
    dash = body == "-" or body.startswith("- ")
    own = None if dash else _ITEM_KEY.match(row)
    if not dash and own is None:
        return None
    columns: dict[int, tuple[int, str]] = {}  # column: (index of the nearest line, its key)
    for number in range(index - 1, -1, -1):
        above = lines[number]
        if not above.strip() or above.lstrip().startswith("#"):
            continue
        if dash:
            start = len(above) - len(above.lstrip(" "))
            if above[start:start + 1] == "-":
                columns.setdefault(start, (number, "-"))
            key = _ITEM_KEY.match(above)
        else:
            key = _ITEM_KEY.match(above)
            if key is not None:
                columns.setdefault(len(key.group(1)), (number, key.group(2)))
        if key is not None and not key.group(1):
            break  # a top-level field: the block starts here
    if not columns or indent in columns:
        return None
    column = min(columns, key=lambda c: (abs(c - indent), -c))
    number, other = columns[column]
    line, at = first_line + index, first_line + number
    fix = (f"indent it {_spaces(column)}, as the {other!r} on line {at}" if dash and column
           else f"start it at the beginning of the line, as the '-' on line {at}" if dash
           else f"indent it {_spaces(column)}, as '{other}:' on line {at}" if column
           else f"start it at the beginning of the line, as '{other}:' on line {at}")
    what = "this '-'" if dash else f"'{own.group(2)}:'" if own is not None else "this line"
    return ((line, indent + 1),
            f"{what} is indented {_spaces(indent)}, which lines it up with nothing above it: "
            f"YAML cannot tell which {'list' if dash else 'block'} it belongs to",
            f"{fix[:1].upper()}{fix[1:]}.")


def _spaces(count: int) -> str:
    return f"{count} space{'s' if count != 1 else ''}"


def _no_colon(lines: list[str], index: int, first_line: int,
              fields: Collection[str]) -> tuple[Mark, str, str] | None:
    """YAML reports a line without 'key:' on the line after it (or at the end): find it."""
    for number in range(index, max(-1, index - 20), -1):
        row = lines[number]
        if _KEY_LINE.match(row):
            if number < index and row.strip() and not row.lstrip().startswith("#"):
                return None  # a field or item above the error: not this slip
            continue
        line = first_line + number
        indent = len(row) - len(row.lstrip())
        word, _, rest = row.strip().partition(" ")
        if word in fields and rest.strip():
            return ((line, indent + 1), f"line {line} has no ':' after '{word}'",
                    f"Write '{word}: {rest.strip()}'.")
        above = next((lines[n] for n in range(number - 1, -1, -1) if lines[n].strip()), "")
        owner = _LINE.match(above)
        key = owner["key"] if owner and owner["key"] else ""
        field = "if it is a field, write it as 'name: value'."
        if key:
            field = (f"If it goes on with the text of '{key}', indent it further than "
                     f"'{key}:' (or join it to the line above); {field}")
        return ((line, indent + 1),
                f"line {line} is neither a 'key: value' field nor a '- ' item",
                field[:1].upper() + field[1:])
    return None
