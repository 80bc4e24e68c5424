"""The deployment files agree with the code (issue 14, item 4) — checked offline, since
this machine has no Docker engine: the image installs every workspace member (a member
missing from the dependency layer fails `uv sync --frozen`), builds the web application
in a Node stage and points the gateway at it, and docker-compose.yml runs every process
that `make run` runs."""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = (ROOT / "deploy" / "Dockerfile").read_text()
sys.path.insert(0, str(ROOT / "tools"))

from system import System, SystemConfig  # noqa: E402


def members() -> list[str]:
    globs = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["uv"]["workspace"][
        "members"]
    return sorted(str(p.parent.relative_to(ROOT)) for g in globs
                  for p in ROOT.glob(f"{g}/pyproject.toml"))


def test_the_image_installs_every_workspace_member_from_the_lock():
    deps_layer = DOCKERFILE.split("--no-install-workspace")[0]
    for member in members():
        assert f"COPY {member}/pyproject.toml {member}/pyproject.toml" in deps_layer, member


def test_the_image_builds_the_web_application_and_the_gateway_serves_it():
    assert re.search(r"^FROM node:\S+ AS web$", DOCKERFILE, re.M)
    assert "npm ci" in DOCKERFILE and "RUN npm run build" in DOCKERFILE
    assert "COPY --from=web /web/dist /app/web/dist" in DOCKERFILE
    assert "GATEWAY_WEB_DIST=/app/web/dist" in DOCKERFILE
    ignored = (ROOT / "deploy" / "Dockerfile.dockerignore").read_text().split()
    assert "web/node_modules" in ignored and "web/dist" in ignored


def test_compose_runs_every_process_make_run_runs():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    commands = [" ".join(s.get("command", [])) for s in compose["services"].values()]
    for name, _comp, role, cmd in System(SystemConfig()).commands():
        module = cmd[cmd.index("-m") + 1:]
        wanted = module[1].split(":")[0] if module[0] == "uvicorn" else module[0]
        assert any(wanted in c for c in commands), (name, role, wanted)


def test_kubernetes_runs_every_process_make_run_runs():
    """Each API and worker of `make run` has a Deployment running its module."""
    text = "\n---\n".join(p.read_text()
                         for p in sorted((ROOT / "deploy" / "k8s" / "base").rglob("*.yaml")))
    commands = [" ".join(d["spec"]["template"]["spec"]["containers"][0].get("command", []))
                for d in yaml.safe_load_all(text) if d and d.get("kind") == "Deployment"]
    for name, comp, _role, cmd in System(SystemConfig()).commands():
        if not comp.port:  # the reference notifier and finance subscriber: optional there
            continue
        module = cmd[cmd.index("-m") + 1:]
        wanted = module[1].split(":")[0] if module[0] == "uvicorn" else module[0]
        assert any(wanted in c for c in commands), (name, wanted)


# --- docker compose config, offline (issue 14, item 5) --------------------------------

from compose_check import ComposeError, check, interpolate  # noqa: E402

SECRETS = {"DINGHUO_INTERNAL_TOKEN_SECRET": "a" * 64, "GATEWAY_SESSION_SECRET": "b" * 64,
           "GATEWAY_ADMIN_PASSWORD": "Admin-Strong-1"}
COMPOSE_TEXT = (ROOT / "docker-compose.yml").read_text()


def test_compose_file_renders_and_validates_against_the_compose_specification():
    """Issue 14: what `docker compose config` checks — the schema of the Compose
    Specification (vendored) and every reference between services, volumes and files."""
    data, errors = check(COMPOSE_TEXT, SECRETS)
    assert errors == []
    assert data["services"]["gateway"]["environment"]["GATEWAY_SESSION_SECRET"] == "b" * 64
    # Anchors and merge keys are resolved: every API waits for the migration.
    assert data["services"]["order-api"]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully")


def test_compose_refuses_to_render_without_its_secrets():
    """No secret has a default in the file (X-3): each missing one stops `up` with its
    message."""
    for name in SECRETS:
        env = {k: v for k, v in SECRETS.items() if k != name}
        try:
            check(COMPOSE_TEXT, env)
        except ComposeError as exc:
            assert name in str(exc)
        else:
            raise AssertionError(f"rendered without {name}")


def test_the_compose_check_catches_what_compose_would_refuse():
    """The check can fail: a misspelt key, a dependency on a missing service, an undeclared
    named volume and a missing bind source are each reported."""
    broken = COMPOSE_TEXT.replace("    restart: unless-stopped\n    environment:\n"
                                  "      POSTGRES_USER", "    restrat: unless-stopped\n"
                                  "    environment:\n      POSTGRES_USER", 1)
    broken = broken.replace("      - pgdata:/var/lib/postgresql/data",
                            "      - pgdata2:/var/lib/postgresql/data\n"
                            "      - ./deploy/nowhere.sql:/x.sql:ro", 1)
    broken = broken.replace("    depends_on:\n      migrate:", "    depends_on:\n      migrat:", 1)
    _, errors = check(broken, SECRETS)
    text = "\n".join(errors)
    assert "restrat" in text
    assert "'pgdata2' is not declared" in text
    assert "deploy/nowhere.sql does not exist" in text
    assert "no service named 'migrat'" in text


def test_interpolation_follows_compose_rules():
    env = {"SET": "v", "EMPTY": ""}
    assert interpolate("${SET:-d}|${EMPTY:-d}|${EMPTY-d}|${UNSET-d}", env) == "v|d||d"
    assert interpolate("${SET:+alt}|${EMPTY:+alt}|${EMPTY+alt}|$$SET|$SET", env) == (
        "alt||alt|$SET|v")
    for bad in ("${UNSET:?needed}", "${UNSET?needed}", "${EMPTY:?needed}"):
        try:
            interpolate(bad, env)
        except ComposeError as exc:
            assert "needed" in str(exc)
        else:
            raise AssertionError(bad)
    assert interpolate("${EMPTY?needed}", env) == ""
