from pydantic_settings import SettingsConfigDict
from servicekit.settings import ServiceSettings, database_url_for


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="POINTS_", extra="ignore")

    service_name: str = "points"
    database_url: str = database_url_for("points")
    port: int = 8104


settings = Settings()
