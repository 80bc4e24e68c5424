from pydantic_settings import SettingsConfigDict
from servicekit.settings import ServiceSettings, database_url_for


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="ORDER_", extra="ignore")

    service_name: str = "order"
    database_url: str = database_url_for("order")
    port: int = 8102


settings = Settings()
