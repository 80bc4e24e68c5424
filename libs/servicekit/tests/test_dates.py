"""Dates and times from outside lie between 2000-01-01 and 2099-12-31 (issue 8: no
input makes a 500)."""

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Annotated

import httpx
import pytest
from fastapi import FastAPI, Query
from pydantic import BaseModel, TypeAdapter, ValidationError
from servicekit.dates import (
    DATE_MESSAGE,
    MAX_DATE,
    MIN_DATE,
    BoundedDateTime,
    BusinessDate,
    check_datetime,
)
from servicekit.errors import install_error_handlers
from servicekit.timeutil import BUSINESS_TZ, business_date


class D(BaseModel):
    day: BusinessDate
    at: BoundedDateTime | None = None


def test_bounds_are_the_documented_ones():
    assert (MIN_DATE, MAX_DATE) == (date(2000, 1, 1), date(2099, 12, 31))
    assert DATE_MESSAGE == "must be a date between 2000-01-01 and 2099-12-31"


@pytest.mark.parametrize("raw", ["2000-01-01", "2099-12-31", "2026-11-23", date(2050, 6, 1)])
def test_dates_within_bounds_are_accepted(raw):
    assert D(day=raw).day == date.fromisoformat(str(raw))


@pytest.mark.parametrize("raw", ["1999-12-31", "2100-01-01", "9999-12-31", "0001-01-01",
                                 "5876-03-01", date(1, 1, 1), date.max])
def test_dates_outside_bounds_are_refused_with_a_sentence(raw):
    with pytest.raises(ValidationError, match=DATE_MESSAGE):
        D(day=raw)


@pytest.mark.parametrize("raw", ["2026-13-01", "2026-02-30", "10000-01-01", "tomorrow", "",
                                 "２０２６-01-01"])
def test_dates_that_are_not_dates_are_refused(raw):
    with pytest.raises(ValidationError):
        D(day=raw)


@pytest.mark.parametrize("raw", [
    "2000-01-01T00:00:00+08:00", "1999-12-31T16:00:00Z", "2099-12-31T23:59:59.999999+08:00",
    "2099-12-31T15:59:59Z", "2026-11-23T15:30:00-05:00",
])
def test_times_whose_business_date_is_within_bounds_are_accepted(raw):
    at = D(day="2026-01-01", at=raw).at
    assert at is not None and MIN_DATE <= business_date(at) <= MAX_DATE


@pytest.mark.parametrize("raw", [
    "1999-12-31T23:59:59+08:00", "1999-12-31T15:59:59Z", "2099-12-31T16:00:00Z",
    "2100-01-01T00:00:00+08:00", "9999-12-31T23:59:59Z", "9999-12-31T23:59:59-23:59",
    "0001-01-01T00:00:00+23:59", "0001-01-01T00:00:00Z",
])
def test_times_outside_bounds_are_refused_without_overflowing(raw):
    with pytest.raises(ValidationError, match="must be a time whose date"):
        D(day="2026-01-01", at=raw)


def test_times_must_carry_their_offset():
    with pytest.raises(ValidationError, match="timezone"):
        D(day="2026-01-01", at="2026-11-23T15:30:00")


def test_the_check_treats_naive_times_by_their_own_date():
    assert check_datetime(datetime(2000, 1, 1)) == datetime(2000, 1, 1)
    assert check_datetime(datetime(2099, 12, 31, 23, 59, 59))
    for bad in (datetime(1999, 12, 31, 23, 59, 59), datetime(2100, 1, 1), datetime.max,
                datetime.min):
        with pytest.raises(ValueError):
            check_datetime(bad)
    far = timezone(timedelta(hours=23, minutes=59))
    for bad in (datetime.max.replace(tzinfo=UTC), datetime.min.replace(tzinfo=far)):
        with pytest.raises(ValueError):
            check_datetime(bad)
    assert check_datetime(datetime(2000, 1, 1, tzinfo=BUSINESS_TZ))


def test_schemas_say_format_and_range():
    schema = TypeAdapter(BusinessDate).json_schema()
    assert schema["type"] == "string" and schema["format"] == "date"
    assert "between 2000-01-01 and 2099-12-31" in schema["description"]
    schema = TypeAdapter(BoundedDateTime).json_schema()
    assert schema["format"] == "date-time"
    assert "between 2000-01-01 and 2099-12-31" in schema["description"]


def _app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/orders")
    async def orders(date_from: Annotated[BusinessDate | None, Query(alias="from")] = None
                     ) -> dict:
        return {"from": None if date_from is None else date_from.isoformat()}

    return app


@pytest.mark.parametrize(("raw", "status"), [("2026-11-23", 200), ("2000-01-01", 200),
                                             ("9999-12-31", 422), ("1999-12-31", 422),
                                             ("2100-01-01", 422), ("x", 422)])
async def test_date_query_parameter(raw, status):
    transport = httpx.ASGITransport(app=_app(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        r = await c.get("/orders", params={"from": raw})
    assert r.status_code == status
    if status == 422:
        assert r.json()["error"] == "ValidationError"
        assert r.json()["detail"].startswith("from: ")
        assert set(r.json()) == {"error", "detail", "errors"}
    else:
        assert r.json() == {"from": raw}
