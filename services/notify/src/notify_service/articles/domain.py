"""Bulletin board and technical guidance articles (N-4), pure: who may write them, when an
article counts as published, the board's order, and the strict Markdown renderer that
turns a body into HTML a browser may show as it is. No I/O; unit-tested on their own.

The Markdown subset (anything else is shown as the text it is)
---------------------------------------------------------------
Blocks, line by line:
- a blank line separates paragraphs; a single line break inside a paragraph or a list
  item is kept (`<br>`);
- `# `, `## `, `### ` headings (`<h1>`..`<h3>`; `####` and deeper stay text; a closing
  run of `#` is dropped);
- `- `, `* ` or `+ ` items make an unordered list, `1. ` or `1) ` items an ordered one
  (`<ol start="N">` when it does not start at 1); an indented line continues the item
  above it; lists do not nest;
- a fenced block between two lines of three backticks is preformatted code (the info
  string after the opening fence is ignored).
Inside a block:
- `**bold**`, `*italic*`, `***both***` (only with `*`; underscores are plain text, so
  file_names and snake_case stay intact; a run of four or more `*` stays text);
- `` `code` `` (nothing inside is formatted; backslashes stay);
- `[text](url)` links, url without spaces or parentheses;
- `\\` before one of ``\\ ` * _ [ ] ( ) ! # + - .`` makes it a plain character.

Safety rules
------------
1. Every piece of the author's text is HTML-escaped (`& < > " '`) before any tag is
   added; the renderer adds only its own fixed tags (p, br, h1-h3, ul, ol, li, strong,
   em, code, pre, a) and only the attributes `href` and `rel` on `a` and `start` (digits)
   on `ol`, always in double quotes. So raw HTML in the Markdown (`<script>`,
   `<img onerror=...>`, `<a href=...>`, entities) is shown as text, never passed
   through, and no value can leave its attribute (its `"` is `&quot;`).
2. A link is kept only when its target is an absolute `http://` or `https://` URL with a
   host, or a `mailto:` address; anything else (`javascript:`, `data:`, `vbscript:`,
   relative or scheme-relative paths, a target holding whitespace, a control
   character, a backslash, a quote, `<`, `>` or a backtick) drops the link and keeps
   its text. Links get `rel="nofollow noopener noreferrer"`.
3. Images are dropped: `![alt](url)` shows its alt text only, never an `<img>`. The
   portal's Content Security Policy allows images from its own origin only
   (`img-src 'self' data:`), and an image from elsewhere would tell a third party who
   reads the board; articles needing pictures can link to them.
4. The renderer runs in time linear in the body (none of its regular expressions can
   run past the next marker, so nothing backtracks over the text), so a
   20,000-character body of nothing but `*`, `[` or backticks renders as quickly as
   prose.
The body is stored as the author wrote it and rendered when read, so these rules always
apply in their current form.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Protocol, TypeVar
from urllib.parse import urlsplit

from servicekit.errors import Forbidden

TITLE_MAX = 120
BODY_MAX = 20_000


def clean_text(value: str) -> str:
    """Trimmed text that must not be blank; NUL cannot be stored (PostgreSQL text)."""
    text = value.strip()
    if not text:
        raise ValueError("must not be blank")
    if "\x00" in text:
        raise ValueError("must not contain NUL characters")
    return text


def clean_body(value: str) -> str:
    """An article's body: trimmed, 1 to 20,000 characters, no NUL. Its messages name the
    body themselves: in a 422's `detail` a field called `body` loses its name (the
    request's body is called that too), so "must not be blank" alone would not say
    what must not be."""
    text = value.strip()
    if not text:
        raise ValueError("the article body must not be blank")
    if len(text) > BODY_MAX:
        raise ValueError(f"the article body must have at most {BODY_MAX} characters "
                         f"(it has {len(text)})")
    if "\x00" in text:
        raise ValueError("the article body must not contain NUL characters")
    return text


# --- who may write ----------------------------------------------------------------------

class AreaBound(Forbidden):
    """Staff limited to areas may read articles but not write them (C-7, 403)."""


def check_may_write(areas: frozenset[str]) -> None:
    """Articles are not bound to an area: every customer, whatever its area, reads the
    same board. Staff bound to areas act for the customers of their areas only (C-7), so
    writing to everyone is beyond them: they may read the articles in the console (what
    every customer may read anyway), but only staff without an area limit may create or
    edit one. The others get 403."""
    if areas:
        raise AreaBound("Articles are shown to every customer, whatever their area: only "
                        "staff without an area limit may create or edit them")


# --- publication and the board's order --------------------------------------------------

def published_at_after(published: bool, published_at: datetime | None,
                       now: datetime) -> datetime | None:
    """`published_at` is the moment an article was first published: set then, and kept
    when it is unpublished and published again."""
    if published and published_at is None:
        return now
    return published_at


class Listed(Protocol):
    @property
    def id(self) -> object: ...
    @property
    def pinned(self) -> bool: ...
    @property
    def published_at(self) -> datetime | None: ...


A = TypeVar("A", bound=Listed)
_NEVER = datetime.min.replace(tzinfo=UTC)


def board_order(articles: Iterable[A]) -> list[A]:
    """The board's order (N-4): pinned first, then newest published first; equal times by
    id, descending — what the repository's SQL does
    (`pinned DESC, published_at DESC, id DESC`)."""
    newest = sorted(articles, key=lambda a: (a.published_at or _NEVER, a.id), reverse=True)
    return sorted(newest, key=lambda a: not a.pinned)


# --- Markdown → safe HTML ---------------------------------------------------------------

_OPEN_FENCE = re.compile(r" {0,3}```+[^`]*$")
_CLOSE_FENCE = re.compile(r" {0,3}```+[ \t]*$")
_HEADING = re.compile(r" {0,3}(#{1,3})(?:[ \t]+|$)")
_BULLET = re.compile(r" {0,3}[-*+][ \t]+(?=\S)")
_NUMBERED = re.compile(r" {0,3}(\d{1,9})[.)][ \t]+(?=\S)")

# On escaped text: `\*` → `&#42;` (a character the span and emphasis rules do not see).
_BACKSLASH = re.compile(r"\\([\\`*_\[\]()!#+\-.])")
_OUR_ENTITY = re.compile(r"&#(\d+);")
# A code span, or a link / image. Neither part can run past the next backtick, bracket,
# parenthesis or whitespace, so a failed match costs no more than the text it looked at.
_SPAN = re.compile(r"`([^`]+)`|(!?)\[([^\[\]]+)\]\(([^()\s]*)\)")
_EMPHASIS = re.compile(r"\*+")
_PLACEHOLDER = re.compile("\x00(\\d+)\x00")
# never valid unencoded in a URL; a target holding one is not one we keep
_UNSAFE_IN_URL = re.compile(r"[\s\x00-\x1f\x7f-\x9f\\\"'<>`]")
_MAIL_ADDRESS = re.compile(r"[^@\s]+@[^@\s]+")
_TAGS = {"**": "strong", "*": "em"}
LINK_REL = "nofollow noopener noreferrer"


def safe_href(url: str) -> bool:
    """Whether a link target (as the browser will read it, entities decoded) may be kept:
    an absolute http(s) URL with a host, or a mailto: address."""
    if not url or _UNSAFE_IN_URL.search(url):
        return False
    lower = url.lower()
    if lower.startswith(("http://", "https://")):
        try:
            return bool(urlsplit(url).hostname)
        except ValueError:  # e.g. an unclosed IPv6 bracket
            return False
    if lower.startswith("mailto:"):
        return bool(_MAIL_ADDRESS.fullmatch(url[len("mailto:"):].split("?", 1)[0]))
    return False


def _emphasis(text: str) -> str:
    """`**` and `*` pairs on escaped text, in one pass with a stack of at most two open
    delimiters (so tags always nest). An opener must be followed, a closer preceded, by a
    non-space character; `***` opens or closes both; an unpaired or crossing delimiter
    and a run of four or more stay literal `*`."""
    out: list[str] = []
    stack: list[tuple[str, int]] = []  # (delimiter, its index in out)
    pos = 0
    for m in _EMPHASIS.finditer(text):
        out.append(text[pos:m.start()])
        pos = m.end()
        run = m.group()
        before = text[m.start() - 1:m.start()]
        after = text[m.end():m.end() + 1]
        can_close = bool(before) and not before.isspace()
        can_open = bool(after) and not after.isspace()
        if len(run) > 3:
            out.append(run)
            continue
        if len(run) == 3:
            delims = ("*", "**") if stack and stack[-1][0] == "*" else ("**", "*")
        else:
            delims = (run,)
        for delim in delims:
            is_open = any(d == delim for d, _ in stack)
            if is_open and can_close:
                while stack[-1][0] != delim:  # crossing: the inner opener stays literal
                    stack.pop()
                index = stack[-1][1]
                if any(out[j] for j in range(index + 1, len(out))):  # not empty
                    stack.pop()
                    out[index] = f"<{_TAGS[delim]}>"
                    out.append(f"</{_TAGS[delim]}>")
                    continue
            elif not is_open and can_open:
                stack.append((delim, len(out)))
            out.append(delim)
    out.append(text[pos:])
    return "".join(out)


def _rich(escaped: str) -> str:
    """Code spans, links and emphasis on one line of already escaped text. Spans are set
    aside as placeholders (NUL never occurs in the text) while emphasis is paired."""
    spans: list[str] = []

    def keep(m: re.Match[str]) -> str:
        code, bang, label, url = m.groups()
        if code is not None:
            # backslashes inside code are the author's own characters
            code = _OUR_ENTITY.sub(lambda e: "\\" + chr(int(e.group(1))), code)
            spans.append(f"<code>{code}</code>")
        elif bang:  # an image: its alt text only
            spans.append(_rich(label))
        elif safe_href(html.unescape(url)):
            # `url` is escaped text: it holds no raw quote, so it cannot leave the value
            spans.append(f'<a href="{url}" rel="{LINK_REL}">{_rich(label)}</a>')
        else:  # a dropped link keeps its text
            spans.append(_rich(label))
        return f"\x00{len(spans) - 1}\x00"

    text = _emphasis(_SPAN.sub(keep, escaped))
    return _PLACEHOLDER.sub(lambda m: spans[int(m.group(1))], text)


def render_inline(raw: str) -> str:
    """One line of the author's text as HTML: escaped first, then formatted."""
    escaped = html.escape(raw.replace("\x00", "\ufffd"), quote=True)
    escaped = _BACKSLASH.sub(lambda m: f"&#{ord(m.group(1))};", escaped)
    return _rich(escaped)


def _lines_html(lines: list[str]) -> str:
    return "<br>\n".join(render_inline(line) for line in lines)


def render_markdown(source: str) -> str:
    """The body's Markdown (the subset above) as safe HTML; see the module's docstring."""
    lines = (source.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")
             .split("\n"))
    out: list[str] = []
    paragraph: list[str] = []
    items: list[list[str]] = []
    list_tag = ""
    list_start = 1

    def end_paragraph() -> None:
        if paragraph:
            out.append(f"<p>{_lines_html(paragraph)}</p>")
            paragraph.clear()

    def end_list() -> None:
        nonlocal list_tag
        if items:
            start = f' start="{list_start}"' if list_tag == "ol" and list_start != 1 else ""
            body = "".join(f"<li>{_lines_html(item)}</li>" for item in items)
            out.append(f"<{list_tag}{start}>{body}</{list_tag}>")
            items.clear()
        list_tag = ""

    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if _OPEN_FENCE.match(line):
            end_paragraph()
            end_list()
            code: list[str] = []
            while i < len(lines) and not _CLOSE_FENCE.match(lines[i]):
                code.append(lines[i])
                i += 1
            i += 1  # the closing fence (a missing one closes at the end)
            text = html.escape("\n".join(code), quote=True)
            out.append(f"<pre><code>{text}</code></pre>")
            continue
        if not line.strip():
            end_paragraph()
            end_list()
            continue
        heading = _HEADING.match(line)
        if heading:
            text = line[heading.end():].strip()
            closed = text.rstrip("#")
            if closed != text and (not closed or closed[-1] in " \t"):
                text = closed.rstrip()
            if text:
                end_paragraph()
                end_list()
                level = len(heading.group(1))
                out.append(f"<h{level}>{render_inline(text)}</h{level}>")
                continue
        bullet = _BULLET.match(line)
        numbered = None if bullet else _NUMBERED.match(line)
        if bullet or numbered:
            end_paragraph()
            tag = "ul" if bullet else "ol"
            if tag != list_tag:
                end_list()
                list_tag = tag
                list_start = int(numbered.group(1)) if numbered else 1
            items.append([line[(bullet or numbered).end():].strip()])
            continue
        if items and line[0] in " \t":  # an indented line continues the item
            items[-1].append(line.strip())
            continue
        end_list()
        paragraph.append(line.strip())
    end_paragraph()
    end_list()
    return "\n".join(out)
