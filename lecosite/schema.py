"""The front-matter and path-file schemas, as JSON Schema, extended by the site's config.

One schema serves three jobs: validating files, exporting for editors (``lecosite schema``)
and documenting the fields. A site narrows it (allowed audiences, levels, tags), adds
required fields, or declares fields of its own.
"""

from __future__ import annotations

import copy
import difflib
import json
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import fastjsonschema

from lecosite.findings import ODD_SPACES, ZERO_WIDTH, excerpt, odd_space, odd_space_at, visible

if TYPE_CHECKING:  # jsonschema only explains invalid files: imported when one is found
    import jsonschema

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
SEMVER = r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$"
# What no e-mail address holds: spaces, an invisible character pasted with it (GitHub would
# match no account), and what comes with a copied link, name or HTML ('mailto:', '<…>', ',').
_NOT_IN_ADDRESS = r'\s<>()\[\]\\,;:"\u00ad\u200b-\u200d\u2060\ufeff'
_ADDRESS = rf"[^@{_NOT_IN_ADDRESS}]+@[^@{_NOT_IN_ADDRESS}]+\.[^@{_NOT_IN_ADDRESS}]+"
OWNER = rf"^(@[A-Za-z0-9][A-Za-z0-9-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?|{_ADDRESS})$"
DATE = r"^\d{4}-\d{2}-\d{2}$"

MODULE_STATUSES = ["draft", "review", "published", "deprecated", "retired"]
PATH_STATUSES = ["draft", "published", "retired"]
PATH_KINDS = ["course", "learning-plan", "certification"]
LEVELS = ["beginner", "intermediate", "advanced"]
SOURCE_KINDS = ["release-notes", "support-tickets", "docs", "sme", "other"]


# Text, not only spaces, zero-width ones included (the pattern is searched, not matched whole)
NOT_BLANK = r"[^\s\u200b\ufeff]"


def _text(description: str) -> dict[str, Any]:
    return {"type": "string", "pattern": NOT_BLANK, "description": description}


def _slug(description: str) -> dict[str, Any]:
    return {"type": "string", "pattern": SLUG, "description": description}


def _slugs(description: str) -> dict[str, Any]:
    return {"type": "array", "items": {"type": "string", "pattern": SLUG},
            "uniqueItems": True, "description": description}


_OWNERS = {
    "type": "array", "minItems": 1, "uniqueItems": True,
    "items": {"type": "string", "pattern": OWNER},
    "description": "Who answers for this: '@handle', '@org/team' or an e-mail address.",
}
_VERSION = {"type": "string", "pattern": SEMVER,
            "description": "Semantic version MAJOR.MINOR.PATCH, e.g. 1.2.0."}
_DATE = {"type": "string", "pattern": DATE, "format": "date", "description": "YYYY-MM-DD"}
_CHANGELOG = {
    "type": "array",
    "description": "Newest first; each entry is 'VERSION: what changed'.",
    "items": {"type": "object", "minProperties": 1, "maxProperties": 1,
              "propertyNames": {"pattern": SEMVER},
              "additionalProperties": {"type": "string", "pattern": NOT_BLANK}},
}
_REVIEW_EVERY = {"type": "integer", "minimum": 1, "maximum": 120,
                 "description": "Months between reviews: a module's review date is its "
                 "last_reviewed plus this, where it writes no review_by."}
_AUDIENCE = {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"type": "string"},
             "description": "Who the content is for."}
_LEVEL = {"type": "string", "enum": LEVELS, "description": "How much the learner must know."}

#: A language tag as captions name it: en, pt-BR, zh-Hant.
LANG = r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$"
_CAPTION = {
    "type": "object", "additionalProperties": False, "required": ["lang"],
    "properties": {
        "lang": {"type": "string", "pattern": LANG,
                 "description": "Language tag, e.g. en or pt-BR."},
        "label": _text("Name shown in the player's caption menu, e.g. English."),
        "src": _text("WebVTT file (needed for self-hosted video; YouTube/Vimeo hold their own)."),
    },
}

_SHARE = {"type": "number", "minimum": 0, "maximum": 1}
_COMPLETION = {
    "type": "object", "additionalProperties": False,
    "description": "When the module counts as complete, beyond 'Mark complete'.",
    "properties": {
        "check": {**_SHARE, "description": "Score (0–1) its knowledge checks need; the "
                  "module cannot be completed before that."},
        "video": {**_SHARE, "description": "Share (0–1) of the video watched that completes "
                  "the module."},
    },
}

MODULE: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://lecosite.dev/schema/module.json",
    "title": "lecosite module front matter",
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "title", "summary", "owners", "version", "status", "goal",
                 "objectives", "duration"],
    "properties": {
        "id": _slug("Unique module id (lowercase words joined by '-'); the module's URL."),
        "title": _text("Title shown to learners."),
        "summary": _text("One or two sentences: what search engines and link previews "
                         "show of the module's page."),
        "owners": _OWNERS,
        "version": _VERSION,
        "status": {"type": "string", "enum": MODULE_STATUSES},
        "goal": _text("The one-sentence learning goal."),
        "objectives": {"type": "array", "minItems": 1, "uniqueItems": True,
                       "items": {"type": "string", "pattern": NOT_BLANK},
                       "description": "Observable outcomes, each starting with a verb."},
        "duration": {"type": "integer", "minimum": 1, "maximum": 600,
                     "description": "Minutes a learner needs, video included."},
        "audience": _AUDIENCE,
        "level": _LEVEL,
        "tags": _slugs("Topics: the catalog's Topic filter finds the paths with this module "
                       "by them, and search ranks the module first for them."),
        "prerequisites": _slugs("Ids of modules to take first."),
        "video": {
            "type": "object", "additionalProperties": False, "required": ["src"],
            "description": "The module's video, as indented lines under 'video:': 'src:' (a "
                           "YouTube or Vimeo URL, or a file next to the module), 'captions:' "
                           "and, optionally, 'title:', 'length:', 'poster:', 'transcript:'.",
            "properties": {
                "src": _text("YouTube or Vimeo URL, or a .mp4/.webm file next to the module."),
                "title": _text("Title of the player (defaults to the module title)."),
                "length": {"type": "integer", "minimum": 1, "description": "Seconds."},
                "poster": _text("Image shown before the video plays."),
                "captions": {"type": "array", "items": _CAPTION},
                "transcript": _text("Transcript text, or a .txt/.md file next to the module."),
            },
        },
        "sources": {
            "type": "array",
            "description": "Where the content came from: release notes, ticket categories, docs.",
            "items": {
                "type": "object", "additionalProperties": False, "required": ["kind", "title"],
                "properties": {
                    "kind": {"type": "string", "enum": SOURCE_KINDS},
                    "title": _text("What the source is."),
                    "url": {"type": "string", "pattern": r"^https?://",
                            "description": "A web address starting with https://, e.g. "
                                           "https://docs.example.com/connect/ports."},
                },
            },
        },
        "last_reviewed": _DATE,
        "review_by": _DATE,
        "changelog": _CHANGELOG,
        "replaced_by": _slug("For deprecated or retired modules: the module that replaces it."),
        "completion": _COMPLETION,
    },
}

_MODULE_LIST = {"type": "array", "minItems": 0, "items": {"type": "string", "pattern": SLUG},
                "description": "Module ids, in the order learners take them."}

PATH: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://lecosite.dev/schema/path.json",
    "title": "lecosite path (course, learning plan or certification)",
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "title", "kind", "summary", "goal", "owners", "version"],
    "properties": {
        "id": _slug("Unique path id; the path's URL."),
        "title": _text("Title shown to learners."),
        "kind": {"type": "string", "enum": PATH_KINDS},
        "status": {"type": "string", "enum": PATH_STATUSES},
        "summary": _text("One or two sentences, shown on the path's page (and in link "
                         "previews)."),
        "goal": _text("The one-sentence learning goal."),
        "owners": _OWNERS,
        "version": _VERSION,
        "audience": _AUDIENCE,
        "level": _LEVEL,
        "tags": _slugs("Topics: the catalog's Topic filter finds the path by them (and by "
                       "its modules')."),
        "modules": _MODULE_LIST,
        "sections": {
            "type": "array",
            "description": "Named groups of modules: '- title: …' lines, each with its "
                           "'modules:' list indented under it.",
            "items": {"type": "object", "additionalProperties": False,
                      "required": ["title", "modules"],
                      "properties": {"title": _text("Section heading."),
                                     "modules": _MODULE_LIST}},
        },
        "requires": _slugs("Certifications: ids of paths or modules that must be completed."),
        "pass_mark": {"type": "number", "minimum": 0, "maximum": 1,
                      "description": "Certifications: share of check points needed to pass."},
        # A certificate always shows the date it expires on (a certification has to set
        # valid_for, LS206); past some thousand years the page's date is none a browser can
        # show, and the certificate did not appear at all.
        "valid_for": {"type": "integer", "minimum": 1, "maximum": 1200,
                      "description": "Certifications: months the certificate stays valid, "
                      "at most 1200 (100 years); every certificate shows when it expires, so "
                      "for one meant to last, write 1200."},
        "changelog": _CHANGELOG,
        "review_every": {**_REVIEW_EVERY, "description": "Months between reviews of the "
                         "path's modules (the strictest cadence that applies wins)."},
    },
    "not": {"required": ["modules", "sections"]},
}

DEFAULTS_FILE = "_defaults.yml"
DEFAULTS_FIELDS = ("owners", "audience", "level", "tags")


def defaults_schema(module: dict[str, Any]) -> dict[str, Any]:
    """A folder's _defaults.yml: the module fields it may set (as the site's module schema
    narrows them) and the folder's review cadence."""
    props = {name: module["properties"][name] for name in DEFAULTS_FIELDS
             if name in module["properties"]}
    return {"type": "object", "additionalProperties": False,
            "properties": {**props, "review_every": _REVIEW_EVERY}}


VOCABULARY = ("audience", "level", "tags")  # what a site narrows for paths as for modules


def path_schema(ext: dict[str, Any]) -> dict[str, Any]:
    """The path schema with the site's audiences, levels and tags: the catalog filters
    modules and paths by the same words, and folder defaults may set them on both."""
    return extended(PATH, {key: ext[key] for key in VOCABULARY if key in ext})


def extended(base: dict[str, Any], ext: dict[str, Any]) -> dict[str, Any]:
    """The base schema narrowed and extended by a site's ``schema:`` config block."""
    schema = copy.deepcopy(base)
    props = schema["properties"]
    for name, spec in (ext.get("fields") or {}).items():
        props[name] = spec
    for name in ext.get("required") or []:
        if name not in schema["required"]:
            schema["required"].append(name)
    for key in ("audience", "tags"):
        allowed = ext.get(key)
        if allowed and key in props:
            props[key]["items"] = {**props[key]["items"], "enum": list(allowed)}
    if ext.get("level") and "level" in props:
        props["level"]["enum"] = list(ext["level"])
    return schema


def fast_validator(schema: dict[str, Any]) -> Callable[[Any], Any]:
    """``schema`` compiled by fastjsonschema (cached): it stops at the first problem, many
    times faster than jsonschema, which is then run (and imported) only to explain it."""
    return _compiled(json.dumps(schema, sort_keys=True))


@lru_cache(maxsize=8)
def _compiled(frozen: str) -> Callable[[Any], Any]:
    validate: Callable[[Any], Any] = fastjsonschema.compile(json.loads(frozen),
                                                             formats={"date": DATE})
    return validate


def whole_numbers(data: Any, spec: dict[str, Any]) -> Any:
    """``data`` with each whole number written with a point (``duration: 8.0``) made an int
    where ``spec`` asks for an integer, changed in place. JSON Schema counts 8.0 an integer,
    so it passes the check; what reads the value after it wants an int (months, minutes,
    seconds), and took a float for no value. 8.5 stays, for the check to refuse."""
    if isinstance(data, float):
        return int(data) if data.is_integer() and _wants_integer(spec) else data
    if isinstance(data, dict):
        props, other = spec.get("properties"), spec.get("additionalProperties")
        for key, value in data.items():
            inner = props.get(key, other) if isinstance(props, dict) else other
            if isinstance(inner, dict):
                data[key] = whole_numbers(value, inner)
    elif isinstance(data, list) and isinstance(spec.get("items"), dict):
        for index, item in enumerate(data):
            data[index] = whole_numbers(item, spec["items"])
    return data


def _wants_integer(spec: dict[str, Any]) -> bool:
    """Whether the spec takes integers but not other numbers (a site's field may list types)."""
    kinds = spec.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return "integer" in kinds and "number" not in kinds


def field_name(path: tuple[str | int, ...]) -> str:
    """'video.captions[1].lang': where a schema error is, as an author reads it."""
    if len(path) == 3 and path[0] == "changelog" and isinstance(path[2], str):
        return f"changelog entry {path[2]}"  # '- 1.2.0: note' is a one-key mapping
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (("." if out else "") + part)
    return out or "file"


_TYPE_WORDS = {"string": "text", "integer": "a whole number", "number": "a number",
               "array": "a list", "object": "a set of 'key: value' fields", "boolean": "true/false"}


# bool before int: True is an int to Python, not to an author.
_KINDS = ((bool, "true/false"), (int, "a whole number"), (float, "a decimal number"),
          (str, "text"), (list, "a list"), (dict, "'key: value' fields"))


def _kind(value: Any) -> str:
    return next((word for kind, word in _KINDS if isinstance(value, kind)), "empty")


def repeated(items: list[Any]) -> int:
    """The index of the first item that repeats an earlier one (-1: none does); as JSON
    Schema compares them: 1 and true differ."""
    seen: list[str] = []
    for index, item in enumerate(items):
        key = json.dumps(item, sort_keys=True, default=str)
        if key in seen:
            return index
        seen.append(key)
    return -1


def describe(error: jsonschema.ValidationError) -> str:
    """What is wrong with a value, in an author's words: jsonschema's own are a
    programmer's ("'six' is not of type 'integer'")."""
    value = error.instance
    odd = odd_space(value) if isinstance(value, str) else None
    if odd is None or error.validator_value == NOT_BLANK:
        return _describe(error, value)
    # repr() would show '\xa0': show what a reader sees, then say what it is and what to do
    index, name = odd
    plain = "".join("" if c in ZERO_WIDTH else " " if c in ODD_SPACES else c for c in value)
    where = odd_space_at(value, index)
    code = f"U+{ord(value[index]):04X}"
    spaceless = error.validator == "pattern" and error.validator_value in _SPACELESS
    # At the start or the end of a value, as in a space-less one, no space is meant at all;
    # inside one it may be a slip of the keyboard ('pub\u00a0lished').
    bare = ("".join(c for c in value if c not in ODD_SPACES) if spaceless or where == "in it"
            else value.strip("".join(ODD_SPACES) + " \t"))
    if _passes(error, bare):
        return f"is '{visible(value)}': delete the {name} ({code}) {where}"
    if where == "in it" and value[index] not in ZERO_WIDTH and _passes(error, plain):
        return f"is '{visible(value)}': type a plain space in place of the {name} ({code})"
    if error.validator == "enum":  # neither fix makes it a choice: the one meant is named
        return _describe(error, plain, bare)
    if spaceless or where != "in it" or value[index] in ZERO_WIDTH:
        return f"{_describe(error, plain)}; it has a {name} {where}: delete it"
    return f"{_describe(error, plain)}; it has a {name} in it: type a plain space instead"


def _passes(error: jsonschema.ValidationError, text: str) -> bool:
    """Whether ``text`` passes the pattern or the list of values that the value failed."""
    if error.validator == "pattern":
        return re.search(str(error.validator_value), text) is not None
    return error.validator == "enum" and text in error.validator_value


# Ids, owners, versions, dates and language tags: a space of any kind is never part of them.
_SPACELESS = (SLUG, OWNER, SEMVER, DATE, LANG)


def _describe(error: jsonschema.ValidationError, value: Any, meant: Any = None) -> str:
    """The words for ``value`` as shown; a choice's closest is found for ``meant``, where
    given: the value with its odd spaces taken out, which is what the author typed."""
    shown = repr(value) if not isinstance(value, (dict, list)) else _kind(value)
    v = error.validator
    if v == "type":
        wanted = _TYPE_WORDS.get(str(error.validator_value), str(error.validator_value))
        if value is None:
            return f"is empty; it must be {wanted}"
        if isinstance(value, bool) and error.validator_value == "string":
            return ("must be text, but YAML reads the word written here as true/false (it "
                    "does so with yes, no, on, off, true and false): put it in quotes")
        if isinstance(value, (dict, list)):
            return f"must be {wanted}, not {_kind(value)}"
        return f"must be {wanted}, not {_kind(value)} ({shown})"
    if v == "enum":
        choices = [str(choice) for choice in error.validator_value]
        close = _closest(meant if meant is not None else value, choices)
        guess = f"; did you mean '{close}'?" if close else ""
        return f"is {shown}, which is not one of: {', '.join(choices)}{guess}"
    if v == "pattern" and error.validator_value == NOT_BLANK:
        return "must not be empty" if value == "" else "is only spaces; it must be text"
    if v == "pattern":
        if isinstance(value, str) and any(q in value for q in "“”‘’"):
            return f"is {shown}: its curly quotes (“ ”, as word processors type them) are " \
                   "read as part of the text; use straight quotes (\") or none"
        form = _pattern_fix(str(error.validator_value), value) if isinstance(value, str) else ""
        return f"is {shown}, {form or 'which is not in the expected form'}"
    if v in ("minItems",):
        return "must not be empty"
    if v == "minLength":
        return "must not be empty"
    if v == "uniqueItems":
        twice = value[repeated(value)]
        return f"lists '{excerpt(twice)}' twice" if isinstance(twice, str) else \
            "lists an entry twice"
    if v in ("minimum", "maximum"):
        return f"is {shown}; it must be {'at least' if v == 'minimum' else 'at most'} " \
               f"{error.validator_value}"
    if v in ("minProperties", "maxProperties"):
        return "must be exactly one 'version: note' pair"
    return error.message


def _closest(value: Any, choices: list[str]) -> str | None:
    """The choice a misspelt ``value`` most likely is ('in review': review), letter case
    aside; None when none is near."""
    if not isinstance(value, str):
        return None
    folded = {choice.casefold(): choice for choice in reversed(choices)}
    close = difflib.get_close_matches(value.casefold(), list(folded), n=1)
    return folded[close[0]] if close else None


# -- what to write instead of a value that fails a pattern (only ever run on an error) ------

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_YMD = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_DMY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_LANG_WORDS = {"english": "en", "french": "fr", "français": "fr", "francais": "fr",
               "german": "de", "deutsch": "de", "spanish": "es", "español": "es",
               "espanol": "es", "portuguese": "pt", "português": "pt", "italian": "it",
               "italiano": "it", "dutch": "nl", "nederlands": "nl", "japanese": "ja",
               "chinese": "zh", "korean": "ko", "polish": "pl", "swedish": "sv"}


def _pattern_fix(pattern: str, value: str) -> str:
    """The end of a message for ``value``, which fails ``pattern``: what it should be, in
    the form it is written in ('' when there is nothing better to say than the hint)."""
    fix = {DATE: _date_fix, LANG: _lang_fix, OWNER: _owner_fix, SLUG: _slug_fix,
           SEMVER: _version_fix}.get(pattern)
    return fix(value.strip()) if fix is not None else ""


def _iso(year: str, month: str, day: str) -> str | None:
    """'2027-04-01', where the three make a real date."""
    from datetime import date

    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _date_fix(value: str) -> str:
    """'2027-4-1' → 2027-04-01; '12/03/2026' is 12 March in most of the world and
    December 3 in the US: both readings are shown, as only the author knows which is meant."""
    if found := _YMD.fullmatch(value):
        iso = _iso(*found.groups())
        return f"which is not written YYYY-MM-DD: write {iso}" if iso else ""
    if found := _DMY.fullmatch(value):
        first, second, year = found.groups()
        day_first, month_first = _iso(year, second, first), _iso(year, first, second)
        if day_first and month_first and day_first != month_first:
            return (f"which is {int(first)} {_MONTHS[int(second) - 1]} where the day comes "
                    f"first, and {_MONTHS[int(first) - 1]} {int(second)} where the month "
                    f"does: write {day_first} or {month_first} (YYYY-MM-DD), whichever is meant")
        iso = day_first or month_first
        return f"which is not written YYYY-MM-DD: write {iso}" if iso else ""
    return "which is not a date written YYYY-MM-DD"


def _lang_fix(value: str) -> str:
    """'en_US' → en-US, 'EN' → en, 'English' → en."""
    word = _LANG_WORDS.get(value.casefold())
    if word is None:
        primary, *rest = re.split(r"[-_\s]+", value) or [value]
        word = "-".join([primary.lower(), *(p.upper() if len(p) == 2 else
                                             p.title() if len(p) == 4 else p for p in rest)])
    if word != value and re.match(LANG, word):
        return f"which is not a language tag as players read it: write {word}"
    return "which is not a language tag (en, pt-BR)"


def _owner_fix(value: str) -> str:
    """What is wrong with an owner that is neither '@handle', '@org/team' nor an e-mail."""
    if re.match(OWNER, value):
        return ""  # only an odd space keeps it from being one: describe() names it
    parts = [part for part in re.split(r"[\s,;]+", value) if part]
    if len(parts) > 1 and all(re.match(OWNER, part) for part in parts):
        items = ", ".join(f'"{part}"' for part in parts)
        return f"which is {len(parts)} owners in one: write each as an item of its own: [{items}]"
    if value[:7].lower() == "mailto:":
        address = value[7:]
        return (f"which is a mail link: write {address}, without mailto:"
                if re.match(OWNER, address) else "which is a mail link: write the address "
                "alone, without mailto:")
    if value.startswith("@") and "@" in value[1:]:
        return f"which is an e-mail address with an '@' too many: write {value[1:]}"
    if " " in value.strip("@") and "@" not in value.strip("@"):
        return ("which reads as a name: write the person's or team's GitHub handle "
                "('@handle', '@org/team') or e-mail address")
    if value.startswith("@"):
        handle = value[1:].split("/", 1)[0]
        odd = next((c for c in handle if not (c.isascii() and (c.isalnum() or c == "-"))), None)
        if odd is not None:
            dashed = re.sub(r"[^A-Za-z0-9-]+", "-", handle).strip("-") or "name"
            return (f"which is no GitHub handle: a handle has only letters, digits and "
                    f"'-', no '{odd}'; write the handle as GitHub shows it (e.g. '@{dashed}'), "
                    f"or the person's e-mail address (e.g. {handle}@example.com)")
        return ""
    if "@" in value:
        named = re.search(rf"<({_ADDRESS})>", value)  # 'Maria Lopez <maria@example.com>'
        if named:
            return f"which is a name and an address: write the address alone, {named[1]}"
        odd = re.search(rf"[{_NOT_IN_ADDRESS}]", value)
        if odd:
            char = "space" if odd[0].isspace() else f"'{odd[0]}'"
            return (f"which is not an e-mail address: an address has no {char} (nor spaces, "
                    "quotes or HTML); write it alone, e.g. name@example.com")
        return "which is not a whole e-mail address: it needs a domain, e.g. name@example.com"
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?", value):
        return f"which needs an '@' in front to be a GitHub handle: write '@{value}'"
    return ""


def as_slug(value: str) -> str:
    """The id ``value`` most likely means: 'Connect Check_Ports' → connect-check-ports,
    'mod-bé' → mod-be (not mod-b: an accent is dropped, not its letter)."""
    letters = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", letters.lower()))


def _slug_fix(value: str) -> str:
    """'Connect Check_Ports' → connect-check-ports."""
    slug = as_slug(value)
    if slug and slug != value:
        return f"which is not an id (lowercase letters, digits and '-'): write {slug}"
    return ""


def _version_fix(value: str) -> str:
    """'1.0' or 'v1.2.0' → 1.0.0 / 1.2.0."""
    found = re.fullmatch(r"[vV]?(\d+)(?:\.(\d+))?(?:\.(\d+))?", value)
    if found is None:
        return ""
    major, minor, patch = (int(part or 0) for part in found.groups())
    return f"which is not MAJOR.MINOR.PATCH: write {major}.{minor}.{patch}"
