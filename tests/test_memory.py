"""bot/memory.py: what is loaded at start-up is frozen out of the garbage collector's scans,
and what a FAQ rebuild replaced is still collected."""

from __future__ import annotations

import gc
import weakref

from bot.memory import release_free_memory


class _Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cyclic collector frees it


def test_loaded_objects_are_frozen_and_replaced_cycles_still_collected() -> None:
    try:
        node = _Node()
        ref = weakref.ref(node)
        release_free_memory()
        assert gc.get_freeze_count() > 0
        del node
        gc.collect()
        assert ref() is not None  # frozen: an ordinary collection does not scan it
        release_free_memory()  # the next rebuild unfreezes first
        assert ref() is None
    finally:
        gc.unfreeze()  # leave the test process as it was
