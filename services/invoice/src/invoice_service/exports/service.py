"""The invoice export (I-2): the matching invoices, a batch at a time, into an openpyxl
write-only workbook on disk (written in a worker thread), then sent as a file — as the
order service's export does (O-10)."""

from __future__ import annotations

from collections.abc import Sequence

from servicekit.excel import SheetWriter, export_filename, temp_xlsx, write_batches
from sqlalchemy.ext.asyncio import AsyncSession

from ..invoices.domain import InvoiceFilter
from ..invoices.repository import InvoiceRepository
from . import domain


class XlsxWriter(SheetWriter):
    """The invoices sheet in the reader's language."""

    def __init__(self, path: str, lang: str) -> None:
        self.lang = lang
        super().__init__(path, "发票" if lang == "zh" else "Invoices", domain.headers(lang),
                         [c.money for c in domain.COLUMNS])

    def append(self, rows: Sequence[domain.Row]) -> None:  # type: ignore[override]
        super().append(domain.values(row, self.lang) for row in rows)


class ExportService:
    def __init__(self, session: AsyncSession) -> None:
        self.invoices = InvoiceRepository(session)

    async def export(self, f: InvoiceFilter, *, lang: str) -> tuple[str, int]:
        """Write the matching invoices to a temporary .xlsx; returns its path (the caller
        deletes it after sending) and the number of rows."""
        domain.check_size(await self.invoices.count(f))
        with temp_xlsx("invoices") as path:
            writer = XlsxWriter(path, lang)
            rows = await write_batches(writer, (
                [domain.Row(i, c) for i, c in batch]
                async for batch in self.invoices.batches(f)))
        return path, rows


def filename() -> str:
    return export_filename("invoices")
