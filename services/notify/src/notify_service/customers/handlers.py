"""Customer events: keep the name read model in step, prompt the staff about new and
changed customers (N-3, C-5) and tell the customer about the review decision (C-2, N-5)
and its grade (C-4),
all in the consumer's one transaction."""

from __future__ import annotations

from dinghuo_contracts import (
    CustomerApproved,
    CustomerGradeChanged,
    CustomerRegistered,
    CustomerRejected,
    CustomerUpdated,
    EventEnvelope,
)
from servicekit.messaging import HandlerRegistry
from sqlalchemy.ext.asyncio import AsyncSession

from ..messages.service import MessageService
from ..prompts.service import PromptService
from .repository import CustomerViewRepository

registry = HandlerRegistry()


@registry.on(CustomerRegistered)
async def on_registered(session: AsyncSession, event: CustomerRegistered,
                        env: EventEnvelope) -> None:
    await CustomerViewRepository(session).upsert(
        event.customer_id, name=event.company_name, number=event.customer_number,
        area=event.area)
    await PromptService(session).record(event, env)


@registry.on(CustomerUpdated)
async def on_updated(session: AsyncSession, event: CustomerUpdated,
                     env: EventEnvelope) -> None:
    await CustomerViewRepository(session).upsert(
        event.customer_id, name=event.company_name, number=event.customer_number,
        area=event.area)
    await PromptService(session).record(event, env)


@registry.on(CustomerApproved)
async def on_approved(session: AsyncSession, event: CustomerApproved,
                      env: EventEnvelope) -> None:
    await CustomerViewRepository(session).upsert(
        event.customer_id, name=event.company_name, number=event.customer_number,
        area=event.area)
    await MessageService(session).record(event, env, event.customer_id)


@registry.on(CustomerRejected)
async def on_rejected(session: AsyncSession, event: CustomerRejected,
                      env: EventEnvelope) -> None:
    await CustomerViewRepository(session).upsert(event.customer_id, name=event.company_name)
    await MessageService(session).record(event, env, event.customer_id)


@registry.on(CustomerGradeChanged)
async def on_grade_changed(session: AsyncSession, event: CustomerGradeChanged,
                           env: EventEnvelope) -> None:
    """Tell the customer its new grade and prompt the staff (C-4)."""
    await CustomerViewRepository(session).upsert(
        event.customer_id, name=event.company_name, number=event.customer_number)
    await MessageService(session).record(event, env, event.customer_id)
    await PromptService(session).record(event, env)
