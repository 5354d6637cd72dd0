"""What every repository shares: typed reads, and writes that refuse to run outside a
transaction.

Services open transactions (``with store.write():``); a repository never does. A write
outside one would make Python's ``sqlite3`` open an implicit transaction that nothing
commits, so it fails loudly instead.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache, partial
from typing import Any, TypeVar, cast

from studylog.core.review.study_day import to_iso, utc

T = TypeVar("T")
Params = Sequence[Any] | Mapping[str, Any]


class TransactionError(RuntimeError):
    """A repository write ran outside ``Store.write()``: a bug, not a user error."""


def utc_now() -> str:
    """Now, in the one stored form of an instant (see study_day.to_iso)."""
    return to_iso(utc())


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    named: tuple[str, ...] | None = getattr(cls, "_fields", None)  # a NamedTuple
    return named if named is not None else tuple(f.name for f in dataclasses.fields(cls))


@cache
def _whole_tuple(cls: type, width: int) -> Callable[[Any], Any] | None:
    """For a NamedTuple given all its fields: make the row tuple one directly, without
    its generated ``__new__`` (a Python call per row, ~a third of what a row costs in
    the review queue). None for other row classes."""
    if len(getattr(cls, "_fields", ())) != width:
        return None
    return partial(cast(Any, tuple.__new__), cls)


def _check_columns(cls: type, description: Sequence[Sequence[Any]]) -> None:
    """Rows are built from columns by position (cheap: queues and card lists read
    thousands): the query's columns must be the row class's first fields, in order."""
    names = tuple(d[0] for d in description)
    if names != _field_names(cls)[:len(names)]:
        raise TypeError(f"{cls.__name__} built from columns {names}: they must be its "
                        "fields, in order")


class Repository:
    """Base of the repositories; ``conn`` is the store's one connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def _rows(self, cls: type[T], sql: str, params: Params = (),
              fix: Callable[[T], None] | None = None) -> list[T]:
        """Every row of ``sql`` as a ``cls`` (columns in field order), each passed to
        ``fix`` if given (decoding JSON columns, 0/1 into bools)."""
        cursor = self.conn.execute(sql, params)
        _check_columns(cls, cursor.description)
        whole = _whole_tuple(cast(type, cls), len(cursor.description))
        rows = list(map(whole, cursor)) if whole else [cls(*row) for row in cursor]
        if fix is not None:
            for row in rows:
                fix(row)
        return rows

    def _row(self, cls: type[T], sql: str, params: Params = (),
             fix: Callable[[T], None] | None = None) -> T | None:
        rows = self._rows(cls, sql, params, fix)
        return rows[0] if rows else None

    def _value(self, sql: str, params: Params = ()) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row else None

    def _check_write(self) -> None:
        if not self.conn.in_transaction:
            raise TransactionError(f"{type(self).__name__}: a write outside "
                                   "store.write() (services open the transactions)")

    def _write(self, sql: str, params: Params = ()) -> sqlite3.Cursor:
        """Run one writing statement; TransactionError outside a transaction."""
        self._check_write()
        return self.conn.execute(sql, params)

    def _write_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self._check_write()
        self.conn.executemany(sql, rows)

    def _insert(self, table: str, row: Mapping[str, Any]) -> int:
        """Insert one row; returns its id."""
        names = list(row)
        cursor = self._write(f"INSERT INTO {table} ({', '.join(names)}) "
                             f"VALUES ({', '.join('?' * len(names))})", list(row.values()))
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def _update(self, table: str, row_id: int, fields: Mapping[str, Any]) -> None:
        """Set ``fields`` of the row ``row_id``."""
        if fields:
            sets = ", ".join(f"{name} = ?" for name in fields)
            self._write(f"UPDATE {table} SET {sets} WHERE id = ?", [*fields.values(), row_id])
