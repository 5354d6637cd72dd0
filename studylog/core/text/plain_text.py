"""Markdown as the text a reader sees: what search excerpts show.

An excerpt cut from the raw body shows the markup (``**2026-11-14**``, code fences,
``+ ##### 키워드:``); this keeps the words of headings, paragraphs, list items and
code, and drops the marks around them.

Regular expressions, not a Markdown parse: a search builds up to a hundred excerpts per
keystroke, and parsing each body with markdown-it made a search over ten years of logs
twenty times slower (p50 8 ms -> 150 ms, benchmarks/journal_scale.py). An excerpt needs
the words, not a faithful document.
"""

from __future__ import annotations

import re

_FENCE = re.compile(r"^\s*(?:`{3,}|~{3,}).*$", re.MULTILINE)
# bullets, numbers and quote marks first, then a heading's hashes (``+ ##### 키워드``)
_LINE_MARKS = re.compile(r"^[ \t]*(?:(?:[-+*]|\d{1,9}[.)])[ \t]+|>+[ \t]?)*(?:#{1,6}[ \t]+)?",
                         re.MULTILINE)
_RULE = re.compile(r"^[ \t]*(?:[-*_][ \t]*){3,}$", re.MULTILINE)
_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"
                       r"|(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])")
_CODE = re.compile(r"(`+)(.+?)\1")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>\n]*)?/?>")


def plain_text(markdown: str) -> str:
    """The text of ``markdown`` without its markup: emphasis, code and link marks, link
    targets, heading hashes, list bullets, quote marks, rules and code fences dropped;
    their words (and the code inside fences) kept."""
    text = _FENCE.sub("", markdown) if "``" in markdown or "~~" in markdown else markdown
    text = _LINE_MARKS.sub("", _RULE.sub("", text))
    # each pass only when its mark is there at all: most lines of a log have none
    if "](" in text:
        text = _LINK.sub(r"\1", text)
    if "`" in text:
        text = _CODE.sub(r"\2", text)
    if "**" in text or "__" in text:
        text = _STRONG.sub(r"\2", text)
    if "*" in text or "_" in text:
        text = _EMPHASIS.sub(lambda m: m.group(1) or m.group(2), text)
    return _TAG.sub("", text) if "<" in text else text


def plain_window(markdown: str, terms: list[str], radius: int = 240) -> str:
    """``plain_text`` of the part of ``markdown`` around the first of ``terms`` (about
    ``radius`` characters each side, widened to whole lines when they are near), with
    ``…`` where it was cut: an excerpt needs no more, and a long day costs no more."""
    lower = markdown.lower()
    first = min((at for at in (lower.find(t.lower()) for t in terms) if at >= 0),
                default=0)
    start, end = max(0, first - radius), min(len(markdown), first + 2 * radius)
    line_start = markdown.rfind("\n", 0, start) + 1
    if start - line_start <= radius // 2:  # a line's marks (bullet, heading) come along
        start = line_start
    line_end = markdown.find("\n", end)
    line_end = len(markdown) if line_end < 0 else line_end
    if line_end - end <= radius // 2:
        end = line_end
    return (("… " if start > 0 else "") + plain_text(markdown[start:end])
            + (" …" if end < len(markdown) else ""))
