"""The notifier's settings: `NOTIFIER_*` environment variables; the broker, exchange and
queue prefix also fall back to the platform-wide `DINGHUO_*` ones (B-4).

Template mappings are JSON objects in the environment, e.g.
`NOTIFIER_ALIYUN_TEMPLATES='{"payment_due": "SMS_123"}'`. A real provider without its
credentials stops start-up; a template without a mapping fails only its deliveries
(reported `failed`, not retryable)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

QUEUE = "notifier.reminders"


def _platform(name: str) -> AliasChoices:
    return AliasChoices(f"NOTIFIER_{name}", f"DINGHUO_{name}")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NOTIFIER_", extra="ignore",
                                      populate_by_name=True)

    # Broker: the topic exchange and the queue the platform's topology declares.
    amqp_url: str = Field("amqp://guest:guest@127.0.0.1:5672/",
                          validation_alias=_platform("AMQP_URL"))
    exchange: str = Field("dinghuo.events", validation_alias=_platform("EXCHANGE"))
    queue_prefix: str = Field("", validation_alias=_platform("QUEUE_PREFIX"))
    prefetch: int = 16
    # While the queue (or exchange) does not exist yet, look again this often.
    missing_queue_retry_seconds: float = 5.0
    publish_timeout_seconds: float = 10.0
    log_level: str = "INFO"
    log_json: bool = True

    # Which provider delivers each channel; e-mail always goes to the outbox.
    sms_provider: Literal["outbox", "aliyun", "tencent"] = "outbox"
    wechat_provider: Literal["outbox", "wechat"] = "outbox"
    outbox_path: Path = Path(".run/notifier-outbox.jsonl")
    http_timeout_seconds: float = 10.0

    # Alibaba Cloud SMS (dysmsapi, SendSms 2017-05-25).
    aliyun_access_key_id: str = ""
    aliyun_access_key_secret: SecretStr = SecretStr("")
    aliyun_sign_name: str = ""
    aliyun_region_id: str = "cn-hangzhou"
    aliyun_endpoint: str = "https://dysmsapi.aliyuncs.com"
    aliyun_templates: dict[str, str] = {}  # our template -> TemplateCode

    # Tencent Cloud SMS (SendSms 2021-01-11).
    tencent_secret_id: str = ""
    tencent_secret_key: SecretStr = SecretStr("")
    tencent_sms_sdk_app_id: str = ""
    tencent_sign_name: str = ""
    tencent_region: str = "ap-guangzhou"
    tencent_endpoint: str = "https://sms.tencentcloudapi.com"
    tencent_templates: dict[str, str] = {}  # our template -> TemplateId
    tencent_template_params: dict[str, list[str]] = {}  # our template -> param order

    # WeChat Official Account template messages.
    wechat_app_id: str = ""
    wechat_app_secret: SecretStr = SecretStr("")
    wechat_base_url: str = "https://api.weixin.qq.com"
    wechat_templates: dict[str, str] = {}  # our template -> WeChat template_id
    # our template -> {WeChat data key: our param name, or "@text" / "@text_en"}
    wechat_template_data: dict[str, dict[str, str]] = {}
    # Fetch a new access_token this long before the cached one expires.
    wechat_token_refresh_margin_seconds: float = 300.0

    @property
    def queue_name(self) -> str:
        return f"{self.queue_prefix}{QUEUE}"

    @model_validator(mode="after")
    def _credentials_of_the_chosen_providers(self) -> Settings:
        missing: list[str] = []
        if self.sms_provider == "aliyun":
            missing += _blank(NOTIFIER_ALIYUN_ACCESS_KEY_ID=self.aliyun_access_key_id,
                              NOTIFIER_ALIYUN_ACCESS_KEY_SECRET=self.aliyun_access_key_secret,
                              NOTIFIER_ALIYUN_SIGN_NAME=self.aliyun_sign_name)
        if self.sms_provider == "tencent":
            missing += _blank(NOTIFIER_TENCENT_SECRET_ID=self.tencent_secret_id,
                              NOTIFIER_TENCENT_SECRET_KEY=self.tencent_secret_key,
                              NOTIFIER_TENCENT_SMS_SDK_APP_ID=self.tencent_sms_sdk_app_id,
                              NOTIFIER_TENCENT_SIGN_NAME=self.tencent_sign_name)
        if self.wechat_provider == "wechat":
            missing += _blank(NOTIFIER_WECHAT_APP_ID=self.wechat_app_id,
                              NOTIFIER_WECHAT_APP_SECRET=self.wechat_app_secret)
        if missing:
            raise ValueError("the chosen providers need " + ", ".join(missing))
        return self


def _blank(**values: str | SecretStr) -> list[str]:
    def text(v: str | SecretStr) -> str:
        return v.get_secret_value() if isinstance(v, SecretStr) else v

    return [name for name, value in values.items() if not text(value).strip()]
