"""dead letters for operators (B-7): the messages the gateway's worker takes from every
consumer's `<queue>.dlq`, with why and when they died, until an operator replays or
discards them (kept afterwards as the record of who did what)

Revision ID: d1e4a7c0b953
Revises: 9c0e5d2b7a41
Create Date: 2026-12-08 09:00:00
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = 'd1e4a7c0b953'
down_revision = '9c0e5d2b7a41'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('dead_letters',
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('seq', sa.BigInteger(), sa.Identity(always=True), nullable=False),
    sa.Column('queue', sa.String(length=200), nullable=False),
    sa.Column('service', sa.String(length=60), nullable=False),
    sa.Column('message_key', sa.String(length=100), nullable=False),
    sa.Column('event_id', sa.UUID(), nullable=True),
    sa.Column('event_type', sa.String(length=120), nullable=True),
    sa.Column('routing_key', sa.String(length=200), nullable=True),
    sa.Column('exchange', sa.String(length=200), nullable=True),
    sa.Column('reason', sa.String(length=40), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('death_count', sa.Integer(), nullable=False),
    sa.Column('first_death_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_death_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('body', sa.LargeBinary(), nullable=False),
    sa.Column('content_type', sa.String(length=120), nullable=True),
    sa.Column('message_id', sa.String(length=200), nullable=True),
    sa.Column('message_type', sa.String(length=120), nullable=True),
    sa.Column('headers', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('status', sa.String(length=10), server_default='open', nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_by', sa.String(length=128), nullable=True),
    sa.Column('resolved_by_id', sa.UUID(), nullable=True),
    sa.Column('resolution_reason', sa.Text(), nullable=True),
    sa.CheckConstraint("status IN ('open','replayed','discarded')", name=op.f('ck_dead_letters_status')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dead_letters')),
    sa.UniqueConstraint('seq', name=op.f('uq_dead_letters_seq'))
    )
    op.create_index(op.f('ix_dead_letters_event_id'), 'dead_letters', ['event_id'], unique=False)
    op.create_index(op.f('ix_dead_letters_service'), 'dead_letters', ['service'], unique=False)
    op.create_index('ix_dead_letters_status_last_death', 'dead_letters', ['status', 'last_death_at'], unique=False)
    op.create_index('uq_dead_letters_open_message', 'dead_letters', ['queue', 'message_key'], unique=True, postgresql_where=sa.text("status = 'open'"))


def downgrade() -> None:
    op.drop_index('uq_dead_letters_open_message', table_name='dead_letters', postgresql_where=sa.text("status = 'open'"))
    op.drop_index('ix_dead_letters_status_last_death', table_name='dead_letters')
    op.drop_index(op.f('ix_dead_letters_service'), table_name='dead_letters')
    op.drop_index(op.f('ix_dead_letters_event_id'), table_name='dead_letters')
    op.drop_table('dead_letters')
