"""A database (or another system a service needs) that cannot be reached is a 503
`ServiceUnavailable` with `Retry-After` and a sentence a person understands — never the
generic 500 (X-2, issue 14). Errors that only look alike stay what they were."""

import asyncpg
import httpx
import pytest
from fastapi import FastAPI
from servicekit import errors
from servicekit.db import Database
from servicekit.errors import (
    DATABASE_UNAVAILABLE_DETAIL,
    DEPENDENCY_UNAVAILABLE_DETAIL,
    RETRY_AFTER_SECONDS,
    ServiceUnavailable,
    install_error_handlers,
    unavailable_detail,
)
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout


class FakeDriverError(Exception):
    def __init__(self, message: str, sqlstate: str | None = None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


class FakeLog:
    def warning(self, *_a, **_kw) -> None: ...

    def exception(self, *_a, **_kw) -> None: ...


@pytest.fixture(autouse=True)
def quiet(monkeypatch) -> None:
    monkeypatch.setattr(errors, "log", FakeLog())


def _app(exc: BaseException) -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/boom")
    async def boom() -> dict:
        raise exc

    return app


async def _get(app: FastAPI, path: str = "/boom") -> httpx.Response:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        return await c.get(path)


def _dbapi(sqlstate: str | None = None, *, invalidated: bool = False,
           cls: type[DBAPIError] = DBAPIError) -> DBAPIError:
    return cls("SELECT secret FROM t", {}, FakeDriverError("server said: secret", sqlstate),
               connection_invalidated=invalidated)


def _assert_503(r: httpx.Response, detail: str = DATABASE_UNAVAILABLE_DETAIL) -> None:
    assert r.status_code == 503, r.text
    assert r.json() == {"error": "ServiceUnavailable", "detail": detail}
    assert r.headers["retry-after"] == str(RETRY_AFTER_SECONDS)
    assert "secret" not in r.text


class TestUnreachableDatabaseIs503:
    async def test_a_real_refused_connection_X2(self):
        """Port 1 refuses: the pool's connect raises ConnectionRefusedError from asyncpg."""
        db = Database("postgresql+asyncpg://postgres@127.0.0.1:1/nowhere")
        app = FastAPI()
        install_error_handlers(app)

        @app.get("/orders")
        async def orders() -> dict:
            async with db.sessionmaker() as session:
                await session.execute(text("SELECT 1"))
            return {}

        try:
            _assert_503(await _get(app, "/orders"))
        finally:
            await db.dispose()

    @pytest.mark.parametrize("exc", [
        _dbapi(invalidated=True),                 # connection lost mid-statement
        _dbapi("08006"),                          # connection failure
        _dbapi("08003", cls=OperationalError),    # connection does not exist
        _dbapi("57P01"),                          # terminated by an administrator
        _dbapi("57P03"),                          # the server is starting up
        _dbapi("53300"),                          # too many connections
        PoolTimeout("QueuePool limit of size 5 overflow 10 reached, timed out"),
        asyncpg.exceptions.ObjectNotInPrerequisiteStateError(
            'database "x" is not currently accepting connections'),
        asyncpg.exceptions.CannotConnectNowError("the database system is starting up"),
        asyncpg.exceptions.InvalidCatalogNameError('database "x" does not exist'),
        asyncpg.exceptions.ConnectionDoesNotExistError("connection was closed"),
        asyncpg.exceptions.InterfaceError("connection is closed"),
    ], ids=lambda e: type(e).__name__ + str(getattr(e, "connection_invalidated", "")))
    async def test_lost_or_refused_database(self, exc):
        _assert_503(await _get(_app(exc)))

    @pytest.mark.parametrize("exc", [ConnectionRefusedError(111, "refused"),
                                     ConnectionResetError(104, "reset"),
                                     TimeoutError()],
                             ids=lambda e: type(e).__name__)
    async def test_another_dependency_unreachable(self, exc):
        """Raised outside the database driver: the sentence does not blame the database."""
        _assert_503(await _get(_app(exc)), DEPENDENCY_UNAVAILABLE_DETAIL)


class TestOtherErrorsKeepTheirStatus:
    @pytest.mark.parametrize("exc", [
        _dbapi("23502"),                              # not null: a bug, 500
        _dbapi("42P01"),                              # undefined table: a bug, 500
        asyncpg.exceptions.DivisionByZeroError("division by zero"),
        asyncpg.exceptions.InterfaceError("another operation is in progress"),
        FileNotFoundError(2, "no such file"),
        PermissionError(13, "denied"),
    ], ids=lambda e: type(e).__name__ + str(getattr(getattr(e, "orig", None), "sqlstate", "")))
    async def test_still_the_generic_500(self, exc):
        r = await _get(_app(exc))
        assert r.status_code == 500
        assert "retry-after" not in r.headers

    async def test_conflicts_stay_409(self):
        assert (await _get(_app(_dbapi("23505")))).status_code == 409

    def test_mapping_says_none_for_unrelated(self):
        assert unavailable_detail(ValueError("x")) is None
        assert unavailable_detail(_dbapi("22001")) is None


class TestServiceUnavailableCarriesRetryAfter:
    async def test_app_error_503_has_retry_after(self):
        r = await _get(_app(ServiceUnavailable("The order service is unavailable")))
        assert r.status_code == 503
        assert r.headers["retry-after"] == str(RETRY_AFTER_SECONDS)
        assert r.json()["error"] == "ServiceUnavailable"
