"""PEMAT-P for a handout: each item judged by the program where it can be, asked of staff where it cannot.

PEMAT-P (AHRQ Pub. 14-0002-EF) scores print material for patients: 17
understandability items and 7 actionability items, each Agree (1),
Disagree (0) or N/A. A score is the points over the items that apply, as a
percentage; 70% or more passes. Until staff answer the items only a person can
judge, a score is over the items judged so far, and says so ("11 of 17 items
judged"). ``handout check``, ``handout plain`` and the staff workbench all use
:func:`assess_document` or :func:`assess_edition`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from ..model import Block, Document, Edition, Glossary, Section
from ..text.plain_draft import plain_word_list
from ..text.words import base_language
from . import judge
from .items import (
    ACTIONABILITY,
    ACTIONABILITY_ITEMS,
    BY_NUMBER,
    ITEMS,
    PASS_PERCENT,
    PROGRAM,
    STAFF,
    UNDERSTANDABILITY,
    UNDERSTANDABILITY_ITEMS,
    Item,
)
from .reading import Reading, read_handout
from .words import pemat_words

ANSWERS = (judge.AGREE, judge.DISAGREE, judge.NOT_APPLICABLE)
__all__ = ["ITEMS", "PASS_PERCENT", "Assessment", "Score", "Verdict", "assess", "assess_document",
           "assess_edition", "with_answers"]


@dataclass(frozen=True)
class Verdict:
    """One item's answer for one handout: Agree, Disagree, N/A, or None while it waits for staff."""

    item: Item
    answer: str | None
    evidence: str
    how: str  # PROGRAM or STAFF, for this handout's language
    by: str = ""  # who answered: "program", or the staff name

    @property
    def number(self) -> int:
        return self.item.number

    @property
    def fails(self) -> bool:
        return self.answer == judge.DISAGREE

    def to_dict(self) -> dict[str, object]:
        label = {judge.AGREE: "Agree", judge.DISAGREE: "Disagree", judge.NOT_APPLICABLE: "N/A"}
        return {"item": self.number, "part": self.item.part, "wording": self.item.wording, "how": self.how,
                "why": self.item.why, "answer": label.get(self.answer or "", "not answered yet"),
                "evidence": self.evidence, "fix": self.item.fix if self.fails else "", "by": self.by}


@dataclass(frozen=True)
class Score:
    """One PEMAT-P score: points over the items that apply, of the items judged so far."""

    part: str
    points: int
    applies: int
    judged: int
    items: int
    failing: tuple[int, ...]

    @property
    def percent(self) -> float | None:
        return None if not self.applies else round(100 * self.points / self.applies, 1)

    @property
    def complete(self) -> bool:
        return self.judged == self.items

    @property
    def passes(self) -> bool | None:
        """Whether the score reaches 70% (None when no item that applies is judged yet)."""
        return None if self.percent is None else self.percent >= PASS_PERCENT

    @property
    def judged_note(self) -> str:
        return f"{self.judged} of {self.items} items judged"

    def describe(self) -> str:
        """“Understandability 82% (9 of 11 items that apply; 11 of 17 items judged)”."""
        if self.percent is None:
            return f"{self.part.capitalize()}: not scored yet ({self.judged_note})"
        return (f"{self.part.capitalize()} {self.percent:g}% ({self.points} of {self.applies} items that apply"
                f"{'' if self.complete else '; ' + self.judged_note})")

    def to_dict(self) -> dict[str, object]:
        return {"percent": self.percent, "points": self.points, "applies": self.applies, "judged": self.judged,
                "items": self.items, "complete": self.complete, "passes": self.passes,
                "target": PASS_PERCENT, "failing_items": list(self.failing), "note": self.judged_note}


@dataclass(frozen=True)
class Assessment:
    """Every PEMAT-P item for print, for one handout, with its two scores."""

    lang: str
    edition: str  # "plain" or "article"
    verdicts: tuple[Verdict, ...]

    def score(self, part: str) -> Score:
        numbers = UNDERSTANDABILITY_ITEMS if part == UNDERSTANDABILITY else ACTIONABILITY_ITEMS
        mine = [v for v in self.verdicts if v.number in numbers]
        return Score(part=part, points=sum(v.answer == judge.AGREE for v in mine),
                     applies=sum(v.answer in (judge.AGREE, judge.DISAGREE) for v in mine),
                     judged=sum(v.answer is not None for v in mine), items=len(numbers),
                     failing=tuple(v.number for v in mine if v.fails))

    @property
    def understandability(self) -> Score:
        return self.score(UNDERSTANDABILITY)

    @property
    def actionability(self) -> Score:
        return self.score(ACTIONABILITY)

    @property
    def asked(self) -> tuple[Verdict, ...]:
        """The items staff are asked, answered or not."""
        return tuple(v for v in self.verdicts if v.how == STAFF)

    @property
    def unanswered(self) -> tuple[Verdict, ...]:
        return tuple(v for v in self.verdicts if v.answer is None)

    @property
    def failing(self) -> tuple[Verdict, ...]:
        return tuple(v for v in self.verdicts if v.fails)

    def to_dict(self) -> dict[str, object]:
        return {"edition": self.edition, "lang": self.lang,
                "understandability": self.understandability.to_dict(),
                "actionability": self.actionability.to_dict(),
                "items": [v.to_dict() for v in self.verdicts]}


def assess(title: str, sections: Iterable[Section], summary: Iterable[Block], lang: str,
           glossary: Glossary | None = None, edition: str = "plain") -> Assessment:
    """Every item for a handout of ``sections`` (and key points ``summary``) in ``lang``."""
    reading = read_handout(title, sections, summary, lang)
    glossary = glossary or Glossary()
    language = base_language(lang)
    words = pemat_words(language)
    pairs = tuple(plain_word_list(glossary.plain_words, language))
    rules = {
        3: lambda: judge.everyday_words(reading, words, pairs),
        4: lambda: judge.terms_defined(reading, words, glossary),
        5: lambda: judge.active_voice(reading, words),
        6: lambda: judge.clear_numbers(reading, words),
        7: lambda: judge.no_calculations(reading, words),
        8: lambda: judge.short_sections(reading),
        9: lambda: judge.informative_headings(reading, words),
        11: lambda: judge.summary(reading, words),
        12: lambda: judge.visual_cues(reading),
        17: lambda: judge.captions(reading),
        19: lambda: judge.simple_tables(reading),
        20: lambda: judge.one_action(reading, words),
        21: lambda: judge.addresses_reader(reading, words),
        22: lambda: judge.steps(reading, words),
        23: lambda: judge.tangible_tool(reading, words),
        24: lambda: judge.calculation_examples(reading, words),
    }
    verdicts = []
    for item in ITEMS:
        if item.how == PROGRAM and (words.judges_words or not item.needs_words):
            answer, evidence = rules[item.number]()
            verdicts.append(Verdict(item, answer, evidence, PROGRAM, "program"))
        else:
            verdicts.append(_asked(item, reading, words.judges_words))
    return Assessment(lang=lang, edition=edition, verdicts=tuple(verdicts))


def _asked(item: Item, reading: Reading, words_known: bool) -> Verdict:
    """An item for staff, unless the handout itself makes it N/A (no pictures to judge, no tables)."""
    if item.number in (16, 18) and not reading.pictures:
        return Verdict(item, judge.NOT_APPLICABLE, "no pictures", PROGRAM, "program")
    if item.number == 25 and not reading.pictures and not reading.tables:
        return Verdict(item, judge.NOT_APPLICABLE, "no tables, charts or pictures", PROGRAM, "program")
    why = "" if item.how == STAFF or words_known else "this language has no word lists for this item; "
    return Verdict(item, None, why + "waiting for staff to answer", STAFF)


def assess_edition(document: Document, edition: Edition) -> Assessment:
    """The items for ``edition`` as the plain edition of ``document``."""
    return assess(edition.title or document.title, edition.sections, edition.summary, document.lang,
                  document.glossary, "plain")


def assess_document(document: Document, answers: Mapping[int, tuple[str, str]] | None = None) -> Assessment:
    """The items for the handout patients read: the plain edition where there is one, else the article."""
    if document.plain is not None:
        found = assess_edition(document, document.plain)
    else:
        found = assess(document.title, document.sections, (), document.lang, document.glossary, "article")
    return with_answers(found, answers or {})


def with_answers(assessment: Assessment, answers: Mapping[int, tuple[str, str]]) -> Assessment:
    """The assessment with staff's answers ({item: (answer, staff name)}) to the items they are asked."""
    verdicts = []
    for verdict in assessment.verdicts:
        answer = answers.get(verdict.number)
        if verdict.how == STAFF and answer and answer[0] in ANSWERS:
            verdict = replace(verdict, answer=answer[0], by=answer[1], evidence=f"answered by {answer[1]}")
        verdicts.append(verdict)
    return replace(assessment, verdicts=tuple(verdicts))


def item(number: int) -> Item:
    """The item of this number."""
    return BY_NUMBER[number]


