"""Every event the service desk consumes, in one registry (its queue's bindings)."""

from servicekit.messaging import HandlerRegistry

from .customers.handlers import registry as customers
from .maintenance.points import registry as repair_points

registry = HandlerRegistry.combine(customers, repair_points)
