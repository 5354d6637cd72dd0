"""Journal commands: import, entries, cards, search."""

from __future__ import annotations

from datetime import datetime

import click

from studylog.cli.context import emit_json, fail, get_store
from studylog.core.cards.card_editing import list_cards
from studylog.core.cards.card_flags import FLAGS, listing_flags
from studylog.core.cards.snippet_trust import snippet_choices
from studylog.core.journal.entries import list_entries
from studylog.core.journal.importer import (
    FORMATS_DOC,
    FileResult,
    ImportReport,
    PathError,
    import_logs,
)
from studylog.core.search import SearchError
from studylog.core.search import search as run_search


def _describe(result: FileResult) -> str:
    if result.status == "imported":
        parts = [f"{result.days_new} new day(s)"]
        if result.days_updated:
            parts.append(f"{result.days_updated} updated")
        if result.days_removed:
            parts.append(f"{result.days_removed} removed")
        if result.kept_edits:
            parts.append(f"your app edits of {', '.join(result.kept_edits)} kept")
        if result.conflicts:
            parts.append(f"{len(result.conflicts)} conflict(s): {', '.join(result.conflicts)}")
        if result.days_kept_deleted:
            parts.append(f"{len(result.days_kept_deleted)} you deleted left out "
                         f"({', '.join(result.days_kept_deleted)}; they come back when "
                         "their text in the file changes)")
        if result.days_back:
            parts.append(f"{len(result.days_back)} you deleted back, their text changed "
                         f"({', '.join(result.days_back)})")
        text = "imported: " + ", ".join(parts)
    else:
        text = f"{result.status}: {result.message}"
    lines = ["; ".join([text, *result.notes])]
    if result.status != "refused":
        lines += [f"  refused day: {refused}" for refused in result.refused_days]
    return "\n".join(lines)


def _without_cards(report: ImportReport) -> str:
    found = report.days_without_cards
    shown = ", ".join(found[:5]) + (f", … ({len(found) - 5} more)" if len(found) > 5 else "")
    return (f"{len(found)} day(s) made no card: no keyword line and no card candidates "
            f"({shown}). The forms studylog reads: {FORMATS_DOC}")


def _conflicts(dates: list[str]) -> str:
    return (f"{len(dates)} day(s) changed both in the file and in the app: "
            f"{', '.join(dates)}. Your app text stays; the file's version is kept beside "
            "it: studylog conflicts --diff, then studylog resolve DATE --mine | --theirs")


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--year", type=click.IntRange(1900, 2999),
              help="Year for dates written without one (wins over front matter and file name).")
@click.option("--first-day", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Date of Day 1 (YYYY-MM-DD): dates 'Day N' headings and DayN.md files "
                   "written without a date, counting weekdays.")
@click.option("--count-weekends", is_flag=True,
              help="With --first-day: count every day, not only weekdays.")
@click.option("--deck", default="journal", show_default=True, help="Journal deck for the cards.")
@click.option("--write-back/--no-write-back", "write_back", default=None,
              help="Turn write-back on (or off) from now on: saving a day in the app "
                   "rewrites that day in its file (studylog write-back).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def import_command(paths: tuple[str, ...], year: int | None, first_day: datetime | None,
                   count_weekends: bool, deck: str, write_back: bool | None,
                   as_json: bool) -> None:
    """Import daily Markdown logs (files, or folders searched for *.md, *.markdown, *.txt).

    Importing the same files again changes nothing. Each file is one transaction. A day
    with an impossible date (2/29 of a common year, 2023-02-30) is refused with its line
    and the file's other days import; refused days and files are listed with the reason
    and make the exit status 1.
    """
    if count_weekends and first_day is None:
        fail("--count-weekends needs --first-day (the date of Day 1)")
    store = get_store()
    if write_back is not None:
        from studylog.core.journal.journal_settings import set_write_back

        set_write_back(store, write_back)
        if not as_json:
            click.echo("write-back is on: saving a day in the app rewrites it in its file"
                       if write_back else "write-back is off")
    try:
        report = import_logs(store, paths, year=year, deck=deck,
                             first_day=first_day.date() if first_day else None,
                             count_weekends=count_weekends,
                             progress=None if as_json else
                             lambda r: click.echo(f"{r.path}: {_describe(r)}"))
    except PathError as exc:
        fail(str(exc))
    if as_json:
        emit_json({
            "files": [{"path": f.path, "status": f.status, "message": f.message,
                       "days_new": f.days_new, "days_updated": f.days_updated,
                       "days_removed": f.days_removed, "kept_edits": f.kept_edits,
                       "conflicts": f.conflicts, "notes": f.notes,
                       "refused_days": f.refused_days,
                       "days_kept_deleted": f.days_kept_deleted, "days_back": f.days_back}
                      for f in report.files],
            "new_cards": report.new_cards, "updated_cards": report.updated_cards,
            "orphaned_cards": report.orphaned_cards,
            "orphaned_card_fronts": report.orphaned_names,
            "days_without_cards": len(report.days_without_cards),
            "dates_without_cards": report.days_without_cards,
            "formats_doc": FORMATS_DOC, "candidates_waiting": report.candidates_waiting,
            "kept_edits": report.kept_edits, "conflicts": report.conflicts})
    elif not report.files:
        click.echo("no log files found")
    elif not report.changed:
        click.echo("nothing changed")
    else:
        if report.new_cards:
            click.echo(f"{len(report.new_cards)} new card(s): {', '.join(report.new_cards)}")
        if report.candidates_waiting:
            click.echo(f"{report.candidates_waiting} card candidate(s) waiting: "
                       "studylog candidates (accept or reject them)")
        if report.days_without_cards:
            click.echo(_without_cards(report))
        if report.conflicts:
            click.echo(_conflicts(report.conflicts))
        if report.orphaned_names:
            click.echo(f"{len(report.orphaned_names)} card(s) orphaned, their keyword no longer "
                       f"in any log (review history kept): {', '.join(report.orphaned_names)}")
    problems = [f"{n} {what} refused" for n, what in
                ((len(report.refused), "file(s)"), (report.refused_days, "day(s)")) if n]
    if problems:
        click.echo(f"error: {', '.join(problems)}", err=True)
        raise SystemExit(1)


@click.command("entries")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def entries_command(as_json: bool) -> None:
    """List journal days, oldest first."""
    rows = list_entries(get_store())
    if as_json:
        emit_json([{"date": r.date, "title": r.title, "week": r.week, "keywords": r.keywords,
                    "body": r.body} for r in rows])
        return
    for r in rows:
        click.echo(f"{r.date}  {r.title}  [{', '.join(r.keywords)}]")


@click.command("cards")
@click.option("--deck", help="Only this deck.")
@click.option("--flag", "flags", type=click.Choice(FLAGS), multiple=True,
              help="Only the cards with this flag (repeat it: with every flag given).")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def cards_command(deck: str | None, flags: tuple[str, ...], as_json: bool) -> None:
    """List cards: front, deck, state, flags, due, snippet."""
    store = get_store()
    rows = list_cards(store, deck, flags[0] if flags else None)
    # more than one --flag narrows, as filters do: every flag given (not only the last)
    rows = [r for r in rows if set(flags) <= set(listing_flags(r))]
    choices = snippet_choices(store, rows)
    # ``snippet`` is the one ``run CARD_ID`` runs by default: the learner's first block
    # where there is one; ``snippets`` are all it can run, in ``run --block`` order
    if as_json:
        emit_json([{"id": r.id, "front": r.front, "back": r.back, "deck": r.deck,
                    "source_dates": r.source_dates,
                    "snippet": choices[r.id][0].name if choices[r.id] else None,
                    "snippets": [{"kind": c.kind, "name": c.name, "first_line": c.first_line}
                                 for c in choices[r.id]],
                    "due": r.due, "state": r.state, "kind": r.kind,
                    "suspended": r.suspended, "orphaned": r.orphaned,
                    "flags": listing_flags(r)}
                   for r in rows])
        return
    for r in rows:
        extra = f"  ▶ {choices[r.id][0].name}" if choices[r.id] else ""
        marks = "".join(f" [{f}]" for f in listing_flags(r))
        click.echo(f"{r.id:>5}  {r.deck:<22} {r.state:<10} {r.front}{marks}{extra}")


@click.command("search")
@click.argument("query")
@click.option("--limit", default=50, show_default=True, help="At most this many per kind.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def search_command(query: str, limit: int, as_json: bool) -> None:
    """Search days and cards (Korean and English; inside words; any length)."""
    try:
        hits = run_search(get_store(), query, limit=limit)
    except SearchError as exc:
        fail(str(exc))
    if as_json:
        emit_json([h.to_json() for h in hits])
        return
    if not hits:
        click.echo("no matches")
    for h in hits:
        click.echo(f"{h.kind:<5} {h.ref!s:<10} {h.excerpt}")


COMMANDS = [import_command, entries_command, cards_command, search_command]
