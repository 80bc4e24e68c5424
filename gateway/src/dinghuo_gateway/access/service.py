"""Staff users and roles (X-1, C-7): who holds which `<module>:<action>` permissions and
areas. Nobody grants more than they hold, nor manages a stronger account."""

from __future__ import annotations

import uuid
from typing import Any

from servicekit.errors import Conflict, NotFound, Unprocessable
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ..auth.caller import Caller
from ..config import Settings
from ..models import Role, User
from ..security.service import AuditLog
from ..users import domain as users_domain
from ..users import passwords
from ..users.repository import RoleRepository, UserRepository
from ..users.service import UserService, hashed
from . import domain
from .schemas import RoleIn, RoleUpdate, StaffIn, StaffUpdate


class UnknownRole(Unprocessable):
    pass


def staff_snapshot(user: User, role_ids: list[uuid.UUID]) -> dict[str, Any]:
    return {"permissions": sorted(user.permissions or []),
            "role_ids": sorted(str(r) for r in role_ids),
            "areas": sorted(user.areas or []), "active": user.active,
            "display_name": user.display_name, "mobile": user.mobile, "email": user.email}


ACCESS_FIELDS = ("permissions", "role_ids", "areas")
PROFILE_FIELDS = ("display_name", "mobile", "email")


class StaffService:
    def __init__(self, session: AsyncSession, settings: Settings) -> None:
        self.session = session
        self.settings = settings
        self.users = UserRepository(session)
        self.roles = RoleRepository(session)
        self.audit = AuditLog(session)

    async def list(self, *, active: bool | None, q: str | None, limit: int,
                   offset: int) -> tuple[list[User], int, dict[uuid.UUID, list[Role]]]:
        items, total = await self.users.list(kind="staff", active=active, q=q, limit=limit,
                                             offset=offset)
        return items, total, await self._roles_of_many(items)

    async def get(self, user_id: uuid.UUID) -> tuple[User, list[Role]]:
        user = await self._staff(user_id)
        return user, (await self._roles_of_many([user]))[user.id]

    async def create(self, actor: Caller, body: StaffIn,
                     address: str | None) -> tuple[User, list[Role], str]:
        name = users_domain.check_username(body.username)
        perms = domain.check_permissions(body.permissions)
        areas = domain.check_areas(body.areas)
        roles = await self._roles(body.role_ids)
        domain.check_can_grant(actor.permissions, actor.areas,
                               domain.effective(perms, (r.permissions for r in roles)), areas)
        if await self.users.by_username(name) is not None:
            raise Conflict("This username is already taken; please choose another")
        temporary = passwords.temporary_password()
        user = User(id=uuid.uuid4(), username=name, kind="staff", customer_id=None,
                    display_name=(body.display_name or "").strip() or None,
                    mobile=users_domain.check_mobile(body.mobile),
                    email=users_domain.check_email(body.email), permissions=perms,
                    areas=areas, password_hash=await hashed(temporary),
                    must_change_password=True, active=True)
        self.users.add(user)
        try:
            await self.users.flush()
        except IntegrityError as exc:
            raise Conflict("This username is already taken; please choose another") from exc
        await self.users.set_roles(user.id, [r.id for r in roles])
        self.audit.record("user_created", actor_id=actor.id, actor=actor.username,
                          target_id=user.id, target=user.username, address=address,
                          after={"kind": "staff", **staff_snapshot(user, [r.id for r in roles])})
        return user, roles, temporary

    async def update(self, actor: Caller, user_id: uuid.UUID, body: StaffUpdate,
                     address: str | None) -> tuple[User, list[Role]]:
        await self.users.lock_access_changes()
        user = await self._staff(user_id, for_update=True)
        old_roles = (await self._roles_of_many([user]))[user.id]
        old_effective = domain.effective(user.permissions or (),
                                         (r.permissions for r in old_roles))
        domain.check_can_manage(actor.permissions, actor.areas, old_effective, user.areas or ())
        before = staff_snapshot(user, [r.id for r in old_roles])
        # null leaves a list or the active flag as it is; it clears a contact field.
        given = {f for f in body.model_fields_set
                 if getattr(body, f) is not None or f in PROFILE_FIELDS}

        perms = (domain.check_permissions(body.permissions or [])
                 if "permissions" in given else list(user.permissions or []))
        roles = await self._roles(body.role_ids or []) if "role_ids" in given else old_roles
        areas = (domain.check_areas(body.areas or [])
                 if "areas" in given else list(user.areas or []))
        new_effective = domain.effective(perms, (r.permissions for r in roles))
        domain.check_can_grant(actor.permissions, actor.areas, new_effective,
                               areas if "areas" in given else None)
        if "active" in given and body.active is not None and body.active != user.active:
            if user.id == actor.id:
                raise Conflict("You cannot deactivate yourself")
            user.active = body.active
        if user.id == actor.id and (
                sorted(perms) != sorted(user.permissions or [])
                or sorted(areas) != sorted(user.areas or [])
                or ("role_ids" in given
                    and {r.id for r in roles} != {r.id for r in old_roles})):
            raise Conflict("You cannot change your own permissions, roles or areas; "
                           "another administrator has to")
        user.permissions = perms
        user.areas = areas
        if "role_ids" in given:
            await self.users.set_roles(user.id, [r.id for r in roles])
        if "display_name" in given:
            user.display_name = (body.display_name or "").strip() or None
        if "mobile" in given:
            user.mobile = users_domain.check_mobile(body.mobile)
        if "email" in given:
            user.email = users_domain.check_email(body.email)
        after = staff_snapshot(user, [r.id for r in roles])
        if any(before[f] != after[f] for f in (*ACCESS_FIELDS, "active")):
            await self.users.flush()
            domain.check_full_rights_remain(await self.users.active_staff_access())
        self._audit_changes(actor, user, before, after, address)
        return user, roles

    async def reset_password(self, actor: Caller, user_id: uuid.UUID,
                             address: str | None) -> tuple[User, list[Role], str]:
        user = await self._staff(user_id, for_update=True)
        roles = (await self._roles_of_many([user]))[user.id]
        if user.id == actor.id:
            raise Conflict("Change your own password with POST /api/auth/change-password")
        domain.check_can_manage(
            actor.permissions, actor.areas,
            domain.effective(user.permissions or (), (r.permissions for r in roles)),
            user.areas or ())
        temporary = await UserService(self.session, self.settings).issue_password(
            user, actor, address)
        return user, roles, temporary

    def _audit_changes(self, actor: Caller, user: User, before: dict[str, Any],
                       after: dict[str, Any], address: str | None) -> None:
        def record(kind: str, fields: tuple[str, ...]) -> None:
            b = {f: before[f] for f in fields if before[f] != after[f]}
            if b:
                self.audit.record(kind, actor_id=actor.id, actor=actor.username,
                                  target_id=user.id, target=user.username, address=address,
                                  before=b, after={f: after[f] for f in b})

        if before["active"] != after["active"]:
            record("user_deactivated" if not after["active"] else "user_activated",
                   ("active",))
        record("permissions_changed", ACCESS_FIELDS)
        record("user_updated", PROFILE_FIELDS)

    async def _staff(self, user_id: uuid.UUID, *, for_update: bool = False) -> User:
        user = await self.users.get(user_id, for_update=for_update)
        if user is None or user.kind != "staff":
            raise NotFound("No such staff user")
        return user

    async def _roles(self, role_ids: list[uuid.UUID]) -> list[Role]:
        wanted = list(dict.fromkeys(role_ids))
        roles = await self.roles.many(wanted)
        unknown = set(wanted) - {r.id for r in roles}
        if unknown:
            raise UnknownRole(f"role_ids: no such role: {', '.join(sorted(map(str, unknown)))}")
        return sorted(roles, key=lambda r: r.name)

    async def _roles_of_many(self, users: list[User]) -> dict[uuid.UUID, list[Role]]:
        ids = await self.users.role_ids_of_many([u.id for u in users])
        roles = {r.id: r for r in await self.roles.many(
            list({r for rs in ids.values() for r in rs}))}
        return {u: sorted((roles[r] for r in rs), key=lambda r: r.name)
                for u, rs in ids.items()}


class RoleService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.roles = RoleRepository(session)
        self.audit = AuditLog(session)

    async def list(self, *, limit: int, offset: int) -> tuple[list[Role], int]:
        return await self.roles.list(limit=limit, offset=offset)

    async def create(self, actor: Caller, body: RoleIn, address: str | None) -> Role:
        name = body.name.strip()
        if not name:
            raise Unprocessable("name must not be blank")
        perms = domain.check_permissions(body.permissions)
        domain.check_can_grant(actor.permissions, actor.areas, perms)
        if await self.roles.by_name(name) is not None:
            raise Conflict(f"A role named {name!r} exists already")
        role = Role(id=uuid.uuid4(), name=name,
                    description=(body.description or "").strip() or None, permissions=perms)
        self.roles.add(role)
        try:
            await self.roles.flush()
        except IntegrityError as exc:
            raise Conflict(f"A role named {name!r} exists already") from exc
        self.audit.record("role_created", actor_id=actor.id, actor=actor.username,
                          target_id=role.id, target=f"role:{role.name}", address=address,
                          after={"name": role.name, "permissions": perms})
        return role

    async def update(self, actor: Caller, role_id: uuid.UUID, body: RoleUpdate,
                     address: str | None) -> Role:
        await UserRepository(self.session).lock_access_changes()
        role = await self.roles.get(role_id, for_update=True)
        if role is None:
            raise NotFound("No such role")
        before = {"name": role.name, "description": role.description,
                  "permissions": list(role.permissions or [])}
        given = {f for f in body.model_fields_set
                 if getattr(body, f) is not None or f == "description"}
        if "name" in given and body.name is not None:
            name = body.name.strip()
            if not name:
                raise Unprocessable("name must not be blank")
            other = await self.roles.by_name(name)
            if other is not None and other.id != role.id:
                raise Conflict(f"A role named {name!r} exists already")
            role.name = name
        if "description" in given:
            role.description = (body.description or "").strip() or None
        if "permissions" in given:
            perms = domain.check_permissions(body.permissions or [])
            # Adding to a role raises everyone holding it: only what the actor holds.
            domain.check_can_grant(actor.permissions, actor.areas,
                                   set(perms) - set(role.permissions or []))
            role.permissions = perms
        after = {"name": role.name, "description": role.description,
                 "permissions": list(role.permissions or [])}
        if after != before:
            await self.roles.flush()
            if after["permissions"] != before["permissions"]:
                domain.check_full_rights_remain(
                    await UserRepository(self.session).active_staff_access())
            self.audit.record("role_updated", actor_id=actor.id, actor=actor.username,
                              target_id=role.id, target=f"role:{role.name}", address=address,
                              before=before, after=after)
        return role
