"""A rehearsal of deploy/Dockerfile without a container engine (issue 14, item 4).

This machine has no Docker engine and cannot pull the base images (only PyPI, Debian and
npm are reachable), so the image itself cannot be built here. What can go wrong in the
build is rehearsed natively, step by step, from the same inputs:

1. the build context: the repository as `COPY . .` sees it, `.dockerignore` applied;
2. the Node stage: `vite build` of the context's web/ (with the lock's node_modules, the
   result of its `npm ci`);
3. the app stage: `uv sync --frozen --all-packages --no-dev` into a fresh environment —
   production dependencies only, so a runtime import that only a dev dependency satisfies
   fails here;
4. every process the compose file and the manifests start is importable from that
   environment, and the gateway, started from it with `GATEWAY_WEB_DIST` pointing at the
   built application, serves the portal and the console.

    uv run python tools/image_rehearsal.py [--keep DIR]

What it does not prove: the base images' Python and Node versions, the `useradd`/`chown`
steps and the entrypoint under the image's user. `docker build` where an engine exists.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def dockerignore_patterns(root: Path) -> list[tuple[bool, re.Pattern[str]]]:
    """`.dockerignore` as (negated, regex) pairs, in order (the last match wins)."""
    rules: list[tuple[bool, re.Pattern[str]]] = []
    path = root / ".dockerignore"
    if not path.exists():
        return rules
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        pattern = line[1:].strip() if negated else line
        pattern = pattern.strip("/").removeprefix("./")
        regex = ""
        i = 0
        while i < len(pattern):
            if pattern.startswith("**/", i):
                regex += "(?:.*/)?"
                i += 3
            elif pattern.startswith("**", i):
                regex += ".*"
                i += 2
            elif pattern[i] == "*":
                regex += "[^/]*"
                i += 1
            elif pattern[i] == "?":
                regex += "[^/]"
                i += 1
            else:
                regex += re.escape(pattern[i])
                i += 1
        rules.append((negated, re.compile(f"^{regex}$")))
    return rules


def excluded(rel: str, rules: list[tuple[bool, re.Pattern[str]]]) -> bool:
    """Docker's rule: a path is excluded when it, or a directory above it, matches the last
    matching pattern (negations re-include)."""
    result = False
    parts = rel.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    for negated, regex in rules:
        if any(regex.match(p) for p in prefixes):
            result = not negated
    return result


def build_context(root: Path, dest: Path) -> list[str]:
    """Copy what `COPY . .` would copy; return the relative paths copied."""
    rules = dockerignore_patterns(root)
    copied: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = Path(dirpath).relative_to(root).as_posix()
        rel_dir = "" if rel_dir == "." else rel_dir
        dirnames[:] = [d for d in dirnames
                       if not excluded(f"{rel_dir}/{d}".lstrip("/"), rules)]
        for name in filenames:
            rel = f"{rel_dir}/{name}".lstrip("/")
            if excluded(rel, rules):
                continue
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(Path(dirpath) / name, target, follow_symlinks=False)
            copied.append(rel)
    return copied


def processes(root: Path) -> list[list[str]]:
    """Every command docker-compose.yml starts (the manifests start the same ones;
    tests/test_deploy.py and tests/test_k8s_manifests.py keep them in step)."""
    import yaml

    compose = yaml.safe_load((root / "docker-compose.yml").read_text())
    return [list(s["command"]) for s in compose["services"].values() if s.get("command")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: int = 600,
         ) -> None:
    shown = [a if "\n" not in a else "<script>" for a in cmd]
    print("+", " ".join(shown), flush=True)
    subprocess.run(cmd, cwd=cwd, env=env, check=True, timeout=timeout)


def rehearse(work: Path) -> dict[str, object]:
    ctx = work / "app"
    ctx.mkdir(parents=True)
    copied = build_context(ROOT, ctx)
    leaked = [p for p in copied if p.startswith((".venv/", "web/node_modules/", "web/dist/",
                                                 "test-output/", "backups/", ".git/"))]
    if leaked:
        raise SystemExit(f"the build context holds what it must not: {leaked[:5]}")

    # Node stage: `COPY web/ ./` then `npm ci` + `npm run build`. node_modules is the
    # result of `npm ci` from the same lock, so it is linked rather than installed again.
    web = ctx / "web"
    os.symlink(ROOT / "web" / "node_modules", web / "node_modules")
    env = {**os.environ, "DINGHUO_WEB_DIST": str(web / "dist")}
    _run(["npx", "vite", "build", "--logLevel", "error"], cwd=web, env=env)
    (web / "node_modules").unlink()
    if not (web / "dist" / "index.html").exists():
        raise SystemExit("the web stage produced no index.html")

    # App stage: production dependencies only, from the lock.
    venv = ctx / ".venv"
    uv_env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV",)}
    uv_env.update(UV_PROJECT_ENVIRONMENT=str(venv), UV_LINK_MODE="copy")
    _run(["uv", "sync", "--frozen", "--all-packages", "--no-dev", "--quiet"], cwd=ctx,
         env=uv_env)
    python = str(venv / "bin" / "python")

    # Every process's module imports from the production environment.
    modules: list[str] = []
    for cmd in processes(ROOT):
        if cmd[0] == "uvicorn":
            modules.append(cmd[1].split(":")[0])
        elif cmd[:2] == ["python", "-m"]:
            modules.append(cmd[2])
        elif cmd[:2] == ["python", "tools/system.py"]:
            modules.append("tools/system.py")
    # A `-m` package runs its __main__ (not imported: it would start); a module is imported.
    script = ("import importlib, importlib.util, runpy, sys\n"
              "for m in sys.argv[1:]:\n"
              "    if m.endswith('.py'):\n"
              "        runpy.run_path(m, run_name='rehearsal')\n"
              "    elif '.' not in m:\n"
              "        importlib.import_module(m)\n"
              "        assert importlib.util.find_spec(m + '.__main__'), m\n"
              "    else:\n"
              "        importlib.import_module(m)\n"
              "print('imported', len(sys.argv) - 1, 'entry points')\n")
    _run([python, "-c", script, *sorted(set(modules))], cwd=ctx,
         env={**uv_env, "DINGHUO_ENVIRONMENT": "development"})

    # The gateway from the production environment serves the built portal and console.
    port = _free_port()
    gw_env = {**uv_env, "GATEWAY_WEB_DIST": str(web / "dist"),
              "DINGHUO_ENVIRONMENT": "development",
              "GATEWAY_DATABASE_URL": "postgresql+asyncpg://postgres@127.0.0.1:5432/"
                                      "dinghuo_rehearsal_does_not_exist"}
    proc = subprocess.Popen([python, "-m", "uvicorn", "dinghuo_gateway.app:app", "--host",
                             "127.0.0.1", "--port", str(port)], cwd=ctx, env=gw_env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    served: dict[str, str] = {}
    try:
        deadline = time.monotonic() + 60
        for path in ("/", "/console/"):
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}",
                                                timeout=5) as r:
                        served[path] = r.read().decode()
                    break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        out = proc.stdout.read().decode() if proc.stdout else ""
                        raise SystemExit(f"the gateway did not serve {path}:\n{out[-3000:]}"
                                         ) from None
                    time.sleep(0.3)
        asset = re.search(r'src="(/[^"]+\.js)"', served["/"])
        if asset:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{asset[1]}", timeout=5) as r:
                served[asset[1]] = f"{len(r.read())} bytes"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return {"context_files": len(copied), "modules": sorted(set(modules)), "served": served}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", type=Path, help="rehearse in this (new) folder and keep it")
    args = parser.parse_args()
    if args.keep:
        result = rehearse(args.keep)
    else:
        with tempfile.TemporaryDirectory(prefix="dinghuo-image-") as tmp:
            result = rehearse(Path(tmp))
    print(f"context: {result['context_files']} files; imported: "
          f"{', '.join(result['modules'])}")
    for path, body in result["served"].items():
        print(f"served {path}: {body[:80]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
