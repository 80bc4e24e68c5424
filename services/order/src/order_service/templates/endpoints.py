"""Favourite order templates over HTTP (O-11)."""

import dataclasses
import uuid

from fastapi import APIRouter, Response
from servicekit.auth import CustomerPrincipal
from servicekit.db import Session
from servicekit.errors import error_responses
from servicekit.pagination import set_total

from ..models import OrderTemplate
from ..orders import domain, views
from ..orders.schemas import ReorderOut, SkippedLine
from .schemas import TemplateIn, TemplateLineOut, TemplateOrderIn, TemplateOut
from .service import TemplateService

router = APIRouter(prefix="/api/portal/order-templates", tags=["portal: order templates"])


def _out(t: OrderTemplate, catalog: dict[uuid.UUID, domain.CatalogPrice]) -> TemplateOut:
    lines = []
    for ln in t.lines:
        pid = uuid.UUID(ln["product_id"])
        item = catalog.get(pid)
        ok = item is not None and item.active
        lines.append(TemplateLineOut(
            product_id=pid, quantity=int(ln["quantity"]),
            name=item.name if item else ln.get("name"),
            model=item.model if item else ln.get("model"),
            unit_price=item.unit_price if ok else None,
            available=ok))
    return TemplateOut(id=t.id, name=t.name, bill_type=t.bill_type, remark=t.remark,
                       created_at=t.created_at, lines=lines)


@router.get("", response_model=list[TemplateOut], responses=error_responses(401, 403))
async def my_templates(session: Session, customer: CustomerPrincipal,
                       response: Response) -> list[TemplateOut]:
    """Your favourite orders, by name, with today's prices and what is still available."""
    svc = TemplateService(session)
    items = await svc.list(customer)
    catalog = await svc.catalog(customer)
    set_total(response, len(items))
    return [_out(t, catalog) for t in items]


@router.post("", status_code=201, response_model=TemplateOut,
             responses=error_responses(401, 403, 404, 409, 422))
async def create_template(body: TemplateIn, session: Session,
                          customer: CustomerPrincipal) -> TemplateOut:
    """Keep a favourite order: its lines, or those of one of your orders."""
    svc = TemplateService(session)
    t = await svc.create(customer, body)
    return _out(t, await svc.catalog(customer))


@router.delete("/{template_id}", status_code=204, responses=error_responses(401, 403, 404))
async def delete_template(template_id: uuid.UUID, session: Session,
                          customer: CustomerPrincipal) -> Response:
    """Forget a favourite order."""
    await TemplateService(session).delete(customer, template_id)
    return Response(status_code=204)


@router.post("/{template_id}/order", status_code=201, response_model=ReorderOut,
             responses=error_responses(401, 403, 404, 422))
async def order_from_template(template_id: uuid.UUID, body: TemplateOrderIn, session: Session,
                              customer: CustomerPrincipal) -> ReorderOut:
    """Submit a new order from a template at today's prices; lines whose product left
    your catalogue are listed in `skipped_lines`."""
    order, skipped = await TemplateService(session).order(customer, template_id, body)
    return ReorderOut(order=views.detail(order), skipped_lines=[
        SkippedLine(**dataclasses.asdict(s)) for s in skipped])
