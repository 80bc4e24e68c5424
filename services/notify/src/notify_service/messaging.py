"""Every event the notify service consumes, in one registry (its queue's bindings):
the notices and reminders (`handlers.py`) and the deliveries' own events."""

from servicekit.messaging import HandlerRegistry

from .deliveries.handlers import registry as deliveries
from .handlers import registry as notices

registry = HandlerRegistry.combine(notices, deliveries)
