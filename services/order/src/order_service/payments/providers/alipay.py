"""Alipay 当面付, QR code (扫码支付) through the open platform gateway (B-2, O-6): the customer
scans `qr_code`.

Request (alipay.trade.precreate, 统一收单线下交易预创建): POST to the gateway
(https://openapi.alipay.com/gateway.do) form-encoded, UTF-8, with the common parameters
app_id, method, format=JSON, charset=utf-8, sign_type=RSA2, timestamp ("yyyy-MM-dd
HH:mm:ss", Beijing time), version=1.0, notify_url, biz_content (JSON: out_trade_no,
total_amount "12.34", subject, timeout_express "90m", product_code FACE_TO_FACE_PAYMENT)
and sign.

Request signature ("自行实现签名", the open platform's signing guide as quoted at
https://juejin.cn/post/6844903816484110349 and in Alipay's Python SDK,
alipay-sdk-python-all SignatureUtils.get_sign_content / DefaultAlipayClient):
take every parameter except sign, drop empty values, sort by name (ASCII), join as
"k=v&k=v" with the raw (not URL-encoded) values, sign that UTF-8 text with SHA256withRSA
(PKCS#1 v1.5) and the application private key, base64 → sign.

Response ("同步返回验签"; the SDK's DefaultAlipayClient.__parse_response):
{"alipay_trade_precreate_response": {"code": "10000", "msg": "Success", "out_trade_no",
"qr_code"}, "sign": "…"}. The sign covers the exact text of the response node's JSON value
as Alipay sent it (not a re-serialisation), verified with the Alipay public key. A code
other than 10000 is a refusal (sub_code/sub_msg say why); "error_response" is the node of a
request Alipay could not route (e.g. a wrong app_id), often unsigned.

Asynchronous notification ("异步通知验签", docs.antom.com/ac/web_cn/async and the open
platform's notify guide): a form-encoded POST; remove sign and sign_type, sort the rest,
join "k=v&…" with the URL-decoded values, verify sign (RSA2) with the Alipay public key.
Then the notification must be for our app_id (and seller_id, when configured);
trade_status TRADE_SUCCESS or TRADE_FINISHED means paid; total_amount in yuan. The
acknowledgement is the plain text "success" (anything else, e.g. "fail", and Alipay sends
again: 2m, 10m, 10m, 1h, 2h, 6h, 15h within 25 hours).

Query (alipay.trade.query): biz_content {out_trade_no} → alipay_trade_query_response
{code 10000, trade_no, trade_status, total_amount, send_pay_date}; code 40004 with
sub_code ACQ.TRADE_NOT_EXIST when Alipay never saw the number (a precreated trade exists
only once the customer has scanned it).
"""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode

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
    require_cny,
    transport_error,
    yuan,
    yuan_text,
)
from .settings import PaymentProviderSettings

NAME = "alipay"
PRECREATE = "alipay.trade.precreate"
QUERY = "alipay.trade.query"
SIGN_TYPE = "RSA2"
SUCCESS_CODE = "10000"
PAID_STATES = frozenset({"TRADE_SUCCESS", "TRADE_FINISHED"})
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
FORM_TYPE = "application/x-www-form-urlencoded;charset=utf-8"
# 20000: service temporarily unavailable; ACQ.SYSTEM_ERROR: "系统异常, 请重试".
RETRYABLE = frozenset({"20000", "ACQ.SYSTEM_ERROR", "aop.ACQ.SYSTEM_ERROR"})
MAX_TIMEOUT_MINUTES = 15 * 24 * 60  # timeout_express takes 1m..15d


def sign_content(params: Mapping[str, str], exclude: tuple[str, ...] = ("sign",)) -> str:
    """Sorted "k=v&…" of the non-empty parameters not in `exclude`."""
    return "&".join(f"{k}={v}" for k, v in sorted(params.items())
                    if k not in exclude and v is not None and v != "")


def beijing_time(at: datetime) -> str:
    return at.astimezone(BUSINESS_TZ).strftime(TIME_FORMAT)


def timeout_express(expires_at: datetime, now: datetime) -> str:
    """Whole minutes from now until expires_at, rounded up, within 1m..15d."""
    minutes = math.ceil((expires_at - now).total_seconds() / 60)
    return f"{min(max(minutes, 1), MAX_TIMEOUT_MINUTES)}m"


def response_node(text: str, method: str) -> tuple[str, dict[str, Any], str | None]:
    """The response node's exact JSON text (what the sign covers), its value and the
    sign. Raises ValueError when the text has no such node."""
    document = json.loads(text)
    if not isinstance(document, dict):
        raise ValueError("not a JSON object")
    name = method.replace(".", "_") + "_response"
    if name not in document and "error_response" in document:
        name = "error_response"
    node = document.get(name)
    if not isinstance(node, dict):
        raise ValueError(f"no {name}")
    decoder = json.JSONDecoder()
    for match in re.finditer(rf'"{re.escape(name)}"\s*:\s*', text):
        try:
            value, end = decoder.raw_decode(text, match.end())
        except ValueError:
            continue
        if value == node:
            sign = document.get("sign")
            return text[match.end():end], node, sign if isinstance(sign, str) else None
    raise ValueError(f"cannot find the text of {name}")  # pragma: no cover


class Alipay:
    name = NAME

    def __init__(self, settings: PaymentProviderSettings, client: httpx.AsyncClient,
                 clock: Callable[[], float] = time.time) -> None:
        self.settings = settings
        self.client = client
        self.clock = clock
        self.gateway = settings.alipay_gateway_url
        self.timeout = settings.payment_http_timeout_seconds
        self.private_key = crypto.load_private_key(settings.alipay_private_key_text())
        self.alipay_key = crypto.load_public_key(settings.alipay_public_key_text())

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), UTC)

    # ------------------------------------------------------------------ the gateway
    def signed_params(self, method: str, biz: dict[str, Any],
                      notify_url: str | None = None) -> dict[str, str]:
        params = {
            "app_id": self.settings.alipay_app_id,
            "method": method,
            "format": "JSON",
            "charset": "utf-8",
            "sign_type": SIGN_TYPE,
            "timestamp": beijing_time(self._now()),
            "version": "1.0",
            "biz_content": json.dumps(biz, ensure_ascii=False, separators=(",", ":")),
        }
        if notify_url:
            params["notify_url"] = notify_url
        params["sign"] = crypto.rsa_sha256_sign(self.private_key,
                                                sign_content(params).encode("utf-8"))
        return params

    async def _call(self, method: str, biz: dict[str, Any],
                    notify_url: str | None = None) -> dict[str, Any]:
        """The verified response node; raises ProviderError for anything else."""
        body = urlencode(self.signed_params(method, biz, notify_url)).encode("ascii")
        try:
            response = await self.client.post(self.gateway, content=body,
                                              headers={"Content-Type": FORM_TYPE},
                                              timeout=self.timeout)
        except httpx.HTTPError as exc:
            raise transport_error(NAME, exc, self.timeout) from exc
        if not response.is_success:
            raise ProviderError(NAME, f"HTTP {response.status_code}: {response.text[:200]}",
                                code=f"HTTP_{response.status_code}",
                                retryable=response.status_code >= 500
                                or response.status_code == 429)
        try:
            text = response.content.decode("utf-8")
            raw, node, sign = response_node(text, method)
        except ValueError as exc:
            raise ProviderError(NAME, f"unexpected response ({exc}): {response.text[:200]}",
                                code="INVALID_RESPONSE") from exc
        if sign is not None:
            if not crypto.rsa_sha256_verify(self.alipay_key, raw.encode("utf-8"), sign):
                raise ProviderError(NAME, "the response failed its signature check",
                                    code="RESPONSE_SIGNATURE")
        elif node.get("code") == SUCCESS_CODE:
            raise ProviderError(NAME, "the response is not signed", code="RESPONSE_SIGNATURE")
        return node

    @staticmethod
    def _refusal(node: dict[str, Any]) -> ProviderError:
        code = str(node.get("code") or "")
        sub_code = str(node.get("sub_code") or "")
        message = str(node.get("sub_msg") or node.get("msg") or "refused")
        return ProviderError(NAME, message, code=sub_code or code,
                             retryable=code in RETRYABLE or sub_code in RETRYABLE)

    # ------------------------------------------------------------------ the interface
    async def create_intent(self, intent: IntentRequest) -> IntentCreated:
        biz = {
            "out_trade_no": intent.out_trade_no,
            "total_amount": yuan_text(intent.amount),
            "subject": intent.description[:256],
            "timeout_express": timeout_express(intent.expires_at, self._now()),
            "product_code": "FACE_TO_FACE_PAYMENT",
        }
        node = await self._call(PRECREATE, biz, intent.notify_url)
        if node.get("code") != SUCCESS_CODE:
            raise self._refusal(node)
        qr_code = node.get("qr_code")
        if not isinstance(qr_code, str) or not qr_code:
            raise ProviderError(NAME, "the response has no qr_code", code="INVALID_RESPONSE")
        return IntentCreated(NAME, intent.out_trade_no, qr_code, raw=node)

    def verify_callback(self, headers: Mapping[str, str], body: bytes) -> PaymentNotice:
        try:
            pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True,
                              strict_parsing=True, errors="strict")
        except (UnicodeDecodeError, ValueError) as exc:
            raise CallbackError("the notification is not a UTF-8 form") from exc
        params = dict(pairs)
        if len(params) != len(pairs):
            raise CallbackError("the notification repeats a parameter")
        sign = params.get("sign")
        if not sign:
            raise InvalidSignature("the notification is not signed")
        if params.get("sign_type", SIGN_TYPE) != SIGN_TYPE:
            raise InvalidSignature(f"unsupported sign_type {params['sign_type']!r}")
        content = sign_content(params, exclude=("sign", "sign_type"))
        if not crypto.rsa_sha256_verify(self.alipay_key, content.encode("utf-8"), sign):
            raise InvalidSignature("the notification's sign does not verify with the Alipay "
                                   "public key")
        s = self.settings
        if params.get("app_id") != s.alipay_app_id:
            raise CallbackError(f"the notification is for app_id {params.get('app_id')!r}, "
                                "not ours")
        if s.alipay_seller_id and params.get("seller_id") != s.alipay_seller_id:
            raise CallbackError(f"the notification is for seller_id "
                                f"{params.get('seller_id')!r}, not ours")
        return self._notice(params)

    def callback_ack(self, ok: bool, message: str = "",
                     status: int | None = None) -> CallbackAck:
        if ok:
            return CallbackAck(200, "text/plain; charset=utf-8", b"success")
        return CallbackAck(status or 400, "text/plain; charset=utf-8", b"fail")

    async def query(self, out_trade_no: str) -> PaymentNotice | None:
        node = await self._call(QUERY, {"out_trade_no": out_trade_no})
        if node.get("code") != SUCCESS_CODE:
            if node.get("sub_code") == "ACQ.TRADE_NOT_EXIST":
                return None
            raise self._refusal(node)
        try:
            return self._notice(node, paid_at_field="send_pay_date")
        except CallbackError as exc:
            raise ProviderError(NAME, exc.message, code="INVALID_RESPONSE") from exc

    # ------------------------------------------------------------------ parsing
    @staticmethod
    def _notice(params: Mapping[str, Any], paid_at_field: str = "gmt_payment") -> PaymentNotice:
        out_trade_no = params.get("out_trade_no")
        if not isinstance(out_trade_no, str) or not out_trade_no:
            raise CallbackError("the notification has no out_trade_no")
        trade_status = params.get("trade_status")
        if not isinstance(trade_status, str) or not trade_status:
            raise CallbackError("the notification has no trade_status")
        # A domestic trade carries no currency; a cross-border one names it.
        for field in ("trans_currency", "currency"):
            if params.get(field):
                require_cny(params[field], "Alipay")
        amount = yuan(params.get("total_amount"), "total_amount")
        payer = (yuan(params["buyer_pay_amount"], "buyer_pay_amount")
                 if params.get("buyer_pay_amount") else None)
        paid = trade_status in PAID_STATES
        trade_no = params.get("trade_no") or None
        if paid and not isinstance(trade_no, str):
            raise CallbackError("a paid trade has no trade_no")
        paid_at = None
        if params.get(paid_at_field):
            try:
                paid_at = (datetime.strptime(str(params[paid_at_field]), TIME_FORMAT)
                           .replace(tzinfo=BUSINESS_TZ).astimezone(UTC))
            except ValueError as exc:
                raise CallbackError(f"{paid_at_field} {params[paid_at_field]!r} is not "
                            "yyyy-MM-dd HH:mm:ss") from exc
        return PaymentNotice(provider=NAME, out_trade_no=out_trade_no,
                             transaction_id=trade_no, amount=amount, currency=CURRENCY,
                             paid=paid, trade_state=trade_status, paid_at=paid_at,
                             payer_amount=payer, raw=dict(params))
