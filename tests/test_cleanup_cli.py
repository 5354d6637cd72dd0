"""The delete and rename commands (issue 16, deliverable 5), each with ``--json``, and
``studylog undo`` reversing them; bad input is one line on stderr with nothing changed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

LOG = """---
title: Week 3
---
Day 11 (03/11)
---
Learned how **broadcasting** stretches a (3, 1) tensor against a (1, 4) one.

Keywords: Broadcasting, Stride

Day 12 (03/12)
---
오늘은 stride와 view의 관계를 정리했다.

+ ##### 키워드: Stride, View
"""


@pytest.fixture
def imported(cli, tmp_path: Path):
    log = tmp_path / "2024-week3.md"
    log.write_text(LOG, encoding="utf-8")
    result = cli("import", str(log), "--year", "2024")
    assert result.exit_code == 0, result.output
    return log


def _cards(cli) -> dict[str, dict]:
    return {c["front"]: c for c in json.loads(cli("cards", "--deck", "journal",
                                                  "--json").output)}


def test_day_delete_json_then_orphans_then_undo(cli, imported):
    result = cli("day", "delete", "2024-03-11", "--json")
    assert result.exit_code == 0
    done = json.loads(result.output)
    assert (done["date"], done["orphaned"]) == ("2024-03-11", ["Broadcasting"])
    orphans = json.loads(cli("orphans", "--json").output)
    assert [o["front"] for o in orphans] == ["Broadcasting"]
    assert cli("orphans", "--suspend", "--json").output.count("Broadcasting") == 1
    assert _cards(cli)["Broadcasting"]["suspended"] is True
    undone = json.loads(cli("undo", "--json").output)
    assert undone["action"] == "suspend orphans"
    assert _cards(cli)["Broadcasting"]["suspended"] is False
    deleted = json.loads(cli("orphans", "--delete", "--json").output)
    assert [d["front"] for d in deleted["deleted"]] == ["Broadcasting"]
    assert "Broadcasting" not in _cards(cli)
    assert json.loads(cli("undo", "--json").output)["action"] == "delete card"
    assert json.loads(cli("undo", "--json").output)["action"] == "delete day"
    dates = [e["date"] for e in json.loads(cli("entries", "--json").output)]
    assert dates == ["2024-03-11", "2024-03-12"]
    assert _cards(cli)["Broadcasting"]["orphaned"] is False


def test_card_delete_and_merge_json(cli, imported):
    cards = _cards(cli)
    cli("grade", str(cards["View"]["id"]), "good")
    merged = json.loads(cli("card", "merge", str(cards["Stride"]["id"]),
                            str(cards["View"]["id"]), "--json").output)
    assert merged["history_from"] == cards["View"]["id"]
    assert merged["sources"] == 2
    after = _cards(cli)
    assert "View" not in after and after["Stride"]["state"] == "learning"
    deleted = json.loads(cli("card", "delete", str(cards["Stride"]["id"]), "--json").output)
    assert deleted["reviews_kept"] == 1


def test_keyword_rename_json_changes_the_day_text(cli, imported):
    stride = _cards(cli)["Stride"]["id"]
    result = cli("keyword", "rename", "stride", "Strides", "--json")
    assert json.loads(result.output) == {"old": "Stride", "new": "Strides",
                                         "card_ids": [stride],
                                         "days": ["2024-03-11", "2024-03-12"],
                                         "files": []}  # write-back is off
    bodies = {e["date"]: e["body"] for e in json.loads(cli("entries", "--json").output)}
    assert "Keywords: Broadcasting, Strides" in bodies["2024-03-11"]
    assert "+ ##### 키워드: Strides, View" in bodies["2024-03-12"]
    assert "stride와 view의 관계" in bodies["2024-03-12"]


def test_reimport_says_a_deleted_day_was_left_out(cli, imported):
    cli("day", "delete", "2024-03-12")
    imported.write_text(LOG + "\nDay 13 (03/13)\n---\n오늘은 쉬었다.\n", encoding="utf-8")
    result = cli("import", str(imported), "--year", "2024")
    assert "1 you deleted left out (2024-03-12" in result.output
    report = json.loads(cli("import", str(imported), "--year", "2024", "--json").output)
    assert report["files"][0]["status"] == "unchanged"


@pytest.mark.parametrize("args, message", [
    (("day", "delete", "03/12"), "error: DATE must be YYYY-MM-DD, got '03/12'"),
    (("day", "delete", "2024-03-20"), "error: no day 2024-03-20 in the journal"),
    (("card", "delete", "abc"), "error: card id must be a number, got 'abc'"),
    (("card", "delete", "77777"), "error: no card with id 77777"),
    (("card", "merge", "1", "1"), "error: a card cannot be merged with itself"),
    (("keyword", "rename", "Nothing", "Else"), "error: no keyword “Nothing” in the journal"),
    (("keyword", "rename", "Stride", ""),
     "error: the new name is empty: give the keyword's new name"),
    (("keyword", "rename", "Stride", "  \t "),
     "error: the new name is empty: give the keyword's new name"),
    (("orphans", "--suspend", "--delete"), "error: give --suspend or --delete, not both"),
])
def test_bad_input_is_one_line_and_changes_nothing(db_path, imported, args, message):
    # a real subprocess: the exit status and stderr a script sees
    def run(*argv: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "studylog", "--db", str(db_path), *argv],
                              capture_output=True, text=True, timeout=120)

    before = run("entries", "--json").stdout + run("cards", "--json").stdout
    result = run(*args)
    assert result.returncode == 1
    assert result.stderr.strip() == message
    assert run("entries", "--json").stdout + run("cards", "--json").stdout == before
