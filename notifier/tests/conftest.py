"""Fakes of the providers' HTTP APIs (real local HTTP servers in a thread) and the
broker names of one test run.

Each fake checks what a real provider checks before it answers: the signature,
recomputed here independently of the notifier's code from the providers' documented
rules, and the payload. A request it refuses is recorded in `problems`, so a test can
assert that there were none.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

import aio_pika
import pytest


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class FakeServer:
    """A threaded HTTP server answering with `self.answer(seen) -> (status, json)`."""

    def __init__(self) -> None:
        self.seen: list[Seen] = []
        self.problems: list[str] = []
        self.delay = 0.0  # sleep this long before answering (for timeouts)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                seen = Seen(self.command, parts.path,
                            dict(parse_qsl(parts.query, keep_blank_values=True)),
                            {k.lower(): v for k, v in self.headers.items()},
                            self.rfile.read(length) if length else b"")
                fake.seen.append(seen)
                if fake.delay:
                    time.sleep(fake.delay)
                status, payload = fake.answer(seen)
                data = json.dumps(payload, ensure_ascii=False).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
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

    def answer(self, seen: Seen) -> tuple[int, Any]:
        raise NotImplementedError

    def start(self) -> FakeServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# --------------------------------------------------------------------- Alibaba Cloud
def _pop_encode(s: str) -> str:
    # RFC 3986 unreserved characters stay; a space is %20 (Alibaba Cloud's "POP" rule).
    return quote(s.encode("utf-8"), safe="-_.~")


class FakeAliyun(FakeServer):
    """dysmsapi.aliyuncs.com: GET /?Action=SendSms&…&Signature=… (RPC HMAC-SHA1)."""

    def __init__(self, access_key_id: str, secret: str) -> None:
        super().__init__()
        self.access_key_id = access_key_id
        self.secret = secret
        self.reply: dict[str, Any] = {
            "Code": "OK", "Message": "OK", "BizId": "900619746936498440^0",
            "RequestId": "F655A8D5-B967-440B-8683-DAD6FF8DE990"}
        self.status = 200

    def answer(self, seen: Seen) -> tuple[int, Any]:
        q = dict(seen.query)
        signature = q.pop("Signature", "")
        canonical = "&".join(f"{_pop_encode(k)}={_pop_encode(v)}" for k, v in sorted(q.items()))
        to_sign = "GET&%2F&" + _pop_encode(canonical)
        expected = base64.b64encode(hmac.new((self.secret + "&").encode(), to_sign.encode(),
                                             hashlib.sha1).digest()).decode()
        if seen.method != "GET" or seen.path != "/":
            self.problems.append(f"{seen.method} {seen.path}")
        if signature != expected:
            self.problems.append("signature")
            return 400, {"Code": "SignatureDoesNotMatch",
                         "Message": "Specified signature is not matched with our calculation."}
        for name, value in {"Action": "SendSms", "Version": "2017-05-25",
                            "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0",
                            "AccessKeyId": self.access_key_id}.items():
            if q.get(name) != value:
                self.problems.append(f"{name}={q.get(name)!r}")
        for name in ("PhoneNumbers", "SignName", "TemplateCode", "SignatureNonce", "Timestamp"):
            if not q.get(name):
                self.problems.append(f"missing {name}")
        stamp = datetime.strptime(q.get("Timestamp", ""), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        if abs((datetime.now(UTC) - stamp).total_seconds()) > 900:
            self.problems.append("Timestamp too far off")
        if "TemplateParam" in q:
            json.loads(q["TemplateParam"])
        return self.status, self.reply


# --------------------------------------------------------------------- Tencent Cloud
class FakeTencent(FakeServer):
    """sms.tencentcloudapi.com: POST / with a TC3-HMAC-SHA256 Authorization header."""

    def __init__(self, secret_id: str, secret_key: str) -> None:
        super().__init__()
        self.secret_id = secret_id
        self.secret_key = secret_key
        self.reply: dict[str, Any] | None = None  # None: Ok for every number

    def _expected_authorization(self, seen: Seen) -> str:
        timestamp = int(seen.headers["x-tc-timestamp"])
        date = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
        canonical = "\n".join([
            "POST", "/", "",
            f"content-type:{seen.headers['content-type']}\nhost:{seen.headers['host']}\n",
            "content-type;host", hashlib.sha256(seen.body).hexdigest()])
        scope = f"{date}/sms/tc3_request"
        to_sign = "\n".join(["TC3-HMAC-SHA256", str(timestamp), scope,
                             hashlib.sha256(canonical.encode()).hexdigest()])
        key = ("TC3" + self.secret_key).encode()
        for part in (date, "sms", "tc3_request"):
            key = hmac.new(key, part.encode(), hashlib.sha256).digest()
        signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
        return (f"TC3-HMAC-SHA256 Credential={self.secret_id}/{scope}, "
                f"SignedHeaders=content-type;host, Signature={signature}")

    def answer(self, seen: Seen) -> tuple[int, Any]:
        request_id = str(uuid.uuid4())
        if seen.headers.get("authorization") != self._expected_authorization(seen):
            self.problems.append("signature")
            return 200, {"Response": {"Error": {"Code": "AuthFailure.SignatureFailure",
                                                "Message": "signature mismatch"},
                                      "RequestId": request_id}}
        for name, value in {"x-tc-action": "SendSms", "x-tc-version": "2021-01-11",
                            "content-type": "application/json; charset=utf-8"}.items():
            if seen.headers.get(name) != value:
                self.problems.append(f"{name}={seen.headers.get(name)!r}")
        body = seen.json()
        for name in ("PhoneNumberSet", "SmsSdkAppId", "SignName", "TemplateId"):
            if not body.get(name):
                self.problems.append(f"missing {name}")
        if self.reply is not None:
            return 200, {"Response": {**self.reply, "RequestId": request_id}}
        return 200, {"Response": {"SendStatusSet": [
            {"SerialNo": f"5000:{n}", "PhoneNumber": n, "Fee": 1, "SessionContext": "",
             "Code": "Ok", "Message": "send success", "IsoCode": "CN"}
            for n in body["PhoneNumberSet"]], "RequestId": request_id}}


# --------------------------------------------------------------------- WeChat
class FakeWeChat(FakeServer):
    """api.weixin.qq.com: /cgi-bin/token and /cgi-bin/message/template/send."""

    def __init__(self, app_id: str, secret: str) -> None:
        super().__init__()
        self.app_id = app_id
        self.secret = secret
        self.token_fetches = 0
        self.valid_token: str | None = None
        self.send_errcode = 0  # answer sends with this errcode (0: accepted)
        self.sent: list[dict] = []

    def revoke_token(self) -> None:
        """The server forgets the token it issued (as after another client refreshed)."""
        self.valid_token = None

    def answer(self, seen: Seen) -> tuple[int, Any]:
        if seen.path == "/cgi-bin/token":
            if seen.query != {"grant_type": "client_credential", "appid": self.app_id,
                              "secret": self.secret}:
                self.problems.append(f"token query {seen.query}")
                return 200, {"errcode": 40013, "errmsg": "invalid appid"}
            self.token_fetches += 1
            self.valid_token = f"TOKEN-{self.token_fetches}"
            return 200, {"access_token": self.valid_token, "expires_in": 7200}
        if seen.path == "/cgi-bin/message/template/send" and seen.method == "POST":
            if seen.query.get("access_token") != self.valid_token or self.valid_token is None:
                return 200, {"errcode": 40001, "errmsg": "invalid credential, access_token "
                                                         "is invalid or not latest"}
            message = seen.json()
            for name in ("touser", "template_id", "data"):
                if not message.get(name):
                    self.problems.append(f"missing {name}")
            if self.send_errcode:
                return 200, {"errcode": self.send_errcode, "errmsg": "invalid openid"}
            self.sent.append(message)
            return 200, {"errcode": 0, "errmsg": "ok", "msgid": 200228332 + len(self.sent)}
        self.problems.append(f"{seen.method} {seen.path}")
        return 404, {"errcode": 404, "errmsg": "not found"}


@pytest.fixture
def fake_aliyun() -> Iterator[FakeAliyun]:
    fake = FakeAliyun("testId", "testSecret").start()
    yield fake
    fake.stop()


@pytest.fixture
def fake_tencent() -> Iterator[FakeTencent]:
    fake = FakeTencent("AKIDtest", "tencent-secret-key").start()
    yield fake
    fake.stop()


@pytest.fixture
def fake_wechat() -> Iterator[FakeWeChat]:
    fake = FakeWeChat("wx-app-id", "wx-app-secret").start()
    yield fake
    fake.stop()


# --------------------------------------------------------------------- RabbitMQ
@dataclass
class Broker:
    """A run's own exchange and queue prefix on the real RabbitMQ; removed afterwards."""

    url: str
    exchange: str
    queue_prefix: str
    connection: aio_pika.abc.AbstractRobustConnection
    channel: aio_pika.abc.AbstractChannel
    queues: set[str] = field(default_factory=set)

    @property
    def request_queue(self) -> str:
        return f"{self.queue_prefix}notifier.reminders"

    async def declare(self, name: str, keys: tuple[str, ...], **kwargs: Any):
        exchange = await self.channel.get_exchange(self.exchange)
        queue = await self.channel.declare_queue(name, durable=True, **kwargs)
        self.queues.add(name)
        for key in keys:
            await queue.bind(exchange, routing_key=key)
        return queue

    async def publish(self, body: bytes, routing_key: str, message_id: str | None = None):
        exchange = await self.channel.get_exchange(self.exchange)
        await exchange.publish(
            aio_pika.Message(body=body, message_id=message_id or str(uuid.uuid4()),
                             content_type="application/json",
                             delivery_mode=aio_pika.DeliveryMode.PERSISTENT),
            routing_key=routing_key)


@pytest.fixture
async def mq() -> AsyncIterator[Broker]:
    """Named apart from servicekit's `broker` fixture, which also needs PostgreSQL."""
    url = os.environ.get("DINGHUO_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
    run = uuid.uuid4().hex[:8]
    connection = await aio_pika.connect_robust(url, timeout=10)
    channel = await connection.channel()
    b = Broker(url, f"dinghuo.events.notifier-t{run}", f"notifier-t{run}.", connection, channel)
    await channel.declare_exchange(b.exchange, aio_pika.ExchangeType.TOPIC, durable=True)
    try:
        yield b
    finally:
        cleanup = await connection.channel()
        for name in sorted(b.queues):
            try:
                await cleanup.queue_delete(name)
            except Exception:  # noqa: BLE001 - already gone
                cleanup = await connection.channel()
        try:
            await cleanup.exchange_delete(b.exchange)
            await cleanup.exchange_delete(f"{b.exchange}.dlx")
        except Exception:  # noqa: BLE001, S110
            pass
        await connection.close()
