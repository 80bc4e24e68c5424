from decimal import Decimal

from pydantic import Field
from pydantic_settings import SettingsConfigDict
from servicekit.settings import ServiceSettings, database_url_for


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="INVOICE_", extra="ignore")

    service_name: str = "invoice"
    database_url: str = database_url_for("invoice")
    port: int = 8103
    # The most one fapiao may carry (I-2; the tax office's limit for the issuer's
    # invoicing equipment, in yuan): a request above it is issued as several fapiao.
    # INVOICE_MAX_AMOUNT_PER_FAPIAO.
    max_amount_per_fapiao: Decimal = Field(default=Decimal("100000.00"), gt=0,
                                           max_digits=14, decimal_places=2)


settings = Settings()
