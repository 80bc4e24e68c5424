"""Fault reports through the running system (S-1, C-7): a customer reports a fault and
adds a photo through the gateway (multipart in, image out); staff get a prompt that names
the report, open it, see the photo and reply; the customer sees the reply and gets an
inbox message; answering brings the report back to staff as a prompt; resolved and closed,
it takes no more replies. Another customer's photo is 404, a non-image 422, a staff
member of another area sees nothing."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from .access_helpers import new_staff
from .api import Api, eventually
from .test_machines import approved_customer

pytestmark = pytest.mark.e2e


def jpeg() -> bytes:
    out = io.BytesIO()
    tags = Image.Exif()
    tags[0x0131] = "camera-e2e"
    Image.new("RGB", (64, 48), (200, 40, 40)).save(out, "JPEG", exif=tags.tobytes())
    return out.getvalue()


async def prompt_for(admin: Api, kind: str, request_id: str) -> dict:
    async def find():
        prompts = (await admin.get("/api/console/prompts", params={"limit": 200})).json()
        return next((p for p in prompts if p["kind"] == kind
                     and p["data"].get("request_id") == request_id), None)
    return await eventually(find)


async def message_for(customer: Api, kind: str, request_id: str) -> dict:
    async def find():
        messages = (await customer.get("/api/portal/messages")).json()
        return next((m for m in messages if m["kind"] == kind
                     and m["data"].get("request_id") == request_id), None)
    return await eventually(find)


class TestFaultReports:
    async def test_report_photo_prompt_reply_inbox_S1(self, system, api, admin):
        customer, cid = await approved_customer(api, admin, "华东")
        other, _ = await approved_customer(api, admin, "华北")

        async def report():
            r = await customer.post("/api/portal/service-requests", json={
                "machine": "UV 喷码机", "description": "喷头堵塞，打印断线"})
            return r if r.status_code == 201 else None
        rid = (await eventually(report)).json()["id"]

        r = await customer.post(f"/api/portal/service-requests/{rid}/photos",
                                files={"files": ("nozzle.jpg", jpeg(), "image/jpeg")})
        assert r.status_code == 201, r.text
        [photo] = r.json()["photos"]
        assert photo["url"] == f"/api/portal/service-requests/{rid}/photos/{photo['id']}"
        served = await customer.get(photo["url"])
        assert served.status_code == 200 and served.headers["content-type"] == "image/jpeg"
        assert b"camera-e2e" not in served.content
        assert Image.open(io.BytesIO(served.content)).size == (64, 48)

        # bad uploads: a text file named .jpg, another customer's report and photo
        r = await customer.post(f"/api/portal/service-requests/{rid}/photos",
                                files={"files": ("readme.jpg", b"hello, not an image",
                                                 "image/jpeg")})
        assert r.status_code == 422
        assert r.json()["detail"] == ("Photo readme.jpg: the file is not a JPEG, PNG or WebP "
                                      "image")
        assert (await other.get(photo["url"])).status_code == 404
        r = await other.post(f"/api/portal/service-requests/{rid}/photos",
                             files={"files": ("x.jpg", jpeg(), "image/jpeg")})
        assert r.status_code == 404

        # staff: the prompt opens the report, the photo is served on the console side
        prompt = await prompt_for(admin, "service_request", rid)
        assert "喷头堵塞" in prompt["message"]
        detail = (await admin.get(f"/api/console/service-requests/{rid}")).json()
        console_url = detail["photos"][0]["url"]
        assert console_url == f"/api/console/service-requests/{rid}/photos/{photo['id']}"
        assert (await admin.get(console_url)).content == served.content
        north, _ = await new_staff(admin, ["service_desk:query", "service_desk:entry"],
                                   areas=["华北"])
        assert (await north.get(console_url)).status_code == 404

        r = await admin.post(f"/api/console/service-requests/{rid}/replies", json={
            "message": "请先清洗喷头，再告诉我们结果", "status": "waiting_for_customer"})
        assert r.status_code == 201 and r.json()["status"] == "waiting_for_customer"

        # the customer sees the reply and is told in its inbox
        mine = (await customer.get(f"/api/portal/service-requests/{rid}")).json()
        assert mine["replies"][-1]["message"] == "请先清洗喷头，再告诉我们结果"
        message = await message_for(customer, "service_request_replied", rid)
        assert "等待您的回复" in message["message"] and "请先清洗喷头" in message["message"]

        # the customer's answer goes back to in_progress and prompts the staff
        r = await customer.post(f"/api/portal/service-requests/{rid}/replies",
                                json={"message": "清洗后还是断线"})
        assert r.status_code == 201 and r.json()["status"] == "in_progress"
        answer = await prompt_for(admin, "service_request_replied", rid)
        assert "清洗后还是断线" in answer["message"]

        r = await admin.post(f"/api/console/service-requests/{rid}/replies",
                             json={"message": "已上门更换喷头", "status": "resolved"})
        assert r.status_code == 201 and r.json()["actions"] == ["reply", "close"]
        r = await customer.post(f"/api/portal/service-requests/{rid}/close")
        assert r.status_code == 200 and r.json()["status"] == "closed"
        r = await admin.post(f"/api/console/service-requests/{rid}/replies",
                             json={"message": "还好吗？"})
        assert r.status_code == 409 and "closed" in r.json()["detail"]
        queue = (await admin.get("/api/console/service-requests", params={
            "status": ["open", "in_progress", "waiting_for_customer"],
            "customer_id": cid})).json()
        assert rid not in [x["id"] for x in queue]
