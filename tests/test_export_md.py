"""``studylog export md``: the journal as Markdown that imports back the same (issue 16,
item 3). Each round trip imports the export into an empty database and compares days,
titles, bodies, keywords, keyword cards, pending candidates and weeks."""

from __future__ import annotations

import json
import random
import sys
from datetime import date
from pathlib import Path

import pytest

from studylog.core.journal.day_editing import save_day_text
from studylog.core.journal.export_md import ExportError, export_markdown
from studylog.core.journal.importer import import_logs
from studylog.core.storage.database import Store

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import journal_scale  # noqa: E402  (the generated logs of the benchmarks)

# days written in the app, in other styles: English, a keyword block, a hashtag label
APP_DAYS = {
    date(2023, 12, 4): "Reviewed broadcasting rules today.\n\n"
                        "Broadcasting stretches size-1 dims; strides become 0.\n\n"
                        "Keywords: Broadcasting, Stride",
    date(2023, 12, 5): "**키워드**\n\n- Mixed Precision\n- Gradient Scaler: loss를 키워서 "
                        "underflow를 막는다\n\nmixed precision으로 메모리를 반으로 줄였다.",
    date(2024, 1, 2): "새해 첫 공부. **Einsum**: 축 이름으로 곱을 적는다.\n\n"
                      "#키워드 - Einsum, Transformer",
}


def snapshot(store: Store) -> dict[str, object]:
    return {
        "days": [(e.date, e.title, e.body, e.keywords, e.tags, e.week)
                 for e in store.entries.all()],
        "cards": sorted((r["front"], r["back"], r["orphaned"]) for r in store.query(
            "SELECT c.front, c.back, c.orphaned FROM cards c JOIN decks d ON "
            "d.id = c.deck_id WHERE d.kind = 'journal'")),
        "candidates": sorted((r["front"], r["date"], r["status"]) for r in store.query(
            "SELECT front, date, status FROM candidates")),
        "weeks": sorted((r["title"], r["start_date"], r["end_date"], r["summary"])
                        for r in store.query("SELECT * FROM weeks")),
    }


def round_trip(store: Store, tmp_path: Path, per: str = "week") -> dict[str, object]:
    out = tmp_path / f"export-{per}"
    report = export_markdown(store, out, per)  # type: ignore[arg-type]
    assert report.days == len(store.entries.all()) and report.files > 0
    with Store(tmp_path / f"back-{per}.sqlite3") as fresh:
        imported = import_logs(fresh, [out])
        assert not imported.refused and imported.refused_days == 0
        assert not any(f.notes for f in imported.files)  # no year was guessed
        return snapshot(fresh)


@pytest.mark.parametrize("per", ["week", "day"])
def test_the_fixture_round_trips(store, tmp_path, fixture_log, per):
    import_logs(store, [fixture_log], year=2023)
    before = snapshot(store)
    after = round_trip(store, tmp_path, per)
    if per == "day":  # a day file has no week heading: the week is the one thing lost
        before["days"] = [d[:5] + (None,) for d in before["days"]]  # type: ignore[union-attr]
        before["weeks"] = []
    assert after == before
    assert after["days"][0][1] == "Day 6 (11/13)"  # type: ignore[index]


def test_the_samples_and_days_written_in_the_app_round_trip(store, tmp_path):
    samples = import_logs(store, [ROOT / "entries"])
    for day, body in APP_DAYS.items():
        save_day_text(store, day, body)
    first = store.entries.get("2023-11-06")
    assert first is not None  # a sample day edited in the app: the export has the edit
    save_day_text(store, date(2023, 11, 6), first.body + "\n\n앱에서 덧붙인 문장.")
    before = snapshot(store)
    sample_days = sum(f.days_new for f in samples.files)
    assert sample_days >= 10 and len(before["days"]) == sample_days + len(APP_DAYS)  # type: ignore[arg-type]
    assert ("Einsum", "2024-01-02", "pending") not in before["candidates"]  # type: ignore
    after = round_trip(store, tmp_path)
    assert after == before
    keywords = {d[0]: d[3] for d in after["days"]}  # type: ignore[union-attr]
    assert keywords["2023-12-05"] == ["Mixed Precision", "Gradient Scaler"]
    assert keywords["2024-01-02"] == ["Einsum", "Transformer"]


def test_a_generated_year_round_trips_per_week_and_per_day(store, tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    journal_scale.generate(logs, 365, random.Random(5), start=date(2022, 12, 26))
    import_logs(store, [logs])
    before = snapshot(store)
    assert len(before["days"]) == 365  # type: ignore[arg-type]
    assert round_trip(store, tmp_path, "week") == before
    per_day = round_trip(store, tmp_path, "day")
    assert per_day["days"] == [d[:5] + (None,) for d in before["days"]]  # type: ignore
    assert per_day["cards"] == before["cards"]


def test_export_refuses_a_folder_with_files_and_writes_nothing(store, tmp_path, fixture_log):
    import_logs(store, [fixture_log], year=2023)
    out = tmp_path / "notes"
    out.mkdir()
    (out / "mine.md").write_text("my own notes", encoding="utf-8")
    with pytest.raises(ExportError, match="not empty"):
        export_markdown(store, out)
    assert [p.name for p in out.iterdir()] == ["mine.md"]


def test_cli_export_md_writes_one_file_per_day(cli, store, tmp_path, fixture_log):
    import_logs(store, [fixture_log], year=2023)
    out = tmp_path / "md"
    done = cli("export", "md", str(out), "--per", "day", "--json")
    assert done.exit_code == 0, done.output
    assert json.loads(done.output) == {"folder": str(out), "files": 2, "days": 2}
    text = (out / "2023-11-13.md").read_text(encoding="utf-8")
    assert text.startswith('---\ndate: "2023-11-13"\n---\n\n## Day 6 (11/13)\n\n')
    assert text.rstrip().endswith("+ ##### 키워드: Contiguous, Backward Method, Hook")
    again = cli("export", "md", str(out))
    assert again.exit_code == 1 and "not empty" in again.output
