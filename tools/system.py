"""Start, stop and prepare the whole Dinghuo system on one machine.

    python tools/system.py run     # make run: infra check, migrate, start, seed, print URLs
    python tools/system.py stop    # make stop
    python tools/system.py setup   # migrate every database and declare the broker topology
    python tools/system.py status

The same `System` class starts the system for the e2e tests on free ports with their own
databases, exchange and queue names.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUN_DIR = ROOT / ".run"
WEB_DIR = ROOT / "web"
# DINGHUO_WEB_DIST: build and serve the web application from another folder (two
# checkouts' test runs side by side must not build into one folder).
WEB_DIST = Path(os.environ.get("DINGHUO_WEB_DIST") or WEB_DIR / "dist").resolve()

DEFAULT_PG = "postgresql+asyncpg://postgres@127.0.0.1:5432"
DEFAULT_AMQP = "amqp://guest:guest@127.0.0.1:5672/"


@dataclass(frozen=True)
class Component:
    name: str  # database suffix and key
    package: str
    folder: str
    port: int
    prefix: str
    has_worker: bool = True


SERVICES = (
    Component("customer", "customer_service", "services/customer", 8101, "CUSTOMER_"),
    Component("order", "order_service", "services/order", 8102, "ORDER_"),
    Component("invoice", "invoice_service", "services/invoice", 8103, "INVOICE_"),
    Component("points", "points_service", "services/points", 8104, "POINTS_"),
    Component("servicedesk", "servicedesk_service", "services/service-desk", 8105,
              "SERVICEDESK_"),
    Component("notify", "notify_service", "services/notify", 8106, "NOTIFY_"),
)
GATEWAY = Component("gateway", "dinghuo_gateway", "gateway", 8080, "GATEWAY_")
COMPONENTS = (*SERVICES, GATEWAY)
# The reference SMS/WeChat notifier (B-4, N-2): an external subscriber, no database, no
# port; in development it writes what it would send to <run dir>/notifier-outbox.jsonl.
NOTIFIER = Component("notifier", "dinghuo_notifier", "notifier", 0, "NOTIFIER_",
                     has_worker=False)
NOTIFIER_OUTBOX = "notifier-outbox.jsonl"
# The reference finance subscriber (I-4): an external subscriber as well, consuming
# finance.invoice-events into <run dir>/finance-ledger.csv.
FINANCE = Component("finance", "dinghuo_finance", "finance", 0, "FINANCE_",
                    has_worker=False)
FINANCE_LEDGER = "finance-ledger.csv"


def free_port() -> int:
    return free_ports(1)[0]


def free_ports(count: int) -> list[int]:
    """`count` distinct free ports: every socket stays bound until all are chosen, so the
    kernel cannot hand the same port out twice (two services on one port would route one
    service's requests to the other)."""
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket()
            sockets.append(s)
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def port_in_use(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class SystemConfig:
    pg_server: str = DEFAULT_PG
    amqp_url: str = DEFAULT_AMQP
    db_suffix: str = ""  # e.g. "_e2e_t1234" for tests
    ports: dict[str, int] = field(default_factory=lambda: {c.name: c.port for c in COMPONENTS})
    exchange: str = "dinghuo.events"
    queue_prefix: str = ""
    internal_secret: str = ""
    session_secret: str = ""
    admin_password: str | None = None
    run_dir: Path = RUN_DIR
    environment: str = "development"
    otel_exporter: str = "none"
    log_json: bool = True
    web_dist: Path | None = WEB_DIST  # the built portal and console the gateway serves
    # Extra settings for the gateway (the e2e tests lift the per-address login rate limit:
    # every test client shares 127.0.0.1).
    gateway_env: dict[str, str] = field(default_factory=dict)

    def database_url(self, name: str) -> str:
        return f"{self.pg_server}/dinghuo_{name}{self.db_suffix}"

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    @property
    def gateway_url(self) -> str:
        return self.url("gateway")

    def env_for(self, comp: Component, role: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("DINGHUO_", "GATEWAY_")) or k == "DINGHUO_ADMIN_PASSWORD"}
        if comp is NOTIFIER:  # its provider settings (NOTIFIER_*) come from the caller
            env.pop("DINGHUO_ADMIN_PASSWORD", None)
            env.update({"PYTHONUNBUFFERED": "1", "DINGHUO_AMQP_URL": self.amqp_url,
                        "DINGHUO_EXCHANGE": self.exchange,
                        "DINGHUO_QUEUE_PREFIX": self.queue_prefix,
                        "NOTIFIER_LOG_JSON": "true" if self.log_json else "false"})
            env.setdefault("NOTIFIER_OUTBOX_PATH", str(self.run_dir / NOTIFIER_OUTBOX))
            return env
        if comp is FINANCE:  # like the notifier: only the broker and its own settings
            env.pop("DINGHUO_ADMIN_PASSWORD", None)
            env.update({"PYTHONUNBUFFERED": "1", "DINGHUO_AMQP_URL": self.amqp_url,
                        "DINGHUO_EXCHANGE": self.exchange,
                        "DINGHUO_QUEUE_PREFIX": self.queue_prefix,
                        "FINANCE_LOG_JSON": "true" if self.log_json else "false"})
            env.setdefault("FINANCE_LEDGER_PATH", str(self.run_dir / FINANCE_LEDGER))
            return env
        env.update({
            "PYTHONUNBUFFERED": "1",
            "DINGHUO_ENVIRONMENT": self.environment,
            "DINGHUO_AMQP_URL": self.amqp_url,
            "DINGHUO_EXCHANGE": self.exchange,
            "DINGHUO_QUEUE_PREFIX": self.queue_prefix,
            "DINGHUO_INTERNAL_TOKEN_SECRET": self.internal_secret,
            "DINGHUO_OTEL_EXPORTER": self.otel_exporter,
            "DINGHUO_LOG_JSON": "true" if self.log_json else "false",
            f"{comp.prefix}DATABASE_URL": self.database_url(comp.name),
            f"{comp.prefix}PORT": str(self.ports[comp.name]),
        })
        if self.otel_exporter == "console":
            env["DINGHUO_OTEL_CONSOLE_PATH"] = str(
                self.run_dir / "spans" / f"{comp.name}-{role}.jsonl")
        if comp.name == "servicedesk":  # fault report photos (S-1), beside the logs
            env.setdefault("SERVICEDESK_MEDIA_DIR", str(self.run_dir / "media" / "servicedesk"))
        if comp is GATEWAY:
            env["GATEWAY_SESSION_SECRET"] = self.session_secret
            for svc in SERVICES:
                env[f"GATEWAY_{svc.name.upper()}_URL"] = self.url(svc.name)
            if self.web_dist is not None:
                env["GATEWAY_WEB_DIST"] = str(self.web_dist)
            if self.admin_password:
                env["GATEWAY_ADMIN_PASSWORD"] = self.admin_password
            env.pop("DINGHUO_ADMIN_PASSWORD", None)
            env.update(self.gateway_env)
        return env


class System:
    def __init__(self, config: SystemConfig) -> None:
        self.config = config
        self.procs: dict[str, subprocess.Popen] = {}

    # ------------------------------------------------------------------ setup
    async def setup(self, *, fresh: bool = False) -> None:
        """Create and migrate every database; declare exchanges and queues."""
        from servicekit.migrations import create_database, upgrade

        for comp in COMPONENTS:
            url = self.config.database_url(comp.name)
            await create_database(url, drop_first=fresh)
            await asyncio.to_thread(upgrade, ROOT / comp.folder / "alembic.ini", url)
        await self.declare_topology()

    async def declare_topology(self) -> None:
        import aio_pika
        from servicekit.messaging import Topology

        topo = Topology(self.config.exchange, self.config.queue_prefix)
        conn = await aio_pika.connect(self.config.amqp_url, timeout=10)
        try:
            channel = await conn.channel()
            await topo.declare_exchange(channel)
            for svc in SERVICES:
                registry = importlib.import_module(f"{svc.package}.messaging").registry
                await topo.declare_service(channel, svc.name, registry.binding_keys)
            await topo.declare_external(channel)
        finally:
            await conn.close()

    def queue_names(self) -> list[str]:
        from servicekit.messaging import Topology

        return Topology(self.config.exchange, self.config.queue_prefix).all_queue_names(
            [s.name for s in SERVICES])

    # ------------------------------------------------------------------ processes
    def commands(self) -> list[tuple[str, Component, str, list[str]]]:
        py = sys.executable
        out = []
        for comp in COMPONENTS:
            port = str(self.config.ports[comp.name])
            out.append((f"{comp.name}-api", comp, "api",
                        [py, "-m", "uvicorn", f"{comp.package}.app:app", "--host", "127.0.0.1",
                         "--port", port, "--no-access-log", "--log-level", "warning",
                         # uvicorn would believe X-Forwarded-For from 127.0.0.1; only
                         # the gateway's GATEWAY_TRUSTED_PROXIES decide (issue 8, X-3)
                         "--no-proxy-headers"]))
            if comp.has_worker:
                out.append((f"{comp.name}-worker", comp, "worker",
                            [py, "-m", f"{comp.package}.worker"]))
        out.append((NOTIFIER.name, NOTIFIER, "notifier", [py, "-m", NOTIFIER.package]))
        out.append((FINANCE.name, FINANCE, "finance", [py, "-m", FINANCE.package]))
        return out

    def start(self, only: list[str] | None = None) -> None:
        logs = self.config.run_dir / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        (self.config.run_dir / "spans").mkdir(parents=True, exist_ok=True)
        for name, comp, role, cmd in self.commands():
            if only is not None and name not in only:
                continue
            log = open(logs / f"{name}.log", "ab")  # noqa: SIM115 - owned by the child
            self.procs[name] = subprocess.Popen(
                cmd, cwd=ROOT, env=self.config.env_for(comp, role), stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True)
        self._write_pids()

    def _write_pids(self) -> None:
        (self.config.run_dir / "pids.json").write_text(
            json.dumps({n: p.pid for n, p in self.procs.items()}))

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        proc = self.procs[name]
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
        proc.wait(10)

    async def wait_ready(self, timeout: float = 90) -> None:
        import httpx

        deadline = time.monotonic() + timeout
        pending = {c.name for c in COMPONENTS}
        async with httpx.AsyncClient(timeout=3) as client:
            while pending:
                for name, proc in self.procs.items():
                    if proc.poll() is not None:
                        tail = self.log_tail(name)
                        raise RuntimeError(f"{name} exited with {proc.returncode}:\n{tail}")
                for name in list(pending):
                    try:
                        r = await client.get(f"{self.config.url(name)}/readyz")
                        answered = r.json().get("service", name) if r.status_code == 200 \
                            else None
                    except Exception:  # noqa: BLE001, S110 - not up yet
                        answered = None
                    if answered is None:
                        continue
                    if answered != name:  # another process holds this one's port
                        raise RuntimeError(f"{name}'s port {self.config.ports.get(name)} "
                                           f"answers as {answered}")
                    pending.discard(name)
                if not pending:
                    break
                if time.monotonic() > deadline:
                    raise TimeoutError(f"not ready after {timeout}s: {sorted(pending)}")
                await asyncio.sleep(0.3)

    def log_tail(self, name: str, lines: int = 30) -> str:
        path = self.config.run_dir / "logs" / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        for proc in self.procs.values():
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 15
        for proc in self.procs.values():
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        self.procs.clear()


# ---------------------------------------------------------------------- the web application
WEB_INPUTS = ("src", "public", "index.html", "console", "vite.config.ts", "tsconfig.json",
              "package.json", "package-lock.json")
WEB_STAMP = WEB_DIST / ".built-from"
LOCK_STAMP = WEB_DIR / "node_modules" / ".dinghuo-lock-sha256"


def _digest(paths: list[Path]) -> str:
    import hashlib

    h = hashlib.sha256()
    for path in paths:
        h.update(str(path.relative_to(WEB_DIR)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def _web_sources() -> list[Path]:
    files: list[Path] = []
    for name in WEB_INPUTS:
        path = WEB_DIR / name
        files.extend(sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir()
                     else [path] if path.is_file() else [])
    return files


def npm_install() -> None:
    """`npm ci` when node_modules is missing or package-lock.json changed since."""
    if shutil.which("npm") is None:
        raise RuntimeError("npm is not installed: install Node.js 20 or newer "
                           "(apt-get install nodejs npm) to build the web application")
    lock = _digest([WEB_DIR / "package-lock.json"])
    if LOCK_STAMP.exists() and LOCK_STAMP.read_text().strip() == lock:
        return
    print("Installing the web application's packages (npm ci) ...")
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=WEB_DIR,
                   check=True)
    LOCK_STAMP.write_text(lock + "\n")


def build_web(*, force: bool = False) -> Path:
    """Build the portal and the console into web/dist unless it is built from the current
    sources already; returns the dist folder."""
    npm_install()
    digest = _digest(_web_sources())
    if (not force and WEB_STAMP.exists() and WEB_STAMP.read_text().strip() == digest
            and (WEB_DIST / "index.html").exists()):
        return WEB_DIST
    print("Building the web application (npm run build) ...")
    subprocess.run(["npm", "run", "build", "--silent"], cwd=WEB_DIR, check=True,
                   stdout=subprocess.DEVNULL, env={**os.environ, "DINGHUO_WEB_DIST":
                                                   str(WEB_DIST)})
    WEB_STAMP.write_text(digest + "\n")
    return WEB_DIST


# ---------------------------------------------------------------------- make run / stop
def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return True
    except (ProcessLookupError, PermissionError):
        return False


def running_pids() -> dict[str, int]:
    path = RUN_DIR / "pids.json"
    if not path.exists():
        return {}
    pids = json.loads(path.read_text())
    return {n: p for n, p in pids.items() if _pid_alive(p)}


def stop_running() -> int:
    pids = running_pids()
    for pid in pids.values():
        try:
            os.killpg(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(_pid_alive(p) for p in pids.values()):
        time.sleep(0.2)
    for pid in pids.values():
        if _pid_alive(pid):
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    (RUN_DIR / "pids.json").unlink(missing_ok=True)
    return len(pids)


def _run_quiet(cmd: list[str], timeout: int = 90) -> bool:
    try:
        return subprocess.run(cmd, capture_output=True, timeout=timeout).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


async def _reachable(pg: str, amqp: str) -> tuple[str | None, str | None]:
    import aio_pika
    import asyncpg

    pg_err = mq_err = None
    try:
        conn = await asyncpg.connect(pg.replace("+asyncpg", "") + "/postgres", timeout=5)
        await conn.close()
    except Exception as exc:  # noqa: BLE001
        pg_err = repr(exc)
    try:
        conn = await aio_pika.connect(amqp, timeout=5)
        await conn.close()
    except Exception as exc:  # noqa: BLE001
        mq_err = repr(exc)
    return pg_err, mq_err


def ensure_infra(pg: str, amqp: str) -> None:
    """Make sure PostgreSQL and RabbitMQ answer; start local installed ones that are down."""
    pg_err, mq_err = asyncio.run(_reachable(pg, amqp))
    if pg_err and Path("/etc/postgresql").is_dir() and shutil.which("pg_ctlcluster"):
        for version in sorted(os.listdir("/etc/postgresql")):
            print(f"Starting the local PostgreSQL {version} ...")
            _run_quiet(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"])
    if mq_err and shutil.which("rabbitmq-server"):
        print("Starting the local RabbitMQ ...")
        subprocess.run(["rabbitmq-server", "-detached"], capture_output=True)
        _run_quiet(["rabbitmqctl", "await_startup"], timeout=120)
    if pg_err or mq_err:
        pg_err, mq_err = asyncio.run(_reachable(pg, amqp))
    problems = []
    if pg_err:
        problems.append(
            f"PostgreSQL is not reachable at {pg} ({pg_err}).\n"
            "  Install and start it: apt-get install postgresql && "
            "pg_ctlcluster $(ls /etc/postgresql) main start\n"
            "  or point DINGHUO_DATABASE_SERVER at a running server "
            "(postgresql+asyncpg://user:password@host:5432).")
    if mq_err:
        problems.append(
            f"RabbitMQ is not reachable at {amqp} ({mq_err}).\n"
            "  Install and start it: apt-get install rabbitmq-server && "
            "rabbitmq-server -detached\n"
            "  or point DINGHUO_AMQP_URL at a running broker.")
    if problems:
        sys.exit("\n".join(problems))


def _secret_file(name: str, make) -> str:
    path = RUN_DIR / name
    if path.exists():
        return path.read_text().strip()
    RUN_DIR.mkdir(parents=True, exist_ok=True)
    value = make()
    path.write_text(value + "\n")
    path.chmod(0o600)
    return value


def make_run_config(port: int | None) -> SystemConfig:
    cfg = SystemConfig(
        pg_server=os.environ.get("DINGHUO_DATABASE_SERVER", DEFAULT_PG).rstrip("/"),
        amqp_url=os.environ.get("DINGHUO_AMQP_URL", DEFAULT_AMQP),
    )
    if port:
        cfg.ports["gateway"] = port
    cfg.internal_secret = _secret_file("internal-token-secret", lambda: secrets.token_hex(32))
    cfg.session_secret = _secret_file("session-secret", lambda: secrets.token_hex(32))
    env_pw = os.environ.get("DINGHUO_ADMIN_PASSWORD")
    if env_pw:
        cfg.admin_password = env_pw
        (RUN_DIR / "admin-password").write_text(env_pw + "\n")
        (RUN_DIR / "admin-password").chmod(0o600)
    else:
        cfg.admin_password = _secret_file(
            "admin-password", lambda: "Dh-" + secrets.token_urlsafe(10))
    return cfg


def query_password() -> str:
    """The demo admin's query password, which unlocks the summaries (A-2, X-3)."""
    return _secret_file("query-password", lambda: "Q-" + secrets.token_urlsafe(8))


DEMO_USER = "demo"
DEMO_PASSWORD = os.environ.get("DINGHUO_DEMO_PASSWORD", "demo-2026")


def print_banner(cfg: SystemConfig) -> None:
    gw = cfg.gateway_url
    print(f"""
Dinghuo is running.
  Customer portal : {gw}/
  Staff console   : {gw}/console
  API (OpenAPI)   : {gw}/api/docs
  Staff login     : admin / {cfg.admin_password}   (also in .run/admin-password)
  Query password  : {query_password()}   (admin's; unlocks 汇总分析, .run/query-password)
  Customer login  : {DEMO_USER} / {DEMO_PASSWORD}   (approved demo company with orders)
  SMS/WeChat      : .run/notifier-outbox.jsonl (the reference notifier in development;
                    notifier/README.md configures Alibaba/Tencent SMS and WeChat)
  Finance ledger  : .run/finance-ledger.csv (the reference finance subscriber, I-4;
                    events contract: {gw}/api/events/asyncapi.yaml)
  Logs            : .run/logs/     Stop with: make stop
""")


def cmd_run(args: argparse.Namespace) -> None:
    port = args.port or int(os.environ.get("DINGHUO_GATEWAY_PORT", "0") or 0) or None
    cfg = make_run_config(port)
    if running_pids():
        print("Dinghuo is already running (make stop to stop it).")
        print_banner(cfg)
        return
    busy = [n for n, p in cfg.ports.items() if port_in_use(p)]
    if busy:
        sys.exit(f"Ports in use: {', '.join(f'{n}:{cfg.ports[n]}' for n in busy)}. "
                 "Stop whatever holds them, or set DINGHUO_GATEWAY_PORT for the gateway.")
    ensure_infra(cfg.pg_server, cfg.amqp_url)
    try:
        build_web()
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        cfg.web_dist = None
        print(f"The web application was not built ({exc}); / and /console show how to "
              "reach the API instead.")
    system = System(cfg)
    print("Migrating databases and declaring the broker topology ...")
    asyncio.run(system.setup())
    print("Starting services ...")
    system.start()
    try:
        asyncio.run(system.wait_ready())
    except Exception as exc:
        stop_running()
        sys.exit(f"Dinghuo did not start: {exc}")
    sys.path.insert(0, str(ROOT / "tools"))
    from demo import seed

    print("Seeding demo data ...")
    asyncio.run(seed(cfg.gateway_url, "admin", cfg.admin_password or "", DEMO_USER,
                     DEMO_PASSWORD, query_password=query_password(),
                     order_database_url=cfg.database_url("order")))
    print_banner(cfg)


def cmd_stop(_args: argparse.Namespace) -> None:
    n = stop_running()
    print(f"Stopped {n} processes." if n else "Nothing was running.")


def cmd_setup(_args: argparse.Namespace) -> None:
    cfg = SystemConfig(
        pg_server=os.environ.get("DINGHUO_DATABASE_SERVER", DEFAULT_PG).rstrip("/"),
        amqp_url=os.environ.get("DINGHUO_AMQP_URL", DEFAULT_AMQP),
    )
    asyncio.run(System(cfg).setup())
    print("Databases migrated and topology declared.")


def cmd_web(args: argparse.Namespace) -> None:
    if args.deps_only:
        npm_install()
        return
    print(f"Web application in {build_web(force=args.force).relative_to(ROOT)}")


def cmd_status(_args: argparse.Namespace) -> None:
    pids = running_pids()
    print(json.dumps(pids, indent=2) if pids else "Nothing is running.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="start everything with demo data")
    run.add_argument("--port", type=int, default=None, help="gateway port (default 8080)")
    run.set_defaults(fn=cmd_run)
    sub.add_parser("stop", help="stop what run started").set_defaults(fn=cmd_stop)
    sub.add_parser("setup", help="migrate databases, declare topology").set_defaults(fn=cmd_setup)
    sub.add_parser("status", help="list running processes").set_defaults(fn=cmd_status)
    web = sub.add_parser("web", help="build the portal and console into web/dist")
    web.add_argument("--force", action="store_true", help="build even when up to date")
    web.add_argument("--deps-only", action="store_true", help="only npm ci (when needed)")
    web.set_defaults(fn=cmd_web)
    args = parser.parse_args()
    args.fn(args)


if __name__ == "__main__":
    main()
