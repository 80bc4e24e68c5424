"""Build the public API's OpenAPI document offline, exactly as the gateway serves it at
/api/openapi.json: the gateway's own routes merged with every service's /api/portal and
/api/console paths (`dinghuo_gateway.proxy.openapi.merge`). No process, database or
broker is needed: each service's `create_app` only builds its routes.

    python tools/openapi.py            # write web/src/api/openapi.json
    python tools/openapi.py --check    # exit 1 when the committed document is out of date
    python tools/openapi.py -o FILE    # write elsewhere (- for stdout)

`make api-client` runs this and then openapi-typescript (web/src/api/schema.d.ts)."""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "web" / "src" / "api" / "openapi.json"


def build() -> dict[str, Any]:
    os.environ.setdefault("DINGHUO_LOG_LEVEL", "WARNING")
    # Every create_app instruments the same libraries again: not worth a warning here.
    logging.getLogger("opentelemetry").setLevel(logging.ERROR)
    from fastapi.openapi.utils import get_openapi

    sys.path.insert(0, str(ROOT / "tools"))
    from dinghuo_gateway.app import create_app as create_gateway
    from dinghuo_gateway.config import Settings as GatewaySettings
    from dinghuo_gateway.proxy.openapi import merge
    from system import SERVICES

    packages = {s.name: s.package for s in SERVICES}
    gateway = create_gateway(GatewaySettings(web_dist=None))
    own = get_openapi(title=gateway.title, version=gateway.version,
                      description=gateway.description, routes=gateway.routes)
    specs = {}
    # The gateway merges in the order of its service URLs; so do we.
    for name in GatewaySettings().service_urls():
        module = importlib.import_module(f"{packages[name]}.app")
        specs[name] = module.create_app().openapi()
    return merge(own, specs)


def render(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-o", "--output", default=str(TARGET))
    parser.add_argument("--check", action="store_true",
                        help="compare with the committed document instead of writing")
    args = parser.parse_args()
    text = render(build())
    if args.check:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            sys.exit(f"{TARGET.relative_to(ROOT)} is out of date with the API: "
                     "run `make api-client` and commit the result.")
        print("The committed OpenAPI document matches the API.")
        return
    if args.output == "-":
        sys.stdout.write(text)
    else:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
