"""Maintenance records to Excel (S-9): what the query shows, in the reader's language,
written by servicekit's write-only sheet (flat memory, text never a formula)."""

from __future__ import annotations

from servicekit.errors import Unprocessable
from servicekit.excel import SheetWriter, export_filename, temp_xlsx, write_batches

from .repository import Filters, MaintenanceRepository, RecordRow

MAX_ROWS = 50_000
BATCH = 500
HEADERS = {
    "zh": ["服务日期", "客户编号", "客户", "区域", "类型", "分类", "设备", "机号", "内容",
           "工程师", "配件", "费用", "积分抵扣", "应付", "付款状态", "返厂", "返厂方式",
           "重点事项", "状态", "处理次数"],
    "en": ["Service date", "Customer no.", "Customer", "Area", "Kind", "Category", "Machine",
           "Machine no.", "Content", "Engineer", "Accessories", "Charge", "Points used",
           "Payable", "Payment", "Return to factory", "Return method", "Key matter",
           "State", "Visits"],
}
MONEY = [False] * 11 + [True, False, True] + [False] * 6
LABELS = {
    "zh": {"repair": "维修", "return_visit": "回访", "free": "免费", "unpaid": "未付款",
           "paid": "已付款", "yes": "是", "no": "", "processed": "已处理",
           "unprocessed": "未处理", "suspended": "挂起"},
    "en": {"repair": "Repair", "return_visit": "Return visit", "free": "Free",
           "unpaid": "Unpaid", "paid": "Paid", "yes": "Yes", "no": "",
           "processed": "Processed", "unprocessed": "Unprocessed", "suspended": "Suspended"},
}


def values(row: RecordRow, lang: str) -> list:
    r, c, m, cat = row.record, row.customer, row.machine, row.category
    label = LABELS[lang]
    state = "suspended" if r.suspended else "processed" if r.processed else "unprocessed"
    accessories = "、".join(f"{a['name']}×{a['quantity']}" for a in r.accessories or [])
    return [r.service_date, c.customer_number if c else None, c.name if c else None,
            c.area if c else None, label[r.kind], cat.name if cat else None,
            " ".join(x for x in (m.name, m.model) if x) if m else None,
            m.machine_number if m else None, r.content, r.engineer, accessories, r.charge,
            r.points_used or None, r.charge - r.points_used, label[r.payment_status],
            label["yes" if r.return_to_factory else "no"], r.factory_return_method,
            label["yes" if r.key_matter else "no"], label[state], row.entry_count]


async def export(repo: MaintenanceRepository, f: Filters, lang: str) -> tuple[str, int]:
    """Write the matching records to a temporary .xlsx; its path (the caller deletes it
    after sending) and the number of rows."""
    _, total = await repo.list(f, limit=1, offset=0)
    if total > MAX_ROWS:
        raise Unprocessable(f"{total} records match: narrow the query to at most {MAX_ROWS} "
                            "before exporting")
    async def batches():
        for offset in range(0, total, BATCH):
            rows, _ = await repo.list(f, limit=BATCH, offset=offset)
            yield [values(r, lang) for r in rows]

    with temp_xlsx("maintenance") as path:
        writer = SheetWriter(path, "维修记录" if lang == "zh" else "Maintenance",
                             HEADERS[lang], MONEY)
        written = await write_batches(writer, batches())
    return path, written


def filename() -> str:
    return export_filename("maintenance")
