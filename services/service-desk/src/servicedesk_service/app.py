from fastapi import FastAPI
from servicekit.app import create_service_app

from .config import Settings, settings
from .requests.endpoints import console as requests_console
from .requests.endpoints import portal as requests_portal


def create_app(config: Settings = settings) -> FastAPI:
    return create_service_app(
        config, [requests_portal, requests_console],
        title="Dinghuo service desk",
        description="After-sales fault reports and their reply threads (S-1).",
    )


app = create_app()
