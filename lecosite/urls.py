"""Where the portal publishes what, shared by the renderer, the MkDocs adapter and the link
check: a link the check accepts is one the build resolves, and a wrong one gets the file
name that works."""

from __future__ import annotations

import posixpath

from lecosite.model import MARKDOWN_SUFFIXES, Module, Site

PROGRESS_URL = "progress/"
RULES_PAGE = "guides/rules.md"
GOVERNANCE_PAGE = "governance/index.md"


def module_url(module_id: str) -> str:
    return f"modules/{module_id}/"


def path_url(path_id: str) -> str:
    return f"paths/{path_id}/"


def certificate_url(path_id: str) -> str:
    return f"certificates/{path_id}/"


def page_url(source: str) -> str:
    """Where MkDocs publishes a page of the content folder (with directory URLs, its default):
    'guides/help.md' at 'guides/help/', 'guides/index.md' or a README.md at 'guides/', the
    top 'index.md' at ''. A relative address in raw HTML is read from there."""
    stem = posixpath.splitext(source)[0]
    folder, name = posixpath.split(stem)
    if name in ("index", "README"):
        return f"{folder}/" if folder else ""
    return f"{stem}/"


def source_url(source: str, by_file: dict[str, Module]) -> str:
    """Where the portal publishes a content file: a module (``by_file``: the site's, by file)
    at modules/<id>/, a page as ``page_url`` says, any other file at its own path."""
    module = by_file.get(source)
    if module is not None:
        return module_url(module.id)
    return page_url(source) if source.endswith(MARKDOWN_SUFFIXES) else source


def generated_pages(site: Site) -> set[str]:
    """The source names of the pages a build adds, which a module may link to like any file:
    ``[the course](../../paths/connect-onboarding/index.md)``."""
    pages = {"index.md", f"{PROGRESS_URL}index.md", RULES_PAGE}
    for path in site.paths.values():
        pages.add(f"{path_url(path.id)}index.md")
        if path.kind == "certification":
            pages.add(f"{certificate_url(path.id)}index.md")
    return pages


def page_source(address: str, site: Site) -> str | None:
    """The source a relative link names for a portal address ('modules/<id>/', 'paths/<id>/',
    '' for the catalog…), or None when the address is no page of this portal."""
    address = address.removesuffix("index.html").removesuffix(".html").strip("/")
    if not address:
        return "index.md"
    kind, _, item = address.partition("/")
    if kind == "modules" and item in site.modules:
        return site.modules[item].file
    for source in (f"{address}.md", f"{address}/index.md"):  # a guide, or a folder's page
        if source in site.pages:
            return source
    source = f"{address}/index.md"
    return source if source in generated_pages(site) else None
