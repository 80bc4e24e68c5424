"""Integration: the bulletin board and technical guidance (N-4) over the notify service's
HTTP API against its real database (migrations applied): staff write and unpublish,
customers read the published ones in the board's order, permissions (X-1) and the area
rule (C-7), strict input (422 with readable messages)."""

import uuid
from datetime import datetime

from notify_service.articles.domain import board_order
from servicekit.testing import helpers as h
from sqlalchemy import text

CONSOLE = "/api/console/articles"
PORTAL = "/api/portal/articles"
WRITER = h.staff("messages:entry", "messages:modify", "messages:query", username="editor")


def article(kind="bulletin", **extra) -> dict:
    return {"kind": kind, "title": f"通知 {uuid.uuid4().hex[:6]}",
            "body": "**重要**：系统将于周六 *22:00* 维护。", **extra}


async def create(notify_app, body: dict, principal=WRITER) -> dict:
    async with h.client(notify_app, principal) as s:
        r = await s.post(CONSOLE, json=body)
    assert r.status_code == 201, r.text
    return r.json()


def ts(value: str) -> datetime:
    return datetime.fromisoformat(value)


async def clear(notify_db) -> None:
    """The board is shared by every test in this database; start from an empty one."""
    async with notify_db.engine.begin() as c:
        await c.execute(text("DELETE FROM articles"))


class TestWriting:
    async def test_create_returns_markdown_and_safe_html_N4(self, notify_app):
        body = article(body="  # 维护通知\n\n**重要**：<script>alert(1)</script>\n"
                            "[详情](https://example.com/a) [坏](javascript:alert(1))  ")
        created = await create(notify_app, {**body, "title": "  系统维护  ", "pinned": True})
        assert set(created) == {"id", "kind", "title", "body", "body_html", "published",
                                "pinned", "published_at", "created_at", "created_by",
                                "updated_at", "updated_by"}
        assert created["title"] == "系统维护"  # trimmed
        assert created["body"] == body["body"].strip()  # the Markdown as written
        assert created["body_html"] == (
            "<h1>维护通知</h1>\n<p><strong>重要</strong>：&lt;script&gt;alert(1)&lt;/script&gt;"
            '<br>\n<a href="https://example.com/a" rel="nofollow noopener noreferrer">详情</a>'
            " [坏](javascript:alert(1))</p>")
        assert created["published"] is True and created["pinned"] is True
        assert created["published_at"] is not None
        assert created["created_by"] == created["updated_by"] == "editor"
        assert created["created_at"] == created["updated_at"]
        async with h.client(notify_app, h.staff("messages:query")) as s:
            r = await s.get(f"{CONSOLE}/{created['id']}")
        assert r.status_code == 200 and r.json() == created

    async def test_draft_then_publish_unpublish_republish_N4(self, notify_app):
        draft = await create(notify_app, article("guidance", published=False))
        assert draft["published"] is False and draft["published_at"] is None
        async with h.client(notify_app, h.staff("messages:modify", username="li")) as s:
            published = (await s.put(f"{CONSOLE}/{draft['id']}",
                                     json={"published": True})).json()
            assert published["published"] is True and published["published_at"]
            assert published["updated_by"] == "li" and published["created_by"] == "editor"
            assert ts(published["updated_at"]) > ts(draft["updated_at"])
            r = await s.put(f"{CONSOLE}/{draft['id']}", json={"published": False})
            assert r.status_code == 200, r.text
            unpublished = r.json()
            assert unpublished["published"] is False
            assert unpublished["published_at"] == published["published_at"]
            again = (await s.put(f"{CONSOLE}/{draft['id']}", json={"published": True})).json()
            assert again["published_at"] == published["published_at"]  # first publication

    async def test_partial_update_and_no_change_keeps_updated_at_N4(self, notify_app):
        a = await create(notify_app, article())
        async with h.client(notify_app, h.staff("messages:modify", username="wang")) as s:
            r = await s.put(f"{CONSOLE}/{a['id']}", json={"title": " 新标题 ", "body": None})
            assert r.status_code == 200, r.text
            changed = r.json()
            assert (changed["title"], changed["body"], changed["kind"]) == \
                ("新标题", a["body"], a["kind"])
            assert changed["updated_by"] == "wang"
            assert ts(changed["updated_at"]) > ts(a["updated_at"])
            same = (await s.put(f"{CONSOLE}/{a['id']}",
                                json={"title": "新标题", "pinned": False})).json()
            assert same["updated_at"] == changed["updated_at"]  # nothing changed
            assert (await s.put(f"{CONSOLE}/{a['id']}", json={})).json() == same
            r = await s.put(f"{CONSOLE}/{uuid.uuid4()}", json={"title": "x"})
        assert r.status_code == 404
        assert r.json() == {"error": "NotFound", "detail": "Article not found"}

    async def test_console_list_filters_and_pages(self, notify_app, notify_db):
        await clear(notify_db)
        made = [await create(notify_app, article("bulletin")),
                await create(notify_app, article("guidance", published=False)),
                await create(notify_app, article("guidance"))]
        async with h.client(notify_app, h.staff("messages:query")) as s:
            r = await s.get(CONSOLE)
            assert r.status_code == 200, r.text
            assert [a["id"] for a in r.json()] == [m["id"] for m in reversed(made)]
            assert r.headers["x-total-count"] == "3"
            r = await s.get(CONSOLE, params={"kind": "guidance", "published": "false"})
            assert [a["id"] for a in r.json()] == [made[1]["id"]]
            r = await s.get(CONSOLE, params={"limit": 1, "offset": 1})
            assert [a["id"] for a in r.json()] == [made[1]["id"]]
            assert r.headers["x-total-count"] == "3"


class TestBoard:
    async def test_customer_sees_published_pinned_first_newest_first_N4(self, notify_app,
                                                                      notify_db):
        await clear(notify_db)
        old = await create(notify_app, article())
        pinned_old = await create(notify_app, article(pinned=True))
        guidance = await create(notify_app, article("guidance"))
        draft = await create(notify_app, article(published=False))
        new = await create(notify_app, article())
        gone = await create(notify_app, article(pinned=True))
        async with h.client(notify_app, WRITER) as s:
            r = await s.put(f"{CONSOLE}/{gone['id']}", json={"published": False})
            assert r.status_code == 200
        async with h.client(notify_app, h.customer()) as c:
            r = await c.get(PORTAL, params={"kind": "bulletin"})
            assert r.status_code == 200, r.text
            board = r.json()
            assert [a["id"] for a in board] == [pinned_old["id"], new["id"], old["id"]]
            assert r.headers["x-total-count"] == "3"
            assert set(board[0]) == {"id", "kind", "title", "body", "body_html", "pinned",
                                     "published_at", "updated_at"}
            everything = (await c.get(PORTAL)).json()
            assert [a["id"] for a in everything] == \
                [pinned_old["id"], new["id"], guidance["id"], old["id"]]
            # the SQL order is the domain's rule
            rows = [type("Row", (), {"id": uuid.UUID(a["id"]), "pinned": a["pinned"],
                                     "published_at": ts(a["published_at"])})()
                    for a in everything]
            assert [str(x.id) for x in board_order(reversed(rows))] == \
                [a["id"] for a in everything]
            page = await c.get(PORTAL, params={"limit": 2, "offset": 1})
            assert [a["id"] for a in page.json()] == [new["id"], guidance["id"]]
            assert page.headers["x-total-count"] == "4"

            r = await c.get(f"{PORTAL}/{guidance['id']}")
            assert r.status_code == 200 and r.json()["body_html"] == guidance["body_html"]
            for hidden in (draft["id"], gone["id"], str(uuid.uuid4())):
                r = await c.get(f"{PORTAL}/{hidden}")
                assert r.status_code == 404, r.text
                assert r.json() == {"error": "NotFound", "detail": "Article not found"}

    async def test_board_is_for_customers_console_for_staff_X1(self, notify_app):
        a = await create(notify_app, article())
        async with h.client(notify_app, h.staff()) as s:
            assert (await s.get(PORTAL)).status_code == 403
        async with h.client(notify_app, h.customer()) as c:
            for method, path, body in (("GET", CONSOLE, None),
                                       ("POST", CONSOLE, article()),
                                       ("GET", f"{CONSOLE}/{a['id']}", None),
                                       ("PUT", f"{CONSOLE}/{a['id']}", {"title": "x"})):
                r = await c.request(method, path, json=body)
                assert r.status_code == 403, (method, path, r.text)
        async with h.client(notify_app) as anonymous:
            assert (await anonymous.get(PORTAL)).status_code == 401


class TestPermissions:
    async def test_each_route_needs_its_permission_X1(self, notify_app):
        a = await create(notify_app, article())
        routes = (("POST", CONSOLE, article(), "messages:entry"),
                  ("PUT", f"{CONSOLE}/{a['id']}", {"pinned": True}, "messages:modify"),
                  ("GET", CONSOLE, None, "messages:query"),
                  ("GET", f"{CONSOLE}/{a['id']}", None, "messages:query"))
        for method, path, body, permission in routes:
            others = {"messages:entry", "messages:modify", "messages:query",
                      "orders:review"} - {permission}
            async with h.client(notify_app, h.staff(*others)) as s:
                r = await s.request(method, path, json=body)
            assert r.status_code == 403, (method, path, r.text)
            assert r.json()["detail"] == f"Permission {permission} is required"
            async with h.client(notify_app, h.staff(permission)) as s:
                r = await s.request(method, path, json=body)
            assert r.status_code in (200, 201), (method, path, r.text)

    async def test_area_bound_staff_read_but_do_not_write_C7(self, notify_app):
        a = await create(notify_app, article())
        east = h.staff("messages:entry", "messages:modify", "messages:query",
                       areas=("华东",))
        async with h.client(notify_app, east) as s:
            assert (await s.get(CONSOLE)).status_code == 200
            assert (await s.get(f"{CONSOLE}/{a['id']}")).status_code == 200
            for r in (await s.post(CONSOLE, json=article()),
                      await s.put(f"{CONSOLE}/{a['id']}", json={"title": "改"})):
                assert r.status_code == 403, r.text
                assert r.json() == {
                    "error": "AreaBound",
                    "detail": "Articles are shown to every customer, whatever their area: "
                              "only staff without an area limit may create or edit them"}
            assert (await s.get(f"{CONSOLE}/{a['id']}")).json() == a  # unchanged


class TestBadInput:
    async def test_readable_422s_N4(self, notify_app):
        a = await create(notify_app, article())
        cases = (
            ({**article(), "title": "   "}, "title: must not be blank"),
            ({**article(), "title": "标" * 121}, "title: String should have at most 120"),
            # a field called `body` keeps its name in `detail` (servicekit.errors._loc)
            ({**article(), "body": " \n "}, "body: the article body must not be blank"),
            ({**article(), "body": "x" * 20001}, "body: the article body must have at "
                                                 "most 20000 characters (it has 20001)"),
            ({**article(), "body": "a\x00b"}, "body: the article body must not contain "
                                              "NUL characters"),
            ({**article(), "body": 42}, "body: Input should be a valid string"),
            ({**article(), "kind": "gossip"}, "kind: Input should be 'bulletin' or "
                                              "'guidance'"),
            ({"kind": "bulletin", "body": "x"}, "title: Field required"),
            ({**article(), "published": "maybe"}, "published: Input should be a valid "
                                                  "boolean"),
            ({**article(), "author": "me"}, "author: Extra inputs are not permitted"),
        )
        async with h.client(notify_app, WRITER) as s:
            for body, detail in cases:
                r = await s.post(CONSOLE, json=body)
                assert r.status_code == 422, r.text
                assert r.json()["error"] == "ValidationError"
                assert r.json()["detail"].startswith(detail), (detail, r.json()["detail"])
                assert r.json()["errors"], r.text
            # the limits count characters after trimming
            ok = await s.post(CONSOLE, json={**article(), "title": " " + "标" * 120 + " ",
                                             "body": "\n" + "x" * 20000 + "\n"})
            assert ok.status_code == 201, ok.text
            for body, word in (({"title": ""}, "title"), ({"body": "x" * 20001}, "body"),
                               ({"kind": "news"}, "kind"), ({"id": a["id"]}, "id")):
                r = await s.put(f"{CONSOLE}/{a['id']}", json=body)
                assert r.status_code == 422 and word in r.json()["detail"], r.text
            for params, word in (({"kind": "news"}, "kind"), ({"published": "maybe"},
                                                              "published"),
                                 ({"limit": 0}, "limit"), ({"offset": 10**20}, "offset")):
                r = await s.get(CONSOLE, params=params)
                assert r.status_code == 422 and word in r.json()["detail"], r.text
            r = await s.get(f"{CONSOLE}/not-a-uuid")
            assert r.status_code == 422 and "article_id" in r.json()["detail"]
        async with h.client(notify_app, h.customer()) as c:
            for params, word in (({"kind": "news"}, "kind"), ({"limit": 201}, "limit")):
                r = await c.get(PORTAL, params=params)
                assert r.status_code == 422 and word in r.json()["detail"], r.text
