"""Hostile input through both Markdown renderers: nothing executable may come out.

The check parses the output as a browser would and fails on any element outside the
renderer's allowlist, any event-handler or style attribute, and any URL whose scheme is
not http, https or mailto (after decoding entities and dropping the whitespace and
control characters browsers ignore in a scheme).
"""

import html
import re
from html.parser import HTMLParser

import pytest

from homestretch.lib.markdown import render_article, render_comment

PAYLOADS = [
    # script tags, in every shape
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<script/xss src=//evil.example></script>",
    '<<script>alert("x");//<</script>',
    "<script>alert(1)<!--",
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
    # event handlers
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(1)">',
    "<body onload=alert(1)>",
    "<div onmouseover='alert(1)'>hover</div>",
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<a href=https://ok.example onclick=alert(1)>ok</a>",
    "<p/onclick=alert(1)>x</p>",
    # javascript: and friends, in Markdown and in HTML
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](&#x6A;&#x61;&#x76;&#x61;script:alert(1))",
    "[click](javascript&colon;alert(1))",
    "[click](%6a%61vascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](<javascript:alert(1)>)",
    "<javascript:alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "[a]: javascript:alert(1)\n\n[click][a]",
    "[click](javascript://%0aalert(1))",
    "![x](javascript:alert(1))",
    '[x](https://ok.example "title" onclick=alert(1))',
    '[x](https://ok.example"onmouseover="alert(1))',
    # data: URLs
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
    '<object data="data:text/html,<script>alert(1)</script>"></object>',
    # SVG and MathML
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    # other dangerous elements
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="stylesheet" href="javascript:alert(1)">',
    "<style>@import 'javascript:alert(1)';</style>",
    "<div style=\"background:url('javascript:alert(1)')\">x</div>",
    '<base href="javascript:alert(1)//">',
    # broken tags and parser confusion
    "<img src=x onerror=alert(1)//",
    "<img\nsrc=x\nonerror=alert(1)>",
    '<img """><script>alert(1)</script>">',
    "<a href='https://ok.example'>unclosed",
    "</p><script>alert(1)</script><p>",
    "<!--><script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<textarea><script>alert(1)</script></textarea>",
    # entity tricks
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "&#x3C;img src=x onerror=alert(1)&#x3E;",
    "\\<script>alert(1)\\</script>",
    # Markdown link tricks
    "[x](https://ok.example/)<script>alert(1)</script>",
    "[<img src=x onerror=alert(1)>](https://ok.example)",
    '[x](https://ok.example/"><script>alert(1)</script>)',
    "> <script>alert(1)</script>",
    "- <img src=x onerror=alert(1)>",
    "**<script>**alert(1)**</script>**",
    "[x](//evil.example/%0a<script>)",
    "# <script>alert(1)</script>",
    "| a |\n|---|\n| <script>alert(1)</script> |",
]

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "background"}
SAFE_SCHEMES = {"http", "https", "mailto"}
COMMENT_TAGS = {"p", "br", "em", "strong", "a", "ul", "ol", "li", "blockquote", "code", "pre"}
ARTICLE_TAGS = COMMENT_TAGS | {
    "hr", "h2", "h3", "h4", "h5", "h6", "s", "img", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def _scheme(url: str) -> str | None:
    cleaned = re.sub(r"[\x00-\x20]", "", html.unescape(url)).lower()
    match = re.match(r"([a-z][a-z0-9+.\-]*):", cleaned)
    return match.group(1) if match else None


def _problems(output: str, allowed_tags: set[str]) -> list[str]:
    parser = _Collector()
    parser.feed(output)
    parser.close()
    found = []
    for tag, attrs in parser.tags:
        if tag not in allowed_tags:
            found.append(f"element <{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in ("style", "srcdoc", "formaction"):
                found.append(f"attribute {name} on <{tag}>")
            if name in URL_ATTRIBUTES and value is not None:
                scheme = _scheme(value)
                if scheme is not None and scheme not in SAFE_SCHEMES:
                    found.append(f"{scheme}: URL in <{tag} {name}>")
    return found


def test_the_corpus_is_large_enough() -> None:
    assert len(PAYLOADS) >= 50
    assert len(set(PAYLOADS)) == len(PAYLOADS)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_comment_renderer_lets_nothing_executable_through(payload: str) -> None:
    output = render_comment(payload)
    assert _problems(output, COMMENT_TAGS) == []
    assert "<script" not in output.lower()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_article_renderer_lets_nothing_executable_through(payload: str) -> None:
    output = render_article(payload).html
    assert _problems(output, ARTICLE_TAGS) == []
    assert "<script" not in output.lower()


def test_the_checker_catches_what_it_looks_for() -> None:
    """The checker itself must fail on raw hostile HTML, or the corpus proves nothing."""
    assert _problems('<a href="java&#x09;script:alert(1)">x</a>', COMMENT_TAGS)
    assert _problems("<img src=x onerror=alert(1)>", ARTICLE_TAGS)
    assert _problems("<svg></svg>", ARTICLE_TAGS)
    assert _problems('<p style="x">y</p>', COMMENT_TAGS)


def test_comment_links_get_nofollow_ugc_noopener_and_safe_ones_survive() -> None:
    output = render_comment("See [the guide](https://example.org/guide) and *this*.")
    assert '<a href="https://example.org/guide" rel="nofollow ugc noopener">the guide</a>' in (
        output
    )
    assert "<em>this</em>" in output


def test_comments_allow_only_the_small_subset() -> None:
    output = render_comment("# Heading\n\n![img](https://example.org/a.png)\n\n---\n\n> quote")
    assert "<h1" not in output
    assert "<img" not in output
    assert "<hr" not in output
    assert "<blockquote>" in output
