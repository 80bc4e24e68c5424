"""The OpenAPI documents say what a 422 really is (issue 8).

FastAPI documents every 422 as its own `HTTPValidationError` (`{"detail": [ValidationError]}`),
but `servicekit.errors.install_error_handlers` sends
`{"error": "ValidationError", "detail": "<sentence>", "errors": [{"loc", "msg", "type"}]}`,
and a domain `Unprocessable` (or a value the database refuses) sends `{"error", "detail"}`
with the same status. `real_validation_errors` rewrites a document so that every
operation's 422 refers to `ValidationErrorBody`, whose `errors` is optional, and drops
FastAPI's schemas. `create_service_app` applies it to every service's `app.openapi()`;
the gateway applies it to its own document and to the merged one.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from pydantic import BaseModel, Field

REF_PREFIX = "#/components/schemas/"
# FastAPI's schemas for its 422 body; gone from a document once nothing refers to them.
FASTAPI_422_SCHEMAS = ("HTTPValidationError", "ValidationError")


class ValidationErrorItem(BaseModel):
    """One problem in the request: where (`loc`, e.g. ["body", "lines", 0, "quantity"]),
    what (`msg`) and its kind (`type`, e.g. "missing", "string_too_short")."""

    loc: list[str | int] = Field(title="Location")
    msg: str = Field(title="Message")
    type: str = Field(title="Error Type")


class ValidationErrorBody(BaseModel):
    """A 422: `error` is "ValidationError" for a request that does not match the schema
    (then `errors` lists each problem) or the domain error's name (e.g. "Unprocessable",
    "InvalidData") for content the rules refuse; `detail` is a sentence a person
    understands."""

    error: str
    detail: str
    # Optional (not in `required`): absent on a domain 422.
    errors: list[ValidationErrorItem] = Field(
        default_factory=list, description="Present on schema validation errors (error = "
                                  "\"ValidationError\"): each problem found.")


def _schemas() -> dict[str, dict[str, Any]]:
    """The two schemas, as components (refs to each other under #/components/schemas)."""
    schema = ValidationErrorBody.model_json_schema(ref_template=REF_PREFIX + "{model}")
    defs = schema.pop("$defs", {})
    return {"ValidationErrorBody": schema, **defs}


def _refs(node: Any) -> set[str]:
    """Names of the component schemas `node` refers to directly."""
    text = json.dumps(node)
    found = set()
    for part in text.split(f'"$ref": "{REF_PREFIX}')[1:]:
        found.add(part.split('"', 1)[0])
    return found


def _reachable(doc: dict[str, Any]) -> set[str]:
    """The component schemas referred to from anywhere outside components.schemas,
    followed through the schemas themselves."""
    schemas = doc.get("components", {}).get("schemas", {})
    rest = {k: v for k, v in doc.items() if k != "components"}
    rest["components"] = {k: v for k, v in doc.get("components", {}).items() if k != "schemas"}
    todo = list(_refs(rest))
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo.extend(_refs(schemas.get(name, {})))
    return seen


def real_validation_errors(doc: dict[str, Any]) -> dict[str, Any]:
    """A copy of the OpenAPI document `doc` in which every operation's 422 response is
    `ValidationErrorBody` (its description kept) and FastAPI's `HTTPValidationError` /
    `ValidationError` schemas (and any other schema only a 422 referred to) are gone.
    Applying it twice gives the same document."""
    doc = copy.deepcopy(doc)
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    replaced: set[str] = set(FASTAPI_422_SCHEMAS)
    documents_422 = False
    for ops in doc.get("paths", {}).values():
        for op in ops.values():
            if not isinstance(op, dict) or "422" not in op.get("responses", {}):
                continue
            old = op["responses"]["422"]
            replaced |= _refs(old)
            documents_422 = True
            op["responses"]["422"] = {
                "description": old.get("description") or "Validation Error",
                "content": {"application/json": {
                    "schema": {"$ref": f"{REF_PREFIX}ValidationErrorBody"}}}}
    own = _schemas() if documents_422 else {}
    # Everything the replaced responses referred to, and what those refer to in turn.
    todo = list(replaced)
    while todo:
        for name in _refs(schemas.get(todo.pop(), {})) - replaced:
            replaced.add(name)
            todo.append(name)
    schemas.update(own)
    used = _reachable(doc)
    for name in replaced - set(own):
        if name in schemas and name not in used:
            del schemas[name]
    doc["components"]["schemas"] = dict(sorted(schemas.items()))
    return doc
