"""The pictures in a finished output: how many, and whether each is described (WCAG 1.1.1, PDF/UA-1 7.3).

Shared by the checks of every output that shows pictures. Each reads its own
file and gives the alternative text of every picture it finds; this module
counts them and judges: a picture with no alternative text, or with the
words the handouts put where nobody described it ("Picture with no
description"), fails, with what to do; one with an empty alternative text is
decorative and passes.
"""

from __future__ import annotations

from html.parser import HTMLParser

from ..locale import gettext_for
from ..model import Document
from ..pictures import NO_DESCRIPTION
from . import Recorder

FIX = ("describe each picture: in Word, right-click it > View Alt Text; in Markdown, between the brackets of "
       "![what it shows](file); or on the handout's page in the web app. Mark a picture that adds nothing "
       "to the text as decorative")


def judge_pictures(record: Recorder, document: Document, alternates: list[str | None], check: str,
                   threshold: str = "every picture described, or marked decorative") -> None:
    """Add the finding ``check`` for pictures whose alternative texts are ``alternates`` (None: none at all)."""
    placeholder = gettext_for(document.lang)(NO_DESCRIPTION)
    missing = sum(1 for alt in alternates if alt is None)
    undescribed = sum(1 for alt in alternates if alt is not None and alt.strip() == placeholder)
    decorative = sum(1 for alt in alternates if alt is not None and not alt.strip())
    described = len(alternates) - missing - undescribed - decorative
    if not alternates:
        record.add(check, True, "no pictures", threshold)
        return
    count = f"{len(alternates)} picture{'' if len(alternates) == 1 else 's'}"
    figure = f"{count}: {described} described, {decorative} decorative"
    if undescribed:
        figure += f", {undescribed} with no description"
    if missing:
        figure += f", {missing} with no alternative text"
    ok = not missing and not undescribed
    record.add(check, ok, figure, threshold, "" if ok else FIX)


class ImageAlternates(HTMLParser):
    """The alternative text of every ``img`` in an HTML or XHTML document (None where it has none)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.alternates: list[str | None] = []
        self.sources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            values = dict(attrs)
            alt = values.get("alt")
            self.alternates.append(None if alt is None else " ".join(alt.split()))
            self.sources.append(values.get("src") or "")

    handle_startendtag = handle_starttag


def image_alternates(markup: str) -> tuple[list[str | None], list[str]]:
    """(alternative texts, addresses) of the ``img`` elements in ``markup``."""
    reader = ImageAlternates()
    reader.feed(markup)
    reader.close()
    return reader.alternates, reader.sources
