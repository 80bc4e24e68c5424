"""`responses=` for the gateway's routes, with the codes servicekit does not describe."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from servicekit.errors import error_responses

from .security.service import TooManyRequests

EXTRA = {403: "Not permitted (PasswordChangeRequired: change the issued password first)",
         410: "Gone: used or expired", 429: "Too many requests; see Retry-After"}


def responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    out = error_responses(*codes)
    for code in codes:
        if code in EXTRA:
            out[code]["description"] = EXTRA[code]
    return out


async def too_many_requests_handler(_request: Request, exc: TooManyRequests) -> JSONResponse:
    return JSONResponse({"error": "TooManyRequests", "detail": exc.message}, status_code=429,
                        headers={"Retry-After": str(exc.retry_after)})
