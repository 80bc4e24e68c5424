from fastapi import FastAPI
from servicekit.app import create_service_app

from .catalog.endpoints import console as catalog_console
from .catalog.endpoints import portal as catalog_portal
from .config import Settings, settings
from .contacts.endpoints import console as contacts_console
from .contacts.endpoints import portal as contacts_portal
from .customers.endpoints import console as customers_console
from .customers.endpoints import portal as customers_portal


def create_app(config: Settings = settings) -> FastAPI:
    return create_service_app(
        config, [customers_portal, customers_console, catalog_portal, catalog_console,
                 contacts_portal, contacts_console],
        title="Dinghuo customer service",
        description="Customers, registration review, products and own prices, grades, "
                    "ordering cycles, the supplier's contacts and the audit log (C-*, X-3).",
    )


app = create_app()
