"""Card candidates (bold-term bullets proposed as cards) and the bold labels of each day.

A candidate is keyed by (deck, date, term identity), so a re-import finds it again: a
pending one is updated, an accepted or rejected one is left as it is (never proposed
again).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from studylog.core.storage.repository import Repository, utc_now

Status = Literal["pending", "accepted", "rejected"]
# A term seen as a bold label on at least this many days, and on more than this share
# of all days, is a section label (``**학습 내용**``), not a concept.
LABEL_MIN_DAYS = 3
LABEL_MAX_SHARE = 0.25


@dataclass(frozen=True, slots=True)
class CandidateRow:
    id: int
    deck_id: int
    date: str
    norm: str
    front: str
    back: str
    source_file: str | None
    status: str
    card_id: int | None


@dataclass(frozen=True, slots=True)
class CandidateFields:
    """What parsing a day proposes."""

    norm: str
    front: str
    back: str


_COLUMNS = "id, deck_id, date, norm, front, back, source_file, status, card_id"
# Labels repeated on many days: hidden from the pending list (README, "Card candidates").
_REPEATED = ("SELECT norm FROM entry_labels GROUP BY norm HAVING count(*) >= ? "
             "AND count(*) > ? * (SELECT count(*) FROM entries)")


class CandidatesRepository(Repository):
    """``candidates``, ``entry_labels`` and ``candidate_settings``."""

    def _candidates(self, sql: str, params: Iterable[Any] = ()) -> list[CandidateRow]:
        return self._rows(CandidateRow, sql, list(params))

    # -- per day, written by import and day editing --
    def of_day(self, deck_id: int, day: str) -> list[CandidateRow]:
        return self._candidates(f"SELECT {_COLUMNS} FROM candidates WHERE deck_id = ? AND date = ?",
                          [deck_id, day])

    def insert(self, deck_id: int, day: str, source: str | None,
               fields: CandidateFields) -> int:
        now = utc_now()
        return self._insert("candidates", {
            "deck_id": deck_id, "date": day, "norm": fields.norm, "front": fields.front,
            "back": fields.back, "source_file": source, "status": "pending",
            "created_at": now, "updated_at": now})

    def update_pending(self, candidate_id: int, source: str | None,
                       fields: CandidateFields) -> None:
        self._write("UPDATE candidates SET front = ?, back = ?, source_file = ?, updated_at = ? "
                    "WHERE id = ? AND status = 'pending'",
                    [fields.front, fields.back, source, utc_now(), candidate_id])

    def delete_pending(self, candidate_ids: Iterable[int]) -> None:
        self._write_many("DELETE FROM candidates WHERE id = ? AND status = 'pending'",
                         [(i,) for i in candidate_ids])

    def delete_pending_of_day(self, day: str) -> None:
        """A day deleted from its file takes its pending candidates with it."""
        self._write("DELETE FROM candidates WHERE date = ? AND status = 'pending'", [day])

    def set_labels(self, entry_id: int, norms: Iterable[str]) -> None:
        self._write("DELETE FROM entry_labels WHERE entry_id = ?", [entry_id])
        self._write_many("INSERT OR IGNORE INTO entry_labels (entry_id, norm) VALUES (?, ?)",
                         [(entry_id, n) for n in norms])

    def decided_dates(self, deck_id: int) -> set[str]:
        """The days with a candidate you accepted or rejected (a handful: each was a
        decision by hand)."""
        cursor = self.conn.execute("SELECT DISTINCT date FROM candidates WHERE deck_id = ? "
                                   "AND status != 'pending'", [deck_id])
        return {day for (day,) in cursor}

    # -- the inbox --
    def _pending_where(self, deck_id: int | None,
                       ids: Iterable[int] | None) -> tuple[str, list[Any]]:
        where = ["c.status = 'pending'", f"c.norm NOT IN ({_REPEATED})",
                 "c.deck_id NOT IN (SELECT deck_id FROM candidate_settings WHERE enabled = 0)"]
        params: list[Any] = [LABEL_MIN_DAYS, LABEL_MAX_SHARE]
        if deck_id is not None:
            where.append("c.deck_id = ?")
            params.append(deck_id)
        if ids is not None:
            wanted = list(ids)
            where.append(f"c.id IN ({', '.join('?' * len(wanted))})")
            params += wanted
        return " AND ".join(where), params

    def pending(self, deck_id: int | None = None,
                ids: Iterable[int] | None = None) -> list[CandidateRow]:
        """Pending candidates, oldest day first, without repeated labels, none of a deck
        that turned candidates off."""
        where, params = self._pending_where(deck_id, ids)
        columns = ", ".join(f"c.{c.strip()}" for c in _COLUMNS.split(","))
        return self._candidates(f"SELECT {columns} FROM candidates c WHERE {where} "
                                "ORDER BY c.date, c.id", params)

    def count_pending(self, deck_id: int | None = None) -> int:
        """How many ``pending()`` would list (Today shows the count)."""
        where, params = self._pending_where(deck_id, None)
        count: int = self._value(f"SELECT count(*) FROM candidates c WHERE {where}", params)
        return count

    def set_status(self, candidate_id: int, status: Status, card_id: int | None = None,
                   front: str | None = None, back: str | None = None) -> None:
        self._write(
            "UPDATE candidates SET status = ?, card_id = coalesce(?, card_id), "
            "front = coalesce(?, front), back = coalesce(?, back), updated_at = ? "
            "WHERE id = ?", [status, card_id, front, back, utc_now(), candidate_id])

    # -- the per-deck switch --
    def enabled(self, deck_id: int) -> bool:
        enabled = self._value("SELECT enabled FROM candidate_settings WHERE deck_id = ?",
                              [deck_id])
        return enabled is None or bool(enabled)

    def set_enabled(self, deck_id: int, enabled: bool) -> None:
        self._write("INSERT INTO candidate_settings (deck_id, enabled) VALUES (?, ?) "
                    "ON CONFLICT (deck_id) DO UPDATE SET enabled = excluded.enabled",
                    [deck_id, int(enabled)])
