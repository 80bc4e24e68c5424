"""Online payment provider adapters (B-2, O-6) against fakes of WeChat Pay API v3 and the
Alipay gateway that check the merchant's request signatures and payloads and answer
signed: create an intent (code_url / qr_code), a refusal, a timeout, a verified (and for
WeChat decrypted) notification with exact Decimal amounts, a forged, tampered or stale
notification (InvalidSignature), a non-CNY one (CallbackError), the acknowledgements; and
the development sandbox. No database."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import cache
from urllib.parse import parse_qsl, urlencode

import httpx
import pytest
from order_service.payments.providers import (
    CallbackError,
    IntentRequest,
    InvalidSignature,
    PaymentProviderSettings,
    ProviderError,
    ProviderUnavailable,
    build_provider,
    fen_to_yuan,
    yuan_to_fen,
)
from order_service.payments.providers.alipay import Alipay
from order_service.payments.providers.sandbox import Sandbox, sandbox_notification
from order_service.payments.providers.wechat import WeChatPay, request_message
from pydantic import ValidationError

from .fake_pay import (
    FakeAlipay,
    FakeWeChatPay,
    alipay_notification,
    beijing,
    keys,
    wechat_notification,
    wechat_transaction,
)

# Generous for a loaded 2-core machine (a signed answer took over 0.5 s there); the
# timeout tests pass SHORT and make the fakes sleep past it.
TIMEOUT = 10.0
SHORT = 0.5
MCHID, APPID = "1900000109", "wx-test-appid"
MERCHANT_SERIAL = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1"
PUB_KEY_ID = "PUB_KEY_ID_0119000001092026120100000000000001"
APIV3_KEY = "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6"  # 32 bytes
APP_ID = "2021000000000001"
NOTIFY = "https://dinghuo.example.com/api/payments/callbacks/{}"


def intent(provider: str = "wechat", amount: str = "801.50", **kw) -> IntentRequest:
    values = dict(out_trade_no="PAY-20261201-0001", amount=Decimal(amount),
                  description="订单 SO-20261201-0001", notify_url=NOTIFY.format(provider),
                  expires_at=datetime.now(UTC) + timedelta(minutes=30))
    values.update(kw)
    return IntentRequest(**values)


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as c:
        yield c


# ------------------------------------------------------------------ amounts
class TestAmounts:
    def test_yuan_and_fen_convert_exactly_B2(self):
        """B-2: WeChat counts fen; the conversion is exact Decimal arithmetic (19.99 * 100
        as a float is 1998.9999999999998)."""
        assert yuan_to_fen(Decimal("0.01")) == 1
        assert yuan_to_fen(Decimal("19.99")) == 1999
        assert yuan_to_fen(Decimal("801.5")) == 80150
        assert yuan_to_fen(Decimal("100000000.00")) == 10_000_000_000
        assert fen_to_yuan(1999) == Decimal("19.99")
        assert str(fen_to_yuan(80150)) == "801.50"
        assert str(fen_to_yuan(0)) == "0.00"

    @pytest.mark.parametrize("bad", [Decimal("1.005"), Decimal("0"), Decimal("-1"),
                                     Decimal("NaN"), Decimal("100000000.01"), 12.34, "12.34"])
    def test_an_amount_that_is_not_whole_fen_is_refused(self, bad):
        with pytest.raises(ValueError):
            yuan_to_fen(bad)

    @pytest.mark.parametrize("bad", [12.0, "1234", True, -1, None])
    def test_fen_from_a_provider_must_be_an_integer(self, bad):
        with pytest.raises(CallbackError):
            fen_to_yuan(bad)

    def test_an_intent_needs_an_aware_expiry(self):
        with pytest.raises(ValueError, match="timezone-aware"):
            intent(expires_at=datetime(2026, 12, 1, 10, 30))


# ------------------------------------------------------------------ WeChat Pay
def wechat_settings(url: str = "http://127.0.0.1:9", **kw) -> PaymentProviderSettings:
    k = keys()
    values = dict(payment_provider="wechat", wechatpay_base_url=url, wechatpay_appid=APPID,
                  wechatpay_mchid=MCHID, wechatpay_merchant_serial_no=MERCHANT_SERIAL,
                  wechatpay_merchant_private_key=k.merchant.private_pem(),
                  wechatpay_apiv3_key=APIV3_KEY,
                  wechatpay_platform_public_key=k.platform.public_pem(),
                  wechatpay_platform_public_key_id=PUB_KEY_ID,
                  payment_http_timeout_seconds=TIMEOUT)
    values.update(kw)
    return PaymentProviderSettings(**values)


@pytest.fixture
def fake_wechat() -> Iterator[FakeWeChatPay]:
    k = keys()
    fake = FakeWeChatPay(mchid=MCHID, appid=APPID, merchant_serial=MERCHANT_SERIAL,
                         merchant=k.merchant, platform=k.platform,
                         platform_serial=PUB_KEY_ID).start()
    yield fake
    fake.stop()


def notify(tx: dict, **kw) -> tuple[dict[str, str], bytes]:
    values = dict(apiv3_key=APIV3_KEY.encode(), key=keys().platform, serial=PUB_KEY_ID)
    values.update(kw)
    return wechat_notification(tx, **values)


@cache
def wechat() -> WeChatPay:
    """One provider for the notification tests (loading and checking an RSA key takes a
    moment)."""
    return WeChatPay(wechat_settings(), httpx.AsyncClient())


class TestWeChatPay:
    async def test_creates_a_signed_native_order_B2(self, fake_wechat, client):
        """B-2/O-6: POST /v3/pay/transactions/native signed WECHATPAY2-SHA256-RSA2048 with
        the merchant key (the fake verifies it), the amount in fen and CNY, time_expire in
        Beijing time; the signed answer's code_url is the QR code."""
        expires = datetime(2026, 12, 1, 2, 30, 0, 123456, tzinfo=UTC)
        created = await WeChatPay(wechat_settings(fake_wechat.url), client).create_intent(
            intent(expires_at=expires))
        assert fake_wechat.problems == []
        assert created.code_url == "weixin://wxpay/bizpayurl?pr=p4lpSuKzz"
        assert (created.provider, created.out_trade_no) == ("wechat", "PAY-20261201-0001")
        [seen] = fake_wechat.seen
        assert seen.json() == {
            "appid": APPID, "mchid": MCHID, "description": "订单 SO-20261201-0001",
            "out_trade_no": "PAY-20261201-0001", "time_expire": "2026-12-01T10:30:00+08:00",
            "notify_url": NOTIFY.format("wechat"),
            "amount": {"total": 80150, "currency": "CNY"}}

    def test_the_request_message_has_five_lines_each_ending_in_newline(self):
        """The documented example of WeChat's 签名生成: GET /v3/certificates."""
        assert request_message("GET", "/v3/certificates", 1554208460,
                               "593BEC0C930BF1AFEB40B4A08C8FB242", b"") == (
            b"GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n")

    async def test_a_wrong_merchant_key_is_refused_not_retryable(self, fake_wechat, client):
        settings = wechat_settings(
            fake_wechat.url, wechatpay_merchant_private_key=keys().forger.private_pem())
        with pytest.raises(ProviderError) as caught:
            await WeChatPay(settings, client).create_intent(intent())
        assert fake_wechat.problems == ["signature"]
        assert (caught.value.code, caught.value.retryable) == ("SIGN_ERROR", False)
        assert "签名错误" in caught.value.message

    async def test_a_refusal_says_the_providers_code_and_message_B2(self, fake_wechat, client):
        """B-2: 400 {"code": "PARAM_ERROR", …} → ProviderError naming it, not retryable."""
        fake_wechat.reply = (400, {"code": "PARAM_ERROR",
                                   "message": "参数错误: out_trade_no 长度不符合要求"})
        with pytest.raises(ProviderError) as caught:
            await WeChatPay(wechat_settings(fake_wechat.url), client).create_intent(intent())
        error = caught.value
        assert (error.provider, error.code, error.retryable) == ("wechat", "PARAM_ERROR", False)
        assert error.message == "wechat: PARAM_ERROR: 参数错误: out_trade_no 长度不符合要求"
        assert error.status_code == 502

    async def test_a_system_error_is_retryable(self, fake_wechat, client):
        fake_wechat.reply = (500, {"code": "SYSTEM_ERROR", "message": "系统繁忙，请稍后重试"})
        with pytest.raises(ProviderError) as caught:
            await WeChatPay(wechat_settings(fake_wechat.url), client).create_intent(intent())
        assert (caught.value.code, caught.value.retryable) == ("SYSTEM_ERROR", True)

    @pytest.mark.parametrize("signer", ["forger", None])
    async def test_an_answer_not_signed_by_wechat_pay_is_refused(self, fake_wechat, client,
                                                                 signer):
        """A 2xx answer without WeChat Pay's valid signature is forged: no code_url."""
        fake_wechat.sign_with = keys().forger if signer else None
        with pytest.raises(ProviderError) as caught:
            await WeChatPay(wechat_settings(fake_wechat.url), client).create_intent(intent())
        assert caught.value.code == "RESPONSE_SIGNATURE"
        assert caught.value.retryable is False

    async def test_a_timeout_is_retryable_B2(self, fake_wechat, client):
        fake_wechat.delay = SHORT * 3
        with pytest.raises(ProviderUnavailable) as caught:
            settings = wechat_settings(fake_wechat.url, payment_http_timeout_seconds=SHORT)
            await WeChatPay(settings, client).create_intent(intent())
        assert caught.value.message == "wechat: UNAVAILABLE: timeout after 0.5s"
        assert caught.value.retryable is True

    async def test_an_unreachable_provider_is_retryable(self, client):
        with pytest.raises(ProviderUnavailable) as caught:
            await WeChatPay(wechat_settings("http://127.0.0.1:9"), client).create_intent(
                intent())
        assert "connection error" in caught.value.message

    def test_a_notification_is_verified_and_decrypted_B2(self):
        """B-2: the headers' signature verifies with WeChat Pay's public key, the resource
        decrypts with the APIv3 key; amounts are exact Decimal yuan from fen."""
        tx = wechat_transaction("PAY-20261201-0001", 80150,
                                amount={"total": 80150, "payer_total": 80000,
                                        "currency": "CNY", "payer_currency": "CNY"})
        headers, body = notify(tx)
        notice = wechat().verify_callback({k.lower(): v for k, v in headers.items()}, body)
        assert notice.provider == "wechat"
        assert notice.out_trade_no == "PAY-20261201-0001"
        assert notice.transaction_id == "4200000848202612010290526543"
        assert notice.amount == Decimal("801.50") and str(notice.amount) == "801.50"
        assert notice.payer_amount == Decimal("800.00")
        assert (notice.currency, notice.paid, notice.trade_state) == ("CNY", True, "SUCCESS")
        assert notice.paid_at == datetime(2026, 12, 1, 2, 31, 5, tzinfo=UTC)

    def test_an_unpaid_state_is_reported_not_paid(self):
        tx = wechat_transaction("PAY-1", 100, trade_state="CLOSED", success_time=None,
                                transaction_id=None, amount={"total": 100, "currency": "CNY"})
        notice = wechat().verify_callback(*notify(tx))
        assert (notice.paid, notice.trade_state, notice.paid_at) == (False, "CLOSED", None)

    def test_a_forged_notification_is_an_invalid_signature_B2(self):
        """B-2: signed with another key than WeChat Pay's → InvalidSignature (401)."""
        headers, body = notify(wechat_transaction("PAY-1", 80150), key=keys().forger)
        with pytest.raises(InvalidSignature) as caught:
            wechat().verify_callback(headers, body)
        assert caught.value.status_code == 401

    def test_a_tampered_body_is_an_invalid_signature(self):
        headers, body = notify(wechat_transaction("PAY-1", 80150))
        tampered = body.replace("支付成功".encode(), "支付失败".encode())
        assert tampered != body
        with pytest.raises(InvalidSignature):
            wechat().verify_callback(headers, tampered)

    def test_an_unknown_serial_is_an_invalid_signature(self):
        headers, body = notify(wechat_transaction("PAY-1", 80150), serial="PUB_KEY_ID_OTHER")
        with pytest.raises(InvalidSignature, match="unknown Wechatpay-Serial"):
            wechat().verify_callback(headers, body)

    def test_missing_signature_headers_are_an_invalid_signature(self):
        _, body = notify(wechat_transaction("PAY-1", 80150))
        with pytest.raises(InvalidSignature, match="missing"):
            wechat().verify_callback(
                {"Content-Type": "application/json"}, body)

    def test_a_stale_timestamp_is_an_invalid_signature_B2(self):
        """B-2: a correctly signed notification more than 5 minutes old is a replay."""
        now = 1_800_000_000
        provider = WeChatPay(wechat_settings(), httpx.AsyncClient(), clock=lambda: now)
        tx = wechat_transaction("PAY-1", 80150)
        assert provider.verify_callback(*notify(tx, timestamp=now - 299)).paid
        with pytest.raises(InvalidSignature, match="more than 300 s from now"):
            provider.verify_callback(*notify(tx, timestamp=now - 301))
        with pytest.raises(InvalidSignature):
            provider.verify_callback(*notify(tx, timestamp=now + 301))

    def test_another_currency_is_a_callback_error_B2(self):
        """B-2: a notification in USD is refused with a sentence saying so."""
        tx = wechat_transaction("PAY-1", 11500, amount={"total": 11500, "payer_total": 11500,
                                                        "currency": "USD"})
        with pytest.raises(CallbackError) as caught:
            wechat().verify_callback(*notify(tx))
        assert caught.value.message == ("WeChat Pay notification is in currency 'USD'; only "
                                        "CNY payments are accepted")
        assert caught.value.status_code == 400

    def test_a_resource_encrypted_with_another_key_is_a_callback_error(self):
        headers, body = notify(wechat_transaction("PAY-1", 80150),
                               apiv3_key=b"Z" * 32)
        with pytest.raises(CallbackError, match="APIV3_KEY"):
            wechat().verify_callback(headers, body)

    def test_another_merchants_transaction_is_a_callback_error(self):
        tx = wechat_transaction("PAY-1", 80150, mchid="1230000109")
        with pytest.raises(CallbackError, match="mchid"):
            wechat().verify_callback(*notify(tx))

    @pytest.mark.parametrize("total", [801.5, "80150", None])
    def test_an_amount_not_in_integer_fen_is_a_callback_error(self, total):
        tx = wechat_transaction("PAY-1", 0, amount={"total": total, "currency": "CNY"})
        with pytest.raises(CallbackError, match="amount.total"):
            wechat().verify_callback(*notify(tx))

    def test_acknowledgements(self):
        provider = wechat()
        assert provider.callback_ack(True) == (200, "application/json", b'{"code":"SUCCESS"}')
        status, content_type, body = provider.callback_ack(False, "签名错误", 401)
        assert (status, content_type) == (401, "application/json")
        assert json.loads(body) == {"code": "FAIL", "message": "签名错误"}
        assert provider.callback_ack(False).status == 400

    async def test_query_reports_a_known_transaction_and_none_for_an_unknown(
            self, fake_wechat, client):
        """GET …/out-trade-no/{no}?mchid= is signed with its query string (the fake checks)."""
        fake_wechat.transactions["PAY-7"] = wechat_transaction("PAY-7", 1999)
        provider = WeChatPay(wechat_settings(fake_wechat.url), client)
        notice = await provider.query("PAY-7")
        assert (notice.paid, notice.amount) == (True, Decimal("19.99"))
        assert await provider.query("PAY-8") is None
        assert fake_wechat.problems == []
        assert fake_wechat.seen[0].path == f"/v3/pay/transactions/out-trade-no/PAY-7?mchid={MCHID}"


# ------------------------------------------------------------------ Alipay
def alipay_settings(url: str = "http://127.0.0.1:9/gateway.do", **kw) -> PaymentProviderSettings:
    k = keys()
    values = dict(payment_provider="alipay", alipay_gateway_url=url, alipay_app_id=APP_ID,
                  alipay_app_private_key=k.app.private_base64(),
                  alipay_public_key=k.alipay.public_base64(),
                  payment_http_timeout_seconds=TIMEOUT)
    values.update(kw)
    return PaymentProviderSettings(**values)


@pytest.fixture
def fake_alipay() -> Iterator[FakeAlipay]:
    k = keys()
    fake = FakeAlipay(app_id=APP_ID, app=k.app, alipay=k.alipay).start()
    fake.gateway = fake.url + "/gateway.do"
    yield fake
    fake.stop()


@cache
def alipay() -> Alipay:
    """One provider for the notification tests (loading and checking an RSA key takes a
    moment)."""
    return Alipay(alipay_settings(), httpx.AsyncClient())


class TestAlipay:
    async def test_precreates_a_signed_trade_and_gets_the_qr_code_B2(self, fake_alipay,
                                                                      client):
        """B-2/O-6: alipay.trade.precreate with the common parameters, RSA2-signed with the
        application key (the fake verifies it); the answer's sign verifies over the exact
        text of its response node; qr_code is the QR code."""
        created = await Alipay(alipay_settings(fake_alipay.gateway), client).create_intent(
            intent("alipay"))
        assert fake_alipay.problems == []
        assert created.code_url == "https://qr.alipay.com/bax03431ljhokirwl38f00a7"
        assert created.provider == "alipay"
        [seen] = fake_alipay.seen
        params = dict(parse_qsl(seen.body.decode()))
        assert params["method"] == "alipay.trade.precreate"
        assert params["notify_url"] == NOTIFY.format("alipay")
        assert fake_alipay.biz == [{
            "out_trade_no": "PAY-20261201-0001", "total_amount": "801.50",
            "subject": "订单 SO-20261201-0001", "timeout_express": "30m",
            "product_code": "FACE_TO_FACE_PAYMENT"}]

    async def test_a_wrong_application_key_is_refused(self, fake_alipay, client):
        settings = alipay_settings(fake_alipay.gateway,
                                   alipay_app_private_key=keys().forger.private_pem("pkcs1"))
        with pytest.raises(ProviderError) as caught:
            await Alipay(settings, client).create_intent(intent("alipay"))
        assert fake_alipay.problems == ["signature"]
        assert (caught.value.code, caught.value.retryable) == ("isv.invalid-signature", False)

    async def test_a_business_refusal_names_the_sub_code_B2(self, fake_alipay, client):
        """B-2: code 40004 → ProviderError with sub_code and sub_msg, not retryable."""
        fake_alipay.reply = {"code": "40004", "msg": "Business Failed",
                             "sub_code": "ACQ.TOTAL_FEE_EXCEED", "sub_msg": "订单金额超过限额"}
        with pytest.raises(ProviderError) as caught:
            await Alipay(alipay_settings(fake_alipay.gateway), client).create_intent(
                intent("alipay"))
        assert caught.value.message == "alipay: ACQ.TOTAL_FEE_EXCEED: 订单金额超过限额"
        assert caught.value.retryable is False

    async def test_a_system_error_is_retryable(self, fake_alipay, client):
        fake_alipay.reply = {"code": "20000", "msg": "Service Currently Unavailable",
                             "sub_code": "aop.unknow-error", "sub_msg": "系统繁忙"}
        with pytest.raises(ProviderError) as caught:
            await Alipay(alipay_settings(fake_alipay.gateway), client).create_intent(
                intent("alipay"))
        assert caught.value.retryable is True

    @pytest.mark.parametrize("signer", ["forger", None])
    async def test_an_answer_not_signed_by_alipay_is_refused(self, fake_alipay, client,
                                                             signer):
        fake_alipay.sign_with = keys().forger if signer else None
        with pytest.raises(ProviderError) as caught:
            await Alipay(alipay_settings(fake_alipay.gateway), client).create_intent(
                intent("alipay"))
        assert caught.value.code == "RESPONSE_SIGNATURE"

    async def test_a_timeout_is_retryable_B2(self, fake_alipay, client):
        fake_alipay.delay = SHORT * 3
        with pytest.raises(ProviderUnavailable) as caught:
            await Alipay(alipay_settings(fake_alipay.gateway, payment_http_timeout_seconds=SHORT),
                         client).create_intent(
                intent("alipay"))
        assert caught.value.message == "alipay: UNAVAILABLE: timeout after 0.5s"

    def test_a_notification_is_verified_and_parsed_B2(self):
        """B-2: the form's sign (over everything but sign and sign_type, sorted, decoded)
        verifies with the Alipay public key; total_amount is exact Decimal yuan."""
        body = alipay_notification(keys().alipay, buyer_pay_amount="800.00")
        notice = alipay().verify_callback(
            {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}, body)
        assert notice.provider == "alipay"
        assert notice.out_trade_no == "PAY-20261201-0001"
        assert notice.transaction_id == "2026120122001456380542497258"
        assert notice.amount == Decimal("801.50") and str(notice.amount) == "801.50"
        assert notice.payer_amount == Decimal("800.00")
        assert (notice.currency, notice.paid, notice.trade_state) == ("CNY", True,
                                                                      "TRADE_SUCCESS")
        assert notice.paid_at == beijing("2026-12-01 10:31:05")
        assert notice.raw["subject"] == "订单 SO-20261201-0001 & 运费=0"

    @pytest.mark.parametrize("status,paid", [("TRADE_FINISHED", True),
                                             ("WAIT_BUYER_PAY", False),
                                             ("TRADE_CLOSED", False)])
    def test_only_success_and_finished_are_paid(self, status, paid):
        body = alipay_notification(keys().alipay, trade_status=status)
        assert alipay().verify_callback({}, body).paid is paid

    def test_a_forged_notification_is_an_invalid_signature_B2(self):
        body = alipay_notification(keys().forger)
        with pytest.raises(InvalidSignature):
            alipay().verify_callback({}, body)

    def test_a_tampered_amount_is_an_invalid_signature_B2(self):
        params = dict(parse_qsl(alipay_notification(keys().alipay).decode()))
        params["total_amount"] = "0.01"
        with pytest.raises(InvalidSignature):
            alipay().verify_callback({}, urlencode(params).encode())

    def test_an_unsigned_notification_is_an_invalid_signature(self):
        params = dict(parse_qsl(alipay_notification(keys().alipay).decode()))
        del params["sign"]
        with pytest.raises(InvalidSignature):
            alipay().verify_callback({}, urlencode(params).encode())

    def test_another_apps_notification_is_a_callback_error(self):
        body = alipay_notification(keys().alipay, app_id="2021009999999999")
        with pytest.raises(CallbackError, match="app_id"):
            alipay().verify_callback({}, body)

    def test_another_sellers_notification_is_refused_when_the_seller_is_set(self):
        provider = Alipay(alipay_settings(alipay_seller_id="2088000000000001"),
                          httpx.AsyncClient())
        with pytest.raises(CallbackError, match="seller_id"):
            provider.verify_callback({}, alipay_notification(keys().alipay))

    def test_another_currency_is_a_callback_error_B2(self):
        body = alipay_notification(keys().alipay, trans_currency="USD")
        with pytest.raises(CallbackError, match="only CNY payments are accepted"):
            alipay().verify_callback({}, body)

    def test_a_malformed_amount_is_a_callback_error(self):
        body = alipay_notification(keys().alipay, total_amount="8.015e2")
        with pytest.raises(CallbackError, match="total_amount"):
            alipay().verify_callback({}, body)

    def test_acknowledgements(self):
        assert alipay().callback_ack(True) == (200, "text/plain; charset=utf-8", b"success")
        assert alipay().callback_ack(False, "bad", 401) == (401, "text/plain; charset=utf-8",
                                                            b"fail")

    async def test_query_reports_a_trade_and_none_for_an_unknown_one(self, fake_alipay,
                                                                     client):
        fake_alipay.trades["PAY-7"] = {
            "out_trade_no": "PAY-7", "trade_no": "2026120122001456380542490007",
            "trade_status": "TRADE_SUCCESS", "total_amount": "19.99",
            "send_pay_date": "2026-12-01 10:31:05"}
        provider = Alipay(alipay_settings(fake_alipay.gateway), client)
        notice = await provider.query("PAY-7")
        assert (notice.paid, notice.amount, notice.paid_at) == (
            True, Decimal("19.99"), beijing("2026-12-01 10:31:05"))
        assert await provider.query("PAY-8") is None
        assert fake_alipay.problems == []


# ------------------------------------------------------------------ sandbox
SECRET = "sandbox-secret-for-tests-0123456789"


def sandbox(**kw) -> Sandbox:
    return Sandbox(PaymentProviderSettings(payment_sandbox_secret=SECRET, **kw))


class TestSandbox:
    async def test_the_code_url_is_our_sandbox_page_B2(self):
        created = await sandbox().create_intent(intent("sandbox"))
        assert created.code_url == "/api/payments/sandbox/PAY-20261201-0001"
        created = await sandbox(payment_public_base_url="http://192.168.1.5:8080/"
                                ).create_intent(intent("sandbox"))
        assert created.code_url == "http://192.168.1.5:8080/api/payments/sandbox/PAY-20261201-0001"

    def test_its_notification_is_authenticated_B2(self):
        """B-2: the sandbox's notification is HMAC-signed with the settings' secret."""
        headers, body = sandbox_notification("PAY-1", Decimal("801.5"), SECRET,
                                             transaction_id="SANDBOX-1")
        notice = sandbox().verify_callback(headers, body)
        assert (notice.out_trade_no, notice.transaction_id, notice.amount, notice.currency,
                notice.paid) == ("PAY-1", "SANDBOX-1", Decimal("801.50"), "CNY", True)

    def test_a_wrong_secret_or_a_tampered_body_is_an_invalid_signature(self):
        headers, body = sandbox_notification("PAY-1", Decimal("801.50"), "another-secret")
        with pytest.raises(InvalidSignature):
            sandbox().verify_callback(headers, body)
        headers, body = sandbox_notification("PAY-1", Decimal("801.50"), SECRET)
        with pytest.raises(InvalidSignature):
            sandbox().verify_callback(headers, body.replace(b"801.50", b"1801.50"))

    def test_a_stale_notification_is_an_invalid_signature(self):
        headers, body = sandbox_notification("PAY-1", Decimal("1.00"), SECRET,
                                             timestamp=int(time.time()) - 301)
        with pytest.raises(InvalidSignature, match="from now"):
            sandbox().verify_callback(headers, body)

    def test_another_currency_is_a_callback_error(self):
        headers, body = sandbox_notification("PAY-1", Decimal("1.00"), SECRET, currency="USD")
        with pytest.raises(CallbackError, match="CNY"):
            sandbox().verify_callback(headers, body)

    async def test_query_knows_nothing(self):
        assert await sandbox().query("PAY-1") is None


# ------------------------------------------------------------------ settings
class TestSettings:
    def test_the_chosen_provider_needs_its_credentials(self):
        with pytest.raises(ValidationError) as caught:
            PaymentProviderSettings(payment_provider="wechat", wechatpay_mchid=MCHID)
        text = str(caught.value)
        assert "WECHATPAY_APPID" in text and "WECHATPAY_APIV3_KEY" in text
        assert "WECHATPAY_MCHID" not in text
        with pytest.raises(ValidationError, match="ALIPAY_PUBLIC_KEY"):
            PaymentProviderSettings(payment_provider="alipay", alipay_app_id=APP_ID,
                                    alipay_app_private_key="x")

    def test_the_apiv3_key_has_32_bytes(self):
        with pytest.raises(ValidationError, match="32 bytes"):
            wechat_settings(wechatpay_apiv3_key="short")

    def test_the_development_sandbox_secret_is_refused_in_production(self):
        class ServiceLike(PaymentProviderSettings):
            environment: str = "production"

        with pytest.raises(ValidationError, match="PAYMENT_SANDBOX_SECRET"):
            ServiceLike()
        assert ServiceLike(payment_sandbox_secret=SECRET).payment_provider == "sandbox"

    def test_keys_are_read_from_files(self, tmp_path):
        k = keys()
        (tmp_path / "apiclient_key.pem").write_text(k.merchant.private_pem("pkcs1"))
        (tmp_path / "pub_key.pem").write_text(k.platform.public_pem())
        settings = wechat_settings(
            wechatpay_merchant_private_key="",
            wechatpay_merchant_private_key_path=tmp_path / "apiclient_key.pem",
            wechatpay_platform_public_key="",
            wechatpay_platform_public_key_path=tmp_path / "pub_key.pem")
        provider = build_provider(settings, httpx.AsyncClient())
        assert isinstance(provider, WeChatPay)
        assert provider.verify_callback(*notify(wechat_transaction("PAY-1", 1))).paid

    def test_build_provider_follows_the_setting(self):
        client = httpx.AsyncClient()
        assert isinstance(build_provider(alipay_settings(), client), Alipay)
        assert isinstance(build_provider(PaymentProviderSettings(), client), Sandbox)
