"""Benchmark: an authenticated GET through the gateway, the code before issue 16's gateway
changes and the current code side by side in the same run (issue 16, items 2 and 5).

Both gateways run as `make run` starts them (one uvicorn process each, on their own
database from the gateway's migrations) in front of the same stub upstream service, a
bare ASGI app answering `[]` at once, so what is measured is the gateway's own cost:
  - `GET /api/auth/me`: authentication only (the gateway answers itself);
  - `GET /api/portal/catalog/products`: authentication, the internal token and the
    forwarding to the upstream and back.
wrk (Debian's `wrk`) drives each at 1 and 32 connections; the two versions take turns,
round after round, so the machine's other load falls on both alike, and each cell shows
the round with the median throughput.

    uv run python bench/gateway_auth.py [--seconds 8] [--rounds 3] [--before-rev 943c721]

"Before" is `git archive <before-rev> gateway libs` unpacked in a temporary directory and
put first on PYTHONPATH (the git state of the checkout is never changed).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG = "postgresql+asyncpg://postgres@127.0.0.1:5432"
SECRET = "bench-session-secret-0123456789abcdef0123456789"
PASSWORD = "Secret-123"
# The commit before the gateway's authentication, middleware and forwarding changes.
BEFORE_REV = "943c721"
PATHS = {"me": "/api/auth/me", "proxied": "/api/portal/catalog/products"}


# ---------------------------------------------------------------------- the stub upstream
async def stub_app(scope, receive, send):
    """A service answering every request with `[]` (reads and drops the body)."""
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    more = True
    while more:
        message = await receive()
        more = message.get("more_body", False)
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json"),
                            (b"x-total-count", b"0")]})
    await send({"type": "http.response.body", "body": b"[]"})


def run_stub(port: int) -> None:
    import uvicorn

    uvicorn.run(stub_app, host="127.0.0.1", port=port, log_level="warning",
                access_log=False)


# ---------------------------------------------------------------------- helpers
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing listens on port {port}")


async def prepare_database(url: str) -> None:
    from servicekit.migrations import create_database, upgrade

    await create_database(url, drop_first=True)
    await asyncio.to_thread(upgrade, ROOT / "gateway" / "alembic.ini", url)
    from dinghuo_gateway.models import User
    from dinghuo_gateway.users import passwords
    from servicekit.db import Database

    db = Database(url)
    try:
        async with db.sessionmaker() as s, s.begin():
            s.add(User(id=uuid.uuid4(), username="bench-buyer", kind="customer",
                       customer_id=uuid.uuid4(), company_role="admin", permissions=[],
                       areas=[], password_hash=passwords.hash_password(PASSWORD),
                       must_change_password=False, active=True))
    finally:
        await db.dispose()


def gateway_env(url: str, upstream: int, pythonpath: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GATEWAY_", "DINGHUO_", "OTEL_"))}
    env.update({
        "GATEWAY_DATABASE_URL": url, "GATEWAY_SESSION_SECRET": SECRET,
        "DINGHUO_ENVIRONMENT": "test", "DINGHUO_LOG_LEVEL": "WARNING",
        "GATEWAY_PASSWORD_HASH_COST": "low", "GATEWAY_AUTH_RATE_LIMIT": "100000",
        **{f"GATEWAY_{name.upper()}_URL": f"http://127.0.0.1:{upstream}"
           for name in ("customer", "order", "invoice", "points", "servicedesk", "notify")},
    })
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    return env


def login(port: int) -> str:
    import httpx

    r = httpx.post(f"http://127.0.0.1:{port}/api/auth/login",
                   json={"username": "bench-buyer", "password": PASSWORD}, timeout=30)
    r.raise_for_status()
    return r.json()["access_token"]


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    m = re.match(r"([\d.]+)(us|ms|s)", text)
    if not m:
        raise ValueError(text)
    return float(m.group(1)) * _UNITS[m.group(2)]


def wrk(port: int, path: str, token: str, connections: int, seconds: int) -> dict:
    out = subprocess.run(
        ["wrk", "-t", "1" if connections == 1 else "2", "-c", str(connections),
         "-d", f"{seconds}s", "--latency", "-H", f"Authorization: Bearer {token}",
         f"http://127.0.0.1:{port}{path}"],
        capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return {"rps": rps, "p50": p50, "p99": p99, "errors": int(bad.group(1)) if bad else 0}


# Before, sniffio was not installed: httpcore's `import sniffio` on every pooled request
# failed after searching the whole sys.path. The "before" process is given that back: the
# search is still made, then the module is not found.
NO_SNIFFIO = """\
import importlib.machinery
import sys


class _Absent:
    @staticmethod
    def find_spec(name, path=None, target=None):
        if name == "sniffio":
            importlib.machinery.PathFinder.find_spec(name, path)
            raise ModuleNotFoundError("No module named 'sniffio'", name=name)
        return None


sys.meta_path.insert(0, _Absent)
"""


def unpack_before(rev: str, into: Path) -> str:
    archive = subprocess.run(["git", "archive", rev, "gateway", "libs"], cwd=ROOT,
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    (into / "site").mkdir()
    (into / "site" / "sitecustomize.py").write_text(NO_SNIFFIO)
    return os.pathsep.join(str(into / p) for p in (
        "site", "gateway/src", "libs/servicekit/src", "libs/contracts/src"))


# ---------------------------------------------------------------------- the run
def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--before-rev", default=BEFORE_REV)
    parser.add_argument("--stub", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stub:
        run_stub(args.stub)
        return
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    run = uuid.uuid4().hex[:6]
    tmp = Path(tempfile.mkdtemp(prefix="gwbench-"))
    before_path = unpack_before(args.before_rev, tmp)
    upstream = free_port()
    procs: list[subprocess.Popen] = []
    urls = []
    try:
        procs.append(subprocess.Popen([sys.executable, __file__, "--stub", str(upstream)]))
        versions = {"before": before_path, "after": None}
        ports: dict[str, int] = {}
        for name, pythonpath in versions.items():
            url = f"{PG}/dinghuo_bench_gw_{name}_{run}"
            urls.append(url)
            asyncio.run(prepare_database(url))
            ports[name] = free_port()
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "uvicorn", "dinghuo_gateway.app:app", "--host",
                 "127.0.0.1", "--port", str(ports[name]), "--no-access-log",
                 "--log-level", "warning", "--no-proxy-headers"],
                cwd=tmp if pythonpath else ROOT, env=gateway_env(url, upstream, pythonpath),
                stdout=subprocess.DEVNULL))
        wait_port(upstream)
        tokens = {}
        for name, port in ports.items():
            wait_port(port)
            tokens[name] = login(port)
        rounds: dict[tuple[str, str, int], list[dict]] = {}
        for what, path in PATHS.items():
            for conns in (1, 32):
                for name in ("before", "after"):  # warm up both
                    wrk(ports[name], path, tokens[name], conns, 2)
                for i in range(args.rounds):  # taking turns, the first one alternating
                    order = ("before", "after") if i % 2 == 0 else ("after", "before")
                    for name in order:
                        rounds.setdefault((what, name, conns), []).append(
                            wrk(ports[name], path, tokens[name], conns, args.seconds))
        # Per cell the round with the median throughput (the machine is shared).
        results = {key: sorted(runs, key=lambda r: r["rps"])[len(runs) // 2]
                   for key, runs in rounds.items()}
        print(f"\nGateway, authenticated GET (median of {args.rounds} rounds of "
              f"{args.seconds} s per cell; stub upstream)\n")
        print(f"{'request':<34}{'conns':>6}  {'before req/s':>12} {'p50':>7} {'p99':>7}"
              f"  {'after req/s':>12} {'p50':>7} {'p99':>7}  {'ratio':>6}")
        for what, path in PATHS.items():
            for conns in (1, 32):
                b = results[(what, "before", conns)]
                a = results[(what, "after", conns)]
                print(f"{'GET ' + path:<34}{conns:>6}  {b['rps']:>12,.0f} {b['p50']:>6.1f}m"
                      f" {b['p99']:>6.1f}m  {a['rps']:>12,.0f} {a['p50']:>6.1f}m"
                      f" {a['p99']:>6.1f}m  {a['rps'] / b['rps']:>5.2f}x")
                if a["errors"] or b["errors"]:
                    print(f"  non-2xx answers: before {b['errors']}, after {a['errors']}")
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
        from servicekit.migrations import drop_database

        for url in urls:
            asyncio.run(drop_database(url))
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
