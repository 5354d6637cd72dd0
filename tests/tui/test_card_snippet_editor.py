"""The card view's snippet editor (issue 15, items 2 and 3): ``w`` writes a snippet for
any card, ctrl+s saves it with the card (undoable with ``u``), and it runs as the
learner's, and survives re-import and a backup restored elsewhere; an added deck's
snippet edited here stays that deck's, asking for trust and running confined. Real app,
real keys, real runner, real database file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from tui_helpers import make, notifications, screen_text, wait_until

from studylog.cli import cli
from studylog.core.cards.deck_library import add_deck
from studylog.core.journal.importer import import_logs
from studylog.core.storage.database import Store
from studylog.tui.dialogs.confirm_dialog import ConfirmDialog
from studylog.tui.screens.card_screen import CardScreen
from studylog.tui.widgets.snippet_panel import SnippetPanel

DAY = """\
## 2024-07-08 (월)
Attention mask 는 패딩 위치를 -inf 로 막는다. 코드는 아직 안 썼다.

키워드: Attention mask
"""

DAY_LATER = DAY + """
## 2024-07-09
Attention mask again: causal masks are lower-triangular.

Keywords: Attention mask
"""

CODE_DAY = """\
## 2024-07-10
Zip walks two lists together:

```python
print(list(zip([1, 2], "ab")))
```

Keywords: Zip
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


@pytest.fixture
def store(tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "july.md").write_text(DAY, encoding="utf-8")
    (logs / "zip.md").write_text(CODE_DAY, encoding="utf-8")
    deck = tmp_path / "borrowed.md"
    deck.write_text(BORROWED, encoding="utf-8")
    s = Store(tmp_path / "editor.sqlite3")
    assert not import_logs(s, sorted(logs.iterdir())).refused
    add_deck(s, deck)  # untrusted
    yield s
    s.close()


def card_id(store: Store, front: str) -> int:
    found: int = store.value("SELECT id FROM cards WHERE front = ?", [front])
    return found


def own_code(store: Store, card: int) -> str | None:
    code: str | None = store.value("SELECT code FROM card_code WHERE card_id = ?", [card])
    return code


async def open_card(pilot, card: int) -> SnippetPanel:
    pilot.app.action_open_card(card)
    await pilot.pause()
    assert isinstance(pilot.app.screen, CardScreen)
    return pilot.app.screen.query_one(SnippetPanel)


def studylog(db: Path, *args: str):
    """The real ``studylog`` command on the database ``db``."""
    return CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)


def app_on(store: Store):
    return make(store, runner_preload=(), warm_runner=True)


async def test_w_writes_a_snippet_for_a_card_without_code_then_u_undoes_it(store, tmp_path):
    card = card_id(store, "Attention mask")
    async with app_on(store).run_test(size=(180, 40)) as pilot:
        app = pilot.app
        panel = await open_card(pilot, card)
        assert not panel.display
        await wait_until(pilot, lambda: "Write snippet" in screen_text(app), timeout=10)
        await pilot.press("w")
        await pilot.pause()
        assert panel.display and app.focused.id == "snippet-code" and panel.code == ""
        await pilot.press(*'print("mask", 6 * 7)')
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert own_code(store, card) == 'print("mask", 6 * 7)'
        app.screen.query_one("#card-back").focus()
        await pilot.press("r")
        await wait_until(pilot, lambda: panel.result is not None)
        assert not isinstance(app.screen, ConfirmDialog)  # the learner's code never asks
        assert panel.lines == [("stdout", "mask 42")] and not panel.confined
        assert panel.border_title == "snippet Attention mask · card"
        await pilot.press("u")
        await pilot.pause()
        assert own_code(store, card) is None and not panel.display
        assert any("Undid snippet edit" in n for n in notifications(app))
        await pilot.press("w", *"print(1)", "ctrl+s")  # written again, kept this time
        await pilot.pause()
    assert own_code(store, card) == "print(1)"
    # a later day rebuilds the back on import: the snippet stays
    (tmp_path / "logs" / "july.md").write_text(DAY_LATER, encoding="utf-8")
    assert not import_logs(store, [tmp_path / "logs" / "july.md"]).refused
    assert "causal" in store.value("SELECT back FROM cards WHERE id = ?", [card])
    assert own_code(store, card) == "print(1)"
    # and a backup restored into another journal brings it along, running as the learner's
    backup, other = tmp_path / "backup.sqlite3", tmp_path / "other.sqlite3"
    assert studylog(store.path, "backup", str(backup)).exit_code == 0
    restored = studylog(other, "restore", str(backup))
    assert restored.exit_code == 0, restored.stderr
    cards = {c["id"]: c for c in json.loads(studylog(other, "cards", "--json").stdout)}
    assert cards[card]["snippets"][0] == {"kind": "card", "name": "Attention mask · card",
                                          "first_line": "print(1)"}
    ran = studylog(other, "run", str(card))
    assert ran.exit_code == 0 and ran.stdout.strip() == "1"


async def test_an_added_decks_snippet_edited_here_stays_theirs(store):
    card = card_id(store, "Padding")
    async with app_on(store).run_test(size=(180, 40)) as pilot:
        app = pilot.app
        panel = await open_card(pilot, card)
        assert "untrusted" in panel.border_title
        panel.query_one("#snippet-code").focus()
        await pilot.press("f7", *'print("edited padding")')  # select all, type over it
        await pilot.press("ctrl+s")
        await pilot.pause()
        row = store.query("SELECT s.code, s.edited, d.name FROM snippets s JOIN decks d "
                          "ON d.id = s.deck_id WHERE s.name = 'padding'")[0]
        assert row == {"code": 'print("edited padding")', "edited": 1, "name": "Borrowed"}
        assert own_code(store, card) is None  # not laundered into the learner's code
        app.screen.query_one("#card-back").focus()
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog) and not panel.running  # still asks
        await pilot.press("enter")  # Trust deck and run
        await wait_until(pilot, lambda: panel.result is not None)
        assert panel.confined and ("stdout", "edited padding") in panel.lines
        await pilot.press("u")  # the edit is undoable too
        await pilot.pause()
        assert panel.code == 'print("borrowed padding")\n'
    assert store.query("SELECT code, edited FROM snippets WHERE name = 'padding'") == [
        {"code": 'print("borrowed padding")\n', "edited": 0}]


async def test_code_written_on_an_untrusted_decks_card_runs_as_the_learners(store):
    card = card_id(store, "Masks")
    async with app_on(store).run_test(size=(180, 40)) as pilot:
        app = pilot.app
        panel = await open_card(pilot, card)
        await pilot.press("w", *'print("mine")', "ctrl+r")
        await wait_until(pilot, lambda: panel.result is not None)
        assert not isinstance(app.screen, ConfirmDialog)
        assert panel.trusted and not panel.confined and panel.lines == [("stdout", "mine")]
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert own_code(store, card) == 'print("mine")'
    assert store.value("SELECT trusted FROM decks WHERE name = 'Borrowed'") == 0


async def test_a_block_of_the_log_edited_here_becomes_the_cards_own(store):
    card = card_id(store, "Zip")
    async with app_on(store).run_test(size=(180, 40)) as pilot:
        app = pilot.app
        panel = await open_card(pilot, card)
        assert panel.border_title == "snippet Zip #1"
        panel.query_one("#snippet-code").focus()
        await pilot.press("f7", *'print(dict(zip("ab", [1, 2])))', "ctrl+s")
        await pilot.pause()
        assert panel.border_title == "snippet Zip · card"
        assert "block 1 of 2" in str(panel.border_subtitle)  # the log's block stays
        assert any("your log is unchanged" in n for n in notifications(app))
    assert own_code(store, card) == 'print(dict(zip("ab", [1, 2])))'
    assert "print(list(zip([1, 2], \"ab\")))" in store.value(
        "SELECT back FROM cards WHERE id = ?", [card])
