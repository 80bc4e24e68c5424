"""Analysis routes: query (issue 13). Filled in by its own slice."""

from fastapi import APIRouter

router = APIRouter(prefix="/api/console/analysis", tags=["console: analysis"])
