"""An Anki package (``.apkg``/``.colpkg``) opened as untrusted input: its collection
copied out of the zip (and out of zstd, for the current ``collection.anki21b``) into a
temporary file, never more than a bound, under a name of our own.

Anki's packages are flat: ``meta``, ``media``, the numbered media files and one or more
collections. A legacy package holds ``collection.anki21`` (with a near-empty
``collection.anki2`` for old clients), a current one ``collection.anki21b`` (again with
that dummy), the oldest ``collection.anki2`` alone; the newest one present is read. A
member name with a folder or ``..`` in it is not Anki's: the whole file is refused.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from studylog.core.storage.anki_collection import AnkiImportError

# the collections a package may hold, newest format first
COLLECTIONS = ("collection.anki21b", "collection.anki21", "collection.anki2")
ZSTD_COLLECTION = "collection.anki21b"
# A collection of 100,000 notes with years of reviews is ~100 MB; a member that grows
# past this while being copied out (a zip or zstd bomb) is refused.
MAX_COLLECTION_BYTES = 2 << 30
_CHUNK = 1 << 20


__all__ = ["AnkiImportError", "collection_copy"]


def _member_names(archive: zipfile.ZipFile, source: Path) -> set[str]:
    names = set()
    for info in archive.infolist():
        name = info.filename
        if "/" in name or "\\" in name or name.startswith(".") or ":" in name:
            raise AnkiImportError(f"{source.name} is not an Anki package: it holds the "
                                  f"path {name[:80]!r}")
        names.add(name)
    return names


def _copy_bounded(reader: IO[bytes], out: IO[bytes], limit: int, source: Path) -> None:
    written = 0
    while chunk := reader.read(_CHUNK):
        written += len(chunk)
        if written > limit:
            raise AnkiImportError(f"{source.name}: its collection unpacks to more than "
                                  f"{limit >> 20} MiB; refused")
        out.write(chunk)


def _copy_member(archive: zipfile.ZipFile, name: str, dest: Path, limit: int,
                 source: Path) -> None:
    import zstandard

    info = archive.getinfo(name)
    if name != ZSTD_COLLECTION and info.file_size > limit:
        raise AnkiImportError(f"{source.name}: its collection unpacks to "
                              f"{info.file_size >> 20} MiB, more than {limit >> 20} MiB; "
                              "refused")
    with archive.open(info) as member, open(dest, "wb") as out:
        if name == ZSTD_COLLECTION:
            with zstandard.ZstdDecompressor().stream_reader(member) as reader:
                _copy_bounded(reader, out, limit, source)
        else:
            _copy_bounded(member, out, limit, source)


@contextmanager
def collection_copy(source: Path, limit: int | None = None) -> Iterator[Path]:
    """The path of a temporary copy of the collection in the package ``source``
    (removed afterwards). AnkiImportError for a file that is not a sound Anki package:
    not a zip, a damaged one, no collection, a foreign member name, a member too big
    (past ``limit`` bytes unpacked; default ``MAX_COLLECTION_BYTES``)."""
    limit = MAX_COLLECTION_BYTES if limit is None else limit
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, zipfile.LargeZipFile) as exc:
        raise AnkiImportError(f"{source.name} is not an Anki package (not a zip file)"
                              ) from exc
    except OSError as exc:
        raise AnkiImportError(f"cannot read {source}: {exc.strerror or exc}") from exc
    folder = Path(tempfile.mkdtemp(prefix="studylog-anki-"))
    try:
        with archive:
            names = _member_names(archive, source)
            chosen = next((n for n in COLLECTIONS if n in names), None)
            if chosen is None:
                raise AnkiImportError(f"{source.name} holds no Anki collection")
            dest = folder / "collection.sqlite"
            try:
                _copy_member(archive, chosen, dest, limit, source)
            except AnkiImportError:
                raise
            except Exception as exc:  # zlib/zstd/CRC errors of a damaged archive
                raise AnkiImportError(f"{source.name} is damaged: cannot unpack {chosen} "
                                      f"({str(exc)[:80] or type(exc).__name__})") from exc
        yield dest
    finally:
        shutil.rmtree(folder, ignore_errors=True)
