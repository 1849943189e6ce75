"""liblouis, the braille translator, through its ``lou_translate`` program, and braille ASCII.

liblouis is a C library; Debian ships it with its tables (``liblouis-data``)
and the ``lou_translate`` program (``liblouis-bin``). Its Python binding is
built for Debian's own Python, not a virtual environment's, so the program is
run instead: once per document, one line of input per block of text, which
gives one line of braille per block. Braille comes back as Unicode dots
(``unicode.dis``) and is turned into North American braille ASCII here, so
every language's table gives the same BRF characters.
"""

from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from .errors import RenderError
from .languages import language_for, languages
from .locale import locale_names

PROGRAM = "lou_translate"
TABLE_FOLDER = Path("/usr/share/liblouis/tables")
INSTALL_HINT = "install liblouis-bin and liblouis-data (make build does: apt-get install liblouis-bin liblouis-data)"

# The tables for each base language, (grade 1, grade 2), from its folder in pipeline/languages/.
TABLES: dict[str, tuple[str, str]] = {code: language.braille.tables for code, language in languages().items()
                                      if language.braille is not None}

# Tables whose back-translation cannot vouch for their braille: checks report its figures, unjudged.
UNRELIABLE_BACKWARD = {table: why for language in languages().values() if language.braille is not None
                       for table, why in language.braille.unreliable_backward.items()}

# North American braille ASCII: the character for each six-dot cell, indexed by
# its dots as bits (dot 1 = 1, dot 2 = 2, ... dot 6 = 32).
BRAILLE_ASCII = " A1B'K2L@CIF/MSP\"E3H9O6R^DJG>NTQ,*5<-U8V.%[$+X!&;:4\\0Z7(_?W]#Y)="
_TO_ASCII = {chr(0x2800 + bits): char for bits, char in enumerate(BRAILLE_ASCII)}
_TO_DOTS = {char: dots for dots, char in _TO_ASCII.items()}


class LiblouisMissing(RenderError):
    """``lou_translate`` or its tables are not installed."""


# The grade a language gets when none is asked for: the one its readers are usually served (its folder says).
DEFAULT_GRADES: dict[str, int] = {code: language.braille.grade for code, language in languages().items()
                                  if language.braille is not None}


def grade_for(lang: str, grade: int | None) -> int:
    """The braille grade to write: the one asked for, else the language's usual grade (2 unless listed)."""
    return grade if grade is not None else DEFAULT_GRADES.get(locale_names(lang)[-1], 2)


def table_for(lang: str, grade: int | None) -> str | None:
    """The liblouis table for a language tag and grade (``es-MX`` uses Spanish's), or None.

    ``grade`` None means the language's usual grade (see :func:`grade_for`).
    """
    known = language_for(lang)
    if known is None or known.braille is None:
        return None
    tag = lang.strip().replace("_", "-").lower()
    for region, table in known.braille.regions.items():
        if tag == region or tag.startswith(region + "-"):
            return table
    return known.braille.tables[grade_for(lang, grade) - 1]


def available() -> bool:
    return shutil.which(PROGRAM) is not None and TABLE_FOLDER.is_dir()


@lru_cache(maxsize=1)
def version() -> str:
    """The installed liblouis release ("lou_translate (Liblouis) 3.24.0"), or "absent"."""
    if shutil.which(PROGRAM) is None:
        return "absent"
    try:
        done = subprocess.run([PROGRAM, "--version"], capture_output=True, text=True, timeout=30, check=False)
    except OSError:
        return "absent"
    return (done.stdout.splitlines() or ["unknown"])[0].strip()


def translate(lines: list[str], table: str, *, backward: bool = False) -> list[str]:
    """Each line translated by liblouis with ``table``, in one run of ``lou_translate``.

    Forward: print text in, Unicode braille out. Backward: Unicode braille in,
    print text out. Line breaks inside a line are made spaces, so the output
    has one line for each line given.
    """
    if not lines:
        return []
    if not available():
        raise LiblouisMissing(PROGRAM, "liblouis, the braille translator, is not installed", INSTALL_HINT)
    # lou_translate reads backslash escapes (\x0041) in its input: a backslash is written twice.
    text = "".join(" ".join(line.split()).replace("\\", "\\\\") + "\n" for line in lines)
    direction = "--backward" if backward else "--forward"
    try:
        done = subprocess.run([PROGRAM, direction, f"unicode.dis,{table}"], input=text, capture_output=True,
                              text=True, timeout=300, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise RenderError(PROGRAM, f"liblouis could not be run ({error})", INSTALL_HINT) from error
    out = done.stdout.split("\n")
    if done.returncode != 0 or len(out) < len(lines):
        raise RenderError(PROGRAM, f"liblouis failed with table {table} ({done.stderr.strip() or done.returncode})",
                          "check that liblouis-data is installed and the table exists in " + str(TABLE_FOLDER))
    return out[:len(lines)]


def to_ascii(dots: str) -> str:
    """Unicode braille as North American braille ASCII; anything else is kept as it is."""
    return "".join(_TO_ASCII.get(char, char) for char in dots)


def to_dots(brf: str) -> str:
    """North American braille ASCII as Unicode braille (lower-case letters too); other characters kept."""
    return "".join(_TO_DOTS.get(char.upper(), char) for char in brf)


def is_six_dot(char: str) -> bool:
    """A cell liblouis uses for a character its table does not define has dots 7 or 8."""
    return 0x2800 <= ord(char) < 0x2840
