"""A fake LRS for tests: a Starlette app served by a real uvicorn on 127.0.0.1, in a thread."""

from __future__ import annotations

import errno
import socket
import threading
import time

import uvicorn
from starlette.applications import Starlette
from starlette.routing import Route


def bound_socket() -> socket.socket:
    """A listening socket on a free port of 127.0.0.1, held until a server takes it over:
    a port found free and let go can be taken by another process before it is bound again."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    return sock


def port_taken(port: int) -> bool:
    """Whether something else now holds 127.0.0.1:port: a server given only a port number
    may find it taken after it was found free, and is then started on another."""
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError as exc:
            return exc.errno == errno.EADDRINUSE
    return False


def free_port() -> int:
    """A port that was free a moment ago, for a server in another process or behind an API
    that takes only a port number; where a socket can be handed over, use bound_socket()."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Served:
    """Serves ``routes`` on ``listen``: a socket from bound_socket() (a subclass whose routes
    name the address binds it first), or a port number. ``self.url`` is the xAPI base."""

    def __init__(self, listen: socket.socket | int, routes: list[Route]) -> None:
        self.sock = listen if isinstance(listen, socket.socket) else None
        self.port = self.sock.getsockname()[1] if self.sock else int(listen)
        self.url = f"http://127.0.0.1:{self.port}/xAPI"
        self.server = uvicorn.Server(uvicorn.Config(Starlette(routes=routes),
                                                    host="127.0.0.1", port=self.port,
                                                    log_level="error"))
        sockets = [self.sock] if self.sock else None
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": sockets},
                                       daemon=True)

    def __enter__(self) -> Served:
        self.thread.start()
        while not self.server.started:
            if not self.thread.is_alive():
                raise RuntimeError(f"the fake LRS did not start on port {self.port}")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        if self.sock is not None:
            self.sock.close()
