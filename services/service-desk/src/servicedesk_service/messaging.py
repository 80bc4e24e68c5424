"""Every event the service desk consumes, in one registry (its queue's bindings)."""

from servicekit.messaging import HandlerRegistry

from .customers.handlers import registry as customers

registry = HandlerRegistry.combine(customers)
