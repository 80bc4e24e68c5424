from pathlib import Path

from order_service.app import create_app
from order_service.config import Settings
from servicekit.testing.fixtures import service_fixtures

ALEMBIC_INI = Path(__file__).resolve().parents[1] / "alembic.ini"

order_db_url, order_app, order_db = service_fixtures(
    "order", ALEMBIC_INI, create_app, Settings)
