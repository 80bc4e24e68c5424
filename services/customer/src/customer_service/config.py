from decimal import Decimal

from pydantic import Field, model_validator
from pydantic_settings import SettingsConfigDict
from servicekit.settings import ServiceSettings, database_url_for


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CUSTOMER_", extra="ignore")

    service_name: str = "customer"
    database_url: str = database_url_for("customer")
    port: int = 8101
    # Cumulative paid consumption (yuan) that earns a grade (C-4):
    # CUSTOMER_GRADE_SMALL_THRESHOLD / CUSTOMER_GRADE_LARGE_THRESHOLD.
    grade_small_threshold: Decimal = Decimal("10000")
    grade_large_threshold: Decimal = Decimal("50000")
    # Payment terms a newly registered customer starts with, in days after an order's
    # approval (O-6; 0 = due on approval): CUSTOMER_DEFAULT_PAYMENT_TERMS_DAYS.
    default_payment_terms_days: int = Field(default=30, ge=0, le=365)

    @model_validator(mode="after")
    def _thresholds_in_order(self) -> "Settings":
        if not Decimal("0") < self.grade_small_threshold < self.grade_large_threshold:
            raise ValueError("CUSTOMER_GRADE_SMALL_THRESHOLD must be greater than zero and "
                             "below CUSTOMER_GRADE_LARGE_THRESHOLD")
        return self


settings = Settings()
