from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel


class AuditEventOut(BaseModel):
    id: int
    occurred_at: datetime
    type: str
    actor_id: uuid.UUID | None
    actor: str | None
    target_id: uuid.UUID | None
    target: str | None
    address: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
