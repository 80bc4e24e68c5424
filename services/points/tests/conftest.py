from pathlib import Path

from points_service.app import create_app
from points_service.config import Settings
from servicekit.testing.fixtures import service_fixtures

ALEMBIC_INI = Path(__file__).resolve().parents[1] / "alembic.ini"

points_db_url, points_app, points_db = service_fixtures(
    "points", ALEMBIC_INI, create_app, Settings)
