"""The AsyncAPI 3.0 document of Dinghuo's integration events (I-4), generated from the
contracts: one channel per routing key on the `dinghuo.events` topic exchange, one
message per (type, version) — the envelope with the event's data schema, its producer
and an example — and the queues of the external subscribers with their binding keys.

    python -m dinghuo_contracts.asyncapi           # write docs/asyncapi.yaml
    python -m dinghuo_contracts.asyncapi --check   # fail when it is not what build() says

`make contracts` runs the first (and writes the compatibility snapshot, see compat.py);
a test fails when the committed document is stale. The gateway serves the same document
at /api/events/asyncapi.yaml and /api/events/asyncapi.json.
"""

from __future__ import annotations

import argparse
import functools
import inspect
import re
import sys
import types
import typing
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from .envelope import Event, EventEnvelope
from .schemas import MONEY_PATTERN, contracts, data_schema
from .subscribers import EXTERNAL_SUBSCRIBERS, ExternalSubscriber

ASYNCAPI_VERSION = "3.0.0"
EXCHANGE = "dinghuo.events"
# What the platform's topology (servicekit.messaging.Topology) declares for every queue,
# the external subscribers' included; gateway/tests checks that the two agree.
DELIVERY_LIMIT = 10
QUEUE_ARGUMENTS: dict[str, Any] = {
    "x-queue-type": "quorum",
    "x-delivery-limit": DELIVERY_LIMIT,
    "x-dead-letter-exchange": f"{EXCHANGE}.dlx",
    "x-dead-letter-routing-key": "<the queue's name>",
    "x-dead-letter-strategy": "at-least-once",
    "x-overflow": "reject-publish",
}
REPO_ROOT = Path(__file__).resolve().parents[4]
DOCUMENT = REPO_ROOT / "docs" / "asyncapi.yaml"
HEADER = ("# Generated from libs/contracts by `make contracts` (dinghuo_contracts.asyncapi).\n"
          "# Do not edit: change the contracts and regenerate.\n")
_AMQP = "0.3.0"  # AsyncAPI AMQP bindings version


# ---------------------------------------------------------------------- producers
@dataclass(frozen=True)
class Producer:
    name: str  # who publishes it (a service, the gateway, or an external system)
    source: str  # what it writes into the envelope's `source`
    external: bool = False


# By the type's first word; the exceptions below win.
PRODUCERS: dict[str, Producer] = {
    "customer": Producer("customer", "customer"),
    "order": Producer("order", "order"),
    "invoice": Producer("invoice", "invoice"),
    "points": Producer("points", "points"),
    "servicedesk": Producer("service-desk", "servicedesk"),
    "notify": Producer("notify", "notify"),
    "identity": Producer("gateway", "gateway"),
}
PRODUCER_EXCEPTIONS: dict[str, Producer] = {
    # the order service's daily reminder job (C-6, N-2)
    "customer.ordering_cycle_due": Producer("order", "order"),
    # the SMS/WeChat notifier answers each delivery request (B-4, N-2)
    "notify.delivery_reported": Producer("notifier (external)", "notifier", external=True),
}

# For contracts without a docstring (docs/architecture.md, "The events"); a docstring on
# the class wins.
DESCRIPTIONS: dict[str, str] = {
    "customer.rejected": "Staff rejected a registration, with a reason (C-2).",
    "customer.price_changed": "One unit price of the customer changed, or its product "
                              "changed or became inactive (`active` false) (C-3).",
    "order.approved": "Staff approved the order in a (batch) review (O-5); it moves on to "
                      "processing at once.",
    "order.rejected": "Staff rejected the order in a (batch) review, with an optional "
                      "reason (O-5).",
    "points.earned": "Points for an order: `pending` until the order is paid, then "
                     "`effective` (P-2).",
}


def producer_of(event_type: str) -> Producer:
    if event_type in PRODUCER_EXCEPTIONS:
        return PRODUCER_EXCEPTIONS[event_type]
    prefix = event_type.split(".", 1)[0]
    if prefix not in PRODUCERS:
        raise LookupError(f"no producer known for {event_type}: add it to PRODUCERS in "
                          "dinghuo_contracts/asyncapi.py")
    return PRODUCERS[prefix]


def topic_matches(binding_key: str, routing_key: str) -> bool:
    """AMQP topic matching: `*` is one word, `#` zero or more words."""
    def match(pattern: list[str], words: list[str]) -> bool:
        if not pattern:
            return not words
        head, rest = pattern[0], pattern[1:]
        if head == "#":
            return any(match(rest, words[i:]) for i in range(len(words) + 1))
        return bool(words) and head in ("*", words[0]) and match(rest, words[1:])

    return match(binding_key.split("."), routing_key.split("."))


def subscribers_of(event_type: str) -> list[ExternalSubscriber]:
    return [s for s in EXTERNAL_SUBSCRIBERS
            if any(topic_matches(k, event_type) for k in s.binding_keys)]


# ---------------------------------------------------------------------- examples
_NS = uuid.uuid5(uuid.NAMESPACE_URL, "https://dinghuo.example/asyncapi")
OCCURRED_AT = datetime(2026, 11, 25, 2, 30, tzinfo=UTC)

_STRINGS: dict[str, str] = {
    "number": "DH20261123-0007", "order_number": "DH20261123-0007",
    "customer_number": "KH000123", "company_name": "上海印美图文有限公司",
    "customer_name": "上海印美图文有限公司", "contact_person": "张三",
    "mobile": "13812345678", "recipient": "13812345678", "email": "li.lei@example.com",
    "area": "华东", "name": "UV 墨水（黑）", "model": "INK-UV-K-1L",
    "invoice_number": "24312000000012345678", "reason": "客户要求", "note": "少到 1 箱",
    "machine": "UV 平板打印机 DH-2513", "description": "喷头堵塞，打印出现断线",
    "courier": "顺丰速运", "tracking_number": "SF1234567890123",
    "template": "payment_due", "text": "您的订单 DH20261123-0007 还有 392.50 元待付。",
    "text_en": "Order DH20261123-0007 has 392.50 outstanding.", "username": "li.lei",
    "token": "RESET-TOKEN-7f3a", "provider": "aliyun",
    "provider_message_id": "900619746936498440^0", "field": "delivery_date",
    "before": "2026-11-26", "after": "2026-11-27", "status": "processing",
    "bill_type": "ordinary_vat", "month": "2026-11",
}
_MONEY: dict[str, str] = {
    "amount": "892.50", "total": "892.50", "amount_paid": "892.50",
    "unit_price": "160.30", "list_price": "180.00", "previous_price": "168.00",
    "line_total": "801.50", "paid_total": "12800.00", "previous_total": "801.50",
    "amount_outstanding": "392.50", "refund_amount": "160.30",
    "opening_balance": "1200.00", "closing_balance": "392.50",
}
_INTS: dict[str, int] = {
    "quantity": 5, "days": 30, "previous_days": 15, "weekday": 5, "points": 44,
    "payment_terms_days": 30, "order_version": 2, "quantity_before": 5,
    "quantity_after": 3, "quantity_shipped": 5, "quantity_received": 5, "days_overdue": 0,
}
_DATES: dict[str, str] = {
    "due_date": "2026-12-25", "delivery_date": "2026-11-27", "last_order_date": "2026-11-01",
    "paid_on": "2026-11-24", "shipped_on": "2026-11-24",
}
_BOOLS: dict[str, bool] = {"shortage": False}


def _singular(name: str) -> str:
    if name.endswith("_ids"):
        return name[:-1]
    if name.endswith("s") and not name.endswith("ss"):
        return name[:-1]
    return name


def _value(name: str, annotation: Any) -> Any:
    """A representative JSON value for a field `name` of type `annotation`."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _value(name, args[0])
    if origin in (typing.Union, types.UnionType):
        present = [a for a in args if a is not type(None)]
        return _value(name, present[0]) if present else None
    if origin is Literal:
        return args[0]
    if origin in (list, tuple, set, frozenset):
        return [_value(_singular(name), args[0] if args else str)]
    if origin is dict:
        return {"number": "DH20261123-0007", "amount": "392.50"}
    if inspect.isclass(annotation) and issubclass(annotation, BaseModel):
        return _model_example(annotation)
    if annotation is uuid.UUID:
        return str(uuid.uuid5(_NS, name))
    if annotation is Decimal:
        return _MONEY.get(name, "801.50")
    if annotation is bool:
        return _BOOLS.get(name, True)
    if annotation is int:
        return _INTS.get(name, 1)
    if annotation is float:
        return 1.5
    if annotation is datetime:
        return OCCURRED_AT.isoformat().replace("+00:00", "Z")
    if annotation is date:
        return _DATES.get(name, OCCURRED_AT.date().isoformat())
    if annotation is str:
        if name in _STRINGS:
            return _STRINGS[name]
        return "admin" if name.endswith("_by") else name.replace("_", " ")
    return None


def _model_example(cls: type[BaseModel]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, field in cls.model_fields.items():
        default = field.default
        hinted = any(name in d for d in (_STRINGS, _MONEY, _INTS, _DATES, _BOOLS))
        if (not hinted and default is not PydanticUndefined
                and default not in (None, "", [], {})):
            out[name] = default
        else:
            out[name] = _value(name, field.annotation)
    return out


def example_event(cls: type[Event]) -> Event:
    """A valid instance of `cls` with representative values (raises if there is none)."""
    return cls.model_validate(_model_example(cls))


def example_envelope(cls: type[Event]) -> EventEnvelope:
    return EventEnvelope(
        id=uuid.uuid5(_NS, f"event:{cls.type}:v{cls.version}"), type=cls.type,
        version=cls.version, occurred_at=OCCURRED_AT, source=producer_of(cls.type).source,
        data=example_event(cls).model_dump(mode="json"))


# ---------------------------------------------------------------------- the document
def message_id(event_type: str, version: int) -> str:
    return f"{event_type}.v{version}"


def _description(cls: type[Event]) -> str:
    own = cls.__dict__.get("__doc__")
    if own:
        return inspect.cleandoc(own)
    return DESCRIPTIONS.get(cls.type, f"The `{cls.type}` event, version {cls.version}.")


def _relocate_defs(schema: dict[str, Any], shared: dict[str, Any], owner: str) -> dict:
    """Move `$defs` into components/schemas and point the references there."""
    def rewrite(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: (v.replace("#/$defs/", "#/components/schemas/") if k == "$ref"
                        else rewrite(v)) for k, v in node.items()}
        if isinstance(node, list):
            return [rewrite(v) for v in node]
        return node

    for name, definition in rewrite(schema.pop("$defs", {})).items():
        if name in shared and shared[name] != definition:
            raise ValueError(f"two different nested schemas named {name} ({owner})")
        shared[name] = definition
    return rewrite(schema)


def _summary(description: str) -> str:
    """The first sentence."""
    return re.split(r"(?<=\.)\s+", " ".join(description.split()), maxsplit=1)[0]


def _envelope_schema(event_type: str, version: int, producer: Producer,
                     data_ref: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["id", "type", "version", "occurred_at", "source", "data"],
        "properties": {
            "id": {"type": "string", "format": "uuid",
                   "description": "The event's identity: also the AMQP message_id. "
                                  "Deduplicate on it (delivery is at least once)."},
            "type": {"type": "string", "const": event_type,
                     "description": "The event type; also the routing key."},
            "version": {"type": "integer", "const": version,
                        "description": "The contract version of `data`."},
            "occurred_at": {"type": "string", "format": "date-time",
                            "description": "When the producer wrote the event (UTC)."},
            "source": {"type": "string", "examples": [producer.source],
                       "description": f"Who wrote it ({producer.name}: "
                                      f"`{producer.source}`)."},
            "data": {"$ref": data_ref},
        },
    }


INFO_DESCRIPTION = f"""\
Every event Dinghuo publishes to (or receives on) its RabbitMQ topic exchange
`{EXCHANGE}` (durable), generated from the contracts in `libs/contracts`.

- **Routing key = event type** (`invoice.issued`); one channel per routing key, one
  message per (type, version).
- **The envelope**: `id` (UUID, also the AMQP `message_id`), `type`, `version`,
  `occurred_at` (UTC), `source` (the producer), `data` (the event's fields). Messages are
  persistent, `content_type` application/json, the AMQP `type` property is the event type;
  the AMQP headers may carry W3C `traceparent`/`tracestate`.
- **Money** is a string with two decimals (pattern `{MONEY_PATTERN}`), never a number;
  times are ISO 8601 with a zone, dates `YYYY-MM-DD`.
- **Delivery** is at least once: deduplicate on the envelope `id`. Order holds per
  producer only (the order in which its transactions committed), never across producers.
- **Versions**: a version's data only ever gains optional fields (with defaults) and new
  enum values; anything else is a new version, published under the same routing key with
  `version` + 1. Ignore fields you do not know; skip (and log) versions you do not know.
- **External subscribers** get durable quorum queues declared by the platform (names
  prefixed by the deployment's queue prefix), with a delivery limit of {DELIVERY_LIMIT}
  and a dead-letter queue `<queue>.dlq`; they look their queue up, never declare it.

The finance system's guide: docs/finance-integration.md.
"""


def build() -> dict[str, Any]:
    """The AsyncAPI 3.0 document (a plain dict, YAML/JSON-ready)."""
    schemas: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    by_type: dict[str, list[tuple[int, type[Event]]]] = {}
    for event_type, version, cls in contracts():
        by_type.setdefault(event_type, []).append((version, cls))

    for event_type, versions in by_type.items():
        producer = producer_of(event_type)
        subscribers = subscribers_of(event_type)
        channel_messages: dict[str, Any] = {}
        for version, cls in versions:
            mid = message_id(event_type, version)
            schemas[mid] = _relocate_defs(data_schema(cls), schemas, mid)
            example = example_envelope(cls)
            message: dict[str, Any] = {
                "name": event_type,
                "title": f"{cls.__name__} v{version}",
                "summary": _summary(_description(cls)),
                "description": _description(cls),
                "contentType": "application/json",
                "payload": _envelope_schema(event_type, version, producer,
                                            f"#/components/schemas/{mid}"),
                "bindings": {"amqp": {"messageType": event_type, "bindingVersion": _AMQP}},
                "examples": [{"name": f"{event_type}-v{version}",
                              "summary": f"{event_type} v{version}: an example envelope",
                              "payload": example.model_dump(mode="json")}],
                "x-producer": producer.name,
                "x-version": version,
            }
            if subscribers:
                message["x-external-subscribers"] = [s.name for s in subscribers]
            messages[mid] = message
            channel_messages[mid] = {"$ref": f"#/components/messages/{mid}"}

        delivered_to = "".join(f" Also delivered to the external queue `{s.queue}` "
                               f"({s.name})." for s in subscribers)
        channels[event_type] = {
            "address": event_type,
            "title": event_type,
            "description": f"Routing key `{event_type}` on the topic exchange `{EXCHANGE}`; "
                           f"published by {producer.name}.{delivered_to}",
            "messages": channel_messages,
            "bindings": {"$ref": f"#/components/channelBindings/{EXCHANGE}"},
        }
        refs = [{"$ref": f"#/channels/{event_type}/messages/{m}"} for m in channel_messages]
        if producer.external:
            operations[f"{event_type}.receive"] = {
                "action": "receive",
                "channel": {"$ref": f"#/channels/{event_type}"},
                "messages": refs,
                "summary": f"{producer.name} publishes {event_type}; the platform "
                           "consumes it.",
                "bindings": {"$ref": "#/components/operationBindings/consume"},
            }
        else:
            operations[f"{event_type}.send"] = {
                "action": "send",
                "channel": {"$ref": f"#/channels/{event_type}"},
                "messages": refs,
                "summary": f"The {producer.name} service publishes {event_type} from its "
                           "transactional outbox, after the state change committed."
                           if producer.name != "gateway" else
                           f"The gateway publishes {event_type} from its transactional "
                           "outbox, after the state change committed.",
                "bindings": {"$ref": "#/components/operationBindings/publish"},
            }

    for sub in EXTERNAL_SUBSCRIBERS:
        wanted = [mid for mid, m in messages.items() if sub.name in
                  m.get("x-external-subscribers", ())]
        channels[sub.queue] = {
            "address": sub.queue,
            "title": f"{sub.name}: {sub.queue}",
            "description": f"{sub.description} The durable quorum queue "
                           f"`<prefix>{sub.queue}`, bound to `{EXCHANGE}` with "
                           f"{', '.join(f'`{k}`' for k in sub.binding_keys)}; declared by "
                           "the platform's topology (look it up, never declare it: other "
                           "arguments are refused). After "
                           f"{DELIVERY_LIMIT} deliveries a message goes to "
                           f"`<prefix>{sub.queue}.dlq`.",
            "messages": {mid: {"$ref": f"#/components/messages/{mid}"} for mid in wanted},
            "bindings": {"amqp": {
                "is": "queue",
                "queue": {"name": sub.queue, "durable": True, "exclusive": False,
                          "autoDelete": False, "vhost": "/"},
                "x-binding-keys": list(sub.binding_keys),
                "x-arguments": {k: (v if k != "x-dead-letter-routing-key"
                                    else f"<prefix>{sub.queue}")
                                for k, v in QUEUE_ARGUMENTS.items()},
                "bindingVersion": _AMQP}},
        }
        operations[f"{sub.name}.receive"] = {
            "action": "receive",
            "channel": {"$ref": f"#/channels/{sub.queue}"},
            "messages": [{"$ref": f"#/channels/{sub.queue}/messages/{m}"} for m in wanted],
            "summary": f"The {sub.name} subscriber consumes its queue (ack after "
                       "processing; deduplicate on the envelope id).",
            "bindings": {"$ref": "#/components/operationBindings/consume"},
        }

    return {
        "asyncapi": ASYNCAPI_VERSION,
        "id": "urn:dinghuo:events",
        "info": {"title": "Dinghuo integration events", "version": "1.0.0",
                 "description": INFO_DESCRIPTION},
        "defaultContentType": "application/json",
        "servers": {"rabbitmq": {
            "host": "{host}",
            "protocol": "amqp",
            "protocolVersion": "0.9.1",
            "description": "The platform's RabbitMQ broker.",
            "variables": {"host": {"default": "127.0.0.1:5672",
                                   "description": "host:port of the deployment's broker"}},
        }},
        "channels": channels,
        "operations": operations,
        "components": {
            "schemas": dict(sorted(schemas.items())),
            "messages": messages,
            "channelBindings": {EXCHANGE: {"amqp": {
                "is": "routingKey",
                "exchange": {"name": EXCHANGE, "type": "topic", "durable": True,
                             "autoDelete": False, "vhost": "/"},
                "bindingVersion": _AMQP}}},
            "operationBindings": {
                # persistent, mandatory (an unroutable event stays in the outbox)
                "publish": {"amqp": {"deliveryMode": 2, "mandatory": True,
                                     "bindingVersion": _AMQP}},
                # manual ack, after the effect is stored
                "consume": {"amqp": {"ack": True, "bindingVersion": _AMQP}},
            },
        },
    }


# ---------------------------------------------------------------------- YAML
class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def render_yaml(document: dict[str, Any] | None = None) -> str:
    """The document as docs/asyncapi.yaml holds it (the pure-Python emitter, so that the
    text is the same with or without libyaml)."""
    body = yaml.dump(document if document is not None else build(), Dumper=_Dumper,
                     sort_keys=False, allow_unicode=True, width=100)
    return HEADER + body


@functools.cache
def document_text() -> str:
    """render_yaml() of the contracts, once per process (they do not change while it
    runs)."""
    return render_yaml()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true",
                        help="only check that the file is up to date")
    parser.add_argument("--output", type=Path, default=DOCUMENT)
    args = parser.parse_args(argv)
    text = document_text()
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is not what the contracts say: run `make contracts`",
                  file=sys.stderr)
            return 1
        print(f"{args.output} is up to date")
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
