"""`python -m dinghuo_gateway.worker`: the gateway's outbox relay (identity events such as
password-reset requests) and the dead-letter ingester, which moves every consumer's
`<queue>.dlq` into the `dead_letters` table for operators (B-7); the gateway consumes no
events itself."""

from servicekit.worker import run_worker

from .config import settings
from .ops.ingest import dead_letter_ingester

if __name__ == "__main__":
    run_worker(settings, None, background=lambda db: [dead_letter_ingester(settings, db)])
