"""Staff messages to customers, pure (N-1): what a batch message is, how its recipients
are chosen and what each recipient's inbox shows. A batch goes to the customers named in
`customer_ids`, or to every approved customer matching a `filter` (grade, area, an
overdue payment, an ordering cycle due); staff bound to areas reach only their areas'
customers (C-7). Every recipient gets an inbox message, and per notifier channel (SMS,
WeChat) a delivery."""

from __future__ import annotations

from dataclasses import dataclass

from ..prompts.domain import Notice

KIND = "staff_message"
TITLE_MAX = 100
BODY_MAX = 2000
CHANNELS = ("inbox", "sms", "wechat")
PREVIEW_MAX = 200


def clean(value: str, what: str, limit: int) -> str:
    """Trimmed, not blank, at most `limit` characters, no control characters but line
    breaks and tabs; the message names `what` (a 422's detail drops a field called
    body)."""
    text = value.strip()
    if not text:
        raise ValueError(f"the {what} must not be blank")
    if len(text) > limit:
        raise ValueError(f"the {what} must have at most {limit} characters (it has "
                         f"{len(text)})")
    if any(ord(c) < 32 and c not in "\n\t\r" or ord(c) == 127 for c in text):
        raise ValueError(f"the {what} must not contain control characters")
    return text


@dataclass(frozen=True)
class Filter:
    grade: str | None = None
    area: str | None = None
    overdue: bool | None = None
    cycle_due: bool | None = None


def describe(f: Filter) -> tuple[str, str]:
    """The filter as staff read it in the batch list."""
    zh, en = [], []
    if f.grade:
        from ..prompts.domain import grade_label
        g_zh, g_en = grade_label(f.grade)
        zh.append(f"等级：{g_zh}")
        en.append(f"grade: {g_en}")
    if f.area:
        zh.append(f"区域：{f.area}")
        en.append(f"area: {f.area}")
    if f.overdue is not None:
        zh.append("有逾期付款" if f.overdue else "无逾期付款")
        en.append("with an overdue payment" if f.overdue else "no overdue payment")
    if f.cycle_due is not None:
        zh.append("订货周期已到" if f.cycle_due else "订货周期未到")
        en.append("ordering cycle due" if f.cycle_due else "ordering cycle not due")
    return ("、".join(zh) or "全部客户", ", ".join(en) or "all customers")


def notice(title: str, body: str, batch_id: str) -> Notice:
    """The recipient's inbox message: the staff's own words, in the language they wrote
    them (the same text both ways)."""
    text = f"{title}：{body}"
    return Notice(kind=KIND, message=text, message_en=f"{title}: {body}",
                  data={"title": title, "body": body, "batch_id": batch_id})


def params(title: str, body: str) -> dict[str, str]:
    """The notifier's template variables for a staff message (template staff_message)."""
    return {"title": title, "body": body}
