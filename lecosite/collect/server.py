"""Run the collector with uvicorn: blocking (the CLI) or in a background thread (serve)."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette

from lecosite.collect.app import CollectorConfig, create_app
from lecosite.collect.relay import Upstream

ENV_USER = "LECOSITE_UPSTREAM_USER"
ENV_PASSWORD = "LECOSITE_UPSTREAM_PASSWORD"


def make_config(db_path: str | Path, allow_origins: list[str] | tuple[str, ...] = (),
                upstream: str | None = None, upstream_user: str | None = None,
                upstream_password: str | None = None, **options: object) -> CollectorConfig:
    """A CollectorConfig; upstream credentials fall back to the environment, never the page."""
    target = None
    if upstream:
        user = upstream_user if upstream_user is not None else os.environ.get(ENV_USER)
        password = (upstream_password if upstream_password is not None
                    else os.environ.get(ENV_PASSWORD))
        target = Upstream(upstream, user, password)
    return CollectorConfig(db=Path(db_path), allow_origins=list(allow_origins), upstream=target,
                           **options)  # type: ignore[arg-type]


def _uvicorn(app: Starlette, host: str, port: int, log_level: str) -> uvicorn.Server:
    return uvicorn.Server(uvicorn.Config(
        app, host=host, port=port, log_level=log_level, access_log=False,
        lifespan="on", timeout_graceful_shutdown=5, server_header=False))


def serve_collector(db_path: str | Path, host: str = "127.0.0.1", port: int = 8787,
                    allow_origins: list[str] | tuple[str, ...] = (), *,
                    upstream: str | None = None, upstream_user: str | None = None,
                    upstream_password: str | None = None, log_level: str = "warning",
                    **options: object) -> None:
    """Serve until interrupted. Safe to call from a non-main thread (no signal handlers)."""
    config = make_config(db_path, allow_origins, upstream, upstream_user, upstream_password,
                         **options)
    _uvicorn(create_app(config), host, port, log_level).run()


class CollectorThread:
    """The collector in a daemon thread, for ``lecosite serve --collect`` and tests."""

    def __init__(self, db_path: str | Path, host: str = "127.0.0.1", port: int = 8787,
                 allow_origins: list[str] | tuple[str, ...] = (), *,
                 upstream: str | None = None, upstream_user: str | None = None,
                 upstream_password: str | None = None, log_level: str = "warning",
                 **options: object) -> None:
        self.config = make_config(db_path, allow_origins, upstream, upstream_user,
                                  upstream_password, **options)
        self.url = f"http://{host}:{port}/"
        self.app = create_app(self.config)
        self.server = _uvicorn(self.app, host, port, log_level)
        self.thread = threading.Thread(target=self.server.run, name="lecosite-collector",
                                       daemon=True)

    def start(self, timeout: float = 10) -> CollectorThread:
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
