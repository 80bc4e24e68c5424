"""The ledger accepts "unpaid" movements: a reversed payment makes an order's effective
points pending again (P-2, O-6).

Revision ID: 4d2e6f8a0b31
Revises: 3c1d5e7f9a20
"""

from alembic import op

revision = "4d2e6f8a0b31"
down_revision = "3c1d5e7f9a20"
branch_labels = None
depends_on = None

BEFORE = ("earned", "effective", "reversed", "adjusted", "reserved", "redeemed", "released")
AFTER = ("earned", "effective", "reversed", "adjusted", "unpaid", "reserved", "redeemed",
         "released")


def _kinds(kinds: tuple[str, ...]) -> None:
    op.drop_constraint(op.f("ck_points_movements_kind"), "points_movements", type_="check")
    op.create_check_constraint(op.f("ck_points_movements_kind"), "points_movements",
                               "kind IN (" + ",".join(f"'{k}'" for k in kinds) + ")")


def upgrade() -> None:
    _kinds(AFTER)


def downgrade() -> None:
    op.execute("DELETE FROM points_movements WHERE kind = 'unpaid'")
    _kinds(BEFORE)
