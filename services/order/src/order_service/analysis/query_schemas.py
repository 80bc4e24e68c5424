from __future__ import annotations

import uuid
from datetime import date

from pydantic import BaseModel, Field
from servicekit.money import Money


class QueriedOrder(BaseModel):
    """One order of the query with its customer's grade, machines and ordering cycle and
    its payments (A-1)."""

    id: uuid.UUID
    number: str
    order_date: date
    status: str
    customer_id: uuid.UUID
    customer_number: str | None
    customer_name: str
    area: str | None
    grade: str | None = Field(description="normal | small | large; null when unknown")
    machine_count: int = Field(description="The customer's installed machines (S-2)")
    cycle_kind: str | None = Field(description="days | weekday; null without a cycle")
    cycle_days: int | None = Field(description="Every N days (cycle_kind days)")
    cycle_weekday: int | None = Field(description="1 = Monday … 7 = Sunday (weekday)")
    cycle_length: int | None = Field(
        description="The cycle in days as the cycle sort reads it: N, 7 for weekly, null "
                    "without a cycle")
    total_quantity: int
    total: Money
    payable: Money = Field(description="What the customer pays: total − points used")
    paid: Money = Field(description="Payments recorded so far (reversed ones taken off)")
    outstanding: Money = Field(description="payable − paid; 0 on a rejected or cancelled "
                                           "order (nothing is owed on it)")
    payment_status: str = Field(description="unpaid | partially_paid | paid")
    due_date: date | None
    overdue: bool = Field(description="Due before today (Asia/Shanghai) with something "
                                      "outstanding")
    payment_methods: list[str] = Field(
        description="The methods of its payments that were not reversed, e.g. "
                    "bank_transfer, cash, wechat, alipay, wechat_pay")


class QueryTotals(BaseModel):
    """Sums over every matching order (not only the page)."""

    count: int
    amount: Money = Field(description="Sum of the orders' totals")
    payable: Money
    paid: Money
    outstanding: Money
    quantity: int = Field(description="Sum of the orders' quantities")


class OrderQueryResult(BaseModel):
    items: list[QueriedOrder]
    total: int = Field(description="How many orders match")
    totals: QueryTotals
    offset: int
    limit: int
