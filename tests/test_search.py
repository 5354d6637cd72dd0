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
