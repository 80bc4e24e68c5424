"""Transactional outbox, inbox consumer and the broker topology."""

from .inbox import Consumer, HandlerRegistry
from .outbox import OutboxRelay, add_event, define_messaging_tables
from .topology import Topology

__all__ = [
    "Consumer",
    "HandlerRegistry",
    "OutboxRelay",
    "Topology",
    "add_event",
    "define_messaging_tables",
]
