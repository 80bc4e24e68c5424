from pathlib import Path

from notify_service.app import create_app
from notify_service.config import Settings
from servicekit.testing.fixtures import service_fixtures

ALEMBIC_INI = Path(__file__).resolve().parents[1] / "alembic.ini"

notify_db_url, notify_app, notify_db = service_fixtures(
    "notify", ALEMBIC_INI, create_app, Settings)
