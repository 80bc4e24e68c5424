"""Events of the customer lifecycle (see events.py for the conventions: money as Money, additive
changes only, a breaking change is a new class with version = 2). Defining a class
registers it."""

from __future__ import annotations

import uuid  # noqa: F401
from datetime import date, datetime  # noqa: F401
from typing import Literal  # noqa: F401

from .envelope import Event  # noqa: F401
from .events import Money, Part  # noqa: F401
