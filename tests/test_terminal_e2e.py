"""End to end: the installed ``studylog`` command in a real pseudo-terminal (pexpect)."""

from __future__ import annotations

import shutil
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
        return pexpect.spawn(STUDYLOG, ["--db", str(db), *args], encoding="utf-8",
                             timeout=60, dimensions=(40, 120), cwd=str(tmp_path))

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
