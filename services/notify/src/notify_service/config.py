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


settings = Settings()
