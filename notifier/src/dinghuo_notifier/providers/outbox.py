"""The development provider: one JSON line per message in a file, always delivered.

The file holds the whole message, reset tokens included, so that a developer can follow
a password reset end to end; keep it under the git-ignored `.run/`."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path

from dinghuo_contracts import DeliveryRequested

from . import Result, delivered


class Outbox:
    name = "outbox"

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = asyncio.Lock()

    async def send(self, request: DeliveryRequested) -> Result:
        line = json.dumps({
            "time": datetime.now(UTC).isoformat(),
            "channel": request.channel,
            "recipient": request.recipient,
            "template": request.template,
            "params": request.params,
            "text": request.text,
            "text_en": request.text_en,
            "delivery_id": str(request.delivery_id) if request.delivery_id else None,
            "attempt": request.attempt,
        }, ensure_ascii=False)
        async with self._lock:
            await asyncio.to_thread(self._append, line)
        return delivered(self.name)

    def _append(self, line: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as f:
            f.write(line + "\n")
