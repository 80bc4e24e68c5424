from order_service.config import settings
from order_service.db import metadata
from servicekit.migrations import run_env

import order_service.models  # noqa: F401  (registers the tables)

run_env(metadata, default_url=settings.database_url)
