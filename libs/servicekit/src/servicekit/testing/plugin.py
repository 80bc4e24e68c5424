"""pytest plugin: real PostgreSQL and RabbitMQ for every test run.

Each run gets its own database names (built by running the services' real Alembic
migrations) and its own exchange and queue names, and removes them afterwards. The servers
come from DINGHUO_TEST_DATABASE_URL / DINGHUO_TEST_AMQP_URL (defaults: the local ones),
else from testcontainers where a Docker engine exists; otherwise the run fails saying how
to get them. Nothing is skipped.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import aio_pika
import asyncpg
import pytest

from ..messaging.topology import Topology
from ..migrations import create_database, drop_database, upgrade

DEFAULT_PG = "postgresql+asyncpg://postgres@127.0.0.1:5432"
DEFAULT_AMQP = "amqp://guest:guest@127.0.0.1:5672/"

# The test suites create hundreds of users: the gateway they import or start (the e2e
# launcher passes GATEWAY_* on) hashes passwords with argon2id's cheap profile. Set
# before any test module imports the gateway's settings; `make run` keeps the standard one.
os.environ.setdefault("GATEWAY_PASSWORD_HASH_COST", "low")

HOW_TO = """\
Dinghuo's tests need a real PostgreSQL and RabbitMQ.
  * Point DINGHUO_TEST_DATABASE_URL (e.g. postgresql+asyncpg://postgres@127.0.0.1:5432) and
    DINGHUO_TEST_AMQP_URL (e.g. amqp://guest:guest@127.0.0.1:5672/) at running servers, or
  * start local ones: pg_ctlcluster $(ls /etc/postgresql) main start; rabbitmq-server -detached
    (Debian: apt-get install postgresql rabbitmq-server), or
  * run a Docker engine so testcontainers can start them.
"""


@dataclass
class Infra:
    pg_server: str  # postgresql+asyncpg://user@host:port (no database)
    amqp_url: str
    run_id: str
    containers: list = field(default_factory=list)

    def database_url(self, service: str) -> str:
        return f"{self.pg_server}/dinghuo_{service.replace('-', '')}_t{self.run_id}"

    @property
    def exchange(self) -> str:
        return f"dinghuo.events.t{self.run_id}"

    @property
    def queue_prefix(self) -> str:
        return f"t{self.run_id}."

    def topology(self, delivery_limit: int = 10) -> Topology:
        return Topology(self.exchange, self.queue_prefix, delivery_limit)


async def _pg_ok(server: str) -> str | None:
    try:
        conn = await asyncpg.connect(
            server.replace("postgresql+asyncpg://", "postgresql://") + "/postgres", timeout=5)
        await conn.close()
        return None
    except Exception as exc:  # noqa: BLE001
        return repr(exc)


async def _amqp_ok(url: str) -> str | None:
    try:
        conn = await aio_pika.connect(url, timeout=5)
        await conn.close()
        return None
    except Exception as exc:  # noqa: BLE001
        return repr(exc)


def _docker_available() -> bool:
    return shutil.which("docker") is not None and (
        os.path.exists("/var/run/docker.sock") or bool(os.environ.get("DOCKER_HOST")))


def _start_containers(infra_pg: str, infra_amqp: str) -> tuple[str, str, list]:
    from testcontainers.postgres import PostgresContainer
    from testcontainers.rabbitmq import RabbitMqContainer

    pg = PostgresContainer("postgres:15", driver="asyncpg").start()
    mq = RabbitMqContainer("rabbitmq:3.13").start()
    server = pg.get_connection_url().rsplit("/", 1)[0]
    amqp = (f"amqp://{mq.username}:{mq.password}@{mq.get_container_host_ip()}:"
            f"{mq.get_exposed_port(mq.port)}/")
    return server, amqp, [pg, mq]


def resolve_infra() -> Infra:
    pg = os.environ.get("DINGHUO_TEST_DATABASE_URL", DEFAULT_PG).rstrip("/")
    if pg.startswith("postgresql://"):
        pg = pg.replace("postgresql://", "postgresql+asyncpg://", 1)
    amqp = os.environ.get("DINGHUO_TEST_AMQP_URL", DEFAULT_AMQP)
    run_id = uuid.uuid4().hex[:8]
    pg_err = asyncio.run(_pg_ok(pg))
    mq_err = asyncio.run(_amqp_ok(amqp))
    if pg_err is None and mq_err is None:
        return Infra(pg, amqp, run_id)
    if _docker_available():
        server, amqp_url, containers = _start_containers(pg, amqp)
        return Infra(server, amqp_url, run_id, containers)
    problems = []
    if pg_err:
        problems.append(f"PostgreSQL at {pg} is unreachable: {pg_err}")
    if mq_err:
        problems.append(f"RabbitMQ at {amqp} is unreachable: {mq_err}")
    pytest.fail("\n".join(problems) + "\n" + HOW_TO, pytrace=False)


@pytest.fixture(scope="session")
def infra() -> AsyncIterator[Infra]:
    info = resolve_infra()
    yield info
    for c in info.containers:
        c.stop()


class DatabaseFactory:
    """Creates (once per run) a service database from the service's real migrations."""

    def __init__(self, infra: Infra) -> None:
        self.infra = infra
        self.created: dict[str, str] = {}

    async def get(self, service: str, alembic_ini: str | Path) -> str:
        if service in self.created:
            return self.created[service]
        url = self.infra.database_url(service)
        await create_database(url, drop_first=True)
        await asyncio.to_thread(upgrade, alembic_ini, url)
        self.created[service] = url
        return url

    async def drop_all(self) -> None:
        for url in self.created.values():
            await drop_database(url)


@pytest.fixture(scope="session")
async def databases(infra: Infra) -> AsyncIterator[DatabaseFactory]:
    factory = DatabaseFactory(infra)
    yield factory
    await factory.drop_all()


class BrokerNames:
    """Unique exchange/queue names of this run; deletes what it declared at the end."""

    def __init__(self, infra: Infra) -> None:
        self.infra = infra
        self.queues: set[str] = set()
        self.exchanges: set[str] = {infra.exchange, f"{infra.exchange}.dlx"}

    def topology(self, delivery_limit: int = 10) -> Topology:
        return self.infra.topology(delivery_limit)

    def queue(self, name: str) -> str:
        full = f"{self.infra.queue_prefix}{name}"
        self.queues.add(full)
        self.queues.add(f"{full}.dlq")
        return full

    def exchange(self, name: str) -> str:
        full = f"{name}.t{self.infra.run_id}"
        self.exchanges.update({full, f"{full}.dlx"})
        return full

    async def cleanup(self) -> None:
        conn = await aio_pika.connect(self.infra.amqp_url, timeout=10)
        try:
            for name in sorted(self.queues):
                ch = await conn.channel()
                try:
                    await ch.queue_delete(name)
                except Exception:  # noqa: BLE001, S110 - already gone
                    pass
            for name in sorted(self.exchanges):
                ch = await conn.channel()
                try:
                    await ch.exchange_delete(name)
                except Exception:  # noqa: BLE001, S110
                    pass
        finally:
            await conn.close()


@pytest.fixture(scope="session")
async def broker(infra: Infra) -> AsyncIterator[BrokerNames]:
    names = BrokerNames(infra)
    yield names
    await names.cleanup()
