"""The one permission matcher of the system (X-1; issue 16): the gateway's guards, its
grant checks and every service's `Principal.has` ask it.

A permission is `<module>:<action>`; a grant may also be `<module>:*` (every action of the
module) or `*` (everything)."""

from __future__ import annotations

from collections.abc import Collection

ALL = "*"
# The actions a module's permission names; `<module>:*` asked for is covered by holding
# each of them.
ACTIONS = ("entry", "query", "modify", "review")


def covers(granted: Collection[str], permission: str) -> bool:
    """Whether `granted` includes `permission` (which may itself be `<module>:*` or `*`)."""
    if ALL in granted:
        return True
    if permission == ALL:
        return False
    if permission in granted:
        return True
    module, _, action = permission.partition(":")
    if f"{module}:{ALL}" in granted:
        return True
    if action == ALL:
        return all(f"{module}:{a}" in granted for a in ACTIONS)
    return False
