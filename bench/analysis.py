"""Benchmark: every analysis route (issue 13, A-1..A-4, X-4) at scale — p50/p95/max.

A scratch database is built from the order service's real migrations and filled with
set-based SQL (INSERT … SELECT generate_series): at the large size 10,000 approved
customers in ~30 provinces with grades, ordering cycles and installed machines, a
catalogue of ~20 products each (~50 models), two years of orders up to today with
realistic statuses, due dates and payments — 1,000,000 order lines —, a few anomaly
follow-ups and two years of daily anomaly counts.

The last migrations then build the analysis indexes and daily rollups from that data,
and the rollups are checked against the base tables after changes of every kind made
through their triggers (rolled back): a difference fails the run.

The order service's application is then built in this process (`create_app` with its
settings pointed at the scratch database) and every GET route under
/api/console/analysis is called through httpx's ASGI transport with the internal token
the gateway would send: the routes are found in the application's OpenAPI document, so
routes added later are measured too. Each route gets parameter sets from the query
parameters it declares (default period, 12 months, the whole two years, a filter or two,
staff bound to two areas); after a warm-up each set is requested N times. Export routes
are measured (over a month) but outside the 300 ms target. docs/performance.md has the
figures.

With `--before` the data is filled at the schema before the analysis indexes and
summary tables (revision f7a9b1c3d626), the routes measured there too (the summaries
and the dashboards with the SQL of before, kept below as `DirectRepository`), and then
the migrations are run to the end: the report shows both and the ratio.

    make bench   (or: uv run python bench/analysis.py [--size small|large] [--before])
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
from order_service.analysis.domain import NOT_COUNTED
from order_service.analysis.repository import AnalysisRepository
from order_service.app import create_app
from order_service.config import Settings
from order_service.models import CatalogItemView, CustomerView, Order, OrderLine
from order_service.orders.repository import in_areas
from servicekit.auth import HEADER, Principal, sign_internal_token
from servicekit.db import Database
from servicekit.logging import configure_logging
from servicekit.migrations import create_database, drop_database, upgrade
from servicekit.timeutil import business_date
from sqlalchemy import Date, and_, func, or_, select, text

PG = os.environ.get("DINGHUO_BENCH_DATABASE_SERVER",
                    "postgresql+asyncpg://postgres@127.0.0.1:5432")
ALEMBIC_INI = Path(__file__).resolve().parents[1] / "services" / "order" / "alembic.ini"
# The order service's schema before the analysis indexes and summary tables.
BEFORE_REVISION = "f7a9b1c3d626"
PREFIX = "/api/console/analysis"
TARGET_MS = 300.0


@dataclass(frozen=True)
class Size:
    customers: int
    lines: int


SIZES = {"large": Size(10_000, 1_000_000), "small": Size(500, 50_000)}

AREAS = ["北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏",
         "浙江", "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西",
         "海南", "重庆", "四川", "贵州", "云南", "陕西", "甘肃", "青海", "宁夏", "新疆"]
# Staff bound to areas (C-7) in the second principal.
STAFF_AREAS = ("广东", "浙江")

# The catalogue: 38 consumables, 6 accessories, 6 machines (model, name, price, category).
_INKS = [("K", "黑"), ("C", "青"), ("M", "品红"), ("Y", "黄"), ("LC", "淡青"), ("LM", "淡品红"),
         ("W", "白"), ("V", "光油")]
MODELS: list[tuple[str, str, str, str]] = (
    [(f"INK-UV-{c}-1L", f"UV 墨水（{n}）", "168.00", "consumable") for c, n in _INKS]
    + [(f"INK-ECO-{c}-1L", f"弱溶剂墨水（{n}）", "128.00", "consumable") for c, n in _INKS]
    + [(f"INK-WB-{c}-500ML", f"水性墨水（{n}）", "86.00", "consumable") for c, n in _INKS[:6]]
    + [(f"INK-CIJ-{c}-800ML", f"喷码墨水（{n}）", "245.00", "consumable") for c, n in _INKS[:4]]
    + [("CLN-500ML", "喷头清洗液", "46.00", "consumable"),
       ("CLN-UV-1L", "UV 清洗液", "78.00", "consumable"),
       ("MKU-CIJ-1L", "喷码溶剂", "96.00", "consumable"),
       ("RBN-110-300", "碳带 110mm×300m", "32.00", "consumable"),
       ("RBN-90-300", "碳带 90mm×300m", "28.00", "consumable"),
       ("WIP-100", "无尘擦拭布（100 片）", "25.00", "consumable"),
       ("SWB-50", "清洁棉签（50 支）", "18.00", "consumable"),
       ("FLM-A3-100", "打印膜 A3（100 张）", "65.00", "consumable"),
       ("FLM-A4-100", "打印膜 A4（100 张）", "38.00", "consumable"),
       ("DMP-UV", "UV 墨囊", "55.00", "consumable"),
       ("LMP-UV-50W", "UV 灯管 50W", "420.00", "consumable"),
       ("CAP-STN", "保湿帽组件", "120.00", "consumable")]
    + [("FLT-10U", "墨盒过滤器", "35.00", "accessory"),
       ("HDP-XP600", "XP600 喷头", "2600.00", "accessory"),
       ("DMP-SET-8", "墨囊套装（8 只）", "380.00", "accessory"),
       ("BLT-2513", "传动皮带", "260.00", "accessory"),
       ("PCB-MAIN", "主板", "1850.00", "accessory"),
       ("PMP-INK", "供墨泵", "460.00", "accessory")]
    + [("UV-2513", "UV 平板打印机 DH-2513", "168000.00", "machine"),
       ("UV-6090", "UV 平板打印机 DH-6090", "56000.00", "machine"),
       ("ECO-1800", "写真机 DH-1800", "42000.00", "machine"),
       ("CIJ-5", "小字符喷码机 CIJ-5", "23800.00", "machine"),
       ("TIJ-12", "手持喷码机 TIJ-12", "3600.00", "machine"),
       ("HP-60", "热转印打码机 HP-60", "9800.00", "machine")])
N_CONSUMABLES, N_ACCESSORIES, N_MACHINES = 38, 6, 6
assert len(MODELS) == N_CONSUMABLES + N_ACCESSORIES + N_MACHINES

# ---------------------------------------------------------------------------------------
# The data. `h(x)` in the SQL below is a deterministic pseudo-random number in 0..2^31
# (abs(hashtext(x))): the same database every run.

FUNCTIONS = """
CREATE FUNCTION pg_temp.h(text) RETURNS integer LANGUAGE sql IMMUTABLE
  AS $$ SELECT abs(hashtext($1)) $$;
"""

CUSTOMERS = """
INSERT INTO customer_view (customer_id, customer_number, name, area, status, cycle_kind,
                           cycle_days, cycle_weekday, cycle_since, payment_terms_days,
                           payment_terms_as_of, grade, machine_count, machines_as_of,
                           updated_at)
SELECT md5('c' || c)::uuid, 'C' || lpad(c::text, 6, '0'),
       (:areas)[1 + c % 30]
         || (ARRAY['鑫源','恒达','华彩','宏图','嘉禾','永盛','金象','瑞丰','博雅','天成',
                   '联创','富康','荣昌','正泰','海川','明辉'])[1 + pg_temp.h('n1' || c) % 16]
         || (ARRAY['印务','包装','广告','标识','图文','数码','食品','制药'])
              [1 + pg_temp.h('n2' || c) % 8]
         || (ARRAY['有限公司','有限责任公司','厂','商行'])[1 + pg_temp.h('n3' || c) % 4]
         || ' ' || c,
       (:areas)[1 + c % 30], 'approved',
       CASE WHEN k.r < 80 THEN 'days' WHEN k.r < 86 THEN 'weekday' END,
       CASE WHEN k.r < 5 THEN 7 WHEN k.r < 25 THEN 14 WHEN k.r < 80 THEN 30 END,
       CASE WHEN k.r >= 80 AND k.r < 86 THEN 1 + pg_temp.h('wd' || c) % 6 END,
       CASE WHEN k.r < 86 THEN :today - 760 + pg_temp.h('cs' || c) % 700 END,
       (ARRAY[30, 30, 30, 15, 45, 60])[1 + pg_temp.h('pt' || c) % 6], now(),
       k.grade,
       CASE k.grade WHEN 'large' THEN 8 + pg_temp.h('mc' || c) % 13
                    WHEN 'small' THEN pg_temp.h('mc' || c) % 3
                    ELSE pg_temp.h('mc' || c) % 8 END,
       now(), now()
FROM generate_series(1, :customers) AS c,
     LATERAL (SELECT pg_temp.h('cy' || c) % 100 AS r,
                     CASE WHEN pg_temp.h('gr' || c) % 100 < 65 THEN 'normal'
                          WHEN pg_temp.h('gr' || c) % 100 < 85 THEN 'small'
                          ELSE 'large' END AS grade) AS k
"""

# 16 consumables, 2 accessories and 2 machines per customer, at its own price (large
# customers pay less).
CATALOGUE = """
INSERT INTO catalog_item_view (customer_id, product_id, name, model, unit_price,
                               list_price, active, category)
SELECT md5('c' || c)::uuid, md5('p' || m)::uuid, (:names)[m + 1], (:models)[m + 1],
       round((:prices)[m + 1]::numeric
             * CASE WHEN c % 7 = 0 THEN 0.85 WHEN c % 3 = 0 THEN 0.92 ELSE 0.97 END, 2),
       (:prices)[m + 1]::numeric, true, (:categories)[m + 1]
FROM generate_series(1, :customers) AS c,
     LATERAL (SELECT (c * 7 + j * 3) % 38 AS m FROM generate_series(0, 15) AS j
              UNION ALL SELECT 38 + (c + j) % 6 FROM generate_series(0, 1) AS j
              UNION ALL SELECT 44 + (c * 5 + j) % 6 FROM generate_series(0, 1) AS j) AS s
"""

# When each customer orders: its cycle's interval with a few days' jitter (weekday
# cycles: on that weekday), from a start within the two years; a tenth of those with a
# cycle stopped ordering a while ago (the anomalies). `o` numbers the orders in a
# pseudo-random order, so that cutting at the line count drops orders evenly.
PLAN = """
CREATE TEMP TABLE plan AS
WITH c AS (
  SELECT c, md5('c' || c)::uuid AS cid, v.cycle_kind, v.cycle_weekday,
         coalesce(v.cycle_days, CASE WHEN v.cycle_kind = 'weekday' THEN 7 END,
                  20 + pg_temp.h('iv' || c) % 60) AS step,
         :today - 729 + CASE WHEN pg_temp.h('st' || c) % 100 < 15
                             THEN pg_temp.h('so' || c) % 400 ELSE 0 END AS first,
         CASE WHEN v.cycle_kind IS NOT NULL AND pg_temp.h('sp' || c) % 100 < 10
              THEN :today - 10 - pg_temp.h('sa' || c) % 120 ELSE :today END AS last
  FROM generate_series(1, :customers) AS c
  JOIN customer_view v ON v.customer_id = md5('c' || c)::uuid
), d AS (
  SELECT c.c, c.cid,
         CASE WHEN c.cycle_kind = 'weekday'
              THEN c.first + (c.cycle_weekday - extract(isodow FROM c.first)::int + 7) % 7
                   + 7 * k
              ELSE c.first + pg_temp.h('f' || c.c) % c.step + c.step * k
                   + pg_temp.h('j' || c.c || '-' || k) % 5 - 2 END AS order_date,
         c.last
  FROM c, generate_series(0, 730 / c.step + 1) AS k
)
SELECT row_number() OVER (ORDER BY md5('o' || c || '-' || order_date)) AS o, c, cid,
       order_date
FROM d WHERE order_date BETWEEN :today - 729 AND last
"""

# 1–6 lines per order (fewer more often): a consumable slot per line, distinct within the
# order; now and then the first line is an accessory or a machine.
PLAN_LINES = """
CREATE TEMP TABLE plan_lines AS
WITH n AS (
  SELECT o, c, least(6, 1 + floor(6 * power((pg_temp.h('n' || o) % 100000) / 100000.0,
                                                :power)))::int AS n
  FROM plan
), cut AS (
  SELECT o, c, n, sum(n) OVER (ORDER BY o) AS upto FROM n
)
SELECT o, k, CASE WHEN k = 1 AND pg_temp.h('mm' || o) % 100 < 3
                  THEN 44 + (c * 5 + pg_temp.h('mj' || o) % 2) % 6
                  WHEN k = 1 AND pg_temp.h('mm' || o) % 100 < 10
                  THEN 38 + (c + pg_temp.h('aj' || o) % 2) % 6
                  ELSE (c * 7 + ((pg_temp.h('s' || o) + k * 5) % 16) * 3) % 38 END AS m,
       c
FROM cut, generate_series(1, n) AS k
WHERE upto - n + k <= :lines
"""

LINE_QUANTITY = """
ALTER TABLE plan_lines ADD COLUMN quantity integer;
UPDATE plan_lines SET quantity = CASE WHEN m >= 44 THEN 1
                                      WHEN m >= 38 THEN 1 + pg_temp.h('q' || o || k) % 3
                                      ELSE 1 + (pg_temp.h('q' || o || k) % 100) / 9 END;
DELETE FROM plan WHERE o NOT IN (SELECT o FROM plan_lines);
"""

# Status by age: old orders are mostly completed (some cancelled or rejected), recent
# ones on their way, the last week's partly waiting for review.
ORDERS = """
INSERT INTO orders (id, number, customer_id, customer_name, source, status, order_date,
                    delivery_date, bill_type, remark, total, list_total, total_quantity,
                    paid_total, invoiced, reviewed_by, reviewed_at, created_by, created_at,
                    updated_at, version, due_date, completed_at, cancelled_at)
SELECT md5('o' || p.o)::uuid,
       'DH' || to_char(p.order_date, 'YYYYMMDD') || '-'
         || lpad((row_number() OVER (PARTITION BY p.order_date ORDER BY p.o))::text, 5, '0'),
       p.cid, v.name, CASE WHEN pg_temp.h('src' || p.o) % 10 = 0 THEN 'staff' ELSE 'portal' END,
       s.status, p.order_date, p.order_date + 3,
       (ARRAY['none','ordinary_vat','special_vat'])[1 + pg_temp.h('b' || p.o) % 3],
       CASE WHEN pg_temp.h('r' || p.o) % 5 = 0 THEN '请尽快发货' END,
       t.total, t.list_total, t.qty,
       CASE WHEN s.status IN ('submitted','pending_second_review','rejected','cancelled') THEN 0
            WHEN s.pay < 88 AND s.age > 20 THEN t.total
            WHEN s.pay < 94 AND s.age > 10 THEN round(t.total / 2, 2)
            WHEN s.pay < 40 THEN t.total ELSE 0 END,
       s.status = 'completed' AND pg_temp.h('inv' || p.o) % 3 > 0,
       CASE WHEN s.status NOT IN ('submitted','pending_second_review') THEN 'bench' END,
       CASE WHEN s.status NOT IN ('submitted','pending_second_review')
            THEN s.created + interval '2 hours' END,
       'bench', s.created, s.created + interval '3 days', 1,
       CASE WHEN s.status NOT IN ('submitted','pending_second_review','rejected')
            THEN p.order_date + v.payment_terms_days END,
       CASE WHEN s.status = 'completed' THEN s.created + interval '6 days' END,
       CASE WHEN s.status = 'cancelled' THEN s.created + interval '1 day' END
FROM plan p
JOIN customer_view v ON v.customer_id = p.cid
JOIN (SELECT o, sum(l.quantity * i.unit_price) AS total,
             sum(l.quantity * i.list_price) AS list_total, sum(l.quantity) AS qty
      FROM plan_lines l JOIN catalog_item_view i
        ON i.customer_id = md5('c' || l.c)::uuid AND i.product_id = md5('p' || l.m)::uuid
      GROUP BY o) t ON t.o = p.o,
LATERAL (SELECT :today - p.order_date AS age, pg_temp.h('st' || p.o) % 100 AS r,
                pg_temp.h('pay' || p.o) % 100 AS pay,
                (p.order_date + time '08:30' + (pg_temp.h('t' || p.o) % 36000) * interval '1 s')
                  AT TIME ZONE 'Asia/Shanghai' AS created) AS a,
LATERAL (SELECT a.age, a.pay, a.created,
                CASE WHEN a.age > 30 THEN
                       CASE WHEN a.r < 88 THEN 'completed' WHEN a.r < 92 THEN 'shipped'
                            WHEN a.r < 97 THEN 'cancelled' ELSE 'rejected' END
                     WHEN a.age > 6 THEN
                       CASE WHEN a.r < 50 THEN 'completed' WHEN a.r < 75 THEN 'shipped'
                            WHEN a.r < 83 THEN 'processing' WHEN a.r < 88 THEN 'partially_shipped'
                            WHEN a.r < 90 THEN 'received' WHEN a.r < 95 THEN 'cancelled'
                            ELSE 'rejected' END
                     ELSE
                       CASE WHEN a.r < 40 THEN 'submitted'
                            WHEN a.r < 45 THEN 'pending_second_review'
                            WHEN a.r < 75 THEN 'processing' WHEN a.r < 88 THEN 'shipped'
                            WHEN a.r < 92 THEN 'cancellation_requested'
                            WHEN a.r < 96 THEN 'approved' ELSE 'rejected' END
                END AS status) AS s
"""

LINES = """
INSERT INTO order_lines (id, order_id, position, product_id, name, model, quantity,
                         unit_price, list_price, line_total)
SELECT md5('l' || l.o || '-' || l.k)::uuid, md5('o' || l.o)::uuid, l.k, i.product_id, i.name,
       i.model, l.quantity, i.unit_price, i.list_price, l.quantity * i.unit_price
FROM plan_lines l
JOIN catalog_item_view i
  ON i.customer_id = md5('c' || l.c)::uuid AND i.product_id = md5('p' || l.m)::uuid
"""

# Paid orders: one payment (now and then two), by the methods the payments package knows.
PAYMENTS = """
INSERT INTO payments (id, order_id, amount, paid_on, method, reference, recorded_by,
                      created_at)
SELECT md5('pay' || o.id || k)::uuid, o.id,
       CASE WHEN two AND k = 1 THEN round(o.paid_total / 2, 2)
            WHEN two THEN o.paid_total - round(o.paid_total / 2, 2) ELSE o.paid_total END,
       least(:today, o.order_date + 3 + pg_temp.h('pd' || o.id || k) % 25 + k),
       (ARRAY['bank_transfer','bank_transfer','bank_transfer','wechat_pay','alipay','cash'])
         [1 + pg_temp.h('pm' || o.id) % 6],
       CASE WHEN pg_temp.h('pm' || o.id) % 6 < 3 THEN 'BT' || substr(md5(o.id::text), 1, 12) END,
       'bench', o.created_at + interval '3 days' + k * interval '1 day'
FROM (SELECT *, paid_total >= 2 AND pg_temp.h('two' || id) % 10 = 0 AS two
      FROM orders WHERE paid_total > 0) o,
     generate_series(1, 2) AS k
WHERE k = 1 OR two
"""

FOLLOW_UPS = """
INSERT INTO anomaly_follow_ups (id, customer_id, due_date, status, note, recorded_by,
                                recorded_at)
SELECT md5('fu' || c || k)::uuid, md5('c' || c)::uuid, :today - 5 - c % 20,
       (ARRAY['contacted','will_order','lost','resolved'])[1 + (c + k) % 4],
       (ARRAY['已电话联系采购，库存还够','客户说月底补单','客户转用其他品牌','已下单'])
         [1 + (c + k) % 4],
       'bench', now() - (4 - k) * interval '1 day'
FROM generate_series(1, :customers, 37) AS c, generate_series(1, 3) AS k
WHERE k <= 1 + c % 3
"""

SNAPSHOTS = """
INSERT INTO anomaly_snapshots (day, area, customers)
SELECT d::date, a, 5 + pg_temp.h(a || d::date) % 12
                   + (:customers / 1000) * (1 + extract(doy FROM d)::int % 5)
FROM generate_series(:today - 729, :today - 1, interval '1 day') AS d, unnest(:areas) AS a
"""


def sql(statement: str):
    """The statement with its parameters' types spelled out (asyncpg infers none from
    `:today - 729` or `(:areas)[1]`)."""
    for name, kind in (("today", "date"), ("areas", "text[]"), ("models", "text[]"),
                       ("names", "text[]"), ("prices", "text[]"), ("categories", "text[]")):
        statement = statement.replace(f":{name}", f"CAST(:{name} AS {kind})")
    return text(statement)


def _power(orders: int, lines: int) -> float:
    """The exponent p for 1 + floor(6 u^p) lines per order (mean 6/(p+1) + 1/2 about),
    so that the orders planned give a few more lines than asked (then cut exactly)."""
    mean = lines * 1.02 / orders
    return max(0.05, 6 / (mean - 0.5) - 1)


async def fill(db: Database, size: Size, today: date) -> dict[str, int]:
    """Fill the scratch database; returns the row counts."""
    names = {"areas": AREAS, "models": [m[0] for m in MODELS],
             "names": [m[1] for m in MODELS], "prices": [m[2] for m in MODELS],
             "categories": [m[3] for m in MODELS]}
    p = {"today": today, "customers": size.customers, "lines": size.lines}
    steps: list[str] = []
    t = time.perf_counter()

    def step(name: str) -> None:
        nonlocal t
        steps.append(f"{name} {time.perf_counter() - t:.1f}s")
        t = time.perf_counter()

    async with db.engine.begin() as conn:
        # Set-based and fast: the row triggers (frozen reviewed orders, immutable
        # payments, foreign keys) would check each of a million rows one by one.
        await conn.execute(text("SET LOCAL session_replication_role = replica"))
        await conn.execute(text("SET LOCAL work_mem = '256MB'"))
        await conn.execute(sql(FUNCTIONS))
        await conn.execute(sql(CUSTOMERS), {**p, "areas": AREAS})
        await conn.execute(sql(CATALOGUE), {**p, **names})
        step("customers")
        await conn.execute(sql(PLAN), p)
        planned = (await conn.execute(text("SELECT count(*) FROM plan"))).scalar_one()
        power = _power(planned, size.lines)
        for _ in range(20):
            await conn.execute(text("DROP TABLE IF EXISTS plan_lines"))
            await conn.execute(sql(PLAN_LINES), {**p, "power": power})
            made = (await conn.execute(text("SELECT count(*) FROM plan_lines"))).scalar_one()
            if made >= size.lines:
                break
            power *= 0.9  # too few lines planned: more lines per order
        for statement in LINE_QUANTITY.split(";"):
            if statement.strip():
                await conn.execute(sql(statement))
        step("plan")
        await conn.execute(sql(ORDERS), p)
        step("orders")
        await conn.execute(sql(LINES), p)
        step("lines")
        await conn.execute(sql(PAYMENTS), p)
        await conn.execute(sql(FOLLOW_UPS), p)
        await conn.execute(sql(SNAPSHOTS), {**p, "areas": AREAS})
        step("payments etc.")
    async with db.engine.connect() as conn:
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        # The visibility map too (index-only scans), as autovacuum would have done.
        await conn.execute(text("VACUUM ANALYZE"))
        step("vacuum")
        print("  " + ", ".join(steps), flush=True)
        counts = {}
        for name in ("customer_view", "catalog_item_view", "orders", "order_lines",
                     "payments", "anomaly_follow_ups", "anomaly_snapshots"):
            counts[name] = (await conn.execute(
                text(f"SELECT count(*) FROM {name}"))).scalar_one()
    return counts


# ---------------------------------------------------------------------------------------
# The summaries' SQL before the summary tables (A-2 as first written): aggregates over
# orders and lines, measured with `--before` for the ratio.

def _counted(stmt, start: date, end: date, areas: frozenset[str]):
    stmt = stmt.where(Order.order_date >= start, Order.order_date <= end,
                      Order.status.not_in(NOT_COUNTED))
    return stmt.where(in_areas(areas)) if areas else stmt


def _consumable():
    return or_(CatalogItemView.category.is_(None), CatalogItemView.category == "consumable")


class DirectRepository:
    def __init__(self, session) -> None:
        self.session = session

    async def per_customer(self, start: date, end: date, areas: frozenset[str]) -> list:
        stmt = _counted(
            select(Order.customer_id, func.max(CustomerView.customer_number),
                   func.coalesce(func.max(CustomerView.name), func.max(Order.customer_name)),
                   func.max(CustomerView.area), func.sum(Order.total), func.count())
            .join(CustomerView, CustomerView.customer_id == Order.customer_id, isouter=True)
            .group_by(Order.customer_id), start, end, areas)
        return list((await self.session.execute(
            stmt.order_by(func.sum(Order.total).desc(), Order.customer_id))).all())

    def _lines(self, columns: list, start: date, end: date, areas: frozenset[str]):
        return _counted(
            select(*columns).select_from(OrderLine)
            .join(Order, Order.id == OrderLine.order_id)
            .join(CatalogItemView, and_(CatalogItemView.customer_id == Order.customer_id,
                                        CatalogItemView.product_id == OrderLine.product_id),
                  isouter=True)
            .where(_consumable()), start, end, areas)

    async def per_model(self, start: date, end: date, areas: frozenset[str],
                        model: str | None) -> list:
        stmt = self._lines([OrderLine.model, func.max(OrderLine.name),
                            func.sum(OrderLine.quantity), func.sum(OrderLine.line_total)],
                           start, end, areas).group_by(OrderLine.model)
        if model:
            stmt = stmt.where(OrderLine.model == model)
        return list((await self.session.execute(
            stmt.order_by(func.sum(OrderLine.line_total).desc(), OrderLine.model))).all())

    async def model_per_customer(self, start: date, end: date, areas: frozenset[str],
                                 model: str) -> list:
        stmt = self._lines(
            [Order.customer_id, func.max(CustomerView.customer_number),
             func.coalesce(func.max(CustomerView.name), func.max(Order.customer_name)),
             func.max(CustomerView.area), func.sum(OrderLine.line_total),
             func.count(func.distinct(Order.id)), func.sum(OrderLine.quantity)],
            start, end, areas)
        stmt = (stmt.join(CustomerView, CustomerView.customer_id == Order.customer_id,
                          isouter=True)
                .where(OrderLine.model == model).group_by(Order.customer_id))
        return list((await self.session.execute(
            stmt.order_by(func.sum(OrderLine.line_total).desc(), Order.customer_id))).all())

    # the dashboards' figures as they were first written (X-4)
    async def per_month(self, start: date, end: date, areas: frozenset[str]) -> list:
        month = func.date_trunc("month", Order.order_date).cast(Date).label("month")
        stmt = _counted(select(month, func.count(), func.sum(Order.total)), start, end,
                        areas).group_by(month).order_by(month)
        return list((await self.session.execute(stmt)).all())

    async def per_area(self, start: date, end: date, areas: frozenset[str]) -> list:
        stmt = _counted(
            select(CustomerView.area, func.count(), func.sum(Order.total))
            .select_from(Order)
            .join(CustomerView, CustomerView.customer_id == Order.customer_id, isouter=True),
            start, end, areas).group_by(CustomerView.area)
        stmt = stmt.order_by(func.count().desc(), CustomerView.area.nulls_last())
        return list((await self.session.execute(stmt)).all())

    async def top_models(self, start: date, end: date, areas: frozenset[str], *,
                         by_amount: bool = True, limit: int | None = None,
                         model: str | None = None) -> list:
        quantity, amount = func.sum(OrderLine.quantity), func.sum(OrderLine.line_total)
        first, second = (amount, quantity) if by_amount else (quantity, amount)
        stmt = (self._lines([OrderLine.model, func.max(OrderLine.name), quantity, amount],
                            start, end, areas)
                .group_by(OrderLine.model)
                .order_by(first.desc(), second.desc(), OrderLine.model).limit(limit))
        return list((await self.session.execute(stmt)).all())


# ---------------------------------------------------------------------------------------
# The rollups must be exact: compared with the aggregates of the base tables after
# changes of every kind made through the triggers (an
# order placed, lines changed, orders cancelled, paid, moved in time; a customer moving
# area; products changing category), in a transaction rolled back afterwards.

ROLLUP_DIFF = """
SELECT 'analysis_order_days', count(*) FROM (
  (SELECT day, area, status, sum(orders) n, sum(amount) a, sum(payable) p, sum(paid) d,
          sum(quantity) q
   FROM analysis_order_days GROUP BY 1, 2, 3 HAVING sum(orders) <> 0
   EXCEPT
   SELECT o.order_date, coalesce(v.area, ''), o.status, count(*), sum(o.total),
          sum(o.total - o.points_used), sum(o.paid_total), sum(o.total_quantity)
   FROM orders o LEFT JOIN customer_view v ON v.customer_id = o.customer_id
   GROUP BY 1, 2, 3)
  UNION ALL
  (SELECT o.order_date, coalesce(v.area, ''), o.status, count(*), sum(o.total),
          sum(o.total - o.points_used), sum(o.paid_total), sum(o.total_quantity)
   FROM orders o LEFT JOIN customer_view v ON v.customer_id = o.customer_id
   GROUP BY 1, 2, 3
   EXCEPT
   SELECT day, area, status, sum(orders), sum(amount), sum(payable), sum(paid),
          sum(quantity)
   FROM analysis_order_days GROUP BY 1, 2, 3 HAVING sum(orders) <> 0)) d
UNION ALL
SELECT 'analysis_line_area_days', count(*) FROM (
  (SELECT day, area, category, model, name, sum(lines), sum(quantity), sum(amount)
   FROM analysis_line_area_days GROUP BY 1, 2, 3, 4, 5 HAVING sum(lines) <> 0
   EXCEPT
   SELECT * FROM base)
  UNION ALL
  (SELECT * FROM base
   EXCEPT
   SELECT day, area, category, model, name, sum(lines), sum(quantity), sum(amount)
   FROM analysis_line_area_days GROUP BY 1, 2, 3, 4, 5 HAVING sum(lines) <> 0)) d
UNION ALL
SELECT 'analysis_line_days', count(*) FROM (
  (SELECT day, category, model, name, sum(lines), sum(quantity), sum(amount)
   FROM analysis_line_days GROUP BY 1, 2, 3, 4 HAVING sum(lines) <> 0
   EXCEPT
   SELECT day, category, model, name, sum(n), sum(q), sum(a) FROM base GROUP BY 1, 2, 3, 4)
  UNION ALL
  (SELECT day, category, model, name, sum(n), sum(q), sum(a) FROM base GROUP BY 1, 2, 3, 4
   EXCEPT
   SELECT day, category, model, name, sum(lines), sum(quantity), sum(amount)
   FROM analysis_line_days GROUP BY 1, 2, 3, 4 HAVING sum(lines) <> 0)) d
"""
ROLLUP_BASE = """
CREATE TEMP TABLE base ON COMMIT DROP AS
SELECT o.order_date AS day, coalesce(v.area, '') AS area,
       coalesce(i.category, 'consumable') AS category, l.model, l.name, count(*) AS n,
       sum(l.quantity) AS q, sum(l.line_total) AS a
FROM order_lines l JOIN orders o ON o.id = l.order_id
LEFT JOIN customer_view v ON v.customer_id = o.customer_id
LEFT JOIN catalog_item_view i ON i.customer_id = o.customer_id
                             AND i.product_id = l.product_id
WHERE o.status NOT IN ('cancelled', 'rejected')
GROUP BY 1, 2, 3, 4, 5
"""
# Changes of every kind, as the services make them (one statement each).
CHANGES = [
    # an order placed today with two lines (a submitted order: its lines may change)
    """INSERT INTO orders (id, number, customer_id, customer_name, source, status,
                           order_date, delivery_date, bill_type, total, list_total,
                           total_quantity, paid_total, invoiced, created_by, version)
       SELECT md5('verify-o')::uuid, 'VERIFY-1', customer_id, name, 'portal', 'submitted',
              :today, :today + 3, 'none', 0, 0, 0, 0, false, 'verify', 1
       FROM customer_view ORDER BY customer_id LIMIT 1""",
    """INSERT INTO order_lines (id, order_id, position, product_id, name, model, quantity,
                                unit_price, list_price, line_total)
       SELECT md5('verify-l' || n)::uuid, md5('verify-o')::uuid, n, i.product_id, i.name,
              i.model, 2 + n, i.unit_price, i.list_price, (2 + n) * i.unit_price
       FROM (SELECT *, row_number() OVER (ORDER BY product_id) AS n FROM catalog_item_view
             WHERE customer_id = (SELECT customer_id FROM orders WHERE number = 'VERIFY-1'))
            i WHERE n <= 2""",
    """UPDATE orders o SET total = s.t, list_total = s.t, total_quantity = s.q
       FROM (SELECT sum(line_total) t, sum(quantity) q FROM order_lines
             WHERE order_id = md5('verify-o')::uuid) s WHERE o.number = 'VERIFY-1'""",
    # the customer changes the order: one line more of the first product, the second
    # dropped
    """UPDATE order_lines SET quantity = quantity + 1, line_total = line_total + unit_price
       WHERE id = md5('verify-l1')::uuid""",
    "DELETE FROM order_lines WHERE id = md5('verify-l2')::uuid",
    # reviewed, paid in part, moved to yesterday; orders cancelled and rejected
    "UPDATE orders SET order_date = :today - 1 WHERE number = 'VERIFY-1'",
    "UPDATE orders SET status = 'processing', paid_total = total / 2 WHERE number = 'VERIFY-1'",
    """UPDATE orders SET status = 'cancelled' WHERE id IN (
         SELECT id FROM orders WHERE status = 'processing' ORDER BY id LIMIT 20)""",
    """UPDATE orders SET status = 'rejected' WHERE id IN (
         SELECT id FROM orders WHERE status = 'submitted' ORDER BY id LIMIT 5)""",
    """UPDATE orders SET paid_total = total WHERE id IN (
         SELECT id FROM orders WHERE status = 'shipped' AND paid_total < total
         ORDER BY id LIMIT 30)""",
    # an order of a customer the read model does not know yet (filed under no area),
    # then the customer arrives
    """INSERT INTO orders (id, number, customer_id, customer_name, source, status,
                           order_date, delivery_date, bill_type, total, list_total,
                           total_quantity, paid_total, invoiced, created_by, version)
       VALUES (md5('verify-o2')::uuid, 'VERIFY-2', md5('verify-c')::uuid, '新客户',
               'staff', 'submitted', :today - 3, :today, 'none', 90, 90, 3, 0, false,
               'verify', 1)""",
    """INSERT INTO order_lines (id, order_id, position, product_id, name, model, quantity,
                                unit_price, list_price, line_total)
       VALUES (md5('verify-l3')::uuid, md5('verify-o2')::uuid, 1, md5('p0')::uuid,
               'UV 墨水（黑）', 'INK-UV-K-1L', 3, 30, 30, 90)""",
    "UPDATE orders SET status = 'completed' WHERE number = 'VERIFY-2'",
    """INSERT INTO customer_view (customer_id, name, area, status)
       VALUES (md5('verify-c')::uuid, '新客户', '海南', 'approved')""",
    # as the customer events write it: an upsert that changes the area
    """INSERT INTO customer_view (customer_id, name, status, area)
       SELECT customer_id, name, status, '台湾' FROM customer_view
       ORDER BY customer_id OFFSET 11 LIMIT 1
       ON CONFLICT (customer_id) DO UPDATE SET area = excluded.area""",
    # a customer moves to another area; another one leaves the read model's areas
    """UPDATE customer_view SET area = '西藏' WHERE customer_id IN (
         SELECT customer_id FROM customer_view ORDER BY customer_id LIMIT 3)""",
    """UPDATE customer_view SET area = NULL WHERE customer_id IN (
         SELECT customer_id FROM customer_view ORDER BY customer_id DESC LIMIT 1)""",
    # products change category for a customer, one disappears from its catalogue, and
    # the catalogue is replaced as on approval (delete all, insert again)
    """UPDATE catalog_item_view SET category = 'accessory' WHERE (customer_id, product_id)
       IN (SELECT customer_id, product_id FROM catalog_item_view
           WHERE category = 'consumable' ORDER BY customer_id, product_id LIMIT 10)""",
    """UPDATE catalog_item_view SET category = NULL WHERE (customer_id, product_id)
       IN (SELECT customer_id, product_id FROM catalog_item_view
           WHERE category = 'machine' ORDER BY customer_id, product_id LIMIT 5)""",
    """DELETE FROM catalog_item_view WHERE (customer_id, product_id) IN (
         SELECT customer_id, product_id FROM catalog_item_view WHERE category = 'accessory'
         ORDER BY customer_id DESC, product_id LIMIT 4)""",
    # a price event's upsert that changes the category
    """INSERT INTO catalog_item_view
       SELECT customer_id, product_id, name, model, unit_price, list_price, active, 'machine'
       FROM catalog_item_view WHERE category = 'consumable'
       ORDER BY customer_id DESC, product_id OFFSET 3 LIMIT 2
       ON CONFLICT (customer_id, product_id) DO UPDATE SET category = excluded.category""",
    """CREATE TEMP TABLE catalogue ON COMMIT DROP AS SELECT * FROM catalog_item_view
       WHERE customer_id = (SELECT customer_id FROM customer_view ORDER BY customer_id
                            OFFSET 7 LIMIT 1)""",
    "DELETE FROM catalog_item_view WHERE customer_id = (SELECT customer_id FROM catalogue LIMIT 1)",
    "INSERT INTO catalog_item_view SELECT * FROM catalogue",
]


async def verify(db: Database, today: date) -> list[str]:
    """The rollups against the base tables after CHANGES, and once folded (rolled
    back).
    Returns the differences found (none when exact)."""
    problems: list[str] = []

    async def compare(conn, when: str) -> None:
        for table, n in (await conn.execute(text(ROLLUP_DIFF))).all():
            if n:
                problems.append(f"{when}: {table} differs from the base tables in {n} rows")

    async with db.engine.connect() as conn:
        async with conn.begin() as tx:
            for statement in CHANGES:
                await conn.execute(sql(statement), {"today": today}
                                   if ":today" in statement else {})
            await conn.execute(text(ROLLUP_BASE))  # what the rollups must sum to
            await compare(conn, "after the changes")
            await conn.execute(text("SELECT analysis_compact(true)"))
            await compare(conn, "after folding")
            await tx.rollback()
    return problems


# ---------------------------------------------------------------------------------------
# The routes and their parameter sets.

SECRET = "bench-internal-token-secret-0123456789abcdef"  # only this process checks it
STAFF = Principal(subject=str(uuid.uuid4()), kind="staff", username="bench",
                  # every permission, as an administrator: what is measured is the
                  # analysis, not the permission checks (reports:query is among them)
                  permissions=frozenset({"*", "reports:query"}), sensitive=True)
AREA_STAFF = Principal(subject=str(uuid.uuid4()), kind="staff", username="bench-area",
                       permissions=frozenset({"*", "reports:query"}),
                       areas=frozenset(STAFF_AREAS), sensitive=True)


@dataclass
class Case:
    route: str          # the path as declared
    label: str          # which parameter set
    url: str
    params: dict[str, Any]
    principal: Principal
    export: bool = False
    times_ms: list[float] = field(default_factory=list)
    status: int | None = None
    error: str | None = None

    def quantile(self, q: float) -> float:
        xs = sorted(self.times_ms)
        if not xs:
            return float("nan")
        return xs[min(len(xs) - 1, max(0, round(q * len(xs) + 0.5) - 1))]

    @property
    def p50(self) -> float:
        return statistics.median(self.times_ms) if self.times_ms else float("nan")

    @property
    def p95(self) -> float:
        return self.quantile(0.95)

    @property
    def max(self) -> float:
        return max(self.times_ms) if self.times_ms else float("nan")


@dataclass
class Samples:
    """Values from the data for path and filter parameters."""

    customer_id: uuid.UUID
    model: str
    area: str = STAFF_AREAS[0]


def _enum(schema: dict[str, Any]) -> list[Any]:
    """The values a query parameter allows, from its OpenAPI schema (Literal, Enum)."""
    if "enum" in schema:
        return list(schema["enum"])
    for option in schema.get("anyOf", []) + schema.get("allOf", []):
        if values := _enum(option):
            return values
    return []


# Filters the bench knows how to fill, by query parameter name, in order of preference.
def _known_filters(s: Samples) -> dict[str, Any]:
    return {"model": s.model, "area": s.area, "grade": "large", "status": "completed",
            "payment_method": "bank_transfer", "method": "bank_transfer",
            "paid": "unpaid", "payment": "overdue", "payment_status": "overdue",
            "min_amount": "1000", "amount_min": "1000", "customer_id": str(s.customer_id),
            "customer": str(s.customer_id)}


def cases_for(app, today: date, s: Samples, max_filters: int = 2) -> list[Case]:
    cases: list[Case] = []
    year_ago, two_years = today - timedelta(days=364), today - timedelta(days=729)
    doc = app.openapi()
    for path, operations in doc["paths"].items():
        if not path.startswith(PREFIX) or "get" not in operations:
            continue
        url = path
        if "{" in url:
            if "{customer_id}" not in url or url.count("{") > 1:
                cases.append(Case(path, "skipped: unknown path parameter", url, {},
                                  STAFF, error="path parameter"))
                continue
            url = url.replace("{customer_id}", str(s.customer_id))
        export = path.endswith((".xlsx", ".csv")) or "export" in path
        fields = {p["name"]: p.get("schema", {}) for p in operations["get"].get(
            "parameters", []) if p.get("in") == "query"}
        sets: list[tuple[str, dict[str, Any], Principal]] = [("default", {}, STAFF)]
        period: dict[str, Any] = {}
        label = "12 months"
        if export and {"from", "to"} <= fields.keys():
            # an export is at most 100,000 orders: a month of them
            period = {"from": (today - timedelta(days=30)).isoformat(),
                      "to": today.isoformat()}
            sets = [("1 month", period, STAFF)]
            label = "1 month"
        elif {"from", "to"} <= fields.keys():
            period = {"from": year_ago.isoformat(), "to": today.isoformat()}
            sets += [("12 months", period, STAFF),
                     ("2 years", {"from": two_years.isoformat(), "to": today.isoformat()},
                      STAFF)]
        elif "months" in fields:
            period = {"months": 12}
            sets += [("12 months", period, STAFF), ("24 months", {"months": 24}, STAFF)]
        known = _known_filters(s)
        filters = 0
        for name, f in fields.items():
            if filters >= max_filters or name in ("from", "to", "months"):
                continue
            value = known.get(name)
            allowed = [v for v in _enum(f) if v != f.get("default")]
            if allowed and value not in allowed:
                value = allowed[0]
            if value is None or name in ("lang", "format", "order", "direction"):
                continue
            sets.append((f"{label + ', ' if period else ''}{name}={value}",
                         {**period, name: value}, STAFF))
            filters += 1
        sets.append((f"{label + ', ' if period else ''}areas {'+'.join(STAFF_AREAS)}",
                     dict(period), AREA_STAFF))
        for label, params, principal in sets:
            cases.append(Case(path, label, url, params, principal, export=export))
    return cases


async def measure(app, cases: list[Case], repeat: int, warmup: int) -> None:
    headers = {p: {HEADER: sign_internal_token(p, SECRET, ttl=24 * 3600)}
               for p in (STAFF, AREA_STAFF)}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://order",
                                 timeout=120) as client:
        for case in cases:
            if case.error:
                continue
            n = max(3, repeat // 5) if case.export else repeat
            for i in range(warmup + n):
                started = time.perf_counter()
                r = await client.get(case.url, params=case.params,
                                     headers=headers[case.principal])
                _ = r.content
                elapsed = (time.perf_counter() - started) * 1000
                case.status = r.status_code
                if r.status_code != 200:
                    case.error = f"{r.status_code}: {r.text[:160]}"
                    break
                if i >= warmup:
                    case.times_ms.append(elapsed)
            mark = "" if case.error else f"p95 {case.p95:7.1f} ms"
            print(f"  {case.route:<55} {case.label:<38} {mark}{case.error or ''}",
                  flush=True)


def table(cases: list[Case], before: dict[tuple[str, str], Case] | None = None) -> str:
    head = "| route | parameters | p50 ms | p95 ms | max ms |"
    rule = "|---|---|--:|--:|--:|"
    if before is not None:
        head += " p95 before ms | before/after |"
        rule += "--:|--:|"
    rows = [head, rule]
    for c in cases:
        route = c.route.removeprefix(PREFIX) or "/"
        if c.error:
            row = f"| `{route}` | {c.label} | — | — | — | {c.error[:80]} |"
            rows.append(row)
            continue
        over = " **over**" if c.p95 > TARGET_MS and not c.export else ""
        row = (f"| `{route}` | {c.label} | {c.p50:.0f} | {c.p95:.0f}{over} | "
               f"{c.max:.0f} |")
        if before is not None:
            b = before.get((c.route, c.label))
            if b is None or b.error or not b.times_ms:
                row += " — | — |"
            else:
                row += f" {b.p95:.0f} | {b.p95 / c.p95:.1f}× |"
        rows.append(row)
    return "\n".join(rows)


# ---------------------------------------------------------------------------------------

async def samples(db: Database) -> Samples:
    """A customer with many orders (its routes read the most), in the areas of the
    area-bound staff, and the most ordered model."""
    async with db.engine.connect() as conn:
        cid = (await conn.execute(text(
            "SELECT customer_id FROM orders WHERE customer_id IN "
            "(SELECT customer_id FROM customer_view WHERE area = :area) "
            "GROUP BY customer_id ORDER BY count(*) DESC, customer_id LIMIT 1"),
            {"area": STAFF_AREAS[0]})).scalar_one()
        model = (await conn.execute(text(
            "SELECT model FROM order_lines GROUP BY model "
            "ORDER BY count(*) DESC, model LIMIT 1"))).scalar_one()
    return Samples(customer_id=cid, model=model)


def build_app(url: str):
    return create_app(Settings(database_url=url, internal_token_secret=SECRET,
                               environment="test", log_level="WARNING", log_json=False,
                               otel_exporter="none", payment_provider="none"))


async def run_phase(url: str, today: date, s: Samples, repeat: int, warmup: int,
                    patch_before: bool = False) -> list[Case]:
    app = build_app(url)
    # Before: every analysis module that sums through AnalysisRepository (the summaries,
    # the dashboards) uses the SQL of before instead.
    patched = [m for m in list(sys.modules.values())
               if getattr(m, "__name__", "").startswith("order_service.analysis.")
               and getattr(m, "AnalysisRepository", None) is AnalysisRepository
               ] if patch_before else []
    for module in patched:
        module.AnalysisRepository = DirectRepository
    try:
        async with app.router.lifespan_context(app):
            cases = cases_for(app, today, s)
            await measure(app, cases, repeat, warmup)
    finally:
        for module in patched:
            module.AnalysisRepository = AnalysisRepository
    return cases


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next((int(line.split()[1]) // 1024 // 1024 for line in
                Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0)
    return f"{os.cpu_count()} cores ({cpu}), {mem} GB RAM, Python {platform.python_version()}"


async def main(args: argparse.Namespace) -> None:
    configure_logging("bench", "WARNING", json=False)
    size = SIZES[args.size]
    today = business_date()
    url = args.reuse or f"{PG}/dinghuo_bench_analysis_{uuid.uuid4().hex[:6]}"
    if not args.reuse:
        await create_database(url, drop_first=True)
    db = Database(url)
    try:
        async with db.engine.connect() as conn:
            version = (await conn.execute(text("SHOW server_version"))).scalar_one()
        print(f"machine: {machine()}, PostgreSQL {version}")
        before = None
        if not args.reuse:
            # The data goes in at the schema before the analysis indexes and summary
            # tables; the last migrations then build them from it, as in production.
            await asyncio.to_thread(upgrade, ALEMBIC_INI, url, BEFORE_REVISION)
            t0 = time.perf_counter()
            counts = await fill(db, size, today)
            print(f"filled in {time.perf_counter() - t0:.0f} s: "
                  + ", ".join(f"{k} {v:,}" for k, v in counts.items()), flush=True)
        s = await samples(db)
        if args.before and not args.reuse:
            print("before (schema f7a9b1c3d626, summaries by direct aggregates):")
            cases = await run_phase(url, today, s, max(5, args.repeat // 3), 1,
                                    patch_before=True)
            before = {(c.route, c.label): c for c in cases}
        t0 = time.perf_counter()
        await asyncio.to_thread(upgrade, ALEMBIC_INI, url, "heads")
        print(f"migrations to the end (analysis indexes and summary tables built from "
              f"the data): {time.perf_counter() - t0:.0f} s", flush=True)
        async with db.engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text("VACUUM ANALYZE"))
            counts = {}
            for name in ("customer_view", "orders", "order_lines"):
                counts[name] = (await conn.execute(
                    text(f"SELECT count(*) FROM {name}"))).scalar_one()
        t0 = time.perf_counter()
        problems = await verify(db, today)
        print(f"rollups checked against the base tables ({time.perf_counter() - t0:.0f} s): "
              + ("; ".join(problems) if problems else "exact"), flush=True)
        print("measured:")
        cases = await run_phase(url, today, s, args.repeat, args.warmup)
        print()
        print(f"{args.size}: {counts['customer_view']:,} customers, {counts['orders']:,} "
              f"orders, {counts['order_lines']:,} order lines; {args.repeat} requests per "
              f"row after {args.warmup} warm-up (exports {max(3, args.repeat // 5)})")
        print(table([c for c in cases if not c.export], before))
        exports = [c for c in cases if c.export]
        if exports:
            print("\nexports (outside the 300 ms target):")
            print(table(exports, before))
        over = [c for c in cases if not c.export and not c.error and c.p95 > TARGET_MS]
        failed = [c for c in cases if c.error and c.status is not None]
        print(f"\n{len(over)} over {TARGET_MS:.0f} ms at p95, {len(failed)} failed")
        if problems:
            raise SystemExit("the rollups are not exact: " + "; ".join(problems))
        if args.keep and not args.reuse:
            print(f"kept: {url}")
    finally:
        await db.dispose()
        if not (args.keep or args.reuse):
            await drop_database(url)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="large")
    parser.add_argument("--repeat", type=int, default=30, help="requests per row")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--before", action="store_true",
                        help="also measure at the schema before the analysis indexes")
    parser.add_argument("--keep", action="store_true",
                        help="keep the scratch database (prints its URL)")
    parser.add_argument("--reuse", metavar="URL",
                        help="measure a database kept before (no fill; kept)")
    asyncio.run(main(parser.parse_args()))
    sys.exit(0)
