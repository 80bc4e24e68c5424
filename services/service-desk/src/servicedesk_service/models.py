"""The service desk's tables: the installed base of machines (S-2), service requests
(fault reports) with their reply threads (S-1), and the read model of customers fed by
customer events."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from servicekit.timeutil import utcnow
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy import text as sql
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .db import Base


class CustomerView(Base):
    """Read model of a customer, from customer.* events."""

    __tablename__ = "customer_view"

    customer_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    customer_number: Mapped[str | None] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    area: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(30))
    # The time of the customer event last applied to these fields: an older one arriving
    # late changes nothing known (servicekit.readmodel.upsert_newer_wins, X-2); None in
    # rows from before it was kept.
    profile_as_of: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now(), onupdate=utcnow)


class Machine(Base):
    """A machine a customer bought: a row of the "details" form (S-2). `warranty_until`
    is derived from the purchase date and the warranty period (machines/domain.py)."""

    __tablename__ = "machines"
    __table_args__ = (
        CheckConstraint("quantity >= 1", name="quantity_positive"),
        CheckConstraint("warranty_months >= 0 AND warranty_months <= 120",
                        name="warranty_months_range"),
        CheckConstraint("collection_status IN ('paid','partial','unpaid')",
                        name="collection_status"),
        CheckConstraint(
            "consumable_payment_method IS NULL OR consumable_payment_method IN "
            "('prepaid','on_delivery','monthly','other')", name="consumable_payment_method"),
        # A machine number (serial) names one machine: registered once.
        Index("uq_machines_machine_number", "machine_number", unique=True,
              postgresql_where=sql("machine_number IS NOT NULL")),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True,
                                          default=uuid.uuid4)
    customer_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    purchase_date: Mapped[date] = mapped_column(Date)
    name: Mapped[str] = mapped_column(String(100))
    model: Mapped[str | None] = mapped_column(String(100))
    quantity: Mapped[int] = mapped_column(Integer)
    machine_number: Mapped[str | None] = mapped_column(String(100))
    collection_status: Mapped[str] = mapped_column(String(20))
    warranty_months: Mapped[int] = mapped_column(Integer)
    warranty_until: Mapped[date | None] = mapped_column(Date)
    consumable_payment_method: Mapped[str | None] = mapped_column(String(20))
    salesperson: Mapped[str | None] = mapped_column(String(50))
    installation_engineer: Mapped[str | None] = mapped_column(String(50))
    integrity: Mapped[str | None] = mapped_column(String(200))
    remark: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(100))
    updated_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 default=utcnow, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now(), onupdate=utcnow)


class ServiceRequest(Base):
    """A fault a customer reported on one of its machines (S-1)."""

    __tablename__ = "service_requests"
    __table_args__ = (
        CheckConstraint(
            "status IN ('open','in_progress','waiting_for_customer','resolved','closed')",
            name="status"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True,
                                          default=uuid.uuid4)
    customer_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    customer_name: Mapped[str] = mapped_column(String(200))
    customer_number: Mapped[str | None] = mapped_column(String(40))
    area: Mapped[str | None] = mapped_column(String(100))
    # The installed machine the fault concerns, when the customer picked one (S-2).
    machine_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("machines.id"),
                                                         index=True)
    machine: Mapped[str] = mapped_column(String(100))
    model: Mapped[str | None] = mapped_column(String(100))
    machine_number: Mapped[str | None] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), index=True)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 default=utcnow, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now(), onupdate=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    replies: Mapped[list[ServiceReply]] = relationship(
        back_populates="request", lazy="raise", order_by="ServiceReply.position")
    photos: Mapped[list[ServicePhoto]] = relationship(
        back_populates="request", lazy="raise", order_by="ServicePhoto.position")


class ServiceReply(Base):
    """One entry of a request's thread, from the customer or the staff."""

    __tablename__ = "service_replies"
    __table_args__ = (
        UniqueConstraint("request_id", "position", name="uq_service_replies_position"),
        CheckConstraint("author_kind IN ('customer','staff')", name="author_kind"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True,
                                          default=uuid.uuid4)
    request_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("service_requests.id"),
                                                  index=True)
    position: Mapped[int] = mapped_column(Integer)
    author_kind: Mapped[str] = mapped_column(String(10))
    author: Mapped[str] = mapped_column(String(100))
    message: Mapped[str] = mapped_column(Text)
    # The request's status after this reply, when the reply changed it.
    status_change: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 default=utcnow, server_default=func.now())

    request: Mapped[ServiceRequest] = relationship(back_populates="replies", lazy="raise")


class ServicePhoto(Base):
    """A photo of a fault report (S-1): checked by content and re-encoded without metadata
    (requests/photos.py); the file lives under SERVICEDESK_MEDIA_DIR at `storage_key`."""

    __tablename__ = "service_photos"
    __table_args__ = (
        UniqueConstraint("request_id", "position", name="uq_service_photos_position"),
        CheckConstraint("content_type IN ('image/jpeg','image/png','image/webp')",
                        name="content_type"),
        CheckConstraint("size > 0", name="size_positive"),
        CheckConstraint("uploaded_by_kind IN ('customer','staff')", name="uploaded_by_kind"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True,
                                          default=uuid.uuid4)
    request_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("service_requests.id"),
                                                  index=True)
    position: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(120))
    content_type: Mapped[str] = mapped_column(String(20))
    size: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    storage_key: Mapped[str] = mapped_column(String(200), unique=True)
    uploaded_by_kind: Mapped[str] = mapped_column(String(10))
    uploaded_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 default=utcnow, server_default=func.now())

    request: Mapped[ServiceRequest] = relationship(back_populates="photos", lazy="raise")


class MaintenanceCategory(Base):
    """A preset fault category (S-4) or return-visit category (S-5)."""

    __tablename__ = "maintenance_categories"
    __table_args__ = (
        CheckConstraint("kind IN ('fault','visit')", name="kind"),
        UniqueConstraint("kind", "name", name="uq_maintenance_categories_kind_name"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True,
                                          default=uuid.uuid4)
    kind: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(50))
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 default=utcnow, server_default=func.now())


class MaintenanceRecord(Base):
    """A repair or a return visit kept by the staff (S-3..S-8). Which of the six menus
    shows it follows from its flags (maintenance/domain.py)."""

    __tablename__ = "maintenance_records"
    __table_args__ = (
        CheckConstraint("kind IN ('repair','return_visit')", name="kind"),
        CheckConstraint("payment_status IN ('free','unpaid','paid')", name="payment_status"),
        CheckConstraint("charge >= 0", name="charge_non_negative"),
        CheckConstraint("NOT return_to_factory OR factory_return_method IS NOT NULL",
                        name="factory_return_method"),
        CheckConstraint("NOT (suspended AND processed)", name="suspended_unprocessed"),
        CheckConstraint("points_used >= 0 AND points_used <= charge", name="points_used"),
        CheckConstraint("points_status IS NULL OR points_status IN "
                        "('requested','redeemed','refused','releasing','released')",
                        name="points_status"),
        Index("ix_maintenance_records_open", "customer_id",
              postgresql_where=sql("NOT processed AND NOT suspended")),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True,
                                          default=uuid.uuid4)
    customer_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    machine_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("machines.id"),
                                                         index=True)
    kind: Mapped[str] = mapped_column(String(20))
    category_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("maintenance_categories.id"), index=True)
    service_date: Mapped[date] = mapped_column(Date, index=True)
    content: Mapped[str] = mapped_column(Text)
    engineer: Mapped[str | None] = mapped_column(String(50), index=True)
    # [{"name": str, "quantity": int}], the accessories used or replaced.
    accessories: Mapped[list] = mapped_column(JSONB, default=list, server_default="[]")
    charge: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0.00"),
                                            server_default="0")
    payment_status: Mapped[str] = mapped_column(String(10))
    return_to_factory: Mapped[bool] = mapped_column(Boolean, default=False,
                                                    server_default="false")
    factory_return_method: Mapped[str | None] = mapped_column(String(100))
    key_matter: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    processed: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    processed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    suspended: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    suspended_reason: Mapped[str | None] = mapped_column(Text)
    suspended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    service_request_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("service_requests.id"), index=True)
    # Part of the charge paid with points (P-2): asked for, then spent or refused by the
    # points service (maintenance/points.py); `points_used` counts once spent.
    points_requested: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    points_used: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    points_status: Mapped[str | None] = mapped_column(String(10))
    points_reason: Mapped[str | None] = mapped_column(String(30))
    # A return visit created when a repair was processed (B-5): the repair, and when the
    # visit is due.
    follows_record_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("maintenance_records.id"), unique=True)
    due_on: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(100))
    updated_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 default=utcnow, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now(), onupdate=utcnow)

    entries: Mapped[list[MaintenanceEntry]] = relationship(
        back_populates="record", lazy="raise", order_by="MaintenanceEntry.position")


class MaintenanceEntry(Base):
    """A "repair processing" entry appended to a record until the work is done (S-4)."""

    __tablename__ = "maintenance_entries"
    __table_args__ = (
        UniqueConstraint("record_id", "position", name="uq_maintenance_entries_position"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True,
                                          default=uuid.uuid4)
    record_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("maintenance_records.id"),
                                                 index=True)
    position: Mapped[int] = mapped_column(Integer)
    content: Mapped[str] = mapped_column(Text)
    engineer: Mapped[str | None] = mapped_column(String(50))
    # Whether the work was done after this entry.
    processed: Mapped[bool] = mapped_column(Boolean)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 default=utcnow, server_default=func.now())

    record: Mapped[MaintenanceRecord] = relationship(back_populates="entries", lazy="raise")
