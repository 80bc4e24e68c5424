"""Alibaba Cloud SMS: `SendSms` (version 2017-05-25) on dysmsapi.aliyuncs.com, signed with
the RPC signature (HMAC-SHA1, SignatureVersion 1.0).

Signing rules, from Alibaba Cloud's SMS documentation "签名机制 / Signature method"
(https://help.aliyun.com/document_detail/101343.htm,
https://www.alibabacloud.com/help/en/sms/signature-method):
  1. sort all parameters except Signature by name;
  2. percent-encode names and values as UTF-8 per RFC 3986: A-Z a-z 0-9 - _ . ~ stay,
     everything else is %XY, a space is %20 (not +) — Java's URLEncoder output with
     "+"→"%20", "*"→"%2A", "%7E"→"~"; Python's `quote(s, safe="~")` gives exactly that;
  3. join `name=value` with "&" (the canonicalized query string);
  4. StringToSign = "GET" + "&" + percentEncode("/") + "&" + percentEncode(canonical);
  5. Signature = Base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign)).
The documentation's worked example (testId/testSecret, SendSms, 2017-07-12T02:42:19Z)
gives zJDF+Lrzhj/ThnlvIToysFRq6t4=; tests/test_signing.py checks it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from urllib.parse import quote

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

NAME = "aliyun"

# Codes worth another attempt later: throttling, sending limits and the provider's own
# faults. Anything else (an illegal number, a rejected template or signature, a wrong
# key) will fail the same way again.
RETRYABLE_CODES = frozenset({
    "isp.SYSTEM_ERROR", "isv.BUSINESS_LIMIT_CONTROL", "isv.DAY_LIMIT_CONTROL",
    "isv.MONTH_LIMIT_CONTROL", "isv.OUT_OF_SERVICE", "ServiceUnavailable",
    "InternalError", "SignatureNonceUsed", "InvalidTimeStamp.Expired",
})


def percent_encode(value: str) -> str:
    return quote(value, safe="~")


def canonical_query(params: Mapping[str, str]) -> str:
    return "&".join(f"{percent_encode(k)}={percent_encode(v)}"
                    for k, v in sorted(params.items()) if k != "Signature")


def string_to_sign(params: Mapping[str, str], method: str = "GET") -> str:
    return f"{method}&{percent_encode('/')}&{percent_encode(canonical_query(params))}"


def rpc_signature(params: Mapping[str, str], access_key_secret: str,
                  method: str = "GET") -> str:
    digest = hmac.new(f"{access_key_secret}&".encode(),
                      string_to_sign(params, method).encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def signed_query(params: Mapping[str, str], access_key_secret: str) -> str:
    """The GET query string: Signature first, then the canonical parameters."""
    signature = rpc_signature(params, access_key_secret)
    return f"Signature={percent_encode(signature)}&{canonical_query(params)}"


def is_retryable(code: str) -> bool:
    return code in RETRYABLE_CODES or code.startswith("Throttling")


class AliyunSms:
    name = NAME

    def __init__(self, settings: Settings, client: httpx.AsyncClient) -> None:
        self.settings = settings
        self.client = client

    def params(self, request: DeliveryRequested, template_code: str, *,
               nonce: str, timestamp: datetime) -> dict[str, str]:
        s = self.settings
        params = {
            "AccessKeyId": s.aliyun_access_key_id,
            "Action": "SendSms",
            "Format": "JSON",
            "PhoneNumbers": request.recipient,
            "RegionId": s.aliyun_region_id,
            "SignName": s.aliyun_sign_name,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": nonce,
            "SignatureVersion": "1.0",
            "TemplateCode": template_code,
            "Timestamp": timestamp.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
        }
        if request.params:
            params["TemplateParam"] = json.dumps(request.params, ensure_ascii=False,
                                                 separators=(",", ":"))
        if request.delivery_id is not None:
            params["OutId"] = str(request.delivery_id)
        return params

    async def send(self, request: DeliveryRequested) -> Result:
        template_code = self.settings.aliyun_templates.get(request.template)
        if not template_code:
            return missing_mapping(NAME, "NOTIFIER_ALIYUN_TEMPLATES", request.template)
        params = self.params(request, template_code, nonce=str(uuid.uuid4()),
                             timestamp=datetime.now(UTC))
        secret = self.settings.aliyun_access_key_secret.get_secret_value()
        url = f"{self.settings.aliyun_endpoint.rstrip('/')}/?{signed_query(params, secret)}"
        try:
            response = await self.client.get(url)
        except httpx.HTTPError as exc:
            return transport_failure(NAME, exc, self.settings.http_timeout_seconds)
        try:
            body = response.json()
        except ValueError:
            body = None
        # Errors come as JSON with Code/Message, with HTTP 200 or 4xx alike.
        if not isinstance(body, dict) or "Code" not in body:
            return http_status_failure(NAME, response)
        code = str(body["Code"])
        if code == "OK":
            return delivered(NAME, body.get("BizId"))
        return failed(NAME, f"provider error {code}: {body.get('Message', '')}",
                      retryable=is_retryable(code) or response.status_code >= 500)
