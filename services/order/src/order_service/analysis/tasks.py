"""The analysis's periodic job, run by the order service's worker (`worker.py`): the daily
count of customers past their ordering cycle per area (A-3 over time, X-4)."""

from __future__ import annotations

from servicekit.scheduler import Job

from ..config import Settings


def jobs(settings: Settings) -> list[Job]:
    return []
