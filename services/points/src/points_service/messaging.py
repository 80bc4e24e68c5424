"""Every event the points service consumes, in one registry (its queue's bindings)."""

from servicekit.messaging import HandlerRegistry

from .points.handlers import registry as points

registry = HandlerRegistry.combine(points)
