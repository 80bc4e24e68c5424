"""The guards of the gateway's own /api/auth, /api/portal and /api/console routes, and the
side check the proxy makes before forwarding (`check_side`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from servicekit.errors import Forbidden
from servicekit.permissions import covers

from ..users import domain
from .caller import Caller, authenticate

SIDES = {"portal": ("customer", "The customer portal is for customer users only"),
         "console": ("staff", "The staff console is for staff users only")}


def require_password_changed(caller: Caller) -> None:
    if caller.user.must_change_password:
        raise domain.PasswordChangeRequired(
            "Your password was issued by someone else: change it first "
            "(POST /api/auth/change-password)")


def check_side(caller: Caller, side: str) -> None:
    """/api/portal is for customer users, /api/console for staff users, and neither for a
    user who must first change an issued password."""
    kind, refusal = SIDES[side]
    if caller.user.kind != kind:
        raise Forbidden(refusal)
    require_password_changed(caller)


async def _caller(request: Request) -> Caller:
    return await authenticate(request, request.app.state.db.sessionmaker,
                              request.app.state.settings)


async def _portal_user(caller: Annotated[Caller, Depends(_caller)]) -> Caller:
    check_side(caller, "portal")
    return caller


async def _company_admin(caller: Annotated[Caller, Depends(_portal_user)]) -> Caller:
    if caller.user.company_role != domain.COMPANY_ADMIN:
        raise Forbidden("Only your company's administrator may manage its users")
    return caller


async def _staff_user(caller: Annotated[Caller, Depends(_caller)]) -> Caller:
    check_side(caller, "console")
    return caller


AnyCaller = Annotated[Caller, Depends(_caller)]
PortalCaller = Annotated[Caller, Depends(_portal_user)]
CompanyAdmin = Annotated[Caller, Depends(_company_admin)]
StaffCaller = Annotated[Caller, Depends(_staff_user)]


def require_staff(permission: str):
    """An Annotated dependency for a staff user holding `permission` (own or by role)."""

    async def _check(caller: Annotated[Caller, Depends(_staff_user)]) -> Caller:
        if not covers(caller.permissions, permission):
            raise Forbidden(f"Permission {permission} is required")
        return caller

    return Annotated[Caller, Depends(_check)]
