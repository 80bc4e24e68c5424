from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

PermissionList = list[str]


class RoleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=60)
    description: str | None = Field(None, max_length=200)
    permissions: list[str] = Field(default_factory=list, max_length=100, description=(
        "`<module>:<action>`; modules customers, orders, payments, invoices, points, "
        "service_desk, messages, reports, settings, ops; actions entry, query, modify, "
        "review"))


class RoleUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=60)
    description: str | None = Field(None, max_length=200)
    permissions: list[str] | None = Field(None, max_length=100)


class RoleOut(BaseModel):
    id: uuid.UUID
    name: str
    description: str | None
    permissions: list[str]
    created_at: datetime
    updated_at: datetime


class StaffIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=60)
    display_name: str | None = Field(None, max_length=100)
    mobile: str | None = Field(None, max_length=20, description="For password-reset codes")
    email: str | None = Field(None, max_length=120)
    permissions: list[str] = Field(default_factory=list, max_length=100,
                                   description="Permissions beyond those of the roles")
    role_ids: list[uuid.UUID] = Field(default_factory=list, max_length=50)
    areas: list[str] = Field(default_factory=list, max_length=100,
                             description="Areas the user is limited to; empty = all (C-7)")


class StaffUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    display_name: str | None = Field(None, max_length=100)
    mobile: str | None = Field(None, max_length=20)
    email: str | None = Field(None, max_length=120)
    permissions: list[str] | None = Field(None, max_length=100)
    role_ids: list[uuid.UUID] | None = Field(None, max_length=50)
    areas: list[str] | None = Field(None, max_length=100)
    active: bool | None = None


class StaffOut(BaseModel):
    id: uuid.UUID
    username: str
    display_name: str | None
    mobile: str | None
    email: str | None
    permissions: list[str] = Field(description="The user's own permissions")
    role_ids: list[uuid.UUID]
    effective_permissions: list[str] = Field(description="Own and by role")
    areas: list[str]
    active: bool
    must_change_password: bool
    has_query_password: bool
    created_at: datetime
    last_login_at: datetime | None


class IssuedStaff(BaseModel):
    user: StaffOut
    temporary_password: str = Field(description="Shown once; it must be changed at first "
                                                "login")


class PermissionCatalog(BaseModel):
    modules: list[str]
    actions: list[str]
    permissions: list[str]
