"""Run the collector with uvicorn: blocking (the CLI) or in a background thread (serve)."""

from __future__ import annotations

import os
import socket
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


def check_port(host: str, port: int) -> None:
    """Bind every address of host:port once, as uvicorn (asyncio) will, and let go: a busy
    port or an unknown host raises OSError here, where the caller can say what to do."""
    for family, kind, proto, _, address in socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE):
        with socket.socket(family, kind, proto) as sock:
            if os.name == "posix":
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            sock.bind(address)


def _uvicorn(app: Starlette, host: str, port: int, log_level: str,
             forwarded_allow_ips: str | None) -> uvicorn.Server:
    # forwarded_allow_ips None keeps uvicorn's default: $FORWARDED_ALLOW_IPS, else loopback.
    return uvicorn.Server(uvicorn.Config(
        app, host=host, port=port, log_level=log_level, access_log=False,
        lifespan="on", timeout_graceful_shutdown=5, server_header=False,
        proxy_headers=True, forwarded_allow_ips=forwarded_allow_ips))


def serve_collector(db_path: str | Path, host: str = "127.0.0.1", port: int = 8787,
                    allow_origins: list[str] | tuple[str, ...] = (), *,
                    upstream: str | None = None, upstream_user: str | None = None,
                    upstream_password: str | None = None, log_level: str = "warning",
                    forwarded_allow_ips: str | None = None, **options: object) -> None:
    """Serve until interrupted. Safe to call from a non-main thread (no signal handlers).

    ``forwarded_allow_ips``: the proxies whose X-Forwarded-For names the client (the key of
    the rate limit), as uvicorn takes them: comma-separated addresses or networks, or '*'.
    """
    config = make_config(db_path, allow_origins, upstream, upstream_user, upstream_password,
                         **options)
    _uvicorn(create_app(config), host, port, log_level, forwarded_allow_ips).run()


def http_url(host: str, port: int, path: str = "/") -> str:
    """The address to print: an IPv6 host ('::1') needs brackets to be one."""
    return f"http://{f'[{host}]' if ':' in host else host}:{port}{path}"


class CollectorThread:
    """The collector in a daemon thread, for ``lecosite serve --collect`` and tests."""

    def __init__(self, db_path: str | Path, host: str = "127.0.0.1", port: int = 8787,
                 allow_origins: list[str] | tuple[str, ...] = (), *,
                 upstream: str | None = None, upstream_user: str | None = None,
                 upstream_password: str | None = None, log_level: str = "warning",
                 forwarded_allow_ips: str | None = None, **options: object) -> None:
        self.config = make_config(db_path, allow_origins, upstream, upstream_user,
                                  upstream_password, **options)
        self.host, self.port = host, port
        self.url = http_url(host, port)
        self.app = create_app(self.config)
        self.server = _uvicorn(self.app, host, port, log_level, forwarded_allow_ips)
        self.thread = threading.Thread(target=self.server.run, name="lecosite-collector",
                                       daemon=True)

    def start(self, timeout: float = 10) -> CollectorThread:
        """Serve in the thread; OSError at once when the port cannot be bound."""
        check_port(self.host, self.port)
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the collector did not start on {self.url}")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)

    @property
    def parts(self) -> dict[str, Any]:
        """The running store and relay (tests look at the relay's state)."""
        return self.app.state.holder
