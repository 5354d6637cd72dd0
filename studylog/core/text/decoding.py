"""Bytes of a log file -> text, or a one-line reason why not.

UTF-8 (with or without BOM), UTF-16 with BOM and CP949/EUC-KR are accepted. Binary files
are refused; there is no Latin-1 fallback, because Latin-1 accepts any junk.
"""

from __future__ import annotations

import codecs

from studylog.errors import StudylogError

MAX_FILE_BYTES = 20 * 1024 * 1024


class DecodeError(StudylogError, ValueError):
    """The file is not text studylog can read; the message says why, in one line."""


def _looks_binary(text: str) -> bool:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    return controls > max(2, len(text) // 1000)


def decode_log(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name). Raises DecodeError."""
    if len(data) > MAX_FILE_BYTES:
        raise DecodeError(f"too large: {len(data) / 1e6:.1f} MB "
                          f"(limit {MAX_FILE_BYTES // (1024 * 1024)} MiB)")
    # UTF-16 is full of NUL bytes: look for its byte-order mark before calling it binary.
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise DecodeError(f"invalid {encoding} at byte {exc.start}") from exc
            if encoding == "utf-16" and _looks_binary(text):
                raise DecodeError("binary data after a UTF-16 byte-order mark")
            return text, encoding
    if b"\x00" in data:
        raise DecodeError("binary file (contains NUL bytes)")
    for encoding in ("utf-8", "cp949"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            raise DecodeError("binary file (control characters)")
        return text, encoding
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        position = exc.start
    raise DecodeError(f"not UTF-8, UTF-16 or CP949/EUC-KR text "
                      f"(undecodable byte 0x{data[position]:02x} at offset {position})")
