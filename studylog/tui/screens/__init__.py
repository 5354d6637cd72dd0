"""One screen per module, ``*_screen.py``."""
