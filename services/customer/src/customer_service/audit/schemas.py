from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field


class AuditEntryOut(BaseModel):
    """One change: who, when, what, the values before and after (X-3)."""

    id: uuid.UUID
    at: datetime
    actor: str = Field(description="The user's display name, or `system`")
    actor_kind: Literal["customer", "staff", "system"]
    entity: Literal["customer", "price", "product", "contact"]
    entity_id: str
    customer_id: uuid.UUID | None
    action: str = Field(description="registered, approved, rejected, profile_updated, "
                                    "updated, price_changed, grade_changed, cycle_changed, "
                                    "payment_terms_changed, credit_limit_changed, "
                                    "product_updated, "
                                    "contact_created …")
    before: dict[str, Any] | None
    after: dict[str, Any] | None
