"""Before-images of rows, for undoing an action that changes many tables at once
(deleting a day or a card, renaming or merging keywords).

An image holds the rows of one table whose ``column`` is one of ``keys`` (the scope), as
they were before the action. Putting images back makes every scope hold exactly those
rows again: rows the action added inside a scope are deleted, changed ones are written
back and deleted ones inserted with their old ids. Rows that others point at (entries,
cards, keywords, candidates) are updated in place (an UPSERT), never deleted and
inserted, so nothing that refers to them cascades.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from studylog.core.storage.repository import Repository

# The tables an image may hold and their primary keys, parents before children: the
# deletes run children first, the inserts parents first.
PRIMARY_KEYS: dict[str, tuple[str, ...]] = {
    "keywords": ("id",),
    "keyword_aliases": ("norm",),
    "entries": ("id",),
    "day_bases": ("entry_id",),
    "cards": ("id",),
    "card_code": ("card_id",),
    "entry_keywords": ("entry_id", "keyword_id"),
    "passages": ("id",),
    "entry_labels": ("entry_id", "norm"),
    "card_sources": ("card_id", "entry_id"),
    "card_aliases": ("norm", "card_id"),
    "candidates": ("id",),
    "drafts": ("date",),
    "review_log": ("id",),
    "deleted_days": ("date",),
    "deleted_cards": ("id",),
}
_CHUNK = 500  # keys per IN (...) list, well under SQLite's variable limit


@dataclass(slots=True)
class RowImage:
    """The rows of ``table`` whose ``column`` is in ``keys``, as they were."""

    table: str
    column: str
    keys: list[Any]
    rows: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"table": self.table, "column": self.column, "keys": self.keys,
                "rows": self.rows}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RowImage:
        if data["table"] not in PRIMARY_KEYS:
            raise ValueError(f"no row images of table {data['table']!r}")
        return cls(data["table"], data["column"], list(data["keys"]), list(data["rows"]))


def _chunks(keys: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(keys), _CHUNK):
        yield keys[start:start + _CHUNK]


class RowConflict(Exception):
    """A row cannot go back: another row took its place since (a day of the same date
    written again, a new card of the same keyword)."""


class RowImagesRepository(Repository):
    """Reads and restores ``RowImage``s of the tables in ``PRIMARY_KEYS``."""

    def capture(self, table: str, column: str, keys: Iterable[Any]) -> RowImage:
        """The rows of ``table`` whose ``column`` is in ``keys``, now."""
        if table not in PRIMARY_KEYS:
            raise ValueError(f"no row images of table {table!r}")
        image = RowImage(table, column, sorted(set(keys), key=repr))
        for chunk in _chunks(image.keys):
            cursor = self.conn.execute(
                f"SELECT * FROM {table} WHERE {column} IN ({','.join('?' * len(chunk))})",
                chunk)
            names = [d[0] for d in cursor.description]
            image.rows += [dict(zip(names, row, strict=True)) for row in cursor]
        return image

    def put_back(self, images: list[RowImage]) -> None:
        """Make every image's scope hold its rows again (call inside a transaction)."""
        order = list(PRIMARY_KEYS)
        by_child_first = sorted(images, key=lambda i: -order.index(i.table))
        for image in by_child_first:
            self._clear_scope(image)
        for image in sorted(images, key=lambda i: order.index(i.table)):
            try:
                self._insert_rows(image)
            except sqlite3.IntegrityError as exc:
                raise RowConflict(f"{image.table}: {exc}") from exc

    def _clear_scope(self, image: RowImage) -> None:
        pk = PRIMARY_KEYS[image.table]
        kept = {tuple(row[c] for c in pk) for row in image.rows}
        for chunk in _chunks(image.keys):
            cursor = self.conn.execute(
                f"SELECT {', '.join(pk)} FROM {image.table} "
                f"WHERE {image.column} IN ({','.join('?' * len(chunk))})", chunk)
            gone = [key for key in map(tuple, cursor.fetchall()) if key not in kept]
            where = " AND ".join(f"{c} = ?" for c in pk)
            self._write_many(f"DELETE FROM {image.table} WHERE {where}", gone)

    def _insert_rows(self, image: RowImage) -> None:
        if not image.rows:
            return
        pk = PRIMARY_KEYS[image.table]
        names = list(image.rows[0])
        # rows the action left as they were are not written again (a card's back would
        # be indexed for search again for nothing)
        wanted = {tuple(r[c] for c in pk): r for r in image.rows}
        same = {key for r in self.capture(image.table, image.column, image.keys).rows
                if wanted.get(key := tuple(r[c] for c in pk)) == r}
        rows = [r for key, r in wanted.items() if key not in same]
        if not rows:
            return
        rest = [n for n in names if n not in pk]
        update = (f"DO UPDATE SET {', '.join(f'{n} = excluded.{n}' for n in rest)}"
                  if rest else "DO NOTHING")
        self._write_many(
            f"INSERT INTO {image.table} ({', '.join(names)}) "
            f"VALUES ({', '.join('?' * len(names))}) "
            f"ON CONFLICT ({', '.join(pk)}) {update}",
            [[row[n] for n in names] for row in rows])
