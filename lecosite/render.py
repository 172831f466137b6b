"""Render lecosite's blocks (catalog, path page, module header and footer, video) to HTML.

Templates live in the theme folder and are rendered with autoescaping on, so everything
an author or learner typed reaches the page as text. Nothing here knows about MkDocs:
URLs are site-root-relative ('modules/<id>/') and made relative to the current page.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterable
from importlib.resources import files
from pathlib import Path as FsPath
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup, escape

from lecosite import questions
from lecosite import video as videos
from lecosite.assemble import Catalog, PathView, format_minutes
from lecosite.model import Module
from lecosite.project import Settings
from lecosite.schema import LEVELS
from lecosite.urls import certificate_url, module_url, path_url
from lecosite.video import Video

if TYPE_CHECKING:
    from lecosite.findings import Finding
    from lecosite.governance.rows import GovernanceRow

THEME_TEMPLATES = str(files("lecosite.theme") / "templates")

KIND_LABELS = {"course": "Course", "learning-plan": "Learning plan",
               "certification": "Certification"}


def relative_url(target: str, page_url: str) -> str:
    """``target`` (site-root-relative) as seen from the page at ``page_url``.

    Plain string work: called a few times per page on every page of large sites.
    """
    base = page_url.split("/")[:-1]  # the page's folder: 'modules/x/' → ['modules', 'x']
    parts = target.split("/")
    common = 0
    while common < len(base) and common < len(parts) - 1 and base[common] == parts[common]:
        common += 1
    rel = "../" * (len(base) - common) + "/".join(parts[common:])
    return rel or "./"


def _code_spans(text: str) -> Markup:
    """Author text escaped, with `code` spans kept as code: the one markup short fields use."""
    return Markup(re.sub(r"`([^`\n]+)`", r"<code>\1</code>", str(escape(text))))


_URL_NOISE = re.compile(r"[\t\n\r]|^[\x00-\x20]+|[\x00-\x20]+$")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
_WEB = re.compile(r"^https?://", re.I)


def _css_url(url: str) -> str:
    """A URL for CSS's url('…'): the characters that could end it percent-encoded, since
    HTML escaping is undone before the browser reads a style attribute."""
    return re.sub(r"['\"()\\\s]", lambda m: f"%{ord(m[0]):02X}", url)


def _clock(seconds: int | None) -> str:
    if not seconds:
        return ""
    minutes, secs = divmod(seconds, 60)
    return f"{minutes}:{secs:02d}"


class Renderer:
    """One per build: holds the catalog and the template environment."""

    def __init__(self, catalog: Catalog, settings: Settings, *, site_name: str = "",
                 override_dirs: Iterable[str] = (), directory_urls: bool = True,
                 owners: bool = False) -> None:
        """``owners``: module pages name their owners (an internal build: owners can be
        people's e-mail addresses)."""
        self.catalog = catalog
        self.directory_urls = directory_urls  # False: links name the index.html files
        self.levels: list[str] = list(settings.schema.get("level") or LEVELS)
        self.questions = {m.id: len(questions.find(m.body)) for m in catalog.modules.values()
                          if questions.has_checks(m.body)}
        loader = jinja2.FileSystemLoader([*override_dirs, THEME_TEMPLATES])
        self.env = jinja2.Environment(loader=loader, autoescape=True, trim_blocks=True,
                                      auto_reload=False,
                                      lstrip_blocks=True, undefined=jinja2.StrictUndefined)
        self.env.filters["minutes"] = format_minutes
        self.env.filters["clock"] = _clock
        self.env.filters["code"] = _code_spans
        self.env.filters["css_url"] = _css_url
        self.env.globals.update(
            kind_labels=KIND_LABELS, questions=self.questions,
            check_pass=settings.check_pass, video_complete=settings.video_complete,
            certificate_url=certificate_url, tokens=self.tokens, config_site_name=site_name,
            show_owners=owners)

    def tokens(self, modules: Iterable[Module]) -> str:
        """'id@version:checks' per module: what progress in the browser needs to know."""
        return " ".join(f"{m.id}@{m.version}:{self.questions.get(m.id, 0)}" for m in modules)

    def _render(self, name: str, page_url: str, **context: Any) -> str:
        def url(target: str) -> str:
            if not self.directory_urls and (not target or target.endswith("/")):
                target += "index.html"  # opened from disk, a folder does not show its page
            return relative_url(target, page_url)

        return self.env.get_template(f"lecosite/{name}.html").render(
            url=url, module_url=module_url, path_url=path_url, catalog=self.catalog, **context)

    # -- pages -------------------------------------------------------------

    def catalog_page(self, page_url: str = "") -> str:
        views = list(self.catalog.paths.values())
        # A path is about its own tags and those of the modules a learner goes through.
        topics = {v.id: sorted({*v.path.tags, *(t for m in v.sequence for t in m.tags)})
                  for v in views}
        facets = {
            "kind": [k for k in KIND_LABELS if any(v.path.kind == k for v in views)],
            # Levels in the site's order (beginner before advanced), not alphabetical.
            "level": sorted({v.path.level for v in views if v.path.level},
                            key=lambda lv: (self.levels.index(lv) if lv in self.levels
                                            else len(self.levels), lv)),
            "audience": sorted({a for v in views for a in v.path.audience}),
            "tags": sorted({t for tags in topics.values() for t in tags}),
        }
        return self._render("catalog", page_url, views=views, facets=facets, topics=topics)

    def path_page(self, view: PathView, page_url: str) -> str:
        seen = {m.id for m in view.modules}  # what the path teaches, then what it needs
        before = []
        for module in view.modules:
            for pid in module.prerequisites:
                found = self.catalog.modules.get(pid)
                if found and pid not in seen:
                    seen.add(pid)
                    before.append(found)
        return self._render("path", page_url, view=view, before=before)

    def module_header(self, module: Module, page_url: str) -> str:
        return self._render("module_header", page_url, module=module,
                            prerequisites=[self.catalog.modules[p] for p in module.prerequisites
                                           if p in self.catalog.modules])

    def module_footer(self, module: Module, page_url: str) -> str:
        contexts = []
        for pid in self.catalog.part_of.get(module.id, []):
            before, after = self.catalog.neighbours(module.id, pid)
            view = self.catalog.paths[pid]
            contexts.append({"view": view, "before": before, "after": after,
                             "position": view.position(module.id) + 1})
        return self._render("module_footer", page_url, module=module, contexts=contexts)

    def progress_page(self, page_url: str) -> str:
        return self._render("progress", page_url, views=list(self.catalog.paths.values()))

    def certificate_page(self, view: PathView, page_url: str) -> str:
        return self._render("certificate", page_url, view=view)

    def check(self, question: questions.Question, qid: str, module: Module | None,
              page_url: str) -> str:
        index = question.objective_index(module.objectives) if module else None
        return self._render("check", page_url, question=question, qid=qid,
                            key=questions.answer_key(question),
                            objective=index + 1 if index is not None and index >= 0 else None)

    def tombstone(self, module: Module, page_url: str) -> str:
        successor = self.catalog.modules.get(module.replaced_by or "")
        return self._render("tombstone", page_url, module=module, successor=successor)

    def video(self, clip: Video, owner_file: str, title: str, page_url: str,
              transcript: str | None = None) -> str:
        """A player; files are resolved from the folder of the page that names them."""
        kind = clip.provider

        def asset(ref: str | None) -> str | None:
            """A web address or the file's URL from this page; None for any other scheme
            (javascript:, data:), which the checker refuses but a preview still renders."""
            ref = _URL_NOISE.sub("", ref or "")  # as a browser reads a URL
            if not ref:
                return None
            if _SCHEME.match(ref):
                return ref if _WEB.match(ref) else None
            if ref.startswith("/"):
                return ref
            target = posixpath.normpath(posixpath.join(posixpath.dirname(owner_file), ref))
            return relative_url(target, page_url)

        lang = clip.captions[0].lang if clip.captions else None
        return self._render(
            "video", page_url, clip=clip, kind=kind, title=clip.title or title,
            embed=videos.embed_url(clip.src, caption_lang=lang), src=asset(clip.src),
            mime=videos.mime_type(clip.src), poster=asset(clip.poster),
            tracks=[(c, asset(c.src)) for c in clip.captions], transcript=transcript)

    def problems(self, errors: list[Finding], warnings: list[Finding],
                 limit: int = 20) -> str:
        """The content errors and warnings a preview shows on every page (see the plugin's
        on_files): CI stops on both, so an author should see both where they look."""
        return self._render("problems", "", errors=errors, warnings=warnings, limit=limit)

    def governance_page(self, page_url: str, rows: list[GovernanceRow]) -> str:
        """The maintainers' table: owners and review dates, for the people who keep the
        content current."""
        owners = sorted({o for row in rows for o in row.owners}, key=str.lower)
        statuses = sorted({row.status for row in rows})
        return self._render("governance", page_url, rows=rows, owners=owners,
                            statuses=statuses)


def read_transcript(clip: Video, module_file: str, content_root: str) -> str | None:
    """Inline transcript text, or the text of the file it names (relative to the module)."""
    value = clip.transcript
    if not value:
        return None
    if clip.transcript_file:
        path = FsPath(content_root) / posixpath.normpath(
            posixpath.join(posixpath.dirname(module_file), clip.transcript_file))
        try:
            return path.read_text(encoding="utf-8-sig")  # as LS416 reads it: a BOM is no text
        except (OSError, UnicodeDecodeError):
            return None  # LS405 or LS416 stops the build
    return value


def escape_text(text: str) -> str:
    """Plain HTML escaping, for titles handed to templates that do not escape (MkDocs')."""
    return html.escape(text, quote=True)
