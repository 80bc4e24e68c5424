"""Whatever text was stored, the Excel export works and stays data (O-10, issue 8): control
characters a worksheet cannot hold made the whole export a 500 (found by fuzzing), and a
text starting with "=" would have been written as a formula that Excel runs."""

from __future__ import annotations

from openpyxl import load_workbook
from order_service.exports.service import XlsxWriter


def test_text_cells_drop_illegal_characters_and_never_become_formulas_O10(tmp_path):
    path = tmp_path / "orders.xlsx"
    w = XlsxWriter(str(path), ["number", "customer_name"], "en")
    w.ws.append([w.text("DH\x01-\x1f0001\x00"), w.text('=HYPERLINK("http://x","点我")')])
    w.close()
    sheet = load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1] == ("DH-0001", '=HYPERLINK("http://x","点我")')
    assert sheet.cell(row=2, column=2).data_type == "s"
