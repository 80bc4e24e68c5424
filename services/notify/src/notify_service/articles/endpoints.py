"""The bulletin board and technical guidance over HTTP (N-4): staff write in the console,
customers read on the portal."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response
from servicekit.auth import CustomerPrincipal, require_permission
from servicekit.db import Session
from servicekit.errors import error_responses
from servicekit.pagination import set_total

from . import views
from .schemas import ArticleIn, ArticleOut, ArticleUpdate, BoardArticleOut, Kind
from .service import ArticleService

console = APIRouter(prefix="/api/console/articles", tags=["console: articles"])
portal = APIRouter(prefix="/api/portal/articles", tags=["portal: articles"])

# Articles are messages to the customers (X-1: entry, query and modification apart).
MessagesEntry = require_permission("messages:entry")
MessagesQuery = require_permission("messages:query")
MessagesModify = require_permission("messages:modify")

Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


@console.post("", status_code=201, response_model=ArticleOut,
              responses=error_responses(401, 403, 422))
async def create_article(body: ArticleIn, session: Session,
                         staff: MessagesEntry) -> ArticleOut:
    """Write a bulletin or a technical guidance article (N-4). Published at once unless
    `published` is false (a draft); `pinned` puts it before the others on the portal.

    Needs `messages:entry` and no area limit: an article is shown to every customer,
    whatever its area, and staff bound to areas act for their own customers only (C-7),
    so they get 403 (they may still read articles here)."""
    return views.article(await ArticleService(session).create(staff, body))


@console.get("", response_model=list[ArticleOut], responses=error_responses(401, 403, 422))
async def list_articles(session: Session, _staff: MessagesQuery, response: Response,
                        kind: Kind | None = None, published: bool | None = None,
                        limit: Limit = 50, offset: Offset = 0) -> list[ArticleOut]:
    """Every article, drafts too, newest written first; filter by `kind` and `published`.
    X-Total-Count holds the count of all matching. Staff bound to areas may read them."""
    items, total = await ArticleService(session).list(
        kind=kind, published=published, limit=limit, offset=offset)
    set_total(response, total)
    return [views.article(a) for a in items]


@console.get("/{article_id}", response_model=ArticleOut,
             responses=error_responses(401, 403, 404, 422))
async def get_article(article_id: uuid.UUID, session: Session,
                      _staff: MessagesQuery) -> ArticleOut:
    """One article, published or not."""
    return views.article(await ArticleService(session).get(article_id))


@console.put("/{article_id}", response_model=ArticleOut,
             responses=error_responses(401, 403, 404, 422))
async def update_article(article_id: uuid.UUID, body: ArticleUpdate, session: Session,
                         staff: MessagesModify) -> ArticleOut:
    """Change an article: only the fields given (absent or null ones stay as they are).
    `published: false` unpublishes it (customers no longer see it), `true` publishes it
    again; `published_at` keeps the first publication.

    Needs `messages:modify` and no area limit (as for writing one; staff bound to areas
    get 403)."""
    return views.article(await ArticleService(session).update(staff, article_id, body))


@portal.get("", response_model=list[BoardArticleOut],
            responses=error_responses(401, 403, 422))
async def board(session: Session, _customer: CustomerPrincipal, response: Response,
                kind: Kind | None = None, limit: Limit = 50,
                offset: Offset = 0) -> list[BoardArticleOut]:
    """The bulletin board (`kind=bulletin`) and technical guidance (`kind=guidance`), for
    every customer user, approved or still waiting for review: published articles only,
    pinned first, then the newest published first. X-Total-Count holds the count of all
    matching. `body_html` is safe to show as it is."""
    items, total = await ArticleService(session).board(kind=kind, limit=limit,
                                                       offset=offset)
    set_total(response, total)
    return [views.board_article(a) for a in items]


@portal.get("/{article_id}", response_model=BoardArticleOut,
            responses=error_responses(401, 403, 404, 422))
async def read_article(article_id: uuid.UUID, session: Session,
                       _customer: CustomerPrincipal) -> BoardArticleOut:
    """One published article; a draft or an unpublished one is a 404."""
    return views.board_article(await ArticleService(session).read(article_id))
