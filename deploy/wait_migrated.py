"""Wait until a database is migrated to the revision this image's code expects.

    python deploy/wait_migrated.py services/order/alembic.ini ORDER_DATABASE_URL

The initContainer `wait-migrated` of every Deployment in deploy/k8s runs it, so that the
pods of a new image start only once the migrate Job of that image (`python
tools/system.py setup`) has brought their database to the image's Alembic heads; the old
pods keep serving meanwhile (maxUnavailable 0). Exit 0 when the database's
`alembic_version` holds exactly the heads of the migrations under the given alembic.ini,
or only revisions this image does not know: a database already migrated by a newer image
(a rollback). Every rolling update runs the previous image's pods on the migrated schema
until they are replaced, so a migration has to suit the code before it anyway
(deploy/k8s/README.md, "Upgrades"); the rolled-back code runs on it the same way.
Otherwise - no table yet, older revisions, the server unreachable - poll every --interval
seconds; after --timeout exit 1, and the kubelet restarts the initContainer (the pod shows
Init:Error, the rollout stalls and reports ProgressDeadlineExceeded): nothing is served
on a schema the code does not know.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from pathlib import Path


def heads(alembic_ini: Path) -> tuple[set[str], set[str]]:
    """The image's migration heads and every revision it knows."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config(str(alembic_ini))
    cfg.set_main_option("script_location", str(alembic_ini.parent / "migrations"))
    script = ScriptDirectory.from_config(cfg)
    return set(script.get_heads()), {rev.revision for rev in script.walk_revisions()}


async def current(url: str) -> set[str] | None:
    """The revisions in the database's alembic_version; None while it has no such table."""
    import asyncpg

    dsn = url.replace("postgresql+asyncpg://", "postgresql://", 1)
    conn = await asyncpg.connect(dsn, timeout=10)
    try:
        if not await conn.fetchval("SELECT to_regclass('alembic_version') IS NOT NULL"):
            return None
        return {r[0] for r in await conn.fetch("SELECT version_num FROM alembic_version")}
    finally:
        await conn.close()


def verdict(db: set[str] | None, image_heads: set[str], known: set[str]) -> str | None:
    """None when the code may start, else what it is waiting for."""
    if db is None or not db:
        return "no migration applied yet"
    if db == image_heads:
        return None
    if not db & known:
        return None  # migrated by a newer image: its schema suits the code before it
    return f"at {sorted(db)}, this image needs {sorted(image_heads)}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("alembic_ini", type=Path, help="the service's alembic.ini")
    parser.add_argument("url_env", help="the variable holding the database URL")
    parser.add_argument("--interval", type=float, default=5.0)
    parser.add_argument("--timeout", type=float, default=600.0)
    args = parser.parse_args(argv)

    url = os.environ.get(args.url_env)
    if not url:
        print(f"wait-migrated: {args.url_env} is not set", file=sys.stderr, flush=True)
        return 2
    image_heads, known = heads(args.alembic_ini)
    name = url.rsplit("/", 1)[-1].split("?")[0]
    deadline = time.monotonic() + args.timeout
    last = ""
    while True:
        try:
            waiting = verdict(asyncio.run(current(url)), image_heads, known)
        except (TimeoutError, OSError) as exc:
            waiting = f"server unreachable ({exc.__class__.__name__})"
        except Exception as exc:  # asyncpg's errors: authentication, database missing ...
            waiting = f"{exc.__class__.__name__}: {exc}"
        if waiting is None:
            print(f"wait-migrated: {name} is at {sorted(image_heads)}", flush=True)
            return 0
        if waiting != last:
            print(f"wait-migrated: {name}: {waiting}", flush=True)
            last = waiting
        if time.monotonic() >= deadline:
            print(f"wait-migrated: {name} not migrated after {args.timeout:.0f}s",
                  file=sys.stderr, flush=True)
            return 1
        time.sleep(args.interval)


if __name__ == "__main__":
    sys.exit(main())
