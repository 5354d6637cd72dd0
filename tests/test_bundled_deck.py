"""The bundled PyTorch deck: every snippet runs in the real runner and passes its asserts,
so each card is proven true for the installed torch."""

from __future__ import annotations

import pytest

from studylog import paths
from studylog.core.cards.deck_parser import parse_deck
from studylog.runner import SnippetRunner

DECK = parse_deck((paths.bundled_decks_dir() / "pytorch-fundamentals.md")
                  .read_text(encoding="utf-8"))
SNIPPET_CARDS = [c for c in DECK.cards if c.snippet_code]


@pytest.fixture(scope="module")
def runner():
    with SnippetRunner() as r:
        r.start(wait=True)
        yield r


def test_deck_covers_the_week():
    names = {c.snippet_name for c in SNIPPET_CARDS}
    assert len(SNIPPET_CARDS) >= 10
    assert sum(c.kind == "predict" for c in DECK.cards) >= 5
    aliases = {a.lower() for c in DECK.cards for a in c.aliases}
    assert {"contiguous", "backward method", "hook", "dataset", "dataloader"} <= aliases
    code = "\n".join(c.snippet_code for c in SNIPPET_CARDS)
    for api in ("stride()", "is_contiguous()", ".view(", ".contiguous()", "gradient=",
                "jacobian", "register_hook", "register_forward_pre_hook",
                "register_forward_hook", "register_full_backward_hook", ".remove()",
                "is_leaf", "no_grad", "F.linear", "__len__", "__getitem__", "drop_last",
                "collate_fn", "num_workers=2", "shuffle"):
        assert api in code, api
    assert len(names) == len(SNIPPET_CARDS)


@pytest.mark.parametrize("card", SNIPPET_CARDS, ids=[c.snippet_name for c in SNIPPET_CARDS])
def test_snippet_runs_and_passes_its_asserts(runner, card):
    assert "assert" in card.snippet_code
    result = runner.run(card.snippet_code, name=card.snippet_name,
                        timeout_s=card.timeout or 60)
    assert result.ok, f"{card.snippet_name}: {result.summary()}\n{result.output()}"
    assert result.output("stdout").strip(), "a snippet prints what it demonstrates"
