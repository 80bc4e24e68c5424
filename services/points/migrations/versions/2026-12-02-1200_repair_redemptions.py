"""Points paying a repair charge (P-2, S-3): a redemption's subject is an order or a
repair (the maintenance record's id is kept in `order_id`).

Revision ID: 6f4a8b0c2d53
Revises: 5e3f7a9b1c42
"""

import sqlalchemy as sa
from alembic import op

revision = "6f4a8b0c2d53"
down_revision = "5e3f7a9b1c42"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("points_redemptions", sa.Column("subject", sa.String(length=10),
                                                  server_default="order", nullable=False))
    op.create_check_constraint(op.f("ck_points_redemptions_subject"), "points_redemptions",
                               "subject IN ('order','repair')")


def downgrade() -> None:
    op.drop_constraint(op.f("ck_points_redemptions_subject"), "points_redemptions",
                       type_="check")
    op.drop_column("points_redemptions", "subject")
