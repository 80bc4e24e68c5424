from decimal import Decimal

from pydantic import Field, field_validator
from pydantic_settings import SettingsConfigDict
from servicekit.settings import ServiceSettings, database_url_for


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="ORDER_", extra="ignore")

    service_name: str = "order"
    database_url: str = database_url_for("order")
    port: int = 8102
    # Two-level review (O-5, seed 003): orders whose total is above this amount need a
    # second approval by a different reviewer. None (the default): one approval suffices.
    second_review_threshold: Decimal | None = None
    # Payment terms (O-6) for a customer whose terms have not reached this service (no
    # customer.payment_terms_changed or customer.approved with terms yet): an approved
    # order is due this many days after its approval. ORDER_DEFAULT_PAYMENT_TERMS_DAYS.
    default_payment_terms_days: int = Field(default=30, ge=0, le=365)
    # Payment reminders (O-6, N-2; the daily job `payment_due_reminders`): an approved
    # order with something outstanding is reminded this many days before its due date
    # (0: no advance reminder), on the due date, and every so many days while overdue.
    # ORDER_REMINDER_DAYS_BEFORE, ORDER_REMINDER_OVERDUE_EVERY_DAYS.
    reminder_days_before: int = Field(default=3, ge=0, le=60)
    reminder_overdue_every_days: int = Field(default=7, ge=1, le=365)

    @field_validator("second_review_threshold", mode="before")
    @classmethod
    def _blank_is_none(cls, v: object) -> object:
        return None if isinstance(v, str) and not v.strip() else v


settings = Settings()
