"""One OpenAPI document for the whole public API: the gateway's own routes merged with
each service's /api/portal and /api/console paths (and the public /api/payments paths,
which need no login: the payment providers' notifications and the sandbox, B-2), every
422 documented as it is really sent (`servicekit.openapi.real_validation_errors`, issue
8), whatever version of a service answered."""

from __future__ import annotations

import asyncio
import copy
import json
import time
from typing import Any

from servicekit.logging import get_logger
from servicekit.openapi import real_validation_errors

from .forwarder import Forwarder
from .routes import PUBLIC

log = get_logger(__name__)
TTL_SECONDS = 30
# Paths served without a login (routes.PUBLIC).
PUBLIC_PREFIXES = tuple(f"/api/{segment}/" for segment in PUBLIC)


def merge(own: dict[str, Any], services: dict[str, dict[str, Any]]) -> dict[str, Any]:
    doc = copy.deepcopy(own)
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    for name, spec in services.items():
        spec_schemas = spec.get("components", {}).get("schemas", {})
        renames = {}
        for sname, sdef in spec_schemas.items():
            if sname in schemas and schemas[sname] != sdef:
                renames[sname] = f"{name.capitalize()}{sname}"
        text = json.dumps(spec)
        for old, new in renames.items():
            text = text.replace(f'"#/components/schemas/{old}"', f'"#/components/schemas/{new}"')
        spec = json.loads(text)
        for sname, sdef in spec.get("components", {}).get("schemas", {}).items():
            schemas[renames.get(sname, sname)] = sdef
        for path, ops in spec.get("paths", {}).items():
            public = path.startswith(PUBLIC_PREFIXES)
            if (path.startswith(("/api/portal/", "/api/console/")) or public) \
                    and path not in doc["paths"]:
                for op in ops.values():
                    if isinstance(op, dict):
                        op["security"] = [] if public else [{"bearer": []}]
                        op.setdefault("tags", []).insert(0, f"service: {name}")
                doc["paths"][path] = ops
    doc["components"]["securitySchemes"] = {
        "bearer": {"type": "http", "scheme": "bearer",
                   "description": "The access_token from POST /api/auth/login "
                                  "(browsers use the HttpOnly session cookie)."}}
    doc["paths"] = dict(sorted(doc["paths"].items()))
    return real_validation_errors(doc)


class OpenAPICache:
    def __init__(self, forwarder: Forwarder) -> None:
        self.forwarder = forwarder
        self.doc: dict[str, Any] | None = None
        self.at = 0.0
        self.missing: list[str] = []

    async def get(self, own: dict[str, Any]) -> dict[str, Any]:
        if self.doc is not None and not self.missing and time.monotonic() - self.at < TTL_SECONDS:
            return self.doc

        async def fetch(name: str) -> tuple[str, dict[str, Any] | None]:
            try:
                r = await self.forwarder.call(name, "GET", "/openapi.json", None)
                return name, r.json() if r.status_code == 200 else None
            except Exception as exc:  # noqa: BLE001 - a missing service leaves a gap
                log.warning("openapi_fetch_failed", service=name, error=repr(exc))
                return name, None

        results = await asyncio.gather(*(fetch(n) for n in self.forwarder.urls))
        specs = {n: s for n, s in results if s is not None}
        self.missing = [n for n, s in results if s is None]
        self.doc = merge(own, specs)
        if self.missing:
            self.doc.setdefault("info", {})["x-missing-services"] = self.missing
        self.at = time.monotonic()
        return self.doc
