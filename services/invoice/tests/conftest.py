from pathlib import Path

from invoice_service.app import create_app
from invoice_service.config import Settings
from servicekit.testing.fixtures import service_fixtures

ALEMBIC_INI = Path(__file__).resolve().parents[1] / "alembic.ini"

invoice_db_url, invoice_app, invoice_db = service_fixtures(
    "invoice", ALEMBIC_INI, create_app, Settings)
