"""Favourite order templates (O-11): keep the products and quantities one orders often,
then order from them at today's prices."""

from __future__ import annotations

import uuid

from servicekit.auth import Principal
from servicekit.errors import Conflict, NotFound, Unprocessable
from servicekit.timeutil import utcnow
from sqlalchemy.ext.asyncio import AsyncSession

from ..customers.repository import CustomerViewRepository
from ..models import Order, OrderTemplate
from ..orders import domain
from ..orders.service import OrderService
from .repository import TemplateRepository
from .schemas import TemplateIn, TemplateOrderIn

MAX_TEMPLATES = 50


class TemplateService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.templates = TemplateRepository(session)
        self.orders = OrderService(session)
        self.customers = CustomerViewRepository(session)

    async def create(self, principal: Principal, data: TemplateIn) -> OrderTemplate:
        assert principal.customer_id is not None
        if await self.templates.by_name(principal.customer_id, data.name):
            raise Conflict(f"name: you already have a template called {data.name}")
        if await self.templates.count(principal.customer_id) >= MAX_TEMPLATES:
            raise Conflict(f"you can keep at most {MAX_TEMPLATES} templates; delete one first")
        bill_type, remark = data.bill_type, data.remark
        if data.from_order_id is not None:
            order = await self.orders.get_for_customer(principal, data.from_order_id)
            lines = [{"product_id": str(ln.product_id), "name": ln.name, "model": ln.model,
                      "quantity": ln.quantity} for ln in order.lines]
            bill_type = bill_type or order.bill_type
        else:
            assert data.lines is not None
            # The products must be in the catalogue now (the same rules as an order).
            priced = domain.price_order(
                await self.customers.catalog(principal.customer_id),
                [domain.RequestedLine(ln.product_id, ln.quantity) for ln in data.lines])
            lines = [{"product_id": str(ln.product_id), "name": ln.name, "model": ln.model,
                      "quantity": ln.quantity} for ln in priced.lines]
        t = OrderTemplate(
            id=uuid.uuid4(), customer_id=principal.customer_id, name=data.name, lines=lines,
            bill_type=bill_type, remark=(remark or "").strip() or None,
            created_by=principal.display, created_at=utcnow())
        self.templates.add(t)
        await self.session.flush()
        return t

    async def list(self, principal: Principal) -> list[OrderTemplate]:
        assert principal.customer_id is not None
        return await self.templates.list(principal.customer_id)

    async def catalog(self, principal: Principal) -> dict[uuid.UUID, domain.CatalogPrice]:
        assert principal.customer_id is not None
        return await self.customers.catalog(principal.customer_id)

    async def _get(self, principal: Principal, template_id: uuid.UUID) -> OrderTemplate:
        assert principal.customer_id is not None
        t = await self.templates.get(template_id, principal.customer_id)
        if t is None:
            raise NotFound("Template not found")
        return t

    async def delete(self, principal: Principal, template_id: uuid.UUID) -> None:
        await self.templates.delete(await self._get(principal, template_id))

    async def order(self, principal: Principal, template_id: uuid.UUID,
                    data: TemplateOrderIn) -> tuple[Order, list[domain.Skipped]]:
        t = await self._get(principal, template_id)
        catalog = await self.catalog(principal)
        lines = []
        for ln in t.lines:
            pid = uuid.UUID(ln["product_id"])
            item = catalog.get(pid)
            lines.append((pid, item.name if item else ln.get("name", ""),
                          item.model if item else ln.get("model", ""), int(ln["quantity"])))
        bill_type = data.bill_type or t.bill_type
        if bill_type is None:
            raise Unprocessable("bill_type: the template has no bill choice; give one")
        remark = data.remark if "remark" in data.model_fields_set else t.remark
        return await self.orders.order_again(
            principal, lines, delivery_date=data.delivery_date, bill_type=bill_type,
            remark=remark, timeline_data={"from_template": t.name})
