"""Every event the notify service consumes, in one registry (its queue's bindings)."""

from servicekit.messaging import HandlerRegistry

from .customers.handlers import registry as customers
from .deliveries.handlers import registry as deliveries
from .messages.handlers import registry as messages
from .orders.handlers import registry as orders
from .prompts.handlers import registry as prompts

registry = HandlerRegistry.combine(customers, prompts, messages, deliveries, orders)
