from decimal import Decimal
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import SettingsConfigDict
from servicekit.settings import ServiceSettings, database_url_for

from .payments.providers import PaymentProviderSettings

# ORDER_PAYMENT_PROVIDER: one real provider, the development sandbox, or none (online
# payment off). Unset, it is "sandbox" in development and test, "none" in production.
PaymentProviderChoice = Literal["sandbox", "wechat", "alipay", "none"]


class Settings(ServiceSettings, PaymentProviderSettings):
    """The order service's settings, ORDER_* (then DINGHUO_*). The payment providers'
    settings (B-2) are `PaymentProviderSettings` (payments/providers/settings.py and the
    merchant set-up in payments/providers/__init__.py)."""

    model_config = SettingsConfigDict(env_prefix="ORDER_", extra="ignore")

    service_name: str = "order"
    database_url: str = database_url_for("order")
    port: int = 8102
    # Two-level review (O-5, seed 003): orders whose total is above this amount need a
    # second approval by a different reviewer. None (the default): one approval suffices.
    second_review_threshold: Decimal | None = None
    # Payment terms (O-6) for a customer whose terms have not reached this service (no
    # customer.payment_terms_changed or customer.approved with terms yet): an approved
    # order is due this many days after its approval. ORDER_DEFAULT_PAYMENT_TERMS_DAYS.
    default_payment_terms_days: int = Field(default=30, ge=0, le=365)
    # Payment reminders (O-6, N-2; the daily job `payment_due_reminders`): an approved
    # order with something outstanding is reminded this many days before its due date
    # (0: no advance reminder), on the due date, and every so many days while overdue.
    # ORDER_REMINDER_DAYS_BEFORE, ORDER_REMINDER_OVERDUE_EVERY_DAYS.
    reminder_days_before: int = Field(default=3, ge=0, le=60)
    reminder_overdue_every_days: int = Field(default=7, ge=1, le=365)
    # Online payment (B-2, O-6). Which provider takes it: "sandbox" (development, no
    # merchant account; its page is /api/payments/sandbox/{out_trade_no}), "wechat",
    # "alipay" or "none" (off: the portal offers no online payment). Unset (or empty) it
    # is "sandbox" in development and test and "none" in production, so a production
    # deployment never takes sandbox "payments" by accident and still starts without
    # payment settings; set it to wechat or alipay with their credentials (or sandbox
    # with ORDER_PAYMENT_SANDBOX_SECRET) to switch online payment on.
    payment_provider: PaymentProviderChoice = "sandbox"  # type: ignore[assignment]
    # How long a payment QR code (an intent) is offered before a new one is needed.
    # ORDER_PAYMENT_INTENT_MINUTES.
    payment_intent_minutes: int = Field(default=30, ge=5, le=120)
    # Points redemption (P-2): an order still waiting for the points service's answer
    # after this long is payable in full (longer than the points service's own
    # reservation timeout, POINTS_RESERVATION_TIMEOUT_SECONDS, 600); the job looks this
    # often.
    points_reply_timeout_seconds: int = Field(default=900, ge=1, le=86_400)
    points_reply_job_seconds: int = Field(default=60, ge=1, le=3_600)

    @model_validator(mode="before")
    @classmethod
    def _payment_provider_default(cls, data: Any) -> Any:
        """ORDER_PAYMENT_PROVIDER unset or empty: sandbox, except in production (none).
        An empty ORDER_PAYMENT_SANDBOX_SECRET counts as unset (docker-compose passes
        `${ORDER_PAYMENT_SANDBOX_SECRET:-}`); the development secret is then refused in
        production if the sandbox is chosen."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        if isinstance(data.get("payment_sandbox_secret"), str) and \
                not data["payment_sandbox_secret"].strip():
            del data["payment_sandbox_secret"]
        chosen = data.get("payment_provider")
        if chosen is None or (isinstance(chosen, str) and not chosen.strip()):
            data["payment_provider"] = (
                "none" if str(data.get("environment", "")).strip().lower() == "production"
                else "sandbox")
        elif isinstance(chosen, str):
            data["payment_provider"] = chosen.strip().lower()
        return data

    @model_validator(mode="after")
    def _payment_notify_address(self) -> "Settings":
        """A real provider notifies `{ORDER_PAYMENT_PUBLIC_BASE_URL}/api/payments/callbacks/
        {provider}`: the address must be absolute (https for WeChat Pay and Alipay)."""
        if self.payment_provider in ("wechat", "alipay"):
            base = self.payment_public_base_url.strip()
            if not base.startswith(("https://", "http://")) or "?" in base:
                raise ValueError(
                    "PAYMENT_PUBLIC_BASE_URL must be the platform's public address (e.g. "
                    "https://dinghuo.example.com): WeChat Pay and Alipay send their payment "
                    "notifications to it")
        return self

    @property
    def payment_providers_enabled(self) -> list[str]:
        """The providers the portal offers: the chosen one, none when payment is off."""
        return [] if self.payment_provider == "none" else [self.payment_provider]

    @field_validator("second_review_threshold", mode="before")
    @classmethod
    def _blank_is_none(cls, v: object) -> object:
        return None if isinstance(v, str) and not v.strip() else v


settings = Settings()
