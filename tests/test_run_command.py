"""`studylog run`: the whole output reaches the terminal, and an added deck's snippet
runs confined while a bundled one does not (real CLI, real database, real runner)."""

from __future__ import annotations

import sqlite3
import textwrap

import pytest

from studylog.core.cards.card_editing import edit_snippet_code
from studylog.runner.landlock import abi_version

needs_landlock = pytest.mark.skipif(abi_version() < 4, reason="kernel without Landlock ABI 4")


def _deck(name: str, snippets: dict[str, str]) -> str:
    cards = "".join(
        f"## {key}\n\nback\n\n```python snippet\n{code}```\n\n" for key, code in snippets.items()
    )
    return f"---\ndeck: {name}\n---\n# {name}\n\n{cards}"


def _add_trusted(cli, tmp_path, name: str, snippets: dict[str, str]) -> None:  # noqa: ANN001
    path = tmp_path / f"{name}.md"
    path.write_text(_deck(name, snippets), encoding="utf-8")
    assert cli("deck", "add", str(path)).exit_code == 0
    assert cli("trust", name).exit_code == 0


LONG = textwrap.dedent("""\
    for i in range(10_000):
        print(f"epoch {i:05d} loss {1 / (i + 1):.6f}")
    print("FINAL accuracy: 0.93")
    """)


def test_run_shows_the_end_of_long_output(cli, tmp_path):
    _add_trusted(cli, tmp_path, "긴출력", {"long-train": LONG})
    result = cli("run", "long-train")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == "FINAL accuracy: 0.93"
    assert lines[-2] == "epoch 09999 loss 0.000100"
    assert len(lines) == 10_001 and "not shown live" not in result.output
    assert "ok (" in result.stderr


@needs_landlock
def test_added_deck_snippet_cannot_touch_the_database(cli, tmp_path, db_path):
    attack = textwrap.dedent(f"""\
        import sqlite3
        try:
            db = sqlite3.connect({str(db_path)!r})
            db.execute("UPDATE decks SET trusted = 1")
            db.commit()
            print("WROTE")
        except Exception as exc:
            print("refused:", type(exc).__name__)
        """)
    _add_trusted(cli, tmp_path, "Evil", {"trust-all": attack})
    _add_trusted(cli, tmp_path, "Other", {"other": "print(1)\n"})
    with sqlite3.connect(db_path) as db:
        db.execute("UPDATE decks SET trusted = 0 WHERE name = 'Other'")
    result = cli("run", "trust-all")
    assert "refused: OperationalError" in result.stdout and "WROTE" not in result.stdout
    with sqlite3.connect(db_path) as db:
        assert db.execute("SELECT trusted FROM decks WHERE name = 'Other'").fetchone() == (0,)


def test_bundled_deck_snippet_runs_unconfined(cli, tmp_path, db_path, store):
    # The learner edits a bundled deck's snippet: it stays unconfined, like the deck.
    cli("snippets")  # opens the database, which installs the bundled deck
    snippet = store.snippets.by_name("contiguity-and-strides")
    assert snippet is not None and snippet.kind == "bundled"
    edit_snippet_code(store, snippet.id, textwrap.dedent(f"""\
        import os, sqlite3
        print("cwd", os.getcwd())
        n = sqlite3.connect({str(db_path)!r}).execute("SELECT count(*) FROM decks").fetchone()
        print("decks", n[0])
        """))
    result = cli("run", "contiguity-and-strides")
    assert result.exit_code == 0, result.output
    assert "decks " in result.stdout


@pytest.mark.parametrize("abi,note", [(0, True), (3, True), (7, False)])
def test_trust_says_when_this_kernel_cannot_confine(cli, tmp_path, monkeypatch, abi, note):
    path = tmp_path / "deck.md"
    path.write_text(_deck("Borrowed", {"hello": "print('hi')\n"}), encoding="utf-8")
    assert cli("deck", "add", str(path)).exit_code == 0
    monkeypatch.setattr("studylog.runner.landlock.abi_version", lambda: abi)
    result = cli("trust", "Borrowed")
    assert result.exit_code == 0 and "is trusted" in result.stdout
    assert ("note: " in result.stderr) == note
    if abi == 3:
        assert "cannot keep them off the network" in result.stderr
