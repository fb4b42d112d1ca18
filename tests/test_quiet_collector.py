"""The crawl's garbage-collector settings hold only while the reactor runs."""

from __future__ import annotations

import gc
import weakref

from newsvault.crawl import quiet_collector


def test_freezes_and_raises_the_threshold_then_restores_both() -> None:
    before = gc.get_threshold()
    assert gc.get_freeze_count() == 0
    with quiet_collector():
        assert gc.get_freeze_count() > 1000  # the loaded modules, at least
        assert gc.get_threshold()[0] > before[0]
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_garbage_is_collected_before_freezing() -> None:
    class Node:
        def __init__(self) -> None:
            self.me = self

    gc.collect()
    node = weakref.ref(Node())  # unreachable, kept alive only by its own cycle
    assert node() is not None
    with quiet_collector():
        assert node() is None
