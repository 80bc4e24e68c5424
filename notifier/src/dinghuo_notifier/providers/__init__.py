"""Providers deliver one request on one channel and say what became of it (B-4, N-2).

A provider never raises for what happens at the provider: a refusal, an HTTP error or a
timeout is a `failed` Result with a reason a person can read and `retryable` telling the
notify service whether trying again later can help. The notifier itself never retries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

import httpx
from dinghuo_contracts import DeliveryRequested

from ..config import Settings


@dataclass(frozen=True)
class Result:
    status: Literal["delivered", "failed"]
    provider: str
    reason: str | None = None
    retryable: bool = True
    provider_message_id: str | None = None


def delivered(provider: str, message_id: str | None = None) -> Result:
    return Result("delivered", provider, provider_message_id=message_id)


def failed(provider: str, reason: str, *, retryable: bool) -> Result:
    return Result("failed", provider, reason=reason[:500], retryable=retryable)


def missing_mapping(provider: str, setting: str, template: str) -> Result:
    return failed(provider, f"no {setting} mapping for template {template!r}",
                  retryable=False)


class Provider(Protocol):
    name: str

    async def send(self, request: DeliveryRequested) -> Result: ...


def transport_failure(provider: str, exc: httpx.HTTPError, timeout: float) -> Result:
    """A request that got no answer: a timeout or a connection error, both retryable."""
    if isinstance(exc, httpx.TimeoutException):
        return failed(provider, f"timeout after {timeout:g}s", retryable=True)
    return failed(provider, f"connection error: {type(exc).__name__}: {exc}", retryable=True)


def http_status_failure(provider: str, response: httpx.Response) -> Result:
    """An HTTP error whose body the provider's own error format did not explain: a 5xx
    or 429 may pass, any other status will not."""
    code = response.status_code
    retryable = code >= 500 or code in (408, 429)
    body = response.text[:200].replace("\n", " ")
    return failed(provider, f"HTTP {code} from the provider: {body}", retryable=retryable)


def make_http_client(settings: Settings) -> httpx.AsyncClient:
    return httpx.AsyncClient(timeout=settings.http_timeout_seconds)


def build_providers(settings: Settings, client: httpx.AsyncClient) -> dict[str, Provider]:
    """The provider of each channel as chosen by the settings; e-mail always goes to the
    outbox (the reference notifier has no e-mail provider)."""
    from .aliyun import AliyunSms
    from .outbox import Outbox
    from .tencent import TencentSms
    from .wechat import WeChatTemplate

    outbox = Outbox(settings.outbox_path)
    sms: Provider
    if settings.sms_provider == "aliyun":
        sms = AliyunSms(settings, client)
    elif settings.sms_provider == "tencent":
        sms = TencentSms(settings, client)
    else:
        sms = outbox
    wechat: Provider = (WeChatTemplate(settings, client)
                        if settings.wechat_provider == "wechat" else outbox)
    return {"sms": sms, "wechat": wechat, "email": outbox}
