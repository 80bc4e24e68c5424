"""Vendor the validation schema of an operator's CustomResourceDefinition.

    python deploy/k8s/schemas/extract_crd_schema.py CRD.yaml VERSION "SOURCE" > OUT.json

Takes `spec.versions[VERSION].schema.openAPIV3Schema` of the CRD, drops the
descriptions (most of the size; the operators' documentation has them) and writes it as
compact JSON with sorted keys and a `$comment` naming where it came from. The test
tests/test_k8s_manifests.py validates the rendered custom resources against it. See
README.md beside this file for the versions vendored and how to update them.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import yaml


def strip(node: Any) -> Any:
    if isinstance(node, dict):
        # a property that is *named* "description" stays (it is under "properties")
        return {k: (strip_props(v) if k == "properties" else strip(v))
                for k, v in node.items() if k != "description"}
    if isinstance(node, list):
        return [strip(v) for v in node]
    return node


def strip_props(props: dict[str, Any]) -> dict[str, Any]:
    return {name: strip(schema) for name, schema in props.items()}


def main() -> None:
    path, version, source = sys.argv[1:4]
    with open(path) as f:
        crd = yaml.safe_load(f)
    [ver] = [v for v in crd["spec"]["versions"] if v["name"] == version]
    schema = strip(ver["schema"]["openAPIV3Schema"])
    schema["$comment"] = (f"{crd['spec']['group']}/{version} {crd['spec']['names']['kind']}: "
                          f"openAPIV3Schema of {source}, descriptions removed")
    json.dump(schema, sys.stdout, separators=(",", ":"), sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
