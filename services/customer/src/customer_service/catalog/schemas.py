from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints
from servicekit.money import Money, NonNegativeMoney, PositiveMoney

from ..customers.domain import non_blank
from .domain import Category

Name = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200),
                 AfterValidator(non_blank)]


class ProductIn(BaseModel):
    """A product of the master list (name + model are unique)."""

    model_config = ConfigDict(extra="forbid")

    name: Name
    model: Name
    category: Category
    list_price: NonNegativeMoney


class ProductUpdateIn(ProductIn):
    """The product's master data again (PUT replaces it); an inactive product disappears
    from every customer's catalogue until it is active again."""

    active: bool = True


class ProductOut(BaseModel):
    id: uuid.UUID
    name: str
    model: str
    category: Category
    list_price: Money
    active: bool
    created_at: datetime
    updated_by: str | None = None
    updated_at: datetime | None = None


class CatalogLineOut(BaseModel):
    """One of the customer's products at its own price (C-3)."""

    product_id: uuid.UUID
    name: str
    model: str
    category: Category
    unit_price: Money
    list_price: Money
    product_active: bool = Field(description="False: the product is inactive and hidden "
                                             "from the customer's catalogue")
    updated_by: str
    updated_at: datetime


class PortalCatalogItem(BaseModel):
    product_id: uuid.UUID
    name: str
    model: str
    category: Category
    unit_price: Money
    list_price: Money


class PriceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    unit_price: PositiveMoney


class PriceHistoryOut(BaseModel):
    id: uuid.UUID
    customer_id: uuid.UUID
    product_id: uuid.UUID
    name: str
    model: str
    old_price: Money | None
    new_price: Money
    reason: str
    changed_by: str
    changed_at: datetime
