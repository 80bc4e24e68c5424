"""Tencent Cloud SMS: `SendSms` (version 2021-01-11) on sms.tencentcloudapi.com, signed
with TC3-HMAC-SHA256.

Signing rules, from Tencent Cloud's API 3.0 documentation "签名方法 v3 / Signature v3"
(https://www.tencentcloud.com/document/product/382/40467):
  CanonicalRequest = "POST\\n/\\n\\n" + "content-type:<ct>\\nhost:<host>\\n" + "\\n"
                     + "content-type;host\\n" + hex(sha256(payload))
  StringToSign     = "TC3-HMAC-SHA256\\n" + timestamp + "\\n"
                     + "<UTC date>/<service>/tc3_request\\n" + hex(sha256(CanonicalRequest))
  SecretDate = HMAC_SHA256("TC3" + SecretKey, date); SecretService = HMAC(SecretDate,
  service); SecretSigning = HMAC(SecretService, "tc3_request");
  Signature = hex(HMAC_SHA256(SecretSigning, StringToSign))
The documentation's worked example (DescribeInstances on cvm, timestamp 1551113065)
gives 72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168;
tests/test_signing.py checks it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from datetime import UTC, datetime

import httpx
from dinghuo_contracts import DeliveryRequested

from ..config import Settings
from . import (
    Result,
    delivered,
    failed,
    http_status_failure,
    missing_mapping,
    transport_failure,
)

NAME = "tencent"
ALGORITHM = "TC3-HMAC-SHA256"
CONTENT_TYPE = "application/json; charset=utf-8"
SIGNED_HEADERS = "content-type;host"

# Error-code prefixes worth another attempt later: throttling, frequency limits and the
# provider's own faults. An invalid number, an unapproved template or signature, a wrong
# key will fail the same way again.
RETRYABLE_PREFIXES = ("InternalError", "RequestLimitExceeded", "LimitExceeded",
                      "ResourceUnavailable", "AuthFailure.SignatureExpire")


def _sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def utc_date(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")


def canonical_request(*, host: str, payload: bytes, content_type: str = CONTENT_TYPE) -> str:
    headers = f"content-type:{content_type.lower()}\nhost:{host.lower()}\n"
    return f"POST\n/\n\n{headers}\n{SIGNED_HEADERS}\n{_sha256_hex(payload)}"


def string_to_sign(*, timestamp: int, service: str, canonical: str) -> str:
    scope = f"{utc_date(timestamp)}/{service}/tc3_request"
    return f"{ALGORITHM}\n{timestamp}\n{scope}\n{_sha256_hex(canonical.encode())}"


def tc3_signature(secret_key: str, *, timestamp: int, service: str,
                  to_sign: str) -> str:
    secret_date = _hmac(f"TC3{secret_key}".encode(), utc_date(timestamp))
    secret_service = _hmac(secret_date, service)
    secret_signing = _hmac(secret_service, "tc3_request")
    return hmac.new(secret_signing, to_sign.encode(), hashlib.sha256).hexdigest()


def authorization(secret_id: str, secret_key: str, *, host: str, payload: bytes,
                  timestamp: int, service: str = "sms",
                  content_type: str = CONTENT_TYPE) -> str:
    to_sign = string_to_sign(
        timestamp=timestamp, service=service,
        canonical=canonical_request(host=host, payload=payload, content_type=content_type))
    signature = tc3_signature(secret_key, timestamp=timestamp, service=service,
                              to_sign=to_sign)
    scope = f"{utc_date(timestamp)}/{service}/tc3_request"
    return (f"{ALGORITHM} Credential={secret_id}/{scope}, "
            f"SignedHeaders={SIGNED_HEADERS}, Signature={signature}")


def e164(mobile: str) -> str:
    """A mainland mobile number with the +86 country code the API wants."""
    number = mobile.strip().replace(" ", "")
    if number.startswith("+"):
        return number
    if number.startswith("0086"):
        return "+" + number[2:]
    if number.startswith("86") and len(number) == 13:
        return "+" + number
    return "+86" + number


def is_retryable(code: str) -> bool:
    return code.startswith(RETRYABLE_PREFIXES)


class TencentSms:
    name = NAME

    def __init__(self, settings: Settings, client: httpx.AsyncClient) -> None:
        self.settings = settings
        self.client = client

    def payload(self, request: DeliveryRequested, template_id: str,
                order: list[str]) -> dict:
        s = self.settings
        return {
            "PhoneNumberSet": [e164(request.recipient)],
            "SmsSdkAppId": s.tencent_sms_sdk_app_id,
            "SignName": s.tencent_sign_name,
            "TemplateId": template_id,
            "TemplateParamSet": [request.params[name] for name in order],
            "SessionContext": str(request.delivery_id or ""),
        }

    async def send(self, request: DeliveryRequested) -> Result:
        s = self.settings
        template_id = s.tencent_templates.get(request.template)
        if not template_id:
            return missing_mapping(NAME, "NOTIFIER_TENCENT_TEMPLATES", request.template)
        order = s.tencent_template_params.get(request.template)
        if order is None:
            if request.params:
                return missing_mapping(NAME, "NOTIFIER_TENCENT_TEMPLATE_PARAMS",
                                       request.template)
            order = []
        absent = [name for name in order if name not in request.params]
        if absent:
            return failed(NAME, f"template {request.template!r} needs params the request "
                                f"lacks: {', '.join(absent)}", retryable=False)
        body = json.dumps(self.payload(request, template_id, order),
                          ensure_ascii=False).encode()
        url = httpx.URL(s.tencent_endpoint.rstrip("/") + "/")
        host = url.netloc.decode()
        timestamp = int(time.time())
        headers = {
            "Authorization": authorization(
                s.tencent_secret_id, s.tencent_secret_key.get_secret_value(),
                host=host, payload=body, timestamp=timestamp),
            "Content-Type": CONTENT_TYPE,
            "Host": host,
            "X-TC-Action": "SendSms",
            "X-TC-Version": "2021-01-11",
            "X-TC-Timestamp": str(timestamp),
            "X-TC-Region": s.tencent_region,
        }
        try:
            response = await self.client.post(url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            return transport_failure(NAME, exc, s.http_timeout_seconds)
        try:
            answer = response.json().get("Response")
        except (ValueError, AttributeError):
            answer = None
        if not isinstance(answer, dict):
            return http_status_failure(NAME, response)
        error = answer.get("Error")
        if isinstance(error, dict):
            code = str(error.get("Code", ""))
            return failed(NAME, f"provider error {code}: {error.get('Message', '')}",
                          retryable=is_retryable(code))
        statuses = answer.get("SendStatusSet") or []
        if not statuses or not isinstance(statuses[0], dict):
            return failed(NAME, "provider answered without a SendStatusSet", retryable=True)
        status = statuses[0]
        code = str(status.get("Code", ""))
        if code == "Ok":
            return delivered(NAME, status.get("SerialNo"))
        return failed(NAME, f"provider error {code}: {status.get('Message', '')}",
                      retryable=is_retryable(code))
