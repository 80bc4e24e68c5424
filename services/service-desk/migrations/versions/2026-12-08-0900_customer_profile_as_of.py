"""The customer read model keeps the time of the customer event it last applied
(`profile_as_of`): an older customer event arriving late (a redelivery, a replayed
dead letter) no longer overwrites newer values (X-2, issue 14 (c)). NULL in rows
written before: the next event applies.

Revision ID: 847c266214b0
Revises: 0e4f6a8b2c35
"""

import sqlalchemy as sa
from alembic import op

revision = "847c266214b0"
down_revision = "0e4f6a8b2c35"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("customer_view", sa.Column("profile_as_of", sa.DateTime(timezone=True),
                                             nullable=True))


def downgrade() -> None:
    op.drop_column("customer_view", "profile_as_of")
