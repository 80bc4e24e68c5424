from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..requests.schemas import _optional, _required

Collection = Literal["paid", "partial", "unpaid"]
ConsumablePayment = Literal["prepaid", "on_delivery", "monthly", "other"]
MAX_NAME = 100
MAX_PERSON = 50


class MachineFields(BaseModel):
    """The "details" form's fields a staff member may change (S-2)."""

    model_config = ConfigDict(extra="forbid")

    purchase_date: date = Field(description="The day the customer bought the machine")
    name: str = Field(max_length=MAX_NAME, description="Machine name, e.g. UV 喷码机")
    model: str | None = Field(default=None, max_length=MAX_NAME)
    quantity: int = Field(default=1, ge=1, le=10_000)
    machine_number: str | None = Field(default=None, max_length=MAX_NAME,
                                       description="Serial number; one machine each")
    collection_status: Collection = Field(
        default="unpaid", description="How much of the machine's price has been collected")
    warranty_months: int = Field(default=12, ge=0, le=120,
                                 description="Warranty period in months; 0 = none")
    consumable_payment_method: ConsumablePayment | None = None
    salesperson: str | None = Field(default=None, max_length=MAX_PERSON)
    installation_engineer: str | None = Field(default=None, max_length=MAX_PERSON)
    integrity: str | None = Field(default=None, max_length=200,
                                  description="Whether the machine and its parts were "
                                              "complete and intact at installation")
    remark: str | None = Field(default=None, max_length=2000)

    check_required = field_validator("name", mode="before")(_required)
    check_optional = field_validator(
        "model", "machine_number", "salesperson", "installation_engineer", "integrity",
        "remark", mode="before")(_optional)


class MachineIn(MachineFields):
    """A machine a customer bought, entered by staff (S-2)."""

    customer_id: uuid.UUID


class MachineUpdate(MachineFields):
    """Change some fields of a machine; fields left out stay as they are."""

    purchase_date: date | None = None  # type: ignore[assignment]
    name: str | None = Field(default=None, max_length=MAX_NAME)  # type: ignore[assignment]
    quantity: int | None = Field(default=None, ge=1, le=10_000)  # type: ignore[assignment]
    collection_status: Collection | None = None  # type: ignore[assignment]
    warranty_months: int | None = Field(default=None, ge=0, le=120)  # type: ignore[assignment]


class MachineOut(BaseModel):
    id: uuid.UUID
    customer_id: uuid.UUID
    customer_name: str | None
    customer_number: str | None
    area: str | None
    purchase_date: date
    name: str
    model: str | None
    quantity: int
    machine_number: str | None
    collection_status: Collection
    warranty_months: int
    warranty_until: date | None = Field(description="Last day of the warranty, inclusive")
    in_warranty: bool = Field(description="Covered today (Asia/Shanghai)")
    warranty_days_left: int | None = Field(
        description="Days after today still covered; 0 once expired; null without warranty")
    consumable_payment_method: ConsumablePayment | None
    salesperson: str | None
    installation_engineer: str | None
    integrity: str | None
    remark: str | None
    created_by: str
    updated_by: str
    created_at: datetime
    updated_at: datetime
