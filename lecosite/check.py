"""One call that loads, assembles and validates a site: what the CLI and the plugin share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from lecosite import rules
from lecosite.assemble import Catalog, assemble
from lecosite.findings import Finding
from lecosite.load import load_site
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
          prefix: str | None = None, jobs: int = 1) -> Result:
    """Load the content and run every rule; findings come back sorted by place."""
    site, findings = load_site(settings, content_dir, prefix, jobs=jobs)
    catalog = assemble(site, drafts=True)
    ctx = Context(settings=settings, catalog=catalog, today=today or date.today(),
                  prefix=site.prefix)
    findings = [*findings, *rules.run(site, ctx)]
    findings.sort(key=Finding.sort_key)
    files = len(site.modules) + len(site.paths) + len(site.pages) + len(site.duplicates)
    return Result(settings, site, catalog, findings, files)


def check_project(root: Path, *, today: date | None = None, jobs: int = 1) -> Result:
    """Check the project in ``root``, its lecosite.yml included."""
    settings, config_findings = load_settings(root)
    result = check(settings, today=today, jobs=jobs)
    result.findings = sorted([*config_findings, *result.findings], key=Finding.sort_key)
    return result
