"""Maintenance record rules, pure (S-3..S-8, B-5): which of the six menus shows a record,
what may be entered, suspending and resuming, the "repair processing" entries, and the
return visit a processed repair calls for. No I/O; unit-tested on their own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from servicekit.errors import Conflict, Unprocessable

MAX_CHARGE = Decimal("1000000.00")


class InvalidRecord(Unprocessable):
    """The record breaks a rule of its own content (422)."""


class IllegalRecordTransition(Conflict):
    """The record's state does not allow this (409)."""


class Kind(StrEnum):
    REPAIR = "repair"
    RETURN_VISIT = "return_visit"


class CategoryKind(StrEnum):
    FAULT = "fault"
    VISIT = "visit"


class PaymentStatus(StrEnum):
    FREE = "free"
    UNPAID = "unpaid"
    PAID = "paid"


class Menu(StrEnum):
    """The seed's menus of 维修记录 (the sixth, 查询, is the list's filters)."""

    CONTENT = "content"          # 维修内容: every record
    FACTORY = "factory"          # 返厂维修
    KEY = "key"                  # 重点事项
    UNPROCESSED = "unprocessed"  # 未处理事项
    SUSPENDED = "suspended"      # 挂起事项


@dataclass(frozen=True)
class Flags:
    return_to_factory: bool
    key_matter: bool
    processed: bool
    suspended: bool


def menus(flags: Flags) -> set[Menu]:
    """The menus a record shows under: every record under content; returned to the
    factory and key matters under theirs; not processed under unprocessed unless it was
    suspended, which moves it to suspended (S-6..S-8)."""
    found = {Menu.CONTENT}
    if flags.return_to_factory:
        found.add(Menu.FACTORY)
    if flags.key_matter:
        found.add(Menu.KEY)
    if flags.suspended:
        found.add(Menu.SUSPENDED)
    elif not flags.processed:
        found.add(Menu.UNPROCESSED)
    return found


def category_kind_for(kind: Kind) -> CategoryKind:
    """Repairs take fault categories, return visits visit categories (S-4, S-5)."""
    return CategoryKind.FAULT if kind is Kind.REPAIR else CategoryKind.VISIT


def check_factory(return_to_factory: bool, method: str | None) -> None:
    if return_to_factory and not method:
        raise InvalidRecord("factory_return_method is required when the machine goes back "
                            "to the factory (return_to_factory): say how it is sent, "
                            "e.g. 顺丰到付")


def payment_status_for(charge: Decimal, requested: PaymentStatus | None) -> PaymentStatus:
    """A free repair is `free`; a charged one `unpaid` until said otherwise; a charge
    cannot be free."""
    if charge < 0 or charge > MAX_CHARGE:
        raise InvalidRecord(f"charge must be between 0 and {MAX_CHARGE}")
    if charge == 0:
        if requested is PaymentStatus.UNPAID:
            raise InvalidRecord("A record without a charge has nothing to pay: leave "
                                "payment_status out or set it to free")
        return requested or PaymentStatus.FREE
    if requested is PaymentStatus.FREE:
        raise InvalidRecord("A record with a charge cannot be free: set payment_status to "
                            "unpaid or paid, or the charge to 0")
    return requested or PaymentStatus.UNPAID


def check_service_date(service_date: date, today: date) -> None:
    if service_date > today:
        raise InvalidRecord(f"The service date {service_date.isoformat()} is in the future")


def check_can_add_entry(flags: Flags) -> None:
    if flags.processed:
        raise IllegalRecordTransition("This record is already processed: no more repair "
                                      "processing entries")
    if flags.suspended:
        raise IllegalRecordTransition("This record is suspended: resume it before work "
                                      "continues")


def check_can_suspend(flags: Flags) -> None:
    if flags.processed:
        raise IllegalRecordTransition("A processed record cannot be suspended")
    if flags.suspended:
        raise IllegalRecordTransition("This record is already suspended")


def check_can_resume(flags: Flags) -> None:
    if not flags.suspended:
        raise IllegalRecordTransition("This record is not suspended")


def return_visit_due(kind: Kind, processed_on: date, days: int) -> date | None:
    """A repair just processed calls for a return visit `days` later (B-5); a return
    visit calls for none."""
    if kind is not Kind.REPAIR:
        return None
    return processed_on + timedelta(days=days)


# ---------------------------------------------------------------- points (P-2)
class PointsStatus(StrEnum):
    REQUESTED = "requested"    # asked of the points service, no answer yet
    REDEEMED = "redeemed"      # spent on the charge
    REFUSED = "refused"        # not enough, threshold, more than the charge
    RELEASING = "releasing"    # staff asked to give them back
    RELEASED = "released"      # given back


def check_points_request(kind: Kind, charge: Decimal, points: int,
                         status: PointsStatus | None) -> None:
    """Points pay a repair's charge, 1 point = 1 yuan in whole points, once at a time."""
    if kind is not Kind.REPAIR:
        raise InvalidRecord("Points pay repair charges only; a return visit has no charge")
    if points <= 0:
        raise InvalidRecord("points must be more than 0")
    most = int(charge)  # whole yuan of the charge
    if most <= 0:
        raise InvalidRecord("This repair has no charge to pay with points")
    if points > most:
        raise InvalidRecord(f"The charge of {charge} yuan takes at most {most} points, "
                            f"not {points}")
    if status in (PointsStatus.REQUESTED, PointsStatus.REDEEMED, PointsStatus.RELEASING):
        raise IllegalRecordTransition(
            "Points are already being used for this charge: give them back first"
            if status is PointsStatus.REDEEMED else
            "The points service has not answered the last request yet; wait a moment")


def check_points_release(status: PointsStatus | None) -> None:
    if status is not PointsStatus.REDEEMED:
        raise IllegalRecordTransition("No points were spent on this charge")


def check_charge_covers_points(charge: Decimal, points_used: int, pending: int) -> None:
    """A charge lowered below the points paying it would pay cash back: refused."""
    if charge < max(points_used, pending):
        raise InvalidRecord(f"{max(points_used, pending)} points pay part of this charge: "
                            "give them back before lowering the charge below that")


def payable(charge: Decimal, points_used: int) -> Decimal:
    return charge - points_used
