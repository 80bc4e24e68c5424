from pydantic_settings import SettingsConfigDict
from servicekit.settings import ServiceSettings, database_url_for


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="POINTS_", extra="ignore")

    service_name: str = "points"
    database_url: str = database_url_for("points")
    port: int = 8104
    # P-2 redemption saga: a reservation the order has not confirmed within this time is
    # released (a lost reply never keeps points reserved); the job looks this often.
    reservation_timeout_seconds: int = 600
    reservation_job_seconds: int = 30
    # How often accounts whose balances were never announced are announced (a backfill).
    balance_backfill_seconds: int = 300


settings = Settings()
