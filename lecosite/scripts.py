"""The portal's script: the site's config, then the parts in ``theme/scripts``, one file.

One file is one request and one gzip stream, and the parts share helpers and each other's
functions inside a single function. Without a collector the beacon is in it but silent.
Pages with more to do (catalog, path, progress, certificate, governance) load their own
script on demand; see ``core.js``.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

import rjsmin

PARTS = ("core", "beacon", "tracking", "checks", "video", "progress")
#: The scripts special pages load on demand (``theme/templates/assets/lecosite``).
PAGE_SCRIPTS = ("pages", "certificate", "governance")


@cache
def part(name: str) -> str:
    return (files("lecosite.theme") / "scripts" / f"{name}.js").read_text(encoding="utf-8")


def bundle(config_js: str, parts: tuple[str, ...] = PARTS) -> str:
    """``config_js`` sets ``window.lecosite``; the parts run in one strict function after it.

    Order matters for listeners: tracking hears a check's result before progress turns it
    into a completion, so the statements keep the order the learner caused them in.
    """
    body = "\n".join(part(name) for name in parts)
    return (f"{config_js}(() => {{\n\"use strict\";\nconst L = window.lecosite, D = document;\n"
            f"{body}}})();\n")


def minify(source: str) -> str:
    """What the build ships: comments and spaces out, names kept (rjsmin), so a learner
    downloads about a third less and the code still reads in the browser's devtools."""
    return rjsmin.jsmin(source)
