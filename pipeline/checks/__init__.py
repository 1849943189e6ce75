"""Checks: one module per output kind, each reading the finished file, not the model.

The article is read only for what the handouts are expected to carry (its
disclaimer, title and language); every figure comes from the files a clinic
would hand out. A check that cannot run on this machine says so and why: it
is "not run", never "pass". A figure that is measured but not judged (such as
an eSpeak voice's intelligibility, whose target is set for neural voices) is
"info": it never fails a check.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal, Protocol

from ..model import Document
from ..settings import Settings

Status = Literal["pass", "fail", "not run", "info"]

REGISTRY: dict[str, str] = {
    "pdf": "pipeline.checks.pdf:check_pdf",
    "html": "pipeline.checks.html:check_html",
    "audio": "pipeline.checks.audio:check_audio",
    "epub": "pipeline.checks.epub:check_epub",
    "daisy": "pipeline.checks.daisy:check_daisy",
    "braille": "pipeline.checks.braille:check_braille",
}


@dataclass(frozen=True)
class Finding:
    """One check of one output: what was measured against what was required."""

    output: str
    check: str
    status: Status
    figure: str
    threshold: str
    detail: str = ""
    file: str = ""

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


class Checker(Protocol):
    def __call__(self, document: Document, folder: Path, settings: Settings) -> list[Finding]: ...


def run_checks(document: Document, folder: Path, settings: Settings) -> list[Finding]:
    """Every check of every requested format's files for one article."""
    findings: list[Finding] = []
    for name in REGISTRY:
        if name not in settings.formats:
            continue
        module_name, function_name = REGISTRY[name].split(":")
        checker: Checker = getattr(importlib.import_module(module_name), function_name)
        findings.extend(checker(document, folder, settings))
    return findings


class Recorder:
    """Collects the findings of one output file, with one-line helpers."""

    def __init__(self, output: str, file: Path):
        self.output = output
        self.file = str(file)
        self.findings: list[Finding] = []

    def add(self, check: str, ok: bool, figure: object, threshold: str, detail: str = "") -> bool:
        self.findings.append(Finding(self.output, check, "pass" if ok else "fail", _figure(figure),
                                     threshold, detail, self.file))
        return ok

    def file_present(self) -> bool:
        """The first check of every output: is its file there at all?"""
        present = Path(self.file).is_file()
        return self.add("file", present, "present" if present else "missing", "present")

    def disclaimer(self, document: Document, text: str, check: str = "disclaimer",
                   threshold: str = "the disclaimer, word for word") -> bool:
        """Is the article's disclaimer in ``text``, word for word (spacing and quote marks aside)?"""
        found = squeeze(document.disclaimer.text) in squeeze(text)
        return self.add(check, found, "found" if found else "missing", threshold)

    def labels(self, document: Document, text: str) -> None:
        """No label handout added is left in English in a handout whose language has its own labels."""
        from ..languages import base_language, language_for

        known = language_for(document.lang)
        if base_language(document.lang) == "en" or known is None or not known.has_catalog:
            return
        left = english_labels(text, document.lang)
        self.add("labels in the language", not left, f"{len(left)} in English", "0 labels left in English",
                 "; ".join(f'"{label}"' for label in left[:5]))

    def not_run(self, check: str, threshold: str, why: str) -> None:
        self.findings.append(Finding(self.output, check, "not run", "", threshold, why, self.file))

    def info(self, check: str, figure: object, threshold: str, detail: str) -> None:
        """A figure reported for information: measured, but not judged against ``threshold`` here."""
        self.findings.append(Finding(self.output, check, "info", _figure(figure), threshold, detail, self.file))


def english_labels(text: str, lang: str) -> list[str]:
    """The labels of handout's catalog found in ``text`` in English where ``lang`` has them translated.

    Only labels of two words or more are looked for ("Key points", "Page 2 of 3"): a one-word label
    ("Notes", "Introduction") may be a word of the article's own language.
    """
    from ..locale import gettext_for

    translate = gettext_for(lang)
    flat = squeeze(text)
    found = []
    for message in _catalog_messages():
        if " " not in message or translate(message) == message:
            continue
        pattern = re.escape(squeeze(message))
        pattern = re.sub(r"%\\\(\w+\\\)s|\\\{\w+\\\}", r".{1,80}?", pattern)
        if re.search(rf"(?<!\w){pattern}(?!\w)", flat):
            found.append(message)
    return found


@lru_cache(maxsize=1)
def _catalog_messages() -> tuple[str, ...]:
    from babel.messages.pofile import read_po

    from ..locale import CATALOGS

    with (CATALOGS / "handout.pot").open("rb") as handle:
        return tuple(message.id for message in read_po(handle) if message.id and isinstance(message.id, str))


def _figure(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


# Chinese and Japanese characters and their full-width punctuation: a line may break between any two,
# so the space a PDF's text shows there is no space of the text.
_CJK = "\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")


def squeeze(text: str) -> str:
    """Text with typographic quotes made plain, all runs of space made one, and none between CJK characters."""
    for old, new in (("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"'), ("\u00ad", "")):
        text = text.replace(old, new)
    return _CJK_GAP.sub("", re.sub(r"\s+", " ", text)).strip()
