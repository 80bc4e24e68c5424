"""ORM rows → API schemas."""

from __future__ import annotations

from ..models import CustomerMessage
from .schemas import MessageOut


def message(m: CustomerMessage) -> MessageOut:
    return MessageOut(id=m.id, kind=m.kind, message=m.message, message_en=m.message_en,
                      data=m.data or {}, created_at=m.created_at, read_at=m.read_at)
