"""Giving any card its own snippet, and asking a prediction about one of its blocks.

A card's own snippet is code the learner wrote for it, in the app's snippet editor or
from a file (``studylog card snippet``). It is the learner's code, so it runs as theirs
(trusted, unconfined) whatever deck the card is in. It is kept beside the card
(``card_code``), never in its back: re-importing the logs, regenerating the back and
deck updates leave it alone. Saving or removing it is undoable (the undo journal's
``snippet`` action, reversed in ``studylog.core.undo.reversal``).

A card may turn one of the learner's own blocks (its own snippet, or a block quoted
from the log) into a predict-then-run question, as the bundled deck's predict cards
are: the review shows the code and asks what it prints; revealing runs it. The block's
code becomes the card's own snippet, marked ``predict``, so the question stays as it
was asked even when the log changes later. A deck's snippet cannot be turned into one:
copying it would make someone else's code run as the learner's.
"""

from __future__ import annotations

from typing import Any, Literal

from studylog.core.cards.card_editing import CardError
from studylog.core.cards.snippet_trust import CARD_CODE, OWN_CODE, card_snippets
from studylog.core.storage.card_code import CardCodeRow
from studylog.core.storage.database import Store
from studylog.core.undo.journal import record_action

__all__ = ["MAX_SNIPPET_CHARS", "SaveOutcome", "predict_block", "save_card_snippet",
           "stop_predicting"]

MAX_SNIPPET_CHARS = 100_000
SaveOutcome = Literal["saved", "removed", "unchanged"]


def _as_before(old: CardCodeRow | None) -> dict[str, Any]:
    """What undoing a change of the card's own snippet puts back."""
    return {"code": old.code, "predict": old.predict} if old else {"code": None}


def save_card_snippet(store: Store, card_id: int, code: str, *,
                      predict: bool | None = None) -> SaveOutcome:
    """Make ``code`` card ``card_id``'s own snippet; blank code removes it. ``predict``
    None keeps whether it is a predict question. CardError for a missing card or code
    too long; nothing is written then."""
    if store.cards.get(card_id) is None:
        raise CardError(f"no card with id {card_id}")
    if len(code) > MAX_SNIPPET_CHARS:
        raise CardError(f"a snippet holds at most {MAX_SNIPPET_CHARS:,} characters "
                        f"(this one has {len(code):,})")
    old = store.card_code.get(card_id)
    if not code.strip():
        if old is None:
            return "unchanged"
        with store.write():
            store.card_code.delete(card_id)
            record_action(store, "snippet", card_id, _as_before(old))
        return "removed"
    wanted = (old.predict if old else False) if predict is None else predict
    if old is not None and old.code == code and old.predict == wanted:
        return "unchanged"
    with store.write():
        store.card_code.save(card_id, code, predict=wanted)
        record_action(store, "snippet", card_id, _as_before(old))
    return "saved"


def predict_block(store: Store, card_id: int, block: int = 1) -> str:
    """Turn the card's ``block``-th runnable block (from 1, in ``card_snippets`` order)
    into its predict-then-run question; returns that block's name. CardError when the
    block is a deck's snippet, or would replace a different snippet of the card's own."""
    if store.cards.get(card_id) is None:
        raise CardError(f"no card with id {card_id}")
    found = card_snippets(store, card_id)
    if not found:
        raise CardError(f"card {card_id} has no runnable block: give it a snippet first "
                        "(studylog card snippet)")
    if not 1 <= block <= len(found):
        raise CardError(f"card {card_id} has {len(found)} runnable block(s): "
                        f"pick one of 1-{len(found)}")
    chosen = found[block - 1]
    if chosen.kind not in (CARD_CODE, OWN_CODE):
        raise CardError(f"block {block} is deck '{chosen.deck}''s snippet: only your own "
                        "code can be turned into a predict question")
    own = store.card_code.get(card_id)
    if chosen.kind == OWN_CODE and own is not None and own.code != chosen.code:
        raise CardError(f"card {card_id} already has a snippet of its own (block 1): "
                        "turn that one into the question, or remove it first")
    save_card_snippet(store, card_id, chosen.code, predict=True)
    return chosen.name


def stop_predicting(store: Store, card_id: int) -> bool:
    """The card asks no prediction any more (its own snippet stays); False if it did
    not ask one."""
    own = store.card_code.get(card_id)
    if own is None or not own.predict:
        return False
    save_card_snippet(store, card_id, own.code, predict=False)
    return True
