"""One plan per build of one article: the article read once, its manifest once, each fingerprint and file hash once.

The pass that decides what a batch sends out and the build itself work from
the same plan, so deciding that only the PDF is stale, making it, and
publishing it read the article and the manifest once and hash each file
once; the digests recorded for the audio are the ones the EPUB and the DAISY
book are compared with.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from .manifest import MANIFEST, file_digest, fingerprint, read_manifest
from .model import Document
from .settings import Settings


@dataclass
class FileDigests:
    """SHA-256 digests of files, each computed once while the file stays as it was (same size and time)."""

    known: dict[str, tuple[int, int, str]] = field(default_factory=dict)

    def digest(self, path: Path) -> str:
        state = path.stat()
        kept = self.known.get(str(path))
        if kept is not None and kept[:2] == (state.st_size, state.st_mtime_ns):
            return kept[2]
        digest = file_digest(path)
        self.known[str(path)] = (state.st_size, state.st_mtime_ns, digest)
        return digest

    def moved(self, old: Path, new: Path) -> None:
        """A file renamed into place keeps its digest."""
        kept = self.known.pop(str(old), None)
        if kept is not None:
            self.known[str(new)] = kept


def manifest_state(out_dir: Path) -> tuple[int, int] | None:
    try:
        state = (out_dir / MANIFEST).stat()
    except OSError:
        return None
    return state.st_size, state.st_mtime_ns


@dataclass
class Plan:
    """What one build of one article works from."""

    document: Document
    out_dir: Path
    manifest: dict
    # The manifest file's size and time when it was read (None: there was none).
    manifest_state: tuple[int, int] | None
    digests: FileDigests = field(default_factory=FileDigests)
    fingerprints: dict[tuple, str] = field(default_factory=dict)

    @classmethod
    def read(cls, document: Document, out_dir: Path) -> Plan:
        """A plan for ``document`` whose handouts are (or will be) in ``out_dir``: its manifest read now."""
        state = manifest_state(out_dir)
        return cls(document=document, out_dir=out_dir, manifest=read_manifest(out_dir) if state else {},
                   manifest_state=state)

    def is_current(self) -> bool:
        """Whether the manifest is still the one read (no other build has written it since)."""
        return manifest_state(self.out_dir) == self.manifest_state

    def fingerprint(self, name: str, settings: Settings, made_from: dict[str, str] | None = None) -> str:
        """Format ``name``'s fingerprint, computed once for these settings and what it is made from."""
        # Settings that decide no output (where it goes, how many at once) do not make another fingerprint.
        same = replace(settings, out_dir=Path("."), force=False, jobs=1, scheduler=None, source_date_epoch=None)
        key = (name, same, tuple(sorted(made_from.items())) if made_from is not None else None)
        if key not in self.fingerprints:
            self.fingerprints[key] = fingerprint(name, self.document, settings, made_from=made_from)
        return self.fingerprints[key]

    def files_intact(self, entry: dict | None) -> bool:
        """Whether every file a manifest entry lists is in the folder with the digest recorded."""
        if not entry or not entry.get("files"):
            return False
        for name, digest in entry["files"].items():
            path = self.out_dir / name
            # A damaged or hand-edited file is rebuilt.
            if not path.is_file() or self.digests.digest(path) != digest:
                return False
        return True

    def up_to_date(self, name: str, stamp: str) -> bool:
        """True when format ``name`` was built from the same inputs and its files are intact."""
        entry = self.manifest.get(name)
        return bool(entry) and entry.get("fingerprint") == stamp and self.files_intact(entry)
