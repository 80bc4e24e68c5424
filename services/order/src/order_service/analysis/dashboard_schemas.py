from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

LOCKED = "null while amounts are locked (enter the query password)"


class DashboardMonth(BaseModel):
    month: str = Field(description="YYYY-MM", examples=["2026-12"])
    orders: int
    amount: Decimal | None = Field(description=f"Sum of the orders' totals; {LOCKED}")


class DashboardArea(BaseModel):
    area: str | None = Field(description="null: customers without an area")
    orders: int
    amount: Decimal | None = Field(description=LOCKED)


class DashboardConsumable(BaseModel):
    model: str
    name: str
    quantity: int
    amount: Decimal | None = Field(description=LOCKED)


class DashboardGrade(BaseModel):
    grade: str = Field(description="normal | small | large (C-4)")
    customers: int


class DashboardAnomalyDay(BaseModel):
    day: date
    customers: int = Field(description="Customers past their ordering cycle that day")


class DashboardFigures(BaseModel):
    """The console home's charts (X-4) for a period: orders and amount per month and per
    area, the top consumables, approved customers by grade (as they are now) and the
    customers past their ordering cycle per day. Cancelled and rejected orders do not
    count. Amounts are sensitive (A-2): without the query password they are null and
    `amounts_locked` is true; the counts still show."""

    date_from: date = Field(serialization_alias="from")
    date_to: date = Field(serialization_alias="to")
    amounts_locked: bool
    order_count: int
    amount: Decimal | None = Field(description=LOCKED)
    months: list[DashboardMonth] = Field(description="Every month of the period, oldest "
                                                     "first, zeros included")
    areas: list[DashboardArea] = Field(description="Most orders first")
    consumables: list[DashboardConsumable] = Field(
        description="The ten largest consumables, ranked by `consumables_ranked_by`")
    consumables_ranked_by: Literal["amount", "quantity"] = Field(
        description="amount; quantity while amounts are locked")
    grades: list[DashboardGrade] = Field(description="Every grade, zeros included")
    anomalies: list[DashboardAnomalyDay] = Field(
        description="Days of the period the daily anomaly count was taken, oldest first")
