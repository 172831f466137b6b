"""xAPI 1.0.3 vocabulary, activity ids, statement builders and validation.

The one place lecosite names a verb, extension or activity type: the collector validates
with it, the report reads with it, the tests build expectations with it, and the beacon
gets the same tables through the config at the top of the generated ``lecosite.js``
(:func:`config_js`, :mod:`lecosite.scripts`), so no IRI is written twice.
"""

from __future__ import annotations

import json
import math
import re
import uuid
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from lecosite.schema import SEMVER

XAPI_VERSION = "1.0.3"
DEFAULT_DB = "lecosite-statements.sqlite"  # where `collect`, `serve` and `report` meet

_ADL = "http://adlnet.gov/expapi/verbs/"
_VIDEO = "https://w3id.org/xapi/video/"
_LS = "https://lecosite.dev/xapi/extensions/"

#: Short name (also the display text the beacon sends) -> verb IRI.
VERBS: dict[str, str] = {
    "experienced": _ADL + "experienced",  # a page view
    "terminated": _ADL + "terminated",  # a view ended; result.duration = time on page (cmi5)
    "completed": _ADL + "completed",  # module completed; video watched past the threshold
    "answered": _ADL + "answered",  # one knowledge-check question
    "passed": _ADL + "passed",  # a knowledge check as a whole
    "failed": _ADL + "failed",
    # "Was this helpful?", answered as a likert question (ADL has no verb for rating).
    "responded": _ADL + "responded",
    "initialized": _ADL + "initialized",  # video profile: player ready
    "played": _VIDEO + "verbs/played",
    "paused": _VIDEO + "verbs/paused",
    "seeked": _VIDEO + "verbs/seeked",
    # "Undo" on a completion: the completed statement is voided, as xAPI takes one back.
    "voided": _ADL + "voided",
}
VERB_NAMES: dict[str, str] = {iri: name for name, iri in VERBS.items()}

#: Short name -> extension IRI (result or context, as the video profile places them).
EXTENSIONS: dict[str, str] = {
    "version": _LS + "version",  # context: the module's (or path's) content version
    "objective": _LS + "objective",  # context of `answered`: the objective a question tests
    "comment": _LS + "comment",  # result of a rating: what the learner wrote
    "time": _VIDEO + "extensions/time",
    "progress": _VIDEO + "extensions/progress",
    "segments": _VIDEO + "extensions/played-segments",
    "from": _VIDEO + "extensions/time-from",
    "to": _VIDEO + "extensions/time-to",
    "length": _VIDEO + "extensions/length",
    "threshold": _VIDEO + "extensions/completion-threshold",
    "session": _VIDEO + "extensions/session-id",
}

#: Short name -> activity type IRI.
TYPES: dict[str, str] = {
    "module": "http://adlnet.gov/expapi/activities/module",
    "path": "http://adlnet.gov/expapi/activities/course",
    "page": "http://activitystrea.ms/schema/1.0/page",
    "video": "https://w3id.org/xapi/video/activity-type/video",
    "check": "http://adlnet.gov/expapi/activities/assessment",
    "question": "http://adlnet.gov/expapi/activities/cmi.interaction",
    "profile": "http://adlnet.gov/expapi/activities/profile",
}

VIDEO_PROFILE = "https://w3id.org/xapi/video"  # the category activity of video statements
DEFAULT_THRESHOLD = 0.9
MAX_STATEMENT_BYTES = 32 * 1024
MAX_RESPONSE_CHARS = 4000
MAX_COMMENT_CHARS = 999  # as the rating form (tracking.js) cuts a comment

# -- activity ids ---------------------------------------------------------------------------


def site_base(site: str) -> str:
    """The site URL as activity ids start: always ending in one '/'."""
    return site.rstrip("/") + "/"


def module_iri(site: str, module_id: str) -> str:
    return f"{site_base(site)}modules/{module_id}/"


def path_iri(site: str, path_id: str) -> str:
    return f"{site_base(site)}paths/{path_id}/"


def video_iri(page_iri: str, index: int = 0) -> str:
    """The n-th video on a page: ``<page>video``, then ``<page>video/2``…"""
    return page_iri + "video" + (f"/{index + 1}" if index else "")


def check_iri(site: str, module_id: str) -> str:
    return module_iri(site, module_id) + "check"


def question_iri(site: str, module_id: str, question: str) -> str:
    # The same characters JavaScript's encodeURIComponent leaves alone.
    return check_iri(site, module_id) + "/" + quote(str(question), safe="!~*'()")


def rating_activity(site: str, module_id: str) -> dict[str, Any]:
    """The module's "Was this helpful?" question: a likert interaction, answered 1 to 5."""
    return {"id": module_iri(site, module_id) + "rating",
            "definition": {"type": TYPES["question"], "interactionType": "likert"}}


def rating_result(score: int, comment: str | None = None) -> dict[str, Any]:
    """A rating as the beacon sends it: the chosen item, as score and as likert response."""
    out: dict[str, Any] = {"score": {"raw": score, "min": 1, "max": 5}, "response": str(score)}
    if comment:
        out["extensions"] = {EXTENSIONS["comment"]: comment}
    return out


# Videos as video_iri numbers them: a `video/1` or `video/01` is no video of lecosite's.
_ACTIVITY = re.compile(r"/(modules|paths)/([a-z0-9][a-z0-9-]*)/"
                       r"(video(?:/[2-9]|/[1-9]\d+)?|check(?:/.*)?|rating)?$")


def parse_activity(iri: str) -> tuple[str, str, str] | None:
    """('module'|'path', id, rest) for a lecosite activity id, whatever the site; else None.

    ``rest`` is '' for the module or path itself, 'video', 'video/2', 'check',
    'check/<question>' or 'rating'. The report uses this to attribute statements from any LRS.
    """
    match = _ACTIVITY.search(iri) if isinstance(iri, str) else None
    if not match:
        return None
    kind = "module" if match.group(1) == "modules" else "path"
    return kind, match.group(2), match.group(3) or ""


# -- builders (the shapes beacon.js sends) ---------------------------------------------------


def new_id() -> str:
    return str(uuid.uuid4())


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def duration(seconds: float) -> str:
    """ISO 8601 duration as the beacon writes it: 'PT12.3S'."""
    value = round(max(seconds, 0.0), 1)
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return f"PT{text}S"


def parse_duration(text: Any) -> float | None:
    """Seconds in an ISO 8601 duration (years/months approximated); None if not one."""
    if not isinstance(text, str):
        return None
    match = _DURATION.match(text)
    if not match or text in ("P", "PT") or text.endswith("T"):
        return None
    if any("." in part for part in match.groups()[:(match.lastindex or 1) - 1] if part):
        return None  # ISO 8601: only the smallest part given may have a fraction
    factors = (365 * 86400, 30 * 86400, 7 * 86400, 86400, 3600, 60, 1)
    seconds = sum(float(g) * f for g, f in zip(match.groups(), factors, strict=True) if g)
    return seconds if math.isfinite(seconds) else None


def parse_timestamp(text: Any) -> datetime | None:
    """A statement's time, zone-aware so offsets compare right (10:00+02:00 is before
    09:00Z; no offset is UTC); None if none or unreadable."""
    if not isinstance(text, str):
        return None
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def happened(stmt: dict[str, Any]) -> datetime | None:
    """When a statement's experience happened: its timestamp, but never after the LRS stored
    it (a learner's clock set years ahead would otherwise win every "latest" forever)."""
    times = [t for t in (parse_timestamp(stmt.get("timestamp")),
                         parse_timestamp(stmt.get("stored"))) if t is not None]
    return min(times) if times else None


# The beacon leaves out what xAPI defaults (objectType Agent/Activity) and the verb's
# display: bytes in every page. These builders make exactly the beacon's shapes.


def actor(site: str, name: str) -> dict[str, Any]:
    """The anonymous learner: a random id scoped to the site, never a person's identity."""
    return {"account": {"homePage": site_base(site), "name": name}}


def activity(iri: str, kind: str) -> dict[str, Any]:
    return {"id": iri, "definition": {"type": TYPES[kind]}}


def context(site: str, *, version: str | None = None, path: str | None = None,
            parent: list[dict[str, Any]] | None = None,
            category: list[dict[str, Any]] | None = None,
            extensions: dict[str, Any] | None = None) -> dict[str, Any]:
    """Module/path version in extensions, the learner's path in grouping (both always there,
    possibly empty, as the beacon sends them)."""
    activities: dict[str, Any] = {}
    if path:
        activities["grouping"] = [activity(path_iri(site, path), "path")]
    if parent:
        activities["parent"] = parent
    if category:
        activities["category"] = category
    ext: dict[str, Any] = {}
    if version is not None:
        ext[EXTENSIONS["version"]] = version
    for key, value in (extensions or {}).items():
        ext[EXTENSIONS.get(key, key)] = value
    return {"contextActivities": activities, "extensions": ext}


def statement(verb: str, obj: dict[str, Any], *, actor: dict[str, Any],
              context: dict[str, Any] | None = None, result: dict[str, Any] | None = None,
              timestamp: str | None = None, statement_id: str | None = None) -> dict[str, Any]:
    """A statement in the beacon's shape; ``verb`` is a short name from :data:`VERBS`."""
    out: dict[str, Any] = {
        "id": statement_id or new_id(),
        "timestamp": timestamp or now_iso(),
        "actor": actor,
        "verb": {"id": VERBS[verb]},
        "object": obj,
    }
    if context is not None:
        out["context"] = context
    if result:
        out["result"] = result
    return out


def video_result(**values: Any) -> dict[str, Any]:
    """Result extensions by short name (time, progress, segments, from, to)."""
    return {"extensions": {EXTENSIONS[k]: v for k, v in values.items()}}


def segments_text(segments: list[tuple[float, float]]) -> str:
    """The video profile's played-segments string: '0[.]5.2[,]7[.]12'."""
    return "[,]".join(f"{_num(a)}[.]{_num(b)}" for a, b in segments)


def parse_segments(text: Any) -> list[tuple[float, float]]:
    """Segments from a played-segments string; malformed parts are skipped."""
    out: list[tuple[float, float]] = []
    if not isinstance(text, str):
        return out
    for part in text.split("[,]"):
        bounds = part.split("[.]")
        if len(bounds) != 2:
            continue
        try:
            start, end = float(bounds[0]), float(bounds[1])
        except ValueError:
            continue
        if math.isfinite(start) and math.isfinite(end) and end >= start >= 0:
            out.append((start, end))
    return out


def _num(value: float) -> str:
    return f"{round(value, 3):.3f}".rstrip("0").rstrip(".")


# -- the beacon's configuration --------------------------------------------------------------


def statements_endpoint(collector: str) -> str:
    """The URL the beacon POSTs to: a collector base URL gets ``xapi/statements`` appended."""
    if collector.rstrip("/").endswith("/statements"):
        return collector.rstrip("/")
    return collector.rstrip("/") + "/xapi/statements"


def beacon_config(site: str, collector: str | None,
                  threshold: float = DEFAULT_THRESHOLD) -> dict[str, Any]:
    """What ``window.lecosite`` holds: settings, and every IRI the beacon sends, by short
    name in one table (verbs, extensions, activity types, and ``videoProfile``), so the JS
    never copies one.

    Activity ids must be absolute IRIs, so a beacon that sends needs the site's own URL:
    ValueError when ``collector`` is set and ``site`` is not an http(s) URL.
    """
    if collector and not re.match(r"^https?://[^/\s]+", site or ""):
        raise ValueError("the beacon needs the site's URL (site_url in mkdocs.yml) to name "
                         f"activities; got {site!r}")
    if not 0 < threshold <= 1:
        raise ValueError(f"the video completion threshold must be in (0, 1]; got {threshold}")
    return {
        "site": site_base(site),
        "collector": statements_endpoint(collector) if collector else None,
        "threshold": threshold,
        "iri": {**VERBS, **EXTENSIONS, **TYPES, "videoProfile": VIDEO_PROFILE},
    }


def _on_this_machine(host: str) -> bool:
    return host in ("localhost", "::1") or host.endswith(".localhost") or host.startswith("127.")


def beacon_warnings(site: str, collector: str | None, *, preview: bool = False) -> list[str]:
    """Why learners' browsers would send nothing with this site and collector, or send what
    a report cannot match, each with what to do: the build succeeds all the same."""
    if not collector:
        return []
    page, to = urlsplit(site or ""), urlsplit(collector)
    page_host, to_host = page.hostname or "", to.hostname or ""
    if not page_host:
        return []
    if _on_this_machine(page_host):
        if _on_this_machine(to_host) or preview:
            return []
        return [f"the portal's site_url {site} is this machine, but the collector {collector} "
                "is not: every statement would name this machine's address, which a report "
                "on the deployed portal does not match. Set site_url in mkdocs.yml to the "
                "portal's public address."]
    if preview:
        return [f"this preview is served at {site}, but only visits from this machine are "
                "recorded: its collector listens on this machine, and browsers send usage "
                "data only from https pages. Open it at http://127.0.0.1:<port>/ to record "
                "your visits, or serve with --no-collect."]
    found = []
    if _on_this_machine(to_host):
        found.append(f"the collector {collector} is on this machine, but the portal's site_url "
                     f"{site} is not: each learner's browser would post to its own computer. "
                     "Set collector to the collector's public address.")
    elif page.scheme == "https" and to.scheme == "http":
        found.append(f"the collector {collector} is plain http, and the portal ({site}) is "
                     "https: browsers block those requests (mixed content). Serve the "
                     "collector over https, e.g. behind the portal's own reverse proxy.")
    if page.scheme == "http":
        found.append(f"the portal's site_url {site} is plain http: browsers send usage data "
                     "only from https pages (or from this machine), so analytics stay silent. "
                     "Serve the portal over https and set site_url to that address.")
    return found


def config_js(site: str, collector: str | None, threshold: float = DEFAULT_THRESHOLD) -> str:
    """The statement that sets ``window.lecosite``: the first line of the portal's script."""
    data = json.dumps(beacon_config(site, collector, threshold), separators=(",", ":"))
    # '<' escaped so the JSON can never close a <script> element it is inlined into.
    data = data.replace("<", "\\u003c")
    return f"window.lecosite=Object.assign(window.lecosite||{{}},{data});\n"


# -- validation ------------------------------------------------------------------------------


class StatementError(ValueError):
    """A statement the collector refuses; the message says what and where."""

    def __init__(self, message: str, where: str = "") -> None:
        super().__init__(f"{where}: {message}" if where else message)
        self.where = where


class StatementTooLarge(StatementError):
    """Past the size limit: HTTP's 413, not a 400 for a malformed statement."""


# \Z, not $: $ also matches before a final newline, which no LRS takes in an id or IRI.
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}"
                   r"-[0-9a-fA-F]{12}\Z")
# An absolute IRI as RFC 3987 has it (an LRS that checks less may still fail on the others:
# Ralph answers 500 to a homePage with '[' in its path, and would stop the relay).
_UCS = ("\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef"
        + "".join(f"\\U{p:04x}0000-\\U{p:04x}fffd" for p in range(1, 14))
        + "\\U000e1000-\\U000efffd")
_PRIVATE = "\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd"
_PCHAR = rf"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@{_UCS}]|%[0-9A-Fa-f]{{2}})"
_IRI = (
    rf"[A-Za-z][A-Za-z0-9+.-]*:"  # scheme
    rf"(?://(?:(?:[A-Za-z0-9\-._~!$&'()*+,;=:{_UCS}]|%[0-9A-Fa-f]{{2}})*@)?"  # user info
    rf"(?:\[[0-9A-Za-z\-._~!$&'()*+,;=:]+\]|(?:[A-Za-z0-9\-._~!$&'()*+,;={_UCS}]"
    rf"|%[0-9A-Fa-f]{{2}})*)(?::[0-9]*)?"  # host (an IP literal in brackets) and port
    rf"(?:/{_PCHAR}*)*|(?!//)(?:/|{_PCHAR})*)"  # path, after an authority or without one
    rf"(?:\?(?:[/?{_PRIVATE}]|{_PCHAR})*)?(?:#(?:[/?]|{_PCHAR})*)?"  # query, fragment
)
# re.ASCII throughout: \d would take '٣' for 3, and IGNORECASE the Kelvin sign for 'k'.
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})\Z",
                        re.ASCII)
_DURATION = re.compile(r"^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?"
                       r"(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?"
                       r"(?:(\d+(?:\.\d+)?)S)?)?\Z", re.ASCII)
# A well-formed RFC 5646 language tag (as LRSes check it): language, script, region,
# variants, extensions, private use; or private use alone, or an irregular grandfathered tag.
_LANG = re.compile(r"^(?:(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})(?:-[a-z]{4})?"
                   r"(?:-(?:[a-z]{2}|\d{3}))?(?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*"
                   r"(?:-[a-wyz\d](?:-[a-z\d]{2,8})+)*(?:-x(?:-[a-z\d]{1,8})+)?"
                   r"|x(?:-[a-z\d]{1,8})+|en-gb-oed|sgn-(?:be-fr|be-nl|ch-de)"
                   r"|i-(?:ami|bnn|default|enochian|hak|klingon|lux|mingo|navajo|pwn|tao|tay|tsu)"
                   r")\Z", re.IGNORECASE | re.ASCII)
_SEGMENTS = re.compile(r"^(\d+(\.\d+)?\[\.\]\d+(\.\d+)?)(\[,\]\d+(\.\d+)?\[\.\]\d+(\.\d+)?)*\Z",
                       re.ASCII)
_VERSION = re.compile(r"^1\.0\.\d+\Z", re.ASCII)
# A module's or path's version, as its front matter must give it.
_CONTENT_VERSION = re.compile(SEMVER.removeprefix("^").removesuffix("$") + r"\Z", re.ASCII)
MAX_DEPTH = 16  # lists and objects in lists and objects: extensions may nest, not without end
MAX_DURATION_S = 366 * 86400  # a longer result.duration is a broken clock, not a visit

_TOP = {"id", "actor", "verb", "object", "result", "context", "timestamp", "version"}
_SERVER_SET = {"stored", "authority"}
_DEFINITION = {"name", "description", "type", "moreInfo", "extensions", "interactionType",
               "correctResponsesPattern", "choices", "scale", "source", "target", "steps"}
INTERACTION_TYPES = ("true-false", "choice", "fill-in", "long-fill-in", "matching", "performance",
                     "sequencing", "likert", "numeric", "other")
_COMPONENT_LISTS = ("choices", "scale", "source", "target", "steps")
_INTERACTION = {"interactionType", "correctResponsesPattern", *_COMPONENT_LISTS}
_CONTEXT = {"registration", "instructor", "team", "contextActivities", "revision", "platform",
            "language", "statement", "extensions"}
_CONTEXT_ACTIVITIES = {"parent", "grouping", "category", "other"}
_RESULT = {"score", "success", "completion", "response", "duration", "extensions"}


def _fail(where: str, message: str) -> StatementError:
    """Both may quote the client's input: cut short, so a 900 KB key is not echoed back."""
    return StatementError(_short(message), _short(where))


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _is_number(value: Any) -> bool:
    """A JSON number a JavaScript client and any LRS hold as a finite double."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return abs(value) <= 2 ** 53 if isinstance(value, int) else math.isfinite(value)


def _object(value: Any, where: str, keys: set[str] | None = None) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail(where, "must be an object")
    if keys is not None:
        extra = set(value) - keys
        if extra:
            raise _fail(where, f"unknown property {sorted(extra)[0]!r}")
    return value


def _iri(value: Any, where: str) -> str:
    if not isinstance(value, str) or not _is_iri(value):
        raise _fail(where, "must be an absolute IRI")
    return value


@lru_cache(maxsize=4096)
def _is_iri(value: str) -> bool:
    """Statements repeat the same few IRIs (verbs, types, the site, its modules)."""
    return len(value) <= 2048 and _iri_pattern().fullmatch(value) is not None


@lru_cache(maxsize=1)
def _iri_pattern() -> re.Pattern[str]:
    """Compiled on first use: its Unicode ranges take longer to compile than the rest of the
    module takes to import, and most commands that import it check no IRI."""
    return re.compile(_IRI)


def _is_language(tag: str) -> bool:
    """A valid RFC 5646 tag, but for the registry: well-formed, with no variant and no
    extension singleton twice (de-1901-1901 is well-formed, and invalid)."""
    if not _LANG.match(tag):
        return False
    parts = tag.lower().split("-")
    parts = parts[:parts.index("x")] if "x" in parts else parts
    first = next((i for i, part in enumerate(parts) if i and len(part) == 1), len(parts))
    variants = [p for p in parts[1:first] if len(p) >= 5 or (len(p) == 4 and p[0].isdigit())]
    singletons = [p for p in parts[first:] if len(p) == 1]
    return len(set(variants)) == len(variants) and len(set(singletons)) == len(singletons)


def _lang_map(value: Any, where: str) -> None:
    for lang, text in _object(value, where).items():
        if not _is_language(lang) or not isinstance(text, str) or len(text) > 1000:
            raise _fail(where, "must map language tags to short strings")


def _extensions(value: Any, where: str) -> dict[str, Any]:
    ext = _object(value, where)
    for key in ext:
        _iri(key, f"{where}.{key}")
    return ext


def _activity(value: Any, where: str) -> None:
    act = _object(value, where, {"objectType", "id", "definition"})
    if act.get("objectType", "Activity") != "Activity":
        raise _fail(f"{where}.objectType", "must be 'Activity'")
    _iri(act.get("id"), f"{where}.id")
    if "definition" in act:
        definition = _object(act["definition"], f"{where}.definition", _DEFINITION)
        for key in ("name", "description"):
            if key in definition:
                _lang_map(definition[key], f"{where}.definition.{key}")
        if "type" in definition:
            _iri(definition["type"], f"{where}.definition.type")
        if "moreInfo" in definition:
            _iri(definition["moreInfo"], f"{where}.definition.moreInfo")
        if "extensions" in definition:
            _extensions(definition["extensions"], f"{where}.definition.extensions")
        _interaction(definition, f"{where}.definition")


def _statement_ref(value: Any, where: str) -> None:
    """A statement named by id: a context's, and the object of a voiding statement (xAPI
    allows nothing else there)."""
    ref = _object(value, where, {"objectType", "id"})
    if ref.get("objectType") != "StatementRef" or not (
            isinstance(ref.get("id"), str) and _UUID.match(ref["id"])):
        raise _fail(where, "must be a StatementRef with a UUID id")


def _interaction(definition: dict[str, Any], where: str) -> None:
    """An interaction's properties as a strict LRS checks them, so none refuses a statement
    the collector already acknowledged: a known type, string patterns, distinct components."""
    if not _INTERACTION & set(definition):
        return
    if definition.get("interactionType") not in INTERACTION_TYPES:
        raise _fail(f"{where}.interactionType", "must be one of " + ", ".join(INTERACTION_TYPES))
    pattern = definition.get("correctResponsesPattern", [])
    if not (isinstance(pattern, list)
            and all(isinstance(item, str) and item for item in pattern)):
        raise _fail(f"{where}.correctResponsesPattern", "must be a list of non-empty strings")
    for key in _COMPONENT_LISTS:
        components = definition.get(key, [])
        if not isinstance(components, list):
            raise _fail(f"{where}.{key}", "must be a list of interaction components")
        seen: set[str] = set()
        for index, value in enumerate(components):
            place = f"{where}.{key}[{index}]"
            component = _object(value, place, {"id", "description"})
            cid = component.get("id")
            if not isinstance(cid, str) or not cid or any(c.isspace() for c in cid):
                raise _fail(f"{place}.id", "must be a non-empty string without spaces")
            if cid in seen:
                raise _fail(f"{place}.id", f"repeats {cid!r}; ids in a list must be distinct")
            seen.add(cid)
            if "description" in component:
                _lang_map(component["description"], f"{place}.description")


def _actor(value: Any, where: str) -> None:
    agent = _object(value, where)
    if agent.get("objectType", "Agent") != "Agent":
        raise _fail(f"{where}.objectType", "must be 'Agent'")
    if set(agent) - {"objectType", "account"}:
        raise _fail(where, "must be an anonymous account only (no name, mbox or openid)")
    account = _object(agent.get("account"), f"{where}.account", {"homePage", "name"})
    _iri(account.get("homePage"), f"{where}.account.homePage")
    name = account.get("name")
    if not isinstance(name, str) or not 0 < len(name) <= 128:
        raise _fail(f"{where}.account.name", "must be a non-empty string of at most 128")


def _result(value: Any, where: str) -> None:
    result = _object(value, where, _RESULT)
    if "score" in result:
        score = _object(result["score"], f"{where}.score", {"scaled", "raw", "min", "max"})
        for key, number in score.items():
            if not _is_number(number):
                raise _fail(f"{where}.score.{key}", "must be a number")
        if "scaled" in score and not -1 <= score["scaled"] <= 1:
            raise _fail(f"{where}.score.scaled", "must be between -1 and 1")
        low, high, raw = score.get("min"), score.get("max"), score.get("raw")
        if low is not None and high is not None and low >= high:
            raise _fail(f"{where}.score", "max must be greater than min")
        if raw is not None and ((low is not None and raw < low)
                                or (high is not None and raw > high)):
            raise _fail(f"{where}.score.raw", "must lie between min and max")
    for key in ("success", "completion"):
        if key in result and not isinstance(result[key], bool):
            raise _fail(f"{where}.{key}", "must be true or false")
    if "response" in result and (not isinstance(result["response"], str)
                                 or len(result["response"]) > MAX_RESPONSE_CHARS):
        raise _fail(f"{where}.response", f"must be a string of at most {MAX_RESPONSE_CHARS}")
    seconds = parse_duration(result["duration"]) if "duration" in result else 0
    if seconds is None or seconds > MAX_DURATION_S:
        raise _fail(f"{where}.duration",
                    "must be an ISO 8601 duration such as PT12.3S, of at most a year")
    if "extensions" in result:
        _known_extensions(_extensions(result["extensions"], f"{where}.extensions"),
                          f"{where}.extensions")


def _known_extensions(ext: dict[str, Any], where: str) -> None:
    """Values of lecosite's own extensions have types the report relies on."""
    for name in ("time", "from", "to", "length"):
        key = EXTENSIONS[name]
        if key in ext and not (_is_number(ext[key]) and ext[key] >= 0):
            raise _fail(f"{where}.{name}", "must be a number of seconds")
    for name in ("progress", "threshold"):
        key = EXTENSIONS[name]
        if key in ext and not (_is_number(ext[key]) and 0 <= ext[key] <= 1):
            raise _fail(f"{where}.{name}", "must be between 0 and 1")
    segments = ext.get(EXTENSIONS["segments"])
    if segments is not None and not (isinstance(segments, str) and (
            segments == "" or _SEGMENTS.match(segments))):
        raise _fail(f"{where}.played-segments", "must look like '0[.]5.2[,]7[.]12'")
    comment = ext.get(EXTENSIONS["comment"])
    if comment is not None and not (isinstance(comment, str)
                                    and len(comment) <= MAX_COMMENT_CHARS):
        raise _fail(f"{where}.comment", f"must be a string of at most {MAX_COMMENT_CHARS} "
                                        "characters")
    version = ext.get(EXTENSIONS["version"])
    if version is not None and not (isinstance(version, str) and len(version) <= 64 and (
            version == "" or _CONTENT_VERSION.match(version))):
        raise _fail(f"{where}.version", "must be the content's version, e.g. '1.2.0'")


def _context(value: Any, where: str) -> None:
    ctx = _object(value, where, _CONTEXT)
    if "registration" in ctx and not (isinstance(ctx["registration"], str)
                                      and _UUID.match(ctx["registration"])):
        raise _fail(f"{where}.registration", "must be a UUID")
    if "contextActivities" in ctx:
        groups = _object(ctx["contextActivities"], f"{where}.contextActivities",
                         _CONTEXT_ACTIVITIES)
        for key, acts in groups.items():
            items = acts if isinstance(acts, list) else [acts]
            for index, item in enumerate(items):
                _activity(item, f"{where}.contextActivities.{key}[{index}]")
    for key in ("revision", "platform"):
        if key in ctx and not isinstance(ctx[key], str):
            raise _fail(f"{where}.{key}", "must be a string")
    if "language" in ctx and not (isinstance(ctx["language"], str)
                                  and _is_language(ctx["language"])):
        raise _fail(f"{where}.language", "must be a language tag such as en-US")
    if "statement" in ctx:
        _statement_ref(ctx["statement"], f"{where}.statement")
    if "instructor" in ctx or "team" in ctx:
        raise _fail(where, "instructor and team are not accepted (personal data)")
    if "extensions" in ctx:
        _known_extensions(_extensions(ctx["extensions"], f"{where}.extensions"),
                          f"{where}.extensions")


def validate(stmt: Any, *, size: int | None = None) -> dict[str, Any]:
    """Check one incoming statement; return it, or raise :class:`StatementError`.

    Stricter than the spec where the spec is loose on purpose for us: only anonymous
    account actors (no personal data), only lecosite's verbs, a size cap, and no
    LRS-set properties (stored, authority) from a page.
    """
    st = _object(stmt, "statement")
    _shallow(st)
    server_set = _SERVER_SET & set(st)
    if server_set:
        raise _fail(sorted(server_set)[0], "is set by the LRS, not by a client")
    if "attachments" in st:
        raise _fail("attachments", "are not taken: the portal sends none, and the collector "
                                   "keeps statements small")
    extra = set(st) - _TOP
    if extra:
        raise _fail("statement", f"unknown property {sorted(extra)[0]!r}")
    if "id" in st and not (isinstance(st["id"], str) and _UUID.match(st["id"])):
        raise _fail("id", "must be a UUID")
    _actor(st.get("actor"), "actor")
    verb = _object(st.get("verb"), "verb", {"id", "display"})
    if verb.get("id") not in VERB_NAMES:
        raise _fail("verb.id", "is not a verb lecosite records")
    if "display" in verb:
        _lang_map(verb["display"], "verb.display")
    if verb["id"] == VERBS["voided"]:
        _statement_ref(st.get("object"), "object")
    else:
        _activity(st.get("object"), "object")
    if "result" in st:
        _result(st["result"], "result")
    if "context" in st:
        _context(st["context"], "context")
    if "timestamp" in st:
        stamp = st["timestamp"]
        if not isinstance(stamp, str) or not _TIMESTAMP.match(stamp):
            raise _fail("timestamp", "must be ISO 8601 with a time zone")
        try:
            datetime.fromisoformat(stamp)
        except ValueError:
            raise _fail("timestamp", "is not a real date and time") from None
    if "version" in st and not (isinstance(st["version"], str)
                                and _VERSION.match(st["version"])):
        raise _fail("version", "must be 1.0.x")
    try:
        body = canonical(st).encode()
    except UnicodeEncodeError:  # "\ud83d" alone: half an emoji, which no LRS can store
        raise _fail("statement", "contains a broken character (a lone UTF-16 surrogate)") \
            from None
    if size is None:
        size = len(body)
    if size > MAX_STATEMENT_BYTES:
        raise StatementTooLarge(f"is larger than {MAX_STATEMENT_BYTES} bytes", "statement")
    return st


def _shallow(value: Any) -> None:
    if nested_too_deep(value):
        raise _fail("statement", f"nests lists and objects more than {MAX_DEPTH} levels deep")


def nested_too_deep(value: Any) -> bool:
    """Lists and objects nested deeper than MAX_DEPTH, found without recursion: such a
    statement would exhaust the stack of whatever reads it later, the report included."""
    level = [value]
    for _ in range(MAX_DEPTH):
        level = [v for item in level
                 for v in (item.values() if isinstance(item, dict) else item)
                 if isinstance(v, dict | list)]
        if not level:
            return False
    return True


def lrs_url(value: str) -> str:
    """An LRS base URL, checked up front: a bad one would only show as endless retries or a
    traceback deep in the HTTP client."""
    parts = urlsplit(value)
    try:
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        port_ok = False
    if any(c.isspace() for c in value):
        where = "in its user name or password" if any(
            c.isspace() for c in parts.netloc.rpartition("@")[0]) else "in it"
        raise ValueError(f"{public_url(value)!r} has a space {where}, which a URL cannot "
                         "hold: write it as %20")
    if (parts.scheme.lower() not in ("http", "https") or not parts.hostname or not port_ok):
        raise ValueError(f"not an http(s) URL: {public_url(value)!r} (use e.g. "
                         "https://lrs.example.com/xAPI)")
    if "?" in value or "#" in value:  # '/statements' would be joined to the query
        raise ValueError(f"{public_url(value)!r} has a query or fragment ('?…' or '#…'), "
                         "which the LRS's xAPI address has not: give the address alone (e.g. "
                         "https://lrs.example.com/xAPI), and credentials as such")
    if parts.path.rstrip("/").lower().endswith("/statements"):
        raise ValueError(f"{public_url(value)!r} is the LRS's statements resource; give its "
                         "xAPI address, without '/statements' (e.g. "
                         "https://lrs.example.com/xAPI)")
    return value


def public_url(url: str) -> str:
    """``url`` without 'user:password@', for logs, /health and reports."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url.rpartition("@")[2]
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def same_statement(stored: str, sent: str, *, assigned_timestamp: bool = False) -> bool:
    """Whether a statement re-sent with a stored one's id is the same statement. As xAPI
    compares them: a timestamp the collector assigned (the client sent none) does not count,
    nor does a timestamp given in another time zone for the same instant; any other
    difference does, 3.0 for 3 included."""
    old, new = json.loads(stored), json.loads(sent)
    then, now = old.pop("timestamp", None), new.pop("timestamp", None)
    if not assigned_timestamp and then != now and (
            parse_timestamp(then) is None or parse_timestamp(then) != parse_timestamp(now)):
        return False
    return canonical(old) == canonical(new)


def canonical(stmt: dict[str, Any]) -> str:
    """Stable JSON text: what the store keeps and compares for idempotent re-sends."""
    return json.dumps(stmt, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
