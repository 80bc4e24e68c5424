"""articles: the bulletin board and technical guidance for customers (N-4)

Revision ID: 624ab67df2d3
Revises: 31d17fa8765c
Create Date: 2026-12-01 01:33:03.251250
"""
import sqlalchemy as sa
from alembic import op

revision = "624ab67df2d3"
down_revision = "31d17fa8765c"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("pinned", sa.Boolean(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.CheckConstraint("kind IN ('bulletin','guidance')", name=op.f("ck_articles_kind")),
        sa.CheckConstraint("char_length(title) BETWEEN 1 AND 120",
                           name=op.f("ck_articles_title_length")),
        sa.CheckConstraint("char_length(body) BETWEEN 1 AND 20000",
                           name=op.f("ck_articles_body_length")),
        sa.CheckConstraint("published_at IS NOT NULL OR NOT published",
                           name=op.f("ck_articles_published_at")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_articles")),
    )
    op.create_index("ix_articles_board", "articles", ["kind", "pinned", "published_at"],
                    unique=False, postgresql_where=sa.text("published"))
    op.create_index(op.f("ix_articles_created_at"), "articles", ["created_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_articles_created_at"), table_name="articles")
    op.drop_index("ix_articles_board", table_name="articles",
                  postgresql_where=sa.text("published"))
    op.drop_table("articles")
