"""Logging: structlog JSON lines on stdout, and what a log line may show of a recipient.

Never log a request's `params`, `text` or `text_en`: they can hold a password-reset
token (C-8)."""

from __future__ import annotations

import logging
import sys

import structlog


def configure_logging(level: str = "INFO", json: bool = True) -> None:
    lvl = getattr(logging, level.upper(), logging.INFO)
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(lvl),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stdout),
        cache_logger_on_first_use=True,
    )
    structlog.contextvars.bind_contextvars(service="notifier")
    # aio-pika and httpx log through the standard library.
    logging.basicConfig(level=max(lvl, logging.WARNING), stream=sys.stdout)


def get_logger(name: str | None = None):
    return structlog.get_logger(name)


def mask(recipient: str | None) -> str | None:
    """A mobile number keeps its first 3 and last 4 digits, an e-mail address its first
    letter and domain, a WeChat openid its first 3 and last 4 characters."""
    if not recipient:
        return None
    if "@" in recipient:
        name, _, domain = recipient.partition("@")
        return f"{name[:1]}***@{domain}"
    return f"{recipient[:3]}****{recipient[-4:]}" if len(recipient) >= 8 else "****"
