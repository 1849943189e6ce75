"""Negations in a sentence: a "do not" that opens an instruction or stands in a clause with a drug or a number.

A negation is the same fact when it negates the same action: "not smoking",
"do not smoke" and "never smoke" share the negated verb's lemma. The lemma
comes from simplemma where it is installed, and else from the ending rules in
each language's folder (``verb_endings``).
"""

from __future__ import annotations

import re
from functools import cache

from ..words import ENGLISH, fold
from .report import Fact
from .tables import CLAUSE_BREAK, LEAD_INS, NEGATED_WORD, NEGATION_CUES, NOT_THE_VERB, VERB_ENDINGS, WORD
from .vocabulary import Vocabulary


def find_negations(sentence: str, words: Vocabulary, anchors: list[tuple[int, tuple[object, ...]]],
               part: int, heading: str | None) -> list[Fact]:
    """Each "do not" that opens an instruction, and each one in a clause with a drug or a number.

    Any other "not" is kept as a weak fact: never reported, but it keeps a rewrite's "do not" of the same
    action ("not smoking" in a list keeps the plain edition's "Do not smoke").
    """
    cues = NEGATION_CUES.get(words.language)
    if cues is None:
        return []
    text = sentence.replace("’", "'")  # same length: positions still match the anchors'
    found: list[Fact] = []
    bounds = [0] + [i for brk in CLAUSE_BREAK.finditer(text) for i in (brk.start(), brk.end())] + [len(text)]
    for start, end in zip(bounds[::2], bounds[1::2], strict=False):
        clause = text[start:end]
        for cue in cues.finditer(clause):
            lead = [fold(w) for w in WORD.findall(clause[:cue.start()])]
            instruction = all(w in LEAD_INS.get(words.language, set()) for w in lead)
            rest = clause[cue.end():]
            # "no" inside a clause says "do not" only as "no more than"; a bare "not" ("not smoking") never does
            cue_word = fold(cue.group(0))
            weak = words.language == ENGLISH and (cue_word == "not" or cue_word == "no" and not instruction and
                                                  not re.match(r"\s+(?:more|less|fewer|later|longer)\b", rest,
                                                               re.IGNORECASE))
            inside = frozenset() if weak else frozenset(key for where, key in anchors if start <= where < end)
            weak = weak or (not instruction and not inside)
            after = list(NEGATED_WORD.finditer(rest))
            skip = NOT_THE_VERB.get(words.language, set())
            verb = next((w.group(0) for w in after if fold(w.group(0)) not in skip and not w.group(0)[0].isdigit()), "")
            written = clause[cue.start():cue.end() + (after[:3][-1].end() if after else 0)]
            found.append(Fact("negation", ("negation", fold(verb), inside), written, sentence, part, heading,
                              weak=weak, anchors=inside, verb=verb_lemma(verb, words)))
    return found


def verb_lemma(verb: str, words: Vocabulary) -> str:
    """A negated verb's lemma without its ending, after the plain-words list ("aplique" is "ponga")."""
    word = fold(verb)
    word = words.plain_words.get(word, word)
    word = _lemmatised(word, words.language)
    for ending in VERB_ENDINGS.get(words.language, ()):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[:-len(ending)]
    return word


@cache
def _lemmatised(word: str, language: str) -> str:
    """The word's lemma where simplemma is installed and knows the language; else the word."""
    try:
        import simplemma
    except ImportError:
        return word
    try:
        return fold(simplemma.lemmatize(word, lang=language))
    except (ValueError, KeyError):
        return word
