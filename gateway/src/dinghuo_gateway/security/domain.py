"""Against cracking (X-3), pure: the lockout window and the per-address rate window."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

INVALID_LOGIN = "Invalid username or password, or the account is temporarily locked"


@dataclass(frozen=True)
class LockoutRule:
    """`max_failures` failed attempts within `window` lock the username for `lockout`."""

    max_failures: int = 5
    window: timedelta = timedelta(minutes=15)
    lockout: timedelta = timedelta(minutes=15)

    def window_start(self, now: datetime) -> datetime:
        return now - self.window

    def recent(self, failures: Iterable[datetime], now: datetime) -> int:
        start = self.window_start(now)
        return sum(1 for at in failures if start < at <= now)

    def locked_until(self, failures: Iterable[datetime], now: datetime) -> datetime | None:
        """After recording a failure at `now`: the end of the lockout it triggers, if any."""
        if self.recent(failures, now) >= self.max_failures:
            return now + self.lockout
        return None

    @staticmethod
    def is_locked(locked_until: datetime | None, now: datetime) -> bool:
        return locked_until is not None and now < locked_until


@dataclass(frozen=True)
class RateWindow:
    """A fixed window of `seconds` allowing `limit` requests per client address."""

    limit: int = 30
    seconds: int = 60

    def start(self, now: datetime) -> datetime:
        epoch = int(now.timestamp())
        return datetime.fromtimestamp(epoch - epoch % self.seconds, tz=UTC)

    def allows(self, count: int) -> bool:
        return count <= self.limit

    def retry_after(self, now: datetime) -> int:
        end = self.start(now) + timedelta(seconds=self.seconds)
        return max(1, math.ceil((end - now).total_seconds()))
