"""Times: UTC in storage, Asia/Shanghai for business dates."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

BUSINESS_TZ = ZoneInfo("Asia/Shanghai")


def utcnow() -> datetime:
    return datetime.now(UTC)


def business_date(at: datetime | None = None) -> date:
    return (at or utcnow()).astimezone(BUSINESS_TZ).date()
