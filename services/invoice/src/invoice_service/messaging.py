"""Every event the invoice service consumes, in one registry (its queue's bindings)."""

from servicekit.messaging import HandlerRegistry

from .customers.handlers import registry as customers
from .orders.handlers import registry as orders

registry = HandlerRegistry.combine(customers, orders)
