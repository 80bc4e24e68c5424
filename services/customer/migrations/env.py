import customer_service.models  # noqa: F401  (registers the tables)
from customer_service.config import settings
from customer_service.db import metadata
from servicekit.migrations import run_env

run_env(metadata, default_url=settings.database_url)
