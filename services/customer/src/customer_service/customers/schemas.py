from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)
from servicekit.money import Money, NonNegativeMoney, PositiveMoney

from ..catalog.domain import Category
from ..catalog.schemas import CatalogLineOut, PriceHistoryOut
from ..contacts.schemas import ContactOut
from . import domain


def _text(max_length: int):
    """Required text, trimmed, not blank."""
    return Annotated[str, StringConstraints(strip_whitespace=True, max_length=max_length),
                     AfterValidator(domain.non_blank)]


def _optional(max_length: int):
    """Optional text, trimmed; blank means not given."""
    return Annotated[
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=max_length)] | None,
        AfterValidator(domain.optional_text)]


Mobile = Annotated[str, StringConstraints(max_length=30), AfterValidator(domain.normalize_mobile)]
Email = Annotated[str, StringConstraints(max_length=300), AfterValidator(domain.normalize_email)]
TaxNumber = Annotated[Annotated[str, StringConstraints(max_length=40)] | None,
                      AfterValidator(domain.normalize_tax_number)]
QQ = Annotated[Annotated[str, StringConstraints(max_length=20)] | None,
               AfterValidator(domain.normalize_qq)]
AreaCode = Annotated[Annotated[str, StringConstraints(max_length=10)] | None,
                     AfterValidator(domain.normalize_area_code)]
Phone = Annotated[Annotated[str, StringConstraints(max_length=40)] | None,
                  AfterValidator(domain.normalize_phone)]
BankAccount = Annotated[Annotated[str, StringConstraints(max_length=64)] | None,
                        AfterValidator(domain.normalize_bank_account)]
Text100, Text200, Text300 = _text(100), _text(200), _text(300)
Opt40, Opt64, Opt100, Opt200 = _optional(40), _optional(64), _optional(100), _optional(200)
CustomerStatus = Literal["pending_review", "approved", "rejected"]
GradeName = Literal["normal", "small", "large"]
CustomerSort = Literal["created_at", "-created_at", "name", "-name", "paid_total",
                       "-paid_total"]


class CompanyIn(BaseModel):
    """A customer company's basic information (C-1)."""

    model_config = ConfigDict(extra="forbid")

    name: Text200 = Field(description="Company name")
    contact_person: Text100 = Field(description="Procurement person in charge")
    mobile: Mobile = Field(description="Chinese mobile number, stored as 11 digits")
    address: Text300
    email: Email
    area: Opt100 = Field(default=None, description="Area / region (C-7)")
    area_code: AreaCode = Field(default=None, description="Telephone area code, e.g. 021")
    telephone: Phone = Field(default=None, description="Fixed-line number, e.g. 5888 1234")
    fax: Phone = None
    qq: QQ = Field(default=None, description="QQ number, 5-12 digits")
    tax_number: TaxNumber = Field(default=None, description="15-20 letters or digits")
    invoice_title: Opt200 = None
    bank: Opt200 = Field(default=None, description="Bank of the account")
    bank_account: BankAccount = Field(default=None, description="8-30 digits")


class RegisterIn(BaseModel):
    """A company registers itself; staff review it before it may order (C-2)."""

    model_config = ConfigDict(extra="forbid")

    company: CompanyIn


class ProfileIn(RegisterIn):
    """The whole company information again (PUT replaces it)."""


class CustomerUpdateIn(RegisterIn):
    """Staff replace a customer's basic information (C-3); same fields as the profile."""


class GradeIn(BaseModel):
    """Staff set a grade explicitly — the only way a grade goes down (C-4)."""

    model_config = ConfigDict(extra="forbid")

    grade: GradeName
    reason: Annotated[str, StringConstraints(max_length=2000),
                      AfterValidator(domain.check_reason)] = Field(
        description="Why; kept in the audit log and shown to the customer")


class CycleIn(BaseModel):
    """The customer's ordering cycle (C-6): `{"kind": "days", "days": 30}`,
    `{"kind": "weekday", "weekday": 1}` (1 = Monday … 7 = Sunday) or `{"kind": null}`
    for none."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["days", "weekday"] | None
    days: int | None = Field(default=None, ge=1, le=domain.CYCLE_DAYS_MAX,
                             description="Every N days (1-365), with kind=days")
    weekday: int | None = Field(default=None, ge=1, le=7,
                                description="1 = Monday … 7 = Sunday, with kind=weekday")


class PaymentTermsIn(BaseModel):
    """The customer's payment terms (O-6): `{"days": 30}` makes each of its orders due 30
    days after the order's approval; `{"days": 0}`, due on the day of approval."""

    model_config = ConfigDict(extra="forbid")

    days: Annotated[int, BeforeValidator(domain.payment_terms_days)] = Field(
        ge=0, le=domain.PAYMENT_TERMS_MAX,
        description="Days after an order's approval (business date, Asia/Shanghai) until "
                    "it is due; 0 = due on approval (0-365)")


class CreditLimitIn(BaseModel):
    """The customer's credit limit (B-3): `{"limit": "50000.00"}` holds any order that
    would take what the customer owes on its open orders above 50,000.00 until finance
    releases it; `{"limit": null}` removes the limit."""

    model_config = ConfigDict(extra="forbid")

    limit: NonNegativeMoney | None = Field(
        description="The most the customer may owe on its orders that are not rejected or "
                    "cancelled (totals less payments), e.g. \"50000.00\"; null = no limit")


class CycleOut(BaseModel):
    kind: Literal["days", "weekday"] | None
    days: int | None
    weekday: int | None
    last_order_date: date | None = Field(description="Business date of the last order")
    next_due_date: date | None = Field(description="When the next order is due; a date in "
                                                   "the past means overdue")
    overdue: bool


class RegistrationOut(BaseModel):
    customer_id: uuid.UUID
    customer_number: str
    status: CustomerStatus


class CustomerSummary(BaseModel):
    customer_id: uuid.UUID
    customer_number: str
    name: str
    contact_person: str
    mobile: str
    area: str | None
    status: CustomerStatus
    grade: GradeName
    paid_total: Money
    next_due_date: date | None = Field(description="Next order due by the ordering cycle")
    created_at: datetime


class CustomerOut(CustomerSummary):
    address: str
    email: str
    area_code: str | None
    telephone: str | None
    fax: str | None
    qq: str | None
    tax_number: str | None
    invoice_title: str | None
    bank: str | None
    bank_account: str | None
    rejection_reason: str | None = Field(description="Why the registration was rejected "
                                                     "(only while it is rejected)")
    reviewed_by: str | None
    reviewed_at: datetime | None
    grade_source: Literal["auto", "staff"] = Field(
        description="auto: earned by paid consumption; staff: set explicitly")
    ordering_cycle: CycleOut
    payment_terms_days: int = Field(
        description="Payment terms: each order is due this many days after its approval "
                    "(0 = on the day of approval) (O-6)")
    credit_limit: Money | None = Field(
        default=None, description="Credit limit (B-3): an order that would take what the "
                                  "customer owes above it is held for finance; null = none")
    updated_at: datetime


class CustomerDetail(CustomerOut):
    catalog: list[CatalogLineOut] = Field(description="Its products at its own prices "
                                                      "(inactive products included)")
    price_history: list[PriceHistoryOut] = Field(description="The latest price changes")
    contacts: list[ContactOut] = Field(description="The supplier's contacts for its area")


class ApprovalProductIn(BaseModel):
    """A consumable the customer uses, at its own price (C-2): either an existing product
    (`product_id`) or a name and model found or created in the product master."""

    model_config = ConfigDict(extra="forbid")

    product_id: uuid.UUID | None = None
    name: Text200 | None = None
    model: Text200 | None = None
    category: Category | None = Field(default=None,
                                      description="For a new product; default consumable")
    unit_price: PositiveMoney
    list_price: PositiveMoney | None = Field(
        default=None, description="For a new product; defaults to unit_price")

    @model_validator(mode="after")
    def _one_way_to_name_the_product(self) -> ApprovalProductIn:
        if self.product_id is not None:
            if self.name is not None or self.model is not None:
                raise ValueError("give either product_id or name and model, not both")
        elif self.name is None or self.model is None:
            raise ValueError("give the product's name and model (or the product_id of an "
                             "existing product)")
        return self


class ApproveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    products: list[ApprovalProductIn] = Field(
        min_length=1, max_length=500,
        description="At least one consumable with the customer's unit price")


class RejectIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, StringConstraints(max_length=2000),
                      AfterValidator(domain.check_reason)]
