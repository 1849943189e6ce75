"""The plain-language workbench: how far a plain edition is from grade 6, and whether it keeps every fact.

One analysis serves the command line (``handout plain``) and the staff web
app, for a saved plain edition (``analyse``) or one being edited
(``analyse_text``):

- the reading level of the page the edition makes, with its formula and target,
  measured as ``handout check`` measures the finished page (title and main
  text, glossary meanings included, labels too);
- each sentence above the target, with its own grade and its hard words: long
  words (3 or more syllables) that are not everyday ones, not drug names, not
  explained by the glossary, and the plain word where the plain-words list has
  one (a word or phrase of that list is always offered, whatever its length);
- the fact guard's findings (see ``pipeline.text.facts``);
- the same, section by section of the original article, each with its plain
  counterpart.

A sentence's own grade is its page's formula applied to it alone: English, the
higher of Flesch-Kincaid and SMOG (so one word of three syllables puts a
sentence at 8.8, as a page of such sentences would be); Spanish, SOL (three
such words put it above 6), and a sentence also misses when its
Flesch-Szigriszt index is under 65 (fragments under 5 words aside). Any
sentence over 20 words misses too.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..languages import languages
from ..model import Document, Edition, Glossary
from ..pemat import Assessment, assess_edition, with_answers
from ..pemat.answers import answers_path, read_answers
from .facts import (
    FactReport,
    Part,
    Vocabulary,
    compare,
    compared_sentences,
    document_parts,
    document_vocabulary,
    find_facts,
    glossary_facts,
    passages,
    plain_parts,
    sentence_facts,
)
from .facts.reviews import apply_reviews
from .readability import (
    MAX_GRADE,
    MAX_SENTENCE_WORDS,
    MAX_SOL,
    MIN_SZIGRISZT,
    ReadingReport,
    Sentence,
    flesch_kincaid,
    measure_sentence,
    reading_report,
    smog,
    sol,
    spanish_syllables,
    syllables,
    words_of,
)
from .words import ENGLISH, SIMPLE_WORD, SPANISH, base_language, fold, split_sentences

# A long word this common is an everyday word ("important", "family"; "rodilla", "enfermera"): a Zipf
# frequency of 5 is once in 100,000 words of ordinary text, as wordfreq counts it. Spanish words are
# longer (SOL converts SMOG for that), so everyday Spanish words of three syllables are rarer ones.
EVERYDAY_ZIPF = {code: language.everyday_zipf for code, language in languages().items()}
POLYSYLLABLE = 3
MIN_WORDS_FOR_FLESCH_KINCAID = 5
# How alike (tf-idf cosine) a plain section's words must be to an original section's to retell it:
# on the seed, retellings score 0.29-0.71 and "What you can do" at most 0.08 with any section.
MIN_LIKENESS = 0.15


@dataclass(frozen=True)
class HardWord:
    word: str
    syllables: int
    plain: str | None = None  # the plain-words list's replacement, if it has one

    def to_dict(self) -> dict[str, object]:
        return {"word": self.word, "syllables": self.syllables, "plain": self.plain}


@dataclass(frozen=True)
class HardSentence:
    text: str
    grade: float
    words: int
    hard_words: tuple[HardWord, ...]
    section: str | None
    szigriszt: float | None = None  # Spanish only

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"text": self.text, "grade": _round(self.grade), "words": self.words,
                                  "hard_words": [w.to_dict() for w in self.hard_words], "section": self.section}
        if self.szigriszt is not None:
            out["szigriszt"] = _round(self.szigriszt)
        return out


@dataclass(frozen=True)
class SectionAnalysis:
    """One section of the original article and its plain counterpart.

    ``kind`` is "opening" (the title and the text before the first heading,
    with the plain edition's main message and key points), "section" (a
    heading of the original), or "plain only" (a plain section with no
    counterpart in the original, such as "What you can do").
    """

    kind: str
    heading: str | None
    anchor: str
    plain_headings: tuple[str | None, ...]
    plain_text: str
    reading: ReadingReport
    hard_sentences: tuple[HardSentence, ...]
    facts: FactReport

    def to_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "heading": self.heading, "anchor": self.anchor,
                "plain_headings": list(self.plain_headings), "plain_text": self.plain_text,
                "grade": _round(self.reading.grade), "meets_target": _meets(self.reading),
                "words": self.reading.words, "sentences": self.reading.sentences,
                "hard_sentences": [s.to_dict() for s in self.hard_sentences],
                "facts": _facts_dict(self.facts)}


@dataclass(frozen=True)
class PlainAnalysis:
    """A plain edition against its target and its article's facts, as a whole and section by section."""

    slug: str
    lang: str
    edition: str  # "plain" (written by a person) or "draft" (made by the tool)
    source: Path | None  # the plain edition's file, or None for a draft or an unsaved text
    reading: ReadingReport  # the page, measured as `handout check` measures it
    hard_sentences: tuple[HardSentence, ...]
    facts: FactReport
    sections: tuple[SectionAnalysis, ...] = field(default=())
    pemat: Assessment | None = None  # PEMAT-P, with staff's answers so far

    @property
    def formula(self) -> str:
        return self.reading.formula

    @property
    def grade(self) -> float:
        return self.reading.grade

    @property
    def target(self) -> float:
        """The highest grade allowed: English, the higher of SMOG and Flesch-Kincaid; Spanish, SOL."""
        return MAX_SOL if self.reading.language == SPANISH else MAX_GRADE

    @property
    def meets_target(self) -> bool:
        """The reading level met and no sentence over 20 words (never met for a language not measured)."""
        return bool(_meets(self.reading))

    @property
    def ok(self) -> bool:
        """Ready to hand out: at the target and keeping every fact of the article, adding none."""
        return self.meets_target and self.facts.ok

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "formula": self.formula,
            "grade": _round(self.grade),
            "target": self.target,
            "hard_sentences": [s.to_dict() for s in self.hard_sentences],
            "facts": _facts_dict(self.facts),
            "slug": self.slug,
            "lang": self.lang,
            "edition": self.edition,
            "source": str(self.source) if self.source else None,
            "targets": {**self.reading.target(), "longest_sentence_words": MAX_SENTENCE_WORDS},
            "meets_target": self.meets_target,
            "keeps_every_fact": self.facts.ok,
            "ok": self.ok,
            "reading": self.reading.as_dict(hardest=0),
            "sections": [s.to_dict() for s in self.sections],
        }
        if not self.reading.measured:
            out["not_measured"] = self.reading.not_measured
        if self.pemat is not None:
            out["pemat"] = self.pemat.to_dict()
        return out


def _facts_dict(report: FactReport) -> dict[str, object]:
    return report.to_dict()


def _round(value: float) -> float | None:
    return None if math.isnan(value) else round(value, 1)


def _meets(report: ReadingReport) -> bool | None:
    level = report.meets_target()
    return None if level is None else level and report.longest_sentence <= MAX_SENTENCE_WORDS


# ---------------------------------------------------------------- the entry points


def analyse(document: Document) -> PlainAnalysis:
    """The analysis of an article's plain edition, or of its automatic draft when it has none."""
    from .plain_draft import draft_edition

    if document.plain is not None:
        return analyse_edition(document, document.plain, "plain", document.plain.source)
    return analyse_edition(document, draft_edition(document), "draft", None)


def analyse_text(document: Document, plain_markdown: str) -> PlainAnalysis:
    """The analysis of a plain edition given as Markdown text (front matter first), saved or not.

    Raises ``ArticleError`` when the text cannot be read as a plain edition
    (no front matter, a disclaimer that differs from the article's, ...).
    """
    from ..readers.markdown import parse_plain_edition, plain_edition_path

    edition = parse_plain_edition(plain_markdown, plain_edition_path(document.source, document.slug), document.title,
                                  document.disclaimer)
    return analyse_edition(document, edition, "plain", None)


def analyse_edition(document: Document, edition: Edition, kind: str, source: Path | None) -> PlainAnalysis:
    """The analysis of ``edition`` as the plain edition of ``document``."""
    from ..renderers.html import page_html, page_reading_units
    from ..settings import Settings
    from .plain_draft import mark_glossary

    words = document_vocabulary(document)
    shown = replace(document, plain=edition)
    # The page this edition makes, as a default build lays it out, is what `handout check` measures.
    page = reading_report(page_reading_units(page_html(shown, Settings())), document.lang)

    original_parts = document_parts(document)
    marked_parts = plain_parts(mark_glossary(edition, document.glossary))
    written_parts = plain_parts(edition)
    original_facts = find_facts(passages(original_parts), words)
    plain_facts = find_facts(passages(written_parts), words)
    facts = compare(original_facts, plain_facts, glossary_facts(document.glossary, words))
    if edition.fact_reviews:
        facts = apply_reviews(facts, edition.fact_reviews, *compared_sentences(document, edition))

    counterpart = pair_sections(original_parts, written_parts, document.glossary, document.lang)
    hard_by_part = [_hard_sentences(part, document, words) for part in marked_parts]
    sections = []
    for kind_of, i, j in _section_order(len(original_parts), counterpart):
        indexes = [k for k, c in enumerate(counterpart) if c == i] if i is not None else [j]
        original = original_parts[i] if i is not None else None
        sections.append(SectionAnalysis(
            kind=kind_of,
            heading=original.heading if original else None,
            anchor=original.anchor if original else "",
            plain_headings=tuple(written_parts[k].heading for k in indexes),
            plain_text="\n\n".join(t for k in indexes for t in written_parts[k].texts),
            reading=reading_report([t for k in indexes for t in marked_parts[k].texts], document.lang),
            hard_sentences=tuple(s for k in indexes for s in hard_by_part[k]),
            facts=FactReport(dropped=tuple(f for f in facts.dropped if i is not None and f.part == i),
                             added=tuple(f for f in facts.added if f.part in indexes))))
    pemat = with_answers(assess_edition(document, edition), read_answers(answers_path(document.source,
                                                                                       document.slug)))
    return PlainAnalysis(slug=document.slug, lang=document.lang, edition=kind, source=source, reading=page,
                         hard_sentences=tuple(s for part in hard_by_part for s in part), facts=facts,
                         sections=tuple(sections), pemat=pemat)


def _section_order(originals: int, counterpart: Sequence[int | None]) -> list[tuple[str, int | None, int]]:
    """(kind, original part, plain part): the original's parts in order, then the plain-only ones.

    An original section that no plain part retells still gets its place, with
    no plain text.
    """
    order: list[tuple[str, int | None, int]] = [("opening" if i == 0 else "section", i, -1) for i in range(originals)]
    return order + [("plain only", None, j) for j, i in enumerate(counterpart) if i is None]


# ---------------------------------------------------------------- pairing sections


def pair_sections(original: Sequence[Part], plain: Sequence[Part], glossary: Glossary, lang: str
                  ) -> list[int | None]:
    """For each plain part, the original part it retells (None for one that retells none).

    The opening goes with the opening. Each other plain part goes with the
    original section whose words it shares most, rare words weighing most
    (tf-idf), the original said as the plain-words list and the glossary would
    say it, so "medication" meets "medicine" and "antidepressant" meets "a drug
    that treats depression". A plain edition may put its sections in another
    order; one sharing too little with every section (such as "What you can
    do") retells none. Several plain parts may retell one section.
    """
    from .plain_draft import word_swapper

    language = base_language(lang)
    swap = word_swapper(glossary.plain_words)
    meanings = [(re.compile(r"(?<![\w-])" + re.escape(term) + r"(?:e?s)?(?![\w-])", re.IGNORECASE), meaning)
                for term, meaning in (*glossary.terms, *glossary.abbreviations)]

    def said_plainly(text: str) -> str:
        text = swap(text)
        return text + " " + " ".join(meaning for pattern, meaning in meanings if pattern.search(text))

    counts = [_bag([said_plainly(t) for t in p.texts], language) for p in (*original, *plain)]
    # Words every part uses ("ketamine", "PTSD") say little about which part is which.
    spread: dict[str, int] = {}
    for bag in counts:
        for word in bag:
            spread[word] = spread.get(word, 0) + 1
    weights = [{w: c * math.log(len(counts) / spread[w]) for w, c in bag.items()} for bag in counts]
    bags, plain_bags = weights[:len(original)], weights[len(original):]
    pairing: list[int | None] = [0]
    for bag in plain_bags[1:]:
        scores = [(_likeness(bags[i], bag), i) for i in range(1, len(original))]
        best, index = max(scores, default=(0.0, 0))
        pairing.append(index if best >= MIN_LIKENESS else None)
    return pairing


STOP = {ENGLISH: set("the a an and or but of to in on for with as at by is are was were be been it its this that "
                     "these those can could may might will would you your they them their from not have has had "
                     "do does what how when who which more most some many other also than then there".split()),
        SPANISH: set("el la los las un una unos unas y o pero de del a al en con por para es son fue ser se su sus "
                     "que lo le les no más mas muy como cuando donde este esta estos estas ese esa hay".split())}


def _bag(texts: Sequence[str], language: str) -> dict[str, int]:
    bag: dict[str, int] = {}
    stop = STOP.get(language, set())
    for text in texts:
        for word in SIMPLE_WORD.findall(text):
            key = fold(word)
            if key in stop or len(key) < 3:
                continue
            key = key[:6]  # a crude stem: "treatments" and "treated" meet
            bag[key] = bag.get(key, 0) + 1
    return bag


def _likeness(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine likeness of two bags of words."""
    if not a or not b:
        return 0.0
    dot = sum(count * b.get(word, 0) for word, count in a.items())
    return dot / math.sqrt(sum(c * c for c in a.values()) * sum(c * c for c in b.values()))


# ---------------------------------------------------------------- hard sentences and hard words


def sentence_grade(sentence: Sentence, lang: str) -> float:
    """A sentence's own grade, by its page's formula applied to it alone.

    English: the higher of Flesch-Kincaid and SMOG of the one sentence (SMOG
    scaled to 30 sentences as the formula intends, as if every sentence were
    like this one); for a fragment under 5 words (a heading, a list item) SMOG
    alone, since Flesch-Kincaid's sentence-length term says nothing there and
    its syllables term puts "nightmares" at grade 8.4. Spanish: SOL of the one
    sentence. NaN for a language without a formula.
    """
    language = base_language(lang)
    if language == ENGLISH:
        if sentence.words < MIN_WORDS_FOR_FLESCH_KINCAID:
            return smog(sentence.polysyllables, 1)
        return max(flesch_kincaid(sentence.words, 1, sentence.syllables), smog(sentence.polysyllables, 1))
    if language == SPANISH:
        return sol(sentence.polysyllables, 1)
    return math.nan


def sentence_misses(sentence: Sentence, lang: str) -> bool:
    """Whether a sentence alone is above its page's target (or over 20 words), its grade to one decimal."""
    if sentence.words > MAX_SENTENCE_WORDS:
        return True
    language = base_language(lang)
    grade = round(sentence_grade(sentence, lang), 1)
    if language == ENGLISH:
        return grade > MAX_GRADE
    if language == SPANISH:
        # Flesch-Szigriszt, like Flesch-Kincaid, says nothing of a fragment: "Use una toalla." scores 58.
        fragment = sentence.words < MIN_WORDS_FOR_FLESCH_KINCAID
        return grade > MAX_SOL or (not fragment and round(sentence.szigriszt, 1) < MIN_SZIGRISZT)
    return False


def _hard_sentences(part: Part, document: Document, words: Vocabulary) -> list[HardSentence]:
    out = []
    for text in part.texts:
        for written in split_sentences(text, document.lang):
            sentence = measure_sentence(written, document.lang)
            if not sentence.words or not sentence_misses(sentence, document.lang):
                continue
            out.append(HardSentence(
                text=written, grade=sentence_grade(sentence, document.lang), words=sentence.words,
                hard_words=hard_words(written, document, words), section=part.heading,
                szigriszt=sentence.szigriszt if base_language(document.lang) == SPANISH else None))
    return out


def hard_words(sentence: str, document: Document, words: Vocabulary | None = None) -> tuple[HardWord, ...]:
    """The words of a sentence worth changing, with the plain word where the plain-words list has one.

    A phrase or word of the plain-words list is always one. Otherwise a word
    is hard when it has 3 or more syllables and is none of: an everyday word
    (wordfreq), a plain word itself, a drug name or number (facts to keep), a
    glossary term or abbreviation, or in a glossary meaning shown beside its
    term on the page.
    """
    from wordfreq import zipf_frequency

    language = base_language(document.lang)
    words = words or document_vocabulary(document)
    glossary = document.glossary
    swaps = {fold(hard): easy for hard, easy in glossary.plain_words}
    plain_words = {fold(w) for _hard, easy in glossary.plain_words for w in SIMPLE_WORD.findall(easy)}
    found: list[tuple[int, HardWord]] = []
    taken: list[tuple[int, int]] = []
    # Phrases and words of the plain-words list first, longest first.
    for hard in sorted(swaps, key=len, reverse=True):
        for match in re.finditer(r"(?<![\w-])" + re.escape(hard) + r"(?![\w-])", fold(sentence)):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            taken.append((match.start(), match.end()))
            written = sentence[match.start():match.end()]
            found.append((match.start(), HardWord(written, _syllables_of(written, language), swaps[hard])))
    keep = _fact_spans(sentence, words) + _explained_spans(sentence, glossary)
    everyday = EVERYDAY_ZIPF.get(language, 5.0)
    for match in re.finditer(r"[^\W_]+(?:['’.-][^\W_]+)*", sentence):
        word = match.group(0)
        if word[0].isdigit() or any(s < match.end() and match.start() < e for s, e in taken + keep):
            continue
        count = _syllables_of(word, language)
        key = fold(word)
        if count < POLYSYLLABLE or key in plain_words:
            continue
        if not word.isupper() and zipf_frequency(word.lower(), language) >= everyday:
            continue
        found.append((match.start(), HardWord(word, count, None)))
    return tuple(w for _start, w in sorted(found, key=lambda f: f[0]))


def _syllables_of(text: str, language: str) -> int:
    count = spanish_syllables if language == SPANISH else syllables
    return sum(count(w) for w in words_of(text, language))


def _fact_spans(sentence: str, words: Vocabulary) -> list[tuple[int, int]]:
    spans = []
    for fact in sentence_facts(sentence, words):
        if fact.kind == "negation":
            continue
        start = sentence.find(fact.text)
        if start >= 0:
            spans.append((start, start + len(fact.text)))
    return spans


def _explained_spans(sentence: str, glossary: Glossary) -> list[tuple[int, int]]:
    """Where a sentence has a glossary term or abbreviation, or a meaning the page shows beside one."""
    spans = []
    for term, meaning in glossary.terms:
        pattern = r"(?<![\w-])" + re.escape(term) + r"(?:e?s)?(?![\w-])"
        spans += [m.span() for m in re.finditer(pattern, sentence, re.IGNORECASE)]
        spans += [m.span() for m in re.finditer(re.escape(meaning), sentence, re.IGNORECASE)]
    for abbreviation, meaning in glossary.abbreviations:
        spans += [m.span() for m in re.finditer(r"(?<![\w-])" + re.escape(abbreviation) + r"s?(?![\w-])", sentence)]
        spans += [m.span() for m in re.finditer(re.escape(meaning) + r"s?", sentence, re.IGNORECASE)]
    return spans


# ---------------------------------------------------------------- in words, for the command line


def describe(analysis: PlainAnalysis) -> str:
    """The analysis as the command line prints it: level, sentences to rewrite, facts, verdict."""
    lines: list[str] = []
    if analysis.edition == "draft":
        lines.append(f"{analysis.slug}: the automatic draft (no plain edition written yet; "
                     "not checked by a person)")
    else:
        lines.append(f"{analysis.slug}: plain-language edition"
                     + (f" ({analysis.source})" if analysis.source else " (text given)"))
    reading = analysis.reading
    if reading.measured:
        met = "met" if analysis.meets_target else "not met"
        lines.append(f"Reading level: {reading.describe()}; formula: {reading.formula}; "
                     f"target: {reading.describe_target()}, sentences of {MAX_SENTENCE_WORDS} words or fewer "
                     f"(longest: {reading.longest_sentence}): {met}")
    else:
        lines.append(f"Reading level: {reading.not_measured}")
    lines.append("")
    lines.append(f"Sentences above the target on their own ({len(analysis.hard_sentences)}):")
    for sentence in analysis.hard_sentences:
        where = f"[{sentence.section}] " if sentence.section else "[opening] "
        lines.append(f"  {where}grade {sentence.grade:.1f}, {sentence.words} words: {sentence.text}")
        if sentence.hard_words:
            words = ", ".join(f"{w.word} → {w.plain}" if w.plain else w.word for w in sentence.hard_words)
            lines.append(f"      hard words: {words}")
    if not analysis.hard_sentences:
        lines.append("  none")
    lines.append("")
    facts = analysis.facts
    lines.append(f"Facts: {facts.original_count} in the article, {facts.plain_count} in the "
                 + ("draft" if analysis.edition == "draft" else "plain edition"))
    for fact_id, label, fact in facts.flagged():
        where = f" (section “{fact.heading}”)" if fact.heading else ""
        lines.append(f"  {fact_id} {label}: {fact.kind} “{fact.text}” in “{fact.sentence}”{where}")
    for fact, label, review in facts.reviewed:
        note = f": {review.note}" if review.note else ""
        lines.append(f"  {review.fact} {label}, reviewed by {review.by} on {review.on}{note}: "
                     f"{fact.kind} “{fact.text}” in “{fact.sentence}”")
    if facts.ok and not facts.reviewed:
        lines.append("  every number, drug and \"do not\" kept; none added")
    if facts.flagged():
        lines.append("  A person who checked a flagged fact says so with: handout plain ARTICLE --accept FACT-ID "
                     "--by NAME")
    lines.append("")
    lines.extend(pemat_lines(analysis.pemat))
    problems = []
    if not analysis.meets_target:
        problems.append("is above the reading target" if reading.measured else "has no reading level here")
    if facts.dropped:
        problems.append(f"drops {len(facts.dropped)} fact{'s' if len(facts.dropped) != 1 else ''}")
    if facts.added:
        problems.append(f"adds {len(facts.added)} fact{'s' if len(facts.added) != 1 else ''}")
    edition = "The draft" if analysis.edition == "draft" else "The plain edition"
    lines.append(f"{edition} " + (" and ".join(problems) + "." if problems
                                  else "meets the reading target and keeps every fact."))
    return "\n".join(lines)


def accept_facts(document: Document, fact_ids: Sequence[str], by: str, note: str = "") -> Path:
    """Record in the article's plain edition that ``by`` checked each flagged fact of ``fact_ids``; its path.

    Raises an error naming the plain edition and the FACT-IDs it does not flag.
    """
    from ..errors import ArticleError
    from .facts import review_for, with_reviews

    edition = document.plain
    if edition is None:
        raise ArticleError(document.source, "the article has no plain edition to record a review in",
                           f"write {document.slug}.plain.md beside it, then run handout plain again")
    facts = analyse_edition(document, edition, "plain", edition.source).facts
    sentences = compared_sentences(document, edition)
    reviews = [review_for(facts, fact_id, by, *sentences, note=note) for fact_id in fact_ids]
    unknown = [fact_id for fact_id, review in zip(fact_ids, reviews, strict=True) if review is None]
    if unknown:
        flagged = ", ".join(fact_id for fact_id, _d, _f in facts.flagged()) or "none"
        raise ArticleError(edition.source, f"no flagged fact is {', '.join(unknown)} (flagged now: {flagged})",
                           "copy a FACT-ID from the list handout plain prints")
    edition.source.write_text(with_reviews(edition.source.read_text(encoding="utf-8"),
                                           [r for r in reviews if r is not None]), encoding="utf-8")
    return document.source


def pemat_lines(pemat: Assessment | None) -> list[str]:
    """PEMAT-P's two scores and the items that disagree, as the command line prints them."""
    if pemat is None:
        return []
    lines = [f"PEMAT-P: {pemat.understandability.describe()}; {pemat.actionability.describe()}; 70% or more passes"]
    for verdict in pemat.failing:
        lines.append(f"  item {verdict.number} Disagree ({verdict.item.wording}): {verdict.evidence}")
        lines.append(f"      fix: {verdict.item.fix}")
    if pemat.unanswered:
        lines.append("  asked of staff on the handout page: items "
                     + ", ".join(str(v.number) for v in pemat.unanswered))
    return [*lines, ""]
