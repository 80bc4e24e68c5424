"""The customer read model keeps the time of the customer event it last applied
(`profile_as_of`): an older customer event arriving late (a redelivery, a replayed
dead letter) no longer overwrites newer values (X-2, issue 14 (c)). NULL in rows
written before: the next event applies.

The catalog view keeps the time of each price it holds (`as_of`): an older
customer.price_changed or customer.approved changes no newer price.

Revision ID: 501dd72df170
Revises: b9c1d3e5f848
"""

import sqlalchemy as sa
from alembic import op

revision = "501dd72df170"
down_revision = "b9c1d3e5f848"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("customer_view", sa.Column("profile_as_of", sa.DateTime(timezone=True),
                                             nullable=True))
    op.add_column("catalog_item_view", sa.Column("as_of", sa.DateTime(timezone=True),
                                                 nullable=True))


def downgrade() -> None:
    op.drop_column("catalog_item_view", "as_of")
    op.drop_column("customer_view", "profile_as_of")
