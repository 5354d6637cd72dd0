"""What a new user met walking through the CLI: an empty journal folder taken for the
current one, exports replacing files without asking, ``-`` taken for a file name, a
folder called a missing file, ``unsuspend`` claiming work it did not do, and
"1 reviews on 1 days". Each is a one-line ``error: ...``, exit 1 and nothing written, or
an honest sentence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

# an English log in a plain style (the fixture is Korean), to have cards of both kinds
ENGLISH_LOG = """---
date: 2024-03-04
---
Read about broadcasting today; shapes line up from the right.

keywords: Broadcasting, Stride
"""


@pytest.fixture
def journal(cli, fixture_log: Path, tmp_path: Path) -> Path:
    """The Korean fixture week and one English day imported; returns a folder for output."""
    english = tmp_path / "2024-03-04.md"
    english.write_text(ENGLISH_LOG, encoding="utf-8")
    result = cli("import", str(fixture_log), str(english), "--year", "2023")
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    out.mkdir()
    return out


def one_line_error(result, *words: str) -> None:
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    for word in words:
        assert word in lines[0], lines[0]


def test_an_empty_journal_folder_is_refused_and_points_at_off(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # "" used to become Path("") == ".", this folder
    for text in ("", "   "):
        one_line_error(cli("journal-folder", text), "no folder given", "--off")
    assert json.loads(cli("write-back", "--json").output)["folder"] is None
    assert cli("journal-folder", str(tmp_path / "일지")).exit_code == 0
    one_line_error(cli("journal-folder", ""), "--off")
    assert json.loads(cli("write-back", "--json").output)["folder"] == str(tmp_path / "일지")
    assert cli("journal-folder", "--off").exit_code == 0
    assert json.loads(cli("write-back", "--json").output)["folder"] is None


@pytest.mark.parametrize("kind,name", [("apkg", "cards.apkg"), ("anki-txt", "cards.txt"),
                                       ("json", "journal.json")])
def test_every_file_export_refuses_an_existing_file_unless_force(cli, journal, kind, name):
    target = journal / name
    target.write_text("내 파일 — keep me\n", encoding="utf-8")
    one_line_error(cli("export", kind, str(target)), "exists", "--force")
    assert target.read_text(encoding="utf-8") == "내 파일 — keep me\n"
    assert sorted(p.name for p in journal.iterdir()) == [name]  # no partial file left
    result = cli("export", kind, str(target), "--force")
    assert result.exit_code == 0, result.output
    assert target.read_bytes() != "내 파일 — keep me\n".encode()
    assert target.stat().st_size > 100


def test_export_md_takes_the_same_force_option(cli, journal):
    (journal / "notes.txt").write_text("mine", encoding="utf-8")
    one_line_error(cli("export", "md", str(journal), "--per", "day"), "not empty", "--force")
    assert sorted(p.name for p in journal.iterdir()) == ["notes.txt"]
    result = cli("export", "md", str(journal), "--per", "day", "--force")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in journal.iterdir())
    assert "notes.txt" in names and "2024-03-04.md" in names and "2023-11-13.md" in names
    assert (journal / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_anki_txt_to_dash_writes_standard_output(cli, journal, monkeypatch):
    monkeypatch.chdir(journal)
    result = cli("export", "anki-txt", "-")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("#separator:tab\n#html:true\n")
    assert "Broadcasting" in result.output and "Contiguous" in result.output
    assert list(journal.iterdir()) == []  # no file named "-"
    one_line_error(cli("export", "anki-txt", "-", "--json"), "give a file name")
    one_line_error(cli("export", "anki-txt", "-", "--deck", "없는 덱"), "no deck named")
    for kind in ("apkg", "json"):
        one_line_error(cli("export", kind, "-"), "standard output")
    assert list(journal.iterdir()) == []


def test_import_anki_names_a_folder_and_a_device(cli, tmp_path):
    before = json.loads(cli("cards", "--json").output)
    one_line_error(cli("import-anki", str(tmp_path)), "is a folder")
    one_line_error(cli("import-anki", "/dev/zero"), "is not a regular file")
    one_line_error(cli("import-anki", str(tmp_path / "없음.apkg")), "no file")
    assert json.loads(cli("cards", "--json").output) == before


def test_unsuspend_and_suspend_say_when_nothing_changed(cli, journal):
    cards = json.loads(cli("cards", "--deck", "journal", "--json").output)
    card = next(c["id"] for c in cards if c["front"] == "Broadcasting")
    result = cli("unsuspend", str(card))
    assert result.exit_code == 0
    assert result.output.strip() == f"card {card} was not suspended: nothing changed"
    assert cli("suspend", str(card)).output.strip() == f"card {card} suspended"
    again = cli("suspend", str(card))
    assert again.exit_code == 0
    assert again.output.strip() == f"card {card} was already suspended: nothing changed"
    # the no-ops recorded no action: one undo takes the one suspend back
    assert cli("undo").exit_code == 0
    listed = {c["id"]: c for c in json.loads(cli("cards", "--json").output)}
    assert listed[card]["suspended"] is False
    assert cli("undo").exit_code == 1  # nothing else to undo


def test_stats_says_one_review_on_one_day(cli, journal):
    card = json.loads(cli("due", "--deck", "journal", "--json").output)["cards"][0]["id"]
    assert cli("grade", str(card), "good").exit_code == 0
    text = cli("stats").output
    assert "Last year: 1 review on 1 day\n" in text
    assert ": 1 review · 0 again" in text
    assert "1 reviews" not in text and "1 days" not in text
    assert cli("grade", str(card), "good").exit_code == 0
    assert "Last year: 2 reviews on 1 day\n" in cli("stats").output
