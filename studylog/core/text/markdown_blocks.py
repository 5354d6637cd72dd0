"""markdown-it-py tokens turned into the blocks studylog reasons about.

The journal parser and the deck parser share this: CommonMark plus front matter, a
plain-text view of inline tokens, and leaf blocks with line ranges.

Tokens cost about a kilobyte each, so a long file is parsed in chunks of lines and its
blocks are streamed (``stream_document``): a caller that lets each block go once used
(the journal builds a day when its section closes) never holds the whole file's tokens.
Nothing is dropped silently: Markdown nested deeper than markdown-it can follow is
refused (``MarkdownError``) instead of cutting the file short.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from studylog.core.text.plain_inline import use_plain_inline
from studylog.core.text.text_lines import TextLines
from studylog.errors import StudylogError

# markdown-it stops reading at this nesting level (a list level counts 2, a quote 1) and
# skips the rest of the file: 120 reads lists 60 levels deep and keeps Python's
# recursion well inside its limit.
MAX_NESTING = 120
MAX_LIST_DEPTH = MAX_NESTING // 2 - 1  # the deepest list level that is still read
CHUNK_LINES = 2000  # lines parsed at once; a block longer than that doubles the chunk


class MarkdownError(StudylogError, ValueError):
    """Markdown studylog cannot read to the end; the message says where and why."""


def _guard_nesting(md: MarkdownIt) -> MarkdownIt:
    """Record where markdown-it would give up on nesting, so it is refused, not lost."""
    tokenize = md.block.tokenize

    def guarded(state: Any, start: int, end: int) -> None:
        if state.level >= state.md.options.maxNesting and "too_deep" not in state.env:
            line = state.skipEmptyLines(start)
            if line < end and state.sCount[line] >= state.blkIndent:
                state.env["too_deep"] = line
        tokenize(state, start, end)

    setattr(md.block, "tokenize", guarded)  # noqa: B010  (mypy: assigning a method)
    return md


@lru_cache(maxsize=16)
def markdown_parser(front_matter: bool = True, plain_inline: bool = True,
                    idle: frozenset[str] = frozenset()) -> MarkdownIt:
    """CommonMark (with front matter for a file's first chunk), nesting guarded; with
    ``plain_inline``, text without inline markup skips the inline parser (same tokens);
    without the ``idle`` rules (``idle_rules``: ones the text cannot set off)."""
    md = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING})
    if plain_inline:
        use_plain_inline(md)
    if idle:
        md.disable(sorted(idle))
    return _guard_nesting(md.use(front_matter_plugin) if front_matter else md)


def idle_rules(text: str) -> frozenset[str]:
    """markdown-it rules that cannot match anywhere in ``text``: an HTML block starts
    with ``<``, a link reference with ``[``; text_join only turns escapes (``\\``) and
    entities (``&``) back into text. markdown-it tries each rule on every line (~10% of
    parsing a journal) and they would all answer no."""
    idle = []
    if "<" not in text:
        idle.append("html_block")
    if "[" not in text:
        idle.append("reference")
    if "\\" not in text and "&" not in text:
        idle.append("text_join")
    return frozenset(idle)


def inline_text(token: Token) -> str:
    """Plain text of an inline token: emphasis, links and code marks dropped."""
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    return "".join(parts)


@dataclass(slots=True)
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


@dataclass(slots=True)  # slots: a long day holds many of these
class Leaf:
    """A paragraph, heading, fence or indented code block at any depth."""

    kind: str  # "paragraph" | "heading" | "fence"
    text: str  # plain text (paragraph/heading) or code (fence)
    start: int
    end: int
    info: str = ""


@dataclass
class Document:
    lines: TextLines
    front_matter: dict[str, Any] = field(default_factory=dict)
    front_matter_error: str | None = None
    front_matter_lines: int = 0  # lines the front matter takes at the top
    blocks: list[Block] = field(default_factory=list)

    def source(self, start: int, end: int) -> str:
        return self.lines.source(start, end)


def _front_matter(doc: Document, token: Token) -> None:
    import yaml  # only logs with front matter need it (~25 ms to import)

    class TextDates(yaml.SafeLoader):
        """Dates stay text: ``date: 2023-02-30`` is the journal's to refuse, by line,
        not a ValueError from inside YAML."""

    # (types-PyYAML types add_constructor for the base loaders only)
    TextDates.add_constructor(  # type: ignore[type-var]
        "tag:yaml.org,2002:timestamp", TextDates.construct_yaml_str)
    doc.front_matter_lines = token.map[1] if token.map else 0
    try:
        loaded = yaml.load(token.content, Loader=TextDates) if token.content.strip() else {}
        doc.front_matter = loaded if isinstance(loaded, dict) else {}
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        doc.front_matter_error = (str(exc).splitlines() or [type(exc).__name__])[0]


def _shift(tokens: list[Token], offset: int) -> None:
    """Maps of a chunk's tokens, made lines of the whole document."""
    if offset:
        for tok in tokens:
            if tok.map:
                tok.map = [tok.map[0] + offset, tok.map[1] + offset]


def _blocks(tokens: list[Token], offset: int, doc: Document) -> list[Block]:
    """Top-level blocks of one chunk's tokens, lines shifted by ``offset``."""
    _shift(tokens, offset)
    out: list[Block] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "front_matter":
            _front_matter(doc, tok)
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
        start, end = tok.map if tok.map else (offset, offset)
        out.append(Block(tokens[i : j + 1], start, end))
        i = j + 1
    return out


def _chunks(doc: Document, chunk_lines: int, front_matter: bool = True
            ) -> Iterator[list[Block]]:
    """The blocks of ``doc.lines``, a chunk of lines at a time."""
    pos, size = 0, chunk_lines
    while pos < len(doc.lines):
        end = min(len(doc.lines), pos + size)
        env: dict[str, Any] = {}
        source = doc.source(pos, end)
        tokens = markdown_parser(front_matter and pos == 0,
                                 idle=idle_rules(source)).parse(source, env)
        if "too_deep" in env:
            line = pos + env["too_deep"]
            raise MarkdownError(f"line {line + 1}: lists or quotes nested too deep (more "
                                f"than {MAX_LIST_DEPTH} list or {MAX_NESTING} quote levels);"
                                " studylog cannot read past them: flatten them")
        blocks = _blocks(tokens, pos, doc)
        # Front matter is only front matter once its closing line is seen.
        unsure_front = front_matter and pos == 0 and doc.lines[0].startswith("---") and \
            not any(tok.type == "front_matter" for tok in tokens[:1])
        if end < len(doc.lines) and unsure_front:
            size *= 2
            continue
        if end == len(doc.lines):
            yield blocks
            return
        # The last block may go on in the next lines: parse it again with them.
        if not blocks or blocks[-1].start <= pos:
            size *= 2
            continue
        yield blocks[:-1]
        pos, size = blocks[-1].start, chunk_lines


def stream_document(text: str, *, chunk_lines: int = CHUNK_LINES, front_matter: bool = True
                    ) -> tuple[Document, Iterator[Block]]:
    """The document (lines and front matter, unless ``front_matter`` is False) and its
    top-level blocks as they are parsed, so a caller that is done with a block lets it
    go, or stops. The iterator raises MarkdownError where the text nests deeper than
    ``MAX_NESTING``."""
    doc = Document(lines=TextLines(text))
    chunks = _chunks(doc, chunk_lines, front_matter)
    first = next(chunks, [])  # the first chunk holds the front matter
    return doc, chain(first, chain.from_iterable(chunks))


def parse_document(text: str, *, chunk_lines: int = CHUNK_LINES) -> Document:
    """Parse Markdown into top-level blocks, with YAML front matter read apart.
    MarkdownError if the text nests deeper than ``MAX_NESTING``."""
    doc, blocks = stream_document(text, chunk_lines=chunk_lines)
    doc.blocks = list(blocks)
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


@dataclass
class LeadingBold:
    """A paragraph that starts with bold text: ``**Term** : the rest``."""

    term: str  # plain text of the bold part
    rest: str  # plain text after it
    has_link: bool  # the bold part is (or holds) a link: ``**[39일차](https://…)**``


def leading_bold(token: Token) -> LeadingBold | None:
    """The bold text an inline token starts with, or None."""
    children = [c for c in token.children or [] if not (c.type == "text" and not c.content)]
    if not children or children[0].type != "strong_open":
        return None
    term: list[str] = []
    has_link = False
    for n, child in enumerate(children[1:], 1):
        if child.type == "strong_close":
            rest = Token("inline", "", 0, children=children[n + 1:])
            return LeadingBold("".join(term).strip(), inline_text(rest), has_link)
        if child.type == "link_open":
            has_link = True
        if child.type in ("text", "code_inline"):
            term.append(child.content)
    return None


def closing_index(tokens: list[Token], i: int) -> int:
    """Index of the token closing the one opened at ``i`` (``i`` itself if it opens none)."""
    depth = 0
    for j in range(i, len(tokens)):
        depth += tokens[j].nesting
        if depth <= 0:
            return j
    return len(tokens) - 1
