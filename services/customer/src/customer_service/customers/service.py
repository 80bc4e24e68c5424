"""Customer use cases: registration, review and profile (C-1, C-2, C-5, C-7); load
through repositories, decide in the domain, write outbox rows. Nothing here commits."""

from __future__ import annotations

import uuid
from decimal import Decimal

from dinghuo_contracts import (
    CatalogLine,
    CustomerApproved,
    CustomerRegistered,
    CustomerRejected,
    CustomerUpdated,
    PaymentReceived,
)
from servicekit.auth import Principal
from servicekit.errors import Conflict, NotFound
from servicekit.logging import get_logger
from servicekit.messaging import add_event
from servicekit.timeutil import utcnow
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ..catalog.domain import ChangeReason
from ..catalog.repository import PriceRepository
from ..catalog.service import PriceService, ProductService
from ..models import Customer, CustomerPrice
from . import domain
from .repository import CustomerRepository
from .schemas import ApproveIn, CompanyIn, RejectIn

SOURCE = "customer"
log = get_logger(__name__)


class CustomerService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.customers = CustomerRepository(session)
        self.prices = PriceRepository(session)

    # ------------------------------------------------------------ portal
    async def register(self, principal: Principal, data: CompanyIn) -> Customer:
        """A company registers itself and waits for review (C-2). Its id is the one the
        gateway gave the new customer user."""
        assert principal.customer_id is not None
        if await self.customers.exists(principal.customer_id):
            raise Conflict("This customer is already registered")
        number = domain.customer_number(await self.customers.next_number())
        customer = Customer(
            id=principal.customer_id, number=number,
            status=domain.CustomerStatus.PENDING_REVIEW.value, grade=domain.GRADE_DEFAULT,
            paid_total=Decimal("0"), **data.model_dump())
        self.customers.add(customer)
        try:
            await self.session.flush()
        except IntegrityError as exc:  # a concurrent registration with the same id won
            raise Conflict("This customer is already registered") from exc
        await add_event(self.session, CustomerRegistered(
            customer_id=customer.id, customer_number=customer.number,
            company_name=customer.name, contact_person=customer.contact_person,
            mobile=customer.mobile, area=customer.area,
        ), source=SOURCE)
        return customer

    async def own(self, principal: Principal) -> Customer:
        assert principal.customer_id is not None
        customer = await self.customers.get(principal.customer_id)
        if customer is None:
            raise NotFound("Your company has not registered yet")
        return customer

    async def update_profile(self, principal: Principal, data: CompanyIn) -> Customer:
        """The customer corrects its information. A rejected registration goes back to
        review (C-2); staff get a prompt through customer.updated (C-5)."""
        assert principal.customer_id is not None
        customer = await self.customers.get(principal.customer_id, for_update=True)
        if customer is None:
            raise NotFound("Your company has not registered yet")
        after = data.model_dump()
        changed = domain.changed_fields(
            {f: getattr(customer, f) for f in domain.COMPANY_FIELDS}, after)
        for field in changed:
            setattr(customer, field, after[field])
        status = domain.CustomerStatus(customer.status)
        new_status = domain.after_correction(status)
        if new_status is not status:
            customer.status = new_status.value
            changed.append("status")
        if changed:
            await self.session.flush()
            await add_event(self.session, CustomerUpdated(
                customer_id=customer.id, company_name=customer.name, changed_fields=changed,
                changed_by_kind="customer", area=customer.area, status=customer.status,
            ), source=SOURCE)
        return customer

    # ------------------------------------------------------------ console
    async def list(self, principal: Principal, *, status: str | None, area: str | None,
                   q: str | None, limit: int, offset: int) -> tuple[list[Customer], int]:
        return await self.customers.list(status=status, area=area, q=(q or "").strip() or None,
                                         areas=principal.areas, limit=limit, offset=offset)

    async def get_visible(self, principal: Principal, customer_id: uuid.UUID, *,
                          for_update: bool = False) -> Customer:
        """A customer the staff member may see; outside their areas it does not exist
        for them (C-7)."""
        customer = await self.customers.get(customer_id, for_update=for_update)
        if customer is None or not domain.visible_to(principal.areas, customer.area):
            raise NotFound("Customer not found")
        return customer

    async def detail(self, principal: Principal,
                     customer_id: uuid.UUID) -> tuple[Customer, list[CustomerPrice]]:
        customer = await self.get_visible(principal, customer_id)
        return customer, await self.prices.catalog(customer.id)

    async def approve(self, principal: Principal, customer_id: uuid.UUID,
                      data: ApproveIn) -> tuple[Customer, list[CustomerPrice]]:
        """Approve a registration with the consumables the customer uses at its own
        prices (C-2, C-3)."""
        customer = await self.get_visible(principal, customer_id, for_update=True)
        new_status = domain.review(domain.CustomerStatus(customer.status),
                                   domain.Decision.APPROVE)
        items = await ProductService(self.session).resolve(data.products, principal.display)
        await PriceService(self.session).set_prices(
            customer.id, items, changed_by=principal.display, reason=ChangeReason.APPROVAL)
        customer.status = new_status.value
        customer.reviewed_by, customer.reviewed_at = principal.display, utcnow()
        customer.rejection_reason = None
        await self.session.flush()
        catalog = await self.prices.catalog(customer.id)
        await add_event(self.session, CustomerApproved(
            customer_id=customer.id, customer_number=customer.number,
            company_name=customer.name, area=customer.area,
            catalog=[CatalogLine(product_id=p.product_id, name=p.product.name,
                                 model=p.product.model, unit_price=p.unit_price,
                                 list_price=p.product.list_price) for p in catalog],
            approved_by=principal.display,
        ), source=SOURCE)
        return customer, catalog

    async def reject(self, principal: Principal, customer_id: uuid.UUID,
                     data: RejectIn) -> tuple[Customer, list[CustomerPrice]]:
        """Reject a registration with a reason the customer sees (C-2)."""
        customer = await self.get_visible(principal, customer_id, for_update=True)
        new_status = domain.review(domain.CustomerStatus(customer.status),
                                   domain.Decision.REJECT)
        customer.status = new_status.value
        customer.rejection_reason = data.reason
        customer.reviewed_by, customer.reviewed_at = principal.display, utcnow()
        await self.session.flush()
        await add_event(self.session, CustomerRejected(
            customer_id=customer.id, company_name=customer.name, reason=data.reason,
            rejected_by=principal.display,
        ), source=SOURCE)
        return customer, await self.prices.catalog(customer.id)

    # ------------------------------------------------------------ events
    async def record_payment(self, event: PaymentReceived) -> bool:
        """A fully paid order adds to the customer's cumulative paid consumption, once per
        order (C-4; grades follow from it)."""
        fresh = await self.customers.record_paid_order(
            order_id=event.order_id, customer_id=event.customer_id, number=event.number,
            amount=event.amount_paid, paid_on=event.paid_on)
        if not fresh:
            log.info("paid_order_already_counted", order_id=str(event.order_id))
            return False
        total = await self.customers.add_paid_total(event.customer_id, event.amount_paid)
        if total is None:
            log.warning("paid_order_for_unknown_customer", order_id=str(event.order_id),
                        customer_id=str(event.customer_id))
        return True
