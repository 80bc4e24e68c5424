"""A database error's own message never reaches the client (issue 8): SQLSTATE class 22
is a 422 with a fixed sentence, a unique/foreign key violation a 409 with a fixed
sentence, any other database error the generic 500; the database's text is only logged."""

import httpx
import pytest
from fastapi import FastAPI
from servicekit import errors
from servicekit.errors import CONFLICT_DETAIL, INVALID_DATA_DETAIL, install_error_handlers
from sqlalchemy.exc import DBAPIError, IntegrityError

SECRET = 'value too long for type character varying(50) in relation "secret_table"'


class FakeDriverError(Exception):
    """Like a psycopg error: the SQLSTATE on the error itself."""

    def __init__(self, message: str, sqlstate: str | None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


class FakeAsyncpgCause(Exception):
    def __init__(self, message: str, sqlstate: str) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


class FakeAdaptedError(Exception):
    """Like SQLAlchemy's asyncpg adapter: the asyncpg error (with sqlstate) as the cause."""


def _adapted(message: str, sqlstate: str) -> Exception:
    err = FakeAdaptedError(f"<class 'asyncpg.exceptions.X'>: {message}")
    err.__cause__ = FakeAsyncpgCause(message, sqlstate)
    return err


class FakeLog:
    def __init__(self) -> None:
        self.records: list[tuple[str, dict]] = []

    def warning(self, event: str, **kw) -> None:
        self.records.append((event, kw))

    def exception(self, event: str, **kw) -> None:
        self.records.append((event, kw))


@pytest.fixture
def log(monkeypatch) -> FakeLog:
    fake = FakeLog()
    monkeypatch.setattr(errors, "log", fake)
    return fake


def _app(orig: Exception, cls: type[DBAPIError] = DBAPIError) -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/boom")
    async def boom() -> dict:
        raise cls("INSERT INTO secret_table VALUES ($1)", ("secret-param",), orig)

    return app


async def _boom(app: FastAPI) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        return await c.get("/boom")


def _assert_no_db_text(r: httpx.Response) -> None:
    for leak in ("secret", "character varying", "INSERT", "relation", "asyncpg", "22001",
                 "23505", "42P01"):
        assert leak not in r.text


@pytest.mark.parametrize("orig", [FakeDriverError(SECRET, "22001"), _adapted(SECRET, "22001"),
                                  _adapted(SECRET, "22P05"), _adapted(SECRET, "22003")])
async def test_data_exception_is_422_with_a_fixed_sentence(orig, log):
    r = await _boom(_app(orig))
    assert r.status_code == 422
    assert r.json() == {"error": "InvalidData", "detail": INVALID_DATA_DETAIL}
    _assert_no_db_text(r)
    assert log.records[0][0] == "data_error"
    assert "secret_table" in log.records[0][1]["error"]  # logged, not answered


@pytest.mark.parametrize("sqlstate", ["23505", "23503", "23P01", "23001"])
async def test_unique_or_foreign_key_violation_is_409_with_a_fixed_sentence(sqlstate, log):
    r = await _boom(_app(_adapted(f"duplicate key in secret_table ({sqlstate})", sqlstate),
                         IntegrityError))
    assert r.status_code == 409
    assert r.json() == {"error": "Conflict", "detail": CONFLICT_DETAIL}
    _assert_no_db_text(r)
    assert log.records == [("integrity_conflict",
                            {"sqlstate": sqlstate,
                             "error": f"duplicate key in secret_table ({sqlstate})"})]


@pytest.mark.parametrize(("orig", "cls"), [
    (_adapted("null value in column of secret_table", "23502"), IntegrityError),
    (_adapted("new row for relation secret_table violates check", "23514"), IntegrityError),
    (_adapted('relation "secret_table" does not exist', "42P01"), DBAPIError),
    (FakeDriverError("connection to secret_table lost", None), DBAPIError),
    (Exception("no sqlstate at all: secret_table"), DBAPIError),
])
async def test_any_other_database_error_is_the_generic_500(orig, cls, log):
    r = await _boom(_app(orig, cls))
    assert r.status_code == 500
    assert r.json() == {"error": "InternalError", "detail": "An unexpected error occurred"}
    _assert_no_db_text(r)
    assert log.records[0][0] == "unhandled_error"


def test_a_field_called_body_keeps_its_name_in_422_messages():
    """Only the location FastAPI puts first is dropped from a field's path (issue 9)."""
    from servicekit.errors import describe_validation

    assert describe_validation([{"loc": ("body", "body"), "msg": "Value error, too long"}]) \
        == "body: too long"
    assert describe_validation([{"loc": ("body", "lines", 0, "quantity"), "msg": "bad"}]) \
        == "lines.0.quantity: bad"
    assert describe_validation([{"loc": ("query", "limit"), "msg": "bad"}]) == "limit: bad"
    assert describe_validation([{"loc": ("body",), "msg": "Field required"}]) \
        == "request: Field required"
