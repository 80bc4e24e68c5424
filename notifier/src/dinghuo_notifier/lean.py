"""Importing libraries without the optional extras they load only because they are
installed (issue 16: the idle memory of the whole system; servicekit.imports does the
same for the services, which this package does not depend on).

structlog imports `rich` (and with it pygments and attrs) for pretty console tracebacks,
which `format_exc_info` in our processor chain turns into plain text first; httpx imports
`rich`, `pygments` and `click` for its command-line client. They come only with the
development tools: the production image has none of them, and a development run now
holds what production holds (about 6 MB less)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

DEV_ONLY = ("click", "pygments", "rich")


@contextmanager
def without_optional(*packages: str) -> Iterator[None]:
    """Within the block, importing any of `packages` raises ModuleNotFoundError, as if it
    were not installed; one already imported stays as it is. Afterwards each can be
    imported again as usual."""
    hidden = [p for p in packages if p not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        for name in hidden:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]
