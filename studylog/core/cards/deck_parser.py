"""Decks: Markdown files of cards, some with runnable snippets (format: docs/decks.md).

One card per ``## `` heading (heading = front, prose = back). An optional metadata
paragraph right after the heading holds ``aliases:``, ``name:``, ``timeout:``, ``tags:``.
A fenced block with the info string ``python snippet`` is the card's snippet; with
``python predict`` the card is a predict-then-run card, whose block must hold a ``# check``
line: the code before it is the front, the asserts after it prove the answer.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from studylog.core.text.keywords import normalize, split_keywords
from studylog.core.text.markdown_blocks import Block, MarkdownError, inline_text, parse_document
from studylog.errors import StudylogError

SNIPPET_INFO = {"python snippet": "basic", "python predict": "predict"}
META_KEYS = {"aliases", "name", "timeout", "tags"}
_META_LINE = re.compile(r"^\s*([A-Za-z]+)\s*:\s*(.*?)\s*$")
CHECK_LINE = re.compile(r"^# check\b.*$", re.MULTILINE)


class DeckError(StudylogError, ValueError):
    """A malformed deck file; the message names the line that is wrong."""


@dataclass
class DeckCard:
    front: str
    key: str
    back: str
    line: int  # 1-based line of the heading
    kind: str = "basic"
    aliases: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    snippet_name: str | None = None
    snippet_code: str | None = None
    timeout: float | None = None


@dataclass
class Deck:
    name: str
    description: str
    cards: list[DeckCard]


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "card"


def predict_front(code: str) -> str:
    """The code a predict card shows: everything before its ``# check`` line."""
    match = CHECK_LINE.search(code)
    return (code[:match.start()] if match else code).rstrip()


def _metadata(text: str, line: int) -> dict[str, str] | None:
    """The metadata paragraph as a dict, or None when the paragraph is prose."""
    found: dict[str, str] = {}
    for raw in text.splitlines():
        m = _META_LINE.match(raw)
        if not m or m.group(1).lower() not in META_KEYS:
            return None
        found[m.group(1).lower()] = m.group(2)
    if "timeout" in found:
        try:
            if float(found["timeout"]) <= 0:
                raise ValueError
        except ValueError:
            raise DeckError(f"line {line}: timeout must be a positive number of seconds, "
                            f"got {found['timeout']!r}") from None
    return found


def _card(heading: str, line: int, blocks: list[Block], lines: Sequence[str]) -> DeckCard:
    card = DeckCard(front=heading, key=slugify(heading), back="", line=line)
    back_parts: list[str] = []
    for index, block in enumerate(blocks):
        tok = block.first
        source = "".join(lines[block.start:block.end]).rstrip()
        if index == 0 and tok.type == "paragraph_open":
            meta = _metadata(inline_text(block.tokens[1]), block.start + 1)
            if meta is not None:
                card.aliases = split_keywords(meta.get("aliases", ""))
                card.tags = split_keywords(meta.get("tags", ""))
                if meta.get("name"):
                    card.key = slugify(meta["name"])
                if meta.get("timeout"):
                    card.timeout = float(meta["timeout"])
                continue
        info = tok.info.strip() if tok.type == "fence" else ""
        if info in SNIPPET_INFO:
            if card.snippet_code is not None:
                raise DeckError(f"line {block.start + 1}: a second snippet in card "
                                f"'{heading}' (one ```{info} block per card)")
            if block.end >= len(lines) and not lines[-1].strip().startswith(tok.markup):
                raise DeckError(f"line {block.start + 1}: code fence is never closed")
            if info == "python predict" and not CHECK_LINE.search(tok.content):
                # without it the asserts, i.e. the answer, would show on the card's front
                raise DeckError(f"line {block.start + 1}: the predict block of card "
                                f"'{heading}' has no '# check' line (put the asserts "
                                "that prove the answer after it)")
            card.snippet_code, card.kind = tok.content, SNIPPET_INFO[info]
            continue
        back_parts.append(source)
    card.back = "\n\n".join(back_parts).strip()
    if card.snippet_code is not None:
        card.snippet_name = card.key
    return card


def parse_deck(text: str, default_name: str = "deck") -> Deck:
    """Parse a deck file. Raises DeckError naming the wrong line."""
    try:
        doc = parse_document(text)
    except MarkdownError as exc:
        raise DeckError(str(exc)) from exc
    if doc.front_matter_error:
        raise DeckError(f"line 1: front matter is not valid YAML: {doc.front_matter_error}")
    name = str(doc.front_matter.get("deck") or default_name).strip()
    cards: list[DeckCard] = []
    current: tuple[str, int] | None = None
    body: list[Block] = []
    for block in doc.blocks + [None]:
        is_card_heading = block is not None and block.first.type == "heading_open" \
            and block.first.tag == "h2"
        if block is None or is_card_heading:
            if current is not None:
                cards.append(_card(current[0], current[1], body, doc.lines))
            if block is not None:
                heading = block.headings()[0][1]
                if not heading:
                    raise DeckError(f"line {block.start + 1}: empty card heading")
                current, body = (heading, block.start + 1), []
            continue
        if current is None:
            if block.first.type == "fence" and block.first.info.strip() in SNIPPET_INFO:
                raise DeckError(f"line {block.start + 1}: snippet outside any card "
                                "(put it under a '## ' heading)")
            continue  # a title or introduction before the first card
        body.append(block)
    if not cards:
        raise DeckError("line 1: no cards found (each card starts with a '## ' heading)")
    seen: dict[str, int] = {}
    for card in cards:
        if card.key in seen:
            raise DeckError(f"line {card.line}: card name '{card.key}' repeats line "
                            f"{seen[card.key]} (give one a 'name:')")
        seen[card.key] = card.line
    return Deck(name, str(doc.front_matter.get("description") or ""), cards)


def read_deck_file(path: Path) -> tuple[Deck, str]:
    """Parse a deck file; returns the deck and the file's content hash."""
    from studylog.core.text.decoding import DecodeError, decode_log
    from studylog.core.text.file_reading import FileRefused, read_file_bytes

    try:
        data = read_file_bytes(path)
        text, _ = decode_log(data)
    except FileRefused as exc:
        raise DeckError(f"{path}: {exc}") from exc
    except DecodeError as exc:
        raise DeckError(f"{path.name}: {exc}") from exc
    return parse_deck(text, default_name=path.stem), hashlib.sha256(data).hexdigest()


def alias_norms(card: DeckCard) -> set[str]:
    return {normalize(a) for a in card.aliases}
