"""Fakes of WeChat Pay API v3 and the Alipay gateway (B-2, O-6): real local HTTP servers in
a thread, with the RSA keys of both sides generated here.

Each fake checks what the real provider checks before it answers: the merchant's request
signature, recomputed here with `cryptography` directly from the providers' documented
rules (not with the code under test), and the payload. A request it refuses is recorded
in `problems`, so a test can assert that there were none. Its answers are signed the way
the provider signs them, and it builds the providers' notifications (WeChat's encrypted
resource, Alipay's signed form).
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit
from zoneinfo import ZoneInfo

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

BEIJING = ZoneInfo("Asia/Shanghai")


# --------------------------------------------------------------------------- keys
@dataclass(frozen=True)
class KeyPair:
    private: rsa.RSAPrivateKey

    @property
    def public(self) -> rsa.RSAPublicKey:
        return self.private.public_key()

    def private_pem(self, fmt: str = "pkcs8") -> str:
        f = (serialization.PrivateFormat.PKCS8 if fmt == "pkcs8"
             else serialization.PrivateFormat.TraditionalOpenSSL)
        return self.private.private_bytes(serialization.Encoding.PEM, f,
                                          serialization.NoEncryption()).decode()

    def public_pem(self) -> str:
        return self.public.public_bytes(
            serialization.Encoding.PEM,
            serialization.PublicFormat.SubjectPublicKeyInfo).decode()

    def private_base64(self) -> str:
        """Alipay's key tool style: the PKCS#8 DER in base64, no PEM markers."""
        return base64.b64encode(self.private.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption())).decode()

    def public_base64(self) -> str:
        return base64.b64encode(self.public.public_bytes(
            serialization.Encoding.DER,
            serialization.PublicFormat.SubjectPublicKeyInfo)).decode()

    def sign(self, message: bytes) -> str:
        return base64.b64encode(
            self.private.sign(message, padding.PKCS1v15(), hashes.SHA256())).decode()

    def verifies(self, message: bytes, signature_b64: str) -> bool:
        try:
            self.public.verify(base64.b64decode(signature_b64), message, padding.PKCS1v15(),
                               hashes.SHA256())
        except (InvalidSignature, ValueError):
            return False
        return True


@dataclass(frozen=True)
class Keys:
    merchant: KeyPair  # WeChat merchant API key (apiclient_key.pem)
    platform: KeyPair  # WeChat Pay's key (微信支付公钥)
    app: KeyPair  # Alipay application key
    alipay: KeyPair  # Alipay's own key
    forger: KeyPair  # someone else's


@cache
def keys() -> Keys:
    def pair() -> KeyPair:
        return KeyPair(rsa.generate_private_key(public_exponent=65537, key_size=2048))

    return Keys(pair(), pair(), pair(), pair(), pair())


# --------------------------------------------------------------------------- server
@dataclass
class Seen:
    method: str
    path: str  # with "?query" as sent
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Answer:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json; charset=utf-8"


class FakeServer:
    """A threaded HTTP server answering with `self.answer(seen) -> Answer`."""

    def __init__(self) -> None:
        self.seen: list[Seen] = []
        self.problems: list[str] = []
        self.delay = 0.0  # sleep this long before answering (for timeouts)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                seen = Seen(self.command, self.path,
                            dict(parse_qsl(parts.query, keep_blank_values=True)),
                            {k.lower(): v for k, v in self.headers.items()},
                            self.rfile.read(length) if length else b"")
                fake.seen.append(seen)
                if fake.delay:
                    time.sleep(fake.delay)
                answer = fake.answer(seen)
                try:
                    self.send_response(answer.status)
                    self.send_header("Content-Type", answer.content_type)
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(answer.body)))
                    self.end_headers()
                    self.wfile.write(answer.body)
                except OSError:  # the client gave up (timeout tests)
                    pass

            do_GET = do_POST = _serve

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,),
                                       daemon=True)

    def answer(self, seen: Seen) -> Answer:
        raise NotImplementedError

    def start(self) -> FakeServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# --------------------------------------------------------------------------- WeChat Pay
WECHAT_SCHEMA = "WECHATPAY2-SHA256-RSA2048"
RFC3339_BEIJING = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$")
_AUTH_ITEM = re.compile(r'(\w+)="([^"]*)"')


def wechat_signed_headers(body: bytes, key: KeyPair, serial: str, *,
                          timestamp: int | None = None,
                          nonce: str | None = None) -> dict[str, str]:
    """Wechatpay-* headers as WeChat Pay signs a response or a notification:
    "timestamp\\nnonce\\nbody\\n", SHA256withRSA, base64."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    nonce = nonce or secrets.token_hex(16)
    return {
        "Wechatpay-Nonce": nonce,
        "Wechatpay-Timestamp": stamp,
        "Wechatpay-Serial": serial,
        "Wechatpay-Signature-Type": WECHAT_SCHEMA,
        "Wechatpay-Signature": key.sign(f"{stamp}\n{nonce}\n".encode() + body + b"\n"),
    }


def wechat_transaction(out_trade_no: str, total: int, **kw: Any) -> dict[str, Any]:
    """A transaction as WeChat Pay describes one (notification resource or query)."""
    tx: dict[str, Any] = {
        "appid": "wx-test-appid", "mchid": "1900000109", "out_trade_no": out_trade_no,
        "transaction_id": "4200000848202612010290526543", "trade_type": "NATIVE",
        "trade_state": "SUCCESS", "trade_state_desc": "支付成功", "bank_type": "OTHERS",
        "attach": "", "success_time": "2026-12-01T10:31:05+08:00",
        "payer": {"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},
        "amount": {"total": total, "payer_total": total, "currency": "CNY",
                   "payer_currency": "CNY"},
    }
    tx.update(kw)
    return tx


def wechat_notification(transaction: dict[str, Any], *, apiv3_key: bytes, key: KeyPair,
                        serial: str, timestamp: int | None = None,
                        associated_data: str = "transaction") -> tuple[dict[str, str], bytes]:
    """A payment-success notification: the transaction encrypted with AEAD_AES_256_GCM
    (the 16-byte tag appended) in `resource`, the body signed in the headers."""
    nonce = secrets.token_hex(6)  # 12 characters, as WeChat's nonces are
    ciphertext = AESGCM(apiv3_key).encrypt(
        nonce.encode(), json.dumps(transaction, ensure_ascii=False).encode(),
        associated_data.encode())
    body = json.dumps({
        "id": "EV-2018022511223320873", "create_time": "2026-12-01T10:31:06+08:00",
        "resource_type": "encrypt-resource", "event_type": "TRANSACTION.SUCCESS",
        "summary": "支付成功",
        "resource": {"original_type": "transaction", "algorithm": "AEAD_AES_256_GCM",
                     "ciphertext": base64.b64encode(ciphertext).decode(), "nonce": nonce,
                     "associated_data": associated_data},
    }, ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json"}
    headers.update(wechat_signed_headers(body, key, serial, timestamp=timestamp))
    return headers, body


class FakeWeChatPay(FakeServer):
    """api.mch.weixin.qq.com: POST /v3/pay/transactions/native and
    GET /v3/pay/transactions/out-trade-no/{no}?mchid=…"""

    def __init__(self, *, mchid: str, appid: str, merchant_serial: str, merchant: KeyPair,
                 platform: KeyPair, platform_serial: str) -> None:
        super().__init__()
        self.mchid, self.appid, self.merchant_serial = mchid, appid, merchant_serial
        self.merchant, self.platform, self.platform_serial = merchant, platform, platform_serial
        self.reply: tuple[int, dict[str, Any]] | None = None  # None: a code_url
        self.sign_with: KeyPair | None = platform  # None: unsigned answers
        self.transactions: dict[str, dict[str, Any]] = {}

    def _check_authorization(self, seen: Seen) -> bool:
        value = seen.headers.get("authorization", "")
        if not value.startswith(WECHAT_SCHEMA + " "):
            self.problems.append(f"authorization schema: {value[:40]!r}")
            return False
        items = dict(_AUTH_ITEM.findall(value[len(WECHAT_SCHEMA) + 1:]))
        if set(items) != {"mchid", "nonce_str", "signature", "timestamp", "serial_no"}:
            self.problems.append(f"authorization items: {sorted(items)}")
            return False
        if items["mchid"] != self.mchid or items["serial_no"] != self.merchant_serial:
            self.problems.append("authorization mchid/serial_no")
        if abs(time.time() - int(items["timestamp"])) > 300:
            self.problems.append("authorization timestamp")
        message = (f"{seen.method}\n{seen.path}\n{items['timestamp']}\n"
                   f"{items['nonce_str']}\n").encode() + seen.body + b"\n"
        if not self.merchant.verifies(message, items["signature"]):
            self.problems.append("signature")
            return False
        return True

    def _signed(self, status: int, payload: dict[str, Any]) -> Answer:
        body = json.dumps(payload, ensure_ascii=False).encode()
        headers = ({} if self.sign_with is None else
                   wechat_signed_headers(body, self.sign_with, self.platform_serial))
        headers["Request-ID"] = secrets.token_hex(8)
        return Answer(status, body, headers)

    def answer(self, seen: Seen) -> Answer:
        if not self._check_authorization(seen):
            # WeChat answers a bad signature 401 SIGN_ERROR, without a signature of its own.
            return Answer(401, json.dumps({"code": "SIGN_ERROR",
                                           "message": "签名错误"}).encode())
        if seen.headers.get("accept") != "application/json":
            self.problems.append(f"accept: {seen.headers.get('accept')!r}")
        if seen.method == "POST" and seen.path == "/v3/pay/transactions/native":
            return self._native(seen)
        prefix = "/v3/pay/transactions/out-trade-no/"
        if seen.method == "GET" and seen.path.startswith(prefix):
            if seen.query.get("mchid") != self.mchid:
                self.problems.append(f"query mchid: {seen.query.get('mchid')!r}")
            no = urlsplit(seen.path).path[len(prefix):]
            if no not in self.transactions:
                return self._signed(404, {"code": "ORDER_NOT_EXIST", "message": "订单不存在"})
            return self._signed(200, self.transactions[no])
        self.problems.append(f"{seen.method} {seen.path}")
        return self._signed(404, {"code": "NOT_FOUND", "message": "no such API"})

    def _native(self, seen: Seen) -> Answer:
        if seen.headers.get("content-type") != "application/json":
            self.problems.append(f"content-type: {seen.headers.get('content-type')!r}")
        body = seen.json()
        if (body.get("appid"), body.get("mchid")) != (self.appid, self.mchid):
            self.problems.append("appid/mchid")
        for name in ("description", "out_trade_no", "notify_url"):
            if not isinstance(body.get(name), str) or not body[name]:
                self.problems.append(f"missing {name}")
        if not RFC3339_BEIJING.match(str(body.get("time_expire", ""))):
            self.problems.append(f"time_expire: {body.get('time_expire')!r}")
        amount = body.get("amount") or {}
        if not (type(amount.get("total")) is int and amount["total"] > 0
                and amount.get("currency") == "CNY"):
            self.problems.append(f"amount: {amount!r}")
        if self.reply is not None:
            return self._signed(*self.reply)
        return self._signed(200, {"code_url": "weixin://wxpay/bizpayurl?pr=p4lpSuKzz"})


# --------------------------------------------------------------------------- Alipay
ALIPAY_TIME = "%Y-%m-%d %H:%M:%S"


def alipay_sign_content(params: dict[str, str], exclude: tuple[str, ...]) -> bytes:
    return "&".join(f"{k}={v}" for k, v in sorted(params.items())
                    if k not in exclude and v != "").encode("utf-8")


def alipay_notification(key: KeyPair, **fields: str) -> bytes:
    """An asynchronous notification as Alipay posts it: form-encoded, signed over the
    sorted "k=v&…" of everything but sign and sign_type."""
    params = {
        "gmt_create": "2026-12-01 10:30:44", "charset": "utf-8",
        "gmt_payment": "2026-12-01 10:31:05", "notify_time": "2026-12-01 10:31:06",
        "subject": "订单 SO-20261201-0001 & 运费=0", "buyer_id": "2088102116773037",
        "invoice_amount": "801.50", "version": "1.0", "notify_id": "2026120100222103105",
        "fund_bill_list": '[{"amount":"801.50","fundChannel":"ALIPAYACCOUNT"}]',
        "notify_type": "trade_status_sync", "out_trade_no": "PAY-20261201-0001",
        "total_amount": "801.50", "trade_status": "TRADE_SUCCESS",
        "trade_no": "2026120122001456380542497258", "auth_app_id": "2021000000000001",
        "receipt_amount": "801.50", "point_amount": "0.00", "buyer_pay_amount": "801.50",
        "app_id": "2021000000000001", "sign_type": "RSA2", "seller_id": "2088031940831575",
    }
    params.update(fields)
    params["sign"] = key.sign(alipay_sign_content(params, ("sign", "sign_type")))
    return urlencode(params).encode()


class FakeAlipay(FakeServer):
    """openapi.alipay.com/gateway.do: alipay.trade.precreate and alipay.trade.query."""

    def __init__(self, *, app_id: str, app: KeyPair, alipay: KeyPair) -> None:
        super().__init__()
        self.app_id, self.app, self.alipay = app_id, app, alipay
        self.reply: dict[str, Any] | None = None  # None: a qr_code
        self.sign_with: KeyPair | None = alipay  # None: unsigned answers
        self.trades: dict[str, dict[str, Any]] = {}
        self.biz: list[dict[str, Any]] = []

    def _respond(self, method: str, node: dict[str, Any]) -> Answer:
        # The node's text exactly as it goes out, with a space after the colon and the
        # Chinese unescaped: the sign covers this text, not a re-serialisation.
        node_text = json.dumps(node, ensure_ascii=False)
        name = method.replace(".", "_") + "_response"
        text = f'{{"{name}": {node_text}'
        if self.sign_with is not None:
            text += f',"sign":"{self.sign_with.sign(node_text.encode())}"'
        return Answer(200, (text + "}").encode(), content_type="text/html;charset=utf-8")

    def answer(self, seen: Seen) -> Answer:
        if seen.method != "POST" or urlsplit(seen.path).path != "/gateway.do":
            self.problems.append(f"{seen.method} {seen.path}")
        if not seen.headers.get("content-type", "").startswith(
                "application/x-www-form-urlencoded"):
            self.problems.append(f"content-type: {seen.headers.get('content-type')!r}")
        params = dict(seen.query)
        params.update(parse_qsl(seen.body.decode("utf-8"), keep_blank_values=True))
        method = params.get("method", "")
        sign = params.get("sign", "")
        if not self.app.verifies(alipay_sign_content(params, ("sign",)), sign):
            self.problems.append("signature")
            return self._respond(method, {
                "code": "40002", "msg": "Invalid Arguments", "sub_code": "isv.invalid-signature",
                "sub_msg": "验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配"})
        for name, value in {"app_id": self.app_id, "format": "JSON", "charset": "utf-8",
                            "sign_type": "RSA2", "version": "1.0"}.items():
            if params.get(name) != value:
                self.problems.append(f"{name}={params.get(name)!r}")
        try:
            stamp = datetime.strptime(params.get("timestamp", ""), ALIPAY_TIME)
            if abs(datetime.now(BEIJING).replace(tzinfo=None) - stamp) > timedelta(minutes=15):
                self.problems.append("timestamp too far off")
        except ValueError:
            self.problems.append(f"timestamp={params.get('timestamp')!r}")
        biz = json.loads(params.get("biz_content", "{}"))
        self.biz.append(biz)
        if method == "alipay.trade.precreate":
            return self._precreate(params, biz)
        if method == "alipay.trade.query":
            trade = self.trades.get(biz.get("out_trade_no"))
            if trade is None:
                return self._respond(method, {
                    "code": "40004", "msg": "Business Failed", "sub_code": "ACQ.TRADE_NOT_EXIST",
                    "sub_msg": "交易不存在", "out_trade_no": biz.get("out_trade_no")})
            return self._respond(method, {"code": "10000", "msg": "Success", **trade})
        self.problems.append(f"method={method!r}")
        return self._respond(method, {"code": "40001", "msg": "Missing Required Arguments"})

    def _precreate(self, params: dict[str, str], biz: dict[str, Any]) -> Answer:
        method = "alipay.trade.precreate"
        if not params.get("notify_url"):
            self.problems.append("missing notify_url")
        if not re.match(r"^\d+\.\d\d$", str(biz.get("total_amount", ""))):
            self.problems.append(f"total_amount={biz.get('total_amount')!r}")
        for name in ("out_trade_no", "subject"):
            if not biz.get(name):
                self.problems.append(f"missing {name}")
        if self.reply is not None:
            return self._respond(method, self.reply)
        return self._respond(method, {
            "code": "10000", "msg": "Success", "out_trade_no": biz.get("out_trade_no"),
            "qr_code": "https://qr.alipay.com/bax03431ljhokirwl38f00a7"})


def beijing(text: str) -> datetime:
    return datetime.strptime(text, ALIPAY_TIME).replace(tzinfo=BEIJING).astimezone(UTC)
