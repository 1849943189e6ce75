"""The typeface the handouts use, found inside its Python package."""

from __future__ import annotations

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


def font_face_css() -> str:
    """@font-face rules that point WeasyPrint at the packaged font files."""
    rules = []
    for (style, weight), path in font_files().items():
        rules.append(
            f'@font-face {{ font-family: "{FAMILY}"; font-style: {style}; '
            f'font-weight: {weight}; src: url("{path.as_uri()}"); }}')
    return "\n".join(rules)
