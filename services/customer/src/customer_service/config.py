from pydantic_settings import SettingsConfigDict
from servicekit.settings import ServiceSettings, database_url_for


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CUSTOMER_", extra="ignore")

    service_name: str = "customer"
    database_url: str = database_url_for("customer")
    port: int = 8101


settings = Settings()
