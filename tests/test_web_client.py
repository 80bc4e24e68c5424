"""The web application's typed API client is generated from the API (issue 4): the
committed OpenAPI document and TypeScript types must match what the code serves now.
When this fails, run `make api-client` and commit web/src/api."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import openapi  # noqa: E402
from system import WEB_DIR, npm_install  # noqa: E402

API = WEB_DIR / "src" / "api"


def test_committed_openapi_document_matches_the_api():
    current = openapi.render(openapi.build())
    committed = (API / "openapi.json").read_text(encoding="utf-8")
    assert committed == current, "web/src/api/openapi.json is out of date: run make api-client"


def test_committed_typescript_types_match_the_document(tmp_path):
    npm_install()
    out = tmp_path / "schema.d.ts"
    subprocess.run(["npx", "--no-install", "openapi-typescript", str(API / "openapi.json"),
                    "-o", str(out)], cwd=WEB_DIR, check=True, capture_output=True)
    committed = (API / "schema.d.ts").read_text(encoding="utf-8")
    assert committed == out.read_text(encoding="utf-8"), \
        "web/src/api/schema.d.ts is out of date: run make api-client"
