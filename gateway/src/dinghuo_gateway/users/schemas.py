from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class LoginIn(BaseModel):
    username: str = Field(min_length=1, max_length=60)
    password: str = Field(min_length=1, max_length=128)


class UserOut(BaseModel):
    id: uuid.UUID
    username: str
    kind: Literal["customer", "staff"]
    customer_id: uuid.UUID | None
    company_role: Literal["admin", "buyer"] | None = Field(
        None, description="A customer user's role in its company: admin manages the "
                          "company's users, buyers order")
    display_name: str | None
    permissions: list[str] = Field(description="Effective staff permissions (own and by "
                                               "role), `<module>:<action>`")
    areas: list[str] = Field(description="Areas a staff user is limited to; empty = all")
    role_ids: list[uuid.UUID] = []
    must_change_password: bool = Field(
        description="An issued password: every portal/console route answers 403 "
                    "PasswordChangeRequired until it is changed")
    has_query_password: bool = False
    sensitive_until: datetime | None = Field(
        None, description="While set, this session's query password unlocks sensitive "
                          "reports")


class TokenOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int
    user: UserOut


class RegisterIn(BaseModel):
    """A company registers itself (C-2); the company fields are checked by the customer
    service. The registering user becomes the company's administrator."""

    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=60)
    password: str = Field(min_length=1, max_length=128)
    company: dict[str, Any] = Field(
        description="name, contact_person, mobile, address, email, and optionally area, "
                    "telephone, fax, qq, tax_number, invoice_title, bank, bank_account")


class RegisterOut(BaseModel):
    customer_id: uuid.UUID
    customer_number: str | None = None
    status: str
    username: str


class ChangePasswordIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_password: str = Field(min_length=1, max_length=128)
    new_password: str = Field(min_length=1, max_length=128, description=(
        "At least 8 characters with letters and digits, not the username"))


class QueryPasswordIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_password: str = Field(min_length=1, max_length=128,
                                  description="Your login password")
    query_password: str = Field(min_length=1, max_length=128, description=(
        "The second secret that unlocks sensitive reports; same strength rules as a "
        "password and different from it"))


class UnlockIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query_password: str = Field(min_length=1, max_length=128)


class UnlockOut(BaseModel):
    sensitive_until: datetime


class ResetRequestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=120, description=(
        "The username, or the mobile number or e-mail address registered with the "
        "account: the code then goes to that number or address"))


class ResetRequestOut(BaseModel):
    detail: str


class ResetConfirmIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: str = Field(min_length=1, max_length=200)
    new_password: str = Field(min_length=1, max_length=128)


class Done(BaseModel):
    detail: str
