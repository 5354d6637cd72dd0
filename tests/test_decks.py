"""Deck files: format, malformed decks, bundled deck links, added decks and trust."""

from __future__ import annotations

import json
import textwrap

import pytest

from studylog import paths
from studylog.core.cards.deck_parser import DeckError, parse_deck, predict_front

DECK = textwrap.dedent("""\
    ---
    deck: Tiny
    description: a test deck
    ---
    # Tiny deck

    Intro text that is not a card.

    ## Strides
    aliases: Stride, Contiguous
    timeout: 5

    A tensor's **stride** says how far to jump.

    ```python
    # an ordinary example, part of the back
    ```

    ```python snippet
    print("stride demo")
    ```

    ## What does 1 + 1 print?
    name: predict-sum

    It prints 2.

    ```python predict
    print(1 + 1)

    # check
    assert 1 + 1 == 2
    ```

    ## Plain card
    Just prose.
    """)


def test_parse_deck_format():
    deck = parse_deck(DECK)
    assert deck.name == "Tiny" and deck.description == "a test deck"
    strides, predict, plain = deck.cards
    assert strides.front == "Strides" and strides.aliases == ["Stride", "Contiguous"]
    assert strides.timeout == 5 and strides.snippet_name == "strides"
    assert strides.snippet_code == 'print("stride demo")\n'
    assert "**stride**" in strides.back and "an ordinary example" in strides.back
    assert "aliases" not in strides.back and "stride demo" not in strides.back
    assert (predict.kind, predict.key, predict.snippet_name) == ("predict", "predict-sum",
                                                                 "predict-sum")
    assert plain.snippet_code is None and plain.back == "Just prose."
    assert predict.snippet_code.startswith("print(1 + 1)\n\n# check\nassert")


def test_a_predict_front_stops_at_its_check_line():
    code = "x = [1, 2]\nprint(len(x))\n# check: the length\nassert len(x) == 2\n"
    assert predict_front(code) == "x = [1, 2]\nprint(len(x))"
    # '# checked' is a comment, not the check line
    [card] = parse_deck("## A\n```python predict\nprint(3)\n# checked\n# check\nassert 1\n```\n"
                        ).cards
    assert predict_front(card.snippet_code) == "print(3)\n# checked"


@pytest.mark.parametrize("text,line,message", [
    ("## A\n```python snippet\nx\n```\n```python snippet\ny\n```\n", 5, "second snippet"),
    ("```python snippet\nx\n```\n## A\n", 1, "outside any card"),
    ("## A\ntimeout: soon\n\nback\n", 2, "timeout"),
    ("## A\n```python snippet\nprint(1)\n", 2, "never closed"),
    ("just text\n", 1, "no cards"),
    ("## Same\nx\n\n## Same\ny\n", 4, "repeats line 1"),
    ("---\ndeck: [unclosed\n---\n## A\n", 1, "front matter"),
    # a predict block must say where its hidden checks start
    ("## A\n\n## B\nWhat does it print?\n\n```python predict\nprint(2)\nassert 2 == 2\n```\n",
     6, "predict block of card 'B' has no '# check' line"),
    ("## Dépôt\n```python predict\nprint(1)  # check it prints 1\n```\n", 2, "no '# check'"),
])
def test_malformed_deck_names_the_line(text, line, message):
    with pytest.raises(DeckError, match=rf"line {line}: .*{message}"):
        parse_deck(text)


def test_bundled_deck_links_fixture_keywords(cli, fixture_log):
    cli("import", str(fixture_log), "--year", "2023")
    cards = {c["front"]: c for c in json.loads(cli("cards", "--json").output)
             if c["deck"] == "journal"}
    for keyword in ("Contiguous", "Backward Method", "Hook", "Dataset", "DataLoader"):
        assert cards[keyword]["snippet"], keyword
    assert cards["Contiguous"]["snippet"] == "contiguity-and-strides"
    assert cards["Document"]["snippet"] == cards["Source Code"]["snippet"] == "reading-the-source"
    snippets = json.loads(cli("snippets", "--json").output)
    assert {"name", "card", "deck", "trusted"} <= set(snippets[0])
    assert all(s["trusted"] for s in snippets)


def test_added_deck_is_untrusted_until_trusted(cli, tmp_path):
    path = tmp_path / "tiny.md"
    path.write_text(DECK, encoding="utf-8")
    result = cli("deck", "add", str(path))
    assert result.exit_code == 0 and "2 new" not in result.output and "3 new" in result.output
    refused = cli("run", "strides")
    assert refused.exit_code == 1 and "not trusted" in refused.stderr
    assert "studylog trust 'Tiny'" in refused.stderr
    snippets = {s["name"]: s for s in json.loads(cli("snippets", "--json").output)}
    assert snippets["strides"]["trusted"] is False
    assert cli("trust", "Tiny").exit_code == 0
    ran = cli("run", "strides")
    assert ran.exit_code == 0 and "stride demo" in ran.output


def test_readding_edited_deck_keeps_history_and_orphans_removed(cli, tmp_path, store):
    path = tmp_path / "tiny.md"
    path.write_text(DECK, encoding="utf-8")
    cli("deck", "add", str(path))
    card_id = store.value("SELECT id FROM cards WHERE key = 'strides'")
    with store.write():
        store.cards.update(card_id, {"state": "review", "stability": 5.0, "reps": 3})
    path.write_text(DECK.replace("how far to jump", "how far to step").split("## Plain")[0],
                    encoding="utf-8")
    result = cli("deck", "add", str(path))
    assert "1 updated" in result.output and "1 no longer in the file" in result.output
    row = store.cards.get(card_id)
    assert (row.state, row.stability, row.reps) == ("review", 5.0, 3)
    assert "how far to step" in row.back
    assert store.value("SELECT orphaned FROM cards WHERE key = 'plain-card'") == 1


def test_malformed_added_deck_is_refused_with_line(cli, tmp_path):
    path = tmp_path / "bad.md"
    path.write_text("## A\n```python snippet\nx\n```\n```python snippet\ny\n```\n",
                    encoding="utf-8")
    result = cli("deck", "add", str(path))
    assert result.exit_code == 1
    assert "bad.md: line 5: a second snippet" in result.stderr


def test_snippet_name_clash_with_bundled_deck_is_refused(cli, tmp_path):
    path = tmp_path / "clash.md"
    path.write_text("---\ndeck: Clash\n---\n## Hooks\nname: hooks\n\n```python snippet\n"
                    "print(1)\n```\n", encoding="utf-8")
    result = cli("deck", "add", str(path))
    assert result.exit_code == 1 and "already used by deck 'PyTorch fundamentals'" in result.stderr


def test_bundled_decks_are_package_data():
    assert (paths.bundled_decks_dir() / "pytorch-fundamentals.md").is_file()
    assert any(paths.bundled_entries_dir().glob("*.md"))


def test_readding_a_deck_keeps_the_leech_tag(cli, tmp_path, store):
    path = tmp_path / "tiny.md"
    path.write_text(DECK, encoding="utf-8")
    cli("deck", "add", str(path))
    card_id = store.value("SELECT id FROM cards WHERE key = 'strides'")
    with store.write():
        store.cards.update(card_id, {"tags": ["leech"], "suspended": 1})
    path.write_text(DECK.replace("how far to jump", "how far to hop"), encoding="utf-8")
    cli("deck", "add", str(path))
    assert store.cards.get(card_id).tags == ["leech"]
    assert store.cards.get(card_id).suspended



def test_readding_a_deck_keeps_what_you_edited_in_the_app(cli, tmp_path, store):
    """A deck update writes the file's new text, except where you edited the card's
    front or back or the snippet's code in the app (the rule lives in card_editing, for
    imports and deck updates alike); what you did not edit follows the file."""
    from studylog.core.cards.card_editing import edit_card, edit_snippet_code

    path = tmp_path / "tiny.md"
    path.write_text(DECK, encoding="utf-8")
    cli("deck", "add", str(path))
    strides = store.cards.get(store.value("SELECT id FROM cards WHERE key = 'strides'"))
    plain = store.value("SELECT id FROM cards WHERE key = 'plain-card'")
    edit_card(store, strides.id, "Strides (내 메모)", strides.back + "\n\n내가 덧붙인 줄.")
    edit_card(store, plain, "Plain card", "My own back.")  # the back only
    snippet = store.value("SELECT id FROM snippets WHERE code LIKE '%stride demo%'")
    edit_snippet_code(store, snippet, 'print("my stride demo")\n', strides.id)
    path.write_text(DECK.replace("how far to jump", "how far to hop")
                    .replace('print("stride demo")', 'print("deck stride demo")')
                    .replace("Just prose.", "Just prose, revised.")
                    .replace("It prints 2.", "It prints 2, always."), encoding="utf-8")
    cli("deck", "add", str(path))
    kept = store.cards.get(strides.id)
    assert kept.front == "Strides (내 메모)" and kept.back.endswith("내가 덧붙인 줄.")
    assert "how far to jump" in kept.back  # the file's new back is not written over yours
    assert store.cards.get(plain).back == "My own back."
    assert store.value("SELECT code FROM snippets WHERE id = ?", [snippet]) == \
        'print("my stride demo")\n'
    # what you did not edit follows the file
    predict = store.value("SELECT back FROM cards WHERE key = 'predict-sum'")
    assert predict is not None and "It prints 2, always." in predict


def test_bundled_sync_parses_only_changed_files(store, tmp_path, monkeypatch):
    from studylog.core.cards import deck_library
    from studylog.core.cards import deck_parser as decks

    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "tiny.md").write_text(DECK, encoding="utf-8")
    parsed = []
    real = decks.read_deck_file
    monkeypatch.setattr(decks, "read_deck_file", lambda p: parsed.append(p) or real(p))
    deck_library.sync_bundled_decks(store, folder)
    deck_library.sync_bundled_decks(store, folder)
    assert len(parsed) == 1  # the second sync saw the same hash and parsed nothing
    (folder / "tiny.md").write_text(DECK.replace("how far to jump", "how far to leap"),
                                    encoding="utf-8")
    deck_library.sync_bundled_decks(store, folder)
    assert len(parsed) == 2
    assert "how far to leap" in store.value("SELECT back FROM cards WHERE key = 'strides'")
