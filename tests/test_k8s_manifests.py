"""The Kubernetes manifests (deploy/k8s, issue 14 item 5), validated offline.

There is no kustomize or kubectl in CI (nor a cluster), so each overlay is rendered here
by a small kustomize subset - `resources` (files and directories), `namespace`, `images`
and `patches` (a strategic-merge patch of maps, with or without `target`) - that refuses
every other kustomization field, so a manifest using more fails here instead of being
rendered differently from `kubectl apply -k`. The rendered objects are then checked:

- the built-in kinds against the Kubernetes OpenAPI schemas of the oldest and newest
  Kubernetes the CloudNativePG release supports (PyPI `kubernetes-validate`, strict: an
  unknown field is an error, as with `kubectl apply`'s server-side field validation);
- the operators' custom resources against their CRDs' schemas vendored in
  deploy/k8s/schemas/ (`jsonschema`, unknown fields refused likewise);
- what the schemas cannot say: every container has requests and limits; every API has
  an autoscaler and a disruption budget, the workers neither; the migrate Job runs before
  the rollout (each pod waits for its schema); every Secret, ConfigMap and `$(VAR)` a pod
  reads exists; the NetworkPolicies - evaluated here for every pair of pods - let in only
  what deploy/k8s/README.md says; only the gateway is exposed; the operators' servers
  hold the seven databases, back them up, and take every connection the pods may open.
"""

from __future__ import annotations

import asyncio
import copy
import functools
import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import kubernetes_validate.utils
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
K8S = ROOT / "deploy" / "k8s"
SCHEMAS = K8S / "schemas"
OVERLAYS = ("operators", "external")
NAMESPACE = "dinghuo"
# CloudNativePG 1.30 supports Kubernetes 1.34 to 1.36.
KUBERNETES_VERSIONS = ("1.34.0", "1.36.0")
CRD_SCHEMAS = {
    ("postgresql.cnpg.io/v1", "Cluster"): "postgresql.cnpg.io_v1_cluster.json",
    ("postgresql.cnpg.io/v1", "ScheduledBackup"): "postgresql.cnpg.io_v1_scheduledbackup.json",
    ("postgresql.cnpg.io/v1", "Database"): "postgresql.cnpg.io_v1_database.json",
    ("rabbitmq.com/v1beta1", "RabbitmqCluster"): "rabbitmq.com_v1beta1_rabbitmqcluster.json",
}
CLUSTER_SCOPED = {"Namespace"}
# What each process may hold open on PostgreSQL: libs/servicekit db.py's pool (5 + 10
# overflow) and one LISTEN connection (outbox relay, gateway session revocation).
CONNECTIONS_PER_PROCESS = 16
sys.path.insert(0, str(ROOT / "tools"))

from system import COMPONENTS  # noqa: E402

# --------------------------------------------------------------------------- rendering
KUSTOMIZATION_FIELDS = {"apiVersion", "kind", "namespace", "resources", "images", "patches"}
TARGET_FIELDS = {"kind", "name", "namespace", "group", "version"}


def render(folder: Path) -> list[dict[str, Any]]:
    """`kustomize build folder`, for the fields deploy/k8s uses (and no others)."""
    kust = yaml.safe_load((folder / "kustomization.yaml").read_text())
    unknown = set(kust) - KUSTOMIZATION_FIELDS
    assert not unknown, f"{folder}: this test's renderer does not know {sorted(unknown)}"
    objs: list[dict[str, Any]] = []
    for res in kust.get("resources", []):
        path = (folder / res).resolve()
        assert path.is_relative_to(K8S), f"{folder}: {res} is outside deploy/k8s"
        if path.is_dir():
            objs += render(path)
        else:
            objs += [d for d in yaml.safe_load_all(path.read_text()) if d]
    for patch in kust.get("patches", []):
        apply_patch(objs, patch, folder)
    if ns := kust.get("namespace"):
        for obj in objs:
            if obj["kind"] not in CLUSTER_SCOPED:
                obj["metadata"]["namespace"] = ns
    for image in kust.get("images", []):
        set_image(objs, image)
    return objs


def apply_patch(objs: list[dict], spec: dict, folder: Path) -> None:
    assert set(spec) <= {"path", "patch", "target"}, spec
    text = (folder / spec["path"]).read_text() if "path" in spec else spec["patch"]
    patch = yaml.safe_load(text)
    assert isinstance(patch, dict), "only strategic-merge patches (JSON6902 is not rendered)"
    target = spec.get("target") or {"kind": patch["kind"], "name": patch["metadata"]["name"]}
    assert set(target) <= TARGET_FIELDS, f"unsupported target selector {target}"
    hits = [o for o in objs if matches_target(o, target)]
    assert hits, f"{folder}: the patch {target} matches nothing"
    body = {k: v for k, v in patch.items() if k not in ("apiVersion", "kind", "metadata")}
    for obj in hits:
        merge(obj, body)


def matches_target(obj: dict, target: dict) -> bool:
    group, _, version = obj["apiVersion"].rpartition("/")
    have = {"kind": obj["kind"], "name": obj["metadata"]["name"], "group": group,
            "version": version, "namespace": obj["metadata"].get("namespace")}
    return all(have[k] == v for k, v in target.items())


def merge(dst: dict, patch: dict) -> None:
    """A strategic merge of maps; lists (whose merge keys differ by field) are refused."""
    for key, value in patch.items():
        if value is None:
            dst.pop(key, None)
        elif isinstance(value, dict) and isinstance(dst.get(key), dict):
            merge(dst[key], value)
        else:
            assert not isinstance(value, list), f"list patches are not rendered ({key})"
            dst[key] = copy.deepcopy(value)


def set_image(objs: list[dict], image: dict) -> None:
    assert set(image) <= {"name", "newName", "newTag"}, image
    for _obj, _kind, container in containers(objs):
        name, _, tag = container["image"].partition(":")
        if name == image["name"]:
            container["image"] = (f"{image.get('newName', name)}:"
                                  f"{image.get('newTag', tag or 'latest')}")


def pod_spec(obj: dict) -> dict | None:
    if obj["kind"] in ("Deployment", "Job", "StatefulSet", "DaemonSet"):
        return obj["spec"]["template"]["spec"]
    return None


def containers(objs: list[dict]):
    """(object, "containers" | "initContainers", container) of every pod template."""
    for obj in objs:
        spec = pod_spec(obj)
        if spec is None:
            continue
        for kind in ("initContainers", "containers"):
            for c in spec.get(kind, []):
                yield obj, kind, c


@functools.cache
def rendered(overlay: str) -> tuple[dict, ...]:
    return tuple(render(K8S / "overlays" / overlay))


def objects(overlay: str) -> list[dict]:
    return copy.deepcopy(list(rendered(overlay)))


def of_kind(objs: list[dict], kind: str) -> list[dict]:
    return [o for o in objs if o["kind"] == kind]


def one(objs: list[dict], kind: str, name: str | None = None) -> dict:
    found = [o for o in of_kind(objs, kind) if name in (None, o["metadata"]["name"])]
    assert len(found) == 1, (kind, name, [o["metadata"]["name"] for o in found])
    return found[0]


def templates(path: Path) -> list[dict]:
    return [d for d in yaml.safe_load_all(path.read_text()) if d]


SECRET_TEMPLATES = {
    "operators": K8S / "overlays" / "operators" / "secrets.template.yaml",
    "external": K8S / "overlays" / "external" / "secret.template.yaml",
}


def test_the_overlays_render_one_namespace_of_unique_objects():
    for overlay in OVERLAYS:
        objs = objects(overlay)
        ids = [(o["apiVersion"], o["kind"], o["metadata"]["name"]) for o in objs]
        assert len(ids) == len(set(ids)), overlay
        for obj in objs:
            name = obj["metadata"]["name"]
            limit = 63 if obj["kind"] in ("Service", "Namespace") else 253
            assert re.fullmatch(r"[a-z0-9]([-a-z0-9.]*[a-z0-9])?", name) and len(name) <= limit
            if obj["kind"] in CLUSTER_SCOPED:
                assert obj["kind"] == "Namespace" and name == NAMESPACE
            else:
                assert obj["metadata"]["namespace"] == NAMESPACE, (overlay, name)
            for key, value in obj["metadata"].get("labels", {}).items():
                assert len(str(value)) <= 63, (name, key)
        images = {c["image"] for _o, _k, c in containers(objs)}
        assert images == {"registry.example.com/dinghuo/dinghuo:0.1.0"}, images
    # the secrets' templates are applied by hand, never by `apply -k`
    for overlay, path in SECRET_TEMPLATES.items():
        kust = yaml.safe_load((path.parent / "kustomization.yaml").read_text())
        assert path.name not in kust["resources"]
        assert not of_kind(objects(overlay), "Secret")


# ------------------------------------------------------------------------ schemas
@pytest.fixture(scope="module")
def k8s_schema_cache():
    """kubernetes-validate reads its schema files anew for every object: cache them."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(kubernetes_validate.utils, "schema_contents",
                   functools.cache(kubernetes_validate.utils.schema_contents))
        yield


def k8s_errors(obj: dict) -> list[str]:
    out = []
    for version in KUBERNETES_VERSIONS:
        try:
            kubernetes_validate.validate(obj, version, strict=True)
        except kubernetes_validate.ValidationError as exc:
            where = "/".join(str(p) for p in exc.absolute_path)
            out.append(f"{obj['kind']}/{obj['metadata']['name']} (k8s {version}) "
                       f"{where}: {exc.message}")
        except kubernetes_validate.SchemaNotFoundError as exc:
            out.append(exc.message)
    return out


def strict(schema: Any) -> Any:
    """A CRD schema refusing unknown fields, as the API server does under strict field
    validation (kubectl's default): objects with properties get additionalProperties:
    false unless the schema keeps unknown fields."""
    if isinstance(schema, list):
        return [strict(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: (({n: strict(s) for n, s in v.items()}) if k == "properties" else strict(v))
           for k, v in schema.items()}
    if ("properties" in out and "additionalProperties" not in out
            and not out.get("x-kubernetes-preserve-unknown-fields")):
        out["additionalProperties"] = False
    return out


@functools.cache
def crd_validator(file: str) -> jsonschema.Validator:
    schema = json.loads((SCHEMAS / file).read_text())
    schema.pop("$comment")
    schema = strict(schema)
    # metadata is the API server's (ObjectMeta, checked below); the CRD says only "object"
    schema["properties"]["metadata"] = {"type": "object"}
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def crd_errors(obj: dict) -> list[str]:
    validator = crd_validator(CRD_SCHEMAS[obj["apiVersion"], obj["kind"]])
    out = [f"{obj['kind']}/{obj['metadata']['name']} {'/'.join(map(str, e.absolute_path))}: "
           f"{e.message}" for e in validator.iter_errors(obj)]
    # ObjectMeta against Kubernetes' own schema, carried by an object that has nothing else
    out += k8s_errors({"apiVersion": "v1", "kind": "ConfigMap", "metadata": obj["metadata"]})
    return out


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_object_matches_its_schema(overlay, k8s_schema_cache):
    errors = []
    for obj in objects(overlay):
        if (obj["apiVersion"], obj["kind"]) in CRD_SCHEMAS:
            errors += crd_errors(obj)
        else:
            errors += k8s_errors(obj)
    assert not errors, "\n".join(errors)


def test_the_secret_templates_match_the_schema_and_hold_placeholders_only(k8s_schema_cache):
    for path in SECRET_TEMPLATES.values():
        for secret in templates(path):
            assert secret["kind"] == "Secret" and not k8s_errors(secret), k8s_errors(secret)
            for key, value in secret["stringData"].items():
                if key != "username":
                    assert "CHANGE-ME" in value, (path.name, key)


def test_the_schema_checks_catch_mistakes(k8s_schema_cache):
    """The validation above is not vacuous: a typo, a wrong type and an unknown field of a
    custom resource are refused."""
    deployment = one(objects("operators"), "Deployment", "order-api")
    deployment["spec"]["template"]["spec"]["containers"][0]["resources"]["limit"] = {}
    assert k8s_errors(deployment)
    service = one(objects("operators"), "Service", "order-api")
    service["spec"]["ports"][0]["port"] = "http"
    assert k8s_errors(service)
    cluster = one(objects("operators"), "Cluster")
    cluster["spec"]["backup"]["retentionPolicy"] = "30 days"
    assert crd_errors(cluster)
    rabbit = one(objects("operators"), "RabbitmqCluster")
    rabbit["spec"]["persistance"] = {"storage": "1Gi"}
    assert crd_errors(rabbit)


def test_the_vendored_schemas_say_where_they_come_from():
    readme = (SCHEMAS / "README.md").read_text()
    for file in CRD_SCHEMAS.values():
        comment = json.loads((SCHEMAS / file).read_text())["$comment"]
        tag = re.search(r" (v\d+\.\d+\.\d+) \(([0-9a-f]{40})\)", comment)
        assert tag and tag.group(1) in readme and tag.group(2) in readme, (file, comment)


# ---------------------------------------------------------------------- resources
UNITS = {"m": 1e-3, "": 1, "k": 1e3, "M": 1e6, "G": 1e9, "Ki": 2**10, "Mi": 2**20,
         "Gi": 2**30, "Ti": 2**40}


def quantity(value: str | int) -> float:
    number, unit = re.fullmatch(r"([0-9.]+)([a-zA-Z]*)", str(value)).groups()
    return float(number) * UNITS[unit]


def check_resources(where: str, resources: dict) -> None:
    for part in ("requests", "limits"):
        assert set(resources.get(part, {})) >= {"cpu", "memory"}, (where, part, resources)
    for res in ("cpu", "memory"):
        assert quantity(resources["limits"][res]) >= quantity(resources["requests"][res]), \
            (where, res)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_container_has_requests_and_limits(overlay):
    objs = objects(overlay)
    seen = 0
    for obj, _kind, container in containers(objs):
        check_resources(f"{obj['metadata']['name']}/{container['name']}",
                        container.get("resources", {}))
        seen += 1
    assert seen >= 2 * 14 + 1  # 14 Deployments (a wait-migrated initContainer each), the Job
    for kind in ("Cluster", "RabbitmqCluster"):
        for server in of_kind(objs, kind):
            check_resources(kind, server["spec"]["resources"])


def api_deployments(objs: list[dict]) -> list[dict]:
    return [d for d in of_kind(objs, "Deployment")
            if d["spec"]["template"]["metadata"]["labels"]["app.kubernetes.io/component"] == "api"]


def selects(selector: dict, labels: dict) -> bool:
    """A Kubernetes label selector (matchLabels, matchExpressions) against labels."""
    for key, value in selector.get("matchLabels", {}).items():
        if labels.get(key) != value:
            return False
    for expr in selector.get("matchExpressions", []):
        key, op, values = expr["key"], expr["operator"], expr.get("values", [])
        ok = {"In": key in labels and labels[key] in values,
              "NotIn": labels.get(key) not in values,
              "Exists": key in labels,
              "DoesNotExist": key not in labels}[op]
        if not ok:
            return False
    return True


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_api_autoscales_and_keeps_a_pod_through_disruptions(overlay):
    objs = objects(overlay)
    apis = api_deployments(objs)
    assert len(apis) == len(COMPONENTS) == 7
    hpas = {h["spec"]["scaleTargetRef"]["name"]: h
            for h in of_kind(objs, "HorizontalPodAutoscaler")}
    pdbs = of_kind(objs, "PodDisruptionBudget")
    for dep in apis:
        name = dep["metadata"]["name"]
        hpa = hpas.pop(name)
        assert hpa["apiVersion"] == "autoscaling/v2"
        assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment",
                                                 "name": name}
        assert hpa["spec"]["minReplicas"] >= 2 and hpa["spec"]["maxReplicas"] > 2
        [metric] = hpa["spec"]["metrics"]
        assert metric["type"] == "Resource" and metric["resource"]["name"] == "cpu"
        assert metric["resource"]["target"]["type"] == "Utilization"
        # the autoscaler owns the replica count: a number in the manifest would fight it
        assert "replicas" not in dep["spec"], name
        labels = dep["spec"]["template"]["metadata"]["labels"]
        budgets = [p for p in pdbs if selects(p["spec"]["selector"], labels)]
        assert len(budgets) == 1 and budgets[0]["spec"] == {
            "minAvailable": 1, "selector": budgets[0]["spec"]["selector"]}, name
        # ... and it selects this Deployment's pods only
        others = [d for d in of_kind(objs, "Deployment") if d is not dep]
        assert not [d for d in others
                    if selects(budgets[0]["spec"]["selector"],
                               d["spec"]["template"]["metadata"]["labels"])], name
    assert not hpas, f"autoscalers of no API: {sorted(hpas)}"
    for dep in of_kind(objs, "Deployment"):
        if dep not in apis:  # a worker: the single consumer of its queue
            assert dep["spec"]["replicas"] == 1
            assert dep["spec"]["strategy"]["type"] == "Recreate"
            assert not [p for p in pdbs if selects(p["spec"]["selector"],
                                                   dep["spec"]["template"]["metadata"]["labels"])]


# ---------------------------------------------------------------- migrate first
def component_of(dep: dict):
    command = " ".join(dep["spec"]["template"]["spec"]["containers"][0]["command"])
    [comp] = [c for c in COMPONENTS if re.search(rf"\b{c.package}[.:]", command)]
    return comp


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_no_pod_starts_before_the_migrate_job_has_migrated_its_database(overlay):
    objs = objects(overlay)
    job = one(objs, "Job", "dinghuo-migrate")
    assert job["spec"]["template"]["spec"]["containers"][0]["command"] == \
        ["python", "tools/system.py", "setup"]
    deployments = of_kind(objs, "Deployment")
    assert len(deployments) == 14
    for dep in deployments:
        comp = component_of(dep)
        spec = dep["spec"]["template"]["spec"]
        [init] = spec["initContainers"]
        [main] = spec["containers"]
        url_env = f"{comp.prefix}DATABASE_URL"
        assert init["name"] == "wait-migrated"
        assert init["command"] == ["python", "deploy/wait_migrated.py",
                                   f"{comp.folder}/alembic.ini", url_env]
        assert (ROOT / comp.folder / "alembic.ini").is_file()
        assert init["image"] == main["image"]
        # the same database as the process it guards
        assert env_value(init, url_env) == env_value(main, url_env)
        assert env_value(main, url_env)["value"].endswith(f"/dinghuo_{comp.name}")
        assert init["securityContext"] == main["securityContext"]


def env_value(container: dict, name: str) -> dict:
    [entry] = [e for e in container.get("env", []) if e["name"] == name]
    return {k: v for k, v in entry.items() if k != "name"}


def load_wait_migrated():
    spec = importlib.util.spec_from_file_location("wait_migrated",
                                                  ROOT / "deploy" / "wait_migrated.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_wait_migrated_waits_for_exactly_the_image_heads():
    wait_migrated = load_wait_migrated()
    for comp in COMPONENTS:
        heads, known = wait_migrated.heads(ROOT / comp.folder / "alembic.ini")
        assert len(heads) == 1 and heads <= known, comp.name
    heads, known = {"c"}, {"a", "b", "c"}
    assert wait_migrated.verdict(None, heads, known)  # no alembic_version table yet
    assert wait_migrated.verdict(set(), heads, known)
    assert wait_migrated.verdict({"b"}, heads, known)  # behind: wait
    assert wait_migrated.verdict({"c"}, heads, known) is None
    assert wait_migrated.verdict({"z"}, heads, known) is None  # a newer image migrated it


async def test_wait_migrated_against_a_real_database(infra, monkeypatch, capsys):
    """On a database that is empty, then one revision behind: it waits (and gives up after
    --timeout, exit 1); at the head, the initContainer's command line exits 0."""
    from alembic.script import ScriptDirectory
    from servicekit.migrations import alembic_config, create_database, drop_database, upgrade

    wait_migrated = load_wait_migrated()
    url = infra.database_url("waitmigrated")
    ini = ROOT / "services" / "points" / "alembic.ini"
    script = ScriptDirectory.from_config(alembic_config(ini, url))
    before_head = script.get_revision(script.get_current_head()).down_revision
    monkeypatch.setenv("POINTS_DATABASE_URL", url)
    args = [str(ini), "POINTS_DATABASE_URL", "--interval", "0.2", "--timeout", "0.5"]
    await create_database(url, drop_first=True)
    try:
        assert await asyncio.to_thread(wait_migrated.main, args) == 1
        assert "no migration applied yet" in capsys.readouterr().out
        await asyncio.to_thread(upgrade, ini, url, before_head)
        assert await asyncio.to_thread(wait_migrated.main, args) == 1
        assert "this image needs" in capsys.readouterr().out
        await asyncio.to_thread(upgrade, ini, url)
        done = subprocess.run(
            [sys.executable, "deploy/wait_migrated.py", str(ini.relative_to(ROOT)),
             "POINTS_DATABASE_URL"], cwd=ROOT, env={**os.environ, "POINTS_DATABASE_URL": url},
            capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
        assert f"is at ['{script.get_current_head()}']" in done.stdout
    finally:
        await drop_database(url)


# ------------------------------------------------------------ references resolve
OPERATOR_SECRETS = {
    # CloudNativePG's <cluster>-app (pkg/specs/secrets.go, CreateSecret)
    "dinghuo-pg-app": {"username", "user", "password", "dbname", "host", "port", "pgpass",
                       "uri", "jdbc-uri", "fqdn-uri", "fqdn-jdbc-uri"},
    # the RabbitMQ operator's <name>-default-user (internal/resource/default_user_secret.go)
    "dinghuo-rabbitmq-default-user": {"username", "password", "default_user.conf", "provider",
                                      "type", "host", "port", "connection_string"},
}


def provided_secrets(overlay: str) -> dict[str, set[str]]:
    out = {s["metadata"]["name"]: set(s["stringData"])
           for s in templates(SECRET_TEMPLATES[overlay])}
    if overlay == "operators":
        objs = objects(overlay)
        made = {f"{one(objs, 'Cluster')['metadata']['name']}-app",
                f"{one(objs, 'RabbitmqCluster')['metadata']['name']}-default-user"}
        assert made == set(OPERATOR_SECRETS)
        out.update(OPERATOR_SECRETS)
    return out


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_secret_config_and_variable_a_pod_reads_exists(overlay):
    objs = objects(overlay)
    secrets = provided_secrets(overlay)
    configs = {c["metadata"]["name"]: set(c["data"]) for c in of_kind(objs, "ConfigMap")}
    for obj, _kind, container in containers(objs):
        where = f"{obj['metadata']['name']}/{container['name']}"
        defined: set[str] = set()
        for source in container.get("envFrom", []):
            if "configMapRef" in source:
                defined |= configs[source["configMapRef"]["name"]]
            else:
                defined |= secrets[source["secretRef"]["name"]]
        for entry in container.get("env", []):
            ref = entry.get("valueFrom", {})
            if "secretKeyRef" in ref:
                key = ref["secretKeyRef"]
                assert key["key"] in secrets.get(key["name"], ()), (where, key)
            elif "configMapKeyRef" in ref:
                key = ref["configMapKeyRef"]
                assert key["key"] in configs.get(key["name"], ()), (where, key)
            else:
                # Kubernetes expands $(VAR) only from variables defined before this one
                for var in re.findall(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)", entry["value"]):
                    assert var in defined, (where, entry["name"], var)
            defined.add(entry["name"])
    for obj in objs:
        for volume in (pod_spec(obj) or {}).get("volumes", []):
            if "persistentVolumeClaim" in volume:
                one(objs, "PersistentVolumeClaim", volume["persistentVolumeClaim"]["claimName"])
    if overlay == "operators":
        creds = one(objs, "Cluster")["spec"]["backup"]["barmanObjectStore"]["s3Credentials"]
        for ref in creds.values():
            assert ref["key"] in secrets[ref["name"]], ref


def test_the_database_urls_are_the_ones_the_services_read():
    """Each process gets <PREFIX>DATABASE_URL of its own database, with the asyncpg driver;
    the migrate Job the server they are all on."""
    objs = objects("operators")
    for dep in of_kind(objs, "Deployment"):
        comp = component_of(dep)
        main = dep["spec"]["template"]["spec"]["containers"][0]
        assert env_value(main, f"{comp.prefix}DATABASE_URL")["value"] == (
            "postgresql+asyncpg://$(DINGHUO_PG_USER):$(DINGHUO_PG_PASSWORD)"
            f"@$(DINGHUO_PG_HOST)/dinghuo_{comp.name}")
        assert env_value(main, "DINGHUO_AMQP_URL")["valueFrom"]["secretKeyRef"]["key"] == \
            "connection_string"
    job = one(objs, "Job")["spec"]["template"]["spec"]["containers"][0]
    assert env_value(job, "DINGHUO_DATABASE_SERVER")["value"] == \
        "postgresql+asyncpg://$(DINGHUO_PG_USER):$(DINGHUO_PG_PASSWORD)@$(DINGHUO_PG_HOST)"


# ------------------------------------------------------------ network policies
class Pod:
    def __init__(self, name: str, labels: dict, namespace: str = NAMESPACE) -> None:
        self.name, self.labels, self.namespace = name, labels, namespace
        self.namespace_labels = {"kubernetes.io/metadata.name": namespace}

    def __repr__(self) -> str:
        return f"{self.namespace}/{self.name}"


def peer_matches(peer: dict, policy_ns: str, src: Pod) -> bool:
    assert "ipBlock" not in peer
    if "namespaceSelector" in peer:
        if not selects(peer["namespaceSelector"], src.namespace_labels):
            return False
    elif src.namespace != policy_ns:
        return False
    return selects(peer.get("podSelector", {}), src.labels)


def port_matches(rule: dict, port: int) -> bool:
    if "ports" not in rule:
        return True
    for p in rule["ports"]:
        assert isinstance(p["port"], int), "named ports are not evaluated here"
        if p.get("protocol", "TCP") == "TCP" and p["port"] <= port <= p.get("endPort", p["port"]):
            return True
    return False


def allowed(policies: list[dict], src: Pod, dst: Pod, port: int) -> bool:
    """May src open a TCP connection to dst:port (ingress rules; egress is open)?"""
    selecting = [p for p in policies if p["metadata"]["namespace"] == dst.namespace
                 and selects(p["spec"]["podSelector"], dst.labels)
                 and "Ingress" in p["spec"].get("policyTypes", ["Ingress"])]
    if not selecting:
        return True
    return any(port_matches(rule, port)
               and ("from" not in rule
                    or any(peer_matches(peer, p["metadata"]["namespace"], src)
                           for peer in rule["from"]))
               for p in selecting for rule in p["spec"].get("ingress", []))


def workload_pods(objs: list[dict]) -> dict[str, Pod]:
    return {o["metadata"]["name"]: Pod(o["metadata"]["name"],
                                       o["spec"]["template"]["metadata"]["labels"])
            for o in objs if pod_spec(o) is not None}


INGRESS_CONTROLLER = Pod("ingress-nginx-controller",
                         {"app.kubernetes.io/name": "ingress-nginx"}, "ingress-nginx")
STRANGER = Pod("somebody", {"app": "other"}, "default")
STRANGER_HERE = Pod("debug-shell", {"run": "debug"})  # `kubectl run` in the namespace


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_only_the_gateway_is_reachable_and_each_api_only_from_the_gateway(overlay):
    objs = objects(overlay)
    policies = of_kind(objs, "NetworkPolicy")
    pods = workload_pods(objs)
    gateway = pods["gateway"]
    outsiders = [INGRESS_CONTROLLER, STRANGER, STRANGER_HERE]
    everyone = [*pods.values(), *outsiders]
    # default deny: every pod is selected by some ingress policy
    assert any(p["spec"]["podSelector"] == {} and p["spec"]["policyTypes"] == ["Ingress"]
               and not p["spec"].get("ingress") for p in policies)
    for svc in of_kind(objs, "Service"):
        [target] = [p for p in pods.values() if p.name in (svc["metadata"]["name"],)]
        assert selects({"matchLabels": svc["spec"]["selector"]}, target.labels)
        port = port_number(one(objs, "Deployment", target.name), svc["spec"]["ports"][0])
        callers = {str(p) for p in everyone if allowed(policies, p, target, port)}
        if target is gateway:
            assert callers == {str(INGRESS_CONTROLLER)}, callers
        else:
            assert callers == {str(gateway)}, (target, callers)
    for pod in pods.values():
        if pod.labels["app.kubernetes.io/component"] != "api":  # workers, migrate Job
            for port in (8080, 8101, 8000, 9000):
                assert not [p for p in everyone if allowed(policies, p, pod, port)], pod


def port_number(dep: dict, service_port: dict) -> int:
    target = service_port["targetPort"]
    if isinstance(target, int):
        return target
    [port] = [p["containerPort"] for c in dep["spec"]["template"]["spec"]["containers"]
              for p in c.get("ports", []) if p["name"] == target]
    return port


def test_the_databases_and_the_broker_admit_only_dinghuo_and_their_operators():
    objs = objects("operators")
    policies = of_kind(objs, "NetworkPolicy")
    pods = workload_pods(objs)
    cluster = one(objs, "Cluster")["metadata"]["name"]
    rabbit = one(objs, "RabbitmqCluster")["metadata"]["name"]
    # the labels the operators give their pods (CloudNativePG: pkg/utils labels;
    # RabbitMQ: internal/metadata/label.go)
    pg = Pod(f"{cluster}-1", {"cnpg.io/cluster": cluster, "cnpg.io/podRole": "instance",
                              "cnpg.io/instanceRole": "primary"})
    pg_replica = Pod(f"{cluster}-2", {"cnpg.io/cluster": cluster, "cnpg.io/podRole": "instance",
                                      "cnpg.io/instanceRole": "replica"})
    pg_operator = Pod("cnpg-controller-manager", {"app.kubernetes.io/name": "cloudnative-pg"},
                      "cnpg-system")
    mq = [Pod(f"{rabbit}-server-{i}", {"app.kubernetes.io/name": rabbit,
                                        "app.kubernetes.io/component": "rabbitmq",
                                        "app.kubernetes.io/part-of": "rabbitmq"})
          for i in range(2)]
    mq_operator = Pod("rabbitmq-cluster-operator",
                      {"app.kubernetes.io/component": "rabbitmq-operator"}, "rabbitmq-system")
    outsiders = [INGRESS_CONTROLLER, STRANGER, STRANGER_HERE, mq_operator]

    def may(src: Pod, dst: Pod, port: int) -> bool:
        return allowed(policies, src, dst, port)

    for name, pod in pods.items():
        obj = one(objs, "Deployment" if name != "dinghuo-migrate" else "Job", name)
        env = {e["name"] for c in pod_spec(obj)["containers"] for e in c.get("env", [])}
        # every Dinghuo pod has a database and the broker, and reaches both
        assert {"DINGHUO_PG_PASSWORD", "DINGHUO_AMQP_URL"} <= env, name
        assert may(pod, pg, 5432) and may(pod, mq[0], 5672), name
        assert not may(pod, pg, 8000) and not may(pod, mq[0], 25672), name
    assert may(pg_replica, pg, 5432) and may(pg, pg_replica, 8000)
    assert may(pg_operator, pg, 8000) and may(pg_operator, pg, 5432)
    assert may(mq[1], mq[0], 25672) and may(mq[1], mq[0], 4369) and may(mq_operator, mq[0], 15672)
    for src in [*outsiders, *mq]:
        assert not may(src, pg, 5432), src
    for src in [*outsiders, pg, pg_operator]:
        assert not may(src, mq[0], 5672), src


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_only_the_gateway_is_exposed(overlay):
    objs = objects(overlay)
    for svc in of_kind(objs, "Service"):
        assert svc["spec"].get("type", "ClusterIP") == "ClusterIP", svc["metadata"]["name"]
        assert not svc["spec"].get("externalIPs")
    [ingress] = of_kind(objs, "Ingress")
    backends = {path["backend"]["service"]["name"] for rule in ingress["spec"]["rules"]
                for path in rule["http"]["paths"]}
    assert backends == {"gateway"} and "defaultBackend" not in ingress["spec"]
    for obj in objs:
        spec = pod_spec(obj)
        if spec is not None:
            assert not spec.get("hostNetwork") and not spec.get("hostPort")
            assert not [p for c in spec["containers"] for p in c.get("ports", [])
                        if "hostPort" in p]
    for rabbit in of_kind(objs, "RabbitmqCluster"):
        assert rabbit["spec"]["service"]["type"] == "ClusterIP"
    for cluster in of_kind(objs, "Cluster"):
        assert "managed" not in cluster["spec"]  # no extra (LoadBalancer) services


# ------------------------------------------------------------ the servers
def test_the_operators_overlay_runs_postgresql_with_backups_and_rabbitmq():
    objs = objects("operators")
    cluster = one(objs, "Cluster")
    name, spec = cluster["metadata"]["name"], cluster["spec"]
    assert spec["instances"] >= 3
    initdb = spec["bootstrap"]["initdb"]
    databases = {d["spec"]["name"]: d["spec"] for d in of_kind(objs, "Database")}
    assert set(databases) == {f"dinghuo_{c.name}" for c in COMPONENTS}
    assert initdb["database"] in databases
    for db in databases.values():
        assert db["cluster"] == {"name": name} and db["owner"] == initdb["owner"]
        assert db.get("databaseReclaimPolicy", "retain") == "retain"
    config = one(objs, "ConfigMap", "dinghuo-config")["data"]
    assert config["DINGHUO_PG_HOST"] == f"{name}-rw:5432"
    # continuous archiving and a nightly base backup, old ones expiring
    store = spec["backup"]["barmanObjectStore"]
    assert store["destinationPath"].startswith("s3://") and store["s3Credentials"]
    assert re.fullmatch(r"[1-9][0-9]*[dwm]", spec["backup"]["retentionPolicy"])
    [nightly] = of_kind(objs, "ScheduledBackup")
    assert nightly["spec"]["cluster"] == {"name": name}
    assert nightly["spec"].get("method", "barmanObjectStore") == "barmanObjectStore"
    assert len(nightly["spec"]["schedule"].split()) == 6  # the operator's cron has seconds
    assert "-system-" in spec["imageName"]  # the flavour with barman-cloud
    # every connection the pods may open fits
    apis = sum(h["spec"]["maxReplicas"] + 1 for h in of_kind(objs, "HorizontalPodAutoscaler"))
    workers = sum(d["spec"]["replicas"] for d in of_kind(objs, "Deployment")
                  if "replicas" in d["spec"])
    needed = (apis + workers + 1) * CONNECTIONS_PER_PROCESS + len(of_kind(objs, "Deployment"))
    reserved = int(spec["postgresql"]["parameters"].get("superuser_reserved_connections", 3))
    assert needed <= int(spec["postgresql"]["parameters"]["max_connections"]) - reserved, needed
    rabbit = one(objs, "RabbitmqCluster")["spec"]
    assert rabbit["replicas"] == 3 and rabbit["persistence"]["storage"]


def test_the_external_overlay_uses_servers_from_elsewhere():
    objs = objects("external")
    assert not [o for o in objs if (o["apiVersion"], o["kind"]) in CRD_SCHEMAS]
    host = one(objs, "ConfigMap", "dinghuo-config")["data"]["DINGHUO_PG_HOST"]
    assert host != one(objects("operators"), "ConfigMap")["data"]["DINGHUO_PG_HOST"]
    assert set(provided_secrets("external")) == {"dinghuo-secrets", *OPERATOR_SECRETS}
    # everything but the servers is the same in both overlays
    servers = {"Cluster", "ScheduledBackup", "Database", "RabbitmqCluster"}
    ops = [o for o in objects("operators") if o["kind"] not in servers
           and o["metadata"]["name"] not in ("postgres", "rabbitmq")]
    for o in ops:
        if o["kind"] == "ConfigMap":
            o["data"]["DINGHUO_PG_HOST"] = host
    key = lambda o: (o["kind"], o["metadata"]["name"])  # noqa: E731
    assert sorted(ops, key=key) == sorted(objs, key=key)
