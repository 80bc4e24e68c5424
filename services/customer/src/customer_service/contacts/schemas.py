from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from ..customers import domain

DEFAULT_AREA = "default"

Text50 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=50),
                   AfterValidator(domain.non_blank)]
Text100 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100),
                    AfterValidator(domain.non_blank)]
Phone = Annotated[str, StringConstraints(max_length=40), AfterValidator(domain.non_blank),
                  AfterValidator(domain.normalize_phone)]
QQ = Annotated[Annotated[str, StringConstraints(max_length=20)] | None,
               AfterValidator(domain.normalize_qq)]


class ContactIn(BaseModel):
    """A contact person of the supplier for the customers of an area (N-4)."""

    model_config = ConfigDict(extra="forbid")

    area: Text100 = Field(default=DEFAULT_AREA,
                          description="The customers' area, or `default` for every area "
                                      "without contacts of its own")
    name: Text100
    phone: Phone = Field(description="Telephone or mobile number")
    qq: QQ = Field(default=None, description="QQ number (5-12 digits) for click-to-chat")
    role: Text50 = Field(default="consumables",
                         description="What to contact them for, e.g. consumables, service")


class ContactOut(BaseModel):
    id: uuid.UUID
    area: str
    name: str
    phone: str
    qq: str | None
    role: str
    updated_by: str
    updated_at: datetime


class PortalContact(BaseModel):
    name: str
    phone: str
    qq: str | None
    role: str
