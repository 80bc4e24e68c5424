"""Dates and times from outside, within sane bounds.

Any ISO date up to 9999-12-31 parses, but a delivery date in 9999 or a payment in the
year 1 is a typing mistake, and near the ends of the calendar `date + timedelta` and
`astimezone` overflow (OverflowError, a 500). Every date a client sends (bodies and query
parameters) is therefore a `BusinessDate`, from `MIN_DATE` to `MAX_DATE`; every time a
client sends is a `BoundedDateTime`, whose business date (Asia/Shanghai, as
`servicekit.timeutil.business_date` computes it) lies in the same range. Responses keep
plain `date`/`datetime`.

JSON Schema has no minimum or maximum for dates: the schema says `format: date` (or
`date-time`) and describes the range.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, WithJsonSchema

from .timeutil import BUSINESS_TZ

MIN_DATE = date(2000, 1, 1)
MAX_DATE = date(2099, 12, 31)

RANGE = f"between {MIN_DATE.isoformat()} and {MAX_DATE.isoformat()}"
DATE_MESSAGE = f"must be a date {RANGE}"
DATETIME_MESSAGE = f"must be a time whose date (Asia/Shanghai) is {RANGE}"

# Half-open bounds for times: [first instant of MIN_DATE, first instant after MAX_DATE).
_START_NAIVE = datetime.combine(MIN_DATE, time.min)
_END_NAIVE = datetime.combine(MAX_DATE + timedelta(days=1), time.min)
_START_AWARE = _START_NAIVE.replace(tzinfo=BUSINESS_TZ)
_END_AWARE = _END_NAIVE.replace(tzinfo=BUSINESS_TZ)


def check_date(value: date) -> date:
    if not MIN_DATE <= value <= MAX_DATE:
        raise ValueError(DATE_MESSAGE)
    return value


def check_datetime(value: datetime) -> datetime:
    """An aware time is compared as an instant with the bounds in Asia/Shanghai (the same
    business date `business_date` gives it); a naive one by its own wall-clock date. The
    comparison never builds a new datetime, so it cannot overflow."""
    aware = value.tzinfo is not None and value.utcoffset() is not None
    start, end = (_START_AWARE, _END_AWARE) if aware else (_START_NAIVE, _END_NAIVE)
    if not start <= value < end:
        raise ValueError(DATETIME_MESSAGE)
    return value


BusinessDate = Annotated[
    date,
    AfterValidator(check_date),
    WithJsonSchema({"type": "string", "format": "date",
                    "description": f"A date {RANGE}", "examples": ["2026-11-23"]}),
]

# Times are timezone-aware (CONVENTIONS.md): a time without its UTC offset is refused.
BoundedDateTime = Annotated[
    AwareDatetime,
    AfterValidator(check_datetime),
    WithJsonSchema({"type": "string", "format": "date-time",
                    "description": f"A time with its UTC offset, its date (Asia/Shanghai) "
                                   f"{RANGE}",
                    "examples": ["2026-11-23T15:30:00+08:00"]}),
]
