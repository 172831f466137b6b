"""Work done ahead in a forked process (lecosite.ahead)."""

from __future__ import annotations

import time

from lecosite.ahead import Ahead


def test_the_result_is_what_the_child_returned():
    data = {"page": ("url", "before", "after")}
    ahead = Ahead(lambda: data)
    assert ahead.result() == data
    assert ahead.ready() and ahead.result() == data  # asking again does not wait


def test_a_failing_child_hands_the_work_back_as_none():
    def fail() -> None:
        raise ValueError("a broken template")

    assert Ahead(fail).result() is None
    assert Ahead(lambda: (lambda: "not picklable")).result() is None


def test_cancel_stops_a_child_that_still_runs():
    ahead = Ahead(lambda: time.sleep(30))
    start = time.monotonic()
    ahead.cancel()
    assert ahead.result() is None and time.monotonic() - start < 5
