"""Every event the order service consumes, in one registry (its queue's bindings)."""

from servicekit.messaging import HandlerRegistry

from .customers.handlers import registry as customers
from .orders.handlers import registry as orders
from .redemption.handlers import registry as redemption

registry = HandlerRegistry.combine(customers, orders, redemption)
