"""ORM rows → API schemas; the body's HTML is rendered here, when it is read."""

from __future__ import annotations

from ..models import Article
from .domain import render_markdown
from .schemas import ArticleOut, BoardArticleOut


def article(a: Article) -> ArticleOut:
    return ArticleOut(id=a.id, kind=a.kind, title=a.title, body=a.body,
                      body_html=render_markdown(a.body), published=a.published,
                      pinned=a.pinned, published_at=a.published_at, created_at=a.created_at,
                      created_by=a.created_by, updated_at=a.updated_at,
                      updated_by=a.updated_by)


def board_article(a: Article) -> BoardArticleOut:
    assert a.published_at is not None  # only published articles reach the board
    return BoardArticleOut(id=a.id, kind=a.kind, title=a.title, body=a.body,
                           body_html=render_markdown(a.body), pinned=a.pinned,
                           published_at=a.published_at, updated_at=a.updated_at)
