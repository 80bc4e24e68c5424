"""Integration: finance staff's list and Excel export of invoices (I-2): filters by
status, customer and search text, paged with X-Total-Count; staff bound to areas see,
issue and reject only their areas' customers' invoices (C-7)."""

import io
import uuid

from openpyxl import load_workbook
from servicekit.testing import helpers as h

from .invoice_fixtures import issue_body, requested_invoice

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class TestList:
    async def test_filters_by_status_customer_and_search_I2(self, invoice_app, invoice_db):
        cid, ev, inv = await requested_invoice(invoice_app, invoice_db)
        _, _, issued = await requested_invoice(invoice_app, invoice_db, cid)
        number = f"No.{uuid.uuid4().hex[:10]}"
        async with h.client(invoice_app, h.staff("invoices:query", "invoices:entry")) as s:
            assert (await s.post(f"/api/console/invoices/{issued['id']}/issue",
                                 json=issue_body(invoice_number=number))).status_code == 200
            r = await s.get("/api/console/invoices",
                            params={"status": "requested", "customer_id": str(cid)})
            assert r.status_code == 200 and r.headers["x-total-count"] == "1"
            assert [i["id"] for i in r.json()] == [inv["id"]]
            assert r.json()[0]["customer_name"] == "上海印美有限公司"
            assert r.json()[0]["actions"] == ["issue", "reject"]
            both = await s.get("/api/console/invoices", params={"customer_id": str(cid)})
            assert [i["id"] for i in both.json()] == [issued["id"], inv["id"]]  # newest first
            page = await s.get("/api/console/invoices",
                               params={"customer_id": str(cid), "limit": 1, "offset": 1})
            assert [i["id"] for i in page.json()] == [inv["id"]]
            assert page.headers["x-total-count"] == "2"
            for q, expected in ((ev.number.lower(), [inv["id"]]), (number[3:], [issued["id"]]),
                                ("印美图文", [issued["id"], inv["id"]]), ("%", []), ("_", [])):
                r = await s.get("/api/console/invoices",
                                params={"q": q, "customer_id": str(cid)})
                assert [i["id"] for i in r.json()] == expected, q
            bad = await s.get("/api/console/invoices", params={"status": "paid"})
            assert bad.status_code == 422 and "status" in bad.json()["detail"]
            long = await s.get("/api/console/invoices", params={"q": "x" * 101})
            assert long.status_code == 422

    async def test_staff_of_an_area_see_and_act_on_its_customers_only_C7(self, invoice_app,
                                                                        invoice_db):
        _, _, east = await requested_invoice(invoice_app, invoice_db, area="华东")
        _, _, north = await requested_invoice(invoice_app, invoice_db, area="华北")
        _, _, nowhere = await requested_invoice(invoice_app, invoice_db)
        east_staff = h.staff("invoices:query", "invoices:entry", "invoices:review",
                             areas=("华东", "华南"))
        async with h.client(invoice_app, east_staff) as s:
            listed = await s.get("/api/console/invoices", params={"limit": 200})
            ids = {i["id"] for i in listed.json()}
            assert east["id"] in ids and not {north["id"], nowhere["id"]} & ids
            assert (await s.get(f"/api/console/invoices/{east['id']}")).status_code == 200
            for other in (north, nowhere):
                url = f"/api/console/invoices/{other['id']}"
                assert (await s.get(url)).status_code == 404
                assert (await s.post(f"{url}/issue", json=issue_body())).status_code == 404
                assert (await s.post(f"{url}/reject", json={"reason": "x"})).status_code == 404
            export = await s.get("/api/console/invoices/export.xlsx")
            rows = list(load_workbook(io.BytesIO(export.content)).active.values)[1:]
            assert {r[3] for r in rows} <= {"华东", "华南"} and len(rows) >= 1
        async with h.client(invoice_app, h.staff()) as everyone:
            ids = {i["id"] for i in (await everyone.get(
                "/api/console/invoices", params={"limit": 200})).json()}
            assert {east["id"], north["id"], nowhere["id"]} <= ids


class TestExport:
    async def test_exports_the_filtered_invoices_with_their_fapiao_I2(self, invoice_app,
                                                                      invoice_db):
        cid, ev, inv = await requested_invoice(
            invoice_app, invoice_db, total="112210.00", area="华东",
            title="=HYPERLINK(\"http://x\")\x07", mail_to="上海市 张三")
        a, b = f"No.{uuid.uuid4().hex[:8]}", f"No.{uuid.uuid4().hex[:8]}"
        async with h.client(invoice_app, h.staff()) as s:
            r = await s.post(f"/api/console/invoices/{inv['id']}/issue", json={
                **issue_body(), "invoice_number": None, "courier": "顺丰",
                "fapiao": [{"invoice_number": a, "amount": "100000.00"},
                           {"invoice_number": b, "amount": "12210.00"}]})
            assert r.status_code == 200, r.text
            r = await s.get("/api/console/invoices/export.xlsx",
                            params={"customer_id": str(cid)})
            en = await s.get("/api/console/invoices/export.xlsx",
                             params={"customer_id": str(cid), "lang": "en",
                                     "status": "requested"})
        assert r.status_code == 200 and r.headers["content-type"] == XLSX
        assert r.headers["x-total-count"] == "1"
        assert "attachment" in r.headers["content-disposition"]
        sheet = load_workbook(io.BytesIO(r.content)).active
        header, row = [list(v) for v in sheet.values]
        got = dict(zip(header, row, strict=True))
        assert got["状态"] == "已开票" and got["发票类型"] == "增值税普通发票"
        assert got["区域"] == "华东" and got["订单号"] == ev.number
        assert got["开票金额"] == 112210 and got["发票号码"] == f"{a}、{b}"
        assert got["各张金额"] == "100000.00、12210.00" and got["快递公司"] == "顺丰"
        # a title that looks like a formula stays text; control characters are dropped
        assert got["发票抬头"] == "=HYPERLINK(\"http://x\")"
        cell = sheet.cell(row=2, column=header.index("发票抬头") + 1)
        assert cell.data_type == "s"
        assert en.status_code == 200 and en.headers["x-total-count"] == "0"
        assert list(load_workbook(io.BytesIO(en.content)).active.values)[0][:3] == (
            "Requested at", "Customer number", "Customer")

    async def test_export_needs_the_query_permission(self, invoice_app):
        async with h.client(invoice_app, h.staff("invoices:entry")) as s:
            r = await s.get("/api/console/invoices/export.xlsx")
        assert r.status_code == 403 and "invoices:query" in r.json()["detail"]
        async with h.client(invoice_app, h.staff()) as s:
            assert (await s.get("/api/console/invoices/export.xlsx",
                                params={"lang": "fr"})).status_code == 422
