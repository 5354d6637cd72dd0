"""An Anki field's HTML as Markdown, by markdownify (BeautifulSoup's parser underneath):
bold, lists, code blocks and links keep their meaning; an image becomes ``![](name)``
and a sound stays ``[sound:name]``, so media references survive as text (the media
files themselves are not imported). Scripts and styles are dropped: the field is
someone else's, and its words are what studylog keeps.

A deck holds tens of thousands of fields, so the conversion is markdownify's own with
two costs taken out, the output unchanged (``tests/test_field_markdown.py`` compares it
with ``MarkdownConverter.convert`` over many field styles): markdownify asks every tag
``find_parent('pre')``, which builds a BeautifulSoup filter each time (a fifth of the
work); the tree's tags here answer that by walking their parents. And a field seen
before (a shared back, a repeated extra) is converted once."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from bs4 import BeautifulSoup, Tag
from markdownify import MarkdownConverter

_BLANK_LINES = re.compile(r"\n{3,}")


def _pre_parent(node: Tag, name: Any = None, *args: Any, **kwargs: Any) -> Any:
    """``find_parent``, with the one question markdownify asks (``'pre'``) answered by
    walking the parents: the same answer (html.parser gives tags no prefix)."""
    if name != "pre" or args or kwargs:
        return Tag.find_parent(node, name, *args, **kwargs)
    parent = node.parent
    while parent is not None and parent.name != "pre":
        parent = parent.parent
    return parent


class _FieldTag(Tag):
    find_parent = _pre_parent


class _FieldSoup(BeautifulSoup):
    find_parent = _pre_parent


@lru_cache(maxsize=1)
def _converter() -> MarkdownConverter:
    return MarkdownConverter(heading_style="ATX", bullets="-")


@lru_cache(maxsize=4096)
def _converted(html: str) -> str:
    # markdownify's convert(html), with the soup built from our classes
    soup = _FieldSoup(html, "html.parser", element_classes={Tag: _FieldTag})
    text = str(_converter().convert_soup(soup)).replace("\xa0", " ")
    return _BLANK_LINES.sub("\n\n", text).strip()


def field_markdown(html: str) -> str:
    """The Markdown of one field's HTML, trimmed, no-break spaces as spaces."""
    if "<" not in html and "&" not in html:
        return html.strip()  # plain text (most fields): nothing to convert
    return _converted(html)


def plain_markdown(text: str) -> str:
    """A field from a text file imported without ``#html:true``: its text as is."""
    return text.strip()
