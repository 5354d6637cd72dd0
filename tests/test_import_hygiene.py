"""Two rules: core never imports textual; the UI/CLI process never imports torch."""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import sys
{body}
bad = sorted(m for m in sys.modules if m.split('.')[0] in {banned!r})
print(','.join(bad))
"""


def _imported(body: str, banned: set[str]) -> str:
    out = subprocess.run([sys.executable, "-c", CHECK.format(body=body, banned=banned)],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_core_does_not_import_textual():
    body = ("import pkgutil, importlib, studylog.core\n"
            "for m in pkgutil.walk_packages(studylog.core.__path__, 'studylog.core.'):\n"
            "    importlib.import_module(m.name)")
    assert _imported(body, {"textual"}) == ""


def test_cli_process_does_not_import_torch(tmp_path):
    body = ("from click.testing import CliRunner\nfrom studylog.cli import cli\n"
            f"r = CliRunner().invoke(cli, ['--db', {str(tmp_path / 'x.sqlite3')!r}, 'cards'])\n"
            "assert r.exit_code == 0, r.output")
    assert _imported(body, {"torch"}) == ""
