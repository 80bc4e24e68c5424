from pathlib import Path

from customer_service.app import create_app
from customer_service.config import Settings
from servicekit.testing.fixtures import service_fixtures

ALEMBIC_INI = Path(__file__).resolve().parents[1] / "alembic.ini"

customer_db_url, customer_app, customer_db = service_fixtures(
    "customer", ALEMBIC_INI, create_app, Settings)
