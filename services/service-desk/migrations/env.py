import servicedesk_service.models  # noqa: F401  (registers the tables)
from servicedesk_service.config import settings
from servicedesk_service.db import metadata
from servicekit.migrations import run_env

run_env(metadata, default_url=settings.database_url)
