"""The fact guard: what a plain rewrite of an article must keep, and what it must not make up.

A plain-language edition may change every word but these (health-literacy
guides: CDC Clear Communication Index, NIH "Clear & Simple"):

- **numbers**, with their units, ranges and rates: "180/120 mmHg", "30 minutes",
  "80 to 89", "3 times a day", "911". A number written in words is the same
  number ("five minutes" is "5 minutes", "cinco minutos"); "twice" is "2 times".
- **drugs and drug classes**: from the word lists each language's folder ships
  (``pipeline/languages/<code>/drugs.txt``), the article's glossary (a term whose meaning starts "a drug
  that ...", and an abbreviation standing for a listed name: "SSRIs" and
  "selective serotonin reuptake inhibitors" are one fact) and its lexicon, and
  names that look like drugs (a drug-name ending such as -pril or -statin on a
  rare word; a rare capitalised word taken, dosed or bracketed with a known
  drug, as brand names are). Capitals and plurals are folded: "SSRI medicines"
  keeps "SSRIs".
- **negations**: a "do not", "don't", "never" or "no" (Spanish "no", "nunca")
  that opens an instruction, or that stands in the same clause as a drug or a
  number ("take no more than 4 g").

``compare`` reports what the plain edition *drops* (in the original, nowhere in
the plain edition) and what it *adds* (in the plain edition, nowhere in the
original), each with the sentence and section it was found in. A changed dose
(5 mg to 50 mg) is one fact dropped and one added; so is a changed unit (mg to
g); a kept action that lost its "do not" is a dropped negation.

Facts are matched anywhere in the other edition, not section by section: a
plain edition may move a dose from the details into its key points.

A person may review a flagged fact (``reviews``): the review is kept in the
plain edition's front matter and applies while both sentences compared stay
as they were.

Known limits: a number said another way ("half an hour" for "30 minutes"), a
drug called only "it" or "this drug" throughout, and a negation whose verb and
anchors both changed are reported, for a person to judge.
"""

from __future__ import annotations

from .compare import compare, compared_sentences, find_facts, glossary_facts, guard, sentence_facts
from .passages import Part, Passage, document_parts, passages, plain_parts
from .report import Fact, FactReport
from .reviews import review_for, with_reviews
from .vocabulary import Vocabulary, document_vocabulary, vocabulary

__all__ = ["Fact", "FactReport", "Part", "Passage", "Vocabulary", "compare", "compared_sentences", "document_parts",
           "document_vocabulary", "find_facts", "glossary_facts", "guard", "passages", "plain_parts", "review_for",
           "sentence_facts", "vocabulary", "with_reviews"]
