"""Every event in the contracts reaches at least one subscriber (a service's queue or an
external subscriber's), so the relay's `mandatory` publish never finds it unroutable and
no event type is produced for nobody (X-2)."""

import importlib
import re
import sys
from pathlib import Path

from dinghuo_contracts import EVENT_TYPES, EXTERNAL_SUBSCRIBERS

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
from system import SERVICES  # noqa: E402


def matches(pattern: str, routing_key: str) -> bool:
    """AMQP topic matching: `*` one word, `#` zero or more words."""
    rx = "^" + re.escape(pattern).replace(r"\#", "#").replace(r"\*", "*") + "$"
    rx = rx.replace(r"\.#", r"(\..+)?").replace("#", ".*").replace("*", r"[^.]+")
    return re.match(rx, routing_key) is not None


def bindings() -> dict[str, list[str]]:
    out = {s.name: importlib.import_module(f"{s.package}.messaging").registry.binding_keys
           for s in SERVICES}
    out.update({e.name: list(e.binding_keys) for e in EXTERNAL_SUBSCRIBERS})
    return out


def test_topic_matching():
    assert matches("invoice.#", "invoice.confirmed")
    assert matches("order.*", "order.submitted") and not matches("order.*", "order.a.b")
    assert not matches("invoice.#", "order.submitted")


def test_every_event_type_has_a_subscriber():
    subs = bindings()
    orphans = [t for t in sorted(EVENT_TYPES)
               if not any(matches(k, t) for keys in subs.values() for k in keys)]
    assert orphans == []


def test_every_binding_names_a_known_event():
    for name, keys in bindings().items():
        for key in keys:
            assert any(matches(key, t) for t in EVENT_TYPES), (name, key)


def test_the_notifier_gets_delivery_requests_only_N2():
    """The notifier receives one delivery request per message and channel from notify;
    the raw reminders it once got directly are unbound when the topology is declared."""
    [notifier] = [e for e in EXTERNAL_SUBSCRIBERS if e.name == "notifier"]
    assert notifier.binding_keys == ("notify.delivery_requested",)
    assert set(notifier.retired_binding_keys) == {"order.payment_due",
                                                 "customer.ordering_cycle_due"}
    assert "notify.delivery_reported" in bindings()["notify"]
