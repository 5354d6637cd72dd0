"""Keys in Korean input mode: the 2-set (두벌식) layout's jamo stand for the Latin keys.

With a Korean IME on, a terminal sends the jamo printed on the key (``r`` arrives as
``ㄱ``), so without this no single-letter key works until you switch input modes. The app
turns a jamo key into its Latin key before the bindings see it, unless a text box has
focus (there ``ㄱ`` is text). The one table below is the whole mapping: the app, the
help screen and the test of docs/app.md all read it.
"""

from __future__ import annotations

# The 2-set layout: each Latin key and the jamo it sends, unshifted and with shift. Shift
# changes only the five doubled consonants and two vowels; elsewhere it sends the same
# jamo, so an upper-case key without its own jamo (``S``, ``A``) has no Korean key: its
# jamo means the lower-case key (shift+ㄴ is ``s``, not ``S``).
TWO_SET_LAYOUT: dict[str, str] = {
    "q": "ㅂ", "w": "ㅈ", "e": "ㄷ", "r": "ㄱ", "t": "ㅅ",
    "y": "ㅛ", "u": "ㅕ", "i": "ㅑ", "o": "ㅐ", "p": "ㅔ",
    "a": "ㅁ", "s": "ㄴ", "d": "ㅇ", "f": "ㄹ", "g": "ㅎ",
    "h": "ㅗ", "j": "ㅓ", "k": "ㅏ", "l": "ㅣ",
    "z": "ㅋ", "x": "ㅌ", "c": "ㅊ", "v": "ㅍ", "b": "ㅠ", "n": "ㅜ", "m": "ㅡ",
    "Q": "ㅃ", "W": "ㅉ", "E": "ㄸ", "R": "ㄲ", "T": "ㅆ", "O": "ㅒ", "P": "ㅖ",
}

LATIN_FOR_JAMO: dict[str, str] = {jamo: key for key, jamo in TWO_SET_LAYOUT.items()}


def latin_key(key: str) -> str | None:
    """The Latin key a 2-set jamo key stands for, or None for any other key."""
    return LATIN_FOR_JAMO.get(key)


def jamo_for(key: str) -> str | None:
    """The jamo the 2-set layout sends for a single-letter key (None if it sends none)."""
    return TWO_SET_LAYOUT.get(key)
