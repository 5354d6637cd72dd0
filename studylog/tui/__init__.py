"""The Textual app: a thin client of ``studylog.core``. Never imports torch."""
