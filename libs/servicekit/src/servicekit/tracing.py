"""OpenTelemetry set-up. The exporter is chosen by settings: none, console (optionally to
a file, one JSON span per line) or OTLP over HTTP. The W3C `traceparent` is carried in
AMQP headers: the outbox stores the writer's context with the event and the consumer
continues that trace, so one trace spans gateway → service → consumer.

Sampling (issue 16): with no exporter nothing is recorded at all (every span is a
non-recording one that still carries a trace id, so `X-Trace-Id`, the log lines and the
`traceparent` carried on events keep working); with an exporter, `sample_ratio` of the
traces started here are recorded (ParentBased: a trace sampled upstream is recorded
downstream too, one not sampled is not), so a busy system can trace a share of its
traffic at a share of the cost. The HTTP server spans leave out ASGI's per-message
`send`/`receive` sub-spans: two or three spans per request that said nothing the server
span does not."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import propagate, trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    ConsoleSpanExporter,
    SimpleSpanProcessor,
)
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF, ParentBased, Sampler, TraceIdRatioBased

_provider: TracerProvider | None = None
_recording = True  # False when no span can be recorded (no exporter, ratio 0)


def _one_line(span) -> str:
    return json.dumps(json.loads(span.to_json()), separators=(",", ":")) + "\n"


def sampler_for(exporter: str, sample_ratio: float = 1.0) -> Sampler:
    """Nothing recorded without an exporter; else `sample_ratio` of the new traces, and
    whatever the caller's trace decided for the rest."""
    if exporter == "none" or sample_ratio <= 0:
        return ALWAYS_OFF
    return ParentBased(TraceIdRatioBased(min(1.0, sample_ratio)))


def setup_tracing(
    service: str, exporter: str = "none", console_path: str | None = None,
    endpoint: str | None = None, sample_ratio: float = 1.0,
) -> TracerProvider:
    """Install the global tracer provider once per process."""
    global _provider, _recording
    if _provider is not None:
        return _provider
    sampler = sampler_for(exporter, sample_ratio)
    _recording = sampler is not ALWAYS_OFF
    provider = TracerProvider(resource=Resource.create({"service.name": service}),
                              sampler=sampler)
    if exporter == "console":
        out = open(console_path, "a", buffering=1) if console_path else None  # noqa: SIM115
        kwargs: dict[str, Any] = {"formatter": _one_line}
        if out is not None:
            kwargs["out"] = out
        provider.add_span_processor(SimpleSpanProcessor(ConsoleSpanExporter(**kwargs)))
    elif exporter == "otlp":
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(
            BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint) if endpoint
                               else OTLPSpanExporter())
        )
    trace.set_tracer_provider(provider)
    _provider = provider
    return provider


_tracers: dict[tuple[str, object], trace.Tracer] = {}


def get_tracer(name: str = "dinghuo") -> trace.Tracer:
    """The tracer of `name` from the current provider, made once per provider: making one
    per message or request cost more than the span (issue 16)."""
    provider = trace.get_tracer_provider()
    tracer = _tracers.get((name, provider))
    if tracer is None:
        tracer = _tracers[(name, provider)] = trace.get_tracer(name, tracer_provider=provider)
    return tracer


def inject_headers() -> dict[str, str]:
    """The current trace context as W3C headers (traceparent, tracestate)."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier


def extract_context(headers: Mapping[str, Any] | None) -> otel_context.Context:
    carrier = {k: (v.decode() if isinstance(v, bytes) else str(v))
               for k, v in (headers or {}).items()}
    return propagate.extract(carrier)


def current_trace_id() -> str | None:
    ctx = trace.get_current_span().get_span_context()
    return format(ctx.trace_id, "032x") if ctx.is_valid else None


def instrument_app(app, engine=None) -> None:
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    FastAPIInstrumentor.instrument_app(app, excluded_urls="healthz,readyz",
                                       exclude_spans=["receive", "send"])
    if engine is not None:
        instrument_engine(engine)


def instrument_engine(engine) -> None:
    """A span per SQL statement, when spans are recorded at all: unrecorded, the hooks
    would still run around every statement for nothing (issue 16)."""
    if not _recording:
        return
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

    SQLAlchemyInstrumentor().instrument(engine=engine.sync_engine)


def instrument_httpx_client(client) -> None:
    """Trace one client's calls and carry the trace context on them. Only this client:
    instrumenting httpx globally would also rewrite the traceparent of any other client
    in the process (tests included)."""
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor

    HTTPXClientInstrumentor.instrument_client(client)
