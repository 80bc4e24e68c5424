"""The invoice export (I-2): the matching invoices, a batch at a time, into an openpyxl
write-only workbook on disk (written in a worker thread), then sent as a file — as the
order service's export does (O-10)."""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from servicekit.timeutil import utcnow
from sqlalchemy.ext.asyncio import AsyncSession

from ..invoices.domain import InvoiceFilter
from ..invoices.repository import InvoiceRepository
from . import domain

MONEY_FORMAT = "#,##0.00"


class XlsxWriter:
    """One write-only sheet; rows are appended and flushed to a temporary file."""

    def __init__(self, path: str, lang: str) -> None:
        self.path, self.lang = path, lang
        self.wb = Workbook(write_only=True)
        self.ws = self.wb.create_sheet("发票" if lang == "zh" else "Invoices")
        self.money = [c.money for c in domain.COLUMNS]
        self.ws.append([self.text(h) for h in domain.headers(lang)])
        self.rows = 0

    def append(self, rows: Sequence[domain.Row]) -> None:
        for row in rows:
            out: list[Any] = []
            for is_money, value in zip(self.money, domain.values(row, self.lang), strict=True):
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
        self.invoices = InvoiceRepository(session)

    async def export(self, f: InvoiceFilter, *, lang: str) -> tuple[str, int]:
        """Write the matching invoices to a temporary .xlsx; returns its path (the caller
        deletes it after sending) and the number of rows."""
        domain.check_size(await self.invoices.count(f))
        fd, path = tempfile.mkstemp(prefix="dinghuo-invoices-", suffix=".xlsx")
        os.close(fd)
        try:
            writer = XlsxWriter(path, lang)
            async for batch in self.invoices.batches(f):
                await asyncio.to_thread(writer.append, [domain.Row(i, c) for i, c in batch])
            await asyncio.to_thread(writer.close)
        except BaseException:
            os.unlink(path)
            raise
        return path, writer.rows


def filename() -> str:
    return f"invoices-{utcnow():%Y%m%d-%H%M%S}.xlsx"
