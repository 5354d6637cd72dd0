"""studylog: a terminal study journal with flashcards."""

__version__ = "0.1.0"
