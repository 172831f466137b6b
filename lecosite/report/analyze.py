"""Turn statements into the figures a training lead acts on, and rank update candidates.

Statements are attributed by their activity ids (``…/modules/<id>/…``, see
:func:`lecosite.xapi.parse_activity`), so data from any LRS works, whatever the site URL.
Content facts (titles, owners, review dates, path order) come from ``check_project``.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from lecosite import questions, xapi
from lecosite.governance.review import Cadence
from lecosite.model import file_id

BINS = 20  # video retention resolution: 5% of the length each
MIN_EVIDENCE = 3  # fewer learners than this: a signal is not trusted enough to rank on

# Thresholds under which a figure becomes a reason to update a module, and the weight of
# each reason in the ranking. Tuned so that one clear problem outranks mild noise.
RATING_FLOOR = 3.5
VIDEO_FLOOR = 0.6
PASS_FLOOR = 0.7
COMPLETION_FLOOR = 0.3
DROP_FLOOR = 0.25  # of viewers stopping within DROP_WINDOW of each other
DROP_WINDOW = 0.1  # of the video's length: a drop-off spans at most this much of it
PATH_DROP_FLOOR = 0.3
WEIGHTS = {"rating": 1.0, "video": 0.8, "dropoff": 0.6, "path": 0.8, "checks": 1.0,
           "review": 0.7, "completion": 0.5}


@dataclass
class Content:
    """What the report needs from the content: module facts and path order."""

    titles: dict[str, str] = field(default_factory=dict)
    owners: dict[str, list[str]] = field(default_factory=dict)
    review_by: dict[str, date | None] = field(default_factory=dict)  # when review is due
    never_reviewed: set[str] = field(default_factory=set)  # under a cadence: due already
    video_length: dict[str, float] = field(default_factory=dict)
    majors: dict[str, str] = field(default_factory=dict)  # module id -> current major version
    paths: dict[str, tuple[str, list[str]]] = field(default_factory=dict)  # id -> title, modules
    questions: dict[str, list[str]] = field(default_factory=dict)  # module id -> prompts (q0…)
    # Modules whose file is there but cannot be read (a YAML typo): still in the content.
    unread: set[str] = field(default_factory=set)

    @classmethod
    def from_check(cls, result: Any) -> Content:
        """From a :class:`lecosite.check.Result` (all modules, drafts included). Review
        dates as `lecosite stale` has them: a published module's due date comes from the
        cadences too (lecosite.yml, _defaults.yml, its paths), not only its review_by."""
        content = cls()
        cadence = Cadence(result.site, result.settings.review_every)
        for module in result.site.modules.values():
            content.titles[module.id] = module.title
            content.owners[module.id] = list(module.owners)
            due = cadence.due(module) if module.published else None
            content.review_by[module.id] = due.on if due else module.review_by
            if due is not None and due.never:
                content.never_reviewed.add(module.id)
            content.majors[module.id] = _major(module.version)
            if questions.names_a_check(module.body):
                content.questions[module.id] = [q.prompt for q in questions.find(module.body)]
            length = getattr(module.video, "length", None) if module.video else None
            if length:
                content.video_length[module.id] = float(length)
        for view in result.catalog.paths.values():
            content.paths[view.id] = (view.path.title, [m.id for m in view.sequence])
        modules = result.settings.modules_dir.strip("/") + "/"
        content.unread = {file_id(f) for f in result.site.unloaded if f.startswith(modules)}
        return content


@dataclass
class Reason:
    kind: str
    severity: float  # 0..1 before weighting
    text: str


@dataclass
class VideoStats:
    """One video on a module page, by its activity id: ``<module>/video`` is number 1 (the
    page's first, the front-matter video when there is one), ``<module>/video/2`` number 2…

    Its own length (from the statements) places its drop-off: videos on one page differ.
    Like a module's figures, a video's gather every site in the data (``--site`` picks one);
    ``id`` is then the first one seen.
    """

    id: str
    number: int
    viewers: int = 0  # learners who played its current cut
    completion_rate: float | None = None  # share of viewers who finished it at least once
    length: float | None = None  # seconds
    retention: list[float] = field(default_factory=list)  # share of viewers who watched each
    #                                                       of the BINS slices' middle
    dropoff_at: float | None = None  # seconds into the video: the first of its stops…
    dropoff_to: float | None = None  # …and the last (the same when they all stop there)
    dropoff_share: float | None = None  # share of viewers whose furthest point is in between

    @property
    def pattern(self) -> bool:
        """Whether as many viewers as any signal needs stop where the drop-off is: one or two
        viewers stopping together ('2% stop between 1:03 and 1:05') say nothing of the video."""
        return (self.dropoff_share is not None
                and round(self.dropoff_share * self.viewers) >= MIN_EVIDENCE)

    @property
    def steep(self) -> bool:
        """A drop-off to rank on and mark: a pattern, and a large share of the viewers."""
        return self.pattern and (self.dropoff_share or 0) >= DROP_FLOOR


@dataclass
class ModuleStats:
    id: str
    title: str
    owners: list[str]
    review_by: date | None = None
    never_reviewed: bool = False  # a cadence applies and it has no review date at all
    in_content: bool = True
    views: int = 0
    learners: int = 0
    completions: int = 0
    completion_rate: float | None = None
    median_time: float | None = None  # seconds on page
    videos: list[VideoStats] = field(default_factory=list)  # by number
    check_attempts: int = 0  # of the current major version (see check_majors)
    check_pass_rate: float | None = None
    check_version: str | None = None  # the major version counted above, when known
    check_majors: dict[str, tuple[int, float]] = field(default_factory=dict)  # tries, passed
    weakest_question: tuple[str, float, int] | None = None  # id, share right, answers
    ratings: int = 0  # of the current major version (see rating_majors)
    mean_rating: float | None = None
    rating_version: str | None = None  # the major version counted above, when known
    rating_majors: dict[str, tuple[int, float]] = field(default_factory=dict)  # ratings, mean
    rating_counts: list[int] = field(default_factory=lambda: [0] * 5)
    comments: list[dict[str, Any]] = field(default_factory=list)
    reasons: list[Reason] = field(default_factory=list)
    # Figures with fewer than MIN_EVIDENCE learners behind them: neither reasons nor fine.
    too_few_learners: list[str] = field(default_factory=list)
    score: float = 0.0

    @property
    def video(self) -> VideoStats | None:
        """The page's first video: what the module-level video figures show."""
        return next((v for v in self.videos if v.number == 1), None)


@dataclass
class PathStep:
    module: str
    title: str
    learners: int
    completed: int


@dataclass
class PathStats:
    id: str
    title: str
    entered: int  # learners who opened the path page or any of its modules in its context
    steps: list[PathStep]
    drop_after: str | None = None  # module after which the most learners leave
    drop_share: float | None = None
    # Steps (but the last) that too few learners reached to judge the many who left there.
    too_few_learners: list[str] = field(default_factory=list)


@dataclass
class Report:
    generated: str
    source: str
    today: date
    statements: int
    learners: int
    modules: list[ModuleStats]
    paths: list[PathStats]
    ignored: int = 0  # statements about nothing the report knows (another tool's, a bad id)
    demo: bool = False  # made-up visits (`report --demo`), never to be taken for learners'
    unread: list[str] = field(default_factory=list)  # content files that could not be read

    @property
    def candidates(self) -> list[ModuleStats]:
        """Modules that still exist, most urgent first: a removed or renamed module's old
        figures stay in the tables, but there is nothing left to update."""
        ranked = [m for m in self.modules if m.score > 0 and m.in_content]
        return sorted(ranked, key=lambda m: (-m.score, m.id))

    @property
    def too_early(self) -> list[str]:
        """What cannot be judged yet, one line per module or path: with no candidate, the
        report must not call figures fine that too few learners stand behind."""
        modules = [f"{m.title}: {', '.join(m.too_few_learners)}" for m in self.modules
                   if m.in_content and m.too_few_learners]
        paths = [f"“{p.title}”: where learners leave after "
                 f"{', '.join(f'“{t}”' for t in p.too_few_learners)}" for p in self.paths
                 if p.too_few_learners]
        return modules + paths


# -- reading statements ----------------------------------------------------------------------


def _learner(stmt: dict[str, Any]) -> str:
    actor = stmt.get("actor")
    if isinstance(actor, dict):
        account = actor.get("account")
        if isinstance(account, dict) and isinstance(account.get("name"), str):
            return account["name"]
        for key in ("mbox", "mbox_sha1sum", "openid"):
            if isinstance(actor.get(key), str):
                return actor[key]
    return "?"


def _verb(stmt: dict[str, Any]) -> str | None:
    verb = stmt.get("verb")
    return xapi.VERB_NAMES.get(verb.get("id")) if isinstance(verb, dict) else None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _number(value: Any) -> float | None:
    """A finite number: an LRS's JSON may hold Infinity or NaN, which no figure can use."""
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


# Control characters but tab and newline: a NUL cuts a CSV row short in many readers, and
# none has a place in a comment a learner typed. The bidi controls too (embeddings,
# overrides, isolates, marks): outside the HTML's <bdi>, in a spreadsheet's cell, a CSV or
# JSON file shown as text, they reorder what is shown, past the text they came in.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                       r"\u2066-\u2069]")


def printable(text: Any) -> Any:
    """Text from statements (a comment, an id, a version) or from content without control
    characters; other values as they are."""
    return _CONTROLS.sub("", text) if isinstance(text, str) else text


_NO_TIME = datetime.min.replace(tzinfo=UTC)  # a rating without a readable time: oldest


def _major(version: Any) -> str | None:
    """'2' for '2.1.0': a major bump rewrites objectives and checks."""
    return (version.split(".")[0] or None) if isinstance(version, str) else None


def _by_number(major: str | None) -> tuple[int, str]:
    """Majors in numeric order: 2 before 10."""
    text = major or ""
    return (int(text) if text.isdigit() else -1, text)


def _statement_major(stmt: dict[str, Any]) -> str | None:
    return _major(printable(_dict(_dict(stmt.get("context")).get("extensions"))
                            .get(xapi.EXTENSIONS["version"])))


def _grouping_paths(stmt: dict[str, Any]) -> list[str]:
    groups = _dict(_dict(stmt.get("context")).get("contextActivities")).get("grouping")
    found = []
    for act in groups if isinstance(groups, list) else [groups]:
        parsed = xapi.parse_activity(_dict(act).get("id"))
        if parsed and parsed[0] == "path" and not parsed[2]:
            found.append(parsed[1])
    return found


@dataclass
class _Session:
    module: str
    video: str  # activity id
    number: int
    learner: str
    initialized: bool = False  # its first statement is among those read
    played: bool = False
    completed: bool = False
    length: float | None = None
    segments: list[tuple[float, float]] = field(default_factory=list)


@dataclass
class _Acc:
    views: int = 0
    learners: set[str] = field(default_factory=set)
    completed: set[str] = field(default_factory=set)
    times: list[float] = field(default_factory=list)
    checks: dict[str | None, list[bool]] = field(default_factory=lambda: defaultdict(list))
    questions: dict[tuple[str | None, str], list[bool]] = field(
        default_factory=lambda: defaultdict(list))
    # The latest rating of each learner, per major version: (major, learner) -> (when, value)
    ratings: dict[tuple[str | None, str], tuple[datetime, int]] = field(default_factory=dict)
    comments: list[tuple[datetime, int, str, str | None]] = field(default_factory=list)  # all


def analyze(statements: Iterable[dict[str, Any]], content: Content, *, today: date,
            source: str = "", generated: str = "", partial: bool = False,
            cut: bool = False) -> Report:
    """Aggregate statements into per-module and per-path figures and rank candidates.

    ``partial``: the statements may lack what an "Undo" voids (they start at a date, or
    come from an LRS, which leaves voided statements out of its answers); such an Undo
    changes no figure and is not left out for being unknown. ``cut``: they start at a
    date, so a page view or video session begun before it has its end here but not its
    start; its time on page and its video figures are left out with the view, which is
    not counted either (a view's end counts only after a start of the same learner's on
    the same module, a video session only with its "initialized")."""
    acc: dict[str, _Acc] = defaultdict(_Acc)
    sessions: dict[tuple[str, str], _Session] = {}
    path_reach: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    path_done: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    path_entered: dict[str, set[str]] = defaultdict(set)
    everyone: set[str] = set()
    ids: set[str] = set()
    # Completions by statement id, counted after the loop: a voiding statement takes one
    # back. An LRS should leave voided statements out of a query; some (Ralph) do not.
    completions: dict[str, tuple[str, str, list[str]]] = {}
    # With ``cut``, when each learner's views of a module began and ended (time on page).
    starts: dict[tuple[str, str], list[datetime]] = defaultdict(list)
    ends: dict[tuple[str, str], list[tuple[datetime, float]]] = defaultdict(list)
    voided: set[str] = set()
    count = ignored = 0
    for stmt in statements:
        sid = stmt.get("id")
        if isinstance(sid, str):  # an LRS's pages can overlap while statements arrive
            if sid.lower() in ids:
                continue
            ids.add(sid.lower())
        count += 1
        verb = _verb(stmt)
        if verb == "voided":  # a learner's "Undo" on a completion
            target = _dict(stmt.get("object")).get("id")
            if isinstance(target, str):
                voided.add(target.lower())
            continue
        obj = _dict(stmt.get("object"))
        parsed = xapi.parse_activity(obj.get("id"))
        if verb is None or parsed is None:
            # A view of the catalog or a guide is the portal's too: no figure, no alarm.
            other_page = _dict(obj.get("definition")).get("type") == xapi.TYPES["page"]
            ignored += verb is None or not other_page
            continue
        kind, item, rest = parsed
        if kind == "path" and item not in content.paths:  # removed: no table to count it in
            ignored += 1
            continue
        who = _learner(stmt)
        # With ``cut``, the end of a view or a video session begun before it is no learner's
        # activity since: a learner counts with the views and sessions the report counts.
        begun = not cut or kind == "path" or not (
            rest.startswith("video") or (not rest and verb == "terminated"))
        if begun:
            everyone.add(who)
        result = _dict(stmt.get("result"))
        if kind == "path":
            if verb == "experienced" and not rest:
                path_entered[item].add(who)
            continue
        a = acc[item]
        if begun:
            a.learners.add(who)
        groupings = _grouping_paths(stmt)
        if not rest:
            if verb == "experienced":
                a.views += 1
                if cut:
                    starts[item, who].append(xapi.happened(stmt) or _NO_TIME)
                for pid in groupings:
                    path_reach[pid][item].add(who)
                    path_entered[pid].add(who)
            elif verb == "terminated":
                seconds = xapi.parse_duration(result.get("duration"))
                # Longer is a broken clock (the collector refuses it; an LRS may not).
                if seconds is not None and seconds <= xapi.MAX_DURATION_S:
                    if cut:
                        ends[item, who].append((xapi.happened(stmt) or _NO_TIME, seconds))
                    else:
                        a.times.append(seconds)
            elif verb == "completed":
                key = sid.lower() if isinstance(sid, str) else f"#{count}"
                completions[key] = (item, who, groupings)
        elif rest == "rating" and verb == "responded":
            raw = _number(_dict(result.get("score")).get("raw"))
            if raw is None or not 1 <= raw <= 5:  # no rating the portal sends
                ignored += 1
            else:
                value = math.floor(raw + 0.5)  # another tool's 4.5 is 5 stars, as 3.5 is 4
                stamp = xapi.happened(stmt) or _NO_TIME
                comment = printable(
                    _dict(result.get("extensions")).get(xapi.EXTENSIONS["comment"]))
                major = _statement_major(stmt)
                previous = a.ratings.get((major, who))
                if previous is None or previous[0] <= stamp:
                    a.ratings[major, who] = (stamp, value)
                if isinstance(comment, str) and comment.strip():
                    a.comments.append((stamp, value, comment, major))
        elif rest.startswith("video"):
            _video(stmt, verb, item, rest, result, sessions)
        elif rest == "check" and verb in ("passed", "failed"):
            a.checks[_statement_major(stmt)].append(verb == "passed")
        elif rest.startswith("check/") and verb == "answered":
            success = result.get("success")
            if isinstance(success, bool):
                question = printable(rest[len("check/"):])
                a.questions[_statement_major(stmt), question].append(success)
    for (item, who), ended in ends.items():
        acc[item].times += _of_views_begun(starts.get((item, who), []), ended)
    if not partial:  # another tool's, or a statement not read
        ignored += len(voided - completions.keys())
    for key, (item, who, groupings) in completions.items():
        if key not in voided:
            acc[item].completed.add(who)
            for pid in groupings:
                path_done[pid][item].add(who)
    by_module: dict[str, list[_Session]] = defaultdict(list)
    for session in sessions.values():
        if session.initialized or not cut:
            by_module[session.module].append(session)
            acc[session.module].learners.add(session.learner)
            everyone.add(session.learner)
    modules = [_module_stats(mid, acc.get(mid, _Acc()), by_module.get(mid, []), content, today)
               for mid in sorted(set(content.titles) | set(acc))]
    paths = [_path_stats(pid, title, order, content, path_entered[pid], path_reach[pid],
                         path_done[pid]) for pid, (title, order) in sorted(content.paths.items())]
    _path_reasons(paths, {m.id: m for m in modules})
    for module in modules:
        module.score = round(sum(WEIGHTS[r.kind] * r.severity for r in module.reasons), 3)
        module.reasons.sort(key=lambda r: -WEIGHTS[r.kind] * r.severity)
    return Report(generated=generated, source=source, today=today, statements=count,
                  learners=len(everyone), modules=modules, paths=paths, ignored=ignored)


def _video(stmt: dict[str, Any], verb: str, module: str, rest: str, result: dict[str, Any],
           sessions: dict[tuple[str, str], _Session]) -> None:
    ctx_ext = _dict(_dict(stmt.get("context")).get("extensions"))
    res_ext = _dict(result.get("extensions"))
    video = printable(_dict(stmt.get("object"))["id"])  # a str: parse_activity matched it
    sid = ctx_ext.get(xapi.EXTENSIONS["session"])
    if not isinstance(sid, str):
        sid = _learner(stmt)
    number = int(rest.removeprefix("video/")) if "/" in rest else 1
    session = sessions.setdefault((video, sid), _Session(module, video, number,
                                                         _learner(stmt)))
    length = _number(ctx_ext.get(xapi.EXTENSIONS["length"]))
    if length:
        session.length = max(session.length or 0, length)
    if verb == "initialized":
        session.initialized = True
    if verb in ("played", "paused", "completed", "terminated"):  # not "seeked": the learner
        session.played = True                                       # may only have scrubbed
    if verb == "completed":
        session.completed = True
    session.segments.extend(xapi.parse_segments(res_ext.get(xapi.EXTENSIONS["segments"])))
    time = _number(res_ext.get(xapi.EXTENSIONS["time"]))
    if verb == "played" and time is not None:
        session.segments.append((time, time))  # at least reached where it started


def _of_views_begun(starts: list[datetime], ends: list[tuple[datetime, float]]) -> list[float]:
    """The times on page of the views that ended after a start of theirs (one learner, one
    module), in time order: an end with no start open before it is of a view begun earlier."""
    events = sorted([(when, 0, 0.0) for when in starts] + [(when, 1, s) for when, s in ends])
    begun, times = 0, []
    for _, is_end, seconds in events:
        if not is_end:
            begun += 1
        elif begun:
            begun -= 1
            times.append(seconds)
    return times


def _union(segments: list[tuple[float, float]]) -> list[tuple[float, float]]:
    merged: list[tuple[float, float]] = []
    for start, end in sorted(segments):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _middles(length: float) -> list[float]:
    return [(k + 0.5) * length / BINS for k in range(BINS)]


def _counted_major(current: str | None, majors: dict[str, Any]) -> str | None:
    """The major version the figures are of: the content's, or, for a module no longer in
    it, the only one learners saw (with several, the figures mix them)."""
    if current is None and len(majors) == 1:
        return next(iter(majors))
    return current if current in majors else None


def _module_stats(mid: str, a: _Acc, sessions: list[_Session], content: Content,
                  today: date) -> ModuleStats:
    m = ModuleStats(id=mid, title=content.titles.get(mid, mid), owners=content.owners.get(mid, []),
                    review_by=content.review_by.get(mid),
                    in_content=mid in content.titles or mid in content.unread,
                    never_reviewed=mid in content.never_reviewed)
    m.views = a.views
    m.learners = len(a.learners)
    m.completions = len(a.completed)
    if m.learners:
        m.completion_rate = m.completions / m.learners
    if a.times:
        m.median_time = statistics.median(a.times)
    by_video: dict[int, list[_Session]] = defaultdict(list)
    for session in sessions:
        by_video[session.number].append(session)
    m.videos = [_video_stats(number, found, content.video_length.get(mid) if number == 1
                             else None) for number, found in sorted(by_video.items())]
    # A major version rewrites the module and its check: tries and ratings of earlier ones
    # must not rank the rewrite. Those that name no version (another tool's) count with it.
    current = content.majors.get(mid)
    counts = {current, None} if current is not None else None  # None: every major counts
    counted, m.check_majors = _by_major(a.checks, counts)
    m.check_version = _counted_major(current, m.check_majors)
    m.check_attempts = len(counted)
    if counted:
        m.check_pass_rate = sum(counted) / len(counted)
    answers: dict[str, list[bool]] = defaultdict(list)
    for (major, question), v in a.questions.items():
        if counts is None or major in counts:
            answers[question] += v
    trusted = [(sum(v) / len(v), q, len(v)) for q, v in answers.items() if len(v) >= MIN_EVIDENCE]
    if trusted:
        right, question, tries = min(trusted)
        m.weakest_question = (question, right, tries)
    ratings: dict[str | None, list[int]] = defaultdict(list)
    for (major, _), (_, value) in a.ratings.items():
        ratings[major].append(value)
    values, m.rating_majors = _by_major(ratings, counts)
    m.rating_version = _counted_major(current, m.rating_majors)
    m.ratings = len(values)
    if values:
        m.mean_rating = sum(values) / len(values)
        for value in values:
            m.rating_counts[value - 1] += 1
    m.comments = [{"when": "" if when == _NO_TIME else when.isoformat(), "rating": r,
                   "text": text, "version": major}
                  for when, r, text, major in sorted(a.comments, key=lambda t: t[0],
                                                     reverse=True)]
    m.reasons = _reasons(m, a, today, content.questions.get(mid, []))
    m.too_few_learners = _too_few(m)
    return m


def _by_major(values: dict[str | None, list[Any]], counts: set[str | None] | None,
              ) -> tuple[list[Any], dict[str, tuple[int, float]]]:
    """The values of the majors in ``counts`` (every one when None), and the count and mean
    of each named major, in numeric order."""
    counted = [v for major, found in values.items() if counts is None or major in counts
               for v in found]
    majors = {major: (len(found), sum(found) / len(found))
              for major, found in sorted(values.items(), key=lambda kv: _by_number(kv[0]))
              if major is not None and found}
    return counted, majors


def _video_stats(number: int, sessions: list[_Session], fallback: float | None) -> VideoStats:
    """Figures of one video, per learner: one who plays it three times is one viewer, and
    finished it if any of their plays did. Its length is what players reported; the front
    matter's only stands in for the first video, the one it describes."""
    v = VideoStats(id=sessions[0].video, number=number)
    length = _current_length(sessions) or fallback
    # Plays of another cut (another length) would mix two videos' figures.
    by_learner: dict[str, list[_Session]] = defaultdict(list)
    for s in sessions:
        if s.played and not (length and s.length and abs(s.length - length) > 1):
            by_learner[s.learner].append(s)
    v.viewers = len(by_learner)
    if not by_learner:
        return v
    finished = [any(s.completed for s in plays) for plays in by_learner.values()]
    v.completion_rate = sum(finished) / len(finished)
    if not length:
        return v
    v.length = length
    spans = [_union([seg for s in plays for seg in s.segments]) for plays in by_learner.values()]
    middles = _middles(length)
    v.retention = [sum(any(a <= m <= b for a, b in mine) for mine in spans) / len(spans)
                   for m in middles]
    # Where a viewer stops is the furthest point they reached: one who skipped ahead and
    # watched on did not stop where they skipped, and one who finished did not stop at all.
    furthest = [max((b for _, b in mine), default=0.0)
                for mine, done in zip(spans, finished, strict=True) if not done]
    stops = sorted(f for f in furthest if f < length)
    window = _steepest(stops, DROP_WINDOW * length)
    if window:
        v.dropoff_at, v.dropoff_to = round(window[0], 1), round(window[-1], 1)
        v.dropoff_share = len(window) / len(spans)
    return v


def _steepest(stops: list[float], width: float) -> list[float]:
    """The most stops within ``width`` of each other (the earliest such run): viewers who
    leave over a few seconds are one drop-off, wherever the retention slices' edges fall."""
    best = (0, 0)  # stops[best[0]:best[1]]
    first = 0
    for last, stop in enumerate(stops):
        while stop - stops[first] > width:
            first += 1
        if last + 1 - first > best[1] - best[0]:
            best = (first, last + 1)
    return stops[best[0]:best[1]]


def _current_length(sessions: list[_Session]) -> float | None:
    """The length most sessions report (on a tie, the later one): a re-cut video keeps its
    id, and one odd statement must not rescale every viewer's figures. A length beyond a
    year is none a video has (the collector takes any finite number; 1e308 s overflowed
    the charts): its plays count as another cut's, or, alone, as of an unknown length."""
    usable = [s.length for s in sessions if s.length and s.length <= xapi.MAX_DURATION_S]
    counts = Counter(round(length) for length in usable)
    if not counts:
        return None
    most = max(counts.values())
    return next(length for length in reversed(usable) if counts[round(length)] == most)


def _question_name(qid: str, prompts: list[str]) -> str:
    """“q1” means little to a training lead: the question's number and text, as the
    module's current version asks it (answers of earlier major versions are not counted)."""
    number = int(qid[1:]) if re.fullmatch(r"q\d{1,4}", qid) else -1
    if 0 <= number < len(prompts):
        return f"question {number + 1} (“{prompts[number]}”)"
    return f"question “{qid}”"


def _confidence(n: int) -> float:
    """More evidence, more weight: full weight from 20 learners on."""
    return min(1.0, n / 20)


def _pct(value: float) -> str:
    return f"{round(value * 100)}%"


def clock(seconds: float) -> str:
    """m:ss, or h:mm:ss from an hour on, as video players show a time."""
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def stop_span(v: VideoStats) -> str:
    """Where a video's drop-off is, as a lead reads it: 'between 0:36 and 0:48', or
    'around 0:42' when its viewers all stop within the same second."""
    if v.dropoff_at is None or v.dropoff_to is None:
        return ""
    start, end = clock(v.dropoff_at), clock(v.dropoff_to)
    return f"around {start}" if start == end else f"between {start} and {end}"


def _reasons(m: ModuleStats, a: _Acc, today: date, prompts: list[str]) -> list[Reason]:
    out = []
    if m.mean_rating is not None and m.ratings >= MIN_EVIDENCE and m.mean_rating < RATING_FLOOR:
        sev = (RATING_FLOOR - m.mean_rating) / (RATING_FLOOR - 1) * _confidence(m.ratings)
        which = (f" (version {m.rating_version}.x)" if m.rating_version
                 and set(m.rating_majors) - {m.rating_version} else "")
        out.append(Reason("rating", sev,
                          f"rated {m.mean_rating:.1f}/5{which} by {m.ratings} learners"))
    only_first = [v.number for v in m.videos] == [1]
    for v in m.videos:
        out.extend(_video_reasons(v, "the video" if only_first
                                  else f"video {v.number} ({v.id})"))
    if (m.check_pass_rate is not None and m.check_attempts >= MIN_EVIDENCE
            and m.check_pass_rate < PASS_FLOOR):
        sev = (PASS_FLOOR - m.check_pass_rate) / PASS_FLOOR * _confidence(m.check_attempts)
        which = (f" (version {m.check_version}.x)" if m.check_version
                 and set(m.check_majors) - {m.check_version} else "")
        text = (f"knowledge check{which} passed in {_pct(m.check_pass_rate)} of "
                f"{m.check_attempts} tries")
        if m.weakest_question:
            q, right, _ = m.weakest_question
            # No "; " in a reason: CSV joins a module's reasons with it.
            text += f" (weakest: {_question_name(q, prompts)}, answered right {_pct(right)})"
        out.append(Reason("checks", sev, text))
    if (m.completion_rate is not None and m.learners >= MIN_EVIDENCE
            and m.completion_rate < COMPLETION_FLOOR):
        sev = (COMPLETION_FLOOR - m.completion_rate) / COMPLETION_FLOOR
        out.append(Reason("completion", sev * _confidence(m.learners),
                          f"completed by {_pct(m.completion_rate)} of {m.learners} learners"))
    if m.in_content and m.review_by is not None and m.review_by < today:
        days = (today - m.review_by).days
        out.append(Reason("review", 0.5 + min(0.5, days / 365),
                          f"review was due {m.review_by.isoformat()} ({days} days ago)"))
    elif m.in_content and m.never_reviewed:
        out.append(Reason("review", 1.0, "never reviewed, though a review cadence applies "
                                         "(no last_reviewed date)"))
    return out


def _count(n: int, one: str, many: str = "") -> str:
    """'1 viewer', '2 viewers': a count of one read in the singular."""
    return f"{n} {one if n == 1 else many or one + 's'}"


def _too_few(m: ModuleStats) -> list[str]:
    """The figures that would be reasons had MIN_EVIDENCE learners stood behind them: too
    early to call them bad, and not to be called fine. A good figure from few learners is
    no worry to name."""
    out = []
    if m.mean_rating is not None and m.ratings < MIN_EVIDENCE and m.mean_rating < RATING_FLOOR:
        out.append(f"rated {m.mean_rating:.1f}/5 by {_count(m.ratings, 'learner')}")
    only_first = [v.number for v in m.videos] == [1]
    for v in m.videos:
        if (v.completion_rate is not None and v.viewers < MIN_EVIDENCE
                and v.completion_rate < VIDEO_FLOOR):
            name = "the video" if only_first else f"video {v.number} ({v.id})"
            out.append(f"{name} finished by {_pct(v.completion_rate)} of "
                       f"{_count(v.viewers, 'viewer')}")
    if (m.check_pass_rate is not None and m.check_attempts < MIN_EVIDENCE
            and m.check_pass_rate < PASS_FLOOR):
        out.append(f"the knowledge check passed in {_pct(m.check_pass_rate)} of "
                   f"{_count(m.check_attempts, 'try', 'tries')}")
    if (m.completion_rate is not None and m.learners < MIN_EVIDENCE
            and m.completion_rate < COMPLETION_FLOOR):
        out.append(f"completed by {_pct(m.completion_rate)} of {_count(m.learners, 'learner')}")
    return out


def _video_reasons(v: VideoStats, name: str) -> list[Reason]:
    """Low completion and a steep drop-off of one video, named so an owner knows which."""
    out: list[Reason] = []
    if v.viewers < MIN_EVIDENCE:
        return out
    if v.completion_rate is not None and v.completion_rate < VIDEO_FLOOR:
        sev = (VIDEO_FLOOR - v.completion_rate) / VIDEO_FLOOR
        out.append(Reason("video", sev * _confidence(v.viewers),
                          f"only {_pct(v.completion_rate)} of {v.viewers} viewers finish {name}"))
    if v.steep and v.dropoff_share is not None:
        out.append(Reason("dropoff", v.dropoff_share * _confidence(v.viewers),
                          f"{_pct(v.dropoff_share)} of viewers stop {name} {stop_span(v)}"))
    return out


def _path_stats(pid: str, title: str, order: list[str], content: Content, entered: set[str],
                reach: dict[str, set[str]], done: dict[str, set[str]]) -> PathStats:
    steps = [PathStep(mid, content.titles.get(mid, mid), len(reach.get(mid, ())),
                      len(done.get(mid, ()))) for mid in order]
    stats = PathStats(pid, title, len(entered), steps)
    best = 0.0
    # A learner stops after a step when they reach no later one: one who skips a step (two
    # steps may be alternatives, Windows or Linux) has not left the path there.
    further: set[str] = set()
    for k in range(len(order) - 1, 0, -1):
        further |= reach.get(order[k], set())
        before = steps[k - 1]
        if not before.learners:
            continue
        lost = len(reach.get(before.module, set()) - further) / before.learners
        if before.learners < MIN_EVIDENCE:
            if lost >= PATH_DROP_FLOOR:  # a drop-off that would count: too early to judge
                stats.too_few_learners.insert(0, before.title)
        elif lost > best or (lost == best and lost > 0):
            best, stats.drop_after = lost, before.module
    if stats.drop_after:
        stats.drop_share = best
    return stats


def _path_reasons(paths: list[PathStats], modules: dict[str, ModuleStats]) -> None:
    for path in paths:
        if path.drop_after and path.drop_share is not None and path.drop_share >= PATH_DROP_FLOOR:
            step = next(s for s in path.steps if s.module == path.drop_after)
            module = modules.get(path.drop_after)
            if module is not None:
                module.reasons.append(Reason(
                    "path", path.drop_share * _confidence(step.learners),
                    f"{_pct(path.drop_share)} of learners on “{path.title}” stop after "
                    "this module"))
