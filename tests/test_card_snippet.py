"""Any card can be given a snippet (issue 15, items 2 and 3): ``studylog card snippet
CARD_ID FILE`` (``-`` for standard input) writes the card's own snippet, which runs as
the learner's on a card of any deck, comes first in ``cards --json``'s snippets (kind
"card"), survives re-import and a rebuilt back, and is undoable; an added deck's snippet
keeps its deck's trust."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studylog.core.cards.card_snippet import predict_block, save_card_snippet
from studylog.core.cards.deck_library import add_deck
from studylog.core.cards.snippet_trust import UntrustedDeck, runs_confined, snippet_to_run
from studylog.core.journal.importer import import_logs
from studylog.core.storage.database import Store

NO_CODE_DAY = """\
## 2024-07-01 (월)
배치를 어떻게 묶는지 정리했다. 길이가 다른 시퀀스는 패딩해야 한다.

키워드: 패딩
"""

NO_CODE_DAY_REWRITTEN = NO_CODE_DAY.replace("패딩해야 한다.", "패딩해야 한다. pad_sequence!")

SNIPPET = """\
batch = [[1, 2], [3]]
width = max(len(row) for row in batch)
print([row + [0] * (width - len(row)) for row in batch])
"""

BORROWED = """---
deck: Borrowed
---
## Padding
Someone else's card, with a snippet.

```python snippet
print("borrowed padding")
```

## Masks
Someone else's card, without one.
"""


def journal_card(store: Store, key: str) -> int:
    card_id: int = store.value("SELECT c.id FROM cards c JOIN decks d ON d.id = c.deck_id "
                               "WHERE d.kind = 'journal' AND c.key = ?", [key])
    return card_id


def listed(cli, card_id: int) -> dict:
    return {c["id"]: c for c in json.loads(cli("cards", "--json").stdout)}[card_id]


@pytest.fixture
def collate_card(store: Store, tmp_path: Path) -> int:
    log = tmp_path / "july.md"
    log.write_text(NO_CODE_DAY, encoding="utf-8")
    assert not import_logs(store, [log]).refused
    return journal_card(store, "패딩")


def test_a_card_without_code_gets_a_snippet_from_a_file_and_runs_it(
        store, tmp_path, cli, collate_card):
    assert listed(cli, collate_card)["snippets"] == []
    code = tmp_path / "pad.py"
    code.write_text(SNIPPET, encoding="utf-8")
    saved = cli("card", "snippet", str(collate_card), str(code))
    assert saved.exit_code == 0, saved.stderr
    assert "snippet saved (3 line(s))" in saved.stdout
    card = listed(cli, collate_card)
    assert card["snippet"] == "패딩 · card"
    assert card["snippets"] == [{"kind": "card", "name": "패딩 · card",
                                 "first_line": "batch = [[1, 2], [3]]"}]
    run = cli("run", str(collate_card))
    assert run.exit_code == 0, run.stderr
    assert run.stdout.strip() == "[[1, 2], [3, 0]]"
    own = [s for s in json.loads(cli("snippets", "--json").stdout) if s["kind"] == "card"]
    assert [(s["card_id"], s["name"]) for s in own] == [(collate_card, "패딩 · card")]


def test_standard_input_and_crlf(store, cli, collate_card):
    saved = cli("card", "snippet", str(collate_card), "-", input="x = 41\r\nprint(x + 1)\r\n")
    assert saved.exit_code == 0, saved.stderr
    assert store.value("SELECT code FROM card_code WHERE card_id = ?",
                       [collate_card]) == "x = 41\nprint(x + 1)\n"
    assert cli("run", str(collate_card)).stdout.strip() == "42"


def test_it_survives_re_import_and_a_rebuilt_back(store, tmp_path, cli, collate_card):
    assert save_card_snippet(store, collate_card, SNIPPET) == "saved"
    back_before = store.value("SELECT back FROM cards WHERE id = ?", [collate_card])
    log = tmp_path / "july.md"
    log.write_text(NO_CODE_DAY_REWRITTEN, encoding="utf-8")
    assert not import_logs(store, [log]).refused
    back_after = store.value("SELECT back FROM cards WHERE id = ?", [collate_card])
    assert back_after != back_before and "pad_sequence!" in back_after  # rebuilt
    assert journal_card(store, "패딩") == collate_card
    assert store.value("SELECT code FROM card_code WHERE card_id = ?", [collate_card]) == SNIPPET
    assert listed(cli, collate_card)["snippets"][0]["kind"] == "card"


def test_undo_puts_the_old_snippet_back_then_removes_it(store, cli, collate_card):
    cli("card", "snippet", str(collate_card), "-", input="print('one')\n")
    cli("card", "snippet", str(collate_card), "-", input="print('two')\n")
    code = "SELECT code FROM card_code WHERE card_id = ?"
    assert store.value(code, [collate_card]) == "print('two')\n"
    undone = cli("undo")
    assert undone.exit_code == 0 and "Undid snippet edit of “패딩”" in undone.stdout
    assert store.value(code, [collate_card]) == "print('one')\n"
    assert cli("undo").exit_code == 0
    assert store.value(code, [collate_card]) is None
    removed = cli("card", "snippet", str(collate_card), "--remove")
    assert "nothing changed" in removed.stdout


@pytest.mark.parametrize("args,content,error", [
    (["{card}", "{tmp}/empty.py"], b"  \n\n", "the snippet is empty"),
    (["{card}", "{tmp}/missing.py"], None, "missing.py: No such file or directory"),
    (["{card}", "{tmp}/binary.py"], b"\x00\x01\x02print(1)", "binary file"),
    (["999999", "{tmp}/ok.py"], b"print(1)\n", "no card with id 999999"),
    (["abc", "{tmp}/ok.py"], b"print(1)\n", "card id must be a number"),
    (["{card}"], None, "give a FILE"),
])
def test_bad_input_is_one_line_and_changes_nothing(store, tmp_path, cli, collate_card,
                                                   args, content, error):
    save_card_snippet(store, collate_card, "print('kept')\n")
    for name in ("empty.py", "binary.py", "ok.py"):
        if content is not None:
            (tmp_path / name).write_bytes(content)
    argv = [a.format(card=collate_card, tmp=tmp_path) for a in args]
    result = cli("card", "snippet", *argv)
    assert result.exit_code == 1
    assert result.stderr.strip().startswith("error:") and error in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert store.value("SELECT code FROM card_code WHERE card_id = ?",
                       [collate_card]) == "print('kept')\n"


def test_own_code_on_an_added_decks_card_runs_as_the_learners(store, tmp_path, cli):
    deck = tmp_path / "borrowed.md"
    deck.write_text(BORROWED, encoding="utf-8")
    add_deck(store, deck)  # untrusted
    masks = store.value("SELECT id FROM cards WHERE front = 'Masks'")
    padding = store.value("SELECT id FROM cards WHERE front = 'Padding'")
    cli("card", "snippet", str(masks), "-", input="print('mine, on their card')\n")
    mine = snippet_to_run(store, card_id=masks)
    assert (mine.kind, mine.trusted, runs_confined(mine)) == ("card", True, False)
    run = cli("run", str(masks))
    assert run.exit_code == 0 and run.stdout.strip() == "mine, on their card"
    # their snippet, on their card beside mine, still asks
    cli("card", "snippet", str(padding), "-", input="print('mine too')\n")
    assert [s["kind"] for s in listed(cli, padding)["snippets"]] == ["card", "deck"]
    assert cli("run", str(padding)).stdout.strip() == "mine too"
    with pytest.raises(UntrustedDeck):
        snippet_to_run(store, card_id=padding, block=2)
    refused = cli("run", str(padding), "--block", "2")
    assert refused.exit_code == 1 and "not trusted" in refused.stderr
    # and re-adding the deck (an update) leaves the learner's snippets alone
    deck.write_text(BORROWED.replace("without one.", "without one, edited."),
                    encoding="utf-8")
    add_deck(store, deck)
    assert cli("run", str(masks)).stdout.strip() == "mine, on their card"


def test_a_decks_snippet_cannot_become_the_learners_through_predict(store, tmp_path):
    """Turning a block into a predict question copies it into the card's own snippet:
    a deck's code must never take that way into running as the learner's."""
    from studylog.core.cards.card_editing import CardError

    deck = tmp_path / "borrowed.md"
    deck.write_text(BORROWED, encoding="utf-8")
    add_deck(store, deck)
    padding = store.value("SELECT id FROM cards WHERE front = 'Padding'")
    with pytest.raises(CardError, match="only your own code"):
        predict_block(store, padding, 1)
    assert store.value("SELECT COUNT(*) FROM card_code") == 0


def test_it_survives_export_json_and_import_json_into_another_journal(
        store, tmp_path, cli, collate_card):
    from click.testing import CliRunner

    from studylog.cli import cli as studylog_cli

    cli("card", "snippet", str(collate_card), "-", input=SNIPPET)
    assert cli("card", "predict", str(collate_card)).exit_code == 0
    out, fresh = tmp_path / "journal.json", tmp_path / "other.sqlite3"
    exported = cli("export", "json", str(out))
    assert exported.exit_code == 0, exported.stderr
    assert SNIPPET in json.loads(out.read_text(encoding="utf-8"))["tables"]["card_code"]["code"]
    imported = CliRunner().invoke(studylog_cli, ["--db", str(fresh), "import-json", str(out)])
    assert imported.exit_code == 0, imported.output
    with Store(fresh) as other:
        assert other.query("SELECT card_id, code, predict FROM card_code") == [
            {"card_id": collate_card, "code": SNIPPET, "predict": 1}]
    ran = CliRunner().invoke(studylog_cli, ["--db", str(fresh), "run", str(collate_card)])
    assert ran.exit_code == 0 and ran.stdout.strip() == "[[1, 2], [3, 0]]"
