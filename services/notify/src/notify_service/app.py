from fastapi import FastAPI
from servicekit.app import create_service_app

from .articles.endpoints import console as articles_console
from .articles.endpoints import portal as articles_portal
from .batches.endpoints import router as batches
from .config import Settings, settings
from .deliveries.endpoints import console as deliveries_console
from .deliveries.endpoints import portal as channel_settings
from .messages.endpoints import router as messages
from .prompts.endpoints import router as prompts


def create_app(config: Settings = settings) -> FastAPI:
    return create_service_app(
        config,
        [prompts, messages, articles_console, articles_portal, batches, deliveries_console,
         channel_settings],
        title="Dinghuo notify service",
        description="Staff prompts (N-3) and customer messages (N-5), fed by events; the "
                    "bulletin board and technical guidance (N-4); staff batch messages "
                    "(N-1) and the SMS/WeChat delivery log (N-2).",
    )


app = create_app()
