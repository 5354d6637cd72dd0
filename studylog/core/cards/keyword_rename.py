"""Renaming a keyword: the keyword, its cards (same ids, so their review history stays
theirs) and the keyword lines of every day that lists it, in whichever form each day
wrote it (``journal.keyword_lines``).

The old spelling is kept as an alias of the keyword, so a day that still says it (your
file, re-imported after you changed another day of it) counts as the new name instead
of making the old card again.

With write-back on, each renamed day that came from a file is then written into it as a
saved day is (``journal.write_back``): only that day's section changes, a file changed
there since its last import is left alone (the import then merges), and the write is
atomic. Undoable the same study day: the undo puts back the rows, then the text of the
files the rename wrote (unless they changed since; it says so).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from studylog.core.cards.card_editing import CardError
from studylog.core.journal.day_saving import save_day
from studylog.core.journal.importer import refresh_dirty_cards
from studylog.core.journal.journal_settings import journal_settings
from studylog.core.journal.keyword_lines import rename_in_body
from studylog.core.journal.log_parser import Day, LogError, parse_log
from studylog.core.journal.write_back import WriteBack, write_into_files
from studylog.core.storage.database import Store
from studylog.core.storage.entries import EntryRow
from studylog.core.storage.row_images import RowImage
from studylog.core.text.keywords import normalize, parse_keywords
from studylog.core.undo.row_actions import FILES_WRITTEN, RENAME_KEYWORD, record_row_action


class KeywordError(CardError):
    """A keyword that cannot be renamed as asked; one line."""


@dataclass(slots=True)
class KeywordRename:
    """What renaming a keyword did."""

    old: str
    new: str
    card_ids: list[int] = field(default_factory=list)
    days: list[str] = field(default_factory=list)  # dates whose keyword lines changed
    files: list[tuple[str, WriteBack]] = field(default_factory=list)  # write-back, by date

    def message(self) -> str:
        line = (f"Renamed “{self.old}” to “{self.new}”: {len(self.card_ids)} card(s) keep "
                f"their history, the keyword lines of {len(self.days)} day(s) changed")
        notes = file_notes([done for _, done in self.files])
        return f"{line}{notes} (u or studylog undo reverses it today)"

    def to_json(self) -> dict[str, Any]:
        return {"old": self.old, "new": self.new, "card_ids": self.card_ids,
                "days": self.days, "files": [
                    {"date": day, "path": done.path, "written": done.written,
                     "reason": done.reason} for day, done in self.files]}


def file_notes(results: list[WriteBack]) -> str:
    """`` · written back to week2.md (2 days) · not written back to …``, or ""."""
    counts: dict[str, int] = {}
    for done in results:
        counts[done.message()] = counts.get(done.message(), 0) + 1
    return "".join(f" · {note}" + (f" ({n} days)" if n > 1 else "")
                   for note, n in counts.items())


def keyword_of_card(store: Store, card_id: int) -> str | None:
    """The keyword a card was made from (None for a deck card or a candidate's)."""
    card = store.cards.get(card_id)
    if card is None or card.keyword_id is None:
        return None
    return store.keywords.get(card.keyword_id).name


def keyword_name(new: str) -> str:
    """``new`` as one keyword's name (trimmed); KeywordError, one line, when it is empty
    or is not one keyword (a list, a note in parentheses)."""
    if not new.strip():
        raise KeywordError("the new name is empty: give the keyword's new name")
    keywords = parse_keywords(new)
    if len(keywords) != 1 or keywords[0].note or keywords[0].name != new.strip():
        raise KeywordError(f"“{new.strip()}” is not one keyword: write the name alone "
                           "(no comma, slash or note)")
    return keywords[0].name


class KeywordTaken(KeywordError):
    """The new name is another keyword already: merging the two cards is the way."""

    def __init__(self, name: str, keep: int | None, other: int | None):
        self.name, self.keep, self.other = name, keep, other
        super().__init__(
            f"“{name}” is a keyword already: to make one card of the two, merge them "
            f"(+ on the card in the app, or studylog card merge {keep or 'KEEP'} "
            f"{other or 'OTHER'})")


def _keyword_id(store: Store, old: str) -> int:
    keyword_id = store.keywords.id_of(normalize(old), aliases=False)
    if keyword_id is None:
        raise KeywordError(f"no keyword “{old.strip()}” in the journal")
    return keyword_id


def check_new_keyword_name(store: Store, old: str, new: str) -> str:
    """``new`` as the name the keyword ``old`` can be renamed to (trimmed), checked the
    way ``rename_keyword`` checks it before changing anything, so a name box can refuse
    it while it is still open. KeywordError, one line: no such keyword, ``new`` is empty,
    not one keyword, the name already, or another keyword's name (``KeywordTaken``) or
    alias."""
    keyword_id = _keyword_id(store, old)
    keyword = store.keywords.get(keyword_id)
    name, norm = keyword_name(new), normalize(new)
    if name == keyword.name:
        raise KeywordError(f"the keyword is “{name}” already")
    if norm != normalize(old):
        taken = store.keywords.id_of(norm, aliases=False)
        if taken is not None:
            keep = store.cards.ids_of_keywords([taken])
            other = store.cards.ids_of_keywords([keyword_id])
            raise KeywordTaken(name, keep[0] if keep else None, other[0] if other else None)
        target = store.keywords.alias_target(norm)
        if target is not None and target != keyword_id:
            raise KeywordError(f"“{name}” already reads as the keyword "
                               f"“{store.keywords.get(target).name}”")
    return name


def reparse_day(entry: EntryRow, body: str) -> Day:
    """``body`` read as the day ``entry`` (its title, week and tags kept), the way the
    app's editor reads a day; LogError when it is not one day."""
    when = date.fromisoformat(entry.date)
    parsed = parse_log(f"## {entry.date}\n\n{body}", year=when.year, today=when)
    if len(parsed.days) != 1:
        raise LogError("the text is not one day")
    day = parsed.days[0]
    day.title, day.week, day.tags = entry.title, entry.week, entry.tags
    return day


def _renamed_days(store: Store, entry_ids: list[int], norms: set[str],
                  new: str) -> list[tuple[EntryRow, Day]]:
    """Each day's entry and the day with the keyword renamed; KeywordError naming the
    first day whose keyword line could not be rewritten (nothing changed then)."""
    out = []
    for entry_id in entry_ids:
        entry = store.entries.get(store.entries.date_of(entry_id))
        assert entry is not None
        try:
            day = reparse_day(entry, rename_in_body(entry.body, norms, new))
        except LogError as exc:
            raise KeywordError(f"{entry.date}: {exc}") from exc
        found = [k for k in day.keywords if normalize(k) in norms | {normalize(new)}]
        if found != [new]:
            raise KeywordError(f"{entry.date}: its keyword line could not be rewritten "
                               "(nothing renamed); edit that day by hand")
        out.append((entry, day))
    return out


def rename_images(store: Store, keyword_ids: list[int], entry_ids: list[int],
                  card_ids: list[int], alias_norms: list[str]) -> list[RowImage]:
    capture = store.row_images.capture
    return [capture("keywords", "id", keyword_ids),
            capture("keyword_aliases", "norm", alias_norms),
            capture("keyword_aliases", "keyword_id", keyword_ids),
            capture("entries", "id", entry_ids),
            capture("entry_keywords", "entry_id", entry_ids),
            capture("passages", "entry_id", entry_ids),
            capture("cards", "id", card_ids),
            capture("card_sources", "card_id", card_ids)]


def rename_keyword(store: Store, old: str, new: str) -> KeywordRename:
    """Rename the keyword ``old`` (any spelling of it) to ``new`` in one transaction.
    KeywordError when there is no such keyword, ``new`` is another keyword already
    (merge the two cards instead) or a day's keyword line cannot be rewritten."""
    keyword_id = _keyword_id(store, old)
    keyword = store.keywords.get(keyword_id)
    name = check_new_keyword_name(store, old, new)
    old_norm, norm = normalize(old), normalize(name)
    done = KeywordRename(keyword.name, name)
    with store.write():
        norms = {old_norm, *store.keywords.alias_norms([keyword_id])}
        entry_ids = store.keywords.entry_ids([keyword_id])
        days = _renamed_days(store, entry_ids, norms, name)
        keyword_ids = sorted({keyword_id, *(k for e in entry_ids
                                            for k in store.keywords.ids_of_entry(e))})
        # only this keyword's cards change: the days' other keywords keep their passages
        card_ids = store.cards.ids_of_keywords([keyword_id])
        images = rename_images(store, keyword_ids, entry_ids, card_ids, [old_norm, norm])
        store.keywords.rename(keyword_id, name, norm)
        if norm != old_norm:
            store.keywords.drop_alias(norm)  # renaming back to an old spelling
            store.keywords.add_alias(old_norm, keyword_id)
        decks = set()
        for card_id in store.cards.ids_of_keywords([keyword_id]):
            card = store.cards.get(card_id)
            assert card is not None
            decks.add(card.deck_id)
            store.cards.update(card_id, {"key": norm} if card.front_edited
                               else {"key": norm, "front": name})
            done.card_ids.append(card_id)
        for entry, day in days:
            save_day(store, day, entry.source_file or "", None)
            done.days.append(entry.date)
        for deck_id in decks:
            store.keywords.mark_dirty(deck_id, {keyword_id})
        refresh_dirty_cards(store)
        undo_id = record_row_action(store, RENAME_KEYWORD,
                                    done.card_ids[0] if done.card_ids else None,
                                    f"{done.old} → {done.new}", images)
    if journal_settings(store).write_back and not store.conn.in_transaction:
        _write_files(store, done, undo_id)  # the files follow a committed rename
    return done


def _write_files(store: Store, done: KeywordRename, undo_id: int) -> None:
    """Write each renamed day into its file. The undo entry learns, for each file
    written, the day's text there before (its merge base: a file is written only while
    it still says that), so undoing the rename puts exactly that text back."""
    bases = {}
    for day in done.days:
        state = store.day_bases.state_of(day)
        bases[day] = state.base if state is not None else None
    done.files = write_into_files(store, dict.fromkeys(done.days))
    written = [{"date": day, "text": bases[day]} for day, result in done.files
               if result.written and bases[day] is not None]
    if written:
        with store.write():
            store.undo_journal.add_data(undo_id, FILES_WRITTEN, written)
