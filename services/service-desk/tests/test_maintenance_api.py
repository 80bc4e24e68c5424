"""Integration: maintenance records on the service desk's real database (S-3..S-9, B-5,
C-7): categories, the six menus, repair processing entries, the automatic return visit,
suspend/resume, the query and the yearly statistics."""

import uuid
from datetime import timedelta

from servicedesk_service.messaging import registry
from servicekit.testing import helpers as h
from servicekit.timeutil import business_date

from .test_machines_api import customer

CONSUMER = "servicedesk"


async def category(s, kind: str, name: str) -> str:
    r = await s.post("/api/console/maintenance/categories",
                     json={"kind": kind, "name": f"{name}-{uuid.uuid4().hex[:4]}"})
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def record(s, cid, **over) -> dict:
    r = await s.post("/api/console/maintenance-records", json={
        "customer_id": str(cid), "kind": "repair", "content": "喷头堵塞，清洗后恢复",
        "engineer": "李工", **over})
    assert r.status_code == 201, r.text
    return r.json()


def ids(response) -> set[str]:
    return {x["id"] for x in response.json()}


class TestRecords:
    async def test_repair_with_entries_then_return_visit_S4_B5(
            self, servicedesk_app, servicedesk_db):
        cid = await customer(servicedesk_db, "上海印美")
        async with h.client(servicedesk_app, h.staff(username="clerk")) as s:
            fault = await category(s, "fault", "喷头堵塞")
            machine = (await s.post("/api/console/machines", json={
                "customer_id": str(cid), "purchase_date": "2026-01-05", "name": "UV 喷码机",
                "machine_number": f"SN-{uuid.uuid4().hex[:8]}"})).json()
            rec = await record(s, cid, category_id=fault, machine_id=machine["id"],
                               accessories=[{"name": "喷头", "quantity": 1}],
                               charge="350.00")
            assert rec["payment_status"] == "unpaid" and rec["charge"] == "350.00"
            assert rec["menus"] == ["content", "unprocessed"] and rec["entries"] == []
            assert rec["machine_name"] == "UV 喷码机" and rec["category_name"].startswith("喷头")
            r = await s.post(f"/api/console/maintenance-records/{rec['id']}/entries",
                             json={"content": "第一次上门：更换墨路，未恢复"})
            assert r.status_code == 201 and r.json()["processed"] is False
            assert r.json()["return_visit_id"] is None
            r = await s.post(f"/api/console/maintenance-records/{rec['id']}/entries",
                             json={"content": "第二次上门：更换喷头，打印正常", "processed": True})
            done = r.json()
            assert r.status_code == 201 and done["processed"] is True
            assert [e["position"] for e in done["entries"]] == [1, 2]
            assert done["menus"] == ["content"] and done["return_visit_id"]
            visit = (await s.get(
                f"/api/console/maintenance-records/{done['return_visit_id']}")).json()
            assert visit["kind"] == "return_visit" and visit["follows_record_id"] == rec["id"]
            assert visit["due_on"] == (business_date() + timedelta(days=7)).isoformat()
            assert "unprocessed" in visit["menus"] and visit["machine_id"] == machine["id"]
            r = await s.post(f"/api/console/maintenance-records/{rec['id']}/entries",
                             json={"content": "再来一次"})
            assert r.status_code == 409 and "already processed" in r.json()["detail"]
            unprocessed = (await s.get("/api/console/maintenance/unprocessed")).json()
            mine = [u for u in unprocessed if u["customer_id"] == str(cid)]
            assert mine and (mine[0]["repairs"], mine[0]["return_visits"]) == (0, 1)
            drill = await s.get("/api/console/maintenance-records",
                                params={"menu": "unprocessed", "customer_id": str(cid)})
            assert ids(drill) == {visit["id"]}
            # the visit is done by an entry too, and calls for no further visit
            r = await s.post(f"/api/console/maintenance-records/{visit['id']}/entries",
                             json={"content": "客户反馈打印正常", "processed": True})
            assert r.json()["processed"] is True and r.json()["return_visit_id"] is None

    async def test_menus_suspend_resume_and_bad_input_S6_S8(
            self, servicedesk_app, servicedesk_db):
        cid = await customer(servicedesk_db, "杭州彩印")
        other = await customer(servicedesk_db, "宁波彩印")
        async with h.client(servicedesk_app, h.staff()) as s:
            r = await s.post("/api/console/maintenance-records", json={
                "customer_id": str(cid), "kind": "repair", "content": "主板烧坏",
                "return_to_factory": True})
            assert r.status_code == 422 and "factory_return_method" in r.json()["detail"]
            factory = await record(s, cid, return_to_factory=True,
                                   factory_return_method="顺丰到付", key_matter=True)
            assert factory["menus"] == ["content", "factory", "key", "unprocessed"]
            plain = await record(s, cid)
            r = await s.post(f"/api/console/maintenance-records/{plain['id']}/suspend",
                             json={"reason": "客户暂停生产，年后再修"})
            assert r.status_code == 200 and r.json()["menus"] == ["content", "suspended"]
            unprocessed = ids(await s.get("/api/console/maintenance-records", params={
                "menu": "unprocessed", "customer_id": str(cid)}))
            assert unprocessed == {factory["id"]}
            suspended = ids(await s.get("/api/console/maintenance-records", params={
                "menu": "suspended", "customer_id": str(cid)}))
            assert suspended == {plain["id"]}
            r = await s.post(f"/api/console/maintenance-records/{plain['id']}/entries",
                             json={"content": "x"})
            assert r.status_code == 409 and "resume" in r.json()["detail"]
            r = await s.post(f"/api/console/maintenance-records/{plain['id']}/suspend",
                             json={"reason": "again"})
            assert r.status_code == 409
            r = await s.post(f"/api/console/maintenance-records/{plain['id']}/resume")
            assert r.status_code == 200 and "unprocessed" in r.json()["menus"]
            r = await s.post(f"/api/console/maintenance-records/{plain['id']}/resume")
            assert r.status_code == 409
            # clearing the factory flag drops the method; a charge makes it unpaid
            r = await s.patch(f"/api/console/maintenance-records/{factory['id']}",
                              json={"return_to_factory": False, "charge": "80.00"})
            assert r.status_code == 200, r.text
            body = r.json()
            assert body["factory_return_method"] is None and "factory" not in body["menus"]
            assert body["payment_status"] == "unpaid"
            r = await s.patch(f"/api/console/maintenance-records/{factory['id']}",
                              json={"payment_status": "paid"})
            assert r.json()["payment_status"] == "paid" and r.json()["charge"] == "80.00"

            visit_cat = await category(s, "visit", "满意度回访")
            machine = (await s.post("/api/console/machines", json={
                "customer_id": str(other), "purchase_date": "2026-01-05",
                "name": "别人的机器"})).json()
            tomorrow = (business_date() + timedelta(days=1)).isoformat()
            base = {"customer_id": str(cid), "kind": "repair", "content": "x"}
            for body, expected in [
                ({**base, "category_id": visit_cat}, "takes a fault category"),
                ({**base, "category_id": str(uuid.uuid4())}, "not a known category"),
                ({**base, "machine_id": machine["id"]}, "not one of this customer's machines"),
                ({**base, "service_request_id": str(uuid.uuid4())}, "fault reports"),
                ({**base, "service_date": tomorrow}, "future"),
                ({**base, "charge": "-1"}, "charge"),
                ({**base, "charge": "1.001"}, "charge"),
                ({**base, "charge": "0", "payment_status": "unpaid"}, "nothing to pay"),
                ({**base, "charge": "10", "payment_status": "free"}, "cannot be free"),
                ({**base, "kind": "inspection"}, "kind"),
                ({**base, "content": "  "}, "content: must not be blank"),
                ({**base, "accessories": [{"name": "喷头", "quantity": 0}]}, "quantity"),
                ({**base, "accessories": [{"name": "x"}] * 21}, "accessories"),
                ({**base, "extra": 1}, "extra"),
            ]:
                r = await s.post("/api/console/maintenance-records", json=body)
                assert r.status_code == 422, (body, r.text)
                assert expected in r.json()["detail"], (expected, r.json()["detail"])
            r = await s.post("/api/console/maintenance-records",
                             json={**base, "customer_id": str(uuid.uuid4())})
            assert r.status_code == 404
            r = await s.post("/api/console/maintenance/categories",
                             json={"kind": "fault", "name": "电源故障"})
            again = await s.post("/api/console/maintenance/categories",
                                 json={"kind": "fault", "name": "电源故障"})
            assert again.status_code == 409 or r.status_code == 409
            r = await s.get("/api/console/maintenance-records", params={"menu": "all"})
            assert r.status_code == 422
            r = await s.get("/api/console/maintenance-records",
                            params={"from": "2026-12-01", "to": "2026-11-01"})
            assert r.status_code == 422 and "from" in r.json()["detail"]


class TestQueryAndStats:
    async def test_query_and_yearly_stats_match_the_records_S9(
            self, servicedesk_app, servicedesk_db):
        cid = await customer(servicedesk_db, "苏州标识", area="华中")
        async with h.client(servicedesk_app, h.staff()) as s:
            clog = await category(s, "fault", "堵头")
            power = await category(s, "fault", "电源")
            today = business_date()
            earlier = today.replace(day=1) if today.day > 1 else today
            await record(s, cid, category_id=clog, engineer="王工",
                         service_date=earlier.isoformat(),
                         accessories=[{"name": "过滤器", "quantity": 2}], charge="60.00")
            await record(s, cid, category_id=clog, engineer="李工")
            await record(s, cid, category_id=power, engineer="李工", charge="0",
                         payment_status="paid")
            await record(s, cid, kind="return_visit", engineer="李工", content="回访正常")
            r = await s.get("/api/console/maintenance-records",
                            params={"customer_id": str(cid), "accessory": "过滤"})
            assert r.headers["x-total-count"] == "1"
            r = await s.get("/api/console/maintenance-records", params={
                "customer_id": str(cid), "engineer": "李", "kind": "repair"})
            assert r.headers["x-total-count"] == "2"
            r = await s.get("/api/console/maintenance-records", params={
                "area": "华中", "category_id": clog, "payment_status": "unpaid"})
            assert r.headers["x-total-count"] == "1"
            # part of the area, as typed, finds it too; another area does not
            for part, found in (("中", "1"), ("华南", "0")):
                r = await s.get("/api/console/maintenance-records", params={
                    "area": part, "category_id": clog, "payment_status": "unpaid"})
                assert r.headers["x-total-count"] == found, part
            r = await s.get("/api/console/maintenance-records", params={"q": "苏州标"})
            assert int(r.headers["x-total-count"]) >= 4
            st = (await s.get("/api/console/maintenance/stats",
                              params={"customer_id": str(cid)})).json()
            assert st["year"] == today.year and st["records"] == 4
            counts = {(c["category_id"], c["kind"]): c["records"] for c in st["by_category"]}
            assert counts == {(clog, "repair"): 2, (power, "repair"): 1,
                              (None, "return_visit"): 1}
            month = today.strftime("%Y-%m")
            assert {"month": month, "customers": 1, "repairs": 3, "return_visits": 1} \
                in st["by_month"]
            engineers = {(e["engineer"], e["month"]): e["records"] for e in st["by_engineer"]}
            assert engineers == {("王工", month): 1, ("李工", month): 3}
            empty = (await s.get("/api/console/maintenance/stats",
                                 params={"customer_id": str(cid), "year": 2001})).json()
            assert empty["records"] == 0 and empty["by_month"] == []
            r = await s.get("/api/console/maintenance/stats", params={"year": 99999})
            assert r.status_code == 422

    async def test_area_bound_staff_see_only_their_areas_C7(
            self, servicedesk_app, servicedesk_db):
        north = await customer(servicedesk_db, "北方", area="华北")
        south = await customer(servicedesk_db, "南方", area="华南")
        async with h.client(servicedesk_app, h.staff()) as s:
            n = await record(s, north)
            so = await record(s, south)
        bound = h.staff(username="north", areas=("华北",))
        async with h.client(servicedesk_app, bound) as s:
            seen = ids(await s.get("/api/console/maintenance-records", params={"limit": 200}))
            assert n["id"] in seen and so["id"] not in seen
            for method, path, body in (
                    ("GET", f"/api/console/maintenance-records/{so['id']}", None),
                    ("PATCH", f"/api/console/maintenance-records/{so['id']}", {"content": "x"}),
                    ("POST", f"/api/console/maintenance-records/{so['id']}/entries",
                     {"content": "x"}),
                    ("POST", f"/api/console/maintenance-records/{so['id']}/suspend",
                     {"reason": "x"}),
                    ("POST", "/api/console/maintenance-records",
                     {"customer_id": str(south), "kind": "repair", "content": "x"})):
                r = await s.request(method, path, **({"json": body} if body else {}))
                assert r.status_code == 404, (method, path, r.text)
            groups = {u["customer_id"] for u in
                      (await s.get("/api/console/maintenance/unprocessed")).json()}
            assert str(north) in groups and str(south) not in groups
            st = (await s.get("/api/console/maintenance/stats",
                              params={"customer_id": str(south)})).json()
            assert st["records"] == 0


class TestRepairChargePaidWithPoints:
    """P-2 on a repair charge (S-3): staff ask, the points service answers by event, the
    record shows the points and what is left to pay; points can be given back."""

    async def test_request_answer_release_and_bad_input_P2(
            self, servicedesk_app, servicedesk_db):
        from dinghuo_contracts import (
            PointsRepairRedeemed,
            PointsRepairRefused,
            PointsRepairReleased,
        )
        from servicekit.timeutil import utcnow
        from sqlalchemy import text

        cid = await customer(servicedesk_db, "温州彩印")

        async def answer(event):
            await h.deliver(servicedesk_db.sessionmaker, CONSUMER, registry, event)

        async with h.client(servicedesk_app, h.staff(username="clerk")) as s:
            rec = await record(s, cid, charge="120.80")
            assert (rec["points_status"], rec["payable"]) == (None, "120.80")
            url = f"/api/console/maintenance-records/{rec['id']}/points"
            for body, expected in (({"points": 121}, "at most 120 points"),
                                   ({"points": 0}, "points"), ({"points": "x"}, "points")):
                r = await s.post(url, json=body)
                assert r.status_code == 422 and expected in r.json()["detail"], r.text
            visit = await record(s, cid, kind="return_visit", content="回访")
            r = await s.post(f"/api/console/maintenance-records/{visit['id']}/points",
                             json={"points": 1})
            assert r.status_code == 422 and "repair charges only" in r.json()["detail"]

            r = await s.post(url, json={"points": 100})
            assert r.status_code == 200 and r.json()["points_status"] == "requested"
            async with servicedesk_db.engine.connect() as c:
                [data] = [row[0] for row in await c.execute(text(
                    "SELECT envelope->'data' FROM outbox "
                    "WHERE event_type = 'servicedesk.repair_points_requested'")) 
                          if row[0]["record_id"] == rec["id"]]
            assert (data["points"], data["charge"]) == (100, "120.80")
            assert (await s.post(url, json={"points": 10})).status_code == 409
            # the charge cannot drop below the points asked for
            r = await s.patch(f"/api/console/maintenance-records/{rec['id']}",
                              json={"charge": "50.00"})
            assert r.status_code == 422 and "give them back" in r.json()["detail"]

            await answer(PointsRepairRefused(record_id=rec["id"], customer_id=cid, points=100,
                                             reason="insufficient", detail="d"))
            got = (await s.get(f"/api/console/maintenance-records/{rec['id']}")).json()
            assert (got["points_status"], got["points_reason"], got["points_used"]) == (
                "refused", "insufficient", 0)
            r = await s.post(url, json={"points": 60})
            assert r.status_code == 200
            await answer(PointsRepairRedeemed(record_id=rec["id"], customer_id=cid, points=60,
                                              redeemed_at=utcnow()))
            got = (await s.get(f"/api/console/maintenance-records/{rec['id']}")).json()
            assert (got["points_status"], got["points_used"], got["payable"]) == (
                "redeemed", 60, "60.80")
            assert (await s.post(url, json={"points": 10})).status_code == 409
            r = await s.post(f"{url}/release")
            assert r.status_code == 200 and r.json()["points_status"] == "releasing"
            assert (await s.post(f"{url}/release")).status_code == 409
            await answer(PointsRepairReleased(record_id=rec["id"], customer_id=cid, points=60,
                                              released_at=utcnow()))
            got = (await s.get(f"/api/console/maintenance-records/{rec['id']}")).json()
            assert (got["points_status"], got["points_used"], got["payable"]) == (
                "released", 0, "120.80")


class TestExport:
    async def test_query_exported_to_excel_S9(self, servicedesk_app, servicedesk_db):
        import io

        from openpyxl import load_workbook

        cid = await customer(servicedesk_db, "=HYPERLINK(\"x\") 公司", area="西南")
        async with h.client(servicedesk_app, h.staff()) as s:
            await record(s, cid, charge="88.50", accessories=[{"name": "墨泵", "quantity": 2}],
                         return_to_factory=True, factory_return_method="物流")
            await record(s, cid, kind="return_visit", content="回访：正常")
            r = await s.get("/api/console/maintenance-records/export.xlsx",
                            params={"customer_id": str(cid)})
            assert r.status_code == 200, r.text
            assert r.headers["x-total-count"] == "2"
            ws = load_workbook(io.BytesIO(r.content)).active
            rows = list(ws.iter_rows(values_only=True))
            assert rows[0][:3] == ("服务日期", "客户编号", "客户")
            assert {row[4] for row in rows[1:]} == {"维修", "回访"}
            repair = next(row for row in rows[1:] if row[4] == "维修")
            assert repair[2].startswith("=HYPERLINK") and repair[10] == "墨泵×2"
            assert float(repair[11]) == 88.5 and repair[15] == "是"
            r = await s.get("/api/console/maintenance-records/export.xlsx",
                            params={"customer_id": str(cid), "lang": "en", "kind": "repair"})
            ws = load_workbook(io.BytesIO(r.content)).active
            rows = list(ws.iter_rows(values_only=True))
            assert rows[0][0] == "Service date" and len(rows) == 2 and rows[1][4] == "Repair"
            r = await s.get("/api/console/maintenance-records/export.xlsx",
                            params={"lang": "fr"})
            assert r.status_code == 422
