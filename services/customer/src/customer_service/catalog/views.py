"""ORM rows → API schemas."""

from __future__ import annotations

from ..models import CustomerPrice, PriceHistory, Product
from .schemas import CatalogLineOut, PortalCatalogItem, PriceHistoryOut, ProductOut


def product(p: Product) -> ProductOut:
    return ProductOut(id=p.id, name=p.name, model=p.model, category=p.category,
                      list_price=p.list_price, active=p.active, created_at=p.created_at,
                      updated_by=p.updated_by, updated_at=p.updated_at)


def catalog_line(price: CustomerPrice, product_row: Product | None = None) -> CatalogLineOut:
    """`product_row` when the price's product relationship is not loaded."""
    p = product_row or price.product
    return CatalogLineOut(product_id=p.id, name=p.name, model=p.model, category=p.category,
                          unit_price=price.unit_price, list_price=p.list_price,
                          product_active=p.active, updated_by=price.updated_by,
                          updated_at=price.updated_at)


def portal_item(price: CustomerPrice) -> PortalCatalogItem:
    p = price.product
    return PortalCatalogItem(product_id=p.id, name=p.name, model=p.model, category=p.category,
                             unit_price=price.unit_price, list_price=p.list_price)


def history(h: PriceHistory) -> PriceHistoryOut:
    return PriceHistoryOut(id=h.id, customer_id=h.customer_id, product_id=h.product_id,
                           name=h.product.name, model=h.product.model, old_price=h.old_price,
                           new_price=h.new_price, reason=h.reason, changed_by=h.changed_by,
                           changed_at=h.changed_at)
