"""`python -m servicedesk_service.worker`: the outbox relay and the inbox consumer."""

from servicekit.worker import run_worker

from .config import settings
from .messaging import registry

if __name__ == "__main__":
    run_worker(settings, registry)
