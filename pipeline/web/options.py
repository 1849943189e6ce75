"""The handout form's options, in one place: read from a form or an API call, kept with a job, shown again."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..settings import FORMATS, PAPER_SIZES, PRINT_SIZES, ServeSettings, Settings

# A voice as the form offers it: an id such as "en_US-joe-medium" or eSpeak's "gmw/en-us", never a path.
VOICE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.+-]*(/[A-Za-z0-9][A-Za-z0-9_.+-]*)*")


def whole_number(text: str) -> int | None:
    """``text`` as a whole number written in ASCII digits ("18"), or None ("²", "١٨", "18.0", "")."""
    return int(text) if text.isascii() and text.isdigit() else None


def grade_option(value: object) -> int | None:
    """A braille grade as staff choose it: 1, 2, or None for the usual grade for the article's language."""
    return int(value) if str(value) in ("1", "2") else None


@dataclass(frozen=True)
class Options:
    """The choices of the handout form, prefilled from the server's settings."""

    formats: tuple[str, ...]
    paper: str
    print_size: int
    voice: str
    braille_grade: int | None  # None: the usual grade for the article's language
    check: bool

    def to_dict(self) -> dict[str, Any]:
        """The options as a job keeps them (``job.json``)."""
        return {"formats": list(self.formats), "paper": self.paper, "print_size": self.print_size,
                "voice": self.voice, "braille_grade": self.braille_grade, "check": self.check}

    @classmethod
    def defaults(cls, settings: Settings, serve: ServeSettings) -> Options:
        """The form as the server was started: its settings file and command-line options."""
        return cls(formats=settings.formats, paper=settings.paper, print_size=settings.print_size,
                   voice=settings.voice or "", braille_grade=settings.braille_grade, check=serve.check)

    @classmethod
    def of_job(cls, stored: dict[str, Any], fallback: Options) -> Options:
        """The options a job was made with; what it does not say comes from ``fallback``."""
        return cls(formats=tuple(stored.get("formats", fallback.formats)), paper=stored.get("paper", fallback.paper),
                   print_size=int(stored.get("print_size", fallback.print_size)),
                   voice=stored.get("voice", fallback.voice) or "",
                   braille_grade=grade_option(stored.get("braille_grade", fallback.braille_grade)),
                   check=bool(stored.get("check", fallback.check)))


def read_options(form: Any, fallback: Options, api: bool = False) -> tuple[Options, dict[str, str]]:
    """The options of a form (or API call), with an error per field that is wrong.

    The HTML form always sends its checkboxes' group (``options-sent``), so an
    empty group means nothing was ticked; an API call that leaves an option
    out gets the server's default.
    """
    errors: dict[str, str] = {}
    sent = api is False and form.get("options-sent") == "1"
    formats = tuple(name for name in FORMATS if name in form.getlist("formats"))
    unknown = [name for name in form.getlist("formats") if name not in FORMATS]
    if unknown:
        errors["formats"] = f"There is no format called “{unknown[0]}”: choose from {', '.join(FORMATS)}"
    if not formats:
        if sent:
            errors["formats"] = "Choose at least one kind of handout to make"
        formats = fallback.formats
    paper = form.get("paper") or fallback.paper
    if paper not in PAPER_SIZES:
        errors["paper"] = "Choose Letter or A4 paper"
    size_text = form.get("print_size") or str(fallback.print_size)
    print_size = whole_number(size_text) or 0
    if print_size not in PRINT_SIZES:
        errors["print_size"] = "Choose 18 point or 24 point print"
        print_size = fallback.print_size
    grade_text = form.get("braille_grade") or str(fallback.braille_grade or "auto")
    braille_grade = grade_option(grade_text) if grade_text in ("1", "2", "auto") else fallback.braille_grade
    if grade_text not in ("1", "2", "auto"):
        errors["braille_grade"] = "Choose grade 1 or grade 2 braille, or the usual grade for the language"
    voice = (form.get("voice") or "").strip()
    if voice and (len(voice) > 200 or not VOICE_ID.fullmatch(voice) or ".." in voice or voice.endswith(".onnx")):
        errors["voice"] = "Choose a voice from the list"
        voice = ""
    if api:
        check_text = form.get("check")
        check = fallback.check if check_text is None else check_text.lower() in ("1", "true", "yes", "on")
    else:
        check = form.get("check") == "1" if sent else fallback.check
    return Options(formats, paper, print_size, voice, braille_grade, check), errors

