"""Money as Decimal strings; settings precedence; placeholders refused in production."""

from decimal import Decimal

import pytest
from pydantic import BaseModel, ValidationError
from pydantic_settings import SettingsConfigDict
from servicekit.money import Money, PositiveMoney
from servicekit.settings import ServiceSettings


class M(BaseModel):
    amount: Money
    positive: PositiveMoney = Decimal("1")


@pytest.mark.parametrize(("raw", "expected"), [
    ("801.5", "801.50"), (801.5, "801.50"), (0.1, "0.10"), ("12", "12.00"),
])
def test_money_parses_and_serialises_with_two_places(raw, expected):
    assert M(amount=raw).model_dump(mode="json")["amount"] == expected
    assert isinstance(M(amount=raw).amount, Decimal)


# "3.000" was accepted before issue 8; on the wire money has at most two decimals.
@pytest.mark.parametrize("raw", ["abc", "1.001", "3.000", "NaN", "Infinity", True, "1e20"])
def test_money_refuses_nonsense(raw):
    with pytest.raises(ValidationError):
        M(amount=raw)


def test_positive_money_refuses_zero_and_negative():
    for v in ("0", "-1"):
        with pytest.raises(ValidationError, match="greater than zero"):
            M(amount="1", positive=v)


class DemoSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="DEMO_")
    service_name: str = "demo"


def test_service_prefix_wins_over_platform_env(monkeypatch):
    monkeypatch.setenv("DINGHUO_AMQP_URL", "amqp://platform/")
    assert DemoSettings().amqp_url == "amqp://platform/"
    monkeypatch.setenv("DEMO_AMQP_URL", "amqp://own/")
    assert DemoSettings().amqp_url == "amqp://own/"


def test_placeholder_secret_refused_in_production(monkeypatch):
    monkeypatch.setenv("DEMO_ENVIRONMENT", "production")
    with pytest.raises(ValidationError, match="INTERNAL_TOKEN_SECRET"):
        DemoSettings()
    monkeypatch.setenv("DINGHUO_INTERNAL_TOKEN_SECRET", "x" * 40)
    assert DemoSettings().environment == "production"
