"""The project: where content lives and the site's own settings (``lecosite.yml``).

Settings sit in their own file, not in ``mkdocs.yml``, so the CLI and any generator
adapter read them without MkDocs.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

import fastjsonschema
import yaml

from lecosite import schema, yamldoc
from lecosite.findings import Finding
from lecosite.rules.loading import DUPLICATE_KEY, INVALID_CONFIG
from lecosite.urls import PageOptions

CONFIG_FILE = "lecosite.yml"
# The MkDocs plugin's own options (lecosite/mkdocs/config.py): named here, as the core does
# not import MkDocs, so one put in lecosite.yml is sent where it belongs.
PLUGIN_OPTIONS = frozenset({"settings", "drafts", "catalog", "collector", "governance",
                            "nav_fanout"})

CONFIG_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "content_dir": {"type": "string", "minLength": 1},
        "modules_dir": {"type": "string", "minLength": 1},
        "paths_dir": {"type": "string", "minLength": 1},
        "duration": {
            "type": "object", "additionalProperties": False,
            "properties": {"min": {"type": "integer", "minimum": 1},
                           "max": {"type": "integer", "minimum": 1}},
        },
        "schema": {
            "type": "object", "additionalProperties": False,
            "properties": {
                "required": {"type": "array", "items": {"type": "string"}},
                "audience": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                "level": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                "tags": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                "fields": {"type": "object", "additionalProperties": {"type": "object"}},
            },
        },
        "completion": {
            "type": "object", "additionalProperties": False,
            "properties": {"check": {"type": "number", "minimum": 0, "maximum": 1},
                           "video": {"type": "number", "minimum": 0, "maximum": 1}},
        },
        "review": {
            "type": "object", "additionalProperties": False,
            "properties": {"every": {"type": "integer", "minimum": 1}},
        },
        "codeowners": {"type": "boolean"},
    },
}


@dataclass
class Settings:
    """The site's settings, defaults filled in."""

    root: FsPath  # the project folder (where lecosite.yml is, or would be)
    content_dir: str = "content"
    modules_dir: str = "modules"
    paths_dir: str = "paths"
    duration_min: int = 5
    duration_max: int = 15
    schema: dict[str, Any] = field(default_factory=dict)
    review_every: int | None = None
    check_pass: float = 0.8  # default score a module's checks need, where it requires them
    video_complete: float = 0.9  # default share of a video that completes its module
    codeowners: bool = True  # False: CODEOWNERS is managed elsewhere (e.g. a monorepo's)
    config_file: str | None = None  # relative to root, when one was read
    pages: PageOptions = field(default_factory=PageOptions)  # as mkdocs.yml's plugin says

    @property
    def content_path(self) -> FsPath:
        return self.root / self.content_dir


PROJECT_HELP = ("Project folder (default: the nearest with lecosite.yml, else with mkdocs.yml, "
                "else here).")


def find_root(start: FsPath) -> FsPath:
    """The nearest folder at or above ``start`` holding lecosite.yml; in a project without
    one, the nearest holding mkdocs.yml (else ``start``): `lecosite new` run in a module
    folder must not start a second content/ there."""
    start = start.resolve()
    for marker in (CONFIG_FILE, "mkdocs.yml"):
        for folder in (start, *start.parents):
            if (folder / marker).is_file():
                return folder
    return start


def load_settings(root: FsPath, name: str = CONFIG_FILE,
                  docs_dir: str | None = None) -> tuple[Settings, list[Finding]]:
    """Read ``root/name`` if present; problems become findings, defaults stay.

    Without a content_dir of its own, the content is what the portal publishes: MkDocs'
    ``docs_dir`` (given, else read from root/mkdocs.yml), so a project started from plain
    MkDocs (docs/) is checked where it is built. Which pages of lecosite's own its builds
    add is read from root/mkdocs.yml, the plugin's options there."""
    published = docs_dir if docs_dir is not None else mkdocs_setting(root, "docs_dir")
    settings = Settings(root=root, pages=page_options(root))
    if isinstance(published, str) and published:
        settings.content_dir = FsPath(os.path.relpath(root / published, root)).as_posix()
    path = root / name
    if not path.is_file():
        return settings, []
    settings.config_file = name
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
        doc = yamldoc.parse(text)
    except OSError as exc:
        return settings, [_config_finding(name, 1, 1, f"cannot read the file: {exc.strerror}",
                                          "Check the file's permissions.")]
    except UnicodeDecodeError as exc:  # said as for content files: where, in plain words
        if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\0" in raw[:200]:
            return settings, [_config_finding(
                name, 1, 1, "the file is saved as UTF-16 (\"Unicode\")",
                "Re-save it as UTF-8: in Notepad, File > Save as > Encoding: UTF-8.")]
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return settings, [_config_finding(
            name, line, col, f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x})",
            "Re-save the file with UTF-8 encoding in your editor.")]
    except yamldoc.YamlError as exc:
        plain = yamldoc.explain(text, exc, 1, CONFIG_SCHEMA["properties"])
        if plain is not None:
            return settings, [_config_finding(name, *plain[0], f"invalid YAML: {plain[1]}",
                                              plain[2])]
        line = text.split("\n")[exc.line - 1] if exc.line <= text.count("\n") + 1 else ""
        tab = "\t" in line[:len(line) - len(line.lstrip())] or "tab" in exc.message
        return settings, [_config_finding(
            name, exc.line, exc.col, f"invalid YAML: {exc.message}",
            "Indent with spaces only: replace the tab on this line with spaces." if tab else
            "Check indentation, colons and quotes on this line and the one above.")]
    data = schema.whole_numbers(doc.data if doc.data is not None else {}, CONFIG_SCHEMA)
    findings = [DUPLICATE_KEY.finding(name, again, f"'{key}' is written twice (first on line "
                                      f"{first[0]}): YAML keeps only the second",
                                      "Keep one of the two and delete the other.")
                for key, first, again in doc.duplicates]
    for error in _config_errors(data):
        at = tuple(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            known = list(error.schema.get("properties", {}))
            for key in error.instance:  # each unknown key on its own line, in file order
                if key not in known:
                    line, col = doc.where((*at, key))
                    if not at and key in PLUGIN_OPTIONS:
                        findings.append(_config_finding(
                            name, line, col, f"'{key}' is an option of the MkDocs plugin, "
                            f"not a setting of {name}",
                            "Move it to mkdocs.yml, indented under '- lecosite:' in its "
                            "'plugins:' list, and remove it here."))
                        continue
                    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
                    guess = f"; did you mean '{close[0]}'?" if close else ""
                    findings.append(_config_finding(
                        name, line, col, f"unknown key '{key}'{guess}",
                        f"Known keys here: {', '.join(known)}. See 'Settings' in the operator "
                        "guide."))
            continue
        line, col = doc.where(at)
        findings.append(_config_finding(name, line, col,
                                        f"'{schema.field_name(at) if at else name}' "
                                        f"{schema.describe(error)}",
                                        "See 'Settings' in the operator guide."))
    fields = ((data.get("schema") or {}).get("fields") or {}) if not findings else {}
    for key in fields:
        if key in schema.MODULE["properties"]:
            line, col = doc.where(("schema", "fields", key))
            findings.append(_config_finding(
                name, line, col, f"'{key}' is a field lecosite defines: a field of the site's "
                "own cannot replace it (its checks would stop)",
                f"Give your field a name of its own (e.g. 'our-{key}'), or remove it."))
    if not findings:
        findings += _folders_apart(name, doc, data) + _folders_there(name, doc, data, root)
    duration = data.get("duration") or {} if not findings else {}
    if duration.get("min", settings.duration_min) > duration.get("max", settings.duration_max):
        line, col = doc.where(("duration", "max" if "max" in duration else "min"))
        findings.append(_config_finding(name, line, col, "duration: min is more than max",
                                        "Set min to the shortest and max to the longest "
                                        "module, in minutes, e.g. min: 5 and max: 15."))
    if findings:
        return settings, findings
    settings.content_dir = data.get("content_dir", settings.content_dir)
    settings.modules_dir = data.get("modules_dir", settings.modules_dir)
    settings.paths_dir = data.get("paths_dir", settings.paths_dir)
    settings.duration_min = duration.get("min", settings.duration_min)
    settings.duration_max = duration.get("max", settings.duration_max)
    settings.schema = data.get("schema") or {}
    settings.review_every = (data.get("review") or {}).get("every")
    completion = data.get("completion") or {}
    settings.check_pass = completion.get("check", settings.check_pass)
    settings.video_complete = completion.get("video", settings.video_complete)
    settings.codeowners = data.get("codeowners", settings.codeowners)
    return settings, findings


def _folders_apart(name: str, doc: yamldoc.Doc, data: dict[str, Any]) -> list[Finding]:
    """lecosite tells a module from a path by the folder it is in."""
    modules, paths = (str(data.get(key, getattr(Settings, key))).strip("/") + "/"
                      for key in ("modules_dir", "paths_dir"))
    if not (modules.startswith(paths) or paths.startswith(modules)):
        return []
    line, col = doc.where(("paths_dir",) if "paths_dir" in data else ("modules_dir",))
    return [_config_finding(
        name, line, col, f"modules_dir ({modules}) and paths_dir ({paths}) must be two folders, "
        "neither inside the other: lecosite tells a module from a path by its folder",
        "Keep them apart, e.g. modules_dir: modules and paths_dir: paths.")]


_FOLDER_HINTS = {
    "content_dir": "Name the folder that holds modules/ and paths/, relative to the project.",
    "modules_dir": "Name the modules' folder, relative to content_dir.",
    "paths_dir": "Name the paths' folder, relative to content_dir.",
}


def _folders_there(name: str, doc: yamldoc.Doc, data: dict[str, Any],
                   root: FsPath) -> list[Finding]:
    """A content_dir that names no folder (a typo) would have every command read or write
    elsewhere, e.g. `lecosite new` start a second content tree; a modules_dir or paths_dir
    that is a file could not be read at all."""
    content = root / str(data.get("content_dir", Settings.content_dir))
    places = [("content_dir", content)] if "content_dir" in data else []
    places += [(key, content / str(data[key])) for key in ("modules_dir", "paths_dir")
               if key in data and content.is_dir()]
    found = []
    for key, place in places:
        if place.is_dir() or (key != "content_dir" and not place.exists()):
            continue  # a modules or paths folder may come with the first module or path
        what = "a file, not a folder" if place.exists() else "no folder of the project"
        folders = (sorted(p.name for p in place.parent.iterdir() if p.is_dir())
                   if place.parent.is_dir() else [])
        close = difflib.get_close_matches(place.name, folders, n=1, cutoff=0.6)
        meant = (f"Did you mean {key}: {close[0]}? " if close and close[0] != place.name
                 else "")
        found.append(_config_finding(
            name, *doc.where((key,)), f"{key} '{data[key]}' is {what}",
            meant + _FOLDER_HINTS[key]))
    return found


def _config_errors(data: Any) -> list[Any]:
    """jsonschema's errors, in file order; it is imported only when the fast check fails."""
    try:
        schema.fast_validator(CONFIG_SCHEMA)(data)
    except fastjsonschema.JsonSchemaException:
        import jsonschema

        validator = jsonschema.Draft202012Validator(CONFIG_SCHEMA)
        return sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    return []


def _config_finding(name: str, line: int, col: int, message: str, hint: str) -> Finding:
    return INVALID_CONFIG.finding(name, (line, col), message, hint)


class AnyTag(yaml.SafeLoader):
    """mkdocs.yml as data, whatever its tags (!ENV, !!python/name:…) stand for."""


AnyTag.add_multi_constructor("", lambda loader, suffix, node: None)


def read_mkdocs_yml(path: FsPath) -> dict[str, Any] | None:
    """An MkDocs configuration as data, or None when it does not read as a mapping."""
    try:
        with open(path, encoding="utf-8-sig") as f:
            data = yaml.load(f, Loader=AnyTag)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    return data if isinstance(data, dict) else None


def _configurations(root: FsPath, name: str) -> Iterator[dict[str, Any]]:
    """The project's MkDocs configuration, then each it INHERITs, as data ({} where one
    does not read)."""
    seen: set[FsPath] = set()
    path = root / name
    while path not in seen:
        seen.add(path)
        data = read_mkdocs_yml(path) or {}
        yield data
        parent = data.get("INHERIT")
        if not isinstance(parent, str):
            break
        path = (path.parent / parent).resolve()


def mkdocs_setting(root: FsPath, key: str, name: str = "mkdocs.yml") -> Any:
    """One setting of the project's MkDocs configuration, following INHERIT to the parent
    configurations; None where no readable file sets it."""
    return next((data[key] for data in _configurations(root, name)
                 if data.get(key) is not None), None)


def _merged(parent: Any, child: Any) -> Any:
    """``child`` over ``parent``, as MkDocs merges a configuration into the one it INHERITs:
    mappings key by key, anything else (a list of plugins) replaced."""
    if isinstance(parent, dict) and isinstance(child, dict):
        return {**parent, **{key: _merged(parent.get(key), value)
                             for key, value in child.items()}}
    return child


def _plugin_config(plugins: Any) -> dict[str, Any]:
    """The lecosite plugin's options in a 'plugins:' setting, a list or a mapping."""
    options = None
    if isinstance(plugins, dict):
        options = plugins.get("lecosite")
    elif isinstance(plugins, list):
        for item in plugins:
            if isinstance(item, dict) and "lecosite" in item:
                options = item["lecosite"]
                break
    return options if isinstance(options, dict) else {}


def page_options(root: FsPath, name: str = "mkdocs.yml") -> PageOptions:
    """Which of lecosite's pages the project's builds add, as the plugin's options in its
    MkDocs configuration say; the defaults where it sets none, or a value MkDocs refuses
    (the build stops on it)."""
    plugins: Any = None
    for data in reversed(list(_configurations(root, name))):
        if "plugins" in data:
            plugins = _merged(plugins, data["plugins"])
    options = _plugin_config(plugins)
    catalog, governance = options.get("catalog", True), options.get("governance", False)
    return PageOptions(catalog=catalog if isinstance(catalog, bool) else True,
                       governance=governance if isinstance(governance, bool)
                       or governance == "preview" else False)


def directory_urls(root: FsPath) -> bool:
    """Whether the project's portal publishes pages at folder addresses ('guides/help/'),
    MkDocs' default, or at their .html files: the check reads raw HTML's links from there."""
    value = mkdocs_setting(root, "use_directory_urls")
    return value if isinstance(value, bool) else True
