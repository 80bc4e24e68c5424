"""The bulletin board and technical guidance through the gateway (N-4, X-1, C-7): staff
publish a pinned bulletin and a guidance article and keep a draft; a customer (approved,
or still waiting for review) sees the two published ones, pinned first, with the body's
HTML rendered safely (a `<script>` comes back escaped), and the draft is a 404 for it;
customers get 403 on the console routes, and staff bound to an area may read articles
but not write them."""

from __future__ import annotations

import uuid

import pytest

from .access_helpers import new_staff
from .test_authorization_matrix import approved_customer

pytestmark = pytest.mark.e2e

CONSOLE = "/api/console/articles"
PORTAL = "/api/portal/articles"
EDITOR = ["messages:entry", "messages:modify", "messages:query"]


async def write(editor, **body) -> dict:
    r = await editor.post(CONSOLE, json=body)
    assert r.status_code == 201, r.text
    return r.json()


class TestArticles:
    async def test_staff_publish_customers_read_pinned_first_N4(self, system, api, admin):
        editor, record = await new_staff(admin, EDITOR)
        tag = uuid.uuid4().hex[:6]
        bulletin = await write(
            editor, kind="bulletin", title=f"春节放假通知 {tag}", pinned=True,
            body="**2 月 9 日至 2 月 17 日**放假。\n\n<script>alert('x')</script>\n"
                 "- 放假期间订单顺延处理\n- 紧急联系 [客服](mailto:service@example.cn)")
        guidance = await write(
            editor, kind="guidance", title=f"喷头堵塞的处理 {tag}",
            body="## 步骤\n\n1. 关机\n2. 用 `CLN-500ML` 清洗液浸泡\n\n"
                 "[说明书](https://example.com/manual.pdf) [坏链接](javascript:alert%281%29)")
        draft = await write(editor, kind="bulletin", title=f"草稿 {tag}", body="还没写完",
                            published=False)
        assert (bulletin["published"], guidance["published"], draft["published"]) == \
            (True, True, False)
        assert draft["published_at"] is None and bulletin["published_at"] is not None
        assert bulletin["created_by"] == bulletin["updated_by"] == record["username"]

        customer, _, _ = await approved_customer(api, admin)
        r = await customer.get(PORTAL, params={"limit": 200})
        assert r.status_code == 200, r.text
        board = r.json()
        assert int(r.headers["x-total-count"]) == len(board)
        ids = [a["id"] for a in board]
        assert bulletin["id"] in ids and guidance["id"] in ids and draft["id"] not in ids
        assert ids.index(bulletin["id"]) < ids.index(guidance["id"])
        pins = [a["pinned"] for a in board]
        assert pins == sorted(pins, reverse=True)  # every pinned one before the others

        bulletins = (await customer.get(PORTAL, params={"kind": "bulletin",
                                                        "limit": 200})).json()
        assert bulletin["id"] in {a["id"] for a in bulletins}
        assert guidance["id"] not in {a["id"] for a in bulletins}

        r = await customer.get(f"{PORTAL}/{bulletin['id']}")
        assert r.status_code == 200, r.text
        seen = r.json()
        assert seen["body"] == bulletin["body"]
        html = seen["body_html"]
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
        assert "<script" not in html.lower()
        assert "<strong>2 月 9 日至 2 月 17 日</strong>" in html
        assert '<a href="mailto:service@example.cn"' in html and "<ul><li>" in html
        html = (await customer.get(f"{PORTAL}/{guidance['id']}")).json()["body_html"]
        assert '<a href="https://example.com/manual.pdf"' in html
        assert "javascript" not in html and "坏链接" in html  # link dropped, text kept
        assert "<code>CLN-500ML</code>" in html and "<h2>步骤</h2>" in html

        r = await customer.get(f"{PORTAL}/{draft['id']}")
        assert r.status_code == 404, r.text
        assert r.json() == {"error": "NotFound", "detail": "Article not found"}

        # unpublishing takes it off the board; staff still see it
        r = await editor.put(f"{CONSOLE}/{guidance['id']}", json={"published": False})
        assert r.status_code == 200 and r.json()["published"] is False, r.text
        assert (await customer.get(f"{PORTAL}/{guidance['id']}")).status_code == 404
        listed = (await editor.get(CONSOLE, params={"published": "false",
                                                    "limit": 200})).json()
        assert {guidance["id"], draft["id"]} <= {a["id"] for a in listed}

        # a customer still waiting for review reads the board too
        _, username, password = await api.register()
        pending = api.as_user()
        await pending.login(username, password)
        r = await pending.get(f"{PORTAL}/{bulletin['id']}")
        assert r.status_code == 200 and r.json()["body_html"] == seen["body_html"]

    async def test_customers_get_403_on_the_console_routes_X1(self, system, api, admin):
        editor, _ = await new_staff(admin, EDITOR)
        article = await write(editor, kind="bulletin", title="通知", body="正文")
        customer, _, _ = await approved_customer(api, admin)
        for method, path, body in (
                ("GET", CONSOLE, None),
                ("POST", CONSOLE, {"kind": "bulletin", "title": "我也发", "body": "x"}),
                ("GET", f"{CONSOLE}/{article['id']}", None),
                ("PUT", f"{CONSOLE}/{article['id']}", {"published": False})):
            r = await customer.request(method, path,
                                       **({"json": body} if body is not None else {}))
            assert r.status_code == 403, (method, path, r.text)
        r = await customer.get(f"{PORTAL}/{article['id']}")
        assert r.status_code == 200 and r.json()["title"] == "通知"  # unchanged

    async def test_area_bound_staff_read_but_do_not_write_C7(self, system, api, admin):
        editor, _ = await new_staff(admin, EDITOR)
        article = await write(editor, kind="guidance", title="保养", body="每周清洗一次")
        east, _ = await new_staff(admin, EDITOR, areas=["华东"])
        assert (await east.get(f"{CONSOLE}/{article['id']}")).status_code == 200
        assert (await east.get(CONSOLE)).status_code == 200
        for r in (await east.post(CONSOLE, json={"kind": "bulletin", "title": "区域通知",
                                                 "body": "x"}),
                  await east.put(f"{CONSOLE}/{article['id']}", json={"title": "改"})):
            assert r.status_code == 403, r.text
            assert r.json()["error"] == "AreaBound"
            assert "only staff without an area limit" in r.json()["detail"]
        assert (await editor.get(f"{CONSOLE}/{article['id']}")).json()["title"] == "保养"

    async def test_bad_input_is_a_readable_422_N4(self, system, api, admin):
        editor, _ = await new_staff(admin, EDITOR)
        r = await editor.post(CONSOLE, json={"kind": "bulletin", "title": "x" * 121,
                                             "body": "x"})
        assert r.status_code == 422, r.text
        assert r.json()["detail"].startswith("title: String should have at most 120")
        r = await editor.post(CONSOLE, json={"kind": "notice", "title": "x", "body": " "})
        assert r.status_code == 422, r.text
        assert "kind: Input should be 'bulletin' or 'guidance'" in r.json()["detail"]
        assert "the article body must not be blank" in r.json()["detail"]

