"""The ledger: a CSV file with one row per invoice event (I-4).

Columns: event_id, type, version, occurred_at, invoice_id, invoice_number, customer_id,
amount, order_ids (separated by ";"), status (the event type's last word: requested,
issued, confirmed, rejected …). Values are as they travel: money a string with two
decimals, times ISO 8601 in UTC.

The event ids already in the file are read when it is opened, so an event delivered
again — before or after a restart — is recognised and not written twice. A row is
flushed and fsynced before `append` returns; the consumer acks only then. A last line
without its newline (the process died while writing it; its message was never acked and
comes back) is cut off when the file is opened.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from typing import Any

from dinghuo_contracts import Event, EventEnvelope

from .logs import get_logger

log = get_logger(__name__)

COLUMNS = ("event_id", "type", "version", "occurred_at", "invoice_id", "invoice_number",
           "customer_id", "amount", "order_ids", "status")


class LedgerError(RuntimeError):
    """The file is not a ledger this subscriber can append to."""


def row_for(envelope: EventEnvelope, event: Event) -> dict[str, str] | None:
    """The ledger row of an invoice event; None for an event without `invoice_id`."""
    data: dict[str, Any] = event.model_dump(mode="json")
    if not data.get("invoice_id"):
        return None
    return {
        "event_id": str(envelope.id),
        "type": envelope.type,
        "version": str(envelope.version),
        "occurred_at": envelope.model_dump(mode="json")["occurred_at"],
        "invoice_id": str(data["invoice_id"]),
        "invoice_number": str(data.get("invoice_number") or ""),
        "customer_id": str(data.get("customer_id") or ""),
        "amount": str(data.get("amount") or ""),
        "order_ids": ";".join(str(o) for o in data.get("order_ids") or ()),
        "status": envelope.type.rsplit(".", 1)[-1],
    }


class Ledger:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.seen: set[str] = set()
        self._file: io.TextIOWrapper | None = None
        self._writer: Any = None

    def open(self) -> Ledger:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._drop_partial_row()
        fresh = not self.path.exists() or self.path.stat().st_size == 0
        if not fresh:
            self._load()
        self._file = open(self.path, "a", newline="", encoding="utf-8")  # noqa: SIM115
        self._writer = csv.writer(self._file, lineterminator="\n")
        if fresh:
            self._writer.writerow(COLUMNS)
            self._sync()
        log.info("ledger_opened", path=str(self.path), events=len(self.seen))
        return self

    @property
    def is_open(self) -> bool:
        return self._file is not None

    def __contains__(self, event_id: object) -> bool:
        return str(event_id) in self.seen

    def append(self, row: dict[str, str]) -> None:
        """Write the row and make it durable (flush + fsync) before returning."""
        if self._writer is None:
            raise LedgerError("the ledger is not open")
        self._writer.writerow([row[c] for c in COLUMNS])
        self._sync()
        self.seen.add(row["event_id"])

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = self._writer = None

    def _sync(self) -> None:
        assert self._file is not None
        self._file.flush()
        os.fsync(self._file.fileno())

    def _load(self) -> None:
        with open(self.path, newline="", encoding="utf-8") as f:
            reader = csv.reader(f)
            header = tuple(next(reader, ()))
            if header != COLUMNS:
                raise LedgerError(f"{self.path} does not start with the ledger's columns "
                                  f"{','.join(COLUMNS)}; move it away or choose another "
                                  "FINANCE_LEDGER_PATH")
            self.seen = {row[0] for row in reader if row}

    def _drop_partial_row(self) -> None:
        if not self.path.exists():
            return
        with open(self.path, "r+b") as f:
            size = f.seek(0, os.SEEK_END)
            if size == 0:
                return
            f.seek(size - 1)
            if f.read(1) == b"\n":
                return
            f.seek(0)
            keep = f.read().rfind(b"\n") + 1
            f.truncate(keep)
            log.warning("ledger_partial_row_dropped", path=str(self.path),
                        bytes=size - keep, hint="its message was not acked and comes back")
