"""An Anki field's HTML as Markdown, by markdownify (BeautifulSoup's parser underneath):
bold, lists, code blocks and links keep their meaning; an image becomes ``![](name)``
and a sound stays ``[sound:name]``, so media references survive as text (the media
files themselves are not imported). Scripts and styles are dropped: the field is
someone else's, and its words are what studylog keeps."""

from __future__ import annotations

import re
from functools import lru_cache

from markdownify import MarkdownConverter

_BLANK_LINES = re.compile(r"\n{3,}")


@lru_cache(maxsize=1)
def _converter() -> MarkdownConverter:
    return MarkdownConverter(heading_style="ATX", bullets="-")


def field_markdown(html: str) -> str:
    """The Markdown of one field's HTML, trimmed, no-break spaces as spaces."""
    if "<" not in html and "&" not in html:
        return html.strip()  # plain text (most fields): nothing to convert
    text = str(_converter().convert(html)).replace("\xa0", " ")
    return _BLANK_LINES.sub("\n\n", text).strip()


def plain_markdown(text: str) -> str:
    """A field from a text file imported without ``#html:true``: its text as is."""
    return text.strip()
