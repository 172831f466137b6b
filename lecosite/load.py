"""Read a content folder into the model. A bad file becomes findings, never an exception."""

from __future__ import annotations

import difflib
import multiprocessing as mp
import os
import pathlib
import pickle
import posixpath
import re
import shutil
import tempfile
from collections.abc import Collection, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

import fastjsonschema
import yaml

from lecosite import schema, yamldoc
from lecosite.body import scan
from lecosite.findings import ODD_SPACES, Finding, Severity, excerpt, odd_space, visible
from lecosite.governance import codeowners
from lecosite.model import (
    MARKDOWN_SUFFIXES,
    YAML_SUFFIXES,
    Module,
    Page,
    Path,
    Section,
    Site,
    Source,
)
from lecosite.project import AnyTag, Settings, read_mkdocs_yml
from lecosite.rules import loading as L
from lecosite.rules.registry import Rule
from lecosite.video import Caption, Video

if TYPE_CHECKING:  # jsonschema only explains invalid files: imported when one is found
    import jsonschema

MAX_BYTES = 1_000_000
_SLUG = re.compile(schema.SLUG)
# An unquoted value followed by ' #' and text: YAML drops the text as a comment.
# A list item's own 'key: ' belongs to the key: its value is what may be cut (or quoted).
_CUT = re.compile(r"""^(?P<key>[ \t]*(?:-[ \t]+)*[\w.-]+:[ \t]+|[ \t]*(?:-[ \t]+)+"""
                  r"""(?![\w.-]+:[ \t]))"""
                  r"""(?P<value>[^\s'"#|>&*!%@`{\[][^#\n]*?)[ \t]+#(?P<rest>\S[^\n]*)$""", re.M)
# MkDocs' own MultiMarkdown-style fields: 'Key: value' lines from the top to the first line
# that is neither one nor a continuation (indented by four).
_MMD_FIELD = re.compile(r"[ ]{0,3}([A-Za-z0-9_-]+):")
_MMD_MORE = re.compile(r"[ ]{4}|\t")
# Fields MkDocs and Material read from a page: written without '---', they are meant.
_PAGE_META = frozenset({"title", "description", "template", "hide", "icon", "status",
                        "subtitle", "tags", "search", "comments", "social", "authors", "date"})
_MODULE_LIKE = re.compile(r"^id:", re.M)  # with one of a module's own keys: a lost module
_MODULE_KEY = re.compile(r"^(?:goal|objectives|duration|owners):", re.M)
# A page's front matter as MkDocs reads it: a '---' line, then (after any comments) a field.
# One that opens with a '---' rule and a blank line or text has none.
_PAGE_FIELDS = re.compile(r"""---[ \t]*\n(?:[ \t]*#.*\n)*[ \t]*(?:"[^"\n]*"|'[^'\n]*'|[\w.-]+)"""
                          r"[ \t]*:(?:[ \t]|$)", re.M)


class Loader:
    """Loads one content dir. ``prefix`` is the content dir as findings should name it."""

    def __init__(self, settings: Settings, prefix: str) -> None:
        self.settings = settings
        self.prefix = prefix
        self.findings: list[Finding] = []  # of the file being read
        self.setup_findings: list[Finding] = []  # about the settings, found once
        self.module_schema, self.module_fast = self._module_schema()
        self.path_schema = schema.path_schema(settings.schema)
        self.path_fast = schema.fast_validator(self.path_schema)
        # folder → (fields, review_every) its modules and paths inherit from _defaults.yml
        # files (review_every: modules only; a path's own sets its modules' cadence)
        self.inherited: dict[str, tuple[dict[str, Any], int | None]] = {}
        # (kind, file name) → the first file of that name, wherever it is: a file whose id
        # names another file is most likely a copy of it
        self.names: dict[tuple[str, str], str] = {}

    def _module_schema(self) -> tuple[dict[str, Any], Any]:
        """The site's module schema; fields of lecosite.yml that are not valid JSON Schema
        are reported (LS004) and left out, rather than crashing the check."""
        ext = self.settings.schema
        fields = dict(ext.get("fields") or {})
        if fields:
            import jsonschema
        for name, spec in list(fields.items()):
            try:
                jsonschema.Draft202012Validator.check_schema(spec)
            except jsonschema.SchemaError as exc:
                self._config_problem(("schema", "fields", name),
                                     f"field '{name}' is not valid JSON Schema: {exc.message}")
                del fields[name]
        known = [*schema.MODULE["properties"], *fields]
        required = []
        for index, name in enumerate(ext.get("required") or []):
            if name in known:
                required.append(name)
            if name in known or name in (ext.get("fields") or {}):
                continue  # a field that is not valid JSON Schema is reported above
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
            guess = f"; did you mean '{close[0]}'?" if close else ""
            self._config_problem(("schema", "required", index),
                                 f"required field '{name}' is not a module field{guess}",
                                 "Require a module field, or declare the site's own under "
                                 "'schema: fields:'.")
        ext = {**ext, "required": required}
        full = schema.extended(schema.MODULE, {**ext, "fields": fields})
        try:
            return full, schema.fast_validator(full)
        except Exception as exc:  # fastjsonschema raises several kinds (and re.error)
            self._config_problem(("schema", "fields"), f"the fields cannot be used: {exc}")
            own = [n for n in required if n in schema.MODULE["properties"]]
            full = schema.extended(schema.MODULE, {**ext, "fields": {}, "required": own})
            return full, schema.fast_validator(full)

    def _config_problem(self, keys: tuple[str | int, ...], message: str,
                        hint: str = "Each field is a JSON Schema (see 'Settings' in the "
                        "operator guide), e.g. product: {type: string, enum: [connect, ledger]}."
                        ) -> None:
        name = self.settings.config_file or "lecosite.yml"
        try:
            mark = yamldoc.parse((self.settings.root / name).read_text("utf-8")).where(keys)
        except (OSError, UnicodeDecodeError, yamldoc.YamlError):
            mark = (1, 1)
        self.setup_findings.append(L.INVALID_CONFIG.finding(name, mark, message, hint))

    def report(self, rule: Rule, file: str, mark: yamldoc.Mark, message: str,
               hint: str = "") -> None:
        self.findings.append(rule.finding(self.prefix + file, mark, message, hint))

    def load(self, kind: str, abspath: str,
             rel: str) -> tuple[Module | Path | Page | None, list[Finding]]:
        """One file: the item it holds (None when unusable) and the findings it raised."""
        self.findings = []
        item: Module | Path | Page | None
        if kind == "module":
            item = self.load_module(abspath, rel)
            if item is not None:
                item.scan = scan(item.body, item.body_line)
        elif kind == "path":
            item = self.load_path(abspath, rel)
        else:
            item = self.load_page(abspath, rel)
        return item, self.findings

    def load_page(self, abspath: str, rel: str) -> Page | None:
        """A plain page (a guide). MkDocs reads its front matter itself, and shows it as text
        where it is not valid YAML or is not closed: an error, as in a module. A page that
        opens with a '---' rule, with no field right below it, has none."""
        text = self.read_text(abspath, rel)
        if text is None:
            return None
        if not _PAGE_FIELDS.match(text):
            self._fields_without_dashes(text, rel)
            page = Page(rel, text, 1)
            page.scan = scan(text, 1)
            return page
        split = split_front_matter(text)
        if isinstance(split, Unsplit):  # not closed: a near miss ('----') has its own hint
            hint = split.hint if split.line > 1 else (
                "End the fields with a line '---' after the last one: until then the page "
                "shows them as text. If the '---' is meant as a horizontal line, put a blank "
                "line below it.")
            self.report(L.NO_FRONT_MATTER, rel, (split.line, 1), split.message, hint)
            return None
        fm_text, fm_line, body, line = split
        if self.parse_yaml(fm_text, rel, fm_line) is None:
            return None
        if _MODULE_LIKE.search(fm_text) and _MODULE_KEY.search(fm_text):
            self.report(L.NOT_READ, rel, (fm_line, 1),
                        "this page's front matter looks like a module's, but only files in "
                        f"{self.settings.modules_dir.strip('/')}/ are modules",
                        "Move it into the modules folder to publish and check it as a module.")
        page = Page(rel, body, line)
        page.scan = scan(body, line)
        return page

    def _fields_without_dashes(self, text: str, rel: str) -> None:
        """MkDocs also reads 'Key: value' lines at the top of a page without '---' as fields
        (MultiMarkdown style) and drops them from the page: a first line such as 'Note: ...'
        or a bare link vanishes. Fields Material knows are meant as such."""
        keys: list[str] = []
        eaten = 0
        for line in text.split("\n", 50)[:50]:
            field = _MMD_FIELD.match(line)
            if field:
                keys.append(field.group(1).lower())
            elif not (keys and line.strip() and _MMD_MORE.match(line)):
                break
            eaten += 1
        if not keys or set(keys) <= _PAGE_META:
            return
        shown = text.split("\n", 1)[0].strip()
        shown = shown if len(shown) <= 50 else shown[:49] + "…"
        self.report(L.FIELD_WITHOUT_DASHES, rel, (1, 1),
                    f"the page does not show '{shown}': MkDocs reads "
                    f"{'its first line' if eaten == 1 else f'its first {eaten} lines'} as "
                    f"page field{'s' if len(keys) > 1 else ''} "
                    f"{', '.join(repr(key) for key in keys)}",
                    "To show the text, put a blank line or a heading above it. If it is meant "
                    "as a field, write it as front matter between two '---' lines.")

    # -- files -------------------------------------------------------------

    def read_text(self, abspath: str, rel: str) -> str | None:
        try:
            with open(abspath, "rb") as fh:
                raw = fh.read(MAX_BYTES + 1)
        except OSError as exc:
            if os.path.islink(abspath) and not os.path.exists(abspath):
                self.report(L.UNREADABLE, rel, (1, 1), "the file is a link to "
                            f"{os.readlink(abspath)}, which does not exist",
                            "Point the link at an existing file, or delete it.")
            else:
                self.report(L.UNREADABLE, rel, (1, 1), f"cannot open the file: {exc.strerror}",
                            "Check the file's permissions.")
            return None
        if len(raw) > MAX_BYTES:
            self.report(L.UNREADABLE, rel, (1, 1),
                        f"the file is larger than {MAX_BYTES // 1_000_000} MB",
                        "Split it into several modules; move long media or data out of it.")
            return None
        if _utf16(raw):
            self.report(L.UNREADABLE, rel, (1, 1), "the file is saved as UTF-16 (\"Unicode\")",
                        "Re-save it as UTF-8: in Notepad, File > Save as > Encoding: UTF-8.")
            return None
        if b"\0" in raw:
            line = raw.count(b"\n", 0, raw.index(b"\0")) + 1
            self.report(L.UNREADABLE, rel, (line, 1), "the file contains binary data",
                        "Modules and paths are plain text; move binary files into a media "
                        "folder outside modules/ and paths/.")
            return None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
            self.report(L.UNREADABLE, rel, (line, col),
                        f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x})",
                        "Re-save the file with UTF-8 encoding in your editor.")
            return None
        return text.replace("\r\n", "\n").replace("\r", "\n")

    def parse_yaml(self, text: str, rel: str, first_line: int,
                   fields: Collection[str] = ()) -> yamldoc.Doc | None:
        """The document, or None with the YAML error reported in an author's words (a tab, a
        pasted non-breaking space, an unclosed front matter: ``fields`` are the keys a module
        may have, which tell where front matter ran into the text)."""
        try:
            doc = yamldoc.parse(text, first_line)
        except yamldoc.YamlError as exc:
            if fields and self._unclosed(text.split("\n"), rel, first_line, fields, exc.line):
                return None
            self.report(L.INVALID_YAML, rel, *yaml_problem(text, exc, first_line, fields))
            return None
        if " #" in text or "\t#" in text:
            self._cut_by_comment(text, rel, first_line)
        for mark, written in doc.escaped:
            self.report(L.ESCAPE_IN_QUOTES, rel, mark,
                        f"in double quotes a backslash starts an escape, so {excerpt(written)} "
                        "holds a tab, line break or other control character",
                        "Use single quotes instead ('C:\\temp\\logs'), where a backslash is "
                        "kept as it is, or double each backslash inside the double quotes.")
        for mark, value, key in doc.joined:
            self.report(L.ITEM_JOINED, rel, mark, *_joined(value, key, valid=True))
        for key, first, again in doc.duplicates:
            self.report(L.DUPLICATE_KEY, rel, again,
                        f"'{key}' is written twice (first on line {first[0]})",
                        "Keep one of the two and delete the other.")
        return doc

    def _unclosed(self, lines: list[str], rel: str, first_line: int, fields: Collection[str],
                  up_to: int) -> bool:
        """Whether a '---' in the module's text closed the front matter the author left
        open (said so): when the text starts by line ``up_to``, where YAML failed or took
        words of the text for fields."""
        start = _body_start(lines, fields)
        if start is None or first_line + start > up_to:
            return False
        line = first_line + start
        self.report(L.NO_FRONT_MATTER, rel, (line, 1),
                    f"the front matter is not closed: line {line} "
                    f"('{excerpt(lines[start].strip())}') is the module's text, but no '---' "
                    "line above it ends the fields",
                    f"Add a line '---' above line {line}, after the last field.")
        return True

    def _cut_by_comment(self, text: str, rel: str, first_line: int) -> None:
        for found in _CUT.finditer(text):
            value, rest = found.group("value", "rest")
            whole = f"{value} #{rest}".replace("\\", "\\\\").replace('"', '\\"')
            self.report(L.TEXT_CUT_BY_COMMENT, rel,
                        (first_line + text.count("\n", 0, found.start()),
                         found.start("value") - found.start() + 1),
                        f"the text after ' #' is left out: YAML reads '#{rest[:30]}' as a "
                        "comment", f'Put the whole value in double quotes: "{whole}"')

    # -- schema ------------------------------------------------------------

    def validate(self, data: Any, doc: yamldoc.Doc, rel: str, what: str,
                 full: dict[str, Any], fast: Any) -> bool:
        try:
            fast(data)
            return True
        except fastjsonschema.JsonSchemaException:
            pass
        import jsonschema

        validator = jsonschema.Draft202012Validator(full)
        valued: set[tuple[str | int, ...]] = set()  # one wrong-value finding per field
        for error in sorted(validator.iter_errors(data), key=_error_order):
            if error.validator not in ("required", "additionalProperties", "not"):
                if tuple(error.absolute_path) in valued:
                    continue  # e.g. 'status:' left empty is not text, so not a status either
                valued.add(tuple(error.absolute_path))
            self._schema_error(error, doc, rel, what, full)
        return False

    def _schema_error(self, error: jsonschema.ValidationError, doc: yamldoc.Doc, rel: str,
                      what: str, full: dict[str, Any]) -> None:
        path = tuple(error.absolute_path)
        field = schema.field_name(path)
        if error.validator == "required":
            missing = error.message.split("'")[1]
            where = f"the {what}" if not path else f"'{field}'"
            self.report(L.MISSING_FIELD, rel, doc.where(path), f"{where} has no '{missing}'",
                        _hint(missing, full, (*path, missing)))
        elif error.validator == "additionalProperties":
            known = sorted(error.schema.get("properties", {}))
            before: Any = None
            for key in error.instance:
                if _is_number(error.instance.get(before)) and str(key).isdigit() and \
                        error.instance[key] is None:  # {check: 0,8}: two entries, 0 and 8
                    decimal = f"{error.instance[before]}.{key}"
                    self.report(L.INVALID_VALUE, rel, doc.where((*path, before)),
                                f"'{schema.field_name((*path, before))}' reads "
                                f"'{error.instance[before]},{key}' as the number "
                                f"{error.instance[before]} and a key '{key}'",
                                f"Write a decimal point, not a comma: {decimal}.")
                    continue
                before = key
                if key in known:
                    continue
                if (found := odd_space(str(key))) is not None:  # reads as a known key
                    self.report(L.UNKNOWN_KEY, rel, doc.where((*path, key)),
                                f"the key '{visible(str(key))}' holds a {found[1]}",
                                f"Delete the {found[1]}: retype the key.")
                    continue
                close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
                guess = f"; did you mean '{close[0]}'?" if close else ""
                own = "" if path else (
                    "A site adds its own keys under 'schema: fields:' in lecosite.yml."
                    if what == "module" else "Keys of a site's own apply to modules only.")
                self.report(L.UNKNOWN_KEY, rel, doc.where((*path, key)),
                            f"unknown key '{key}'{guess}",
                            f"Known keys here: {', '.join(known)}. {own}".rstrip())
        elif error.validator == "not" and not path:
            self.report(L.INVALID_VALUE, rel, doc.where(("sections",)),
                        "the path has both 'modules' and 'sections'",
                        "Use 'modules' for a flat list or 'sections' for named groups, not both.")
        elif not self._joined_invalid(error.instance, doc, rel):
            hint = _hint(field, full, path)
            value = error.instance
            if error.validator == "maximum" and error.validator_value == 1 and \
                    _is_number(value) and 1 < value <= 100:  # a percentage, e.g. pass_mark: 80
                hint = f"Write {value:g}% as {value / 100:g}. {hint}"
            elif error.validator == "type" and isinstance(value, str) and \
                    (number := _DECIMAL_COMMA.fullmatch(value.strip())):
                whole, comma, fraction, percent = number.groups()
                written = float(f"{whole}.{fraction or 0}")
                if percent and error.schema.get("maximum") == 1:
                    hint = f"Write {written:g}% as {written / 100:g}. {hint}"
                elif comma == ",":
                    hint = f"Write a decimal point, not a comma: {written:g}. {hint}"
            elif error.validator == "type":
                hint = _shape_hint(error.validator_value, value, path, hint)
            if error.validator == "uniqueItems":  # point at the second one, to delete
                path, hint = (*path, schema.repeated(value)), "Delete one of the two."
            self.report(L.INVALID_VALUE, rel, doc.where(path),
                        f"'{field}' {schema.describe(error)}", hint)

    def _joined_invalid(self, value: Any, doc: yamldoc.Doc, rel: str) -> bool:
        """Whether ``value``, which the schema refuses, is a text YAML joined from two '- '
        lines ('alpha - beta', two ids that make none): its LS008 is then the one finding,
        an error, since the joined line is the mistake to fix; an LS011 would suggest a
        value made of both."""
        found = {(self.prefix + rel, *mark, L.ITEM_JOINED.id): key
                 for mark, text, key in doc.joined if text == value}
        for index, f in enumerate(self.findings):
            key = found.get((f.file, f.line, f.col, f.rule))
            if key is not None:
                message, hint = _joined(value, key, valid=False)
                self.findings[index] = replace(f, severity=Severity.ERROR, message=message,
                                               hint=hint)
        return bool(found)

    # -- modules and paths ---------------------------------------------------

    def load_module(self, abspath: str, rel: str) -> Module | None:
        text = self.read_text(abspath, rel)
        if text is None:
            return None
        split = split_front_matter(text)
        if isinstance(split, Unsplit):
            self.report(L.NO_FRONT_MATTER, rel, (split.line, 1), split.message, split.hint)
            return None
        fm_text, fm_line, body, body_line = split
        fields = self.module_schema["properties"]
        doc = self.parse_yaml(fm_text, rel, fm_line, fields)
        if doc is None:
            return None
        data = doc.data
        if not isinstance(data, dict):
            self.report(L.NO_FRONT_MATTER, rel, doc.start,
                        "the front matter is not a list of 'key: value' fields",
                        "Write one 'key: value' per line between the '---' lines.")
            return None
        unknown = [key for key in data if key not in fields]
        if unknown and self._unclosed(fm_text.split("\n"), rel, fm_line, fields,
                                      up_to=max(doc.where((key,))[0] for key in unknown)):
            return None  # the text's words became fields (e.g. 'You will need: a host.')
        schema.whole_numbers(data, self.module_schema)
        every = None
        if self.inherited:
            data, every = self._inherit(rel, data)
        self.validate(data, doc, rel, "module", self.module_schema, self.module_fast)
        module_id = data.get("id")
        if not isinstance(module_id, str) or not module_id:
            return None
        self.name_matches_id(abspath, rel, doc, module_id, "module",
                             "every path and prerequisite that names it")
        module = Module(
            file=rel, doc=doc, id=module_id, body=body, body_line=body_line,
            title=_str(data, "title", module_id), summary=_str(data, "summary"),
            owners=_strs(data, "owners"), version=_str(data, "version"),
            # A missing or wrong status is its own error; guessing one (draft) would add
            # errors to every path that lists the module.
            status=_str(data, "status") if data.get("status") in schema.MODULE_STATUSES
            else "", goal=_str(data, "goal"),
            objectives=_strs(data, "objectives"), duration=_int(data, "duration"),
            audience=_strs(data, "audience"), level=_str(data, "level") or None,
            tags=_strs(data, "tags"), prerequisites=_strs(data, "prerequisites"),
            video=_video(data.get("video")), sources=_sources(data.get("sources")),
            last_reviewed=self._date(data, "last_reviewed", doc, rel),
            review_by=self._date(data, "review_by", doc, rel),
            changelog=_changelog(data.get("changelog")),
            replaced_by=_str(data, "replaced_by") or None,
            completion={k: float(v) for k, v in (data.get("completion") or {}).items()
                        if k in ("check", "video") and _is_number(v)}
            if isinstance(data.get("completion"), dict) else {},
            extra={k: v for k, v in data.items() if k not in schema.MODULE["properties"]},
            review_every=every,
        )
        return module

    # -- folder defaults -------------------------------------------------------

    def read_defaults(self, files: list[tuple[str, str]]) -> None:
        """Parse every _defaults.yml once, before any module or path: each then inherits
        with a few dict lookups. Nearer folders override farther ones key by key."""
        own: dict[str, tuple[dict[str, Any], int | None]] = {}
        for abspath, rel in files:
            self.findings = []
            own[rel.rpartition("/")[0]] = self._defaults_file(abspath, rel)
            self.setup_findings.extend(self.findings)
        for folder in sorted(own, key=lambda f: (f.count("/") + bool(f), f)):
            fields, every = own[folder]
            outer: tuple[dict[str, Any], int | None] = ({}, None)
            if folder:
                outer = self._nearest(folder.rpartition("/")[0]) or outer
            self.inherited[folder] = ({**outer[0], **fields},
                                      every if every is not None else outer[1])

    def _nearest(self, folder: str) -> tuple[dict[str, Any], int | None] | None:
        while True:
            found = self.inherited.get(folder)
            if found is not None or not folder:
                return found
            folder = folder.rpartition("/")[0]

    def _inherit(self, rel: str, data: dict[str, Any]) -> tuple[dict[str, Any], int | None]:
        found = self._nearest(rel.rpartition("/")[0])
        if found is None:
            return data, None
        fields, every = found
        return ({**fields, **data} if fields else data), every

    def _defaults_file(self, abspath: str, rel: str) -> tuple[dict[str, Any], int | None]:
        """The valid fields of one _defaults.yml; invalid ones are reported here, in that
        file, and not passed on (else every module below would repeat the finding)."""
        text = self.read_text(abspath, rel)
        doc = self.parse_yaml(text, rel, 1) if text is not None else None
        if doc is None or doc.data is None:
            return {}, None
        if not isinstance(doc.data, dict):
            self.report(L.INVALID_VALUE, rel, doc.start,
                        "a _defaults.yml holds 'key: value' fields, not "
                        f"{'a list' if isinstance(doc.data, list) else 'a single value'}",
                        "e.g. owners: [\"@org/team\"] and review_every: 6")
            return {}, None
        full = schema.defaults_schema(self.module_schema)
        data, bad = schema.whole_numbers(doc.data, full), set()
        if not self.validate(data, doc, rel, "defaults file", full, schema.fast_validator(full)):
            import jsonschema

            validator = jsonschema.Draft202012Validator(full)
            bad = {e.absolute_path[0] for e in validator.iter_errors(data) if e.absolute_path}
        fields = {k: v for k, v in data.items()
                  if k in full["properties"] and k not in bad and k != "review_every"}
        every = data.get("review_every") if "review_every" not in bad else None
        return fields, every

    def name_matches_id(self, abspath: str, rel: str, doc: yamldoc.Doc, item_id: str,
                        kind: str, users: str) -> None:
        stem, suffix = posixpath.splitext(posixpath.basename(rel))
        if item_id == stem or not _SLUG.match(item_id):  # a malformed id is LS011 already
            return
        named = f"{item_id}{suffix}"
        beside = os.path.exists(os.path.join(os.path.dirname(abspath), named))
        original = self.names.get((kind, named))
        if beside or original is not None:  # a copy
            where = (f"{named} is the file beside it" if beside else
                     f"{self.prefix}{original} has that name")
            hint = (f"{where}; a copy needs an id of its own: "
                    + (f"change the id to '{stem}'." if _SLUG.match(stem) else
                       "give it one and name the file after it."))
        else:
            other = (f", or change the id to '{stem}' and {users}" if _SLUG.match(stem) else "")
            hint = f"Rename the file to {named}{other}."
        self.report(L.ID_NOT_FILE_NAME, rel, doc.where(("id",)),
                    f"the id '{item_id}' is not the file's name '{stem}'", hint)

    def load_path(self, abspath: str, rel: str) -> Path | None:
        text = self.read_text(abspath, rel)
        if text is None:
            return None
        if not text.strip():
            self.report(L.NO_FRONT_MATTER, rel, (1, 1), "the path file is empty",
                        "Run 'lecosite new path' for a template.")
            return None
        doc = self.parse_yaml(text, rel, 1)
        if doc is None:
            return None
        data = doc.data
        if not isinstance(data, dict):
            found = ("a list ('- ' lines)" if isinstance(data, list) else "only comments"
                     if data is None else "a single value")
            self.report(L.INVALID_VALUE, rel, doc.start,
                        f"a path file holds 'key: value' fields (id, title, kind, modules…), "
                        f"not {found}",
                        "Run 'lecosite new path' for a template; module ids go under "
                        "'modules:', as indented '- ' lines.")
            return None
        schema.whole_numbers(data, self.path_schema)
        if self.inherited:
            data = self._inherit(rel, data)[0]
        self.validate(data, doc, rel, "path", self.path_schema, self.path_fast)
        path_id = data.get("id")
        if not isinstance(path_id, str) or not path_id:
            return None
        self.name_matches_id(abspath, rel, doc, path_id, "path", "every path that requires it")
        return Path(
            file=rel, doc=doc, id=path_id, title=_str(data, "title", path_id),
            kind=_str(data, "kind", "course"), summary=_str(data, "summary"),
            goal=_str(data, "goal"), owners=_strs(data, "owners"),
            version=_str(data, "version"), sections=_sections(data, doc),
            status=_str(data, "status", "published"), audience=_strs(data, "audience"),
            level=_str(data, "level") or None, tags=_strs(data, "tags"),
            requires=_strs(data, "requires"),
            pass_mark=data.get("pass_mark") if _is_number(data.get("pass_mark")) else None,
            valid_for=_int(data, "valid_for") or None,
            changelog=_changelog(data.get("changelog")),
        )

    def _date(self, data: dict[str, Any], key: str, doc: yamldoc.Doc, rel: str) -> date | None:
        value = data.get(key)
        if not isinstance(value, str):
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            if len(value) == 10 and value[4] == "-" and value[7] == "-":
                self.report(L.INVALID_VALUE, rel, doc.where((key,)),
                            f"'{key}' is not a real date: {value}",
                            "Write the date as YYYY-MM-DD, e.g. 2027-03-31.")
            return None


Loaded = tuple[Module | Path | Page | None, list[Finding]]  # what Loader.load returns
PARALLEL_MIN = 400  # below this many files a second process costs more than it saves
CHUNK = 100  # files a worker reads at a time: small enough that the processes end together


def load_site(settings: Settings, content_dir: str | None = None, *,
              jobs: int = 1) -> tuple[Site, list[Finding]]:
    """Load every module, path, page and asset under the content dir.

    With ``jobs`` > 1 large sites are read by that many forked processes: parsing
    front matter is most of a check's time, and each file is independent.
    """
    return start_load(settings, content_dir, jobs=jobs, reads_too=True).finish()


def start_load(settings: Settings, content_dir: str | None = None, *, jobs: int = 1,
               reads_too: bool = False) -> Loading:
    """Begin ``load_site``: forked workers start reading now, ``finish()`` waits for them.

    A caller with work of its own to do meanwhile (the MkDocs plugin, while MkDocs lists
    files and sets up its theme) starts the load early. A caller that calls ``finish()`` at
    once says ``reads_too``: it is one of the ``jobs`` processes, so one fewer is forked.
    """
    root = content_dir or str(settings.content_path)
    prefix = _prefix(settings, root)
    loading = Loading(settings, Loader(settings, prefix), Site(root=root, prefix=prefix))
    modules_dir = settings.modules_dir.strip("/") + "/"
    paths_dir = settings.paths_dir.strip("/") + "/"
    defaults: list[tuple[str, str]] = []
    files, loops = walk(root)
    for rel in loops:
        loading.loader.setup_findings.append(L.FOLDER_LINK_LOOP.finding(
            prefix + rel, (0, 0), "this folder link leads back to a folder that contains it, "
            "so the portal would read the same folder forever",
            f"Remove the link ({prefix + rel}), or point it at a folder outside the one it is in."))
    for abspath, rel in files:
        stray = _stray(rel, modules_dir, paths_dir)
        if stray:
            loading.loader.setup_findings.append(L.NOT_READ.finding(prefix + rel, (1, 1), *stray))
        kind = source_kind(rel, settings)
        if kind == "defaults":
            defaults.append((abspath, rel))
            loading.site.assets.add(rel)
        elif kind == "asset":
            loading.site.assets.add(rel)
        elif kind != "skipped":
            loading.work.append((kind, abspath, rel))
    if defaults:
        loading.loader.read_defaults(defaults)
    for kind, _, rel in loading.work:
        loading.loader.names.setdefault((kind, rel.rpartition("/")[2]), rel)
    workers = jobs - 1 if reads_too else jobs
    if jobs > 1 and len(loading.work) >= PARALLEL_MIN and "fork" in mp.get_all_start_methods():
        loading.fork(workers)
    return loading


class Loading:
    """A load under way (see ``start_load``)."""

    def __init__(self, settings: Settings, loader: Loader, site: Site) -> None:
        self.settings = settings
        self.loader = loader
        self.site = site
        self.work: list[tuple[str, str, str]] = []  # (kind, absolute path, relative path)
        self._pool: ProcessPoolExecutor | None = None
        self._folder: str | None = None
        self._chunks: list[list[tuple[str, str, str]]] = []
        self._futures: list[Future[str]] = []

    def fork(self, workers: int) -> None:
        """Hand the files, in chunks, to forked workers, which start at once.

        A worker writes what it read to a file rather than back through the pool's pipe:
        while the caller is busy (it started the load early), the thread that empties the
        pipe seldom gets the GIL, and a full pipe would stall the worker.
        """
        global _forked
        _forked = self.loader
        self._folder = tempfile.mkdtemp(prefix="lecosite-load-")
        self._chunks = [self.work[i:i + CHUNK] for i in range(0, len(self.work), CHUNK)]
        self._pool = ProcessPoolExecutor(workers, mp_context=mp.get_context("fork"))
        self._futures = [self._pool.submit(_load_chunk, self._folder, chunk)
                         for chunk in self._chunks]

    def finish(self) -> tuple[Site, list[Finding]]:
        """The site and the findings of loading it, once every file is read.

        The caller reads the chunks no worker has begun, from the last one back, while the
        workers go on from the first: what it reads itself is not pickled and unpickled.
        """
        if self._pool is not None:
            done: dict[int, list[Loaded]] = {}
            for index in range(len(self._futures) - 1, -1, -1):
                if not self._futures[index].cancel():
                    break
                done[index] = [self.loader.load(*item) for item in self._chunks[index]]
            results: list[Loaded] = []
            for index, future in enumerate(self._futures):
                if index in done:
                    results.extend(done[index])
                    continue
                with open(future.result(), "rb") as fh:
                    results.extend(pickle.load(fh))
            self.cancel()
        else:
            results = [self.loader.load(*item) for item in self.work]
        site, prefix = self.site, self.site.prefix
        findings = list(self.loader.setup_findings)
        for (_, _, rel), (item, found) in zip(self.work, results, strict=True):
            findings.extend(found)
            if item is None:
                site.unloaded.add(rel)
            elif isinstance(item, Module):
                _add(site, site.modules, item, findings, prefix, "module")
            elif isinstance(item, Path):
                _add(site, site.paths, item, findings, prefix, "path")
            elif isinstance(item, Page):
                site.pages[item.file] = item
        for path in site.paths.values():
            module = site.modules.get(path.id)
            if module is not None:  # `requires` could not tell the two apart
                findings.append(L.DUPLICATE_ID.finding(
                    prefix + path.file, path.where("id"),
                    f"path id '{path.id}' is also a module's id ({prefix}{module.file})",
                    "Give the path an id of its own (and rename its file to match), e.g. "
                    f"'{path.id}-{path.kind}'."))
        if self.settings.codeowners:
            findings.extend(codeowners.sync_findings(site, self.settings))
        return site, findings

    def cancel(self) -> None:
        """Stop the workers and remove their files (the load is read or no longer needed)."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None


_forked: Loader | None = None  # the parent's loader, inherited by forked workers


def _load_chunk(folder: str, chunk: list[tuple[str, str, str]]) -> str:
    """In a worker: read a chunk of files; the results go to a new file in ``folder``."""
    assert _forked is not None
    fd, name = tempfile.mkstemp(dir=folder)
    with os.fdopen(fd, "wb") as fh:
        pickle.dump([_forked.load(*item) for item in chunk], fh, pickle.HIGHEST_PROTOCOL)
    return name


def walk(root: str) -> tuple[list[tuple[str, str]], list[str]]:
    """(absolute, relative) paths of every non-hidden file, in a stable order, and the
    relative paths of folder links that lead back to a folder containing them.

    A linked folder is read through, as MkDocs publishes it; a link back up would have
    MkDocs read the same folder forever, so it is named instead of followed.
    """
    out: list[tuple[str, str]] = []
    loops: list[str] = []
    real_root = os.path.realpath(root)
    stack = [(root, "", (real_root,))]
    while stack:
        folder, rel, above = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        dirs = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            linked = entry.is_symlink()
            if entry.is_dir():
                real = os.path.realpath(entry.path) if linked else f"{above[-1]}/{entry.name}"
                if real in above:
                    loops.append(rel + entry.name)
                else:
                    dirs.append((entry.path, f"{rel}{entry.name}/", (*above, real)))
            elif entry.is_file() or linked:  # a broken link: said when read
                out.append((entry.path, rel + entry.name))
        stack.extend(reversed(dirs))
    return out, loops


# What editors and merge tools leave next to a file: file.md~, file.md.bak, #file.md#…
_BACKUP = re.compile(r"(?:~|\.(?:bak|orig|rej|swp|swo|tmp)|#)$|^#", re.I)


def source_kind(rel: str, settings: Settings) -> str:
    """What a file of the content folder is: 'module', 'path', 'defaults', 'page', 'asset',
    or 'skipped' (set aside, or a backup copy). The check and the build both ask here: a
    file the check did not read as content must not be published as something else."""
    if set_aside(rel) or backup_copy(rel):
        return "skipped"
    if rel.startswith(settings.modules_dir.strip("/") + "/") and rel.endswith(MARKDOWN_SUFFIXES):
        return "module"
    if rel.rpartition("/")[2] == schema.DEFAULTS_FILE:
        return "defaults"
    if rel.startswith(settings.paths_dir.strip("/") + "/") and rel.endswith(YAML_SUFFIXES):
        return "path"
    return "page" if rel.endswith(MARKDOWN_SUFFIXES) else "asset"


def backup_copy(rel: str) -> bool:
    """An editor's or merge tool's copy of a file: never published (MkDocs would copy it
    raw, draft text and owners included)."""
    return bool(_BACKUP.search(rel.rpartition("/")[2]))


def set_aside(rel: str) -> bool:
    """A Markdown or YAML file whose name, or a folder of which, starts with '_' is set
    aside (drafts, notes): neither checked nor published. Folder defaults are the exception.
    Other files there (images) are published as MkDocs publishes them."""
    if not rel.endswith(MARKDOWN_SUFFIXES + YAML_SUFFIXES):
        return False
    parts = rel.split("/")
    return any(p.startswith("_") for p in parts[:-1]) or (
        parts[-1].startswith("_") and parts[-1] != schema.DEFAULTS_FILE)


def _stray(rel: str, modules_dir: str, paths_dir: str) -> tuple[str, str] | None:
    """Why a file that looks like content is not read as what it looks like, if it is not."""
    name = rel.rpartition("/")[2]
    lower = name.lower()
    if name == schema.DEFAULTS_FILE:
        return None
    if backup_copy(rel):
        return (f"'{name}' looks like an editor's or merge tool's backup copy: it is neither "
                "checked nor published", "Delete it, and add the pattern to .gitignore.")
    if re.fullmatch(r"_?defaults?\.ya?ml", lower):
        return (f"'{name}' is not read: folder defaults are named {schema.DEFAULTS_FILE}",
                f"Rename it to '{schema.DEFAULTS_FILE}'.")
    if lower.endswith(MARKDOWN_SUFFIXES + YAML_SUFFIXES) and not name.endswith(
            MARKDOWN_SUFFIXES + YAML_SUFFIXES):
        right = name[:name.rindex(".")] + name[name.rindex("."):].lower()
        return (f"'{name}' is not read: the extension must be lowercase",
                f"Rename it to '{right}'.")
    if lower.endswith((".md.txt", ".yml.txt", ".yaml.txt", ".markdown.txt")):
        return (f"'{name}' is not read: it ends in .txt", f"Rename it to '{name[:-4]}'.")
    if rel.startswith(modules_dir) and name.endswith(YAML_SUFFIXES):
        return ("a YAML file in the modules folder is not read",
                f"Paths go in {paths_dir}; folder defaults are named {schema.DEFAULTS_FILE}.")
    if rel.startswith(paths_dir) and name.endswith(MARKDOWN_SUFFIXES):
        return ("a Markdown file in the paths folder is published as a plain page",
                f"Modules go in {modules_dir}; a path is a .yml file here.")
    return None


_GLUED = re.compile(r"^[ \t]*(?:-[ \t]+)?([A-Za-z_][\w-]*):([^\s:/'\"][^\n]*)$")


_ODD = "".join(ODD_SPACES)
_ODD_PLACE = re.compile(rf"^([ \t]*)(?:(-)|([^\s:#'\"][^:#]*:))?[{_ODD}]")


def yaml_problem(text: str, error: yamldoc.YamlError, first_line: int = 1,
                 fields: Collection[str] = ()) -> tuple[yamldoc.Mark, str, str]:
    """Where a YAML error really is and what to do, in an author's words (mark, message,
    hint): a tab, a pasted non-breaking space, a missing space after a colon, a slip
    ``yamldoc.explain`` knows. ``fields``: keys a line without ':' may be meant to start
    with (a module's and a path's where none are given)."""
    lines = text.split("\n")
    line = lines[error.line - first_line] if 0 <= error.line - first_line < len(lines) else ""
    indent = line[:len(line) - len(line.lstrip())]
    odd = _odd_space(lines[:error.line - first_line + 1])
    if odd is not None:
        number, col, name, where = odd
        return ((first_line + number, col),
                f"invalid YAML: a {name} {where}, where YAML needs a plain space",
                f"Delete it and type a plain space ({name}s come in with text pasted from "
                "word processors and web pages).")
    if "another document" in error.message:
        return ((error.line, 1),
                "invalid YAML: this '---' line starts a second document, and a YAML file "
                "holds one",
                "Delete the '---' lines: only a module's Markdown file puts its fields "
                "between two of them.")
    glued = _glued_key(lines[:error.line - first_line + 1])
    if glued is not None:  # 'level:intermediate' is one word to YAML: it fails below
        number, key, value = glued
        return ((first_line + number, 1), f"invalid YAML: no space after the colon of '{key}:'",
                f"Put a space after the colon: '{key}: {value}'.")
    known = fields or (*schema.MODULE["properties"], *schema.PATH["properties"])
    plain = None if any(q in line for q in "“”") else \
        yamldoc.explain(text, error, first_line, known)
    if plain is not None:
        return plain[0], f"invalid YAML: {plain[1]}", plain[2]
    hint = ("Indent with spaces only: replace the tab on this line with spaces."
            if "\t" in indent or "tab character" in error.message else
            "Write the same quote mark again at the end of the text."
            if "never closed" in error.message else
            "In double quotes a backslash starts an escape: use single quotes "
            "instead ('C:\\ProgramData\\logs'), or double each backslash."
            if "unknown escape" in error.message else
            "Curly quotes (“ ”, as word processors type them) do not quote for YAML: "
            "type straight quotes (\") around the text instead."
            if any(q in line for q in "“”") else
            "Check indentation, colons and quotes on this line and the one above; "
            "quote text that contains ': ' or starts with '@', '[' or '{'.")
    return (error.line, error.col), f"invalid YAML: {error.message}", hint


#: The keys of mkdocs.yml a line without ':' may be meant to start with (see yaml_problem).
_MKDOCS_KEYS = ("INHERIT", "site_name", "site_url", "site_description", "site_author",
                "copyright", "repo_url", "repo_name", "edit_uri", "docs_dir", "site_dir",
                "theme", "nav", "plugins", "markdown_extensions", "extra", "extra_css",
                "extra_javascript", "use_directory_urls", "validation", "exclude_docs",
                "not_in_nav", "hooks", "watch", "strict", "dev_addr")


def _mkdocs_files(root: pathlib.Path, name: str) -> Iterator[tuple[pathlib.Path, str]]:
    """The project's MkDocs configuration, then each it INHERITs, as (file, text), up to one
    that cannot be read (MkDocs says what it cannot open) or is no YAML (LS002 says so)."""
    path, seen = root / name, set()
    while path.is_file() and path not in seen:
        seen.add(path)
        try:
            text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
        except (OSError, UnicodeDecodeError):
            return
        yield path, text
        parent = (read_mkdocs_yml(path) or {}).get("INHERIT")
        if not isinstance(parent, str):
            return
        path = (path.parent / parent).resolve()


def mkdocs_syntax(root: pathlib.Path, name: str = "mkdocs.yml") -> list[Finding]:
    """LS002 where the project's MkDocs configuration, or one it INHERITs, is no YAML: the
    build stops on it, after a check that passed. Syntax only, whatever tags its values
    carry: what the settings mean is MkDocs' to say."""
    for path, text in _mkdocs_files(root, name):
        try:
            yamldoc.check_syntax(text)
        except yamldoc.YamlError as exc:
            rel = pathlib.Path(os.path.relpath(path, root)).as_posix()
            return [L.INVALID_YAML.finding(rel, *yaml_problem(text, exc, 1, _MKDOCS_KEYS))]
    return []


def mkdocs_nav(root: pathlib.Path, name: str = "mkdocs.yml") -> list[Finding]:
    """LS017 where the MkDocs configuration, or one it INHERITs, sets a nav: the plugin
    puts its own in place, and MkDocs warns of every page the author's leaves out."""
    found = []
    for path, text in _mkdocs_files(root, name):
        try:
            node = yaml.compose(text, Loader=AnyTag)
        except yaml.YAMLError:
            break  # LS002's to say
        for key, _ in node.value if isinstance(node, yaml.MappingNode) else []:
            if key.value == "nav":
                rel = pathlib.Path(os.path.relpath(path, root)).as_posix()
                found.append(L.NAV_NOT_USED.finding(
                    rel, (key.start_mark.line + 1, key.start_mark.column + 1),
                    "'nav' is not used: lecosite builds the portal's menu from the learning "
                    "paths, and lists every other page under Guides",
                    "Delete 'nav:' and the lines under it; a module's place is set by its "
                    "path's 'modules:' list."))
    return found


def _odd_space(lines: list[str]) -> tuple[int, int, str, str] | None:
    """An odd space where YAML needs a plain one (in the indentation, right after '-' or
    'key:'), on the lines up to a YAML error from the one it is nested under (YAML may fail
    only where the block ends): (index, column, its name, where)."""
    last = len(lines) - 1
    depth = len(lines[last]) - len(lines[last].lstrip(" \t")) if lines else 0
    first = max(0, last - 2)
    while first > 0 and (not lines[first].strip() or
                         len(lines[first]) - len(lines[first].lstrip(" \t")) > depth):
        first -= 1
    for number in range(first, len(lines)):
        line = lines[number]
        found = _ODD_PLACE.match(line)
        if found:
            col = found.end()
            where = (f"after '{found[3]}'" if found[3] else "after '-'" if found[2]
                     else "in the indentation" if found[1] else "at the start of the line")
            return number, col, ODD_SPACES[line[col - 1]], where
    return None


def _glued_key(lines: list[str]) -> tuple[int, str, str] | None:
    """The last line up to a YAML error that reads 'key:value' (a known slip), as (index,
    key, value); a time (10:30) or an address (https://…) is no such line."""
    for number in range(len(lines) - 1, -1, -1):
        found = _GLUED.match(lines[number])
        if found and not found.group(1).isdigit():
            return number, found.group(1), found.group(2).rstrip()
    return None


_FIELD = re.compile(r"([\w-]+)[ \t]*:(?:[ \t]|$)")  # a module's field, at column 0
# A key as YAML fields are written: one word, maybe quoted or dotted, in any case. Only text
# whose words before a colon are several ("You will need: …") is taken for text.
_YAML_KEY = re.compile(r"""[ \t]*(?:-[ \t]+)?(?:"[^"]*"|'[^']*'|[\w.-]+)[ \t]*:(?:[ \t]|$)""")
_HEADING = re.compile(r"#{1,6}[ \t]+\S")  # or a YAML comment: told apart by what follows
_TEXT = re.compile(r"[^\s#\-]")
_BLOCK = re.compile(r"!\[|>|\||<|```|~~~|!!!")  # Markdown no YAML field starts with


def _body_start(lines: list[str], fields: Collection[str]) -> int | None:
    """Where a module's text begins inside what was split off as front matter: after the
    last field, a heading followed by text (not a commented field), a Markdown block, or
    text after a blank line that does not read as a field; with more lines after it. A
    YAML slip in the fields, or a value wrapped onto the next line, is neither."""
    last_field = max((i for i, line in enumerate(lines)
                      if (found := _FIELD.match(line)) and found.group(1) in fields),
                     default=-1)
    for index in range(last_field + 1, len(lines)):
        line = lines[index]
        if _HEADING.match(line):
            follows = next((rest for rest in lines[index + 1:]
                            if rest.strip() and not rest.startswith("#")), "")
            text = (not _YAML_KEY.match(line.lstrip("#")) and bool(_TEXT.match(follows))
                    and not _YAML_KEY.match(follows))
        else:
            text = bool(_BLOCK.match(line)) or (
                index > 0 and not lines[index - 1].strip() and bool(_TEXT.match(line))
                and not _YAML_KEY.match(line))
        if text:
            return index if any(rest.strip() for rest in lines[index + 1:]) else None
    return None


def _utf16(raw: bytes) -> bool:
    """Windows editors' "Unicode": a byte-order mark, or (without one) text whose every other
    byte is NUL, which would otherwise be taken for binary data."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return True
    if len(raw) < 8 or 0 not in raw:  # most files: no NUL, so not UTF-16
        return False
    even, odd = raw[::2], raw[1::2]
    return any(a.count(0) * 10 >= len(a) * 9 and 0 not in b
                                 for a, b in ((odd, even), (even, odd)))


@dataclass(frozen=True)
class Unsplit:
    """Why a module's text has no front matter to read, where, and what to do."""

    message: str
    line: int = 1
    hint: str = ("Start the file with a line '---', the module's fields, and a line '---'. "
                 "Run 'lecosite new module' for a template.")


# A line meant to close the front matter: '----', '--', an em dash, '---' indented or with
# words after it.
_NEAR_CLOSER = re.compile(r"^(?:\s*(?:-{2}|-{4,}|[\u2013\u2014]{1,3})\s*|\s+---\s*|---\s*\S.*)$")


def split_front_matter(text: str) -> tuple[str, int, str, int] | Unsplit:
    """(front matter, its first line, body, body's first line), or why there is none."""
    if not text.strip():
        return Unsplit("the file is empty")
    first = text.split("\n", 1)[0].rstrip()
    if first != "---":
        start = text.lstrip()
        if not first.strip() and start.split("\n", 1)[0].rstrip() == "---":
            blank = text[:len(text) - len(start)].count("\n")
            return Unsplit(f"the front matter's '---' is on line {blank + 1}, after "
                           f"{'a blank line' if blank == 1 else f'{blank} blank lines'}",
                           hint=f"Delete the blank line{'s' if blank > 1 else ''} above "
                           "'---': it must be the file's first line.")
        return Unsplit("the file does not start with front matter (a line '---')")
    lines = text.split("\n")
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            if index == len(lines) - 1:  # MkDocs needs the line break to see the closing line
                return Unsplit(f"the file ends right after the closing '---' on line "
                               f"{index + 1}, with no line break", index + 1,
                               f"Press Enter at the end of line {index + 1}: without a line "
                               "break after '---', the page shows the front matter as text.")
            return "\n".join(lines[1:index]), 2, "\n".join(lines[index + 1:]), index + 2
    for index in range(1, len(lines)):
        if _NEAR_CLOSER.match(lines[index]):
            return Unsplit(f"the front matter is not closed: line {index + 1} reads "
                           f"'{lines[index].rstrip()[:40]}', not '---'", index + 1,
                           f"Make line {index + 1} exactly '---': three hyphens and nothing "
                           "else, at the start of the line.")
    return Unsplit("the front matter is not closed (no second '---' line)")


def _add(site: Site, table: dict[str, Any], item: Module | Path, findings: list[Finding],
         prefix: str, what: str) -> None:
    """Files are read in name order, which says nothing of which holder is the copy: each
    is told of the other, and the hint says which one should change."""
    first = table.get(item.id)
    if first is None:
        table[item.id] = item
        return
    site.duplicates.append(item)
    new_name = " (and rename the file to match)" if what == "module" else ""
    for one, other in ((first, item), (item, first)):
        findings.append(L.DUPLICATE_ID.finding(
            prefix + one.file, one.where("id"),
            f"{what} id '{item.id}' is also used by {prefix}{other.file}",
            f"Ids must be unique. Keep the id on the {what} learners already know (their "
            f"progress and links use it) and give the other one a new id{new_name}."))


def _prefix(settings: Settings, root: str) -> str:
    try:
        rel = os.path.relpath(root, settings.root)
    except ValueError:
        rel = root
    return "" if rel == "." else rel.replace(os.sep, "/").rstrip("/") + "/"


def _joined(value: str, key: str, *, valid: bool) -> tuple[str, str]:
    """(message, hint) of LS008 for a '- ' line YAML joined to ``value``, the text above it
    (the value of ``key``, or "" for a list's item). Where the text is a ``valid`` value,
    the dash may belong in it."""
    fix = ("Line this '-' up with the '-' above it to start an item of its own" if not key
           else f"'{key}' holds one text, not a list: remove this '- '")
    message = f"this '- ' line does not start an item: YAML joins it to the text above, " \
        f"'{excerpt(value)}'"
    if not valid:
        return f"{message}, which is not a valid value there", f"{fix}."
    return message, (f"{fix}. If the dash belongs in the text, put the whole text in double "
                     "quotes.")


def _error_order(error: jsonschema.ValidationError) -> tuple[tuple[str, ...], bool]:
    """By field; a wrong type first, as it says the most (see validate)."""
    return tuple(str(p) for p in error.absolute_path), error.validator != "type"


_HINTS = {
    "id": "Use lowercase letters, digits and '-', e.g. connect-check-ports.",
    "version": "Write MAJOR.MINOR.PATCH, e.g. 1.2.0 (a bare 1.0 is read as a number).",
    "owners": "Write '@handle', '@org/team' or an e-mail address, in quotes: \"@org/team\".",
    "prerequisites": "List module ids, e.g. [connect-system-requirements].",
    "last_reviewed": "Write the date as YYYY-MM-DD.",
    "review_by": "Write the date as YYYY-MM-DD.",
    "changelog": "Write entries as '- 1.2.0: what changed', newest first.",
    "tags": "Use lowercase words joined by '-'.",
    "duration": "Write the minutes as a whole number, e.g. duration: 8.",
    "video.length": "Write the video's length in whole seconds, e.g. length: 90 for 1:30.",
}


def _hint(field: str, full: dict[str, Any], path: tuple[str | int, ...]) -> str:
    """What to write in the field at ``path``: its own hint, choices or description (a
    nested field's, e.g. video.length's, not its parent's), else the nearest field's above."""
    specs = [full]
    for part in path:
        spec = specs[-1].get("items" if isinstance(part, int) else "properties", {})
        spec = spec if isinstance(part, int) else spec.get(part)
        if not isinstance(spec, dict):
            break
        specs.append(spec)
    named = ".".join(p for p in path if isinstance(p, str)) or field
    if named in _HINTS:
        return _HINTS[named]
    for spec in reversed(specs[1:]):
        allowed = spec.get("enum") or spec.get("items", {}).get("enum")
        if allowed:
            return f"Use one of: {', '.join(allowed)}."
        if "description" in spec:
            return spec["description"]
    return "See the author guide for this field."


# List markers of word processors and chat apps: YAML's is '- ' only.
_BULLET = re.compile(r"(?:^|\s)([\u2013\u2014\u2022\u00b7\u25aa\u25cf*]|\d+[.)])\s")


def _shape_hint(wanted: Any, value: Any, path: tuple[str | int, ...], hint: str) -> str:
    """What to write when the value has the wrong shape, where it is one YAML makes of a
    common slip: items written as one text (bullets pasted from a document), or a text
    holding ': ' read as 'key: value'."""
    name = next((p for p in reversed(path) if isinstance(p, str)), "")
    if wanted == "array" and isinstance(value, str) and name:
        bullet = _BULLET.search(value)
        todo = (f"write each item on a line of its own under '{name}:', indented, starting "
                f"with '- ' (a hyphen and a space). {hint}")
        return f"'{bullet[1]}' is not a list mark in YAML: {todo}" if bullet else \
            todo[:1].upper() + todo[1:]
    if wanted == "string" and isinstance(value, dict) and len(value) == 1:
        (key, rest), = value.items()
        if isinstance(rest, str):
            return ("YAML reads the ': ' in this text as 'key: value': put the whole text in "
                    f"quotes, {yamldoc.quoted(f'{key}: {rest}')}")
    return hint


def _str(data: dict[str, Any], key: str, default: str = "") -> str:
    value = data.get(key)
    return value if isinstance(value, str) else default


def _strs(data: dict[str, Any], key: str) -> list[str]:
    value = data.get(key)
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _int(data: dict[str, Any], key: str) -> int:
    value = data.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


# A number as people write it in text: '0,8', '80%', '12,5 %'.
_DECIMAL_COMMA = re.compile(r"(\d+)(?:([,.])(\d+))?[ \t]*(%)?")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _video(value: Any) -> Video | None:
    if not isinstance(value, dict) or not isinstance(value.get("src"), str):
        return None
    captions = []
    for item in value.get("captions") or []:
        if isinstance(item, dict) and isinstance(item.get("lang"), str):
            captions.append(Caption(lang=item["lang"], label=_str(item, "label", item["lang"]),
                                    src=_str(item, "src") or None))
    return Video(src=value["src"], title=_str(value, "title") or None,
                 length=_int(value, "length") or None, poster=_str(value, "poster") or None,
                 captions=captions, transcript=_str(value, "transcript") or None)


def _sources(value: Any) -> list[Source]:
    if not isinstance(value, list):
        return []
    return [Source(kind=_str(s, "kind", "other"), title=_str(s, "title"),
                   url=_str(s, "url") or None)
            for s in value if isinstance(s, dict)]


def _changelog(value: Any) -> list[tuple[str, str]]:
    if not isinstance(value, list):
        return []
    return [(str(k), str(v)) for entry in value if isinstance(entry, dict)
            for k, v in entry.items()]


def _sections(data: dict[str, Any], doc: yamldoc.Doc) -> list[Section]:
    if isinstance(data.get("sections"), list):
        out = []
        for index, section in enumerate(data["sections"]):
            if isinstance(section, dict):
                out.append(Section(title=_str(section, "title", f"Section {index + 1}"),
                                   modules=_strs(section, "modules"),
                                   line=doc.where(("sections", index))[0]))
        return out
    return [Section(title=None, modules=_strs(data, "modules"),
                    line=doc.where(("modules",))[0])]
