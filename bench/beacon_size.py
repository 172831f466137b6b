"""What the portal's scripts cost a learner on the wire: minified (terser) and gzip -9.

    python bench/beacon_size.py [--strict]

Every ``theme/templates/assets/lecosite/*.js`` is minified with ``npx terser -c -m`` (the
devDependency in package.json; run ``npm ci`` first) and gzipped at level 9. Targets: the
core beacon (beacon.js) at most 1.2 KB, all lecosite JS a module page loads at most 3 KB
(KB = 1,000 bytes, the stricter reading). The generated config.js is shown for reference;
it carries the IRI tables the scripts read instead of repeating them.
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ASSETS = REPO / "theme" / "templates" / "assets" / "lecosite"
CORE_TARGET = 1200
TOTAL_TARGET = 3000


def minify(source: str) -> str:
    npx = shutil.which("npx")
    if not npx or not (REPO / "node_modules" / "terser").exists():
        sys.exit("terser is missing: run 'npm ci' (it is a devDependency in package.json).")
    done = subprocess.run([npx, "--no-install", "terser", "-c", "-m", "--ecma", "2020"],
                          input=source, capture_output=True, text=True, cwd=REPO, check=False)
    if done.returncode != 0:
        sys.exit(f"terser failed: {done.stderr.strip()}")
    return done.stdout


def gz(text: str) -> int:
    return len(gzip.compress(text.encode(), compresslevel=9, mtime=0))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strict", action="store_true", help="Exit 1 when a target is missed.")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from lecosite import xapi
    from lecosite.mkdocs.plugin import ANALYTICS, SCRIPTS

    # What a module page loads with analytics on (certificate.js, governance.js: own pages).
    on_module_page = {Path(s).name for s in [*SCRIPTS, *ANALYTICS]} - {"config.js"}

    rows = []
    for path in sorted(ASSETS.glob("*.js")):
        source = path.read_text(encoding="utf-8")
        small = minify(source)
        rows.append((path.name, len(source.encode()), len(small.encode()), gz(small)))
    config = xapi.config_js("https://learn.example.com/", "https://learn.example.com/collect/")
    print(f"{'file':<18}{'source':>9}{'minified':>10}{'gzip -9':>9}")
    for name, raw, small, packed in rows:
        print(f"{name:<18}{raw:>9}{small:>10}{packed:>9}")
    total = sum(r[3] for r in rows if r[0] in on_module_page)
    analytics = sum(r[3] for r in rows if r[0] in {Path(s).name for s in ANALYTICS})
    core = next((r[3] for r in rows if r[0] == "beacon.js"), 0)
    print(f"{'all files':<18}{sum(r[1] for r in rows):>9}{sum(r[2] for r in rows):>10}"
          f"{sum(r[3] for r in rows):>9}")
    print(f"{'(config.js)':<18}{len(config):>9}{len(config):>10}{gz(config):>9}"
          "   generated per site; not in the total")
    ok_core, ok_total = core <= CORE_TARGET, total <= TOTAL_TARGET
    print(f"core beacon: {core} B (target <= {CORE_TARGET}): {'met' if ok_core else 'MISSED'}")
    print(f"analytics JS (beacon + tracking): {analytics} B")
    print(f"all lecosite JS on a module page ({', '.join(sorted(on_module_page))}): "
          f"{total} B (target <= {TOTAL_TARGET}): {'met' if ok_total else 'MISSED'}")
    return 1 if args.strict and not (ok_core and ok_total) else 0


if __name__ == "__main__":
    raise SystemExit(main())
