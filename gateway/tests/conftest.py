"""The gateway app in-process on its real database (built by its migrations)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from dinghuo_gateway.app import create_app
from dinghuo_gateway.config import Settings
from dinghuo_gateway.models import User
from dinghuo_gateway.users import passwords
from fastapi import FastAPI

ALEMBIC_INI = Path(__file__).resolve().parents[1] / "alembic.ini"
SECRET = "gateway-test-session-secret-0123456789abcdef"


def gateway_settings(url: str, **overrides) -> Settings:
    values = {"database_url": url, "environment": "test", "session_secret": SECRET,
              "auth_rate_limit": 100_000, "admin_password": None, **overrides}
    return Settings(**values)


@pytest.fixture(scope="session")
async def gateway_url(databases) -> str:
    return await databases.get("gateway", ALEMBIC_INI)


@pytest.fixture(scope="session")
async def gateway_app(gateway_url) -> AsyncIterator[FastAPI]:
    app = create_app(gateway_settings(gateway_url))
    yield app
    await app.state.db.dispose()


def client(app: FastAPI, token: str | None = None, **headers: str) -> httpx.AsyncClient:
    if token:
        headers["Authorization"] = f"Bearer {token}"
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://gw", headers=headers)


def unique(prefix: str = "u") -> str:
    return f"{prefix}{uuid.uuid4().hex[:10]}"


async def add_user(app: FastAPI, *, kind: str = "staff", username: str | None = None,
                   password: str = "Secret-123", permissions: list[str] | None = None,
                   areas: list[str] | None = None, must_change: bool = False,
                   company_role: str | None = None, customer_id: uuid.UUID | None = None,
                   mobile: str | None = None, email: str | None = None) -> User:
    """A user row written straight into the gateway database (a factory)."""
    customer = kind == "customer"
    user = User(id=uuid.uuid4(), username=username or unique(), kind=kind,
                customer_id=(customer_id or uuid.uuid4()) if customer else None,
                company_role=(company_role or "admin") if customer else None,
                permissions=permissions or [], areas=areas or [],
                password_hash=await asyncio.to_thread(passwords.hash_password, password),
                must_change_password=must_change, active=True, mobile=mobile, email=email)
    async with app.state.db.sessionmaker() as s, s.begin():
        s.add(user)
    return user


async def login(app: FastAPI, username: str, password: str = "Secret-123") -> str:
    async with client(app) as c:
        r = await c.post("/api/auth/login", json={"username": username, "password": password})
    assert r.status_code == 200, r.text
    return r.json()["access_token"]


async def staff_token(app: FastAPI, *permissions: str, areas: list[str] | None = None
                      ) -> tuple[User, str]:
    user = await add_user(app, permissions=list(permissions), areas=areas)
    return user, await login(app, user.username)


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    """A built web application in miniature (portal, console, a hashed asset)."""
    (tmp_path / "assets").mkdir()
    (tmp_path / "console").mkdir()
    (tmp_path / "index.html").write_text("<html>portal</html>")
    (tmp_path / "console" / "index.html").write_text("<html>console</html>")
    (tmp_path / "assets" / "main-abc123.js").write_text("console.log(1)")
    (tmp_path / "favicon.svg").write_text("<svg/>")
    (tmp_path.parent / "secret.txt").write_text("no")
    return tmp_path
