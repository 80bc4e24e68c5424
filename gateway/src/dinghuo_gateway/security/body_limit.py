"""A bound on request bodies (issue 8): the gateway reads a proxied body whole before
forwarding it, so without a bound one absurd upload would take the process's memory.
A declared `Content-Length` over the limit is refused at once; a body sent without one
(chunked) is counted as it arrives and refused when it passes the limit. Either way the
answer is a 413 in the usual error shape (FastAPI's own `max_body_size` answers the first
case in plain text). `GATEWAY_MAX_BODY_BYTES` sets it."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send


def too_large(limit: int) -> str:
    return (f"The request body is larger than {limit // (1024 * 1024)} MB, the most "
            "this system accepts")


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            try:
                length = int(declared)
            except ValueError:
                length = -1
            if length < 0:
                await _answer(send, 400, "BadRequest", "Content-Length is not a number")
                return
            if length > self.limit:
                await _answer(send, 413, "PayloadTooLarge", too_large(self.limit))
                return
        seen = 0
        exceeded = False
        replaced = False

        async def counting_receive() -> Message:
            nonlocal seen, exceeded
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    exceeded = True
                    raise BodyTooLarge(too_large(self.limit))
            return message

        async def guarded_send(message: Message) -> None:
            # Whatever the layers between made of the aborted read (a 400 "error parsing
            # the body", a 500), the client is told what happened: 413.
            nonlocal replaced
            if exceeded:
                if message["type"] == "http.response.start" and not replaced:
                    replaced = True
                    await _answer(send, 413, "PayloadTooLarge", too_large(self.limit))
                return
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not exceeded:
                raise
            if not replaced:
                await _answer(send, 413, "PayloadTooLarge", too_large(self.limit))


class BodyTooLarge(Exception):
    pass


async def _answer(send: Send, status: int, error: str, detail: str) -> None:
    body = json.dumps({"error": error, "detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
