"""Gateway rules without I/O: usernames/passwords (X-3), routing table, OpenAPI merge."""

import pytest
from dinghuo_gateway.auth.caller import principal_of
from dinghuo_gateway.models import User
from dinghuo_gateway.proxy.openapi import merge
from dinghuo_gateway.proxy.routes import service_for
from dinghuo_gateway.users import domain, passwords


class TestCredentials:
    @pytest.mark.parametrize("name", ["ab", "-abc", "a b c", "x" * 41, "名字abc"])
    def test_bad_usernames(self, name):
        with pytest.raises(domain.InvalidCredentialsFormat):
            domain.check_username(name)

    def test_username_is_normalised(self):
        assert domain.check_username("  Wang.Li@Shop ") == "wang.li@shop"

    @pytest.mark.parametrize("pw", ["short1", "onlyletters", "12345678", "x" * 129])
    def test_weak_passwords_refused_X3(self, pw):
        with pytest.raises(domain.InvalidCredentialsFormat):
            domain.check_password(pw)

    def test_password_not_username(self):
        with pytest.raises(domain.InvalidCredentialsFormat):
            domain.check_password("wangli123", "WangLi123")

    def test_argon2_hash_verifies_only_the_password_X3(self):
        h = passwords.hash_password("secret-123")
        assert h.startswith("$argon2id$")
        assert passwords.verify_password(h, "secret-123")
        assert not passwords.verify_password(h, "secret-124")
        assert not passwords.verify_password(None, "secret-123")


class TestRouting:
    @pytest.mark.parametrize(("side", "path", "service"), [
        ("portal", "orders", "order"), ("portal", "orders/123", "order"),
        ("portal", "catalog", "customer"), ("portal", "invoices/1/confirm-receipt", "invoice"),
        ("portal", "points", "points"), ("console", "customers/1/approve", "customer"),
        ("console", "prompts", "notify"), ("console", "orders/review", "order"),
        ("portal", "prompts", None), ("console", "nope", None),
        # B-1: statements live in the order service, also below a customer
        ("portal", "statements", "order"), ("portal", "statements/2026-11/confirm", "order"),
        ("console", "statements", "order"),
        ("console", "customers/c1/statements", "order"),
        ("console", "customers/c1/statements/2026-11/resolve", "order"),
        ("console", "customers/c1", "customer"), ("console", "customers/c1/audit", "customer"),
        ("console", "customers/statements", "customer"),
        ("portal", "customers/c1/statements", None),
    ])
    def test_service_for(self, side, path, service):
        assert service_for(side, path) == service

    def test_staff_permissions_travel_customers_have_none(self):
        staff = User(id=__import__("uuid").uuid4(), username="li", kind="staff",
                     permissions=["orders:query"], areas=["华东"], customer_id=None)
        p = principal_of(staff)
        assert p.has("orders:query") and not p.has("orders:review") and p.areas == {"华东"}


class TestOpenAPIMerge:
    def test_merges_public_paths_and_renames_clashing_schemas(self):
        own = {"openapi": "3.1.0", "info": {"title": "x"}, "paths": {"/api/auth/login": {}},
               "components": {"schemas": {"Thing": {"type": "string"}}}}
        svc = {"paths": {
            "/api/portal/orders": {"get": {"responses": {"200": {"content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Thing"}}}}}}},
            "/healthz": {"get": {}}},
            "components": {"schemas": {"Thing": {"type": "object"}}}}
        doc = merge(own, {"order": svc})
        assert set(doc["paths"]) == {"/api/auth/login", "/api/portal/orders"}
        ref = doc["paths"]["/api/portal/orders"]["get"]["responses"]["200"]["content"][
            "application/json"]["schema"]["$ref"]
        assert ref == "#/components/schemas/OrderThing"
        assert doc["components"]["schemas"]["Thing"] == {"type": "string"}
        assert doc["paths"]["/api/portal/orders"]["get"]["security"] == [{"bearer": []}]


class TestClientAddress:
    def _req(self, peer, xff=None):
        from types import SimpleNamespace

        headers = {"x-forwarded-for": xff} if xff else {}
        return SimpleNamespace(client=SimpleNamespace(host=peer), headers=headers)

    def test_forwarded_for_believed_only_from_trusted_networks_X3(self):
        from types import SimpleNamespace

        from dinghuo_gateway.security.clients import client_address

        trusted = SimpleNamespace(trusted_proxies=["10.0.0.0/8"])
        assert client_address(self._req("10.1.2.3", "203.0.113.9"), trusted) == "203.0.113.9"
        assert client_address(self._req("198.51.100.7", "203.0.113.9"), trusted) == \
            "198.51.100.7"
        assert client_address(self._req("10.1.2.3", "203.0.113.9, 10.9.9.9"), trusted) == \
            "203.0.113.9"


class TestSessionTokenCache:
    def test_a_checked_token_is_not_checked_again_until_it_expires_issue16(self, monkeypatch):
        """issue 16: a session's token is verified (HMAC, JSON) once, then remembered;
        past its expiry it is checked afresh, and another secret does not accept it."""
        import uuid

        from dinghuo_gateway.auth import tokens
        from servicekit.errors import Unauthorized

        token, _ = tokens.issue(uuid.uuid4(), "staff", "a" * 40, 1)
        decoded: list[str] = []
        real = tokens._decode
        monkeypatch.setattr(tokens, "_decode",
                            lambda t, s: decoded.append(t) or real(t, s))
        claims = tokens.verify_claims(token, "a" * 40)
        assert tokens.verify_claims(token, "a" * 40) == claims and len(decoded) == 1
        with pytest.raises(Unauthorized):
            tokens.verify_claims(token, "b" * 40)
        # past its expiry the remembered token is checked afresh (and refused by PyJWT)
        monkeypatch.setattr(tokens.time, "time", lambda: claims.expires_at + 1)
        tokens.verify_claims(token, "a" * 40)
        assert len(decoded) == 3
