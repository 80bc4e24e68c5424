"""Backups of the whole system, and their restore (X-2, issue 14).

    python tools/backup.py backup  [--to DIR]     # make backup
    python tools/backup.py restore --from DIR     # make restore FROM=DIR
    python tools/backup.py verify  --from DIR

A backup is one directory, `backups/<UTC timestamp>/` by default: a custom-format
`pg_dump` of every database (each service's and the gateway's), the broker's definitions
(exchanges, queues, bindings, policies — `rabbitmqctl export_definitions`, when the
broker is local) and `manifest.json` with each file's size and SHA-256, the databases'
migration revisions and the tools' versions. Every dump is taken in one transaction of
its own database (a consistent snapshot of that service, its outbox and inbox included),
so an event written but not yet published at backup time is still in the restored outbox
and is published after the restore, once: the consumers' inboxes, restored too, drop what
they had already applied. Databases are dumped one after another, so a restored system is
consistent per service, and events in flight between services at backup time are the
only thing the outbox/inbox reconcile (see docs/operations.md).

A restore refuses to write into a database that has tables, unless `--replace` (which
drops it first); it checks every checksum before touching anything.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from system import COMPONENTS, DEFAULT_AMQP, DEFAULT_PG, SystemConfig  # noqa: E402

BACKUPS = ROOT / "backups"
MANIFEST = "manifest.json"
BROKER_FILE = "rabbitmq-definitions.json"


class BackupError(RuntimeError):
    """A backup or restore that cannot go on; the message says why."""


def libpq_url(url: str) -> str:
    """The SQLAlchemy URL as pg_dump/pg_restore/psql take it."""
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)
    except FileNotFoundError as exc:
        raise BackupError(f"{cmd[0]} is not installed (apt-get install "
                          "postgresql-client)") from exc
    except subprocess.CalledProcessError as exc:
        raise BackupError(f"{' '.join(cmd[:2])} failed: {exc.stderr.strip()}") from exc


def _revision(url: str) -> str | None:
    out = subprocess.run(["psql", libpq_url(url), "-Atc",
                          "SELECT version_num FROM alembic_version"],
                         capture_output=True, text=True)
    return out.stdout.strip() or None if out.returncode == 0 else None


def _broker_definitions(dest: Path) -> str | None:
    """Export the local broker's definitions; None (with the reason printed) when there is
    no local rabbitmqctl — the services declare their topology at start anyway."""
    if shutil.which("rabbitmqctl") is None:
        print("  broker definitions skipped: rabbitmqctl is not installed here")
        return None
    # to stdout: the broker node, not this process, would write a file path
    out = subprocess.run(["rabbitmqctl", "-q", "export_definitions", "-"],
                         capture_output=True, text=True)
    try:
        json.loads(out.stdout)
    except ValueError:
        print(f"  broker definitions skipped: {(out.stderr or out.stdout).strip()[:200]}")
        return None
    dest.write_text(out.stdout)
    return dest.name


def backup(cfg: SystemConfig, to: Path | None = None) -> Path:
    """Dump every database and the broker's definitions into a new directory."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    dest = to or BACKUPS / stamp
    if dest.exists() and any(dest.iterdir()):
        raise BackupError(f"{dest} is not empty: choose a new directory")
    dest.mkdir(parents=True, exist_ok=True)
    files: dict[str, dict] = {}
    databases: dict[str, dict] = {}
    for comp in COMPONENTS:
        url = cfg.database_url(comp.name)
        name = f"{comp.name}.dump"
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
              f"--file={dest / name}", libpq_url(url)])
        databases[comp.name] = {"file": name, "database": url.rsplit("/", 1)[1],
                                "revision": _revision(url)}
        print(f"  {comp.name:12s} {(dest / name).stat().st_size:>12,d} bytes")
    broker = _broker_definitions(dest / BROKER_FILE)
    for path in sorted(dest.iterdir()):
        if path.name != MANIFEST:
            files[path.name] = {"bytes": path.stat().st_size, "sha256": sha256(path)}
    manifest = {
        "created_at": datetime.now(UTC).isoformat(), "format": 1,
        "databases": databases, "broker": broker, "files": files,
        "pg_dump": _run(["pg_dump", "--version"]).stdout.strip(),
    }
    (dest / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return dest


def verify(src: Path) -> dict:
    """The manifest, after checking that every file it lists is there, unchanged."""
    path = src / MANIFEST
    if not path.exists():
        raise BackupError(f"{src} is not a backup: {MANIFEST} is missing")
    manifest = json.loads(path.read_text())
    for name, meta in manifest["files"].items():
        file = src / name
        if not file.exists():
            raise BackupError(f"{name} is missing from {src}")
        if sha256(file) != meta["sha256"]:
            raise BackupError(f"{name} does not match its checksum: the backup is damaged")
    return manifest


def _prepare(url: str, replace: bool) -> None:
    """An empty database to restore into."""
    server, name = libpq_url(url).rsplit("/", 1)
    admin = f"{server}/postgres"
    if replace:
        _run(["psql", admin, "-qc", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'])
    exists = _run(["psql", admin, "-Atc",
                   f"SELECT 1 FROM pg_database WHERE datname = '{name}'"]).stdout.strip()
    if not exists:
        _run(["psql", admin, "-qc", f'CREATE DATABASE "{name}"'])
        return
    out = _run(["psql", libpq_url(url), "-Atc",
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"])
    if int(out.stdout.strip() or 0):
        raise BackupError(f"{name} is not empty: restore into empty databases, or pass "
                          "--replace to drop it first")


def restore(cfg: SystemConfig, src: Path, *, replace: bool = False,
            broker: bool = True) -> dict:
    """Restore every database (and, with `broker`, the broker's definitions, when they
    were saved and a local rabbitmqctl exists) from a verified backup. Stop the system
    first."""
    manifest = verify(src)
    for comp in COMPONENTS:
        if comp.name not in manifest["databases"]:
            raise BackupError(f"the backup has no dump of {comp.name}")
    for comp in COMPONENTS:
        url = cfg.database_url(comp.name)
        _prepare(url, replace)
        _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
              f"--dbname={libpq_url(url)}", str(src / manifest["databases"][comp.name]["file"])])
        print(f"  {comp.name:12s} restored")
    if broker and manifest.get("broker") and shutil.which("rabbitmqctl"):
        out = subprocess.run(["rabbitmqctl", "-q", "import_definitions"],
                             input=(src / manifest["broker"]).read_text(),
                             capture_output=True, text=True)
        print("  broker definitions " + ("imported" if out.returncode == 0 else
                                         f"not imported: {out.stderr.strip()[:200]}"))
    return manifest


def config() -> SystemConfig:
    return SystemConfig(pg_server=os.environ.get("DINGHUO_DATABASE_SERVER", DEFAULT_PG),
                        amqp_url=os.environ.get("DINGHUO_AMQP_URL", DEFAULT_AMQP))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("backup", help="dump every database and the broker's definitions")
    b.add_argument("--to", type=Path, help="directory (default backups/<timestamp>)")
    r = sub.add_parser("restore", help="restore a backup into empty databases")
    r.add_argument("--from", dest="src", type=Path, required=True)
    r.add_argument("--replace", action="store_true",
                   help="drop the databases first (they are not empty)")
    v = sub.add_parser("verify", help="check a backup's files against its checksums")
    v.add_argument("--from", dest="src", type=Path, required=True)
    args = parser.parse_args()
    try:
        if args.cmd == "backup":
            print(f"Backed up to {backup(config(), args.to)}")
        elif args.cmd == "restore":
            restore(config(), args.src, replace=args.replace)
            print(f"Restored from {args.src}; start the system (make run) — the relays "
                  "publish what was not yet sent at backup time.")
        else:
            m = verify(args.src)
            print(f"{args.src}: {len(m['files'])} files, checksums match "
                  f"(taken {m['created_at']})")
    except BackupError as exc:
        sys.exit(f"error: {exc}")


if __name__ == "__main__":
    main()
