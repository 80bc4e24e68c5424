"""Unit tests of the article rules, no I/O (N-4): the Markdown subset, the renderer's
safety (raw HTML escaped, only http/https/mailto links, no images, no attribute
injection — checked by parsing the output), publication, the board's order and the area
rule (C-7)."""

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest
from notify_service.articles.domain import (
    AreaBound,
    board_order,
    check_may_write,
    clean_body,
    clean_text,
    published_at_after,
    render_inline,
    render_markdown,
    safe_href,
)

ALLOWED_TAGS = {"p", "br", "h1", "h2", "h3", "ul", "ol", "li", "strong", "em", "code",
                "pre", "a"}
ALLOWED_ATTRS = {"a": {"href", "rel"}, "ol": {"start"}}
VOID = {"br"}


class Structure(HTMLParser):
    """What a browser would build from the output: tags, attributes (entities decoded),
    and whether every tag is closed in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.problems.append(f"self-closing <{tag}/>")

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.problems.append(f"misnested </{tag}>")

    def handle_data(self, data):
        self.text.append(data)

    def handle_comment(self, data):
        self.problems.append("comment")

    def handle_decl(self, decl):
        self.problems.append("declaration")

    def handle_pi(self, data):
        self.problems.append("processing instruction")

    def unknown_decl(self, data):
        self.problems.append("unknown declaration")


def structure(html: str) -> Structure:
    s = Structure()
    s.feed(html)
    s.close()
    return s


def assert_safe(html: str) -> Structure:
    """Only our tags and attributes, properly nested; links only http(s)/mailto."""
    s = structure(html)
    assert s.problems == [] and s.stack == [], (s.problems, s.stack, html)
    for tag, attrs in s.tags:
        assert tag in ALLOWED_TAGS, (tag, html)
        assert set(attrs) <= ALLOWED_ATTRS.get(tag, set()), (tag, attrs, html)
        if tag == "a":
            href = attrs["href"] or ""
            assert href.lower().startswith(("http://", "https://", "mailto:")), html
            assert safe_href(href), html
            assert attrs["rel"] == "nofollow noopener noreferrer"
        if tag == "ol" and "start" in attrs:
            assert (attrs["start"] or "").isdigit(), html
    return s


def text_of(html: str) -> str:
    return "".join(structure(html).text)


class TestSafety:
    @pytest.mark.parametrize("attack", [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
        "<img src=x onerror=alert(1)>",
        '<img src="x" onerror="alert(1)">',
        "<svg onload=alert(1)>",
        "<iframe src=javascript:alert(1)>",
        '<a href="javascript:alert(1)">click</a>',
        "<!-- comment --><style>body{display:none}</style>",
        "<<script>script>alert(1)<</script>/script>",
        "&lt;script&gt; &#60;script&#62;",
    ])
    def test_raw_html_is_shown_as_text_never_passed_through_N4(self, attack):
        for source in (attack, f"# {attack}", f"- {attack}", f"**{attack}**",
                       f"[{attack}](https://example.com)", f"`{attack}`",
                       f"```\n{attack}\n```"):
            html = render_markdown(source)
            s = assert_safe(html)
            assert "<script" not in html.lower() and "<img" not in html.lower()
            assert "<svg" not in html.lower() and "<iframe" not in html.lower()
            # the reader sees exactly what was written
            assert attack in "".join(s.text), (source, html)

    def test_script_comes_back_escaped(self):
        assert render_markdown("<script>alert('x')</script>") == \
            "<p>&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;</p>"

    @pytest.mark.parametrize("target", [
        "javascript:alert(1)", "JaVaScRiPt:alert%281%29", "javascript&#58;alert",
        "&#106;avascript:alert", "vbscript:msgbox", "data:text/html;base64,PHNjcmlwdD4=",
        "file:///etc/passwd", "//evil.example/x", "/relative/path", "evil.example",
        "http:", "https://", "http:///x", "mailto:", "mailto:nobody", "ftp://x.cn/a",
        "https://[::1", "https://a.cn\\@evil", "java%0ascript:alert",
        'https://a.cn"onmouseover="alert', "https://a.cn'onfocus='x",
        "https://a.cn<x>", "https://a.cn`x`",
    ])
    def test_only_http_https_and_mailto_links_are_kept_N4(self, target):
        html = render_markdown(f"see [the manual]({target}) now")
        s = assert_safe(html)
        assert not [t for t, _ in s.tags if t == "a"], html
        assert "the manual" in "".join(s.text)

    @pytest.mark.parametrize("target", [
        "javascript:alert(1)", "JAVASCRIPT:alert`1`", "java\tscript:x", " javascript:x",
        "data:text/html,x", "https://", "mailto:@", "", "https://a.cn/ x",
    ])
    def test_safe_href_refuses(self, target):
        assert not safe_href(target)

    @pytest.mark.parametrize("target", [
        "https://example.com", "HTTPS://EXAMPLE.COM/A?b=1&c=2#d", "http://192.168.1.10:8080/x",
        "mailto:service@example.cn", "mailto:a@b.cn?subject=hi", "https://例子.中国/路径",
    ])
    def test_safe_href_keeps(self, target):
        assert safe_href(target)

    def test_a_kept_link_cannot_leave_its_attribute(self):
        html = render_markdown("[x](https://example.com/?q=\"a\"&r='b')")
        # quotes are not kept in a URL at all; & is escaped
        assert "<a" not in html
        html = render_markdown("[x](https://example.com/?q=1&r=2)")
        assert html == ('<p><a href="https://example.com/?q=1&amp;r=2" '
                        'rel="nofollow noopener noreferrer">x</a></p>')
        assert_safe(html)

    def test_attribute_injection_through_link_text_and_entities(self):
        for source in ('[" onclick="alert(1)](https://example.com)',
                       "[x](https://example.com/&quot;onclick=&quot;alert(1))",
                       "[x](https://example.com/&#34;onclick=x)",
                       '[x](https://example.com/\\"onclick=x)'):
            html = render_markdown(source)
            s = assert_safe(html)
            for _, attrs in s.tags:
                assert "onclick" not in attrs

    def test_images_are_dropped_their_alt_text_stays_N4(self):
        for url in ("https://cdn.example/a.png", "http://x.cn/a.png", "javascript:x",
                    "data:image/png;base64,AAAA"):
            html = render_markdown(f"![设备图片 **A**]({url})")
            assert "<img" not in html and "src" not in html
            assert html == "<p>设备图片 <strong>A</strong></p>"

    def test_fuzzed_inputs_never_produce_other_tags_or_attributes(self):
        pieces = ["*", "**", "***", "`", "[", "]", "(", ")", "![", "](", "# ", "## ",
                  "- ", "1. ", "\n", "\n\n", "  ", "\t", "<", ">", '"', "'", "&", "\\",
                  "=", "javascript:", "https://x.cn/", "mailto:a@b.cn", "onerror=",
                  "<script>", "<img src=x ", "a", "中文", "```", "\r\n", "\x00", "&#",
                  "x;", "#", "_", ".", "+"]
        rng = random.Random(20261201)
        for _ in range(3000):
            source = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
            assert_safe(render_markdown(source))

    def test_pathological_bodies_render(self):
        for source in ("*" * 20000, "[" * 20000, "`" * 20000, "](" * 10000,
                       "**a " * 5000, "[a](" * 5000, "# " + " " * 19998, "![" * 10000,
                       "-" * 20000, "1. " * 6000, "\\" * 20000, "<" * 20000):
            assert_safe(render_markdown(source))


class TestSubset:
    def test_paragraphs_and_line_breaks(self):
        assert render_markdown("第一段\n第二行\n\n\n第二段") == \
            "<p>第一段<br>\n第二行</p>\n<p>第二段</p>"
        assert render_markdown("a\r\nb\rc") == "<p>a<br>\nb<br>\nc</p>"
        assert render_markdown("") == "" and render_markdown(" \n\t\n") == ""

    def test_bold_italic_code(self):
        assert render_inline("**重要**：*请*使用 `INK-UV-K`") == \
            "<strong>重要</strong>：<em>请</em>使用 <code>INK-UV-K</code>"
        assert render_inline("***both***") == "<strong><em>both</em></strong>"
        assert render_inline("**bold *and italic***") == \
            "<strong>bold <em>and italic</em></strong>"
        assert render_inline("**bold `code` bold**") == \
            "<strong>bold <code>code</code> bold</strong>"

    def test_stars_that_are_not_emphasis(self):
        assert render_inline("2 * 3 * 4") == "2 * 3 * 4"
        assert render_inline("** not bold **") == "** not bold **"
        assert render_inline("****") == "****"
        assert render_inline("*open only") == "*open only"
        assert render_inline("file_name_here") == "file_name_here"
        assert render_inline(r"\*literal\*") == "&#42;literal&#42;"
        assert render_inline("**a *b** c*") == "<strong>a *b</strong> c*"  # crossing

    def test_code_is_not_formatted_and_keeps_backslashes(self):
        assert render_inline(r"`C:\\printer\*.ini` and `**x**`") == \
            r"<code>C:\\printer\*.ini</code> and <code>**x**</code>"
        assert render_inline("`unclosed") == "`unclosed"

    def test_headings(self):
        assert render_markdown("# 一\n## 二\n### 三 ###\n#### 四") == (
            "<h1>一</h1>\n<h2>二</h2>\n<h3>三</h3>\n<p>#### 四</p>")
        assert render_markdown("#标签") == "<p>#标签</p>"
        assert render_markdown("# C#") == "<h1>C#</h1>"
        assert render_markdown("段落\n# 标题\n正文") == \
            "<p>段落</p>\n<h1>标题</h1>\n<p>正文</p>"

    def test_lists(self):
        assert render_markdown("- 墨水\n* 清洗液\n+ 喷头\n  (需预约)") == (
            "<ul><li>墨水</li><li>清洗液</li><li>喷头<br>\n(需预约)</li></ul>")
        assert render_markdown("1. 关机\n2) 清洗\n\n3. 开机") == (
            "<ol><li>关机</li><li>清洗</li></ol>\n<ol start=\"3\"><li>开机</li></ol>")
        assert render_markdown("说明：\n- a\n1. b\n结束") == (
            "<p>说明：</p>\n<ul><li>a</li></ul>\n<ol><li>b</li></ol>\n<p>结束</p>")
        assert render_markdown("-not a list") == "<p>-not a list</p>"

    def test_links(self):
        assert render_inline("[**手册**](https://example.com/manual.pdf)") == (
            '<a href="https://example.com/manual.pdf" rel="nofollow noopener noreferrer">'
            "<strong>手册</strong></a>")
        assert render_inline("[写信](mailto:service@example.cn)") == (
            '<a href="mailto:service@example.cn" rel="nofollow noopener noreferrer">'
            "写信</a>")
        assert render_inline("[no target]()") == "no target"
        assert render_inline("[not a link] (https://x.cn)") == \
            "[not a link] (https://x.cn)"

    def test_fenced_code(self):
        assert render_markdown("前\n```bash\nprint **x** <b>\n\n  indented\n```\n后") == (
            "<p>前</p>\n<pre><code>print **x** &lt;b&gt;\n\n  indented</code></pre>\n"
            "<p>后</p>")
        assert render_markdown("```\nnever closed") == \
            "<pre><code>never closed</code></pre>"


class TestRules:
    def test_clean_text(self):
        assert clean_text("  标题 \n") == "标题"
        for bad, why in ((" \t\n", "blank"), ("a\x00b", "NUL")):
            with pytest.raises(ValueError, match=why):
                clean_text(bad)

    def test_clean_body_counts_after_trimming_and_names_the_body(self):
        assert clean_body("\n " + "x" * 20000 + " \n") == "x" * 20000
        for bad, message in ((" \n", "the article body must not be blank"),
                             ("x" * 20001, "the article body must have at most 20000 "
                                           "characters (it has 20001)"),
                             ("a\x00b", "the article body must not contain NUL")):
            with pytest.raises(ValueError, match=message.replace("(", r"\(")
                               .replace(")", r"\)")):
                clean_body(bad)

    def test_published_at_is_the_first_publication_N4(self):
        t1 = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
        t2 = t1 + timedelta(days=1)
        assert published_at_after(False, None, t1) is None  # a draft
        assert published_at_after(True, None, t1) == t1  # published now
        assert published_at_after(False, t1, t2) == t1  # unpublished: kept
        assert published_at_after(True, t1, t2) == t1  # published again: kept

    def test_area_bound_staff_may_not_write_C7(self):
        check_may_write(frozenset())
        with pytest.raises(AreaBound) as caught:
            check_may_write(frozenset({"华东"}))
        assert caught.value.status_code == 403
        assert "only staff without an area limit" in caught.value.message

    def test_board_order_pinned_first_then_newest_published_N4(self):
        @dataclass
        class Row:
            name: str
            pinned: bool
            published_at: datetime
            id: uuid.UUID

        t = datetime(2026, 12, 1, tzinfo=UTC)
        same = t + timedelta(hours=1)
        low, high = sorted([uuid.uuid4(), uuid.uuid4()])
        rows = [Row("old", False, t, uuid.uuid4()),
                Row("old pinned", True, t - timedelta(days=9), uuid.uuid4()),
                Row("new", False, t + timedelta(days=1), uuid.uuid4()),
                Row("new pinned", True, t + timedelta(days=2), uuid.uuid4()),
                Row("tie low", False, same, low),
                Row("tie high", False, same, high)]
        assert [r.name for r in board_order(rows)] == [
            "new pinned", "old pinned", "new", "tie high", "tie low", "old"]
        assert [r.name for r in board_order(reversed(rows))] == \
            [r.name for r in board_order(rows)]
