"""Online payment providers (B-2, O-6): WeChat Pay Native, Alipay 当面付 (QR code) and a
development sandbox, behind one interface (`base.PaymentProvider`).

    provider = build_provider(settings, make_http_client(settings))
    created = await provider.create_intent(IntentRequest(out_trade_no, amount,
                                                         description, notify_url, expires_at))
    # show created.code_url as a QR code …
    # POST /api/payments/callbacks/{provider.name}:
    try:
        notice = provider.verify_callback(request.headers, await request.body())
    except (InvalidSignature, CallbackError) as exc:    # 401 / 400
        status, content_type, body = provider.callback_ack(False, exc.message,
                                                           exc.status_code)
    else:
        … record the notice (idempotently; compare amount and out_trade_no with the intent)
        status, content_type, body = provider.callback_ack(True)

The module only talks to providers; the payments service keeps the intents, decides what
a notice pays and emits PaymentReceived.

Setting up a real merchant
==========================
Settings are `ORDER_*` variables once the order service's Settings embeds
`PaymentProviderSettings` (see settings.py); keys go in files (`..._PATH`) or secrets,
never in the repository.

Both providers notify `https://<public host>/api/payments/callbacks/{wechat|alipay}`: the
order service must be reachable there from the internet, over HTTPS with a certificate a
public CA issued, on the standard port, through the gateway (which forwards the path
unchanged) — no query string in the URL, no login in front of it. The notify URL is sent
with every intent, so nothing needs registering for it, but the domain must be the one
the merchant account allows where the platform asks for it.

WeChat Pay (微信支付, 直连商户 with API v3)
- A merchant number (商户号, `ORDER_WECHATPAY_MCHID`) with the product "Native支付"
  activated (产品中心 → Native支付), and an AppID (公众号, 小程序 or 移动应用) bound to it
  (`ORDER_WECHATPAY_APPID`; 产品中心 → AppID账号管理).
- The APIv3 key (账户中心 → API安全 → 设置APIv3密钥): 32 characters,
  `ORDER_WECHATPAY_APIV3_KEY`; it decrypts the notifications.
- The merchant API certificate (账户中心 → API安全 → 申请API证书): its private key file
  apiclient_key.pem → `ORDER_WECHATPAY_MERCHANT_PRIVATE_KEY_PATH`, its serial number
  (shown there, or `openssl x509 -in apiclient_cert.pem -noout -serial`) →
  `ORDER_WECHATPAY_MERCHANT_SERIAL_NO`.
- WeChat Pay's public key (账户中心 → API安全 → 微信支付公钥, the mode for new merchants):
  pub_key.pem → `ORDER_WECHATPAY_PLATFORM_PUBLIC_KEY_PATH` and its ID "PUB_KEY_ID_…" →
  `ORDER_WECHATPAY_PLATFORM_PUBLIC_KEY_ID`. A merchant still on platform certificates gives
  the platform certificate PEM (downloaded with GET /v3/certificates and decrypted with the
  APIv3 key) and its serial number instead; when WeChat rotates it, replace both.
- `ORDER_PAYMENT_PROVIDER=wechat`. `ORDER_WECHATPAY_BASE_URL` stays
  https://api.mch.weixin.qq.com (api2.mch.weixin.qq.com is the backup domain).

Alipay (支付宝开放平台, 当面付)
- An application on open.alipay.com (网页/移动应用) with its AppID
  (`ORDER_ALIPAY_APP_ID`), online, with the product 当面付 signed and added to it (扫码支付
  is 当面付's alipay.trade.precreate).
- Interface signing (接口加签方式) "公钥" mode, RSA2 (SHA256withRSA, 2048-bit): generate the
  application key pair with Alipay's key tool, upload the application public key, keep the
  application private key → `ORDER_ALIPAY_APP_PRIVATE_KEY_PATH` (PEM or the tool's bare
  base64); copy the *Alipay* public key (支付宝公钥) shown after uploading →
  `ORDER_ALIPAY_PUBLIC_KEY_PATH`. (The certificate mode, 公钥证书, is not supported here.)
- Optional: `ORDER_ALIPAY_SELLER_ID` (the 2088… merchant user id) to refuse notifications
  for another seller.
- `ORDER_PAYMENT_PROVIDER=alipay`; `ORDER_ALIPAY_GATEWAY_URL` stays
  https://openapi.alipay.com/gateway.do (the sandbox environment has its own gateway
  and keys).

Development
- `ORDER_PAYMENT_PROVIDER=sandbox` (the default) needs no account: see sandbox.py.
  `ORDER_PAYMENT_SANDBOX_SECRET` signs its notifications (the development default is
  refused outside development).
"""

from __future__ import annotations

from servicekit.imports import DEV_ONLY, without_optional

with without_optional(*DEV_ONLY):  # not httpx's CLI (servicekit.imports)
    import httpx

from .base import (
    CallbackAck,
    CallbackError,
    IntentCreated,
    IntentRequest,
    InvalidSignature,
    PaymentNotice,
    PaymentProvider,
    ProviderError,
    ProviderUnavailable,
    fen_to_yuan,
    yuan_to_fen,
)
from .settings import PaymentProviderSettings

__all__ = [
    "CallbackAck", "CallbackError", "IntentCreated", "IntentRequest", "InvalidSignature",
    "PaymentNotice", "PaymentProvider", "PaymentProviderSettings", "ProviderError",
    "ProviderUnavailable", "build_provider", "fen_to_yuan", "make_http_client",
    "yuan_to_fen",
]


def make_http_client(settings: PaymentProviderSettings) -> httpx.AsyncClient:
    return httpx.AsyncClient(timeout=settings.payment_http_timeout_seconds)


def build_provider(settings: PaymentProviderSettings,
                   client: httpx.AsyncClient) -> PaymentProvider:
    """The provider the settings choose, its keys loaded (a key that cannot be read raises
    crypto.KeyConfigError at start-up, not at the first payment)."""
    if settings.payment_provider == "wechat":
        from .wechat import WeChatPay
        return WeChatPay(settings, client)
    if settings.payment_provider == "alipay":
        from .alipay import Alipay
        return Alipay(settings, client)
    from .sandbox import Sandbox
    return Sandbox(settings, client)
