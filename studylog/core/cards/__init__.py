"""Cards: keyword cards built from the journal, decks (bundled and added), card edits
and the snippets a card can run."""
