"""Visible card states (issue 17, item 4): buried, suspended, orphaned, leech and edited
as flags in `studylog cards` (`--json` adds `flags`, the old keys stay; `--flag`
filters), and going back to the automatic back (`studylog card revert ID`), undoable."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from studylog.cli.context import CliContext
from studylog.core.cards.automatic_back import revert_to_automatic_back
from studylog.core.cards.card_editing import CardError, card_detail, edit_card, list_cards
from studylog.core.cards.card_flags import FLAGS, listing_flags
from studylog.core.cards.card_list import CardFilter, card_lines, filtered_ids
from studylog.core.cards.deck_library import sync_bundled_decks
from studylog.core.journal.importer import import_logs
from studylog.core.review.scheduling import bury, record_review, suspend
from studylog.core.review.settings import set_deck_settings
from studylog.core.undo.reversal import undo_newest

MONDAY = """## 2024-03-04
오늘은 **dropout**을 배웠다. Dropout은 학습 중에 뉴런을 무작위로 끈다.
Weight decay는 가중치를 작게 유지한다.

키워드: Dropout, Weight Decay
"""
TUESDAY = """## 2024-03-05
Early stopping: validation loss가 오르면 멈춘다.

Keywords: Early Stopping
"""


@pytest.fixture
def logs(tmp_path, store):
    folder = tmp_path / "logs"
    folder.mkdir()
    (folder / "2024-03-04.md").write_text(MONDAY, encoding="utf-8")
    (folder / "2024-03-05.md").write_text(TUESDAY, encoding="utf-8")
    import_logs(store, [folder])
    return folder


def ids(store) -> dict[str, int]:
    return {c.front: c.id for c in list_cards(store)}


def flags_by_front(store, now=None) -> dict[str, list[str]]:
    return {c.front: listing_flags(c, now) for c in list_cards(store)}


def test_each_flag_comes_from_what_happened_to_the_card(store, logs):
    card = ids(store)
    now = datetime.now(UTC)
    bury(store, card["Dropout"], now)
    suspend(store, card["Early Stopping"])
    edit_card(store, card["Weight Decay"], "Weight Decay", "L2 penalty, in my words")
    # Monday's log loses its keyword "Weight Decay": that card is orphaned
    (logs / "2024-03-04.md").write_text(MONDAY.replace(", Weight Decay", ""), "utf-8")
    import_logs(store, [logs])
    assert flags_by_front(store) == {"Dropout": ["buried"], "Weight Decay":
                                     ["orphaned", "edited"], "Early Stopping": ["suspended"]}
    # the next study day the bury is over
    assert flags_by_front(store, now + timedelta(days=2))["Dropout"] == []


def test_the_cards_screen_filter_takes_each_flag_in_sql(store, logs):
    """The Cards screen's lazy path (ids in SQL, rows for the screen) agrees with the
    flags worked out from whole rows, for each flag and in one deck."""
    card = ids(store)
    now = datetime.now(UTC)
    bury(store, card["Dropout"], now)
    suspend(store, card["Early Stopping"])
    edit_card(store, card["Weight Decay"], "Weight Decay", "L2 penalty, 내 말로")
    for flag in FLAGS:
        expected = [c.id for c in list_cards(store) if flag in listing_flags(c, now)]
        assert filtered_ids(store, CardFilter(state=flag), now) == expected, flag
        assert filtered_ids(store, CardFilter(deck="journal", state=flag), now) == expected
        assert filtered_ids(store, CardFilter(deck="PyTorch fundamentals", state=flag),
                            now) == []
    assert filtered_ids(store, CardFilter(state="buried"), now) == [card["Dropout"]]
    # the next study day the bury is over, in the filter too
    assert filtered_ids(store, CardFilter(state="buried"), now + timedelta(days=2)) == []
    (line,) = card_lines(store, [card["Weight Decay"]])
    assert listing_flags(line, now) == ["edited"]


def test_a_leech_is_flagged(store, logs):
    card = ids(store)["Dropout"]
    set_deck_settings(store, "journal", leech_threshold=1)
    day = datetime(2024, 3, 6, 3, tzinfo=UTC)
    for rating in ("good", "good", "good"):  # learning, then review
        record_review(store, card, rating, None, day)
        day += timedelta(days=3)
    assert record_review(store, card, "again", None, day).leech
    assert flags_by_front(store)["Dropout"] == ["suspended", "leech"]
    assert [c.front for c in list_cards(store, flag="leech")] == ["Dropout"]


def test_cards_json_adds_flags_beside_the_old_keys(cli, db_path, logs):
    with CliContext(str(db_path)).store as store:
        bury(store, ids(store)["Early Stopping"])
    rows = {r["front"]: r for r in json.loads(cli("cards", "--json").output)}
    assert rows["Early Stopping"]["flags"] == ["buried"]
    assert rows["Dropout"]["flags"] == []
    # the keys scripts already read are all still there
    assert {"id", "front", "back", "deck", "source_dates", "snippet", "snippets", "due",
            "state", "kind", "suspended", "orphaned"} <= set(rows["Dropout"])
    assert rows["Early Stopping"]["state"] == "new"  # buried is a flag, not a state
    buried = json.loads(cli("cards", "--flag", "buried", "--json").output)
    assert [r["front"] for r in buried] == ["Early Stopping"]
    assert "Early Stopping [buried]" in cli("cards").output
    refused = cli("cards", "--flag", "yellow")
    assert refused.exit_code == 2 and "'yellow' is not one of" in refused.output


def test_cards_flag_given_twice_keeps_the_cards_with_both(cli, db_path, logs):
    """Seen when trying it: `--flag suspended --flag buried` kept only the last flag."""
    with CliContext(str(db_path)).store as store:
        card = ids(store)
        bury(store, card["Early Stopping"])
        suspend(store, card["Early Stopping"])
        suspend(store, card["Dropout"])

    def fronts(*args: str) -> list[str]:
        return sorted(r["front"] for r in json.loads(cli("cards", *args, "--json").output))

    assert fronts("--flag", "suspended") == ["Dropout", "Early Stopping"]
    assert fronts("--flag", "suspended", "--flag", "buried") == ["Early Stopping"]
    assert fronts("--flag", "buried", "--flag", "suspended") == ["Early Stopping"]


def test_revert_goes_back_to_the_journal_and_undo_puts_the_edit_back(store, logs):
    card = ids(store)["Dropout"]
    automatic = card_detail(store, card).back
    edit_card(store, card, "Dropout", "내가 쓴 설명")
    assert card_detail(store, card).flags == ["edited"]
    assert revert_to_automatic_back(store, card) == automatic
    assert card_detail(store, card).flags == []
    # it follows the journal again: a new day about dropout joins the back
    (logs / "2024-03-07.md").write_text(
        "## 2024-03-07\nDropout rate 0.5가 기본값이다.\n\n키워드: Dropout\n", "utf-8")
    import_logs(store, [logs])
    assert "0.5가 기본값" in card_detail(store, card).back
    undone = undo_newest(store)  # undo the revert (the import is not an undoable action)
    assert undone.action == "edit" and undone.front == "Dropout"
    detail = card_detail(store, card)
    assert detail.back == "내가 쓴 설명" and detail.flags == ["edited"]


def test_revert_a_deck_card_reads_the_deck_file(store):
    sync_bundled_decks(store)
    card = next(c for c in list_cards(store, "ML basics"))
    automatic = card.back
    edit_card(store, card.id, card.front, "my own words")
    assert revert_to_automatic_back(store, card.id) == automatic
    assert card_detail(store, card.id).back == automatic


def test_revert_refuses_in_one_line_and_writes_nothing(store, logs, cli):
    card = ids(store)["Dropout"]
    with pytest.raises(CardError, match="already follows the journal"):
        revert_to_automatic_back(store, card)
    result = cli("card", "revert", str(card))
    assert result.exit_code == 1
    assert result.output == "error: the back of “Dropout” already follows the journal\n"
    assert cli("card", "revert", "99999").output == "error: no card with id 99999\n"


def test_cli_card_revert(cli, db_path, logs):
    with CliContext(str(db_path)).store as store:
        card = ids(store)["Weight Decay"]
        edit_card(store, card, "Weight Decay", "손으로 고친 뒷면")
    result = cli("card", "revert", str(card), "--json")
    assert result.exit_code == 0, result.output
    back = json.loads(result.output)["back"]
    assert "Weight decay는 가중치를 작게" in back
    after = {r["front"]: r for r in json.loads(cli("cards", "--json").output)}
    assert after["Weight Decay"]["flags"] == []
    assert "Undid edit of “Weight Decay”" in cli("undo").output
    rows = {r["front"]: r for r in json.loads(cli("cards", "--json").output)}
    assert rows["Weight Decay"]["back"] == "손으로 고친 뒷면"
    assert rows["Weight Decay"]["flags"] == ["edited"]
