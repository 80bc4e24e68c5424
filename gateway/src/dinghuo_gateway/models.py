"""Identity: customer users and staff users with argon2 password hashes."""

from __future__ import annotations

import uuid
from datetime import datetime

from servicekit.timeutil import utcnow
from sqlalchemy import Boolean, CheckConstraint, DateTime, String, func
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from .db import Base


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("kind IN ('customer','staff')", name="kind"),
        CheckConstraint("kind = 'staff' OR customer_id IS NOT NULL", name="customer_has_company"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True,
                                          default=uuid.uuid4)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(10))
    customer_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), index=True)
    display_name: Mapped[str | None] = mapped_column(String(100))
    permissions: Mapped[list[str]] = mapped_column(JSONB, default=list)
    areas: Mapped[list[str]] = mapped_column(JSONB, default=list)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 server_default=func.now())
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
