"""Dinghuo integration event contracts. Every event class defined in this package's
modules is registered in REGISTRY by defining it; import them from here."""

from . import (  # noqa: F401  (registers)
    customer_lifecycle,
    identity,
    order_lifecycle,
    points,
    repairs,
    servicedesk,
    statements,
)
from .customer_lifecycle import *  # noqa: F403
from .envelope import REGISTRY, Event, EventEnvelope, UnknownEvent, parse_event  # noqa: F401
from .events import *  # noqa: F403
from .identity import *  # noqa: F403
from .order_lifecycle import *  # noqa: F403
from .points import *  # noqa: F403
from .repairs import *  # noqa: F403
from .servicedesk import *  # noqa: F403
from .statements import *  # noqa: F403
from .subscribers import EXTERNAL_SUBSCRIBERS, ExternalSubscriber  # noqa: F401

EVENT_TYPES: frozenset[str] = frozenset(t for t, _ in REGISTRY)
