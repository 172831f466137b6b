"""A synthetic, reproducible data set in the beacon's statement shapes, with one planted
weak module: what the report tests and demos run on.

    python -m lecosite.report.fixture --db demo.sqlite --project . --weak connect-configure-proxy
"""

from __future__ import annotations

import argparse
import random
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from lecosite import xapi
from lecosite.report.analyze import Content

SITE = "https://learn.example.com/"


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


class _Learner:
    def __init__(self, rng: random.Random, site: str, clock: datetime) -> None:
        self.rng = rng
        self.site = site
        self.actor = xapi.actor(site, _uuid(rng))
        self.clock = clock
        self.out: list[dict[str, Any]] = []

    def say(self, verb: str, obj: dict[str, Any], *, context: dict[str, Any] | None = None,
            result: dict[str, Any] | None = None, wait: float = 5.0) -> None:
        self.clock += timedelta(seconds=wait)
        stamp = self.clock.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        self.out.append(xapi.statement(verb, obj, actor=self.actor, context=context,
                                       result=result, timestamp=stamp,
                                       statement_id=_uuid(self.rng)))


def _module(learner: _Learner, mid: str, version: str, path: str | None, *, weak: bool,
            length: float) -> bool:
    """One learner working through one module; returns whether they go on."""
    rng, site = learner.rng, learner.site
    module = xapi.activity(xapi.module_iri(site, mid), "module")
    ctx = xapi.context(site, version=version, path=path)
    learner.say("experienced", module, context=ctx)
    # The video: a weak module loses most viewers around a third of the way in.
    session = _uuid(rng)
    video = xapi.activity(xapi.video_iri(xapi.module_iri(site, mid)), "video")
    vctx = xapi.context(site, version=version, path=path, parent=[module],
                        category=[xapi.activity(xapi.VIDEO_PROFILE, "profile")],
                        extensions={"length": length, "threshold": 0.9, "session": session})
    learner.say("initialized", video, context=vctx)
    if rng.random() < 0.9:
        learner.say("played", video, context=vctx, result=xapi.video_result(time=0))
        if weak:
            stop = length * rng.uniform(0.3, 0.4) if rng.random() < 0.8 else length
        else:
            stop = length if rng.random() < 0.85 else length * rng.uniform(0.2, 0.9)
        stop = round(stop, 1)
        segments = xapi.segments_text([(0, stop)])
        progress = round(stop / length, 3)
        if progress >= 0.9:
            learner.say("completed", video, context=vctx, wait=stop, result={
                "completion": True, "duration": xapi.duration(stop),
                **xapi.video_result(time=stop, progress=progress, segments=segments)})
        learner.say("paused", video, context=vctx, wait=1 if progress >= 0.9 else stop,
                    result=xapi.video_result(time=stop, progress=progress, segments=segments))
    # The knowledge check: two questions; the weak module's second one is mostly missed.
    rights = []
    for number, (objective, p_right) in enumerate([("Explain it", 0.95),
                                                   ("Apply it", 0.2 if weak else 0.93)]):
        right = rng.random() < p_right
        rights.append(right)
        learner.say("answered", xapi.activity(xapi.question_iri(site, mid, f"q{number}"),
                                               "question"),
                    context=xapi.context(site, version=version, path=path, parent=[module],
                                         extensions={"objective": objective}),
                    result={"success": right, "response": "b" if right else "c",
                            "score": {"scaled": 1 if right else 0}})
    score = sum(rights) / len(rights)
    passed = score >= 0.8
    learner.say("passed" if passed else "failed", xapi.activity(xapi.check_iri(site, mid), "check"),
                context=xapi.context(site, version=version, path=path, parent=[module]),
                result={"success": passed, "score": {"scaled": score}})
    if passed:
        learner.say("completed", module, context=ctx, result={"completion": True})
    if rng.random() < 0.5:
        rating = rng.choice([1, 2, 2, 3]) if weak else rng.choice([3, 4, 4, 5, 5])
        comment = (("The video skips the proxy step <b>entirely</b>." if weak else "Clear, thanks.")
                   if rng.random() < 0.3 else None)
        learner.say("responded", xapi.rating_activity(site, mid),
                    context=xapi.context(site, version=version, path=path, parent=[module]),
                    result=xapi.rating_result(rating, comment))
    learner.say("terminated", module, context=ctx, wait=rng.uniform(60, 600),
                result={"duration": xapi.duration(rng.uniform(60, 600))})
    return rng.random() < (0.35 if weak else 0.92)


def generate(content: Content, *, weak: str, learners: int = 80, seed: int = 7,
             site: str = SITE, versions: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Learners walk the paths in order and leave along the way; ``weak`` is the bad one.
    Content with no path yet (a new portal's first modules) is walked module by module."""
    rng = random.Random(seed)
    start = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)
    paths: list[tuple[str | None, list[str]]] = [
        (pid, order) for pid, (_, order) in sorted(content.paths.items()) if order]
    if not paths and content.titles:
        paths = [(None, sorted(content.titles))]
    if not paths:
        raise ValueError("the content has no modules to visit")
    weighted = paths + [p for p in paths if weak in p[1]] * 3  # most learners meet the weak one
    out: list[dict[str, Any]] = []
    for index in range(learners):
        learner = _Learner(rng, site, start + timedelta(hours=index))
        pid, order = rng.choice(weighted)
        if pid is not None:
            learner.say("experienced", xapi.activity(xapi.path_iri(site, pid), "path"),
                        context=xapi.context(site, version="1.0.0"))
        for mid in order:
            version = (versions or {}).get(mid, "1.0.0")
            length = content.video_length.get(mid, 120.0)
            if not _module(learner, mid, version, pid, weak=mid == weak, length=length):
                break
        out.extend(learner.out)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="SQLite file to write (the collector's).")
    parser.add_argument("--project", default=".", help="Project whose content to use.")
    parser.add_argument("--weak", required=True, help="Module id to make look bad.")
    parser.add_argument("--learners", type=int, default=80)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    write(Path(args.db), Path(args.project), weak=args.weak, learners=args.learners,
          seed=args.seed)
    return 0


def write(db: Path, project: Path, **options: Any) -> int:
    """Generate from the project's content into a collector database; returns the count."""
    from lecosite.check import check_project
    from lecosite.collect.app import statement_row
    from lecosite.collect.store import Store

    content = Content.from_check(check_project(project.resolve()))
    statements = generate(content, **options)
    store = Store(db, sync="normal")
    try:
        store.add([statement_row(s) for s in statements], timeout=120)
    finally:
        store.close()
    return len(statements)


if __name__ == "__main__":
    raise SystemExit(main())
