"""Generated pages and the nav: the parts of the MkDocs adapter that shape the site."""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page

from lecosite.assemble import Catalog, NavGroup, NavPath, PathView, nav_tree
from lecosite.load import source_kind
from lecosite.model import Module
from lecosite.project import Settings
from lecosite.render import escape_text
from lecosite.rules.paths import taken_pages
from lecosite.rules.registry import reference_markdown
from lecosite.urls import (
    GOVERNANCE_PAGE,
    PROGRESS_URL,
    RULES_PAGE,
    Addresses,
    certificate_url,
    module_url,
    path_url,
)


@dataclass
class Entry:
    """What lecosite knows about one page it publishes."""

    kind: str  # catalog, path, module, retired, progress, certificate or governance
    module: Module | None = None
    view: PathView | None = None

    @property
    def summary(self) -> str | None:
        """A module's or path's summary; a certificate page has its own words."""
        if self.module is not None:
            return self.module.summary
        return self.view.path.summary if self.kind == "path" and self.view else None


def _front_matter(title: str, **extra: object) -> str:
    lines = ["---", f"title: {json.dumps(escape_text(title))}"]
    lines += [f"{key}: {json.dumps(value)}" for key, value in extra.items()]
    return "\n".join([*lines, "---", ""])


def _move(file: File, config: MkDocsConfig, url: str) -> None:
    file.dest_uri = url + "index.html"
    file.abs_dest_path = posixpath.normpath(posixpath.join(config.site_dir, file.dest_uri))
    file.url = url if config.use_directory_urls else file.dest_uri


def shape_files(files: Files, config: MkDocsConfig, catalog: Catalog, settings: Settings,
                with_catalog: bool, governance: bool) -> dict[str, Entry]:
    """Publish modules at modules/<id>/, drop sources that are not pages, add generated ones.
    Files that did not load (not UTF-8, a YAML typo…) are dropped too:
    MkDocs would fail on some, and a preview would show the others as raw text, owners'
    addresses included, at an address no build publishes; the preview lists their errors.
    So is an author's page where one of lecosite's is published (LS208, an error a preview
    shows): MkDocs would build both into one file, or warn with a stack trace. The catalog
    and the rules reference are the other way round: an author's page at their address
    (an index.md or README.md at the top…) is published instead.

    Returns the page index (src_uri → Entry) that per-page hooks look things up in.
    """
    site = catalog.site
    index: dict[str, Entry] = {}
    by_file = site.module_by_file()
    displaced: dict[str, list[str]] = {}  # lecosite's page → the author's it takes the place of
    for page, owner in taken_pages(site, config.use_directory_urls).items():
        displaced.setdefault(owner.src, []).append(page)

    def take_place(src: str) -> None:
        for page in displaced.get(src, ()):
            if (theirs := files.get_file_from_path(page)) is not None:
                files.remove(theirs)

    def generate(src: str, content: str) -> None:
        take_place(src)
        files.append(File.generated(config, src, content=content))

    for file in list(files):
        src = file.src_uri
        if source_kind(src, settings) in ("path", "defaults", "skipped"):
            files.remove(file)  # sources, not pages (and they may hold e-mail addresses)
            continue
        module = by_file.get(src)
        if module is None:
            if src in site.unloaded:
                files.remove(file)
            continue
        if module.id in catalog.modules or module.status == "retired":
            take_place(src)
            _move(file, config, module_url(module.id))
            index[src] = Entry("module" if module.id in catalog.modules else "retired", module)
        else:
            files.remove(file)
    addresses = Addresses(site, config.use_directory_urls)
    if with_catalog and addresses.authored("index.md") is None:
        generate("index.md", _front_matter("Catalog", hide=["toc"]))
        index["index.md"] = Entry("catalog")
    for view in catalog.paths.values():
        src = f"{path_url(view.id)}index.md"
        generate(src, _front_matter(view.path.title))
        index[src] = Entry("path", view=view)
        if view.path.kind == "certification":
            src = f"{certificate_url(view.id)}index.md"
            generate(src, _front_matter(f"Certificate: {view.path.title}",
                                        hide=["navigation", "toc"], search={"exclude": True}))
            index[src] = Entry("certificate", view=view)
    if addresses.authored(RULES_PAGE) is None:
        generate(RULES_PAGE, reference_markdown())
    if governance:
        generate(GOVERNANCE_PAGE, _front_matter("Content governance", hide=["toc"],
                                                search={"exclude": True}))
        index[GOVERNANCE_PAGE] = Entry("governance")
    src = f"{PROGRESS_URL}index.md"
    generate(src, _front_matter("Your progress", hide=["toc"], search={"exclude": True}))
    index[src] = Entry("progress")
    return index


def build_nav(files: Files, catalog: Catalog, index: dict[str, Entry], fanout: int) -> Navigation:
    """Catalog and progress, then the core's nav tree (paths by kind, modules in order).

    A module reused in several paths is one page, under its first path, and a link
    (carrying the path context) elsewhere. The home page is the catalog, or the author's
    page at its address (at the top whatever MkDocs' use_directory_urls).
    """
    home = Addresses(catalog.site).authored("index.md") or "index.md"

    def page(src: str) -> Page | None:
        file = files.get_file_from_path(src)
        return file.page if file is not None else None

    def convert(node: NavGroup | NavPath) -> Section:
        if isinstance(node, NavGroup):
            return Section(escape_text(node.title), [convert(child) for child in node.children])
        view = node.view
        children: list[Page | Section | Link] = []
        overview = page(f"{path_url(view.id)}index.md")
        if overview is not None:
            children.append(overview)
        for module, own in node.modules:
            module_page = page(module.file)
            if module_page is not None and own:
                children.append(module_page)
            elif module_page is not None:
                children.append(Link(escape_text(module.title),
                                     f"{module_page.url}?path={view.id}"))
        return Section(escape_text(view.path.title), children)

    items: list[Page | Section | Link] = [
        found for src in (home, f"{PROGRESS_URL}index.md") if (found := page(src))]
    items += [convert(group) for group in nav_tree(catalog, fanout)]
    guides = [f.page for f in files.documentation_pages()
              if f.page is not None and f.src_uri not in index and f.src_uri != home]
    if guides:
        items.append(Section("Guides", list(guides)))
    governance = page(GOVERNANCE_PAGE)
    if governance is not None:
        items.append(governance)
    pages = _linked(items, None)
    for before, here, after in zip([None, *pages[:-1]], pages, [*pages[1:], None], strict=True):
        here.previous_page, here.next_page = before, after
    return Navigation(items, pages)


def _linked(items: list[Page | Section | Link], parent: Section | None) -> list[Page]:
    """Give every item its section, as MkDocs' own nav does; the pages in nav order come
    back (MkDocs' helpers for this are private)."""
    pages: list[Page] = []
    for item in items:
        item.parent = parent
        if isinstance(item, Section):
            pages += _linked(item.children, item)
        elif isinstance(item, Page):
            pages.append(item)
    return pages
