"""Only regular files are read, and their size is checked before reading: /dev/zero, a
FIFO and a huge sparse file are refused at once; an unreadable folder is named."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from studylog.core.cards.deck_parser import DeckError, read_deck_file
from studylog.core.journal.importer import import_logs
from studylog.core.text.file_reading import FileRefused, read_file_bytes

GOOD = "## 2023-11-13\n오늘은 DataLoader를 공부했다.\n\nKeywords: DataLoader\n"
CHILD = """
import json, sys
from studylog.core.journal.importer import import_logs
from studylog.core.storage.database import Store
with Store(sys.argv[1]) as store:
    report = import_logs(store, sys.argv[2:])
# VmHWM, not ru_maxrss: ru_maxrss keeps the peak of the forked pytest process
hwm = next(line for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(json.dumps({"files": [[f.path, f.status, f.message] for f in report.files],
                  "peak_mb": int(hwm.split()[1]) // 1024}))
"""


def _limited() -> None:
    # A regression must fail fast, not take the machine's memory: 1.5 GiB of address space.
    resource.setrlimit(resource.RLIMIT_AS, (3 << 29, 3 << 29))


def import_in_child(db: Path, *paths: str, as_nobody: bool = False,
                    timeout: float = 60) -> dict:
    import json

    # setpriv (util-linux) drops root's rights for the whole exec, as a real user has none
    prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] \
        if as_nobody else []
    out = subprocess.run([*prefix, sys.executable, "-c", CHILD, str(db), *paths],
                         capture_output=True, text=True, timeout=timeout,
                         preexec_fn=_limited)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout)


def test_dev_zero_is_refused_without_reading(tmp_path):
    report = import_in_child(tmp_path / "z.sqlite3", "/dev/zero", str(tmp_path))
    [[path, status, message]] = report["files"]
    assert (path, status) == ("/dev/zero", "refused")
    assert message == "not a regular file (a character device): not read"


def test_fifo_is_refused_not_waited_on(tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    os.mkfifo(logs / "pipe.md")
    (logs / "good.md").write_text(GOOD, encoding="utf-8")
    report = import_in_child(tmp_path / "f.sqlite3", str(logs / "pipe.md"), str(logs),
                             timeout=30)
    statuses = [(Path(p).name, s, m) for p, s, m in report["files"]]
    fifo = ("pipe.md", "refused", "not a regular file (a FIFO (named pipe)): not read")
    assert statuses == [fifo, ("good.md", "imported", ""), fifo]


def test_sparse_gigabyte_is_refused_before_reading(tmp_path):
    big = tmp_path / "huge.md"
    with open(big, "wb") as handle:
        handle.truncate(1 << 30)  # 1 GiB of holes: no disk used, but 1 GiB to read
    report = import_in_child(tmp_path / "s.sqlite3", str(big))
    [[_, status, message]] = report["files"]
    assert status == "refused" and message == "too large: 1073.7 MB (limit 20 MiB)"
    assert report["peak_mb"] < 300  # it was never read


def test_reading_is_bounded_and_devices_are_refused(tmp_path):
    with pytest.raises(FileRefused, match="character device"):
        read_file_bytes(Path("/dev/null"))
    with pytest.raises(FileRefused, match="a folder"):
        read_file_bytes(tmp_path)
    with pytest.raises(FileRefused, match="cannot read: No such file"):
        read_file_bytes(tmp_path / "missing.md")
    small = tmp_path / "small.md"
    small.write_bytes(b"x" * 100)
    with pytest.raises(FileRefused, match="too large"):
        read_file_bytes(small, limit=99)
    assert read_file_bytes(small, limit=100) == b"x" * 100
    with pytest.raises(DeckError, match="character device"):
        read_deck_file(Path("/dev/zero"))


def test_unreadable_sub_folder_is_named_in_the_report():
    # Root reads any folder, so the import runs as 'nobody' when the tests run as root.
    as_nobody = os.geteuid() == 0
    with tempfile.TemporaryDirectory() as tmp:
        top = Path(tmp)
        top.chmod(0o777)
        logs = top / "logs"
        (logs / "locked").mkdir(parents=True)
        (logs / "locked" / "hidden.md").write_text(GOOD, encoding="utf-8")
        (logs / "open.md").write_text(GOOD.replace("11-13", "11-14"), encoding="utf-8")
        for folder in (top, logs):
            folder.chmod(0o777)
        (logs / "locked").chmod(0)
        try:
            report = import_in_child(top / "u.sqlite3", str(logs), as_nobody=as_nobody)
        finally:
            (logs / "locked").chmod(0o755)
    assert [(Path(p).name, s, m) for p, s, m in report["files"]] == [
        ("locked", "refused", "cannot read folder: Permission denied"),
        ("open.md", "imported", "")]


def test_cli_refuses_a_device_in_one_line(tmp_path, store):
    result = subprocess.run([sys.executable, "-m", "studylog", "--db", str(tmp_path / "c.db"),
                             "import", "/dev/zero"], capture_output=True, text=True,
                            timeout=60, preexec_fn=_limited)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "/dev/zero: refused: not a regular file (a character device)" in result.stdout
    assert import_logs(store, [tmp_path]).files == []
