from fastapi import FastAPI
from servicekit.app import create_service_app

from .config import Settings, settings
from .exports.endpoints import router as exports
from .invoices.endpoints import console as invoices_console
from .invoices.endpoints import portal as invoices_portal


def create_app(config: Settings = settings) -> FastAPI:
    return create_service_app(
        config, [invoices_portal, exports, invoices_console],
        title="Dinghuo invoice service",
        description="Invoice requests, rejection and resubmission, issuing as one or "
                    "several fapiao, receipt and export (I-1..I-3).",
    )


app = create_app()
