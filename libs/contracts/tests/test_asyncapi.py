"""The AsyncAPI 3.0 document of the events (I-4): generated from the contracts, every
(type, version) a message with the envelope, its data schema, producer and a valid
example; the external subscribers' queues with their binding keys; docs/asyncapi.yaml
is what build() produces."""

from __future__ import annotations

import re

import pytest
import yaml
from dinghuo_contracts import REGISTRY, EventEnvelope, parse_event
from dinghuo_contracts.asyncapi import (
    DOCUMENT,
    EXCHANGE,
    build,
    document_text,
    example_event,
    main,
    producer_of,
    render_yaml,
    topic_matches,
)
from dinghuo_contracts.schemas import MONEY_PATTERN, data_schema


@pytest.fixture(scope="module")
def doc() -> dict:
    return build()


def test_docs_asyncapi_yaml_is_what_the_contracts_say_I4():
    assert DOCUMENT.exists() and DOCUMENT.read_text(encoding="utf-8") == document_text(), (
        "docs/asyncapi.yaml is not what the contracts in libs/contracts produce: run "
        "`make contracts` (it regenerates docs/asyncapi.yaml and the schema snapshot)")


def test_yaml_is_the_document(doc):
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    assert yaml.load(render_yaml(doc), Loader=loader) == doc
    assert doc["asyncapi"] == "3.0.0"


def test_every_contract_is_a_message_with_envelope_data_and_example_I4(doc):
    messages = doc["components"]["messages"]
    assert len(messages) == len(REGISTRY)
    for (event_type, version), cls in REGISTRY.items():
        mid = f"{event_type}.v{version}"
        message = messages[mid]
        payload = message["payload"]
        assert payload["required"] == ["id", "type", "version", "occurred_at", "source",
                                       "data"]
        assert payload["properties"]["type"]["const"] == event_type
        assert payload["properties"]["version"]["const"] == version
        assert payload["properties"]["data"] == {"$ref": f"#/components/schemas/{mid}"}
        data = doc["components"]["schemas"][mid]
        assert set(data["properties"]) == set(data_schema(cls)["properties"])
        assert message["description"]
        assert message["x-producer"] == producer_of(event_type).name
        channel = doc["channels"][event_type]
        assert channel["address"] == event_type
        assert channel["messages"][mid] == {"$ref": f"#/components/messages/{mid}"}
        [example] = message["examples"]
        envelope = EventEnvelope.model_validate(example["payload"])
        assert (envelope.type, envelope.version) == (event_type, version)
        assert envelope.source == producer_of(event_type).source
        assert parse_event(envelope) == example_event(cls)
        # every $ref points at something
        for ref in re.findall(r"'\$ref': '#/([^']+)'", repr(message)):
            node = doc
            for part in ref.split("/"):
                node = node[part]


def test_the_exchange_binding_is_a_durable_topic_I4(doc):
    binding = doc["components"]["channelBindings"][EXCHANGE]["amqp"]
    assert binding["is"] == "routingKey"
    assert binding["exchange"] == {"name": "dinghuo.events", "type": "topic",
                                   "durable": True, "autoDelete": False, "vhost": "/"}
    assert doc["channels"]["invoice.issued"]["bindings"] == {
        "$ref": "#/components/channelBindings/dinghuo.events"}


def test_money_is_a_string_with_two_decimals_in_the_schema_I4(doc):
    amount = doc["components"]["schemas"]["invoice.issued.v1"]["properties"]["amount"]
    assert amount["type"] == "string" and amount["pattern"] == MONEY_PATTERN
    assert re.match(MONEY_PATTERN, "892.50") and re.match(MONEY_PATTERN, "-1.00")
    assert not re.match(MONEY_PATTERN, "892.5") and not re.match(MONEY_PATTERN, "892")
    example = doc["components"]["messages"]["invoice.issued.v1"]["examples"][0]
    assert re.match(MONEY_PATTERN, example["payload"]["data"]["amount"])


def test_the_external_queues_and_their_binding_keys_I4(doc):
    finance = doc["channels"]["finance.invoice-events"]
    assert finance["address"] == "finance.invoice-events"
    amqp = finance["bindings"]["amqp"]
    assert amqp["is"] == "queue" and amqp["queue"]["durable"] is True
    assert amqp["x-binding-keys"] == ["invoice.#"]
    assert amqp["x-arguments"]["x-queue-type"] == "quorum"
    invoice_types = {t for t, _ in REGISTRY if t.startswith("invoice.")}
    assert {"invoice.requested", "invoice.issued", "invoice.confirmed"} <= invoice_types
    assert {m.rsplit(".v", 1)[0] for m in finance["messages"]} == invoice_types
    notifier = doc["channels"]["notifier.reminders"]
    assert notifier["bindings"]["amqp"]["x-binding-keys"] == ["notify.delivery_requested"]
    assert list(notifier["messages"]) == ["notify.delivery_requested.v1"]
    assert doc["operations"]["finance.receive"]["action"] == "receive"


def test_producers_I4(doc):
    messages = doc["components"]["messages"]
    assert messages["invoice.issued.v1"]["x-producer"] == "invoice"
    assert messages["customer.ordering_cycle_due.v1"]["x-producer"] == "order"
    assert messages["servicedesk.request_opened.v1"]["x-producer"] == "service-desk"
    assert messages["identity.password_reset_requested.v1"]["x-producer"] == "gateway"
    assert messages["notify.delivery_reported.v1"]["x-producer"] == "notifier (external)"
    assert doc["operations"]["notify.delivery_reported.receive"]["action"] == "receive"
    assert doc["operations"]["invoice.issued.send"]["action"] == "send"
    with pytest.raises(LookupError, match="PRODUCERS"):
        producer_of("billing.paid")


def test_topic_matching():
    assert topic_matches("invoice.#", "invoice.issued")
    assert topic_matches("invoice.#", "invoice")
    assert topic_matches("*.issued", "invoice.issued")
    assert not topic_matches("invoice.*", "invoice.a.b")
    assert not topic_matches("invoice.#", "order.submitted")


def test_the_command_writes_and_checks(tmp_path, capsys):
    target = tmp_path / "asyncapi.yaml"
    assert main(["--check", "--output", str(target)]) == 1
    assert "make contracts" in capsys.readouterr().err
    assert main(["--output", str(target)]) == 0
    assert main(["--check", "--output", str(target)]) == 0
    target.write_text(target.read_text() + "# edited\n")
    assert main(["--check", "--output", str(target)]) == 1
