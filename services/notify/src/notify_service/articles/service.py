"""Article use cases (N-4): staff write the bulletin board and technical guidance, every
customer reads what is published. Nothing here commits."""

from __future__ import annotations

import uuid

from servicekit.auth import Principal
from servicekit.errors import NotFound
from servicekit.timeutil import utcnow
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import Article
from . import domain
from .repository import ArticleRepository
from .schemas import ArticleIn, ArticleUpdate

FIELDS = ("kind", "title", "body", "published", "pinned")


class ArticleService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.articles = ArticleRepository(session)

    # --- staff -------------------------------------------------------------------------

    async def create(self, principal: Principal, data: ArticleIn) -> Article:
        domain.check_may_write(principal.areas)
        now = utcnow()
        article = Article(
            id=uuid.uuid4(), kind=data.kind, title=data.title, body=data.body,
            published=data.published, pinned=data.pinned,
            published_at=domain.published_at_after(data.published, None, now),
            created_at=now, created_by=principal.display,
            updated_at=now, updated_by=principal.display)
        self.articles.add(article)
        await self.session.flush()
        return article

    async def update(self, principal: Principal, article_id: uuid.UUID,
                     data: ArticleUpdate) -> Article:
        """Change the given fields; `updated_at`/`updated_by` move only when something
        changed, `published_at` only when the article is published for the first time."""
        domain.check_may_write(principal.areas)
        article = await self.articles.get(article_id, for_update=True)
        if article is None:
            raise NotFound("Article not found")
        changes = {f: value for f in FIELDS if f in data.model_fields_set
                   and (value := getattr(data, f)) is not None
                   and value != getattr(article, f)}
        if changes:
            now = utcnow()
            for field, value in changes.items():
                setattr(article, field, value)
            article.published_at = domain.published_at_after(
                article.published, article.published_at, now)
            article.updated_at = now
            article.updated_by = principal.display
            await self.session.flush()
        return article

    async def list(self, *, kind: str | None, published: bool | None, limit: int,
                   offset: int) -> tuple[list[Article], int]:
        return await self.articles.list(kind=kind, published=published, limit=limit,
                                        offset=offset)

    async def get(self, article_id: uuid.UUID) -> Article:
        article = await self.articles.get(article_id)
        if article is None:
            raise NotFound("Article not found")
        return article

    # --- customers ---------------------------------------------------------------------

    async def board(self, *, kind: str | None, limit: int,
                    offset: int) -> tuple[list[Article], int]:
        return await self.articles.board(kind=kind, limit=limit, offset=offset)

    async def read(self, article_id: uuid.UUID) -> Article:
        """A published article; a draft or an unpublished one is not there (404)."""
        article = await self.articles.get(article_id, published_only=True)
        if article is None:
            raise NotFound("Article not found")
        return article
