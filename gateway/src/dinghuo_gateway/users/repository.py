"""All SQL of users, their roles and password-reset tokens."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, func, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import PasswordResetToken, Role, User, UserRole


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_username(self, username: str) -> User | None:
        return (await self.session.scalars(
            select(User).where(User.username == username))).first()

    async def get(self, user_id: uuid.UUID, *, for_update: bool = False) -> User | None:
        stmt = select(User).where(User.id == user_id)
        if for_update:
            stmt = stmt.with_for_update()
        return (await self.session.scalars(stmt)).first()

    def add(self, user: User) -> None:
        self.session.add(user)

    async def flush(self) -> None:
        await self.session.flush()

    async def list(self, *, kind: str, customer_id: uuid.UUID | None = None,
                   active: bool | None = None, q: str | None = None, limit: int = 50,
                   offset: int = 0) -> tuple[list[User], int]:
        stmt = select(User).where(User.kind == kind)
        if customer_id is not None:
            stmt = stmt.where(User.customer_id == customer_id)
        if active is not None:
            stmt = stmt.where(User.active.is_(active))
        if q:
            escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            like = f"%{escaped}%"
            stmt = stmt.where(or_(User.username.ilike(like), User.display_name.ilike(like)))
        total = (await self.session.execute(
            select(func.count()).select_from(stmt.subquery()))).scalar_one()
        rows = (await self.session.scalars(
            stmt.order_by(User.created_at, User.username).limit(limit).offset(offset))).all()
        return list(rows), total

    async def active_by_contact(self, *, mobile: str | None = None, email: str | None = None,
                                limit: int = 5) -> list[User]:
        """Active users registered with this mobile number or e-mail address (the e-mail
        compared case-insensitively), the most recently created first."""
        stmt = select(User).where(User.active.is_(True))
        if mobile is not None:
            stmt = stmt.where(User.mobile == mobile)
        elif email is not None:
            stmt = stmt.where(func.lower(User.email) == email.lower())
        else:
            return []
        rows = await self.session.scalars(
            stmt.order_by(User.created_at.desc(), User.username).limit(limit))
        return list(rows.all())

    # ------------------------------------------------------------ roles of users
    async def roles_of(self, user_id: uuid.UUID) -> list[tuple[uuid.UUID, list[str]]]:
        rows = await self.session.execute(
            select(Role.id, Role.permissions).join(UserRole, UserRole.role_id == Role.id)
            .where(UserRole.user_id == user_id).order_by(Role.name))
        return [(r.id, list(r.permissions or [])) for r in rows]

    async def role_ids_of_many(self, user_ids: list[uuid.UUID]) -> dict[uuid.UUID,
                                                                       list[uuid.UUID]]:
        out: dict[uuid.UUID, list[uuid.UUID]] = {u: [] for u in user_ids}
        if not user_ids:
            return out
        rows = await self.session.execute(
            select(UserRole.user_id, UserRole.role_id).where(UserRole.user_id.in_(user_ids)))
        for r in rows:
            out[r.user_id].append(r.role_id)
        return out

    async def active_staff_access(self) -> dict[uuid.UUID, tuple[list[str], list[list[str]]]]:
        """Every active staff user's areas, own permissions and each role's permissions."""
        out: dict[uuid.UUID, tuple[list[str], list[list[str]]]] = {}
        for u in await self.session.execute(
                select(User.id, User.permissions, User.areas)
                .where(User.kind == "staff", User.active.is_(True))):
            out[u.id] = (list(u.areas or []), [list(u.permissions or [])])
        rows = await self.session.execute(
            select(UserRole.user_id, Role.permissions)
            .join(Role, Role.id == UserRole.role_id)
            .where(UserRole.user_id.in_(list(out))))
        for r in rows:
            out[r.user_id][1].append(list(r.permissions or []))
        return out

    async def lock_access_changes(self) -> None:
        """Serialise changes that could take away the last full rights (two
        administrators demoting each other at once must not both succeed)."""
        await self.session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext('gateway.full_rights'))"))

    async def set_roles(self, user_id: uuid.UUID, role_ids: list[uuid.UUID]) -> None:
        await self.session.execute(delete(UserRole).where(UserRole.user_id == user_id))
        for role_id in role_ids:
            self.session.add(UserRole(user_id=user_id, role_id=role_id))
        await self.session.flush()

    # ------------------------------------------------------------ reset tokens
    def add_reset_token(self, token: PasswordResetToken) -> None:
        self.session.add(token)

    async def reset_token(self, token_hash: str) -> PasswordResetToken | None:
        return (await self.session.scalars(
            select(PasswordResetToken).where(PasswordResetToken.token_hash == token_hash)
            .with_for_update())).first()

    async def retire_reset_tokens(self, user_id: uuid.UUID, at: datetime) -> None:
        """Earlier unused tokens stop working when a new one is issued or one is used."""
        await self.session.execute(
            update(PasswordResetToken).where(PasswordResetToken.user_id == user_id,
                                             PasswordResetToken.used_at.is_(None))
            .values(used_at=at))


class RoleRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, role_id: uuid.UUID, *, for_update: bool = False) -> Role | None:
        stmt = select(Role).where(Role.id == role_id)
        if for_update:
            stmt = stmt.with_for_update()
        return (await self.session.scalars(stmt)).first()

    async def by_name(self, name: str) -> Role | None:
        return (await self.session.scalars(select(Role).where(Role.name == name))).first()

    async def many(self, role_ids: list[uuid.UUID]) -> list[Role]:
        if not role_ids:
            return []
        return list((await self.session.scalars(
            select(Role).where(Role.id.in_(role_ids)))).all())

    async def list(self, *, limit: int, offset: int) -> tuple[list[Role], int]:
        total = (await self.session.execute(select(func.count()).select_from(Role))).scalar_one()
        rows = (await self.session.scalars(
            select(Role).order_by(Role.name).limit(limit).offset(offset))).all()
        return list(rows), total

    def add(self, role: Role) -> None:
        self.session.add(role)

    async def flush(self) -> None:
        await self.session.flush()
