"""Product master and per-customer price use cases (C-2, C-3). Nothing here commits."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Protocol

from dinghuo_contracts import CustomerPriceChanged
from servicekit.auth import Principal
from servicekit.errors import Conflict, NotFound, Unprocessable
from servicekit.messaging import add_event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ..audit.service import AuditLog, Entity
from ..customers import domain as customer_domain
from ..customers.repository import CustomerRepository
from ..models import Customer, CustomerPrice, PriceHistory, Product
from . import domain
from .repository import PriceRepository, ProductRepository
from .schemas import ProductIn, ProductUpdateIn

PRODUCT_FIELDS = ("name", "model", "category", "list_price", "active")
# A change of these reaches the customers' catalogues in the read models (customer.price_changed;
# the category for the points earned on consumables, P-2).
CATALOG_FIELDS = ("name", "model", "category", "list_price", "active")


def _product_values(p: Product) -> dict[str, object]:
    return {f: getattr(p, f) for f in PRODUCT_FIELDS}

SOURCE = "customer"


class ProductLine(Protocol):
    """What the review form says about one product (see ApprovalProductIn)."""

    product_id: uuid.UUID | None
    name: str | None
    model: str | None
    category: str | None
    unit_price: Decimal
    list_price: Decimal | None


class ProductService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.products = ProductRepository(session)
        self.prices = PriceRepository(session)
        self.audit = AuditLog(session)

    async def list(self, *, q: str | None, category: str | None, active: bool | None,
                   limit: int, offset: int) -> tuple[list[Product], int]:
        return await self.products.list(q=q, category=category, active=active, limit=limit,
                                        offset=offset)

    async def create(self, principal: Principal, data: ProductIn) -> Product:
        product = await self.products.insert_if_absent(
            name=data.name, model=data.model, category=data.category.value,
            list_price=data.list_price, created_by=principal.display)
        if product is None:
            raise Conflict(f"A product named {data.name!r} with model {data.model!r} "
                           "already exists")
        self.audit.record(principal, Entity.PRODUCT, product.id, "product_created",
                          before=None, after=_product_values(product))
        return product

    async def update(self, principal: Principal, product_id: uuid.UUID,
                     data: ProductUpdateIn) -> Product:
        """Change a product of the master list (audited, X-3). A change the customers see
        — name, model, list price, active — is sent to the read models as
        customer.price_changed for every customer that has the product (an inactive
        product travels as active=false and leaves the catalogues)."""
        product = await self.products.get(product_id, for_update=True)
        if product is None:
            raise NotFound("Product not found")
        name, model = domain.product_key(data.name, data.model)
        after = {"name": name, "model": model, "category": data.category.value,
                 "list_price": data.list_price, "active": data.active}
        before = _product_values(product)
        changed = [f for f in PRODUCT_FIELDS if before[f] != after[f]]
        if not changed:
            return product
        if {"name", "model"} & set(changed) and await self.products.name_taken(
                name, model, other_than=product.id):
            raise Conflict(f"A product named {name!r} with model {model!r} already exists")
        for field in changed:
            setattr(product, field, after[field])
        product.updated_by = principal.display
        try:
            await self.session.flush()
        except IntegrityError as exc:  # renamed concurrently to the same name and model
            raise Conflict(f"A product named {name!r} with model {model!r} already "
                           "exists") from exc
        self.audit.record(principal, Entity.PRODUCT, product.id, "product_updated",
                          before={f: before[f] for f in changed},
                          after={f: after[f] for f in changed})
        if set(CATALOG_FIELDS) & set(changed):
            for price in await self.prices.of_product(product.id):
                await add_event(self.session, CustomerPriceChanged(
                    customer_id=price.customer_id, product_id=product.id, name=product.name,
                    model=product.model, unit_price=price.unit_price,
                    list_price=product.list_price, previous_price=price.unit_price,
                    active=product.active, category=product.category,
                ), source=SOURCE)
        return product

    async def resolve(self, lines: Sequence[ProductLine],
                      created_by: str) -> list[tuple[Product, Decimal]]:
        """Each line's product from the master: by id, or found or created by (name,
        model) (C-2). A product may appear once."""
        wanted_ids = {ln.product_id for ln in lines if ln.product_id is not None}
        known = await self.products.get_many(wanted_ids)
        resolved: list[tuple[Product, Decimal]] = []
        for i, ln in enumerate(lines):
            if ln.product_id is not None:
                product = known.get(ln.product_id)
                if product is None:
                    raise Unprocessable(
                        f"products.{i}.product_id: no product {ln.product_id} exists")
                if not product.active:
                    raise Unprocessable(
                        f"products.{i}.product_id: {product.name} / {product.model} is "
                        "inactive; activate it in the product master first")
            else:
                assert ln.name is not None and ln.model is not None
                name, model = domain.product_key(ln.name, ln.model)
                product = await self.products.find_or_create(
                    name=name, model=model,
                    category=str(ln.category or domain.Category.CONSUMABLE),
                    list_price=ln.list_price if ln.list_price is not None else ln.unit_price,
                    created_by=created_by)
                if not product.active:
                    raise Unprocessable(
                        f"products.{i}: {product.name} / {product.model} is inactive; "
                        "activate it in the product master first")
            resolved.append((product, ln.unit_price))
        dup = domain.first_duplicate(p.id for p, _ in resolved)
        if dup is not None:
            p = resolved[dup][0]
            raise Unprocessable(
                f"products.{dup}: {p.name} / {p.model} appears more than once")
        return resolved


class PriceService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.prices = PriceRepository(session)
        self.products = ProductRepository(session)
        self.customers = CustomerRepository(session)
        self.audit = AuditLog(session)

    async def set_prices(
        self, customer_id: uuid.UUID, items: Sequence[tuple[Product, Decimal]], *,
        changed_by: str, reason: domain.ChangeReason,
    ) -> list[tuple[CustomerPrice, domain.PriceChange | None]]:
        """Set the customer's prices; each actual change gets a history row (C-3)."""
        current = await self.prices.get_many(customer_id, [p.id for p, _ in items],
                                             for_update=True)
        result = []
        for product, unit_price in items:
            price = current.get(product.id)
            old = price.unit_price if price is not None and price.active else None
            change = domain.price_change(old, unit_price, reason)
            if change is not None:
                if price is None:
                    price = CustomerPrice(customer_id=customer_id, product_id=product.id,
                                          unit_price=change.new, active=True,
                                          updated_by=changed_by, product=product)
                    self.prices.add(price)
                else:
                    price.unit_price, price.active, price.updated_by = (
                        change.new, True, changed_by)
                self.prices.add_history(PriceHistory(
                    customer_id=customer_id, product_id=product.id, old_price=change.old,
                    new_price=change.new, reason=change.reason.value, changed_by=changed_by,
                    product=product))
            assert price is not None
            result.append((price, change))
        await self.session.flush()
        return result

    async def _visible_customer(self, principal: Principal, customer_id: uuid.UUID, *,
                                for_update: bool = False) -> Customer:
        customer = await self.customers.get(customer_id, for_update=for_update)
        if customer is None or not customer_domain.visible_to(principal.areas, customer.area):
            raise NotFound("Customer not found")
        return customer

    async def set_price(self, principal: Principal, customer_id: uuid.UUID,
                        product_id: uuid.UUID,
                        unit_price: Decimal) -> tuple[CustomerPrice, Product]:
        """Staff set or change one of an approved customer's prices (C-3)."""
        customer = await self._visible_customer(principal, customer_id, for_update=True)
        if customer.status != customer_domain.CustomerStatus.APPROVED:
            raise customer_domain.IllegalTransition(
                f"The customer is {customer.status.replace('_', ' ')}; prices can be set "
                "only for an approved customer (set them when approving)")
        product = (await self.products.get_many([product_id])).get(product_id)
        if product is None:
            raise NotFound("Product not found")
        if not product.active:
            raise Conflict(f"{product.name} / {product.model} is inactive; activate it in "
                           "the product master before setting prices")
        [(price, change)] = await self.set_prices(
            customer.id, [(product, unit_price)], changed_by=principal.display,
            reason=domain.ChangeReason.CHANGE)
        if change is not None:
            self.audit.record(principal, Entity.PRICE, f"{customer.id}/{product.id}",
                              "price_changed",
                              before={"product_id": product.id, "name": product.name,
                                      "model": product.model, "unit_price": change.old},
                              after={"product_id": product.id, "name": product.name,
                                     "model": product.model, "unit_price": change.new},
                              customer_id=customer.id)
            await add_event(self.session, CustomerPriceChanged(
                customer_id=customer.id, product_id=product.id, name=product.name,
                model=product.model, unit_price=change.new, list_price=product.list_price,
                previous_price=change.old, active=True, category=product.category,
            ), source=SOURCE)
        return price, product

    async def history(self, principal: Principal, customer_id: uuid.UUID, *,
                      product_id: uuid.UUID | None, limit: int,
                      offset: int) -> tuple[list[PriceHistory], int]:
        await self._visible_customer(principal, customer_id)
        return await self.prices.history(customer_id, product_id=product_id, limit=limit,
                                         offset=offset)

    async def own_catalog(self, principal: Principal) -> list[CustomerPrice]:
        """The customer's own active prices; none before approval."""
        assert principal.customer_id is not None
        customer = await self.customers.get(principal.customer_id)
        if customer is None:
            raise NotFound("Your company has not registered yet")
        if customer.status != customer_domain.CustomerStatus.APPROVED:
            return []
        return await self.prices.catalog(customer.id)
