from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from studylog.core.storage.database import Store

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixture_log() -> Path:
    return FIXTURES / "week2-pytorch.md"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "studylog.sqlite3"


@pytest.fixture
def store(db_path: Path):
    s = Store(db_path)
    yield s
    s.close()


@pytest.fixture
def cli(db_path: Path):
    """Run the real click command against a temp database: cli("cards", "--json")."""
    from studylog.cli import cli as command

    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(command, ["--db", str(db_path), *args], input=input,
                             catch_exceptions=False)

    return invoke


@pytest.fixture
def week2(tmp_path: Path) -> Path:
    """A copy of tests/fixtures/week2-pytorch.md (in ``tmp_path/logs``) the tests may
    rewrite: write-back, three-way merges and renames change it."""
    path = tmp_path / "logs" / "week2.md"
    path.parent.mkdir()
    shutil.copy(FIXTURES / "week2-pytorch.md", path)
    return path
