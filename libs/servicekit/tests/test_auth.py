"""The internal token (gateway → services) and permission checks (X-1)."""

import time
import uuid

import jwt
import pytest
from servicekit.auth import Principal, sign_internal_token, verify_internal_token
from servicekit.errors import Unauthorized

SECRET = "s" * 40


def test_round_trip_keeps_every_claim():
    p = Principal(subject="u1", kind="staff", username="li",
                  permissions=frozenset({"orders:query"}), areas=frozenset({"华东"}))
    assert verify_internal_token(sign_internal_token(p, SECRET), SECRET) == p
    c = Principal(subject="u2", kind="customer", customer_id=uuid.uuid4())
    back = verify_internal_token(sign_internal_token(c, SECRET), SECRET)
    assert back.customer_id == c.customer_id


def test_wrong_secret_tampered_or_expired_is_401():
    p = Principal(subject="u1", kind="staff")
    with pytest.raises(Unauthorized):
        verify_internal_token(sign_internal_token(p, SECRET), "other" * 10)
    with pytest.raises(Unauthorized, match="expired"):
        verify_internal_token(sign_internal_token(p, SECRET, ttl=-1), SECRET)
    forged = jwt.encode({"sub": "x", "kind": "staff", "perms": ["*"], "aud": "dinghuo-services",
                         "exp": int(time.time()) + 60}, "guess" * 10, algorithm="HS256")
    with pytest.raises(Unauthorized):
        verify_internal_token(forged, SECRET)


def test_a_remembered_token_still_expires_and_binds_to_its_secret():
    """Issue 16: a verified token is remembered, not trusted beyond its expiry nor under
    another secret; a token without an expiry is refused."""
    p = Principal(subject="u9", kind="staff", permissions=frozenset({"orders:query"}))
    token = sign_internal_token(p, SECRET, ttl=2)  # at least a second from now
    assert verify_internal_token(token, SECRET) == p
    assert verify_internal_token(token, SECRET) is verify_internal_token(token, SECRET)
    with pytest.raises(Unauthorized):
        verify_internal_token(token, "other" * 10)
    expires = jwt.decode(token, options={"verify_signature": False})["exp"]
    time.sleep(max(0.0, expires - time.time()) + 0.05)
    with pytest.raises(Unauthorized, match="expired"):
        verify_internal_token(token, SECRET)
    endless = jwt.encode({"sub": "x", "kind": "staff", "aud": "dinghuo-services"},
                         SECRET, algorithm="HS256")
    with pytest.raises(Unauthorized):
        verify_internal_token(endless, SECRET)


@pytest.mark.parametrize(("granted", "asked", "ok"), [
    ({"*"}, "orders:review", True),
    ({"orders:*"}, "orders:review", True),
    ({"orders:query"}, "orders:query", True),
    ({"orders:query"}, "orders:review", False),
    ({"customers:review"}, "orders:review", False),
    (set(), "orders:query", False),
])
def test_permissions_are_separate_X1(granted, asked, ok):
    assert Principal("s", "staff", permissions=frozenset(granted)).has(asked) is ok


def test_customers_hold_no_staff_permission():
    assert not Principal("c", "customer", permissions=frozenset({"*"})).has("orders:query")


def test_sensitive_flag_travels_only_when_set_X3():
    plain = Principal(subject="u1", kind="staff", permissions=frozenset({"reports:query"}))
    assert "sens" not in jwt.decode(sign_internal_token(plain, SECRET), SECRET,
                                    algorithms=["HS256"], audience="dinghuo-services")
    assert verify_internal_token(sign_internal_token(plain, SECRET), SECRET).sensitive is False
    unlocked = Principal(subject="u1", kind="staff", sensitive=True)
    assert verify_internal_token(sign_internal_token(unlocked, SECRET), SECRET).sensitive


class TestRequireSensitive:
    """Sensitive reports need the query password unlocked (X-3)."""

    @staticmethod
    def app():
        from fastapi import FastAPI
        from servicekit.auth import require_sensitive
        from servicekit.errors import install_error_handlers
        from servicekit.settings import ServiceSettings

        application = FastAPI()
        application.state.settings = ServiceSettings(internal_token_secret=SECRET)
        install_error_handlers(application)
        Sensitive = require_sensitive("reports:query")  # noqa: N806

        @application.get("/report")
        async def report(p: Sensitive) -> dict:
            return {"user": p.subject}

        return application

    async def call(self, principal: Principal):
        import httpx

        transport = httpx.ASGITransport(app=self.app())
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            return await c.get("/report", headers={
                "X-Internal-Token": sign_internal_token(principal, SECRET)})

    async def test_locked_is_403_query_password_required(self):
        r = await self.call(Principal("s", "staff", permissions=frozenset({"reports:query"})))
        assert r.status_code == 403 and r.json()["error"] == "SensitiveLocked"

    async def test_unlocked_with_permission_passes(self):
        r = await self.call(Principal("s", "staff", permissions=frozenset({"reports:query"}),
                                      sensitive=True))
        assert r.status_code == 200

    async def test_unlocked_without_permission_is_forbidden(self):
        r = await self.call(Principal("s", "staff", sensitive=True))
        assert r.status_code == 403 and r.json()["error"] == "Forbidden"


@pytest.mark.parametrize(("granted", "asked", "ok"), [
    ({"orders:*"}, "orders:*", True),
    ({f"orders:{a}" for a in ("entry", "query", "modify", "review")}, "orders:*", True),
    ({"orders:query", "orders:entry"}, "orders:*", False),
    ({"orders:*"}, "*", False),
    ({"*"}, "*", True),
    ({"ops:*"}, "ops:modify", True),
])
def test_one_permission_matcher_for_gateway_and_services_issue16(granted, asked, ok):
    """issue 16: the gateway's guards and grant checks (`servicekit.permissions.covers`)
    and every service's `Principal.has` give one answer (X-1)."""
    from servicekit.permissions import covers

    assert covers(frozenset(granted), asked) is ok
    assert Principal("s", "staff", permissions=frozenset(granted)).has(asked) is ok
