"""ORM rows → API schemas."""

from __future__ import annotations

from ..models import StaffPrompt
from .schemas import PromptOut


def prompt(p: StaffPrompt) -> PromptOut:
    return PromptOut(id=p.id, kind=p.kind, window=p.window, message=p.message,
                     message_en=p.message_en, data=p.data or {}, created_at=p.created_at,
                     read_at=p.read_at)
