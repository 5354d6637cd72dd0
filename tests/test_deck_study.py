"""Studying one deck, and decks turned off (issue 17, item 1): an off deck is kept but
neither reviewed nor counted; a personal journal gets the bundled decks off, the demo
gets them on; `studylog review-settings --deck NAME --enabled/--disabled`."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from studylog.core.cards.deck_library import sync_bundled_decks
from studylog.core.journal.importer import import_logs
from studylog.core.review.queue import build_queue, queue_counts
from studylog.core.review.scheduling import record_review
from studylog.core.review.session import ReviewSession
from studylog.core.review.settings import deck_settings, set_deck_settings
from studylog.core.storage.database import Store
from studylog.core.today import decks_off, today_overview

NOW = datetime(2023, 11, 15, 10, tzinfo=UTC)
PYTORCH = "PyTorch fundamentals"

LOG = """## 2024-03-04
오늘은 텐서의 **stride**를 봤다. Stride는 다음 원소까지의 거리.

키워드: Stride, View
"""


@pytest.fixture
def journal(tmp_path, store):
    log = tmp_path / "2024-03.md"
    log.write_text(LOG, encoding="utf-8")
    import_logs(store, [log])
    return store


def decks_in(queue) -> set[str]:
    return {c.deck for c in queue.cards}


def test_a_personal_journal_gets_the_bundled_decks_off(journal):
    assert sync_bundled_decks(journal) == []
    assert not deck_settings(journal, PYTORCH).enabled
    assert deck_settings(journal, "journal").enabled
    assert decks_in(build_queue(journal, now=NOW)) == {"journal"}
    assert set(queue_counts(journal, NOW)) == {"journal"}  # not counted either
    off = {d.deck: d for d in decks_off(journal)}
    assert off[PYTORCH].kind == "bundled" and off[PYTORCH].cards >= 50
    # kept: the cards are all there, only not studied
    assert journal.value("SELECT count(*) FROM cards c JOIN decks d ON d.id = c.deck_id "
                         "WHERE d.name = ?", [PYTORCH]) == off[PYTORCH].cards


def test_an_off_deck_is_not_studied_alone_either_and_comes_back_when_on(journal):
    sync_bundled_decks(journal)
    assert len(build_queue(journal, PYTORCH, now=NOW)) == 0
    set_deck_settings(journal, PYTORCH, enabled=True)
    assert decks_in(build_queue(journal, PYTORCH, now=NOW)) == {PYTORCH}
    assert PYTORCH in queue_counts(journal, NOW)
    set_deck_settings(journal, "journal", enabled=False)
    assert decks_in(build_queue(journal, now=NOW)) == {PYTORCH}


def test_today_and_the_session_summary_do_not_count_an_off_deck(journal):
    """Today's "next due" and the summary's "due by the end of tomorrow" leave an off
    deck's scheduled cards out, as its due counts are."""
    sync_bundled_decks(journal)
    set_deck_settings(journal, PYTORCH, enabled=True)
    card = build_queue(journal, PYTORCH, now=NOW).cards[0]
    record_review(journal, card.id, "good", None, NOW)  # learning: due in minutes
    due = journal.value("SELECT due FROM cards WHERE id = ?", [card.id])
    overview = today_overview(journal, NOW, UTC)
    assert overview.next_due == datetime.fromisoformat(due)
    assert ReviewSession(journal, tz=UTC).summary(NOW).due_tomorrow == 1
    assert ReviewSession(journal, PYTORCH, tz=UTC).summary(NOW).due_tomorrow == 1

    set_deck_settings(journal, PYTORCH, enabled=False)
    assert today_overview(journal, NOW, UTC).next_due is None
    assert ReviewSession(journal, tz=UTC).summary(NOW).due_tomorrow == 0
    assert ReviewSession(journal, PYTORCH, tz=UTC).summary(NOW).due_tomorrow == 0
    assert ReviewSession(journal, "journal", tz=UTC).summary(NOW).due_tomorrow == 0


def test_a_deck_update_keeps_the_choice(journal, tmp_path):
    folder = tmp_path / "decks"
    folder.mkdir()
    deck = folder / "mine.md"
    deck.write_text("---\ndeck: Bundled two\n---\n## One\nback one\n", encoding="utf-8")
    sync_bundled_decks(journal, folder)
    set_deck_settings(journal, "Bundled two", enabled=True, new_per_day=5)
    deck.write_text("---\ndeck: Bundled two\n---\n## One\nback one\n## Two\nback two\n",
                    encoding="utf-8")
    sync_bundled_decks(journal, folder)  # a newer version of the deck file
    settings = deck_settings(journal, "Bundled two")
    assert settings.enabled and settings.new_per_day == 5


def test_the_demo_has_the_bundled_decks_on(tmp_path, cli):
    from click.testing import CliRunner

    from studylog.cli import cli as root

    demo = tmp_path / "demo.sqlite3"
    result = CliRunner().invoke(root, ["--db", str(demo), "demo", "--text"])
    assert result.exit_code == 0, result.output
    shown = json.loads(CliRunner().invoke(
        root, ["--db", str(demo), "review-settings", "--json"]).output)
    assert shown["decks"][PYTORCH]["enabled"] is True
    due = json.loads(CliRunner().invoke(root, ["--db", str(demo), "due", "--json"]).output)
    assert PYTORCH in {c["deck"] for c in due["cards"]}


def test_cli_turns_a_deck_on_and_off(cli, db_path):
    first = cli("due")  # a new personal journal: the bundled decks are off, and it says so
    assert first.exit_code == 0
    assert f"off (not reviewed): ML basics, {PYTORCH}" in first.output
    assert json.loads(cli("due", "--json").output)["cards"] == []
    listed = cli("review-settings").output
    assert f"{PYTORCH} (off):" in listed
    assert cli("review-settings", "--deck", PYTORCH, "--enabled").exit_code == 0
    due = json.loads(cli("due", "--json").output)
    assert {c["deck"] for c in due["cards"]} == {PYTORCH}
    assert due["counts"]["new"] == 20  # its own daily limit
    assert cli("review-settings", "--deck", PYTORCH, "--disabled").exit_code == 0
    with Store(db_path) as store:
        assert not deck_settings(store, PYTORCH).enabled
    assert json.loads(cli("due", "--json").output)["cards"] == []


def test_cli_refuses_an_unknown_deck_in_one_line(cli):
    result = cli("review-settings", "--deck", "없는 덱", "--enabled")
    assert result.exit_code == 1
    assert result.output.strip() == "error: no deck named '없는 덱'"
