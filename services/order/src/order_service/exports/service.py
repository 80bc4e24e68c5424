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

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from servicekit.timeutil import utcnow
from sqlalchemy.ext.asyncio import AsyncSession

from ..orders.domain import OrderFilter
from ..orders.repository import OrderRepository
from . import domain
from .domain import COLUMNS

MONEY_FORMAT = "#,##0.00"


class XlsxWriter:
    """One write-only sheet; rows are appended and flushed to a temporary file."""

    def __init__(self, path: str, columns: list[str], lang: str) -> None:
        self.path, self.columns, self.lang = path, columns, lang
        self.wb = Workbook(write_only=True)
        self.ws = self.wb.create_sheet("订单" if lang == "zh" else "Orders")
        self.money = [COLUMNS[c].money for c in columns]
        self.ws.append(domain.headers(columns, lang))
        self.rows = 0

    def append(self, rows: Sequence[Mapping[str, Any]]) -> None:
        for row in rows:
            out: list[Any] = []
            for is_money, value in zip(self.money, domain.values(row, self.columns, self.lang),
                                       strict=True):
                if is_money and value is not None:
                    cell = WriteOnlyCell(self.ws, value=value)
                    cell.number_format = MONEY_FORMAT
                    out.append(cell)
                elif isinstance(value, str):
                    out.append(self.text(value))
                else:
                    out.append(value)
            self.ws.append(out)
        self.rows += len(rows)

    def text(self, value: str) -> WriteOnlyCell:
        """Any stored text as a plain string cell: control characters that a worksheet
        cannot hold are dropped (they would make the whole export fail), and a text that
        starts like a formula ("=…") stays text, never a formula run by Excel."""
        cell = WriteOnlyCell(self.ws, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"
        return cell

    def close(self) -> None:
        self.wb.save(self.path)


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
