"""Issue 14, item 4 — a container build serves the portal and the console. Without a
container engine here (and without access to the base images' registries), the
Dockerfile's steps are rehearsed natively from the same inputs (tools/image_rehearsal.py):
the build context with .dockerignore applied, the Node stage's web build from that context,
the app stage's `uv sync --frozen --no-dev`, every process's entry module importable from
the production-only environment, and the gateway from it serving the built portal and
console."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from image_rehearsal import build_context, dockerignore_patterns, excluded, rehearse  # noqa: E402


def test_dockerignore_keeps_local_state_out_of_the_image():
    rules = dockerignore_patterns(ROOT)
    for path in (".venv/bin/python", "web/node_modules/antd/package.json", "web/dist/index.html",
                 "services/order/src/order_service/__pycache__/app.cpython-311.pyc",
                 "backups/20261201T000000Z/order.dump", "test-output/e2e-1/gateway.log",
                 ".git/HEAD", ".env"):
        assert excluded(path, rules), path
    for path in ("services/order/src/order_service/app.py", "web/src/portal/main.tsx",
                 "web/package-lock.json", "uv.lock", "deploy/entrypoint.sh",
                 "tools/system.py", "gateway/migrations/env.py"):
        assert not excluded(path, rules), path


def test_the_context_holds_every_tracked_source(tmp_path):
    """What git tracks is what the image needs; none of it may be ignored away."""
    import subprocess

    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.split()
    copied = set(build_context(ROOT, tmp_path))
    missing = [p for p in tracked if (ROOT / p).exists() and p not in copied]
    assert missing == []


def test_the_image_rehearsal_serves_the_portal_and_the_console(tmp_path):
    result = rehearse(tmp_path / "build")
    served = result["served"]
    assert "<div id=\"root\"" in served["/"] or "id=\"root\"" in served["/"]
    assert "id=\"root\"" in served["/console/"]
    assert any(p.endswith(".js") for p in served), "the page's script was not served"
    assert "dinghuo_gateway.app" in result["modules"]
    assert "order_service.worker" in result["modules"]
