"""Staff permissions, pure (X-1, C-7): `<module>:<action>` names, roles expanded into
effective permissions, areas, and who may grant or manage what."""

from __future__ import annotations

from collections.abc import Iterable

from servicekit.errors import Conflict, Forbidden, Unprocessable
from servicekit.permissions import ACTIONS, ALL, covers

# ops: dead letters and unsent events (B-7) — query to see them, entry to replay, modify
# to discard.
MODULES = ("customers", "orders", "payments", "invoices", "points", "service_desk",
           "messages", "reports", "settings", "ops")
# ACTIONS, ALL and `covers` (the one permission matcher) come from servicekit.
MAX_AREA_LENGTH = 50


class InvalidPermission(Unprocessable):
    pass


class InvalidArea(Unprocessable):
    pass


class NotGrantable(Forbidden):
    pass


class LastFullRights(Conflict):
    pass


def check_permissions(names: Iterable[str], field: str = "permissions") -> list[str]:
    """The names cleaned, de-duplicated and sorted; 422 naming the first unknown one.
    Accepted: `<module>:<action>`, `<module>:*` (every action of a module) and `*`."""
    out: set[str] = set()
    for raw in names:
        name = raw.strip()
        if name == ALL:
            out.add(name)
            continue
        module, sep, action = name.partition(":")
        if not sep or module not in MODULES:
            raise InvalidPermission(
                f"{field}: {raw!r} names no known module; a permission is "
                f"<module>:<action> with module one of {', '.join(MODULES)}")
        if action != ALL and action not in ACTIONS:
            raise InvalidPermission(
                f"{field}: {raw!r} names no known action; actions are "
                f"{', '.join(ACTIONS)} (or * for all of them)")
        out.add(name)
    return sorted(out)


def check_areas(areas: Iterable[str], field: str = "areas") -> list[str]:
    out: set[str] = set()
    for raw in areas:
        area = raw.strip()
        if not area:
            raise InvalidArea(f"{field}: an area name must not be empty")
        if len(area) > MAX_AREA_LENGTH:
            raise InvalidArea(f"{field}: area names are at most {MAX_AREA_LENGTH} characters")
        out.add(area)
    return sorted(out)


def effective(own: Iterable[str], roles: Iterable[Iterable[str]] = ()) -> frozenset[str]:
    """A staff user's own permissions together with those of its roles."""
    perms = set(own)
    for role in roles:
        perms.update(role)
    return frozenset(perms)


def missing(granted: frozenset[str] | set[str], wanted: Iterable[str]) -> list[str]:
    return sorted(p for p in set(wanted) if not covers(granted, p))


def areas_within(actor_areas: Iterable[str], areas: Iterable[str]) -> bool:
    """An actor limited to areas reaches only users limited to some of those areas; an
    actor with no area limit (all areas) reaches everyone (C-7)."""
    actor, target = set(actor_areas), set(areas)
    if not actor:
        return True
    return bool(target) and target <= actor


def check_can_grant(actor_perms: frozenset[str], actor_areas: Iterable[str],
                    perms: Iterable[str], areas: Iterable[str] | None = None) -> None:
    """Nobody hands out more than they hold: every granted permission must be covered by
    the actor's own, and an area-limited actor grants only within its areas."""
    lacking = missing(actor_perms, perms)
    if lacking:
        raise NotGrantable(
            f"You cannot grant permissions you do not hold yourself: {', '.join(lacking)}")
    if areas is not None and not areas_within(actor_areas, areas):
        raise NotGrantable("You can only give staff users areas you are limited to yourself "
                           "(and at least one of them)")


def check_can_manage(actor_perms: frozenset[str], actor_areas: Iterable[str],
                     target_perms: Iterable[str], target_areas: Iterable[str]) -> None:
    """Changing, deactivating or resetting another staff user needs at least that user's
    power, so a lesser administrator cannot take over a stronger account."""
    if missing(actor_perms, target_perms) or not areas_within(actor_areas, target_areas):
        raise NotGrantable("This staff user holds permissions or areas beyond yours; "
                           "only a user holding all of them can change it")


def has_full_rights(granted: frozenset[str] | set[str], areas: Iterable[str] = ()) -> bool:
    """Every action of every module in every area: what it takes to manage everyone."""
    return not list(areas) and all(covers(granted, f"{m}:{a}")
                                   for m in MODULES for a in ACTIONS)


def check_full_rights_remain(
        staff: dict[object, tuple[list[str], list[list[str]]]]) -> None:
    """At least one active staff user keeps full rights — every permission, no area limit
    — or nobody could manage every staff user, role and permission any more (issue 8).
    `staff`: each active staff user's areas and its own and its roles' permissions, as
    they will be after the change."""
    if not any(has_full_rights(effective(own, roles), areas)
               for areas, (own, *roles) in staff.values()):
        raise LastFullRights(
            "This change would leave no active staff user with full rights (every "
            "permission in every area), and then nobody could manage all staff users, "
            "roles and permissions any more; give another active user full rights first")
