"""Drug and drug-class names in a sentence: listed ones, and rare words named like a drug."""

from __future__ import annotations

import re

from ..words import SIMPLE_WORD, fold
from .tables import RARE_ZIPF, TAKE_WORDS, Token
from .vocabulary import Vocabulary, drug_like, stem, token_keys, zipf


def find_drugs(sentence: str, words: Vocabulary) -> list[tuple[tuple[object, ...], str, int]]:
    """(key, text as written, where it starts) for each drug name of a sentence."""
    tokens = [(m.group(0), m.start(), m.end()) for m in SIMPLE_WORD.finditer(sentence)]
    found: list[tuple[tuple[object, ...], str, int]] = []
    i = 0
    while i < len(tokens):
        match = _listed_drug(tokens, i, words)
        if match is not None:
            name, end = match
            found.append((("drug", fold(name)), sentence[tokens[i][1]:tokens[end - 1][2]], tokens[i][1]))
            i = end
            continue
        token = tokens[i][0]
        if drug_like(token, words.language) or _named_like_a_drug(sentence, tokens, i, words):
            found.append((("drug", stem(fold(token))), token, tokens[i][1]))
        i += 1
    return found


def _listed_drug(tokens: list[Token], i: int, words: Vocabulary) -> tuple[str, int] | None:
    """The listed drug whose name starts at token ``i`` (longest name first), and the token after it."""
    for size in range(min(words.longest, len(tokens) - i), 0, -1):
        options: list[tuple[str, ...]] = [()]
        for token, _start, _end in tokens[i:i + size]:
            options = [option + (key,) for option in options for key in token_keys(token)]
        for option in options:
            name = words.drugs.get(option)
            if name is not None:
                return name, i + size
    return None


def _named_like_a_drug(sentence: str, tokens: list[Token], i: int, words: Vocabulary) -> bool:
    """A rare capitalised word used as a medicine: taken, dosed, or bracketed with a listed drug (a brand)."""
    token, start, end = tokens[i]
    if not (token[:1].isupper() and token[1:].islower() and len(token) >= 4):
        return False
    if zipf(token.lower(), words.language) >= RARE_ZIPF:
        return False
    if i and fold(tokens[i - 1][0]) in TAKE_WORDS:
        return True
    if re.match(r"\s*\d+(?:[.,]\d+)?\s*(?:mg|mcg|g|ml|mL)\b", sentence[end:end + 16]):
        return True
    # "sertraline (Zoloft)" or "Zoloft (sertraline)"
    if sentence[:start].rstrip().endswith("(") and i and _listed_drug(tokens, i - 1, words) is not None:
        return True
    return sentence[end:].lstrip().startswith("(") and i + 1 < len(tokens) and \
        _listed_drug(tokens, i + 1, words) is not None
