"""`without_optional` for the services: see `dinghuo_contracts.imports` (issue 16)."""

from dinghuo_contracts.imports import DEV_ONLY, without_optional

__all__ = ["DEV_ONLY", "without_optional"]
