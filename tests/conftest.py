"""Core fixtures: a small valid lecosite project on disk that a test can change file by file."""

from __future__ import annotations

import subprocess
import textwrap
from datetime import date
from pathlib import Path

import pytest
import yaml

from lecosite.check import check_project

TODAY = date(2026, 6, 1)  # every check runs on this day, so review dates never rot

CONFIG = """\
content_dir: content
modules_dir: modules
paths_dir: paths
duration:
  min: 5
  max: 15
"""


def dump(data):
    """Front matter / path YAML: block style at the top, flow style for leaf lists."""
    return yaml.safe_dump(data, sort_keys=False, default_flow_style=None, allow_unicode=True,
                          width=1000)


def module_fields(mid, **fields):
    data = {
        "id": mid,
        "title": mid.replace("-", " ").title(),
        "summary": f"What {mid} is about.",
        "owners": ["@org/team"],
        "version": "1.0.0",
        "status": "published",
        "goal": f"Learners can do {mid}.",
        "objectives": [f"Do {mid}."],
        "duration": 8,
        "last_reviewed": "2026-01-15",
        "review_by": "2026-12-31",
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def path_fields(pid, **fields):
    data = {
        "id": pid,
        "title": pid.replace("-", " ").title(),
        "kind": "course",
        "summary": f"The {pid} course.",
        "goal": f"Learners finish {pid}.",
        "owners": ["@org/team"],
        "version": "1.0.0",
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


class Project:
    """A lecosite project in a temporary folder. File names are relative to its root."""

    today = TODAY

    def __init__(self, root: Path):
        self.root = root

    def write(self, rel, content):
        target = self.root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(textwrap.dedent(content), encoding="utf-8")
        return rel

    def read(self, rel):
        return (self.root / rel).read_text(encoding="utf-8")

    def remove(self, rel):
        (self.root / rel).unlink()

    def module(self, mid, *, body="# Heading\n\nSome text.\n", folder="", **fields):
        """Write (or overwrite) a module; fields override the defaults, None drops a field."""
        rel = f"content/modules/{folder + '/' if folder else ''}{mid}.md"
        return self.write(rel, f"---\n{dump(module_fields(mid, **fields))}---\n\n{body}")

    def path(self, pid, **fields):
        return self.write(f"content/paths/{pid}.yml", dump(path_fields(pid, **fields)))

    def check(self, today=TODAY):
        return check_project(self.root, today=today).findings

    def findings(self, rule, today=TODAY):
        return [f for f in self.check(today) if f.rule == rule]

    def only(self, rule, findings=None):
        """The single finding of ``rule``; on anything else fails listing every finding."""
        findings = self.check() if findings is None else findings
        mine = [f for f in findings if f.rule == rule]
        assert len(mine) == 1, [f"{f.location()} {f.rule} {f.message}" for f in findings]
        return mine[0]

    def at(self, rel, needle, nth=0):
        """(line, col), 1-based, of the nth occurrence of ``needle`` in a file."""
        hits = [(number, line.index(needle) + 1)
                for number, line in enumerate(self.read(rel).split("\n"), start=1)
                if needle in line]
        return hits[nth]


@pytest.fixture
def make_site(tmp_path):
    """Project factory: ``make_site()`` is valid (2 modules, 1 path); ``bare=True`` is empty."""
    count = 0

    def make(*, bare=False):
        nonlocal count
        count += 1
        project = Project(tmp_path / f"project{count}")
        project.write("lecosite.yml", CONFIG)
        (project.root / "content" / "modules").mkdir(parents=True)
        (project.root / "content" / "paths").mkdir(parents=True)
        if not bare:
            project.module("alpha", folder="basics")
            project.module("beta", folder="basics", prerequisites=["alpha"])
            project.path("basics", modules=["alpha", "beta"])
        return project

    return make


@pytest.fixture
def site(make_site):
    return make_site()


# -- git (for lecosite diff) -------------------------------------------------------------

GIT = ["git", "-c", "user.name=lecosite tests", "-c", "user.email=tests@example.com",
       "-c", "commit.gpgsign=false", "-c", "core.hooksPath=/dev/null"]


class GitProject(Project):
    """A project that is a git repository: commit it, change it, then diff against HEAD."""

    def git(self, *args):
        done = subprocess.run([*GIT, *args], cwd=self.root, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def commit(self, message="content"):
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)

    def diff(self, base="HEAD", today=TODAY):
        from lecosite.governance.diff import run_diff

        return run_diff(self.root, base, today=today)


@pytest.fixture
def git_repo():
    """``git_repo(folder)``: a new repository there, everything in it committed once."""

    def make(root):
        repo = GitProject(root)
        repo.git("init", "-q")
        repo.commit("base")
        return repo

    return make


@pytest.fixture
def git_site(make_site):
    """The valid project of ``make_site()``, committed as the first commit of a new repo."""
    project = GitProject(make_site().root)
    project.git("init", "-q")
    project.commit("base")
    return project
