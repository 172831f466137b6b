"""Video sources: which provider a ``src`` names, and the privacy-friendly embed URL."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, quote, unquote, urlencode, urlparse

from lecosite.body import fences

_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be",
                  "www.youtube-nocookie.com", "youtube-nocookie.com"}
_VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
TRANSCRIPT_FILES = (".txt", ".md", ".vtt")
_DOCUMENT = re.compile(r"\.(?:docx?|odt|rtf|pdf|pages|srt|sbv|ttml|dfxp|html?|xlsx?)$", re.I)
FILE_TYPES = {".mp4": "video/mp4", ".webm": "video/webm", ".ogv": "video/ogg", ".m4v": "video/mp4"}


@dataclass
class Caption:
    lang: str
    label: str
    src: str | None = None  # a WebVTT file; None where the player's platform holds captions


@dataclass
class Video:
    src: str
    title: str | None = None
    length: int | None = None
    poster: str | None = None
    captions: list[Caption] = field(default_factory=list)
    transcript: str | None = None

    @property
    def provider(self) -> str:
        return provider_of(self.src)

    @property
    def transcript_file(self) -> str | None:
        """The file the transcript names, where it is one line naming a text file."""
        value = self.transcript or ""
        return value if "\n" not in value and value.lower().endswith(TRANSCRIPT_FILES) else None

    @property
    def transcript_document(self) -> str | None:
        """The file a one-line transcript names that a page cannot show as text."""
        value = (self.transcript or "").strip()
        return value if "\n" not in value and _DOCUMENT.search(value) else None


def provider_of(src: str) -> str:
    """'youtube', 'vimeo', 'file' (self-hosted) or 'unknown' (a URL we cannot embed)."""
    parsed = urlparse(src)
    if parsed.scheme in ("http", "https"):
        host = parsed.netloc.lower()
        if host in _YOUTUBE_HOSTS:
            return "youtube"
        if host in _VIMEO_HOSTS:
            return "vimeo"
        return "file" if _suffix(parsed.path) in FILE_TYPES else "unknown"
    return "file" if _suffix(src) in FILE_TYPES else "unknown"


def _suffix(path: str) -> str:
    dot = path.rfind(".")
    return path[dot:].lower() if dot >= 0 else ""


def mime_type(src: str) -> str:
    return FILE_TYPES.get(_suffix(urlparse(src).path), "video/mp4")


def youtube_id(src: str) -> str | None:
    parsed = urlparse(src)
    candidate = None
    if parsed.netloc.lower() == "youtu.be":
        candidate = parsed.path.lstrip("/").split("/")[0]
    elif parsed.path == "/watch":
        candidate = (parse_qs(parsed.query).get("v") or [""])[0]
    else:
        match = re.match(r"^/(?:embed|shorts|live|v)/([^/?#]+)", parsed.path)
        candidate = match.group(1) if match else None
    return candidate if candidate and _YOUTUBE_ID.match(candidate) else None


def vimeo_id(src: str) -> str | None:
    return _vimeo(src)[0]


def _vimeo(src: str) -> tuple[str | None, str | None]:
    """The video id and, for an unlisted video, its privacy hash, without which Vimeo
    refuses to embed it: ``vimeo.com/ID/HASH`` or ``player.vimeo.com/video/ID?h=HASH``.
    A showcase or album is a list of videos, not one: no id."""
    parsed = urlparse(src)
    if re.match(r"^/(?:showcase|album|event)s?/", parsed.path):
        return None, None
    match = re.search(r"/(?:video/)?(\d{5,})(?:/([0-9a-f]{6,}))?(?:[/?#]|$)", parsed.path + "/")
    if not match:
        return None, None
    return match.group(1), match.group(2) or (parse_qs(parsed.query).get("h") or [None])[0]


_TIME = re.compile(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?")


def start_time(src: str) -> int | None:
    """Where a shared link starts playing ('?t=90', '&t=1m30s', '#t=90s', '?start=90'), in
    seconds: the embed starts there too, as the author's link did."""
    parsed = urlparse(src)
    fields = parse_qs(parsed.query) | parse_qs(parsed.fragment)
    value = (fields.get("t") or fields.get("start") or [""])[0]
    found = _TIME.fullmatch(value) if value else None
    if not found or not any(found.groups()):
        return None
    hours, minutes, seconds = (int(g or 0) for g in found.groups())
    return hours * 3600 + minutes * 60 + seconds or None


def embed_url(src: str, *, caption_lang: str | None = None) -> str | None:
    """The URL the facade swaps in on click: youtube-nocookie, or Vimeo with do-not-track."""
    kind, start = provider_of(src), start_time(src)
    if kind == "youtube":
        vid = youtube_id(src)
        if not vid:
            return None
        query = {"autoplay": "1", "rel": "0", "enablejsapi": "1"}
        if caption_lang:
            query |= {"cc_load_policy": "1", "cc_lang_pref": caption_lang}
        if start:
            query["start"] = str(start)
        return f"https://www.youtube-nocookie.com/embed/{vid}?{urlencode(query)}"
    if kind == "vimeo":
        vid, private = _vimeo(src)
        if not vid:
            return None
        query = {"h": private} if private else {}
        query |= {"dnt": "1", "autoplay": "1"}
        if caption_lang:
            query["texttrack"] = caption_lang
        at = f"#t={start}s" if start else ""
        return f"https://player.vimeo.com/video/{vid}?{urlencode(query)}{at}"
    return None


_INLINE = re.compile(
    r'^@\[video\]\(\s*(\S+?)(?:\s+"([^"]*)")?\s*\)'  # @[video](src "Title")
    r"(?:\{captions=([\w,-]+)\})?[ \t]*$",  # {captions=en,de} for YouTube/Vimeo
    re.M,
)


@dataclass
class Inline:
    """A video written in a body as ``@[video](src "Title"){captions=en}``."""

    src: str
    title: str | None
    langs: list[str]
    line: int


def _fenced(body: str) -> list[tuple[int, int]]:
    """Spans of fenced code blocks: an @[video] line shown as an example stays text."""
    return [(b.start, b.end) for b in fences(body) if b.close >= 0]


def _live(body: str) -> list[re.Match[str]]:
    spans = _fenced(body)
    return [m for m in _INLINE.finditer(body)
            if not any(start <= m.start() < end for start, end in spans)]


def inline_videos(body: str, first_line: int = 1) -> list[Inline]:
    return [Inline(m.group(1), m.group(2), _langs(m.group(3)),
                   first_line + body.count("\n", 0, m.start()))
            for m in _live(body)]


def replace_inline_videos(body: str, slot: Callable[[Inline], str]) -> str:
    """Swap each ``@[video](…)`` line (outside code fences) for what ``slot`` returns."""
    out, at = [], 0
    for m in _live(body):
        out += [body[at:m.start()], slot(Inline(m.group(1), m.group(2), _langs(m.group(3)), 0))]
        at = m.end()
    return "".join([*out, body[at:]])


_NEAR = re.compile(r"@\[video\]", re.I)  # meant as a video line, wherever it is on it
_CODE_SPAN = re.compile(r"(`+)[^\n]*?\1")  # shown as text, e.g. in a guide to the syntax


def misread_lines(body: str, first_line: int = 1) -> list[int]:
    """File lines meant as ``@[video](…)`` that are not read as one (indented, in a
    sentence, ``Video``, spaces in ``{captions=…}``): the portal shows them as a link after
    a stray '@'."""
    if "@[" not in body:
        return []
    spans, read = _fenced(body), {m.start() for m in _live(body)}
    if "`" in body:
        spans += [m.span() for m in _CODE_SPAN.finditer(body)]
    lines = {first_line + body.count("\n", 0, m.start()) for m in _NEAR.finditer(body)
             if m.start() not in read and not any(a <= m.start() < b for a, b in spans)}
    return sorted(lines)


# What an author meant, read leniently: 'Video', spaces (in the file name too), '{caption = en,
# de}', text before it.
_LOOSE = re.compile(r'@\[video\]\s*\(\s*(\S+?(?:[ \t]+[^\s"]+?)*?)(?:\s+"([^"]*)")?\s*\)'
                    r"\s*(?:\{\s*captions?\s*[=:]\s*([\w\s,-]*?)\s*\})?\s*$", re.I)


def repaired_line(line: str) -> str | None:
    """The video line ``line`` was meant to be, written as the portal reads it, or None when
    what was meant is unclear (words after it, an unclosed bracket)."""
    found = _LOOSE.search(line)
    if found is None:
        return None
    src, title, langs = found.groups()
    src = re.sub(r"[ \t]+", "%20", src)  # a space would end the address
    out = f"@[video]({src}" + (f' "{title}"' if title is not None else "") + ")"
    langs = ",".join(lang for lang in re.split(r"[\s,]+", langs or "") if lang)
    return out + (f"{{captions={langs}}}" if langs else "")


def _langs(value: str | None) -> list[str]:
    return [v for v in (value or "").split(",") if v]


def caption_index(files: Iterable[str]) -> dict[str, list[str]]:
    """Folder → names of its .vtt files: built once, looked up for every inline video."""
    index: dict[str, list[str]] = {}
    for path in sorted(files):
        if path.endswith(".vtt"):
            folder, name = posixpath.split(path)
            index.setdefault(folder, []).append(name)
    return index


def sibling_captions(src: str, owner_file: str,
                     captions: dict[str, list[str]]) -> list[tuple[str, str]]:
    """(lang, path relative to the owner) of ``<name>.<lang>.vtt`` files beside a video file.
    ``src`` is a URL ('my%20clip.webm' is the file 'my clip.webm'); a tag has no dot, so
    'clip.part2.en.vtt' belongs to 'clip.part2.webm', not to 'clip.webm'."""
    path = unquote(src)
    target = posixpath.normpath(posixpath.join(posixpath.dirname(owner_file), path))
    folder, stem = posixpath.dirname(target), posixpath.splitext(posixpath.basename(path))[0]
    return [(name[len(stem) + 1:-4], posixpath.join(posixpath.dirname(src), quote(name)))
            for name in captions.get(folder, [])
            if name.startswith(stem + ".") and len(name) > len(stem) + 5
            and "." not in name[len(stem) + 1:-4]]


def from_inline(item: Inline, owner_file: str, captions: dict[str, list[str]]) -> Video:
    """The Video an inline line stands for; a file's captions are the .vtt files beside it."""
    if provider_of(item.src) == "file":
        found = sibling_captions(item.src, owner_file, captions)
        tracks = [Caption(lang, _LANG_NAMES.get(lang.split("-")[0], lang), src)
                  for lang, src in found]
    else:
        tracks = [Caption(lang, _LANG_NAMES.get(lang.split("-")[0], lang)) for lang in item.langs]
    return Video(src=item.src, title=item.title, captions=tracks)


_LANG_NAMES = {"en": "English", "de": "Deutsch", "fr": "Français", "es": "Español",
               "pt": "Português", "it": "Italiano", "nl": "Nederlands", "ja": "日本語"}
