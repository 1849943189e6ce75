"""The typefaces the handouts use: Atkinson Hyperlegible, and the fonts that stand in for what it lacks.

Atkinson Hyperlegible comes from its Python package. It covers Latin scripts
only: no arrows, check marks, emoji or other scripts. For those the PDF falls
back, character by character, on system fonts from two Debian packages
(installed by ``make build``): fonts-noto-core (Noto Sans for more Latin,
Greek and Cyrillic, its symbol and maths faces, and one face per script) and
fonts-symbola (emoji as black-and-white outlines). A character that none of
them has would be printed as an empty box (``.notdef``), which PDF/UA-1
forbids: ``missing_characters`` finds such characters before layout and
``notdef_glyphs`` finds any such box in a finished PDF.
"""

from __future__ import annotations

import base64
import logging
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

FAMILY = "Atkinson Hyperlegible"
FACES = (("normal", 400), ("normal", 700), ("italic", 400), ("italic", 700))

# Tried in this order for each character Atkinson Hyperlegible lacks. Sans
# serif faces of one design (Noto) first; Symbola, a serif design, only for the
# emoji that no Noto face in Debian draws in black and white (Noto's colour
# emoji are bitmaps, unfit for large print and PDF/UA). Chinese, Japanese and
# Korean come from fonts-noto-cjk (about 90 MB); a Chinese article puts its own
# (Simplified or Traditional) family first, so each character takes its
# region's form.
FALLBACK_FAMILIES = (
    "Noto Sans",            # Latin beyond Atkinson's (Vietnamese, IPA), Greek, Cyrillic
    "Noto Sans Symbols",    # arrows such as U+2192, technical and other symbols
    "Noto Sans Symbols2",   # check marks, dingbats, pictographs up to Unicode 13 (U+1FA7A)
    "Noto Sans Math",       # the rest of the arrows and mathematical signs
    "Noto Sans Arabic", "Noto Sans Hebrew", "Noto Sans Syriac", "Noto Sans Thaana",
    "Noto Sans Armenian", "Noto Sans Georgian", "Noto Sans Ethiopic",
    "Noto Sans Devanagari", "Noto Sans Bengali", "Noto Sans Gurmukhi", "Noto Sans Gujarati",
    "Noto Sans Oriya", "Noto Sans Tamil", "Noto Sans Telugu", "Noto Sans Kannada",
    "Noto Sans Malayalam", "Noto Sans Sinhala", "Noto Sans Thai", "Noto Sans Lao",
    "Noto Sans Khmer", "Noto Sans Myanmar", "Noto Sans Cherokee", "Noto Sans Canadian Aboriginal",
    "Noto Sans Adlam", "Noto Sans NKo", "Noto Sans Tifinagh", "Noto Sans Yi",
    "Noto Sans CJK SC",     # Chinese (Simplified forms), Japanese kana, Korean hangul
    "Noto Sans CJK TC",     # Chinese (Traditional forms)
    "Symbola",              # emoji and pictographs of Unicode 9, as outlines
)
FALLBACK_PACKAGES = ("fonts-noto-core", "fonts-noto-cjk", "fonts-symbola")
# The packages in words, for messages: "fonts-noto-core, fonts-noto-cjk and fonts-symbola".
FALLBACK_PACKAGE_WORDS = ", ".join(FALLBACK_PACKAGES[:-1]) + " and " + FALLBACK_PACKAGES[-1]

# Characters that print no glyph of their own, so need none: spaces and
# paragraph separators (a space a font lacks is drawn as its ordinary space),
# tabs and line ends, and the default-ignorable code points that HarfBuzz hides
# (joiners, soft hyphens, direction marks, the variation selectors after an
# emoji, tags).
_NOT_DRAWN = {"Zs", "Zp"}
_IGNORABLE = ((0x09, 0x0A), (0x0C, 0x0D), (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C),
              (0x17B4, 0x17B5), (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F),
              (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF))
# Characters that the layout prints as an empty box even where a font maps
# them (seen with WeasyPrint 70 and Pango): other controls, the line
# separator, interlinear annotation marks, Hangul fillers, shorthand format
# controls. No font can save them.
_ALWAYS_BOXED = {"Cc", "Zl"}
_BOXED = ((0x115F, 0x1160), (0x3164, 0x3164), (0xFFA0, 0xFFA0), (0xFFF9, 0xFFFB), (0x1BCA0, 0x1BCA3))


def _within(code: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(low <= code <= high for low, high in ranges)


@lru_cache(maxsize=1)
def font_files() -> dict[tuple[str, int], Path]:
    """Atkinson Hyperlegible's files by (style, weight), from fontpkg."""
    import fontpkg

    return {(style, weight): Path(fontpkg.path(FAMILY, weight=weight, style=style))
            for style, weight in FACES}


def font_face_css(embed: bool = False, styles: tuple[str, ...] = ("normal", "italic")) -> str:
    """@font-face rules for the packaged font files.

    WeasyPrint reads the files where they are installed; a web page carries
    them inside itself (``embed``) so it works offline and on its own.
    """
    rules = []
    for (style, weight), path in font_files().items():
        if style not in styles:
            continue
        if embed:
            data = base64.b64encode(path.read_bytes()).decode("ascii")
            source = f'url("data:font/ttf;base64,{data}") format("truetype"); font-display: swap'
        else:
            source = f'url("{path.as_uri()}")'
        rules.append(f'@font-face {{ font-family: "{FAMILY}"; font-style: {style}; '
                     f'font-weight: {weight}; src: {source}; }}')
    return "\n".join(rules)


def font_stack_css(lang: str = "en") -> str:
    """The CSS font-family list of the large-print PDF: Atkinson Hyperlegible, the language's own, the rest."""
    from .languages import language

    own = language(lang).fonts_for(lang)
    return ", ".join(f'"{family}"' for family in dict.fromkeys((FAMILY, *own, *FALLBACK_FAMILIES)))


# ---------------------------------------------------------------- coverage


@cache
def _characters(path: Path) -> frozenset[int]:
    """The code points a font file has glyphs for (its best cmap)."""
    from fontTools.ttLib import TTFont

    with TTFont(path, fontNumber=0, lazy=True) as font:
        return frozenset(font.getBestCmap() or {})


@lru_cache(maxsize=1)
def atkinson_characters() -> frozenset[int]:
    """The code points Atkinson Hyperlegible has, in its upright faces."""
    found: frozenset[int] = frozenset()
    for (style, _), path in font_files().items():
        if style == "normal":
            found |= _characters(path)
    return found


@lru_cache(maxsize=1)
def fallback_font_files() -> dict[str, tuple[Path, ...]]:
    """The files of each fallback family on this machine, as fontconfig finds them for the PDF.

    A family fontconfig does not have (it would substitute another) is left
    out, and said once in the log with the packages that bring it.
    """
    # The same fontconfig library, through WeasyPrint's bindings, that lays out the PDF.
    from weasyprint.text.ffi import ffi, fontconfig

    config = ffi.gc(fontconfig.FcInitLoadConfigAndFonts(), fontconfig.FcConfigDestroy)
    found = {family: files for family in FALLBACK_FAMILIES if (files := _fontconfig_files(config, family))}
    absent = [family for family in FALLBACK_FAMILIES if family not in found]
    if absent:
        log.warning("fallback fonts not installed: %s (install %s; make build does)",
                    ", ".join(absent), FALLBACK_PACKAGE_WORDS)
    return found


def _fontconfig_files(config, family: str) -> tuple[Path, ...]:  # type: ignore[no-untyped-def]
    """The regular and bold files fontconfig gives for ``family``, if it has that family itself."""
    from weasyprint.text.ffi import ffi, fontconfig

    files = []
    value = ffi.new("FcChar8 **")
    for style in (b"Regular", b"Bold"):
        pattern = ffi.gc(fontconfig.FcPatternCreate(), fontconfig.FcPatternDestroy)
        fontconfig.FcPatternAddString(pattern, b"family", family.encode())
        fontconfig.FcPatternAddString(pattern, b"style", style)
        fontconfig.FcConfigSubstitute(config, pattern, fontconfig.FcMatchPattern)
        fontconfig.FcDefaultSubstitute(pattern)
        result = ffi.new("FcResult *")
        match = fontconfig.FcFontMatch(config, pattern, result)
        if match == ffi.NULL:
            continue
        match = ffi.gc(match, fontconfig.FcPatternDestroy)
        families, index = [], 0
        while fontconfig.FcPatternGetString(match, b"family", index, value) == fontconfig.FcResultMatch:
            families.append(ffi.string(value[0]).decode())
            index += 1
        if family in families and fontconfig.FcPatternGetString(match, b"file", 0, value) == fontconfig.FcResultMatch:
            files.append(Path(ffi.string(value[0]).decode()))
    return tuple(dict.fromkeys(files))


def font_for(character: str) -> str | None:
    """The family that prints ``character`` in the PDF, or None if no font here has it."""
    code = ord(character)
    if unicodedata.category(character) in _ALWAYS_BOXED or _within(code, _BOXED):
        return None
    if code in atkinson_characters():
        return FAMILY
    for family, files in fallback_font_files().items():
        if any(code in _characters(path) for path in files):
            return family
    return None


def is_drawn(character: str) -> bool:
    """Whether a character is printed with a glyph of its own (spaces, joiners and selectors are not)."""
    return unicodedata.category(character) not in _NOT_DRAWN and not _within(ord(character), _IGNORABLE)


def missing_characters(text: str) -> list[str]:
    """The characters of ``text`` that no font of the PDF has, in the order they first appear."""
    return [character for character in dict.fromkeys(text) if is_drawn(character) and font_for(character) is None]


def describe(character: str) -> str:
    """A character for an error message: ``"✓" (U+2713 CHECK MARK)``."""
    code = f"U+{ord(character):04X}"
    category = unicodedata.category(character)
    if category == "Co":
        name = ", a private-use character, which means something only to one font or program"
    elif category == "Cn":
        name = ", a code point Unicode has not assigned"
    else:
        name = f" {unicodedata.name(character, '')}".rstrip()
    shown = f'"{character}" ' if category[0] not in "CZ" else ""
    return f"{shown}({code}{name})"


# ---------------------------------------------------------------- .notdef in a finished PDF


@dataclass(frozen=True)
class NotdefGlyph:
    """A place where a PDF draws glyph 0 (.notdef, an empty box) instead of a character."""

    page: int
    font: str
    text: str  # what the PDF's ToUnicode map says the box stands for, "" if it does not say


def notdef_glyphs(pdf) -> list[NotdefGlyph]:  # type: ignore[no-untyped-def]
    """Every .notdef glyph the text of ``pdf`` (an open pikepdf.Pdf) draws, page by page.

    Reads the content streams (and the forms they draw) and follows each shown
    code through its font's encoding to a glyph: a composite font's CMap and
    CIDToGIDMap, or a simple font's /Differences. WeasyPrint draws a missing
    glyph as a code its own CMap sends to CID 0, so the encoding must be read,
    not assumed to be Identity-H.
    """
    found: list[NotdefGlyph] = []
    for number, page in enumerate(pdf.pages, start=1):
        found.extend(_scan(page, page.obj.get("/Resources"), number, {}, 0))
    return found


def _scan(content, resources, page: int, decoders: dict, depth: int) -> Iterator[NotdefGlyph]:  # type: ignore[no-untyped-def]
    import pikepdf

    fonts = resources.get("/Font", {}) if resources is not None else {}
    xobjects = resources.get("/XObject", {}) if resources is not None else {}
    font_name, stack = None, []
    for operands, operator in pikepdf.parse_content_stream(content):
        op = str(operator)
        if op == "q":
            stack.append(font_name)
        elif op == "Q" and stack:
            font_name = stack.pop()
        elif op == "Tf" and operands:
            font_name = str(operands[0])
        elif op in ("Tj", "'", '"', "TJ") and font_name in fonts:
            font = fonts[font_name]
            key = font.objgen if font.is_indirect else id(font)
            decoder = decoders.get(key) or decoders.setdefault(key, _FontDecoder(font))
            shown = operands[-1] if op != "TJ" else operands[0]
            strings = [item for item in (shown if op == "TJ" else [shown]) if isinstance(item, pikepdf.String)]
            for string in strings:
                for code in decoder.notdef_codes(bytes(string)):
                    yield NotdefGlyph(page, decoder.name, decoder.text(code))
        elif op == "Do" and operands and depth < 10:
            form = xobjects.get(str(operands[0]))
            if form is not None and form.get("/Subtype") == "/Form":
                yield from _scan(form, form.get("/Resources", resources), page, decoders, depth + 1)


class _FontDecoder:
    """Turns the bytes a text operator shows into codes, and tells which codes draw .notdef."""

    def __init__(self, font):  # type: ignore[no-untyped-def]
        import pikepdf

        self.name = str(font.get("/BaseFont", "?")).lstrip("/")
        self.to_unicode = _unicode_map(font.get("/ToUnicode"))
        self.composite = font.get("/Subtype") == "/Type0"
        self.known = True
        if self.composite:
            encoding = font.get("/Encoding")
            self.code_bytes, self.cids = 2, None  # None: the identity
            if isinstance(encoding, pikepdf.Stream):
                self.code_bytes, self.cids = _cid_map(encoding.read_bytes().decode("latin-1"))
            elif str(encoding) not in ("/Identity-H", "/Identity-V"):
                self.known = False  # a predefined CMap: not worth reading here
            descendant = font.DescendantFonts[0]
            self.cff = descendant.get("/Subtype") == "/CIDFontType0"
            gid_map = descendant.get("/CIDToGIDMap")
            self.gids = gid_map.read_bytes() if isinstance(gid_map, pikepdf.Stream) else None
        else:
            self.code_bytes = 1
            encoding = font.get("/Encoding")
            self.names: dict[int, str] = {}
            if isinstance(encoding, pikepdf.Dictionary):
                code = 0
                for item in encoding.get("/Differences", []):
                    if isinstance(item, int):
                        code = item
                    else:
                        self.names[code] = str(item).lstrip("/")
                        code += 1
            procs = font.get("/CharProcs")
            self.procs = {str(key).lstrip("/") for key in procs.keys()} if procs is not None else None

    def codes(self, data: bytes) -> Iterator[int]:
        step = self.code_bytes
        for start in range(0, len(data) - step + 1, step):
            yield int.from_bytes(data[start:start + step], "big")

    def notdef_codes(self, data: bytes) -> Iterator[int]:
        if not self.known:
            return
        for code in self.codes(data):
            if self._is_notdef(code):
                yield code

    def _is_notdef(self, code: int) -> bool:
        if self.composite:
            cid = code if self.cids is None else self.cids.get(code, 0)
            if self.cff or self.gids is None:
                return cid == 0
            gid = int.from_bytes(self.gids[2 * cid:2 * cid + 2] or b"\0\0", "big")
            return gid == 0
        name = self.names.get(code)
        if name == ".notdef":
            return True
        # A Type 3 font draws each glyph with a procedure; no procedure, no glyph.
        return self.procs is not None and name is not None and name not in self.procs

    def text(self, code: int) -> str:
        return self.to_unicode.get(code, "")


def _hex_ranges(text: str, kind: str) -> Iterator[str]:
    """The bodies of a CMap's ``begin<kind> ... end<kind>`` sections."""
    yield from re.findall(rf"begin{kind}(.*?)end{kind}", text, flags=re.S)


def _cid_map(text: str) -> tuple[int, dict[int, int]]:
    """An embedded CMap's code length in bytes and its code -> CID map (codes not in it draw CID 0)."""
    space = re.search(r"begincodespacerange\s*<([0-9A-Fa-f]+)>", text)
    width = len(space.group(1)) // 2 if space else 2
    cids: dict[int, int] = {}
    for body in _hex_ranges(text, "cidchar"):
        for code, cid in re.findall(r"<([0-9A-Fa-f]+)>\s*(\d+)", body):
            cids[int(code, 16)] = int(cid)
    for body in _hex_ranges(text, "cidrange"):
        for low, high, cid in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\d+)", body):
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                cids[code] = int(cid) + offset
    return width, cids


def _unicode_map(stream) -> dict[int, str]:  # type: ignore[no-untyped-def]
    """A ToUnicode CMap as code -> text (bfchar entries and simple bfranges)."""
    if stream is None:
        return {}
    try:
        text = stream.read_bytes().decode("latin-1")
    except Exception:  # noqa: BLE001 - a damaged map only costs the name of a character
        return {}

    def utf16(hex_text: str) -> str:
        return bytes.fromhex(hex_text).decode("utf-16-be", errors="replace")

    found: dict[int, str] = {}
    for body in _hex_ranges(text, "bfchar"):
        for code, target in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", body):
            found[int(code, 16)] = utf16(target)
    for body in _hex_ranges(text, "bfrange"):
        for low, high, target in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", body):
            first = int(target, 16)
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                found[code] = utf16(f"{first + offset:0{len(target)}X}")
    return found
