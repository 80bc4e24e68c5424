"""sessions that end on logout, and change notifications for every gateway replica's
cache of users and sessions (issue 8, X-3)

Every change of a user row, its roles or a role, and every revoked session is announced
on the `gateway_auth` channel by triggers, so no code path can forget it; NOTIFY is
transactional, so replicas hear of a change only once it is committed.

Revision ID: 9c0e5d2b7a41
Revises: 7a1275360deb
Create Date: 2026-12-01 00:10:00
"""
from alembic import op
import sqlalchemy as sa

revision = '9c0e5d2b7a41'
down_revision = '7a1275360deb'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('revoked_sessions',
    sa.Column('session_id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.UUID(), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('session_id', name=op.f('pk_revoked_sessions'))
    )
    op.create_index(op.f('ix_revoked_sessions_user_id'), 'revoked_sessions', ['user_id'], unique=False)
    op.create_index(op.f('ix_revoked_sessions_expires_at'), 'revoked_sessions', ['expires_at'], unique=False)
    op.execute("""
    CREATE FUNCTION gateway_auth_notify() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_TABLE_NAME = 'users' THEN
        PERFORM pg_notify('gateway_auth', 'user:' || COALESCE(NEW.id, OLD.id)::text);
      ELSIF TG_TABLE_NAME = 'user_roles' THEN
        PERFORM pg_notify('gateway_auth', 'user:' || COALESCE(NEW.user_id, OLD.user_id)::text);
      ELSIF TG_TABLE_NAME = 'roles' THEN
        PERFORM pg_notify('gateway_auth', 'roles');
      ELSIF TG_TABLE_NAME = 'revoked_sessions' THEN
        PERFORM pg_notify('gateway_auth', 'session:' || NEW.session_id || ':'
                          || floor(extract(epoch FROM NEW.expires_at))::bigint::text);
      END IF;
      RETURN NULL;
    END $$;
    """)
    for table, events in (("users", "UPDATE OR DELETE"),
                          ("user_roles", "INSERT OR UPDATE OR DELETE"),
                          ("roles", "UPDATE OR DELETE"),
                          ("revoked_sessions", "INSERT")):
        op.execute(f"CREATE TRIGGER {table}_auth_notify AFTER {events} ON {table} "
                   "FOR EACH ROW EXECUTE FUNCTION gateway_auth_notify()")


def downgrade() -> None:
    op.execute("DROP TRIGGER revoked_sessions_auth_notify ON revoked_sessions")
    op.execute("DROP TRIGGER roles_auth_notify ON roles")
    op.execute("DROP TRIGGER user_roles_auth_notify ON user_roles")
    op.execute("DROP TRIGGER users_auth_notify ON users")
    op.execute("DROP FUNCTION gateway_auth_notify()")
    op.drop_index(op.f('ix_revoked_sessions_expires_at'), table_name='revoked_sessions')
    op.drop_index(op.f('ix_revoked_sessions_user_id'), table_name='revoked_sessions')
    op.drop_table('revoked_sessions')
