from datetime import timedelta

from pydantic_settings import SettingsConfigDict
from servicekit.settings import ServiceSettings, database_url_for


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="NOTIFY_", extra="ignore")

    service_name: str = "notify"
    database_url: str = database_url_for("notify")
    port: int = 8106
    # The console's prompt stream (GET /api/console/prompts/stream, N-3).
    prompt_stream_poll_seconds: float = 1.0
    prompt_stream_heartbeat_seconds: float = 15.0
    # Deliveries by the external notifier (N-2): reminders go out on these channels;
    # a failed attempt is retried after 1 min, then 4x longer each time (at most 2 h),
    # up to 5 attempts; the retry job runs every 30 s.
    reminder_channels: tuple[str, ...] = ("sms", "wechat")
    delivery_max_attempts: int = 5
    delivery_retry_first: timedelta = timedelta(minutes=1)
    delivery_retry_factor: int = 4
    delivery_retry_cap: timedelta = timedelta(hours=2)
    delivery_retry_job_seconds: int = 30
    # Staff batch messages (N-1): at most this many recipients at once.
    batch_max_recipients: int = 5000


settings = Settings()
