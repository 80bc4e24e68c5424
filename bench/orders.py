"""Benchmark of the order path and the event pipeline (issue 16).

    make bench   (or: uv run python bench/orders.py)

Starts the whole system as processes on free ports with this run's own databases, exchange
and queues (tools/system.py, like the e2e tests), prepares approved customers with prices
through the gateway, and drives `POST /api/portal/orders` (two lines) through the gateway
with an asyncio client (aiohttp, keep-alive) at 1, 8 and 32 connections for
BENCH_SECONDS each (default 15). In the same run it drives the one-process ceiling
(bench/ceiling_app.py: FastAPI + asyncpg doing the same inserts) the same way. It prints
throughput, p50/p99 and the ratio to the ceiling; the event lag (order committed → points
pending visible in the portal, → the staff prompt visible in the console) p50/p99 at half
of the peak; the events outstanding when the load stops and the time until every consumer
has handled every order; each process's CPU seconds and peak RSS and the whole system's
idle RSS; PASS/MISS against the targets of issue 16. The figures and a chart go to
docs/performance.md ("Order path (issue 16)") and docs/img/order-path.png.

BENCH_BEFORE=/path/to/other/checkout measures that checkout's system too, in the same run,
side by side (its code is imported through PYTHONPATH; e.g. `git worktree add
/tmp/before HEAD` before changing anything); BENCH_AFTER=<checkout> measures another
checkout than this one as "after". BENCH_WRITE=0 leaves the docs alone.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECONDS = float(os.environ.get("BENCH_SECONDS", "15"))
LEVELS = (1, 8, 32)
# BENCH_QUICK=8: only this system at 8 connections, no ceiling, no lag, no docs; prints
# each process's CPU per order (for measuring one change in pairs).
QUICK = int(os.environ.get("BENCH_QUICK", "0"))
# BENCH_PROFILE=points-worker,order-api: py-spy records those processes during each level
# (folded stacks in the run's directory; needs py-spy on PATH).
PROFILE = [n for n in os.environ.get("BENCH_PROFILE", "").split(",") if n]
CUSTOMERS = int(os.environ.get("BENCH_CUSTOMERS", "33"))  # customer 0 is the lag probe's
WARMUP = 2.0
CLK = os.sysconf("SC_CLK_TCK")
TARGETS = {"rps32": 200.0, "ceiling_share": 0.10, "p50_1": 15.0, "p99_1": 60.0,
           "lag_p99": 500.0, "drain": 2.0, "idle_rss_mb": 1536.0}


# ---------------------------------------------------------------------- measuring
def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))]


@dataclass
class Level:
    concurrency: int
    seconds: float
    ok: int = 0
    errors: int = 0
    rps: float = 0.0
    p50: float = 0.0
    p99: float = 0.0
    statuses: dict[str, int] = field(default_factory=dict)


async def drive(url: str, bodies: list[bytes], headers: list[dict[str, str]],
                concurrency: int, seconds: float, *, rate: float | None = None,
                stop: asyncio.Event | None = None) -> Level:
    """`concurrency` connections, each submitting one order after the other for
    `seconds` (after a warm-up that is not counted); with `rate`, paced to that many
    requests per second in all."""
    import aiohttp

    latencies: list[float] = []
    level = Level(concurrency, seconds)
    conn = aiohttp.TCPConnector(limit=0, force_close=False)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=conn, timeout=timeout) as session:
        start = time.perf_counter()
        measure_from, until = start + WARMUP, start + WARMUP + seconds

        async def one(worker: int) -> None:
            i, interval = worker, (concurrency / rate if rate else 0.0)
            next_at = start + (worker * interval / concurrency if rate else 0.0)
            h = headers[worker % len(headers)]
            body = bodies[worker % len(bodies)]
            while True:
                now = time.perf_counter()
                if now >= until or (stop is not None and stop.is_set()):
                    return
                if rate:
                    if next_at > now:
                        await asyncio.sleep(next_at - now)
                    next_at += interval
                t0 = time.perf_counter()
                async with session.post(url, data=body, headers=h) as r:
                    await r.read()
                    status = r.status
                t1 = time.perf_counter()
                i += concurrency
                if t0 < measure_from or t1 > until:
                    continue
                if status == 201:
                    level.ok += 1
                    latencies.append((t1 - t0) * 1000)
                else:
                    level.errors += 1
                    level.statuses[str(status)] = level.statuses.get(str(status), 0) + 1

        await asyncio.gather(*(one(w) for w in range(concurrency)))
    level.rps = level.ok / seconds
    level.p50, level.p99 = pct(latencies, 0.5), pct(latencies, 0.99)
    return level


def order_body(products: list[str], k: int) -> bytes:
    return json.dumps({
        "delivery_date": (date.today() + timedelta(days=5)).isoformat(),
        "bill_type": "none", "remark": "bench",
        "lines": [{"product_id": products[0], "quantity": 1 + k % 3},
                  {"product_id": products[1], "quantity": 2}]}).encode()


def proc_stat(pid: int) -> tuple[float, int, int]:
    """CPU seconds, RSS and peak RSS (bytes) of one process and its children so far."""
    cpu, rss, hwm = 0.0, 0, 0
    for p in [pid, *children(pid)]:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            cpu += (int(fields[11]) + int(fields[12])) / CLK
            status = Path(f"/proc/{p}/status").read_text()
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        rss += int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) * 1024
        hwm += int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) * 1024
    return cpu, rss, hwm


def children(pid: int) -> list[int]:
    try:
        kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except FileNotFoundError:
        return []
    out = [int(k) for k in kids]
    for k in list(out):
        out.extend(children(k))
    return out


def infra_pids() -> dict[str, list[int]]:
    """PostgreSQL and RabbitMQ processes (shared with everything else on the machine)."""
    found: dict[str, list[int]] = {"postgres": [], "rabbitmq": []}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            comm = (d / "comm").read_text().strip()
        except OSError:
            continue
        if comm == "postgres":
            found["postgres"].append(int(d.name))
        elif comm in ("beam.smp", "epmd", "erl_child_setup"):
            found["rabbitmq"].append(int(d.name))
    return found


def cpu_of(pids: list[int]) -> float:
    total = 0.0
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / CLK
        except (OSError, IndexError):
            continue
    return total


# ---------------------------------------------------------------------- one system
async def measure_system(label: str, out: Path) -> None:
    """Runs inside a child process whose PYTHONPATH points at the checkout measured."""
    import aiohttp
    import asyncpg
    from servicekit.migrations import drop_database

    root = Path(os.environ["BENCH_ROOT"])
    sys.path.insert(0, str(root / "tools"))
    import importlib

    system_mod = importlib.import_module("system")
    run = secrets.token_hex(3)
    cfg = system_mod.SystemConfig(
        pg_server=os.environ.get("DINGHUO_DATABASE_SERVER", system_mod.DEFAULT_PG).rstrip("/"),
        amqp_url=os.environ.get("DINGHUO_AMQP_URL", system_mod.DEFAULT_AMQP),
        db_suffix=f"_bench_{run}",
        ports=dict(zip((c.name for c in system_mod.COMPONENTS),
                       system_mod.free_ports(len(system_mod.COMPONENTS)), strict=True)),
        exchange=f"dinghuo.bench.{run}", queue_prefix=f"bench{run}.",
        internal_secret=secrets.token_hex(32), session_secret=secrets.token_hex(32),
        admin_password="Admin-" + secrets.token_hex(6),
        run_dir=Path(tempfile.mkdtemp(prefix=f"bench-{label}-")), environment="test",
        otel_exporter="none", web_dist=None,
        gateway_env={"GATEWAY_AUTH_RATE_LIMIT": "1000000"})
    system = system_mod.System(cfg)
    result: dict = {"label": label, "levels": [], "processes": {}}
    print(f"[{label}] setting up databases and the broker ...", flush=True)
    await system.setup(fresh=True)
    system.start()
    try:
        await system.wait_ready(timeout=180)
        gw = cfg.gateway_url
        print(f"[{label}] preparing {CUSTOMERS} approved customers ...", flush=True)
        staff, tokens, products = await prepare(gw, cfg.admin_password)
        url = f"{gw}/api/portal/orders"
        headers = [{"Authorization": f"Bearer {t}", "Content-Type": "application/json"}
                   for t in tokens[1:]]
        bodies = [order_body(products[i], i) for i in range(1, len(tokens))]
        # consumers of order.submitted, to see when each has handled every order
        consumer_dbs = []
        for svc in system_mod.SERVICES:
            keys = importlib.import_module(f"{svc.package}.messaging").registry.binding_keys
            if any(k in ("order.submitted", "order.*", "order.#", "#") for k in keys):
                consumer_dbs.append(svc.name)
        conns = {n: await asyncpg.connect(cfg.database_url(n).replace("+asyncpg", ""))
                 for n in {"order", *consumer_dbs}}
        queues = [q for q in system.queue_names() if not q.endswith(("dlq", ".dead"))]
        mq = await aio_connect(cfg.amqp_url)
        pids = {name: p.pid for name, p in system.procs.items()}

        async def backlog() -> dict:
            orders = await conns["order"].fetchval("SELECT count(*) FROM orders")
            unsent = await conns["order"].fetchval(
                "SELECT count(*) FROM outbox WHERE sent_at IS NULL")
            behind = {}
            for n in consumer_dbs:
                seen = await conns[n].fetchval(
                    "SELECT count(*) FROM inbox WHERE event_type = 'order.submitted'")
                behind[n] = orders - seen
            ready = await queue_depth(mq, queues)
            return {"orders": orders, "outbox_unsent": unsent, "queues_ready": ready,
                    "behind": behind, "outstanding": unsent + sum(behind.values())}

        await asyncio.sleep(3)
        await wait_drained(backlog, 60)
        idle = {n: proc_stat(p)[1] for n, p in pids.items()}
        result["idle_rss_mb"] = sum(idle.values()) / 2**20
        infra = infra_pids()
        cpu0 = {n: proc_stat(p)[0] for n, p in pids.items()}
        infra0 = {k: cpu_of(v) for k, v in infra.items()}
        wall0 = time.perf_counter()
        for c in (QUICK,) if QUICK else LEVELS:
            before = {n: proc_stat(p)[0] for n, p in pids.items()}
            inf_before = {k: cpu_of(v) for k, v in infra.items()}
            spies = [subprocess.Popen(
                ["py-spy", "record", "--nonblocking", "-r", "200", "-f", "raw",
                 "-d", str(int(SECONDS + WARMUP)), "-p", str(pids[n]),
                 "-o", str(out.parent / f"{label}-{n}-{c}.folded")],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for n in PROFILE]
            lv = await drive(url, bodies, headers, c, SECONDS)
            for spy in spies:
                spy.wait(30)
            at_stop = await backlog()
            t_stop = time.perf_counter()
            drain = await wait_drained(backlog, 120)
            drained_in = time.perf_counter() - t_stop if drain else None
            after = {n: proc_stat(p)[0] for n, p in pids.items()}
            inf_after = {k: cpu_of(v) for k, v in infra.items()}
            d = asdict(lv)
            d.update(at_stop=at_stop, drained_s=drained_in,
                     cpu_s={n: after[n] - before[n] for n in pids},
                     infra_cpu_s={k: inf_after[k] - inf_before[k] for k in infra})
            orders_done = lv.ok + lv.errors
            total_cpu = sum(d["cpu_s"].values())
            d["cpu_ms_per_order"] = 1000 * total_cpu / max(1, orders_done)
            d["infra_cpu_ms_per_order"] = 1000 * sum(d["infra_cpu_s"].values()) / max(
                1, orders_done)
            result["levels"].append(d)
            print(f"[{label}] {c:>2} conn: {lv.rps:7.1f} orders/s  p50 {lv.p50:6.1f} ms  "
                  f"p99 {lv.p99:6.1f} ms  errors {lv.errors} {lv.statuses or ''}  "
                  f"outstanding at stop {at_stop['outstanding']}  drained in "
                  f"{fmt_s(drained_in)}",
                  flush=True)
            if QUICK:
                for n, cpu in sorted(d["cpu_s"].items(), key=lambda kv: -kv[1]):
                    if cpu > 0.05:
                        print(f"[{label}]   {n:<20} {1000 * cpu / max(1, orders_done):6.1f}"
                              " ms/order", flush=True)
                print(f"[{label}]   all ours {d['cpu_ms_per_order']:.1f} + PG/MQ "
                      f"{d['infra_cpu_ms_per_order']:.1f} ms/order", flush=True)
        if QUICK:
            await mq.close()
            for conn in conns.values():
                await conn.close()
            return
        peak = max(lv["rps"] for lv in result["levels"])
        rate = max(1.0, peak / 2)
        print(f"[{label}] event lag at half of the peak ({rate:.0f} orders/s) ...", flush=True)
        stop = asyncio.Event()
        load = asyncio.create_task(drive(url, bodies, headers, 32, SECONDS, rate=rate,
                                         stop=stop))
        lags = await probe_lag(gw, staff, tokens[0], products[0], SECONDS, stop)
        lv = await load
        result["lag"] = {"rate": rate, "achieved_rps": lv.rps, "load_p50": lv.p50,
                         "load_p99": lv.p99, **lags}
        await wait_drained(backlog, 120)
        result["wall_s"] = time.perf_counter() - wall0
        cpu1 = {n: proc_stat(p)[0] for n, p in pids.items()}
        result["processes"] = {
            n: {"cpu_s": cpu1[n] - cpu0[n], "peak_rss_mb": proc_stat(p)[2] / 2**20,
                "idle_rss_mb": idle[n] / 2**20} for n, p in pids.items()}
        result["infra_cpu_s"] = {k: cpu_of(v) - infra0[k] for k, v in infra.items()}
        print(f"[{label}] lag → points pending p50 {lags['points_p50']:.0f} ms p99 "
              f"{lags['points_p99']:.0f} ms; → staff prompt p50 {lags['prompt_p50']:.0f} ms "
              f"p99 {lags['prompt_p99']:.0f} ms ({lags['samples']} probes)", flush=True)
        await mq.close()
        for conn in conns.values():
            await conn.close()
    finally:
        system.stop()
        for comp in system_mod.COMPONENTS:
            await drop_database(cfg.database_url(comp.name))
        await delete_topology(cfg.amqp_url, system.queue_names(), cfg.exchange)
    del aiohttp
    out.write_text(json.dumps(result, indent=1))


async def prepare(gw: str, admin_password: str) -> tuple[str, list[str], list[list[str]]]:
    """CUSTOMERS approved customers with two products each at their own prices, through
    the API; returns a staff token, each customer's token and product ids."""
    import httpx

    async with httpx.AsyncClient(base_url=gw, timeout=60) as c:
        r = await c.post("/api/auth/login", json={"username": "admin",
                                                  "password": admin_password})
        r.raise_for_status()
        staff = r.json()["access_token"]
        sh = {"Authorization": f"Bearer {staff}"}
        sem = asyncio.Semaphore(4)

        async def one(i: int) -> tuple[str, list[str]]:
            async with sem:
                user, pw = f"bench{i:03d}", "Bench-pass-2026"
                r = await c.post("/api/portal/register", json={
                    "username": user, "password": pw, "company": {
                        "name": f"压测客户 {i:03d} 有限公司", "contact_person": "测试",
                        "mobile": f"138{i:08d}", "address": "上海市闵行区 1 号",
                        "email": f"bench{i:03d}@example.cn", "area": "华东"}})
                r.raise_for_status()
                cid = r.json()["customer_id"]
                r = await c.post(f"/api/console/customers/{cid}/approve", headers=sh, json={
                    "products": [
                        {"name": "UV 墨水（黑）", "model": f"INK-{i}-K", "unit_price": "160.30",
                         "list_price": "198.00"},
                        {"name": "喷头清洗液", "model": f"CLN-{i}", "unit_price": "45.50",
                         "list_price": "58.00"}]})
                r.raise_for_status()
                r = await c.post("/api/auth/login", json={"username": user, "password": pw})
                r.raise_for_status()
                token = r.json()["access_token"]
                ch = {"Authorization": f"Bearer {token}"}
                for _ in range(300):  # the order service learns of the approval by event
                    catalog = (await c.get("/api/portal/catalog", headers=ch)).json()
                    if isinstance(catalog, list) and len(catalog) >= 2:
                        break
                    await asyncio.sleep(0.1)
                return token, [p["product_id"] for p in catalog[:2]]

        done = await asyncio.gather(*(one(i) for i in range(CUSTOMERS)))
        # every customer's first order proves the order service knows it (and warms up)
        for token, prods in done:
            for _ in range(300):
                r = await c.post("/api/portal/orders", content=order_body(prods, 0), headers={
                    "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
                if r.status_code == 201:
                    break
                await asyncio.sleep(0.1)
            r.raise_for_status()
    return staff, [t for t, _ in done], [p for _, p in done]


async def probe_lag(gw: str, staff: str, token: str, products: list[str], seconds: float,
                    stop: asyncio.Event) -> dict:
    """One order at a time from the probe customer while the paced load runs: the time
    from its 201 (committed) until the portal shows its pending points and the console
    its new-order prompt."""
    import aiohttp

    points_lag: list[float] = []
    prompt_lag: list[float] = []
    ch = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    sh = {"Authorization": f"Bearer {staff}"}
    async with aiohttp.ClientSession() as s:
        async def pending() -> int:
            async with s.get(f"{gw}/api/portal/points", headers=ch) as r:
                return (await r.json())["pending"]

        await asyncio.sleep(WARMUP)
        until = time.perf_counter() + seconds
        k = 0
        while time.perf_counter() < until:
            k += 1
            base = await pending()
            async with s.post(f"{gw}/api/portal/orders", data=order_body(products, k),
                              headers=ch) as r:
                order = await r.json()
                if r.status != 201:
                    continue
            committed = time.perf_counter()
            oid = order["id"]

            async def points_seen(base: int, committed: float) -> None:
                while await pending() <= base:
                    await asyncio.sleep(0.005)
                points_lag.append((time.perf_counter() - committed) * 1000)

            async def prompt_seen(oid: str, committed: float) -> None:
                while True:
                    async with s.get(f"{gw}/api/console/prompts",
                                     params={"kind": "new_order", "limit": "50"},
                                     headers=sh) as r:
                        if oid in await r.text():
                            break
                    await asyncio.sleep(0.005)
                prompt_lag.append((time.perf_counter() - committed) * 1000)

            try:
                await asyncio.wait_for(asyncio.gather(
                    points_seen(base, committed), prompt_seen(oid, committed)), 30)
            except TimeoutError:
                print("  lag probe: not visible within 30 s", flush=True)
            await asyncio.sleep(0.05)
    stop.set()
    return {"samples": len(points_lag), "points_p50": pct(points_lag, 0.5),
            "points_p99": pct(points_lag, 0.99), "prompt_p50": pct(prompt_lag, 0.5),
            "prompt_p99": pct(prompt_lag, 0.99)}


async def aio_connect(url: str):
    import aio_pika

    return await aio_pika.connect(url, timeout=10)


async def queue_depth(conn, queues: list[str]) -> int:
    total = 0
    ch = await conn.channel()
    try:
        for q in queues:
            try:
                total += (await ch.declare_queue(q, passive=True)).declaration_result \
                    .message_count
            except Exception:  # noqa: BLE001 - a queue this checkout does not declare
                ch = await conn.channel()
    finally:
        await ch.close()
    return total


async def wait_drained(backlog, timeout: float) -> bool:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        b = await backlog()
        if b["outstanding"] == 0 and b["queues_ready"] == 0:
            return True
        await asyncio.sleep(0.05)
    return False


async def delete_topology(amqp: str, queues: list[str], exchange: str) -> None:
    import aio_pika

    conn = await aio_pika.connect(amqp, timeout=10)
    try:
        for q in queues:
            ch = await conn.channel()
            try:
                await ch.queue_delete(q)
            except Exception:  # noqa: BLE001, S110
                pass
        ch = await conn.channel()
        for name in (exchange, f"{exchange}.dlx", f"{exchange}.dead"):
            try:
                await ch.exchange_delete(name)
            except Exception:  # noqa: BLE001, S110
                ch = await conn.channel()
    finally:
        await conn.close()


# ---------------------------------------------------------------------- the ceiling
async def measure_ceiling(out: Path) -> None:
    from servicekit.migrations import create_database, drop_database
    from system import DEFAULT_PG, free_port

    pg = os.environ.get("DINGHUO_DATABASE_SERVER", DEFAULT_PG).rstrip("/")
    url = f"{pg}/dinghuo_bench_ceiling_{secrets.token_hex(3)}"
    await create_database(url, drop_first=True)
    port = free_port()
    env = {**os.environ, "CEILING_DSN": url.replace("+asyncpg", ""),
           "PYTHONPATH": str(ROOT / "bench")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "ceiling_app:app", "--host", "127.0.0.1",
         "--port", str(port), "--no-access-log", "--log-level", "warning"],
        cwd=ROOT / "bench", env=env, start_new_session=True)
    result: dict = {"label": "ceiling", "levels": []}
    try:
        import httpx

        async with httpx.AsyncClient() as c:
            for _ in range(200):
                try:
                    await c.get(f"http://127.0.0.1:{port}/docs")
                    break
                except httpx.HTTPError:
                    await asyncio.sleep(0.1)
        products = [str(uuid.uuid4()), str(uuid.uuid4())]
        bodies = [order_body(products, i) for i in range(32)]
        headers = [{"Content-Type": "application/json"}]
        for c in LEVELS:
            cpu0 = proc_stat(proc.pid)[0]
            lv = await drive(f"http://127.0.0.1:{port}/api/portal/orders", bodies, headers,
                             c, SECONDS)
            d = asdict(lv)
            d["cpu_s"] = proc_stat(proc.pid)[0] - cpu0
            result["levels"].append(d)
            print(f"[ceiling] {c:>2} conn: {lv.rps:7.1f} orders/s  p50 {lv.p50:6.1f} ms  "
                  f"p99 {lv.p99:6.1f} ms  errors {lv.errors}", flush=True)
        result["peak_rss_mb"] = proc_stat(proc.pid)[2] / 2**20
    finally:
        proc.terminate()
        proc.wait(10)
        await drop_database(url)
    out.write_text(json.dumps(result, indent=1))


# ---------------------------------------------------------------------- the report
def src_path(root: Path) -> str:
    dirs = [*sorted(root.glob("libs/*/src")), *sorted(root.glob("services/*/src")),
            *(root / d / "src" for d in ("gateway", "notifier", "finance"))]
    return os.pathsep.join(str(d) for d in dirs)


def child(phase: str, label: str, root: Path, out: Path) -> dict:
    env = {**os.environ, "BENCH_ROOT": str(root), "PYTHONPATH": src_path(root)}
    subprocess.run([sys.executable, __file__, phase, label, str(out)], env=env, check=True,
                   cwd=root)
    return json.loads(out.read_text())


def fmt_s(seconds: float | None) -> str:
    return "not drained" if seconds is None else f"{seconds:.2f} s"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def report(runs: list[dict], ceiling: dict, floor: dict | None = None,
           measured: float | None = None) -> tuple[str, list[tuple[str, bool]]]:
    ceil = {lv["concurrency"]: lv for lv in ceiling["levels"]}
    ceil_peak = max(lv["rps"] for lv in ceiling["levels"])
    lines = [f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(measured))} on "
             f"{os.cpu_count()} cores (shared), {SECONDS:.0f} s per level after a "
             f"{WARMUP:.0f} s warm-up, orders of two lines through the gateway; the "
             "ceiling is bench/ceiling_app.py in the same run.", "",
             "| system | connections | orders/s | p50 ms | p99 ms | errors | of ceiling "
             "| outstanding at stop | drained in | CPU ms/order (ours + PG/MQ) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for lv in ceiling["levels"]:
        lines.append(f"| ceiling | {lv['concurrency']} | {lv['rps']:.0f} | {lv['p50']:.1f} | "
                     f"{lv['p99']:.1f} | {lv['errors']} | 100 % | – | – | "
                     f"{1000 * lv['cpu_s'] / max(1, lv['ok']):.2f} |")
    for run in runs:
        for lv in run["levels"]:
            share = lv["rps"] / max(1e-9, ceil[lv["concurrency"]]["rps"])
            drained = fmt_s(lv["drained_s"])
            lines.append(
                f"| {run['label']} | {lv['concurrency']} | {lv['rps']:.0f} | {lv['p50']:.1f} "
                f"| {lv['p99']:.1f} | {lv['errors']} | {100 * share:.1f} % | "
                f"{lv['at_stop']['outstanding']} | {drained} | "
                f"{lv['cpu_ms_per_order']:.1f} + {lv['infra_cpu_ms_per_order']:.1f} |")
    lines += ["", "Event lag at half of the peak (one probe order at a time while the rest "
              "is paced; from the 201 until the API shows it):", "",
              "| system | load orders/s | → points pending p50 / p99 ms "
              "| → staff prompt p50 / p99 ms | probes |", "|---|---:|---:|---:|---:|"]
    for run in runs:
        lag = run["lag"]
        lines.append(f"| {run['label']} | {lag['achieved_rps']:.0f} | {lag['points_p50']:.0f} "
                     f"/ {lag['points_p99']:.0f} | {lag['prompt_p50']:.0f} / "
                     f"{lag['prompt_p99']:.0f} | {lag['samples']} |")
    lines += ["", "Processes over the whole measurement (CPU seconds, peak and idle RSS):", "",
              "| process | " + " | ".join(f"{r['label']} CPU s | {r['label']} peak MB"
                                           for r in runs) + " |",
              "|---|" + "---:|---:|" * len(runs)]
    names = list(runs[-1]["processes"])
    for n in names:
        cells = []
        for r in runs:
            p = r["processes"].get(n)
            cells.append(f"{p['cpu_s']:.1f} | {p['peak_rss_mb']:.0f}" if p else "– | –")
        lines.append(f"| {n} | " + " | ".join(cells) + " |")
    for k in ("postgres", "rabbitmq"):
        lines.append(f"| {k} (whole server, shared) | " + " | ".join(
            f"{r['infra_cpu_s'][k]:.1f} | –" for r in runs) + " |")
    lines.append("| **idle RSS, all our processes** | " + " | ".join(
        f"– | {r['idle_rss_mb']:.0f}" for r in runs) + " |")
    now = runs[-1]
    by = {lv["concurrency"]: lv for lv in now["levels"]}
    checks = [
        (f"≥ {TARGETS['rps32']:.0f} orders/s at 32 connections "
         f"({by[32]['rps']:.0f})", by[32]["rps"] >= TARGETS["rps32"]),
        (f"≥ 10 % of the ceiling at 32 connections "
         f"({100 * by[32]['rps'] / ceil[32]['rps']:.1f} %; of its peak "
         f"{100 * by[32]['rps'] / ceil_peak:.1f} %)",
         by[32]["rps"] >= TARGETS["ceiling_share"] * ceil[32]["rps"]),
        (f"p50 < 15 ms with one connection ({by[1]['p50']:.1f} ms)",
         by[1]["p50"] < TARGETS["p50_1"]),
        (f"p99 < 60 ms with one connection ({by[1]['p99']:.1f} ms)",
         by[1]["p99"] < TARGETS["p99_1"]),
        (f"event lag p99 < 500 ms at half of the peak (points "
         f"{now['lag']['points_p99']:.0f} ms, prompt {now['lag']['prompt_p99']:.0f} ms)",
         max(now["lag"]["points_p99"], now["lag"]["prompt_p99"]) < TARGETS["lag_p99"]),
        (f"drained within 2 s of the load stopping at 32 connections "
         f"({fmt_s(by[32]['drained_s'])})",
         by[32]["drained_s"] is not None and by[32]["drained_s"] <= TARGETS["drain"]),
        (f"idle RSS < 1.5 GB ({now['idle_rss_mb']:.0f} MB)",
         now["idle_rss_mb"] < TARGETS["idle_rss_mb"]),
    ]
    lines += ["", f"Targets of issue 16 ({now['label']}):", ""]
    lines += [f"- {verdict(ok)} {text}" for text, ok in checks]
    if floor is not None:
        import consumer_floor

        ceiling_ms = 1000 * ceil[32]["cpu_s"] / max(1, ceil[32]["ok"])
        lines += ["", "The floor of this design on this machine (bench/consumer_floor.py in the "
                  f"same run, {floor['events']} events, best of 2): what publishing an event "
                  "to the four consumers of order.submitted and consuming it costs with "
                  "handlers that write nothing but their inbox row and one row, on uvloop; "
                  "servicekit's Consumer and a bare aio-pika + asyncpg consumer:", ""]
        lines += consumer_floor.lines(floor["best"], ceiling_ms)
    if len(runs) > 1:
        b, a = ({lv["concurrency"]: lv for lv in r["levels"]} for r in runs[:2])
        lines += ["", f"{runs[1]['label']} / {runs[0]['label']}: " + ", ".join(
            f"{c} conn ×{a[c]['rps'] / max(1e-9, b[c]['rps']):.2f} orders/s, p50 "
            f"×{a[c]['p50'] / max(1e-9, b[c]['p50']):.2f}" for c in LEVELS)]
    return "\n".join(lines), checks


def chart(runs: list[dict], ceiling: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    for i, run in enumerate([*runs, ceiling]):
        xs = [lv["concurrency"] for lv in run["levels"]]
        color = f"C{i}"
        ax1.plot(xs, [lv["rps"] for lv in run["levels"]], marker="o", color=color,
                 label=run["label"])
        ax2.plot(xs, [lv["p50"] for lv in run["levels"]], marker="o", color=color,
                 label=f"{run['label']} p50")
        ax2.plot(xs, [lv["p99"] for lv in run["levels"]], marker="x", linestyle="--",
                 color=color, label=f"{run['label']} p99")
    ax1.axhline(TARGETS["rps32"], color="grey", linestyle=":", label="target 200/s")
    for ax, title, unit in ((ax1, "Throughput", "orders/s"), (ax2, "Latency", "ms")):
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_xticks(list(LEVELS), [str(c) for c in LEVELS])
        ax.set_xlabel("connections")
        ax.set_ylabel(unit)
        ax.set_title(f"{title}: POST /api/portal/orders")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)


SECTION = "## Order path (issue 16)"


def write_docs(text: str) -> None:
    doc = ROOT / "docs" / "performance.md"
    body = (f"{SECTION}\n\n`make bench` (bench/orders.py) writes this section; "
            "BENCH_BEFORE=<checkout> adds another checkout's system side by side.\n\n"
            "![Throughput and latency against connections](img/order-path.png)\n\n"
            f"<!-- bench/orders.py: generated -->\n{text}\n<!-- bench/orders.py: end -->\n")
    current = doc.read_text()
    if SECTION in current:
        start = current.index(SECTION)
        end_marker = "<!-- bench/orders.py: end -->\n"
        end = current.index(end_marker, start) + len(end_marker)
        current = current[:start] + body + current[end:]
    else:
        current = current.rstrip("\n") + "\n\n" + body
    doc.write_text(current)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] in ("_system", "_ceiling"):
        from servicekit.logging import configure_logging

        configure_logging("bench", "WARNING", json=False)
        if sys.argv[1] == "_system":
            asyncio.run(measure_system(sys.argv[2], Path(sys.argv[3])))
        else:
            sys.path.insert(0, str(ROOT / "tools"))
            asyncio.run(measure_ceiling(Path(sys.argv[3])))
        return
    if len(sys.argv) > 2 and sys.argv[1] == "_report":  # again from a run's saved figures
        tmp = Path(sys.argv[2])
        ceiling = json.loads((tmp / "ceiling.json").read_text())
        floor = (json.loads((tmp / "floor.json").read_text())
                 if (tmp / "floor.json").exists() else None)
        measured = (tmp / "ceiling.json").stat().st_mtime  # when the run was, not now
        runs = [json.loads((tmp / f"{n}.json").read_text()) for n in ("before", "after")
                if (tmp / f"{n}.json").exists()]
    else:
        tmp = Path(tempfile.mkdtemp(prefix="bench-orders-"))
        print(f"figures in {tmp}", flush=True)
        before = os.environ.get("BENCH_BEFORE")
        runs = []
        if QUICK:
            for label, root in ((("before", Path(before)),) if before else ()) + (
                    ("after" if before else "system", Path(os.environ.get("BENCH_AFTER")
                                                          or ROOT)),):
                env = {**os.environ, "BENCH_ROOT": str(root.resolve()),
                       "PYTHONPATH": src_path(root.resolve())}
                subprocess.run([sys.executable, __file__, "_system", label,
                                str(tmp / f"{label}.json")], env=env, check=True, cwd=root)
            return
        ceiling = child("_ceiling", "ceiling", ROOT, tmp / "ceiling.json")
        subprocess.run([sys.executable, str(ROOT / "bench" / "consumer_floor.py"),
                        "--json", str(tmp / "floor.json")], check=True, cwd=ROOT / "bench")
        floor = json.loads((tmp / "floor.json").read_text())
        measured = None
        if before:
            runs.append(child("_system", "before", Path(before).resolve(),
                              tmp / "before.json"))
        after = Path(os.environ.get("BENCH_AFTER") or ROOT).resolve()
        runs.append(child("_system", "after" if before else "system", after,
                          tmp / "after.json"))
    text, _checks = report(runs, ceiling, floor, measured)
    print("\n" + text)
    (tmp / "report.md").write_text(text)
    if os.environ.get("BENCH_WRITE", "1") != "0":
        chart(runs, ceiling, ROOT / "docs" / "img" / "order-path.png")
        write_docs(text)
        print("\nWritten to docs/performance.md and docs/img/order-path.png")


if __name__ == "__main__":
    main()
