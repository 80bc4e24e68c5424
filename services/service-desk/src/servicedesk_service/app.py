from fastapi import FastAPI
from servicekit.app import create_service_app

from .config import Settings, settings
from .machines.endpoints import console as machines_console
from .machines.endpoints import portal as machines_portal
from .maintenance.endpoints import maintenance as maintenance_console
from .maintenance.endpoints import records as records_console
from .requests.endpoints import console as requests_console
from .requests.endpoints import portal as requests_portal


def create_app(config: Settings = settings) -> FastAPI:
    return create_service_app(
        config, [machines_portal, machines_console, requests_portal, requests_console,
                 records_console, maintenance_console],
        title="Dinghuo service desk",
        description="The installed base of machines (S-2) and after-sales fault reports with "
                    "their reply threads (S-1), maintenance records in six menus "
                    "with statistics (S-3..S-9).",
    )


app = create_app()
