"""What the fact guard found: each fact (a number, a drug, a negation), and what a rewrite dropped or added."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Literal

from ...model import FactReview

Kind = Literal["number", "drug", "negation"]
Direction = Literal["dropped", "added"]


@dataclass(frozen=True)
class Fact:
    """A number, a drug or a negation, found in one sentence.

    ``key`` is what two editions must share for the fact to be the same: for a
    number, its value(s), how a range is joined, its unit and rate; for a drug,
    its name as listed. A *weak* fact (a number word with no unit, as in "three
    main things") may keep an original fact but is never reported itself.
    A negation's ``anchors`` are the keys of the drugs and numbers in its clause
    and ``verb`` the word it negates.
    """

    kind: Kind
    key: tuple[object, ...]
    text: str
    sentence: str
    part: int = 0
    heading: str | None = None
    weak: bool = False
    anchors: frozenset[tuple[object, ...]] = field(default=frozenset())
    verb: str = ""

    def to_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "fact": self.text, "sentence": self.sentence,
                "section": self.heading, "part": self.part}

    def fact_id(self, direction: Direction) -> str:
        """The fact's stable FACT-ID: the same fact, dropped or added, gets the same one on every run."""
        return "FACT-" + hashlib.sha1(f"{direction}|{self.kind}|{_canonical(self.key)}".encode()).hexdigest()[:6]

    def describe(self) -> str:
        """The fact in a few words, for a report line: ``5 mg`` or ``"do not" (do not take)``."""
        return f"{self.kind} “{self.text}”"


@dataclass(frozen=True)
class FactReport:
    """What a plain edition dropped from its original and added to it."""

    dropped: tuple[Fact, ...]
    added: tuple[Fact, ...]
    original_count: int = 0
    plain_count: int = 0
    # Flagged facts a person checked, with their review; no longer in ``dropped`` or ``added``.
    reviewed: tuple[tuple[Fact, Direction, FactReview], ...] = ()

    def flagged(self) -> list[tuple[str, Direction, Fact]]:
        """Each fact still flagged, with its FACT-ID and whether it was dropped or added."""
        return [(f.fact_id("dropped"), "dropped", f) for f in self.dropped] + \
            [(f.fact_id("added"), "added", f) for f in self.added]

    @property
    def ok(self) -> bool:
        return not self.dropped and not self.added

    def to_dict(self) -> dict[str, object]:
        return {"dropped": [{"id": f.fact_id("dropped"), **f.to_dict()} for f in self.dropped],
                "added": [{"id": f.fact_id("added"), **f.to_dict()} for f in self.added],
                "reviewed": [{"id": review.fact, "was": direction, **f.to_dict(), "by": review.by, "on": review.on,
                              "note": review.note} for f, direction, review in self.reviewed],
                "facts_in_original": self.original_count, "facts_in_plain": self.plain_count}

    def summary(self) -> str:
        """One line naming every finding, for a check's detail."""
        def named(facts: tuple[Fact, ...]) -> str:
            return "; ".join(f"{f.text} ({f.kind}, in “{_short(f.sentence)}”"
                             + (f", section “{f.heading}”" if f.heading else "") + ")" for f in facts)
        pieces = []
        if self.dropped:
            pieces.append("dropped: " + named(self.dropped))
        if self.added:
            pieces.append("added: " + named(self.added))
        if self.reviewed:
            pieces.append("; ".join(f"{f.text} ({f.kind} {direction}) reviewed by {r.by} on {r.on}"
                                    for f, direction, r in self.reviewed))
        return " | ".join(pieces) or "every fact kept, none added"


def _short(sentence: str, limit: int = 80) -> str:
    return sentence if len(sentence) <= limit else sentence[:limit - 1].rstrip() + "…"


def _canonical(value: object) -> str:
    """A key written the same way on every run (a set's members sorted)."""
    if isinstance(value, (frozenset, set)):
        return "{" + ",".join(sorted(_canonical(v) for v in value)) + "}"
    if isinstance(value, tuple):
        return "(" + ",".join(_canonical(v) for v in value) + ")"
    return repr(value)
