"""`python -m dinghuo_notifier` (or `dinghuo-notifier`): run the notifier until SIGTERM or
SIGINT; messages in hand are finished (delivered and reported) before it exits."""

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
    from .consumer import Notifier
    from .logs import configure_logging


async def serve(settings: Settings) -> None:
    notifier = Notifier(settings)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, notifier.stop)
    await notifier.run()


def main() -> None:
    try:
        settings = Settings()
    except ValidationError as exc:
        # The messages only: the input values may hold a secret.
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'settings'}: {e['msg']}" for e in exc.errors())
        sys.exit(f"notifier settings are incomplete: {problems}")
    except SettingsError as exc:  # e.g. a template mapping that is not JSON
        sys.exit(f"notifier settings are invalid: {exc}")
    configure_logging(settings.log_level, settings.log_json)
    asyncio.run(serve(settings))


if __name__ == "__main__":
    main()
