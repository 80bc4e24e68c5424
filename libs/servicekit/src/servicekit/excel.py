"""Excel exports, once for every service (O-10, I-2, issue 8): one openpyxl write-only
sheet on disk whose memory stays flat however many rows are appended, money cells with
a money format, and every text written as plain text — control characters a worksheet
cannot hold are dropped (they would make the whole export fail) and a text that starts
like a formula ("=…") stays text, never a formula Excel would run."""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import AsyncIterable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openpyxl.cell import WriteOnlyCell

MONEY_FORMAT = "#,##0.00"


class SheetWriter:
    """One write-only sheet: a header row, then rows of values; `money[i]` says whether
    column i holds money. Not thread-safe; callers append from one worker thread.

    openpyxl is imported here, on the first export, not when the service starts: it
    brings numpy and Pillow along, about 20 MB of every API process that never exports
    (issue 16)."""

    def __init__(self, path: str, sheet: str, headers: Sequence[str],
                 money: Sequence[bool]) -> None:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        self._cell = WriteOnlyCell
        self._illegal = ILLEGAL_CHARACTERS_RE
        self.path = path
        self.money = list(money)
        self.wb = Workbook(write_only=True)
        self.ws = self.wb.create_sheet(sheet)
        self.ws.append([self.text(h) for h in headers])
        self.rows = 0

    def append(self, rows: Iterable[Sequence[Any]]) -> None:
        for values in rows:
            out: list[Any] = []
            for is_money, value in zip(self.money, values, strict=True):
                if is_money and value is not None:
                    cell = self._cell(self.ws, value=value)
                    cell.number_format = MONEY_FORMAT
                    out.append(cell)
                elif isinstance(value, str):
                    out.append(self.text(value))
                else:
                    out.append(value)
            self.ws.append(out)
            self.rows += 1

    def text(self, value: str) -> WriteOnlyCell:
        """A stored text as a plain string cell (see the module's docstring)."""
        cell = self._cell(self.ws, value=self._illegal.sub("", value))
        cell.data_type = "s"
        return cell

    def close(self) -> None:
        self.wb.save(self.path)


@contextmanager
def temp_xlsx(prefix: str) -> Iterator[str]:
    """The path of a new temporary `.xlsx` to write an export into; the caller sends it
    and deletes it afterwards. Deleted here when writing fails."""
    fd, path = tempfile.mkstemp(prefix=f"dinghuo-{prefix}-", suffix=".xlsx")
    os.close(fd)
    try:
        yield path
    except BaseException:
        os.unlink(path)
        raise


async def write_batches(writer: SheetWriter,
                        batches: AsyncIterable[Sequence[Sequence[Any]]]) -> int:
    """Append every batch of rows off the event loop, then save; the number of rows."""
    async for batch in batches:
        await asyncio.to_thread(writer.append, batch)
    await asyncio.to_thread(writer.close)
    return writer.rows


def export_filename(prefix: str) -> str:
    """The download's file name: `<prefix>-YYYYmmdd-HHMMSS.xlsx` (UTC)."""
    return f"{prefix}-{datetime.now(UTC):%Y%m%d-%H%M%S}.xlsx"
