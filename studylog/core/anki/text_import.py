"""Anki's text export (File > Export > Notes in Plain Text) read as incoming notes.

The file starts with ``#key:value`` header lines: ``#separator`` (a name such as
``tab``/``comma``/``semicolon``/``space``/``pipe``/``colon`` or the character itself),
``#html`` (``true``: fields are HTML, converted to Markdown), ``#columns`` (the column
names), ``#deck`` and ``#tags`` (for every note), and ``#guid column``, ``#deck column``,
``#tags column``, ``#notetype column`` (1-based). The rest is CSV with that separator:
a field holding the separator, a quote or a newline is quoted, its quotes doubled. A
file with none of ``#separator``, ``#html`` or ``#columns`` is not taken for Anki's (a
journal file looks much the same).
"""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

from studylog.core.anki.field_markdown import field_markdown, plain_markdown
from studylog.core.anki.incoming_notes import IncomingNote, front_and_back
from studylog.core.storage.anki_collection import AnkiImportError

MAX_TEXT_BYTES = 256 << 20
_SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "space": " ", "pipe": "|",
               "colon": ":"}
_MARKS = ("separator", "html", "columns")


def _headers(lines: list[str]) -> tuple[dict[str, str], int]:
    headers: dict[str, str] = {}
    count = 0
    for line in lines:
        if not line.startswith("#") or ":" not in line:
            break
        key, _, value = line[1:].partition(":")
        headers[key.strip().lower()] = value.rstrip("\r\n")
        count += 1
    return headers, count


def _separator(value: str | None, first_row: str, shown: str) -> str:
    if value is None:
        return "\t" if "\t" in first_row else ","
    named = _SEPARATORS.get(value.strip().lower())
    if named is not None:
        return named
    if len(value) == 1:
        return value
    raise AnkiImportError(f"{shown}: unknown #separator {value[:20]!r}")


def _column(headers: dict[str, str], name: str, shown: str) -> int | None:
    value = headers.get(f"{name} column")
    if value is None:
        return None
    if not value.strip().isdigit() or int(value) < 1:
        raise AnkiImportError(f"{shown}: #{name} column must be a column number, "
                              f"got {value[:20]!r}")
    return int(value) - 1


def _guid(row_fields: list[str]) -> str:
    # no GUID column: the note is known by its fields, so importing the file again
    # finds the cards it made
    digest = hashlib.sha256("\x1f".join(row_fields).encode()).hexdigest()
    return f"txt-{digest[:20]}"


def read_text_export(path: Path, default_deck: str) -> tuple[list[IncomingNote], int]:
    """The notes of an Anki text export, and how many rows were skipped as empty."""
    shown = path.name
    if path.stat().st_size > MAX_TEXT_BYTES:
        raise AnkiImportError(f"{shown} is larger than {MAX_TEXT_BYTES >> 20} MiB; refused")
    raw = path.read_bytes()
    if b"\0" in raw:
        raise AnkiImportError(f"{shown} is neither an Anki package nor an Anki text export")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise AnkiImportError(f"{shown} is not UTF-8 text (byte {exc.start})") from exc
    lines = text.splitlines(keepends=True)
    headers, count = _headers(lines)
    if not any(mark in headers for mark in _MARKS):
        raise AnkiImportError(f"{shown} is not an Anki text export (no #separator, #html "
                              "or #columns header line)")
    body = "".join(lines[count:])
    sep = _separator(headers.get("separator"), body.split("\n", 1)[0], shown)
    html = headers.get("html", "false").strip().lower() == "true"
    special = {name: _column(headers, name, shown)
               for name in ("guid", "deck", "tags", "notetype")}
    deck = headers.get("deck", "").strip() or default_deck
    common_tags = headers.get("tags", "").split()
    notes: list[IncomingNote] = []
    skipped = 0
    try:
        rows = list(csv.reader(io.StringIO(body, newline=""), delimiter=sep, quotechar='"',
                               doublequote=True, strict=False))
    except csv.Error as exc:
        raise AnkiImportError(f"{shown}: cannot read its rows ({exc})") from exc
    skip = {i for i in special.values() if i is not None}
    for row in rows:
        fields = [v for i, v in enumerate(row) if i not in skip]
        front, back = front_and_back(fields, field_markdown if html else plain_markdown)
        if not front and not back:
            skipped += 1
            continue

        def cell(name: str, row: list[str] = row) -> str:
            index = special[name]
            return row[index].strip() if index is not None and index < len(row) else ""

        tags = list(dict.fromkeys([*common_tags, *cell("tags").split()]))
        notes.append(IncomingNote(cell("guid") or _guid(fields), cell("deck") or deck,
                                  front or "(empty)", back, tags))
    return notes, skipped
