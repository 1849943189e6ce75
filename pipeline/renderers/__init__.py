"""Renderers: one module per output format behind one small protocol.

Adding a format is adding a module with a class that has ``name``, ``label``
and ``render`` and one line in ``REGISTRY``. Modules are imported only when
their format is built, so the command line starts fast.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Protocol

from ..model import Document
from ..settings import Settings


class Renderer(Protocol):
    name: str
    # The format as people call it in a sentence ("the large-print PDF").
    label: str

    def render(self, document: Document, settings: Settings, out_dir: Path) -> list[Path]:
        """Write this format's files for ``document`` into ``out_dir``; return their paths."""
        ...


# Build order matters only in that the page links to the audio, so audio comes first.
REGISTRY: dict[str, str] = {
    "pdf": "pipeline.renderers.pdf:PdfRenderer",
    "audio": "pipeline.renderers.audio:AudioRenderer",
    "html": "pipeline.renderers.html:HtmlRenderer",
    # Made from the finished audio edition (see build.MADE_FROM).
    "epub": "pipeline.renderers.epub:EpubRenderer",
    "daisy": "pipeline.renderers.daisy:DaisyRenderer",
    "braille": "pipeline.renderers.braille:BrailleRenderer",
}
# Formats made from another format's finished files, and which: their renderer
# is given the folder those files are in (its declared input). The build makes
# them once that format is done (or found up to date) and again when its files change.
MADE_FROM = {"epub": "audio", "daisy": "audio"}


def write_output(path: Path, data: bytes | str) -> Path:
    """Write one of a format's files (text as UTF-8); a write the disk refuses names this file.

    The build reports such a failure for every format in the same words (see
    :func:`pipeline.errors.write_failure`); an error raised by ``write()``
    does not say which file it was, so it is told here.
    """
    try:
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)
    except OSError as error:
        raise writing(error, path) from None
    return path


def writing(error: OSError, path: Path) -> OSError:
    """``error``, a failed write, naming ``path`` as the file it was writing (``write()`` names none)."""
    error.filename = str(path)
    return error


def get_renderer(name: str, inputs: Path | None = None) -> Renderer:
    """The renderer registered for format ``name``; ``inputs`` is the folder of the files it is made from."""
    module_name, class_name = REGISTRY[name].split(":")
    module = importlib.import_module(module_name)
    made = getattr(module, class_name)
    renderer: Renderer = made(inputs) if name in MADE_FROM else made()
    return renderer


def format_label(name: str) -> str:
    """Format ``name`` as people call it in a sentence ("the large-print PDF")."""
    return getattr(get_renderer(name), "label", f"the {name} edition")


def build_order(formats: tuple[str, ...]) -> list[str]:
    """The requested formats in the order they must be built."""
    return [name for name in REGISTRY if name in formats]
