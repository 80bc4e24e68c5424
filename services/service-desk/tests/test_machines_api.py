"""Integration: the installed base (S-2) on the service desk's real database — staff enter
and edit machines, the warranty follows, customers see only theirs, staff bound to areas
only their areas' (C-7), and a fault report may name one of the customer's machines."""

import uuid
from datetime import timedelta

from dinghuo_contracts import CustomerApproved, CustomerRegistered, CustomerUpdated
from servicedesk_service.messaging import registry
from servicekit.testing import helpers as h
from servicekit.timeutil import business_date

CONSUMER = "servicedesk"


async def customer(db, name: str, area: str = "华东") -> uuid.UUID:
    """An approved customer the service desk knows (by its events)."""
    cid = uuid.uuid4()
    number = f"C{uuid.uuid4().hex[:6]}"
    await h.deliver(db.sessionmaker, CONSUMER, registry, CustomerRegistered(
        customer_id=cid, customer_number=number, company_name=name, contact_person="张三",
        mobile="13800000000", area=area))
    await h.deliver(db.sessionmaker, CONSUMER, registry, CustomerApproved(
        customer_id=cid, customer_number=number, company_name=name, area=area, catalog=[],
        approved_by="admin"))
    return cid


def machine(cid, **over) -> dict:
    today = business_date()
    return {"customer_id": str(cid), "purchase_date": (today - timedelta(days=30)).isoformat(),
            "name": "UV 喷码机", "model": "UV-300", "quantity": 2,
            "machine_number": f"SN-{uuid.uuid4().hex[:8]}", "collection_status": "partial",
            "warranty_months": 12, "consumable_payment_method": "monthly",
            "salesperson": "王销售", "installation_engineer": "李工", "integrity": "完好，配件齐全",
            **over}


class TestRegister:
    async def test_staff_register_and_warranty_is_derived_S2(
            self, servicedesk_app, servicedesk_db):
        cid = await customer(servicedesk_db, "上海印美", "华东")
        body = machine(cid, purchase_date="2026-01-31", warranty_months=1)
        async with h.client(servicedesk_app, h.staff(username="clerk")) as s:
            r = await s.post("/api/console/machines", json=body)
            assert r.status_code == 201, r.text
            m = r.json()
            assert m["warranty_until"] == "2026-02-27" and m["in_warranty"] is False
            assert m["warranty_days_left"] == 0
            assert m["customer_name"] == "上海印美" and m["area"] == "华东"
            assert m["created_by"] == "clerk" and m["quantity"] == 2
            assert m["collection_status"] == "partial" and m["integrity"] == "完好，配件齐全"
            # a fresh purchase is in warranty; editing the period moves the date
            fresh = (await s.post("/api/console/machines", json=machine(cid))).json()
            assert fresh["in_warranty"] is True and fresh["warranty_days_left"] > 300
            r = await s.patch(f"/api/console/machines/{fresh['id']}",
                              json={"warranty_months": 0, "remark": " 客户放弃保修 "})
            assert r.status_code == 200, r.text
            assert r.json()["warranty_until"] is None and r.json()["in_warranty"] is False
            assert r.json()["remark"] == "客户放弃保修" and r.json()["name"] == "UV 喷码机"
            r = await s.get("/api/console/machines", params={"customer_id": str(cid)})
            assert r.headers["x-total-count"] == "2"
            r = await s.get("/api/console/machines",
                            params={"customer_id": str(cid), "warranty": "expired"})
            assert r.headers["x-total-count"] == "2"
            r = await s.patch(f"/api/console/machines/{fresh['id']}",
                              json={"warranty_months": 24})
            r = await s.get("/api/console/machines",
                            params={"customer_id": str(cid), "warranty": "in"})
            assert [x["id"] for x in r.json()] == [fresh["id"]]
            r = await s.get("/api/console/machines", params={"q": body["machine_number"]})
            assert [x["id"] for x in r.json()] == [m["id"]]
            r = await s.get("/api/console/machines", params={"q": "上海印"})
            assert int(r.headers["x-total-count"]) >= 2

    async def test_bad_input_gets_clear_4xx(self, servicedesk_app, servicedesk_db):
        cid = await customer(servicedesk_db, "杭州彩印", "华东")
        tomorrow = (business_date() + timedelta(days=1)).isoformat()
        async with h.client(servicedesk_app, h.staff()) as s:
            cases = [
                (machine(cid, purchase_date=tomorrow), "future"),
                (machine(cid, purchase_date="1980-01-01"), "1990"),
                (machine(cid, quantity=0), "quantity"),
                (machine(cid, warranty_months=121), "warranty_months"),
                (machine(cid, warranty_months=-1), "warranty_months"),
                (machine(cid, name="  "), "name: must not be blank"),
                (machine(cid, collection_status="maybe"), "collection_status"),
                (machine(cid, consumable_payment_method="cash"), "consumable_payment_method"),
                (machine(cid, purchase_date="2026-02-30"), "purchase_date"),
                (machine(cid, salesperson="x" * 51), "salesperson"),
                (machine(cid, colour="red"), "colour"),
                ({"name": "x"}, "customer_id"),
            ]
            for body, expected in cases:
                r = await s.post("/api/console/machines", json=body)
                assert r.status_code == 422, (body, r.text)
                assert expected in r.json()["detail"], r.json()["detail"]
            r = await s.post("/api/console/machines", json=machine(uuid.uuid4()))
            assert r.status_code == 404 and "Customer not found" in r.json()["detail"]
            first = await s.post("/api/console/machines", json=machine(cid))
            again = await s.post("/api/console/machines", json=machine(
                cid, machine_number=first.json()["machine_number"]))
            assert again.status_code == 409 and "already registered" in again.json()["detail"]
            mid = first.json()["id"]
            for patch, expected in [({"name": None}, "name cannot be emptied"),
                                    ({"purchase_date": tomorrow}, "future"),
                                    ({"customer_id": str(cid)}, "customer_id")]:
                r = await s.patch(f"/api/console/machines/{mid}", json=patch)
                assert r.status_code == 422 and expected in r.json()["detail"], r.text
            r = await s.patch(f"/api/console/machines/{uuid.uuid4()}", json={"quantity": 1})
            assert r.status_code == 404
            r = await s.get("/api/console/machines", params={"warranty": "soon"})
            assert r.status_code == 422


class TestWhoSeesWhat:
    async def test_customer_sees_only_its_machines_S2(self, servicedesk_app, servicedesk_db):
        mine = await customer(servicedesk_db, "我的公司", "华南")
        other = await customer(servicedesk_db, "别人的公司", "华南")
        async with h.client(servicedesk_app, h.staff()) as s:
            m = (await s.post("/api/console/machines", json=machine(mine))).json()
            o = (await s.post("/api/console/machines", json=machine(other))).json()
        async with h.client(servicedesk_app, h.customer(mine)) as c:
            r = await c.get("/api/portal/machines")
            assert r.status_code == 200 and [x["id"] for x in r.json()] == [m["id"]]
            assert r.json()[0]["in_warranty"] is True
            assert (await c.get(f"/api/portal/machines/{m['id']}")).status_code == 200
            assert (await c.get(f"/api/portal/machines/{o['id']}")).status_code == 404
            assert (await c.get("/api/console/machines")).status_code == 403
            # a fault report on its own machine takes the machine's name, model and number
            r = await c.post("/api/portal/service-requests",
                             json={"machine_id": m["id"], "description": "喷头堵塞"})
            assert r.status_code == 201, r.text
            assert (r.json()["machine_id"], r.json()["machine"], r.json()["machine_number"]) \
                == (m["id"], "UV 喷码机", m["machine_number"])
            r = await c.post("/api/portal/service-requests",
                             json={"machine_id": o["id"], "description": "喷头堵塞"})
            assert r.status_code == 422 and "not one of your" in r.json()["detail"]

    async def test_area_bound_staff_see_only_their_areas_C7(
            self, servicedesk_app, servicedesk_db):
        north = await customer(servicedesk_db, "北方印务", "华北")
        south = await customer(servicedesk_db, "南方印务", "华南")
        async with h.client(servicedesk_app, h.staff()) as s:
            n = (await s.post("/api/console/machines", json=machine(north))).json()
            sm = (await s.post("/api/console/machines", json=machine(south))).json()
        async with h.client(servicedesk_app, h.customer(south)) as c:
            req = (await c.post("/api/portal/service-requests",
                                json={"machine_id": sm["id"], "description": "不出墨"})).json()
        bound = h.staff(username="north", areas=("华北",))
        async with h.client(servicedesk_app, bound) as s:
            ids = {x["id"] for x in (await s.get("/api/console/machines",
                                                 params={"limit": 200})).json()}
            assert n["id"] in ids and sm["id"] not in ids
            assert (await s.get(f"/api/console/machines/{sm['id']}")).status_code == 404
            assert (await s.patch(f"/api/console/machines/{sm['id']}",
                                  json={"quantity": 1})).status_code == 404
            r = await s.post("/api/console/machines", json=machine(south))
            assert r.status_code == 404
            assert (await s.post("/api/console/machines",
                                 json=machine(north))).status_code == 201
            # fault reports follow the same rule
            ids = {x["id"] for x in (await s.get("/api/console/service-requests",
                                                 params={"limit": 200})).json()}
            assert req["id"] not in ids
            assert (await s.get(f"/api/console/service-requests/{req['id']}")).status_code \
                == 404
            r = await s.post(f"/api/console/service-requests/{req['id']}/replies",
                             json={"message": "看看"})
            assert r.status_code == 404
        # the customer moves to 华北: its machines and reports move with it
        await h.deliver(servicedesk_db.sessionmaker, CONSUMER, registry, CustomerUpdated(
            customer_id=south, company_name="南方印务", changed_fields=["area"],
            changed_by_kind="staff", area="华北"))
        async with h.client(servicedesk_app, bound) as s:
            assert (await s.get(f"/api/console/machines/{sm['id']}")).status_code == 200
            assert (await s.get(f"/api/console/service-requests/{req['id']}")).status_code \
                == 200
