"""A person's review of what the fact guard flagged: kept in the plain edition, lapsing when a sentence changes."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime

import yaml

from ...model import FactReview
from ..words import fold
from .report import Direction, Fact, FactReport

_WORDS = re.compile(r"[^\W_]+")


def counterpart(sentence: str, others: Sequence[str]) -> str:
    """The other edition's sentence a fact's sentence was compared with: the one sharing the most words."""
    mine = {fold(w) for w in _WORDS.findall(sentence)}
    best, score = "", 0.0
    for other in others:
        theirs = {fold(w) for w in _WORDS.findall(other)}
        overlap = len(mine & theirs) / (len(mine | theirs) or 1)
        if overlap > score:
            best, score = other, overlap
    return best


def fingerprint(fact: Fact, direction: Direction, original: Sequence[str], plain: Sequence[str]) -> str:
    """A hash of the two sentences compared: the fact's own and its nearest in the other edition."""
    other = counterpart(fact.sentence, plain if direction == "dropped" else original)
    pair = (fact.sentence, other) if direction == "dropped" else (other, fact.sentence)
    return hashlib.sha256("\n".join(" ".join(s.split()) for s in pair).encode()).hexdigest()[:16]


def apply_reviews(report: FactReport, reviews: Sequence[FactReview], original: Sequence[str],
                  plain: Sequence[str]) -> FactReport:
    """The report with each flagged fact whose review still applies moved to ``reviewed``.

    A review applies while its fact is flagged and both sentences it compared are unchanged.
    """
    by_id = {review.fact: review for review in reviews}
    kept: dict[str, list[Fact]] = {"dropped": [], "added": []}
    reviewed = []
    for fact_id, direction, fact in report.flagged():
        review = by_id.get(fact_id)
        if review is not None and review.fingerprint == fingerprint(fact, direction, original, plain):
            reviewed.append((fact, direction, review))
        else:
            kept[direction].append(fact)
    return replace(report, dropped=tuple(kept["dropped"]), added=tuple(kept["added"]), reviewed=tuple(reviewed))


def review_for(report: FactReport, fact_id: str, by: str, original: Sequence[str], plain: Sequence[str],
               note: str = "", on: str | None = None) -> FactReview | None:
    """A review of the flagged fact ``fact_id`` by ``by`` today, or None if no flagged fact has that FACT-ID."""
    for flagged_id, direction, fact in report.flagged():
        if flagged_id.lower() == fact_id.strip().lower():
            return FactReview(flagged_id, by.strip(), on or datetime.now(UTC).date().isoformat(),
                              fingerprint(fact, direction, original, plain), " ".join(note.split()))
    return None


def with_reviews(markdown: str, reviews: Sequence[FactReview]) -> str:
    """The plain edition's Markdown with ``reviews`` in its front matter, each replacing one of the same fact."""
    text = markdown.replace("\r\n", "\n")
    if not text.startswith("---\n") or (end := text.find("\n---", 3)) == -1:
        front_text, body = "", "\n" + text
    else:
        front_text, body = text[4:end], text[end + 4:]
    front = yaml.safe_load(front_text) or {} if front_text.strip() else {}
    if not isinstance(front, dict):
        front = {}
    new = {review.fact for review in reviews}
    old = [r for r in FactReview.from_front(front.get("fact_reviews")) if r.fact not in new]
    front["fact_reviews"] = [r.to_front() for r in [*old, *reviews]]
    dumped = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{dumped}---{body}"
