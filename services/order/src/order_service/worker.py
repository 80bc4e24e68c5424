"""`python -m order_service.worker`: the outbox relay, the inbox consumer and the
periodic jobs (payment-due and ordering-cycle reminders, reminders/tasks.py; the points
reply timeout, redemption/tasks.py)."""

from servicekit.worker import run_worker

from .config import settings
from .messaging import registry
from .redemption.tasks import jobs as redemption_jobs
from .reminders.tasks import jobs

if __name__ == "__main__":
    run_worker(settings, registry, jobs=jobs(settings) + redemption_jobs(settings))
