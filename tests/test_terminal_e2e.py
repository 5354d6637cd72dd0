"""End to end: the installed ``studylog`` command in a real pseudo-terminal (pexpect)."""

from __future__ import annotations

import shutil
import signal
import sys
from pathlib import Path

import pexpect
import pytest

STUDYLOG = shutil.which("studylog", path=str(Path(sys.executable).parent)) or \
    shutil.which("studylog")

SLEEPER = """---
deck: Sleepy
---
## Sleeper
```python snippet
import time
print("sleeping", flush=True)
time.sleep(60)
```
"""


@pytest.fixture
def spawn(tmp_path):
    if STUDYLOG is None:
        pytest.fail("the studylog command is not installed (run: pip install -e .)")
    db = tmp_path / "e2e.sqlite3"

    def run(*args: str) -> pexpect.spawn:
        # Ctrl+C as a terminal gives it: pytest started in the background (`cmd &`) has
        # SIGINT ignored, and an ignored signal stays ignored across exec
        return pexpect.spawn(STUDYLOG, ["--db", str(db), *args], encoding="utf-8",
                             timeout=60, dimensions=(40, 120), cwd=str(tmp_path),
                             preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))

    return run


def test_import_search_and_run_in_a_terminal(spawn, fixture_log):
    child = spawn("import", str(fixture_log), "--year", "2023")
    child.expect("7 new card\\(s\\): Contiguous, Backward Method, Hook")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    child = spawn("search", "contiguous")
    child.expect("2023-11-13")
    child.expect(pexpect.EOF)
    child = spawn("run", "contiguity-and-strides")
    child.expect("is_contiguous|contiguous: False")
    child.expect(r"\[contiguity-and-strides\] ok")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_ctrl_c_stops_a_running_snippet(spawn, tmp_path):
    deck = tmp_path / "sleepy.md"
    deck.write_text(SLEEPER, encoding="utf-8")
    for args in (("deck", "add", str(deck)), ("trust", "Sleepy")):
        child = spawn(*args)
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 0
    child = spawn("run", "sleeper")
    child.expect("sleeping")
    child.sendintr()
    child.expect(r"\[sleeper\] stopped", timeout=5)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130


def test_demo_text_overview_on_the_bundled_sample(spawn):
    child = spawn("demo", "--text")
    child.expect(r"(\d+) day\(s\), (\d+) card\(s\)")
    days = int(child.match.group(1))
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0 and days >= 8


def test_demo_opens_the_app_and_q_quits(spawn):
    child = spawn("demo")
    child.expect("Due now")
    child.expect("Recent keywords")
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


DAY8 = """
Day 8 (11/15)
---
오늘은 nn.Module을 상속해서 모델을 만들었다.

+ ##### 키워드: Module
"""


def test_an_app_edit_survives_appending_a_day_and_reimporting(spawn, fixture_log, tmp_path):
    """Issue 16: edit Day 6 in the app, append Day 8 to its file (one file per week),
    re-import: the edit is still there, and the import says it kept it."""
    import json
    import shutil

    log = tmp_path / "week2.md"
    shutil.copy(fixture_log, log)
    child = spawn("import", str(log), "--year", "2023")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    child = spawn()  # the app
    child.expect("Due now")
    child.send("j")
    child.expect("Journal · 2 day")
    child.send("\x1b[B")  # down: from 11-14 (newest first) to 11-13
    child.expect("Day 6")
    child.send("e")
    child.expect("unsaved changes|saved")
    child.send(", Terminal Edit")
    child.expect("unsaved changes")
    child.send("\x13")  # ctrl+s
    child.expect("2023-11-13 saved")
    child.send("\x1b")  # escape: back to the Journal
    child.expect("Journal · 2 day")
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    with log.open("a", encoding="utf-8") as f:
        f.write(DAY8)
    child = spawn("import", str(log), "--year", "2023")
    child.expect("your app edits of 2023-11-13 kept")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    child = spawn("entries", "--json")
    child.expect(pexpect.EOF)
    entries = {e["date"]: e for e in json.loads(child.before[child.before.index("["):])}
    assert entries["2023-11-13"]["body"].endswith("Backward Method, Hook, Terminal Edit")
    assert "Terminal Edit" in entries["2023-11-13"]["keywords"]
    assert "2023-11-15" in entries
