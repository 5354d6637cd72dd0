"""What an import, a day saved in the app, or a deck update did to cards: one report
shape for all of them."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class CardChanges:
    """Cards created (their fronts), updated, and newly orphaned (how many, and their
    fronts)."""

    new_cards: list[str] = field(default_factory=list)
    updated_cards: int = 0
    orphaned_cards: int = 0
    orphaned_names: list[str] = field(default_factory=list)

    def add(self, other: CardChanges) -> None:
        """Count ``other``'s changes in too."""
        self.new_cards += other.new_cards
        self.updated_cards += other.updated_cards
        self.orphaned_cards += other.orphaned_cards
        self.orphaned_names += other.orphaned_names
