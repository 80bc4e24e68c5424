"""`python -m dinghuo_gateway.worker`: the gateway's outbox relay (identity events such as
password-reset requests); the gateway consumes no events."""

from servicekit.worker import run_worker

from .config import settings

if __name__ == "__main__":
    run_worker(settings, None)
