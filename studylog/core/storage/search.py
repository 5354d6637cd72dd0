"""Search queries: FTS5 trigram matches, and LIKE scans for terms too short for
trigrams (under three characters)."""

from __future__ import annotations

from dataclasses import dataclass

from studylog.core.storage.repository import Repository


@dataclass(slots=True)
class EntryMatch:
    """A day that matches a search."""

    id: int
    date: str
    title: str
    body: str


@dataclass(slots=True)
class CardMatch:
    """A card that matches a search."""

    id: int
    front: str
    back: str


def _like(columns: tuple[str, ...], terms: list[str]) -> tuple[str, list[str]]:
    """Every term in one of ``columns`` (``%`` and ``_`` taken literally)."""
    clauses, params = [], []
    for term in terms:
        escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        clauses.append("(" + " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in columns) + ")")
        params.extend([f"%{escaped}%"] * len(columns))
    return " AND ".join(clauses), params


# While this ``meta`` key exists the entries index triggers do nothing (migration 0014).
STALE_KEY = "entries_fts_stale"
# FTS5 writes its pending terms out as a new index segment whenever they pass its
# 'hashsize' (1 MiB by default), merging segments as they pile up. A rebuild holds 16 MiB
# at most instead: ten years' index (6 MB of text) in 1,270 index rows, not 2,098, and
# 0.26 s with its commit, not 0.33 s. The default is set back for the writes after it.
REBUILD_HASH_BYTES = 16 * 1024 * 1024
FTS5_HASH_BYTES = 1024 * 1024


class SearchRepository(Repository):
    """Reads over ``entries_fts``/``cards_fts`` and their base tables; pausing and
    rebuilding the entries index around a bulk import."""

    def entries_index_stale(self) -> bool:
        """True while a bulk import holds the entries index (or a killed one left it)."""
        return self._value("SELECT 1 FROM meta WHERE key = ?", [STALE_KEY]) is not None

    def pause_entries_index(self) -> None:
        """Stop indexing entry writes until ``rebuild_entries_index``."""
        self._write("INSERT OR IGNORE INTO meta (key, value) VALUES (?, '1')", [STALE_KEY])

    def rebuild_entries_index(self) -> None:
        """Index every entry afresh (FTS5 ``rebuild``) and let the triggers run again."""
        hashsize = "INSERT INTO entries_fts(entries_fts, rank) VALUES ('hashsize', ?)"
        self._write(hashsize, [REBUILD_HASH_BYTES])
        self._write("INSERT INTO entries_fts(entries_fts) VALUES ('rebuild')")
        self._write(hashsize, [FTS5_HASH_BYTES])
        self._write("DELETE FROM meta WHERE key = ?", [STALE_KEY])

    def entries_fts(self, match: str, limit: int) -> list[EntryMatch]:
        """Entries matching an FTS5 query, newest first."""
        return self._rows(EntryMatch, "SELECT e.id, e.date, e.title, e.body FROM entries_fts f "
                                      "JOIN entries e ON e.id = f.rowid WHERE entries_fts "
                                      "MATCH ? ORDER BY e.date DESC LIMIT ?", [match, limit])

    def cards_fts(self, match: str, limit: int) -> list[CardMatch]:
        """Cards matching an FTS5 query, by id."""
        return self._rows(CardMatch, "SELECT e.id, e.front, e.back FROM cards_fts f "
                                     "JOIN cards e ON e.id = f.rowid WHERE cards_fts "
                                     "MATCH ? ORDER BY e.id LIMIT ?", [match, limit])

    def entries_like(self, terms: list[str], limit: int) -> list[EntryMatch]:
        """Entries whose title or body holds every term, newest first."""
        where, params = _like(("title", "body"), terms)
        return self._rows(EntryMatch, f"SELECT id, date, title, body FROM entries "
                                      f"WHERE {where} ORDER BY date DESC LIMIT ?",
                          [*params, limit])

    def cards_like(self, terms: list[str], limit: int) -> list[CardMatch]:
        """Cards whose front or back holds every term, by id."""
        where, params = _like(("front", "back"), terms)
        return self._rows(CardMatch, f"SELECT id, front, back FROM cards WHERE {where} "
                                     f"ORDER BY id LIMIT ?", [*params, limit])
