"""Integration (C-7, N-3): staff bound to areas see only the prompts of their areas'
customers — in the list, the unread count, the stream, by id and when marking all read —
and the prompts about no customer; staff bound to no area see every prompt. A prompt
takes its area from the event (a statement's `area`) or from the customer read model,
and follows the customer when its area becomes known or changes. The database is shared
by the session, so each test uses areas of its own."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime
from decimal import Decimal

from dinghuo_contracts import CustomerApproved, CustomerUpdated, StatementDisputed
from notify_service.prompts.domain import Notice
from notify_service.prompts.repository import PromptRepository
from notify_service.prompts.stream import PromptStream
from servicekit.testing import helpers as h
from sqlalchemy import text

from .notify_fixtures import known_customer, rows
from .test_notify_api import deliver, submitted
from .test_prompt_stream import parse

URL = "/api/console/prompts"


def new_area() -> str:
    return f"区{uuid.uuid4().hex[:8]}"


async def order_prompt_of(notify_db, customer_id: uuid.UUID | None = None) -> tuple[str, str]:
    """A new-order prompt about the customer: (prompt id, order id)."""
    ev = submitted(customer_id=customer_id)
    await deliver(notify_db, ev)
    [row] = await rows(notify_db, "SELECT id FROM staff_prompts WHERE data->>'order_id' = :o",
                       o=str(ev.order_id))
    return str(row["id"]), str(ev.order_id)


async def general_prompt(notify_db) -> str:
    """A prompt about no customer (a failed delivery of a staff user's reset code)."""
    async with notify_db.sessionmaker() as session, session.begin():
        pid = await PromptRepository(session).add_once(uuid.uuid4(), Notice(
            kind="delivery_failed", message="短信发送失败", message_en="SMS failed",
            data={"delivery_id": str(uuid.uuid4()), "customer_id": None}),
            datetime.now(UTC))
    return str(pid)


async def listed(client, **params) -> tuple[set[str], int, int]:
    r = await client.get(URL, params={"limit": 200, **params})
    assert r.status_code == 200, r.text
    return ({p["id"] for p in r.json()}, int(r.headers["x-total-count"]),
            int(r.headers["x-unread-count"]))


class TestPromptAreas:
    async def test_prompt_area_from_read_model_or_event_C7(self, notify_db):
        east = new_area()
        cid = await known_customer(notify_db, area=east)
        pid, _ = await order_prompt_of(notify_db, cid)
        unknown_pid, _ = await order_prompt_of(notify_db)  # a customer notify does not know
        south, disputing = new_area(), uuid.uuid4()  # not in the read model
        await deliver(notify_db, StatementDisputed(
            customer_id=disputing, customer_name="外地客户", area=south, month="2026-11",
            opening_balance=Decimal("0"), closing_balance=Decimal("801.50"),
            note="金额不对", disputed_by="buyer", disputed_at=datetime.now(UTC)))
        got = {str(r["id"]): r for r in await rows(
            notify_db, "SELECT id, customer_id, area FROM staff_prompts "
            "WHERE id = ANY(CAST(:ids AS uuid[]))", ids=[pid, unknown_pid])}
        assert got[pid]["area"] == east and got[pid]["customer_id"] == cid
        assert got[unknown_pid]["area"] is None and got[unknown_pid]["customer_id"]
        [statement] = await rows(notify_db, "SELECT kind, area FROM staff_prompts "
                                 "WHERE customer_id = :c", c=disputing)
        assert statement == {"kind": "statement_disputed", "area": south}

    async def test_area_bound_staff_see_only_their_areas_unbound_see_all_C7(
            self, notify_app, notify_db):
        east, north = new_area(), new_area()
        mine, _ = await order_prompt_of(notify_db, await known_customer(notify_db, area=east))
        theirs, _ = await order_prompt_of(notify_db,
                                          await known_customer(notify_db, area=north))
        unknown, _ = await order_prompt_of(notify_db)  # customer's area unknown: hidden
        general = await general_prompt(notify_db)  # about no customer: everyone's

        async with h.client(notify_app, h.staff(username="east", areas=(east,))) as s:
            ids, total, unread = await listed(s)
            assert mine in ids and general in ids
            assert theirs not in ids and unknown not in ids
            # every prompt it sees is its area's or about no customer
            seen = await rows(notify_db, "SELECT area, customer_id FROM staff_prompts "
                              "WHERE id = ANY(CAST(:ids AS uuid[]))", ids=list(ids))
            assert all(r["area"] == east or (r["area"] is None and r["customer_id"] is None)
                       for r in seen)
            [counted] = await rows(
                notify_db, "SELECT count(*) AS n, count(*) FILTER (WHERE read_at IS NULL) "
                "AS unread FROM staff_prompts WHERE area = :a OR (area IS NULL AND "
                "customer_id IS NULL)", a=east)
            assert (total, unread) == (counted["n"], counted["unread"])
            # by id: another area's prompt is not there
            r = await s.post(f"{URL}/{theirs}/read")
            assert r.status_code == 404 and r.json()["detail"] == "Prompt not found"
            r = await s.post(f"{URL}/{unknown}/read")
            assert r.status_code == 404
            r = await s.post(f"{URL}/{mine}/read")
            assert r.status_code == 200 and r.json()["read_at"] is not None

        async with h.client(notify_app, h.staff(username="boss")) as s:  # no area limit
            ids, _, _ = await listed(s)
        assert {mine, theirs, unknown, general} <= ids

        async with h.client(notify_app, h.staff(username="both", areas=(east, north))) as s:
            ids, _, _ = await listed(s, kind="new_order")
        assert {mine, theirs} <= ids and unknown not in ids

    async def test_mark_all_read_marks_only_the_prompts_the_staff_see_C7(
            self, notify_app, notify_db):
        east, north = new_area(), new_area()
        mine, _ = await order_prompt_of(notify_db, await known_customer(notify_db, area=east))
        theirs, _ = await order_prompt_of(notify_db,
                                          await known_customer(notify_db, area=north))
        async with h.client(notify_app, h.staff(username="east", areas=(east,))) as s:
            r = await s.post(f"{URL}/read-all")
            assert r.status_code == 200 and r.json()["marked"] >= 1
            ids, _, unread = await listed(s, unread="true")
            assert ids == set() and unread == 0
        state = {str(r["id"]): r for r in await rows(
            notify_db, "SELECT id, read_at, read_by FROM staff_prompts "
            "WHERE id = ANY(CAST(:ids AS uuid[]))", ids=[mine, theirs])}
        assert state[mine]["read_at"] is not None and state[mine]["read_by"] == "east"
        assert state[theirs]["read_at"] is None  # another area's: still unread
        async with h.client(notify_app, h.staff(username="north", areas=(north,))) as s:
            ids, _, unread = await listed(s, unread="true")
        assert theirs in ids and unread >= 1

    async def test_stream_sends_area_bound_staff_only_their_areas_C7(self, notify_db):
        east, north = new_area(), new_area()
        mine_cid = await known_customer(notify_db, area=east)
        theirs_cid = await known_customer(notify_db, area=north)
        east_stream = PromptStream(notify_db.sessionmaker, areas=frozenset({east}))
        all_stream = PromptStream(notify_db.sessionmaker)
        await east_stream.start(None)
        await all_stream.start(None)

        _, mine = await order_prompt_of(notify_db, mine_cid)
        _, theirs = await order_prompt_of(notify_db, theirs_cid)
        _, unknown = await order_prompt_of(notify_db)
        general = await general_prompt(notify_db)

        east_got = [parse(c)["data"] for c in await east_stream.poll()]
        assert [p["data"].get("order_id") for p in east_got if p["kind"] == "new_order"] \
            == [mine]
        assert general in {p["id"] for p in east_got}
        all_orders = {p["data"]["data"].get("order_id") for p in
                      (parse(c) for c in await all_stream.poll())}
        assert {mine, theirs, unknown} <= all_orders

        # Resuming after another area's prompt: it is not there, so the stream starts anew.
        [row] = await rows(notify_db, "SELECT id FROM staff_prompts "
                           "WHERE data->>'order_id' = :o", o=theirs)
        resumed = PromptStream(notify_db.sessionmaker, areas=frozenset({east}))
        await resumed.start(str(row["id"]))
        assert await resumed.poll() == []

    async def test_prompts_follow_the_customer_into_its_area_C7(self, notify_app, notify_db):
        east, north = new_area(), new_area()
        cid = uuid.uuid4()
        pid, _ = await order_prompt_of(notify_db, cid)  # ordered before notify knew it
        async with h.client(notify_app, h.staff(username="east", areas=(east,))) as s:
            assert pid not in (await listed(s))[0]
            await known_customer_as(notify_db, cid, east)
            assert pid in (await listed(s))[0]
            await deliver(notify_db, CustomerUpdated(
                customer_id=cid, customer_number="C9", company_name="搬家客户", area=north,
                status="approved", changed_fields=["area"], changed_by="admin",
                changed_by_kind="staff"))
            assert pid not in (await listed(s))[0]
            assert (await s.post(f"{URL}/{pid}/read")).status_code == 404
        async with h.client(notify_app, h.staff(username="north", areas=(north,))) as s:
            assert pid in (await listed(s))[0]


async def known_customer_as(notify_db, cid: uuid.UUID, area: str) -> None:
    await deliver(notify_db, CustomerApproved(
        customer_id=cid, customer_number="C9", company_name="搬家客户", area=area,
        catalog=[], approved_by="admin"))


async def test_migration_backfills_prompt_areas_from_the_read_model_C7(infra):
    """The migration gives existing prompts their customer and area: the read model's
    area, else the area in their data; an unknown customer's prompt keeps none."""
    from alembic import command
    from servicekit.migrations import alembic_config, create_database, drop_database
    from sqlalchemy.ext.asyncio import create_async_engine

    from .conftest import ALEMBIC_INI

    url = infra.database_url("notify_prompt_areas")
    await create_database(url, drop_first=True)
    cfg = alembic_config(ALEMBIC_INI, url)
    engine = create_async_engine(url)
    known, unknown, registered = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    try:
        await asyncio.to_thread(command.upgrade, cfg, "9a1f3c0d7e21")
        async with engine.begin() as c:
            await c.execute(text("INSERT INTO customer_view (customer_id, name, area) "
                                 "VALUES (:k, '甲', '华东'), (:r, '乙', NULL)"),
                            {"k": known, "r": registered})
            for kind, data in [
                ("new_order", {"customer_id": str(known)}),
                ("new_order", {"customer_id": str(unknown)}),
                ("customer_registered", {"customer_id": str(registered), "area": "华北"}),
                ("delivery_failed", {"customer_id": None}),
            ]:
                await c.execute(text(
                    "INSERT INTO staff_prompts (id, source_event_id, kind, \"window\", "
                    "message, message_en, data) VALUES (:id, :src, :kind, false, 'm', 'm', "
                    "CAST(:data AS jsonb))"),
                    {"id": uuid.uuid4(), "src": uuid.uuid4(), "kind": kind,
                     "data": json.dumps(data)})
        await asyncio.to_thread(command.upgrade, cfg, "head")
        async with engine.connect() as c:
            got = {(r.kind, r.customer_id, r.area) for r in await c.execute(text(
                "SELECT kind, customer_id, area FROM staff_prompts"))}
        assert got == {("new_order", known, "华东"), ("new_order", unknown, None),
                       ("customer_registered", registered, "华北"),
                       ("delivery_failed", None, None)}
        await asyncio.to_thread(command.downgrade, cfg, "9a1f3c0d7e21")
        await asyncio.to_thread(command.upgrade, cfg, "head")
    finally:
        await engine.dispose()
        await drop_database(url)
