"""All SQL of articles."""

from __future__ import annotations

import uuid

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import Article


class ArticleRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, article: Article) -> None:
        self.session.add(article)

    async def get(self, article_id: uuid.UUID, *, published_only: bool = False,
                  for_update: bool = False) -> Article | None:
        stmt = select(Article).where(Article.id == article_id)
        if published_only:
            stmt = stmt.where(Article.published.is_(True))
        if for_update:
            stmt = stmt.with_for_update()
        return (await self.session.scalars(stmt)).first()

    async def list(self, *, kind: str | None, published: bool | None, limit: int,
                   offset: int) -> tuple[list[Article], int]:
        """Every article (drafts too), newest written first."""
        stmt = select(Article)
        if kind is not None:
            stmt = stmt.where(Article.kind == kind)
        if published is not None:
            stmt = stmt.where(Article.published.is_(published))
        return await self._page(
            stmt.order_by(Article.created_at.desc(), Article.id.desc()), limit, offset)

    async def board(self, *, kind: str | None, limit: int,
                    offset: int) -> tuple[list[Article], int]:
        """Published articles in the board's order (`domain.board_order`)."""
        stmt = select(Article).where(Article.published.is_(True))
        if kind is not None:
            stmt = stmt.where(Article.kind == kind)
        return await self._page(
            stmt.order_by(Article.pinned.desc(), Article.published_at.desc(),
                          Article.id.desc()), limit, offset)

    async def _page(self, stmt: Select[tuple[Article]], limit: int,
                    offset: int) -> tuple[list[Article], int]:
        total = (await self.session.execute(
            select(func.count()).select_from(stmt.order_by(None).subquery()))).scalar_one()
        rows = (await self.session.scalars(stmt.limit(limit).offset(offset))).all()
        return list(rows), total
