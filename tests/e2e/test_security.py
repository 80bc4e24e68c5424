"""Issue 8 through the running system, as an outsider would probe it: inputs that made a
500 or a hang, sessions that must end, the last administrator, spoofed addresses.
Each class is also fuzzed by test_fuzz.py; these are the hand-made probes that name it."""

from __future__ import annotations

import asyncio
import time
import uuid

import httpx
import pytest

from .access_helpers import new_staff
from .api import eventually
from .test_authorization_matrix import approved_customer

pytestmark = pytest.mark.e2e

CONTROL = ["%00", "%01", "%1A", "%7F", "%0A", "%C3%28", "%E2%80%AE", "%25", "%", "%zz",
           "\\", "..%2F..%2F", "%20x%20"]


class TestProxiedPaths:
    async def test_control_characters_in_path_parameters_are_4xx_X3(self, system, admin):
        """Control characters, broken UTF-8 and stray '%' in a path parameter of a
        proxied route: a 4xx with the usual error body, never a 500 (issue 8)."""
        customer, _cid, _ = await approved_customer(admin.as_user(), admin)
        paths = []
        for bad in CONTROL:
            paths += [f"/api/console/customers/{bad}x/audit", f"/api/console/invoices/{bad}",
                      f"/api/console/orders/a{bad}b/timeline"]
        async with httpx.AsyncClient(base_url=system.config.gateway_url, timeout=30) as raw:
            for path in paths:
                r = await raw.send(raw.build_request(
                    "GET", httpx.URL(system.config.gateway_url).copy_with(raw_path=path.encode()),
                    headers=admin.headers))
                assert 400 <= r.status_code < 500, (path, r.status_code, r.text)
                assert r.json()["error"] and r.json()["detail"], path
            for path in [f"/api/portal/orders/{bad}" for bad in CONTROL]:
                r = await raw.send(raw.build_request(
                    "GET", httpx.URL(system.config.gateway_url).copy_with(raw_path=path.encode()),
                    headers=customer.headers))
                assert 400 <= r.status_code < 500, (path, r.status_code, r.text)
            # the same bytes in the query string
            r = await raw.send(raw.build_request("GET", httpx.URL(
                system.config.gateway_url).copy_with(
                raw_path=b"/api/console/orders?q=%00%1A%zz&status=%C3%28"),
                headers=admin.headers))
            assert 400 <= r.status_code < 500 or r.status_code == 200, r.text

    async def test_trailing_slash_never_redirects_to_an_internal_address_X3(self, system,
                                                                          admin):
        """`/api/portal/orders/` was a 307 to the order service's own address; now no
        answer of the gateway names a service address (issue 8)."""
        internal = {f"127.0.0.1:{p}" for n, p in system.config.ports.items() if n != "gateway"}
        customer, _, _ = await approved_customer(admin.as_user(), admin)
        for who, path in ((customer, "/api/portal/orders/"), (customer, "/api/portal/catalog/"),
                          (admin, "/api/console/customers/"), (admin, "/api/console/orders/"),
                          (admin, "/api/console/staff/"), (admin, "/api/console/prompts/")):
            r = await who.get(path, follow_redirects=False)
            assert r.status_code == 404, (path, r.status_code, r.headers)
            assert "location" not in r.headers
            assert not any(i in r.text for i in internal)


class TestPromptStream:
    async def test_stream_without_accept_header_streams_and_ends_with_the_client_N3(
            self, system, admin):
        """Without `Accept: text/event-stream` the prompt stream was buffered forever
        (a hang) and every abandoned stream kept its upstream connection. Now it streams
        either way, and 120 abandoned streams (more than the gateway's upstream pool)
        leave the gateway answering at once (issue 8)."""
        url = system.config.gateway_url + "/api/console/prompts/stream"
        for i in range(120):
            async with httpx.AsyncClient(timeout=10) as c:
                hdrs = dict(admin.headers)
                if i % 2:
                    hdrs["accept"] = "application/json"
                async with c.stream("GET", url, headers=hdrs) as r:
                    assert r.status_code == 200
                    assert r.headers["content-type"].startswith("text/event-stream")
                    first = await asyncio.wait_for(r.aiter_raw().__anext__(), 10)
                    assert b"connected" in first
        start = time.monotonic()
        r = await admin.get("/api/console/prompts", params={"limit": 1})
        assert r.status_code == 200
        async with httpx.AsyncClient(timeout=10) as c:
            async with c.stream("GET", url, headers=admin.headers) as s:
                first = await asyncio.wait_for(s.aiter_raw().__anext__(), 10)
                assert b"connected" in first
        assert time.monotonic() - start < 10

    async def test_logout_ends_an_open_stream_within_seconds_X3(self, system, admin):
        staff, _ = await new_staff(admin, ["messages:query"])
        url = system.config.gateway_url + "/api/console/prompts/stream"
        async with httpx.AsyncClient(timeout=30) as c:
            async with c.stream("GET", url, headers=staff.headers) as s:
                it = s.aiter_raw()
                assert b"connected" in await asyncio.wait_for(it.__anext__(), 10)
                assert (await staff.post("/api/auth/logout")).status_code == 204
                started = time.monotonic()
                with pytest.raises((StopAsyncIteration, httpx.HTTPError)):
                    while True:
                        await asyncio.wait_for(it.__anext__(), 20)
                assert time.monotonic() - started < 20


class TestSessions:
    async def test_logout_ends_the_bearer_session_at_once_X3(self, system, admin):
        """A bearer token survived logout for 12 hours (issue 8)."""
        staff, record = await new_staff(admin, ["customers:query"])
        other = staff.as_user()
        other.token = staff.token  # the same session used by a second program
        second = staff.as_user()
        await second.login(record["username"], "Staff-2026-ok")
        assert (await staff.get("/api/console/customers")).status_code == 200
        assert (await staff.post("/api/auth/logout")).status_code == 204
        for client in (staff, other):
            r = await client.get("/api/console/customers")
            assert r.status_code == 401, r.text
            assert (await client.get("/api/auth/me")).status_code == 401
        # another session of the same user goes on...
        assert (await second.get("/api/console/customers")).status_code == 200
        # ...until it logs out everywhere, which ends every session of the user
        third = staff.as_user()
        await third.login(record["username"], "Staff-2026-ok")
        r = await second.post("/api/auth/logout", params={"everywhere": "true"})
        assert r.status_code == 204
        for client in (second, third):
            assert (await client.get("/api/auth/me")).status_code == 401

    async def test_password_change_and_deactivation_end_every_session_X3(self, system,
                                                                         admin):
        staff, record = await new_staff(admin, ["customers:query"])
        elsewhere = staff.as_user()
        await elsewhere.login(record["username"], "Staff-2026-ok")
        r = await staff.post("/api/auth/change-password", json={
            "current_password": "Staff-2026-ok", "new_password": "Staff-2027-ok"})
        assert r.status_code == 200
        assert (await elsewhere.get("/api/auth/me")).status_code == 401
        staff.token = r.json()["access_token"]
        assert (await staff.get("/api/console/customers")).status_code == 200
        r = await admin.put(f"/api/console/staff/{record['id']}", json={"active": False})
        assert r.status_code == 200, r.text
        assert (await staff.get("/api/console/customers")).status_code == 401
        r = await admin.client.post("/api/auth/login", json={
            "username": record["username"], "password": "Staff-2027-ok"})
        assert r.status_code == 401

    async def test_role_change_reaches_an_existing_session_at_once_X1(self, system, admin):
        """Accounts are cached per gateway: a permission taken away must still count at
        the very next request."""
        staff, record = await new_staff(admin, ["customers:query"])
        assert (await staff.get("/api/console/customers")).status_code == 200
        r = await admin.put(f"/api/console/staff/{record['id']}",
                            json={"permissions": ["orders:query"]})
        assert r.status_code == 200
        assert (await staff.get("/api/console/customers")).status_code == 403
        assert (await staff.get("/api/console/orders")).status_code == 200


class TestLastAdministrator:
    async def test_nobody_strips_the_last_full_rights_X1(self, system, admin):
        """At least one active staff user always keeps full rights — every permission in
        every area (issue 8): nobody changes their own access, and no change to a user or
        a role may take the last full rights away."""
        me = (await admin.get("/api/auth/me")).json()
        others = [u for u in (await admin.get("/api/console/staff",
                                              params={"limit": 200})).json()
                  if u["id"] != me["id"] and u["active"]
                  and "*" in u["effective_permissions"] and not u["areas"]]
        for u in others:  # make the admin the only one with full rights
            r = await admin.put(f"/api/console/staff/{u['id']}", json={"active": False})
            assert r.status_code == 200, r.text
        for change in ({"permissions": ["settings:query"]}, {"areas": ["华东"]},
                       {"active": False}):
            r = await admin.put(f"/api/console/staff/{me['id']}", json=change)
            assert r.status_code == 409, (change, r.text)
        # a deputy with every permission by role may take over, then strip the admin
        role = await admin.post("/api/console/roles", json={
            "name": f"全部权限{uuid.uuid4().hex[:6]}", "permissions": ["*"]})
        assert role.status_code == 201, role.text
        deputy, rec = await new_staff(admin, [], role_ids=[role.json()["id"]])
        r = await deputy.put(f"/api/console/staff/{me['id']}",
                             json={"permissions": ["settings:query"]})
        assert r.status_code == 200, r.text
        # now the role is the only source of full rights: emptying it is refused
        r = await deputy.put(f"/api/console/roles/{role.json()['id']}",
                             json={"permissions": ["settings:*"]})
        assert r.status_code == 409, r.text
        assert "full rights" in r.json()["detail"]
        # restore: the admin gets full rights back; then the role may change
        r = await deputy.put(f"/api/console/staff/{me['id']}", json={"permissions": ["*"]})
        assert r.status_code == 200, r.text
        r = await admin.put(f"/api/console/roles/{role.json()['id']}",
                            json={"permissions": ["settings:*"]})
        assert r.status_code == 200, r.text
        for u in others:
            r = await admin.put(f"/api/console/staff/{u['id']}", json={"active": True})
            assert r.status_code == 200, r.text


class TestClientAddress:
    async def test_forwarded_for_from_loopback_is_not_believed_X3(self, system, admin):
        """`make run` believed X-Forwarded-For from 127.0.0.1 (uvicorn's proxy headers),
        so the login rate limit and the audit's addresses could be spoofed from the
        machine itself (issue 8)."""
        name = f"nobody{uuid.uuid4().hex[:8]}"
        async with httpx.AsyncClient(base_url=system.config.gateway_url, timeout=30) as c:
            r = await c.post("/api/auth/login", json={"username": name, "password": "x" * 8},
                             headers={"X-Forwarded-For": "203.0.113.9"})
            assert r.status_code == 401

        async def audited():
            r = await admin.get("/api/console/audit", params={"user": name})
            assert r.status_code == 200
            return r.json()

        events = await eventually(audited, timeout=10)
        assert {e["address"] for e in events} == {"127.0.0.1"}

