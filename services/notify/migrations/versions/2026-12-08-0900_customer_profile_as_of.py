"""The customer read model keeps the time of the customer event it last applied
(`profile_as_of`): an older customer event arriving late (a redelivery, a replayed
dead letter) no longer overwrites newer values (X-2, issue 14 (c)). NULL in rows
written before: the next event applies.

Revision ID: 443ad923cddb
Revises: 5c7e2a9b1d40
"""

import sqlalchemy as sa
from alembic import op

revision = "443ad923cddb"
down_revision = "5c7e2a9b1d40"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("customer_view", sa.Column("profile_as_of", sa.DateTime(timezone=True),
                                             nullable=True))


def downgrade() -> None:
    op.drop_column("customer_view", "profile_as_of")
