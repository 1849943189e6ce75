"""Opens a Word file's zip without trusting it: sizes checked before anything is inflated, every read bounded.

A .docx is a zip of XML parts and pictures. A damaged, hostile or simply huge
one must be refused with a clear reason before it costs memory or time: the
declared sizes in the zip's directory are checked first (a "zip bomb" declares
gigabytes, or packs a part a thousand to one), and then no part is inflated
past the size it declared, in case the directory lies.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..errors import ArticleError

# The largest .docx taken at all, and the most its parts may hold once inflated.
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_INFLATED_BYTES = 50 * 1024 * 1024
# Word's XML packs about 5-20 to one; a part packed tighter than this is a bomb.
# Parts smaller than RATIO_FLOOR cannot hurt whatever their ratio.
MAX_RATIO = 100
RATIO_FLOOR = 64 * 1024
MAX_PARTS = 5000
CHUNK = 64 * 1024

DAMAGED_FIX = "open it in Word and save it again, or copy it again from where it came"


class WordZip:
    """The parts of one .docx, each read on request within its declared size and a total budget."""

    def __init__(self, path: Path):
        self.path = Path(path)
        size = self.path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ArticleError(self.path, f"the file is {size:,} bytes, over the {MAX_FILE_BYTES:,}-byte limit",
                               "make it smaller: compress its pictures in Word (File > Compress Pictures)")
        try:
            self._zip = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
            raise ArticleError(self.path, "the file is damaged or incomplete: it is not a whole .docx",
                               DAMAGED_FIX) from None
        try:
            self._infos = {info.filename: info for info in self._check_directory()}
        except BaseException:
            self._zip.close()
            raise
        self._budget = MAX_INFLATED_BYTES

    def _check_directory(self) -> list[zipfile.ZipInfo]:
        """The zip's entries, once their declared sizes are known to be safe to inflate."""
        infos = self._zip.infolist()
        if len(infos) > MAX_PARTS:
            raise ArticleError(self.path, f"the file holds {len(infos):,} parts, more than a document has",
                               DAMAGED_FIX)
        total = sum(info.file_size for info in infos)
        if total > MAX_INFLATED_BYTES:
            raise ArticleError(self.path, f"the file would unpack to {total:,} bytes, over the "
                                          f"{MAX_INFLATED_BYTES:,}-byte limit",
                               "make it smaller: compress its pictures in Word (File > Compress Pictures), "
                               "or check that this is the right file")
        for info in infos:
            if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise ArticleError(self.path, f"its part {info.filename!r} unpacks to {info.file_size:,} bytes "
                                              f"from {info.compress_size:,}, more than {MAX_RATIO} to one, as a "
                                              "zip bomb does", "check where the file came from; "
                                              "a document saved by Word does not do this")
            if info.flag_bits & 0x1:
                raise ArticleError(self.path, "the document is protected with a password, so it cannot be read",
                                   "remove the password in Word, then save again")
        return infos

    def __enter__(self) -> WordZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._zip.close()

    @property
    def names(self) -> list[str]:
        return list(self._infos)

    def has(self, name: str) -> bool:
        return name in self._infos

    def read(self, name: str) -> bytes:
        """Part ``name``, inflated no further than it declared; a damaged part is an ArticleError."""
        info = self._infos[name]
        limit = min(info.file_size, self._budget)
        chunks, got = [], 0
        try:
            with self._zip.open(info) as handle:
                while True:
                    chunk = handle.read(CHUNK)
                    if not chunk:
                        break
                    got += len(chunk)
                    if got > limit:
                        raise ArticleError(self.path, f"its part {name!r} holds more than its declared size",
                                           DAMAGED_FIX)
                    chunks.append(chunk)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as error:
            raise ArticleError(self.path, f"the file is damaged: its part {name!r} cannot be read ({error})",
                               DAMAGED_FIX) from None
        self._budget -= got
        return b"".join(chunks)

    def read_xml(self, name: str) -> bytes | None:
        """XML part ``name``, or None when the file has none; a part declaring entities is refused."""
        if name not in self._infos:
            return None
        data = self.read(name)
        # Office never writes a document type declaration; one here could only
        # be there to expand entities, so it is refused before any parser sees it.
        if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
            raise ArticleError(self.path, f"its part {name!r} declares XML entities, which Word never writes",
                               "check where the file came from; " + DAMAGED_FIX)
        return data
