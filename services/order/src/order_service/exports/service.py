"""The Excel export (O-10): rows streamed from the database in batches into an openpyxl
write-only workbook on disk (memory stays flat for 100,000 orders), then sent as a file.
openpyxl is CPU-bound: batches are written in a worker thread so the service keeps
answering other requests meanwhile."""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Mapping, Sequence
from typing import Any

from servicekit.excel import SheetWriter
from servicekit.timeutil import utcnow
from sqlalchemy.ext.asyncio import AsyncSession

from ..orders.domain import OrderFilter
from ..orders.repository import OrderRepository
from . import domain
from .domain import COLUMNS


class XlsxWriter(SheetWriter):
    """The orders sheet: the chosen columns in the reader's language."""

    def __init__(self, path: str, columns: list[str], lang: str) -> None:
        self.columns, self.lang = columns, lang
        super().__init__(path, "订单" if lang == "zh" else "Orders",
                         domain.headers(columns, lang), [COLUMNS[c].money for c in columns])

    def append(self, rows: Sequence[Mapping[str, Any]]) -> None:  # type: ignore[override]
        super().append(domain.values(row, self.columns, self.lang) for row in rows)


class ExportService:
    def __init__(self, session: AsyncSession) -> None:
        self.orders = OrderRepository(session)

    async def export(self, f: OrderFilter, columns: list[str], *, sort: str,
                     lang: str) -> tuple[str, int]:
        """Write the matching orders to a temporary .xlsx; returns its path (the caller
        deletes it after sending) and the number of rows."""
        domain.check_size(await self.orders.count(f))
        fd, path = tempfile.mkstemp(prefix="dinghuo-orders-", suffix=".xlsx")
        os.close(fd)
        try:
            writer = XlsxWriter(path, columns, lang)
            async for batch in self.orders.stream_rows(f, columns, sort=sort):
                await asyncio.to_thread(writer.append, batch)
            await asyncio.to_thread(writer.close)
        except BaseException:
            os.unlink(path)
            raise
        return path, writer.rows


def filename(prefix: str = "orders") -> str:
    return f"{prefix}-{utcnow():%Y%m%d-%H%M%S}.xlsx"
