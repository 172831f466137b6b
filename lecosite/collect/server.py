"""Run the collector with uvicorn: blocking (the CLI) or in a background thread (serve)."""

from __future__ import annotations

import logging
import logging.config
import os
import socket
import sys
import threading
import time
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette

from lecosite.collect.app import CollectorConfig, create_app
from lecosite.collect.relay import ENV_PASSWORD, ENV_USER, Upstream


def make_config(db_path: str | Path, allow_origins: list[str] | tuple[str, ...] = (),
                upstream: str | None = None, upstream_user: str | None = None,
                upstream_password: str | None = None, **options: object) -> CollectorConfig:
    """A CollectorConfig; upstream credentials fall back to the environment, never the page."""
    target = None
    if upstream:
        # An empty value (a variable set to nothing) is no credential, not an empty user.
        user = upstream_user or os.environ.get(ENV_USER) or None
        password = upstream_password or os.environ.get(ENV_PASSWORD) or None
        target = Upstream(upstream, user, password)
    return CollectorConfig(db=Path(db_path), allow_origins=list(allow_origins), upstream=target,
                           **options)  # type: ignore[arg-type]


def listen(host: str, port: int) -> list[socket.socket]:
    """Listening sockets on every address of host:port, bound as uvicorn (asyncio) would
    bind them, for the server to take over: the port is held from now, so no program can
    take it between a check and the server's start, after the database was made. A busy
    port or an unknown host raises OSError here, where the caller can say what to do."""
    sockets: list[socket.socket] = []
    try:
        for family, kind, proto, _, address in dict.fromkeys(socket.getaddrinfo(
                host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)):
            sock = socket.socket(family, kind, proto)
            sockets.append(sock)
            if os.name == "posix":
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            sock.bind(address)
            sock.listen()
    except BaseException:
        close(sockets)
        raise
    return sockets


def close(sockets: list[socket.socket]) -> None:
    for sock in sockets:
        sock.close()


def check_port(host: str, port: int) -> None:
    """Bind every address of host:port once and let go (for a server that binds it
    itself): a busy port or an unknown host raises OSError here."""
    close(listen(host, port))


LOG_LEVELS = ("critical", "error", "warning", "info")
LINE = "%(levelname)s %(message)s"
STAMP = "%Y-%m-%dT%H:%M:%S%z"  # ISO 8601, local time with its offset


class _Stderr(logging.StreamHandler[Any]):
    """Writes to ``sys.stderr`` as it is when a line is logged, as Python's last resort
    does: click's test runner and pytest swap it, and a handler holding an old one would
    write to a closed file."""

    def __init__(self) -> None:
        logging.Handler.__init__(self)

    @property
    def stream(self) -> Any:  # type: ignore[override]
        return sys.stderr


_PRIORITY = {logging.CRITICAL: 2, logging.ERROR: 3, logging.WARNING: 4, logging.INFO: 6}


class _Journal(logging.Formatter):
    """Starts each line with its syslog priority ("<4>" for a warning), which the journal
    strips and keeps, so ``journalctl -p warning`` finds the collector's warnings."""

    def format(self, record: logging.LogRecord) -> str:
        return f"<{_PRIORITY.get(record.levelno, 7)}>{super().format(record)}"


def _journal() -> bool:
    """Whether stderr is systemd's journal, which stamps each line itself ($JOURNAL_STREAM
    names the stream it connected, so a program started from a service is not fooled)."""
    try:
        info = os.fstat(sys.stderr.fileno())
    except (AttributeError, OSError, ValueError):
        return False
    return os.environ.get("JOURNAL_STREAM") == f"{info.st_dev}:{info.st_ino}"


def configure_logging(level: str, *, mkdocs: bool = False) -> None:
    """lecosite's log lines and uvicorn's in one format, at ``level``: without a handler,
    Python printed lecosite's bare, at warning whatever the level.

    ``lecosite collect`` owns its process: every logger's warnings go to stderr, each line
    with its level and, unless the journal stamps them, the time (there, its priority).
    ``lecosite serve`` shares MkDocs' process: only the collector's lines, in MkDocs' own
    format, and they also reach the root logger (pytest's capture), which has no handler there."""
    upper = level.upper()
    line: dict[str, Any] = (
        {"()": "mkdocs.__main__.ColorFormatter"} if mkdocs else
        {"()": _Journal, "fmt": LINE} if _journal() else
        {"format": f"%(asctime)s {LINE}", "datefmt": STAMP})
    config: dict[str, Any] = {
        "version": 1, "disable_existing_loggers": False,
        "formatters": {"line": line},
        "handlers": {"stderr": {"()": _Stderr, "formatter": "line"}}}
    if mkdocs:
        config["loggers"] = {
            "lecosite.collect": {"level": upper, "handlers": ["stderr"]},
            "uvicorn": {"level": upper, "handlers": ["stderr"], "propagate": False}}
    else:  # other libraries' info (httpx: one line a request) stays out at info
        config["loggers"] = {name: {"level": upper, "handlers": []}
                             for name in ("lecosite", "uvicorn")}
        config["root"] = {"level": "WARNING" if upper == "INFO" else upper,
                          "handlers": ["stderr"]}
    logging.config.dictConfig(config)


def _uvicorn(app: Starlette, log_level: str, forwarded_allow_ips: str | None) -> uvicorn.Server:
    # forwarded_allow_ips None keeps uvicorn's default: $FORWARDED_ALLOW_IPS, else loopback.
    # log_config None: configure_logging has set up uvicorn's loggers with lecosite's.
    # No host or port: it serves on the sockets listen() holds.
    return uvicorn.Server(uvicorn.Config(
        app, log_level=log_level, log_config=None, access_log=False,
        lifespan="on", timeout_graceful_shutdown=5, server_header=False,
        proxy_headers=True, forwarded_allow_ips=forwarded_allow_ips))


def serve_collector(db_path: str | Path, sockets: list[socket.socket],
                    allow_origins: list[str] | tuple[str, ...] = (), *,
                    upstream: str | None = None, upstream_user: str | None = None,
                    upstream_password: str | None = None, log_level: str = "warning",
                    forwarded_allow_ips: str | None = None, **options: object) -> None:
    """Serve on ``sockets`` (from listen()) until interrupted. Safe to call from a non-main
    thread (no signal handlers).

    ``forwarded_allow_ips``: the proxies whose X-Forwarded-For names the client (the key of
    the rate limit), as uvicorn takes them: comma-separated addresses or networks, or '*'.
    """
    configure_logging(log_level)
    config = make_config(db_path, allow_origins, upstream, upstream_user, upstream_password,
                         **options)
    _uvicorn(create_app(config), log_level, forwarded_allow_ips).run(sockets=sockets)


def http_url(host: str, port: int, path: str = "/") -> str:
    """The address to print: an IPv6 host ('::1') needs brackets to be one."""
    return f"http://{f'[{host}]' if ':' in host else host}:{port}{path}"


class CollectorThread:
    """The collector in a daemon thread, for ``lecosite serve --collect`` and tests: on
    ``sockets`` from listen(), else on host:port, bound by start()."""

    def __init__(self, db_path: str | Path, host: str = "127.0.0.1", port: int = 8787,
                 allow_origins: list[str] | tuple[str, ...] = (), *,
                 sockets: list[socket.socket] | None = None,
                 upstream: str | None = None, upstream_user: str | None = None,
                 upstream_password: str | None = None, log_level: str = "warning",
                 forwarded_allow_ips: str | None = None, **options: object) -> None:
        configure_logging(log_level, mkdocs=True)
        self.config = make_config(db_path, allow_origins, upstream, upstream_user,
                                  upstream_password, **options)
        self.host, self.port, self.sockets = host, port, sockets
        self.url = http_url(host, port)
        self.app = create_app(self.config)
        self.server = _uvicorn(self.app, log_level, forwarded_allow_ips)
        self.thread: threading.Thread | None = None

    def start(self, timeout: float = 10) -> CollectorThread:
        """Serve in the thread; OSError at once when the port cannot be bound. Its
        sockets are let go when it does not start."""
        if self.sockets is None:
            self.sockets = listen(self.host, self.port)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": self.sockets},
                                       name="lecosite-collector", daemon=True)
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                close(self.sockets)
                raise RuntimeError(f"the collector did not start on {self.url}")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        if self.thread is not None:
            self.thread.join(timeout=15)

    @property
    def parts(self) -> dict[str, Any]:
        """The running store and relay (tests look at the relay's state)."""
        return self.app.state.holder
