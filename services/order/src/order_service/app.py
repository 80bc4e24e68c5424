from fastapi import FastAPI
from servicekit.app import create_service_app

from .config import Settings, settings
from .exports.endpoints import router as exports
from .orders.endpoints import console as orders_console
from .orders.endpoints import portal as orders_portal
from .payments.endpoints import router as payments
from .reminders.endpoints import router as reminders
from .returns.endpoints import router as returns
from .shipments.endpoints import router as shipments
from .templates.endpoints import router as templates


def create_app(config: Settings = settings) -> FastAPI:
    # exports first: /orders/export.xlsx must not be taken for /orders/{order_id}.
    return create_service_app(
        config, [exports, orders_portal, orders_console, shipments, returns, templates,
                 payments, reminders],
        title="Dinghuo order service",
        description=("Orders from submission to completion: entry, modification and "
                     "re-review, batch and two-level review, shipments and receipts, "
                     "returns, cancellation, reorder and templates, timeline, payments, "
                     "payment-due reminders, Excel export (O-1..O-11)."),
    )


app = create_app()
