"""Sessions end when they should, on every gateway replica, without a database read per
request (issue 8, X-3); the last full rights stay (X-1)."""

from __future__ import annotations

import asyncio
import time
import uuid
from contextlib import asynccontextmanager

import pytest
from dinghuo_gateway.access import domain as access
from dinghuo_gateway.app import create_app
from dinghuo_gateway.auth.sessions import SessionRegistry
from sqlalchemy import event, text

from .conftest import add_user, client, gateway_settings, login, staff_token


@asynccontextmanager
async def replica(url: str):
    """A second gateway process's app on the same database, with its registry running."""
    app = create_app(gateway_settings(url))
    await app.state.sessions.start()
    assert app.state.sessions.listening
    try:
        yield app
    finally:
        await app.state.sessions.stop()
        await app.state.db.dispose()


async def until(check, timeout: float = 5.0):
    deadline = time.monotonic() + timeout
    while True:
        if await check():
            return
        assert time.monotonic() < deadline, "not within the time allowed"
        await asyncio.sleep(0.02)


async def status(app, token: str, path: str = "/api/auth/me") -> int:
    async with client(app, token) as c:
        return (await c.get(path)).status_code


class TestRevocation:
    async def test_logout_on_one_replica_ends_the_session_on_another_X3(self, gateway_url):
        async with replica(gateway_url) as a, replica(gateway_url) as b:
            user = await add_user(a)
            token = await login(a, user.username)
            other = await login(a, user.username)
            assert await status(a, token) == 200 and await status(b, token) == 200
            async with client(a, token) as c:
                assert (await c.post("/api/auth/logout")).status_code == 204
            assert await status(a, token) == 401  # at once where it was said

            async def ended_on_b():
                return await status(b, token) == 401
            await until(ended_on_b)
            assert await status(b, other) == 200  # only that session

    async def test_password_change_and_deactivation_reach_every_replica_X3(
            self, gateway_url):
        async with replica(gateway_url) as a, replica(gateway_url) as b:
            user = await add_user(a)
            token = await login(a, user.username)
            assert await status(b, token) == 200  # b caches the account now
            async with client(a, token) as c:
                r = await c.post("/api/auth/change-password", json={
                    "current_password": "Secret-123", "new_password": "Secret-456"})
                assert r.status_code == 200
                fresh = r.json()["access_token"]

            async def old_refused():
                return await status(b, token) == 401
            await until(old_refused)
            assert await status(b, fresh) == 200
            # deactivated by a plain SQL update: the trigger tells every replica
            async with a.state.db.sessionmaker() as s, s.begin():
                await s.execute(text("UPDATE users SET active = false WHERE id = :id"),
                                {"id": user.id})

            async def fresh_refused():
                return await status(b, fresh) == 401
            await until(fresh_refused)

    async def test_removed_permissions_stop_working_on_every_replica_within_seconds_issue16(
            self, gateway_url):
        """issue 16: a permission taken away — from the user itself or from one of its
        roles, by any code or plain SQL — is refused by another replica that had the
        account in memory within 2 seconds, without a database read per request."""
        async with replica(gateway_url) as a, replica(gateway_url) as b:
            user, token = await staff_token(a, "settings:query")
            assert await status(b, token, "/api/console/audit") == 200  # b knows it now
            async with a.state.db.sessionmaker() as s, s.begin():
                await s.execute(text("UPDATE users SET permissions = '[]'::jsonb "
                                     "WHERE id = :id"), {"id": user.id})

            async def own_refused():
                return await status(b, token, "/api/console/audit") == 403
            await until(own_refused, timeout=2.0)

            role = uuid.uuid4()
            async with a.state.db.sessionmaker() as s, s.begin():
                await s.execute(text("INSERT INTO roles (id, name, permissions) VALUES "
                                     "(:id, :name, '[\"settings:*\"]'::jsonb)"),
                                {"id": role, "name": f"auditors-{role.hex[:8]}"})
                await s.execute(text("INSERT INTO user_roles (user_id, role_id) "
                                     "VALUES (:u, :r)"), {"u": user.id, "r": role})

            async def by_role():
                return await status(b, token, "/api/console/audit") == 200
            await until(by_role, timeout=2.0)
            async with a.state.db.sessionmaker() as s, s.begin():
                await s.execute(text("UPDATE roles SET permissions = '[\"orders:query\"]'"
                                     "::jsonb WHERE id = :id"), {"id": role})

            async def role_refused():
                return await status(b, token, "/api/console/audit") == 403
            await until(role_refused, timeout=2.0)
            assert await status(b, token) == 200  # the session itself goes on

    async def test_ended_sessions_are_refused_within_seconds_issue16(self, gateway_url):
        """issue 16: logout, a password change and a deactivation made through one replica
        are refused by another within 2 seconds, and tokens issued before a password
        change stay refused."""
        async with replica(gateway_url) as a, replica(gateway_url) as b:
            user = await add_user(a)
            logged_out, old, other = [await login(a, user.username) for _ in range(3)]
            for token in (logged_out, old, other):
                assert await status(b, token) == 200
            async with client(a, logged_out) as c:
                assert (await c.post("/api/auth/logout")).status_code == 204

            async def logout_seen():
                return await status(b, logged_out) == 401
            await until(logout_seen, timeout=2.0)
            assert await status(b, old) == 200
            async with client(a, other) as c:
                r = await c.post("/api/auth/change-password", json={
                    "current_password": "Secret-123", "new_password": "Secret-789"})
                assert r.status_code == 200
                fresh = r.json()["access_token"]

            async def old_tokens_refused():
                return await status(b, old) == 401 and await status(b, other) == 401
            await until(old_tokens_refused, timeout=2.0)
            assert await status(b, fresh) == 200
            async with a.state.db.sessionmaker() as s, s.begin():
                await s.execute(text("UPDATE users SET active = false WHERE id = :id"),
                                {"id": user.id})

            async def deactivated():
                return await status(b, fresh) == 401
            await until(deactivated, timeout=2.0)
            assert await status(a, fresh) == 401

    async def test_no_database_read_per_request_once_known_X3(self, gateway_url):
        async with replica(gateway_url) as a:
            _, token = await staff_token(a, "customers:query")
            assert await status(a, token) == 200
            statements: list[str] = []

            def count(_conn, _cursor, statement, *_args):
                statements.append(statement)

            event.listen(a.state.db.engine.sync_engine, "before_cursor_execute", count)
            try:
                # The user's creation and login NOTIFY this replica asynchronously; one
                # arriving after the first request rightly makes it read the user again.
                # Once those are heard, the account stays known.
                async def settled():
                    statements.clear()
                    return await status(a, token) == 200 and statements == []
                await until(settled, timeout=3.0)
                await asyncio.sleep(0.1)
                statements.clear()
                for _ in range(20):
                    assert await status(a, token) == 200
            finally:
                event.remove(a.state.db.engine.sync_engine, "before_cursor_execute", count)
            assert statements == []

    async def test_without_its_listener_a_replica_reads_the_database_X3(self, gateway_url,
                                                                         gateway_app):
        """No notification channel, no cache: an ended session is still refused."""
        registry = SessionRegistry(gateway_app.state.db.sessionmaker, gateway_url)
        assert not registry.listening
        gateway_app.state.sessions = registry
        user = await add_user(gateway_app)
        token = await login(gateway_app, user.username)
        assert await status(gateway_app, token) == 200
        async with client(gateway_app, token) as c:
            assert (await c.post("/api/auth/logout")).status_code == 204
        registry._revoked.clear()  # as if this replica had never heard of it
        assert await status(gateway_app, token) == 401

    async def test_logout_everywhere_and_a_bad_token_X3(self, gateway_app):
        user = await add_user(gateway_app)
        t1 = await login(gateway_app, user.username)
        t2 = await login(gateway_app, user.username)
        async with client(gateway_app, t1) as c:
            r = await c.post("/api/auth/logout", params={"everywhere": "true"})
            assert r.status_code == 204
            assert "dinghuo_session=" in r.headers["set-cookie"]
        assert await status(gateway_app, t1) == 401 and await status(gateway_app, t2) == 401
        async with client(gateway_app, "not-a-token") as c:
            assert (await c.post("/api/auth/logout")).status_code == 204


class TestCookie:
    @pytest.mark.parametrize(("environment", "secure"), [("production", True),
                                                         ("development", False),
                                                         ("test", False)])
    def test_session_cookie_is_secure_outside_development_X3(self, environment, secure):
        # the test suites' cheap hashing (servicekit.testing.plugin) is refused in production
        settings = gateway_settings("postgresql+asyncpg://x/y", environment=environment,
                                    internal_token_secret="p" * 40,
                                    session_secret="q" * 40, password_hash_cost="standard")
        assert settings.secure_cookie is secure


class TestFullRights:
    def test_full_rights_by_star_by_modules_or_by_roles_X1(self):
        assert access.has_full_rights(frozenset({"*"}))
        assert access.has_full_rights(frozenset(f"{m}:*" for m in access.MODULES))
        assert not access.has_full_rights(frozenset(f"{m}:*" for m in access.MODULES[1:]))
        assert not access.has_full_rights(frozenset({"*"}), ["华东"])  # area-bound
        access.check_full_rights_remain({1: ([], [["settings:query"], ["*"]]), 2: ([], [[]])})
        with pytest.raises(access.LastFullRights):
            access.check_full_rights_remain({1: ([], [["settings:*"], ["orders:*"]])})
        with pytest.raises(access.LastFullRights):
            access.check_full_rights_remain({1: (["华南"], [["*"]])})
        with pytest.raises(access.LastFullRights):
            access.check_full_rights_remain({})
