"""``studylog import-anki`` (issue 21, deliverable 2): packages and text exports that
Anki's own library (the ``anki`` package) wrote — legacy ``collection.anki21`` and
current zstd ``collection.anki21b``, ``.apkg`` and ``.colpkg`` — become cards with all
their notes; importing again adds nothing; damaged and foreign files are refused in one
line with the database unchanged."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import zstandard
from anki.collection import Collection, ExportAnkiPackageOptions

from studylog.core.anki import package_file
from studylog.core.anki.anki_import import AnkiImportError, import_anki
from studylog.core.cards.automatic_back import revert_to_automatic_back
from studylog.core.cards.card_editing import CardError, edit_card
from studylog.core.review.scheduling import record_review
from studylog.core.review.study_day import from_iso
from studylog.core.storage.database import Store


@dataclass
class AnkiFiles:
    legacy_apkg: Path
    modern_apkg: Path
    legacy_colpkg: Path
    modern_colpkg: Path
    text: Path
    guids: dict[str, str]  # Anki GUID -> the note's first field


def _add(col: Collection, notetype: str, deck: str, fields: dict[str, str],
         tags: list[str]) -> str:
    note = col.new_note(col.models.by_name(notetype))
    for name, value in fields.items():
        note[name] = value
    note.tags = tags
    col.add_note(note, col.decks.id(deck))
    return note.guid


def make_collection(folder: Path) -> tuple[Collection, dict[str, str]]:
    folder.mkdir()
    col = Collection(str(folder / "collection.anki2"))
    guids = {
        _add(col, "Basic", "Languages::Korean", {
            "Front": "<b>안녕하세요</b>", "Back": "hello<br>(formal)<div>존댓말</div>"},
            ["korean", "greetings::formal"]): "안녕하세요",
        _add(col, "Basic", "Languages::Korean", {
            "Front": "감사합니다", "Back": "<ul><li>thank you</li><li>thanks</li></ul>"},
            ["korean"]): "감사합니다",
        _add(col, "Basic (and reversed card)", "PyTorch", {
            "Front": "What does <code>view</code> need?",
            "Back": 'a contiguous tensor <img src="strides.png"> [sound:view.mp3]'},
            ["pytorch", "leech"]): "What does",
        _add(col, "Cloze", "PyTorch", {
            "Text": "{{c1::Broadcasting}} stretches size-1 dims",
            "Back Extra": "<script>alert(1)</script>strides become 0"}, []): "{{c1::",
    }
    return col, guids


@pytest.fixture(scope="module")
def anki_files(tmp_path_factory: pytest.TempPathFactory) -> AnkiFiles:
    root = tmp_path_factory.mktemp("anki")
    col, guids = make_collection(root / "col")
    paths = {}
    for legacy in (True, False):
        name = "legacy" if legacy else "modern"
        paths[f"{name}_apkg"] = root / f"{name}.apkg"
        col.export_anki_package(out_path=str(paths[f"{name}_apkg"]), limit=None,
                                options=ExportAnkiPackageOptions(
                                    with_scheduling=True, with_media=True, legacy=legacy))
    text = root / "notes.txt"
    col.export_note_csv(out_path=str(text), limit=None, with_html=True, with_tags=True,
                        with_deck=True, with_notetype=True, with_guid=True)
    for legacy in (True, False):
        name = "legacy" if legacy else "modern"
        paths[f"{name}_colpkg"] = root / f"{name}.colpkg"
        col.export_collection_package(str(paths[f"{name}_colpkg"]), include_media=True,
                                      legacy=legacy)  # closes the collection
        col.reopen()
    col.close()
    return AnkiFiles(**paths, text=text, guids=guids)


def cards(store: Store) -> dict[str, dict]:
    """key -> the card's deck, front, back and tags."""
    return {r["key"]: {"deck": r["deck"], "front": r["front"], "back": r["back"],
                       "tags": json.loads(r["tags"]), "trusted": r["trusted"]}
            for r in store.query("SELECT c.key, d.name AS deck, c.front, c.back, c.tags, "
                                 "d.trusted FROM cards c JOIN decks d ON d.id = c.deck_id "
                                 "WHERE c.key LIKE 'anki-%'")}


def dump(path: Path) -> list[str]:
    """Every row of the database, to see that a refused import changed nothing."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.mark.parametrize("kind", ["legacy_apkg", "modern_apkg", "legacy_colpkg",
                                  "modern_colpkg"])
def test_every_note_of_every_anki_format_becomes_a_card(anki_files: AnkiFiles, store: Store,
                                                        kind: str) -> None:
    source = getattr(anki_files, kind)
    if kind.startswith("modern"):  # the current format really is the zstd collection
        assert "collection.anki21b" in zipfile.ZipFile(source).namelist()
    report = import_anki(store, source)
    assert report.new_cards == 4 and report.updated_cards == 0
    found = cards(store)
    assert set(found) == {f"anki-{g}" for g in anki_files.guids}
    by_front = {c["front"]: c for c in found.values()}
    hello = by_front["**안녕하세요**"]
    assert hello["deck"] == "Languages::Korean"
    assert hello["back"] == "hello  \n(formal)\n\n존댓말"
    assert hello["tags"] == ["greetings::formal", "korean"]
    assert by_front["감사합니다"]["back"] == "- thank you\n- thanks"
    view = by_front["What does `view` need?"]
    assert view["deck"] == "PyTorch" and view["tags"] == ["leech", "pytorch"]
    assert view["back"] == "a contiguous tensor ![](strides.png) [sound:view.mp3]"
    cloze = by_front["{{c1::Broadcasting}} stretches size-1 dims"]
    assert cloze["back"] == "strides become 0"  # the script is dropped, its words kept
    assert not any(c["trusted"] for c in found.values())
    assert sorted(report.decks) == ["Languages::Korean", "PyTorch"]


def test_importing_again_adds_nothing_and_keeps_your_edits(anki_files: AnkiFiles,
                                                           store: Store) -> None:
    import_anki(store, anki_files.modern_apkg)
    card_id = store.value("SELECT id FROM cards WHERE front = '감사합니다'")
    edit_card(store, card_id, "감사합니다", "고맙습니다 (my own words)")
    again = import_anki(store, anki_files.legacy_apkg)
    assert (again.new_cards, again.updated_cards, again.unchanged_cards) == (0, 0, 4)
    assert store.value("SELECT count(*) FROM cards WHERE key LIKE 'anki-%'") == 4
    assert store.value("SELECT back FROM cards WHERE id = ?", [card_id]) == \
        "고맙습니다 (my own words)"
    # Anki's text export carries the same GUIDs: no duplicates either
    text = import_anki(store, anki_files.text)
    assert text.new_cards == 0
    assert store.value("SELECT count(*) FROM cards WHERE key LIKE 'anki-%'") == 4


def test_revert_of_an_edited_anki_card_says_it_has_no_automatic_back(
        anki_files: AnkiFiles, store: Store) -> None:
    """Seen in tmux: `v` on an edited Anki card read the .apkg as a Markdown deck file
    ("cannot be read: real.apkg: binary file")."""
    import_anki(store, anki_files.modern_apkg)
    card_id = store.value("SELECT id FROM cards WHERE front = '감사합니다'")
    edit_card(store, card_id, "감사합니다", "고맙습니다 (my own words)")
    with pytest.raises(CardError) as refused:
        revert_to_automatic_back(store, card_id)
    assert str(refused.value) == ("“감사합니다” came from Anki (Languages::Korean): its back "
                                  "has no automatic version to go back to")
    assert store.value("SELECT back FROM cards WHERE id = ?", [card_id]) == \
        "고맙습니다 (my own words)"


def test_a_note_changed_in_anki_is_updated(tmp_path: Path, store: Store) -> None:
    col, guids = make_collection(tmp_path / "col")
    first = tmp_path / "first.apkg"
    col.export_anki_package(out_path=str(first), limit=None, options=ExportAnkiPackageOptions(
        with_scheduling=False, with_media=False, legacy=False))
    import_anki(store, first)
    note = col.get_note(col.find_notes("감사합니다")[0])
    note["Back"] = "thank you (formal)"
    note.tags = ["korean", "polite"]
    col.update_note(note)
    second = tmp_path / "second.apkg"
    col.export_anki_package(out_path=str(second), limit=None, options=ExportAnkiPackageOptions(
        with_scheduling=False, with_media=False, legacy=False))
    col.close()
    report = import_anki(store, second)
    assert (report.new_cards, report.updated_cards) == (0, 1)
    updated = cards(store)[f"anki-{note.guid}"]
    assert updated["back"] == "thank you (formal)"
    assert updated["tags"] == ["korean", "polite"]


def test_text_export_by_hand_with_quotes_and_columns(tmp_path: Path, store: Store) -> None:
    text = tmp_path / "vocab.txt"
    text.write_text(
        "#separator:Semicolon\n#html:false\n#columns:Front;Back;Tags\n#tags column:3\n"
        "#deck:Words::Everyday\n#tags:imported\n"
        '학교;school;noun\n'
        '"a ""quoted"" word; with a semicolon";"two\nlines";\n'
        ";;\n", encoding="utf-8")
    report = import_anki(store, text)
    assert (report.new_cards, report.skipped_notes) == (2, 1)
    found = sorted(cards(store).values(), key=lambda c: c["front"])
    assert found[0]["front"] == 'a "quoted" word; with a semicolon'
    assert found[0]["back"] == "two\nlines" and found[0]["tags"] == ["imported"]
    assert found[1] == {"deck": "Words::Everyday", "front": "학교", "back": "school",
                        "tags": ["imported", "noun"], "trusted": 0}
    assert import_anki(store, text).new_cards == 0  # known by their fields: no duplicates


def test_into_puts_every_note_in_one_deck(anki_files: AnkiFiles, cli, store: Store) -> None:
    result = cli("import-anki", str(anki_files.modern_apkg), "--into", "from phone",
                 "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["new"] == 4
    assert {c["deck"] for c in cards(store).values()} == {"from phone"}


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _bad_files(tmp: Path, legacy: Path, studylog_db: Path) -> dict[str, tuple[Path, str]]:
    good = zipfile.ZipFile(legacy).read("collection.anki21")
    damaged = bytearray(legacy.read_bytes())
    member = zipfile.ZipFile(legacy).getinfo("collection.anki21")
    start = member.header_offset + 30 + len(member.filename) + member.compress_size // 2
    damaged[start:start + 400] = b"\x00" * 400  # inside the collection's deflated bytes
    (tmp / "damaged.apkg").write_bytes(bytes(damaged))
    (tmp / "random.apkg").write_bytes(bytes(range(256)) * 40)
    (tmp / "journal.txt").write_text("# 2024-03-04\nStudied views.\nKeywords: View\n")
    return {
        "not a zip": (tmp / "random.apkg", "not an Anki package"),
        "damaged zip": (tmp / "damaged.apkg", "damaged"),
        "path traversal": (_zip(tmp / "evil.apkg", {"../../collection.anki21": good}),
                           "not an Anki package"),
        "no collection": (_zip(tmp / "empty.apkg", {"meta": b"", "media": b"{}"}),
                          "holds no Anki collection"),
        "other sqlite": (_zip(tmp / "foreign.apkg",
                              {"collection.anki21": studylog_db.read_bytes()}),
                         "not an Anki collection"),
        "not sqlite": (_zip(tmp / "garbage.apkg", {"collection.anki21": b"hello" * 999}),
                       "no Anki collection"),
        "zip bomb": (_zip(tmp / "bomb.apkg", {"collection.anki21": b"\0" * (3 << 20)}),
                     "more than 1 MiB"),
        "zstd bomb": (_zip(tmp / "bomb21b.apkg", {"collection.anki21b": zstandard.compress(
            b"\0" * (3 << 20))}), "more than 1 MiB"),
        "journal text": (tmp / "journal.txt", "not an Anki text export"),
    }


def test_bad_files_are_refused_in_one_line_with_nothing_written(
        anki_files: AnkiFiles, tmp_path: Path, cli, db_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(package_file, "MAX_COLLECTION_BYTES", 1 << 20)
    assert cli("import-anki", str(anki_files.text)).exit_code == 0  # something to keep
    other = tmp_path / "other.sqlite3"
    Store(other).close()
    before = dump(db_path)
    for case, (path, message) in _bad_files(tmp_path, anki_files.legacy_apkg, other).items():
        result = cli("import-anki", str(path))
        assert result.exit_code == 1, case
        assert message in result.output and result.output.count("\n") == 1, (case,
                                                                              result.output)
        assert dump(db_path) == before, case


def test_a_deck_name_studylog_uses_is_refused_whole(anki_files: AnkiFiles, store: Store,
                                                    tmp_path: Path) -> None:
    deck = tmp_path / "pytorch.md"
    deck.write_text("---\ndeck: PyTorch\n---\n\n## Tensors\n\nn-d arrays\n")
    from studylog.core.cards.deck_library import add_deck

    add_deck(store, deck)
    before = dump(store.path)
    with pytest.raises(AnkiImportError, match="already has a deck named 'PyTorch'"):
        import_anki(store, anki_files.modern_apkg)
    assert dump(store.path) == before  # Languages::Korean was not written either


def test_huge_member_header_is_refused_before_unpacking(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    monkeypatch.setattr(package_file, "MAX_COLLECTION_BYTES", 1 << 10)
    path = _zip(tmp_path / "big.apkg", {"collection.anki2": b"x" * 5000})
    with pytest.raises(AnkiImportError, match="refused"), \
            package_file.collection_copy(path):
        pass


# -- review history (issue 21, deliverable 4): Anki's revlog and schedule come along --

def answer(col: Collection, card_id: int, ease: int) -> None:
    """Grade a card in Anki the way its reviewer does."""
    card = col.get_card(card_id)
    card.start_timer()
    states = col._backend.get_scheduling_states(card.id)
    col.sched.answer_card(col.sched.build_answer(card=card, states=states, rating=ease - 1))


def reviewed_collection(folder: Path, fsrs_on: bool) -> tuple[Collection, int]:
    """A collection whose first note's card was graded Good, Good, Again, Good."""
    col, _ = make_collection(folder)
    col.set_config("fsrs", fsrs_on)
    card_id = col.find_cards("안녕하세요")[0]
    for ease in (3, 3, 1, 3):
        answer(col, card_id, ease)
    col.sched.suspend_cards([col.find_cards("감사합니다")[0]])
    return col, card_id


def export(col: Collection, path: Path, legacy: bool) -> Path:
    col.export_anki_package(out_path=str(path), limit=None, options=ExportAnkiPackageOptions(
        with_scheduling=True, with_media=False, legacy=legacy))
    return path


@pytest.mark.parametrize("legacy", [True, False])
def test_anki_reviews_and_schedule_come_along(tmp_path: Path, store: Store,
                                              legacy: bool) -> None:
    col, anki_card = reviewed_collection(tmp_path / "col", fsrs_on=True)
    package = export(col, tmp_path / "reviewed.apkg", legacy)
    card = col.get_card(anki_card)
    revlog = col.db.all("SELECT id, ease, time FROM revlog WHERE cid = ? ORDER BY id",
                        anki_card)
    due_start = col.sched.day_cutoff + (card.due - col.sched.today - 1) * 86400
    memory = card.memory_state
    col.close()
    report = import_anki(store, package)
    assert report.reviews == len(revlog) == 4
    row = store.query("SELECT * FROM cards WHERE front = '**안녕하세요**'")[0]
    assert (row["state"], row["reps"], row["lapses"]) == ("review", 4, 1)
    assert from_iso(row["due"]) == datetime.fromtimestamp(due_start, UTC)
    assert row["stability"] == pytest.approx(memory.stability, abs=1e-3)
    assert row["difficulty"] == pytest.approx(memory.difficulty, abs=1e-3)
    log = store.query("SELECT rating, reviewed_at, duration_ms, state_before FROM review_log "
                      "WHERE card_id = ? ORDER BY reviewed_at", [row["id"]])
    assert [r["rating"] for r in log] == [e for _, e, _ in revlog] == [3, 3, 1, 3]
    assert [from_iso(r["reviewed_at"]) for r in log] == [
        datetime.fromtimestamp(i / 1000, UTC) for i, _, _ in revlog]
    assert [r["duration_ms"] for r in log] == [t for _, _, t in revlog]
    assert [r["state_before"] for r in log] == ["new", "learning", "review", "relearning"]
    chain = store.query("SELECT reps_before, lapses_before, last_review_before, due_before, "
                        "due_after, state_after FROM review_log WHERE card_id = ? "
                        "ORDER BY reviewed_at", [row["id"]])
    assert [r["reps_before"] for r in chain] == [0, 1, 2, 3]
    assert [r["lapses_before"] for r in chain] == [0, 0, 0, 1]
    assert chain[0]["last_review_before"] is None and chain[0]["due_before"] is None
    assert [r["last_review_before"] for r in chain[1:]] == [i * 1000 for i, _, _ in revlog[:3]]
    assert [r["due_before"] for r in chain[1:]] == [r["due_after"] for r in chain[:3]]
    assert chain[2]["state_after"] == "relearning" and chain[3]["state_after"] == "review"
    assert store.value("SELECT suspended FROM cards WHERE front = '감사합니다'") == 1
    # importing again brings no review twice
    assert import_anki(store, package).reviews == 0
    assert store.value("SELECT count(*) FROM review_log") == 4


def test_sm2_history_is_replayed_and_the_schedule_goes_on(tmp_path: Path,
                                                          store: Store) -> None:
    col, anki_card = reviewed_collection(tmp_path / "col", fsrs_on=False)
    # no FSRS memory state in Anki's card: studylog replays the reviews
    assert '"s"' not in col.db.scalar("SELECT data FROM cards WHERE id = ?", anki_card)
    package = export(col, tmp_path / "sm2.apkg", legacy=False)
    col.close()
    import_anki(store, package)
    row = store.query("SELECT * FROM cards WHERE front = '**안녕하세요**'")[0]
    assert row["state"] == "review" and row["stability"] > 0
    assert 1 <= row["difficulty"] <= 10
    logged = store.query("SELECT rating FROM review_log WHERE card_id = ? "
                         "ORDER BY reviewed_at", [row["id"]])
    assert [r["rating"] for r in logged] == [3, 3, 1, 3]
    due = from_iso(row["due"])
    result = record_review(store, row["id"], "good", now=due + timedelta(hours=1))
    assert result.state == "review" and result.stability > row["stability"]
    assert from_iso(result.due) > due + timedelta(days=1)


def test_new_anki_reviews_are_added_on_the_next_import(tmp_path: Path,
                                                       store: Store) -> None:
    col, anki_card = reviewed_collection(tmp_path / "col", fsrs_on=True)
    import_anki(store, export(col, tmp_path / "one.apkg", legacy=False))
    answer(col, anki_card, 4)
    second = export(col, tmp_path / "two.apkg", legacy=False)
    due = col.get_card(anki_card).due
    due_start = col.sched.day_cutoff + (due - col.sched.today - 1) * 86400
    col.close()
    assert import_anki(store, second).reviews == 1
    row = store.query("SELECT * FROM cards WHERE front = '**안녕하세요**'")[0]
    assert row["reps"] == 5 and from_iso(row["due"]) == datetime.fromtimestamp(due_start, UTC)
    assert store.value("SELECT count(*) FROM review_log WHERE card_id = ?", [row["id"]]) == 5


def test_a_card_you_deleted_stays_deleted(anki_files: AnkiFiles, store: Store) -> None:
    from studylog.core.cards.card_deletion import delete_cards

    import_anki(store, anki_files.legacy_colpkg)
    gone = store.value("SELECT id FROM cards WHERE front = '감사합니다'")
    delete_cards(store, [gone])
    again = import_anki(store, anki_files.modern_colpkg)
    assert (again.new_cards, again.skipped_notes, again.unchanged_cards) == (0, 1, 3)
    assert store.value("SELECT count(*) FROM cards WHERE front = '감사합니다'") == 0


def test_a_revlog_of_another_shape_is_refused_with_nothing_written(
        anki_files: AnkiFiles, tmp_path: Path, store: Store) -> None:
    collection = tmp_path / "collection.anki21"
    collection.write_bytes(zipfile.ZipFile(anki_files.legacy_apkg).read("collection.anki21"))
    conn = sqlite3.connect(collection)
    conn.executescript("DROP TABLE revlog; CREATE TABLE revlog (id INTEGER PRIMARY KEY, "
                       "cid INTEGER, ease TEXT);")
    conn.close()
    odd = _zip(tmp_path / "odd.apkg", {"collection.anki21": collection.read_bytes()})
    before = dump(store.path)
    with pytest.raises(AnkiImportError, match="review log cannot be read"):
        import_anki(store, odd)
    assert dump(store.path) == before
    assert import_anki(store, anki_files.legacy_apkg).new_cards == 4  # still usable
