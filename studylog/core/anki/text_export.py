"""``studylog export anki-txt``: the cards in Anki's tab-separated text format, for
Anki's File > Import.

The header lines tell Anki everything (``#separator:tab``, ``#html:true``, the note type,
and which columns hold the GUID, deck and tags), so the import needs no choices. The
notes use Anki's built-in "Basic" note type (Front, Back), so the back carries the
snippet and the source dates under the card's own back. Fields are quoted the way Anki's
reader unquotes them (a field holding a tab, a newline or a quote is wrapped in quotes,
its quotes doubled). GUIDs are the ones ``export apkg`` gives the same cards.
"""

from __future__ import annotations

import csv
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from studylog.core.anki.apkg_export import anki_deck_name
from studylog.core.anki.note_fields import anki_note
from studylog.core.anki.target_file import AnkiExportError, check_target, notes_to_export
from studylog.core.storage.anki_notes import AnkiNoteRow
from studylog.core.storage.database import Store

NOTETYPE = "Basic"
HEADER = ("#separator:tab\n#html:true\n"
          f"#notetype:{NOTETYPE}\n#guid column:1\n#deck column:4\n#tags column:5\n")

__all__ = ["AnkiExportError", "TextReport", "export_anki_text", "write_anki_text"]


@dataclass(slots=True)
class TextReport:
    path: Path
    notes: int
    seconds: float


def write_anki_text(store: Store, out: TextIO, deck: str | None = None) -> int:
    """Write every card (of ``deck``) to ``out`` in Anki's text format: GUID, Front, Back
    (with snippet and sources), Deck, Tags; returns how many. AnkiExportError, with
    nothing written, for an unknown deck or no cards."""
    return _write_rows(notes_to_export(store, deck), out)


def _write_rows(rows: list[AnkiNoteRow], out: TextIO) -> int:
    out.write(HEADER)
    writer = csv.writer(out, delimiter="\t", quotechar='"', lineterminator="\n",
                        quoting=csv.QUOTE_MINIMAL)
    for row in rows:
        note = anki_note(row)
        front, back, snippet, sources = note.fields
        if snippet:
            back += f"<div>{snippet}</div>"
        if sources:
            back += f'<div style="color:#888;font-size:small">written {sources}</div>'
        writer.writerow([note.guid, front, back, anki_deck_name(note.deck),
                         " ".join(note.tags)])
    return len(rows)


def export_anki_text(store: Store, dest: Path, deck: str | None = None) -> TextReport:
    """Write every card (of ``deck``) to ``dest`` in Anki's text format, replaced whole
    or not at all (see ``write_anki_text``)."""
    started = time.perf_counter()
    dest = check_target(store, dest)
    rows = notes_to_export(store, deck)
    partial = dest.with_name(f".{dest.name}.{os.getpid()}.partial")
    try:
        with open(partial, "w", encoding="utf-8", newline="") as out:
            notes = _write_rows(rows, out)
        os.replace(partial, dest)
    except OSError as exc:
        raise AnkiExportError(f"export not written to {dest}: {exc.strerror or exc}") from exc
    finally:
        partial.unlink(missing_ok=True)
    return TextReport(dest, notes, time.perf_counter() - started)
