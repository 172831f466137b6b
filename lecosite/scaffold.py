"""A new module's or path's first text: every required field, with TODOs where the author
still has to write.

Made here, not in the command line, so what a draft contains is decided in one place that
any front end (a prompt, an editor) can call; the caller asks, writes and checks.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import frontmatter
import yaml

from lecosite import schema
from lecosite.model import Site
from lecosite.project import Settings

#: A new module's first review: about six months after it is written.
REVIEW_AFTER = timedelta(days=182)


def module_text(settings: Settings, mid: str, title: str, owners: Sequence[str], goal: str,
                duration: int, today: date) -> str:
    """A draft module with every required field, ready to be written as ``<mid>.md``."""
    meta = {
        "id": mid, "title": title, "summary": f"TODO: one or two sentences about {title}.",
        "owners": list(owners), "version": "0.1.0", "status": "draft", "goal": goal,
        "objectives": ["TODO: an observable outcome, starting with a verb."],
        "duration": duration,
        # Only an audience the site names: a made-up one would become a catalog filter.
        **({"audience": settings.schema["audience"][:1]} if settings.schema.get("audience")
           else {}),
        "level": (settings.schema.get("level") or schema.LEVELS)[0], "tags": [],
        "prerequisites": [],
        "sources": [{"kind": "other", "title": "TODO: where this content comes from"}],
        "last_reviewed": today, "review_by": today + REVIEW_AFTER,
        "changelog": [{"0.1.0": "First draft."}],
    }
    # No '# title' heading: the portal shows the title, and the guide says not to repeat it.
    body = "TODO: teach one thing, with steps, a check and the usual pitfalls.\n"
    return frontmatter.dumps(frontmatter.Post(body, **meta), sort_keys=False) + "\n"


def path_text(site: Site, pid: str, title: str, kind: str, owners: Sequence[str], goal: str,
              modules: Sequence[str]) -> str:
    """A draft path listing ``modules`` in order, ready to be written as ``<pid>.yml``; a
    certification gets its own fields with values to adjust."""
    data: dict[str, Any] = {
        "id": pid, "title": title, "kind": kind, "status": "draft",
        "summary": f"TODO: one or two sentences about {title}.", "goal": goal,
        "owners": list(owners), "version": "0.1.0",
        **audience_and_level(site, modules), "modules": list(modules),
    }
    if kind == "certification":
        data |= {"requires": [], "pass_mark": 0.8, "valid_for": 24}
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def audience_and_level(site: Site, modules: Sequence[str]) -> dict[str, Any]:
    """What the catalog filters a path by, from its modules: every audience they name, and
    the highest level among them (a module not written yet adds nothing)."""
    listed = [site.modules[m] for m in modules if m in site.modules]
    audience = list(dict.fromkeys(a for m in listed for a in m.audience))
    levels = [m.level for m in listed if m.level in schema.LEVELS]
    return ({"audience": audience} if audience else {}) | (
        {"level": max(levels, key=schema.LEVELS.index)} if levels else {})
