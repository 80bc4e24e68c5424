from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)
from servicekit.money import Money, PositiveMoney

from ..catalog.domain import Category
from ..catalog.schemas import CatalogLineOut
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
Text100, Text200, Text300 = _text(100), _text(200), _text(300)
Opt40, Opt64, Opt100, Opt200 = _optional(40), _optional(64), _optional(100), _optional(200)
CustomerStatus = Literal["pending_review", "approved", "rejected"]


class CompanyIn(BaseModel):
    """A customer company's basic information (C-1)."""

    model_config = ConfigDict(extra="forbid")

    name: Text200 = Field(description="Company name")
    contact_person: Text100 = Field(description="Procurement person in charge")
    mobile: Mobile = Field(description="Chinese mobile number, stored as 11 digits")
    address: Text300
    email: Email
    area: Opt100 = Field(default=None, description="Area / region (C-7)")
    telephone: Opt40 = None
    fax: Opt40 = None
    qq: QQ = None
    tax_number: TaxNumber = Field(default=None, description="15-20 letters or digits")
    invoice_title: Opt200 = None
    bank: Opt200 = None
    bank_account: Opt64 = None


class RegisterIn(BaseModel):
    """A company registers itself; staff review it before it may order (C-2)."""

    model_config = ConfigDict(extra="forbid")

    company: CompanyIn


class ProfileIn(RegisterIn):
    """The whole company information again (PUT replaces it)."""


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
    grade: str
    paid_total: Money
    created_at: datetime


class CustomerOut(CustomerSummary):
    address: str
    email: str
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
    updated_at: datetime


class CustomerDetail(CustomerOut):
    catalog: list[CatalogLineOut]


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
