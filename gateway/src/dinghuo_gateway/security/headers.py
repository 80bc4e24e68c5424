"""Security headers on every gateway response (X-3, issue 8).

Every response gets

- `X-Content-Type-Options: nosniff`: a browser uses the declared content type (a JSON
  error or an uploaded file is never run as a script or rendered as HTML);
- `Referrer-Policy: strict-origin-when-cross-origin` (chosen over `no-referrer`): to any
  other site only our origin is sent, never the path or query, so an order id, a search or
  a reset token in a URL does not leave the system (and nothing at all from https to
  http); requests within Dinghuo keep the full URL, which only goes to ourselves.
  `no-referrer` would protect nothing more, but would also drop the Referer on our own
  requests (useful in logs and for a future same-origin check); it is the browsers'
  default too, stated here so no browser or page falls back to a leakier one;
- `X-Frame-Options: DENY`: no page is shown in a frame (clickjacking), for browsers that
  do not know CSP `frame-ancestors`.

HTML responses (`text/html`: the portal, the console, the landing pages, /api/docs) also
get `CONTENT_SECURITY_POLICY`. Scripts only from the gateway itself and never inline: the
Vite build's pages load their entry as `<script type="module" src="/assets/...">` (no
inline script; the module-preload polyfill is bundled into a JavaScript chunk), and /api/docs
loads Swagger UI and its initializer from /api/docs/static and /api/docs/init.js.

A header a route set itself is kept. The middleware is pure ASGI: it only edits the
`http.response.start` message and passes every body message on as it comes, so the event
stream (GET /api/console/prompts/stream) is not buffered, unlike Starlette's
BaseHTTPMiddleware. `install` puts it outside Starlette's ServerErrorMiddleware, so an
unexpected error's 500 has the headers too.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    # Ant Design 5 styles its components at run time (CSS-in-JS, @ant-design/cssinjs):
    # it adds <style> elements to <head> (rc-util's updateCSS: document.createElement(
    # "style"), in web/dist/assets/vendor-*.js) and React sets style="" attributes. Both
    # are inline styles; without 'unsafe-inline' the portal and the console lose their
    # look. Styles cannot run code; scripts stay strict.
    "style-src 'self' 'unsafe-inline'",
    # data: for small inline images (e.g. the icons in Swagger UI's stylesheet).
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

ALWAYS: dict[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}


class SecurityHeadersMiddleware:
    """Adds `ALWAYS` to every HTTP response and the CSP to HTML responses, unless the
    response already has that header."""

    def __init__(self, app: ASGIApp, csp: str = CONTENT_SECURITY_POLICY) -> None:
        self.app = app
        self.csp = csp

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                headers = MutableHeaders(scope=message)
                for name, value in ALWAYS.items():
                    headers.setdefault(name, value)
                if headers.get("content-type", "").lower().startswith("text/html"):
                    headers.setdefault("Content-Security-Policy", self.csp)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install(app: FastAPI) -> None:
    """Wrap `app`'s whole middleware stack, ServerErrorMiddleware included (whose 500 an
    `app.add_middleware` middleware would not see). Starlette builds the stack on the
    first request; OpenTelemetry's instrumentation wraps the same method the same way."""
    build = app.build_middleware_stack

    def build_with_headers() -> ASGIApp:
        return SecurityHeadersMiddleware(build())

    app.build_middleware_stack = build_with_headers  # type: ignore[method-assign]
