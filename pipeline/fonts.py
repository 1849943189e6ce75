"""The typeface the handouts use, found inside its Python package."""

from __future__ import annotations

import base64
from functools import lru_cache
from pathlib import Path

FAMILY = "Atkinson Hyperlegible"
FACES = (("normal", 400), ("normal", 700), ("italic", 400), ("italic", 700))


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
