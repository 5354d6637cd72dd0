"""Your own code runs (issue 15, items 1 and 5): a keyword card whose back quotes a
Python block from the learner's log runs it from the CLI, as the learner's; pseudo-code,
shell and pasted output are not offered; a linked added deck's snippet keeps its trust."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studylog.core.cards.card_code import is_runnable_python, runnable_blocks
from studylog.core.cards.deck_library import add_deck
from studylog.core.cards.snippet_trust import UntrustedDeck, card_snippets, snippet_to_run
from studylog.core.journal.importer import import_logs
from studylog.core.storage.database import Store

EINSUM_DAY = """\
## 2024-05-02 (목)
Einsum 으로 배치 행렬곱을 써 보았다. 인덱스 문자열이 곧 설명이다.

```python
import torch
a = torch.ones(2, 3)
print(torch.einsum("ij->j", a).tolist())
```

키워드: Einsum
"""

TWO_BLOCKS_DAY = """\
# Week 3

## 2024-05-06
Broadcasting: shapes line up from the right.
```
x = [1, 2, 3]
print(sum(x) * 2)
```

Broadcasting again, but a loop this time:

~~~py
for i in range(3):
    print("row", i)
~~~

Broadcasting, the pseudo-code I scribbled:

```
tensor[0][0][0] - tensor[0][0][1] - ...
```

Broadcasting error I pasted:

```
RuntimeError: The size of tensor a (3) must match the size of tensor b (4)
```

Broadcasting from the shell:

```bash
python -c "print(1)"
```

Keywords: Broadcasting
"""


def _card(store: Store, key: str) -> int:
    card_id: int = store.value("SELECT c.id FROM cards c JOIN decks d ON d.id = c.deck_id "
                               "WHERE d.kind = 'journal' AND c.key = ?", [key])
    return card_id


def _import(store: Store, tmp_path: Path, name: str, text: str) -> None:
    log = tmp_path / name
    log.write_text(text, encoding="utf-8")
    import_logs(store, [log])


@pytest.mark.parametrize("code", [
    "tensor[0][0][0] - tensor[0][0][1] - ...",
    "RuntimeError: shapes do not match",
    "tensor([[1., 2.],\n        [3., 4.]])",
    "x.shape",
    "pip install torch",
])
def test_pseudo_code_and_output_are_not_offered(code):
    assert not is_runnable_python("", code)


@pytest.mark.parametrize("info,code", [
    ("", "import torch"), ("", "y = 2"), ("", "def f():\n    return 1"),
    ("", "class A:\n    pass"), ("", "while False:\n    pass"), ("", "print('hi')"),
    ("python", "tensor[0] - ..."), ("py", "x"),
])
def test_python_blocks_are_offered(info, code):
    assert is_runnable_python(info, code)


def test_other_languages_are_not_offered():
    assert not is_runnable_python("bash", "x = 1")
    assert not is_runnable_python("text", "print(1)")


def test_the_einsum_card_runs_its_block_from_the_cli(store, tmp_path, cli):
    _import(store, tmp_path, "2024-05.md", EINSUM_DAY)
    card_id = _card(store, "einsum")
    result = cli("run", str(card_id))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[2.0, 2.0, 2.0]"
    assert "Einsum #1" in result.stderr and "ok (" in result.stderr
    listed = {c["id"]: c for c in json.loads(cli("cards", "--json").stdout)}[card_id]
    assert listed["snippet"] == "Einsum #1"
    assert listed["snippets"] == [{"kind": "journal", "name": "Einsum #1",
                                   "first_line": "import torch"}]
    own = [s for s in json.loads(cli("snippets", "--json").stdout) if s["kind"] == "journal"]
    assert [(s["card_id"], s["blocks"]) for s in own] == [(card_id, 1)]
    assert "Einsum" in cli("snippets").stdout


def test_a_card_with_two_blocks_runs_either_and_offers_no_pseudo_code(store, tmp_path, cli):
    _import(store, tmp_path, "week3.md", TWO_BLOCKS_DAY)
    card_id = _card(store, "broadcasting")
    back = store.value("SELECT back FROM cards WHERE id = ?", [card_id])
    assert "tensor[0][0][0]" in back and "RuntimeError" in back  # quoted, but not offered
    assert [b.first_line for b in runnable_blocks(back)] == ["x = [1, 2, 3]",
                                                              "for i in range(3):"]
    listed = {c["id"]: c for c in json.loads(cli("cards", "--json").stdout)}[card_id]
    # the bundled deck's broadcasting snippet, linked by alias, comes after the learner's
    assert [(s["kind"], s["first_line"]) for s in listed["snippets"]][:2] == [
        ("journal", "x = [1, 2, 3]"), ("journal", "for i in range(3):")]
    assert [s["kind"] for s in listed["snippets"][2:]] in ([], ["deck"])
    first = cli("run", str(card_id))
    assert first.exit_code == 0 and first.stdout.strip() == "12"
    second = cli("run", str(card_id), "--block", "2")
    assert second.exit_code == 0 and second.stdout.split() == ["row", "0", "row", "1",
                                                               "row", "2"]
    n = len(listed["snippets"])
    beyond = cli("run", str(card_id), "--block", str(n + 1))
    assert beyond.exit_code == 1 and f"has {n} runnable block(s)" in beyond.stderr


def test_the_same_block_quoted_on_two_days_is_offered_once(store, tmp_path, cli):
    # Found by hand: a learner who pasted the same einsum block on two days got two
    # identical snippets to pick from (Einsum #1, Einsum #2); the back still quotes both.
    second_day = EINSUM_DAY.replace("2024-05-02 (목)", "2024-05-03 (금)").replace(
        "Einsum 으로 배치", "Einsum 복습: 어제와 같은 배치")
    _import(store, tmp_path, "2024-05.md", EINSUM_DAY + "\n" + second_day)
    card_id = _card(store, "einsum")
    back = store.value("SELECT back FROM cards WHERE id = ?", [card_id])
    assert back.count('print(torch.einsum("ij->j", a).tolist())') == 2
    listed = {c["id"]: c for c in json.loads(cli("cards", "--json").stdout)}[card_id]
    assert [s["name"] for s in listed["snippets"]] == ["Einsum #1"]
    beyond = cli("run", str(card_id), "--block", "2")
    assert beyond.exit_code == 1 and "has 1 runnable block(s)" in beyond.stderr


ADDED_DECK = """---
deck: Borrowed
---
## Einsum tricks
aliases: Einsum

Someone else's einsum.

```python snippet
print("borrowed")
```
"""


def test_a_linked_added_deck_snippet_still_asks_for_trust_but_own_code_never(
        store, tmp_path, cli):
    deck = tmp_path / "borrowed.md"
    deck.write_text(ADDED_DECK, encoding="utf-8")
    add_deck(store, deck)
    _import(store, tmp_path, "2024-05.md", EINSUM_DAY)
    card_id = _card(store, "einsum")
    kinds = [(s.kind, s.deck, s.trusted) for s in card_snippets(store, card_id)]
    assert kinds == [("journal", "journal", True), ("added", "Borrowed", False)]
    assert snippet_to_run(store, card_id=card_id).code.startswith("import torch")
    with pytest.raises(UntrustedDeck, match="deck 'Borrowed' is not trusted"):
        snippet_to_run(store, card_id=card_id, block=2)
    listed = {c["id"]: c for c in json.loads(cli("cards", "--json").stdout)}[card_id]
    assert [(s["kind"], s["name"]) for s in listed["snippets"]] == [
        ("journal", "Einsum #1"), ("deck", "einsum-tricks")]
    refused = cli("run", str(card_id), "--block", "2")
    assert refused.exit_code == 1 and "not trusted" in refused.stderr
    assert "borrowed" not in refused.stdout
    own = cli("run", str(card_id))
    assert own.exit_code == 0 and "[2.0, 2.0, 2.0]" in own.stdout
