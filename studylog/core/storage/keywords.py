"""Keywords: the names on the days' keyword lines, the passages written under them, and
the keywords whose cards wait for a rebuild."""

from __future__ import annotations

from dataclasses import dataclass

from studylog.core.storage.repository import Repository


@dataclass(slots=True)
class KeywordRow:
    """A keyword as first written, and its normalized form."""

    id: int
    name: str
    norm: str  # the normalized name: the key of its card


@dataclass(slots=True)
class KeywordDay:
    """An entry whose keyword line lists a keyword."""

    id: int
    date: str
    title: str


@dataclass(slots=True)
class Passage:
    """What a day wrote under a keyword."""

    entry_id: int
    text: str


_IN_LIMIT = 500  # norms per ``IN (...)``: well inside SQLite's limit on parameters


class KeywordsRepository(Repository):
    """``keywords``, ``entry_keywords``, ``passages`` and ``dirty_keywords``."""

    def ensure(self, name: str, norm: str) -> int:
        """The id of the keyword ``norm`` (or of the keyword it was renamed or merged
        into), inserted (as ``name``) when new."""
        existing = self.id_of(norm)
        if existing is not None:
            return existing
        return self._insert("keywords", {"name": name, "norm": norm})

    def ensure_all(self, names: list[tuple[str, str]]) -> list[int]:
        """``[ensure(name, norm) for name, norm in names]`` in a read or two rather than
        one or two per keyword (a ten-year import ensures 16,000)."""
        norms = list(dict.fromkeys(norm for _, norm in names))
        found: dict[str, int] = {}
        for table, column in (("keywords", "id"), ("keyword_aliases", "keyword_id")):
            missing = [n for n in norms if n not in found]  # a keyword's own norm wins
            for at in range(0, len(missing), _IN_LIMIT):
                part = missing[at:at + _IN_LIMIT]
                found.update(self.conn.execute(
                    f"SELECT norm, {column} FROM {table} WHERE norm IN "
                    f"({','.join('?' * len(part))})", part))
        ids = []
        for name, norm in names:
            if norm not in found:  # new: inserted as first written
                found[norm] = self._insert("keywords", {"name": name, "norm": norm})
            ids.append(int(found[norm]))
        return ids

    def id_of(self, norm: str, *, aliases: bool = True) -> int | None:
        """The keyword ``norm`` (with ``aliases``: or an old spelling of one), or None."""
        value = self._value("SELECT id FROM keywords WHERE norm = ?", [norm])
        if value is None and aliases:
            value = self._value("SELECT keyword_id FROM keyword_aliases WHERE norm = ?",
                                [norm])
        return None if value is None else int(value)

    def rename(self, keyword_id: int, name: str, norm: str) -> None:
        self._update("keywords", keyword_id, {"name": name, "norm": norm})

    def delete(self, keyword_id: int) -> None:
        self._write("DELETE FROM keywords WHERE id = ?", [keyword_id])

    def alias_target(self, norm: str) -> int | None:
        """The keyword an old spelling ``norm`` reads as, or None."""
        value = self._value("SELECT keyword_id FROM keyword_aliases WHERE norm = ?", [norm])
        return None if value is None else int(value)

    def add_alias(self, norm: str, keyword_id: int) -> None:
        """Read ``norm`` as the keyword ``keyword_id`` from now on."""
        self._write("INSERT OR REPLACE INTO keyword_aliases (norm, keyword_id) "
                    "VALUES (?, ?)", [norm, keyword_id])

    def drop_alias(self, norm: str) -> None:
        self._write("DELETE FROM keyword_aliases WHERE norm = ?", [norm])

    def alias_norms(self, keyword_ids: list[int]) -> list[str]:
        """The old spellings that read as ``keyword_ids``."""
        marks = ",".join("?" * len(keyword_ids))
        return [r[0] for r in self.conn.execute(
            f"SELECT norm FROM keyword_aliases WHERE keyword_id IN ({marks})", keyword_ids)]

    def merge_into(self, other_id: int, keep_id: int) -> None:
        """Make every day that lists ``other_id`` list ``keep_id`` (once) instead, with
        its passages, and read ``other_id``'s old spellings as ``keep_id``."""
        # a day listing both keeps its place of ``keep_id``
        self._write("DELETE FROM entry_keywords WHERE keyword_id = ? AND entry_id IN "
                    "(SELECT entry_id FROM entry_keywords WHERE keyword_id = ?)",
                    [other_id, keep_id])
        self._write("UPDATE entry_keywords SET keyword_id = ? WHERE keyword_id = ?",
                    [keep_id, other_id])
        self._write("UPDATE passages SET keyword_id = ? WHERE keyword_id = ?",
                    [keep_id, other_id])
        self._write("UPDATE keyword_aliases SET keyword_id = ? WHERE keyword_id = ?",
                    [keep_id, other_id])
        self._write("DELETE FROM dirty_keywords WHERE keyword_id = ?", [other_id])

    def entry_ids(self, keyword_ids: list[int]) -> list[int]:
        """The entries whose keyword line lists any of ``keyword_ids``."""
        marks = ",".join("?" * len(keyword_ids))
        return [r[0] for r in self.conn.execute(
            f"SELECT DISTINCT entry_id FROM entry_keywords WHERE keyword_id IN ({marks}) "
            "ORDER BY entry_id", keyword_ids)]

    def get(self, keyword_id: int) -> KeywordRow:
        row = self._row(KeywordRow, "SELECT id, name, norm FROM keywords WHERE id = ?",
                        [keyword_id])
        if row is None:
            raise LookupError(f"no keyword {keyword_id}")
        return row

    def ids_of_entry(self, entry_id: int) -> list[int]:
        """The keywords of an entry, in keyword-line order."""
        return [r[0] for r in self.conn.execute(
            "SELECT keyword_id FROM entry_keywords WHERE entry_id = ? ORDER BY position",
            [entry_id])]

    def set_of_entry(self, entry_id: int, keyword_ids: list[int],
                     passages: dict[int, list[str]]) -> None:
        """Replace an entry's keywords (in order) and the passages under each."""
        self._write("DELETE FROM entry_keywords WHERE entry_id = ?", [entry_id])
        self._write("DELETE FROM passages WHERE entry_id = ?", [entry_id])
        self._write_many("INSERT INTO entry_keywords (entry_id, keyword_id, position) "
                         "VALUES (?, ?, ?)",
                         [(entry_id, k, i) for i, k in enumerate(keyword_ids)])
        self._write_many("INSERT INTO passages (entry_id, keyword_id, position, text) "
                         "VALUES (?, ?, ?, ?)",
                         [(entry_id, k, i, text) for k, texts in passages.items()
                          for i, text in enumerate(texts)])

    def days(self, keyword_id: int) -> list[KeywordDay]:
        """Entries whose keyword line lists the keyword, newest first."""
        return self._rows(
            KeywordDay, "SELECT e.id, e.date, e.title FROM entry_keywords ek JOIN entries e "
            "ON e.id = ek.entry_id WHERE ek.keyword_id = ? ORDER BY e.date DESC", [keyword_id])

    def passages(self, keyword_id: int, entry_ids: list[int]) -> list[Passage]:
        """The passages under a keyword on the given entries, by entry then position."""
        marks = ",".join("?" * len(entry_ids))
        return self._rows(
            Passage, f"SELECT p.entry_id, p.text FROM passages p WHERE p.keyword_id = ? "
            f"AND p.entry_id IN ({marks}) ORDER BY p.entry_id, p.position",
            [keyword_id, *entry_ids])

    def names_up_to(self, day: str, limit: int) -> list[str]:
        """Keyword names of the entries up to ``day``, newest day first, in keyword-line
        order (a name repeats for each day that lists it)."""
        return [r[0] for r in self.conn.execute(
            "SELECT k.name FROM entries e JOIN entry_keywords ek ON ek.entry_id = e.id "
            "JOIN keywords k ON k.id = ek.keyword_id WHERE e.date <= ? "
            "ORDER BY e.date DESC, ek.position LIMIT ?", [day, limit])]

    # -- keywords whose cards wait for a refresh: written in each file's transaction,
    # cleared by the refresh, so a killed import is caught up --
    def mark_dirty(self, deck_id: int, keyword_ids: set[int]) -> None:
        self._write_many(
            "INSERT OR IGNORE INTO dirty_keywords (deck_id, keyword_id) VALUES (?, ?)",
            [(deck_id, k) for k in keyword_ids])

    def dirty(self) -> dict[int, set[int]]:
        """deck id -> keyword ids whose cards wait for a refresh."""
        found: dict[int, set[int]] = {}
        for deck_id, keyword_id in self.conn.execute(
                "SELECT deck_id, keyword_id FROM dirty_keywords"):
            found.setdefault(deck_id, set()).add(keyword_id)
        return found

    def clear_dirty(self, deck_id: int) -> None:
        self._write("DELETE FROM dirty_keywords WHERE deck_id = ?", [deck_id])
