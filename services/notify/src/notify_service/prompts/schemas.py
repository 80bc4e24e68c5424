from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class PromptOut(BaseModel):
    """A staff prompt (N-3). `message` is the Chinese default text, `message_en` the
    English one; `data` holds the ids, numbers and amounts for a UI's own text."""

    id: uuid.UUID
    kind: str = Field(description="new_order, customer_registered, customer_updated, "
                                  "customer_grade_changed, invoice_requested, "
                                  "service_request …")
    window: bool = Field(description="Pop up a window prompt (new orders)")
    message: str
    message_en: str
    data: dict[str, Any]
    created_at: datetime
    read_at: datetime | None


class MarkedRead(BaseModel):
    marked: int
