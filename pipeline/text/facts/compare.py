"""Finding the facts of a text, and comparing an article's with its plain edition's: what was dropped and added."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ...languages import language_for
from ...model import Document, Edition, Glossary
from ..words import split_sentences
from .drugs import find_drugs
from .negations import find_negations
from .numbers import find_numbers
from .passages import Passage, document_parts, passages, plain_parts
from .report import Fact, FactReport
from .reviews import apply_reviews
from .tables import UNIT_FAMILIES
from .vocabulary import Vocabulary, document_vocabulary


def find_facts(items: Iterable[Passage], words: Vocabulary) -> list[Fact]:
    """Every fact of some passages, sentence by sentence, in reading order."""
    found: list[Fact] = []
    for item in items:
        for sentence in split_sentences(item.text, words.language):
            found.extend(sentence_facts(sentence, words, item.part, item.heading))
    return found


def sentence_facts(sentence: str, words: Vocabulary, part: int = 0, heading: str | None = None) -> list[Fact]:
    """The facts of one sentence: its numbers, drugs and the negations around them."""
    sentence = as_words(sentence, words.language)
    numbers = find_numbers(sentence, words)
    drugs = find_drugs(sentence, words)
    facts = [Fact("number", key, text, sentence, part, heading, weak=weak) for key, text, weak, _ in numbers]
    facts += [Fact("drug", key, text, sentence, part, heading) for key, text, _ in drugs]
    anchors = [(start, key) for key, _, weak, start in numbers if not weak] + [(start, key) for key, _, start in drugs]
    facts += find_negations(sentence, words, anchors, part, heading)
    return facts


def as_words(sentence: str, language: str) -> str:
    """A sentence as the fact guard reads it: in a language written without spaces (Chinese), its words
    parted by spaces and its numerals in digits; in any other, as written."""
    known = language_for(language)
    if known is None or known.segment is None:
        return sentence
    if known.numerals is not None:
        sentence = known.numerals(sentence)
    return " ".join(known.segment(sentence)) if sentence.strip() else sentence


def same_fact(a: Fact, b: Fact) -> bool:
    """Whether two facts say the same: same drug, same number with compatible unit and rate, same negation."""
    if a.kind != b.kind:
        return False
    if a.kind == "drug":
        return a.key == b.key
    if a.kind == "number":
        if a.key[0] == "phone" or b.key[0] == "phone":
            return a.key == b.key
        _n, low_a, high_a, join_a, unit_a, per_a = a.key
        _n, low_b, high_b, join_b, unit_b, per_b = b.key
        return (low_a == low_b and high_a == high_b and join_a == join_b
                and _compatible(str(unit_a), str(unit_b)) and (not per_a or not per_b or per_a == per_b))
    # Negations: the same drug or number negated; or, where either has none, the same verb.
    if a.anchors and b.anchors:
        return bool(a.anchors & b.anchors)
    return bool(a.verb and b.verb and (a.verb.startswith(b.verb) or b.verb.startswith(a.verb)))


def _compatible(unit_a: str, unit_b: str) -> bool:
    if not unit_a or not unit_b or unit_a == unit_b:
        return True
    return UNIT_FAMILIES.get(unit_a, unit_a) == UNIT_FAMILIES.get(unit_b, unit_b)


def compare(original: Sequence[Fact], plain: Sequence[Fact], explained: Sequence[Fact] = ()) -> FactReport:
    """What ``plain`` drops of ``original`` and adds to it; ``explained`` facts (the glossary's) are never added."""
    dropped = _unique(f for f in original if not f.weak and not any(same_fact(f, p) for p in plain))
    added = _unique(f for f in plain if not f.weak and not any(same_fact(f, o) for o in original)
                    and not any(same_fact(f, e) for e in explained))
    return FactReport(dropped=tuple(dropped), added=tuple(added),
                      original_count=len(_unique(f for f in original if not f.weak)),
                      plain_count=len(_unique(f for f in plain if not f.weak)))


def _unique(facts: Iterable[Fact]) -> list[Fact]:
    """One fact per key (its first sentence), in reading order."""
    seen: set[tuple[object, ...]] = set()
    out = []
    for fact in facts:
        if fact.key not in seen:
            seen.add(fact.key)
            out.append(fact)
    return out


def glossary_facts(glossary: Glossary, words: Vocabulary) -> list[Fact]:
    """Facts the glossary's own meanings name: shown on a page beside a term, never "added" by an edition."""
    texts = [meaning for _term, meaning in glossary.terms] + [meaning for _a, meaning in glossary.abbreviations]
    return find_facts((Passage(0, None, t) for t in texts), words)


def guard(document: Document, edition: Edition | None = None) -> FactReport:
    """The fact guard on an article and its plain edition (by default its own, or else the automatic draft)."""
    from ..plain_draft import draft_edition

    if edition is None:
        edition = document.plain if document.plain is not None else draft_edition(document)
    words = document_vocabulary(document)
    original, plain = passages(document_parts(document)), passages(plain_parts(edition))
    report = compare(find_facts(original, words), find_facts(plain, words), glossary_facts(document.glossary, words))
    if not edition.fact_reviews:
        return report
    return apply_reviews(report, edition.fact_reviews, *compared_sentences(document, edition))


def with_kept_reviews(report: FactReport, document: Document) -> FactReport:
    """The report with the reviews kept in the article's plain edition applied, where they still hold."""
    if document.plain is None or not document.plain.fact_reviews:
        return report
    return apply_reviews(report, document.plain.fact_reviews, *compared_sentences(document, document.plain))


def compared_sentences(document: Document, edition: Edition) -> tuple[list[str], list[str]]:
    """The sentences of the article and of its plain edition, as the fact guard reads them."""
    language = document_vocabulary(document).language
    return tuple(  # type: ignore[return-value]
        [as_words(s, language) for item in passages(parts) for s in split_sentences(item.text, language)]
        for parts in (document_parts(document), plain_parts(edition)))
