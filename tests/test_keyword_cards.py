"""Keyword cards: backs from what you wrote, re-import rules, orphans, size caps."""

from __future__ import annotations

from pathlib import Path

from studylog.core.cards.keyword_cards import MAX_BACK_DAYS
from studylog.core.journal.importer import import_logs


def _cards(store):
    return {c.front: c for c in store.cards.listing("journal")}


def test_fixture_gives_seven_cards_with_the_right_paragraphs(store, fixture_log):
    import_logs(store, [fixture_log], year=2023)
    cards = _cards(store)
    assert sorted(cards) == sorted(["Contiguous", "Backward Method", "Hook", "Dataset",
                                    "DataLoader", "Document", "Source Code"])
    contiguous = cards["Contiguous"].back
    assert "contiguous라는 개념" in contiguous
    assert "tensor[0][0][0] - tensor[0][0][1]" in contiguous  # the code block after it
    assert "연속적이면 contiguous하다" in contiguous
    assert "cache miss" not in contiguous  # day 7 mentions it, but its keyword line doesn't
    assert "hook" not in contiguous.lower()
    backward = cards["Backward Method"].back
    assert "backward라는 method" in backward and "V@J" in backward
    assert "contiguous" not in backward
    assert "hook이라는 개념" in cards["Hook"].back
    assert "이번주는 PyTorch" not in cards["Hook"].back  # not the whole day
    for name in ("Dataset", "DataLoader"):
        back = cards[name].back
        assert "\\_\\_getitem\\_\\_" in back and "batch를 생성" in back
        assert "leaf variable" not in back
    assert "document와 source code" in cards["Source Code"].back
    assert cards["Contiguous"].source_dates == ["2023-11-13"]
    assert cards["Document"].source_dates == ["2023-11-14"]
    assert cards["Hook"].back.startswith("**2023-11-13** · Day 6 (11/13)")


def test_keyword_identity_ignores_case_and_spaces(store, tmp_path):
    log = tmp_path / "2023-log.md"
    log.write_text("## 01/02\nDataLoader 공부.\n\n키워드: DataLoader\n\n"
                   "## 01/03\ndata loader 복습.\n\n키워드: data loader\n", encoding="utf-8")
    import_logs(store, [log])
    [card] = store.cards.listing("journal")
    assert card.source_dates == ["2023-01-03", "2023-01-02"]
    # Newest day first.
    assert card.back.index("2023-01-03") < card.back.index("2023-01-02")


def _edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_reimport_updates_backs_but_keeps_hand_edits_and_history(store, fixture_log, tmp_path):
    log = tmp_path / "week2.md"
    log.write_text(fixture_log.read_text(encoding="utf-8"), encoding="utf-8")
    import_logs(store, [log], year=2023)
    cards = _cards(store)
    hook_id, contiguous_id = cards["Hook"].id, cards["Contiguous"].id
    with store.write():
        store.cards.update(hook_id, {"back": "my own words", "back_edited": 1})
        store.review_log.insert({
            "card_id": contiguous_id, "rating": 3, "reviewed_at": "2023-11-20T00:00:00+00:00",
            "duration_ms": 1000, "state_before": "new", "state_after": "learning",
            "due_after": "2023-11-20T00:10:00+00:00", "reps_before": 0, "lapses_before": 0,
            "suspended_before": 0, "leech_before": 0})
    _edit(log, "hook이라는 개념도 익혔다", "hook이라는 개념도 새로 익혔다")
    _edit(log, "contiguous라는 개념이었다", "contiguous라는 중요한 개념이었다")
    _edit(log, "키워드: Dataset, DataLoader, Document, Source Code", "키워드: Dataset, DataLoader")
    report = import_logs(store, [log], year=2023)
    assert report.files[0].days_updated == 2
    cards = _cards(store)
    assert cards["Hook"].back == "my own words"
    assert "중요한 개념" in cards["Contiguous"].back
    assert cards["Contiguous"].id == contiguous_id
    assert store.value("SELECT count(*) FROM review_log WHERE card_id = ?", [contiguous_id]) == 1
    # A keyword removed from every log keeps its card, marked orphaned.
    assert cards["Document"].orphaned == 1 and cards["Source Code"].orphaned == 1
    assert cards["Document"].source_dates == []
    assert cards["Dataset"].orphaned == 0


def test_keyword_on_hundreds_of_days_gives_a_readable_card(store, tmp_path):
    lines = []
    for i in range(300):
        day = f"2020-{1 + i // 28:02d}-{1 + i % 28:02d}"
        lines.append(f"## {day}\n오늘도 tensor를 다뤘다 (day {i}). " + "긴 설명 " * 40 +
                     "\n\n키워드: Tensor\n")
    log = tmp_path / "big.md"
    log.write_text("\n".join(lines), encoding="utf-8")
    import_logs(store, [log])
    [card] = store.cards.listing("journal")
    assert len(card.source_dates) == 300
    assert len(card.back) < 8000
    assert "(day 299)" in card.back  # the newest day is on the card
    assert "(day 0)" not in card.back
    assert card.back.count("**2020-") <= MAX_BACK_DAYS
    assert "earlier days" in card.back


def test_a_day_titled_by_its_date_is_named_once_on_the_back():
    from studylog.core.cards.keyword_cards import render_back
    from studylog.core.storage.keywords import KeywordDay

    back = render_back([KeywordDay(1, "2026-11-27", "2026-11-27"),
                        KeywordDay(2, "2023-11-13", "Day 6 (11/13)")],
                       {1: ["a hook"], 2: ["hooks again"]})
    assert back.startswith("**2026-11-27**\n\na hook")
    assert "**2023-11-13** · Day 6 (11/13)\n\nhooks again" in back
