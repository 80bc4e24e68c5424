"""Settings base: one `Settings` class per service with its own env prefix.

A field is read from `<PREFIX><NAME>` first (e.g. `ORDER_DATABASE_URL`), then from the
platform-wide `DINGHUO_<NAME>` (e.g. `DINGHUO_AMQP_URL`), then its default. A secret left
at its development placeholder stops start-up outside development.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

DEV_INTERNAL_SECRET = "dev-internal-token-secret-change-me-0123456789"
DEFAULT_PG = "postgresql+asyncpg://postgres@127.0.0.1:5432"
DEFAULT_AMQP = "amqp://guest:guest@127.0.0.1:5672/"


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore")

    service_name: str = "service"
    environment: Literal["development", "test", "production"] = "development"
    database_url: str = f"{DEFAULT_PG}/dinghuo"
    amqp_url: str = DEFAULT_AMQP
    # The topic exchange all events travel on; tests use their own name per run.
    exchange: str = "dinghuo.events"
    # Prefix of this service's queue names (tests set a unique one per run).
    queue_prefix: str = ""
    delivery_limit: int = 10
    prefetch: int = 16
    internal_token_secret: str = DEV_INTERNAL_SECRET
    log_level: str = "INFO"
    log_json: bool = True
    otel_exporter: Literal["none", "console", "otlp"] = "none"
    # With the console exporter, write span JSON here instead of stdout.
    otel_console_path: str | None = None
    otel_endpoint: str | None = None
    # Share of the traces started in this process that are recorded and exported (0–1;
    # issue 16): tracing costs little when sampled off. Ignored with no exporter.
    otel_sample_ratio: float = Field(default=1.0, ge=0.0, le=1.0)
    outbox_poll_seconds: float = 1.0
    # Refusals by the broker (unroutable, nacked) before the relay gives up on an outbox
    # row; operators see it and hand it back (B-7).
    outbox_max_attempts: int = 10
    host: str = "127.0.0.1"
    port: int = 8000

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        platform = EnvSettingsSource(settings_cls, env_prefix="DINGHUO_", case_sensitive=False)
        return init_settings, env_settings, platform, file_secret_settings

    @model_validator(mode="after")
    def _no_placeholder_secrets(self) -> ServiceSettings:
        if self.environment == "production" and self.internal_token_secret == DEV_INTERNAL_SECRET:
            raise ValueError("DINGHUO_INTERNAL_TOKEN_SECRET must be set outside development")
        return self

    @property
    def queue_name(self) -> str:
        return f"{self.queue_prefix}{self.service_name}.events"


def database_url_for(service: str) -> str:
    return f"{DEFAULT_PG}/dinghuo_{service}"
