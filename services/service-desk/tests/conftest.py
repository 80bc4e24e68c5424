import os
import tempfile
from pathlib import Path

from servicedesk_service.app import create_app
from servicedesk_service.config import Settings
from servicekit.testing.fixtures import service_fixtures

# Photos of the tests' fault reports go to a directory of their own, never .run/ (S-1).
os.environ["SERVICEDESK_MEDIA_DIR"] = tempfile.mkdtemp(prefix="servicedesk-media-")

ALEMBIC_INI = Path(__file__).resolve().parents[1] / "alembic.ini"

servicedesk_db_url, servicedesk_app, servicedesk_db = service_fixtures(
    "servicedesk", ALEMBIC_INI, create_app, Settings)
