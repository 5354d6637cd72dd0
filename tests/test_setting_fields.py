"""Settings as typed in the settings screen (issue 17, item 2): each field read from text,
saved at once, or refused in one line with nothing written."""

from __future__ import annotations

import pytest

from studylog.core.preferences import saved_editor
from studylog.core.review.setting_fields import (
    deck_field_texts,
    global_field_texts,
    set_deck_field,
    set_global_field,
)
from studylog.core.review.settings import ReviewError, day_config, deck_settings
from studylog.errors import StudylogError


@pytest.fixture
def journal(store, fixture_log):
    from studylog.core.journal.importer import import_logs

    import_logs(store, [fixture_log], year=2023)
    return store


def rows(store) -> list[dict]:
    return store.query("SELECT * FROM deck_settings")


@pytest.mark.parametrize(("name", "text", "shown", "value"), [
    ("new_per_day", " 7 ", "7", 7),
    ("reviews_per_day", "0", "0", 0),
    ("desired_retention", "0.85", "0.85", 0.85),
    ("desired_retention", "92%", "0.92", 0.92),
    ("learning_steps", "30s, 5m 1h", "30s 5m 1h", (30, 300, 3600)),
    ("leech_threshold", "4", "4", 4),
])
def test_a_valid_field_is_saved_at_once(journal, name, text, shown, value):
    assert set_deck_field(journal, "journal", name, text) == shown
    assert getattr(deck_settings(journal, "journal"), name) == value
    assert deck_field_texts(journal, "journal")[1][name] == shown


@pytest.mark.parametrize(("name", "text", "message"), [
    ("new_per_day", "스무 개", "new cards per day must be a whole number, got '스무 개'"),
    ("new_per_day", "-1", "new cards per day must be from 0 to 9999, got -1"),
    ("reviews_per_day", "2.5", "reviews per day must be a whole number, got '2.5'"),
    ("desired_retention", "1.5", "desired retention must be from 0.70 to 0.99, got 1.5"),
    ("desired_retention", "high", "desired retention must be a number such as 0.9, "
                                  "got 'high'"),
    ("learning_steps", "10 minutes", "bad step '10': use a number and a unit s, m, h or d "
                                     "(e.g. '1m 10m')"),
    ("learning_steps", "  ", "learning steps: give at least one step, e.g. '1m 10m'"),
    ("leech_threshold", "0", "leech threshold must be from 1 to 99, got 0"),
    # seen in tmux: saved, then every grade and `due` crashed with OverflowError
    ("learning_steps", "1m 99999999999999999999999d",
     "learning steps: a step can be at most 365d"),
    ("learning_steps", "1m 99999999d", "learning steps: a step can be at most 365d"),
])
def test_a_bad_field_is_one_line_and_writes_nothing(journal, name, text, message):
    before = rows(journal)
    with pytest.raises(ReviewError) as refused:
        set_deck_field(journal, "journal", name, text)
    assert str(refused.value) == message
    assert rows(journal) == before


def test_global_fields(journal):
    assert global_field_texts(journal) == {"day_start": "4", "timezone": "", "editor": ""}
    assert set_global_field(journal, "day_start", "5") == "5"
    assert set_global_field(journal, "timezone", "Asia/Seoul") == "Asia/Seoul"
    assert set_global_field(journal, "editor", "nano -w") == "nano -w"
    config = day_config(journal)
    assert config.start_hour == 5 and str(config.tz) == "Asia/Seoul"
    assert saved_editor(journal) == "nano -w"
    for name, text, message in [
            ("day_start", "24", "the hour the study day starts must be from 0 to 23, got 24"),
            ("timezone", "Mars/Olympus", "unknown time zone 'Mars/Olympus'"),
            ("editor", "code '--wait", "editor: No closing quotation in \"code '--wait\"")]:
        with pytest.raises(StudylogError) as refused:
            set_global_field(journal, name, text)
        assert str(refused.value) == message
    assert global_field_texts(journal) == {"day_start": "5", "timezone": "Asia/Seoul",
                                           "editor": "nano -w"}
    set_global_field(journal, "timezone", "")  # back to the system's zone
    assert day_config(journal).tz is None
