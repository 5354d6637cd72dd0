"""markdown-it-py tokens turned into the blocks studylog reasons about.

The journal parser and the deck parser share this: one MarkdownIt instance (CommonMark
plus front matter), a plain-text view of inline tokens, and leaf blocks with line ranges.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin


@lru_cache(maxsize=1)
def markdown_parser() -> MarkdownIt:
    return MarkdownIt("commonmark").use(front_matter_plugin)


def inline_text(token: Token) -> str:
    """Plain text of an inline token: emphasis, links and code marks dropped."""
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    return "".join(parts)


@dataclass
class Block:
    """A top-level block with its tokens and source lines ``[start, end)``."""

    tokens: list[Token]
    start: int
    end: int

    @property
    def first(self) -> Token:
        return self.tokens[0]

    def headings(self) -> list[tuple[Token, str]]:
        """(heading_open, plain text) for every heading inside the block, nested ones too."""
        found = []
        for i, tok in enumerate(self.tokens):
            if tok.type == "heading_open":
                found.append((tok, inline_text(self.tokens[i + 1]).strip()))
        return found


@dataclass
class Leaf:
    """A paragraph, heading, fence or indented code block at any depth."""

    kind: str  # "paragraph" | "heading" | "fence"
    text: str  # plain text (paragraph/heading) or code (fence)
    start: int
    end: int
    info: str = ""


@dataclass
class Document:
    lines: list[str]
    front_matter: dict = field(default_factory=dict)
    front_matter_error: str | None = None
    blocks: list[Block] = field(default_factory=list)

    def source(self, start: int, end: int) -> str:
        return "".join(self.lines[start:end])


def parse_document(text: str) -> Document:
    """Parse Markdown into top-level blocks, with YAML front matter read apart."""
    tokens = markdown_parser().parse(text)
    doc = Document(lines=text.splitlines(keepends=True))
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "front_matter":
            import yaml  # only logs with front matter need it (~25 ms to import)

            try:
                loaded = yaml.safe_load(tok.content) if tok.content.strip() else {}
                doc.front_matter = loaded if isinstance(loaded, dict) else {}
            except yaml.YAMLError as exc:
                doc.front_matter_error = str(exc).splitlines()[0]
            i += 1
            continue
        # A top-level block runs from a level-0 token with nesting >= 0 to its close.
        j = i
        if tok.nesting == 1:
            depth = 0
            while True:
                depth += tokens[j].nesting
                if depth == 0:
                    break
                j += 1
        start, end = tok.map if tok.map else (0, 0)
        doc.blocks.append(Block(tokens[i : j + 1], start, end))
        i = j + 1
    return doc


def leaves(blocks: list[Block]) -> list[Leaf]:
    """Paragraphs, headings and code blocks inside ``blocks``, in document order."""
    out: list[Leaf] = []
    for block in blocks:
        toks = block.tokens
        for i, tok in enumerate(toks):
            if tok.type in ("paragraph_open", "heading_open") and tok.map:
                kind = "paragraph" if tok.type == "paragraph_open" else "heading"
                out.append(Leaf(kind, inline_text(toks[i + 1]), tok.map[0], tok.map[1]))
            elif tok.type in ("fence", "code_block") and tok.map:
                out.append(Leaf("fence", tok.content, tok.map[0], tok.map[1], tok.info.strip()))
    return out
