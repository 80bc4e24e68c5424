"""Is a new JSON Schema of an event's `data` compatible with the old one (I-4)?

`breaking_changes(old, new)` compares two data schemas as `schemas.data_schema` produces
them (pydantic, serialization mode, `$defs` inside) and lists, in sentences, what would
break a subscriber or an event already written (in an outbox, a queue, a dead-letter
queue, a ledger being replayed):

- a field removed (a rename is a removal plus an addition);
- a new field without a default (old events lack it), or a field becoming required;
- a type changed: another JSON type, a `format` (uuid, date, date-time) or `pattern`
  (money) changed, null no longer or newly allowed, the allowed values (a Literal /
  enum) narrowed or a free value restricted to some, the shape of a list's items or of
  a nested object changed the same ways.

Allowed: new optional fields (with a default), new values of a Literal (a widened
enum), a Literal widened to any string, titles, descriptions, examples and defaults.
Pure: no I/O, no pydantic; the snapshot test and `make contracts` call it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

Schema = Mapping[str, Any]


def breaking_changes(old_schema: Schema, new_schema: Schema) -> list[str]:
    """What makes `new_schema` incompatible with `old_schema`; empty when compatible."""
    problems: list[str] = []
    _Comparison(old_schema, new_schema, problems).objects(old_schema, new_schema, "")
    return problems


class _Comparison:
    def __init__(self, old_root: Schema, new_root: Schema, problems: list[str]) -> None:
        self.old_root = old_root
        self.new_root = new_root
        self.problems = problems
        self._seen: set[tuple[str, str, str]] = set()  # recursive definitions

    # ------------------------------------------------------------------ helpers
    @staticmethod
    def _resolve(root: Schema, schema: Schema) -> Schema:
        hops = 0
        while "$ref" in schema:
            ref = schema["$ref"]
            if not ref.startswith("#/"):
                raise ValueError(f"only local references are supported, not {ref!r}")
            target: Any = root
            for part in ref[2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            extra = {k: v for k, v in schema.items() if k != "$ref"}
            schema = {**target, **extra}
            hops += 1
            if hops > 50:
                raise ValueError(f"reference cycle at {ref!r}")
        return schema

    def old(self, schema: Schema) -> Schema:
        return self._resolve(self.old_root, schema)

    def new(self, schema: Schema) -> Schema:
        return self._resolve(self.new_root, schema)

    def say(self, where: str, what: str) -> None:
        self.problems.append(f"{where or 'data'}: {what}")

    # ------------------------------------------------------------------ objects
    def objects(self, old: Schema, new: Schema, where: str) -> None:
        old, new = self.old(old), self.new(new)
        old_props: Mapping[str, Any] = old.get("properties", {})
        new_props: Mapping[str, Any] = new.get("properties", {})
        old_required = set(old.get("required", ()))
        new_required = set(new.get("required", ()))
        prefix = f"{where}." if where else ""
        removed = [name for name in old_props if name not in new_props]
        added = [name for name in new_props if name not in old_props]
        for name in removed:
            hint = f" (renamed to {added[0]!r}?)" if len(removed) == len(added) == 1 else ""
            self.say(f"{prefix}{name}", f"field removed{hint}")
        for name in added:
            if name in new_required:
                self.say(f"{prefix}{name}", "new required field (give it a default)")
        for name, old_prop in old_props.items():
            if name not in new_props:
                continue
            if name in new_required and name not in old_required:
                self.say(f"{prefix}{name}", "field became required (it had a default)")
            self.values(old_prop, new_props[name], f"{prefix}{name}")
        self.maps(old, new, where)

    def maps(self, old: Schema, new: Schema, where: str) -> None:
        """`additionalProperties` (dict[str, X]): the value type is compared like a field."""
        old_extra, new_extra = old.get("additionalProperties"), new.get("additionalProperties")
        if isinstance(old_extra, Mapping) and isinstance(new_extra, Mapping):
            self.values(old_extra, new_extra, f"{where}[*]" if where else "[*]")
        elif isinstance(old_extra, Mapping) and new_extra is not None and not new_extra:
            self.say(where, "no longer accepts additional keys")

    # ------------------------------------------------------------------ values
    def values(self, old: Schema, new: Schema, where: str) -> None:
        old_alts = self._alternatives(self.old, old)
        new_alts = self._alternatives(self.new, new)
        old_kinds = {_kind(a): a for a in old_alts}
        new_kinds = {_kind(a): a for a in new_alts}
        lost: list[str] = []
        for kind, old_alt in old_kinds.items():
            if kind in new_kinds:
                self.single(old_alt, new_kinds[kind], where)
            elif kind[0] == "enum" and ("type", kind[1]) in new_kinds:
                pass  # a Literal widened to its whole type ("a" | "b" → any string)
            elif kind[0] == "type" and ("enum", kind[1]) in new_kinds:
                self.say(where, "values restricted to "
                                f"{_json(_enum(new_kinds[('enum', kind[1])]))}")
            else:
                lost.append(f"no longer {_kind_name(kind)}")
        gained = [f"now also {_kind_name(kind)}" for kind in new_kinds
                  if kind not in old_kinds
                  and ("type" if kind[0] == "enum" else "enum", kind[1]) not in old_kinds]
        if lost or gained:
            self.say(where, f"type changed: {_describe(old_alts)} → {_describe(new_alts)} "
                            f"({'; '.join(lost + gained)})")

    def _alternatives(self, resolve, schema: Schema) -> list[Schema]:
        schema = resolve(schema)
        for key in ("anyOf", "oneOf"):
            if key in schema:
                out: list[Schema] = []
                for alt in schema[key]:
                    out.extend(self._alternatives(resolve, alt))
                return out
        types = schema.get("type")
        if isinstance(types, list):  # {"type": ["string", "null"]}
            return [{**schema, "type": t} for t in types]
        return [schema]

    def single(self, old: Schema, new: Schema, where: str) -> None:
        """Two alternatives of the same kind."""
        kind = _kind(old)
        if kind[0] == "enum":
            gone = [v for v in _enum(old) if v not in _enum(new)]
            if gone:
                self.say(where, f"values removed: {_json(gone)}")
            return
        for key in ("format", "pattern"):
            if old.get(key) != new.get(key):
                self.say(where, f"{key} changed: {_json(old.get(key))} → {_json(new.get(key))}")
        if kind == ("type", "array"):
            if "items" in old and "items" in new:
                self.values(old["items"], new["items"], f"{where}[]")
            elif "items" in old:
                self.say(where, "list items no longer described")
        elif kind == ("type", "object"):
            key = (where, json.dumps(old, sort_keys=True, default=str),
                   json.dumps(new, sort_keys=True, default=str))
            if key in self._seen:
                return
            self._seen.add(key)
            self.objects(old, new, where)


def _enum(schema: Schema) -> list[Any]:
    if "const" in schema:
        return [schema["const"]]
    return list(schema.get("enum", ()))


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "object"


def _kind(schema: Schema) -> tuple[str, str]:
    """("enum", json type) for a Literal/enum/const, ("type", json type) otherwise,
    ("any", "") for a schema that allows anything."""
    if "const" in schema or "enum" in schema:
        values = _enum(schema)
        types = sorted({_json_type(v) for v in values}) or ["null"]
        return ("enum", schema.get("type") if isinstance(schema.get("type"), str)
                else "|".join(types))
    json_type = schema.get("type")
    if isinstance(json_type, str):
        return ("type", json_type)
    if "properties" in schema or "additionalProperties" in schema:
        return ("type", "object")
    if "items" in schema:
        return ("type", "array")
    return ("any", "")


def _kind_name(kind: tuple[str, str]) -> str:
    if kind[0] == "enum":
        return f"one of some {kind[1]} values"
    if kind[0] == "any":
        return "any value"
    return "null" if kind[1] == "null" else f"a {kind[1]}"


def _describe(alternatives: list[Schema]) -> str:
    parts = []
    for alt in alternatives:
        kind = _kind(alt)
        if kind[0] == "enum":
            parts.append(_json(_enum(alt)))
        elif kind[0] == "any":
            parts.append("any")
        else:
            fmt = alt.get("format")
            parts.append(f"{kind[1]}({fmt})" if fmt else kind[1])
    return " | ".join(parts)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)



Contracts = Mapping[str, Mapping[str, Schema]]  # {type: {version: data schema}}


def contract_breaking_changes(old: Contracts, new: Contracts) -> list[str]:
    """Every (type, version) of `old` against the same one in `new`: removed, or changed
    incompatibly. A new (type, version) in `new` is an addition, never breaking: a
    breaking change belongs in one (`version = N + 1` beside the unchanged class)."""
    problems: list[str] = []
    for event_type, versions in sorted(old.items()):
        for version, old_schema in sorted(versions.items(), key=lambda kv: int(kv[0])):
            current = new.get(event_type, {})
            if version not in current:
                problems.append(
                    f"{event_type} v{version}: removed (a published (type, version) stays "
                    "registered; say in its docstring that it is deprecated instead)")
                continue
            changes = breaking_changes(old_schema, current[version])
            if not changes:
                continue
            newer = sorted(int(v) for v in current if int(v) > int(version))
            hint = (f"v{newer[-1]} exists: put the change there and restore v{version}"
                    if newer else
                    f"keep v{version} as it was and make the change a new class with "
                    f"version = {int(version) + 1}")
            problems.extend(f"{event_type} v{version}: {c} — {hint}" for c in changes)
    return problems
