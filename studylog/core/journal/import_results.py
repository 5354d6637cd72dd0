"""What an import reports: each file's result, and the import's as a whole."""

from __future__ import annotations

from dataclasses import dataclass, field

from studylog.core.cards.card_changes import CardChanges


@dataclass(slots=True)
class FileResult:
    path: str
    status: str  # imported | unchanged | empty | refused
    message: str = ""
    days_new: int = 0
    days_updated: int = 0
    days_removed: int = 0
    days_without_cards: list[str] = field(default_factory=list)  # dates: nothing to learn
    new_cards: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    refused_days: list[str] = field(default_factory=list)  # "line N: 'title' refused: why"
    kept_edits: list[str] = field(default_factory=list)  # dates: the app's edit stays
    conflicts: list[str] = field(default_factory=list)  # dates: both changed, file kept beside
    days_kept_deleted: list[str] = field(default_factory=list)  # dates you deleted: left out
    days_back: list[str] = field(default_factory=list)  # deleted, text changed: imported


@dataclass(slots=True)
class ImportReport(CardChanges):
    """Each file's result, and what the import did to cards."""

    files: list[FileResult] = field(default_factory=list)
    candidates_waiting: int = 0  # the deck's pending card candidates after the import

    @property
    def days_without_cards(self) -> list[str]:
        """Dates read in this import with no keyword line and no card candidates."""
        return sorted(d for f in self.files for d in f.days_without_cards)

    @property
    def refused(self) -> list[FileResult]:
        return [f for f in self.files if f.status == "refused"]

    @property
    def refused_days(self) -> int:
        """Days refused inside files that were otherwise imported."""
        return sum(len(f.refused_days) for f in self.files if f.status != "refused")

    @property
    def conflicts(self) -> list[str]:
        """Dates whose file and app text both changed: the app's text stays, the file's
        is kept beside it (``studylog conflicts``)."""
        return sorted(d for f in self.files for d in f.conflicts)

    @property
    def kept_edits(self) -> list[str]:
        """Dates edited in the app that the import left alone."""
        return sorted(d for f in self.files for d in f.kept_edits)

    @property
    def changed(self) -> bool:
        return any(f.status == "imported" for f in self.files)
