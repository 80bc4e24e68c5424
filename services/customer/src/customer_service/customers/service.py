"""Customer use cases: registration, review, profile and staff edits, grades, ordering
cycles, payment terms (C-1..C-7, O-6); load through repositories, decide in the domain,
write outbox rows and audit rows (X-3) in the same transaction. Nothing here commits."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from dinghuo_contracts import (
    CatalogLine,
    CustomerApproved,
    CustomerCreditLimitChanged,
    CustomerCycleChanged,
    CustomerGradeChanged,
    CustomerPaymentTermsChanged,
    CustomerRegistered,
    CustomerRejected,
    CustomerUpdated,
    OrderSubmitted,
    PaymentReceived,
)
from servicekit.auth import Principal
from servicekit.errors import Conflict, Forbidden, NotFound
from servicekit.logging import get_logger
from servicekit.messaging import add_event
from servicekit.timeutil import business_date, utcnow
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ..audit.repository import AuditRepository
from ..audit.service import Actor, AuditLog, Entity
from ..catalog.domain import ChangeReason
from ..catalog.repository import PriceRepository
from ..catalog.service import PriceService, ProductService
from ..config import settings
from ..contacts.service import ContactService
from ..models import AuditEntry, Customer, CustomerPrice, PriceHistory, SupplierContact
from . import domain
from .repository import CustomerRepository
from .schemas import (
    ApproveIn,
    CompanyIn,
    CreditLimitIn,
    CycleIn,
    GradeIn,
    PaymentTermsIn,
    RejectIn,
)

SOURCE = "customer"
DETAIL_HISTORY = 20
log = get_logger(__name__)


def thresholds_from_settings() -> domain.GradeThresholds:
    return domain.GradeThresholds(small=settings.grade_small_threshold,
                                  large=settings.grade_large_threshold)


def company_values(customer: Customer) -> dict[str, Any]:
    return {f: getattr(customer, f) for f in domain.COMPANY_FIELDS}


TAX_INFORMATION = ("invoice_title", "tax_number", "bank", "bank_account", "address",
                   "area_code", "telephone")


def tax_information(customer: Customer) -> dict[str, Any]:
    """What customer.approved and customer.updated carry for the invoice service's
    defaults of an invoice request (C-1, I-1)."""
    return {f: getattr(customer, f) for f in TAX_INFORMATION}


def cycle_of(customer: Customer) -> domain.OrderingCycle | None:
    return domain.make_cycle(customer.cycle_kind, customer.cycle_days, customer.cycle_weekday)


def cycle_values(cycle: domain.OrderingCycle | None) -> dict[str, Any]:
    return cycle.as_dict() if cycle else {"kind": None, "days": None, "weekday": None}


class CustomerService:
    def __init__(self, session: AsyncSession,
                 thresholds: domain.GradeThresholds | None = None) -> None:
        self.session = session
        self.customers = CustomerRepository(session)
        self.prices = PriceRepository(session)
        self.audit = AuditLog(session)
        self.thresholds = thresholds or thresholds_from_settings()

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
            grade_source=domain.GradeSource.AUTO.value, paid_total=Decimal("0"),
            payment_terms_days=settings.default_payment_terms_days, **data.model_dump())
        self.customers.add(customer)
        try:
            await self.session.flush()
        except IntegrityError as exc:  # a concurrent registration with the same id won
            raise Conflict("This customer is already registered") from exc
        self.audit.record(principal, Entity.CUSTOMER, customer.id, "registered", before=None,
                          after={"number": customer.number, "status": customer.status,
                                 **company_values(customer)},
                          customer_id=customer.id)
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
        return await self._change_company(principal, customer, data, "profile_updated")

    # ------------------------------------------------------------ console
    async def list(self, principal: Principal, *, status: str | None, area: str | None,
                   grade: str | None, q: str | None, sort: str, limit: int,
                   offset: int) -> tuple[list[Customer], int]:
        return await self.customers.list(
            status=status, area=(area or "").strip() or None, grade=grade,
            q=(q or "").strip() or None,
            areas=principal.areas, sort=sort, limit=limit, offset=offset)

    async def get_visible(self, principal: Principal, customer_id: uuid.UUID, *,
                          for_update: bool = False) -> Customer:
        """A customer the staff member may see; outside their areas it does not exist
        for them (C-7)."""
        customer = await self.customers.get(customer_id, for_update=for_update)
        if customer is None or not domain.visible_to(principal.areas, customer.area):
            raise NotFound("Customer not found")
        return customer

    async def detail(self, principal: Principal, customer_id: uuid.UUID) -> tuple[
            Customer, list[CustomerPrice], list[PriceHistory], list[SupplierContact]]:
        """The customer with its prices (inactive products too), its latest price
        changes and the supplier's contacts for its area."""
        customer = await self.get_visible(principal, customer_id)
        return await self.detail_parts(customer)

    async def detail_parts(self, customer: Customer) -> tuple[
            Customer, list[CustomerPrice], list[PriceHistory], list[SupplierContact]]:
        catalog = await self.prices.catalog(customer.id, include_inactive_products=True)
        history, _ = await self.prices.history(customer.id, limit=DETAIL_HISTORY)
        contacts = await ContactService(self.session).for_customer(customer)
        return customer, catalog, history, contacts

    async def update(self, principal: Principal, customer_id: uuid.UUID,
                     data: CompanyIn) -> Customer:
        """Staff replace a customer's basic information (C-3). Staff bound to areas may
        not move a customer out of their areas (C-7)."""
        customer = await self.get_visible(principal, customer_id, for_update=True)
        if not domain.visible_to(principal.areas, data.area):
            raise Forbidden(
                "area: you may only assign customers to your own areas "
                f"({', '.join(sorted(principal.areas))})")
        return await self._change_company(principal, customer, data, "updated")

    async def _change_company(self, principal: Principal, customer: Customer,
                              data: CompanyIn, action: str) -> Customer:
        before = company_values(customer) | {"status": customer.status}
        after = data.model_dump()
        changed = domain.changed_fields(before, after)
        for field in changed:
            setattr(customer, field, after[field])
        if principal.kind == "customer":
            status = domain.CustomerStatus(customer.status)
            new_status = domain.after_correction(status)
            if new_status is not status:
                customer.status = new_status.value
                changed.append("status")
        if changed:
            await self.session.flush()
            old, new = domain.diff(
                before, company_values(customer) | {"status": customer.status}, changed)
            self.audit.record(principal, Entity.CUSTOMER, customer.id, action, before=old,
                              after=new, customer_id=customer.id)
            await add_event(self.session, CustomerUpdated(
                customer_id=customer.id, company_name=customer.name,
                changed_fields=changed, changed_by_kind=principal.kind, area=customer.area,
                status=customer.status, customer_number=customer.number,
                changed_by=principal.display, mobile=customer.mobile, grade=customer.grade,
                **tax_information(customer),
            ), source=SOURCE)
        return customer

    async def approve(self, principal: Principal, customer_id: uuid.UUID,
                      data: ApproveIn) -> Customer:
        """Approve a registration with the consumables the customer uses at its own
        prices (C-2, C-3)."""
        customer = await self.get_visible(principal, customer_id, for_update=True)
        new_status = domain.review(domain.CustomerStatus(customer.status),
                                   domain.Decision.APPROVE)
        items = await ProductService(self.session).resolve(data.products, principal.display)
        await PriceService(self.session).set_prices(
            customer.id, items, changed_by=principal.display, reason=ChangeReason.APPROVAL)
        before = customer.status
        customer.status = new_status.value
        customer.reviewed_by, customer.reviewed_at = principal.display, utcnow()
        customer.rejection_reason = None
        await self.session.flush()
        catalog = await self.prices.catalog(customer.id)
        self.audit.record(principal, Entity.CUSTOMER, customer.id, "approved",
                          before={"status": before},
                          after={"status": customer.status, "catalog": [
                              {"product_id": p.product_id, "name": p.product.name,
                               "model": p.product.model, "unit_price": p.unit_price}
                              for p in catalog]},
                          customer_id=customer.id)
        await add_event(self.session, CustomerApproved(
            customer_id=customer.id, customer_number=customer.number,
            company_name=customer.name, area=customer.area,
            catalog=[CatalogLine(product_id=p.product_id, name=p.product.name,
                                 model=p.product.model, unit_price=p.unit_price,
                                 list_price=p.product.list_price,
                                 category=p.product.category) for p in catalog],
            approved_by=principal.display, payment_terms_days=customer.payment_terms_days,
            grade=customer.grade, mobile=customer.mobile, **tax_information(customer),
        ), source=SOURCE)
        return customer

    async def reject(self, principal: Principal, customer_id: uuid.UUID,
                     data: RejectIn) -> Customer:
        """Reject a registration with a reason the customer sees (C-2)."""
        customer = await self.get_visible(principal, customer_id, for_update=True)
        new_status = domain.review(domain.CustomerStatus(customer.status),
                                   domain.Decision.REJECT)
        before = customer.status
        customer.status = new_status.value
        customer.rejection_reason = data.reason
        customer.reviewed_by, customer.reviewed_at = principal.display, utcnow()
        await self.session.flush()
        self.audit.record(principal, Entity.CUSTOMER, customer.id, "rejected",
                          before={"status": before},
                          after={"status": customer.status, "reason": data.reason},
                          customer_id=customer.id)
        await add_event(self.session, CustomerRejected(
            customer_id=customer.id, company_name=customer.name, reason=data.reason,
            rejected_by=principal.display,
        ), source=SOURCE)
        return customer

    async def set_grade(self, principal: Principal, customer_id: uuid.UUID,
                        data: GradeIn) -> Customer:
        """Staff set the grade explicitly with a reason — the only way a grade goes down
        (C-4). Setting the current grade again changes nothing."""
        customer = await self.get_visible(principal, customer_id, for_update=True)
        grade = domain.Grade(data.grade)
        if grade.value == customer.grade:
            return customer
        await self._change_grade(customer, grade, reason=data.reason,
                                 actor=Actor.of(principal),
                                 source=domain.GradeSource.STAFF)
        return customer

    async def set_cycle(self, principal: Principal, customer_id: uuid.UUID,
                        data: CycleIn) -> Customer:
        """Set or clear the customer's ordering cycle (C-6)."""
        cycle = domain.make_cycle(data.kind, data.days, data.weekday)
        customer = await self.get_visible(principal, customer_id, for_update=True)
        before = cycle_of(customer)
        if before == cycle:
            return customer
        customer.cycle_kind = cycle.kind.value if cycle else None
        customer.cycle_days = cycle.days if cycle else None
        customer.cycle_weekday = cycle.weekday if cycle else None
        await self.session.flush()
        self.audit.record(principal, Entity.CUSTOMER, customer.id, "cycle_changed",
                          before=cycle_values(before), after=cycle_values(cycle),
                          customer_id=customer.id)
        await add_event(self.session, CustomerCycleChanged(
            customer_id=customer.id, kind=cycle.kind.value if cycle else None,
            days=cycle.days if cycle else None, weekday=cycle.weekday if cycle else None,
            changed_by=principal.display,
        ), source=SOURCE)
        return customer

    async def set_payment_terms(self, principal: Principal, customer_id: uuid.UUID,
                                data: PaymentTermsIn) -> Customer:
        """Set the customer's payment terms (O-6); orders approved from now on are due that
        many days after their approval. Setting the current terms again changes nothing."""
        customer = await self.get_visible(principal, customer_id, for_update=True)
        before = customer.payment_terms_days
        if before == data.days:
            return customer
        customer.payment_terms_days = data.days
        await self.session.flush()
        self.audit.record(principal, Entity.CUSTOMER, customer.id, "payment_terms_changed",
                          before={"payment_terms_days": before},
                          after={"payment_terms_days": data.days}, customer_id=customer.id)
        await add_event(self.session, CustomerPaymentTermsChanged(
            customer_id=customer.id, days=data.days, previous_days=before,
            changed_by=principal.display,
        ), source=SOURCE)
        return customer

    async def set_credit_limit(self, principal: Principal, customer_id: uuid.UUID,
                               data: CreditLimitIn) -> Customer:
        """Set or clear (None) the customer's credit limit (B-3); the order service holds
        an order that would take the customer over it. Setting the current limit again
        changes nothing."""
        customer = await self.get_visible(principal, customer_id, for_update=True)
        before = customer.credit_limit
        if before == data.limit:
            return customer
        customer.credit_limit = data.limit
        await self.session.flush()
        self.audit.record(principal, Entity.CUSTOMER, customer.id, "credit_limit_changed",
                          before={"credit_limit": domain.jsonable(before)},
                          after={"credit_limit": domain.jsonable(data.limit)},
                          customer_id=customer.id)
        await add_event(self.session, CustomerCreditLimitChanged(
            customer_id=customer.id, limit=data.limit, previous=before,
            changed_by=principal.display,
        ), source=SOURCE)
        return customer

    async def audit_log(self, principal: Principal, customer_id: uuid.UUID, *,
                        entity: str | None, limit: int,
                        offset: int) -> tuple[list[AuditEntry], int]:
        """Every recorded change of the customer's data and prices, newest first (X-3)."""
        await self.get_visible(principal, customer_id)
        return await AuditRepository(self.session).for_customer(
            customer_id, entity=entity, limit=limit, offset=offset)

    async def _change_grade(self, customer: Customer, grade: domain.Grade, *, reason: str,
                            actor: Actor, source: domain.GradeSource) -> None:
        previous = customer.grade
        customer.grade, customer.grade_source = grade.value, source.value
        await self.session.flush()
        self.audit.record(actor, Entity.CUSTOMER, customer.id, "grade_changed",
                          before={"grade": previous},
                          after={"grade": grade.value, "reason": reason,
                                 "paid_total": customer.paid_total},
                          customer_id=customer.id)
        await add_event(self.session, CustomerGradeChanged(
            customer_id=customer.id, customer_number=customer.number,
            company_name=customer.name, previous_grade=previous, grade=grade.value,
            paid_total=customer.paid_total, reason=reason, changed_by=actor.name,
            changed_by_kind="staff" if actor.kind == "staff" else "system",
            area=customer.area,
        ), source=SOURCE)

    # ------------------------------------------------------------ events
    async def record_payment(self, event: PaymentReceived) -> bool:
        """A fully paid order adds to the customer's cumulative paid consumption, once per
        order; reaching a threshold upgrades the grade automatically (C-4)."""
        fresh = await self.customers.record_paid_order(
            order_id=event.order_id, customer_id=event.customer_id, number=event.number,
            amount=event.amount_paid, paid_on=event.paid_on)
        if not fresh:
            log.info("paid_order_already_counted", order_id=str(event.order_id))
            return False
        customer = await self.customers.get(event.customer_id, for_update=True)
        if customer is None:
            log.warning("paid_order_for_unknown_customer", order_id=str(event.order_id),
                        customer_id=str(event.customer_id))
            return True
        previous_total = customer.paid_total
        customer.paid_total = previous_total + event.amount_paid
        grade = domain.automatic_grade(
            domain.Grade(customer.grade), domain.GradeSource(customer.grade_source),
            previous_total, customer.paid_total, self.thresholds)
        if grade is not None:
            await self._change_grade(
                customer, grade, reason=domain.grade_reason(grade, customer.paid_total,
                                                            self.thresholds),
                actor=Actor.system(), source=domain.GradeSource.AUTO)
        await self.session.flush()
        return True

    async def record_order(self, event: OrderSubmitted) -> None:
        """Remember the business date of the customer's last order, for its ordering
        cycle (C-6); an older order arriving late changes nothing (`domain.later`, in
        one statement)."""
        if not await self.customers.record_order_day(event.customer_id,
                                                     business_date(event.submitted_at)):
            log.warning("order_for_unknown_customer", order_id=str(event.order_id),
                        customer_id=str(event.customer_id))
