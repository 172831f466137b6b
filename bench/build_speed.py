"""Portal build time: lecosite's plugin against plain Material, in the same run.

    python bench/build_speed.py [--sizes 1000:50,5000:250] [--runs 3]

For each size it generates a synthetic project (bench/generate.py), then builds
  * the portal: Material + `lecosite` plugin (nav, catalog, path and module pages), and
  * the baseline: the same Markdown files as a plain Material site with an equivalent
    hand-written nav (same groups, same order),
both with `navigation.prune`, alternating runs, each `mkdocs build` a whole process.
It prints the median of each, the ratio (target ≤ 1.15×) and how the portal's time
grows from the first size to the last (target: 5,000 modules ≤ 5.5× the 1,000 time).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import GENERATOR_VERSION, generate

from lecosite.assemble import NavGroup, NavPath, assemble, nav_tree
from lecosite.load import load_site
from lecosite.project import load_settings

OUT = Path(__file__).resolve().parent / "out"
FEATURES = ["navigation.indexes", "navigation.prune"]
MARKDOWN = ["admonition", "attr_list", "tables", {"toc": {"permalink": True}},
            "pymdownx.superfences", "pymdownx.highlight"]


def project(modules: int, paths: int) -> Path:
    root = OUT / f"build-{modules}m-{paths}p-g{GENERATOR_VERSION}"
    if not (root / "content").is_dir():
        generate(root, modules=modules, paths=paths, seed=0)
    return root


def _config(plugins: list, nav: list | None = None) -> dict:
    config = {"site_name": "Benchmark", "docs_dir": "content",
              "theme": {"name": "material", "font": False, "features": FEATURES},
              "plugins": plugins, "markdown_extensions": MARKDOWN}
    if nav is not None:
        config["nav"] = nav
    return config


def equivalent_nav(root: Path) -> list:
    """The nav lecosite generates, written out by hand as a plain MkDocs nav."""
    settings, _ = load_settings(root)
    site, _ = load_site(settings)
    catalog = assemble(site)

    def node(item: NavGroup | NavPath) -> dict:
        if isinstance(item, NavGroup):
            return {item.title: [node(child) for child in item.children]}
        entries: list = []
        for module, own in item.modules:
            if own:
                entries.append({module.title: module.file})
            else:
                entries.append({module.title: f"/modules/{module.id}/?path={item.view.id}"})
        return {item.view.path.title: entries}

    return ["index.md", *[node(group) for group in nav_tree(catalog)]]


def write_configs(root: Path) -> tuple[Path, Path]:
    portal, plain = root / "mkdocs-portal.yml", root / "mkdocs-plain.yml"
    portal.write_text(yaml.safe_dump(_config(["search", "lecosite"]), sort_keys=False))
    plain.write_text(yaml.safe_dump(_config(["search"], equivalent_nav(root)), sort_keys=False))
    return portal, plain


def build_once(config: Path) -> float:
    site = tempfile.mkdtemp(prefix="lecosite-bench-")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config),
                           "-d", site], env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    shutil.rmtree(site, ignore_errors=True)
    if done.returncode != 0:
        sys.exit(f"build of {config} failed:\n{done.stderr[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000:50,5000:250",
                        help="modules:paths pairs, smallest first")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sizes = [tuple(map(int, pair.split(":"))) for pair in args.sizes.split(",")]
    medians = {}
    for modules, paths in sizes:
        root = project(modules, paths)
        portal, plain = write_configs(root)
        times: dict[str, list[float]] = {"portal": [], "plain": []}
        for _ in range(args.runs):
            times["plain"].append(build_once(plain))
            times["portal"].append(build_once(portal))
        p, b = statistics.median(times["portal"]), statistics.median(times["plain"])
        medians[modules] = p
        verdict = "PASS" if p / b <= 1.15 else "FAIL"
        print(f"{modules:>6} modules / {paths:>4} paths: lecosite {p:6.1f} s, plain Material "
              f"{b:6.1f} s (median of {args.runs}) -> ratio {p / b:.2f}x  (target <= 1.15x: "
              f"{verdict})")
    if len(sizes) > 1:
        small, large = sizes[0][0], sizes[-1][0]
        growth = medians[large] / medians[small]
        target = 5.5 * large / 5000 if large != 5000 else 5.5
        print(f"growth {small} -> {large} modules: {growth:.2f}x  (target <= {target:.1f}x: "
              f"{'PASS' if growth <= target else 'FAIL'})")


if __name__ == "__main__":
    main()
