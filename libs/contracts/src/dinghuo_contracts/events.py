"""Integration events of Dinghuo, one pydantic model per (type, version).

Money travels as a decimal string with two places ("801.50"), never a float. Events are
added to, never changed incompatibly: a new field gets a default; a breaking change is a
new class with `version = 2` registered beside the old one.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, PlainSerializer

from .envelope import Event

# Money on the wire: a string with two decimals.
Money = Annotated[
    Decimal,
    PlainSerializer(lambda d: f"{Decimal(d).quantize(Decimal('0.01'))}", return_type=str),
]

BillType = Literal["none", "ordinary_vat", "special_vat"]
# A product's category in the product master (C-2); points are earned on consumables only
# (P-2).
ProductCategory = Literal["consumable", "accessory", "machine", "service"]


# ---------------------------------------------------------------- customer context
class Part(BaseModel):
    """A value nested inside an event's data."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class CatalogLine(Part):
    product_id: uuid.UUID
    name: str
    model: str
    unit_price: Money
    list_price: Money | None = None
    # Additive (issue 11): the product's category; None in events written before (the
    # points service then counts the product as a consumable, as it always did).
    category: ProductCategory | None = None


class CustomerRegistered(Event):
    """A company registered itself in the portal and waits for review (C-2)."""

    type = "customer.registered"
    customer_id: uuid.UUID
    customer_number: str
    company_name: str
    contact_person: str
    mobile: str
    area: str | None = None


class CustomerApproved(Event):
    """Staff approved a registration; `catalog` is the customer's consumables at its own
    prices (C-2, C-3) and `payment_terms_days` its payment terms (O-6; None in events
    written before terms existed). Consumers keep a read model of who may order, at what
    price and on what terms."""

    type = "customer.approved"
    customer_id: uuid.UUID
    customer_number: str
    company_name: str
    area: str | None = None
    catalog: list[CatalogLine]
    approved_by: str
    payment_terms_days: int | None = None
    # Additive (issue 9): what the notify service needs to reach and select the customer
    # (N-1, N-2); None in events written before.
    grade: Literal["normal", "small", "large"] | None = None
    mobile: str | None = None
    # Additive (issue 10): the customer's tax information (C-1), the defaults of its
    # invoice requests (I-1); None in events written before.
    invoice_title: str | None = None
    tax_number: str | None = None
    bank: str | None = None
    bank_account: str | None = None
    address: str | None = None
    area_code: str | None = None
    telephone: str | None = None


class CustomerRejected(Event):
    type = "customer.rejected"
    customer_id: uuid.UUID
    company_name: str
    reason: str
    rejected_by: str


class CustomerUpdated(Event):
    """A customer (or staff) changed the customer's basic information (C-5)."""

    type = "customer.updated"
    customer_id: uuid.UUID
    company_name: str
    changed_fields: list[str]
    changed_by_kind: Literal["customer", "staff"]
    area: str | None = None
    status: str | None = None
    customer_number: str | None = None
    changed_by: str | None = None
    # Additive (issue 9): the customer's mobile and grade after the change (N-1, N-2).
    mobile: str | None = None
    grade: Literal["normal", "small", "large"] | None = None
    # Additive (issue 10): the customer's tax information (C-1), the defaults of its
    # invoice requests (I-1); None in events written before.
    invoice_title: str | None = None
    tax_number: str | None = None
    bank: str | None = None
    bank_account: str | None = None
    address: str | None = None
    area_code: str | None = None
    telephone: str | None = None


class CustomerPriceChanged(Event):
    type = "customer.price_changed"
    customer_id: uuid.UUID
    product_id: uuid.UUID
    name: str
    model: str
    unit_price: Money
    list_price: Money | None = None
    previous_price: Money | None = None
    active: bool = True
    # Additive (issue 11): the product's category (see CatalogLine); a change of category
    # alone is sent as a price change too.
    category: ProductCategory | None = None


# ---------------------------------------------------------------- order context
class OrderLine(Part):
    product_id: uuid.UUID
    name: str
    model: str
    quantity: int
    unit_price: Money
    line_total: Money


class OrderSubmitted(Event):
    """A customer (or staff on its behalf) submitted an order for review (O-1, O-3)."""

    type = "order.submitted"
    order_id: uuid.UUID
    number: str
    customer_id: uuid.UUID
    customer_name: str
    total: Money
    bill_type: BillType
    delivery_date: date
    source: Literal["portal", "staff"] = "portal"
    lines: list[OrderLine]
    submitted_at: datetime
    # Additive (issue 11): points the customer asked to pay with (P-2); the points
    # service reserves or refuses them (points.reserved / points.refused).
    points_requested: int = 0


class OrderApproved(Event):
    type = "order.approved"
    order_id: uuid.UUID
    number: str
    customer_id: uuid.UUID
    reviewed_by: str
    reviewed_at: datetime
    # Additive (issue 11): the reserved points the approved order counts on; the points
    # service redeems them, and releases a reservation the order does not count on.
    points_used: int = 0


class OrderRejected(Event):
    type = "order.rejected"
    order_id: uuid.UUID
    number: str
    customer_id: uuid.UUID
    reason: str | None = None
    reviewed_by: str
    reviewed_at: datetime


class PaymentReceived(Event):
    """The order is fully paid (O-6). Points become effective (P-2); paid consumption
    feeds the customer's grade (C-4)."""

    type = "order.payment_received"
    order_id: uuid.UUID
    number: str
    customer_id: uuid.UUID
    total: Money
    amount_paid: Money
    paid_on: date
    source: Literal["portal", "staff"] = "portal"


# ---------------------------------------------------------------- invoice context
InvoiceType = Literal["ordinary_vat", "special_vat"]


class Fapiao(Part):
    """One fapiao (发票) of an issued invoice: a request above the per-fapiao limit is
    issued as several, their amounts adding up to the invoice's amount (I-2)."""

    invoice_number: str
    amount: Money


class InvoiceRequested(Event):
    """The customer asked for an invoice for some of its orders (I-1), or resubmitted a
    rejected request (`resubmitted`, same `invoice_id`)."""

    type = "invoice.requested"
    invoice_id: uuid.UUID
    customer_id: uuid.UUID
    order_ids: list[uuid.UUID]
    order_numbers: list[str]
    amount: Money
    # Additive (issue 10): what the fapiao is to show, after the customer's profile
    # defaults (I-1); None in events written before.
    invoice_type: InvoiceType | None = None
    title: str | None = None
    tax_number: str | None = None
    bank: str | None = None
    bank_account: str | None = None
    address_phone: str | None = None
    mail_to: str | None = None
    resubmitted: bool = False


class InvoiceRejected(Event):
    """Finance staff rejected a requested invoice with a reason (I-2); its orders may be
    requested again, and the customer may correct and resubmit the request."""

    type = "invoice.rejected"
    invoice_id: uuid.UUID
    customer_id: uuid.UUID
    order_ids: list[uuid.UUID]
    order_numbers: list[str]
    amount: Money
    reason: str
    rejected_by: str
    rejected_at: datetime


class InvoiceIssued(Event):
    """Finance staff issued the invoice (I-2). Published for the finance system (I-4).
    `invoice_number` is the first fapiao's; `fapiao` lists them all (issue 10)."""

    type = "invoice.issued"
    invoice_id: uuid.UUID
    customer_id: uuid.UUID
    order_ids: list[uuid.UUID]
    invoice_number: str
    invoice_date: date
    amount: Money
    # Additive (issue 10): every fapiao and how they were sent; empty/None in events
    # written before.
    fapiao: list[Fapiao] = []
    sent_at: datetime | None = None
    courier: str | None = None
    tracking_number: str | None = None


class InvoiceConfirmed(Event):
    """The customer confirmed receipt of the invoice (I-3); the orders are invoiced (O-7)."""

    type = "invoice.confirmed"
    invoice_id: uuid.UUID
    customer_id: uuid.UUID
    order_ids: list[uuid.UUID]
    invoice_number: str
    amount: Money
    confirmed_at: datetime
    # Additive (issue 10): every fapiao (see InvoiceIssued); empty in events written before.
    fapiao: list[Fapiao] = []


# ---------------------------------------------------------------- points context
class PointsEarned(Event):
    type = "points.earned"
    customer_id: uuid.UUID
    order_id: uuid.UUID
    points: int
    status: Literal["pending", "effective"]
    order_number: str | None = None


# ---------------------------------------------------------------- service desk
class ServiceRequestOpened(Event):
    """A customer reported a machine fault (S-1)."""

    type = "servicedesk.request_opened"
    request_id: uuid.UUID
    customer_id: uuid.UUID
    customer_name: str
    machine: str
    description: str
