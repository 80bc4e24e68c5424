"""Keep the customer read model in step with the customer service (no synchronous calls
on the ordering path). Customer events may arrive out of order (a redelivery, a replayed
dead letter): each applies by the time it happened, an older one changes nothing newer
(X-2)."""

from __future__ import annotations

from dinghuo_contracts import (
    CustomerApproved,
    CustomerCreditLimitChanged,
    CustomerCycleChanged,
    CustomerGradeChanged,
    CustomerPaymentTermsChanged,
    CustomerPriceChanged,
    CustomerRegistered,
    CustomerRejected,
    CustomerUpdated,
    EventEnvelope,
    ServiceDeskMachinesCounted,
)
from servicekit.logging import get_logger
from servicekit.messaging import HandlerRegistry
from servicekit.timeutil import business_date
from sqlalchemy.ext.asyncio import AsyncSession

from ..orders.domain import CatalogPrice
from .repository import CustomerViewRepository

registry = HandlerRegistry()
log = get_logger(__name__)


@registry.on(CustomerRegistered)
async def on_registered(session: AsyncSession, event: CustomerRegistered,
                        env: EventEnvelope) -> None:
    repo = CustomerViewRepository(session)
    existing = await repo.get(event.customer_id)
    if existing is None:  # only a first sighting (rows from before times were kept)
        await repo.upsert(event.customer_id, as_of=env.occurred_at, name=event.company_name,
                          status="pending_review", number=event.customer_number,
                          area=event.area)


@registry.on(CustomerApproved)
async def on_approved(session: AsyncSession, event: CustomerApproved,
                      env: EventEnvelope) -> None:
    repo = CustomerViewRepository(session)
    # C-4: approved with a grade (None: an event from before grades travelled)
    await repo.upsert(event.customer_id, as_of=env.occurred_at, name=event.company_name,
                      status="approved", number=event.customer_number, area=event.area,
                      grade=event.grade)
    await repo.replace_catalog(event.customer_id, [
        CatalogPrice(c.product_id, c.name, c.model, c.unit_price, c.list_price,
                     category=c.category)
        for c in event.catalog], env.occurred_at)
    if event.payment_terms_days is not None:  # None: an event from before terms existed
        await repo.set_payment_terms(event.customer_id, event.payment_terms_days,
                                     env.occurred_at)


@registry.on(CustomerRejected)
async def on_rejected(session: AsyncSession, event: CustomerRejected,
                      env: EventEnvelope) -> None:
    await CustomerViewRepository(session).upsert(
        event.customer_id, as_of=env.occurred_at, name=event.company_name, status="rejected")


@registry.on(CustomerUpdated)
async def on_updated(session: AsyncSession, event: CustomerUpdated,
                     env: EventEnvelope) -> None:
    # No status: an event from before it travelled (the kept one stays).
    await CustomerViewRepository(session).upsert(
        event.customer_id, as_of=env.occurred_at, name=event.company_name,
        status=event.status, number=event.customer_number, area=event.area,
        grade=event.grade)


@registry.on(CustomerPriceChanged)
async def on_price_changed(session: AsyncSession, event: CustomerPriceChanged,
                           env: EventEnvelope) -> None:
    await CustomerViewRepository(session).upsert_item(event.customer_id, CatalogPrice(
        event.product_id, event.name, event.model, event.unit_price, event.list_price,
        event.active, event.category), env.occurred_at)


@registry.on(CustomerCycleChanged)
async def on_cycle_changed(session: AsyncSession, event: CustomerCycleChanged,
                           env: EventEnvelope) -> None:
    """Keep the customer's ordering cycle for reminders and anomaly analysis (C-6, A-3)."""
    if not await CustomerViewRepository(session).set_cycle(
            event.customer_id, kind=event.kind, days=event.days, weekday=event.weekday,
            since=business_date(env.occurred_at)):
        log.warning("cycle_for_unknown_customer", customer_id=str(event.customer_id))


@registry.on(CustomerPaymentTermsChanged)
async def on_payment_terms_changed(session: AsyncSession, event: CustomerPaymentTermsChanged,
                                   env: EventEnvelope) -> None:
    """Keep the customer's payment terms: orders approved from now on are due that many
    days after their approval (O-6). An unknown customer's terms are skipped (its
    customer.approved carries them); older terms arriving late change nothing."""
    if not await CustomerViewRepository(session).set_payment_terms(
            event.customer_id, event.days, env.occurred_at):
        log.warning("payment_terms_for_unknown_customer", customer_id=str(event.customer_id))


@registry.on(CustomerCreditLimitChanged)
async def on_credit_limit_changed(session: AsyncSession, event: CustomerCreditLimitChanged,
                                  env: EventEnvelope) -> None:
    """Keep the customer's credit limit (B-3): orders submitted or modified from now on
    are judged against it (orders already placed are not). An unknown customer's limit
    is skipped with a warning; an older limit arriving late changes nothing."""
    if not await CustomerViewRepository(session).set_credit_limit(
            event.customer_id, event.limit, env.occurred_at):
        log.warning("credit_limit_for_unknown_customer", customer_id=str(event.customer_id))


@registry.on(CustomerGradeChanged)
async def on_grade_changed(session: AsyncSession, event: CustomerGradeChanged,
                           env: EventEnvelope) -> None:
    """Keep the customer's grade for the order query and dashboards (C-4, A-1, X-4); an
    older grade arriving late changes nothing."""
    if not await CustomerViewRepository(session).set_grade(
            event.customer_id, event.grade, env.occurred_at, name=event.company_name,
            number=event.customer_number, area=event.area):
        log.warning("grade_for_unknown_customer", customer_id=str(event.customer_id))


@registry.on(ServiceDeskMachinesCounted)
async def on_machines_counted(session: AsyncSession, event: ServiceDeskMachinesCounted,
                              _env: EventEnvelope) -> None:
    """Keep the customer's installed machines: the order query sorts and filters by them
    (A-1). An older count arriving late changes nothing."""
    if not await CustomerViewRepository(session).set_machines(
            event.customer_id, event.machines, event.counted_at):
        log.warning("machines_for_unknown_customer", customer_id=str(event.customer_id))
