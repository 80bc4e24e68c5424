"""Each real provider against a fake of its HTTP API that checks the signature and the
payload (B-4, N-2): accepted, refused (a reason, not retryable), throttled or timed out
(retryable), and a template without a mapping (not retryable, no request sent)."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from dinghuo_contracts import DeliveryRequested
from dinghuo_notifier.config import Settings
from dinghuo_notifier.providers import build_providers, make_http_client
from dinghuo_notifier.providers.aliyun import AliyunSms
from dinghuo_notifier.providers.tencent import TencentSms
from dinghuo_notifier.providers.wechat import WeChatTemplate, template_data

# Generous for a loaded 2-core machine; the timeout tests pass SHORT and make the fakes
# sleep past it.
TIMEOUT = 10.0
SHORT = 0.5


def request(**kw) -> DeliveryRequested:
    fields = dict(channel="sms", recipient="13812345678", template="payment_due",
                  params={"number": "SO-20261201-0001", "amount": "801.50"},
                  delivery_id=uuid.uuid4(), attempt=1, text="订单 SO-20261201-0001 应付款 801.50",
                  text_en="Order SO-20261201-0001: 801.50 due")
    fields.update(kw)
    return DeliveryRequested(**fields)


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=TIMEOUT) as c:
        yield c


@pytest.fixture
async def short_client() -> AsyncIterator[httpx.AsyncClient]:
    """The client as the notifier builds it from a SHORT http_timeout_seconds."""
    async with httpx.AsyncClient(timeout=SHORT) as c:
        yield c


# ------------------------------------------------------------------ Alibaba Cloud
def aliyun_settings(url: str, **kw) -> Settings:
    values = dict(sms_provider="aliyun", aliyun_access_key_id="testId",
                  aliyun_access_key_secret="testSecret", aliyun_sign_name="订货平台",
                  aliyun_endpoint=url, aliyun_templates={"payment_due": "SMS_123"},
                  http_timeout_seconds=TIMEOUT)
    values.update(kw)
    return Settings(**values)


class TestAliyunSms:
    async def test_delivers_a_signed_send_sms_B4(self, fake_aliyun, client):
        """B-4/N-2: a signed SendSms with the mapped TemplateCode and the params as
        TemplateParam; Code OK → delivered with the BizId as receipt."""
        req = request()
        result = await AliyunSms(aliyun_settings(fake_aliyun.url), client).send(req)
        assert (result.status, result.provider) == ("delivered", "aliyun")
        assert result.provider_message_id == "900619746936498440^0"
        assert fake_aliyun.problems == []
        [seen] = fake_aliyun.seen
        assert seen.query["PhoneNumbers"] == "13812345678"
        assert seen.query["SignName"] == "订货平台"
        assert seen.query["TemplateCode"] == "SMS_123"
        assert json.loads(seen.query["TemplateParam"]) == req.params
        assert seen.query["OutId"] == str(req.delivery_id)

    async def test_a_wrong_secret_fails_the_fakes_signature_check(self, fake_aliyun, client):
        settings = aliyun_settings(fake_aliyun.url, aliyun_access_key_secret="wrong")
        result = await AliyunSms(settings, client).send(request())
        assert fake_aliyun.problems == ["signature"]
        assert result.status == "failed"
        assert result.reason.startswith("provider error SignatureDoesNotMatch")
        assert result.retryable is False

    async def test_an_illegal_number_is_not_retryable_N2(self, fake_aliyun, client):
        """N-2: isv.MOBILE_NUMBER_ILLEGAL → failed with the code and message, not
        retryable."""
        fake_aliyun.reply = {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号",
                             "RequestId": "x"}
        result = await AliyunSms(aliyun_settings(fake_aliyun.url), client).send(request())
        assert result.status == "failed"
        assert result.reason == "provider error isv.MOBILE_NUMBER_ILLEGAL: 非法手机号"
        assert result.retryable is False
        assert fake_aliyun.problems == []

    async def test_throttling_is_retryable_N2(self, fake_aliyun, client):
        fake_aliyun.reply = {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "业务限流"}
        result = await AliyunSms(aliyun_settings(fake_aliyun.url), client).send(request())
        assert (result.status, result.retryable) == ("failed", True)

    async def test_a_server_error_is_retryable(self, fake_aliyun, client):
        fake_aliyun.status, fake_aliyun.reply = 503, {"oops": "gateway"}
        result = await AliyunSms(aliyun_settings(fake_aliyun.url), client).send(request())
        assert (result.status, result.retryable) == ("failed", True)
        assert result.reason.startswith("HTTP 503")

    async def test_a_timeout_is_retryable_N2(self, fake_aliyun, short_client):
        """N-2: no answer within the client timeout → failed, retryable."""
        fake_aliyun.delay = SHORT * 3
        settings = aliyun_settings(fake_aliyun.url, http_timeout_seconds=SHORT)
        result = await AliyunSms(settings, short_client).send(request())
        assert result.status == "failed"
        assert result.reason == "timeout after 0.5s"
        assert result.retryable is True

    async def test_a_template_without_mapping_is_not_sent(self, fake_aliyun, client):
        result = await AliyunSms(aliyun_settings(fake_aliyun.url), client).send(
            request(template="ordering_cycle_due"))
        assert (result.status, result.retryable) == ("failed", False)
        assert "NOTIFIER_ALIYUN_TEMPLATES" in result.reason
        assert "ordering_cycle_due" in result.reason
        assert fake_aliyun.seen == []


# ------------------------------------------------------------------ Tencent Cloud
def tencent_settings(url: str, **kw) -> Settings:
    values = dict(sms_provider="tencent", tencent_secret_id="AKIDtest",
                  tencent_secret_key="tencent-secret-key", tencent_sms_sdk_app_id="1400006666",
                  tencent_sign_name="订货平台", tencent_endpoint=url,
                  tencent_templates={"payment_due": "1110", "password_reset": "2220"},
                  tencent_template_params={"payment_due": ["number", "amount"]},
                  http_timeout_seconds=TIMEOUT)
    values.update(kw)
    return Settings(**values)


class TestTencentSms:
    async def test_delivers_a_signed_send_sms_B4(self, fake_tencent, client):
        """B-4/N-2: TC3-signed SendSms with +86, the mapped TemplateId and the params in
        the configured order; SendStatusSet[0].Code Ok → delivered."""
        result = await TencentSms(tencent_settings(fake_tencent.url), client).send(request())
        assert fake_tencent.problems == []
        assert (result.status, result.provider) == ("delivered", "tencent")
        assert result.provider_message_id == "5000:+8613812345678"
        body = fake_tencent.seen[0].json()
        assert body["PhoneNumberSet"] == ["+8613812345678"]
        assert body["TemplateId"] == "1110"
        assert body["TemplateParamSet"] == ["SO-20261201-0001", "801.50"]
        assert (body["SmsSdkAppId"], body["SignName"]) == ("1400006666", "订货平台")
        assert fake_tencent.seen[0].headers["x-tc-region"] == "ap-guangzhou"

    async def test_an_unapproved_template_is_not_retryable_N2(self, fake_tencent, client):
        """N-2: Response.Error FailedOperation.TemplateIncorrectOrUnapproved → failed,
        not retryable."""
        fake_tencent.reply = {"Error": {
            "Code": "FailedOperation.TemplateIncorrectOrUnapproved",
            "Message": "template is not approved or request content does not match"}}
        result = await TencentSms(tencent_settings(fake_tencent.url), client).send(request())
        assert result.status == "failed"
        assert result.reason.startswith(
            "provider error FailedOperation.TemplateIncorrectOrUnapproved: template is not")
        assert result.retryable is False
        assert fake_tencent.problems == []

    async def test_a_refused_number_in_the_status_set_is_not_retryable(self, fake_tencent,
                                                                         client):
        fake_tencent.reply = {"SendStatusSet": [{
            "SerialNo": "", "PhoneNumber": "+8613812345678", "Fee": 0,
            "Code": "InvalidParameterValue.IncorrectPhoneNumber",
            "Message": "incorrect number format"}]}
        result = await TencentSms(tencent_settings(fake_tencent.url), client).send(request())
        assert (result.status, result.retryable) == ("failed", False)
        assert "InvalidParameterValue.IncorrectPhoneNumber" in result.reason

    async def test_a_frequency_limit_is_retryable(self, fake_tencent, client):
        fake_tencent.reply = {"Error": {"Code": "LimitExceeded.DeliveryFrequencyLimit",
                                        "Message": "frequency limit"}}
        result = await TencentSms(tencent_settings(fake_tencent.url), client).send(request())
        assert (result.status, result.retryable) == ("failed", True)

    async def test_a_timeout_is_retryable_N2(self, fake_tencent, short_client):
        fake_tencent.delay = SHORT * 3
        result = await TencentSms(tencent_settings(fake_tencent.url, http_timeout_seconds=SHORT),
                                  short_client).send(request())
        assert (result.status, result.reason, result.retryable) == \
            ("failed", "timeout after 0.5s", True)

    async def test_params_without_an_order_are_not_sent(self, fake_tencent, client):
        result = await TencentSms(tencent_settings(fake_tencent.url), client).send(
            request(template="password_reset", params={"token": "s3cret"}))
        assert (result.status, result.retryable) == ("failed", False)
        assert "NOTIFIER_TENCENT_TEMPLATE_PARAMS" in result.reason
        assert "s3cret" not in result.reason
        assert fake_tencent.seen == []

    async def test_a_param_the_request_lacks_is_not_sent(self, fake_tencent, client):
        result = await TencentSms(tencent_settings(fake_tencent.url), client).send(
            request(params={"number": "SO-1"}))
        assert (result.status, result.retryable) == ("failed", False)
        assert "amount" in result.reason


# ------------------------------------------------------------------ WeChat
def wechat_settings(url: str, **kw) -> Settings:
    values = dict(wechat_provider="wechat", wechat_app_id="wx-app-id",
                  wechat_app_secret="wx-app-secret", wechat_base_url=url,
                  wechat_templates={"payment_due": "TPL-PAY", "staff_message": "TPL-MSG"},
                  wechat_template_data={"payment_due": {"keyword1": "number",
                                                        "keyword2": "amount"}},
                  http_timeout_seconds=TIMEOUT)
    values.update(kw)
    return Settings(**values)


def wechat_request(**kw) -> DeliveryRequested:
    return request(channel="wechat", recipient="oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", **kw)


class TestWeChatTemplate:
    async def test_two_sends_share_one_cached_token_B4(self, fake_wechat, client):
        """B-4/N-2: the access_token is fetched once and reused; the message carries the
        openid, the mapped template and data; errcode 0 → delivered with the msgid."""
        provider = WeChatTemplate(wechat_settings(fake_wechat.url), client)
        first = await provider.send(wechat_request())
        second = await provider.send(wechat_request())
        assert [first.status, second.status] == ["delivered", "delivered"]
        assert first.provider_message_id == "200228333"
        assert fake_wechat.token_fetches == 1
        assert fake_wechat.problems == []
        message = fake_wechat.sent[0]
        assert message["touser"] == "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"
        assert message["template_id"] == "TPL-PAY"
        assert message["data"] == {
            "keyword1": {"value": "SO-20261201-0001"}, "keyword2": {"value": "801.50"},
            "first": {"value": "订单 SO-20261201-0001 应付款 801.50"},
            "remark": {"value": "Order SO-20261201-0001: 801.50 due"}}

    async def test_a_refused_token_is_fetched_again_once_B4(self, fake_wechat, client):
        """B-4: errcode 40001 on a send → a fresh token and one more try."""
        provider = WeChatTemplate(wechat_settings(fake_wechat.url), client)
        assert (await provider.send(wechat_request())).status == "delivered"
        fake_wechat.revoke_token()
        result = await provider.send(wechat_request())
        assert result.status == "delivered"
        assert fake_wechat.token_fetches == 2
        assert len(fake_wechat.sent) == 2

    async def test_the_token_is_refreshed_before_it_expires(self, fake_wechat, client):
        now = [1000.0]
        provider = WeChatTemplate(wechat_settings(fake_wechat.url), client,
                                  clock=lambda: now[0])
        await provider.send(wechat_request())
        now[0] += 7200 - 301  # still valid for more than the 300 s margin
        await provider.send(wechat_request())
        assert fake_wechat.token_fetches == 1
        now[0] += 2  # inside the margin
        await provider.send(wechat_request())
        assert fake_wechat.token_fetches == 2

    async def test_an_invalid_openid_is_not_retryable_N2(self, fake_wechat, client):
        """N-2: errcode 40003 → failed with errcode and errmsg, not retryable."""
        fake_wechat.send_errcode = 40003
        result = await WeChatTemplate(wechat_settings(fake_wechat.url), client).send(
            wechat_request())
        assert result.status == "failed"
        assert result.reason == "provider error 40003: invalid openid"
        assert result.retryable is False

    async def test_a_timeout_is_retryable_N2(self, fake_wechat, short_client):
        fake_wechat.delay = SHORT * 3
        result = await WeChatTemplate(
            wechat_settings(fake_wechat.url, http_timeout_seconds=SHORT), short_client).send(
            wechat_request())
        assert (result.status, result.reason, result.retryable) == \
            ("failed", "timeout after 0.5s", True)

    async def test_a_wrong_app_secret_is_not_retryable(self, fake_wechat, client):
        result = await WeChatTemplate(
            wechat_settings(fake_wechat.url, wechat_app_secret="wrong"), client,
        ).send(wechat_request())
        assert result.status == "failed"
        assert result.reason == "access_token error 40013: invalid appid"
        assert result.retryable is False

    async def test_a_template_without_mapping_is_not_sent(self, fake_wechat, client):
        result = await WeChatTemplate(wechat_settings(fake_wechat.url), client).send(
            wechat_request(template="ordering_cycle_due"))
        assert (result.status, result.retryable) == ("failed", False)
        assert "NOTIFIER_WECHAT_TEMPLATES" in result.reason
        assert fake_wechat.seen == []

    def test_without_a_data_mapping_the_text_goes_to_first_and_remark(self):
        data = template_data(wechat_request(template="staff_message", params={}), None)
        assert data == {"first": {"value": "订单 SO-20261201-0001 应付款 801.50"},
                        "remark": {"value": "Order SO-20261201-0001: 801.50 due"}}
        mapped = template_data(wechat_request(), {"first": "@text_en", "keyword1": "number"})
        assert mapped["first"] == {"value": "Order SO-20261201-0001: 801.50 due"}


class TestChoice:
    async def test_settings_choose_the_provider_of_each_channel_B4(self, tmp_path):
        """B-4: outbox by default; aliyun/tencent for SMS and wechat by setting; e-mail
        always to the outbox."""
        default = Settings(outbox_path=tmp_path / "o.jsonl")
        async with make_http_client(default) as c:
            names = {ch: p.name for ch, p in build_providers(default, c).items()}
            assert names == {"sms": "outbox", "wechat": "outbox", "email": "outbox"}
            chosen = tencent_settings("http://x", wechat_provider="wechat",
                                      wechat_app_id="a", wechat_app_secret="b")
            names = {ch: p.name for ch, p in build_providers(chosen, c).items()}
            assert names == {"sms": "tencent", "wechat": "wechat", "email": "outbox"}

    def test_a_real_provider_without_credentials_stops_start_up(self):
        with pytest.raises(ValueError, match="NOTIFIER_ALIYUN_ACCESS_KEY_SECRET"):
            Settings(sms_provider="aliyun", aliyun_access_key_id="id", aliyun_sign_name="s")
