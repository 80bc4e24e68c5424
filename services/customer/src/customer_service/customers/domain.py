"""Customer rules, pure: normalising and validating company information (C-1), the
review state machine (C-2), customer numbers, what changed (C-5), grades (C-4), ordering
cycles (C-6), payment terms (O-6), area visibility (C-7) and audit snapshots (X-3). No
I/O; unit-tested on their own.

The field checks raise `ValueError` so that pydantic turns them into a 422 that names the
field (`company.mobile: ...`)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import IntEnum, StrEnum
from typing import Any

from servicekit.cycles import CycleKind, next_due  # noqa: F401  (C-6, shared)
from servicekit.errors import Conflict, Unprocessable

GRADE_DEFAULT = "normal"
REASON_MAX = 500

# The company fields a customer fills in (C-1), in the order they are shown.
COMPANY_FIELDS: tuple[str, ...] = (
    "name", "contact_person", "mobile", "address", "email", "area", "area_code",
    "telephone", "fax", "qq", "tax_number", "invoice_title", "bank", "bank_account",
)

_MOBILE = re.compile(r"1[3-9]\d{9}")
_MOBILE_SEPARATORS = re.compile(r"[\s\-()（）]")
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")
_TAX_NUMBER = re.compile(r"[0-9A-Z]{15,20}")
_QQ = re.compile(r"[1-9][0-9]{4,11}")
_AREA_CODE = re.compile(r"0\d{2,3}")
_PHONE = re.compile(r"\+?[0-9(（][0-9\-\s()（）]*(?:(?:转|ext\.?|#|-)\s*\d{1,6})?",
                    re.IGNORECASE)
_BANK_ACCOUNT = re.compile(r"[0-9]{8,30}")


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


def normalize_area_code(value: str | None) -> str | None:
    """A mainland telephone area code: 0 and 2-3 more digits (010, 021, 0571)."""
    if value is None or not value.strip():
        return None
    code = value.strip()
    if not _AREA_CODE.fullmatch(code):
        raise ValueError("must be a telephone area code: 0 followed by 2 or 3 digits "
                         "(e.g. 021 or 0571)")
    return code


def normalize_phone(value: str | None) -> str | None:
    """A fixed-line (or mobile) number as people write it: digits with spaces, hyphens,
    brackets, an optional +country prefix and extension (`转123`); 5-20 digits."""
    if value is None or not value.strip():
        return None
    phone = " ".join(value.split())
    digits = sum(ch.isdigit() for ch in phone)
    if not _PHONE.fullmatch(phone) or not 5 <= digits <= 20:
        raise ValueError("must be a telephone number of 5 to 20 digits, e.g. 021-5888 1234 "
                         "(spaces, hyphens, brackets and an extension such as 转123 allowed)")
    return phone


def normalize_bank_account(value: str | None) -> str | None:
    """A bank account number: 8-30 digits, stored without spaces or hyphens."""
    if value is None or not value.strip():
        return None
    account = re.sub(r"[\s\-]", "", value)
    if not _BANK_ACCOUNT.fullmatch(account):
        raise ValueError("must be a bank account number of 8 to 30 digits")
    return account


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
        raise ValueError("a reason is required; it must not be blank")
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


# ---------------------------------------------------------------- grades (C-4)
class Grade(StrEnum):
    """Grades by cumulative paid consumption, lowest first (like QQ levels)."""

    NORMAL = "normal"
    SMALL = "small"
    LARGE = "large"

    @property
    def rank(self) -> int:
        return list(Grade).index(self)


class GradeSource(StrEnum):
    AUTO = "auto"  # earned by paid consumption
    STAFF = "staff"  # set explicitly by staff with a reason


@dataclass(frozen=True)
class GradeThresholds:
    small: Decimal = Decimal("10000")
    large: Decimal = Decimal("50000")

    def __post_init__(self) -> None:
        if not Decimal("0") < self.small < self.large:
            raise ValueError("grade thresholds must satisfy 0 < small < large")


def earned_grade(paid_total: Decimal, thresholds: GradeThresholds) -> Grade:
    """The grade a cumulative paid total earns: ≥ small → small, ≥ large → large."""
    if paid_total >= thresholds.large:
        return Grade.LARGE
    if paid_total >= thresholds.small:
        return Grade.SMALL
    return Grade.NORMAL


def automatic_grade(current: Grade, source: GradeSource, previous_total: Decimal,
                    new_total: Decimal, thresholds: GradeThresholds) -> Grade | None:
    """The grade after a payment raised the paid total, or None when it stays.

    Automatic changes only ever go up: a grade is never lowered silently. While the grade
    is the automatic one it follows what the total earns (so it also catches up after a
    threshold was lowered). After staff set the grade explicitly, their decision holds
    until a payment crosses a threshold the customer had not reached before."""
    earned = earned_grade(new_total, thresholds)
    if earned.rank <= current.rank:
        return None
    if source is GradeSource.STAFF and earned.rank <= earned_grade(
            previous_total, thresholds).rank:
        return None
    return earned


def grade_reason(grade: Grade, paid_total: Decimal, thresholds: GradeThresholds) -> str:
    threshold = thresholds.large if grade is Grade.LARGE else thresholds.small
    return (f"cumulative paid consumption {paid_total:.2f} reached the {grade.value} "
            f"grade threshold {threshold:.2f}")


# ---------------------------------------------------------------- ordering cycle (C-6)
class Weekday(IntEnum):
    MONDAY = 1
    TUESDAY = 2
    WEDNESDAY = 3
    THURSDAY = 4
    FRIDAY = 5
    SATURDAY = 6
    SUNDAY = 7


CYCLE_DAYS_MAX = 365


@dataclass(frozen=True)
class OrderingCycle:
    kind: CycleKind
    days: int | None = None
    weekday: int | None = None

    def __post_init__(self) -> None:
        if self.kind is CycleKind.DAYS:
            if self.days is None or not 1 <= self.days <= CYCLE_DAYS_MAX:
                raise InvalidCustomer(
                    f"days: an ordering cycle of every N days needs days from 1 to "
                    f"{CYCLE_DAYS_MAX}")
            if self.weekday is not None:
                raise InvalidCustomer("weekday: give either days or weekday, not both")
        else:
            if self.weekday is None or not 1 <= self.weekday <= 7:
                raise InvalidCustomer(
                    "weekday: a weekly ordering cycle needs a weekday from 1 (Monday) "
                    "to 7 (Sunday)")
            if self.days is not None:
                raise InvalidCustomer("days: give either days or weekday, not both")

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind.value, "days": self.days, "weekday": self.weekday}


def make_cycle(kind: str | None, days: int | None, weekday: int | None) -> OrderingCycle | None:
    """The cycle from its parts (kind None: no cycle); a part that does not fit the kind
    is refused (422 naming the field)."""
    if kind is None:
        if days is not None or weekday is not None:
            raise InvalidCustomer("kind: give kind=days with days, or kind=weekday with a "
                                  "weekday (kind=null clears the cycle)")
        return None
    return OrderingCycle(CycleKind(kind), days=days, weekday=weekday)


def later(current: date | None, candidate: date) -> date:
    """The last order date only moves forward (events may arrive out of order)."""
    return candidate if current is None or candidate > current else current


# ---------------------------------------------------------------- payment terms (O-6)
PAYMENT_TERMS_MAX = 365


def payment_terms_days(value: Any) -> int:
    """Payment terms: an approved order is due this many calendar days after its
    approval, 0 meaning on the day of approval. A whole number from 0 to 365 — not a
    string, a fraction or a boolean."""
    if (isinstance(value, bool) or not isinstance(value, int)
            or not 0 <= value <= PAYMENT_TERMS_MAX):
        raise ValueError(f"payment terms must be a whole number of days from 0 (due on "
                         f"approval) to {PAYMENT_TERMS_MAX}")
    return value


# ---------------------------------------------------------------- audit
def jsonable(value: Any) -> Any:
    """A value as it is stored in the audit log's JSON (money as "801.50")."""
    match value:
        case Decimal():
            return f"{value.quantize(Decimal('0.01'))}"
        case datetime() | date():
            return value.isoformat()
        case uuid.UUID():
            return str(value)
        case StrEnum():
            return value.value
        case dict():
            return {str(k): jsonable(v) for k, v in value.items()}
        case list() | tuple():
            return [jsonable(v) for v in value]
    return value


def diff(before: Mapping[str, Any], after: Mapping[str, Any],
         fields: Iterable[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The changed fields' old and new values, for an audit row."""
    changed = changed_fields(before, after, fields)
    return ({f: jsonable(before.get(f)) for f in changed},
            {f: jsonable(after.get(f)) for f in changed})
