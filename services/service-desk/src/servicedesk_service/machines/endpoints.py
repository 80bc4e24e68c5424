import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from servicekit.auth import CustomerPrincipal, require_permission
from servicekit.db import Session
from servicekit.errors import error_responses
from servicekit.pagination import set_total

from . import views
from .schemas import MachineIn, MachineOut, MachineUpdate
from .service import MachineService

portal = APIRouter(prefix="/api/portal/machines", tags=["portal: machines"])
console = APIRouter(prefix="/api/console/machines", tags=["console: machines"])

ServiceDeskQuery = require_permission("service_desk:query")
ServiceDeskEntry = require_permission("service_desk:entry")
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]
Search = Annotated[str | None, Query(max_length=100)]
WarrantyFilter = Annotated[Literal["in", "expired"] | None, Query(
    description="`in`: covered today; `expired`: out of warranty or none")]


@portal.get("", response_model=list[MachineOut], responses=error_responses(401, 403, 422))
async def my_machines(session: Session, customer: CustomerPrincipal, response: Response,
                      warranty: WarrantyFilter = None, limit: Limit = 100,
                      offset: Offset = 0) -> list[MachineOut]:
    """The machines your company bought, newest purchase first, each with its warranty."""
    rows, total = await MachineService(session).list(customer, warranty=warranty,
                                                     limit=limit, offset=offset)
    set_total(response, total)
    return [views.machine(m, c) for m, c in rows]


@portal.get("/{machine_id}", response_model=MachineOut,
            responses=error_responses(401, 403, 404, 422))
async def my_machine(machine_id: uuid.UUID, session: Session,
                     customer: CustomerPrincipal) -> MachineOut:
    """One of your machines."""
    return views.machine(*await MachineService(session).get(machine_id, principal=customer))


@console.post("", status_code=201, response_model=MachineOut,
              responses=error_responses(401, 403, 404, 409, 422))
async def register_machine(body: MachineIn, session: Session,
                           staff: ServiceDeskEntry) -> MachineOut:
    """Enter a machine a customer bought (the "details" form, S-2); the warranty date is
    derived from the purchase date and the warranty period. A machine number is
    registered once (409)."""
    return views.machine(*await MachineService(session).register(staff, body))


@console.get("", response_model=list[MachineOut], responses=error_responses(401, 403, 422))
async def list_machines(session: Session, staff: ServiceDeskQuery, response: Response,
                        customer_id: uuid.UUID | None = None, q: Search = None,
                        warranty: WarrantyFilter = None, limit: Limit = 50,
                        offset: Offset = 0) -> list[MachineOut]:
    """The installed base of your areas (C-7); `q` searches machine, model, number,
    customer, salesperson and engineer (X-Total-Count holds the count of all matching)."""
    rows, total = await MachineService(session).list(
        staff, customer_id=customer_id, q=(q or "").strip() or None, warranty=warranty,
        limit=limit, offset=offset)
    set_total(response, total)
    return [views.machine(m, c) for m, c in rows]


@console.get("/{machine_id}", response_model=MachineOut,
             responses=error_responses(401, 403, 404, 422))
async def get_machine(machine_id: uuid.UUID, session: Session,
                      staff: ServiceDeskQuery) -> MachineOut:
    """One machine."""
    return views.machine(*await MachineService(session).get(machine_id, principal=staff))


@console.patch("/{machine_id}", response_model=MachineOut,
               responses=error_responses(401, 403, 404, 409, 422))
async def update_machine(machine_id: uuid.UUID, body: MachineUpdate, session: Session,
                         staff: ServiceDeskEntry) -> MachineOut:
    """Change some of a machine's fields; the warranty date follows."""
    return views.machine(*await MachineService(session).update(staff, machine_id, body))
