import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response
from servicekit.auth import CustomerPrincipal
from servicekit.db import Session
from servicekit.errors import error_responses
from servicekit.pagination import set_total

from ..customers.service import CustomerService
from . import views
from .auth import SettingsModify, SettingsQuery
from .schemas import ContactIn, ContactOut, PortalContact
from .service import ContactService

portal = APIRouter(prefix="/api/portal/contacts", tags=["portal: company"])
console = APIRouter(prefix="/api/console/contacts", tags=["console: supplier contacts"])

Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0)]


@portal.get("", response_model=list[PortalContact], responses=error_responses(401, 403, 404))
async def my_contacts(session: Session, customer: CustomerPrincipal,
                      response: Response) -> list[PortalContact]:
    """The supplier's contact people for your area — name, phone and QQ (N-4); the
    default contacts when your area has none of its own."""
    own = await CustomerService(session).own(customer)
    items = await ContactService(session).for_customer(own)
    set_total(response, len(items))
    return [views.portal(c) for c in items]


@console.get("", response_model=list[ContactOut], responses=error_responses(401, 403, 422))
async def list_contacts(session: Session, _staff: SettingsQuery, response: Response,
                        area: Annotated[str | None, Query(max_length=100)] = None,
                        limit: Limit = 50, offset: Offset = 0) -> list[ContactOut]:
    """The supplier's contact people, by area (`default` is shown where an area has none
    of its own). X-Total-Count holds the count of all matching."""
    items, total = await ContactService(session).list(
        area=(area or "").strip() or None, limit=limit, offset=offset)
    set_total(response, total)
    return [views.contact(c) for c in items]


@console.post("", status_code=201, response_model=ContactOut,
              responses=error_responses(401, 403, 422))
async def create_contact(body: ContactIn, session: Session,
                         staff: SettingsModify) -> ContactOut:
    """Add a contact person for an area's customers (or `default`) (N-4)."""
    return views.contact(await ContactService(session).create(staff, body))


@console.put("/{contact_id}", response_model=ContactOut,
             responses=error_responses(401, 403, 404, 422))
async def update_contact(contact_id: uuid.UUID, body: ContactIn, session: Session,
                         staff: SettingsModify) -> ContactOut:
    """Replace a contact person's details; the change is audited (X-3)."""
    return views.contact(await ContactService(session).update(staff, contact_id, body))


@console.delete("/{contact_id}", status_code=204, response_class=Response,
                responses=error_responses(401, 403, 404, 422))
async def delete_contact(contact_id: uuid.UUID, session: Session,
                         staff: SettingsModify) -> Response:
    """Remove a contact person; the removal is audited (X-3)."""
    await ContactService(session).delete(staff, contact_id)
    return Response(status_code=204)
