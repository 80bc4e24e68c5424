from fastapi import FastAPI
from servicekit.app import create_service_app

from .config import Settings, settings
from .invoices.endpoints import console as invoices_console
from .invoices.endpoints import portal as invoices_portal


def create_app(config: Settings = settings) -> FastAPI:
    return create_service_app(
        config, [invoices_portal, invoices_console],
        title="Dinghuo invoice service",
        description="Invoice requests, issuing and receipt (I-*).",
    )


app = create_app()
