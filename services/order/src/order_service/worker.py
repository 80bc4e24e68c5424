"""`python -m order_service.worker`: the outbox relay, the inbox consumer and the
periodic jobs (payment-due and ordering-cycle reminders, reminders/tasks.py; the points
reply timeout, redemption/tasks.py; the daily anomaly count, analysis/tasks.py)."""

from servicekit.worker import run_worker

from .analysis.tasks import jobs as analysis_jobs
from .config import settings
from .messaging import registry
from .redemption.tasks import jobs as redemption_jobs
from .reminders.tasks import jobs

if __name__ == "__main__":
    run_worker(settings, registry, jobs=jobs(settings) + redemption_jobs(settings)
               + analysis_jobs(settings))
