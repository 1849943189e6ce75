"""The PEMAT-P items a program can judge, each from a handout's words and layout, with its evidence."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from ..model import Glossary, plain_text
from ..text.words import fold
from .reading import Reading
from .words import ABBREVIATION, MEDICAL_ENDINGS, PematWords

AGREE, DISAGREE, NOT_APPLICABLE = "agree", "disagree", "n/a"
Judgment = tuple[str, str]  # (answer, evidence)

HARD_WORDS_PER_100 = 1.0  # more than 1 word with an everyday equivalent per 100 words is a Disagree
PASSIVE_SHARE = 0.10
MAX_SECTION_WORDS = 250
MAX_PARAGRAPH_WORDS = 80
SHORT_MATERIAL_PARAGRAPHS = 2  # PEMAT: N/A for items 8, 9, 11 when the material is this short
MAX_HEADING_WORDS = 6
MAX_COLUMNS = 5
STEPS_IN_A_PARAGRAPH = 3  # three actions in one paragraph are a procedure that needs a list
PERCENT = re.compile(r"\d+(?:[.,]\d+)?\s?%|\bpercent\b|\bper cent\b|\bpor ciento\b|\bpour cent\b|\bpor cento\b")
FRACTION = re.compile(r"(?<![\d/])\d+/\d+(?![\d/])|[½¼¾⅓⅔⅛]")


def _decimal(lang: str) -> re.Pattern[str]:
    # English writes 1,000 for a thousand and 0.5 for a half; Spanish and the others the other way round.
    return re.compile(r"\b\d+\.\d+\b" if lang == "en" else r"\b\d+,\d+\b")


def _quote(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[:limit - 1] + '…'}”"


@lru_cache(maxsize=64)
def _pattern(regex: str) -> re.Pattern[str]:
    return re.compile(regex, re.IGNORECASE)


def everyday_words(reading: Reading, words: PematWords, pairs: tuple[tuple[str, str], ...]) -> Judgment:
    """Item 3: words that have an everyday equivalent, per 100 words."""
    found: dict[str, str] = {}
    text = fold("\n".join([reading.title, *(p.heading or "" for p in reading.parts), *reading.texts()]))
    for hard, easy in (*words.pemat_pairs, *pairs):
        key = fold(hard)
        if key not in found and re.search(r"(?<!\w)" + re.escape(key) + r"(?!\w)", text):
            found[key] = easy
    count = len(found)
    per_100 = 100 * count / max(reading.words, 1)
    named = "; ".join(f"“{hard}” (say “{easy}”)" for hard, easy in list(found.items())[:8])
    if per_100 > HARD_WORDS_PER_100:
        return DISAGREE, f"{count} words with an everyday equivalent in {reading.words} words: {named}"
    return AGREE, (f"{count} word{'s' if count != 1 else ''} with an everyday equivalent in {reading.words} words"
                   + (f": {named}" if named else ""))


def terms_defined(reading: Reading, words: PematWords, glossary: Glossary) -> Judgment:
    """Item 4: abbreviations and medical terms are explained at first use (or by the glossary)."""
    known = {fold(t) for t, _ in glossary.terms} | {a for a, _ in glossary.abbreviations}
    seen: set[str] = set()
    undefined: list[str] = []
    defined = 0
    for sentence in reading.sentences():
        folded = fold(sentence)
        candidates = [m.group(0) for m in ABBREVIATION.finditer(sentence)]
        candidates += [m.group(0) for m in MEDICAL_ENDINGS.finditer(sentence)]
        for term in candidates:
            abbreviation = term.rstrip("s").isupper()
            key = term.rstrip("s") if abbreviation else fold(term)
            bare = key[:-1] if not abbreviation and key.endswith("s") and key[:-1] in known else key
            if bare in seen:
                continue
            seen.add(bare)
            explained = (bare in known or (abbreviation and len(bare) <= 2)
                         or re.search(re.escape(fold(term)) + r"\W{0,3}(" + words.defines + ")", folded)
                         or re.search(r"\(\s*" + re.escape(fold(term)) + r"\s*\)", folded))
            if explained:
                defined += 1
            else:
                undefined.append(f"“{term}” in {_quote(sentence, 90)}")
    if undefined:
        return DISAGREE, f"{len(undefined)} term{'s' if len(undefined) != 1 else ''} not explained: " + \
            "; ".join(undefined[:5])
    return AGREE, f"{defined} medical term{'s' if defined != 1 else ''} or abbreviation{'s' if defined != 1 else ''}" \
        " found, each explained at first use or in the glossary"


def active_voice(reading: Reading, words: PematWords) -> Judgment:
    """Item 5: the share of sentences in the passive voice."""
    sentences = reading.sentences()
    passive = []
    for sentence in sentences:
        for match in _pattern(words.passive).finditer(fold(sentence)):
            if match.group(1) not in words.not_passive:
                passive.append(sentence)
                break
    share = len(passive) / max(len(sentences), 1)
    figure = f"{len(passive)} of {len(sentences)} sentences in the passive voice"
    examples = "; ".join(_quote(s, 90) for s in passive[:4])
    if share > PASSIVE_SHARE and len(passive) > 1:
        return DISAGREE, f"{figure} (more than 1 in 10): {examples}"
    return AGREE, figure + (f": {examples}" if examples else "")


def clear_numbers(reading: Reading, words: PematWords) -> Judgment:
    """Item 6: percentages without a count beside them, decimals and fractions."""
    unclear, figures = [], 0
    decimal = _decimal(reading.lang)
    for sentence in reading.sentences():
        folded = fold(sentence)
        figures += len(re.findall(r"\d+", sentence))
        if PERCENT.search(folded) and not _pattern(words.explained_percent).search(folded):
            unclear.append(f"a percentage in {_quote(sentence, 90)}")
        elif decimal.search(sentence):
            unclear.append(f"a decimal in {_quote(sentence, 90)}")
        elif FRACTION.search(sentence):
            unclear.append(f"a fraction in {_quote(sentence, 90)}")
    if not figures:
        return NOT_APPLICABLE, "no figures in the text"
    if unclear:
        return DISAGREE, "; ".join(unclear[:5])
    return AGREE, f"{figures} figure{'s' if figures != 1 else ''}, none a bare percentage, decimal or fraction"


def calculations(reading: Reading, words: PematWords) -> list[str]:
    """The sentences that ask the reader to do arithmetic."""
    return [s for s in reading.sentences() if _pattern(words.calculation).search(fold(s))]


def no_calculations(reading: Reading, words: PematWords) -> Judgment:
    """Item 7: no sentence asks the reader to calculate."""
    asked = calculations(reading, words)
    if asked:
        return DISAGREE, "asks the reader to calculate: " + "; ".join(_quote(s, 90) for s in asked[:4])
    return AGREE, "no sentence asks the reader to calculate"


def short_sections(reading: Reading) -> Judgment:
    """Item 8: no section over 250 words, no paragraph over 80."""
    if reading.paragraphs <= SHORT_MATERIAL_PARAGRAPHS:
        return NOT_APPLICABLE, f"{reading.paragraphs} paragraphs: too short to need sections"
    long_parts = [f"“{p.heading or 'the opening'}” ({p.words} words)" for p in reading.parts
                  if p.words > MAX_SECTION_WORDS]
    long_paragraphs = [(len(text.split()), text) for p in reading.parts for text in p.paragraphs
                       if len(text.split()) > MAX_PARAGRAPH_WORDS]
    if long_parts or long_paragraphs:
        said = [f"section {text} over {MAX_SECTION_WORDS} words" for text in long_parts]
        said += [f"a paragraph of {n} words: {_quote(text, 60)}" for n, text in long_paragraphs[:3]]
        return DISAGREE, "; ".join(said)
    longest = max((p.words for p in reading.parts), default=0)
    return AGREE, f"{len(reading.parts)} sections, the longest {longest} words"


def informative_headings(reading: Reading, words: PematWords) -> Judgment:
    """Item 9: the handout has headings and none is generic ("Introduction", "Other")."""
    if reading.paragraphs <= SHORT_MATERIAL_PARAGRAPHS:
        return NOT_APPLICABLE, f"{reading.paragraphs} paragraphs: too short to need headings"
    headings = [p.heading for p in reading.parts if p.heading]
    if not headings:
        return DISAGREE, f"no headings in {reading.paragraphs} paragraphs"
    generic = [h for h in headings if fold(h).strip(" :.") in words.generic_headings
               or re.fullmatch(r"[\W\d_]*", h)]
    if generic:
        return DISAGREE, "headings that say nothing of their section: " + ", ".join(f"“{h}”" for h in generic)
    return AGREE, f"{len(headings)} headings, none generic: " + ", ".join(f"“{h}”" for h in headings[:6])


def _headed(reading: Reading, pattern: str) -> str | None:
    """The first heading that ``pattern`` finds (in folded text)."""
    return next((p.heading for p in reading.parts if p.heading and _pattern(pattern).search(fold(p.heading))), None)


def summary(reading: Reading, words: PematWords) -> Judgment:
    """Item 11: a key points box or a section headed as a summary."""
    if reading.summary_points:
        return AGREE, f"a key points box of {reading.summary_points} points"
    heading = _headed(reading, words.summary_headings)
    if heading:
        return AGREE, f"a section headed “{heading}”"
    if reading.paragraphs <= SHORT_MATERIAL_PARAGRAPHS:
        return NOT_APPLICABLE, f"{reading.paragraphs} paragraphs: too short to need a summary"
    return DISAGREE, "no key points and no section headed as a summary"


def visual_cues(reading: Reading) -> Judgment:
    """Item 12: lists, bold, the key points box or boxed text draw the eye to key points."""
    lists = sum(len(p.list_items) for p in reading.parts)
    cues = []
    if reading.summary_points:
        cues.append("a key points box")
    if lists:
        cues.append(f"{lists} list{'s' if lists != 1 else ''}")
    if reading.bold:
        cues.append(f"{len(reading.bold)} bold phrase{'s' if len(reading.bold) != 1 else ''}")
    if reading.boxes:
        cues.append(f"{reading.boxes} boxed passage{'s' if reading.boxes != 1 else ''}")
    if not cues:
        return DISAGREE, "no list, bold text or box: every key point is in running text"
    return AGREE, ", ".join(cues)


def captions(reading: Reading) -> Judgment:
    """Item 17: each picture has a caption."""
    if not reading.pictures:
        return NOT_APPLICABLE, "no pictures"
    missing = [image.src for image in reading.pictures if not image.caption.strip()]
    if missing:
        return DISAGREE, f"{len(missing)} of {len(reading.pictures)} pictures without a caption: " + ", ".join(missing)
    return AGREE, f"{len(reading.pictures)} picture{'s' if len(reading.pictures) != 1 else ''}, each with a caption"


def simple_tables(reading: Reading) -> Judgment:
    """Item 19: tables have a header row of short headings and few columns."""
    if not reading.tables:
        return NOT_APPLICABLE, "no tables"
    faults = []
    for n, table in enumerate(reading.tables, start=1):
        headings = [plain_text(cell.inlines).strip() for cell in table.header]
        if not any(headings) or not all(headings):
            faults.append(f"table {n} has a column without a heading")
        long = [h for h in headings if len(h.split()) > MAX_HEADING_WORDS]
        if long:
            faults.append(f"table {n} heading {_quote(long[0], 60)} is over {MAX_HEADING_WORDS} words")
        if len(headings) > MAX_COLUMNS:
            faults.append(f"table {n} has {len(headings)} columns (more than {MAX_COLUMNS})")
    if faults:
        return DISAGREE, "; ".join(faults)
    return AGREE, f"{len(reading.tables)} table{'s' if len(reading.tables) != 1 else ''}, each with short headings"


def actions(reading: Reading, words: PematWords) -> tuple[list[str], list[str]]:
    """The sentences that tell the reader what to do, and those that tell others ("patients should")."""
    direct, others = [], []
    for sentence in reading.sentences():
        folded = fold(sentence).lstrip("¿¡\"'“‘(*-–— 0123456789.)")
        first = re.match(r"[\w']+", folded)
        if (first and first.group(0) in words.imperatives) or _pattern(words.you_action).search(folded):
            direct.append(sentence)
        elif _pattern(words.others_action).search(folded):
            others.append(sentence)
    return direct, others


def one_action(reading: Reading, words: PematWords) -> Judgment:
    """Item 20: at least one sentence tells the reader what to do."""
    direct, others = actions(reading, words)
    if direct:
        plural = "s" if len(direct) != 1 else ""
        return AGREE, f"{len(direct)} action{plural} for the reader, such as {_quote(direct[0])}"
    if others:
        return AGREE, f"an action, though not addressed to the reader: {_quote(others[0])}"
    return DISAGREE, "no sentence tells the reader what to do"


def addresses_reader(reading: Reading, words: PematWords) -> Judgment:
    """Item 21: actions are addressed to the reader ("you", the imperative), not to "patients"."""
    direct, others = actions(reading, words)
    if not direct and not others:
        return DISAGREE, "no action is described, so none is addressed to the reader"
    if len(others) > len(direct):
        return DISAGREE, (f"{len(others)} actions said of others, {len(direct)} to the reader: "
                          + "; ".join(_quote(s, 90) for s in others[:3]))
    return AGREE, f"{len(direct)} actions addressed to the reader, {len(others)} said of others"


def steps(reading: Reading, words: PematWords) -> Judgment:
    """Item 22: actions are set out as steps: a list of them, or each its own short sentence, never a paragraph
    of three or more run together."""
    direct, others = actions(reading, words)
    doing = direct + others
    for part in reading.parts:
        for items in part.list_items:
            acted = [text for text in items if any(a in text or text in a for a in doing)]
            if len(acted) >= 2:
                return AGREE, f"a list of {len(items)} steps, such as {_quote(acted[0], 90)}"
    if not doing:
        return DISAGREE, "no action, so no steps"
    crowded = [(sum(1 for a in doing if a in text), text) for part in reading.parts for text in part.paragraphs]
    count, text = max(crowded, default=(0, ""))
    if count >= STEPS_IN_A_PARAGRAPH:
        return DISAGREE, f"{count} actions run together in one paragraph, not in a list of steps: {_quote(text, 90)}"
    return AGREE, f"{len(doing)} action{'s' if len(doing) != 1 else ''}, each its own sentence, none run together"


def tangible_tool(reading: Reading, words: PematWords) -> Judgment:
    """Item 23: a checklist, questions to ask, a log or a diary the reader can use."""
    if reading.tick_boxes:
        return AGREE, f"a checklist of {reading.tick_boxes} boxes to tick"
    heading = _headed(reading, words.tool_headings)
    if heading:
        return AGREE, f"a tool: the section “{heading}”"
    return DISAGREE, "no checklist, list of questions to ask, log or diary"


def calculation_examples(reading: Reading, words: PematWords) -> Judgment:
    """Item 24: where a calculation is asked, an example shows how."""
    asked = calculations(reading, words)
    if not asked:
        return NOT_APPLICABLE, "no calculation is asked of the reader"
    for part in reading.parts:
        text = fold(" ".join(part.paragraphs + [t for items in part.list_items for t in items]))
        if any(fold(s) in text for s in asked) and _pattern(words.example).search(text):
            return AGREE, f"an example beside the calculation in “{part.heading or 'the opening'}”"
    return DISAGREE, "a calculation without an example: " + _quote(asked[0], 90)


Rule = Callable[..., Judgment]
