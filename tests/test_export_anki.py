"""``studylog export apkg`` / ``export anki-txt`` (issue 21, deliverable 1), with Anki's
own library (the ``anki`` package) as the oracle: each export is imported into a fresh
Anki collection, which must hold the right notes, fields, tags and decks; importing a
second export updates the notes instead of adding them again."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from anki.collection import (
    Collection,
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
    ImportCsvRequest,
)

from studylog.core.anki.apkg_export import AnkiExportError, export_apkg
from studylog.core.anki.note_fields import note_guid
from studylog.core.anki.text_export import export_anki_text
from studylog.core.cards.card_editing import edit_card
from studylog.core.cards.deck_library import add_deck
from studylog.core.journal.importer import import_logs
from studylog.core.storage.database import Store

ENGLISH_LOG = """# 2024-03-04

Reviewed **broadcasting** rules today: size-1 dims stretch, strides become 0.
A <script>alert(1)</script> tag typed in a note stays text.

Keywords: Broadcasting, Stride
"""

KOREAN_LOG = """Day 3 (2024-03-06)
---
새 개념: **Einsum**은 축 이름으로 곱을 적는다.

#키워드 - Einsum, 브로드캐스팅
"""

DECK = """---
deck: 텐서 기초
description: strides and views
---

## Contiguity and strides
tags: memory layout, tensors

A tensor is *contiguous* when its last index moves one element in memory.

```python snippet
import torch
x = torch.arange(6).view(2, 3)
assert x.stride() == (3, 1)
```

## What does view print?

```python predict
import torch
print(torch.arange(4).view(2, 2).shape)
# check
assert torch.arange(4).view(2, 2).shape == (2, 2)
```
"""


@pytest.fixture
def journal(tmp_path: Path):
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "2024-03-04.md").write_text(ENGLISH_LOG, encoding="utf-8")
    (logs / "day3.md").write_text(KOREAN_LOG, encoding="utf-8")
    deck = tmp_path / "tensor-basics.md"
    deck.write_text(DECK, encoding="utf-8")
    with Store(tmp_path / "studylog.sqlite3") as store:
        report = import_logs(store, [logs])
        assert not report.refused
        add_deck(store, deck)
        yield store


def anki_collection(folder: Path) -> Collection:
    """A fresh, empty Anki collection in its own folder (its media sit beside it)."""
    folder.mkdir()
    return Collection(str(folder / "collection.anki2"))


def import_apkg(col: Collection, path: Path) -> None:
    # Anki's defaults: update a note when the package's copy is newer
    options = ImportAnkiPackageOptions(with_scheduling=False)
    col.import_anki_package(ImportAnkiPackageRequest(package_path=str(path), options=options))


@dataclass
class AnkiNote:
    """A note as Anki holds it after the import."""

    fields: dict[str, str]
    tags: list[str]
    deck: str
    notetype: str


def notes_by_guid(col: Collection) -> dict[str, AnkiNote]:
    found = {}
    for note_id in col.find_notes(""):
        note = col.get_note(note_id)
        (card,) = note.cards()
        notetype = note.note_type()
        assert notetype is not None
        found[note.guid] = AnkiNote(dict(note.items()), sorted(note.tags),
                                    col.decks.name(card.did), notetype["name"])
    return found


def card_count(store: Store) -> int:
    return int(store.query("SELECT count(*) AS n FROM cards")[0]["n"])


def card_guids(store: Store) -> set[str]:
    return {note_guid(r["deck"], r["key"]) for r in store.query(
        "SELECT c.key, d.name AS deck FROM cards c JOIN decks d ON d.id = c.deck_id")}


def note_with_front(notes: dict[str, AnkiNote], text: str) -> AnkiNote:
    found = [n for n in notes.values() if text in n.fields["Front"]]
    assert len(found) == 1, f"{len(found)} notes with {text!r} on the front"
    return found[0]


def test_anki_imports_every_card_with_its_fields_tags_and_deck(journal: Store,
                                                                tmp_path: Path) -> None:
    report = export_apkg(journal, tmp_path / "out.apkg")
    assert report.notes == card_count(journal) >= 5
    col = anki_collection(tmp_path / "anki")
    import_apkg(col, report.path)
    notes = notes_by_guid(col)
    col.close()
    assert set(notes) == card_guids(journal)

    strides = note_with_front(notes, "Contiguity and strides")
    assert strides.fields["Front"] == "Contiguity and strides"
    assert strides.deck == "studylog::텐서 기초" and strides.notetype == "studylog card"
    assert strides.tags == ["memory_layout", "tensors"]
    assert strides.fields["Back"] == ("<p>A tensor is <em>contiguous</em> when its last "
                                      "index moves one element in memory.</p>")
    snippet = strides.fields["Snippet"]
    assert snippet.startswith("<pre") and '<span style="color:' in snippet  # highlighted
    assert "stride() " in snippet and "arange(" in snippet

    predict = note_with_front(notes, "What does view print?")
    assert "What will this print?" in predict.fields["Front"]
    assert "arange(" in predict.fields["Front"] and "assert" not in predict.fields["Front"]
    assert "assert" in predict.fields["Snippet"]

    einsum = note_with_front(notes, "Einsum")
    assert einsum.deck == "studylog::journal" and einsum.fields["Sources"] == "2024-03-06"
    assert "<strong>Einsum</strong>은 축 이름으로" in einsum.fields["Back"]
    stride = note_with_front(notes, "Stride")
    assert stride.fields["Sources"] == "2024-03-04"
    # raw HTML typed in a log is shown as text, never run by Anki
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in stride.fields["Back"]
    assert "<script" not in stride.fields["Back"]


def test_a_second_export_updates_the_notes_instead_of_adding_them(journal: Store,
                                                                  tmp_path: Path) -> None:
    first = export_apkg(journal, tmp_path / "first.apkg")
    card_id = journal.query("SELECT id FROM cards WHERE front = 'Einsum'")[0]["id"]
    edit_card(journal, card_id, "Einsum", "축 이름으로 적는 곱: `einsum('ij,jk->ik', a, b)`")
    # a later export, as a user's next export is: Anki updates notes newer than its own
    second = export_apkg(journal, tmp_path / "second.apkg",
                         now=datetime.now(UTC) + timedelta(minutes=5))
    col = anki_collection(tmp_path / "anki")
    import_apkg(col, first.path)
    import_apkg(col, second.path)
    notes = notes_by_guid(col)
    assert col.note_count() == card_count(journal) == len(notes)
    names = [m.name for m in col.models.all_names_and_ids()]
    assert names.count("studylog card") == 1 and not any("studylog" in n and n !=
                                                         "studylog card" for n in names)
    assert [col.decks.name(d.id) for d in col.decks.all_names_and_ids()].count(
        "studylog::journal") == 1
    col.close()
    assert note_with_front(notes, "Einsum").fields["Back"] == (
        "<p>축 이름으로 적는 곱: <code>einsum('ij,jk-&gt;ik', a, b)</code></p>")


def test_anki_text_export_imports_into_anki_by_its_header_alone(journal: Store,
                                                                 tmp_path: Path) -> None:
    report = export_anki_text(journal, tmp_path / "cards.txt")
    text = report.path.read_text(encoding="utf-8")
    assert text.startswith("#separator:tab\n#html:true\n")
    assert "#guid column:1\n" in text and "#deck column:4\n" in text
    col = anki_collection(tmp_path / "anki")
    # Anki reads every choice from the header: no delimiter, note type or columns given
    metadata = col.get_csv_metadata(str(report.path), None)
    col.import_csv(ImportCsvRequest(path=str(report.path), metadata=metadata))
    notes = notes_by_guid(col)
    assert col.note_count() == report.notes == card_count(journal)
    col.import_csv(ImportCsvRequest(path=str(report.path), metadata=metadata))
    assert col.note_count() == card_count(journal)  # the GUIDs match: no duplicates
    col.close()
    assert set(notes) == card_guids(journal)
    strides = note_with_front(notes, "Contiguity and strides")
    assert strides.notetype == "Basic" and strides.deck == "studylog::텐서 기초"
    assert strides.tags == ["memory_layout", "tensors"]
    back = strides.fields["Back"]
    assert back.startswith("<p>A tensor is <em>contiguous</em>")
    assert "<pre" in back and "arange(" in back and "\n" in back  # multi-line code kept
    einsum = note_with_front(notes, "Einsum")
    assert einsum.deck == "studylog::journal" and "written 2024-03-06" in einsum.fields["Back"]


def test_deck_option_exports_one_deck_and_an_unknown_deck_writes_nothing(
        journal: Store, tmp_path: Path) -> None:
    report = export_apkg(journal, tmp_path / "one.apkg", deck="텐서 기초")
    assert report.notes == 2 and report.decks == ["studylog::텐서 기초"]
    with pytest.raises(AnkiExportError, match="no deck named 'nope'"):
        export_apkg(journal, tmp_path / "none.apkg", deck="nope")
    with pytest.raises(AnkiExportError, match="existing folder"):
        export_anki_text(journal, tmp_path)
    written = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("studylog"))
    assert written == ["logs", "one.apkg", "tensor-basics.md"]  # no partial file left


def test_cli_export_apkg_and_anki_txt(cli, db_path: Path, tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "2024-03-04.md").write_text(ENGLISH_LOG, encoding="utf-8")
    assert cli("import", str(logs)).exit_code == 0
    result = cli("export", "apkg", str(tmp_path / "cards.apkg"), "--deck", "journal")
    assert result.exit_code == 0, result.output
    assert "2 card(s) written to" in result.output
    assert "(Anki decks: studylog::journal)" in result.output
    result = cli("export", "anki-txt", str(tmp_path / "cards.txt"), "--json")
    with Store(db_path) as store:  # the bundled decks too
        assert json.loads(result.output)["notes"] == card_count(store) > 2
    refused = cli("export", "apkg", str(tmp_path / "x.apkg"), "--deck", "없는 덱")
    assert refused.exit_code != 0 and len(refused.output.strip().splitlines()) == 1
    assert "no deck named '없는 덱'" in refused.output and not (tmp_path / "x.apkg").exists()
