"""Staff messages to customers through the gateway, against the running system (N-1,
N-2, C-7): a batch by grade reaches exactly the customers of that grade — in their portal
inbox and, by SMS, through the reference notifier, whose reports fill the batch's delivery
status; area-bound staff reach only their areas; bad input is a 422 with a message."""

from __future__ import annotations

import uuid

from .access_helpers import new_staff, notifier_outbox
from .api import eventually
from .test_slice import PRODUCTS

URL = "/api/console/messages"


async def customer_in(api, admin, area: str):
    cid, user, pw = await api.register(area=area)
    r = await admin.post(f"/api/console/customers/{cid}/approve", json={"products": PRODUCTS})
    assert r.status_code == 200, r.text
    customer = api.as_user()
    await customer.login(user, pw)
    return customer, cid


async def staff_messages(customer) -> list[dict]:
    r = await customer.get("/api/portal/messages", params={"limit": 200})
    assert r.status_code == 200, r.text
    return [m for m in r.json() if m["kind"] == "staff_message"]


class TestBatchMessages:
    async def test_a_batch_by_grade_reaches_exactly_that_grade_N1_N2(self, system, api,
                                                                      admin):
        area = f"测{uuid.uuid4().hex[:6]}"
        large = [await customer_in(api, admin, area) for _ in range(2)]
        normal = await customer_in(api, admin, area)
        for _, cid in large:
            r = await admin.put(f"/api/console/customers/{cid}/grade",
                                json={"grade": "large", "reason": "年度大客户"})
            assert r.status_code == 200, r.text
        wanted = {cid for _, cid in large}

        async def previewed():  # the grades and approvals travel by event
            r = await admin.post(f"{URL}/preview",
                                 json={"filter": {"grade": "large", "area": area}})
            assert r.status_code == 200, r.text
            got = {x["customer_id"] for x in r.json()["recipients"]}
            return r.json() if got == wanted else None

        preview = await eventually(previewed)
        assert preview["count"] == 2

        title = f"新品通知 {uuid.uuid4().hex[:4]}"
        r = await admin.post(URL, json={
            "title": title, "body": "新款墨水 INK-2L 已上市。", "channels": ["inbox", "sms"],
            "filter": {"grade": "large", "area": area}})
        assert r.status_code == 202, r.text
        assert r.json()["recipients"] == 2
        batch_id = r.json()["batch_id"]

        for customer, _ in large:
            [m] = await staff_messages(customer)
            assert m["data"]["title"] == title and "INK-2L" in m["message"]
        assert await staff_messages(normal[0]) == []

        # by SMS through the reference notifier, which reports each one delivered
        async def delivered():
            r = await admin.get(f"{URL}/{batch_id}")
            assert r.status_code == 200, r.text
            return r.json() if r.json()["deliveries"] == {"delivered": 2} else None

        batch = await eventually(delivered)
        sent = [e["data"] for e in notifier_outbox(system)
                if e["data"]["template"] == "staff_message"
                and e["data"]["params"].get("title") == title]
        assert len(sent) == 2 and all(s["channel"] == "sms" for s in sent)
        assert {x["customer_id"] for x in batch["recipient_list"]} == wanted
        # the customers read it: the batch counts it
        r = await large[0][0].post("/api/portal/messages/read-all")
        assert r.status_code == 200
        r = await admin.get(URL)
        [listed] = [b for b in r.json() if b["id"] == batch_id]
        assert (listed["recipients"], listed["read"]) == (2, 1)

    async def test_area_bound_staff_and_bad_input_N1_C7(self, system, api, admin):
        area = f"测{uuid.uuid4().hex[:6]}"
        mine_client, mine = await customer_in(api, admin, area)
        _, other = await customer_in(api, admin, f"{area}外")
        clerk, _ = await new_staff(admin, ["messages:entry", "messages:query"], areas=[area])

        async def known():
            r = await clerk.post(f"{URL}/preview", json={"customer_ids": [mine]})
            return r if r.status_code == 200 else None

        await eventually(known)
        r = await clerk.post(URL, json={"title": "通知", "body": "内容", "channels": ["inbox"],
                                        "customer_ids": [mine, other]})
        assert r.status_code == 422 and other in r.json()["detail"], r.text
        r = await clerk.post(URL, json={"title": "通知", "body": "内容", "channels": ["inbox"],
                                        "filter": {}})
        assert r.status_code == 202, r.text
        assert r.json()["recipients"] >= 1
        r = await clerk.get("/api/console/deliveries", params={"customer_id": other})
        assert r.status_code == 200 and r.json() == []
        for bad, needle in [
            ({"title": "", "body": "x", "channels": ["inbox"], "customer_ids": [mine]},
             "title"),
            ({"title": "x", "body": "x", "channels": ["inbox"], "customer_ids": []},
             "customer_ids is empty"),
            ({"title": "x", "body": "x", "channels": ["inbox"],
              "customer_ids": [str(uuid.uuid4())]}, "Unknown customer"),
        ]:
            r = await admin.post(URL, json=bad)
            assert r.status_code == 422 and needle in r.json()["detail"], r.text
        assert len(await staff_messages(mine_client)) == 1
