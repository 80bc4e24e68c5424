"""/api/events/asyncapi.yaml and /api/events/asyncapi.json: the AsyncAPI 3.0 document of
the integration events (I-4), for the finance system and any other subscriber. Public
(no login: it describes the contract, not data), built from dinghuo_contracts once per
process on first use — the same text as docs/asyncapi.yaml."""

from __future__ import annotations

import functools
import hashlib
import json

from dinghuo_contracts.asyncapi import build, document_text
from fastapi import APIRouter, Request
from fastapi.responses import Response

YAML = "application/yaml"


@functools.cache
def _documents() -> dict[str, tuple[bytes, str]]:
    """media type → (body, ETag)."""
    bodies = {YAML: document_text().encode(),
              "application/json": json.dumps(build(), ensure_ascii=False).encode()}
    return {media: (body, f'"{hashlib.sha256(body).hexdigest()[:32]}"')
            for media, body in bodies.items()}


def _serve(request: Request, media_type: str) -> Response:
    body, etag = _documents()[media_type]
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)


router = APIRouter(include_in_schema=False)


@router.api_route("/api/events/asyncapi.yaml", methods=["GET", "HEAD"])
async def asyncapi_yaml(request: Request) -> Response:
    return _serve(request, YAML)


@router.api_route("/api/events/asyncapi.json", methods=["GET", "HEAD"])
async def asyncapi_json(request: Request) -> Response:
    return _serve(request, "application/json")
