"""All SQL of the product master and the customers' prices."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from decimal import Decimal

from servicekit.search import like_pattern as _like
from servicekit.upsert import insert
from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from ..models import CustomerPrice, PriceHistory, Product


class ProductRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, product_id: uuid.UUID, *, for_update: bool = False) -> Product | None:
        stmt = select(Product).where(Product.id == product_id)
        if for_update:
            stmt = stmt.with_for_update()
        return (await self.session.scalars(stmt)).first()

    async def name_taken(self, name: str, model: str, *, other_than: uuid.UUID) -> bool:
        stmt = select(Product.id).where(Product.name == name, Product.model == model,
                                        Product.id != other_than)
        return (await self.session.execute(stmt)).first() is not None

    async def get_many(self, ids: Collection[uuid.UUID]) -> dict[uuid.UUID, Product]:
        if not ids:
            return {}
        rows = (await self.session.scalars(select(Product).where(Product.id.in_(ids)))).all()
        return {p.id: p for p in rows}

    async def find(self, name: str, model: str) -> Product | None:
        stmt = select(Product).where(Product.name == name, Product.model == model)
        return (await self.session.scalars(stmt)).first()

    async def insert_if_absent(self, *, name: str, model: str, category: str,
                               list_price: Decimal, created_by: str) -> Product | None:
        """Insert a product; None when (name, model) exists already (also when another
        transaction inserted it concurrently)."""
        stmt = (insert(Product)
                .values(id=uuid.uuid4(), name=name, model=model, category=category,
                        list_price=list_price, active=True, created_by=created_by)
                .on_conflict_do_nothing(index_elements=["name", "model"])
                .returning(Product))
        return (await self.session.scalars(stmt)).first()

    async def find_or_create(self, *, name: str, model: str, category: str,
                             list_price: Decimal, created_by: str) -> Product:
        found = await self.find(name, model)
        if found is not None:
            return found
        created = await self.insert_if_absent(name=name, model=model, category=category,
                                              list_price=list_price, created_by=created_by)
        if created is not None:
            return created
        found = await self.find(name, model)  # created meanwhile by another transaction
        assert found is not None
        return found

    async def list(self, *, q: str | None = None, category: str | None = None,
                   active: bool | None = None, limit: int = 50,
                   offset: int = 0) -> tuple[list[Product], int]:
        stmt = select(Product)
        if category is not None:
            stmt = stmt.where(Product.category == category)
        if active is not None:
            stmt = stmt.where(Product.active.is_(active))
        if q:
            pattern = _like(q)
            stmt = stmt.where(or_(Product.name.ilike(pattern, escape="\\"),
                                  Product.model.ilike(pattern, escape="\\")))
        total = (await self.session.execute(
            select(func.count()).select_from(stmt.subquery()))).scalar_one()
        rows = (await self.session.scalars(
            stmt.order_by(Product.name, Product.model).limit(limit).offset(offset))).all()
        return list(rows), total


class PriceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def catalog(self, customer_id: uuid.UUID, *,
                      include_inactive_products: bool = False) -> list[CustomerPrice]:
        """The customer's active prices with their products; an inactive product is left
        out unless asked for (staff see it, the customer does not)."""
        stmt = (select(CustomerPrice).join(CustomerPrice.product)
                .where(CustomerPrice.customer_id == customer_id, CustomerPrice.active)
                .options(joinedload(CustomerPrice.product))
                .order_by(Product.name, Product.model))
        if not include_inactive_products:
            stmt = stmt.where(Product.active)
        return list((await self.session.scalars(stmt)).all())

    async def of_product(self, product_id: uuid.UUID) -> list[CustomerPrice]:
        """Every customer's active price of a product (to tell the read models when the
        product changes)."""
        stmt = (select(CustomerPrice)
                .where(CustomerPrice.product_id == product_id, CustomerPrice.active)
                .order_by(CustomerPrice.customer_id))
        return list((await self.session.scalars(stmt)).all())

    async def get(self, customer_id: uuid.UUID, product_id: uuid.UUID, *,
                  for_update: bool = False) -> CustomerPrice | None:
        stmt = select(CustomerPrice).where(CustomerPrice.customer_id == customer_id,
                                           CustomerPrice.product_id == product_id)
        if for_update:
            stmt = stmt.with_for_update()
        return (await self.session.scalars(stmt)).first()

    async def get_many(self, customer_id: uuid.UUID, product_ids: Collection[uuid.UUID], *,
                       for_update: bool = False) -> dict[uuid.UUID, CustomerPrice]:
        if not product_ids:
            return {}
        stmt = select(CustomerPrice).where(CustomerPrice.customer_id == customer_id,
                                           CustomerPrice.product_id.in_(product_ids))
        if for_update:
            stmt = stmt.with_for_update()
        return {p.product_id: p for p in (await self.session.scalars(stmt)).all()}

    def add(self, price: CustomerPrice) -> None:
        self.session.add(price)

    def add_history(self, row: PriceHistory) -> None:
        self.session.add(row)

    async def history(self, customer_id: uuid.UUID, *, product_id: uuid.UUID | None = None,
                      limit: int = 50, offset: int = 0) -> tuple[list[PriceHistory], int]:
        stmt = select(PriceHistory).where(PriceHistory.customer_id == customer_id)
        if product_id is not None:
            stmt = stmt.where(PriceHistory.product_id == product_id)
        total = (await self.session.execute(
            select(func.count()).select_from(stmt.subquery()))).scalar_one()
        rows = (await self.session.scalars(
            stmt.options(joinedload(PriceHistory.product))
            .order_by(PriceHistory.changed_at.desc(), PriceHistory.id)
            .limit(limit).offset(offset))).all()
        return list(rows), total
