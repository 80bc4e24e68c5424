"""Demo data for `make run`, created through the public API as a user would: an approved
demo company with three consumables at its own prices, a few orders in different
states, and last month's statement, disputed by the company (B-1); points movements, an
order paying with points (P-2), an announced rule version, an event month and the points
description (P-1..P-3). Safe to run twice (it stops when the demo user can already log
in)."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import httpx
from servicekit.timeutil import business_date

DEMO_COMPANY = {
    "name": "上海印美图文有限公司",
    "contact_person": "王丽",
    "mobile": "13812345678",
    "address": "上海市闵行区莘庄工业区春东路 88 号",
    "email": "wangli@yinmei.example.cn",
    "area": "华东",
    # what a fapiao needs (I-1): the invoice service takes them as the request's defaults
    "invoice_title": "上海印美图文有限公司",
    "tax_number": "91310112MA1GB8XK3Q",
    "bank": "招商银行上海闵行支行",
    "bank_account": "121912345610801",
    "telephone": "021-64301234",
}
DEMO_PRODUCTS = [
    {"name": "UV 墨水（黑）", "model": "INK-UV-K-1L", "unit_price": "160.30",
     "list_price": "198.00"},
    {"name": "UV 墨水（青）", "model": "INK-UV-C-1L", "unit_price": "168.00",
     "list_price": "198.00"},
    {"name": "喷头清洗液", "model": "CLN-500ML", "unit_price": "45.50", "list_price": "58.00"},
]


async def _login(c: httpx.AsyncClient, username: str, password: str) -> str | None:
    r = await c.post("/api/auth/login", json={"username": username, "password": password})
    return r.json()["access_token"] if r.status_code == 200 else None


async def seed(gateway: str, admin: str, admin_password: str, user: str, password: str,
               query_password: str | None = None,
               order_database_url: str | None = None) -> None:
    async with httpx.AsyncClient(base_url=gateway, timeout=30) as c:
        if await _login(c, user, password):
            print("  demo data already there")
            return
        staff = await _login(c, admin, admin_password)
        if staff is None:
            print("  admin login failed: demo data not created (is .run/admin-password current?)")
            return
        sh = {"Authorization": f"Bearer {staff}"}
        if query_password:  # the admin unlocks 汇总分析 with it
            await c.post("/api/auth/query-password", headers=sh, json={
                "current_password": admin_password, "query_password": query_password})
        # The supplier's consumables contact shown on every portal home (N-4).
        await c.post("/api/console/contacts", headers=sh, json={
            "area": "default", "name": "赵敏（耗材）", "phone": "021-5888 1234",
            "qq": "800012345", "role": "consumables"})
        r = await c.post("/api/portal/register", json={
            "username": user, "password": password, "company": DEMO_COMPANY})
        r.raise_for_status()
        cid = r.json()["customer_id"]
        # O-6: 3 days of credit, so the unpaid approved order gets its "due in 3 days"
        # reminder below (set before approval: customer.approved carries the terms).
        await c.put(f"/api/console/customers/{cid}/payment-terms", headers=sh, json={"days": 3})
        r = await c.post(f"/api/console/customers/{cid}/approve", headers=sh,
                         json={"products": DEMO_PRODUCTS})
        r.raise_for_status()
        ch = {"Authorization": f"Bearer {await _login(c, user, password)}"}
        catalog = (await c.get("/api/portal/catalog", headers=ch)).json()
        orders = []
        for i, qty in enumerate((5, 12, 3)):
            body = {"delivery_date": (date.today() + timedelta(days=3 + i)).isoformat(),
                    "bill_type": ["ordinary_vat", "special_vat", "none"][i],
                    "remark": "演示订单",
                    "lines": [{"product_id": p["product_id"], "quantity": qty}
                              for p in catalog[: i + 1]]}
            for _ in range(100):  # the order service learns of the approval by event
                r = await c.post("/api/portal/orders", headers=ch, json=body)
                if r.status_code != 403:
                    break
                await asyncio.sleep(0.1)
            r.raise_for_status()
            orders.append(r.json())
        await c.post("/api/console/orders/review", headers=sh, json={
            "order_ids": [orders[0]["id"], orders[1]["id"]], "decision": "approve"})
        await c.post(f"/api/console/orders/{orders[0]['id']}/payments", headers=sh, json={
            "amount": orders[0]["total"], "paid_on": date.today().isoformat(),
            "method": "bank_transfer", "reference": "演示付款"})
        # B-1: an advance on the second order, transferred in the last days of last month,
        # so that last month has a statement (its only entry, a credit in the customer's
        # favour) and this month opens with it.
        month_start = business_date().replace(day=1)
        advance_on = (month_start - timedelta(days=1)).replace(day=25)
        await c.post(f"/api/console/orders/{orders[1]['id']}/payments", headers=sh, json={
            "amount": "1000.00", "paid_on": advance_on.isoformat(),
            "method": "bank_transfer", "reference": "演示预付款"})
        # O-8: the paid order has shipped (the demo user can confirm receipt); the second
        # has shipped in part.
        shipped_on = business_date().isoformat()
        for order, part in ((orders[0], False), (orders[1], True)):
            lines = order["lines"][:1] if part else order["lines"]
            await c.post(f"/api/console/orders/{order['id']}/shipments", headers=sh, json={
                "lines": [{"product_id": ln["product_id"], "quantity": ln["quantity"]}
                          for ln in lines],
                "courier": "顺丰速运", "tracking_number": "SF1234567890",
                "shipped_on": shipped_on})
        # N-4: the portal home's bulletin board and technical guidance.
        for article in (
            {"kind": "bulletin", "pinned": True, "title": "元旦放假及发货安排",
             "body": "1 月 1 日至 1 月 3 日放假，**12 月 30 日 16:00 前**审核的订单当天发货。"
                     "\n\n节后 1 月 4 日起正常发货。"},
            {"kind": "guidance", "pinned": False, "title": "UV 喷头日常保养三步",
             "body": "1. 每天开机前执行一次自动清洗\n2. 每周用原厂清洗液擦拭喷头面板\n"
                     "3. 长时间停机请盖好保湿盖\n\n不要用酒精擦拭喷头。"}):
            await c.post("/api/console/articles", headers=sh, json={**article, "published": True})
        # N-2: the demo company also takes WeChat (an openid as the Official Account's
        # binding would give it); notify learns of the company by event.
        for _ in range(100):
            r = await c.put("/api/portal/notification-settings", headers=ch, json={
                "sms": True, "wechat": True, "wechat_openid": "oDemo-wx-7f3a9c"})
            if r.status_code != 404:
                break
            await asyncio.sleep(0.1)
        # O-6, N-2: the payment reminders of today, as the 09:00 job would send them; the
        # reference notifier "sends" them to .run/notifier-outbox.jsonl and reports back.
        await c.post("/api/console/reminders/run", headers=sh)
        # I-1..I-3: the paid order's fapiao was issued and sent; the second order's request
        # waits in the console's 发票管理 queue; the finance subscriber's ledger
        # (.run/finance-ledger.csv) records both.
        for order in orders[:2]:
            for _ in range(100):  # the invoice service learns of the approval by event
                r = await c.post("/api/portal/invoice-requests", headers=ch, json={
                    "order_ids": [order["id"]], "invoice_type": "ordinary_vat",
                    "mail_to": "上海市闵行区莘庄工业区春东路 88 号 王丽 13812345678"})
                if r.status_code not in (404, 409):
                    break
                await asyncio.sleep(0.1)
            if order is orders[0] and r.status_code == 201:
                await c.post(f"/api/console/invoices/{r.json()['id']}/issue", headers=sh, json={
                    "invoice_number": "31000001", "invoice_date": shipped_on,
                    "sent_at": f"{shipped_on}T15:00:00+08:00", "courier": "顺丰速运",
                    "tracking_number": "SF9876543210"})
        # B-1: the demo company disputes last month's statement: a disputed statement waits
        # for the staff (对账单 in the console, and a prompt).
        last_month = (month_start - timedelta(days=1)).strftime("%Y-%m")
        await c.post(f"/api/portal/statements/{last_month}/dispute", headers=ch, json={
            "note": f"{advance_on.month} 月 28 日另有一笔 2,000.00 元转账（招商银行）未列入，"
                    "请核对"})
        # N-1: a message from the staff to every customer, in the inbox and by SMS/WeChat.
        await c.post("/api/console/messages", headers=sh, json={
            "title": "元旦订货提醒", "channels": ["inbox", "sms", "wechat"], "filter": {},
            "body": "元旦前最后发货日为 12 月 30 日，请提前备好墨水和清洗液。"})
        await _seed_points(c, sh, cid)
        orders.append(await _order_with_points(c, ch, catalog))
        machines = await _seed_machines(c, sh, ch, cid)
        print(f"  demo company {DEMO_COMPANY['name']} with {len(orders)} orders "
              f"and {machines} machines")
        if order_database_url:  # issue 13: dealers with a year of orders to analyse
            from demo_analysis import DEALERS, seed_analysis

            n = await seed_analysis(c, sh, order_database_url)
            print(f"  {len(DEALERS)} dealer companies with {n} orders over the past year")


async def _seed_machines(c: httpx.AsyncClient, sh: dict, ch: dict, cid: str) -> int:
    """S-2: the demo company's installed base — one machine in warranty, one whose warranty
    ends within the month, one long out of warranty — and S-1: a fault report on the first
    (the console's 设备档案 drawer lists it)."""
    today = business_date()
    machines = [
        {"purchase_date": (today - timedelta(days=120)).isoformat(), "name": "UV 平板喷码机",
         "model": "UV-300", "quantity": 2, "machine_number": f"SN-UV300-0172-{cid[:4]}",
         "collection_status": "partial", "warranty_months": 12,
         "consumable_payment_method": "monthly", "salesperson": "王建国",
         "installation_engineer": "李工", "integrity": "整机完好，配件齐全"},
        {"purchase_date": (today - timedelta(days=350)).isoformat(), "name": "手持喷码机",
         "model": "HP-60", "quantity": 1, "machine_number": f"SN-HP60-0033-{cid[:4]}",
         "collection_status": "paid", "warranty_months": 12,
         "consumable_payment_method": "prepaid", "salesperson": "王建国",
         "installation_engineer": "陈工", "integrity": "完好"},
        {"purchase_date": "2021-03-18", "name": "CIJ 小字符喷码机", "model": "CIJ-5",
         "quantity": 1, "machine_number": f"SN-CIJ5-0811-{cid[:4]}",
         "collection_status": "paid", "warranty_months": 24,
         "consumable_payment_method": "on_delivery", "salesperson": "刘芳",
         "installation_engineer": "李工", "integrity": "墨路缺一根回收管，已补发",
         "remark": "客户自 2023 年起自行保养"},
    ]
    made = []
    for body in machines:
        for _ in range(100):  # the service desk learns of the approval by event
            r = await c.post("/api/console/machines", headers=sh,
                             json={"customer_id": cid, **body})
            if r.status_code != 404:
                break
            await asyncio.sleep(0.1)
        if r.status_code == 201:
            made.append(r.json())
    if made:
        r = await c.post("/api/portal/service-requests", headers=ch, json={
            "machine_id": made[0]["id"],
            "description": "开机后喷头自检报错 E-21，打印有断线，已按手册清洗两次仍未好转。"})
        request_id = r.json()["id"] if r.status_code == 201 else None
        if request_id:  # S-1: the customer's photo of the fault
            await c.post(f"/api/portal/service-requests/{request_id}/photos", headers=ch,
                         files=[("files", ("喷头断线.png", _fault_photo(), "image/png"))])
            await c.post(f"/api/console/service-requests/{request_id}/replies", headers=sh,
                         json={"message": "已安排李工明天上午上门检查喷头，请提前准备清洗液。",
                               "status": "in_progress"})
        await _seed_maintenance(c, sh, cid, made, request_id)
    return len(made)


def _fault_photo() -> bytes:
    """A small picture of a test print with broken lines, drawn here (no file in the repo)."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 320), "white")
    draw = ImageDraw.Draw(image)
    for i, y in enumerate(range(40, 300, 24)):
        gaps = [(120, 150), (300, 320)] if i % 3 == 1 else []
        x = 30
        for start, end in gaps + [(450, 450)]:
            draw.line([(x, y), (start, y)], fill=(20, 20, 120), width=8)
            x = end
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


async def _seed_maintenance(c: httpx.AsyncClient, sh: dict, cid: str, machines: list[dict],
                            request_id: str | None) -> None:
    """S-3..S-9, B-5: preset categories; a repair answering the fault report, processed in
    two visits (its return visit waits under 未处理事项); a board sent back to the factory,
    a key matter; a repair suspended until spare parts arrive."""
    categories = {}
    for kind, name in (("fault", "喷头堵塞"), ("fault", "主板故障"), ("fault", "墨路泄漏"),
                       ("visit", "维修后回访"), ("visit", "定期巡检")):
        r = await c.post("/api/console/maintenance/categories", headers=sh,
                         json={"kind": kind, "name": name})
        if r.status_code == 201:
            categories[name] = r.json()["id"]
        elif r.status_code == 409:  # a second demo company: the presets are there
            listed = (await c.get("/api/console/maintenance/categories", headers=sh,
                                  params={"kind": kind})).json()
            categories.update({x["name"]: x["id"] for x in listed})
    uv, handheld, cij = (m["id"] for m in machines[:3])
    today = business_date()
    records = "/api/console/maintenance-records"
    r = await c.post(records, headers=sh, json={
        "customer_id": cid, "kind": "repair", "machine_id": uv,
        "category_id": categories.get("喷头堵塞"), "service_request_id": request_id,
        "service_date": (today - timedelta(days=3)).isoformat(),
        "content": "喷头自检 E-21：喷头堵塞，现场清洗两遍后仍有断线", "engineer": "李工",
        "accessories": [{"name": "清洗液", "quantity": 2}], "charge": "0"})
    if r.status_code == 201:
        repair = r.json()["id"]
        await c.post(f"{records}/{repair}/entries", headers=sh, json={
            "content": "第二次上门：更换喷头，打印测试正常", "processed": True,
            "engineer": "李工"})
        await c.patch(f"{records}/{repair}", headers=sh, json={
            "accessories": [{"name": "清洗液", "quantity": 2}, {"name": "UV 喷头", "quantity": 1}],
            "charge": "680.00", "payment_status": "unpaid"})
    await c.post(records, headers=sh, json={
        "customer_id": cid, "kind": "repair", "machine_id": cij,
        "category_id": categories.get("主板故障"),
        "service_date": (today - timedelta(days=10)).isoformat(),
        "content": "开机无显示，主板电源模块烧毁，返厂检修", "engineer": "陈工",
        "charge": "1200.00", "return_to_factory": True, "factory_return_method": "顺丰到付",
        "key_matter": True})
    r = await c.post(records, headers=sh, json={
        "customer_id": cid, "kind": "repair", "machine_id": handheld,
        "category_id": categories.get("墨路泄漏"),
        "service_date": (today - timedelta(days=20)).isoformat(),
        "content": "墨盒接口漏墨，需更换墨路组件", "engineer": "陈工"})
    if r.status_code == 201:
        await c.post(f"{records}/{r.json()['id']}/suspend", headers=sh,
                     json={"reason": "等待厂家墨路组件到货（预计两周）"})
    await c.post(records, headers=sh, json={
        "customer_id": cid, "kind": "return_visit", "machine_id": cij,
        "category_id": categories.get("定期巡检"),
        "service_date": (today - timedelta(days=40)).isoformat(),
        "content": "季度巡检：设备运行正常，提醒客户每周清洗喷头", "engineer": "李工",
        "processed": True})


async def _order_with_points(c: httpx.AsyncClient, ch: dict, catalog: list[dict]) -> dict:
    """P-2: an order paying 60 yuan with points, waiting for review: the points service
    reserved them (我的积分 shows the redemption, the order its payable amount)."""
    body = {"delivery_date": (date.today() + timedelta(days=5)).isoformat(),
            "bill_type": "none", "remark": "演示订单（积分抵扣）", "points_to_use": 60,
            "lines": [{"product_id": catalog[1]["product_id"], "quantity": 2}]}
    for _ in range(200):  # the order service learns of the points by event
        r = await c.post("/api/portal/orders", headers=ch, json=body)
        if r.status_code != 422:
            break
        await asyncio.sleep(0.1)
    r.raise_for_status()
    return r.json()


def _first_of_month_after_next(day: date) -> date:
    y, m = divmod(day.month + 1, 12)
    return date(day.year + y, m + 1, 1)


async def _seed_points(c: httpx.AsyncClient, sh: dict, cid: str) -> None:
    """P-1..P-3: the paid order's points took effect (by event); staff add a welcome
    bonus with a reason, announce the next rule version and an event month (both at least
    a calendar month ahead) and write the points description."""
    for _ in range(100):  # the points service learns of the customer by event
        r = await c.post(f"/api/console/points/customers/{cid}/adjustments", headers=sh,
                         json={"points": 120, "reason": "新客户开户赠送积分"})
        if r.status_code != 404:
            break
        await asyncio.sleep(0.1)
    start = _first_of_month_after_next(business_date())
    await c.post("/api/console/points/rules", headers=sh, json={
        "yuan_per_point": "20.00", "redeem_threshold": 80,
        "effective_from": start.isoformat()})
    event = _first_of_month_after_next(start)
    await c.put("/api/console/points/event-months", headers=sh,
                json={"months": [event.strftime("%Y-%m")]})
    await c.put("/api/console/points/description", headers=sh, json={"content": (
        "## 积分说明\n\n"
        "- 购买**耗材**每满 20 元积 1 分（按订单向下取整）；配件、机器、维修服务不积分。\n"
        "- 订单付清后积分生效；退货或取消的部分扣回相应积分。\n"
        "- 员工代录的订单、活动月份内的订单不积分。\n"
        "- 累计积分满 100 分后可兑换，1 分抵 1 元，可抵扣耗材、配件和维修费用，不兑现金。\n"
        "- 规则调整至少提前一个自然月公告。")})
