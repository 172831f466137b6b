"""Running the real command on a pseudo-terminal, as an author or operator does."""

from __future__ import annotations

import os
import select


def read_all(main: int, quiet: float = 30) -> bytes:
    """Everything written to the terminal whose controlling side is ``main`` until the
    command closes it, read while it runs (a full terminal buffer would block it). After
    ``quiet`` seconds without output it stops: a prompt left waiting fails, not hangs."""
    shown = b""
    while select.select([main], [], [], quiet)[0]:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # EIO: the command has closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    os.close(main)
    return shown
