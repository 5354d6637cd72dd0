"""The CLI: JSON shapes, help texts, one-line errors, database selection."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from studylog.cli import cli as root


def test_json_shapes(cli, fixture_log):
    assert cli("import", str(fixture_log), "--year", "2023").exit_code == 0
    entries = json.loads(cli("entries", "--json").output)
    assert [e["date"] for e in entries] == ["2023-11-13", "2023-11-14"]
    assert set(entries[0]) == {"date", "title", "week", "keywords", "body"}
    assert entries[0]["keywords"] == ["Contiguous", "Backward Method", "Hook"]
    assert entries[0]["week"] == "Week 2 (11/13 ~ 11/17)"
    cards = [c for c in json.loads(cli("cards", "--json").output) if c["deck"] == "journal"]
    assert len(cards) == 7
    assert {"id", "front", "back", "deck", "source_dates", "snippet", "due", "state"} <= set(cards[0])
    assert cards[0]["source_dates"] == ["2023-11-13"]
    hits = json.loads(cli("search", "contiguous", "--json").output)
    assert {h["kind"] for h in hits} == {"entry", "card"}
    entry_hit = next(h for h in hits if h["kind"] == "entry")
    card_hit = next(h for h in hits if h["kind"] == "card")
    assert "date" in entry_hit and "excerpt" in entry_hit and "contiguous" in entry_hit["excerpt"]
    assert isinstance(card_hit["card_id"], int)


def test_import_json_report(cli, fixture_log):
    report = json.loads(cli("import", str(fixture_log), "--year", "2023", "--json").output)
    assert report["files"][0]["status"] == "imported" and report["files"][0]["days_new"] == 2
    assert report["new_cards"][0] == "Contiguous"


def _commands(group, prefix=()):
    for name, command in group.commands.items():
        yield (*prefix, name)
        if hasattr(command, "commands"):
            yield from _commands(command, (*prefix, name))


def test_every_command_explains_itself(cli):
    result = cli("--help")
    assert result.exit_code == 0 and "study journal" in result.output
    for path in _commands(root):
        result = cli(*path, "--help")
        assert result.exit_code == 0, path
        assert "Usage:" in result.output and len(result.output.splitlines()) >= 4, path


def test_env_var_selects_database(tmp_path, fixture_log):
    env = {**os.environ, "STUDYLOG_DB": str(tmp_path / "via-env.sqlite3")}
    subprocess.run([sys.executable, "-m", "studylog", "import", str(fixture_log), "--year",
                    "2023"], env=env, check=True, capture_output=True)
    assert (tmp_path / "via-env.sqlite3").exists()


def test_bad_database_is_one_line_error(tmp_path):
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"not a database at all" * 50)
    result = subprocess.run([sys.executable, "-m", "studylog", "--db", str(bad), "entries"],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.startswith("error: cannot open database")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize("args", [["import"], ["search"]])
def test_usage_errors(cli, args):
    result = cli(*args)
    assert result.exit_code == 2


def test_overview_aligns_wide_korean_titles():
    from studylog.cli.open_command import pad

    assert pad("11월 (월)", 12) == "11월 (월)" + " " * 3  # 5 narrow + 2 wide (4 columns)
    assert pad("Day 1", 8) == "Day 1   "


def test_every_command_is_in_the_lazy_map_of_its_module():
    import importlib

    from studylog.cli import LAZY_COMMANDS

    found = {}
    for module in set(LAZY_COMMANDS.values()):
        for command in importlib.import_module(f"studylog.cli.{module}").COMMANDS:
            found[command.name] = module
    assert found == LAZY_COMMANDS


def test_demo_never_writes_the_journal_named_by_studylog_db(tmp_path, monkeypatch):
    """Issue 13, item 13: with STUDYLOG_DB set, the demo imported its sample into the
    user's own journal. It keeps to the demo database; a --db naming the journal is
    refused."""
    from click.testing import CliRunner

    from studylog import paths

    monkeypatch.setattr(paths, "data_dir", lambda: tmp_path / "data")
    journal = tmp_path / "my-journal.sqlite3"
    monkeypatch.setenv("STUDYLOG_DB", str(journal))
    runner = CliRunner()
    result = runner.invoke(root, ["demo", "--text"])
    assert result.exit_code == 0, result.output
    assert str(tmp_path / "data" / "demo.sqlite3") in result.output
    assert not journal.exists()  # not even created
    demo_days = json.loads(runner.invoke(
        root, ["--db", str(tmp_path / "data" / "demo.sqlite3"), "entries", "--json"]).output)
    assert demo_days  # the sample went to the demo database

    refused = runner.invoke(root, ["--db", str(journal), "demo", "--text"])
    assert refused.exit_code == 1 and not journal.exists()
    assert "the demo does not write your journal" in refused.output
