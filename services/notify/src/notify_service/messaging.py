"""Every event the notify service consumes, in one registry (its queue's bindings)."""

from servicekit.messaging import HandlerRegistry

from .customers.handlers import registry as customers
from .messages.handlers import registry as messages
from .prompts.handlers import registry as prompts

registry = HandlerRegistry.combine(customers, prompts, messages)
