"""Access through the running system: lockout without revealing usernames (X-3), one-time
reset codes delivered through notify to the external notifier (C-8), issued passwords
changed at first login for staff and for a company's buyers (C-8), the query password
(X-3), and the audit log of it all."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

import asyncpg
import pytest
from servicekit.db import asyncpg_dsn
from system import NOTIFIER_OUTBOX

from .access_helpers import change_password, new_staff, notifier_message, reset_code_for
from .api import Api

pytestmark = pytest.mark.e2e

INVALID = {"error": "Unauthorized",
           "detail": "Invalid username or password, or the account is temporarily locked"}


async def try_login(api: Api, username: str, password: str):
    return await api.client.post("/api/auth/login",
                                 json={"username": username, "password": password})


class TestLockout:
    async def test_five_failures_lock_and_unknown_usernames_answer_identically_X3(
            self, system, api, admin):
        _, username, password = await api.register()
        ghost = f"ghost{uuid.uuid4().hex[:8]}"
        known = [await try_login(api, username, "wrong-pass-1") for _ in range(5)]
        unknown = [await try_login(api, ghost, "wrong-pass-1") for _ in range(5)]
        for r in known + unknown:
            assert (r.status_code, r.json()) == (401, INVALID)
        # locked: even the right password is refused, with the very same answer
        r = await try_login(api, username, password)
        assert (r.status_code, r.json()) == (401, INVALID)
        r = await try_login(api, ghost, password)
        assert (r.status_code, r.json()) == (401, INVALID)

        log = (await admin.get("/api/console/audit", params={"user": username})).json()
        types = [e["type"] for e in log]
        assert types.count("login_failed") == 5
        assert "account_locked" in types and "login_refused_locked" in types
        locked = next(e for e in log if e["type"] == "account_locked")
        assert locked["after"]["locked_until"]


class TestResetToken:
    async def test_reset_code_reaches_the_notifier_works_once_and_expires_C8(
            self, system, api, admin):
        _, username, _ = await api.register()  # registered with mobile 13900001111
        r = await api.client.post("/api/auth/password-reset/request",
                                  json={"username": username})
        nobody = await api.client.post("/api/auth/password-reset/request",
                                       json={"username": f"nobody{uuid.uuid4().hex[:6]}"})
        assert r.status_code == nobody.status_code == 202
        assert r.json() == nobody.json()

        delivery = await notifier_message(system, reset_code_for(username))
        data = delivery["data"]
        assert data["channel"] == "sms" and data["recipient"] == "13900001111"
        token = data["params"]["token"]

        r = await api.client.post("/api/auth/password-reset/confirm",
                                  json={"token": token, "new_password": "Reset-2026-a"})
        assert r.status_code == 200, r.text
        customer = api.as_user()
        await customer.login(username, "Reset-2026-a")
        again = await api.client.post("/api/auth/password-reset/confirm",
                                      json={"token": token, "new_password": "Reset-2026-b"})
        assert again.status_code == 410 and "already been used" in again.json()["detail"]

        # a second code, then its 30 minutes pass
        await api.client.post("/api/auth/password-reset/request", json={"username": username})
        token2 = (await notifier_message(system, reset_code_for(username)))["data"][
            "params"]["token"]
        conn = await asyncpg.connect(asyncpg_dsn(system.config.database_url("gateway")))
        try:
            stored = await conn.fetch("SELECT token_hash FROM password_reset_tokens t JOIN "
                                      "users u ON u.id = t.user_id WHERE u.username = $1",
                                      username)
            assert {r["token_hash"] for r in stored} == {
                hashlib.sha256(t.encode()).hexdigest() for t in (token, token2)}
            await conn.execute("UPDATE password_reset_tokens SET expires_at = now() - "
                               "interval '1 second' WHERE token_hash = $1",
                               hashlib.sha256(token2.encode()).hexdigest())
        finally:
            await conn.close()
        expired = await api.client.post("/api/auth/password-reset/confirm",
                                        json={"token": token2, "new_password": "Reset-2026-c"})
        assert expired.status_code == 410 and "expired" in expired.json()["detail"]

        # the code was never written to a log or a span (only "sent": the development
        # notifier's outbox file stands for the user's phone)
        for path in Path(system.config.run_dir).rglob("*"):
            if path.is_file() and path.name != NOTIFIER_OUTBOX:
                text = path.read_text(errors="replace")
                assert token not in text and token2 not in text, path
        log = (await admin.get("/api/console/audit", params={"user": username})).json()
        types = {e["type"] for e in log}
        assert {"password_reset_requested", "password_reset_completed"} <= types


class TestFirstLogin:
    async def test_issued_staff_password_must_be_changed_first_C8(self, system, api, admin):
        username = f"s{uuid.uuid4().hex[:10]}"
        r = await admin.post("/api/console/staff", json={
            "username": username, "permissions": ["orders:query"]})
        assert r.status_code == 201, r.text
        temporary = r.json()["temporary_password"]
        staff = api.as_user()
        await staff.login(username, temporary)
        me = (await staff.get("/api/auth/me")).json()
        assert me["must_change_password"] is True
        for path in ("/api/console/orders", "/api/console/customers", "/api/console/staff"):
            r = await staff.get(path)
            assert r.status_code == 403 and r.json()["error"] == "PasswordChangeRequired"
        issued_token = staff.token
        await change_password(staff, temporary, "Chosen-2026-x")
        assert (await staff.get("/api/console/orders")).status_code == 200
        assert (await staff.get("/api/auth/me")).json()["must_change_password"] is False
        # the session of the issued password ended with the change
        r = await staff.client.get("/api/auth/me",
                                   headers={"Authorization": f"Bearer {issued_token}"})
        assert r.status_code == 401
        # a staff reset issues a new password that must be changed again
        r = await admin.post(f"/api/console/staff/{me['id']}/reset-password")
        assert r.status_code == 200
        assert (await staff.get("/api/console/orders")).status_code == 401
        await staff.login(username, r.json()["temporary_password"])
        r = await staff.get("/api/console/orders")
        assert r.status_code == 403 and r.json()["error"] == "PasswordChangeRequired"

    async def test_company_buyer_changes_its_issued_password_first_C8(self, system, api):
        _, username, password = await api.register()
        company_admin = api.as_user()
        await company_admin.login(username, password)
        assert (await company_admin.get("/api/auth/me")).json()["company_role"] == "admin"
        r = await company_admin.post("/api/portal/users", json={
            "username": f"b{uuid.uuid4().hex[:10]}", "display_name": "采购小王"})
        assert r.status_code == 201, r.text
        buyer_name, temporary = r.json()["user"]["username"], r.json()["temporary_password"]

        buyer = api.as_user()
        await buyer.login(buyer_name, temporary)
        for path in ("/api/portal/orders", "/api/portal/profile", "/api/portal/users"):
            r = await buyer.get(path)
            assert r.status_code == 403 and r.json()["error"] == "PasswordChangeRequired"
        await change_password(buyer, temporary, "Buyer-2026-x")
        assert (await buyer.get("/api/portal/orders")).status_code == 200
        profile = await buyer.get("/api/portal/profile")
        assert profile.status_code == 200, profile.text
        assert (await buyer.get("/api/portal/users")).status_code == 403  # not the admin

        users = (await company_admin.get("/api/portal/users")).json()
        assert {u["username"] for u in users} == {username, buyer_name}


class TestQueryPassword:
    async def test_query_password_unlocks_sensitive_reports_for_the_session_X3(
            self, system, admin):
        staff, record = await new_staff(admin, ["reports:query"])
        r = await staff.post("/api/auth/query-password", json={
            "current_password": "Staff-2026-ok", "query_password": "Query-2026-q"})
        assert r.status_code == 200, r.text
        assert (await staff.get("/api/auth/me")).json()["sensitive_until"] is None
        wrong = await staff.post("/api/auth/unlock-sensitive",
                                 json={"query_password": "Wrong-2026-q"})
        assert wrong.status_code == 401
        r = await staff.post("/api/auth/unlock-sensitive",
                             json={"query_password": "Query-2026-q"})
        assert r.status_code == 200 and r.json()["sensitive_until"]
        me = (await staff.get("/api/auth/me")).json()
        assert me["sensitive_until"] == r.json()["sensitive_until"]
        # another session of the same user is not unlocked
        other = admin.as_user()
        await other.login(record["username"], "Staff-2026-ok")
        assert (await other.get("/api/auth/me")).json()["sensitive_until"] is None
        log = (await admin.get("/api/console/audit", params={
            "user": record["username"]})).json()
        assert {"query_password_set", "sensitive_unlocked", "login_failed"} <= {
            e["type"] for e in log}
