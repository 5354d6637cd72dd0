"""A non-editable install (a wheel) ships entries/ and decks/ as package data."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_contains_sample_entries_and_decks(tmp_path):
    # Build from a clean copy: a stale build/ folder in a checkout would leak old files.
    source = tmp_path / "src"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        "build", ".venv", "*.egg-info", ".git", "__pycache__", ".pytest_cache"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "--quiet", "-w", str(tmp_path), str(source)], check=True,
                   capture_output=True)
    [wheel] = tmp_path.glob("studylog-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "studylog/decks/pytorch-fundamentals.md" in names
    samples = {n for n in names if n.startswith("studylog/entries/") and n.endswith(".md")}
    expected = {f"studylog/entries/{p.name}" for p in (ROOT / "entries").glob("*.md")}
    assert samples == expected and len(samples) >= 3
    sources = {str(p.relative_to(ROOT)) for p in (ROOT / "studylog").rglob("*.py")}
    assert sources <= names, sorted(sources - names)  # every subpackage is listed
    assert not any(n.startswith("tests/") for n in names)
