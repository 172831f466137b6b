"""Where the portal publishes what, shared by the renderer, the MkDocs adapter and the link
check: a link the check accepts is one the build resolves, and a wrong one gets the file
name that works."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from functools import cached_property

from lecosite.model import MARKDOWN_SUFFIXES, Path, Site

PROGRESS_URL = "progress/"
RULES_PAGE = "guides/rules.md"
GOVERNANCE_PAGE = "governance/index.md"


def module_url(module_id: str) -> str:
    return f"modules/{module_id}/"


def path_url(path_id: str) -> str:
    return f"paths/{path_id}/"


def certificate_url(path_id: str) -> str:
    return f"certificates/{path_id}/"


def path_pages(path: Path) -> list[str]:
    """The source names of the pages a build makes of a path: its page, and a
    certification's certificate."""
    pages = [f"{path_url(path.id)}index.md"]
    if path.kind == "certification":
        pages.append(f"{certificate_url(path.id)}index.md")
    return pages


@dataclass(frozen=True)
class PageOptions:
    """The MkDocs plugin's options that decide which of lecosite's pages a build adds
    ('catalog' and 'governance' under '- lecosite:' in mkdocs.yml): a link to one works only
    where the build has it."""

    catalog: bool = True
    governance: bool | str = False  # True, False or 'preview' (`lecosite serve` only)


class Addresses:
    """Where a build publishes each page of a site, as MkDocs' ``use_directory_urls`` has
    it: a relative address in raw HTML is read from there, and must lead to one of them.

    With directory URLs (MkDocs' default) 'guides/help.md' is at 'guides/help/', a folder's
    'index.md' or README.md at the folder, the top 'index.md' at ''. Without, they are at
    'guides/help.html' and 'guides/index.html'. A module is at modules/<id>/ either way
    (its index.html without directory URLs).
    """

    def __init__(self, site: Site, directory_urls: bool = True,
                 options: PageOptions = PageOptions()) -> None:
        self.site = site
        self.directory_urls = directory_urls
        self.options = options
        self.by_file = site.module_by_file()

    def of(self, source: str) -> str:
        """The address of a content file's page (any other file: its own path)."""
        module = self.by_file.get(source)
        if module is not None:
            return module_url(module.id) + ("" if self.directory_urls else "index.html")
        if not source.endswith(MARKDOWN_SUFFIXES):
            return source
        stem = posixpath.splitext(source)[0]
        folder, name = posixpath.split(stem)
        if name in ("index", "README"):
            folder = f"{folder}/" if folder else ""
            return folder if self.directory_urls else f"{folder}index.html"
        return f"{stem}/" if self.directory_urls else f"{stem}.html"

    @cached_property
    def generated(self) -> set[str]:
        """The source names of the pages a build adds, which a module may link to like any
        file: ``[the course](../../paths/connect-onboarding/index.md)``. Not the catalog or
        the rules reference where an author's page is at their address (see authored):
        MkDocs then finds no index.md or guides/rules.md. The catalog and the governance
        page as the options say: the governance page in every build, not in a preview only.
        No retired path's: no build has it."""
        pages = {f"{PROGRESS_URL}index.md"}
        wanted = [RULES_PAGE, *(["index.md"] if self.options.catalog else [])]
        pages |= {page for page in wanted if self.authored(page) is None}
        if self.options.governance is True:
            pages.add(GOVERNANCE_PAGE)
        for path in self.site.paths.values():
            if path.status != "retired":  # a draft's, in a preview (LS408 warns)
                pages.update(path_pages(path))
        return pages

    def authored(self, page: str) -> str | None:
        """The author's page published at the address of ``page``, one of the build's own
        (the catalog, the rules reference), or None: the author's then takes its place, as
        both would be built into one file. That is ``page`` itself, or another at its
        address: README.md at the top, like index.md; guides/rules/index.md, with directory
        URLs, where guides/rules.md is."""
        if page in self.site.pages:
            return page
        address = self.of(page)
        return next((source for source in self.site.pages if self.of(source) == address), None)

    def folder(self, source: str) -> str:
        """The folder of the page's address, which the browser reads relative ones from."""
        address = self.of(source)
        return address[:address.rfind("/") + 1]

    def source(self, address: str) -> str | None:
        """The source a portal address ('modules/<id>/', 'paths/<id>/', '' for the catalog…)
        stands for, read leniently ('guides/help.html' and 'guides/help/' both name
        guides/help.md, whichever the build publishes): what a wrong address meant. None
        when it names no page of this portal."""
        address = address.removesuffix("index.html").removesuffix(".html").strip("/")
        if not address:
            return self.authored("index.md") or ("index.md" if "index.md" in self.generated
                                                 else None)
        kind, _, item = address.partition("/")
        if kind == "modules" and item in self.site.modules:
            return self.site.modules[item].file
        # a guide, or a folder's page
        for source in (f"{address}.md", f"{address}/index.md", f"{address}/README.md"):
            if source in self.site.pages:
                return source
        source = f"{address}/index.md"
        return source if source in self.generated else None

    def published_at(self, address: str) -> str | None:
        """The source of the page the build publishes at ``address``, or None. A web server
        answers a folder's address with its index.html, with or without the last '/'."""
        source = self.source(address)
        if source is None or _folder(self.of(source)) != _folder(address):
            return None
        return source


def _folder(address: str) -> str:
    return address.removesuffix("index.html").rstrip("/")
