"""The payment sandbox's pages (B-2, development): what a customer's phone shows after
scanning a WeChat Pay or Alipay QR code, played by the platform itself. Plain HTML with a
<form method=post> and no script at all (the gateway's CSP allows no inline script); every
value is escaped."""

from __future__ import annotations

import html
from datetime import datetime
from decimal import Decimal
from urllib.parse import quote

from servicekit.timeutil import BUSINESS_TZ

STYLE = """
body{font-family:-apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;
background:#f5f5f5;margin:0;padding:24px;color:#1f1f1f}
main{max-width:420px;margin:0 auto;background:#fff;border-radius:8px;padding:24px;
box-shadow:0 1px 4px rgba(0,0,0,.08)}
h1{font-size:20px;margin:0 0 4px}.sub{color:#8c8c8c;margin:0 0 20px;font-size:13px}
.amount{font-size:36px;font-weight:600;text-align:center;margin:16px 0}
dl{display:grid;grid-template-columns:auto 1fr;gap:8px 16px;margin:0 0 24px}
dt{color:#8c8c8c}dd{margin:0}
.actions{display:flex;gap:12px}
button,.button{flex:1;display:block;box-sizing:border-box;padding:10px 0;font-size:16px;
border-radius:6px;text-align:center;text-decoration:none;cursor:pointer}
button{background:#1677ff;color:#fff;border:0}
.button{border:1px solid #d9d9d9;color:#1f1f1f;background:#fff}
.ok{color:#389e0d}.bad{color:#cf1322}
"""


def _page(title: str, body: str) -> str:
    return (f'<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(title)}</title><style>{STYLE}</style></head>"
            f"<body><main>{body}</main></body></html>\n")


def _yuan(amount: Decimal) -> str:
    return f"¥{amount:,.2f}"


def _when(at: datetime) -> str:
    return at.astimezone(BUSINESS_TZ).strftime("%Y-%m-%d %H:%M")


def _order_link(order_id: object) -> str:
    return f"/orders/{quote(str(order_id), safe='')}"


def checkout(*, out_trade_no: str, order_id: object, order_number: str, amount: Decimal,
             expires_at: datetime, status: str) -> str:
    """The payment page: amount, order number, 确认支付 (a POST) or 取消 (back to the
    order); a paid, expired or failed intent says so instead of offering to pay."""
    e = html.escape
    details = (f"<dl><dt>订单号</dt><dd>{e(order_number)}</dd>"
               f"<dt>支付单号</dt><dd>{e(out_trade_no)}</dd>"
               f"<dt>有效期至</dt><dd>{e(_when(expires_at))}</dd></dl>")
    head = ('<h1>订货平台 · 沙箱支付</h1><p class="sub">开发环境的模拟支付，不会产生真实扣款</p>'
            f'<div class="amount" data-testid="sandbox-amount">{e(_yuan(amount))}</div>')
    back = f'<a class="button" href="{e(_order_link(order_id))}">返回订单</a>'
    if status == "paid":
        body = f'{head}{details}<p class="ok">此订单已支付。</p><div class="actions">{back}</div>'
    elif status in ("expired", "failed"):
        body = (f'{head}{details}<p class="bad">支付二维码已失效，请回到订单重新发起支付。</p>'
                f'<div class="actions">{back}</div>')
    else:
        action = f"/api/payments/sandbox/{quote(out_trade_no, safe='')}/pay"
        body = (f'{head}{details}<form method="post" action="{e(action)}" class="actions">'
                f'<a class="button" href="{e(_order_link(order_id))}">取消</a>'
                f'<button type="submit">确认支付</button></form>')
    return _page("沙箱支付", body)


def paid(*, order_id: object, order_number: str, amount: Decimal) -> str:
    e = html.escape
    return _page("支付成功", (
        f'<h1 class="ok">支付成功</h1><p class="sub">订单 {e(order_number)}</p>'
        f'<div class="amount">{e(_yuan(amount))}</div>'
        f'<div class="actions"><a class="button" href="{e(_order_link(order_id))}">'
        "返回订单</a></div>"))


def refused(message: str, *, order_id: object | None = None) -> str:
    e = html.escape
    back = (f'<div class="actions"><a class="button" href="{e(_order_link(order_id))}">'
            "返回订单</a></div>" if order_id is not None else "")
    return _page("支付未完成", f'<h1 class="bad">支付未完成</h1><p>{e(message)}</p>{back}')
