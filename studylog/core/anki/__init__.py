"""Anki interchange: studylog's cards written as Anki notes (``.apkg`` and Anki's text
format)."""
