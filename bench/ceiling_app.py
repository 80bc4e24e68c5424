"""The one-process ceiling of `bench/orders.py` (issue 16): a minimal FastAPI + asyncpg app
doing the inserts of an order submission — the order, its lines and an outbox row in one
transaction — and nothing else (no gateway, no authentication, no read model, no events
published). Benchmark code only; it is not part of any service.

    CEILING_DSN=postgresql://postgres@127.0.0.1/db uvicorn ceiling_app:app
"""

from __future__ import annotations

import json
import os
import uuid
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from decimal import Decimal

import asyncpg
from fastapi import FastAPI
from pydantic import BaseModel, Field

SCHEMA = """
CREATE TABLE IF NOT EXISTS orders (
    id uuid PRIMARY KEY, number text NOT NULL, customer_id uuid NOT NULL,
    status text NOT NULL, delivery_date date NOT NULL, bill_type text NOT NULL,
    remark text, total numeric(14, 2) NOT NULL, created_at timestamptz NOT NULL);
CREATE TABLE IF NOT EXISTS order_lines (
    id uuid PRIMARY KEY, order_id uuid NOT NULL REFERENCES orders(id), position int NOT NULL,
    product_id uuid NOT NULL, quantity int NOT NULL, unit_price numeric(14, 2) NOT NULL,
    line_total numeric(14, 2) NOT NULL);
CREATE TABLE IF NOT EXISTS outbox (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, event_id uuid NOT NULL UNIQUE,
    event_type text NOT NULL, envelope jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(), sent_at timestamptz);
CREATE SEQUENCE IF NOT EXISTS order_numbers;
"""
PRICE = Decimal("160.30")


class LineIn(BaseModel):
    product_id: uuid.UUID
    quantity: int = Field(gt=0)


class OrderIn(BaseModel):
    delivery_date: date
    bill_type: str
    remark: str | None = None
    lines: list[LineIn] = Field(min_length=1)


pool: asyncpg.Pool | None = None


@asynccontextmanager
async def lifespan(_app: FastAPI):
    global pool
    pool = await asyncpg.create_pool(os.environ["CEILING_DSN"], min_size=4, max_size=20)
    async with pool.acquire() as conn:
        await conn.execute(SCHEMA)
    yield
    await pool.close()


app = FastAPI(lifespan=lifespan)


@app.post("/api/portal/orders", status_code=201)
async def submit(data: OrderIn) -> dict:
    assert pool is not None
    order_id, now = uuid.uuid4(), datetime.now(UTC)
    lines = [(uuid.uuid4(), order_id, i, ln.product_id, ln.quantity, PRICE,
              PRICE * ln.quantity) for i, ln in enumerate(data.lines, start=1)]
    total = sum((ln[6] for ln in lines), Decimal("0"))
    async with pool.acquire() as conn, conn.transaction():
        seq = await conn.fetchval("SELECT nextval('order_numbers')")
        number = f"{now:%Y%m%d}{seq:04d}"
        await conn.execute(
            "INSERT INTO orders (id, number, customer_id, status, delivery_date, bill_type,"
            " remark, total, created_at) VALUES ($1, $2, $3, 'submitted', $4, $5, $6, $7, $8)",
            order_id, number, uuid.UUID(int=0), data.delivery_date, data.bill_type,
            data.remark, total, now)
        await conn.executemany(
            "INSERT INTO order_lines (id, order_id, position, product_id, quantity,"
            " unit_price, line_total) VALUES ($1, $2, $3, $4, $5, $6, $7)", lines)
        envelope = {"type": "order.submitted", "order_id": str(order_id), "number": number,
                    "total": str(total), "submitted_at": now.isoformat()}
        await conn.execute(
            "INSERT INTO outbox (event_id, event_type, envelope) VALUES ($1, $2, $3)",
            uuid.uuid4(), "order.submitted", json.dumps(envelope))
    return {"id": str(order_id), "number": number, "total": str(total)}
