from fastapi import FastAPI
from servicekit.app import create_service_app

from .config import Settings, settings
from .orders.endpoints import console as orders_console
from .orders.endpoints import portal as orders_portal
from .payments.endpoints import router as payments


def create_app(config: Settings = settings) -> FastAPI:
    return create_service_app(
        config, [orders_portal, orders_console, payments],
        title="Dinghuo order service", description="Orders, review and payments (O-*).",
    )


app = create_app()
