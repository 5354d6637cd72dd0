"""A card with several runnable blocks of the learner's own code (issue 15, item 1):
``n`` picks the next one in the card view and in review, the footer names the key, and
``r`` runs the block shown, its output streamed into the panel."""

from __future__ import annotations

import pytest
from tui_helpers import make, screen_text, wait_until

from studylog.core.journal.importer import import_logs
from studylog.core.storage.database import Store
from studylog.tui.screens.card_screen import CardScreen
from studylog.tui.screens.review_screen import ReviewScreen
from studylog.tui.widgets.snippet_panel import SnippetPanel

TWO_BLOCKS = """\
## 2024-06-03 (월)
Einsum 첫 시도: 행 합.

```python
import sys
print("first block", sys.version_info[0])
```

Einsum 두 번째: 열 합, 줄마다 출력.

```python
for j in range(2):
    print("second block", j, flush=True)
```

Einsum 의사코드 (실행하지 않음):

```
tensor[0][0][0] - tensor[0][0][1] - ...
```

키워드: Einsum
"""

ONE_BLOCK = """\
## 2024-06-04
Wrote a small loop about zip today.

```py
print(list(zip("ab", "cd")))
```

Keywords: Zip
"""


@pytest.fixture
def own_code_store(tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "june-a.md").write_text(TWO_BLOCKS, encoding="utf-8")
    (logs / "june-b.md").write_text(ONE_BLOCK, encoding="utf-8")
    store = Store(tmp_path / "blocks.sqlite3")
    assert not import_logs(store, sorted(logs.iterdir())).refused
    yield store
    store.close()


def journal_card(store: Store, key: str) -> int:
    card_id: int = store.value("SELECT c.id FROM cards c JOIN decks d ON d.id = c.deck_id "
                               "WHERE d.kind = 'journal' AND c.key = ?", [key])
    return card_id


async def open_screen(pilot, store: Store, where: str, card_id: int) -> SnippetPanel:
    if where == "card view":
        pilot.app.action_open_card(card_id)
    else:
        with store.write():  # the card under test is the only one due
            store.db.execute("UPDATE cards SET suspended = 1 WHERE id != ?", [card_id])
        await pilot.press("r")  # Today's r: review
    await pilot.pause()
    assert isinstance(pilot.app.screen, CardScreen if where == "card view" else ReviewScreen)
    if where == "review":
        assert pilot.app.screen.card.id == card_id
    return pilot.app.screen.query_one(SnippetPanel)


@pytest.mark.parametrize("where", ["card view", "review"])
async def test_n_picks_the_second_block_and_r_runs_it_live(own_code_store, where):
    store = own_code_store
    card_id = journal_card(store, "einsum")
    app = make(store, runner_preload=(), warm_runner=True)
    async with app.run_test(size=(140, 40)) as pilot:
        panel = await open_screen(pilot, store, where, card_id)
        # the footer names the key (wait for its render: the warm runner starts with the
        # first frame, so a busy machine may take another refresh or two)
        await wait_until(pilot, lambda: "Next block" in screen_text(app))
        await pilot.press("r")
        await wait_until(pilot, lambda: panel.result is not None)
        assert panel.lines == [("stdout", "first block 3")]
        assert "block 1 of 2" in str(panel.border_subtitle)
        await pilot.press("n")
        await pilot.pause()
        assert "block 2 of 2" in str(panel.border_subtitle)
        assert panel.code.startswith("for j in range(2):") and panel.result is None
        await pilot.press("r")
        await wait_until(pilot, lambda: panel.result is not None)
        assert panel.result.ok
        assert panel.lines == [("stdout", "second block 0"), ("stdout", "second block 1")]
        await pilot.press("n")  # after the last block, the first again (no pseudo-code)
        await pilot.pause()
        assert panel.code.startswith("import sys") and "block 1 of 2" in str(
            panel.border_subtitle)


async def test_a_card_with_one_block_does_not_offer_the_key(own_code_store):
    store = own_code_store
    app = make(store, runner_preload=(), warm_runner=True)
    async with app.run_test(size=(140, 40)) as pilot:
        panel = await open_screen(pilot, store, "card view", journal_card(store, "zip"))
        await wait_until(pilot, lambda: " r Run " in screen_text(app), timeout=10)
        assert panel.display and "Next block" not in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
        assert panel.code.startswith('print(list(zip("ab", "cd")))')
        assert not panel.border_subtitle
