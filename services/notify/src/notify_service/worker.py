"""`python -m notify_service.worker`: the outbox relay and the inbox consumer that turns
events into staff prompts and customer messages, and the delivery retry job
(deliveries/tasks.py)."""

from servicekit.worker import run_worker

from .config import settings
from .deliveries.tasks import jobs
from .messaging import registry

if __name__ == "__main__":
    run_worker(settings, registry, jobs=jobs(settings))
