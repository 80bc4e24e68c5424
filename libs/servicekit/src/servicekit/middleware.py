"""Pure ASGI middleware for every service (issue 16): each only looks at the
`http.response.start` message and passes the body messages on as they come, so nothing is
buffered (event streams included) and no extra task or memory stream is spent per request,
unlike Starlette's `BaseHTTPMiddleware` (`@app.middleware("http")`)."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .tracing import current_trace_id


class TraceIdMiddleware:
    """`X-Trace-Id: <the request's trace id>` on every HTTP response, so a person can quote
    it and an operator find the trace (and its log lines)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_trace_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                trace_id = current_trace_id()
                if trace_id:
                    headers = list(message.get("headers") or ())
                    headers.append((b"x-trace-id", trace_id.encode()))
                    message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_trace_id)
