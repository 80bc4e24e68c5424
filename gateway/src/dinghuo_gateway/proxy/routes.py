"""Which service serves which public path: /api/<side>/<first segment>/..., and the
few public paths served without a login (`PUBLIC`)."""

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
        "invoice-requests": "invoice",
        "invoices": "invoice",
        "points": "points",
        "service-requests": "servicedesk",
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
        "invoices": "invoice",
        "points": "points",
        "service-requests": "servicedesk",
        "prompts": "notify",
        "articles": "notify",
        "messages": "notify",
        "deliveries": "notify",
    },
}


# /api/<segment>/... forwarded without a login and without an internal token: the
# payment providers' notifications (authenticated by the provider's signature, which the
# service checks) and the development payment sandbox's pages (B-2).
PUBLIC: dict[str, str] = {
    "payments": "order",
}


def service_for(side: str, path: str) -> str | None:
    first = path.strip("/").split("/", 1)[0]
    return ROUTES.get(side, {}).get(first)
