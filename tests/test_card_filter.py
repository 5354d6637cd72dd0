"""The Cards text filter in memory (``CardTexts``): typing a word on and erasing it
again, keystroke by keystroke, keeps exactly the cards whose front or back holds the
text, in list order, whatever it remembered from the keystrokes before."""

from __future__ import annotations

from pathlib import Path

import pytest

from studylog.core.cards.card_list import CardTexts
from studylog.core.storage.database import Store

CARDS = [
    ("Tensor", "다차원 배열; shape과 dtype을 가진다"),
    ("텐서 연산", "broadcasting은 TENSOR 모양을 맞춘다"),
    ("Stride", "메모리에서 다음 원소까지의 거리"),
    ("contiguous", "stride가 행 우선 순서인 tensor"),
    ("Straße", "ß casefolds to ss: STRASSE matches"),
    ("벡터", "크기와 방향"),
]


@pytest.fixture
def texts(tmp_path: Path):
    store = Store(tmp_path / "filter.sqlite3")
    with store.write():
        deck_id = store.decks.ensure("Filter", "added", trusted=False)
        ids = [store.cards.insert({"deck_id": deck_id, "key": f"k{n}", "front": front,
                                   "back": back, "position": n})
               for n, (front, back) in enumerate(CARDS)]
    yield CardTexts(store), ids, store
    store.close()


def holding(store: Store, ids: list[int], text: str) -> list[int]:
    """The reference: every card of ``ids`` read again from the database."""
    needle = text.casefold()
    found = []
    for card_id in ids:
        card = store.cards.get(card_id)
        if needle in f"{card.front}\n{card.back}".casefold():
            found.append(card_id)
    return found


@pytest.mark.parametrize("word", ["tensor", "텐서 연", "strasse", "stride가", "벡터x"])
def test_typing_on_and_erasing_keeps_exactly_the_matching_cards(texts, word):
    card_texts, ids, store = texts
    typed = [word[:n] for n in range(1, len(word) + 1)]
    for text in typed + typed[-2::-1]:  # each keystroke on, then each one erased
        assert card_texts.matching(ids, text) == holding(store, ids, text), text


def test_another_id_list_is_filtered_afresh(texts):
    card_texts, ids, store = texts
    assert card_texts.matching(ids, "ten") == holding(store, ids, "ten")
    others = [i for i in reversed(ids) if i != ids[0]]  # a deck filter, another order
    assert card_texts.matching(others, "tens") == holding(store, others, "tens")
    assert card_texts.matching(others, "ten") == holding(store, others, "ten")
    assert card_texts.matching(ids, "tens") == holding(store, ids, "tens")
