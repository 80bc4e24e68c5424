from typing import Literal

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import SettingsConfigDict
from servicekit.settings import ServiceSettings, database_url_for

DEV_SESSION_SECRET = "dev-session-secret-change-me-0123456789abcdef"


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="GATEWAY_", extra="ignore")

    service_name: str = "gateway"
    database_url: str = database_url_for("gateway")
    port: int = Field(8080, validation_alias=AliasChoices("GATEWAY_PORT", "DINGHUO_GATEWAY_PORT"))
    session_secret: str = DEV_SESSION_SECRET
    session_hours: int = 12
    # How long a replica may keep an account in memory (changes are pushed at once; this
    # bounds it should a notification ever be missed).
    auth_cache_seconds: float = 60.0
    cookie_name: str = "dinghuo_session"
    # The session cookie is Secure (sent over HTTPS only) except in development and
    # tests, where the gateway is reached over plain http://127.0.0.1; None = that rule.
    cookie_secure: bool | None = None
    # The bootstrap staff administrator, created at start-up when missing.
    admin_username: str = "admin"
    admin_password: str | None = Field(
        None, validation_alias=AliasChoices("GATEWAY_ADMIN_PASSWORD", "DINGHUO_ADMIN_PASSWORD"))
    customer_url: str = "http://127.0.0.1:8101"
    order_url: str = "http://127.0.0.1:8102"
    invoice_url: str = "http://127.0.0.1:8103"
    points_url: str = "http://127.0.0.1:8104"
    servicedesk_url: str = "http://127.0.0.1:8105"
    notify_url: str = "http://127.0.0.1:8106"
    upstream_timeout: float = 30.0
    # The largest request body accepted (413 beyond it); bodies are read whole.
    max_body_bytes: int = 16 * 1024 * 1024
    # Against password cracking: failures per normalised username within the window
    # lock the account; a per-address rate limit on login and password-reset requests.
    lockout_max_failures: int = 5
    lockout_window_minutes: int = 15
    lockout_minutes: int = 15
    auth_rate_limit: int = 30
    auth_rate_window_seconds: int = 60
    # Client address from X-Forwarded-For only when the direct peer is one of these.
    trusted_proxies: list[str] = []
    password_reset_minutes: int = 30
    # How long the query password unlocks sensitive reports for a session.
    sensitive_unlock_minutes: int = 15
    web_dist: str | None = None
    # argon2id cost of new password hashes. "standard" is argon2's recommended profile
    # (RFC 9106, 64 MiB); "low" (1 pass, 8 MiB) only lets the test suites, which create
    # hundreds of users on a 2-core machine, spend their time on behaviour rather than on
    # hashing. Hashes carry their parameters, so either verifies the other's; "low" is
    # refused in production.
    password_hash_cost: Literal["standard", "low"] = "standard"

    @model_validator(mode="after")
    def _standard_hashing_in_production(self) -> "Settings":
        if self.environment == "production" and self.password_hash_cost != "standard":
            raise ValueError("GATEWAY_PASSWORD_HASH_COST=low is for tests, not production")
        return self

    @property
    def secure_cookie(self) -> bool:
        if self.cookie_secure is not None:
            return self.cookie_secure
        return self.environment not in ("development", "test")

    def service_urls(self) -> dict[str, str]:
        return {"customer": self.customer_url, "order": self.order_url,
                "invoice": self.invoice_url, "points": self.points_url,
                "servicedesk": self.servicedesk_url, "notify": self.notify_url}


settings = Settings()
