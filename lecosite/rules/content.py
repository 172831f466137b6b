"""Rules about module bodies and media: captions, alt text, links and anchors."""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

from lecosite import model, schema, urls, video
from lecosite.assemble import PREVIEW
from lecosite.body import REWRITTEN, TWO_WAYS, Link, Scan, fences, scan, url_scheme
from lecosite.findings import Severity
from lecosite.model import MARKDOWN_SUFFIXES, Module, Site
from lecosite.rules.registry import Context, Hit, rule
from lecosite.schema import LANG
from lecosite.video import Video
from lecosite.yamldoc import Mark


def scans(site: Site, ctx: Context) -> dict[str, Scan]:
    """Every module and page body scanned once per check, shared by the rules below."""
    return ctx.memo("scans", lambda: {
        **{m.file: m.scan or scan(m.body, m.body_line) for m in site.modules.values()},
        **{p.file: p.scan or scan(p.body, p.body_line) for p in site.pages.values()}})


# A scheme has two letters or more: 'C:' starts a Windows path, which is an author's mistake.
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:|^/")
_WEB = re.compile(r"^(?:https?:)?//", re.I)
_COMPUTER_PATH = re.compile(r"^[A-Za-z]:|\\")
_LANG = re.compile(LANG)


def _is_local(target: str) -> bool:
    """Relative to this file: not 'https:', 'mailto:', '//host' or '/site-root'."""
    return not _SCHEME.match(target)


def _resolve(file: str, target: str) -> str:
    return _join(posixpath.dirname(file), target)


def _link_path(target: str) -> str:
    """The file part of a link relative to its page ('a.md' of 'a.md#b'), or ''."""
    path = target.split("#", 1)[0].split("?", 1)[0]
    return path if path and _is_local(target) else ""


def link_target(file: str, target: str) -> str | None:
    """The content file a link in ``file`` points at, or None when it names none relative
    to it (a web or mail address, a '/…' address, an anchor on the same page)."""
    path = _link_path(target)
    return _resolve(file, path) if path else None


@lru_cache(maxsize=16384)
def _join(folder: str, target: str) -> str:
    """Modules of a folder link to the same few files: each pair is resolved once."""
    return posixpath.normpath(posixpath.join(folder, unquote(target)))


def _known_files(site: Site, ctx: Context) -> set[str]:
    """Every file of the site and every page a build adds: what a link may name."""
    def make() -> set[str]:
        known = set(site.assets) | set(site.pages) | site.unloaded
        known |= {m.file for m in site.modules.values()}
        known |= {p.file for p in site.paths.values()} | _addresses(site, ctx).generated
        return known | {item.file for item in site.duplicates}

    return ctx.memo("known_files", make)


@dataclass
class _Clip:
    file: str
    video: Video
    where: Callable[..., Mark]  # keys under `video:` → mark
    inline: bool


def _clips(site: Site, ctx: Context) -> list[_Clip]:
    """Front-matter videos and ``@[video](…)`` lines in bodies, found once per check."""
    return ctx.memo("clips", lambda: list(_find_clips(site, _known_files(site, ctx))))


def _find_clips(site: Site, known: set[str]) -> Iterator[_Clip]:
    captions = video.caption_index(known)
    for module in site.modules.values():
        if module.video is not None:
            yield _Clip(module.file, module.video,
                        lambda *keys, m=module: m.where("video", *keys), False)
    for owner in [*site.modules.values(), *site.pages.values()]:
        if "@[video]" not in owner.body:
            continue
        for item in video.inline_videos(owner.body, owner.body_line):
            yield _Clip(owner.file, video.from_inline(item, owner.file, captions),
                        lambda *keys, line=item.line: (line, 1), True)


@rule("LS401", "video-without-captions")
def video_captions(site: Site, ctx: Context) -> Iterator[Hit]:
    """Every video has captions; a self-hosted video names its WebVTT file.

    Example:
        video:
          src: ../../media/install.webm
          captions:
            - lang: en
              label: English
              src: ../../media/install.en.vtt

    In a body, `@[video](https://youtu.be/ID "Title"){captions=en}` declares the
    platform's captions, and `@[video](../../media/clip.webm)` finds `clip.en.vtt` beside it.
    """
    known = _known_files(site, ctx)
    guess = _Guess(known)
    for clip in _clips(site, ctx):
        if clip.video.provider == "unknown":
            continue  # no player to caption: LS406 says what to link instead
        if clip.inline and clip.video.provider == "file" and \
                _media_problem(clip.file, clip.video.src, known, guess, site.prefix):
            continue  # LS405 reports the file; its captions are looked for beside it
        if not clip.video.captions:
            if not clip.inline:
                hint = ("Add 'captions:' with at least one language; a self-hosted video also "
                        "needs a WebVTT file (src:).")
            elif clip.video.provider in ("youtube", "vimeo"):
                hint = "Add {captions=en} after the link once the video has captions."
            else:
                hint = "Put a WebVTT file named like the video, e.g. clip.en.vtt, beside it."
            yield Hit(clip.file, clip.where(), "the video has no captions", hint)
        elif clip.video.provider == "file":
            for index, caption in enumerate(clip.video.captions):
                if not caption.src:
                    yield Hit(clip.file, clip.where("captions", index),
                              f"the '{caption.lang}' captions of a self-hosted video have no src",
                              "Point src: at the .vtt file next to the video.")


@rule("LS412", "captions-not-webvtt")
def captions_not_webvtt(site: Site, ctx: Context) -> Iterator[Hit]:
    """A caption file is WebVTT: a `.vtt` file whose first line is `WEBVTT`, saved as UTF-8.
    Browsers show no other format: a player given an .srt file shows no captions, and says
    nothing; and they read every WebVTT file as UTF-8, so a file saved as Windows-1252
    (Latin-1) shows learners 'Caf�' for 'Café'.

    Example: `src: ../../media/install.en.srt` → convert it (`ffmpeg -i install.en.srt
    install.en.vtt`, or "save as WebVTT" in the captioning tool) and name the .vtt file.

    Example: `install.en.vtt` saved by Notepad as ANSI → `'../../media/install.en.vtt' is
    not UTF-8 text (byte 0xe9 at line 4)`: re-save it with UTF-8 encoding.
    """
    known, root = _known_files(site, ctx), Path(site.root)
    for clip in _clips(site, ctx):
        for index, caption in enumerate(clip.video.captions):
            ref = caption.src or ""
            if not ref or _WEB.match(ref) or _COMPUTER_PATH.search(ref) or ref[:1] == "/":
                continue  # LS405 says what is wrong with the path
            where = clip.where("captions", index, "src")
            if not _link_path(ref).lower().endswith(".vtt"):
                yield Hit(clip.file, where, f"captions '{ref}' are not a WebVTT (.vtt) file",
                          "Browsers show WebVTT captions only: convert the file (e.g. ffmpeg "
                          "-i captions.srt captions.vtt, or save as WebVTT in the captioning "
                          "tool) and point src at the .vtt file.")
                continue
            target = _resolve(clip.file, _link_path(ref))
            text = _text_file(root, target, ctx) if target in known else None
            if text is None:
                continue  # LS405 reports a missing or unreadable file
            if text.encoding:
                yield Hit(clip.file, where, f"'{ref}' is {text.encoding}: browsers read "
                          "WebVTT as UTF-8 only, so learners would see '�' for its accented "
                          "letters", _RESAVE)
            elif not text.webvtt:
                yield Hit(clip.file, where, f"'{ref}' is not WebVTT: its first line is not "
                          "WEBVTT", "Save it as WebVTT from the captioning tool; a WebVTT "
                          "file starts with the line WEBVTT, then the cues.")


_RESAVE = ("Re-save the file with UTF-8 encoding (in Notepad: File > Save as > Encoding: "
           "UTF-8; in Word: plain text, Unicode (UTF-8)).")


@dataclass(frozen=True)
class _Text:
    """What the checks need to know of a text file a video names."""

    encoding: str  # why it is not UTF-8 text ('' when it is)
    blank: bool  # nothing but white space
    webvtt: bool  # first line WEBVTT


def _text_file(root: Path, target: str, ctx: Context) -> _Text | None:
    """The file ``target`` (a content file), read once per check (a preview checks again
    after each save; several rules and modules may name the file); None when it cannot be
    read (LS405 and the build speak of the file itself)."""
    read: dict[str, _Text | None] = ctx.memo("text_files", dict)
    if target not in read:
        read[target] = _read_text(root / target)
    return read[target]


def _read_text(file: Path) -> _Text | None:
    try:
        raw = file.read_bytes()
    except OSError:
        return None
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return _Text("saved as UTF-16 (\"Unicode\"), not UTF-8", False, False)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return _Text(f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at line {line})",
                     False, False)
    first = text.split("\n", 1)[0]
    webvtt = first[:6] == "WEBVTT" and first[6:7] in ("", " ", "\t", "\r")
    return _Text("", not text.strip(), webvtt)


@rule("LS413", "caption-language")
def caption_language(site: Site, ctx: Context) -> Iterator[Hit]:
    """Captions in a body name their language with a tag (en, pt-BR), as the front matter
    does: players pick captions by the tag, and 'english' matches no learner's language.

    Example: `@[video](https://youtu.be/dQw4w9WgXcQ){captions=english}` → `{captions=en}`;
    `clip.english.vtt` beside `clip.webm` → `clip.en.vtt`.
    """
    for clip in _clips(site, ctx):
        if not clip.inline:
            continue  # the front matter's 'lang:' is checked by the schema (LS011)
        for caption in clip.video.captions:
            if _LANG.match(caption.lang):
                continue
            if caption.src:
                yield Hit(clip.file, clip.where(), f"caption file '{caption.src}' does not end "
                          f"in a language tag ('{caption.lang}')", "Name it after the video "
                          "and a language tag, e.g. clip.en.vtt or clip.pt-BR.vtt.")
            else:
                yield Hit(clip.file, clip.where(), f"'{caption.lang}' is not a language tag",
                          "Write a tag such as {captions=en} or {captions=en,pt-BR}.")


# ISO 639-1 codes: a caption file's name is taken to name a language only with one of these
# ('clip.old.vtt' or 'clip.v2.vtt' names none).
_LANGUAGES = frozenset(re.findall("[a-z]{2}", """
    aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu
    cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi
    ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks
    ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl
    nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl
    sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve
    vi vo wa wo xh yi yo za zh zu"""))


@rule("LS417", "caption-file-language", Severity.WARNING)
def caption_file_language(site: Site, ctx: Context) -> Iterator[Hit]:
    """A caption file named with a language (`ports.fr.vtt`) is marked with that language
    in `lang:`: the player lists the track under its `lang:` and label, so learners who pick
    English would get French captions, and French speakers would not find theirs.

    Example:
        captions:
          - lang: en
            src: ports.fr.vtt   ← write lang: fr (label: Français), or name the English file
    """
    for clip in _clips(site, ctx):
        if clip.inline:
            continue  # the file's name is its language there
        for index, caption in enumerate(clip.video.captions):
            parts = (caption.src or "").rsplit(".", 2)
            if len(parts) < 3 or parts[2].lower() != "vtt":
                continue
            named = parts[1].replace("_", "-")
            primary = named.split("-", 1)[0].lower()
            if primary not in _LANGUAGES or primary == caption.lang.split("-", 1)[0].lower():
                continue
            renamed = f"{parts[0]}.{caption.lang}.vtt"
            yield Hit(clip.file, clip.where("captions", index, "src"),
                      f"caption file '{caption.src}' is named as '{named}' captions, but its "
                      f"lang: is '{caption.lang}'",
                      f"If the file holds '{named}' captions, write lang: {named} (and a label "
                      f"in that language); if it holds '{caption.lang}' ones, rename it to "
                      f"{posixpath.basename(renamed)} and write src: {renamed}.")


@rule("LS402", "image-without-alt")
def image_alt(site: Site, ctx: Context) -> Iterator[Hit]:
    """Every image has alt text, so learners using a screen reader get its meaning.

    Example: `![](../../media/ports.svg)` → `![Agent host, firewall and the two ports
    that must be open](../../media/ports.svg)`
    """
    for file, result in scans(site, ctx).items():
        for line, col, src in result.images_without_alt:
            yield Hit(file, (line, col), f"image '{src}' has no alt text",
                      "Describe what the image shows inside the brackets: ![what it shows](…).")


@rule("LS403", "broken-link")
def broken_link(site: Site, ctx: Context) -> Iterator[Hit]:
    """A link to another file in the content folder must point at a file that exists.

    A link or image in raw HTML (an `<a>`'s href, an `<img>`'s src or srcset) is checked
    too. The build rewrites only Markdown links and publishes HTML as written, so the browser
    reads such an address relative to the page's address in the portal (a module's is
    `modules/<id>/`), not to the file: it must reach a page or file of the built site from
    there, and a `.md` address never does. A Markdown link or image is the better choice.

    A page lecosite makes is linked like a file (`../../paths/<id>/index.md`), where the build
    makes it: not the catalog (`index.md`) where the plugin has `catalog: false` in
    mkdocs.yml, nor the governance page unless it has `governance: true`, nor a page that
    one of yours is published in place of (a top README.md is the catalog's; with directory
    URLs, guides/rules/index.md is the rules reference's).

    Any other address leads where a browser goes: one that starts with `https:`, `http:`,
    `mailto:`, `tel:` or `sms:`, not an empty one or another scheme (MkDocs publishes both
    as written), in Markdown, in HTML and in an autolink (`<https://…>`).

    Example: `[the docs](htps://docs.example.com)` → `[the docs](https://docs.example.com)`;
    `[this]()` → write the address between the brackets, or remove them.

    Example: `[docs](www.example.com/docs)` → `(https://www.example.com/docs)`;
    `[mail](help@example.com)` → `(mailto:help@example.com)`; `[guide](\\\\fileserver\\guide.docx)`,
    a network share learners cannot open → copy the file into content/media/ and link to it.

    Example: `[check the ports](../connect-install/check-ports.md)` when the file is
    named `connect-check-ports.md`; or `[the ports][ports]` with no line
    `[ports]: ../connect-install/connect-check-ports.md` in the file (the page would show
    the brackets as text).

    Example: `<a href="../connect-install/connect-check-ports.md">the ports</a>`
    → `[the ports](../connect-install/connect-check-ports.md)`; `<img src="ports.svg"
    alt="…">` with ports.svg beside the module → `![…](ports.svg)` (in HTML, the address
    from the page's: `src="../<topic folder>/ports.svg"`).
    """
    known = _known_files(site, ctx)
    guess = _Guess(known, scans(site, ctx))
    videos = {(clip.file, clip.where()[0]) for clip in _clips(site, ctx) if clip.inline}
    path_files = {p.file: p.id for p in site.paths.values()}
    addresses = _addresses(site, ctx)
    for file, link, resolved in _local_links(site, ctx):
        if (file, link.line) in videos:
            continue  # a video line's file is LS405's
        if resolved in path_files:  # a source, not published: the build drops it
            source = f"{urls.path_url(path_files[resolved])}index.md"
            page = posixpath.relpath(source, posixpath.dirname(file) or ".")
            yield Hit(file, (link.line, link.col),
                      f"link target '{link.target}' is the file the path is written in, not a "
                      "page of the portal", _not_built(source, addresses, ctx.prefix)
                      or f"Link to the path's page: '{page}'.")
            continue
        if resolved in known:
            continue
        what = "image" if link.image else "link"
        page = _page_in(resolved, known)
        if page is not None:  # MkDocs leaves a folder link as is
            path = link.target.split("#", 1)[0].split("?", 1)[0]
            rest = link.target[len(path):]
            query = rest.split("#", 1)[0]
            anchor, missing = guess.anchor(posixpath.normpath(posixpath.join(resolved, page)),
                                           rest[len(query):])
            named = f"{path.rstrip('/')}/{page}{query}{anchor}"
            yield Hit(file, (link.line, link.col), f"{what} target '{link.target}' is a folder",
                      (f"Link to the page in it: '{named}'." if page == "index.md" else
                       f"Link to a page in it, e.g. '{named}'.") + missing)
        elif mistyped := _mistyped(link):
            yield Hit(file, (link.line, link.col), *mistyped)
        else:
            web = _HOST.match(link.target)
            yield Hit(file, (link.line, link.col), f"{what} target '{link.target}' not found",
                      _address_hint(file, link.target, addresses) or
                      _published_instead(file, resolved, link.target, guess, addresses,
                                         ctx.prefix) or
                      _not_built(resolved, addresses, ctx.prefix) or
                      guess.hint(file, resolved, link.target, *(
                          [f"if it is a web address, add https:// in front: "
                           f"'https://{link.target}'"] if web else [])))
    for file, result in scans(site, ctx).items():
        for link in result.links:
            if link.target[:1] == "/" and (file, link.line) not in videos and \
                    (hit := _absolute(file, link, known, addresses)):
                yield hit
            elif url_scheme(link.target) == "file":
                yield _computer_file(file, link)
            elif (file, link.line) not in videos and (nowhere := _leads_nowhere(link)):
                yield Hit(file, (link.line, link.col), *nowhere)
        for line, col, written, label in result.undefined_refs:
            yield Hit(file, (line, col), f"link {written} has no address: no line "
                      f"'[{label}]: …' in this file, so the page shows the brackets as text",
                      f"Add a line '[{label}]: address' to this file (after the paragraph), "
                      f"or write the address in the link: [text](address).")
    yield from _html_links(site, ctx, known, guess, addresses)


#: The schemes a learner's browser opens: web pages, and mail, calls and text messages, which
#: it hands to the device's app (as it does an app's own scheme). 'file:', 'data:',
#: 'javascript:' and 'vbscript:' have checks of their own (a file on the author's computer
#: here; LS411).
_OPENED = frozenset({"http", "https", "mailto", "tel", "sms"})
_CHECKED_APART = frozenset({"file", "data", "javascript", "vbscript"})
_MISSPELT = ["https", "http", "mailto"]  # what 'htps:', 'ttps:' or 'mailt:' stands for


def _leads_nowhere(link: Link, in_html: bool = False) -> tuple[str, str] | None:
    """(message, hint) for a link MkDocs publishes as written though no browser follows it:
    one with no address ('[this]()', which a strict build passes), or a misspelt 'https:'
    ('htps:'); else None. Other schemes are apps' own (msteams:, zoommtg:, vscode:), which
    the browser hands to the app, so they pass."""
    what = "image" if link.image else "link"
    if not link.target.strip():
        if in_html:
            attribute, tag = ("src", "<img>") if link.image else ("href", "<a>")
            return (f'{what} in HTML has no address ({attribute}=""), so it '
                    + ("shows nothing" if link.image else "leads nowhere"),
                    f'Write the address in {attribute}="…", or remove the {tag} tag'
                    + ("." if link.image else " to keep its words as plain text."))
        if link.image:
            return (f"image ![{link.text}]() has no address, so it shows nothing",
                    "Write the image file's path between the round brackets, relative to this "
                    f"file, e.g. ![{link.text}](../../media/picture.png), or remove the image.")
        return (f"link [{link.text}]() has no address, so it leads nowhere",
                f"Write the address between the round brackets, e.g. [{link.text}](https://…) "
                f"or [{link.text}](other-module.md), or remove the brackets to keep the words "
                "as plain text.")
    scheme = url_scheme(link.target)
    if len(scheme) < 2 or scheme in _OPENED or scheme in _CHECKED_APART:
        return None  # 'C:' starts a Windows path, no scheme
    written, _, rest = link.target.strip().partition(":")
    message = f"{what} target '{link.target}' starts with '{written}:', which no browser opens"
    meant = difflib.get_close_matches(scheme, _MISSPELT, n=1, cutoff=0.75)
    if not meant:
        return None  # an app's own link (msteams:, zoommtg:, slack:): the browser hands it on
    if meant[0] != "mailto" and not rest.startswith("//"):
        rest = "//" + rest.lstrip("/")
    return message, f"Did you mean '{meant[0]}:{rest}'?"


def _computer_file(file: str, link: Link) -> Hit:
    """A 'file:' link opens the author's own file, which no learner has."""
    return Hit(file, (link.line, link.col), *_not_theirs(link, "on your own computer"))


def _not_theirs(link: Link, where: str) -> tuple[str, str]:
    """(message, hint) for a link to a file ``where`` learners cannot reach: the author's own
    computer, or a network share of the author's office."""
    name = posixpath.basename(link.target.replace("\\", "/").rstrip("/")) or "file"
    return (f"{'image' if link.image else 'link'} target '{link.target}' is a file {where}, "
            "which learners cannot open",
            f"Copy the file into the content folder (e.g. content/media/) and link to it "
            f"relative to this file, e.g. '../../media/{name}'.")


# Addresses as people write them elsewhere, which a link reads as a file of the site.
_SHARE = re.compile(r"\\\\[^\\]")  # \\fileserver\training: a Windows network share
_DRIVE = re.compile(r"[A-Za-z]:[\\/]")  # C:\Users\…: a file on the author's computer
_NO_COLON = re.compile(r"(https?)([;.,]?)//", re.I)  # https//…
_WWW = re.compile(r"www\.[^/\s]+\.", re.I)
_EMAIL = re.compile(r"[^\s/@:]+@(?!\d+x\.)[^\s/@:]+\.[A-Za-z]{2,}")  # not ports@2x.png
# What may be a web address: a name with a dot and then a folder ('docs.acme.example/faq'),
# not a file's name ('notes.pdf/').
_HOST = re.compile(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?!(?:md|markdown|html?|pdf|docx?|xlsx?|"
                   r"pptx?|txt|zip|ya?ml|png|jpe?g|gif|svg|webp|mp4|webm|vtt)/)[A-Za-z]{2,}/",
                   re.I)


def _mistyped(link: Link) -> tuple[str, str] | None:
    """(message, hint) for an address typed as elsewhere, which no learner reaches: a web
    address without 'https://', an e-mail address without 'mailto:', 'https//' without its
    colon, a network share or a path on the author's computer. The build reads each as a
    file of the site, and "Paths are relative to this file" helps no one who wrote it."""
    target = link.target.strip()
    if _SHARE.match(target):
        return _not_theirs(link, "on a network share")
    if _DRIVE.match(target):
        return _not_theirs(link, "on your own computer")
    missing = f"{'image' if link.image else 'link'} target '{link.target}' not found"
    if found := _NO_COLON.match(target):
        scheme, written = found.group(1).lower(), found.group(2)
        fix = f"'{scheme}://{target[found.end():]}'"
        return missing, (f"Write ':' after {scheme}, not '{written}': {fix}." if written
                         else f"A colon is missing after {scheme}: {fix}.")
    if _WWW.match(target):
        return missing, f"Add https:// in front: 'https://{target}'."
    if _EMAIL.fullmatch(target) and not link.image:
        return missing, f"Write mailto: in front of an e-mail address: 'mailto:{target}'."
    return None


def _html_links(site: Site, ctx: Context, known: set[str], guess: _Guess,
                addresses: urls.Addresses) -> Iterator[Hit]:
    """LS403 for the links of raw HTML (``Scan.html_links``). MkDocs rewrites only the links
    Markdown makes: HTML is published as written, so the browser reads a relative address
    from the page's address (modules/<id>/), not from the file, and a '.md' one asks for a
    file the portal does not publish. Only bodies with such links cost anything."""
    published: set[str] | None = None
    path_pages = {p.file: f"{urls.path_url(p.id)}index.md" for p in site.paths.values()}
    for file, result in scans(site, ctx).items():
        if not result.html_links:
            continue
        here, folder = addresses.of(file), addresses.folder(file)
        for link in result.html_links:
            scheme = url_scheme(link.target)
            if scheme == "file":
                yield _computer_file(file, link)
            elif nowhere := _leads_nowhere(link, in_html=True) or _mistyped(link):
                yield Hit(file, (link.line, link.col), *nowhere)
                continue
            written = link.target.split("#", 1)[0].split("?", 1)[0]
            path = written.replace("\\", "/")  # as a browser reads it
            if scheme or not path or path.startswith("//"):
                continue  # a web or mail address, or this page ('#anchor'), as in Markdown
            what, sure = "image" if link.image else "link", True
            if path.startswith("/"):
                meant = _absolute_target(path, known, addresses)
                if meant is None:
                    continue  # no file or page of the portal: maybe another site on the host
                message = (f"{what} target '{link.target}' starts with '/': a portal published "
                           "below the site's root (e.g. https://example.com/training/) would "
                           "not find it")
            else:
                if published is None:  # what the build copies as it is
                    published = {a for a in site.assets
                                 if posixpath.basename(a) != schema.DEFAULTS_FILE}
                address = posixpath.normpath(posixpath.join(folder, unquote(path)))
                markdown = path.lower().endswith(MARKDOWN_SUFFIXES)
                if not markdown and _reaches(address, addresses, published):
                    continue
                meant = _join(posixpath.dirname(file), path)
                if meant not in known:  # a page's address, but not one a page has ('x.html')?
                    above = address == ".." or address.startswith("../")
                    meant = None if above else addresses.source(address)
                if meant is None:
                    meant, sure = guess.find(_join(posixpath.dirname(file), path)), False
                page = f"'{here}'" if here else "the portal's top address"
                why = ("the build rewrites only Markdown links, so the browser asks for the "
                       "Markdown file, which the portal does not publish" if markdown else
                       "HTML is published as written, so the browser reads it relative to the "
                       f"page's address, {page}, not to this file")
                message = f"{what} target '{link.target}' in HTML leads nowhere: {why}"
            meant = path_pages.get(meant, meant) if meant is not None else None
            yield Hit(file, (link.line, link.col), message,
                      _html_hint(file, folder, link, meant, sure, known, guess, addresses))


def _reaches(address: str, addresses: urls.Addresses, published: set[str]) -> bool:
    """Whether a portal address (normalized, from the portal's top) is a file or a page of
    the built site."""
    if address == ".." or address.startswith("../"):
        return False  # above the portal's top, which may not be the site's
    if address in published:
        return True
    return addresses.published_at("" if address == "." else address) is not None


def _html_hint(file: str, folder: str, link: Link, meant: str | None, sure: bool,
               known: set[str], guess: _Guess, addresses: urls.Addresses) -> str:
    """Say to write the Markdown form, which the build rewrites and LS403 follows, with the
    path of the file ``meant`` (``sure``, or a guess) relative to this file; and the address
    that works in HTML, relative to the page's."""
    kind = ("Show it as a Markdown image" if link.image else "Write it as a Markdown link") + \
        ", which the build rewrites and the check follows"
    if meant is None:
        example = "![What it shows](path)" if link.image else "[text](path)"
        return (f"{kind}, with the path relative to this file: {example}; check the folder "
                "and file name.")
    rest = link.target[len(link.target.split("#", 1)[0].split("?", 1)[0]):]
    query = rest.split("#", 1)[0]
    anchor, missing = guess.anchor(meant, rest[len(query):])
    path = posixpath.relpath(meant, posixpath.dirname(file) or ".") + query + anchor
    markdown = f"![{link.text or 'What it shows'}]({path})" if link.image else f"[text]({path})"
    address = addresses.of(meant)
    relative = posixpath.relpath(address or ".", folder or ".")
    relative += "/" if not address or address.endswith("/") else ""
    exists = "" if meant in known else ", and check that the file exists"
    found = f": {markdown}{exists}." if sure else f". Did you mean {markdown}?"
    return (f"{kind}{found}{missing} In HTML, write it relative to the page's address: "
            f"'{relative}{query}{anchor}'.")


def _address_hint(file: str, target: str, addresses: urls.Addresses) -> str | None:
    """A link copied from the browser ('../connect-install-agent-linux/') is relative to the
    page's address in the portal, not to its file: the hint names the file it means."""
    path = target.split("#", 1)[0].split("?", 1)[0]
    if not path.endswith(("/", ".html")):
        return None
    address = posixpath.normpath(posixpath.join(addresses.folder(file), unquote(path)))
    address = address.removeprefix(".")  # the portal's top: ''
    source = None if address.startswith(".") else addresses.source(address)
    if source is None:
        return None
    anchor = target[len(target.split("#", 1)[0]):]
    return (f"That is the page's address in the portal; link to its file: "
            f"'{posixpath.relpath(source, posixpath.dirname(file) or '.')}{anchor}'.")


#: What a page of lecosite's own is, said where an author's page is published in its place.
_REPLACEABLE = {"index.md": "the catalog", urls.RULES_PAGE: "lecosite's rules reference"}


def _published_instead(file: str, resolved: str, target: str, guess: _Guess,
                       addresses: urls.Addresses, prefix: str) -> str | None:
    """A link to a page that is not built because another file is published at its address
    (a README.md at the top where the catalog would be; with directory URLs, the author's
    guides/rules/index.md where guides/rules.md would be): the hint names that file."""
    source = addresses.authored(resolved) if resolved.endswith(MARKDOWN_SUFFIXES) else None
    if source is None or source == resolved:
        return None
    anchor, missing = guess.anchor(source, target[len(target.split("#", 1)[0]):])
    relative = posixpath.relpath(source, posixpath.dirname(file) or ".")
    address = addresses.of(source)
    at = f"'{address}'" if address else "the portal's top address"
    instead = f", in place of {_REPLACEABLE[resolved]}" if resolved in _REPLACEABLE else ""
    return (f"Did you mean '{relative}{anchor}'? {prefix}{source} is the page published at "
            f"{at}{instead}.{missing} Paths are relative to this file.")


def _not_built(resolved: str, addresses: urls.Addresses, prefix: str) -> str | None:
    """A link to a page of lecosite's own that no build makes: a retired path's, or one the
    plugin's options in mkdocs.yml leave out, the catalog or the governance page (it lists
    the owners, so it is published only where they say)."""
    retired = next((path for path in addresses.site.paths.values() if path.status == "retired"
                    and resolved in urls.path_pages(path)), None)
    if retired is not None:
        return (f"Path '{retired.id}' is retired ({prefix}{retired.file}), so the portal has no "
                "page for it: remove the link, or link to the page of a path learners can take.")
    options = addresses.options
    if resolved == "index.md" and not options.catalog:
        return ("You have no home page of your own, and mkdocs.yml has 'catalog: false' for "
                "the lecosite plugin, so the portal has none. Link to another page, or write "
                f"a home page: {prefix}index.md.")
    if resolved != urls.GOVERNANCE_PAGE or options.governance is True:
        return None
    where = ("only in the preview (lecosite serve), as mkdocs.yml has 'governance: preview' "
             if options.governance == "preview" else
             "only where mkdocs.yml has 'governance: true' ")
    return (f"The governance page is published {where}for the lecosite plugin: the portal "
            "learners see has none. Remove the link, or ask whoever runs the portal whether "
            "to publish it (governance: true), owners' addresses and all.")


def _page_in(folder: str, known: set[str]) -> str | None:
    """The page a link to ``folder`` should name: its index.md, else its first Markdown
    file; None when it is no folder of the site."""
    if posixpath.normpath(posixpath.join(folder, "index.md")) in known:
        return "index.md"
    prefix = "" if folder == "." else folder.rstrip("/") + "/"
    inside = sorted(f for f in known if f.startswith(prefix) and f.endswith(".md"))
    return inside[0][len(prefix):] if inside and prefix else None


class _Guess:
    """The file a broken link most likely means: the same name in other letter case (the
    author's computer may ignore case; the web server does not), else the closest name of
    the same kind (a missing caption file is no video). A heading named after '#' is kept
    only if that file has it (given ``documents``, the scans of the pages), else its closest
    heading is named: a hint followed must not end in LS404. Indexes are built on the first
    broken link only: a clean site pays nothing."""

    def __init__(self, known: set[str], documents: dict[str, Scan] | None = None) -> None:
        self.known = known
        self.documents = documents or {}
        self.by_lower: dict[str, str] = {}
        self.by_name: dict[str, list[str]] = {}
        self.by_suffix: dict[str, list[str]] = {}

    def find(self, resolved: str) -> str | None:
        """The file a path that names none most likely means, or None."""
        if not self.by_lower:
            for path in sorted(self.known):
                self.by_lower.setdefault(path.lower(), path)
                self.by_name.setdefault(posixpath.basename(path).lower(), []).append(path)
            for name in self.by_name:
                self.by_suffix.setdefault(posixpath.splitext(name)[1], []).append(name)
        found = self.by_lower.get(resolved.lower())
        if found is not None:
            return found
        name = posixpath.basename(resolved).lower()
        close = difflib.get_close_matches(
            name, self.by_suffix.get(posixpath.splitext(name)[1], []), n=1, cutoff=0.8)
        if not close:
            return None
        named = self.by_name[close[0]]
        if posixpath.splitext(close[0])[0] in ("index", "readme"):
            # every folder's page is so named: only one in the folder meant is meant
            named = [path for path in named if _folder_meant(resolved, path)]
        wanted = resolved.lower()
        return max(named, key=lambda path: difflib.SequenceMatcher(
            None, wanted, path.lower()).ratio(), default=None)

    def hint(self, file: str, resolved: str, target: str,
             fallback: str = "check the folder and file name") -> str:
        anchor = target[len(target.split("#", 1)[0]):]
        if "\\" in target:  # typed as Windows writes paths: the web knows only '/'
            path = target[:len(target) - len(anchor)].replace("\\", "/")
            slashed = _join(posixpath.dirname(file), path)
            if slashed in self.known:
                anchor, missing = self.anchor(slashed, anchor)
                return f"Write '/' between folders, not '\\': '{path}{anchor}'.{missing}"
        found = self.find(resolved)
        if found is None:
            return f"Paths are relative to this file; {fallback}."
        relative = posixpath.relpath(found, posixpath.dirname(file) or ".")
        case = " (letter case matters on the web server)" if found.lower() == resolved.lower() \
            else ""
        anchor, missing = self.anchor(found, anchor)
        return f"Did you mean '{relative}{anchor}'{case}?{missing} Paths are relative to this file."

    def anchor(self, found: str, anchor: str) -> tuple[str, str]:
        """``anchor`` ('#heading' or '') if ``found`` has it, else its closest heading (or
        none) and a sentence saying the file lacks it."""
        document = self.documents.get(found)
        if document is None or not anchor[1:] or anchor[1:] in document.anchors:
            return anchor, ""
        heading = difflib.get_close_matches(anchor[1:], sorted(document.anchors), n=1)
        return (f"#{heading[0]}" if heading else "",
                f" That file has no heading '{anchor}'.")


def _folder_meant(resolved: str, path: str) -> bool:
    """Whether ``path``'s folder is the one ``resolved`` means: its name with a typo, or the
    same folder reached with a '../' too many or too few."""
    wanted, theirs = (posixpath.dirname(name).lower() for name in (resolved, path))
    if not wanted or not theirs:
        return wanted == theirs
    return (wanted.endswith(f"/{theirs}") or theirs.endswith(f"/{wanted}")
            or difflib.SequenceMatcher(None, wanted, theirs).ratio() >= 0.8)


def _absolute(file: str, link: Link, known: set[str],
              addresses: urls.Addresses) -> Hit | None:
    """A '/…' link to a file or to a page of the portal ('/modules/<id>/'): MkDocs leaves
    it as written, so it leads nowhere on a site below the domain's root, and fails a
    strict build. Any other '/…' address without a file suffix may be a page of another
    site on the same host: left alone."""
    if link.target.startswith("//"):
        return None
    target = _absolute_target(link.target.split("#", 1)[0].split("?", 1)[0], known,
                              addresses)
    if target is None:
        return None
    anchor = link.target[len(link.target.split("#", 1)[0]):]
    relative = posixpath.relpath(target, posixpath.dirname(file) or ".") + anchor
    return Hit(file, (link.line, link.col),
               f"{'image' if link.image else 'link'} target '{link.target}' starts with '/'",
               f"Write the path relative to this file: '{relative}'"
               + ("." if target in known else ", and check that the file exists."))


def _absolute_target(path: str, known: set[str], addresses: urls.Addresses) -> str | None:
    """The content file a '/…' address names: a file (existing or not) of the site, or the
    source of a page of the portal; None for an address without a file suffix that is no
    page (it may be another site's on the same host)."""
    target = _from_root(path, known, addresses.site.prefix)
    if target not in known and not posixpath.splitext(target)[1]:
        return addresses.source(unquote(path).lstrip("/"))
    return target


def _from_root(path: str, known: set[str], prefix: str) -> str:
    """The content file a '/…' address names: from the content folder, as the portal
    publishes it, or from the project where it starts with the content folder's own name
    ('/content/media/x.svg', as the author's file browser shows it)."""
    target = posixpath.normpath(unquote(path).lstrip("/") or ".")
    inner = target[len(prefix):] if prefix and target.startswith(prefix) else ""
    return inner if inner in known and target not in known else target


def _addresses(site: Site, ctx: Context) -> urls.Addresses:
    """Where the build publishes each page, worked out once per check."""
    return ctx.memo("addresses", lambda: urls.Addresses(site, ctx.directory_urls,
                                                        ctx.settings.pages))


def _local_links(site: Site, ctx: Context) -> list[tuple[str, Link, str]]:
    """(file, link, the content file it resolves to) for links to files of the site, found
    once per check: LS403 and LS408 both go through every link."""
    return ctx.memo("local_links", lambda: [
        (file, link, _join(folder, path))
        for file, result in scans(site, ctx).items()
        for folder in (posixpath.dirname(file),) for link in result.links
        if (path := _link_path(link.target))])


@rule("LS408", "link-to-unpublished", Severity.WARNING)
def link_to_unpublished(site: Site, ctx: Context) -> Iterator[Hit]:
    """Published pages and modules link only to modules and paths the published site has: a
    draft or in-review module, or a draft path's page, is left out of the build (a
    `drafts: true` preview keeps it).

    Example: `[the new proxy steps](connect-proxy-v2.md)`, or in HTML
    `<a href="../connect-proxy-v2/">`, while that module has `status: draft`; or
    `[the new course](../../paths/connect-ha/index.md)` while that path has `status: draft`.
    """
    drafts = {m.file for m in site.modules.values() if m.status in PREVIEW}
    unpublished: dict[str, tuple[str, Module | model.Path]] = {
        m.file: ("module", m) for m in site.modules.values() if m.status in PREVIEW}
    unpublished |= {page: ("path", p) for p in site.paths.values() if p.status == "draft"
                    for page in urls.path_pages(p)}
    if not unpublished:
        return
    addresses = _addresses(site, ctx)
    html = [(file, link, _html_page(file, link.target, addresses))
            for file, result in scans(site, ctx).items() for link in result.html_links]
    for file, link, resolved in [*_local_links(site, ctx), *html]:
        found = unpublished.get(resolved) if resolved is not None else None
        if found is not None and file not in drafts:  # drafts may link to drafts
            kind, draft = found
            yield Hit(file, (link.line, link.col),
                      f"link to {kind} '{draft.id}', which is {draft.status} and not in the "
                      "published site", f"Publish '{draft.id}' first, or remove the link "
                      "until it is.")


@rule("LS404", "broken-anchor")
def broken_anchor(site: Site, ctx: Context) -> Iterator[Hit]:
    """A link to `#a-heading` must match a heading of the target page, also a link in raw
    HTML (`<a href="../connect-check-ports/#steps">`, read from the page's address).

    Example: `[see the proxy step](#proxy-settings)` when the heading reads
    `## Set the proxy` (its anchor is `#set-the-proxy`).
    """
    results = scans(site, ctx)
    addresses = _addresses(site, ctx)
    for file, result in results.items():
        links = [(link, _resolve(file, path) if path else file)
                 for link in result.links if "#" in link.target and _is_local(link.target)
                 for path in [link.target.split("#", 1)[0]]]
        links += [(link, _html_page(file, link.target, addresses))
                  for link in result.html_links if "#" in link.target]
        for link, target in links:
            anchor = link.target.split("#", 1)[1]
            found = results.get(target) if target is not None else None
            if found is None or not anchor or anchor in found.anchors:
                continue
            yield Hit(file, (link.line, link.col), f"no heading '#{anchor}' in {target}",
                      "Headings become anchors in lowercase with '-' for spaces: "
                      + (", ".join(f"#{a}" for a in sorted(found.anchors)[:8]) or "none here"))


def _html_page(file: str, target: str, addresses: urls.Addresses) -> str | None:
    """The source of the page a link in raw HTML leads to, read from the page's address as
    the browser reads it (see LS403), or None when it is no page of this portal."""
    path = target.split("#", 1)[0].split("?", 1)[0].replace("\\", "/")
    if not path:
        return file
    if url_scheme(path) or path.startswith("/"):
        return None
    address = posixpath.normpath(posixpath.join(addresses.folder(file), unquote(path)))
    if address == ".." or address.startswith("../"):
        return None
    return addresses.source("" if address == "." else address)


def _media(clip: _Clip) -> Iterator[tuple[tuple[str | int, ...], str]]:
    found = clip.video
    if found.provider == "file":
        yield ("src",), found.src
    if found.poster:
        yield ("poster",), found.poster
    for index, caption in enumerate(found.captions):
        if caption.src:
            yield ("captions", index, "src"), caption.src
    if found.transcript_file:
        yield ("transcript",), found.transcript_file


@rule("LS405", "missing-media")
def missing_media(site: Site, ctx: Context) -> Iterator[Hit]:
    """Files a module's video names (video, poster, captions, transcript) must exist in the
    site, written relative to the module's file, or be web addresses. A path from `/` would
    lead nowhere on a portal published below its site's root address.

    Example:
        video:
          src: ../../media/install.webm   ← no such file in content/media/
          poster: C:\\Users\\maria\\poster.jpg ← a file on the author's computer
    """
    known = _known_files(site, ctx)
    guess = _Guess(known)
    for clip in _clips(site, ctx):
        for keys, ref in _media(clip):
            problem = _media_problem(clip.file, ref, known, guess, site.prefix)
            if problem:
                yield Hit(clip.file, clip.where(*keys), *problem)


def _media_problem(file: str, ref: str, known: set[str], guess: _Guess,
                   prefix: str) -> tuple[str, str] | None:
    """What is wrong with a media reference a learner's browser must load, if anything."""
    if _COMPUTER_PATH.search(ref):
        return (f"'{ref}' is a path on your computer, not a file of the site",
                "Copy the file into the content folder (e.g. content/media/) and write its "
                "path relative to this file with '/', e.g. ../../media/clip.webm.")
    if _WEB.match(ref):
        return None
    if ref.startswith("/"):  # the browser asks the host's root, not the portal's
        target = _from_root(ref.split("#", 1)[0].split("?", 1)[0], known, prefix)
        relative = posixpath.relpath(target, posixpath.dirname(file) or ".")
        return (f"file '{ref}' starts with '/': a portal published below the site's root "
                "(e.g. https://example.com/training/) would not find it",
                f"Write the path relative to this file: '{relative}'"
                + ("." if target in known else ", and check that the file exists."))
    if _is_local(ref):
        target = _resolve(file, ref)
        if target in known:
            return None
        return (f"file '{ref}' not found",
                guess.hint(file, target, ref, fallback="add the file or fix the path"))
    return (f"'{ref}' is neither a file of the site nor a web address",
            "Use a path relative to this file (e.g. ../../media/clip.webm) or an https:// "
            "address.")


@rule("LS406", "unsupported-video")
def unsupported_video(site: Site, ctx: Context) -> Iterator[Hit]:
    """A video is a YouTube or Vimeo link, or a .mp4/.webm file.

    Example: `src: https://example.com/watch/123` → upload it to the team's video host,
    or add the file itself.
    """
    for clip in _clips(site, ctx):
        src, kind = clip.video.src, clip.video.provider
        bad = kind == "unknown" or (kind == "youtube" and not video.youtube_id(src)) or \
            (kind == "vimeo" and not video.vimeo_id(src))
        if bad:
            yield Hit(clip.file, clip.where("src"), f"cannot embed video '{src}'",
                      "Use the URL of one video on YouTube (https://www.youtube.com/watch?v=…) "
                      "or Vimeo (https://vimeo.com/123456789, or with its hash as shared, "
                      "https://vimeo.com/123456789/0123abcd, when unlisted), or a .mp4/.webm "
                      "file.")


@rule("LS416", "transcript-not-text")
def transcript_not_text(site: Site, ctx: Context) -> Iterator[Hit]:
    """A transcript is text in the module, or a .txt, .md or .vtt file next to it that holds
    UTF-8 text. A page cannot show a document or a caption file of another kind: it would
    show learners the file's name as the transcript; and it shows no transcript at all from
    an empty file or one saved in another encoding (as Notepad's ANSI or Word's plain text
    may be).

    Example: `transcript: install-transcript.docx` → save it as plain text
    (`install-transcript.txt`) and name that file, or paste the text under `transcript: |`.

    Example: `transcript: ../../media/install.txt`, saved as Windows-1252 →
    `transcript '../../media/install.txt' is not UTF-8 text (byte 0xe9 at line 1)`:
    re-save it with UTF-8 encoding.
    """
    known, root = _known_files(site, ctx), Path(site.root)
    for clip in _clips(site, ctx):
        name = clip.video.transcript_document
        if name:
            yield Hit(clip.file, clip.where("transcript"),
                      f"transcript '{name}' is not a text file: learners would see the words "
                      f"'{name}' as the transcript",
                      "Save the transcript as plain text (.txt), Markdown (.md) or WebVTT "
                      "(.vtt) next to the module and name that file, or paste the text under "
                      "'transcript: |'.")
            continue
        ref = clip.video.transcript_file
        target = _resolve(clip.file, ref) if ref and _is_local(ref) else None
        text = _text_file(root, target, ctx) if target is not None and target in known \
            else None
        if text is None:
            continue  # a web address, or a file LS405 reports
        if text.encoding:
            yield Hit(clip.file, clip.where("transcript"), f"transcript '{ref}' is "
                      f"{text.encoding}, so the page shows no transcript", _RESAVE)
        elif text.blank:
            yield Hit(clip.file, clip.where("transcript"), f"transcript '{ref}' is empty, so "
                      "the page shows no transcript", "Write what the video says into the "
                      "file, or remove 'transcript:' until there is one.")


@rule("LS414", "video-completion-without-video")
def video_completion_without_video(site: Site, ctx: Context) -> Iterator[Hit]:
    """A module whose `completion` names a video share has a front-matter `video`.

    Only the module's main video completes it; a video in the body does not. Without one,
    the setting does nothing and learners complete the module by clicking "Mark complete".

    Example: `completion: {video: 0.9}` on a module with no `video:` → add the module's
    `video:`, or remove `video` from `completion`.
    """
    for module in site.modules.values():
        if "video" in module.completion and module.video is None:
            yield Hit(module.file, module.where("completion", "video"),
                      "completion names a share of the video, but the module has no "
                      "'video' in its front matter, so the setting has no effect",
                      "Add the module's 'video:' (its main video), or remove 'video' from "
                      "'completion'.")


_DATABASE = re.compile(r"\.(?:sqlite3?|db)(?:-wal|-shm|-journal)?$", re.I)


@rule("LS415", "database-in-content")
def database_in_content(site: Site, ctx: Context) -> Iterator[Hit]:
    """The content folder holds no database file: every file in it is published with the
    portal, and a collector's database holds learners' statements.

    Example: `lecosite collect` run from `content/` wrote `content/lecosite-statements.sqlite`
    → move it out of the content folder and start the collector with `--db` elsewhere.
    """
    for asset in sorted(site.assets):
        if _DATABASE.search(asset):
            yield Hit(asset, (1, 1),
                      "a database file in the content folder would be published with the "
                      "portal, for anyone to download (a collector's holds learners' data)",
                      "Move it out of the content folder; run 'lecosite collect --db' with a "
                      "path outside it, e.g. /srv/lecosite/statements.sqlite.")


@rule("LS410", "video-line-not-read")
def video_line_not_read(site: Site, ctx: Context) -> Iterator[Hit]:
    """A video in a body is one line of its own, written exactly `@[video](src "Title")`,
    optionally followed by `{captions=en}`, at the very start of the line. Anything else
    shows learners a link after a stray '@' instead of the player.

    Example: `See @[Video](https://youtu.be/dQw4w9WgXcQ) {captions = en}` →
    `@[video](https://youtu.be/dQw4w9WgXcQ){captions=en}`.
    """
    for owner in [*site.modules.values(), *site.pages.values()]:
        lines = video.misread_lines(owner.body, owner.body_line)
        text = owner.body.split("\n") if lines else []
        for line in lines:
            written = text[line - owner.body_line]
            fixed = video.repaired_line(written)
            space = " (a space ends the address: write each as %20)" if fixed and \
                fixed.count("%20") > written.count("%20") else ""
            yield Hit(owner.file, (line, 1), "this line is not read as a video: learners would "
                      "see a link after a stray '@'",
                      f"Write it on a line of its own, at the start, as {fixed}{space}"
                      if fixed else
                      "Write it on a line of its own, at the start, exactly @[video](src "
                      "\"Title\"), with {captions=en} right after the ')' and no spaces inside "
                      "the braces.")


_PLAYERS = {"video", "audio", "iframe", "embed", "object"}
_OTHER_PAGE = {"frame", "frameset", "applet", "portal", "fencedframe"}
_FORM = {"form", "input", "button", "select", "textarea", "option", "optgroup", "fieldset",
         "legend", "label", "output", "datalist", "keygen", "isindex"}
_LINK_INSTEAD = "link to it instead: [Title](https://…)."
# What a refused tag does to learners, and what to write instead.
_TAG_HARM = {
    "script": ("a <script> in the body would run in every learner's browser",
               "Remove it; ask the portal's maintainers if the page needs behaviour the portal "
               "lacks."),
    "base": ("a <base> makes every later relative address on the page load from the address "
             "it names, the portal's own scripts included: whoever holds that address runs code "
             "in every learner's browser",
             "Remove it; write links relative to this file, or as full https:// addresses."),
    "meta": ("a <meta> can reload the page or send every learner to another site "
             "(http-equiv=\"refresh\")",
             "Remove it; to send learners to another page, " + _LINK_INSTEAD),
    "link": ("a <link> loads a style sheet or other file from elsewhere into the page, which "
             "can hide or change anything on it",
             "Remove it; the portal's theme styles every page. To point learners to a page, "
             + _LINK_INSTEAD),
    "style": ("a <style> restyles the whole page: it can hide the portal's navigation or make "
              "any text look like the portal's own",
              "Remove it; set text apart with Markdown: **bold**, or an admonition (!!! note)."),
    "svg": ("an inline <svg> can hold scripts and links that run in every learner's browser",
            "Save the drawing as an .svg file in content/media/ and show it as an image: "
            "![What it shows](../../media/diagram.svg)."),
    "math": ("an inline <math> can hold links that run a script in every learner's browser",
             "Write the formula as text, or show it as an image: ![The formula](formula.svg)."),
}


def _tag_harm(tag: str) -> tuple[str, str]:
    """(message, hint) for a raw tag in REFUSED_TAGS."""
    if tag in _TAG_HARM:
        return _TAG_HARM[tag]
    if tag in _PLAYERS:
        return (f"a raw <{tag}> player gets no captions check, no progress and no usage data, "
                "and loads before the learner asks",
                "Write a video line, @[video](src \"Title\"){captions=en}, or the module's "
                "'video:' field; link to anything else: [Title](https://…).")
    if tag in _OTHER_PAGE:
        return (f"a raw <{tag}> loads another page or program into this one, past every check",
                "Remove it; " + _LINK_INSTEAD)
    if tag in _FORM:
        return (f"a raw <{tag}> could ask learners for their password on a page that looks "
                "like the portal, and send it elsewhere",
                "Remove it; ask questions with a ```check block, and link to a form hosted "
                "elsewhere: [Title](https://…).")
    return (f"a raw <{tag}> is HTML the portal does not publish: only tags that format text "
            "(such as <kbd>, <sup>, <details>, <table>) are allowed",
            f"Write it in Markdown, or ask the portal's maintainers to allow the tag; if you "
            f"meant the text, put it in backticks: `<{tag}>`.")


def _attribute_harm(what: str) -> tuple[str, str]:
    """(message, hint) for what acts beyond the text in a tag's attributes or a link."""
    if what == REWRITTEN:
        return ("Markdown turns the `code`, link or <https://…> address inside this tag into "
                "HTML before it publishes the tag: its quotes can end an attribute's value, and "
                "the rest become attributes, such as onclick=, that run a script",
                "Write the tag's attributes as plain text: no backticks, [links] or <https://…> "
                "addresses inside a tag (a backtick can be written &#96;, a '[' &#91;).")
    if what == "style=":
        return ("the 'style=' attribute can restyle the page, e.g. cover it with a look-alike "
                "of the portal", "Remove it; the portal's theme sets how text looks.")
    if what == "data:":
        return ("the 'data:' link opens a page carried inside the link itself, outside the "
                "portal, which can imitate it or run a script",
                "Link to an https:// address or a page of the portal; put an image in "
                "content/media/ and show it with ![What it shows](path).")
    kind = "link" if what.endswith(":") else "attribute"
    return (f"the '{what}' {kind} runs a script in every learner's browser",
            "Remove it: link to an https:// address or a page of the portal; ask the portal's "
            "maintainers if the page needs behaviour it lacks.")


@rule("LS411", "raw-html-not-allowed")
def raw_html_not_allowed(site: Site, ctx: Context) -> Iterator[Hit]:
    """A body's raw HTML only formats text: it is published as written, so anything more
    reaches every learner unchecked. Allowed are tags such as `<br>`, `<kbd>`, `<sub>`,
    `<sup>`, `<abbr>`, `<mark>`, `<span>`, `<div>`, `<details>`, `<summary>`, `<img>`,
    `<table>`, `<figure>` and `<a>` with a web or relative address. Refused are players
    (`<iframe>`, `<video>`: no captions check, progress or consent), `<script>` and event
    attributes (`onerror=`), `javascript:` and `data:` links (also written `&#106;avascript:`),
    `<base>`, `<meta>`, `<link>`, `<style>` and `style=`, forms, inline `<svg>`, and any other
    HTML tag. A tag's name runs to a space, '/' or '>', so `<x:y onclick=…>` is a tag too. No
    code span, link or `<https://…>` may sit inside a tag: Markdown writes HTML there, whose
    quotes can end an attribute's value. Inside code (backticks, a fence or lines indented
    after a blank line) HTML is text and allowed, but not inside a raw HTML block, where
    backticks are text. A tag that Markdown and browsers end in different places
    (`title==">"`, a no-break space before a quote, a '>' in an end tag's quotes) is refused
    too: Markdown may then publish the text after it as raw HTML.

    Example: `<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>` →
    `@[video](https://youtu.be/dQw4w9WgXcQ "Title"){captions=en}`.

    Example: `<base href="https://cdn.example/">` → remove it; write links relative to this
    file, or as full https:// addresses.
    """
    for file, found in scans(site, ctx).items():
        for line, col, what in found.unsafe:
            if what == TWO_WAYS:
                yield Hit(file, (line, col),
                          "Markdown and browsers end this tag in different places, so Markdown "
                          "may publish the text after it as raw HTML, where a tag shown in "
                          "backticks runs",
                          "Write the tag plainly: name=\"value\" with nothing else around the "
                          "'=', no backtick, no-break space or ',' after a quote in it, no '>' "
                          "in an end tag, and no <?…?> or <!…> inside a line of raw HTML.")
            else:
                yield Hit(file, (line, col), *_attribute_harm(what))
        for line, col, tag in found.raw_tags:
            yield Hit(file, (line, col), *_tag_harm(tag))


_PLACEHOLDER = "TODO:"  # what `lecosite new` leaves for the author to replace
# A line of text that is one: a paragraph, heading, quote, list item or table cell.
_PLACEHOLDER_LINE = re.compile(r"[ \t]*(?:(?:#{1,6}|>|[-*+]|\d{1,9}[.)]|\[[ xX]\])[ \t]*)*TODO:"
                               r"|[ \t]*\|(?:[^|\n]*\|)*?[ \t]*TODO:", re.I)


@rule("LS409", "placeholder-content")
def placeholder_content(site: Site, ctx: Context) -> Iterator[Hit]:
    """A published module or path shows learners no placeholder text ("TODO:", as `lecosite
    new` writes it, in any case: in its title, summary, goal, objectives or source titles,
    or starting a paragraph, heading, quote, list item or table cell) and a published
    module has something to teach: text or a video.

    Example: `summary: "TODO: one or two sentences about Proxy setup."` in a published
    module → write the summary, or keep `status: draft` until it is done.
    """
    for item in [*site.modules.values(), *site.paths.values()]:
        if not item.published:
            continue
        fields: list[tuple[tuple[str | int, ...], str]] = [
            (("title",), item.title), (("summary",), item.summary), (("goal",), item.goal)]
        if isinstance(item, Module):
            fields += [(("objectives", i), text) for i, text in enumerate(item.objectives)]
            fields += [(("sources", i, "title"), s.title) for i, s in enumerate(item.sources)]
        for where, text in fields:
            if _PLACEHOLDER in text.upper():
                yield Hit(item.file, item.where(*where), f"'{where[0]}' is still a placeholder",
                          f"Replace the text after {_PLACEHOLDER}, or keep status: draft until "
                          "it is written.")
        if not isinstance(item, Module):
            continue
        body, code = item.body, set()
        placeholder = _PLACEHOLDER in body.upper()
        for block in fences(body) if placeholder else ():
            if block.close >= 0:  # a block never closed shows as text
                code.update(range(body.count("\n", 0, block.start),
                                  body.count("\n", 0, block.close) + 1))
        for number, line in enumerate(body.split("\n") if placeholder else ()):
            if _PLACEHOLDER_LINE.match(line) and number not in code:
                yield Hit(item.file, (item.body_line + number,
                                      line.upper().index(_PLACEHOLDER) + 1),
                          "the text is still a placeholder",
                          f"Replace the {_PLACEHOLDER} line with the module's content, or keep "
                          "status: draft until it is written.")
        if not item.body.strip() and item.video is None:
            yield Hit(item.file, item.where("status"), "the module is published but empty",
                      "Write its text below the front matter (or add a video), or keep status: "
                      "draft until it is written.")
