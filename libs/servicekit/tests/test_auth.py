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
