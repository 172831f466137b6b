"""A new portal's first files: what a team needs before its first `lecosite new module`."""

from __future__ import annotations

from pathlib import Path

import yaml

from lecosite import xapi
from lecosite.project import CONFIG_FILE

MKDOCS = """\
site_name: {name}
# The address the portal is published at (instant navigation needs it to match).
site_url: {url}
docs_dir: content
theme:
  name: material
  font: false  # system fonts: no request to a third-party font host
  features:
    - navigation.instant
    - navigation.instant.progress
    - navigation.indexes
    - navigation.prune
    - navigation.top
    - search.suggest
    - search.highlight
    - content.code.copy
plugins:
  - search
  - lecosite:
      # Analytics: the URL of your deployed collector, for a production build (off while
      # unset). `lecosite serve` points its preview at the embedded collector instead.
      # collector: https://learn.example.com/collect/
      # The maintainers' table of owners, versions and review dates: in `lecosite serve`
      # only, so a public build never lists the owners (true: in every build).
      governance: preview
validation:
  omitted_files: warn
  absolute_links: warn
  unrecognized_links: warn
  anchors: warn
"""

SETTINGS = """\
# lecosite settings: read by `lecosite check`, the MkDocs plugin and CI. Every key is
# optional; the running-the-academy guide lists them all.
content_dir: content
modules_dir: modules
paths_dir: paths
duration:
  min: 5
  max: 15
completion:
  check: 0.8   # score a module's knowledge checks need, where the module requires them
  video: 0.9   # share of a video watched that completes its module
# schema:
#   required: [audience, level]
#   audience: [administrator, end-user]
"""

GITIGNORE = f"""\
/site/
{xapi.DEFAULT_DB}
{xapi.DEFAULT_DB}-*
/report.html
/report*.csv
/report.json
"""  # lecosite report's own names: learners' comments, never to be committed

FILES = ("mkdocs.yml", CONFIG_FILE)


def existing(folder: Path) -> list[Path]:
    """The starter's settings files that are there already: never overwritten."""
    return [folder / name for name in FILES if (folder / name).exists()]


def write(folder: Path, name: str, url: str) -> list[Path]:
    """Write the starter into ``folder``; returns what was made or added to, folders included.
    A .gitignore there already gets only the lines it lacks."""
    quoted = yaml.safe_dump(name, default_style='"', width=1 << 16).strip()
    made = []
    for rel, text in (("mkdocs.yml", MKDOCS.format(name=quoted, url=url)),
                      (CONFIG_FILE, SETTINGS)):
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        made.append(target)
    ignore = folder / ".gitignore"
    have = ignore.read_text(encoding="utf-8").splitlines() if ignore.is_file() else []
    missing = [line for line in GITIGNORE.splitlines() if line not in have]
    if missing:
        lead = "\n" if have and not ignore.read_text(encoding="utf-8").endswith("\n") else ""
        with ignore.open("a", encoding="utf-8") as fh:
            fh.write(lead + "\n".join(missing) + "\n")
        made.append(ignore)
    for rel in ("content/modules", "content/paths"):
        (folder / rel).mkdir(parents=True, exist_ok=True)
        made.append(folder / rel)
    return made
