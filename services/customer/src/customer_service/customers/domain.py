"""Customer rules, pure: normalising and validating company information (C-1), the
review state machine (C-2), customer numbers, what changed (C-5) and area visibility
(C-7). No I/O; unit-tested on their own.

The field checks raise `ValueError` so that pydantic turns them into a 422 that names the
field (`company.mobile: ...`)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any

from servicekit.errors import Conflict, Unprocessable

GRADE_DEFAULT = "normal"
REASON_MAX = 500

# The company fields a customer fills in (C-1), in the order they are shown.
COMPANY_FIELDS: tuple[str, ...] = (
    "name", "contact_person", "mobile", "address", "email", "area", "telephone", "fax",
    "qq", "tax_number", "invoice_title", "bank", "bank_account",
)

_MOBILE = re.compile(r"1[3-9]\d{9}")
_MOBILE_SEPARATORS = re.compile(r"[\s\-()（）]")
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")
_TAX_NUMBER = re.compile(r"[0-9A-Z]{15,20}")
_QQ = re.compile(r"[1-9]\d{4,11}")


class IllegalTransition(Conflict):
    """The customer's current state does not allow this (409)."""


class InvalidCustomer(Unprocessable):
    """The request breaks a rule of the customer's own data (422)."""


class CustomerStatus(StrEnum):
    PENDING_REVIEW = "pending_review"
    APPROVED = "approved"
    REJECTED = "rejected"


class Decision(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"


# ---------------------------------------------------------------- field rules (C-1)
def normalize_mobile(value: str) -> str:
    """A mainland Chinese mobile number as 11 digits: `+86 138-1234-5678` → `13812345678`."""
    digits = _MOBILE_SEPARATORS.sub("", value.strip())
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            digits = digits[len(prefix):]
            break
    if not _MOBILE.fullmatch(digits):
        raise ValueError("must be a Chinese mobile number: 11 digits starting with 1 "
                         "(e.g. 13812345678), optionally prefixed with +86")
    return digits


def normalize_email(value: str) -> str:
    email = value.strip().lower()
    if len(email) > 254 or not _EMAIL.fullmatch(email):
        raise ValueError("must be a valid email address such as buyer@example.com")
    return email


def normalize_tax_number(value: str | None) -> str | None:
    """The unified social credit code / taxpayer number: 15-20 letters or digits,
    stored upper-case without spaces; blank means none."""
    if value is None:
        return None
    tax = re.sub(r"\s", "", value).upper()
    if not tax:
        return None
    if not _TAX_NUMBER.fullmatch(tax):
        raise ValueError("must be 15 to 20 letters (A-Z) or digits, "
                         "e.g. 91310000MA1FL0XX1X")
    return tax


def normalize_qq(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    qq = value.strip()
    if not _QQ.fullmatch(qq):
        raise ValueError("must be a QQ number of 5 to 12 digits")
    return qq


def non_blank(value: str) -> str:
    """Trimmed text that must not be empty."""
    text = value.strip()
    if not text:
        raise ValueError("must not be blank")
    return text


def optional_text(value: str | None) -> str | None:
    """Trimmed text; blank means not given."""
    if value is None:
        return None
    return value.strip() or None


def check_reason(reason: str) -> str:
    text = reason.strip()
    if not text:
        raise ValueError("a rejection needs a reason; it must not be blank")
    if len(text) > REASON_MAX:
        raise ValueError(f"must be at most {REASON_MAX} characters")
    return text


# ---------------------------------------------------------------- review (C-2)
def review(status: CustomerStatus, decision: Decision) -> CustomerStatus:
    """Only a registration waiting for review can be approved or rejected."""
    if status is not CustomerStatus.PENDING_REVIEW:
        verb = "approved" if decision is Decision.APPROVE else "rejected"
        raise IllegalTransition(
            f"The customer is {status.value.replace('_', ' ')}; only a customer pending "
            f"review can be {verb}")
    return (CustomerStatus.APPROVED if decision is Decision.APPROVE
            else CustomerStatus.REJECTED)


def after_correction(status: CustomerStatus) -> CustomerStatus:
    """A customer corrects its information: a rejected registration is resubmitted for
    review (C-2); a pending or approved one keeps its status."""
    if status is CustomerStatus.REJECTED:
        return CustomerStatus.PENDING_REVIEW
    return status


def customer_number(seq: int) -> str:
    """Readable: KH000001 (six digits, more after 999999)."""
    if seq <= 0:
        raise ValueError("the sequence starts at 1")
    return f"KH{seq:06d}"


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any],
                   fields: Iterable[str] = COMPANY_FIELDS) -> list[str]:
    """The fields whose value differs, in the order of `fields` (C-5 prompt)."""
    return [f for f in fields if before.get(f) != after.get(f)]


# ---------------------------------------------------------------- areas (C-7)
def visible_to(staff_areas: frozenset[str], customer_area: str | None) -> bool:
    """Staff bound to areas see the customers of those areas only; staff bound to no
    area see all."""
    if not staff_areas:
        return True
    return customer_area is not None and customer_area in staff_areas
