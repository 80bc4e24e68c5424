"""What `/` and `/console` show until the web application is built (issue 4): where the
system is and how to reach its API, in Chinese first."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)

PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>订货 Dinghuo — {title_zh}</title>
<style>body{{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;max-width:40rem;
margin:4rem auto;padding:0 1rem;color:#1f1f1f}}h1{{color:#1677ff}}code{{background:#f5f5f5;
padding:.1rem .3rem}}a{{color:#1677ff}}</style></head>
<body><h1>订货 Dinghuo · {title_zh}</h1>
<p>系统已启动。网页界面即将上线；现在可以通过 API 使用全部功能。</p>
<p lang="en">{title_en}: the system is running. The web interface is on its way; every
function is available through the API now.</p>
<ul><li><a href="/api/docs">API 文档 / API documentation</a></li>
<li>登录 / Log in: <code>POST /api/auth/login</code></li></ul>
</body></html>"""


@router.get("/", response_class=HTMLResponse)
async def portal_home() -> str:
    return PAGE.format(title_zh="客户门户", title_en="Customer portal")


@router.get("/console", response_class=HTMLResponse)
async def console_home() -> str:
    return PAGE.format(title_zh="员工控制台", title_en="Staff console")
