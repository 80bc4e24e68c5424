import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response
from servicekit.auth import CustomerPrincipal
from servicekit.db import Session
from servicekit.errors import error_responses
from servicekit.pagination import set_total

from ..customers.auth import CustomersEntry, CustomersModify, CustomersQuery
from . import views
from .domain import Category
from .schemas import (
    CatalogLineOut,
    PortalCatalogItem,
    PriceHistoryOut,
    PriceIn,
    ProductIn,
    ProductOut,
    ProductUpdateIn,
)
from .service import PriceService, ProductService

portal = APIRouter(prefix="/api/portal/catalog", tags=["portal: catalogue"])
console = APIRouter(prefix="/api/console", tags=["console: products and prices"])

Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0)]


@portal.get("", response_model=list[PortalCatalogItem],
            responses=error_responses(401, 403, 404))
async def my_catalog(session: Session, customer: CustomerPrincipal,
                     response: Response) -> list[PortalCatalogItem]:
    """Your consumables at your own prices (empty until your registration is approved)."""
    items = await PriceService(session).own_catalog(customer)
    set_total(response, len(items))
    return [views.portal_item(p) for p in items]


@console.get("/products", response_model=list[ProductOut],
             responses=error_responses(401, 403, 422))
async def list_products(session: Session, _staff: CustomersQuery, response: Response,
                        q: Annotated[str | None, Query(max_length=100)] = None,
                        category: Category | None = None, active: bool | None = None,
                        limit: Limit = 50, offset: Offset = 0) -> list[ProductOut]:
    """The product master, by name and model; `q` searches both, `category` and `active`
    filter. X-Total-Count holds the count of all matching."""
    items, total = await ProductService(session).list(
        q=(q or "").strip() or None, category=category, active=active, limit=limit,
        offset=offset)
    set_total(response, total)
    return [views.product(p) for p in items]


@console.post("/products", status_code=201, response_model=ProductOut,
              responses=error_responses(401, 403, 409, 422))
async def create_product(body: ProductIn, session: Session,
                         staff: CustomersEntry) -> ProductOut:
    """Add a product to the master list; name and model together must be new."""
    return views.product(await ProductService(session).create(staff, body))


@console.put("/products/{product_id}", response_model=ProductOut,
             responses=error_responses(401, 403, 404, 409, 422))
async def update_product(product_id: uuid.UUID, body: ProductUpdateIn, session: Session,
                         staff: CustomersModify) -> ProductOut:
    """Change a product's name, model, category, list price or active flag (audited). An
    inactive product disappears from every customer's catalogue; customers' own prices
    are kept and come back when it is active again (C-3)."""
    return views.product(await ProductService(session).update(staff, product_id, body))


@console.put("/customers/{customer_id}/prices/{product_id}", response_model=CatalogLineOut,
             responses=error_responses(401, 403, 404, 409, 422))
async def set_price(customer_id: uuid.UUID, product_id: uuid.UUID, body: PriceIn,
                    session: Session, staff: CustomersModify) -> CatalogLineOut:
    """Set or change an approved customer's unit price of a product; the history keeps
    every change (C-3)."""
    price, product = await PriceService(session).set_price(
        staff, customer_id, product_id, body.unit_price)
    return views.catalog_line(price, product)


@console.get("/customers/{customer_id}/prices/history", response_model=list[PriceHistoryOut],
             responses=error_responses(401, 403, 404))
async def price_history(customer_id: uuid.UUID, session: Session, staff: CustomersQuery,
                        response: Response, product_id: uuid.UUID | None = None,
                        limit: Limit = 50, offset: Offset = 0) -> list[PriceHistoryOut]:
    """Every change of the customer's prices, newest first: who, when, old and new (C-3)."""
    items, total = await PriceService(session).history(
        staff, customer_id, product_id=product_id, limit=limit, offset=offset)
    set_total(response, total)
    return [views.history(h) for h in items]
