"""Issue 8 (X-3): an app built with create_service_app documents its 422s as it really
sends them: `ValidationErrorBody` {error, detail, errors?}, the same for a request that
does not match the schema and for a domain `Unprocessable`; FastAPI's HTTPValidationError
and ValidationError schemas are gone. No database or broker is needed here.

The responses are checked against the documented schema with jsonschema_rs (it comes with
schemathesis, in the workspace's dev dependencies)."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import jsonschema_rs
import pytest
from fastapi import APIRouter, FastAPI
from pydantic import BaseModel, Field
from servicekit.app import create_service_app
from servicekit.errors import Unprocessable, error_responses
from servicekit.openapi import real_validation_errors
from servicekit.settings import ServiceSettings

router = APIRouter()


class LineIn(BaseModel):
    product: str = Field(min_length=1)
    quantity: int = Field(gt=0)


class OrderIn(BaseModel):
    lines: list[LineIn] = Field(min_length=1)


@router.post("/orders", status_code=201)
async def add_order(body: OrderIn) -> dict:
    return {"lines": len(body.lines)}


@router.post("/orders/{number}/notes", responses=error_responses(404, 422))
async def add_note(number: int, text: str) -> dict:
    if text == "rude":
        raise Unprocessable("The note is not acceptable")
    return {"number": number}


@router.get("/ping")
async def ping() -> dict:
    return {}


@pytest.fixture(scope="module")
def app() -> FastAPI:
    settings = ServiceSettings(service_name="kit-openapi", environment="test",
                               database_url="postgresql+asyncpg://nobody@127.0.0.1:1/none")
    return create_service_app(settings, [router], title="kit")


async def post(app: FastAPI, path: str, **kwargs: Any) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://svc") as c:
        return await c.post(path, **kwargs)


def documented_422(doc: dict[str, Any], path: str, method: str = "post") -> dict[str, Any]:
    """A JSON schema validator for the 422 body documented for the operation, its $refs
    resolved in the document."""
    response = doc["paths"][path][method]["responses"]["422"]
    schema = response["content"]["application/json"]["schema"]
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            **schema, "components": doc["components"]}


def test_422_is_documented_as_really_sent_X3(app):
    doc = app.openapi()
    schemas = doc["components"]["schemas"]
    assert "HTTPValidationError" not in schemas and "ValidationError" not in schemas
    body = schemas["ValidationErrorBody"]
    assert body["required"] == ["error", "detail"]  # `errors` only on schema violations
    assert body["properties"]["error"]["type"] == "string"
    assert body["properties"]["detail"]["type"] == "string"
    errors = body["properties"]["errors"]
    assert errors["type"] == "array"
    assert errors["items"] == {"$ref": "#/components/schemas/ValidationErrorItem"}
    item = schemas["ValidationErrorItem"]
    assert sorted(item["required"]) == ["loc", "msg", "type"]
    assert item["properties"]["loc"]["items"] == {"anyOf": [{"type": "string"},
                                                            {"type": "integer"}]}
    assert item["properties"]["msg"]["type"] == item["properties"]["type"]["type"] == "string"
    for path in ("/orders", "/orders/{number}/notes"):
        response = doc["paths"][path]["post"]["responses"]["422"]
        assert response["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ValidationErrorBody"}
    # the endpoint's own description stays; its other errors keep ErrorBody
    notes = doc["paths"]["/orders/{number}/notes"]["post"]["responses"]
    assert notes["422"]["description"] == "Invalid input"
    assert notes["404"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorBody"}
    assert "422" not in doc["paths"]["/ping"]["get"]["responses"]  # nothing to validate


async def test_a_real_validation_error_matches_the_document_X3(app):
    r = await post(app, "/orders", json={"lines": [{"product": "", "quantity": 0}]})
    assert r.status_code == 422
    body = r.json()
    assert body["error"] == "ValidationError" and body["errors"]
    assert any(isinstance(part, int) for e in body["errors"] for part in e["loc"])
    jsonschema_rs.validate(documented_422(app.openapi(), "/orders"), body)
    r = await post(app, "/orders", content=b"not json",
                   headers={"content-type": "application/json"})
    assert r.status_code == 422
    jsonschema_rs.validate(documented_422(app.openapi(), "/orders"), r.json())


async def test_a_domain_unprocessable_matches_the_document_too_X3(app):
    schema = documented_422(app.openapi(), "/orders/{number}/notes")
    r = await post(app, "/orders/7/notes", params={"text": "rude"})
    assert r.status_code == 422
    assert r.json() == {"error": "Unprocessable", "detail": "The note is not acceptable"}
    jsonschema_rs.validate(schema, r.json())
    r = await post(app, "/orders/seven/notes", params={"text": "fine"})
    assert r.status_code == 422 and "errors" in r.json()
    jsonschema_rs.validate(schema, r.json())


def test_the_documented_schema_is_not_fastapis_X3(app):
    """The old FastAPI shape ({"detail": [...]}) does not match: the document changed."""
    schema = documented_422(app.openapi(), "/orders")
    assert not jsonschema_rs.is_valid(schema, {"detail": [{"loc": ["body"], "msg": "x",
                                                           "type": "missing"}]})


def test_rewriting_is_idempotent_and_keeps_other_schemas_X3(app):
    doc = app.openapi()
    assert real_validation_errors(doc) == doc
    raw = FastAPI.openapi(FastAPI(routes=copy.copy(router.routes)))
    assert "HTTPValidationError" in raw["components"]["schemas"]
    rewritten = real_validation_errors(raw)
    assert set(rewritten["components"]["schemas"]) == {
        "ErrorBody", "LineIn", "OrderIn", "ValidationErrorBody", "ValidationErrorItem"}
