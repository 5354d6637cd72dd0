"""Search: trigram FTS for 3+ characters, LIKE below that, Korean and English."""

from __future__ import annotations

import pytest

from studylog.core.journal.importer import import_logs
from studylog.core.search import excerpt, search


@pytest.fixture
def loaded(store, fixture_log):
    import_logs(store, [fixture_log], year=2023)
    return store


@pytest.mark.parametrize("query,dates", [
    ("contiguous", ["2023-11-14", "2023-11-13"]),  # inside 'contiguous라는', 'contiguous하게'
    ("DataLoader", ["2023-11-14"]),
    ("dataloader", ["2023-11-14"]),
    ("개념이", ["2023-11-13"]),
    ("개념", ["2023-11-14", "2023-11-13"]),  # two characters: LIKE fallback
    ("V@J", ["2023-11-13"]),
    ("hook 개념", ["2023-11-13"]),  # mixed, every term must match
    ("leaf variable", ["2023-11-14"]),
    ("없는말xyz", []),
])
def test_entry_search(loaded, query, dates):
    hits = [h for h in search(loaded, query) if h.kind == "entry"]
    assert [h.ref for h in hits] == dates


def test_card_search_and_excerpt_marks_hit(loaded):
    hits = [h for h in search(loaded, "backward라는") if h.kind == "card"]
    assert [h.title for h in hits] == ["Backward Method"]
    hit = hits[0]
    start, end = hit.highlights[0]
    assert hit.excerpt[start:end].lower() == "backward라는"


def test_short_query_on_cards(loaded):
    hits = [h.title for h in search(loaded, "훅") + search(loaded, "V@") if h.kind == "card"]
    assert hits == ["Backward Method"]


def test_search_sees_reimported_text(store, tmp_path):
    log = tmp_path / "2023.md"
    log.write_text("## 01/01\nalpha beta\n", encoding="utf-8")
    import_logs(store, [log])
    log.write_text("## 01/01\ngamma delta\n", encoding="utf-8")
    import_logs(store, [log])
    assert search(store, "alpha") == []
    assert [h.ref for h in search(store, "gamma")] == ["2023-01-01"]
    assert [h.ref for h in search(store, "ga")] == ["2023-01-01"]


def test_excerpt_is_short_and_centered():
    text = "x " * 200 + "needle" + " y" * 200
    window, spans = excerpt(text, ["needle"])
    assert len(window) < 140 and window.startswith("…") and window.endswith("…")
    assert [window[a:b] for a, b in spans] == ["needle"]


def test_quotes_in_query_do_not_break_fts(loaded):
    assert search(loaded, 'con"tig') == []


def test_excerpts_are_plain_text_with_the_hit_marked(store):
    """Issue 17: excerpts showed raw Markdown (``**2026-11-14**``, fences, ``+ #####``)."""
    from datetime import date

    from studylog.core.cards.card_editing import edit_card
    from studylog.core.journal.day_editing import save_day_text

    save_day_text(store, date(2026, 11, 14), (
        "**2026-11-14** 스케줄러 실습. [문서](https://pytorch.org) 참고\n\n"
        "```python\nsched = StepLR(optimizer, step_size=5)\n```\n\n"
        "+ ##### 키워드: StepLR\n"))
    [day] = [h for h in search(store, "steplr") if h.kind == "entry"]
    assert "**" not in day.excerpt and "```" not in day.excerpt
    assert "#" not in day.excerpt and "](" not in day.excerpt
    assert day.excerpt.startswith("2026-11-14 스케줄러 실습. 문서 참고 sched = StepLR(")
    assert [day.excerpt[a:b] for a, b in day.highlights] == ["StepLR", "StepLR"]

    [card] = [h for h in search(store, "StepLR") if h.kind == "card"]
    edit_card(store, int(card.ref), "StepLR", "Halves the lr: `StepLR(opt, 5, gamma=0.5)` "
              "every **five** epochs.\n\n- _one_ scheduler step per epoch")
    [card] = [h for h in search(store, "five") if h.kind == "card"]
    assert card.excerpt == ("…the lr: StepLR(opt, 5, gamma=0.5) every five epochs. one "
                            "scheduler step per epoch")
    assert [card.excerpt[a:b] for a, b in card.highlights] == ["five"]


def test_plain_text_drops_marks_but_keeps_code_and_identifiers():
    from studylog.core.text.plain_text import plain_text, plain_window

    text = plain_text("## **Hook** 정리\n\n> 인용 _강조_ `x.view()`\n1. step_size=5, a*b*c\n"
                      "---\n![그림](a.png) <br> 끝\n")
    assert text.split() == ["Hook", "정리", "인용", "강조", "x.view()", "step_size=5,",
                            "a*b*c", "그림", "끝"]
    long_day = "앞 문단. " * 200 + "\n\n+ ##### 키워드: **needle** 하나\n" + "뒤 문단. " * 200
    window = plain_window(long_day, ["needle"])
    assert len(window) < 1000 and window.startswith("… ") and window.endswith(" …")
    assert "키워드: needle 하나" in window
