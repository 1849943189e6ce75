"""Reading text files in the encoding they were saved in: UTF-8, or the old Windows "ANSI" one (cp1252, Latin-1).

Notepad on older Windows saves text as cp1252 unless told otherwise. Such a
file is read, with a warning that names the encoding assumed and one word as
it came out, so staff can see at a glance whether the guess was right. Bytes
that no text encoding would make (NUL, control characters) are still refused.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Tried in this order when a file is not UTF-8: the common Windows one, then the one that takes any byte.
LEGACY_ENCODINGS = (("cp1252", 'Windows-1252 (the old Windows "ANSI" encoding)'), ("latin-1", "Latin-1 (ISO-8859-1)"))
_ALLOWED_CONTROLS = set("\t\n\r\f")


@dataclass(frozen=True)
class DecodedText:
    """A file's text, and, when it was not UTF-8, the encoding assumed and a word showing how it read."""

    text: str
    encoding: str | None = None
    example: str = ""
    example_line: int = 0

    def warning(self, where: str) -> str:
        """The warning for staff when an encoding was assumed, after ``where`` (the file's name); "" for UTF-8."""
        if self.encoding is None:
            return ""
        prefix = f"{where}: " if where else ""
        return (f"{prefix}the file is not UTF-8, so it was read as {self.encoding}; line {self.example_line} "
                f"reads '{self.example}'. If that word looks wrong, save the file as UTF-8 "
                "(in Notepad: File > Save As > Encoding: UTF-8) and send it again")


class NotText(ValueError):
    """The bytes are no text in any encoding we take; ``line`` is where the first bad byte is."""

    def __init__(self, byte: int, line: int, binary: bool):
        super().__init__(f"byte 0x{byte:02x} on line {line}")
        self.byte, self.line, self.binary = byte, line, binary


def decode_text(raw: bytes) -> DecodedText:
    """``raw`` as text: UTF-8 (a byte-order mark is dropped), else cp1252, else Latin-1; else :class:`NotText`."""
    if b"\x00" in raw:
        at = raw.index(b"\x00")
        raise NotText(0, raw[:at].count(b"\n") + 1, binary=True)
    try:
        return DecodedText(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        first_bad = error.start
    if raw.startswith(b"\xef\xbb\xbf"):
        # The file begins with UTF-8's own mark, so it says it is UTF-8: a bad byte in it is damage, not
        # another encoding, and reading it as Windows text would turn every accented letter to nonsense.
        # (The error counts from after the mark.)
        first_bad += 3
        raise NotText(raw[first_bad], raw[:first_bad].count(b"\n") + 1, binary=False)
    for codec, name in LEGACY_ENCODINGS:
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        if any(unicodedata.category(c) == "Cc" and c not in _ALLOWED_CONTROLS for c in text):
            continue
        found = re.search(r"\w*[^\x00-\x7f]\w*", text)
        example = found.group() if found else text[:20]
        line = text[: found.start()].count("\n") + 1 if found else 1
        return DecodedText(text, name, example, line)
    # Latin-1 takes every byte, so only a control character can have stopped it: name the first.
    latin = raw.decode("latin-1")
    at = next((i for i, c in enumerate(latin) if unicodedata.category(c) == "Cc" and c not in _ALLOWED_CONTROLS),
              first_bad)
    raise NotText(raw[at], raw[:at].count(b"\n") + 1, binary=True)
