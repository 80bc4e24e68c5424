from __future__ import annotations

import uuid
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
    display_name: str | None
    permissions: list[str]
    areas: list[str]
    must_change_password: bool


class TokenOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int
    user: UserOut


class RegisterIn(BaseModel):
    """A company registers itself (C-2); the company fields are checked by the customer
    service."""

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
