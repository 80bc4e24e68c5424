"""The finance subscriber's settings come from FINANCE_* and the platform's DINGHUO_*
(I-4)."""

from __future__ import annotations

from pathlib import Path

from dinghuo_finance.config import Settings


def test_platform_broker_names_from_the_environment_I4(monkeypatch):
    """Queue = DINGHUO_QUEUE_PREFIX + finance.invoice-events on DINGHUO_EXCHANGE at
    DINGHUO_AMQP_URL; a FINANCE_* value wins."""
    monkeypatch.setenv("DINGHUO_AMQP_URL", "amqp://u:p@mq:5672/")
    monkeypatch.setenv("DINGHUO_EXCHANGE", "dinghuo.events.x")
    monkeypatch.setenv("DINGHUO_QUEUE_PREFIX", "t1.")
    monkeypatch.setenv("FINANCE_LEDGER_PATH", "/var/lib/finance/ledger.csv")
    s = Settings()
    assert (s.amqp_url, s.exchange, s.queue_name) == (
        "amqp://u:p@mq:5672/", "dinghuo.events.x", "t1.finance.invoice-events")
    assert s.ledger_path == Path("/var/lib/finance/ledger.csv")
    monkeypatch.setenv("FINANCE_QUEUE_PREFIX", "own.")
    monkeypatch.setenv("FINANCE_AMQP_URL", "amqp://finance@mq:5672/")
    s = Settings()
    assert (s.queue_name, s.amqp_url) == ("own.finance.invoice-events",
                                          "amqp://finance@mq:5672/")


def test_defaults_are_the_development_ones(monkeypatch):
    for name in ("DINGHUO_AMQP_URL", "DINGHUO_EXCHANGE", "DINGHUO_QUEUE_PREFIX",
                 "FINANCE_LEDGER_PATH"):
        monkeypatch.delenv(name, raising=False)
    s = Settings()
    assert s.queue_name == "finance.invoice-events"
    assert s.exchange == "dinghuo.events"
    assert s.amqp_url == "amqp://guest:guest@127.0.0.1:5672/"
    assert str(s.ledger_path) == ".run/finance-ledger.csv"
