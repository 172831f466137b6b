"""What the portal's scripts cost a learner on the wire: minified (terser) and gzip -9.

    python bench/beacon_size.py [--strict]

A module page loads one script, ``assets/lecosite/lecosite.js``, which the plugin generates
per build (lecosite/scripts.py): the site's config (with the IRI table) and the parts in
``theme/scripts``. This measures that file exactly as a build with a collector produces it,
minified with ``npx terser -c -m`` (the devDependency in package.json; run ``npm ci``
first) and gzipped at level 9; each part on its own; and what each part and the IRI table
add to the file (the file without them is that much smaller). The build itself ships the
scripts minified by rjsmin (comments and spaces out, names kept): those figures, what a
learner really downloads, are printed too.
Targets: the core beacon (beacon.js) at most 1.2 KB, all lecosite JS a module page loads at
most 3 KB (KB = 1,000 bytes, the stricter reading). Scripts that only special pages load
(catalog, path and progress pages, certificates, governance) are listed for reference.
"""

from __future__ import annotations

import argparse
import gzip
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PAGE_SCRIPTS = REPO / "theme" / "templates" / "assets" / "lecosite"
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


def row(name: str, source: str) -> tuple[str, int, int, int]:
    small = minify(source)
    return name, len(source.encode()), len(small.encode()), gz(small)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strict", action="store_true", help="Exit 1 when a target is missed.")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from lecosite import scripts, xapi

    site = "https://learn.example.com/"
    config = xapi.config_js(site, site + "collect/")
    # A part alone is a fragment of the bundle's function: wrap it so terser may rename.
    parts = [row(f"  {name}.js", f"(() => {{{scripts.part(name)}}})();")
             for name in scripts.PARTS]
    whole = row("lecosite.js", scripts.bundle(config))
    source = scripts.bundle(config)
    # What leaving one piece out of lecosite.js would save: shared words compress once.
    adds = [whole[3] - row("", scripts.bundle(config, tuple(n for n in scripts.PARTS
                                                              if n != name)))[3]
            for name in scripts.PARTS]
    tables = whole[3] - row("", scripts.bundle(re.sub(r',"iri":\{.*?\}', ',"iri":{}',
                                                          config)))[3]
    pages = [row(p.name, p.read_text(encoding="utf-8")) for p in sorted(PAGE_SCRIPTS.glob("*.js"))]
    print(f"{'file':<20}{'source':>9}{'minified':>10}{'gzip -9':>9}{'in lecosite.js':>16}")
    print(f"{whole[0]:<20}{whole[1]:>9}{whole[2]:>10}{whole[3]:>9}")
    for (name, raw, small, packed), added in zip(parts, adds, strict=True):
        print(f"{name:<20}{raw:>9}{small:>10}{packed:>9}{added:>16}")
    print(f"{'  IRI table (config)':<48}{tables:>16}")
    print("on their own pages only:")
    for name, raw, small, packed in pages:
        print(f"{name:<20}{raw:>9}{small:>10}{packed:>9}")
    print(f"as the build ships them (rjsmin){'gzip -9':>17}   (before rjsmin)")
    for name, text in [("lecosite.js", source),
                       *[(p.name, p.read_text(encoding="utf-8"))
                         for p in sorted(PAGE_SCRIPTS.glob("*.js"))]]:
        print(f"{name:<20}{gz(scripts.minify(text)):>28}{gz(text):>17}")
    core = next(r[3] for r in parts if r[0].strip() == "beacon.js")
    total = whole[3]
    ok_core, ok_total = core <= CORE_TARGET, total <= TOTAL_TARGET
    print(f"core beacon (beacon.js): {core} B (target <= {CORE_TARGET}): "
          f"{'met' if ok_core else 'MISSED'}")
    print(f"all lecosite JS on a module page (lecosite.js with a collector, config included): "
          f"{total} B (target <= {TOTAL_TARGET}): {'met' if ok_total else 'MISSED'}")
    return 1 if args.strict and not (ok_core and ok_total) else 0


if __name__ == "__main__":
    raise SystemExit(main())
