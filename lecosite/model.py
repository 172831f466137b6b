"""The content model: modules, paths and the site they form. Plain data, no I/O."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from lecosite.body import Scan
from lecosite.video import Video
from lecosite.yamldoc import Doc, Mark

PUBLISHED = frozenset({"published", "deprecated"})  # a module's statuses learners see


def published(kind: str, status: str) -> bool:
    """Whether learners see a module or path ("module", "path") with ``status`` in the
    published portal: the build, the rules and ``lecosite diff`` must agree."""
    return status in PUBLISHED if kind == "module" else status == "published"
MARKDOWN_SUFFIXES = (".md", ".markdown")
YAML_SUFFIXES = (".yml", ".yaml")


def file_id(file: str) -> str:
    """The id a module or path file is named after: its name without the suffix."""
    return posixpath.splitext(posixpath.basename(file))[0]


SEMVER = re.compile(r"^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$")


@lru_cache(maxsize=4096)
def parse_version(text: str) -> tuple[int, int, int, tuple[Any, ...]] | None:
    """A sortable semver key (pre-releases before their release), or None. Cached: a site
    repeats the same few versions in thousands of files."""
    m = SEMVER.match(text or "")
    if not m:
        return None
    pre: tuple[Any, ...] = (1,)
    if m.group(4):
        pre = (0, *((0, int(p), "") if p.isdigit() else (1, 0, p) for p in m.group(4).split(".")))
    return int(m.group(1)), int(m.group(2)), int(m.group(3)), pre


@dataclass
class Source:
    kind: str
    title: str
    url: str | None = None


@dataclass
class Module:
    file: str  # relative to the content dir, '/'-separated
    doc: Doc  # the front matter with its marks
    id: str
    title: str
    summary: str
    owners: list[str]
    version: str
    status: str
    goal: str
    objectives: list[str]
    duration: int
    body: str
    body_line: int  # the file line the body starts on
    audience: list[str] = field(default_factory=list)
    level: str | None = None
    tags: list[str] = field(default_factory=list)
    prerequisites: list[str] = field(default_factory=list)
    video: Video | None = None
    sources: list[Source] = field(default_factory=list)
    last_reviewed: date | None = None
    review_by: date | None = None
    changelog: list[tuple[str, str]] = field(default_factory=list)
    replaced_by: str | None = None
    completion: dict[str, float] = field(default_factory=dict)  # 'check' / 'video' shares
    extra: dict[str, Any] = field(default_factory=dict)
    review_every: int | None = None  # months, from its folder's _defaults.yml
    scan: Scan | None = None  # headings, links and images of the body, read while loading

    @property
    def published(self) -> bool:
        return published("module", self.status)

    def where(self, *path: str | int) -> Mark:
        return self.doc.where(path)


@dataclass
class Section:
    title: str | None  # None for a path written as a flat module list
    modules: list[str]
    line: int


@dataclass
class Path:
    file: str
    doc: Doc
    id: str
    title: str
    kind: str
    summary: str
    goal: str
    owners: list[str]
    version: str
    sections: list[Section]
    status: str = "published"
    audience: list[str] = field(default_factory=list)
    level: str | None = None
    tags: list[str] = field(default_factory=list)
    requires: list[str] = field(default_factory=list)
    pass_mark: float | None = None
    valid_for: int | None = None
    changelog: list[tuple[str, str]] = field(default_factory=list)

    @property
    def module_ids(self) -> list[str]:
        return [m for s in self.sections for m in s.modules]

    @property
    def published(self) -> bool:
        return published("path", self.status)

    def where(self, *path: str | int) -> Mark:
        return self.doc.where(path)

    def module_mark(self, index: int) -> Mark:
        """Where the index-th module of the path (counting across sections) is written."""
        for s_index, section in enumerate(self.sections):
            if index < len(section.modules):
                if section.title is None:
                    return self.where("modules", index)
                return self.where("sections", s_index, "modules", index)
            index -= len(section.modules)
        return self.where("modules")


@dataclass
class Page:
    """A Markdown file in the content dir that is not a module (a guide, an about page)."""

    file: str
    body: str
    body_line: int
    scan: Scan | None = None


@dataclass
class Site:
    """Everything loaded from one content dir. Broken files are absent here, present as findings."""

    root: str  # the content dir, as given
    prefix: str = ""  # the content dir as findings name it, e.g. 'content/'
    modules: dict[str, Module] = field(default_factory=dict)
    paths: dict[str, Path] = field(default_factory=dict)
    pages: dict[str, Page] = field(default_factory=dict)
    assets: set[str] = field(default_factory=set)  # every other file, as findings name it
    duplicates: list[Module | Path] = field(default_factory=list)  # later holders of an id
    # Module, path and page files that exist but could not be loaded (their own findings
    # say why): references to them are not reported again as unknown.
    unloaded: set[str] = field(default_factory=set)

    def unloaded_ids(self) -> set[str]:
        """Ids the unloaded files most likely hold: a file is named after its id."""
        return {file_id(f) for f in self.unloaded}

    def module_by_file(self) -> dict[str, Module]:
        return {m.file: m for m in self.modules.values()}
