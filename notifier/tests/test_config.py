"""The notifier's settings come from NOTIFIER_* and the platform's DINGHUO_* (B-4)."""

from __future__ import annotations

from dinghuo_notifier.config import Settings


class TestSettings:
    def test_platform_broker_names_and_json_mappings_from_the_environment_B4(
            self, monkeypatch):
        """B-4: queue = DINGHUO_QUEUE_PREFIX + notifier.reminders on DINGHUO_EXCHANGE at
        DINGHUO_AMQP_URL; a NOTIFIER_* value wins; template mappings are JSON."""
        monkeypatch.setenv("DINGHUO_AMQP_URL", "amqp://u:p@mq:5672/")
        monkeypatch.setenv("DINGHUO_EXCHANGE", "dinghuo.events.x")
        monkeypatch.setenv("DINGHUO_QUEUE_PREFIX", "t1.")
        monkeypatch.setenv("NOTIFIER_ALIYUN_TEMPLATES", '{"payment_due": "SMS_123"}')
        monkeypatch.setenv("NOTIFIER_TENCENT_TEMPLATE_PARAMS",
                           '{"payment_due": ["number", "amount"]}')
        s = Settings()
        assert (s.amqp_url, s.exchange, s.queue_name) == (
            "amqp://u:p@mq:5672/", "dinghuo.events.x", "t1.notifier.reminders")
        assert s.aliyun_templates == {"payment_due": "SMS_123"}
        assert s.tencent_template_params == {"payment_due": ["number", "amount"]}
        monkeypatch.setenv("NOTIFIER_EXCHANGE", "own.exchange")
        assert Settings().exchange == "own.exchange"

    def test_defaults_are_the_development_ones(self, monkeypatch):
        for name in ("DINGHUO_AMQP_URL", "DINGHUO_EXCHANGE", "DINGHUO_QUEUE_PREFIX"):
            monkeypatch.delenv(name, raising=False)
        s = Settings()
        assert s.queue_name == "notifier.reminders"
        assert s.exchange == "dinghuo.events"
        assert (s.sms_provider, s.wechat_provider) == ("outbox", "outbox")
        assert str(s.outbox_path) == ".run/notifier-outbox.jsonl"
        assert s.http_timeout_seconds == 10.0
        assert s.wechat_base_url == "https://api.weixin.qq.com"
