"""The MkDocs plugin: wires MkDocs events to lecosite's core. No content logic lives here."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from lecosite import questions, xapi
from lecosite.ahead import Ahead
from lecosite.assemble import assemble
from lecosite.check import check
from lecosite.findings import Finding, Severity
from lecosite.governance.codeowners import target as codeowners_file
from lecosite.governance.rows import GovernanceRow, governance_rows
from lecosite.load import Loading, mkdocs_nav, start_load
from lecosite.mkdocs.config import LecositeConfig
from lecosite.mkdocs.pages import Entry, build_nav, shape_files
from lecosite.project import CONFIG_FILE, Settings, load_settings
from lecosite.questions import Question
from lecosite.render import THEME_TEMPLATES, Renderer, escape_text, read_transcript
from lecosite.scripts import PAGE_SCRIPTS, bundle, minify
from lecosite.urls import PageOptions
from lecosite.video import Inline, caption_index, from_inline, replace_inline_videos

log = get_plugin_logger(__name__)

Rendered = tuple[str, str, str]  # the page's URL and its blocks (see _blocks)

ASSETS = ["assets/lecosite/lecosite.css"]
SCRIPT = "assets/lecosite/lecosite.js"  # generated: see lecosite/scripts.py
SLOT = '<div class="ls-slot" data-ls-slot="{}"></div>'
HEADER = "<!-- lecosite:module-header -->"
FOOTER = "<!-- lecosite:module-footer -->"
# Front-matter fields Material's templates print without escaping (base.html, nav-item.html).
_PRINTED_META = ("title", "description", "subtitle", "author", "status")
# The Markdown the author guide teaches and the check reads (`<div markdown>`, `{: …}`
# attributes, `!!!` and `???` blocks, tabs): a portal's mkdocs.yml need not list it.
MARKDOWN: dict[str, dict[str, Any]] = {
    "admonition": {}, "attr_list": {}, "md_in_html": {}, "tables": {}, "pymdownx.details": {},
    "pymdownx.superfences": {}, "pymdownx.tabbed": {"alternate_style": True}}

class LecositePlugin(BasePlugin[LecositeConfig]):
    def __init__(self) -> None:
        self.settings: Settings | None = None
        self.jobs = 1
        self.governance: list[GovernanceRow] = []
        self.index: dict[str, Entry] = {}
        self.renderer: Renderer | None = None
        self.captions: dict[str, list[str]] = {}  # folder → .vtt files, for inline videos
        self.slots: dict[str, list[str]] = {}  # HTML of inline videos and checks, per page
        self.ahead: Ahead[dict[str, Rendered]] | None = None
        self.rendered: dict[str, Rendered] = {}  # src → what `ahead` rendered for the page
        self.loading: Loading | None = None
        self.collector: str | None = None  # LECOSITE_COLLECTOR, else the option
        self.serving = False
        self.setup_errors: list[Finding] = []  # from lecosite.yml, reported with the content's
        self.problems = ""  # while serving: the content errors and warnings, on every page

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """A build reads content on every core; `serve` runs threads, so it stays serial."""
        self.serving = command == "serve"
        self.jobs = (os.cpu_count() or 1) if not self.serving else 1

    @property
    def with_governance(self) -> bool:
        """`preview`: while serving only, so the owners' contacts stay out of public builds."""
        wanted = self.config.governance
        return self.serving if wanted == "preview" else bool(wanted)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        settings_file = root / self.config.settings
        if self.config.settings != CONFIG_FILE and not settings_file.is_file():
            raise PluginError(f"lecosite: the settings file {settings_file} does not exist; "
                              "fix the plugin's 'settings' option in mkdocs.yml.")
        in_the_way = _file_in_the_way(Path(config.site_dir))
        if in_the_way:
            raise PluginError(f"lecosite: cannot build into {config.site_dir}: {in_the_way} is "
                              "a file, not a folder. Move or rename that file, or build "
                              "elsewhere (--site-dir, or site_dir in mkdocs.yml).")
        if config.nav is not None:  # the paths make the menu; MkDocs warned of every page
            config_file = Path(config.config_file_path or "mkdocs.yml")
            _report(mkdocs_nav(config_file.parent, config_file.name))
            config.nav = None
        from_env = os.environ.get("LECOSITE_COLLECTOR", "").strip()
        self.collector = (None if from_env.lower() == "off"
                          else from_env or self.config.collector)
        if self.collector and not re.match(r"^https?://[^/\s]+", self.collector):
            raise PluginError(f"lecosite: collector must be the http(s) URL of a collector, "
                              f"e.g. https://learn.example.com/collect/; got {self.collector!r}.")
        for warning in xapi.beacon_warnings(config.site_url or "", self.collector,
                                            preview=self.serving):
            log.warning(warning)
        settings, problems = load_settings(settings_file.parent, settings_file.name,
                                           config.docs_dir)
        self.setup_errors = _report(problems)  # defaults stand in; on_files stops on them
        # This build's own options: mkdocs.yml beside the settings may not be the one built.
        settings.pages = PageOptions(self.config.catalog, self.config.governance)
        self.settings = settings
        if not problems and settings.content_path.resolve() != Path(config.docs_dir).resolve():
            content_dir = os.path.relpath(config.docs_dir, settings.root)
            raise PluginError(
                f"lecosite: mkdocs.yml publishes {config.docs_dir} (docs_dir) but "
                f"{self.config.settings} has content_dir: {settings.content_dir}, so "
                "'lecosite check' would check another folder than the one published; make them "
                f"the same, e.g. content_dir: {content_dir} in {self.config.settings}.")
        # Workers read the content while MkDocs lists files and sets up its theme.
        self.loading = start_load(settings, config.docs_dir, jobs=self.jobs)
        for name, options in MARKDOWN.items():
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
                config.mdx_configs.setdefault(name, options)
        # Right after the portal's custom_dir: lecosite's partials (e.g. an accessible
        # progress bar) take precedence over Material's, the portal's over both.
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, THEME_TEMPLATES)
        config.extra_css.extend(a for a in ASSETS if a not in config.extra_css)
        if SCRIPT not in config.extra_javascript:
            config.extra_javascript.append(SCRIPT)
        if settings_file.is_file():
            config.watch.append(str(settings_file))
        owners = codeowners_file(settings.root)[0]  # LS611 clears when it is rewritten
        watched = next((p for p in (owners, owners.parent) if p.is_dir() or p.is_file()), None)
        if self.serving and watched is not None:
            config.watch.append(str(watched))
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.settings is not None
        loading, self.loading = self.loading, None
        if loading is not None and loading.site.root != config.docs_dir:
            loading.cancel()  # another plugin moved docs_dir after ours
            loading = None
        result = check(self.settings, content_dir=config.docs_dir, jobs=self.jobs,
                       loading=loading, directory_urls=config.use_directory_urls)
        errors = self._stop_on([*self.setup_errors, *_report(result.findings)])
        # An author previews the module they are writing: a preview shows drafts, marked.
        shown = self.config.drafts or self.serving
        catalog = result.catalog if shown else assemble(result.site)
        self.index = shape_files(files, config, catalog, self.settings,
                                 self.config.catalog, self.with_governance)
        if self.with_governance:
            self.governance = governance_rows(result.site, catalog, date.today(),
                                              settings=self.settings)
        overrides = [config.theme.custom_dir] if config.theme.custom_dir else []
        self.renderer = Renderer(catalog, self.settings, site_name=config.site_name,
                                 override_dirs=overrides,
                                 directory_urls=config.use_directory_urls,
                                 owners=self.with_governance)
        warnings = [f for f in result.findings if f.severity is Severity.WARNING]
        self.problems = (self.renderer.problems(errors, warnings)
                         if self.serving and (errors or warnings) else "")
        self.captions = caption_index(f.src_uri for f in files)
        self.slots = {}
        files.append(File.generated(config, SCRIPT, content=minify(bundle(
            self._browser_config(config)))))
        for name in PAGE_SCRIPTS:
            theirs = files.get_file_from_path(f"assets/lecosite/{name}.js")
            if theirs is not None:
                files.remove(theirs)
                files.append(File.generated(config, theirs.src_uri,
                                            content=minify(theirs.content_string)))
        return files

    def _stop_on(self, errors: list[Finding]) -> list[Finding]:
        """Errors stop a build; a preview goes on and shows them on every page, so an author
        sees what to fix where they look, not a page that never reloads."""
        if errors and not self.serving:
            raise PluginError(f"lecosite: {len(errors)} content error(s) above; fix them and "
                              "build again (run 'lecosite check' to list them).")
        if errors:
            log.error(f"{len(errors)} content error(s) above; the preview lists them "
                      "on every page until they are fixed. A build stops on them.")
        return errors

    def _browser_config(self, config: MkDocsConfig) -> str:
        """Site-wide settings the browser code reads as `window.lecosite`."""
        assert self.settings is not None
        try:
            return xapi.config_js(config.site_url or "", self.collector,
                                  self.settings.video_complete)
        except ValueError as exc:
            raise PluginError(f"lecosite: collector is set but {exc}. Set site_url in "
                              "mkdocs.yml to the portal's address.") from None

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        """The nav from the paths; then lecosite's blocks of every page are rendered on
        another core while MkDocs converts the Markdown (a build uses one core)."""
        assert self.renderer is not None
        nav = build_nav(files, self.renderer.catalog, self.index, self.config.nav_fanout)
        self.rendered = {}
        if self.jobs > 1:
            pages = [(src, file.page.url, entry) for src, entry in self.index.items()
                     if (file := files.get_file_from_path(src)) and file.page is not None]
            docs_dir = config.docs_dir
            self.ahead = Ahead(lambda: {src: (url, *self._blocks(entry, url, docs_dir))
                                        for src, url, entry in pages})
        return nav

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig,
                         files: Files) -> str:
        entry = self.index.get(page.file.src_uri)
        if entry is not None and entry.kind == "retired":
            markdown = ""  # the tombstone replaces the body
        if "@[video]" in markdown or questions.has_checks(markdown):
            markdown = self._fill_markdown(markdown, page, entry)
        if entry is not None and entry.summary:  # what search engines and link previews show
            page.meta["description"] = escape_text(entry.summary)
        if entry is None:  # a guide: Material prints these fields of its front matter as HTML
            for key in _PRINTED_META:
                if isinstance(page.meta.get(key), str):
                    page.meta[key] = escape_text(page.meta[key])
        elif entry.module is not None:
            page.meta["title"] = escape_text(entry.module.title)
            page.meta["tags"] = entry.module.tags  # with a folder's: search ranks them first
            # Material reads `status` as its own page status: keep only the one it knows.
            page.meta.pop("status", None)
            if entry.module.status == "deprecated":
                page.meta["status"] = "deprecated"
        return markdown

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig,
                        files: Files) -> str:
        entry = self.index.get(page.file.src_uri)
        if entry is None or self.renderer is None:
            return html
        if entry.kind != "module":
            before, _ = self._html(page, entry, config, wait=False)
            return before + html if entry.kind in ("catalog", "path") else before
        if html.lstrip().startswith("<h1"):
            end = html.index("</h1>") + len("</h1>")
            return html[:end] + HEADER + html[end:] + FOOTER
        return HEADER + html + FOOTER

    @event_priority(-100)  # after the search plugin indexed the page
    def on_page_context(self, context: dict[str, Any], page: Page, config: MkDocsConfig,
                        nav: Navigation) -> dict[str, Any]:
        """Module headers and footers, videos and knowledge checks go in only now. Search
        indexes the author's text; parsing lecosite's blocks on every page as well was the
        largest cost the plugin added to a build."""
        assert self.renderer is not None and page.content is not None
        html = page.content
        if page.file.src_uri in self.slots:
            html = self._fill_slots(html, page)
        entry = self.index.get(page.file.src_uri)
        if entry is not None and entry.kind == "module":
            header, footer = self._html(page, entry, config, wait=True)
            html = html.replace(HEADER, header, 1).replace(FOOTER, footer, 1)
        page.content = self.problems + html
        return context

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self._stop_workers()

    def on_build_error(self, *, error: Exception) -> None:
        self._stop_workers()

    def _stop_workers(self) -> None:
        """A build that ends or fails leaves no forked worker behind."""
        if self.loading is not None:
            self.loading.cancel()
            self.loading = None
        if self.ahead is not None:
            self.ahead.cancel()
            self.ahead = None
        self.rendered = {}

    def _html(self, page: Page, entry: Entry, config: MkDocsConfig, *,
              wait: bool) -> tuple[str, str]:
        """The page's blocks as rendered ahead, else (not there yet, or a different URL
        by now) rendered here."""
        if self.ahead is not None and (wait or self.ahead.ready()):
            self.rendered = self.ahead.result() or {}
            self.ahead = None
        found = self.rendered.pop(page.file.src_uri, None)
        if found is not None and found[0] == page.url:
            return found[1], found[2]
        return self._blocks(entry, page.url, config.docs_dir)

    def _blocks(self, entry: Entry, url: str, docs_dir: str) -> tuple[str, str]:
        """lecosite's HTML for a page, from the catalog alone: (before, after) the author's
        text for a module (header and video, footer); (the content, "") for other pages."""
        render = self.renderer
        assert render is not None
        if entry.kind == "catalog":
            return render.catalog_page(url), ""
        if entry.kind in ("path", "certificate") and entry.view is not None:
            page = render.path_page if entry.kind == "path" else render.certificate_page
            return page(entry.view, url), ""
        if entry.kind == "progress":
            return render.progress_page(url), ""
        if entry.kind == "governance":
            return render.governance_page(url, self.governance), ""
        module = entry.module
        assert module is not None
        if entry.kind == "retired":
            return render.tombstone(module, url), ""
        video = ""
        if module.video is not None:
            transcript = read_transcript(module.video, module.file, docs_dir)
            video = render.video(module.video, module.file, module.title, url, transcript)
        return render.module_header(module, url) + video, render.module_footer(module, url)

    def _fill_markdown(self, markdown: str, page: Page, entry: Entry | None) -> str:
        """Render inline videos and knowledge checks now; leave placeholders for the HTML."""
        assert self.renderer is not None
        render, src, html = self.renderer, page.file.src_uri, self.slots.setdefault(
            page.file.src_uri, [])
        module = entry.module if entry is not None else None

        def video_slot(item: Inline) -> str:
            clip = from_inline(item, src, self.captions)
            html.append(render.video(clip, src, page.title or "", page.url))
            return SLOT.format(len(html) - 1)

        asked: list[Question] = []

        def check_slot(question: Question) -> str:
            # The id counts checks only (q0, q1…): an inline video before them must not
            # shift the ids that answers are reported under.
            html.append(render.check(question, f"q{len(asked)}", module, page.url))
            asked.append(question)
            return SLOT.format(len(html) - 1)

        return questions.replace(replace_inline_videos(markdown, video_slot), check_slot)

    def _fill_slots(self, html: str, page: Page) -> str:
        for index, fragment in enumerate(self.slots.pop(page.file.src_uri)):
            html = html.replace(SLOT.format(index), fragment, 1)
        return html


def _file_in_the_way(folder: Path) -> Path | None:
    """The file standing where the output folder, or a folder above it, must be: MkDocs
    would stop on it half-way, with only 'Not a directory'."""
    for place in (folder, *folder.parents):
        if place.exists():
            return None if place.is_dir() else place
    return None


def _report(findings: list[Finding]) -> list[Finding]:
    """Log findings as `lecosite check` prints them; the errors come back."""
    errors = []
    for f in findings:
        line = f"{f.location()}: {f.rule} {f.name}: {f.message}" + (
            f" (hint: {f.hint})" if f.hint else "")
        if f.severity is Severity.ERROR:
            errors.append(f)
            log.error(line)
        else:
            log.warning(line)
    return errors


