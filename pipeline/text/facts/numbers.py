"""Numbers in a sentence, with their units, ranges and rates, written in digits or in words."""

from __future__ import annotations

import re

from ..words import SPANISH, fold
from .tables import (
    BETWEEN,
    HUNDRED,
    NUMBER_WORDS,
    PER_WORDS,
    PERIOD_ADVERBS,
    PERIODS,
    PHONE,
    RANGE_WORDS,
    RATIO_WORDS,
    TENS,
    THOUSAND,
    TIME_OF_DAY,
    TIMES_WORDS,
    TOKEN,
    Token,
)
from .vocabulary import Vocabulary


def find_numbers(sentence: str, words: Vocabulary) -> list[tuple[tuple[object, ...], str, bool, int]]:
    """(key, text as written, weak, where it starts) for each number of a sentence, in order."""
    language = words.language
    found: list[tuple[tuple[object, ...], str, bool, int]] = []
    for phone in PHONE.finditer(sentence):
        found.append((("phone", re.sub(r"\D", "", phone.group(0))), phone.group(0), False, phone.start()))
    text = PHONE.sub(lambda m: " " * len(m.group(0)), sentence)
    tokens = [(m.group(0), m.start(), m.end()) for m in TOKEN.finditer(text)]
    i = 0
    while i < len(tokens):
        first = _read_number(tokens, i, text, language)
        if first is None:
            i += 1
            continue
        value, end, in_words, implied = first
        unit, end = (implied, end) if implied else _read_unit(tokens, end, words)
        values: list[float | str] = [value]
        high: float | str | None = None
        join = ""
        joined = _read_join(tokens, i, end, language)
        second = _read_number(tokens, joined[1], text, language) if joined else None
        if joined and second:
            value2, end2, in_words2, implied2 = second
            unit2, end2 = (implied2, end2) if implied2 else _read_unit(tokens, end2, words)
            if not unit or not unit2 or unit == unit2:
                unit, end, in_words = unit or unit2, end2, in_words and in_words2
                if joined[0] == "or":  # "1 or 2 tablets", "911 or 988": two numbers
                    values.append(value2)
                else:  # "80 to 89", "between 80 and 89", "180/120"
                    high, join = value2, joined[0]
        per, end = _read_period(tokens, end)
        written = text[tokens[i][1]:tokens[end - 1][2]]
        # A number in words with no unit counts things in the text ("three main things").
        weak = in_words and not unit and not per
        for each in values:
            key = ("number", _canonical(each), _canonical(high), join, unit, per)
            found.append((key, written, weak, tokens[i][1]))
        i = end
    return sorted(found, key=lambda f: f[3])


def _read_number(tokens: list[Token], i: int, text: str, language: str) -> tuple[float | str, int, bool, str] | None:
    """The number at token ``i``: (value, the token after it, whether in words, the unit a word implies)."""
    token, start, _end = tokens[i]
    if token[0].isdigit():
        # A number glued to a word is part of a name ("COVID-19", "GLP-1", "SGLT2").
        before = text[max(0, start - 2):start]
        if before[-1:].isalpha() or (before[-1:] == "-" and before[:1].isalpha()):
            return None
        if TIME_OF_DAY.match(token):
            return token, i + 1, False, ""
        value = _digits(token, language)
        return (value, i + 1, False, "") if value is not None else None
    word = fold(token)
    if word in TIMES_WORDS.get(language, {}):  # "twice": 2 times
        return float(TIMES_WORDS[language][word]), i + 1, True, "time"
    numbers = NUMBER_WORDS.get(language, {})
    thousand = THOUSAND.get(language, {})
    if word not in numbers and word not in thousand:
        return None
    total, current, j = 0, 0, i
    while j < len(tokens):
        word = fold(tokens[j][0])
        following = fold(tokens[j + 1][0]) if j + 1 < len(tokens) else ""
        if word in numbers:
            if j > i and not _continues(current, numbers[word], language):
                break
            current += numbers[word]
        elif word in HUNDRED.get(language, {}) and 0 < current < 10:
            current *= 100
        elif word in thousand:
            total, current = total + (current or 1) * 1000, 0
        elif word in ("-", "and", "y") and j > i and following in numbers and \
                _continues(current, numbers[following], language):
            pass  # "twenty-four", "one hundred and five", "treinta y cinco"
        else:
            break
        j += 1
    return float(total + current), j, True, ""


def _continues(current: int, value: int, language: str) -> bool:
    """Whether ``value`` goes on the number said so far: "twenty" + "four", "ciento" + "veinte"."""
    if current in TENS.get(language, set()) and value < 10:
        return True
    return current >= 100 and current % 100 == 0 and value < 100


def _digits(token: str, language: str) -> float | None:
    """The value of a number written in digits, by the language's separators."""
    if language == SPANISH:
        # "1.000" is a thousand; "2,5" and "2.5" are two and a half.
        if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", token):
            token = token.replace(".", "")
        token = token.replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", token):
        token = token.replace(",", "")
    if token.count(".") > 1 or ":" in token or "," in token:
        return None
    return float(token)


def _canonical(value: float | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return str(int(value)) if value == int(value) else f"{value:g}"


def _read_unit(tokens: list[Token], i: int, words: Vocabulary) -> tuple[str, int]:
    """The unit after a number ("mg", "minutos", "°C", "mmHg", "24-hour"), and the token after it."""
    j = i + 1 if i + 1 < len(tokens) and tokens[i][0] == "-" else i
    for size in range(max(map(len, words.phrase_units), default=0), 1, -1):
        phrase = tuple(fold(t[0]) for t in tokens[j:j + size])
        if len(phrase) == size and phrase in words.phrase_units:
            return words.phrase_units[phrase], j + size
    if j < len(tokens):
        unit = words.units.get(fold(tokens[j][0]))
        if unit is not None:
            return unit, j + 1
    return "", i


def _read_join(tokens: list[Token], start: int, i: int, language: str) -> tuple[str, int] | None:
    """How a second number may be joined on: "/", "over", "to", "-", "or", "and" after "between"."""
    if i + 1 >= len(tokens):
        return None
    word = fold(tokens[i][0])
    if word in RATIO_WORDS:
        return ("/", i + 1) if tokens[i + 1][0][0].isdigit() else None
    if word in RANGE_WORDS.get(language, {}):
        return RANGE_WORDS[language][word], i + 1
    opening, joining = BETWEEN.get(language, ("", ""))
    if word == joining and start > 0 and fold(tokens[start - 1][0]) == opening:
        return "-", i + 1
    return None


def _read_period(tokens: list[Token], i: int) -> tuple[str, int]:
    """How often: "a day", "per week", "each night", "daily", "al día", "a la semana"."""
    if i >= len(tokens):
        return "", i
    word = fold(tokens[i][0])
    if word in PERIOD_ADVERBS:
        return PERIOD_ADVERBS[word], i + 1
    if word in PER_WORDS:
        j = i + 2 if i + 1 < len(tokens) and fold(tokens[i + 1][0]) == "la" else i + 1
        if j < len(tokens) and fold(tokens[j][0]) in PERIODS:
            return PERIODS[fold(tokens[j][0])], j + 1
    return "", i
