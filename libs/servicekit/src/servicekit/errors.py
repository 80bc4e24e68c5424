"""The error family and its JSON rendering: `{"error": "<ClassName>", "detail": "..."}`.

422 validation errors use the same shape with a human sentence in `detail` and the
structured list in `errors`.

Database errors (`sqlalchemy.exc.DBAPIError`) never show the database's own message to
the client; it is logged instead:
- SQLSTATE class 22 (data exception: a NUL character, a value too long or out of range)
  is a value the schemas let through but the database refuses: 422 `InvalidData` with a
  fixed sentence.
- SQLSTATE 23505/23503/23P01/23001 (unique, foreign key, exclusion, restrict violations)
  depend on other rows: a duplicate created meanwhile, a referenced row removed
  meanwhile. The request conflicts with the current state, and after reloading it may
  succeed or be changed: 409 `Conflict` with a fixed sentence.
- Everything else, including 23502 (not null) and 23514 (check), which concern the row
  alone and so mean a service wrote a row its own rules should have refused: the generic
  500.

Python errors that bad input could reach in arithmetic (`OverflowError` from
`date + timedelta` near 9999-12-31 or `astimezone` near 0001-01-01,
`decimal.InvalidOperation` from huge exponents) are deliberately NOT mapped to 422: they
are prevented at the door, where every money value is a `servicekit.money.Money` (at most
12 integer digits and two decimals, no exponent) and every date or time a
`servicekit.dates.BusinessDate`/`BoundedDateTime` (2000-01-01 to 2099-12-31). If one of
them still happens it is a bug in our code (arithmetic on a value nobody checked), and
mapping it to 422 would blame the client and hide the bug; it stays the generic 500,
logged with its traceback.

A database (or another system the service needs) that cannot be reached is neither the
client's fault nor a bug, and the same request may well succeed in a moment: 503
`ServiceUnavailable` with a `Retry-After` header and a sentence a person understands
(`unavailable_detail` decides; X-2, issue 14). That covers a refused or reset connection
(`ConnectionError`, `socket.gaierror`, `TimeoutError`), a connection lost in the middle of
a statement (SQLAlchemy's `connection_invalidated`; SQLSTATE class 08, 57P01-57P03 shutdown
or start-up, 53300 too many connections), the pool's own timeout
(`sqlalchemy.exc.TimeoutError`) and a server that refuses new connections (asyncpg's
untranslated errors at connect time: database not accepting connections, 55000; gone,
3D000; authentication, class 28). Every `ServiceUnavailable` carries `Retry-After`.
"""

from __future__ import annotations

import socket
from typing import Any

import asyncpg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from .logging import get_logger

log = get_logger(__name__)


class AppError(Exception):
    status_code: int = 400

    def __init__(self, message: str, status_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status_code is not None:
            self.status_code = status_code


class BadRequest(AppError):
    status_code = 400


class Unauthorized(AppError):
    status_code = 401

    def __init__(self, message: str = "Authentication required") -> None:
        super().__init__(message)


class Forbidden(AppError):
    status_code = 403

    def __init__(self, message: str = "You do not have permission to do this") -> None:
        super().__init__(message)


class NotFound(AppError):
    status_code = 404


class Conflict(AppError):
    status_code = 409


class Unprocessable(AppError):
    status_code = 422


# How long a client is asked to wait before trying again when something the service
# needs is unreachable (a database restarting takes seconds).
RETRY_AFTER_SECONDS = 5


class ServiceUnavailable(AppError):
    """503 with `Retry-After`: the request may succeed if repeated a little later."""

    status_code = 503
    retry_after: int = RETRY_AFTER_SECONDS


class ErrorBody(BaseModel):
    error: str
    detail: str


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for an endpoint so its errors show in the OpenAPI document."""
    text = {400: "Bad request", 401: "Not authenticated", 403: "Not permitted",
            404: "Not found", 409: "Conflict with the current state",
            422: "Invalid input", 503: "Dependency unavailable"}
    return {c: {"model": ErrorBody, "description": text.get(c, "Error")} for c in codes}


LOCATIONS = ("body", "query", "path", "header", "cookie")


def _loc(loc: tuple[Any, ...]) -> str:
    """The field's name: the location FastAPI puts first ("body", "query" …) is dropped,
    a field that is itself called "body" (an article's body) keeps its name."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in LOCATIONS:
        parts = parts[1:]
    return ".".join(parts) or "request"


def describe_validation(errors: list[dict[str, Any]]) -> str:
    msgs = []
    for e in errors[:5]:
        msg = str(e.get("msg", "invalid")).removeprefix("Value error, ")
        msgs.append(f"{_loc(tuple(e.get('loc', ())))}: {msg}")
    return "; ".join(msgs)


INVALID_DATA_DETAIL = ("A value in the request is not acceptable (too long, out of range or "
                       "containing characters that cannot be stored)")
CONFLICT_DETAIL = ("The request conflicts with the current data (something already exists, "
                   "or was changed or removed meanwhile); reload and try again")
# unique_violation, foreign_key_violation, exclusion_violation, restrict_violation
CONFLICT_SQLSTATES = frozenset({"23505", "23503", "23P01", "23001"})


def dbapi_sqlstate(exc: DBAPIError) -> str:
    """The SQLSTATE of a driver error (asyncpg keeps it on the cause, psycopg on the
    error itself), or "" when there is none."""
    orig = getattr(exc, "orig", None)
    for candidate in (orig, getattr(orig, "__cause__", None)):
        for attr in ("sqlstate", "pgcode"):
            value = getattr(candidate, attr, None)
            if isinstance(value, str) and value:
                return value
    return ""


def _dbapi_reason(exc: DBAPIError) -> str:
    """The database's message, for the log only."""
    orig = getattr(exc, "orig", None)
    return str(getattr(orig, "__cause__", None) or orig).split("\n")[0][:200]


DATABASE_UNAVAILABLE_DETAIL = ("The service cannot reach its database at the moment; "
                               "please try again in a few seconds")
DEPENDENCY_UNAVAILABLE_DETAIL = ("The service cannot reach a system it depends on at the "
                                 "moment; please try again in a few seconds")
# Lost or refused connections: SQLSTATE class 08 (connection exception) plus these.
UNAVAILABLE_SQLSTATES = frozenset({"57P01", "57P02", "57P03", "53300"})
# At connect time (asyncpg's error, untranslated by SQLAlchemy) also: the database does
# not accept connections (ALTER DATABASE ... ALLOW_CONNECTIONS false), does not exist
# (yet: a restore), or the login is refused.
CONNECT_SQLSTATE_PREFIXES = ("08", "28", "3D", "53", "55000", "57P")
_DRIVER_MODULES = ("asyncpg", "sqlalchemy")


def _raised_by_driver(exc: BaseException) -> bool:
    tb = exc.__traceback__
    while tb is not None:
        module = tb.tb_frame.f_globals.get("__name__", "")
        if module.split(".")[0] in _DRIVER_MODULES:
            return True
        tb = tb.tb_next
    return False


def unavailable_detail(exc: BaseException) -> str | None:
    """The sentence for a client when `exc` means the database (or another system the
    service needs) cannot be reached right now; None when it means something else."""
    if isinstance(exc, DBAPIError):
        sqlstate = dbapi_sqlstate(exc)
        if (exc.connection_invalidated or sqlstate.startswith("08")
                or sqlstate in UNAVAILABLE_SQLSTATES):
            return DATABASE_UNAVAILABLE_DETAIL
        return None
    if isinstance(exc, PoolTimeout):
        return DATABASE_UNAVAILABLE_DETAIL
    if isinstance(exc, asyncpg.PostgresError):
        # Statements' errors arrive translated (DBAPIError); an untranslated one comes
        # from opening a connection.
        sqlstate = str(getattr(exc, "sqlstate", "") or "")
        return (DATABASE_UNAVAILABLE_DETAIL if sqlstate.startswith(CONNECT_SQLSTATE_PREFIXES)
                else None)
    if isinstance(exc, asyncpg.InterfaceError):
        return DATABASE_UNAVAILABLE_DETAIL if "closed" in str(exc) else None
    if isinstance(exc, ConnectionError | socket.gaierror | TimeoutError):
        return (DATABASE_UNAVAILABLE_DETAIL if _raised_by_driver(exc)
                else DEPENDENCY_UNAVAILABLE_DETAIL)
    return None


def unavailable_response(detail: str,
                         retry_after: int = RETRY_AFTER_SECONDS) -> JSONResponse:
    return JSONResponse({"error": "ServiceUnavailable", "detail": detail}, status_code=503,
                        headers={"Retry-After": str(retry_after)})


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def _app_error(_request: Request, exc: AppError) -> JSONResponse:
        retry_after = getattr(exc, "retry_after", None)
        headers = ({"Retry-After": str(retry_after)}
                   if exc.status_code == 503 and retry_after else None)
        return JSONResponse(
            {"error": type(exc).__name__, "detail": exc.message}, status_code=exc.status_code,
            headers=headers,
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        clean = [
            {"loc": list(e.get("loc", ())), "msg": str(e.get("msg")), "type": e.get("type")}
            for e in errors
        ]
        return JSONResponse(
            {"error": "ValidationError", "detail": describe_validation(errors),
             "errors": clean},
            status_code=422,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        names = {400: "BadRequest", 404: "NotFound", 405: "MethodNotAllowed",
                 401: "Unauthorized", 403: "Forbidden", 413: "PayloadTooLarge",
                 415: "UnsupportedMediaType"}
        return JSONResponse(
            {"error": names.get(exc.status_code, "HTTPError"), "detail": str(exc.detail)},
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    async def _maybe_unavailable(request: Request, exc: Exception) -> JSONResponse:
        detail = unavailable_detail(exc)
        if detail is None:
            return await _unexpected(request, exc)
        log.warning("dependency_unavailable", error=repr(exc)[:300],
                    path=request.url.path)
        return unavailable_response(detail)

    # A lost database, a refused connection, the pool's timeout: 503 + Retry-After.
    for cls in (PoolTimeout, asyncpg.PostgresError, asyncpg.InterfaceError, OSError):
        app.add_exception_handler(cls, _maybe_unavailable)

    @app.exception_handler(DBAPIError)
    async def _dbapi_error(request: Request, exc: DBAPIError) -> JSONResponse:
        if unavailable_detail(exc) is not None:
            return await _maybe_unavailable(request, exc)
        sqlstate = dbapi_sqlstate(exc)
        if sqlstate.startswith("22"):
            # A value the schemas let through but the database refuses: bad input, not a
            # fault. The database's message stays in the log.
            log.warning("data_error", sqlstate=sqlstate, error=_dbapi_reason(exc))
            return JSONResponse({"error": "InvalidData", "detail": INVALID_DATA_DETAIL},
                                status_code=422)
        if sqlstate in CONFLICT_SQLSTATES:
            # Unique/foreign key/exclusion/restrict violations depend on other rows (a
            # duplicate or a deletion that happened meanwhile, or a case a service did not
            # anticipate): the request conflicts with the current state, not a server
            # fault, and reloading may resolve it, which is what 409 tells the client.
            # Not-null and check violations are about the row alone: a bug, the 500 below.
            log.warning("integrity_conflict", sqlstate=sqlstate, error=_dbapi_reason(exc))
            return JSONResponse({"error": "Conflict", "detail": CONFLICT_DETAIL},
                                status_code=409)
        return await _unexpected(request, exc)

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled_error", error=repr(exc))
        return JSONResponse(
            {"error": "InternalError", "detail": "An unexpected error occurred"},
            status_code=500,
        )
