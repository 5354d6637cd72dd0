"""An Anki field's HTML as Markdown: ``field_markdown`` (markdownify, with its per-tag
``find_parent('pre')`` answered by walking the parents) gives exactly what markdownify's
own ``convert`` gives, over many field styles: Anki's editor markup, entities and
``&nbsp;``, ``<`` that is no tag, Korean, code and ``<pre>`` (where the parent walk
matters), lists, tables, broken HTML, and thousands of random mixes of them."""

from __future__ import annotations

import random
import re

import pytest
from markdownify import MarkdownConverter

from studylog.core.anki.field_markdown import field_markdown

FIELDS = [
    "<b>안녕하세요</b>", "hello<br>(formal)<div>존댓말</div>", "a&nbsp;b&nbsp;&nbsp;c",
    "Tom &amp; Jerry &lt;3 &gt; &quot;q&quot; &#39;s&#x27; &eacute;", "a < b and c > d",
    "x<y", "if (a<b && c>d) return;", "3 <5", "<3 love", "<<double>>", "a <br/> b",
    "line<br>line<br/><br />line", "<div><br></div>", "<div>  </div>", "&nbsp;",
    "<br>", "<div>one</div><div>two</div>", "<p>para</p><p>graph</p>",
    "What does <code>view</code> need?", "<code>a_b*c</code> and a_b*c",
    "<pre>def f(x):\n    return x  *  2\n\n\n\nprint(f(1))</pre>",
    "<pre><b>bold</b>\n\n\n<i>in</i> pre\n\n\n<span>x</span></pre>",
    "<pre><span>one\n<b>\ntwo</b></span></pre>", "<div><pre><i>a\n</i><u>\nb</u></pre></div>",
    "<div><pre>  indented\n\n\n\n<div>block</div>\n\n\nend</pre></div>",
    "<PRE>UPPER\n\n\n<B>case</B></PRE>", "<pre><code class='language-python'>x = 1\n"
    "\n\n\ny = 2</code></pre>", "<ul><li>thank you</li><li>thanks</li></ul>",
    "<ol><li>one<ul><li>nested</li></ul></li><li>two</li></ol>",
    "<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table>",
    "<h1>Title</h1><h3>sub</h3>text", "<a href='https://example.com'>link</a>",
    "<a href='https://example.com'>https://example.com</a>",
    'a contiguous tensor <img src="strides.png"> [sound:view.mp3]',
    "<script>alert(1)</script>strides become 0", "<style>b{}</style>kept",
    "<!-- comment -->after", "<b>unclosed <i>tags", "stray</div> close</b>",
    "<span style='color:red'>red</span> <font color=blue>blue</font>",
    "<b> spaced </b>x<i> </i>y", "<u>under</u><s>struck</s><sup>1</sup><sub>2</sub>",
    "<blockquote>quote<br>more</blockquote>", "{{c1::Broadcasting}} stretches <b>size-1</b>",
    "  \n  <b>trim</b>\n\n\n\n", "# not a heading &amp; 1. not a list",
    "<div>한국어 <b>단어</b> 학습</div><div>예문: 나는 <i>학생</i>입니다.</div>",
    "tab\there &lt;tag&gt;", "<hr>", "<dl><dt>term</dt><dd>def</dd></dl>",
    "<svg:pre>prefixed</svg:pre>", "<kbd>Ctrl</kbd>+<samp>out</samp>",
]
_PIECES = ["<b>", "</b>", "<i>", "</i>", "<br>", "<div>", "</div>", "<pre>", "</pre>",
           "<code>", "</code>", "<p>", "</p>", "<li>", "<ul>", "</ul>", "&nbsp;", "&amp;",
           "&lt;", " < ", "\n", "\n\n\n", "  ", "a_b", "*x*", "단어", "word", "[sound:a.mp3]",
           "<img src='x.png'>", "<span>", "</span>", "1. ", "# ", "-", "\t"]


def reference(html: str) -> str:
    """markdownify's own convert, trimmed as field_markdown trims."""
    text = MarkdownConverter(heading_style="ATX", bullets="-").convert(html)
    return re.sub(r"\n{3,}", "\n\n", text.replace("\xa0", " ")).strip()


@pytest.mark.parametrize("html", FIELDS)
def test_each_field_style_converts_as_markdownify_does(html: str) -> None:
    assert field_markdown(html) == reference(html)


def test_random_mixes_convert_as_markdownify_does() -> None:
    rng = random.Random(21)
    fields = ["".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 14)))
              for _ in range(3000)]
    fields = [f for f in fields if "<" in f or "&" in f]  # the converted ones
    assert len(fields) > 2500
    different = [f for f in fields if field_markdown(f) != reference(f)]
    assert different == []

