"""`python -m points_service.worker`: the outbox relay, the inbox consumer and the
reservation timeout job (points/tasks.py)."""

from servicekit.worker import run_worker

from .config import settings
from .messaging import registry
from .points.tasks import jobs

if __name__ == "__main__":
    run_worker(settings, registry, jobs=jobs(settings))
