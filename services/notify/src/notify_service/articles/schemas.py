from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
)

from . import domain

Kind = Literal["bulletin", "guidance"]
Title = Annotated[str, StringConstraints(strip_whitespace=True, max_length=domain.TITLE_MAX),
                  AfterValidator(domain.clean_text)]
# The length is checked after trimming by clean_body (with a message naming the body);
# the schema still tells clients the limit.
Body = Annotated[str, AfterValidator(domain.clean_body),
                 WithJsonSchema({"type": "string", "minLength": 1,
                                 "maxLength": domain.BODY_MAX})]

KIND_DOC = "`bulletin` (the bulletin board) or `guidance` (technical guidance)"
BODY_DOC = ("Markdown, stored as written (1-20,000 characters after trimming): paragraphs, "
            "line breaks, **bold**, *italic*, `code`, # to ### headings, - and 1. lists, "
            "[links](https://…) to http, https and mailto only, ``` code blocks; raw HTML "
            "is shown as text and images are dropped")


class ArticleIn(BaseModel):
    """A new article for every customer (N-4)."""

    model_config = ConfigDict(extra="forbid")

    kind: Kind = Field(description=KIND_DOC)
    title: Title = Field(description="1-120 characters after trimming")
    body: Body = Field(description=BODY_DOC)
    published: bool = Field(True, description="Shown on the portal; false keeps a draft")
    pinned: bool = Field(False, description="Shown before the others on the portal")


class ArticleUpdate(BaseModel):
    """A change to an article: the fields given are changed; absent or null ones are left
    as they are. `published: false` takes it off the portal (unpublish)."""

    model_config = ConfigDict(extra="forbid")

    kind: Kind | None = Field(None, description=KIND_DOC)
    title: Title | None = Field(None, description="1-120 characters after trimming")
    body: Body | None = Field(None, description=BODY_DOC)
    published: bool | None = None
    pinned: bool | None = None


class ArticleOut(BaseModel):
    """An article as staff see it in the console."""

    id: uuid.UUID
    kind: str = Field(description=KIND_DOC)
    title: str
    body: str = Field(description="The Markdown as staff wrote it")
    body_html: str = Field(description="The body rendered to HTML on the server, safe to "
                                       "show as it is (raw HTML escaped, links http, https "
                                       "and mailto only, no images)")
    published: bool
    pinned: bool
    published_at: datetime | None = Field(description="When it was first published")
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str


class BoardArticleOut(BaseModel):
    """A published article as customers see it on the portal (N-4)."""

    id: uuid.UUID
    kind: str = Field(description=KIND_DOC)
    title: str
    body: str = Field(description="The Markdown as staff wrote it")
    body_html: str = Field(description="The body rendered to HTML on the server, safe to "
                                       "show as it is")
    pinned: bool
    published_at: datetime = Field(description="When it was first published")
    updated_at: datetime
