from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..requests.schemas import _optional, _required

Kind = Literal["repair", "return_visit"]
CategoryKind = Literal["fault", "visit"]
PaymentStatus = Literal["free", "unpaid", "paid"]
Menu = Literal["content", "factory", "key", "unprocessed", "suspended"]
Money = Annotated[Decimal, Field(ge=0, le=Decimal("1000000.00"), max_digits=9,
                                 decimal_places=2)]
MAX_TEXT = 4000


class CategoryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: CategoryKind
    name: str = Field(max_length=50)

    check_name = field_validator("name", mode="before")(_required)


class CategoryOut(BaseModel):
    id: uuid.UUID
    kind: CategoryKind
    name: str
    created_at: datetime


class Accessory(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=50)
    quantity: int = Field(default=1, ge=1, le=10_000)

    check_name = field_validator("name", mode="before")(_required)


class RecordFields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    machine_id: uuid.UUID | None = Field(default=None,
                                         description="One of the customer's machines")
    category_id: uuid.UUID | None = Field(
        default=None, description="A fault category for a repair, a visit category for a "
                                  "return visit")
    service_date: date | None = Field(default=None, description="Default: today")
    content: str = Field(max_length=MAX_TEXT, description="What was found and done")
    engineer: str | None = Field(default=None, max_length=50)
    accessories: list[Accessory] = Field(default_factory=list, max_length=20)
    charge: Money = Decimal("0.00")
    payment_status: PaymentStatus | None = Field(
        default=None, description="Default: free without a charge, unpaid with one")
    return_to_factory: bool = False
    factory_return_method: str | None = Field(
        default=None, max_length=100, description="Required when return_to_factory")
    key_matter: bool = False

    check_content = field_validator("content", mode="before")(_required)
    check_optional = field_validator("engineer", "factory_return_method",
                                     mode="before")(_optional)


class RecordIn(RecordFields):
    """A repair or a return visit entered by staff (S-3..S-6)."""

    customer_id: uuid.UUID
    kind: Kind
    processed: bool = False
    service_request_id: uuid.UUID | None = Field(
        default=None, description="The customer's fault report this repair answers")


class RecordUpdate(RecordFields):
    """Change some fields; left out stay as they are. Processing, suspending and resuming
    have their own routes."""

    content: str | None = Field(default=None, max_length=MAX_TEXT)  # type: ignore[assignment]
    accessories: list[Accessory] | None = Field(default=None, max_length=20)  # type: ignore[assignment]
    charge: Money | None = None  # type: ignore[assignment]
    return_to_factory: bool | None = None  # type: ignore[assignment]
    key_matter: bool | None = None  # type: ignore[assignment]


class EntryIn(BaseModel):
    """A "repair processing" entry (S-4): what was done on this visit, and whether the work
    is finished."""

    model_config = ConfigDict(extra="forbid")

    content: str = Field(max_length=MAX_TEXT)
    processed: bool = False
    engineer: str | None = Field(default=None, max_length=50)

    check_content = field_validator("content", mode="before")(_required)
    check_engineer = field_validator("engineer", mode="before")(_optional)


class PointsIn(BaseModel):
    """Pay part of a repair charge with the customer's points (P-2), at its request."""

    model_config = ConfigDict(extra="forbid")

    points: int = Field(ge=1, le=1_000_000)


class SuspendIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(max_length=500)

    check_reason = field_validator("reason", mode="before")(_required)


class EntryOut(BaseModel):
    id: uuid.UUID
    position: int
    content: str
    engineer: str | None
    processed: bool
    created_by: str
    created_at: datetime


class RecordSummary(BaseModel):
    id: uuid.UUID
    customer_id: uuid.UUID
    customer_name: str | None
    customer_number: str | None
    area: str | None
    machine_id: uuid.UUID | None
    machine_name: str | None
    machine_model: str | None
    machine_number: str | None
    kind: Kind
    category_id: uuid.UUID | None
    category_name: str | None
    service_date: date
    content: str
    engineer: str | None
    accessories: list[Accessory]
    charge: Decimal
    payment_status: PaymentStatus
    return_to_factory: bool
    factory_return_method: str | None
    key_matter: bool
    processed: bool
    processed_at: datetime | None
    suspended: bool
    suspended_reason: str | None
    suspended_at: datetime | None
    service_request_id: uuid.UUID | None
    points_requested: int = Field(description="Points last asked for to pay the charge")
    points_used: int = Field(description="Points spent on the charge (1 point = 1 yuan)")
    points_status: Literal["requested", "redeemed", "refused", "releasing",
                           "released"] | None
    points_reason: str | None = Field(description="Why the points were refused: "
                                                  "insufficient | threshold | redeemable")
    payable: Decimal = Field(description="The charge less the points spent")
    follows_record_id: uuid.UUID | None = Field(
        description="For a return visit created by a processed repair (B-5): the repair")
    due_on: date | None = Field(description="When that return visit is due")
    menus: list[Menu]
    entry_count: int
    created_by: str
    updated_by: str
    created_at: datetime
    updated_at: datetime


class RecordOut(RecordSummary):
    entries: list[EntryOut]
    return_visit_id: uuid.UUID | None = Field(
        description="The return visit this repair's processing created (B-5)")


class UnprocessedCustomer(BaseModel):
    """One row of 未处理事项 (S-7): a customer with records still to be worked on."""

    customer_id: uuid.UUID
    customer_name: str | None
    customer_number: str | None
    area: str | None
    repairs: int
    return_visits: int
    key_matters: int
    oldest_service_date: date
    next_due_on: date | None


class CategoryCount(BaseModel):
    category_id: uuid.UUID | None
    name: str | None
    kind: Kind
    records: int


class MonthWorkload(BaseModel):
    month: str = Field(description="YYYY-MM")
    customers: int
    repairs: int
    return_visits: int


class EngineerWorkload(BaseModel):
    engineer: str | None
    month: str
    customers: int
    records: int


class Stats(BaseModel):
    """Query statistics (S-9) of one year, optionally of one customer."""

    year: int
    customer_id: uuid.UUID | None
    records: int
    by_category: list[CategoryCount]
    by_month: list[MonthWorkload]
    by_engineer: list[EngineerWorkload]
