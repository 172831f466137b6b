"""The portal's script: the site's config, then the parts in ``theme/scripts``, one file.

One file is one request and one gzip stream, and the parts share helpers inside a single
function instead of repeating them. Analytics parts (the beacon and its tracking) are in
it only when a collector is configured. Pages with more to do (catalog, path, progress,
certificate, governance) load their own script on demand; see ``core.js``.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

PARTS = ("core", "beacon", "tracking", "checks", "video", "progress")
ANALYTICS = frozenset({"beacon", "tracking"})


@cache
def part(name: str) -> str:
    return (files("lecosite.theme") / "scripts" / f"{name}.js").read_text(encoding="utf-8")


def bundle(config_js: str, analytics: bool) -> str:
    """``config_js`` sets ``window.lecosite``; the parts run in one strict function after it.

    Order matters for listeners: tracking hears a check's result before progress turns it
    into a completion, so the statements keep the order the learner caused them in.
    """
    names = [name for name in PARTS if analytics or name not in ANALYTICS]
    body = "\n".join(part(name) for name in names)
    return (f"{config_js}(() => {{\n\"use strict\";\nconst L = window.lecosite, D = document;\n"
            f"{body}}})();\n")
