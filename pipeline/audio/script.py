"""The listening script: what the audio edition says, chapter by chapter.

The script is made from the document model, so the audio keeps every sentence
of the article. Each sentence is kept twice: as the article writes it (for the
captions) and as the speech engine should receive it, with the pronunciation
lexicon applied and markup, link addresses and stray symbols put into words or
left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..languages import language_for
from ..lexicon import Lexicon, speech_lexicon
from ..locale import N_, gettext_for
from ..model import (
    Block,
    CodeBlock,
    Document,
    Image,
    Inline,
    ListBlock,
    Paragraph,
    Quote,
    Rule,
    Table,
    picture_of,
    plain_text,
)
from ..pictures import describe
from ..text import words

BEFORE_YOU_LISTEN = N_("Before you listen:")
# Said before each item of a numbered list, in the article's language.
NUMBER_LEAD = N_("Number %(number)s:")
# "4 000", "12 500 000": groups of three digits parted by a space, no-break space or thin space. A run
# with other groups beside it ("91 555 12 34") is a telephone number, said group by group as written.
_GAP = "[ \u00a0\u202f\u2009]"
SPACED_THOUSANDS = re.compile(rf"(?<![\d.,])(?<!\d{_GAP})\d{{1,3}}(?:{_GAP}\d{{3}})+(?![\d.,]?\d)(?!{_GAP}\d)")


@dataclass(frozen=True)
class Sentence:
    """One sentence: ``text`` as written (captions), ``spoken`` as the engine gets it."""

    text: str
    spoken: str


@dataclass(frozen=True)
class Chapter:
    """One navigable part of the audio: a title and its paragraphs of sentences."""

    title: str
    paragraphs: tuple[tuple[Sentence, ...], ...]

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        return tuple(s for paragraph in self.paragraphs for s in paragraph)


class _Voice:
    """Turns written text into sentences, with one lexicon for the whole script."""

    def __init__(self, lexicon: Lexicon, lang: str = "en"):
        self.lexicon = lexicon
        self.lang = lang  # where sentences end depends on the language ("Dra.", "¿...?")
        known = language_for(lang)
        self.spaced_thousands = known is not None and known.spaced_thousands

    def said(self, written: str) -> str:
        """``written`` as the speech engine gets it: thousands joined where the language parts them with
        a space, the lexicon applied, symbols in words."""
        if self.spaced_thousands:
            written = SPACED_THOUSANDS.sub(lambda m: re.sub(r"\D", "", m.group(0)), written)
        return spoken_text(self.lexicon.apply(written))

    def sentences(self, text: str, lead: tuple[str, str] = ("", "")) -> tuple[Sentence, ...]:
        """``text`` split into sentences; ``lead`` is (written, spoken) put before the first."""
        out = []
        for index, written in enumerate(split_sentences(tidy(text), self.lang)):
            spoken = self.said(written)
            if index == 0 and lead != ("", ""):
                written, spoken = f"{lead[0]}{written}", f"{lead[1]}{spoken}"
            if any(ch.isalnum() for ch in spoken):
                out.append(Sentence(text=written, spoken=spoken))
        return tuple(out)

    def picture(self, image: Image) -> tuple[tuple[Sentence, ...], ...]:
        """What is said where a picture stands: "Picture: <description>." as one sentence, then its caption.

        A decorative picture is not spoken.
        """
        if image.decorative:
            return ()
        written = tidy(describe(image.alt, self.lang))
        said = (Sentence(text=written, spoken=self.said(_as_sentence(written))),)
        return (said, self.sentences(image.caption)) if image.caption else (said,)

    def heading(self, text: str) -> tuple[Sentence, ...]:
        written = tidy(text)
        spoken = self.said(_as_sentence(written))
        return (Sentence(text=written, spoken=spoken),) if any(c.isalnum() for c in spoken) else ()


def listening_script(document: Document) -> list[Chapter]:
    """The chapters the audio edition speaks, in order.

    The title comes first, then the disclaimer ("Before you listen: ..."), each
    section under its spoken heading, and the disclaimer again, verbatim, at
    the end, where the author put it.
    """
    _ = gettext_for(document.lang)
    voice = _Voice(speech_lexicon(document.lang, document.lexicon), document.lang)
    disclaimer = document.disclaimer.text
    before = _(BEFORE_YOU_LISTEN) + " "
    label = document.disclaimer.label or _("Disclaimer")
    chapters = [Chapter(
        title=document.title,
        paragraphs=(voice.heading(document.title), voice.sentences(disclaimer, lead=(before, before))),
    )]
    for section in document.sections:
        paragraphs: list[tuple[Sentence, ...]] = []
        if section.heading:
            paragraphs.append(voice.heading(section.heading))
        for block in section.blocks:
            paragraphs.extend(_block_paragraphs(block, voice))
        paragraphs = [p for p in paragraphs if p]
        if paragraphs:
            chapters.append(Chapter(title=section.heading or _("Introduction"), paragraphs=tuple(paragraphs)))
    chapters.append(Chapter(title=label, paragraphs=(voice.heading(label), voice.sentences(disclaimer))))
    return chapters


def _block_paragraphs(block: Block, voice: _Voice) -> list[tuple[Sentence, ...]]:
    image = picture_of(block)
    if image is not None:
        return list(voice.picture(image))
    if isinstance(block, Paragraph):
        return [voice.sentences(_inline_words(block.inlines))]
    if isinstance(block, ListBlock):
        out: list[tuple[Sentence, ...]] = []
        for number, item in enumerate(block.items, start=block.start):
            texts = [_inline_words(b.inlines) for b in item.blocks if _is_text(b)]
            if texts:
                # Numbers are said as words a listener can count on: "Number 2: ...".
                spoken_lead = gettext_for(voice.lang)(NUMBER_LEAD) % {"number": number} + " "
                lead = (f"{number}. ", spoken_lead) if block.ordered else ("", "")
                out.append(voice.sentences(" ".join(texts), lead=lead))
            for child in item.blocks:
                if not _is_text(child):
                    out.extend(_block_paragraphs(child, voice))
        return out
    if isinstance(block, Table):
        out = []
        headers = [_inline_words(c.inlines) for c in block.header]
        for row in block.rows:
            cells = [_inline_words(c.inlines) for c in row]
            parts = [f"{h}: {c}" if h else c for h, c in zip(headers + [""] * len(cells), cells, strict=False)]
            out.append(voice.sentences(_as_sentence("; ".join(parts))))
        return out
    if isinstance(block, Quote):
        return [p for child in block.blocks for p in _block_paragraphs(child, voice)]
    if isinstance(block, CodeBlock):
        return [voice.sentences(block.text)]
    if isinstance(block, Rule):
        return []
    return []


def _is_text(block: Block) -> bool:
    """A paragraph of words (a list item's text is said as one), not a picture or a nested block."""
    return isinstance(block, Paragraph) and picture_of(block) is None


def _inline_words(inlines: tuple[Inline, ...]) -> str:
    # Link addresses are never read out: only the words of the link are.
    return plain_text(inlines)


def _as_sentence(text: str) -> str:
    text = text.strip()
    return text if text[-1:] in ".!?:" else text + "."


def tidy(text: str) -> str:
    """Written text with its spacing made regular, for captions."""
    return " ".join(text.replace("\u00a0", " ").split())


_SPOKEN_REPLACEMENTS = (
    ("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"'),
    ("\u2013", ","), ("\u2014", ","), ("\u00a0", " "), ("\u2026", "..."),
)
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>()\[\]]+", re.IGNORECASE)


def _spoken_address(match: re.Match[str]) -> str:
    # A typed-out address is said as its site name ("example dot org"), never
    # letter by letter with its slashes and query strings.
    host = re.sub(r"^(?:https?://)?(?:www\.)?", "", match.group(0), flags=re.IGNORECASE)
    host = host.split("/")[0].split("?")[0].rstrip(".,;:")
    return " dot ".join(part for part in host.split(".") if part)


def spoken_text(text: str) -> str:
    """Text as the speech engine should receive it: no markup symbols, tidy spaces."""
    text = _URL.sub(_spoken_address, text)
    for old, new in _SPOKEN_REPLACEMENTS:
        text = text.replace(old, new)
    text = re.sub(r"\s+,", ",", text)
    text = re.sub(r"[*_`#<>\[\]{}|\\^@=~]", " ", text)
    text = text.replace('"', "")
    return " ".join(text.split())


def split_sentences(text: str, lang: str = "en") -> tuple[str, ...]:
    """Split text in ``lang`` into sentences where the reading grade also ends them."""
    return tuple(s.strip() for s in words.split_sentences(text.strip(), lang) if s.strip())
