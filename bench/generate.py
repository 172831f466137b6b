"""Generate a synthetic but realistic lecosite project for benchmarks.

    python bench/generate.py OUT_DIR --modules 5000 --paths 200 [--seed 0]

The project passes ``lecosite check --strict --project OUT_DIR`` with zero findings:

* every module has full, valid front matter (published, reviewed, review_by in 2099),
  a 40–80 line body with headings, lists, a fenced code block, a table, links to other
  modules' files and headings (all resolving), and one image with alt text;
* prerequisites only point at modules with a lower index, so there are no cycles, and
  every path lists its modules in index order, so prerequisites come first;
* every module is in at least one path; about 15% of path entries reuse a module from
  another path; kinds are mixed, certifications set requires/pass_mark/valid_for.

The same tree also carries a ``mkdocs.yml`` so a later benchmark can build the portal.
"""

from __future__ import annotations

import argparse
import posixpath
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

GENERATOR_VERSION = "4"  # bump when the output changes, so cached sites are rebuilt

TOPICS = ["install", "network", "security", "sync", "monitoring", "backup", "upgrade",
          "console", "reporting", "integrations", "troubleshooting", "onboarding"]
VERBS = ["configure", "install", "verify", "plan", "rotate", "monitor", "restore", "upgrade",
         "tune", "audit", "schedule", "export", "import", "secure", "register", "diagnose"]
NOUNS = ["agent", "proxy", "certificate", "service-account", "database-driver", "firewall",
         "queue", "schedule", "table-group", "column-filter", "log-level", "dashboard",
         "alert", "token", "backup-job", "role", "webhook", "connector", "cache", "mirror"]
AUDIENCES = ["administrator", "support-engineer", "end-user", "partner"]
LEVELS = ["beginner", "intermediate", "advanced"]
TAGS = ["connect", "admin", "network", "security", "sync", "backup", "upgrade", "console",
        "reporting", "api", "linux", "windows", "database", "cloud", "troubleshooting"]
OWNERS = ['"@tallyflow/connect-docs"', '"@tallyflow/enablement"', '"@tallyflow/support"',
          "training@tallyflow.example", '"@ana-lima"', '"@tallyflow/security"']
SOURCE_KINDS = ["release-notes", "support-tickets", "docs", "sme", "other"]
LANGS = ["en", "de", "fr", "es", "pt-BR", "ja"]
_TEXT = ("the agent sends each batch over TLS and waits for an acknowledgement before it "
         "moves the sync position forward so a restart never loses a change the console "
         "shows every agent with its last heartbeat queue depth and version an administrator "
         "can pause a table group without stopping the service and resume it later from the "
         "same position most problems come from a proxy that rewrites certificates a clock "
         "that drifts or a service account that lost a permission after a policy change "
         "check the log first then the console then the network path")
WORDS = _TEXT.split()

YT_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"


@dataclass
class Mod:
    index: int
    id: str
    topic: str
    verb: str
    noun: str
    title: str
    prerequisites: list[int] = field(default_factory=list)

    @property
    def file(self) -> str:  # relative to content/
        return f"modules/{self.topic}/{self.id}.md"

    @property
    def task_anchor(self) -> str:
        return f"{self.verb}-the-{self.noun}"


def _sentence(rng: random.Random, lo: int = 8, hi: int = 18) -> str:
    start = rng.randrange(len(WORDS))
    n = rng.randint(lo, hi)
    words = [WORDS[(start + i) % len(WORDS)] for i in range(n)]
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random, lines: int) -> list[str]:
    """A paragraph wrapped at about 95 characters, as authors write it."""
    sentences: list[str] = []
    while sum(len(x) + 1 for x in sentences) < lines * 90:
        sentences.append(_sentence(rng))
    text = " ".join(sentences)
    out, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > 95:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        out.append(line)
    return out


def _link(src: Mod, dst: Mod, anchor: str = "") -> str:
    rel = posixpath.relpath(dst.file, posixpath.dirname(src.file))
    return rel + (f"#{anchor}" if anchor else "")


def _modules(n: int, n_paths: int, rng: random.Random) -> list[Mod]:
    """Modules in path-chunk order: chunk k (for path k) shares a topic."""
    mods = []
    chunk = max(1, n // max(1, n_paths))
    for i in range(n):
        topic = TOPICS[(i // chunk) % len(TOPICS)]
        verb, noun = rng.choice(VERBS), rng.choice(NOUNS)
        mid = f"{topic}-{verb}-{noun}-{i + 1}"
        title = f"{verb.capitalize()} the {noun.replace('-', ' ')} ({topic}, part {i + 1})"
        mods.append(Mod(i, mid, topic, verb, noun, title))
    for mod in mods:
        if mod.index == 0:
            continue
        # mostly recent modules (same path), sometimes an older foundational one
        k = rng.choice([0, 1, 1, 2])
        near = list(range(max(0, mod.index - 8), mod.index))
        picks = set(rng.sample(near, min(k, len(near))))
        if rng.random() < 0.2:
            picks.add(rng.randrange(mod.index))
        mod.prerequisites = sorted(picks)
    return mods


def _front_matter(mod: Mod, mods: list[Mod], rng: random.Random) -> list[str]:
    owners = rng.sample(OWNERS, rng.randint(1, 2))
    tags = rng.sample(TAGS, rng.randint(2, 4))
    audience = rng.sample(AUDIENCES, rng.randint(1, 2))
    summary = _sentence(rng, 12, 22)
    version = f"{rng.randint(1, 3)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}"
    lines = [
        "---",
        f"id: {mod.id}",
        f"title: {mod.title}",
        f"summary: {summary}",
        f"owners: [{', '.join(owners)}]",
        f"version: {version}",
        "status: published",
        f"goal: Learners can {mod.verb} the {mod.noun.replace('-', ' ')} without help.",
        "objectives:",
        *[f"  - {objective}" for objective in dict.fromkeys(  # distinct, as checks demand
            _sentence(rng, 6, 12) for _ in range(rng.randint(2, 4)))],
        f"duration: {rng.randint(5, 15)}",
        f"audience: [{', '.join(audience)}]",
        f"level: {rng.choice(LEVELS)}",
        f"tags: [{', '.join(tags)}]",
    ]
    if mod.prerequisites:
        lines.append(f"prerequisites: [{', '.join(mods[p].id for p in mod.prerequisites)}]")
    if rng.random() < 0.3:
        vid = "".join(rng.choice(YT_CHARS) for _ in range(11))
        lines += ["video:", f"  src: https://www.youtube.com/watch?v={vid}",
                  f"  length: {rng.randint(120, 600)}", "  captions:"]
        lines += [f"    - lang: {lang}" for lang in rng.sample(LANGS, rng.randint(1, 3))]
    lines.append("sources:")
    for _ in range(rng.randint(1, 3)):
        kind = rng.choice(SOURCE_KINDS)
        lines.append(f"  - kind: {kind}")
        lines.append(f"    title: {_sentence(rng, 3, 6)[:-1]}")
        if kind in ("docs", "release-notes"):
            lines.append(f"    url: https://docs.tallyflow.example/connect/{mod.topic}/"
                         f"{mod.noun}")
    month = rng.randint(1, 12)
    lines += [
        f"last_reviewed: 2025-{month:02d}-{rng.randint(1, 28):02d}",
        f"review_by: 2099-{month:02d}-{rng.randint(1, 28):02d}",
        "changelog:",  # the newest entry is the module's version (LS606), each once (LS607)
        *([f"  - {version}: Updated the steps for the current release."]
          if version != "1.0.0" else []),
        "  - 1.0.0: First release.",
        "---",
    ]
    return lines


def _body(mod: Mod, mods: list[Mod], rng: random.Random) -> list[str]:
    others = [mods[rng.randrange(len(mods))] for _ in range(3)]
    noun = mod.noun.replace("-", " ")
    out = [""]
    out += _paragraph(rng, rng.randint(2, 4))
    out += ["", "## Before you start", ""]
    if mod.prerequisites:
        out += [f"- Complete [{mods[p].title}]({_link(mod, mods[p])})."
                for p in mod.prerequisites]
    out += [f"- {_sentence(rng, 6, 12)}" for _ in range(rng.randint(1, 3))]
    out += ["", f"## {mod.verb.capitalize()} the {noun}", ""]
    out += _paragraph(rng, rng.randint(2, 5))
    out.append("")
    for step in range(1, rng.randint(4, 7)):
        out.append(f"{step}. {_sentence(rng, 6, 14)}")
    other = others[0]
    out.append(f"{step + 1}. If the console shows an error, see "
               f"[{other.title}]({_link(mod, other, other.task_anchor)}).")
    out += ["", "```bash", f"# {mod.verb} the {noun} on the agent host",
            f"tfconnect {mod.verb} {mod.noun} --agent WH-EAST-01 --verbose"]
    out += [f"tfconnect status --json | jq '.{mod.noun.replace('-', '_')}[{i}]'"
            for i in range(rng.randint(1, 4))]
    out += ["# expected: state=ok", "```", ""]
    out += _paragraph(rng, rng.randint(1, 3))
    out += ["", "## Reference", "", "| Setting | Default | Notes |", "|---|---|---|"]
    for _ in range(rng.randint(3, 6)):
        key = f"{rng.choice(NOUNS).replace('-', '_')}.{rng.choice(['timeout', 'retries', 'mode'])}"
        out.append(f"| `{key}` | {rng.randint(1, 120)} | {_sentence(rng, 4, 9)} |")
    out += ["", f"![Diagram of the agent, the {noun} and the console, with the ports between "
            f"them]({posixpath.relpath('media/diagram.svg', posixpath.dirname(mod.file))})", ""]
    out += _paragraph(rng, rng.randint(1, 3))
    if rng.random() < 0.5:
        out += ["", "## Troubleshooting", ""]
        out += _paragraph(rng, rng.randint(2, 4))
        out += ["", "!!! tip \"Check the log first\"",
                f"    Most {noun} problems show up in `agent.log` before the console.", ""]
    out += ["", "## Check yourself", ""]
    out += [f"- {_sentence(rng, 5, 10)[:-1]}?" for _ in range(rng.randint(2, 4))]
    out += ["", f"Back to [the reference table](#reference). Next, read "
            f"[{others[1].title}]({_link(mod, others[1])}) and test yourself with "
            f"[its questions]({_link(mod, others[2], 'check-yourself')}).", ""]
    return out


def _paths(mods: list[Mod], m: int, rng: random.Random) -> list[dict]:
    n = len(mods)
    bounds = [round(k * n / m) for k in range(m + 1)]
    out = []
    for k in range(m):
        own = list(range(bounds[k], bounds[k + 1]))
        # ~15% of a path's entries are modules owned by another path
        extra = max(1, round(len(own) * 0.15 / 0.85)) if n > len(own) else 0
        pool = [i for i in range(n) if not bounds[k] <= i < bounds[k + 1]]
        reused = rng.sample(pool, min(extra, len(pool)))
        ids = sorted(set(own) | set(reused))  # index order: prerequisites come first
        kind = "learning-plan" if k % 5 == 1 else "certification" if k % 7 == 3 else "course"
        topic = mods[own[0]].topic if own else rng.choice(TOPICS)
        out.append({"k": k, "id": f"{topic}-{kind}-{k + 1}", "kind": kind, "topic": topic,
                    "modules": ids})
    return out


def _path_yaml(p: dict, all_paths: list[dict], mods: list[Mod], rng: random.Random) -> str:
    ids = p["modules"]
    n_sections = max(1, min(rng.randint(2, 4), len(ids)))
    cuts = sorted(rng.sample(range(1, len(ids)), n_sections - 1)) if n_sections > 1 else []
    chunks = [ids[a:b] for a, b in zip([0, *cuts], [*cuts, len(ids)], strict=True)]
    kind, topic = p["kind"], p["topic"]
    words = {"course": "course", "learning-plan": "learning plan",
             "certification": "certification"}[kind]
    lines = [
        f"id: {p['id']}",
        f"title: Tallyflow Connect {topic} {words} {p['k'] + 1}",
        f"kind: {kind}",
        "status: published",
        f"summary: {_sentence(rng, 12, 22)}",
        f"goal: Learners can run the {topic} part of Connect on their own.",
        f"owners: [{', '.join(rng.sample(OWNERS, rng.randint(1, 2)))}]",
        f"version: {rng.randint(1, 4)}.{rng.randint(0, 9)}.0",
        f"audience: [{', '.join(rng.sample(AUDIENCES, rng.randint(1, 3)))}]",
        f"level: {rng.choice(LEVELS)}",
        f"tags: [{', '.join(rng.sample(TAGS, rng.randint(2, 3)))}]",
    ]
    if kind == "certification":
        earlier = [q["id"] for q in all_paths[:p["k"]] if q["kind"] != "certification"]
        req = rng.sample(earlier, min(len(earlier), rng.randint(1, 2)))
        if req:
            lines.append(f"requires: [{', '.join(req)}]")
        lines += [f"pass_mark: {rng.choice([0.7, 0.75, 0.8, 0.85])}",
                  f"valid_for: {rng.choice([12, 24, 36])}"]
    lines.append("sections:")
    titles = ["Foundations", "Core tasks", "Operations", "Going further"]
    for s, chunk in enumerate(chunks):
        lines.append(f"  - title: {titles[s]}")
        lines.append("    modules:")
        lines += [f"      - {mods[i].id}" for i in chunk]
    lines += ["changelog:", "  - 1.0.0: First release."]
    return "\n".join(lines) + "\n"


LECOSITE_YML = """\
# Synthetic benchmark site (bench/generate.py).
content_dir: content
modules_dir: modules
paths_dir: paths
duration:
  min: 5
  max: 15
schema:
  required: [audience, level]
  audience: [administrator, support-engineer, end-user, partner]
  level: [beginner, intermediate, advanced]
"""

MKDOCS_YML = """\
site_name: Lecosite benchmark site
docs_dir: content
theme:
  name: material
plugins:
  - search
  - lecosite
markdown_extensions:
  - admonition
  - attr_list
  - tables
  - toc:
      permalink: true
  - pymdownx.superfences
  - pymdownx.highlight
"""

DIAGRAM_SVG = """\
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 480 120" role="img">
  <title>Agent, proxy and console</title>
  <rect x="10" y="30" width="120" height="60" rx="8" fill="#e8eaf6" stroke="#3f51b5"/>
  <text x="70" y="65" text-anchor="middle" font-family="sans-serif">Agent</text>
  <rect x="180" y="30" width="120" height="60" rx="8" fill="#e8eaf6" stroke="#3f51b5"/>
  <text x="240" y="65" text-anchor="middle" font-family="sans-serif">Proxy</text>
  <rect x="350" y="30" width="120" height="60" rx="8" fill="#e8eaf6" stroke="#3f51b5"/>
  <text x="410" y="65" text-anchor="middle" font-family="sans-serif">Console</text>
  <path d="M130 60 H180 M300 60 H350" stroke="#3f51b5" stroke-width="2"/>
</svg>
"""

INDEX_MD = """\
# Lecosite benchmark site

A synthetic catalog of {modules} modules in {paths} paths, generated by `bench/generate.py`.
"""


def generate(root: str | Path, modules: int = 200, paths: int = 10, seed: int = 0) -> Path:
    """Write the project into ``root`` (replacing its content folder); return ``root``."""
    if modules < 1 or paths < 1 or paths > modules:
        raise ValueError("need 1 <= paths <= modules")
    root = Path(root)
    rng = random.Random(seed)
    content = root / "content"
    if content.exists():
        shutil.rmtree(content)
    (content / "media").mkdir(parents=True)
    (content / "paths").mkdir()
    root.joinpath("lecosite.yml").write_text(LECOSITE_YML, encoding="utf-8")
    root.joinpath("mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    (content / "media" / "diagram.svg").write_text(DIAGRAM_SVG, encoding="utf-8")
    (content / "index.md").write_text(INDEX_MD.format(modules=modules, paths=paths),
                                      encoding="utf-8")

    mods = _modules(modules, paths, rng)
    for topic in {m.topic for m in mods}:
        (content / "modules" / topic).mkdir(parents=True)
    for mod in mods:
        text = "\n".join(_front_matter(mod, mods, rng) + _body(mod, mods, rng))
        (content / mod.file).write_text(text, encoding="utf-8")

    all_paths = _paths(mods, paths, rng)
    for p in all_paths:
        (content / "paths" / f"{p['id']}.yml").write_text(
            _path_yaml(p, all_paths, mods, rng), encoding="utf-8")
    return root


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", help="folder to write the project into")
    parser.add_argument("--modules", type=int, default=200)
    parser.add_argument("--paths", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    root = generate(args.root, modules=args.modules, paths=args.paths, seed=args.seed)
    print(f"Wrote {args.modules} modules and {args.paths} paths to {root}")


if __name__ == "__main__":
    main()
