import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from servicekit.db import Session
from servicekit.pagination import set_total

from ..auth.guards import CompanyAdmin
from ..errors import responses
from ..models import User
from ..security.clients import client_address
from .schemas import CompanyUserIn, CompanyUserOut, CompanyUserUpdate, IssuedCompanyUser
from .service import CompanyUserService

router = APIRouter(prefix="/api/portal/users", tags=["portal: company users"])
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


def out(user: User) -> CompanyUserOut:
    return CompanyUserOut(
        id=user.id, username=user.username, display_name=user.display_name,
        company_role=user.company_role,  # type: ignore[arg-type]
        active=user.active, must_change_password=user.must_change_password,
        mobile=user.mobile, email=user.email, created_at=user.created_at,
        last_login_at=user.last_login_at)


def _address(request: Request) -> str:
    return client_address(request, request.app.state.settings)


@router.get("", response_model=list[CompanyUserOut], responses=responses(401, 403))
async def list_users(admin: CompanyAdmin, session: Session, request: Request,
                     response: Response, active: bool | None = None, limit: Limit = 50,
                     offset: Offset = 0) -> list[CompanyUserOut]:
    """Your company's users (company administrator only)."""
    items, total = await CompanyUserService(session, request.app.state.settings).list(
        admin, active=active, limit=limit, offset=offset)
    set_total(response, total)
    return [out(u) for u in items]


@router.post("", status_code=201, response_model=IssuedCompanyUser,
             responses=responses(401, 403, 409, 422))
async def create_user(body: CompanyUserIn, admin: CompanyAdmin, session: Session,
                      request: Request) -> IssuedCompanyUser:
    """Add a buyer to your company. Its temporary password is shown once here and must be
    changed at first login (C-8)."""
    user, temporary = await CompanyUserService(session, request.app.state.settings).create(
        admin, body, _address(request))
    return IssuedCompanyUser(user=out(user), temporary_password=temporary)


@router.put("/{user_id}", response_model=CompanyUserOut,
            responses=responses(401, 403, 404, 409, 422))
async def update_user(user_id: uuid.UUID, body: CompanyUserUpdate, admin: CompanyAdmin,
                      session: Session, request: Request) -> CompanyUserOut:
    """Deactivate or reactivate one of your company's users, or change its display name."""
    return out(await CompanyUserService(session, request.app.state.settings).update(
        admin, user_id, body, _address(request)))


@router.post("/{user_id}/reset-password", response_model=IssuedCompanyUser,
             responses=responses(401, 403, 404, 409))
async def reset_password(user_id: uuid.UUID, admin: CompanyAdmin, session: Session,
                         request: Request) -> IssuedCompanyUser:
    """Issue a new temporary password for one of your company's users (shown once; must
    be changed at first login). Its sessions end."""
    user, temporary = await CompanyUserService(
        session, request.app.state.settings).reset_password(admin, user_id, _address(request))
    return IssuedCompanyUser(user=out(user), temporary_password=temporary)
