"""Predict from your own code (issue 15, item 4): a card turns one of the learner's
blocks into a predict-then-run question, as the bundled deck's predict cards are; review
shows the code, hides its output until the reveal, then runs it beside the prediction."""

from __future__ import annotations

import json

import pytest
from tui_helpers import make, notifications, screen_text, wait_until

from studylog.core.journal.importer import import_logs
from studylog.core.storage.database import Store
from studylog.tui.screens.card_screen import CardScreen
from studylog.tui.screens.review_screen import ReviewScreen
from studylog.tui.widgets.snippet_panel import SnippetPanel

DAY = """\
## 2024-08-05 (월)
Slicing 은 뷰를 돌려준다. 먼저 써 본 것:

```python
xs = list(range(5))
print(xs[1:4])
```

Slicing 두 번째, 음수 인덱스:

```python
xs = list(range(5))
print(xs[-2:], len(xs[::2]))

# check
assert xs[-1] == 4
```

키워드: Slicing
"""


@pytest.fixture
def store(tmp_path):
    log = tmp_path / "aug.md"
    log.write_text(DAY, encoding="utf-8")
    s = Store(tmp_path / "predict.sqlite3")
    assert not import_logs(s, [log]).refused
    yield s
    s.close()


def slicing(store: Store) -> int:
    found: int = store.value("SELECT id FROM cards WHERE key = 'slicing'")
    return found


async def test_a_picks_the_second_block_and_review_asks_before_running_it(store):
    card = slicing(store)
    app = make(store, runner_preload=(), warm_runner=True)
    async with app.run_test(size=(180, 40)) as pilot:
        pilot.app.action_open_card(card)
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, CardScreen)
        await wait_until(pilot, lambda: "Predict" in screen_text(app), timeout=10)  # footer
        await pilot.press("n", "a")  # the second block becomes the question
        await pilot.pause()
        assert any("asks what Slicing #2 prints" in n for n in notifications(app))
        facts = str(screen.query_one("#card-facts").render())
        assert "predict" in facts
        assert store.query("SELECT predict FROM card_code WHERE card_id = ?",
                           [card]) == [{"predict": 1}]
        await pilot.press("escape")  # back to Today
        await pilot.pause()
        await pilot.press("r")  # review: the card is the only one due
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ReviewScreen) and review.card.id == card
        front = review.query_one("#review-front").source
        assert "print(xs[-2:], len(xs[::2]))" in front and "assert" not in front
        assert "What will this print?" in front
        panel = review.query_one(SnippetPanel)
        assert app.focused.id == "review-prediction"
        await pilot.press("escape", "r")  # running it now would give the answer away
        await pilot.pause()
        assert not panel.display and panel.result is None
        assert any("Predict first" in n for n in notifications(app))
        await pilot.press("m")  # and so would the whole snippet, maximised
        await pilot.pause()
        assert not panel.display and review.maximized is None
        assert any("the full snippet holds the answer" in n for n in notifications(app))
        review.query_one("#review-prediction").focus()
        await pilot.press(*"[3, 4] 3", "enter")
        await wait_until(pilot, lambda: panel.result is not None)
        assert panel.result.ok and panel.lines == [("stdout", "[3, 4] 3")]
        assert "**Your prediction:** `[3, 4] 3`" in review.query_one("#review-back").source
        await pilot.press("3")
        await pilot.pause()
    assert store.query("SELECT rating FROM review_log WHERE card_id = ?",
                       [card]) == [{"rating": 3}]


async def test_a_again_on_the_question_stops_asking(store):
    card = slicing(store)
    from studylog.core.cards.card_snippet import predict_block

    predict_block(store, card, 1)
    app = make(store, runner_preload=(), warm_runner=True)
    async with app.run_test(size=(180, 40)) as pilot:
        pilot.app.action_open_card(card)
        await pilot.pause()
        panel = pilot.app.screen.query_one(SnippetPanel)
        assert panel.border_title == "snippet Slicing · card"
        assert "block 1 of 2" in str(panel.border_subtitle)  # the copied block not twice
        await pilot.press("a")
        await pilot.pause()
        assert "predict" not in str(pilot.app.screen.query_one("#card-facts").render())
    assert store.query("SELECT predict FROM card_code") == [{"predict": 0}]


def test_the_cli_turns_a_block_into_the_question_and_back(tmp_path):
    from click.testing import CliRunner

    from studylog.cli import cli

    db = tmp_path / "cli.sqlite3"
    log = tmp_path / "aug.md"
    log.write_text(DAY, encoding="utf-8")
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(cli, ["--db", str(db), *args], catch_exceptions=False)

    assert run("import", str(log)).exit_code == 0
    card = json.loads(run("cards", "--json").stdout)
    card_id = next(c["id"] for c in card if c["front"] == "Slicing")
    asked = run("card", "predict", str(card_id), "--block", "2")
    assert asked.exit_code == 0 and "asks what Slicing #2 prints" in asked.stdout
    listed = {c["id"]: c for c in json.loads(run("cards", "--json").stdout)}[card_id]
    # the bundled deck's slicing snippet, linked by alias, comes last
    assert [s["kind"] for s in listed["snippets"]] == ["card", "journal", "deck"]
    assert listed["snippets"][0]["first_line"] == "xs = list(range(5))"
    assert run("run", str(card_id)).stdout.split("\n")[0] == "[3, 4] 3"
    theirs = run("card", "predict", str(card_id), "--block", "3")
    assert theirs.exit_code == 1 and "only your own code" in theirs.stderr
    beyond = run("card", "predict", str(card_id), "--block", "4")
    assert beyond.exit_code == 1 and "has 3 runnable block(s)" in beyond.stderr
    off = run("card", "predict", str(card_id), "--off")
    assert off.exit_code == 0 and "asks no prediction any more" in off.stdout
    assert "asked no prediction" in run("card", "predict", str(card_id), "--off").stdout
