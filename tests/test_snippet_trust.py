"""Snippet trust comes from the deck that owns the snippet, whoever shows it.

A journal card whose keyword is listed in an added deck card's ``aliases:`` shows that
deck's snippet; the journal deck is trusted, the added deck is not, so the snippet must
not run until the added deck is trusted (issue 13, item 1).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from studylog.core.cards.card_editing import card_detail
from studylog.core.cards.deck_library import add_deck, trust_deck
from studylog.core.cards.snippet_trust import SnippetNotFound, UntrustedDeck, snippet_to_run
from studylog.core.journal.importer import import_logs
from studylog.core.storage.database import Store

ZEBRA_DECK = """---
deck: Stripes
---
## Zebra stripes
aliases: Zebra

How the stripes are laid out.

```python snippet
print("stripes")
```
"""

ZEBRA_DAY = ("## 2024-03-04\n얼룩말 무늬를 코드로 그려 보았다. The stripes repeat.\n\n"
             "키워드: Zebra\n")


def journal_zebra(store: Store) -> int:
    card_id: int = store.value("SELECT c.id FROM cards c JOIN decks d ON d.id = c.deck_id "
                               "WHERE d.kind = 'journal' AND c.key = 'zebra'")
    return card_id


@pytest.fixture
def zebra(store: Store, tmp_path: Path) -> Store:
    deck = tmp_path / "stripes.md"
    deck.write_text(ZEBRA_DECK, encoding="utf-8")
    add_deck(store, deck)
    log = tmp_path / "2024-03.md"
    log.write_text(ZEBRA_DAY, encoding="utf-8")
    import_logs(store, [log])
    return store


def test_a_journal_card_linked_by_alias_runs_only_once_the_owning_deck_is_trusted(zebra):
    card_id = journal_zebra(zebra)
    detail = card_detail(zebra, card_id)
    assert detail.deck == "journal"  # the card's own deck is trusted...
    assert detail.snippet is not None and detail.snippet.deck == "Stripes"
    assert not detail.snippet.trusted  # ...but the snippet is the untrusted deck's
    with pytest.raises(UntrustedDeck, match="deck 'Stripes' is not trusted"):
        snippet_to_run(zebra, card_id=card_id)
    with pytest.raises(UntrustedDeck):
        snippet_to_run(zebra, name="zebra-stripes")
    trust_deck(zebra, "Stripes")
    assert snippet_to_run(zebra, card_id=card_id).code.strip() == 'print("stripes")'
    assert card_detail(zebra, card_id).snippet.trusted


def test_unknown_snippets_are_a_one_line_error(zebra):
    with pytest.raises(SnippetNotFound, match="no snippet named or card with a snippet"):
        snippet_to_run(zebra, name="no-such-snippet")
    with pytest.raises(SnippetNotFound):
        snippet_to_run(zebra, card_id=99999)


def test_cli_run_refuses_the_linked_journal_card_until_trusted(zebra, cli):
    card_id = journal_zebra(zebra)
    refused = cli("run", str(card_id))
    assert refused.exit_code == 1 and "deck 'Stripes' is not trusted" in refused.stderr
    assert "stripes\n" not in refused.output
