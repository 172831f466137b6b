"""A fake LRS for tests: a Starlette app served by a real uvicorn on 127.0.0.1, in a thread."""

from __future__ import annotations

import socket
import threading
import time

import uvicorn
from starlette.applications import Starlette
from starlette.routing import Route


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Served:
    """Subclasses pick a port (``free_port``) first, so their routes may name it, then
    call ``__init__`` with the routes; ``self.url`` is the xAPI base."""

    def __init__(self, port: int, routes: list[Route]) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}/xAPI"
        self.server = uvicorn.Server(uvicorn.Config(Starlette(routes=routes),
                                                    host="127.0.0.1", port=self.port,
                                                    log_level="error"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Served:
        self.thread.start()
        while not self.server.started:
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)
