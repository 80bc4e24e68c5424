"""The service app: error shape, 422 in the same shape, health, and the per-request
session that commits after the endpoint and rolls back on error."""

import pytest
from fastapi import APIRouter
from pydantic import BaseModel, Field
from servicekit.app import create_service_app
from servicekit.auth import AnyPrincipal
from servicekit.db import Session
from servicekit.errors import CONFLICT_DETAIL, INVALID_DATA_DETAIL, Conflict
from servicekit.settings import ServiceSettings
from servicekit.testing import helpers as h
from sqlalchemy import func, insert, select

from .conftest import notes

router = APIRouter()


class NoteIn(BaseModel):
    text: str = Field(min_length=1, max_length=50)
    fail: bool = False


@router.post("/notes", status_code=201)
async def add_note(body: NoteIn, session: Session, _p: AnyPrincipal) -> dict:
    await session.execute(insert(notes).values(text=body.text))
    if body.fail:
        raise Conflict("refused after writing")
    return {"ok": True}


@router.get("/notes/count")
async def count(session: Session, _p: AnyPrincipal) -> dict:
    return {"n": (await session.execute(select(func.count()).select_from(notes))).scalar_one()}


@pytest.fixture(scope="module")
async def app(kit_db, infra):
    settings = ServiceSettings(database_url=kit_db.url, amqp_url=infra.amqp_url,
                               service_name="kit", environment="test")
    application = create_service_app(settings, [router], title="kit")
    yield application
    await application.state.db.dispose()


async def n(c):
    return (await c.get("/notes/count")).json()["n"]


async def test_commits_after_endpoint_and_rolls_back_on_error(app):
    async with h.client(app, h.staff()) as c:
        before = await n(c)
        assert (await c.post("/notes", json={"text": "kept"})).status_code == 201
        r = await c.post("/notes", json={"text": "dropped", "fail": True})
        assert r.status_code == 409
        assert r.json() == {"error": "Conflict", "detail": "refused after writing"}
        assert await n(c) == before + 1


async def test_failed_commit_is_a_failed_request(app):
    """A unique violation at COMMIT fails the request (nothing kept); being a conflict
    with the stored rows it is a 409 without the database's message (issue 8)."""
    async with h.client(app, h.staff()) as c:
        assert (await c.post("/notes", json={"text": "unique-1"})).status_code == 201
        before = await n(c)
        r = await c.post("/notes", json={"text": "unique-1"})  # refused at COMMIT
        assert r.status_code == 409
        assert await n(c) == before
        assert r.json() == {"error": "Conflict", "detail": CONFLICT_DETAIL}


async def test_validation_errors_use_the_error_shape(app):
    async with h.client(app, h.staff()) as c:
        r = await c.post("/notes", json={"text": ""})
    assert r.status_code == 422
    body = r.json()
    assert body["error"] == "ValidationError"
    assert body["detail"].startswith("text:")


async def test_missing_token_is_401(app):
    async with h.client(app) as c:
        r = await c.get("/notes/count")
    assert r.status_code == 401
    assert r.json() == {"error": "Unauthorized", "detail": "Missing internal token"}


async def test_health_and_readiness(app):
    async with h.client(app) as c:
        assert (await c.get("/healthz")).json()["status"] == "ok"
        r = await c.get("/readyz")
        assert r.status_code == 200
        assert r.json()["database"] == r.json()["broker"] == "ok"


async def test_readiness_fails_when_broker_unreachable(kit_db):
    settings = ServiceSettings(database_url=kit_db.url, amqp_url="amqp://guest:guest@127.0.0.1:1/",
                               service_name="kit", environment="test")
    application = create_service_app(settings, [router], title="kit")
    async with h.client(application) as c:
        r = await c.get("/readyz")
    await application.state.db.dispose()
    assert r.status_code == 503
    assert r.json()["broker"].startswith("unreachable")


async def test_value_the_database_refuses_is_422_not_500(app):
    async with h.client(app, h.staff()) as c:
        r = await c.post("/notes", json={"text": "nul\u0000byte"})
    assert r.status_code == 422
    assert r.json() == {"error": "InvalidData", "detail": INVALID_DATA_DETAIL}  # no DB text


async def test_trace_id_header_from_pure_asgi_middleware_issue16(app):
    """issue 16: every answer, errors included, carries its trace id, added by a pure
    ASGI middleware (no BaseHTTPMiddleware left in the stack)."""
    from starlette.middleware.base import BaseHTTPMiddleware

    assert not any(m.cls is BaseHTTPMiddleware for m in app.user_middleware)
    async with h.client(app) as c:
        r = await c.get("/notes/count")
        again = await c.get("/notes/count")
    assert r.status_code == 401 and len(r.headers["x-trace-id"]) == 32
    assert again.headers["x-trace-id"] != r.headers["x-trace-id"]
