"""The JSON Schema of each event's `data` as it travels (I-4): pydantic's serialization
schema, with money said precisely (a string with two decimals, not any string)."""

from __future__ import annotations

import typing
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from .envelope import REGISTRY, Event
from .events import Money

MONEY_PATTERN = r"^-?\d+\.\d{2}$"
MONEY_SCHEMA: dict[str, Any] = {
    "type": "string",
    "pattern": MONEY_PATTERN,
    "description": "Money: a decimal string with two places (\"801.50\"), never a number.",
}
_MONEY_SERIALIZER = typing.get_args(Money)[1].func


class WireJsonSchema(GenerateJsonSchema):
    """Serialization-mode schemas in which Money is a string with a pattern."""

    def ser_schema(self, schema: core_schema.SerSchema) -> JsonSchemaValue | None:
        if schema.get("type") == "function-plain" and schema.get("function") is _MONEY_SERIALIZER:
            return dict(MONEY_SCHEMA)
        return super().ser_schema(schema)


def data_schema(cls: type[BaseModel]) -> dict[str, Any]:
    """The JSON Schema of `cls`'s data on the wire (nested models under `$defs`)."""
    return cls.model_json_schema(mode="serialization", schema_generator=WireJsonSchema)


def contracts() -> list[tuple[str, int, type[Event]]]:
    """Every registered (type, version, class), sorted."""
    return [(t, v, REGISTRY[(t, v)]) for t, v in sorted(REGISTRY)]


def all_data_schemas() -> dict[str, dict[str, dict[str, Any]]]:
    """{type: {version (a string): data schema}} of every registered event."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for event_type, version, cls in contracts():
        out.setdefault(event_type, {})[str(version)] = data_schema(cls)
    return out
