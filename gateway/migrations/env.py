from dinghuo_gateway.config import settings
from dinghuo_gateway.db import metadata
from servicekit.migrations import run_env

import dinghuo_gateway.models  # noqa: F401  (registers the tables)

run_env(metadata, default_url=settings.database_url)
