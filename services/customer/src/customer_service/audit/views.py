"""ORM rows → API schemas."""

from __future__ import annotations

from ..models import AuditEntry
from .schemas import AuditEntryOut


def entry(e: AuditEntry) -> AuditEntryOut:
    return AuditEntryOut(id=e.id, at=e.at, actor=e.actor, actor_kind=e.actor_kind,
                         entity=e.entity, entity_id=e.entity_id, customer_id=e.customer_id,
                         action=e.action, before=e.before, after=e.after)
