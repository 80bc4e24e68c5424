from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class MessageOut(BaseModel):
    """A message in the customer's portal inbox (N-5)."""

    id: uuid.UUID
    kind: str = Field(description="order_approved, order_rejected, payment_received, "
                                  "invoice_issued, registration_approved, "
                                  "registration_rejected, grade_changed …")
    message: str
    message_en: str
    data: dict[str, Any]
    created_at: datetime
    read_at: datetime | None
