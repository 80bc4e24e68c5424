from pydantic_settings import SettingsConfigDict
from servicekit.settings import ServiceSettings, database_url_for


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="INVOICE_", extra="ignore")

    service_name: str = "invoice"
    database_url: str = database_url_for("invoice")
    port: int = 8103


settings = Settings()
