"""Importing a library without the optional extras it would load just because they are
installed (issue 16: the idle memory of the whole system). Here, in the one library every
component shares, so that the services (through `servicekit.imports`) and the external
subscribers (notifier, finance) use the same helper.

Every API and worker process pays for what its imports pull in, sixteen times over:

* PyJWT imports `cryptography` (about 8 MB resident) when it is installed, for RSA and
  EC keys; Dinghuo signs and verifies HS256 only, which needs nothing but `hmac`.
  (`cryptography` is installed for the order service's payment providers, which import
  it themselves when they are used.)
* structlog and httpx import `rich` (about 6 MB with pygments and attrs) when it is
  installed: structlog for pretty console tracebacks, which `format_exc_info` in our
  processor chains already turns into plain text first, and httpx for its command-line
  client. `rich` comes only with the development tools (schemathesis); the production
  image has none, so a development run now holds what production holds.

    with without_optional("cryptography"):
        import jwt
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

# What httpx (its command-line client) and structlog (pretty tracebacks) load when
# installed; only the development tools bring them.
DEV_ONLY = ("click", "pygments", "rich")


@contextmanager
def without_optional(*packages: str) -> Iterator[None]:
    """Within the block, importing any of `packages` raises ModuleNotFoundError, as if it
    were not installed: the library imported here takes its fallback. A package already
    imported stays as it is (nothing is saved then, and nothing breaks); afterwards each
    one can be imported again as usual."""
    hidden = [p for p in packages if p not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        for name in hidden:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]
