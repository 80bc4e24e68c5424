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
