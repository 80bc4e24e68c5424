"""Process-wide settings every API and worker applies once it has started (issue 16)."""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Iterator
from pathlib import Path

# Allocations between two young-generation collections (CPython's default: 700). A
# request or an event allocates thousands of short-lived objects (ORM states, rows,
# pydantic models) that reference counting frees anyway; at 700 the collector ran
# several times per request for almost nothing.
GC_GEN0_THRESHOLD = 20_000


def settle_gc() -> None:
    """Collect once and freeze what start-up left (modules, routes, models, tables): it
    lives as long as the process and need not be walked by every later full collection
    (about 100 ms on a response of 10,000 rows; docs/performance.md). Then collect the
    young generation less often."""
    gc.collect()
    gc.freeze()
    _, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(GC_GEN0_THRESHOLD, gen1, gen2)


@contextlib.contextmanager
def cpu_profile(name: str) -> Iterator[None]:
    """With PROFILE_CPU_DIR set (a measuring aid for `make bench`, never in production),
    the process runs under cProfile timed by its own CPU clock, so time spent preempted
    or waiting is not counted, and writes `<dir>/<name>.prof` when it stops."""
    target = os.environ.get("PROFILE_CPU_DIR")
    if not target:
        yield
        return
    import cProfile
    import time

    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    try:
        yield
    finally:
        profiler.disable()
        Path(target).mkdir(parents=True, exist_ok=True)
        profiler.dump_stats(str(Path(target) / f"{name}.prof"))
