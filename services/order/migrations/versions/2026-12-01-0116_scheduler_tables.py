"""scheduler tables for payment reminders (O-6, N-2)

`scheduled_runs` (each run of a periodic job: when, outcome, items) and `job_keys` (the
items a job has emitted, for `claim`), as servicekit.scheduler defines them, for the
worker's `payment_due_reminders` job.

Revision ID: 597557bfa97e
Revises: 0bf8e6a40766
Create Date: 2026-12-01 01:16:29.280205
"""

from alembic import op
from servicekit.scheduler import create_scheduler_tables, drop_scheduler_tables

revision = "597557bfa97e"
down_revision = "0bf8e6a40766"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_scheduler_tables(op.get_bind())


def downgrade() -> None:
    drop_scheduler_tables(op.get_bind())
