"""Process-wide settings every API and worker applies once it has started (issue 16)."""

from __future__ import annotations

import gc

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
