"""Helpers for tests that compare imports: logs in many styles written to a folder, and
everything an import writes, read back without ids and timestamps."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from log_styles import styled_log

from studylog.core.storage.database import Store


def write_logs(folder: Path, files: int, seed: int = 4, days: int = 3) -> list[Path]:
    """``files`` logs of ``days`` days each, in styles drawn from ``seed``, in name order."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    start = date(2023, 1, 2)
    paths = []
    for n in range(files):
        path = folder / f"{start.year}-week{n:03d}.md"
        path.write_text(styled_log(rng, start, days), encoding="utf-8")
        paths.append(path)
        start += timedelta(days=7)
    return paths


def journal_state(store: Store) -> dict[str, Any]:
    """Everything an import of logs writes, without ids and timestamps (the command
    also brings in the bundled decks: only the journal's cards are compared)."""
    def rows(sql: str) -> list[tuple[Any, ...]]:
        return sorted(tuple(r.values()) for r in store.query(sql))

    return {
        "entries": [(e.date, e.title, e.week, e.body, e.tags, e.source_file, e.keywords)
                    for e in store.entries.all()],
        "passages": rows("SELECT e.date, k.norm, p.position, p.text FROM passages p "
                         "JOIN entries e ON e.id = p.entry_id "
                         "JOIN keywords k ON k.id = p.keyword_id"),
        "cards": rows("SELECT c.key, c.front, c.back, c.orphaned, c.first_written "
                      "FROM cards c JOIN decks d ON d.id = c.deck_id "
                      "WHERE d.name = 'journal'"),
        "sources": rows("SELECT path, content_hash, days FROM sources"),
        "weeks": rows("SELECT title, start_date, end_date, summary FROM weeks"),
        "candidates": rows("SELECT date, norm, front, back, status FROM candidates"),
        "bases": rows("SELECT e.date, b.base FROM day_bases b "
                      "JOIN entries e ON e.id = b.entry_id"),
    }


def assert_consistent(store: Store) -> None:
    """SQLite's checks pass, and every recorded file has all its days and no more."""
    assert store.integrity_check() == "ok"
    assert store.query("PRAGMA foreign_key_check") == []
    recorded = {r["path"]: r["days"] for r in store.query("SELECT path, days FROM sources")}
    written = {r["source_file"]: r["n"] for r in store.query(
        "SELECT source_file, count(*) AS n FROM entries GROUP BY source_file")}
    assert written == recorded
