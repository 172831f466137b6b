"""One call that loads, assembles and validates a site: what the CLI and the plugin share."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from lecosite import rules
from lecosite.assemble import Catalog, assemble
from lecosite.findings import Finding
from lecosite.load import Loading, start_load
from lecosite.model import Site
from lecosite.project import Settings, load_settings
from lecosite.rules.registry import Context


@dataclass
class Result:
    settings: Settings
    site: Site
    catalog: Catalog  # with drafts, as the rules see it
    findings: list[Finding]
    files: int  # modules, paths and pages read


def check(settings: Settings, *, content_dir: str | None = None, today: date | None = None,
          prefix: str | None = None, jobs: int = 1, loading: Loading | None = None) -> Result:
    """Load the content (or finish ``loading``, begun earlier with start_load) and run every
    rule; findings come back sorted by place."""
    with _collection_paused():
        site, findings = (loading or start_load(settings, content_dir, prefix, jobs=jobs,
                                                reads_too=True)).finish()
        catalog = assemble(site, drafts=True)
        ctx = Context(settings=settings, catalog=catalog, today=today or date.today(),
                      prefix=site.prefix)
        findings = [*findings, *rules.run(site, ctx)]
    findings.sort(key=Finding.sort_key)
    files = (len(site.modules) + len(site.paths) + len(site.pages) + len(site.duplicates)
             + len(site.unloaded))
    return Result(settings, site, catalog, findings, files)


@contextmanager
def _collection_paused() -> Iterator[None]:
    """Loading makes tens of thousands of objects that live as long as the result: the
    full collections they would set off meanwhile (in a build too) find nothing to free."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def check_project(root: Path, *, today: date | None = None, jobs: int = 1) -> Result:
    """Check the project in ``root``, its lecosite.yml included."""
    settings, config_findings = load_settings(root)
    result = check(settings, today=today, jobs=jobs)
    result.findings = sorted([*config_findings, *result.findings], key=Finding.sort_key)
    return result
