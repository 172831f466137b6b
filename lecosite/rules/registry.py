"""The rule registry: every check lecosite makes has an id, a name, a severity and a doc.

A rule function takes the site and the check context and yields ``Hit``s; the registry
turns them into findings. Rules whose findings arise while files are read (syntax,
schema) are declared without a function, so they are documented in the same place.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, NamedTuple, TypeVar, cast

from lecosite.findings import Finding, Severity
from lecosite.yamldoc import Mark

if TYPE_CHECKING:
    from lecosite.assemble import Catalog
    from lecosite.model import Site
    from lecosite.project import Settings


class Hit(NamedTuple):
    file: str  # relative to the content dir
    mark: Mark
    message: str
    hint: str = ""


T = TypeVar("T")


@dataclass
class Context:
    settings: Settings
    catalog: Catalog
    today: date
    prefix: str = ""  # the content dir as seen from the project root, e.g. 'content/'
    directory_urls: bool = True  # MkDocs' use_directory_urls: where pages are published
    cache: dict[str, object] = field(default_factory=dict)

    def memo(self, key: str, make: Callable[[], T]) -> T:
        """``make()``, worked out once per check: several rules go through the same scans,
        links and clips."""
        if key not in self.cache:
            self.cache[key] = make()
        return cast(T, self.cache[key])


RuleFn = Callable[["Site", Context], Iterable[Hit]]


@dataclass
class Rule:
    id: str
    name: str
    severity: Severity
    doc: str
    check: RuleFn | None = None

    def finding(self, file: str, mark: Mark, message: str, hint: str = "") -> Finding:
        return Finding(file, mark[0], mark[1], self.id, self.name, self.severity, message, hint)

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0] if self.doc.strip() else ""


REGISTRY: dict[str, Rule] = {}


def _register(rule_id: str, name: str, severity: Severity, doc: str,
              check: RuleFn | None) -> Rule:
    if rule_id in REGISTRY:
        raise ValueError(f"rule id {rule_id} registered twice")
    REGISTRY[rule_id] = Rule(rule_id, name, severity, inspect.cleandoc(doc), check)
    return REGISTRY[rule_id]


def rule(
    rule_id: str, name: str, severity: Severity = Severity.ERROR
) -> Callable[[RuleFn], RuleFn]:
    """Register a rule function; its docstring (with an example) is the rule's doc."""

    def wrap(fn: RuleFn) -> RuleFn:
        _register(rule_id, name, severity, fn.__doc__ or "", fn)
        return fn

    return wrap


def declare(rule_id: str, name: str, doc: str, severity: Severity = Severity.ERROR) -> Rule:
    """Register a rule whose findings the loader makes."""
    return _register(rule_id, name, severity, doc, None)


def run(site: Site, ctx: Context,
        only: Callable[[str], bool] | None = None) -> Iterator[Finding]:
    """The findings of every rule (or of those whose id ``only`` accepts), in turn."""
    for entry in REGISTRY.values():
        if entry.check is None or (only is not None and not only(entry.id)):
            continue
        for hit in entry.check(site, ctx):
            yield entry.finding(ctx.prefix + hit.file, hit.mark, hit.message, hit.hint)


def reference_markdown() -> str:
    """Every rule as a Markdown page: the portal's rules reference for authors."""
    out = ["# Rules reference", "",
           "Every check `lecosite check` makes, with an example of what it reports. Errors stop "
           "the build; warnings are reported (and fail `--strict`).", ""]
    for entry in sorted(REGISTRY.values(), key=lambda r: r.id):
        out += [f"## {entry.id} {entry.name}", "", f"*{str(entry.severity).capitalize()}*", ""]
        block: list[str] = []
        for line in [*entry.doc.splitlines(), ""]:
            if line.startswith("    "):
                block.append(line[4:])
                continue
            if block:  # a fence longer than any backtick run in it: examples show ```check
                runs = re.findall("`+", "\n".join(block))
                fence = "`" * max([3, *(len(run) + 1 for run in runs)])
                out += [*([""] if out[-1] else []), fence, *block, fence]
                block = []
            out.append(line)
    return "\n".join(out) + "\n"
