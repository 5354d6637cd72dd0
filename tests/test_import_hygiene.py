"""Two rules: core never imports textual; the UI/CLI process never imports torch."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

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


# -- layering, read from the source (no imports needed) -----------------------------------
PACKAGE = Path(__file__).resolve().parent.parent / "studylog"
# Parsers turn text into values: they never reach the database.
PARSERS = ["core/text", "core/journal/dates.py", "core/journal/log_parser.py",
           "core/cards/deck_parser.py"]


def _modules(where: str) -> list[Path]:
    path = PACKAGE / where
    return sorted(path.rglob("*.py")) if path.is_dir() else [path]


def _imports(path: Path) -> set[str]:
    """Every module name ``path`` imports (``from . import x`` resolved to the package)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _offenders(where: list[str], banned: tuple[str, ...]) -> list[str]:
    return [f"{path.relative_to(PACKAGE)} imports {name}"
            for place in where for path in _modules(place)
            for name in sorted(_imports(path))
            if any(name == b or name.startswith(b + ".") for b in banned)]


def test_runner_imports_nothing_from_core():
    assert _offenders(["runner"], ("studylog.core", "studylog.tui", "studylog.cli")) == []


def test_parsers_never_import_storage():
    assert _offenders(PARSERS, ("studylog.core.storage", "sqlite3", "sqlite_utils")) == []


def test_only_storage_talks_to_sqlite():
    # every module of the package but core/storage's, so a new folder (backup/, undo/)
    # is held to the rule without being listed here
    storage = PACKAGE / "core" / "storage"
    outside = [str(path.relative_to(PACKAGE)) for path in sorted(PACKAGE.rglob("*.py"))
               if storage not in path.parents]
    assert "core/backup/restore.py" in outside and "core/undo/reversal.py" in outside
    assert _offenders(outside, ("sqlite3", "sqlite_utils")) == []


def test_core_never_imports_the_ui():
    assert _offenders(["core"], ("textual", "studylog.tui", "studylog.cli")) == []


# -- UI and CLI -> core services -> repositories -> SQLite ---------------------------------
# The open database is handed to core services; the UI and the CLI may also name its
# file and close it, nothing more (no repositories, no raw SQL, no transactions).
STORE_ALLOWED = {"path", "close"}


def _store_reaches(source: str, where: str) -> list[str]:
    """``<something>.store.<attr>`` chains (``self.app.store.cards``, ``store.query``)
    other than the file's path and closing it."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Attribute):
            continue
        owner = node.value
        name = owner.attr if isinstance(owner, ast.Attribute) else \
            owner.id if isinstance(owner, ast.Name) else None
        if name in ("store", "_store", "reader") and node.attr not in STORE_ALLOWED:
            found.append(f"{where}:{node.lineno} {name}.{node.attr}")
    return sorted(found)


def test_ui_and_cli_reach_the_database_only_through_core_services():
    reaches = [r for place in ("tui", "cli") for path in _modules(place)
               for r in _store_reaches(path.read_text(encoding="utf-8"),
                                       str(path.relative_to(PACKAGE)))]
    assert reaches == []


def test_ui_and_cli_import_only_the_store_from_storage():
    allowed = {"studylog.core.storage.database", "studylog.core.storage.database.Store",
               "studylog.core.storage.database.StoreError"}
    imports = [f"{path.relative_to(PACKAGE)} imports {name}"
               for place in ("tui", "cli") for path in _modules(place)
               for name in sorted(_imports(path))
               if name.startswith("studylog.core.storage") and name not in allowed]
    assert imports == []


def test_the_store_reach_check_sees_a_repository_call():
    """The AST check above is not vacuous: it flags the shapes it is meant to."""
    code = ("def f(self, store):\n    self.app.store.cards.get(1)\n    store.query('x')\n"
            "    make_app(store, self.app.store.path)\n")
    assert _store_reaches(code, "probe.py") == ["probe.py:2 store.cards",
                                                "probe.py:3 store.query"]
