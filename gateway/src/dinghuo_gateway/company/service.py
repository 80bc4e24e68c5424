"""A customer company's users: its administrator (who registered the company) lists,
creates, deactivates and resets the passwords of the company's buyers."""

from __future__ import annotations

import uuid

from servicekit.errors import Conflict, NotFound
from sqlalchemy.ext.asyncio import AsyncSession

from ..auth.caller import Caller
from ..config import Settings
from ..models import User
from ..security.service import AuditLog
from ..users import domain, passwords
from ..users.repository import UserRepository
from ..users.service import UserService, hashed
from .schemas import CompanyUserIn, CompanyUserUpdate


def snapshot(user: User) -> dict:
    return {"active": user.active, "display_name": user.display_name}


class CompanyUserService:
    def __init__(self, session: AsyncSession, settings: Settings) -> None:
        self.session = session
        self.settings = settings
        self.users = UserRepository(session)
        self.audit = AuditLog(session)

    async def list(self, admin: Caller, *, active: bool | None, limit: int,
                   offset: int) -> tuple[list[User], int]:
        return await self.users.list(kind="customer", customer_id=admin.user.customer_id,
                                     active=active, limit=limit, offset=offset)

    async def create(self, admin: Caller, body: CompanyUserIn,
                     address: str | None) -> tuple[User, str]:
        name = domain.check_username(body.username)
        if await self.users.by_username(name) is not None:
            raise Conflict("This username is already taken; please choose another")
        temporary = passwords.temporary_password()
        user = User(id=uuid.uuid4(), username=name, kind="customer",
                    customer_id=admin.user.customer_id, company_role=domain.COMPANY_BUYER,
                    display_name=(body.display_name or "").strip() or None,
                    mobile=domain.check_mobile(body.mobile),
                    email=domain.check_email(body.email), permissions=[], areas=[],
                    password_hash=await hashed(temporary), must_change_password=True,
                    active=True)
        self.users.add(user)
        await self.users.flush()
        self.audit.record("user_created", actor_id=admin.id, actor=admin.username,
                          target_id=user.id, target=user.username, address=address,
                          after={"kind": "customer", "company_role": user.company_role,
                                 "customer_id": str(user.customer_id), **snapshot(user)})
        return user, temporary

    async def update(self, admin: Caller, user_id: uuid.UUID, body: CompanyUserUpdate,
                     address: str | None) -> User:
        user = await self._own(admin, user_id)
        before = snapshot(user)
        if body.active is not None and body.active != user.active:
            if user.id == admin.id:
                raise Conflict("You cannot deactivate yourself, the company's administrator")
            user.active = body.active
        if "display_name" in body.model_fields_set:
            user.display_name = (body.display_name or "").strip() or None
        after = snapshot(user)
        if after != before:
            kind = ("user_deactivated" if before["active"] and not after["active"] else
                    "user_activated" if not before["active"] and after["active"] else
                    "user_updated")
            self.audit.record(kind, actor_id=admin.id, actor=admin.username,
                              target_id=user.id, target=user.username, address=address,
                              before=before, after=after)
        return user

    async def reset_password(self, admin: Caller, user_id: uuid.UUID,
                             address: str | None) -> tuple[User, str]:
        user = await self._own(admin, user_id)
        if user.id == admin.id:
            raise Conflict("Change your own password with POST /api/auth/change-password")
        temporary = await UserService(self.session, self.settings).issue_password(
            user, admin, address)
        return user, temporary

    async def _own(self, admin: Caller, user_id: uuid.UUID) -> User:
        user = await self.users.get(user_id, for_update=True)
        # Another company's user is not found, as with every customer-owned row.
        if user is None or user.kind != "customer" or user.customer_id != admin.user.customer_id:
            raise NotFound("No such user in your company")
        return user
