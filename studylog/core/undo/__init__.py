"""The undo journal: every undoable action of the study day, reversed newest first."""
