"""An outbox relay process for the relay-crash test (X-2, issue 14): the real `OutboxRelay`,
whose sessions kill the process (SIGKILL, no clean-up) at the moment the relay marks
rows sent — after the broker confirmed every publish of the batch, before the mark is
written. A marker file tells the test that it happened there.

The seam is the relay's own statement (`UPDATE outbox SET sent_at = ...`): no code of the
relay is changed or copied. Should the relay mark rows another way one day, this process
never crashes, and the test says so instead of passing."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from servicekit.db import Database
from servicekit.messaging import OutboxRelay
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.sql.dml import Update


def marks_sent(statement) -> bool:
    if not isinstance(statement, Update) or statement.table.name != "outbox":
        return False
    return "sent_at" in str(statement).split(" WHERE ")[0]


async def main(db_url: str, amqp_url: str, exchange: str, marker: str) -> None:
    db = Database(db_url)

    class CrashWhenMarkingSent(AsyncSession):
        async def execute(self, statement, *args, **kwargs):
            if marks_sent(statement):
                Path(marker).write_text(str(statement))
                os.kill(os.getpid(), signal.SIGKILL)
            return await super().execute(statement, *args, **kwargs)

    sessionmaker = async_sessionmaker(db.engine, class_=CrashWhenMarkingSent,
                                      expire_on_commit=False)
    relay = OutboxRelay(sessionmaker, db_url, amqp_url, exchange, poll_seconds=0.2)
    await relay.run()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:5]))
