"""The readers: each turns one kind of source file into the one Document every renderer reads.

Other code asks this package, never a reader module, for an article:
``find_articles`` says which files under some paths are articles, ``sniff``
tells by its content what kind of file one is, and ``read_article`` reads it
with the reader for that kind (``markdown`` or ``docx``). What a reader had
to change or leave out is in the Document's ``warnings``.
"""

from __future__ import annotations

import logging
import zipfile
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from types import ModuleType

from ..errors import ArticleError
from ..languages import language_for, languages
from ..model import Document
from .markdown import PLAIN_SUFFIX
from .slugs import slug_for

log = logging.getLogger(__name__)

__all__ = ["KINDS", "find_articles", "read_article", "reader_for", "slug_for", "sniff"]

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
# Word keeps a small hidden "owner file" beside a document while it is open.
WORD_LOCK_PREFIX = "~$"
# Largest file looked into when telling an old Word file from a password-protected one.
MAX_OLE2_SCAN_BYTES = 64 * 1024 * 1024

SAVE_AS_DOCX = "save it as .docx in Word (File > Save As > Word Document)"
# What is said about each kind of file that is not an article: (problem, fix).
REFUSED = {
    "doc": ("this is an old Word file (.doc), not a .docx", SAVE_AS_DOCX),
    "rtf": ("this is a Rich Text file (RTF), not a .docx", SAVE_AS_DOCX),
    "odt": ("this is an OpenDocument text file (.odt), not a .docx", SAVE_AS_DOCX),
    "pdf": ("this is a PDF, not a Word document",
            "open the document it was made from in Word and save that as .docx (File > Save As > Word Document)"),
    "encrypted": ("the document is protected with a password, so it cannot be read",
                  "remove the password in Word (File > Info > Protect Document > Encrypt with Password, "
                  "clear the box), then save again"),
    "damaged": ("the file is damaged or incomplete: it is not a whole .docx",
                "open it in Word and save it again, or copy it again from where it came"),
    "zip": ("this is a zip file but not a Word document", SAVE_AS_DOCX),
}
# Every answer ``sniff`` gives.
KINDS = ("markdown", "docx", *REFUSED)


def sniff(path: Path) -> str:
    """What kind of file ``path`` is, told by its content, never its name.

    ``"docx"`` (a zip holding word/document.xml) and ``"markdown"`` (anything
    else, read as text) are articles; the other kinds in ``KINDS`` are files
    people often give by mistake, each refused with its own advice.
    """
    path = Path(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except FileNotFoundError:
        raise ArticleError(path, "no such file", "check the path you gave") from None
    except IsADirectoryError:
        raise ArticleError(path, "this is a folder, not a file", "give the article's file") from None
    if head.startswith(OLE2_MAGIC):
        return "encrypted" if _has_encryption_info(path) else "doc"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK"):
        return _zip_kind(path)
    return "markdown"


def _has_encryption_info(path: Path) -> bool:
    """True when an OLE2 file holds the streams Office writes for a password-protected document."""
    with path.open("rb") as handle:
        data = handle.read(MAX_OLE2_SCAN_BYTES)
    return "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return "docx"
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size <= 100 and archive.read(info).strip() == ODT_MIMETYPE:
                    return "odt"
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        return "damaged"
    return "zip"


def reader_for(path: Path) -> ModuleType:
    """The reader module for the file at ``path`` (it has ``read(path) -> Document``).

    Raises ArticleError, naming what the file is and what to do, for a file no
    reader takes.
    """
    kind = sniff(path)
    if kind == "docx":
        from . import docx

        return docx
    if kind == "markdown":
        from . import markdown

        return markdown
    problem, fix = REFUSED[kind]
    raise ArticleError(path, problem, fix)


def read_article(path: Path) -> Document:
    """Read one article, Markdown or Word, chosen by the file's content; plus its plain-language edition."""
    path = Path(path)
    document = reader_for(path).read(path)
    missing = language_gaps(document.lang)
    if missing:
        document = replace(document, warnings=(*document.warnings, missing))
    return document


def language_gaps(lang: str) -> str:
    """The one warning for an article in a language handout has no folder for, naming what it lacks ("" if none)."""
    if not lang or language_for(lang) is not None:
        return ""
    known = ", ".join(sorted(languages()))
    return (f"handout has no folder for the language {lang!r} (it knows {known}): its handouts get the labels in "
            f"English, no reading measure, no braille edition, and the audio read by eSpeak NG's {lang!r} voice if it "
            "has one; add a folder in pipeline/languages/ to give it these (docs/languages.md)")


def find_articles(paths: Iterable[Path]) -> list[Path]:
    """The article files named by ``paths``: files as given, folders searched for *.md and *.docx.

    Plain-language editions (``*.plain.md``) are companions of an article, not
    articles of their own, and Word's lock files (``~$...``) are not
    documents, so a folder search leaves them out. A Word file beside the
    Markdown article of the same name (what ``handout import`` writes) is left
    out too: the text is the one kept; so is a second Word file whose name
    makes the same slug ("Knee pain.docx" beside "knee-pain.docx").
    """
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            markdown = [p for p in sorted(path.glob("*.md")) if not p.name.endswith(PLAIN_SUFFIX)]
            taken = {slug_for(p) for p in markdown}
            word = []
            for p in sorted(path.glob("*.docx")):
                if p.name.startswith(WORD_LOCK_PREFIX) or not p.is_file():
                    continue
                slug = slug_for(p)
                if slug in taken:
                    log.warning("%s: left out; %s beside it makes the handouts named %r",
                                p, next(q.name for q in markdown + word if slug_for(q) == slug), slug)
                    continue
                taken.add(slug)
                word.append(p)
            found.extend(sorted(markdown + word))
        elif path.exists():
            found.append(path)
        else:
            raise ArticleError(path, "no such file or folder", "check the path you gave")
    return found
