"""WeChat Official Account template messages (B-4, N-2).

`GET {base}/cgi-bin/token?grant_type=client_credential&appid=…&secret=…` gives an
access_token valid for `expires_in` seconds; it is cached in memory, fetched again a
margin before it expires, and at once when the API calls it invalid (errcode 40001,
40014, 42001; the send is then tried once more with the fresh token).
`POST {base}/cgi-bin/message/template/send?access_token=…` with
`{"touser": openid, "template_id": …, "data": {key: {"value": …}}}`; errcode 0 means
accepted (msgid is the receipt).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

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

NAME = "wechat"
# The access_token was invalid or expired: fetch a new one and try once more.
TOKEN_ERRORS = frozenset({40001, 40014, 42001})
# System busy and API quota limits pass; an unknown openid (40003), a user who does not
# follow the account (43004) or a wrong template (40037) will not.
RETRYABLE_ERRORS = frozenset({-1, 45009, 45011}) | TOKEN_ERRORS


class TokenError(Exception):
    def __init__(self, errcode: int, errmsg: str) -> None:
        super().__init__(f"{errcode}: {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg


def template_data(request: DeliveryRequested,
                  mapping: dict[str, str] | None) -> dict[str, dict[str, str]]:
    """The template's `data`: each WeChat key from the param the mapping names ("@text"
    and "@text_en" name the message's text); `first` and `remark` default to the text
    and its English version when the mapping does not name them. Raises KeyError naming
    a param the request lacks."""
    texts = {"@text": request.text, "@text_en": request.text_en}
    data: dict[str, dict[str, str]] = {}
    for key, source in (mapping or {}).items():
        value = texts[source] if source in texts else request.params[source]
        data[key] = {"value": value}
    if "first" not in data and request.text:
        data["first"] = {"value": request.text}
    if "remark" not in data and request.text_en:
        data["remark"] = {"value": request.text_en}
    return data


class WeChatTemplate:
    name = NAME

    def __init__(self, settings: Settings, client: httpx.AsyncClient,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self.client = client
        self.clock = clock
        self.base = settings.wechat_base_url.rstrip("/")
        self._token: str | None = None
        self._expires_at = 0.0
        self._lock = asyncio.Lock()

    async def access_token(self, *, invalid: str | None = None) -> str:
        """The cached token, or a fresh one when it is about to expire or `invalid` (the
        token the API just refused) is still the cached one."""
        async with self._lock:
            if (self._token is not None and self._token != invalid
                    and self.clock() < self._expires_at):
                return self._token
            self._token = None
            response = await self.client.get(f"{self.base}/cgi-bin/token", params={
                "grant_type": "client_credential",
                "appid": self.settings.wechat_app_id,
                "secret": self.settings.wechat_app_secret.get_secret_value(),
            })
            try:
                body = response.json()
            except ValueError:
                body = {}
            if not isinstance(body, dict) or not body.get("access_token"):
                if isinstance(body, dict) and "errcode" in body:
                    raise TokenError(int(body["errcode"]), str(body.get("errmsg", "")))
                raise TokenError(-1, f"HTTP {response.status_code} without access_token")
            expires_in = float(body.get("expires_in", 7200))
            margin = self.settings.wechat_token_refresh_margin_seconds
            self._token = str(body["access_token"])
            self._expires_at = self.clock() + max(expires_in - margin, expires_in / 2)
            return self._token

    async def _post(self, token: str, message: dict) -> httpx.Response:
        return await self.client.post(f"{self.base}/cgi-bin/message/template/send",
                                      params={"access_token": token}, json=message)

    async def send(self, request: DeliveryRequested) -> Result:
        template_id = self.settings.wechat_templates.get(request.template)
        if not template_id:
            return missing_mapping(NAME, "NOTIFIER_WECHAT_TEMPLATES", request.template)
        try:
            data = template_data(request,
                                 self.settings.wechat_template_data.get(request.template))
        except KeyError as exc:
            return failed(NAME, f"template {request.template!r} needs param {exc.args[0]!r}"
                                " the request lacks", retryable=False)
        message = {"touser": request.recipient, "template_id": template_id, "data": data}
        timeout = self.settings.http_timeout_seconds
        try:
            token = await self.access_token()
            response = await self._post(token, message)
            body = _json(response)
            if body is not None and _errcode(body) in TOKEN_ERRORS:
                token = await self.access_token(invalid=token)
                response = await self._post(token, message)
                body = _json(response)
        except TokenError as exc:
            return failed(NAME, f"access_token error {exc.errcode}: {exc.errmsg}",
                          retryable=exc.errcode in RETRYABLE_ERRORS)
        except httpx.HTTPError as exc:
            return transport_failure(NAME, exc, timeout)
        if body is None or "errcode" not in body:
            return http_status_failure(NAME, response)
        errcode = _errcode(body)
        if errcode == 0:
            msgid = body.get("msgid")
            return delivered(NAME, str(msgid) if msgid is not None else None)
        return failed(NAME, f"provider error {errcode}: {body.get('errmsg', '')}",
                      retryable=errcode in RETRYABLE_ERRORS)


def _json(response: httpx.Response) -> dict | None:
    try:
        body = response.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _errcode(body: dict) -> int:
    try:
        return int(body.get("errcode", 0))
    except (TypeError, ValueError):
        return -1
