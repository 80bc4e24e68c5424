"""Dead letters and given-up outbox rows for operators (B-7): list, replay, discard, each
replay and discard in the security audit log (X-3) in the same transaction as its change."""

from __future__ import annotations

import asyncio
import uuid

from servicekit.errors import (
    AppError,
    Conflict,
    Forbidden,
    NotFound,
    ServiceUnavailable,
    Unprocessable,
)
from servicekit.imports import DEV_ONLY, without_optional
from servicekit.messaging import Topology
from servicekit.messaging.outbox import failed_rows, replay_failed
from servicekit.ops import OutboxFailureOut, outbox_failure_out
from servicekit.timeutil import utcnow
from sqlalchemy.ext.asyncio import AsyncSession

from ..auth.caller import Caller
from ..config import Settings
from ..models import DeadLetter
from ..proxy.forwarder import Forwarder
from ..security.service import AuditLog
from . import domain
from .broker import Republisher
from .repository import DeadLetterRepository
from .schemas import DeadLetterQueueOut

with without_optional(*DEV_ONLY):  # not httpx's CLI (servicekit.imports)
    import httpx

NO_SUCH_DEAD_LETTER = "No such dead letter"


def consumers_of(settings: Settings) -> dict[str, str]:
    """Every consuming queue of this installation → its consumer's name."""
    return domain.consumers(Topology(settings.exchange, settings.queue_prefix),
                            settings.service_urls())


def _refusal(service: str, status: int, response: httpx.Response) -> AppError:
    """A service's refusal as ours: its sentence for 403/404/409, else unavailable (a
    401 from a service is not the caller's session ending)."""
    try:
        detail = str(response.json().get("detail") or "")[:500]
    except (ValueError, AttributeError):
        detail = ""
    kind = {403: Forbidden, 404: NotFound, 409: Conflict}.get(status)
    if kind is not None and detail:
        return kind(detail)
    return ServiceUnavailable(f"The {service} service did not answer properly; please try "
                              "again shortly")


def _reason(text: str | None) -> str | None:
    return (text or "").strip() or None


class DeadLetterService:
    def __init__(self, session: AsyncSession, settings: Settings,
                 republisher: Republisher | None = None) -> None:
        self.settings = settings
        self.repo = DeadLetterRepository(session)
        self.audit = AuditLog(session)
        self.republisher = republisher

    async def list(self, *, service: str | None, status: str | None, event_type: str | None,
                   limit: int, offset: int) -> tuple[list[DeadLetter], int]:
        return await self.repo.list(service=service, status=status, event_type=event_type,
                                    limit=limit, offset=offset)

    async def queues(self) -> list[DeadLetterQueueOut]:
        """Every consumer's queue with its open dead letters (zero included)."""
        known = consumers_of(self.settings)
        counts = await self.repo.open_counts()
        names = {**known, **{q: q for q in counts if q not in known}}
        return sorted((DeadLetterQueueOut(service=s, queue=q, open=counts.get(q, 0))
                       for q, s in names.items()), key=lambda x: (x.service, x.queue))

    async def get(self, dead_letter_id: uuid.UUID, *, for_update: bool = False) -> DeadLetter:
        row = await self.repo.get(dead_letter_id, for_update=for_update)
        if row is None:
            raise NotFound(NO_SUCH_DEAD_LETTER)
        return row

    async def replay(self, actor: Caller, dead_letter_id: uuid.UUID, reason: str | None,
                     address: str | None) -> DeadLetter:
        """Publish it back onto its queue (that queue only) and mark it replayed. The row
        is locked first, so of two operators (or two gateway replicas) one replays and
        the other gets 409. The consumer's inbox applies it once: a message that was
        applied after all (a copy dead-lettered after its commit) is skipped there."""
        row = await self.get(dead_letter_id, for_update=True)
        domain.check_open(row.status, row.resolved_by, row.resolved_at)
        if self.republisher is None:
            raise AppError("Replaying needs the broker connection", 503)
        await self.republisher.publish(row.queue, row.body, headers=row.headers,
                                       message_id=row.message_id, type_=row.message_type,
                                       content_type=row.content_type)
        self._resolve(row, domain.REPLAYED, actor, _reason(reason))
        await self.repo.flush()
        self._record("dead_letter_replayed", row, actor, address)
        return row

    async def discard(self, actor: Caller, dead_letter_id: uuid.UUID, reason: str,
                      address: str | None) -> DeadLetter:
        """Remove it for good, saying why; the row stays as the record."""
        text = _reason(reason)
        if text is None:
            raise Unprocessable("reason: say why the dead letter is discarded")
        row = await self.get(dead_letter_id, for_update=True)
        domain.check_open(row.status, row.resolved_by, row.resolved_at)
        self._resolve(row, domain.DISCARDED, actor, text)
        await self.repo.flush()
        self._record("dead_letter_discarded", row, actor, address)
        return row

    @staticmethod
    def _resolve(row: DeadLetter, status: str, actor: Caller, reason: str | None) -> None:
        row.status = status
        row.resolved_at = utcnow()
        row.resolved_by = actor.username
        row.resolved_by_id = actor.id
        row.resolution_reason = reason

    def _record(self, type_: str, row: DeadLetter, actor: Caller, address: str | None) -> None:
        self.audit.record(
            type_, actor_id=actor.id, actor=actor.username, target_id=row.event_id,
            target=f"{row.queue}:{row.event_type or row.message_key}"[:128], address=address,
            before={"status": domain.OPEN},
            after={"status": row.status, "reason": row.resolution_reason,
                   "dead_letter_id": str(row.id), "queue": row.queue,
                   "service": row.service, "event_type": row.event_type,
                   "event_id": str(row.event_id) if row.event_id else None,
                   "message_key": row.message_key, "death_reason": row.reason,
                   "death_count": row.death_count})


class OutboxFailureService:
    """The outbox rows every relay gave up on: each service answers for its own database
    (`servicekit.ops`, with the caller's token); the gateway's own outbox is read here."""

    def __init__(self, session: AsyncSession, settings: Settings, forwarder: Forwarder) -> None:
        self.session = session
        self.settings = settings
        self.forwarder = forwarder
        self.audit = AuditLog(session)

    def services(self) -> list[str]:
        return [domain.GATEWAY, *self.settings.service_urls()]

    async def list(self, caller: Caller, service: str | None
                   ) -> tuple[list[OutboxFailureOut], list[str]]:
        """Every service's given-up rows, newest first, and the services that did not
        answer (their rows are unknown, not absent)."""
        names = [service] if service else self.services()
        if service and service not in self.services():
            raise NotFound(f"No such service: {service}")
        items: list[OutboxFailureOut] = []
        unavailable: list[str] = []

        async def remote(name: str) -> list[OutboxFailureOut] | None:
            try:
                r = await self.forwarder.call(name, "GET", "/internal/ops/outbox-failures",
                                              caller.principal())
            except AppError:
                return None
            if r.status_code != 200:
                return None
            return [OutboxFailureOut.model_validate(x) for x in r.json()]

        if domain.GATEWAY in names:
            rows = await failed_rows(self.session, self.settings.outbox_max_attempts)
            items += [outbox_failure_out(domain.GATEWAY, r, full=True) for r in rows]
        others = [n for n in names if n != domain.GATEWAY]
        for name, got in zip(others, await asyncio.gather(*(remote(n) for n in others)),
                             strict=True):
            if got is None:
                unavailable.append(name)
            else:
                items += got
        items.sort(key=lambda x: (x.given_up_at, str(x.event_id)), reverse=True)
        return items, unavailable

    async def replay(self, caller: Caller, service: str, event_id: uuid.UUID,
                     reason: str | None, address: str | None) -> OutboxFailureOut:
        """Hand the row back to its relay (attempts from zero); 404 when it is not
        waiting any more (handed back by someone else, or sent)."""
        if service not in self.services():
            raise NotFound(f"No such service: {service}")
        if service == domain.GATEWAY:
            row = await replay_failed(self.session, event_id, self.settings.outbox_max_attempts)
            if row is None:
                raise NotFound("This unsent event is no longer waiting for an operator: it "
                               "was handed back to the relay or sent meanwhile; reload the "
                               "list")
            out = outbox_failure_out(domain.GATEWAY, row, full=True)
        else:
            r = await self.forwarder.call(
                service, "POST", f"/internal/ops/outbox-failures/{event_id}/replay",
                caller.principal())
            if r.status_code != 200:
                raise _refusal(service, r.status_code, r)
            out = OutboxFailureOut.model_validate(r.json())
        self.audit.record(
            "outbox_event_replayed", actor_id=caller.id, actor=caller.username,
            target_id=out.event_id, target=f"{service}:{out.event_type}"[:128],
            address=address, before={"attempts": out.attempts, "last_error": out.last_error},
            after={"service": service, "event_type": out.event_type,
                   "event_id": str(out.event_id), "reason": _reason(reason)})
        return out
