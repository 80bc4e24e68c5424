"""WeChat Pay API v3, Native payment (B-2, O-6): the customer scans `code_url`.

Order (Native下单, https://pay.weixin.qq.com/doc/v3/merchant/4012525171 and
https://pay.weixin.qq.com/docs/merchant/products/native-payment/apilist.html):
  POST {base}/v3/pay/transactions/native
  {"appid", "mchid", "description", "out_trade_no", "time_expire" (RFC 3339, +08:00),
   "notify_url", "amount": {"total": <fen>, "currency": "CNY"}}  →  200 {"code_url": …}
  An error is 4xx/5xx {"code": "PARAM_ERROR", "message": …}.
Query (查询订单): GET {base}/v3/pay/transactions/out-trade-no/{no}?mchid={mchid} → the
transaction (not encrypted); 404 ORDER_NOT_EXIST when WeChat never saw the number.

Request signature ("签名生成", https://pay.weixin.qq.com/wiki/doc/api_external/ch/wechatpay/
wechatpay4_0.shtml, and wechatpay-api.gitbook.io/wechatpay-api-v3/qian-ming-zhi-nan-1/
qian-ming-sheng-cheng): five lines, each ending in "\\n", the last too —
  HTTP method \\n URL path with "?query" \\n timestamp (s) \\n nonce \\n body ("" for GET) \\n
signed SHA256withRSA (PKCS#1 v1.5) with the merchant API private key, base64, sent as
  Authorization: WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",signature="…",
                 timestamp="…",serial_no="<merchant certificate serial>"
(the five items in any order).

Response and notification signature ("签名验证", .../wechatpay4_1.shtml and
.../qian-ming-zhi-nan-1/qian-ming-yan-zheng): three lines, each ending in "\\n" —
  Wechatpay-Timestamp \\n Wechatpay-Nonce \\n body \\n
verified against Wechatpay-Signature with WeChat Pay's public key (微信支付公钥, whose ID
"PUB_KEY_ID_…" comes in Wechatpay-Serial) or the platform certificate of that serial. A
2xx response without a valid signature is to be treated as forged ("wechatpay3_3.shtml":
"A successful response without a signature … should be considered forged or tampered").
We also refuse a Wechatpay-Timestamp more than 5 minutes from our clock (replays) and an
unknown serial; WeChat's deliberate probes ("WECHATPAY/SIGNTEST/…" signatures) fail the
check like any forgery.

Notification resource ("证书和回调报文解密", .../wechatpay4_2.shtml): resource =
{"algorithm": "AEAD_AES_256_GCM", "ciphertext": base64, "nonce", "associated_data",
"original_type": "transaction"}, AES-256-GCM (RFC 5116) with the 32-byte APIv3 key, the
nonce and associated_data as UTF-8, the 16-byte tag at the end of the ciphertext. The
plaintext is the transaction: out_trade_no, transaction_id, trade_state ("SUCCESS"),
success_time, amount {total, payer_total, currency, payer_currency} in fen.

Acknowledgement ("支付成功回调通知"): success is HTTP 200 (or 204); a failure is 4xx/5xx with
{"code": "FAIL", "message": …}, after which WeChat sends the notification again.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import httpx
from servicekit.timeutil import BUSINESS_TZ

from . import crypto
from .base import (
    CURRENCY,
    CallbackAck,
    CallbackError,
    IntentCreated,
    IntentRequest,
    InvalidSignature,
    PaymentNotice,
    ProviderError,
    fen_to_yuan,
    lower_keys,
    require_cny,
    transport_error,
    yuan_to_fen,
)
from .settings import PaymentProviderSettings

NAME = "wechat"
SCHEMA = "WECHATPAY2-SHA256-RSA2048"
NATIVE_PATH = "/v3/pay/transactions/native"
QUERY_PATH = "/v3/pay/transactions/out-trade-no/{}"
AEAD = "AEAD_AES_256_GCM"
SUCCESS = "SUCCESS"
USER_AGENT = "dinghuo-order (WeChat Pay API v3)"
# Worth another attempt later: WeChat's own faults and rate limits. PARAM_ERROR,
# INVALID_REQUEST, SIGN_ERROR, NO_AUTH (Native payment not activated), ORDER_CLOSED …
# will fail the same way again.
RETRYABLE_CODES = frozenset({"SYSTEM_ERROR", "SYSTEMERROR", "FREQUENCY_LIMITED", "BANKERROR"})


def nonce_str() -> str:
    return secrets.token_hex(16).upper()


def request_message(method: str, url_path: str, timestamp: int | str, nonce: str,
                    body: bytes) -> bytes:
    """The request's string to sign (five lines, each ending in \\n)."""
    return f"{method.upper()}\n{url_path}\n{timestamp}\n{nonce}\n".encode() + body + b"\n"


def response_message(timestamp: str, nonce: str, body: bytes) -> bytes:
    """A response's or notification's string to verify (three lines, each ending in \\n)."""
    return f"{timestamp}\n{nonce}\n".encode() + body + b"\n"


def authorization(*, mchid: str, serial_no: str, key: Any, method: str, url_path: str,
                  body: bytes, timestamp: int, nonce: str) -> str:
    signature = crypto.rsa_sha256_sign(
        key, request_message(method, url_path, timestamp, nonce, body))
    return (f'{SCHEMA} mchid="{mchid}",nonce_str="{nonce}",signature="{signature}",'
            f'timestamp="{timestamp}",serial_no="{serial_no}"')


def rfc3339(at: datetime) -> str:
    """2026-12-01T10:00:00+08:00 (Beijing time, whole seconds)."""
    return at.astimezone(BUSINESS_TZ).replace(microsecond=0).isoformat()


class WeChatPay:
    name = NAME

    def __init__(self, settings: PaymentProviderSettings, client: httpx.AsyncClient,
                 clock: Callable[[], float] = time.time) -> None:
        self.settings = settings
        self.client = client
        self.clock = clock
        self.base = settings.wechatpay_base_url.rstrip("/")
        self.timeout = settings.payment_http_timeout_seconds
        self.max_age = settings.payment_callback_max_age_seconds
        self.private_key = crypto.load_private_key(settings.wechatpay_private_key_text())
        # Keyed by the Wechatpay-Serial that names them; a second entry would carry a
        # key rotation.
        self.platform_keys = {
            settings.wechatpay_platform_public_key_id:
                crypto.load_public_key(settings.wechatpay_platform_key_text())}
        self.apiv3_key = settings.wechatpay_apiv3_key.get_secret_value().encode()

    # ------------------------------------------------------------------ HTTP
    async def _request(self, method: str, path: str, payload: dict | None) -> httpx.Response:
        url = self.base + path
        body = (json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
                if payload is not None else b"")
        s = self.settings
        headers = {
            "Authorization": authorization(
                mchid=s.wechatpay_mchid, serial_no=s.wechatpay_merchant_serial_no,
                key=self.private_key, method=method,
                url_path=httpx.URL(url).raw_path.decode("ascii"), body=body,
                timestamp=int(self.clock()), nonce=nonce_str()),
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
            "Wechatpay-Serial": s.wechatpay_platform_public_key_id,
        }
        if payload is not None:
            headers["Content-Type"] = "application/json"
        try:
            return await self.client.request(method, url, content=body or None,
                                             headers=headers, timeout=self.timeout)
        except httpx.HTTPError as exc:
            raise transport_error(NAME, exc, self.timeout) from exc

    def _refusal(self, response: httpx.Response) -> ProviderError:
        body = _json(response.content)
        code = str(body.get("code") or "") if body else ""
        message = str(body.get("message") or "") if body else ""
        status = response.status_code
        return ProviderError(
            NAME, message or f"HTTP {status}: {response.text[:200]}",
            code=code or f"HTTP_{status}",
            retryable=status >= 500 or status == 429 or code in RETRYABLE_CODES)

    def _signed_body(self, response: httpx.Response) -> dict:
        """A 2xx response's JSON, once its signature has verified."""
        try:
            self.verify_signature(response.headers, response.content)
        except InvalidSignature as exc:
            raise ProviderError(NAME, f"the response failed its signature check ({exc.message})",
                                code="RESPONSE_SIGNATURE") from exc
        body = _json(response.content)
        if body is None:
            raise ProviderError(NAME, f"the response is not a JSON object: "
                                      f"{response.text[:200]}", code="INVALID_RESPONSE")
        return body

    # ------------------------------------------------------------------ signatures
    def verify_signature(self, headers: Mapping[str, str], body: bytes) -> None:
        """Raise InvalidSignature unless the Wechatpay-* headers sign `body`."""
        h = lower_keys(headers)
        serial = h.get("wechatpay-serial")
        signature = h.get("wechatpay-signature")
        timestamp = h.get("wechatpay-timestamp")
        nonce = h.get("wechatpay-nonce")
        if not (serial and signature and timestamp and nonce):
            raise InvalidSignature("the Wechatpay-Serial/-Signature/-Timestamp/-Nonce "
                                   "headers are missing")
        kind = h.get("wechatpay-signature-type")
        if kind and kind != SCHEMA:
            raise InvalidSignature(f"unsupported Wechatpay-Signature-Type {kind!r}")
        key = self.platform_keys.get(serial)
        if key is None:
            raise InvalidSignature(f"unknown Wechatpay-Serial {serial!r}")
        try:
            stamp = int(timestamp)
        except ValueError:
            raise InvalidSignature(f"Wechatpay-Timestamp {timestamp!r} is not a number") from None
        if abs(self.clock() - stamp) > self.max_age:
            raise InvalidSignature(f"Wechatpay-Timestamp {stamp} is more than "
                                   f"{self.max_age} s from now")
        if not crypto.rsa_sha256_verify(key, response_message(timestamp, nonce, body),
                                        signature):
            raise InvalidSignature("the Wechatpay-Signature does not verify")

    # ------------------------------------------------------------------ the interface
    async def create_intent(self, intent: IntentRequest) -> IntentCreated:
        s = self.settings
        payload = {
            "appid": s.wechatpay_appid,
            "mchid": s.wechatpay_mchid,
            "description": intent.description[:127],
            "out_trade_no": intent.out_trade_no,
            "time_expire": rfc3339(intent.expires_at),
            "notify_url": intent.notify_url,
            "amount": {"total": yuan_to_fen(intent.amount), "currency": CURRENCY},
        }
        response = await self._request("POST", NATIVE_PATH, payload)
        if not response.is_success:
            raise self._refusal(response)
        body = self._signed_body(response)
        code_url = body.get("code_url")
        if not isinstance(code_url, str) or not code_url:
            raise ProviderError(NAME, "the response has no code_url", code="INVALID_RESPONSE")
        return IntentCreated(NAME, intent.out_trade_no, code_url, raw=body)

    def verify_callback(self, headers: Mapping[str, str], body: bytes) -> PaymentNotice:
        self.verify_signature(headers, body)
        event = _json(body)
        if event is None:
            raise CallbackError("the notification is not a JSON object")
        resource = event.get("resource")
        if not isinstance(resource, dict):
            raise CallbackError("the notification has no resource")
        if resource.get("algorithm") != AEAD:
            raise CallbackError(f"unsupported resource algorithm {resource.get('algorithm')!r}")
        ciphertext, nonce = resource.get("ciphertext"), resource.get("nonce")
        associated = resource.get("associated_data") or ""
        if not (isinstance(ciphertext, str) and isinstance(nonce, str)
                and isinstance(associated, str)):
            raise CallbackError("the resource lacks ciphertext or nonce")
        try:
            plain = crypto.aes_256_gcm_decrypt(self.apiv3_key, nonce, associated, ciphertext)
        except ValueError as exc:
            raise CallbackError(f"{exc} (check WECHATPAY_APIV3_KEY)") from exc
        transaction = _json(plain)
        if transaction is None:
            raise CallbackError("the decrypted resource is not a JSON object")
        return self._notice(transaction)

    def callback_ack(self, ok: bool, message: str = "",
                     status: int | None = None) -> CallbackAck:
        if ok:
            return CallbackAck(200, "application/json", b'{"code":"SUCCESS"}')
        body = {"code": "FAIL", "message": (message or "失败")[:200]}
        return CallbackAck(status or 400, "application/json",
                           json.dumps(body, ensure_ascii=False).encode())

    async def query(self, out_trade_no: str) -> PaymentNotice | None:
        path = (QUERY_PATH.format(quote(out_trade_no, safe=""))
                + f"?mchid={quote(self.settings.wechatpay_mchid, safe='')}")
        response = await self._request("GET", path, None)
        if response.status_code == 404:
            return None
        if not response.is_success:
            raise self._refusal(response)
        try:
            return self._notice(self._signed_body(response))
        except CallbackError as exc:
            raise ProviderError(NAME, exc.message, code="INVALID_RESPONSE") from exc

    # ------------------------------------------------------------------ parsing
    def _notice(self, tx: dict) -> PaymentNotice:
        s = self.settings
        if tx.get("mchid", s.wechatpay_mchid) != s.wechatpay_mchid:
            raise CallbackError(f"the transaction is for mchid {tx.get('mchid')!r}, not ours")
        if tx.get("appid", s.wechatpay_appid) != s.wechatpay_appid:
            raise CallbackError(f"the transaction is for appid {tx.get('appid')!r}, not ours")
        out_trade_no = tx.get("out_trade_no")
        if not isinstance(out_trade_no, str) or not out_trade_no:
            raise CallbackError("the transaction has no out_trade_no")
        trade_state = tx.get("trade_state")
        if not isinstance(trade_state, str) or not trade_state:
            raise CallbackError("the transaction has no trade_state")
        amount = tx.get("amount")
        if not isinstance(amount, dict):
            raise CallbackError("the transaction has no amount")
        # A domestic merchant's amounts are CNY; say so when WeChat says otherwise.
        currency = require_cny(amount.get("currency", CURRENCY), "WeChat Pay")
        if "payer_currency" in amount:
            require_cny(amount["payer_currency"], "WeChat Pay")
        total = fen_to_yuan(amount.get("total"), "amount.total")
        payer_total = (fen_to_yuan(amount["payer_total"], "amount.payer_total")
                       if amount.get("payer_total") is not None else None)
        paid = trade_state == SUCCESS
        transaction_id = tx.get("transaction_id") or None
        if paid and not isinstance(transaction_id, str):
            raise CallbackError("a successful transaction has no transaction_id")
        paid_at = None
        if tx.get("success_time"):
            try:
                paid_at = datetime.fromisoformat(str(tx["success_time"]))
            except ValueError as exc:
                raise CallbackError(f"success_time {tx['success_time']!r} is not "
                                    "an RFC 3339 time") from exc
            if paid_at.tzinfo is None:
                raise CallbackError("success_time has no time zone")
            paid_at = paid_at.astimezone(UTC)
        return PaymentNotice(provider=NAME, out_trade_no=out_trade_no,
                             transaction_id=transaction_id, amount=total, currency=currency,
                             paid=paid, trade_state=trade_state, paid_at=paid_at,
                             payer_amount=payer_total, raw=tx)


def _json(data: bytes) -> dict | None:
    try:
        value = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return None
    return value if isinstance(value, dict) else None
