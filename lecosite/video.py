"""Video sources: which provider a ``src`` names, and the privacy-friendly embed URL."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urlparse

_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be",
                  "www.youtube-nocookie.com", "youtube-nocookie.com"}
_VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
FILE_TYPES = {".mp4": "video/mp4", ".webm": "video/webm", ".ogv": "video/ogg", ".m4v": "video/mp4"}


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
    match = re.search(r"/(?:video/)?(\d{5,})(?:[/?#]|$)", urlparse(src).path + "/")
    return match.group(1) if match else None


def embed_url(src: str, *, caption_lang: str | None = None) -> str | None:
    """The URL the facade swaps in on click: youtube-nocookie, or Vimeo with do-not-track."""
    kind = provider_of(src)
    if kind == "youtube":
        vid = youtube_id(src)
        if not vid:
            return None
        query = {"autoplay": "1", "rel": "0", "enablejsapi": "1"}
        if caption_lang:
            query |= {"cc_load_policy": "1", "cc_lang_pref": caption_lang}
        return f"https://www.youtube-nocookie.com/embed/{vid}?{urlencode(query)}"
    if kind == "vimeo":
        vid = vimeo_id(src)
        if not vid:
            return None
        query = {"dnt": "1", "autoplay": "1"}
        if caption_lang:
            query["texttrack"] = caption_lang
        return f"https://player.vimeo.com/video/{vid}?{urlencode(query)}"
    return None
