"""Which address a request comes from (X-3): X-Forwarded-For is believed only from the
trusted proxies (GATEWAY_TRUSTED_PROXIES)."""

from __future__ import annotations

import ipaddress

from fastapi import Request

from ..config import Settings


def _trusted(address: str, proxies: list[str]) -> bool:
    """Is `address` one of the trusted proxies (addresses or CIDR networks)?"""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for entry in proxies:
        try:
            if ip in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


def client_address(request: Request, settings: Settings) -> str:
    """The client's address; X-Forwarded-For is believed only from trusted proxies
    (GATEWAY_TRUSTED_PROXIES: addresses or networks, e.g. ["10.0.0.0/8"])."""
    peer = request.client.host if request.client else "unknown"
    if not _trusted(peer, settings.trusted_proxies):
        return peer
    hops = [h.strip() for h in request.headers.get("x-forwarded-for", "").split(",")
            if h.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, settings.trusted_proxies):
            return hop[:64]
    return peer
