"""Work done ahead on another core: a forked process computes while the caller goes on.

A site generator's build is single-threaded, so a second core sits idle while it converts
Markdown. What lecosite adds to every page can be worked out from the catalog alone, before
the pages need it; a forked child does that work and hands the result over when asked.
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Ahead(Generic[T]):
    """Runs ``work()`` in a forked child from now on; ``result()`` is what it returned.

    ``result()`` is None when the work could not be done ahead (no fork on this platform,
    the child failed or was cancelled): the caller then does the work itself, so an error
    surfaces there with its usual message and traceback.
    """

    def __init__(self, work: Callable[[], T]) -> None:
        self._result: T | None = None
        self._process: Any = None
        self._conn: Connection | None = None
        if "fork" not in mp.get_all_start_methods():
            return
        context = mp.get_context("fork")
        self._conn, child_end = context.Pipe(duplex=False)
        self._process = context.Process(target=_run, args=(work, child_end), daemon=True)
        self._process.start()
        child_end.close()  # so that a child that dies is an EOF here, not a hang

    def ready(self) -> bool:
        """True once ``result()`` returns without waiting."""
        return self._conn is None or self._conn.poll()

    def result(self) -> T | None:
        """What the child returned, waiting for it if needed."""
        if self._conn is not None:
            try:
                self._result = self._conn.recv()
            except (EOFError, OSError):
                self._result = None
            self._finish()
        return self._result

    def cancel(self) -> None:
        """Stop the child if it still runs (the build was aborted)."""
        if self._process is not None and self._process.is_alive():
            self._process.terminate()
        self._finish()

    def _finish(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._process is not None:
            self._process.join()
            self._process = None


def _run(work: Callable[[], Any], conn: Connection) -> None:
    """In the child: anything that goes wrong sends None, and the parent does the work."""
    try:
        result = work()
    except Exception:
        result = None
    try:
        conn.send(result)
    except Exception:  # not picklable: the parent works it out itself
        conn.send(None)
    finally:
        conn.close()
