"""Writing the audit log (X-3): every change to customer data, prices, products and
contacts gets a row in the change's own transaction — who (display name and kind),
when, which entity, the values before and after. Nothing here commits."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from servicekit.auth import Principal
from servicekit.timeutil import utcnow
from sqlalchemy.ext.asyncio import AsyncSession

from ..customers.domain import jsonable
from ..models import AuditEntry
from .repository import AuditRepository

SYSTEM = "system"


class Entity(StrEnum):
    CUSTOMER = "customer"
    PRICE = "price"
    PRODUCT = "product"
    CONTACT = "contact"


class Actor:
    """Who made a change: a principal, or the system (an automatic grade change)."""

    def __init__(self, name: str, kind: str) -> None:
        self.name, self.kind = name, kind

    @classmethod
    def of(cls, principal: Principal) -> Actor:
        return cls(principal.display, principal.kind)

    @classmethod
    def system(cls) -> Actor:
        return cls(SYSTEM, SYSTEM)


class AuditLog:
    def __init__(self, session: AsyncSession) -> None:
        self.entries = AuditRepository(session)

    def record(self, actor: Actor | Principal, entity: Entity, entity_id: uuid.UUID | str,
               action: str, *, before: Mapping[str, Any] | None,
               after: Mapping[str, Any] | None,
               customer_id: uuid.UUID | None = None) -> AuditEntry:
        who = actor if isinstance(actor, Actor) else Actor.of(actor)
        entry = AuditEntry(
            id=uuid.uuid4(), at=utcnow(), actor=who.name[:100], actor_kind=who.kind,
            entity=entity.value, entity_id=str(entity_id), customer_id=customer_id,
            action=action,
            before=None if before is None else jsonable(dict(before)),
            after=None if after is None else jsonable(dict(after)))
        self.entries.add(entry)
        return entry
