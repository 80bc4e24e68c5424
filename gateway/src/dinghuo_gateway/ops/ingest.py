"""The gateway worker's part of B-7: every consumer's dead-letter queue into the
`dead_letters` table (`servicekit.messaging.deadletters` says why not browsed in place)."""

from __future__ import annotations

from servicekit.db import Database
from servicekit.messaging.deadletters import DeadLetter, DeadLetterIngester

from ..config import Settings
from .repository import DeadLetterRepository
from .service import consumers_of


def dead_letter_ingester(settings: Settings, db: Database) -> DeadLetterIngester:
    consumers = consumers_of(settings)

    async def store(dead: DeadLetter) -> None:
        async with db.sessionmaker() as session, session.begin():
            await DeadLetterRepository(session).upsert(dead, consumers.get(dead.queue,
                                                                           dead.queue))

    return DeadLetterIngester(settings.amqp_url, consumers, store)
