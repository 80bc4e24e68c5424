"""The development payment provider (B-2): online payment end to end without a merchant
account.

`create_intent` asks nobody: its code_url is our own page
`{payment_public_base_url}/api/payments/sandbox/{out_trade_no}`, whose "pay" button (built
with the payments endpoints) makes the notification with `sandbox_notification` and posts
it to `/api/payments/callbacks/sandbox` like a provider would. The notification is
authenticated like a real one, so the callback path is the same in development and
production: JSON
  {"out_trade_no", "transaction_id", "amount": "12.34", "currency": "CNY",
   "trade_state": "SUCCESS", "paid_at": RFC 3339}
with headers X-Sandbox-Timestamp (Unix seconds), X-Sandbox-Nonce and
  X-Sandbox-Signature = hex(HMAC-SHA256(PAYMENT_SANDBOX_SECRET,
                                        "timestamp\\nnonce\\nbody\\n"))
(WeChat's message layout with an HMAC instead of RSA). A wrong signature or a timestamp
more than PAYMENT_CALLBACK_MAX_AGE_SECONDS from now is an InvalidSignature. The
acknowledgement is WeChat's: 200 {"code": "SUCCESS"}, or {"code": "FAIL", "message"}.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from urllib.parse import quote

import httpx

from .base import (
    CURRENCY,
    CallbackAck,
    CallbackError,
    IntentCreated,
    IntentRequest,
    InvalidSignature,
    PaymentNotice,
    lower_keys,
    require_cny,
    yuan,
    yuan_text,
)
from .settings import PaymentProviderSettings

NAME = "sandbox"
PAGE_PATH = "/api/payments/sandbox/{}"
HEADER_TIMESTAMP = "X-Sandbox-Timestamp"
HEADER_NONCE = "X-Sandbox-Nonce"
HEADER_SIGNATURE = "X-Sandbox-Signature"
SUCCESS = "SUCCESS"


def _secret_bytes(secret: str) -> bytes:
    if not secret:
        raise ValueError("the sandbox secret is empty")
    return secret.encode()


def sandbox_signature(secret: str, timestamp: str, nonce: str, body: bytes) -> str:
    message = f"{timestamp}\n{nonce}\n".encode() + body + b"\n"
    return hmac.new(_secret_bytes(secret), message, hashlib.sha256).hexdigest()


def sandbox_notification(out_trade_no: str, amount: Decimal, secret: str, *,
                         transaction_id: str | None = None, paid_at: datetime | None = None,
                         timestamp: int | None = None, nonce: str | None = None,
                         currency: str = CURRENCY,
                         trade_state: str = SUCCESS) -> tuple[dict[str, str], bytes]:
    """The sandbox's signed "the customer paid" notification: (headers, body)."""
    paid_at = paid_at or datetime.now(UTC)
    body = json.dumps({
        "out_trade_no": out_trade_no,
        "transaction_id": transaction_id or f"SANDBOX-{uuid.uuid4().hex}",
        "amount": yuan_text(amount),
        "currency": currency,
        "trade_state": trade_state,
        "paid_at": paid_at.isoformat(),
    }, separators=(",", ":")).encode()
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    nonce = nonce or secrets.token_hex(16)
    headers = {
        "Content-Type": "application/json",
        HEADER_TIMESTAMP: stamp,
        HEADER_NONCE: nonce,
        HEADER_SIGNATURE: sandbox_signature(secret, stamp, nonce, body),
    }
    return headers, body


class Sandbox:
    name = NAME

    def __init__(self, settings: PaymentProviderSettings,
                 client: httpx.AsyncClient | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self.settings = settings
        self.clock = clock
        self.base = settings.payment_public_base_url.rstrip("/")
        self.max_age = settings.payment_callback_max_age_seconds
        self.secret = settings.payment_sandbox_secret.get_secret_value()
        _secret_bytes(self.secret)

    def notification(self, out_trade_no: str, amount: Decimal,
                     **kw: object) -> tuple[dict[str, str], bytes]:
        """`sandbox_notification` with this provider's secret and clock (for the page)."""
        kw.setdefault("timestamp", int(self.clock()))
        return sandbox_notification(out_trade_no, amount, self.secret, **kw)  # type: ignore[arg-type]

    async def create_intent(self, intent: IntentRequest) -> IntentCreated:
        code_url = self.base + PAGE_PATH.format(quote(intent.out_trade_no, safe=""))
        return IntentCreated(NAME, intent.out_trade_no, code_url, raw={
            "amount": yuan_text(intent.amount), "description": intent.description,
            "expires_at": intent.expires_at.isoformat()})

    def verify_callback(self, headers: Mapping[str, str], body: bytes) -> PaymentNotice:
        h = lower_keys(headers)
        stamp = h.get(HEADER_TIMESTAMP.lower())
        nonce = h.get(HEADER_NONCE.lower())
        signature = h.get(HEADER_SIGNATURE.lower())
        if not (stamp and nonce and signature):
            raise InvalidSignature("the X-Sandbox-Timestamp/-Nonce/-Signature headers are "
                                   "missing")
        expected = sandbox_signature(self.secret, stamp, nonce, body)
        if not hmac.compare_digest(expected, signature.lower()):
            raise InvalidSignature("the X-Sandbox-Signature does not verify")
        try:
            at = int(stamp)
        except ValueError:
            raise InvalidSignature(f"X-Sandbox-Timestamp {stamp!r} is not a number") from None
        if abs(self.clock() - at) > self.max_age:
            raise InvalidSignature(f"X-Sandbox-Timestamp {at} is more than {self.max_age} s "
                                   "from now")
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            data = None
        if not isinstance(data, dict):
            raise CallbackError("the notification is not a JSON object")
        out_trade_no = data.get("out_trade_no")
        if not isinstance(out_trade_no, str) or not out_trade_no:
            raise CallbackError("the notification has no out_trade_no")
        trade_state = data.get("trade_state")
        if not isinstance(trade_state, str) or not trade_state:
            raise CallbackError("the notification has no trade_state")
        currency = require_cny(data.get("currency"), "sandbox")
        amount = yuan(data.get("amount"), "amount")
        paid_at = None
        if data.get("paid_at"):
            try:
                paid_at = datetime.fromisoformat(str(data["paid_at"]))
            except ValueError as exc:
                raise CallbackError(f"paid_at {data['paid_at']!r} is not a time") from exc
            if paid_at.tzinfo is None:
                raise CallbackError("paid_at has no time zone")
            paid_at = paid_at.astimezone(UTC)
        transaction_id = data.get("transaction_id")
        return PaymentNotice(
            provider=NAME, out_trade_no=out_trade_no,
            transaction_id=transaction_id if isinstance(transaction_id, str) else None,
            amount=amount, currency=currency, paid=trade_state == SUCCESS,
            trade_state=trade_state, paid_at=paid_at, raw=data)

    def callback_ack(self, ok: bool, message: str = "",
                     status: int | None = None) -> CallbackAck:
        if ok:
            return CallbackAck(200, "application/json", b'{"code":"SUCCESS"}')
        body = {"code": "FAIL", "message": (message or "failed")[:200]}
        return CallbackAck(status or 400, "application/json",
                           json.dumps(body, ensure_ascii=False).encode())

    async def query(self, out_trade_no: str) -> PaymentNotice | None:
        """The sandbox keeps no trades: the payments service's own record is the truth."""
        return None
