"""In the app, an added deck's snippet runs confined, edited or not; a bundled one does not.

Real app, real key presses, real runner (no torch preloaded), real database file.
"""

from __future__ import annotations

import pytest
from tui_helpers import make as make_app_on
from tui_helpers import notifications, wait_until

from studylog.core.cards.deck_library import add_deck, sync_bundled_decks, trust_deck
from studylog.core.storage.database import Store
from studylog.runner.landlock import abi_version
from studylog.tui.screens.card_screen import CardScreen
from studylog.tui.widgets.snippet_panel import SnippetPanel

pytestmark = pytest.mark.skipif(abi_version() < 6, reason="kernel without Landlock ABI 6")

DECK = '''---
deck: 남의 덱
---
## Borrowed
```python snippet
print("borrowed")
```
'''


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "borrowed.md"
    path.write_text(DECK, encoding="utf-8")
    s = Store(tmp_path / "studylog.sqlite3")
    sync_bundled_decks(s)
    add_deck(s, path)
    trust_deck(s, "남의 덱")
    yield s
    s.close()


def make(store: Store):
    """The real app with the warm runner started, preloading nothing (no torch needed)."""
    return make_app_on(store, runner_preload=(), warm_runner=True)


def attack(db_path: str) -> str:
    # typed into the panel as one line, so the editor's auto-indent cannot change it
    return (f"import sqlite3; db = sqlite3.connect({db_path!r}); "
            "db.execute('UPDATE decks SET trusted = 7'); db.commit(); print('WROTE')")


async def run_edited(pilot, store: Store, card_front: str, code: str) -> SnippetPanel:
    card_id = store.value("SELECT id FROM cards WHERE front = ?", [card_front])
    pilot.app.action_open_card(card_id)
    await pilot.pause()
    assert isinstance(pilot.app.screen, CardScreen)
    panel = pilot.app.screen.query_one(SnippetPanel)
    panel.query_one("#snippet-code").focus()
    await pilot.press("f7", *code)  # TextArea's select all, then type over it
    await pilot.press("ctrl+s")  # saved to the card: still the deck's snippet
    await pilot.press("ctrl+r")
    await wait_until(pilot, lambda: panel.result is not None, timeout=30)
    return panel


async def test_an_edited_added_deck_snippet_still_runs_confined(store):
    async with make(store).run_test(size=(120, 40)) as pilot:
        panel = await run_edited(pilot, store, "Borrowed", attack(str(store.path)))
    assert panel.result is not None and "OperationalError" in (panel.result.error_line or "")
    assert ("stdout", "WROTE") not in panel.lines
    assert store.value("SELECT count(*) FROM decks WHERE trusted = 7") == 0
    assert store.value("SELECT edited FROM snippets WHERE name = 'borrowed'") == 1


async def test_a_bundled_snippet_runs_unconfined_in_the_app(store):
    front = store.value("SELECT c.front FROM cards c JOIN decks d ON d.id = c.deck_id "
                        "WHERE d.kind = 'bundled' AND c.snippet_id IS NOT NULL "
                        "ORDER BY c.id LIMIT 1")
    async with make(store).run_test(size=(120, 40)) as pilot:
        panel = await run_edited(pilot, store, front, attack(str(store.path)))
    assert ("stdout", "WROTE") in panel.lines, panel.lines
    assert store.value("SELECT count(*) FROM decks WHERE trusted = 7") > 0


@pytest.mark.parametrize("abi", [0, 7], ids=["no-landlock", "landlock"])
async def test_trusting_a_deck_says_once_when_confinement_is_missing(tmp_path, monkeypatch,
                                                                    abi):
    path = tmp_path / "borrowed.md"
    path.write_text(DECK, encoding="utf-8")
    store = Store(tmp_path / "studylog.sqlite3")
    add_deck(store, path)
    monkeypatch.setattr("studylog.runner.landlock.abi_version", lambda: abi)
    try:
        async with make(store).run_test(size=(120, 40)) as pilot:
            app = pilot.app
            card_id = store.value("SELECT id FROM cards WHERE front = 'Borrowed'")
            app.action_open_card(card_id)
            await pilot.pause()
            panel = app.screen.query_one(SnippetPanel)
            await pilot.press("r")
            await pilot.pause()
            await pilot.press("enter")  # Trust deck and run
            await wait_until(pilot, lambda: panel.result is not None, timeout=30)
            warnings = [n for n in notifications(app) if "Landlock" in n]
        assert store.value("SELECT trusted FROM decks WHERE name = '남의 덱'") == 1
        assert ("stdout", "borrowed") in panel.lines
        if abi:
            assert warnings == []
        else:
            assert len(warnings) == 1 and "read and write your files" in warnings[0]
    finally:
        store.close()
