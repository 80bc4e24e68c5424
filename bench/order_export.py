"""Benchmark: the Excel export of 100,000 orders (O-10) — time and peak memory.

A scratch database is built from the order service's real migrations and filled directly
with N orders (1–3 lines each, mixed statuses and payments); then the export used by
`GET /api/console/orders/export.xlsx` writes them all with every column. Memory must stay
flat: the peak traced by tracemalloc is measured for N/10 and N orders and should barely
differ; the process's peak RSS is reported too.

    make bench   (or: uv run python bench/order_export.py [N])
"""

from __future__ import annotations

import asyncio
import os
import resource
import sys
import time
import tracemalloc
import uuid
from datetime import date
from pathlib import Path

from order_service.exports.domain import COLUMNS
from order_service.exports.service import ExportService
from order_service.orders.domain import OrderFilter
from servicekit.db import Database
from servicekit.logging import configure_logging
from servicekit.migrations import create_database, drop_database, upgrade
from sqlalchemy import text

PG = os.environ.get("DINGHUO_BENCH_DATABASE_SERVER",
                    "postgresql+asyncpg://postgres@127.0.0.1:5432")
ALEMBIC_INI = Path(__file__).resolve().parents[1] / "services" / "order" / "alembic.ini"

FILL = """
INSERT INTO orders (id, number, customer_id, customer_name, source, status, order_date,
                    delivery_date, bill_type, remark, total, list_total, total_quantity,
                    paid_total, invoiced, created_by, created_at, updated_at, version)
SELECT md5('o' || i)::uuid,
       'DH' || to_char(date '2026-01-01' + (i % 300), 'YYYYMMDD') || '-' || lpad(i::text, 6, '0'),
       md5('c' || (i % 500))::uuid, '测试客户' || (i % 500), CASE WHEN i % 10 = 0 THEN 'staff'
       ELSE 'portal' END, 'submitted', date '2026-01-01' + (i % 300),
       date '2026-01-04' + (i % 300), (ARRAY['none','ordinary_vat','special_vat'])[1 + i % 3],
       CASE WHEN i % 4 = 0 THEN '请尽快发货' END, 0, 0, 0, 0, i % 5 = 0, 'bench',
       timestamptz '2026-01-01 08:00+08' + (i % 300) * interval '1 day' + i * interval '1 s',
       now(), 1
FROM generate_series(1, :n) AS i
"""
LINES = """
INSERT INTO order_lines (id, order_id, position, product_id, name, model, quantity,
                         unit_price, list_price, line_total)
SELECT md5('l' || i || '-' || k)::uuid, md5('o' || i)::uuid, k, md5('p' || k)::uuid,
       (ARRAY['UV 墨水（黑）','UV 墨水（青）','喷头清洗液'])[k],
       (ARRAY['INK-UV-K-1L','INK-UV-C-1L','CLN-500ML'])[k], 1 + (i + k) % 12,
       (ARRAY[160.30, 168.00, 45.50])[k], 198.00,
       (1 + (i + k) % 12) * (ARRAY[160.30, 168.00, 45.50])[k]
FROM generate_series(1, :n) AS i, generate_series(1, 3) AS k
WHERE k <= 1 + i % 3
"""
TOTALS = """
UPDATE orders o SET total = s.total, list_total = s.list_total, total_quantity = s.qty,
       paid_total = CASE WHEN o.invoiced THEN s.total ELSE 0 END,
       status = (ARRAY['submitted','processing','partially_shipped','shipped','completed',
                       'rejected'])[1 + abs(hashtext(o.number)) % 6],
       reviewed_by = 'bench', reviewed_at = o.created_at + interval '2 hours'
FROM (SELECT order_id, sum(line_total) AS total, sum(list_price * quantity) AS list_total,
             sum(quantity) AS qty FROM order_lines GROUP BY order_id) s
WHERE s.order_id = o.id
"""


async def fill(db: Database, n: int) -> None:
    async with db.engine.begin() as conn:
        await conn.execute(text(FILL), {"n": n})
        await conn.execute(text(LINES), {"n": n})
        await conn.execute(text(TOTALS))
        await conn.execute(text("ANALYZE"))


async def export(db: Database, f: OrderFilter) -> tuple[float, int, int]:
    """(seconds, rows, bytes) of one export with every column."""
    started = time.perf_counter()
    async with db.sessionmaker() as session:
        path, rows = await ExportService(session).export(f, list(COLUMNS), sort="number",
                                                         lang="zh")
    seconds = time.perf_counter() - started
    size = os.path.getsize(path)
    os.unlink(path)
    return seconds, rows, size


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def main(n: int) -> None:
    configure_logging("bench", "WARNING", json=False)
    url = f"{PG}/dinghuo_bench_export_{uuid.uuid4().hex[:6]}"
    await create_database(url, drop_first=True)
    db = Database(url)
    try:
        await asyncio.to_thread(upgrade, ALEMBIC_INI, url)
        t0 = time.perf_counter()
        await fill(db, n)
        print(f"filled {n} orders in {time.perf_counter() - t0:.1f} s")
        rss_before = maxrss_mb()

        seconds, rows, size = await export(db, OrderFilter())
        print(f"export of {rows} orders, {len(COLUMNS)} columns: {seconds:.1f} s "
              f"({rows / seconds:,.0f} rows/s), file {size / 1e6:.1f} MB")
        print(f"peak RSS of the process: {rss_before:.0f} MB before, {maxrss_mb():.0f} MB "
              "after the export")

        peaks = []
        # The orders spread over 300 order dates: the first 30 days are a tenth of them.
        for f in (OrderFilter(date_to=date(2026, 1, 30)), OrderFilter()):
            tracemalloc.start()
            _, rows_k, _ = await export(db, f)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            peaks.append((rows_k, peak))
        for rows_k, peak in peaks:
            print(f"peak Python memory (tracemalloc) exporting {rows_k:>7} orders: "
                  f"{peak / 1e6:.1f} MB")
    finally:
        await db.dispose()
        await drop_database(url)


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))
