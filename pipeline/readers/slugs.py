"""The name a source file's handouts get: the folder and file names under output/."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path


def slug_for(path: Path) -> str:
    """The name a file's handouts get: SLUG.md gives SLUG; a Word file its name made safe for a folder.

    "Knee Pain (2024).docx" gives "knee-pain-2024": accents are dropped,
    spaces become '-', anything but letters, digits, '-' and '_' goes.
    """
    path = Path(path)
    if path.name.endswith(".md"):
        return path.name.removesuffix(".md")
    stem = unicodedata.normalize("NFKD", path.stem).encode("ascii", "ignore").decode("ascii").lower()
    stem = re.sub(r"\s+", "-", stem.strip())
    stem = re.sub(r"[^a-z0-9_-]+", "", stem)
    return re.sub(r"-{2,}", "-", stem).strip("-_")
