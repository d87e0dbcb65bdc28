"""Pausing Python's cyclic garbage collector around bulk work."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic collection inside the block; the collector's state is restored after it.

    For work that makes hundreds of thousands of small objects (tuples, matches, spans) and
    no reference cycles: the collector would otherwise stop many times to scan them all,
    which costs more than the work itself. Memory is still freed by reference counting.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
