"""`docker compose config` without Docker (issue 14, item 5): renders docker-compose.yml the
way Compose does — YAML anchors and merge keys, `${VAR}` interpolation with its default
and required forms — validates the result against the Compose Specification's JSON schema
(vendored in deploy/compose/compose-spec.json) and checks what the schema cannot: every
`depends_on`, volume, network and secret a service names is declared, every bind-mount
source, build context and Dockerfile exists, and a `service_completed_successfully` /
`service_healthy` condition points at a service that can satisfy it.

    uv run python tools/compose_check.py [--env-file FILE]   # prints the rendered file

Exit status 1 with one line per problem otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = ROOT / "docker-compose.yml"
SCHEMA = ROOT / "deploy" / "compose" / "compose-spec.json"

# ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?message}, ${NAME?message},
# ${NAME:+alt}, ${NAME+alt}, $NAME; "$$" is a literal dollar.
_VAR = re.compile(
    r"\$(?:(?P<escaped>\$)|\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)"
    r"(?:(?P<op>:?[-?+])(?P<arg>[^}]*))?\}|(?P<bare>[A-Za-z_][A-Za-z0-9_]*)|(?P<bad>\{[^}]*\}?))")


class ComposeError(Exception):
    """The file cannot be rendered (a required variable is missing, bad syntax)."""


def interpolate(value: str, env: Mapping[str, str]) -> str:
    def sub(m: re.Match[str]) -> str:
        if m["escaped"]:
            return "$"
        if m["bad"] is not None:
            raise ComposeError(f"invalid interpolation format: ${m['bad']}")
        name = m["braced"] or m["bare"]
        op, arg = m["op"], m["arg"] or ""
        current = env.get(name)
        present, non_empty = current is not None, bool(current)
        if op in (":-", "-"):
            use_default = not non_empty if op == ":-" else not present
            return interpolate(arg, env) if use_default else current or ""
        if op in (":?", "?"):
            missing = not non_empty if op == ":?" else not present
            if missing:
                raise ComposeError(f"required variable {name} is missing a value: {arg}")
            return current or ""
        if op in (":+", "+"):
            use_alt = non_empty if op == ":+" else present
            return interpolate(arg, env) if use_alt else ""
        return current or ""

    return _VAR.sub(sub, value)


def _walk(node: Any, env: Mapping[str, str]) -> Any:
    if isinstance(node, str):
        return interpolate(node, env)
    if isinstance(node, list):
        return [_walk(v, env) for v in node]
    if isinstance(node, dict):
        return {k: _walk(v, env) for k, v in node.items()}
    return node


def read_env_file(path: Path) -> dict[str, str]:
    env: dict[str, str] = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        env[key.strip().removeprefix("export ").strip()] = value.strip().strip("'\"")
    return env


def render(text: str, env: Mapping[str, str]) -> dict[str, Any]:
    """The file as Compose sees it: anchors and `<<` merges resolved by the YAML loader,
    `x-` extension fields kept (the schema allows them), variables interpolated."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ComposeError(f"not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ComposeError("the top level must be a mapping")
    return _walk(data, env)


def schema_errors(data: Mapping[str, Any]) -> list[str]:
    schema = json.loads(SCHEMA.read_text())
    validator = jsonschema.Draft7Validator(schema)
    return sorted(f"{'.'.join(str(p) for p in e.absolute_path) or '<top>'}: {e.message}"
                  for e in validator.iter_errors(data))


def _names(section: Any) -> list[str]:
    if isinstance(section, dict):
        return list(section)
    if isinstance(section, list):
        return [str(v) for v in section]
    return []


def reference_errors(data: Mapping[str, Any], project_dir: Path = ROOT) -> list[str]:
    errors: list[str] = []
    services: dict[str, Any] = data.get("services") or {}
    volumes = set(_names(data.get("volumes")))
    networks = set(_names(data.get("networks"))) | {"default"}
    secrets = set(_names(data.get("secrets")))
    for name, svc in services.items():
        where = f"services.{name}"
        deps = svc.get("depends_on") or {}
        for dep in _names(deps):
            if dep not in services:
                errors.append(f"{where}.depends_on: no service named {dep!r}")
                continue
            condition = deps[dep].get("condition") if isinstance(deps, dict) else None
            target = services[dep]
            if condition == "service_healthy" and not target.get("healthcheck"):
                errors.append(f"{where}.depends_on.{dep}: service_healthy, but {dep} has no "
                              "healthcheck")
            if condition == "service_completed_successfully" and target.get("restart") in (
                    "always", "unless-stopped"):
                errors.append(f"{where}.depends_on.{dep}: waits for {dep} to complete, but "
                              f"{dep} restarts {target['restart']}")
        for vol in svc.get("volumes") or []:
            if isinstance(vol, str):
                if ":" not in vol:
                    continue  # an anonymous volume
                source, kind = vol.split(":", 1)[0], None
            else:
                source, kind = vol.get("source"), vol.get("type")
            if not source:
                continue
            if source.startswith((".", "/", "~")) or kind == "bind":
                if source.startswith(".") and not (project_dir / source).exists():
                    errors.append(f"{where}.volumes: bind source {source} does not exist")
            elif source not in volumes:
                errors.append(f"{where}.volumes: named volume {source!r} is not declared")
        for net in _names(svc.get("networks")):
            if net not in networks:
                errors.append(f"{where}.networks: network {net!r} is not declared")
        for secret in svc.get("secrets") or []:
            secret_name = secret if isinstance(secret, str) else secret.get("source")
            if secret_name not in secrets:
                errors.append(f"{where}.secrets: secret {secret_name!r} is not declared")
        build = svc.get("build")
        if build:
            context = project_dir / (build if isinstance(build, str) else build.get("context",
                                                                                  "."))
            if not context.is_dir():
                errors.append(f"{where}.build: context {context} does not exist")
            elif isinstance(build, dict) and build.get("dockerfile") and not (
                    context / build["dockerfile"]).is_file():
                errors.append(f"{where}.build: Dockerfile {build['dockerfile']} does not exist")
        for env_file in ([svc["env_file"]] if isinstance(svc.get("env_file"), str)
                         else svc.get("env_file") or []):
            path = env_file if isinstance(env_file, str) else env_file.get("path")
            required = True if isinstance(env_file, str) else env_file.get("required", True)
            if required and not (project_dir / path).exists():
                errors.append(f"{where}.env_file: {path} does not exist")
    return errors


def check(text: str, env: Mapping[str, str], project_dir: Path = ROOT) -> tuple[dict, list[str]]:
    data = render(text, env)
    return data, schema_errors(data) + reference_errors(data, project_dir)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--file", type=Path, default=COMPOSE)
    parser.add_argument("--env-file", type=Path)
    args = parser.parse_args()
    env = dict(os.environ)
    dotenv = args.env_file or args.file.parent / ".env"
    if dotenv.exists():
        env = {**read_env_file(dotenv), **env}
    try:
        data, errors = check(args.file.read_text(), env, args.file.parent)
    except ComposeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for line in errors:
        print(f"error: {line}", file=sys.stderr)
    if errors:
        return 1
    print(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
