"""Integration: the service desk's HTTP API and handlers on its real database
(migrations applied), with servicedesk.request_opened written to the outbox (S-1)."""

import uuid
from decimal import Decimal

from dinghuo_contracts import (
    CatalogLine,
    CustomerApproved,
    CustomerRegistered,
    CustomerRejected,
    CustomerUpdated,
)
from servicedesk_service.messaging import registry
from servicekit.testing import helpers as h
from sqlalchemy import text

CONSUMER = "servicedesk"
FAULT = {"machine": "UV 喷码机", "description": "喷头堵塞，打印有断线", "model": "UV-300",
         "machine_number": "SN-0001"}


async def deliver(db, event):
    return await h.deliver(db.sessionmaker, CONSUMER, registry, event)


async def approved_customer(db, name="上海印美") -> uuid.UUID:
    cid = uuid.uuid4()
    await deliver(db, CustomerRegistered(customer_id=cid, customer_number="C0001",
                                         company_name=name, contact_person="张三",
                                         mobile="13800000000", area="华东"))
    await deliver(db, CustomerApproved(
        customer_id=cid, customer_number="C0001", company_name=name, area="华东",
        catalog=[CatalogLine(product_id=uuid.uuid4(), name="墨水", model="INK-1L",
                             unit_price=Decimal("160.30"))], approved_by="admin"))
    return cid


async def outbox_events(db, request_id) -> list[dict]:
    async with db.engine.connect() as c:
        rows = await c.execute(text(
            "SELECT event_type, envelope FROM outbox "
            "WHERE envelope->'data'->>'request_id' = :id ORDER BY seq"), {"id": str(request_id)})
        return [{"type": r[0], **r[1]} for r in rows]


class TestOpenRequest:
    async def test_approved_customer_opens_and_event_in_outbox_S1(
            self, servicedesk_app, servicedesk_db):
        cid = await approved_customer(servicedesk_db)
        async with h.client(servicedesk_app, h.customer(cid)) as c:
            r = await c.post("/api/portal/service-requests", json=FAULT)
        assert r.status_code == 201, r.text
        body = r.json()
        assert body["status"] == "open" and body["replies"] == []
        assert body["machine"] == "UV 喷码机" and body["description"] == FAULT["description"]
        assert body["model"] == "UV-300" and body["customer_name"] == "上海印美"
        assert body["created_at"].endswith(("Z", "+00:00"))
        [event] = await outbox_events(servicedesk_db, body["id"])
        assert event["type"] == "servicedesk.request_opened"
        assert event["source"] == "servicedesk"
        assert event["data"] == {"request_id": body["id"], "customer_id": str(cid),
                                 "customer_name": "上海印美", "machine": "UV 喷码机",
                                 "description": FAULT["description"]}

    async def test_optional_fields_may_be_left_out(self, servicedesk_app, servicedesk_db):
        cid = await approved_customer(servicedesk_db)
        async with h.client(servicedesk_app, h.customer(cid)) as c:
            r = await c.post("/api/portal/service-requests",
                             json={"machine": " 喷码机 ", "description": "不出墨",
                                   "model": "  "})
        assert r.status_code == 201, r.text
        assert r.json()["machine"] == "喷码机" and r.json()["model"] is None

    async def test_unapproved_customer_gets_403(self, servicedesk_app, servicedesk_db):
        pending = uuid.uuid4()
        await deliver(servicedesk_db, CustomerRegistered(
            customer_id=pending, customer_number="C0002", company_name="待审公司",
            contact_person="李四", mobile="13900000000"))
        rejected = await approved_customer(servicedesk_db)
        await deliver(servicedesk_db, CustomerRejected(customer_id=rejected, company_name="x",
                                                       reason="资料不全", rejected_by="a"))
        for cid in (pending, rejected, uuid.uuid4()):
            async with h.client(servicedesk_app, h.customer(cid)) as c:
                r = await c.post("/api/portal/service-requests", json=FAULT)
            assert r.status_code == 403, r.text
            assert r.json()["error"] == "Forbidden"
            assert "not been approved" in r.json()["detail"]

    async def test_bad_input_gets_clear_422(self, servicedesk_app, servicedesk_db):
        cid = await approved_customer(servicedesk_db)
        async with h.client(servicedesk_app, h.customer(cid)) as c:
            cases = [
                ({**FAULT, "description": ""}, "description: must not be blank"),
                ({**FAULT, "machine": "x" * 101}, "machine"),
                ({**FAULT, "description": "x" * 2001}, "description"),
                ({**FAULT, "machine": 5}, "machine"),
                ({**FAULT, "photo": "x"}, "photo"),
                ({**FAULT, "description": "a\x00b"}, "description: must not contain NUL"),
                ({**FAULT, "model": "\x00"}, "model: must not contain NUL"),
            ]
            for body, expected in cases:
                r = await c.post("/api/portal/service-requests", json=body)
                assert r.status_code == 422, (body, r.text)
                assert r.json()["error"] == "ValidationError"
                assert expected in r.json()["detail"], r.json()["detail"]
            for body in ({"description": "x"}, {**FAULT, "machine": "   "}):
                r = await c.post("/api/portal/service-requests", json=body)
                assert r.status_code == 422 and "Say which machine" in r.json()["detail"]
            r = await c.post("/api/portal/service-requests", content=b"not json",
                             headers={"content-type": "application/json"})
            assert r.status_code == 422 and r.json()["detail"]
            r = await c.get("/api/portal/service-requests/not-a-uuid")
            assert r.status_code == 422 and "request_id" in r.json()["detail"]
            r = await c.get("/api/portal/service-requests", params={"status": "shut"})
            assert r.status_code == 422 and "status" in r.json()["detail"]
            r = await c.get("/api/portal/service-requests", params={"offset": 10**20})
            assert r.status_code == 422 and "offset" in r.json()["detail"]


class TestThread:
    async def test_reply_then_resolve_then_409_S1(self, servicedesk_app, servicedesk_db):
        cid = await approved_customer(servicedesk_db)
        async with h.client(servicedesk_app, h.customer(cid, username="buyer1")) as c:
            rid = (await c.post("/api/portal/service-requests", json=FAULT)).json()["id"]
            r = await c.post(f"/api/portal/service-requests/{rid}/replies",
                             json={"message": "补充：昨天开始的"})
            assert r.status_code == 201, r.text
            assert r.json()["status"] == "open"
        async with h.client(servicedesk_app, h.staff(username="engineer")) as s:
            r = await s.post(f"/api/console/service-requests/{rid}/replies",
                             json={"message": "请清洗喷头后再试"})
            assert r.status_code == 201, r.text
            assert r.json()["status"] == "in_progress"
            r = await s.post(f"/api/console/service-requests/{rid}/replies",
                             json={"message": "清洗后还断线吗？", "status": "waiting_for_customer"})
            assert r.status_code == 201 and r.json()["status"] == "waiting_for_customer"
        async with h.client(servicedesk_app, h.customer(cid, username="buyer1")) as c:
            r = await c.post(f"/api/portal/service-requests/{rid}/replies",
                             json={"message": "还是断线"})
            assert r.status_code == 201 and r.json()["status"] == "in_progress"
        async with h.client(servicedesk_app, h.staff(username="engineer")) as s:
            r = await s.post(f"/api/console/service-requests/{rid}/replies",
                             json={"message": "已上门更换喷头", "status": "resolved"})
            assert r.status_code == 201, r.text
            body = r.json()
            assert body["status"] == "resolved" and body["resolved_at"] is not None
            assert body["actions"] == ["reply", "close"]
        async with h.client(servicedesk_app, h.customer(cid, username="buyer1")) as c:
            r = await c.post(f"/api/portal/service-requests/{rid}/replies",
                             json={"message": "又堵了"})
            assert r.status_code == 201
            assert r.json()["status"] == "open" and r.json()["resolved_at"] is None
        async with h.client(servicedesk_app, h.staff(username="engineer")) as s:
            r = await s.post(f"/api/console/service-requests/{rid}/close")
            assert r.status_code == 409 and "Only a resolved" in r.json()["detail"]
            r = await s.post(f"/api/console/service-requests/{rid}/replies",
                             json={"message": "换了新墨盒", "status": "resolved"})
            assert r.status_code == 201 and r.json()["status"] == "resolved"
        async with h.client(servicedesk_app, h.customer(cid, username="buyer1")) as c:
            r = await c.post(f"/api/portal/service-requests/{rid}/close")
            assert r.status_code == 200, r.text
            body = r.json()
            assert body["status"] == "closed" and body["closed_at"] is not None
            assert body["actions"] == []
            late = await c.post(f"/api/portal/service-requests/{rid}/replies",
                                json={"message": "谢谢"})
            assert late.status_code == 409 and late.json()["error"] == "IllegalTransition"
            assert "closed and accepts no more replies" in late.json()["detail"]
            again = await c.post(f"/api/portal/service-requests/{rid}/close")
            assert again.status_code == 409 and "already closed" in again.json()["detail"]
        async with h.client(servicedesk_app, h.staff(username="engineer")) as s:
            late = await s.post(f"/api/console/service-requests/{rid}/replies",
                                json={"message": "还有问题吗？"})
            assert late.status_code == 409 and late.json()["error"] == "IllegalTransition"
        assert [(x["author_kind"], x["author"], x["status_change"]) for x in body["replies"]] == [
            ("customer", "buyer1", None), ("staff", "engineer", "in_progress"),
            ("staff", "engineer", "waiting_for_customer"), ("customer", "buyer1", "in_progress"),
            ("staff", "engineer", "resolved"), ("customer", "buyer1", "open"),
            ("staff", "engineer", "resolved")]
        events = await outbox_events(servicedesk_db, rid)
        assert [e["type"] for e in events] == (
            ["servicedesk.request_opened"] + ["servicedesk.request_replied"] * 7
            + ["servicedesk.request_closed"])
        staff_reply = events[2]["data"]
        assert staff_reply["author_kind"] == "staff" and staff_reply["author"] == "engineer"
        assert staff_reply["status"] == "in_progress"
        assert staff_reply["previous_status"] == "open"
        assert staff_reply["snippet"] == "请清洗喷头后再试"
        assert staff_reply["customer_id"] == str(cid) and staff_reply["machine"] == "UV 喷码机"
        closed = events[-1]["data"]
        assert closed["closed_by_kind"] == "customer" and closed["closed_by"] == "buyer1"

    async def test_long_reply_snippet_is_cut(self, servicedesk_app, servicedesk_db):
        cid = await approved_customer(servicedesk_db)
        async with h.client(servicedesk_app, h.customer(cid)) as c:
            rid = (await c.post("/api/portal/service-requests", json=FAULT)).json()["id"]
            r = await c.post(f"/api/portal/service-requests/{rid}/replies",
                             json={"message": "长" * 2000})
            assert r.status_code == 201
        [_, replied] = await outbox_events(servicedesk_db, rid)
        assert replied["data"]["snippet"] == "长" * 200

    async def test_reply_bad_input_422(self, servicedesk_app, servicedesk_db):
        cid = await approved_customer(servicedesk_db)
        async with h.client(servicedesk_app, h.customer(cid)) as c:
            rid = (await c.post("/api/portal/service-requests", json=FAULT)).json()["id"]
            r = await c.post(f"/api/portal/service-requests/{rid}/replies",
                             json={"message": " "})
            assert r.status_code == 422 and "message: must not be blank" in r.json()["detail"]
            r = await c.post(f"/api/portal/service-requests/{rid}/replies",
                             json={"message": "x", "status": "resolved"})
            assert r.status_code == 422 and "status" in r.json()["detail"]
        async with h.client(servicedesk_app, h.staff()) as s:
            r = await s.post(f"/api/console/service-requests/{rid}/replies",
                             json={"message": "x", "status": "open"})
            assert r.status_code == 422 and "status" in r.json()["detail"]
            r = await s.post(f"/api/console/service-requests/{uuid.uuid4()}/replies",
                             json={"message": "x"})
            assert r.status_code == 404


class TestLists:
    async def test_customer_lists_own_requests_newest_first(self, servicedesk_app,
                                                            servicedesk_db):
        cid = await approved_customer(servicedesk_db)
        async with h.client(servicedesk_app, h.customer(cid)) as c:
            first = (await c.post("/api/portal/service-requests", json=FAULT)).json()["id"]
            second = (await c.post("/api/portal/service-requests",
                                   json={**FAULT, "machine": "喷码机 B"})).json()["id"]
            r = await c.get("/api/portal/service-requests")
        assert r.status_code == 200
        assert [x["id"] for x in r.json()] == [second, first]
        assert r.headers["x-total-count"] == "2"
        assert "replies" not in r.json()[0]

    async def test_staff_lists_by_status(self, servicedesk_app, servicedesk_db):
        cid = await approved_customer(servicedesk_db)
        async with h.client(servicedesk_app, h.customer(cid)) as c:
            rid = (await c.post("/api/portal/service-requests", json=FAULT)).json()["id"]
        async with h.client(servicedesk_app, h.staff("service_desk:query")) as s:
            r = await s.get("/api/console/service-requests",
                            params={"status": "open", "customer_id": str(cid)})
            assert r.status_code == 200
            assert [x["id"] for x in r.json()] == [rid]
            assert r.headers["x-total-count"] == "1"
            r = await s.get("/api/console/service-requests", params={"status": "resolved",
                                                                     "customer_id": str(cid)})
            assert r.json() == [] and r.headers["x-total-count"] == "0"
            detail = await s.get(f"/api/console/service-requests/{rid}")
            assert detail.status_code == 200 and detail.json()["replies"] == []
            assert (await s.get(f"/api/console/service-requests/{uuid.uuid4()}")
                    ).status_code == 404

    async def test_renamed_customer_reports_under_new_name(self, servicedesk_app,
                                                           servicedesk_db):
        cid = await approved_customer(servicedesk_db)
        await deliver(servicedesk_db, CustomerUpdated(
            customer_id=cid, company_name="上海印美科技", changed_fields=["company_name"],
            changed_by_kind="customer"))
        async with h.client(servicedesk_app, h.customer(cid)) as c:
            r = await c.post("/api/portal/service-requests", json=FAULT)
        assert r.status_code == 201 and r.json()["customer_name"] == "上海印美科技"

    async def test_late_registered_event_does_not_undo_approval(self, servicedesk_app,
                                                                servicedesk_db):
        cid = await approved_customer(servicedesk_db)
        await deliver(servicedesk_db, CustomerRegistered(
            customer_id=cid, customer_number="C0001", company_name="上海印美",
            contact_person="张三", mobile="13800000000"))
        async with h.client(servicedesk_app, h.customer(cid)) as c:
            assert (await c.post("/api/portal/service-requests", json=FAULT)).status_code == 201


class TestAccess:
    async def test_other_customers_request_is_404(self, servicedesk_app, servicedesk_db):
        cid = await approved_customer(servicedesk_db)
        other = await approved_customer(servicedesk_db, name="别家公司")
        async with h.client(servicedesk_app, h.customer(cid)) as c:
            rid = (await c.post("/api/portal/service-requests", json=FAULT)).json()["id"]
        async with h.client(servicedesk_app, h.customer(other)) as o:
            r = await o.get(f"/api/portal/service-requests/{rid}")
            assert r.status_code == 404
            assert r.json() == {"error": "NotFound", "detail": "Service request not found"}
            r = await o.post(f"/api/portal/service-requests/{rid}/replies",
                             json={"message": "x"})
            assert r.status_code == 404
            mine = await o.get("/api/portal/service-requests")
            assert mine.json() == [] and mine.headers["x-total-count"] == "0"

    async def test_customer_gets_403_on_console(self, servicedesk_app):
        async with h.client(servicedesk_app, h.customer()) as c:
            r = await c.get("/api/console/service-requests")
        assert r.status_code == 403 and r.json()["error"] == "Forbidden"

    async def test_permissions_are_separate_X1(self, servicedesk_app, servicedesk_db):
        cid = await approved_customer(servicedesk_db)
        async with h.client(servicedesk_app, h.customer(cid)) as c:
            rid = (await c.post("/api/portal/service-requests", json=FAULT)).json()["id"]
        async with h.client(servicedesk_app, h.staff("service_desk:query")) as s:
            r = await s.post(f"/api/console/service-requests/{rid}/replies",
                             json={"message": "x"})
            assert r.status_code == 403
            assert r.json()["detail"] == "Permission service_desk:entry is required"
        async with h.client(servicedesk_app, h.staff("service_desk:entry")) as s:
            assert (await s.get("/api/console/service-requests")).status_code == 403
            r = await s.post(f"/api/console/service-requests/{rid}/replies",
                             json={"message": "收到"})
            assert r.status_code == 201

    async def test_missing_token_is_401(self, servicedesk_app):
        async with h.client(servicedesk_app) as c:
            for path in ("/api/portal/service-requests", "/api/console/service-requests"):
                r = await c.get(path)
                assert r.status_code == 401
                assert r.json() == {"error": "Unauthorized", "detail": "Missing internal token"}
