"""Issue 15 / C-8: a password-reset request may name the account by its mobile number or
e-mail address instead of the username; which channel the code then takes."""

from __future__ import annotations

import pytest
from dinghuo_gateway.users.domain import reset_contact


@pytest.mark.parametrize(("given", "expected"), [
    ("13912345678", ("sms", "13912345678")),
    (" 139-1234-5678 ", ("sms", "13912345678")),
    ("+86 139 1234 5678", ("sms", "13912345678")),
    ("Buyer@Example.cn", ("email", "Buyer@Example.cn")),
    ("zhangsan", None),
    ("12345", None),
    ("2391234567", None),
    ("not an @ address", None),
])
def test_reset_contact_tells_a_mobile_number_or_an_email_address_C8(given, expected):
    assert reset_contact(given) == expected
