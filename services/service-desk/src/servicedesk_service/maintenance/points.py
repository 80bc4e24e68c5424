"""A repair charge paid partly with points (P-2, S-3): the service desk's side of the short
saga with the points service (libs/contracts dinghuo_contracts/repairs.py). Staff ask at the
customer's request; the points service spends the points at once or refuses, and gives
them back when staff ask. The handlers only translate the answers. Nothing here commits."""

from __future__ import annotations

import uuid

from dinghuo_contracts import (
    EventEnvelope,
    PointsRepairRedeemed,
    PointsRepairRefused,
    PointsRepairReleased,
    RepairPointsReleaseRequested,
    RepairPointsRequested,
)
from servicekit.auth import Principal
from servicekit.errors import NotFound
from servicekit.logging import get_logger
from servicekit.messaging import HandlerRegistry, add_event
from servicekit.timeutil import utcnow
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import MaintenanceRecord
from . import domain
from .repository import MaintenanceRepository

SOURCE = "servicedesk"
log = get_logger(__name__)
registry = HandlerRegistry()
Status = domain.PointsStatus


class RepairPointsService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.repo = MaintenanceRepository(session)

    async def request(self, principal: Principal, record_id: uuid.UUID,
                      points: int) -> None:
        record = await self._get(principal, record_id)
        domain.check_points_request(
            domain.Kind(record.kind), record.charge, points,
            Status(record.points_status) if record.points_status else None)
        record.points_requested, record.points_status, record.points_reason = (
            points, Status.REQUESTED.value, None)
        record.updated_by, record.updated_at = principal.display, utcnow()
        await self.session.flush()
        await add_event(self.session, RepairPointsRequested(
            record_id=record.id, customer_id=record.customer_id, points=points,
            charge=record.charge, requested_by=principal.display), source=SOURCE)

    async def release(self, principal: Principal, record_id: uuid.UUID) -> None:
        record = await self._get(principal, record_id)
        domain.check_points_release(
            Status(record.points_status) if record.points_status else None)
        record.points_status = Status.RELEASING.value
        record.updated_by, record.updated_at = principal.display, utcnow()
        await self.session.flush()
        await add_event(self.session, RepairPointsReleaseRequested(
            record_id=record.id, customer_id=record.customer_id, points=record.points_used,
            requested_by=principal.display), source=SOURCE)

    async def answered(self, record_id: uuid.UUID, status: Status, *, points: int,
                       reason: str | None = None) -> None:
        record = await self.repo.get(record_id, for_update=True)
        if record is None:
            log.warning("repair_points_answer_without_record", record_id=str(record_id))
            return
        if status is Status.REDEEMED:
            record.points_used = points
        elif status is Status.RELEASED:
            record.points_used = 0
        elif record.points_status == Status.REDEEMED.value:
            return  # a refusal arriving after a success (a repeated request) changes nothing
        record.points_status, record.points_reason = status.value, reason
        record.updated_at = utcnow()
        await self.session.flush()

    async def _get(self, principal: Principal, record_id: uuid.UUID) -> MaintenanceRecord:
        record = await self.repo.get(record_id, areas=principal.areas, for_update=True)
        if record is None:
            raise NotFound("Maintenance record not found")
        return record


@registry.on(PointsRepairRedeemed)
async def on_redeemed(session: AsyncSession, event: PointsRepairRedeemed,
                      _env: EventEnvelope) -> None:
    await RepairPointsService(session).answered(event.record_id, Status.REDEEMED,
                                                points=event.points)


@registry.on(PointsRepairRefused)
async def on_refused(session: AsyncSession, event: PointsRepairRefused,
                     _env: EventEnvelope) -> None:
    await RepairPointsService(session).answered(event.record_id, Status.REFUSED,
                                                points=event.points, reason=event.reason)


@registry.on(PointsRepairReleased)
async def on_released(session: AsyncSession, event: PointsRepairReleased,
                      _env: EventEnvelope) -> None:
    await RepairPointsService(session).answered(event.record_id, Status.RELEASED,
                                                points=event.points)
