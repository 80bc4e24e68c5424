from pydantic_settings import SettingsConfigDict
from servicekit.settings import ServiceSettings, database_url_for


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="SERVICEDESK_", extra="ignore")

    service_name: str = "servicedesk"
    database_url: str = database_url_for("servicedesk")
    port: int = 8105


settings = Settings()
