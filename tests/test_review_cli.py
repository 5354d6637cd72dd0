"""The review commands over the real click group and a temp database (real clock)."""

from __future__ import annotations

import json

import pytest

from studylog.core.storage.database import Store


@pytest.fixture
def imported(cli, fixture_log) -> list[dict]:
    """Import the fixture; returns `due --deck journal --json`'s cards."""
    assert cli("import", str(fixture_log), "--year", "2023").exit_code == 0
    return json.loads(cli("due", "--deck", "journal", "--json").output)["cards"]


def log_rows(db_path) -> int:
    with Store(db_path) as store:
        return store.value("SELECT count(*) FROM review_log")


def test_due_json_lists_the_queue_in_order(cli, imported):
    assert [c["front"] for c in imported] == [
        "Contiguous", "Backward Method", "Hook", "Dataset", "DataLoader", "Document",
        "Source Code"]
    assert all(set(c) == {"id", "front", "deck", "state", "due"} for c in imported)
    assert {(c["deck"], c["state"], c["due"]) for c in imported} == {("journal", "new", None)}
    everything = json.loads(cli("due", "--json").output)
    assert set(everything["counts"]) == {"new", "learning", "review"}
    assert everything["counts"]["new"] == len(everything["cards"])
    assert everything["cards"][:7] == imported  # dated journal cards first, then decks
    assert all(c["deck"] != "journal" for c in everything["cards"][7:])


def test_grade_undo_and_cards_agree(cli, imported, db_path):
    card = imported[0]["id"]
    result = cli("grade", str(card), "again", "--json")
    assert result.exit_code == 0, result.output
    graded = json.loads(result.output)
    assert {"due", "state", "stability", "difficulty"} <= set(graded)
    assert graded["state"] == "learning" and graded["due"].endswith("+00:00")
    listed = {c["id"]: c for c in json.loads(cli("cards", "--json").output)}
    assert (listed[card]["state"], listed[card]["due"]) == ("learning", graded["due"])
    due = json.loads(cli("due", "--deck", "journal", "--json").output)
    assert due["counts"]["learning"] == 1 and due["counts"]["new"] == 6
    assert card in [c["id"] for c in due["cards"]]
    text = cli("grade", str(imported[1]["id"]), "easy")
    assert text.exit_code == 0 and "-> review, due in" in text.output
    assert log_rows(db_path) == 2
    assert cli("undo").exit_code == 0 and cli("undo").exit_code == 0
    assert log_rows(db_path) == 0
    listed = {c["id"]: c for c in json.loads(cli("cards", "--json").output)}
    assert (listed[card]["state"], listed[card]["due"]) == ("new", None)


def test_suspend_unsuspend_bury(cli, imported):
    first, second = imported[0]["id"], imported[1]["id"]
    assert "suspended" in cli("suspend", str(first)).output
    assert "buried until" in cli("bury", str(second)).output
    ids = [c["id"] for c in json.loads(cli("due", "--deck", "journal", "--json").output)["cards"]]
    assert first not in ids and second not in ids and len(ids) == 5
    listed = {c["id"]: c for c in json.loads(cli("cards", "--json").output)}
    assert listed[first]["suspended"] is True
    assert cli("unsuspend", str(first)).exit_code == 0
    ids = [c["id"] for c in json.loads(cli("due", "--deck", "journal", "--json").output)["cards"]]
    assert ids[0] == first


@pytest.mark.parametrize("args,message", [
    (("grade", "99999", "good"), "no card with id 99999"),
    (("grade", "CARD", "meh"), "unknown rating 'meh'"),
    (("grade", "abc", "good"), "card id must be a number"),
    (("due", "--deck", "nope"), "no deck named 'nope'"),
    (("suspend", "99999"), "no card with id 99999"),
    (("bury", "99999"), "no card with id 99999"),
    (("undo",), "nothing to undo"),
])
def test_bad_input_is_one_line_and_writes_nothing(cli, imported, db_path, args, message):
    args = tuple(str(imported[0]["id"]) if a == "CARD" else a for a in args)
    before = json.loads(cli("cards", "--json").output)
    result = cli(*args)
    assert result.exit_code != 0
    assert result.stderr.startswith("error: ")
    assert message in result.stderr and result.stderr.count("\n") == 1
    assert json.loads(cli("cards", "--json").output) == before and log_rows(db_path) == 0


def test_grading_a_suspended_card_fails(cli, imported, db_path):
    card = str(imported[0]["id"])
    cli("suspend", card)
    result = cli("grade", card, "good")
    assert result.exit_code == 1 and "suspended" in result.stderr
    assert log_rows(db_path) == 0


def test_review_settings(cli, imported):
    shown = json.loads(cli("review-settings", "--json").output)
    assert shown["day_starts_at"] == 4
    assert shown["decks"]["journal"]["learning_steps"] == "1m 10m"
    changed = cli("review-settings", "--deck", "journal", "--retention", "0.85",
                  "--new-per-day", "3", "--day-starts-at", "5", "--json")
    data = json.loads(changed.output)
    assert data["day_starts_at"] == 5 and data["decks"]["journal"]["new_per_day"] == 3
    assert json.loads(cli("due", "--deck", "journal", "--json").output)["counts"]["new"] == 3
    bad = cli("review-settings", "--deck", "journal", "--retention", "1.5")
    assert bad.exit_code == 1 and bad.stderr.startswith("error: desired retention")


def test_review_settings_share_the_apps_limits(cli, imported):
    """Seen when trying it: the CLI took a retention of 0.5 that the app refuses, and
    steps or a maximum interval so large that every grade then crashed."""
    card = str(imported[0]["id"])
    for option, value, message in [
            ("--retention", "0.5", "desired retention must be from 0.70 to 0.99, got 0.5"),
            ("--learning-steps", "1m 99999999d", "learning steps: a step can be at most 365d"),
            ("--relearning-steps", "99999999999999999999999d",
             "relearning steps: a step can be at most 365d"),
            ("--max-interval", "999999999999",
             "maximum interval must be from 1 to 36500, got 999999999999")]:
        bad = cli("review-settings", "--deck", "journal", option, value)
        assert (bad.exit_code, bad.stderr) == (1, f"error: {message}\n")
    assert cli("grade", card, "again").exit_code == 0
    assert cli("due", "--deck", "journal").exit_code == 0
    assert cli("review-settings", "--new-per-day", "3").exit_code == 1  # which deck?
