import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response
from servicekit.db import Session
from servicekit.pagination import set_total
from servicekit.timeutil import BUSINESS_TZ

from ..auth.guards import require_staff
from ..errors import responses
from .repository import SecurityRepository
from .schemas import AuditEventOut

router = APIRouter(prefix="/api/console/audit", tags=["console: audit"])
SettingsQuery = require_staff("settings:query")


@router.get("", response_model=list[AuditEventOut], responses=responses(401, 403, 422))
async def audit_log(
    _staff: SettingsQuery, session: Session, response: Response,
    type: Annotated[str | None, Query(max_length=40, description=(  # noqa: A002
        "login_succeeded, login_failed, login_refused_locked, account_locked, logout, "
        "logout_everywhere, "
        "password_changed, password_reset_by_staff, password_reset_by_admin, "
        "password_reset_requested, password_reset_completed, query_password_set, "
        "sensitive_unlocked, user_created, user_updated, user_activated, "
        "user_deactivated, permissions_changed, role_created, role_updated, "
        "dead_letter_replayed, dead_letter_discarded, outbox_event_replayed"))] = None,
    user: Annotated[str | None, Query(max_length=128,
                                      description="Username as actor or target")] = None,
    since: Annotated[datetime | None, Query(
        alias="from", description="From this time on (without a zone: Asia/Shanghai)")] = None,
    until: Annotated[datetime | None, Query(alias="to", description="Before this time")] = None,
    target_id: uuid.UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[AuditEventOut]:
    """Security events, newest first: logins and failures, lockouts, password changes and
    resets, user creation and deactivation, permission, role and area changes, replays
    and discards of dead letters — who, when, target, before and after
    (`settings:query`)."""
    # A time without zone is business time (Asia/Shanghai).
    since, until = (v.replace(tzinfo=BUSINESS_TZ) if v is not None and v.tzinfo is None else v
                    for v in (since, until))
    rows, total = await SecurityRepository(session).audit(
        type_=type, user=user.strip() if user else None, since=since, until=until,
        target_id=target_id, limit=limit, offset=offset)
    set_total(response, total)
    return [AuditEventOut(id=r.id, occurred_at=r.occurred_at, type=r.type, actor_id=r.actor_id,
                          actor=r.actor_username, target_id=r.target_id, target=r.target_name,
                          address=r.address, before=r.before, after=r.after) for r in rows]
