"""Pronunciation lexicon: rewrites article text into words eSpeak NG says clearly.

pyttsx3 takes no SSML, so the only way to fix how a term is said is to change
the text it is given. The lexicon is one plain file kept beside the articles
(``source/lexicon.txt``), one rule a line::

    # comments start with '#'
    PTSD = P T S D
    mg = milligrams
    % = percent
    ≥ = at least

A rule applies to whole words only ("IV" never touches "IVF" or "River"). The
term's case is respected exactly: "IV" matches only "IV", and "mg" (milligrams)
never touches "Mg" (magnesium). Symbol rules (terms with no
letters or digits) apply wherever the symbol stands, and the words they give
are set apart with spaces ("5%" becomes "5 percent").

Words in capitals that no rule names (two or more capital letters, like
"FDA", or a plural like "SSRIs") are spelled out letter by letter, since a
listener cannot hear capitals. A rule such as ``AIDS = aids`` keeps a word that
is said as a word.

Each language's folder ships a ``lexicon.txt`` of how that language says units
and symbols ("mg = milligrammes", "° = degrés"), since the voices' eSpeak NG
reads "mg" as its letters in every language; the clinic's rules for the same
term take their place (:func:`speech_lexicon`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import ArticleError

FILE_NAME = "lexicon.txt"

Entries = tuple[tuple[str, str], ...]

# Letters on either side mean the term is part of a longer word; digits do not,
# so "5mg" still reads as "5 milligrams".
_BEFORE = r"(?<![^\W\d_])"
_AFTER = r"(?![^\W\d_])"
_CAPITALS = _BEFORE + r"(?P<letters>[A-Z]{2,})(?P<plural>s?)" + _AFTER


def parse_lexicon(text: str, path: Path) -> Entries:
    """The rules of a lexicon file, in file order; errors name the line."""
    entries: list[tuple[str, str]] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        # " = " first, so a symbol rule such as ">= = at least" splits where meant.
        term, sep, spoken = line.partition(" = ") if " = " in line else line.partition("=")
        term, spoken = term.strip(), " ".join(spoken.split())
        if not sep or not term:
            raise ArticleError(path, f"line {line!r} is not a rule",
                               "write each rule as 'TERM = how to say it'", number)
        if not spoken:
            raise ArticleError(path, f"the rule for {term!r} says nothing",
                               "write the words to say after '='", number)
        if term in seen:
            raise ArticleError(path, f"{term!r} has a rule already, on line {seen[term]}",
                               "keep one rule per term", number)
        seen[term] = number
        entries.append((term, spoken))
    return tuple(entries)


@lru_cache(maxsize=32)
def shipped_rules(lang: str) -> Entries:
    """How the language of ``lang`` says units and symbols, from its folder's ``lexicon.txt``."""
    from .languages import language_for

    known = language_for(lang)
    path = known.folder / FILE_NAME if known is not None else None
    if path is None or not path.is_file():
        return ()
    return parse_lexicon(path.read_text(encoding="utf-8"), path)


def speech_lexicon(lang: str, rules: Entries) -> Lexicon:
    """The lexicon an article in ``lang`` is spoken with: its language's rules, then ``rules`` (the
    clinic's), a clinic's rule replacing the language's for the same term."""
    merged = dict(shipped_rules(lang))
    merged.update(rules)
    return Lexicon(tuple(merged.items()))


@dataclass(frozen=True)
class Lexicon:
    """A compiled set of rules, applied in one pass so no rule rewrites another's output."""

    entries: Entries = ()
    spell_capitals: bool = True

    def __post_init__(self) -> None:
        words = dict(self.entries)
        object.__setattr__(self, "_table", words)
        # Longest first, so "IV drip" wins over "IV" when both are rules.
        terms = sorted(words, key=len, reverse=True)
        alternatives = ["(?P<term>" + "|".join(_pattern(t) for t in terms) + ")"] if terms else []
        if self.spell_capitals:
            alternatives.append(_CAPITALS)
        object.__setattr__(self, "_regex", re.compile("|".join(alternatives)) if alternatives else None)

    def apply(self, text: str) -> str:
        """``text`` with every rule applied and unknown capitals spelled out."""
        regex: re.Pattern[str] | None = self._regex  # type: ignore[attr-defined]
        if regex is None:
            return text
        table: dict[str, str] = self._table  # type: ignore[attr-defined]

        def replace(match: re.Match[str]) -> str:
            if match.group("term") if "term" in regex.groupindex else None:
                spoken = table[match.group("term")]
            else:
                letters = list(match.group("letters"))
                if match.group("plural"):
                    letters[-1] += "'s"
                spoken = " ".join(letters)
            start, end = match.span()
            # Keep the words apart from neighbouring digits or words ("5%" -> "5 percent").
            if start > 0 and text[start - 1].isalnum():
                spoken = " " + spoken
            if end < len(text) and text[end].isalnum():
                spoken = spoken + " "
            return spoken

        return regex.sub(replace, text)


def _pattern(term: str) -> str:
    escaped = re.escape(term)
    if not any(ch.isalnum() for ch in term):
        return escaped
    before = _BEFORE if term[0].isalnum() else ""
    after = _AFTER if term[-1].isalnum() else ""
    return before + escaped + after

