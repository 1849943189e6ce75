"""Negations in a sentence: a "do not" that opens an instruction or stands in a clause with a drug or a number."""

from __future__ import annotations

import re

from ..words import ENGLISH, fold
from .report import Fact
from .tables import CLAUSE_BREAK, LEAD_INS, NEGATED_WORD, NEGATION_CUES, NOT_THE_VERB, WORD
from .vocabulary import Vocabulary


def find_negations(sentence: str, words: Vocabulary, anchors: list[tuple[int, tuple[object, ...]]],
               part: int, heading: str | None) -> list[Fact]:
    """Each "do not" that opens an instruction, and each one in a clause with a drug or a number."""
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
            if words.language == ENGLISH and fold(cue.group(0)) == "no" and not instruction and \
                    not re.match(r"\s+(?:more|less|fewer|later|longer)\b", rest, re.IGNORECASE):
                continue  # "no" inside a clause says "do not" only as "no more than"
            inside = frozenset(key for where, key in anchors if start <= where < end)
            if not instruction and not inside:
                continue
            after = list(NEGATED_WORD.finditer(rest))
            skip = NOT_THE_VERB.get(words.language, set())
            verb = next((w.group(0) for w in after if fold(w.group(0)) not in skip and not w.group(0)[0].isdigit()), "")
            written = clause[cue.start():cue.end() + (after[:3][-1].end() if after else 0)]
            found.append(Fact("negation", ("negation", fold(verb), inside), written, sentence, part, heading,
                              anchors=inside, verb=_verb_stem(verb, words)))
    return found


def _verb_stem(verb: str, words: Vocabulary) -> str:
    """A verb without its ending, after the plain-words list ("aplique" is "ponga")."""
    word = fold(verb)
    word = words.plain_words.get(word, word)
    for ending in ("ing", "ed", "es", "s", "e", "ar", "er", "ir", "a", "o", "an", "en"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[:-len(ending)]
    return word
