"""analysis at scale: covering indexes and trigger-maintained daily rollups (A-1..A-4, X-4)

Indexes the analysis reads by: orders by date with the figures the aggregates sum
(index-only scans), orders per customer by date, orders by amount (the order query's
sort), lines per order with what the aggregates need, lines by model (case-insensitive,
as the order query compares it).

Three rollup tables, exact at every commit (docs/architecture.md, "Analysis at scale"):

- `analysis_order_days` (day, area, status): orders, amount, payable, paid, quantity;
- `analysis_line_days` (day, category, model, name): lines, quantity, amount of the
  lines of counted orders (not cancelled or rejected) — every area together;
- `analysis_line_area_days` (day, area, category, model, name): the same per area, for
  staff bound to areas (C-7).

Statement-level triggers on orders, order_lines, customer_view (area) and
catalog_item_view (category) append signed delta rows (`pending`) in the same
transaction as the change; no row is updated in place, so concurrent orders never wait
for each other nor deadlock on a hot rollup row. Now and then (200 pending rows) one
transaction folds the pending rows into one row per key (`analysis_compact`, guarded by
an advisory try-lock: only one at a time, nobody waits). Readers sum every row of a key,
pending or not. The area and category of a line are read with the customer's read-model
row locked FOR SHARE, and a change of area or category locks that row for update before
moving the customer's history, so neither misses the other.

`analysis_rollups_rebuild()` recomputes everything from the base tables (here, and by
hand should it ever be needed).

Revision ID: b9c1d3e5f848
Revises: f7a9b1c3d626
Create Date: 2026-12-07 10:00:00
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "b9c1d3e5f848"
down_revision = "f7a9b1c3d626"
branch_labels = None
depends_on = None

MONEY = sa.Numeric(14, 2)

# The statuses whose orders never became business (analysis/domain.py NOT_COUNTED).
FUNCTIONS = r"""
CREATE TYPE analysis_order_change AS (
  sign integer, customer_id uuid, order_date date, status varchar(30),
  total numeric(14,2), payable numeric(14,2), paid numeric(14,2), quantity integer);

CREATE TYPE analysis_line_change AS (
  sign integer, customer_id uuid, order_date date, product_id uuid,
  model varchar(200), name varchar(200), quantity integer, amount numeric(14,2));

-- Writers lock the customers' read-model rows FOR SHARE before reading their area and
-- catalogue; a change of area or category holds them for update (see the movers).
CREATE FUNCTION analysis_share_customers(ids uuid[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM customer_view WHERE customer_id = ANY (ids)
    ORDER BY customer_id FOR SHARE;
END $$;

CREATE FUNCTION analysis_apply_order_changes(changes analysis_order_change[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM analysis_share_customers(ARRAY(SELECT DISTINCT c.customer_id
                                         FROM unnest(changes) c));
  INSERT INTO analysis_order_days (day, area, status, orders, amount, payable, paid,
                                   quantity, pending)
  SELECT c.order_date, coalesce(v.area, ''), c.status, sum(c.sign), sum(c.sign * c.total),
         sum(c.sign * c.payable), sum(c.sign * c.paid), sum(c.sign * c.quantity), true
  FROM unnest(changes) c LEFT JOIN customer_view v ON v.customer_id = c.customer_id
  GROUP BY 1, 2, 3
  HAVING sum(c.sign) <> 0 OR sum(c.sign * c.total) <> 0 OR sum(c.sign * c.payable) <> 0
      OR sum(c.sign * c.paid) <> 0 OR sum(c.sign * c.quantity) <> 0
  ORDER BY 1, 2, 3;
END $$;

CREATE FUNCTION analysis_apply_line_changes(changes analysis_line_change[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF cardinality(changes) = 0 THEN
    RETURN;
  END IF;
  PERFORM analysis_share_customers(ARRAY(SELECT DISTINCT c.customer_id
                                         FROM unnest(changes) c));
  INSERT INTO analysis_line_days (day, category, model, name, lines, quantity, amount,
                                  pending)
  SELECT c.order_date, coalesce(i.category, 'consumable'), c.model, c.name, sum(c.sign),
         sum(c.sign * c.quantity), sum(c.sign * c.amount), true
  FROM unnest(changes) c
  LEFT JOIN catalog_item_view i ON i.customer_id = c.customer_id
                               AND i.product_id = c.product_id
  GROUP BY 1, 2, 3, 4
  HAVING sum(c.sign) <> 0 OR sum(c.sign * c.quantity) <> 0 OR sum(c.sign * c.amount) <> 0
  ORDER BY 1, 2, 3, 4;
  INSERT INTO analysis_line_area_days (day, area, category, model, name, lines, quantity,
                                       amount, pending)
  SELECT c.order_date, coalesce(v.area, ''), coalesce(i.category, 'consumable'), c.model,
         c.name, sum(c.sign), sum(c.sign * c.quantity), sum(c.sign * c.amount), true
  FROM unnest(changes) c
  LEFT JOIN customer_view v ON v.customer_id = c.customer_id
  LEFT JOIN catalog_item_view i ON i.customer_id = c.customer_id
                               AND i.product_id = c.product_id
  GROUP BY 1, 2, 3, 4, 5
  HAVING sum(c.sign) <> 0 OR sum(c.sign * c.quantity) <> 0 OR sum(c.sign * c.amount) <> 0
  ORDER BY 1, 2, 3, 4, 5;
END $$;

-- Fold the pending rows of one rollup into one row per key, when there are enough of
-- them and nobody else is folding (the advisory lock is tried, never waited for). The
-- keys' rows, folded or pending, are deleted and summed back as one folded row; rows
-- other transactions have not committed yet stay pending for the next time.
CREATE FUNCTION analysis_compact(force boolean DEFAULT false) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF (force OR (SELECT count(*) FROM (SELECT 1 FROM analysis_order_days WHERE pending
                                      LIMIT 200) p) >= 200)
     AND pg_try_advisory_xact_lock(1306, 1) THEN
    WITH keys AS (SELECT DISTINCT day, area, status FROM analysis_order_days
                  WHERE pending),
         gone AS (DELETE FROM analysis_order_days t USING keys k
                  WHERE t.day = k.day AND t.area = k.area AND t.status = k.status
                  RETURNING t.*)
    INSERT INTO analysis_order_days (day, area, status, orders, amount, payable, paid,
                                     quantity, pending)
    SELECT day, area, status, sum(orders), sum(amount), sum(payable), sum(paid),
           sum(quantity), false
    FROM gone GROUP BY 1, 2, 3 HAVING sum(orders) <> 0;
  END IF;
  IF (force OR (SELECT count(*) FROM (SELECT 1 FROM analysis_line_days WHERE pending
                                      LIMIT 200) p) >= 200)
     AND pg_try_advisory_xact_lock(1306, 2) THEN
    WITH keys AS (SELECT DISTINCT day, category, model, name FROM analysis_line_days
                  WHERE pending),
         gone AS (DELETE FROM analysis_line_days t USING keys k
                  WHERE t.day = k.day AND t.category = k.category AND t.model = k.model
                    AND t.name = k.name
                  RETURNING t.*)
    INSERT INTO analysis_line_days (day, category, model, name, lines, quantity, amount,
                                    pending)
    SELECT day, category, model, name, sum(lines), sum(quantity), sum(amount), false
    FROM gone GROUP BY 1, 2, 3, 4 HAVING sum(lines) <> 0;
  END IF;
  IF (force OR (SELECT count(*) FROM (SELECT 1 FROM analysis_line_area_days WHERE pending
                                      LIMIT 200) p) >= 200)
     AND pg_try_advisory_xact_lock(1306, 3) THEN
    WITH keys AS (SELECT DISTINCT area, day, category, model, name
                  FROM analysis_line_area_days WHERE pending),
         gone AS (DELETE FROM analysis_line_area_days t USING keys k
                  WHERE t.area = k.area AND t.day = k.day AND t.category = k.category
                    AND t.model = k.model AND t.name = k.name
                  RETURNING t.*)
    INSERT INTO analysis_line_area_days (day, area, category, model, name, lines,
                                         quantity, amount, pending)
    SELECT day, area, category, model, name, sum(lines), sum(quantity), sum(amount), false
    FROM gone GROUP BY 1, 2, 3, 4, 5 HAVING sum(lines) <> 0;
  END IF;
END $$;

-- orders: an order counts in analysis_order_days under its date, its customer's area and
-- its status; its lines count in the line rollups while it is not cancelled or rejected.
CREATE FUNCTION analysis_orders_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  changes analysis_order_change[];
  lines analysis_line_change[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    changes := ARRAY(SELECT ROW(1, n.customer_id, n.order_date, n.status, n.total,
                                n.total - n.points_used, n.paid_total,
                                n.total_quantity)::analysis_order_change
                     FROM new_rows n);
    lines := ARRAY(SELECT ROW(1, n.customer_id, n.order_date, l.product_id, l.model,
                              l.name, l.quantity, l.line_total)::analysis_line_change
                   FROM new_rows n JOIN order_lines l ON l.order_id = n.id
                   WHERE n.status NOT IN ('cancelled', 'rejected'));
  ELSIF TG_OP = 'DELETE' THEN
    changes := ARRAY(SELECT ROW(-1, o.customer_id, o.order_date, o.status, o.total,
                                o.total - o.points_used, o.paid_total,
                                o.total_quantity)::analysis_order_change
                     FROM old_rows o);
    lines := ARRAY(SELECT ROW(-1, o.customer_id, o.order_date, l.product_id, l.model,
                              l.name, l.quantity, l.line_total)::analysis_line_change
                   FROM old_rows o JOIN order_lines l ON l.order_id = o.id
                   WHERE o.status NOT IN ('cancelled', 'rejected'));
  ELSE
    changes := ARRAY(
      SELECT c FROM old_rows o JOIN new_rows n ON n.id = o.id,
      LATERAL (VALUES (ROW(-1, o.customer_id, o.order_date, o.status, o.total,
                           o.total - o.points_used, o.paid_total,
                           o.total_quantity)::analysis_order_change),
                      (ROW(1, n.customer_id, n.order_date, n.status, n.total,
                           n.total - n.points_used, n.paid_total,
                           n.total_quantity)::analysis_order_change)) v(c)
      WHERE (o.customer_id, o.order_date, o.status, o.total, o.points_used, o.paid_total,
             o.total_quantity)
            IS DISTINCT FROM (n.customer_id, n.order_date, n.status, n.total,
                              n.points_used, n.paid_total, n.total_quantity));
    -- the lines move only when the order starts or stops counting, or changes its
    -- customer or date
    lines := ARRAY(
      SELECT c FROM old_rows o JOIN new_rows n ON n.id = o.id
      JOIN order_lines l ON l.order_id = n.id,
      LATERAL (SELECT ROW(-1, o.customer_id, o.order_date, l.product_id, l.model, l.name,
                          l.quantity, l.line_total)::analysis_line_change
               WHERE o.status NOT IN ('cancelled', 'rejected')
               UNION ALL
               SELECT ROW(1, n.customer_id, n.order_date, l.product_id, l.model, l.name,
                          l.quantity, l.line_total)::analysis_line_change
               WHERE n.status NOT IN ('cancelled', 'rejected')) v(c)
      WHERE (o.customer_id, o.order_date, o.status NOT IN ('cancelled', 'rejected'))
            IS DISTINCT FROM (n.customer_id, n.order_date,
                              n.status NOT IN ('cancelled', 'rejected')));
  END IF;
  IF cardinality(changes) > 0 THEN
    PERFORM analysis_apply_order_changes(changes);
  END IF;
  PERFORM analysis_apply_line_changes(lines);
  PERFORM analysis_compact();
  RETURN NULL;
END $$;

-- order_lines: a line counts while its order does (read as it is now).
CREATE FUNCTION analysis_order_lines_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  lines analysis_line_change[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    lines := ARRAY(SELECT ROW(1, o.customer_id, o.order_date, n.product_id, n.model,
                              n.name, n.quantity, n.line_total)::analysis_line_change
                   FROM new_rows n JOIN orders o ON o.id = n.order_id
                   WHERE o.status NOT IN ('cancelled', 'rejected'));
  ELSIF TG_OP = 'DELETE' THEN
    lines := ARRAY(SELECT ROW(-1, o.customer_id, o.order_date, d.product_id, d.model,
                              d.name, d.quantity, d.line_total)::analysis_line_change
                   FROM old_rows d JOIN orders o ON o.id = d.order_id
                   WHERE o.status NOT IN ('cancelled', 'rejected'));
  ELSE
    lines := ARRAY(
      SELECT c FROM old_rows d JOIN new_rows n ON n.id = d.id
      JOIN orders o ON o.id = d.order_id JOIN orders o2 ON o2.id = n.order_id,
      LATERAL (SELECT ROW(-1, o.customer_id, o.order_date, d.product_id, d.model, d.name,
                          d.quantity, d.line_total)::analysis_line_change
               WHERE o.status NOT IN ('cancelled', 'rejected')
               UNION ALL
               SELECT ROW(1, o2.customer_id, o2.order_date, n.product_id, n.model, n.name,
                          n.quantity, n.line_total)::analysis_line_change
               WHERE o2.status NOT IN ('cancelled', 'rejected')) v(c)
      WHERE (d.order_id, d.product_id, d.model, d.name, d.quantity, d.line_total)
            IS DISTINCT FROM (n.order_id, n.product_id, n.model, n.name, n.quantity,
                              n.line_total));
  END IF;
  PERFORM analysis_apply_line_changes(lines);
  PERFORM analysis_compact();
  RETURN NULL;
END $$;

-- customer_view: a customer that changes area takes its history along (the customer's
-- row is locked by the change itself, so writers of its orders wait, or are waited for).
CREATE FUNCTION analysis_customers_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  ids uuid[];
  from_areas varchar[];
  to_areas varchar[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(customer_id), array_agg(''::varchar), array_agg(area)
      INTO ids, from_areas, to_areas
      FROM new_rows WHERE coalesce(area, '') <> '';
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(customer_id), array_agg(area), array_agg(''::varchar)
      INTO ids, from_areas, to_areas
      FROM old_rows WHERE coalesce(area, '') <> '';
  ELSE
    SELECT array_agg(n.customer_id), array_agg(coalesce(o.area, '')),
           array_agg(coalesce(n.area, ''))
      INTO ids, from_areas, to_areas
      FROM old_rows o JOIN new_rows n ON n.customer_id = o.customer_id
     WHERE coalesce(o.area, '') <> coalesce(n.area, '');
  END IF;
  IF ids IS NULL THEN
    RETURN NULL;
  END IF;
  INSERT INTO analysis_order_days (day, area, status, orders, amount, payable, paid,
                                   quantity, pending)
  SELECT o.order_date, a.area, o.status, sum(a.sign), sum(a.sign * o.total),
         sum(a.sign * (o.total - o.points_used)), sum(a.sign * o.paid_total),
         sum(a.sign * o.total_quantity), true
  FROM unnest(ids, from_areas, to_areas) m(customer_id, from_area, to_area)
  JOIN orders o ON o.customer_id = m.customer_id,
  LATERAL (VALUES (m.from_area, -1), (m.to_area, 1)) a(area, sign)
  GROUP BY 1, 2, 3 HAVING sum(a.sign) <> 0
  ORDER BY 1, 2, 3;
  INSERT INTO analysis_line_area_days (day, area, category, model, name, lines, quantity,
                                       amount, pending)
  SELECT o.order_date, a.area, coalesce(i.category, 'consumable'), l.model, l.name,
         sum(a.sign), sum(a.sign * l.quantity), sum(a.sign * l.line_total), true
  FROM unnest(ids, from_areas, to_areas) m(customer_id, from_area, to_area)
  JOIN orders o ON o.customer_id = m.customer_id
  JOIN order_lines l ON l.order_id = o.id
  LEFT JOIN catalog_item_view i ON i.customer_id = o.customer_id
                               AND i.product_id = l.product_id,
  LATERAL (VALUES (m.from_area, -1), (m.to_area, 1)) a(area, sign)
  WHERE o.status NOT IN ('cancelled', 'rejected')
  GROUP BY 1, 2, 3, 4, 5 HAVING sum(a.sign) <> 0
  ORDER BY 1, 2, 3, 4, 5;
  PERFORM analysis_compact();
  RETURN NULL;
END $$;

-- catalog_item_view: a product whose category changes for a customer (or appears or
-- disappears: no row counts as a consumable) moves the customer's lines of it.
CREATE FUNCTION analysis_catalog_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  ids uuid[];
  products uuid[];
  from_categories varchar[];
  to_categories varchar[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(customer_id), array_agg(product_id), array_agg('consumable'::varchar),
           array_agg(category)
      INTO ids, products, from_categories, to_categories
      FROM new_rows WHERE coalesce(category, 'consumable') <> 'consumable';
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(customer_id), array_agg(product_id), array_agg(category),
           array_agg('consumable'::varchar)
      INTO ids, products, from_categories, to_categories
      FROM old_rows WHERE coalesce(category, 'consumable') <> 'consumable';
  ELSE
    SELECT array_agg(n.customer_id), array_agg(n.product_id),
           array_agg(coalesce(o.category, 'consumable')),
           array_agg(coalesce(n.category, 'consumable'))
      INTO ids, products, from_categories, to_categories
      FROM old_rows o JOIN new_rows n
        ON n.customer_id = o.customer_id AND n.product_id = o.product_id
     WHERE coalesce(o.category, 'consumable') <> coalesce(n.category, 'consumable');
  END IF;
  IF ids IS NULL THEN
    RETURN NULL;
  END IF;
  PERFORM 1 FROM customer_view WHERE customer_id = ANY (ids)
    ORDER BY customer_id FOR NO KEY UPDATE;
  INSERT INTO analysis_line_days (day, category, model, name, lines, quantity, amount,
                                  pending)
  SELECT o.order_date, c.category, l.model, l.name, sum(c.sign), sum(c.sign * l.quantity),
         sum(c.sign * l.line_total), true
  FROM unnest(ids, products, from_categories, to_categories)
         m(customer_id, product_id, from_category, to_category)
  JOIN orders o ON o.customer_id = m.customer_id
  JOIN order_lines l ON l.order_id = o.id AND l.product_id = m.product_id,
  LATERAL (VALUES (m.from_category, -1), (m.to_category, 1)) c(category, sign)
  WHERE o.status NOT IN ('cancelled', 'rejected')
  GROUP BY 1, 2, 3, 4 HAVING sum(c.sign) <> 0
  ORDER BY 1, 2, 3, 4;
  INSERT INTO analysis_line_area_days (day, area, category, model, name, lines, quantity,
                                       amount, pending)
  SELECT o.order_date, coalesce(v.area, ''), c.category, l.model, l.name, sum(c.sign),
         sum(c.sign * l.quantity), sum(c.sign * l.line_total), true
  FROM unnest(ids, products, from_categories, to_categories)
         m(customer_id, product_id, from_category, to_category)
  JOIN orders o ON o.customer_id = m.customer_id
  JOIN order_lines l ON l.order_id = o.id AND l.product_id = m.product_id
  LEFT JOIN customer_view v ON v.customer_id = o.customer_id,
  LATERAL (VALUES (m.from_category, -1), (m.to_category, 1)) c(category, sign)
  WHERE o.status NOT IN ('cancelled', 'rejected')
  GROUP BY 1, 2, 3, 4, 5 HAVING sum(c.sign) <> 0
  ORDER BY 1, 2, 3, 4, 5;
  PERFORM analysis_compact();
  RETURN NULL;
END $$;

-- Everything again from the base tables, folded; writers wait meanwhile.
CREATE FUNCTION analysis_rollups_rebuild() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE orders, order_lines, customer_view, catalog_item_view IN SHARE MODE;
  DELETE FROM analysis_order_days;
  DELETE FROM analysis_line_days;
  DELETE FROM analysis_line_area_days;
  INSERT INTO analysis_order_days (day, area, status, orders, amount, payable, paid,
                                   quantity, pending)
  SELECT o.order_date, coalesce(v.area, ''), o.status, count(*), sum(o.total),
         sum(o.total - o.points_used), sum(o.paid_total), sum(o.total_quantity), false
  FROM orders o LEFT JOIN customer_view v ON v.customer_id = o.customer_id
  GROUP BY 1, 2, 3;
  INSERT INTO analysis_line_area_days (day, area, category, model, name, lines, quantity,
                                       amount, pending)
  SELECT o.order_date, coalesce(v.area, ''), coalesce(i.category, 'consumable'), l.model,
         l.name, count(*), sum(l.quantity), sum(l.line_total), false
  FROM order_lines l JOIN orders o ON o.id = l.order_id
  LEFT JOIN customer_view v ON v.customer_id = o.customer_id
  LEFT JOIN catalog_item_view i ON i.customer_id = o.customer_id
                               AND i.product_id = l.product_id
  WHERE o.status NOT IN ('cancelled', 'rejected')
  GROUP BY 1, 2, 3, 4, 5;
  INSERT INTO analysis_line_days (day, category, model, name, lines, quantity, amount,
                                  pending)
  SELECT day, category, model, name, sum(lines), sum(quantity), sum(amount), false
  FROM analysis_line_area_days GROUP BY 1, 2, 3, 4;
END $$;
"""

TRIGGERS = [
    ("orders", "analysis_orders_changed"),
    ("order_lines", "analysis_order_lines_changed"),
    ("customer_view", "analysis_customers_changed"),
    ("catalog_item_view", "analysis_catalog_changed"),
]


def _triggers() -> list[str]:
    out = []
    for table, function in TRIGGERS:
        out += [
            f"CREATE TRIGGER {function}_insert AFTER INSERT ON {table} "
            f"REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
            f"EXECUTE FUNCTION {function}();",
            f"CREATE TRIGGER {function}_update AFTER UPDATE ON {table} "
            f"REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT "
            f"EXECUTE FUNCTION {function}();",
            f"CREATE TRIGGER {function}_delete AFTER DELETE ON {table} "
            f"REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT "
            f"EXECUTE FUNCTION {function}();",
        ]
    return out


def upgrade() -> None:
    # Covering indexes: the old single-column ones are their prefixes.
    op.drop_index("ix_orders_order_date", table_name="orders")
    op.drop_index("ix_orders_customer_id", table_name="orders")
    op.drop_index("ix_order_lines_order_id", table_name="order_lines")
    op.create_index("ix_orders_order_date_totals", "orders", ["order_date"],
                    postgresql_include=["id", "customer_id", "status", "total",
                                        "points_used", "paid_total", "total_quantity"])
    op.create_index("ix_orders_customer_id_order_date", "orders",
                    ["customer_id", "order_date"], postgresql_include=["status", "total"])
    # the order query sorted by amount: the first page without sorting the period
    op.create_index("ix_orders_total", "orders", ["total", "number"])
    op.create_index("ix_order_lines_order_id_totals", "order_lines", ["order_id"],
                    postgresql_include=["product_id", "model", "quantity", "line_total"])
    # `model` itself too: an expression index serves index-only scans only then
    op.create_index("ix_order_lines_model_lower", "order_lines", [sa.text("lower(model)")],
                    postgresql_include=["model", "order_id", "product_id", "quantity",
                                        "line_total"])

    op.create_table(
        "analysis_order_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("area", sa.String(100), nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("orders", sa.Integer(), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("payable", MONEY, nullable=False),
        sa.Column("paid", MONEY, nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("pending", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_analysis_order_days_day", "analysis_order_days",
                    ["day", "area", "status"],
                    postgresql_include=["orders", "amount", "payable", "paid", "quantity"])
    op.create_index("ix_analysis_order_days_area", "analysis_order_days", ["area", "day"],
                    postgresql_include=["status", "orders", "amount", "payable", "paid",
                                        "quantity"])
    op.create_index("ix_analysis_order_days_pending", "analysis_order_days", ["day"],
                    postgresql_where=sa.text("pending"))
    op.create_table(
        "analysis_line_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("category", sa.String(20), nullable=False),
        sa.Column("model", sa.String(200), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("pending", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_analysis_line_days_day", "analysis_line_days",
                    ["day", "category", "model", "name"],
                    postgresql_include=["lines", "quantity", "amount"])
    op.create_index("ix_analysis_line_days_pending", "analysis_line_days", ["day"],
                    postgresql_where=sa.text("pending"))
    op.create_table(
        "analysis_line_area_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("area", sa.String(100), nullable=False),
        sa.Column("category", sa.String(20), nullable=False),
        sa.Column("model", sa.String(200), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("pending", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_analysis_line_area_days_area", "analysis_line_area_days",
                    ["area", "day", "category", "model", "name"],
                    postgresql_include=["lines", "quantity", "amount"])
    op.create_index("ix_analysis_line_area_days_pending", "analysis_line_area_days",
                    ["day"], postgresql_where=sa.text("pending"))

    # one statement at a time (asyncpg prepares each)
    for statement in re.split(r"\n(?=CREATE (?:TYPE|FUNCTION) )", FUNCTIONS.strip()):
        op.execute(statement)
    op.execute("SELECT analysis_rollups_rebuild()")
    for statement in _triggers():
        op.execute(statement)


def downgrade() -> None:
    for table, function in TRIGGERS:
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER {function}_{event} ON {table}")
    for function in ("analysis_rollups_rebuild()", "analysis_catalog_changed()",
                     "analysis_customers_changed()", "analysis_order_lines_changed()",
                     "analysis_orders_changed()", "analysis_compact(boolean)",
                     "analysis_apply_line_changes(analysis_line_change[])",
                     "analysis_apply_order_changes(analysis_order_change[])",
                     "analysis_share_customers(uuid[])"):
        op.execute(f"DROP FUNCTION {function}")
    op.execute("DROP TYPE analysis_line_change")
    op.execute("DROP TYPE analysis_order_change")
    op.drop_table("analysis_line_area_days")
    op.drop_table("analysis_line_days")
    op.drop_table("analysis_order_days")
    op.drop_index("ix_order_lines_model_lower", table_name="order_lines")
    op.drop_index("ix_order_lines_order_id_totals", table_name="order_lines")
    op.drop_index("ix_orders_total", table_name="orders")
    op.drop_index("ix_orders_customer_id_order_date", table_name="orders")
    op.drop_index("ix_orders_order_date_totals", table_name="orders")
    op.create_index("ix_order_lines_order_id", "order_lines", ["order_id"])
    op.create_index("ix_orders_customer_id", "orders", ["customer_id"])
    op.create_index("ix_orders_order_date", "orders", ["order_date"])
