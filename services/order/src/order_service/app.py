from fastapi import FastAPI
from servicekit.app import create_service_app
from servicekit.tracing import instrument_httpx_client

from .analysis.anomalies import router as analysis_anomalies
from .analysis.dashboard import router as analysis_dashboard
from .analysis.endpoints import router as analysis
from .analysis.query import router as analysis_query
from .config import Settings, settings
from .exports.endpoints import router as exports
from .orders.endpoints import console as orders_console
from .orders.endpoints import portal as orders_portal
from .payments.endpoints import portal as payments_portal
from .payments.endpoints import public as payments_public
from .payments.endpoints import router as payments
from .payments.providers import build_provider, make_http_client
from .reminders.endpoints import router as reminders
from .returns.endpoints import router as returns
from .shipments.endpoints import router as shipments
from .statements.endpoints import console as statements_console
from .statements.endpoints import portal as statements_portal
from .templates.endpoints import router as templates


async def _shutdown(app: FastAPI) -> None:
    await app.state.payment_http.aclose()


def create_app(config: Settings = settings) -> FastAPI:
    # exports first: /orders/export.xlsx must not be taken for /orders/{order_id}.
    app = create_service_app(
        config, [exports, orders_portal, orders_console, shipments, returns, templates,
                 payments, payments_portal, payments_public, reminders, statements_portal,
                 statements_console, analysis, analysis_query, analysis_anomalies,
                 analysis_dashboard],
        title="Dinghuo order service",
        description=("Orders from submission to completion: entry, modification and "
                     "re-review, batch and two-level review, shipments and receipts, "
                     "returns, cancellation, reorder and templates, timeline, payments, "
                     "payment-due reminders, online payment (B-2), Excel export "
                     "(O-1..O-11), monthly statements (B-1)."),
        on_shutdown=_shutdown,
    )
    # Online payment (B-2): the enabled provider, its keys loaded now (a key that cannot
    # be read stops start-up rather than the first payment); none when it is off.
    app.state.payment_http = make_http_client(config)
    instrument_httpx_client(app.state.payment_http)
    app.state.payment_providers = {
        name: build_provider(config, app.state.payment_http)
        for name in config.payment_providers_enabled}
    return app


app = create_app()
