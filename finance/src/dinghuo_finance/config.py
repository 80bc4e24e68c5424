"""The finance subscriber's settings: `FINANCE_*` environment variables; the broker,
exchange and queue prefix also fall back to the platform-wide `DINGHUO_*` ones (I-4)."""

from __future__ import annotations

from pathlib import Path

from dinghuo_contracts import EXTERNAL_SUBSCRIBERS
from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

# The queue the platform's topology declares for the finance system (bound to invoice.#).
QUEUE = next(s.queue for s in EXTERNAL_SUBSCRIBERS if s.name == "finance")


def _platform(name: str) -> AliasChoices:
    return AliasChoices(f"FINANCE_{name}", f"DINGHUO_{name}")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FINANCE_", extra="ignore",
                                      populate_by_name=True)

    # Broker: the topic exchange and the queue the platform's topology declares.
    amqp_url: str = Field("amqp://guest:guest@127.0.0.1:5672/",
                          validation_alias=_platform("AMQP_URL"))
    exchange: str = Field("dinghuo.events", validation_alias=_platform("EXCHANGE"))
    queue_prefix: str = Field("", validation_alias=_platform("QUEUE_PREFIX"))
    prefetch: int = 16
    # While the queue (or exchange, or broker) is not there yet, look again this often.
    missing_queue_retry_seconds: float = 5.0
    # One row per invoice event; its event ids are read back at start (deduplication).
    ledger_path: Path = Path(".run/finance-ledger.csv")
    log_level: str = "INFO"
    log_json: bool = True

    @property
    def queue_name(self) -> str:
        return f"{self.queue_prefix}{QUEUE}"
