from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)
from servicekit.dates import RANGE, BoundedDateTime, BusinessDate
from servicekit.money import Money, PositiveMoney

from . import domain
from .domain import MAX_FAPIAO, MAX_ORDERS

InvoiceTypeName = Literal["ordinary_vat", "special_vat"]
StatusName = Literal["requested", "issued", "confirmed", "rejected"]


def _blank_to_none(v: str | None) -> str | None:
    if v is None:
        return None
    v = v.strip()
    return v or None


TaxNumber = Annotated[Annotated[str, StringConstraints(max_length=40)] | None,
                      AfterValidator(domain.normalize_tax_number)]
BankAccount = Annotated[Annotated[str, StringConstraints(max_length=64)] | None,
                        AfterValidator(domain.normalize_bank_account)]


class InvoiceRequestIn(BaseModel):
    """Ask for an invoice covering some of your orders (I-1). Each entry of `order_ids`
    is an order number such as DH20261123-0007 or an order id; the orders must be
    approved and not on another invoice. Every detail left out (or blank) comes from
    your company profile: the title (your invoice title, else your company name), tax
    number, bank, bank account and address/telephone. An ordinary VAT fapiao needs a
    title and tax number; a special VAT fapiao also bank, bank account and
    address/telephone."""

    model_config = ConfigDict(extra="forbid")

    order_ids: list[str] = Field(min_length=1, max_length=MAX_ORDERS)
    invoice_type: InvoiceTypeName | None = Field(
        default=None, description="ordinary_vat (普票) or special_vat (专票); default: "
                                  "special_vat when every order asked for one, else ordinary")
    title: str | None = Field(default=None, max_length=200,
                              description="Invoice title (the buyer's company name)")
    tax_number: TaxNumber = Field(default=None,
                                  description="Taxpayer number: 15-20 letters or digits")
    bank: str | None = Field(default=None, max_length=200, description="Bank of the account")
    bank_account: BankAccount = Field(default=None, description="8-30 digits")
    address_phone: str | None = Field(default=None, max_length=300,
                                      description="Registered address and telephone")
    mail_to: str | None = Field(default=None, max_length=300,
                                description="Where to send the paper fapiao: address, "
                                            "recipient, telephone")
    remark: str | None = Field(default=None, max_length=500)

    @field_validator("order_ids", mode="before")
    @classmethod
    def _strings(cls, v):
        # Accept numbers typed as JSON strings only; a bare 7 is not an order number.
        if isinstance(v, list):
            for i, item in enumerate(v):
                if not isinstance(item, str):
                    raise ValueError(f"entry {i + 1} must be an order number as a string, "
                                     "such as \"DH20261123-0007\"")
                if len(item) > 64:
                    raise ValueError(f"entry {i + 1} is too long to be an order number")
        return v

    @field_validator("title", "bank", "address_phone", "mail_to", "remark")
    @classmethod
    def _clean(cls, v: str | None) -> str | None:
        return _blank_to_none(v)

    def details(self) -> domain.Details:
        return domain.Details(title=self.title, tax_number=self.tax_number, bank=self.bank,
                              bank_account=self.bank_account,
                              address_phone=self.address_phone, mail_to=self.mail_to)


class InvoiceResubmitIn(InvoiceRequestIn):
    """Correct and resubmit a rejected request: the same fields as a new request, and
    the same defaults from your profile for what you leave out. Without `order_ids` it
    covers the same orders as before."""

    order_ids: list[str] | None = Field(default=None, min_length=1,  # type: ignore[assignment]
                                        max_length=MAX_ORDERS)


class FapiaoIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    invoice_number: str = Field(max_length=200, description="At most 50 characters, unique")
    amount: PositiveMoney


class IssueIn(BaseModel):
    """The issued invoice's details, entered by finance staff (I-2): one fapiao
    (`invoice_number`, for the whole amount, at most INVOICE_MAX_AMOUNT_PER_FAPIAO) or
    several (`fapiao`: number and amount each, each at most the limit, adding up to the
    invoice's amount)."""

    model_config = ConfigDict(extra="forbid")

    invoice_number: str | None = Field(default=None, max_length=200,
                                       description="At most 50 characters, unique")
    fapiao: list[FapiaoIn] | None = Field(default=None, max_length=MAX_FAPIAO,
                                          description="Several fapiao instead of one "
                                                      "invoice_number")
    invoice_date: BusinessDate = Field(
        description=f"Not in the future (Asia/Shanghai date); a date {RANGE}")
    sent_at: BoundedDateTime | None = Field(
        default=None, description=f"When it was sent, with its UTC offset; its date "
                                  f"(Asia/Shanghai) {RANGE}")
    courier: str | None = Field(default=None, max_length=50)
    tracking_number: str | None = Field(default=None, max_length=50)

    @field_validator("courier", "tracking_number")
    @classmethod
    def _clean(cls, v: str | None) -> str | None:
        return _blank_to_none(v)


class RejectIn(BaseModel):
    """Why the request cannot be issued as it is; the customer reads it."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(max_length=500)


class InvoiceOrderOut(BaseModel):
    order_id: uuid.UUID
    number: str
    total: Money
    refund_amount: Money = Field(description="Refunds of approved returns (O-9)")
    amount: Money = Field(description="What is invoiced: total less refund_amount")


class FapiaoOut(BaseModel):
    invoice_number: str
    amount: Money


class InvoiceOut(BaseModel):
    id: uuid.UUID
    status: StatusName
    customer_id: uuid.UUID
    customer_name: str | None
    amount: Money
    invoice_type: InvoiceTypeName
    order_ids: list[uuid.UUID]
    order_numbers: list[str]
    orders: list[InvoiceOrderOut]
    title: str | None
    tax_number: str | None
    bank: str | None
    bank_account: str | None
    address_phone: str | None
    mail_to: str | None
    remark: str | None
    requested_by: str
    requested_at: datetime = Field(description="The latest (re)submission")
    rejection_reason: str | None = Field(description="The last rejection's, also after a "
                                                     "resubmission")
    rejected_by: str | None
    rejected_at: datetime | None
    invoice_number: str | None = Field(description="The (first) fapiao's number")
    fapiao: list[FapiaoOut]
    invoice_date: date | None
    sent_at: datetime | None
    courier: str | None
    tracking_number: str | None
    issued_by: str | None
    issued_at: datetime | None
    confirmed_at: datetime | None
    created_at: datetime
    updated_at: datetime
    actions: list[str] = Field(description="What you may do now: issue, reject (staff); "
                                           "confirm_receipt, resubmit (the customer)")
    suggested_fapiao: list[Money] = Field(
        description="Staff, a requested invoice: the fewest fapiao amounts within the "
                    "per-fapiao limit (one entry when one fapiao suffices)")


class InvoiceDefaultsOut(BaseModel):
    """What a request without details would show, from your company profile, and what
    each fapiao type would still need from you."""

    title: str | None
    tax_number: str | None
    bank: str | None
    bank_account: str | None
    address_phone: str | None
    mail_to: str | None
    missing: dict[InvoiceTypeName, list[str]]


class InvoiceableOrderOut(BaseModel):
    """An order you may put on an invoice request: approved, not on another open or
    issued invoice, something left to invoice."""

    order_id: uuid.UUID
    number: str
    bill_type: str | None = Field(description="What was chosen at ordering: none, "
                                              "ordinary_vat or special_vat")
    total: Money
    refund_amount: Money
    amount: Money
