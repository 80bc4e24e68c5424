from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class CompanyUserIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=60)
    display_name: str | None = Field(None, max_length=100)
    mobile: str | None = Field(None, max_length=20, description="For password-reset codes")
    email: str | None = Field(None, max_length=120)


class CompanyUserUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    active: bool | None = None
    display_name: str | None = Field(None, max_length=100)


class CompanyUserOut(BaseModel):
    id: uuid.UUID
    username: str
    display_name: str | None
    company_role: Literal["admin", "buyer"]
    active: bool
    must_change_password: bool
    mobile: str | None
    email: str | None
    created_at: datetime
    last_login_at: datetime | None


class IssuedCompanyUser(BaseModel):
    user: CompanyUserOut
    temporary_password: str = Field(description="Shown once; it must be changed at first "
                                                "login")
