"""Which service serves which public path: /api/<side>/<first segment>/... (`ROUTES`),
the few deeper paths another service owns below a segment (`NESTED`), and the few public
paths served without a login (`PUBLIC`)."""

from __future__ import annotations

ROUTES: dict[str, dict[str, str]] = {
    "portal": {
        "catalog": "customer",
        "profile": "customer",
        "contacts": "customer",
        "orders": "order",
        "order-templates": "order",
        "payment-providers": "order",
        "returns": "order",
        "statements": "order",
        "invoice-requests": "invoice",
        "invoices": "invoice",
        "points": "points",
        "service-requests": "servicedesk",
        "machines": "servicedesk",
        "messages": "notify",
        "articles": "notify",
        "notification-settings": "notify",
    },
    "console": {
        "customers": "customer",
        "products": "customer",
        "contacts": "customer",
        "orders": "order",
        "returns": "order",
        "reminders": "order",
        "statements": "order",
        "analysis": "order",
        "invoices": "invoice",
        "points": "points",
        "service-requests": "servicedesk",
        "machines": "servicedesk",
        "maintenance-records": "servicedesk",
        "maintenance": "servicedesk",
        "prompts": "notify",
        "articles": "notify",
        "messages": "notify",
        "deliveries": "notify",
    },
}

# Deeper paths served by another service than their first segment's: the segments to
# match ("*" is any one segment) and the service; the longest match wins over ROUTES.
# A customer's monthly statements (B-1) live with its orders and payments.
NESTED: dict[str, dict[tuple[str, ...], str]] = {
    "console": {
        ("customers", "*", "statements"): "order",
    },
}


# /api/<segment>/... forwarded without a login and without an internal token: the
# payment providers' notifications (authenticated by the provider's signature, which the
# service checks) and the development payment sandbox's pages (B-2).
PUBLIC: dict[str, str] = {
    "payments": "order",
}


def service_for(side: str, path: str) -> str | None:
    parts = path.strip("/").split("/")
    for pattern, service in sorted(NESTED.get(side, {}).items(), key=lambda kv: -len(kv[0])):
        if len(parts) >= len(pattern) and all(
                p in ("*", part) for p, part in zip(pattern, parts, strict=False)):
            return service
    return ROUTES.get(side, {}).get(parts[0])
