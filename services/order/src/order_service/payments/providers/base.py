"""The payment provider interface (B-2, O-6): what the payments service asks of WeChat Pay,
Alipay or the development sandbox, and what it gets back.

A provider does three things:
- `create_intent` asks the provider for a payment of one intent (our out_trade_no, an
  amount in yuan, a description, where to notify, until when) and returns `code_url`, the
  content of the QR code the customer scans;
- `verify_callback` turns the provider's notification (headers and the raw body, exactly
  as received) into a `PaymentNotice`, or raises `InvalidSignature` (forged, tampered,
  unknown key, stale timestamp: answer 401) or `CallbackError` (authentic or not, it
  cannot be used: malformed, not for this merchant, not CNY: answer 400);
- `callback_ack` says what the provider expects to read back.
`query` asks the provider about an intent (for reconciliation when a notification is late).

Nothing here decides whether a notice pays an intent: the payments service compares the
notice's out_trade_no, amount and currency with the intent it recorded, and must accept the
same notice more than once (providers resend until acknowledged).

Amounts are `Decimal` yuan with two places everywhere; a provider that counts in fen
(WeChat) converts exactly with `yuan_to_fen` / `fen_to_yuan`, never through float.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple, Protocol

import httpx
from servicekit.errors import AppError, BadRequest, Unauthorized

CURRENCY = "CNY"
CENT = Decimal("0.01")
# Both providers cap one payment far below this; it keeps fen within NUMERIC(14,2).
MAX_AMOUNT = Decimal("100000000.00")
_YUAN_RE = re.compile(r"^[0-9]{1,12}(\.[0-9]{1,2})?$")


# ----------------------------------------------------------------------------- errors
class InvalidSignature(Unauthorized):
    """The notification (or a provider's response) is not provably from the provider: a
    wrong or missing signature, an unknown key serial, a tampered body, a timestamp
    outside the accepted window. Answer the caller 401 and do nothing."""

    def __init__(self, message: str = "the notification's signature does not verify") -> None:
        super().__init__(message)


class CallbackError(BadRequest):
    """A notification that cannot be used: not the provider's format, a field missing or
    malformed, another merchant's, an amount in another currency. Answer 400."""


class ProviderError(AppError):
    """The provider did not create (or report) the payment: it refused (`code`, `message`
    as the provider said them), answered something that failed its signature check, or
    could not be reached. `retryable` says whether the same request may succeed later."""

    status_code = 502

    def __init__(self, provider: str, message: str, *, code: str = "",
                 retryable: bool = False, status_code: int | None = None) -> None:
        detail = f"{provider}: {code + ': ' if code else ''}{message}"
        super().__init__(detail[:500], status_code)
        self.provider = provider
        self.code = code
        self.provider_message = message
        self.retryable = retryable


class ProviderUnavailable(ProviderError):
    """No answer: a timeout or a connection error (always retryable)."""

    status_code = 503

    def __init__(self, provider: str, message: str) -> None:
        super().__init__(provider, message, code="UNAVAILABLE", retryable=True)


def transport_error(provider: str, exc: httpx.HTTPError, timeout: float) -> ProviderUnavailable:
    if isinstance(exc, httpx.TimeoutException):
        return ProviderUnavailable(provider, f"timeout after {timeout:g}s")
    return ProviderUnavailable(provider, f"connection error: {type(exc).__name__}: {exc}")


# ----------------------------------------------------------------------------- values
@dataclass(frozen=True)
class IntentRequest:
    """One payment to ask for. `out_trade_no` is our intent's number (6..32 characters of
    letters, digits, `_-|*` fit both providers); `amount` in yuan, > 0, two decimals;
    `expires_at` timezone-aware."""

    out_trade_no: str
    amount: Decimal
    description: str
    notify_url: str
    expires_at: datetime

    def __post_init__(self) -> None:
        if self.expires_at.tzinfo is None:
            raise ValueError("expires_at must be timezone-aware")
        yuan_to_fen(self.amount)  # validates the amount


@dataclass(frozen=True)
class IntentCreated:
    provider: str
    out_trade_no: str
    code_url: str  # the QR code's content (WeChat code_url, Alipay qr_code, sandbox page)
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PaymentNotice:
    """What a verified notification (or a query) says about one intent.

    `amount` is the order amount the provider recorded (WeChat amount.total, Alipay
    total_amount); `payer_amount` what the payer paid where the provider says it (less
    when a provider-side discount applied). `paid` is True only for a successful trade
    (WeChat SUCCESS, Alipay TRADE_SUCCESS / TRADE_FINISHED); `trade_state` is the
    provider's own word for it."""

    provider: str
    out_trade_no: str
    transaction_id: str | None
    amount: Decimal
    currency: str
    paid: bool
    trade_state: str
    paid_at: datetime | None = None
    payer_amount: Decimal | None = None
    raw: dict[str, Any] = field(default_factory=dict)


class CallbackAck(NamedTuple):
    """The HTTP answer the provider expects to a notification."""

    status: int
    content_type: str
    body: bytes


class PaymentProvider(Protocol):
    name: str

    async def create_intent(self, intent: IntentRequest) -> IntentCreated: ...

    def verify_callback(self, headers: Mapping[str, str], body: bytes) -> PaymentNotice: ...

    def callback_ack(self, ok: bool, message: str = "",
                     status: int | None = None) -> CallbackAck: ...

    async def query(self, out_trade_no: str) -> PaymentNotice | None: ...


# ----------------------------------------------------------------------------- money
def yuan_to_fen(amount: Decimal) -> int:
    """12.34 → 1234, exactly. Refuses a non-Decimal, a non-finite, a non-positive amount,
    more than two decimals and more than MAX_AMOUNT."""
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise ValueError(f"amount must be a finite Decimal, not {amount!r}")
    if amount <= 0 or amount > MAX_AMOUNT:
        raise ValueError(f"amount must be in (0, {MAX_AMOUNT}], not {amount}")
    if amount != amount.quantize(CENT):
        raise ValueError(f"amount has more than two decimals: {amount}")
    return int(amount.quantize(CENT) * 100)


def fen_to_yuan(fen: object, what: str = "amount") -> Decimal:
    """1234 → Decimal("12.34"). Only a JSON integer is an amount in fen (not a float, a
    string or a bool); anything else is a CallbackError."""
    if isinstance(fen, bool) or not isinstance(fen, int) or fen < 0:
        raise CallbackError(f"{what} must be a non-negative integer number of fen, "
                            f"not {fen!r}")
    return (Decimal(fen) / 100).quantize(CENT)


def yuan(text: object, what: str = "amount") -> Decimal:
    """"12.34" (as Alipay writes amounts) → Decimal("12.34"); refuses anything else."""
    if not isinstance(text, str) or not _YUAN_RE.match(text):
        raise CallbackError(f"{what} must be an amount in yuan such as \"12.34\", "
                            f"not {text!r}")
    try:
        return Decimal(text).quantize(CENT)
    except InvalidOperation as exc:  # pragma: no cover - the pattern already refuses it
        raise CallbackError(f"{what} is not a number: {text!r}") from exc


def yuan_text(amount: Decimal) -> str:
    """Decimal("12.3") → "12.30" (Alipay's total_amount)."""
    yuan_to_fen(amount)
    return f"{amount.quantize(CENT):f}"


def require_cny(currency: object, provider: str) -> str:
    if currency != CURRENCY:
        raise CallbackError(f"{provider} notification is in currency {currency!r}; only "
                            f"{CURRENCY} payments are accepted")
    return CURRENCY


def lower_keys(headers: Mapping[str, str]) -> dict[str, str]:
    """HTTP header names are case-insensitive; a plain dict is not."""
    return {k.lower(): v for k, v in headers.items()}
