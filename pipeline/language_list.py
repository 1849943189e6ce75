"""What each language handout knows has, as ``handout languages`` prints it and the README's table shows it.

One list from the language folders and the speech engines' own facts, so the
command, the docs and the README cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from .audio.engines import ESPEAK_FACTS, NEURAL_DRIVERS
from .languages import Language, languages


@dataclass(frozen=True)
class LanguageRow:
    code: str
    name: str
    voice: str
    sound: str
    braille: str
    reading: str
    labels: str
    pace: str


def default_voice(language: Language) -> tuple[str, str]:
    """(engine and voice, "natural" or "robotic") an article in ``language`` is read with by default."""
    for module in NEURAL_DRIVERS:
        voice = module.FACTS.default_voices.get(language.code)
        if voice is not None:
            return f"{module.FACTS.name} {voice}", module.FACTS.sound
    return f"{ESPEAK_FACTS.name} {language.espeak.get('', (language.code,))[0]}", ESPEAK_FACTS.sound


def _braille(language: Language) -> str:
    braille = language.braille
    if braille is None:
        return "none"
    table = braille.tables[braille.grade - 1]
    # A code with one table (Chinese) has no grades to choose between.
    return table if len(set(braille.tables)) == 1 else f"grade {braille.grade} ({table})"


def rows() -> list[LanguageRow]:
    found = []
    for language in languages().values():
        voice, sound = default_voice(language)
        found.append(LanguageRow(
            code=language.code, name=f"{language.name} ({language.native})" if language.native != language.name
            else language.name,
            voice=voice, sound=sound,
            braille=_braille(language),
            reading=f"{language.reading.measure}; target {language.reading.target}" if language.reading
            else "not measured",
            labels="yes" if language.has_catalog else "English only",
            pace=f"{language.pace_unit} a minute"))
    return found


HEADINGS = ("code", "language", "voice", "sounds", "braille", "reading measure", "labels", "pace")


def markdown() -> str:
    """The languages as a Markdown table (the README's)."""
    lines = ["| " + " | ".join(HEADINGS) + " |", "|" + "---|" * len(HEADINGS)]
    for row in rows():
        lines.append("| " + " | ".join((f"`{row.code}`", row.name, row.voice, row.sound, row.braille, row.reading,
                                         row.labels, row.pace)) + " |")
    return "\n".join(lines) + "\n"
