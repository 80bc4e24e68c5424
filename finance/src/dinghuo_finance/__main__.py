"""`python -m dinghuo_finance` (or `dinghuo-finance-subscriber`): run the finance
subscriber until SIGTERM or SIGINT; the message in hand is recorded and acked before it
exits."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys

from dinghuo_contracts.imports import DEV_ONLY, without_optional
from pydantic import ValidationError
from pydantic_settings import SettingsError

with without_optional(*DEV_ONLY):
    from .config import Settings
    from .consumer import FinanceSubscriber
    from .ledger import LedgerError
    from .logs import configure_logging


async def serve(settings: Settings) -> None:
    subscriber = FinanceSubscriber(settings)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, subscriber.stop)
    await subscriber.run()


def main() -> None:
    try:
        settings = Settings()
    except (ValidationError, SettingsError) as exc:
        sys.exit(f"finance subscriber settings are invalid: {exc}")
    configure_logging(settings.log_level, settings.log_json)
    try:
        asyncio.run(serve(settings))
    except LedgerError as exc:
        sys.exit(f"finance subscriber: {exc}")


if __name__ == "__main__":
    main()
