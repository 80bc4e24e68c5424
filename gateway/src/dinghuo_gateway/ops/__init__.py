"""Operations (B-7): dead-lettered messages and the outbox rows the relays gave up on,
which operators see, replay or discard — audited."""
