"""Payment provider settings (B-2): a pydantic model of flat fields the order service's
`Settings` can inherit (`class Settings(ServiceSettings, PaymentProviderSettings)`), so that
each is read from `ORDER_<NAME>` (then `DINGHUO_<NAME>`), e.g. `ORDER_PAYMENT_PROVIDER`,
`ORDER_WECHATPAY_MCHID`, `ORDER_ALIPAY_APP_ID`.

Keys are given either inline (PEM text, or Alipay's bare base64) or as a path to a file
(`..._PATH`, which wins when both are set); nothing secret has a real default, and none is
ever committed. The chosen provider's credentials are required at start-up; the sandbox's
development secret is refused outside development, like servicekit's internal token secret.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, model_validator

DEV_SANDBOX_SECRET = "dev-payment-sandbox-secret-change-me-0123456789"
WECHATPAY_BASE_URL = "https://api.mch.weixin.qq.com"
ALIPAY_GATEWAY_URL = "https://openapi.alipay.com/gateway.do"

ProviderName = Literal["sandbox", "wechat", "alipay"]


def _key_text(inline: str, path: Path | None) -> str:
    if path is not None:
        return path.read_text(encoding="utf-8")
    return inline


class PaymentProviderSettings(BaseModel):
    # Which provider takes online payments: "sandbox" (development, no account), "wechat"
    # (WeChat Pay API v3, Native payment) or "alipay" (当面付, alipay.trade.precreate).
    payment_provider: ProviderName = "sandbox"
    # Each call to the provider gives up after this long (a ProviderUnavailable).
    payment_http_timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    # A signed notification (or WeChat response) whose timestamp is further than this from
    # our clock is refused as a replay (WeChat's rule is 5 minutes).
    payment_callback_max_age_seconds: int = Field(default=300, ge=30, le=3600)
    # The sandbox's code_url is `{payment_public_base_url}/api/payments/sandbox/{no}`; empty
    # keeps it a path on the gateway, which is what a browser needs. Set it (an address a
    # phone can reach) to scan the sandbox's QR code with a phone.
    payment_public_base_url: str = ""
    # HMAC-SHA256 key of the sandbox's notifications.
    payment_sandbox_secret: SecretStr = SecretStr(DEV_SANDBOX_SECRET)

    # WeChat Pay API v3 (直连商户, Native payment).
    wechatpay_base_url: str = WECHATPAY_BASE_URL
    wechatpay_appid: str = ""  # the AppID bound to the merchant number
    wechatpay_mchid: str = ""  # 商户号
    # The merchant API certificate's serial number (商户API证书序列号).
    wechatpay_merchant_serial_no: str = ""
    # The merchant API private key (apiclient_key.pem), inline or as a file.
    wechatpay_merchant_private_key: SecretStr = SecretStr("")
    wechatpay_merchant_private_key_path: Path | None = None
    # The APIv3 key (32 characters) that encrypts notifications' resources.
    wechatpay_apiv3_key: SecretStr = SecretStr("")
    # WeChat Pay's public key (微信支付公钥, pub_key.pem) and its ID ("PUB_KEY_ID_…"), or a
    # platform certificate (PEM) and its serial number: it verifies responses and
    # notifications, whose Wechatpay-Serial header must name this ID.
    wechatpay_platform_public_key: str = ""
    wechatpay_platform_public_key_path: Path | None = None
    wechatpay_platform_public_key_id: str = ""

    # Alipay open platform (当面付 / alipay.trade.precreate).
    alipay_gateway_url: str = ALIPAY_GATEWAY_URL
    alipay_app_id: str = ""
    # The application private key (RSA2048, 应用私钥), inline (PEM or bare base64) or a file.
    alipay_app_private_key: SecretStr = SecretStr("")
    alipay_app_private_key_path: Path | None = None
    # The Alipay public key (支付宝公钥, not the application public key).
    alipay_public_key: str = ""
    alipay_public_key_path: Path | None = None
    # Optional: notifications must name this seller_id (the merchant's 2088… user id).
    alipay_seller_id: str = ""

    # ------------------------------------------------------------------ key material
    def wechatpay_private_key_text(self) -> str:
        return _key_text(self.wechatpay_merchant_private_key.get_secret_value(),
                         self.wechatpay_merchant_private_key_path)

    def wechatpay_platform_key_text(self) -> str:
        return _key_text(self.wechatpay_platform_public_key,
                         self.wechatpay_platform_public_key_path)

    def alipay_private_key_text(self) -> str:
        return _key_text(self.alipay_app_private_key.get_secret_value(),
                         self.alipay_app_private_key_path)

    def alipay_public_key_text(self) -> str:
        return _key_text(self.alipay_public_key, self.alipay_public_key_path)

    # ------------------------------------------------------------------ validation
    def missing_payment_settings(self) -> list[str]:
        """Names of the chosen provider's settings that are not set."""
        missing: list[str] = []

        def need(name: str, present: object) -> None:
            if not present:
                missing.append(name.upper())

        if self.payment_provider == "wechat":
            need("wechatpay_appid", self.wechatpay_appid)
            need("wechatpay_mchid", self.wechatpay_mchid)
            need("wechatpay_merchant_serial_no", self.wechatpay_merchant_serial_no)
            need("wechatpay_merchant_private_key",
                 self.wechatpay_merchant_private_key.get_secret_value()
                 or self.wechatpay_merchant_private_key_path)
            need("wechatpay_apiv3_key", self.wechatpay_apiv3_key.get_secret_value())
            need("wechatpay_platform_public_key",
                 self.wechatpay_platform_public_key or self.wechatpay_platform_public_key_path)
            need("wechatpay_platform_public_key_id", self.wechatpay_platform_public_key_id)
        elif self.payment_provider == "alipay":
            need("alipay_app_id", self.alipay_app_id)
            need("alipay_app_private_key",
                 self.alipay_app_private_key.get_secret_value()
                 or self.alipay_app_private_key_path)
            need("alipay_public_key", self.alipay_public_key or self.alipay_public_key_path)
        else:
            need("payment_sandbox_secret", self.payment_sandbox_secret.get_secret_value())
        return missing

    @model_validator(mode="after")
    def _payment_credentials(self) -> PaymentProviderSettings:
        missing = self.missing_payment_settings()
        if missing:
            raise ValueError(f"payment provider {self.payment_provider!r} needs "
                             f"{', '.join(missing)}")
        apiv3 = self.wechatpay_apiv3_key.get_secret_value()
        if self.payment_provider == "wechat" and len(apiv3.encode()) != 32:
            raise ValueError("WECHATPAY_APIV3_KEY must be exactly 32 bytes")
        if (self.payment_provider == "sandbox"
                and getattr(self, "environment", "development") == "production"
                and self.payment_sandbox_secret.get_secret_value() == DEV_SANDBOX_SECRET):
            raise ValueError("PAYMENT_SANDBOX_SECRET must be set outside development")
        return self
