"""Integration: staff messages to customers (N-1) — chosen by id or by a filter of grade,
area, overdue payment and ordering cycle due; every recipient gets an inbox message and a
delivery per channel; area-bound staff reach only their areas (C-7); bad input is a 422
with a message."""

import uuid
from datetime import date

from dinghuo_contracts import CustomerOrderingCycleDue, PaymentReceived
from servicekit.testing import helpers as h

from .notify_fixtures import deliver, known_customer, payment_due, rows
from .test_notify_api import submitted

URL = "/api/console/messages"


def body(**recipients) -> dict:
    return {"title": "春节放假通知", "body": "2月10日至17日放假，请提前备货。",
            "channels": ["inbox", "sms"], **recipients}


async def inbox(notify_app, cid) -> list[dict]:
    async with h.client(notify_app, h.customer(cid)) as c:
        r = await c.get("/api/portal/messages")
    assert r.status_code == 200, r.text
    return [m for m in r.json() if m["kind"] == "staff_message"]


class TestBatchByFilter:
    async def test_a_batch_by_grade_reaches_exactly_that_grade_N1(self, notify_app, notify_db):
        area = f"区-{uuid.uuid4().hex[:6]}"
        large = [await known_customer(notify_db, area=area, grade="large") for _ in range(2)]
        normal = await known_customer(notify_db, area=area)
        async with h.client(notify_app, h.staff("messages:entry", "messages:query")) as s:
            f = {"filter": {"grade": "large", "area": area}}
            r = await s.post(f"{URL}/preview", json=f)
            assert r.status_code == 200, r.text
            assert r.json()["count"] == 2
            assert {x["customer_id"] for x in r.json()["recipients"]} == set(map(str, large))
            assert all(x["has_mobile"] and not x["has_wechat"] for x in r.json()["recipients"])
            r = await s.post(URL, json=body(**f))
            assert r.status_code == 202, r.text
            assert r.json()["recipients"] == 2
            batch_id = r.json()["batch_id"]
            detail = await s.get(f"{URL}/{batch_id}")
            assert detail.status_code == 200, detail.text
            d = detail.json()
            assert d["recipients"] == 2 and d["read"] == 0
            assert d["deliveries"] == {"requested": 2}
            assert d["channels"] == ["inbox", "sms"]
            assert "大级别" in d["selection_text"] and area in d["selection_text"]
            assert {x["customer_id"] for x in d["recipient_list"]} == set(map(str, large))
            assert all(x["deliveries"][0]["channel"] == "sms" for x in d["recipient_list"])
            listed = await s.get(URL)
            assert listed.status_code == 200
            assert batch_id in [b["id"] for b in listed.json()]
        for cid in large:
            [m] = await inbox(notify_app, cid)
            assert m["data"]["title"] == "春节放假通知" and "请提前备货" in m["message"]
        assert await inbox(notify_app, normal) == []
        sent = await rows(notify_db, "SELECT envelope FROM outbox WHERE event_type = "
                          "'notify.delivery_requested' AND envelope->'data'->>'template' = "
                          "'staff_message' AND envelope->'data'->>'customer_id' = :c",
                          c=str(large[0]))
        assert sent[0]["envelope"]["data"]["params"] == {
            "title": "春节放假通知", "body": "2月10日至17日放假，请提前备货。"}

    async def test_part_of_an_area_reaches_its_customers_N1_C7(self, notify_app, notify_db):
        """The area is matched as typed: a province reaches its cities; area-bound staff
        still reach only their areas (C-7)."""
        tag = uuid.uuid4().hex[:6]
        sz = await known_customer(notify_db, area=f"广东省{tag}/深圳市")
        gz = await known_customer(notify_db, area=f"广东省{tag}/广州市")
        await known_customer(notify_db, area=f"浙江省{tag}/杭州市")
        async with h.client(notify_app, h.staff("messages:entry", "messages:query")) as s:
            r = await s.post(f"{URL}/preview", json={"filter": {"area": f"广东省{tag}"}})
            assert r.status_code == 200, r.text
            assert {x["customer_id"] for x in r.json()["recipients"]} == {str(sz), str(gz)}
        bound = h.staff("messages:entry", "messages:query", areas=(f"广东省{tag}/广州市",))
        async with h.client(notify_app, bound) as s:
            r = await s.post(f"{URL}/preview", json={"filter": {"area": f"{tag}"}})
            assert r.status_code == 200, r.text
            assert {x["customer_id"] for x in r.json()["recipients"]} == {str(gz)}

    async def test_overdue_and_cycle_due_filters_follow_the_events_N1(self, notify_app,
                                                                       notify_db):
        area = f"区-{uuid.uuid4().hex[:6]}"
        late = await known_customer(notify_db, area=area)
        cycle = await known_customer(notify_db, area=area)
        await known_customer(notify_db, area=area)
        reminder = payment_due(late, stage="overdue", days_overdue=3)
        await deliver(notify_db, reminder)
        await deliver(notify_db, CustomerOrderingCycleDue(
            customer_id=cycle, due_date=date(2026, 11, 30), kind="days", days=30))

        async def chosen(**f) -> set[str]:
            async with h.client(notify_app, h.staff("messages:entry")) as s:
                r = await s.post(f"{URL}/preview", json={"filter": {"area": area, **f}})
            assert r.status_code == 200, r.text
            return {x["customer_id"] for x in r.json()["recipients"]}

        assert await chosen(overdue=True) == {str(late)}
        assert await chosen(cycle_due=True) == {str(cycle)}
        assert len(await chosen(overdue=False)) == 2
        # paid in full: no longer overdue; ordered: no longer due
        await deliver(notify_db, PaymentReceived(
            order_id=reminder.order_id, number=reminder.number, customer_id=late,
            total=reminder.amount_outstanding, amount_paid=reminder.amount_outstanding,
            paid_on=date(2026, 12, 1)))
        assert await chosen(overdue=True) == set()
        await deliver(notify_db, submitted(customer_id=cycle))
        assert await chosen(cycle_due=True) == set()


class TestBatchByIds:
    async def test_named_customers_get_it_N1(self, notify_app, notify_db):
        a, b = await known_customer(notify_db), await known_customer(notify_db, mobile=None)
        async with h.client(notify_app, h.staff("messages:entry")) as s:
            r = await s.post(URL, json=body(customer_ids=[str(a), str(b), str(a)]))
        assert r.status_code == 202, r.text
        assert r.json()["recipients"] == 2
        assert len(await inbox(notify_app, a)) == len(await inbox(notify_app, b)) == 1
        [d] = await rows(notify_db, "SELECT status FROM deliveries WHERE customer_id = :c",
                         c=b)
        assert d["status"] == "no_recipient"

    async def test_bad_input_is_a_422_with_a_message_N1(self, notify_app, notify_db):
        a = await known_customer(notify_db)
        unknown = uuid.uuid4()
        cases = [
            (body(customer_ids=[]), "customer_ids is empty"),
            (body(), "either customer_ids or filter"),
            (body(customer_ids=[str(a)], filter={}), "either customer_ids or filter"),
            (body(customer_ids=[str(a), str(unknown)]), str(unknown)),
            ({**body(customer_ids=[str(a)]), "title": "  "}, "title must not be blank"),
            ({**body(customer_ids=[str(a)]), "title": "标" * 101}, "at most 100"),
            ({**body(customer_ids=[str(a)]), "body": "长" * 2001}, "at most 2000"),
            ({**body(customer_ids=[str(a)]), "channels": []}, "channels"),
            ({**body(customer_ids=[str(a)]), "channels": ["fax"]}, "channels"),
            (body(filter={"area": f"无人区-{uuid.uuid4().hex[:6]}"}), "No customer matches"),
            (body(filter={"grade": "huge"}), "grade"),
        ]
        async with h.client(notify_app, h.staff("messages:entry")) as s:
            for payload, needle in cases:
                r = await s.post(URL, json=payload)
                assert r.status_code == 422, (payload, r.text)
                assert needle in r.json()["detail"], (needle, r.json()["detail"])
        assert len(await inbox(notify_app, a)) == 0  # nothing was sent

    async def test_area_bound_staff_reach_only_their_areas_C7(self, notify_app, notify_db):
        area = f"区-{uuid.uuid4().hex[:6]}"
        mine = await known_customer(notify_db, area=area)
        other = await known_customer(notify_db, area=f"{area}-外")
        staff = h.staff("messages:entry", "messages:query", areas=(area,))
        async with h.client(notify_app, staff) as s:
            r = await s.post(URL, json=body(customer_ids=[str(mine), str(other)]))
            assert r.status_code == 422 and str(other) in r.json()["detail"]
            r = await s.post(f"{URL}/preview", json={"filter": {}})
            assert {x["customer_id"] for x in r.json()["recipients"]} == {str(mine)}
            r = await s.post(URL, json=body(filter={"area": f"{area}-外"}))
            assert r.status_code == 422
            r = await s.post(URL, json=body(filter={}))
            assert r.status_code == 202 and r.json()["recipients"] == 1
            batch_id = r.json()["batch_id"]
        async with h.client(notify_app, h.staff("messages:query", areas=(f"{area}-外",))) as s:
            assert (await s.get(f"{URL}/{batch_id}")).status_code == 404
            assert batch_id not in [b["id"] for b in (await s.get(URL)).json()]
        async with h.client(notify_app, h.staff("messages:query")) as s:
            r = await s.post(URL, json=body(customer_ids=[str(mine)]))
            assert r.status_code == 403
