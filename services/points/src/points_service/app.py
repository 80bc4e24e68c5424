from fastapi import FastAPI
from servicekit.app import create_service_app

from .config import Settings, settings
from .points.endpoints import console as points_console
from .points.endpoints import portal as points_portal


def create_app(config: Settings = settings) -> FastAPI:
    return create_service_app(
        config, [points_portal, points_console],
        title="Dinghuo points service", description="Points earned on orders (P-*).",
    )


app = create_app()
