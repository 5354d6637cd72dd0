"""A log file as write-back handles it: read and decoded as the import reads it, its days
parsed with the dating its last import used, a day's section replaced in place (line
endings and the lines around it kept), encoded back as it was (BOM, byte order, CP949),
checked, and written atomically (a temporary file renamed over it)."""

from __future__ import annotations

import codecs
import os
import re
import tempfile
from datetime import date
from pathlib import Path

from studylog.core.journal.log_parser import Day, parse_log
from studylog.core.journal.source_key import SourceKey
from studylog.core.storage.database import Store
from studylog.core.text.decoding import decode_log
from studylog.core.text.file_reading import read_file_bytes

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")

__all__ = ["atomic_write", "encode_like", "only_changed", "parse_days", "read_log",
           "replace_section", "replace_sections"]


def read_log(path: Path) -> tuple[bytes, str, str]:
    """The file's bytes, its text and the encoding to write it back in."""
    data = read_file_bytes(path)
    text, encoding = decode_log(data)
    if encoding == "utf-16":  # keep the byte order the file has
        encoding = "utf-16-be" if data.startswith(codecs.BOM_UTF16_BE) else "utf-16-le"
    return data, text, encoding


def parse_days(store: Store, path: Path, text: str, year: int) -> dict[str, Day]:
    """The days ``text`` gives as the file at ``path`` (dated as its last import was,
    years resolved as of the end of ``year``), by date."""
    dating = SourceKey.load(store.entries.source_hash(str(path))).dating
    parsed = parse_log(text, path.name, year=dating.year, first_day=dating.first_day,
                       count_weekends=dating.count_weekends, today=date(year, 12, 31))
    return {d.date.isoformat(): d for d in parsed.days}


def encode_like(text: str, encoding: str, data: bytes) -> bytes:
    """``text`` encoded as ``data`` (the file's old bytes) was: its BOM kept."""
    prefix = b""
    if encoding.startswith("utf-16"):
        prefix = data[:2]
    elif encoding == "utf-8-sig":
        encoding, prefix = "utf-8", codecs.BOM_UTF8
    return prefix + text.encode(encoding)


def replace_section(text: str, span: tuple[int, int], body: str) -> str:
    """``text`` with the day body held by lines ``span`` replaced by ``body``: the blank
    lines around it, its line endings and every other line stay as they are."""
    return replace_sections(text, [(span, body)])


def replace_sections(text: str, bodies: list[tuple[tuple[int, int], str]]) -> str:
    """``replace_section`` for many days' spans at once (the file split into lines once:
    ten years in one file is 3.5 MB)."""
    lines = _LINE.findall(text)
    # from the bottom of the file up, so the line spans of the days above stay true
    for (start, end), body in sorted(bodies, key=lambda item: item[0][0], reverse=True):
        section = lines[start:end]
        blank = [line.strip("\r\n") == "" and line != "" for line in section]
        first = next((i for i, b in enumerate(blank) if not b), len(section))
        last = max((i for i, b in enumerate(blank) if not b), default=first - 1)
        ending = next((line[len(line.rstrip("\r\n")):] for line in section
                       if line.endswith(("\n", "\r"))), "\n")
        kept_end = section[last][len(section[last].rstrip("\r\n")):] if last >= first \
            else ending
        lines[start + first:start + last + 1] = [ending.join(body.split("\n")) + kept_end]
    return "".join(lines)


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` by ``data`` in one rename, keeping its mode: a crash leaves the
    old file or the new one, never half of it."""
    mode = path.stat().st_mode if path.exists() else None
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise



def only_changed(before: dict[str, Day], after: dict[str, Day],
                 wanted: dict[str, str]) -> bool:
    """The new file gives the days it gave (plus those of ``wanted``), each day of
    ``wanted`` with its text there, and every other day's title and text unchanged."""
    return after.keys() == before.keys() | wanted.keys() and all(
        after[k].body == body for k, body in wanted.items()) and all(
        (before[k].body, before[k].title) == (after[k].body, after[k].title)
        for k in before if k not in wanted)
