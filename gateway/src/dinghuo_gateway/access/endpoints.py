import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from servicekit.db import Session
from servicekit.pagination import set_total

from ..auth.guards import require_staff
from ..errors import responses
from ..models import Role, User
from ..security.clients import client_address
from . import domain
from .schemas import (
    IssuedStaff,
    PermissionCatalog,
    RoleIn,
    RoleOut,
    RoleUpdate,
    StaffIn,
    StaffOut,
    StaffUpdate,
)
from .service import RoleService, StaffService

staff_router = APIRouter(prefix="/api/console/staff", tags=["console: staff and roles"])
roles_router = APIRouter(prefix="/api/console/roles", tags=["console: staff and roles"])
catalog_router = APIRouter(prefix="/api/console/permissions",
                           tags=["console: staff and roles"])

SettingsQuery = require_staff("settings:query")
SettingsEntry = require_staff("settings:entry")
SettingsModify = require_staff("settings:modify")
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


def staff_out(user: User, roles: list[Role]) -> StaffOut:
    return StaffOut(
        id=user.id, username=user.username, display_name=user.display_name,
        mobile=user.mobile, email=user.email, permissions=sorted(user.permissions or []),
        role_ids=[r.id for r in roles],
        effective_permissions=sorted(domain.effective(user.permissions or (),
                                                      (r.permissions for r in roles))),
        areas=sorted(user.areas or []), active=user.active,
        must_change_password=user.must_change_password,
        has_query_password=user.query_password_hash is not None,
        created_at=user.created_at, last_login_at=user.last_login_at)


def role_out(role: Role) -> RoleOut:
    return RoleOut(id=role.id, name=role.name, description=role.description,
                   permissions=sorted(role.permissions or []), created_at=role.created_at,
                   updated_at=role.updated_at)


def _address(request: Request) -> str:
    return client_address(request, request.app.state.settings)


@staff_router.get("", response_model=list[StaffOut], responses=responses(401, 403))
async def list_staff(_staff: SettingsQuery, session: Session, request: Request,
                     response: Response, active: bool | None = None,
                     q: Annotated[str | None, Query(max_length=60)] = None,
                     limit: Limit = 50, offset: Offset = 0) -> list[StaffOut]:
    """Staff users with their permissions, roles and areas (`settings:query`)."""
    items, total, roles = await StaffService(session, request.app.state.settings).list(
        active=active, q=q, limit=limit, offset=offset)
    set_total(response, total)
    return [staff_out(u, roles[u.id]) for u in items]


@staff_router.post("", status_code=201, response_model=IssuedStaff,
                   responses=responses(401, 403, 409, 422))
async def create_staff(body: StaffIn, actor: SettingsEntry, session: Session,
                       request: Request) -> IssuedStaff:
    """Create a staff user with permissions, roles and areas (`settings:entry`; you can
    grant only what you hold). Its temporary password is shown once here and must be
    changed at first login (C-8)."""
    user, roles, temporary = await StaffService(session, request.app.state.settings).create(
        actor, body, _address(request))
    return IssuedStaff(user=staff_out(user, roles), temporary_password=temporary)


@staff_router.get("/{user_id}", response_model=StaffOut, responses=responses(401, 403, 404))
async def get_staff(user_id: uuid.UUID, _staff: SettingsQuery, session: Session,
                    request: Request) -> StaffOut:
    """One staff user (`settings:query`)."""
    user, roles = await StaffService(session, request.app.state.settings).get(user_id)
    return staff_out(user, roles)


@staff_router.put("/{user_id}", response_model=StaffOut,
                  responses=responses(401, 403, 404, 409, 422))
async def update_staff(user_id: uuid.UUID, body: StaffUpdate, actor: SettingsModify,
                       session: Session, request: Request) -> StaffOut:
    """Change a staff user's permissions, roles, areas, contact details or active flag
    (`settings:modify`; only users no stronger than you, granting only what you hold).
    Every change is in the audit log."""
    user, roles = await StaffService(session, request.app.state.settings).update(
        actor, user_id, body, _address(request))
    return staff_out(user, roles)


@staff_router.post("/{user_id}/reset-password", response_model=IssuedStaff,
                   responses=responses(401, 403, 404, 409))
async def reset_staff_password(user_id: uuid.UUID, actor: SettingsModify, session: Session,
                               request: Request) -> IssuedStaff:
    """Issue a new temporary password (shown once; must be changed at first login); the
    user's sessions end (`settings:modify`)."""
    user, roles, temporary = await StaffService(
        session, request.app.state.settings).reset_password(actor, user_id, _address(request))
    return IssuedStaff(user=staff_out(user, roles), temporary_password=temporary)


@roles_router.get("", response_model=list[RoleOut], responses=responses(401, 403))
async def list_roles(_staff: SettingsQuery, session: Session, response: Response,
                     limit: Limit = 50, offset: Offset = 0) -> list[RoleOut]:
    """Roles: named sets of permissions (`settings:query`)."""
    items, total = await RoleService(session).list(limit=limit, offset=offset)
    set_total(response, total)
    return [role_out(r) for r in items]


@roles_router.post("", status_code=201, response_model=RoleOut,
                   responses=responses(401, 403, 409, 422))
async def create_role(body: RoleIn, actor: SettingsEntry, session: Session,
                      request: Request) -> RoleOut:
    """Create a role (`settings:entry`; only with permissions you hold)."""
    return role_out(await RoleService(session).create(actor, body, _address(request)))


@roles_router.put("/{role_id}", response_model=RoleOut,
                  responses=responses(401, 403, 404, 409, 422))
async def update_role(role_id: uuid.UUID, body: RoleUpdate, actor: SettingsModify,
                      session: Session, request: Request) -> RoleOut:
    """Rename a role or change its permissions (`settings:modify`); every staff user
    holding it is affected at their next request."""
    return role_out(await RoleService(session).update(actor, role_id, body, _address(request)))


@catalog_router.get("", response_model=PermissionCatalog, responses=responses(401, 403))
async def permission_catalog(_staff: SettingsQuery) -> PermissionCatalog:
    """Every permission that can be granted (`settings:query`)."""
    return PermissionCatalog(
        modules=list(domain.MODULES), actions=list(domain.ACTIONS),
        permissions=[f"{m}:{a}" for m in domain.MODULES for a in domain.ACTIONS])
