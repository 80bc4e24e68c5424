"""Integration: the gateway's access routes on its real database — lockout and rate limits
(X-3), passwords and one-time reset tokens (C-8), the query password, staff users and
roles (X-1, C-7), a company's users, and the audit log."""

from __future__ import annotations

import uuid

import pytest
from dinghuo_gateway.auth.caller import authenticate
from sqlalchemy import text

from .conftest import add_user, client, gateway_settings, login, staff_token, unique

INVALID = {"error": "Unauthorized",
           "detail": "Invalid username or password, or the account is temporarily locked"}


async def sql(app, statement: str, **params) -> list[dict]:
    async with app.state.db.sessionmaker() as s, s.begin():
        result = await s.execute(text(statement), params)
        return [dict(r._mapping) for r in result] if result.returns_rows else []


async def attempt(app, username: str, password: str):
    async with client(app) as c:
        return await c.post("/api/auth/login", json={"username": username, "password": password})


async def audit_types(app, username: str) -> list[str]:
    rows = await sql(app, "SELECT type FROM audit_events WHERE target_name = :u "
                          "ORDER BY id", u=username)
    return [r["type"] for r in rows]


class TestLockout:
    async def test_five_failures_lock_even_the_right_password_X3(self, gateway_app):
        user = await add_user(gateway_app)
        for _ in range(5):
            r = await attempt(gateway_app, user.username, "wrong-pass-1")
            assert r.status_code == 401 and r.json() == INVALID
        locked = await attempt(gateway_app, user.username, "Secret-123")
        assert locked.status_code == 401 and locked.json() == INVALID
        types = await audit_types(gateway_app, user.username)
        assert types.count("login_failed") == 5
        assert "account_locked" in types and "login_refused_locked" in types

    async def test_unknown_usernames_answer_and_lock_identically_X3(self, gateway_app):
        ghost = unique("ghost")
        answers = [await attempt(gateway_app, ghost, "wrong-pass-1") for _ in range(6)]
        assert {(r.status_code, r.text) for r in answers} == {(401, INVALID_TEXT)}
        assert (await sql(gateway_app, "SELECT 1 FROM login_locks WHERE username = :u",
                          u=ghost)) == [{"?column?": 1}]

    async def test_lock_ends_after_its_time_and_success_clears_failures_X3(self, gateway_app):
        user = await add_user(gateway_app)
        for _ in range(5):
            await attempt(gateway_app, user.username, "wrong-pass-1")
        await sql(gateway_app, "UPDATE login_locks SET locked_until = now() - interval "
                               "'1 second' WHERE username = :u", u=user.username)
        assert (await attempt(gateway_app, user.username, "Secret-123")).status_code == 200
        for _ in range(4):
            await attempt(gateway_app, user.username, "wrong-pass-1")
        assert (await attempt(gateway_app, user.username, "Secret-123")).status_code == 200

    async def test_username_is_normalised_for_the_count_X3(self, gateway_app):
        user = await add_user(gateway_app)
        for name in (user.username.upper(), f"  {user.username} ") * 3:
            await attempt(gateway_app, name, "wrong-pass-1")
        assert (await attempt(gateway_app, user.username, "Secret-123")).status_code == 401


INVALID_TEXT = '{"error":"Unauthorized","detail":"Invalid username or password, or the ' \
               'account is temporarily locked"}'


@pytest.fixture(scope="module")
async def strict_app(gateway_url):
    """A gateway allowing 3 login attempts per address, behind a proxy; its window is so
    long that no test run crosses a window boundary."""
    from dinghuo_gateway.app import create_app

    app = create_app(gateway_settings(gateway_url, auth_rate_limit=3,
                                      auth_rate_window_seconds=10**9,
                                      trusted_proxies=["127.0.0.1"]))
    yield app
    await app.state.db.dispose()


class TestRateLimit:
    async def test_per_address_limit_answers_429_with_retry_after_X3(self, strict_app):
        address = f"198.51.100.{uuid.uuid4().int % 250 + 1}"
        async with client(strict_app, **{"X-Forwarded-For": address}) as c:
            codes = [(await c.post("/api/auth/login", json={
                "username": unique(), "password": "wrong-pass-1"})).status_code
                for _ in range(3)]
            r = await c.post("/api/auth/password-reset/request", json={"username": "x"})
            assert r.status_code == 202  # another bucket
            r = await c.post("/api/auth/login", json={"username": "a", "password": "b"})
        assert codes == [401, 401, 401]
        assert r.status_code == 429 and r.json()["error"] == "TooManyRequests"
        assert int(r.headers["retry-after"]) >= 1
        # another address is not affected
        async with client(strict_app, **{"X-Forwarded-For": f"203.0.113.7, {address}x"}) as c:
            r = await c.post("/api/auth/login", json={"username": "a", "password": "b"})
        assert r.status_code == 401


class TestChangePassword:
    async def test_change_ends_other_sessions_and_returns_a_new_one_C8(self, gateway_app):
        user = await add_user(gateway_app)
        old = await login(gateway_app, user.username)
        async with client(gateway_app, old) as c:
            weak = await c.post("/api/auth/change-password", json={
                "current_password": "Secret-123", "new_password": "short"})
            assert weak.status_code == 422 and "password" in weak.json()["detail"]
            same = await c.post("/api/auth/change-password", json={
                "current_password": "Secret-123", "new_password": "Secret-123"})
            assert same.status_code == 422
            wrong = await c.post("/api/auth/change-password", json={
                "current_password": "nope-1234", "new_password": "Better-456"})
            assert wrong.status_code == 401
            r = await c.post("/api/auth/change-password", json={
                "current_password": "Secret-123", "new_password": "Better-456"})
        assert r.status_code == 200, r.text
        new = r.json()["access_token"]
        assert "httponly" in r.headers["set-cookie"].lower()
        async with client(gateway_app, old) as c:
            assert (await c.get("/api/auth/me")).status_code == 401
        async with client(gateway_app, new) as c:
            assert (await c.get("/api/auth/me")).status_code == 200
        await login(gateway_app, user.username, "Better-456")
        assert "password_changed" in await audit_types(gateway_app, user.username)

    async def test_wrong_current_password_counts_towards_lockout_X3(self, gateway_app):
        user = await add_user(gateway_app)
        token = await login(gateway_app, user.username)
        async with client(gateway_app, token) as c:
            for _ in range(5):
                r = await c.post("/api/auth/change-password", json={
                    "current_password": "nope-1234", "new_password": "Better-456"})
                assert r.status_code == 401
        assert (await attempt(gateway_app, user.username, "Secret-123")).status_code == 401


class TestForcedChange:
    async def test_issued_password_blocks_portal_and_console_until_changed_C8(
            self, gateway_app):
        user = await add_user(gateway_app, permissions=["*"], must_change=True)
        token = await login(gateway_app, user.username)
        async with client(gateway_app, token) as c:
            me = await c.get("/api/auth/me")
            assert me.status_code == 200 and me.json()["must_change_password"] is True
            for path in ("/api/console/staff", "/api/console/roles", "/api/console/audit",
                         "/api/console/orders", "/api/console/anything"):
                r = await c.get(path)
                assert r.status_code == 403, path
                assert r.json()["error"] == "PasswordChangeRequired", path
            r = await c.post("/api/auth/change-password", json={
                "current_password": "Secret-123", "new_password": "Chosen-789"})
            assert r.status_code == 200
        async with client(gateway_app, r.json()["access_token"]) as c:
            assert (await c.get("/api/console/staff")).status_code == 200
            assert (await c.get("/api/auth/me")).json()["must_change_password"] is False

    async def test_buyer_with_issued_password_is_blocked_on_the_portal_C8(self, gateway_app):
        buyer = await add_user(gateway_app, kind="customer", company_role="buyer",
                               must_change=True)
        token = await login(gateway_app, buyer.username)
        async with client(gateway_app, token) as c:
            r = await c.get("/api/portal/orders")
            assert r.status_code == 403 and r.json()["error"] == "PasswordChangeRequired"


class TestPasswordResetToken:
    async def outbox_token(self, app, user_id) -> tuple[str, str]:
        rows = await sql(app, "SELECT envelope FROM outbox WHERE event_type = "
                              "'identity.password_reset_requested' AND envelope->'data'->>"
                              "'user_id' = :u ORDER BY seq DESC LIMIT 1", u=str(user_id))
        data = rows[0]["envelope"]["data"]
        return data["token"], data["mobile"]

    async def test_token_works_once_and_is_kept_only_hashed_C8(self, gateway_app):
        user = await add_user(gateway_app, kind="customer", mobile="13900002222")
        async with client(gateway_app) as c:
            known = await c.post("/api/auth/password-reset/request",
                                 json={"username": user.username})
            unknown = await c.post("/api/auth/password-reset/request",
                                   json={"username": unique("nobody")})
            assert known.status_code == unknown.status_code == 202
            assert known.json() == unknown.json()
            token, mobile = await self.outbox_token(gateway_app, user.id)
            assert mobile == "13900002222"
            stored = await sql(gateway_app, "SELECT token_hash FROM password_reset_tokens "
                                            "WHERE user_id = :u", u=user.id)
            assert stored and all(token not in r["token_hash"] for r in stored)
            weak = await c.post("/api/auth/password-reset/confirm",
                                json={"token": token, "new_password": "weak"})
            assert weak.status_code == 422  # the token is not spent by a refused password
            ok = await c.post("/api/auth/password-reset/confirm",
                              json={"token": token, "new_password": "Fresh-4567"})
            assert ok.status_code == 200, ok.text
            again = await c.post("/api/auth/password-reset/confirm",
                                 json={"token": token, "new_password": "Other-4567"})
            assert again.status_code == 410 and "already been used" in again.json()["detail"]
            bogus = await c.post("/api/auth/password-reset/confirm",
                                 json={"token": "not-a-token", "new_password": "Other-4567"})
            assert bogus.status_code == 400 and "not valid" in bogus.json()["detail"]
        await login(gateway_app, user.username, "Fresh-4567")
        types = await audit_types(gateway_app, user.username)
        assert "password_reset_requested" in types and "password_reset_completed" in types

    async def test_expired_token_is_refused_C8(self, gateway_app):
        user = await add_user(gateway_app, email="x@example.cn")
        async with client(gateway_app) as c:
            await c.post("/api/auth/password-reset/request", json={"username": user.username})
            token, _ = await self.outbox_token(gateway_app, user.id)
            await sql(gateway_app, "UPDATE password_reset_tokens SET expires_at = now() - "
                                   "interval '1 second' WHERE user_id = :u", u=user.id)
            r = await c.post("/api/auth/password-reset/confirm",
                             json={"token": token, "new_password": "Fresh-4567"})
        assert r.status_code == 410 and "expired" in r.json()["detail"]

    async def test_a_new_request_retires_the_earlier_token_C8(self, gateway_app):
        user = await add_user(gateway_app, mobile="13900003333")
        async with client(gateway_app) as c:
            await c.post("/api/auth/password-reset/request", json={"username": user.username})
            first, _ = await self.outbox_token(gateway_app, user.id)
            await c.post("/api/auth/password-reset/request", json={"username": user.username})
            second, _ = await self.outbox_token(gateway_app, user.id)
            assert first != second
            r = await c.post("/api/auth/password-reset/confirm",
                             json={"token": first, "new_password": "Fresh-4567"})
            assert r.status_code == 410
            r = await c.post("/api/auth/password-reset/confirm",
                             json={"token": second, "new_password": "Fresh-4567"})
            assert r.status_code == 200


class TestQueryPassword:
    async def test_unlock_for_this_session_only_X3(self, gateway_app):
        user, token = await staff_token(gateway_app, "reports:query")
        other = await login(gateway_app, user.username)
        async with client(gateway_app, token) as c:
            r = await c.post("/api/auth/unlock-sensitive", json={"query_password": "Query-999"})
            assert r.status_code == 409  # none set yet
            r = await c.post("/api/auth/query-password", json={
                "current_password": "Secret-123", "query_password": "Secret-123"})
            assert r.status_code == 422
            r = await c.post("/api/auth/query-password", json={
                "current_password": "Secret-123", "query_password": "Query-999"})
            assert r.status_code == 200, r.text
            wrong = await c.post("/api/auth/unlock-sensitive",
                                 json={"query_password": "Wrong-999"})
            assert wrong.status_code == 401
            r = await c.post("/api/auth/unlock-sensitive", json={"query_password": "Query-999"})
            assert r.status_code == 200 and r.json()["sensitive_until"]
            me = (await c.get("/api/auth/me")).json()
            assert me["sensitive_until"] and me["has_query_password"]
        assert await self.principal_sensitive(gateway_app, token) is True
        assert await self.principal_sensitive(gateway_app, other) is False
        async with client(gateway_app, token) as c:
            await c.post("/api/auth/lock-sensitive")
        assert await self.principal_sensitive(gateway_app, token) is False

    async def test_wrong_query_passwords_lock_the_account_X3(self, gateway_app):
        user, token = await staff_token(gateway_app, "reports:query")
        async with client(gateway_app, token) as c:
            await c.post("/api/auth/query-password", json={
                "current_password": "Secret-123", "query_password": "Query-999"})
            for _ in range(5):
                r = await c.post("/api/auth/unlock-sensitive",
                                 json={"query_password": "Wrong-999"})
                assert r.status_code == 401
            r = await c.post("/api/auth/unlock-sensitive", json={"query_password": "Query-999"})
            assert r.status_code == 401  # locked now
        assert (await attempt(gateway_app, user.username, "Secret-123")).status_code == 401

    async def test_customers_have_no_query_password(self, gateway_app):
        buyer = await add_user(gateway_app, kind="customer")
        async with client(gateway_app, await login(gateway_app, buyer.username)) as c:
            r = await c.post("/api/auth/query-password", json={
                "current_password": "Secret-123", "query_password": "Query-999"})
        assert r.status_code == 403

    @staticmethod
    async def principal_sensitive(app, token: str) -> bool:
        class Req:
            headers = {"authorization": f"Bearer {token}"}
            cookies: dict = {}

        Req.app = app  # type: ignore[attr-defined]

        caller = await authenticate(Req(), app.state.db.sessionmaker,  # type: ignore[arg-type]
                                    app.state.settings)
        return caller.principal().sensitive


class TestStaffAndRoles:
    async def test_create_staff_with_issued_password_and_validated_permissions_X1(
            self, gateway_app):
        _, admin = await staff_token(gateway_app, "*")
        async with client(gateway_app, admin) as c:
            bad = await c.post("/api/console/staff", json={
                "username": unique(), "permissions": ["orders:approve"]})
            assert bad.status_code == 422 and "orders:approve" in bad.json()["detail"]
            bad = await c.post("/api/console/staff", json={
                "username": unique(), "permissions": ["shop:query"]})
            assert bad.status_code == 422 and "module" in bad.json()["detail"]
            bad = await c.post("/api/console/staff", json={
                "username": unique(), "role_ids": [str(uuid.uuid4())]})
            assert bad.status_code == 422 and "role_ids" in bad.json()["detail"]
            name = unique("li")
            r = await c.post("/api/console/staff", json={
                "username": name, "display_name": "李", "permissions": ["orders:query"],
                "areas": ["华东"], "mobile": "13900004444"})
            assert r.status_code == 201, r.text
            body = r.json()
            assert body["user"]["must_change_password"] is True
            dup = await c.post("/api/console/staff", json={"username": name})
            assert dup.status_code == 409
            listed = await c.get("/api/console/staff", params={"q": name})
            assert [s["username"] for s in listed.json()] == [name]
            assert listed.headers["x-total-count"] == "1"
        token = await login(gateway_app, name, body["temporary_password"])
        async with client(gateway_app, token) as c:
            r = await c.get("/api/console/orders")
            assert r.json()["error"] == "PasswordChangeRequired"

    async def test_roles_expand_into_effective_permissions_X1(self, gateway_app):
        _, admin = await staff_token(gateway_app, "*")
        async with client(gateway_app, admin) as c:
            r = await c.post("/api/console/roles", json={
                "name": unique("审核员"), "permissions": ["orders:review", "orders:query"]})
            assert r.status_code == 201, r.text
            role = r.json()
            dup = await c.post("/api/console/roles", json={"name": role["name"]})
            assert dup.status_code == 409
            bad = await c.put(f"/api/console/roles/{role['id']}",
                              json={"permissions": ["orders:delete"]})
            assert bad.status_code == 422
            user = await add_user(gateway_app, permissions=["customers:query"])
            r = await c.put(f"/api/console/staff/{user.id}", json={"role_ids": [role["id"]]})
            assert r.status_code == 200, r.text
            assert r.json()["effective_permissions"] == [
                "customers:query", "orders:query", "orders:review"]
            token = await login(gateway_app, user.username)
            r = await c.put(f"/api/console/roles/{role['id']}",
                            json={"permissions": ["orders:query", "payments:entry"]})
            assert r.status_code == 200
        async with client(gateway_app, token) as c:
            me = (await c.get("/api/auth/me")).json()
        assert me["permissions"] == ["customers:query", "orders:query", "payments:entry"]
        assert me["role_ids"] == [role["id"]]

    async def test_settings_permissions_are_separate_X1(self, gateway_app):
        target = await add_user(gateway_app)
        _, reader = await staff_token(gateway_app, "settings:query")
        _, creator = await staff_token(gateway_app, "settings:entry")
        async with client(gateway_app, reader) as c:
            assert (await c.get("/api/console/staff")).status_code == 200
            assert (await c.get(f"/api/console/staff/{target.id}")).status_code == 200
            r = await c.post("/api/console/staff", json={"username": unique()})
            assert r.status_code == 403 and "settings:entry" in r.json()["detail"]
            r = await c.put(f"/api/console/staff/{target.id}", json={"active": False})
            assert r.status_code == 403
        async with client(gateway_app, creator) as c:
            assert (await c.get("/api/console/staff")).status_code == 403
            assert (await c.post("/api/console/staff",
                                 json={"username": unique()})).status_code == 201

    async def test_nobody_grants_more_than_they_hold_nor_takes_over_stronger_X1(
            self, gateway_app):
        root = await add_user(gateway_app, permissions=["*"])
        _, lesser = await staff_token(gateway_app, "settings:entry", "settings:modify",
                                      "orders:query")
        async with client(gateway_app, lesser) as c:
            r = await c.post("/api/console/staff", json={
                "username": unique(), "permissions": ["orders:review"]})
            assert r.status_code == 403 and "orders:review" in r.json()["detail"]
            r = await c.post(f"/api/console/staff/{root.id}/reset-password")
            assert r.status_code == 403
            r = await c.put(f"/api/console/staff/{root.id}", json={"active": False})
            assert r.status_code == 403
            r = await c.post("/api/console/roles", json={"name": unique(),
                                                         "permissions": ["*"]})
            assert r.status_code == 403

    async def test_area_limited_administrator_stays_in_its_areas_C7(self, gateway_app):
        _, east = await staff_token(gateway_app, "*", areas=["华东"])
        async with client(gateway_app, east) as c:
            r = await c.post("/api/console/staff", json={"username": unique(), "areas": []})
            assert r.status_code == 403
            r = await c.post("/api/console/staff", json={"username": unique(),
                                                         "areas": ["华北"]})
            assert r.status_code == 403
            r = await c.post("/api/console/staff", json={"username": unique(),
                                                         "areas": ["华东"]})
            assert r.status_code == 201

    async def test_changes_are_audited_with_before_and_after_X1(self, gateway_app):
        admin_user, admin = await staff_token(gateway_app, "*")
        user = await add_user(gateway_app, permissions=["orders:query"])
        async with client(gateway_app, admin) as c:
            r = await c.put(f"/api/console/staff/{user.id}", json={
                "permissions": ["orders:query", "orders:review"], "areas": ["华南"]})
            assert r.status_code == 200
            r = await c.put(f"/api/console/staff/{user.id}", json={"active": False})
            assert r.status_code == 200
            r = await c.put(f"/api/console/staff/{admin_user.id}", json={"active": False})
            assert r.status_code == 409
            r = await c.post(f"/api/console/staff/{user.id}/reset-password")
            assert r.status_code == 200 and r.json()["temporary_password"]
            log = (await c.get("/api/console/audit", params={"user": user.username})).json()
        by_type = {e["type"]: e for e in log}
        changed = by_type["permissions_changed"]
        assert changed["actor"] == admin_user.username
        assert changed["before"] == {"permissions": ["orders:query"], "areas": []}
        assert changed["after"] == {"permissions": ["orders:query", "orders:review"],
                                    "areas": ["华南"]}
        assert by_type["user_deactivated"]["after"] == {"active": False}
        assert "password_reset_by_staff" in by_type
        assert (await attempt(gateway_app, user.username, "Secret-123")).status_code == 401


class TestAuditLog:
    async def test_filters_and_needs_settings_query(self, gateway_app):
        user = await add_user(gateway_app)
        await attempt(gateway_app, user.username, "wrong-pass-1")
        await login(gateway_app, user.username)
        _, reader = await staff_token(gateway_app, "settings:query")
        _, other = await staff_token(gateway_app, "orders:query")
        async with client(gateway_app, reader) as c:
            r = await c.get("/api/console/audit", params={"user": user.username,
                                                          "type": "login_failed"})
            assert r.status_code == 200
            assert [e["type"] for e in r.json()] == ["login_failed"]
            assert r.json()[0]["after"] == {"reason": "wrong_password"}
            r = await c.get("/api/console/audit", params={
                "user": user.username, "from": "2999-01-01T00:00:00+08:00"})
            assert r.json() == [] and r.headers["x-total-count"] == "0"
            r = await c.get("/api/console/audit", params={"from": "yesterday"})
            assert r.status_code == 422 and "from" in r.json()["detail"]
        async with client(gateway_app, other) as c:
            assert (await c.get("/api/console/audit")).status_code == 403


class TestCompanyUsers:
    async def test_administrator_manages_its_buyers_C8(self, gateway_app):
        admin = await add_user(gateway_app, kind="customer")
        token = await login(gateway_app, admin.username)
        async with client(gateway_app, token) as c:
            r = await c.post("/api/portal/users", json={"username": unique("buyer"),
                                                        "mobile": "123"})
            assert r.status_code == 422 and "mobile" in r.json()["detail"]
            r = await c.post("/api/portal/users", json={"username": unique("buyer"),
                                                        "display_name": "采购小王"})
            assert r.status_code == 201, r.text
            buyer, temporary = r.json()["user"], r.json()["temporary_password"]
            assert buyer["company_role"] == "buyer" and buyer["must_change_password"]
            listed = await c.get("/api/portal/users")
            assert {u["username"] for u in listed.json()} == {admin.username,
                                                              buyer["username"]}
            r = await c.put(f"/api/portal/users/{admin.id}", json={"active": False})
            assert r.status_code == 409
        buyer_token = await login(gateway_app, buyer["username"], temporary)
        async with client(gateway_app, buyer_token) as c:
            r = await c.post("/api/auth/change-password", json={
                "current_password": temporary, "new_password": "Buyer-2026"})
            assert r.status_code == 200
        async with client(gateway_app, r.json()["access_token"]) as c:
            for method, path in (("GET", "/api/portal/users"),
                                 ("POST", "/api/portal/users"),
                                 ("PUT", f"/api/portal/users/{admin.id}"),
                                 ("POST", f"/api/portal/users/{admin.id}/reset-password")):
                r = await c.request(method, path, json={"username": unique()})
                assert r.status_code == 403, (method, path)
        async with client(gateway_app, token) as c:
            r = await c.post(f"/api/portal/users/{buyer['id']}/reset-password")
            assert r.status_code == 200 and r.json()["user"]["must_change_password"]
            r = await c.put(f"/api/portal/users/{buyer['id']}", json={"active": False})
            assert r.status_code == 200 and r.json()["active"] is False
        assert (await attempt(gateway_app, buyer["username"], "Buyer-2026")).status_code == 401

    async def test_another_companys_users_are_not_found(self, gateway_app):
        a = await add_user(gateway_app, kind="customer")
        b_buyer = await add_user(gateway_app, kind="customer", company_role="buyer")
        async with client(gateway_app, await login(gateway_app, a.username)) as c:
            r = await c.put(f"/api/portal/users/{b_buyer.id}", json={"active": False})
            assert r.status_code == 404
            r = await c.post(f"/api/portal/users/{b_buyer.id}/reset-password")
            assert r.status_code == 404
            assert b_buyer.username not in {u["username"] for u in (
                await c.get("/api/portal/users")).json()}

    async def test_staff_and_customers_stay_on_their_side(self, gateway_app):
        _, staff = await staff_token(gateway_app, "*")
        customer = await add_user(gateway_app, kind="customer")
        async with client(gateway_app, staff) as c:
            assert (await c.get("/api/portal/users")).status_code == 403
        async with client(gateway_app, await login(gateway_app, customer.username)) as c:
            for path in ("/api/console/staff", "/api/console/roles", "/api/console/audit",
                         "/api/console/permissions"):
                assert (await c.get(path)).status_code == 403, path


class TestOpenAPI:
    async def test_own_routes_are_documented_with_their_errors(self, gateway_app):
        from dinghuo_gateway.proxy.openapi import merge
        from fastapi.openapi.utils import get_openapi

        doc = merge(get_openapi(title="t", version="1", routes=gateway_app.routes), {})
        paths = doc["paths"]
        for path, method, codes in (
                ("/api/auth/login", "post", {"401", "422", "429"}),
                ("/api/auth/change-password", "post", {"401", "422"}),
                ("/api/auth/password-reset/request", "post", {"202", "429"}),
                ("/api/auth/password-reset/confirm", "post", {"400", "410"}),
                ("/api/auth/unlock-sensitive", "post", {"401"}),
                ("/api/portal/users", "post", {"201", "403", "409", "422"}),
                ("/api/portal/users/{user_id}/reset-password", "post", {"403", "404"}),
                ("/api/console/staff", "post", {"201", "403", "409", "422"}),
                ("/api/console/staff/{user_id}", "put", {"403", "404", "422"}),
                ("/api/console/roles/{role_id}", "put", {"403", "404"}),
                ("/api/console/audit", "get", {"403"})):
            assert codes <= set(paths[path][method]["responses"]), (path, method)


class TestLoginAnswer:
    async def test_login_shows_effective_permissions_and_company_role_X1(self, gateway_app):
        _, admin = await staff_token(gateway_app, "*")
        async with client(gateway_app, admin) as c:
            role = (await c.post("/api/console/roles", json={
                "name": unique("r"), "permissions": ["points:query"]})).json()
            r = await c.post("/api/console/staff", json={
                "username": unique(), "permissions": ["orders:query"],
                "role_ids": [role["id"]]})
        body = r.json()
        async with client(gateway_app) as c:
            r = await c.post("/api/auth/login", json={
                "username": body["user"]["username"], "password": body["temporary_password"]})
        assert r.json()["user"]["permissions"] == ["orders:query", "points:query"]
        assert r.json()["user"]["must_change_password"] is True
        customer = await add_user(gateway_app, kind="customer")
        async with client(gateway_app) as c:
            r = await c.post("/api/auth/login", json={"username": customer.username,
                                                      "password": "Secret-123"})
        assert r.json()["user"]["company_role"] == "admin"
        assert r.json()["user"]["permissions"] == []
