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
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError
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


class ServiceUnavailable(AppError):
    status_code = 503


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


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def _app_error(_request: Request, exc: AppError) -> JSONResponse:
        return JSONResponse(
            {"error": type(exc).__name__, "detail": exc.message}, status_code=exc.status_code
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

    @app.exception_handler(DBAPIError)
    async def _dbapi_error(request: Request, exc: DBAPIError) -> JSONResponse:
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
