"""The gateway serves the built web application (issue 4): the portal's and the console's
index.html for their client-side routes, long-cached assets, and /api stays the API."""


import httpx
import pytest
from dinghuo_gateway.app import create_app
from dinghuo_gateway.config import Settings


async def get(app, path: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://gw") as c:
        return await c.get(path)


@pytest.mark.parametrize(("path", "body"), [
    ("/", "portal"), ("/orders/new", "portal"), ("/login", "portal"),
    ("/console", "console"), ("/console/", "console"), ("/console/customers/42", "console"),
])
async def test_client_routes_get_their_index_html(dist, path, body):
    r = await get(create_app(Settings(web_dist=str(dist))), path)
    assert r.status_code == 200
    assert body in r.text
    assert r.headers["content-type"].startswith("text/html")
    assert r.headers["cache-control"] == "no-cache"


async def test_assets_are_cached_for_long(dist):
    app = create_app(Settings(web_dist=str(dist)))
    r = await get(app, "/assets/main-abc123.js")
    assert r.status_code == 200 and r.text == "console.log(1)"
    assert "immutable" in r.headers["cache-control"]
    assert (await get(app, "/favicon.svg")).text == "<svg/>"
    assert (await get(app, "/assets/missing.js")).status_code == 404


async def test_api_paths_are_never_the_page(dist):
    app = create_app(Settings(web_dist=str(dist)))
    r = await get(app, "/api/nothing-here")
    assert r.status_code == 404
    assert r.json()["error"] == "NotFound"
    assert (await get(app, "/healthz")).json()["status"] == "ok"


async def test_no_escape_from_the_dist_folder(dist):
    app = create_app(Settings(web_dist=str(dist)))
    r = await get(app, "/assets/..%2f..%2fsecret.txt")
    assert r.status_code == 404
    r = await get(app, "/..%2fsecret.txt")
    assert "no" != r.text


async def test_without_a_build_the_landing_page_answers(tmp_path):
    app = create_app(Settings(web_dist=str(tmp_path / "later")))
    r = await get(app, "/")
    assert r.status_code == 200 and "客户门户" in r.text
    assert "员工控制台" in (await get(app, "/console/customers")).text
    # a build made after the gateway started is served at once
    (tmp_path / "later" / "console").mkdir(parents=True)
    (tmp_path / "later" / "index.html").write_text("<html>portal</html>")
    assert (await get(app, "/orders")).text == "<html>portal</html>"


async def test_without_a_web_dist_setting_the_landing_pages_answer():
    r = await get(create_app(Settings(web_dist=None)), "/console")
    assert r.status_code == 200 and "员工控制台" in r.text
