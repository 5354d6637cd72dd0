"""Bytes of a log file -> text, or a one-line reason why not.

UTF-8 (with or without BOM), UTF-16 with BOM and CP949/EUC-KR are accepted. Binary files
are refused; there is no Latin-1 fallback, because Latin-1 accepts any junk.

CP949 accepts many UTF-8 byte pairs too (``café`` plus one stray byte reads as
``caf챕``), so it is only tried on files that are not mostly UTF-8: a file with as many
valid UTF-8 characters beyond ASCII as invalid bytes is UTF-8 with a mistake, refused with
the line and byte offset of the first bad byte. (Korean in CP949 is nearly all invalid
UTF-8: its lead bytes 0xB0-0xC8 are mostly UTF-8 continuation bytes.)
"""

from __future__ import annotations

import codecs
import re

from studylog.core.text.file_reading import MAX_FILE_BYTES, too_large
from studylog.errors import StudylogError


class DecodeError(StudylogError, ValueError):
    """The file is not text studylog can read; the message says why, in one line."""


_ESCAPED = re.compile("[\udc80-\udcff]")  # undecodable bytes under surrogateescape
_BEYOND_ASCII = re.compile("[^\x00-\x7f\udc80-\udcff]")
# C0 controls other than the whitespace ones (\t \n \v \f \r): one regex pass, not a
# Python loop over every character (a ten-year import reads 6 MB).
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f]")


def _place(data: bytes, offset: int) -> str:
    line = data.count(b"\n", 0, offset) + 1
    return f"line {line}, byte offset {offset} (0x{data[offset]:02x})"


def _mostly_utf8(data: bytes) -> bool:
    """As many valid UTF-8 characters beyond ASCII as invalid bytes."""
    text = data.decode("utf-8", errors="surrogateescape")
    invalid = len(_ESCAPED.findall(text))
    return len(_BEYOND_ASCII.findall(text)) >= invalid


def _looks_binary(text: str) -> bool:
    controls = len(_CONTROLS.findall(text))
    return controls > max(2, len(text) // 1000)


def decode_log(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name). Raises DecodeError."""
    if len(data) > MAX_FILE_BYTES:
        raise DecodeError(too_large(len(data)))
    # UTF-16 is full of NUL bytes: look for its byte-order mark before calling it binary.
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                name = "UTF-8" if encoding == "utf-8-sig" else "UTF-16"
                start = exc.start + (len(bom) if encoding == "utf-8-sig" else 0)
                raise DecodeError(f"invalid {name} at {_place(data, start)}: fix or delete "
                                  "that byte") from exc
            if encoding == "utf-16" and _looks_binary(text):
                raise DecodeError("binary data after a UTF-16 byte-order mark")
            return text, encoding
    if b"\x00" in data:
        raise DecodeError("binary file (contains NUL bytes)")
    try:
        return _checked(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    if _mostly_utf8(data):
        raise DecodeError(f"invalid UTF-8 at {_place(data, first_bad)} in a file that is "
                          "otherwise UTF-8: fix or delete that byte (studylog does not "
                          "guess another encoding for it)")
    try:
        return _checked(data.decode("cp949"), "cp949")
    except UnicodeDecodeError:
        pass
    raise DecodeError(f"not UTF-8, UTF-16 or CP949/EUC-KR text "
                      f"(undecodable byte 0x{data[first_bad]:02x} at offset {first_bad})")


def _checked(text: str, encoding: str) -> tuple[str, str]:
    if _looks_binary(text):
        raise DecodeError("binary file (control characters)")
    return text, encoding
