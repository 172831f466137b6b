"""`lecosite build` and `lecosite serve`: MkDocs' own commands, run with our defaults."""

from __future__ import annotations

import logging
import os
import re
import signal
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any
from wsgiref.util import FileWrapper

import mkdocs.commands.serve
from mkdocs.__main__ import cli
from mkdocs.livereload import LiveReloadServer

# One range, as a video element asks; longer numbers than any file here is are ignored.
_RANGE = re.compile(r"bytes=(\d{1,15})-(\d{0,15})")
_CHUNK = 1 << 16
_log = logging.getLogger("mkdocs.livereload")


def _mkdocs(args: list[str]) -> int:
    # Material prints a notice about MkDocs 2 on every run; lecosite pins mkdocs<2 already.
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    try:
        cli.main(args, prog_name="lecosite", standalone_mode=True)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 1
    return 0


def build_site(config_file: str, *, strict: bool, site_dir: str | None) -> int:
    args = ["build", "--config-file", config_file]
    if strict:
        args.append("--strict")
    if site_dir:
        args += ["--site-dir", site_dir]
    return _mkdocs(args)


def serve_site(config_file: str, *, dev_addr: str) -> int:
    """Serve until Ctrl-C or SIGTERM: both stop MkDocs' server the same clean way, so the
    caller's cleanup (the embedded collector closing its database) runs either way."""
    mkdocs.commands.serve.LiveReloadServer = RangeServer  # type: ignore[misc]
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        return _mkdocs(["serve", "--config-file", config_file, "--dev-addr", dev_addr])
    finally:
        signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


class _PartsLogged:
    """MkDocs logs every answer but 200 as a warning; a part of a file (206) is as normal,
    and an author told to fix warnings would see one at every play of a video."""

    requestline: str

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        if str(code) == "206":
            _log.debug(f'"{self.requestline}" code {code}')
        else:
            super().log_request(code, size)  # type: ignore[misc]


class RangeServer(LiveReloadServer):
    """MkDocs' preview server, answering a byte range as the web server of a published
    portal does: a browser lets a learner seek in a video only when its file comes in
    ranges, so in MkDocs' own preview every seek jumps back to the start."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.RequestHandlerClass = type("RangeHandler", (_PartsLogged,
                                                         self.RequestHandlerClass), {})
        # The port is held from now on, through the first build (seconds): MkDocs binds it
        # only after, and another program could take it in between, after `lecosite serve`
        # found it free and started the collector. A browser asking meanwhile waits.
        self._held = False
        self.server_bind()
        self.server_activate()
        self._held = True

    def server_bind(self) -> None:
        if not self._held:
            super().server_bind()

    def server_activate(self) -> None:
        if not self._held:
            super().server_activate()

    def _serve_request(self, environ: dict[str, Any],
                       start_response: Callable[..., Any]) -> Iterable[bytes] | None:
        wanted = _RANGE.fullmatch(environ.get("HTTP_RANGE", ""))
        if wanted is None or environ.get("REQUEST_METHOD") != "GET":  # RFC 9110: GET only
            return super()._serve_request(environ, start_response)
        answer: list[Any] = []
        body = super()._serve_request(environ, lambda *args: answer.extend(args[:2]))
        if body is None:
            return None
        status, headers = answer
        if status != "200 OK" or not isinstance(body, FileWrapper):
            start_response(status, headers)
            return body
        file: IO[bytes] = body.filelike
        size = file.seek(0, os.SEEK_END)
        start, end = int(wanted[1]), min(int(wanted[2] or size - 1), size - 1)
        if start > end:
            file.close()
            start_response("416 Range Not Satisfiable", [("Content-Range", f"bytes */{size}")])
            return []
        file.seek(start)
        start_response("206 Partial Content", [
            *((k, v) for k, v in headers if k.lower() != "content-length"),
            ("Content-Range", f"bytes {start}-{end}/{size}"),
            ("Content-Length", str(end - start + 1))])
        return _part(file, end - start + 1)


def _part(file: IO[bytes], length: int) -> Iterator[bytes]:
    with file:
        while length > 0:
            chunk = file.read(min(_CHUNK, length))
            if not chunk:
                return
            length -= len(chunk)
            yield chunk
