"""Reads a source article (Markdown with YAML front matter) into a Document.

Besides the article itself it reads what is kept beside articles of any kind:
the plain-language edition, the glossary, the plain-words list and the
lexicon, and it holds the rules every reader shares (heading levels, anchors,
disclaimer labels, which addresses become links). Renderers never parse
Markdown or open files in ``source/``; they work from the Document.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from ..errors import ArticleError
from ..languages import languages
from ..lexicon import FILE_NAME as LEXICON_FILE
from ..lexicon import parse_lexicon
from ..model import (
    Block,
    Code,
    CodeBlock,
    Disclaimer,
    Document,
    Edition,
    Emphasis,
    FactReview,
    Glossary,
    Image,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    ListItem,
    Paragraph,
    Picture,
    Quote,
    Rule,
    Section,
    Strong,
    Table,
    TableCell,
    Text,
    plain_text,
    set_pictures_apart,
)
from ..pictures import (
    NO_DESCRIPTION,
    Description,
    PictureRefused,
    clean,
    descriptions_path,
    original_key,
    read_descriptions,
)
from . import nesting
from .encoding import NotText, decode_text

log = logging.getLogger(__name__)

MAX_SOURCE_BYTES = 1_000_000
# A picture file larger than this is refused before it is read.
MAX_PICTURE_FILE_BYTES = 25 * 1024 * 1024
KNOWN_KEYS = ("title", "lang", "disclaimer")
PLAIN_SUFFIX = ".plain.md"
SLUG_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
LANG_PATTERN = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
# The words that may open an article's closing disclaimer paragraph, in every language with a folder.
DISCLAIMER_WORDS = "|".join(language.disclaimer_words for language in languages().values()
                            if language.disclaimer_words)
DISCLAIMER_LABEL = re.compile(rf"^\s*({DISCLAIMER_WORDS})\s*[:：]\s*", re.IGNORECASE)
# The same words alone, as the heading of a section that holds the disclaimer (a Word document's way).
DISCLAIMER_HEADING = re.compile(rf"^\s*({DISCLAIMER_WORDS})\s*[:：]?\s*$", re.IGNORECASE)


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    # Raw HTML is switched off: an article is untrusted text, and any markup in
    # it reaches the reader as the characters that were typed.
    # Bare web addresses become links, so the PDF's are clickable and the page's
    # can be followed, as people expect of an address typed into an article.
    # Nesting is bounded by the reader (see nesting.py) below markdown-it's own stop, which drops text silently.
    return MarkdownIt("commonmark", {"html": False, "typographer": False, "linkify": True,
                                     "maxNesting": nesting.PARSER_MAX_NESTING}).enable(["table", "linkify"])


# Link addresses that survive into the handouts from a document whose links
# are typed by its author (a Word file): web pages and email. A link to a file
# on someone's computer, or to a program, becomes its plain text.
LINK_SCHEMES = ("http:", "https:", "mailto:")


def normalized_href(href: str) -> str:
    """``href`` encoded the way the Markdown reader encodes link addresses."""
    return _markdown().normalizeLink(href.strip())


def link_addresses(text: str) -> list[Inline]:
    """``text`` with the web and email addresses in it made links, as the Markdown reader makes them.

    Other readers use it so that an address typed into a Word document is as
    clickable in the PDF as one typed into a Markdown article.
    """
    md = _markdown()
    if not text or not md.linkify.pretest(text) or not md.linkify.test(text):
        return [Text(text)] if text else []
    out: list[Inline] = []
    last = 0
    # The same steps as markdown-it's linkify rule, so both readers agree on every address.
    for found in md.linkify.match(text) or []:
        href = md.normalizeLink(found.url)
        if not md.validateLink(href) or not href.lower().startswith(LINK_SCHEMES):
            continue
        shown = found.text
        if not found.schema:
            shown = re.sub(r"^http://", "", md.normalizeLinkText("http://" + shown))
        elif found.schema == "mailto:" and re.match(r"^mailto:", shown, re.IGNORECASE):
            shown = re.sub(r"^mailto:", "", md.normalizeLinkText("mailto:" + shown))
        else:
            shown = md.normalizeLinkText(shown)
        if found.index > last:
            _append_text(out, text[last:found.index])
        out.append(Link(href=href, children=(Text(shown),)))
        last = found.last_index
    _append_text(out, text[last:])
    return out


# ---------------------------------------------------------------- reading


def read(path: Path) -> Document:
    """Read one Markdown article and its plain-language edition, if it has one."""
    path = Path(path)
    slug = _slug_for(path)
    warnings: list[str] = []
    front, body, body_line = _split_front_matter(path, _read_text(path, warnings))
    title = _title(path, front)
    lang = _lang(path, front)
    sections, closing = _sections(path, body, body_line)
    disclaimer = _disclaimer(path, front, closing)
    if not any(s.blocks or s.heading for s in sections):
        raise ArticleError(path, "the article has no text besides its disclaimer",
                           "write the article's text below the front matter", field="disclaimer")
    kept = kept_descriptions(path, slug)
    sections = take_pictures(path, sections, kept, warnings)
    plain = read_plain_edition(plain_edition_path(path, slug), title, disclaimer, kept, warnings)
    extra = {k: str(v) for k, v in front.items() if k not in KNOWN_KEYS}
    return Document(slug=slug, title=title, lang=lang, sections=tuple(sections),
                    disclaimer=disclaimer, source=path, plain=plain, metadata=extra,
                    lexicon=read_lexicon(path.parent, lang), glossary=read_glossary(path.parent, lang),
                    warnings=tuple(warnings))


# ---------------------------------------------------------------- pictures

# The title that marks a picture decorative on purpose: ![](border.png "decorative").
DECORATIVE_TITLES = {"decorative", "decorativa", "decorativo"}
# An address with a scheme (http:, https:, file:, data:...) or a network path: never fetched.
REMOTE = re.compile(r"^([a-z][a-z0-9+.-]*:|//|\\\\)", re.IGNORECASE)


def kept_descriptions(path: Path, slug: str) -> dict[str, Description]:
    """The descriptions staff gave the article's pictures in the web app (SLUG.pictures.yml beside it)."""
    kept = descriptions_path(path, slug)
    try:
        return read_descriptions(kept)
    except (ValueError, OSError, UnicodeDecodeError) as error:
        raise ArticleError(kept, f"the pictures' descriptions cannot be read ({error})",
                           "describe the pictures again in the web app, or delete the file") from None
    except Exception as error:  # noqa: BLE001 - yaml's own errors, whatever their class
        raise ArticleError(kept, f"the pictures' descriptions are not valid YAML ({error})",
                           "describe the pictures again in the web app, or delete the file") from None


def take_pictures(path: Path, sections: list[Section], kept: dict[str, Description],
                  warnings: list[str], label: str = "") -> list[Section]:
    """The sections with each picture on its own and, where it is a file in the article's folder, its pixels.

    ``label`` goes before "line N" in warnings about a file other than the article (the plain edition).
    """
    folder = path.parent.resolve()
    taken: dict[Path, tuple[bytes, Picture]] = {}  # a picture shown twice is read and cleaned once

    def take(image: Image, line: int) -> Image:
        where = f"{label}line {line}" if line else (label.strip() or "the article")
        src = image.src.strip()
        if REMOTE.match(src) or Path(unquote(src)).is_absolute():
            warnings.append(f"{where}: the picture at {src!r} is not fetched: handouts take only pictures saved in "
                            "the article's folder; save it there and give its name, as "
                            "![what it shows](pictures/name.png)")
            return image
        target = (folder / unquote(src)).resolve()
        if folder not in target.parents:
            warnings.append(f"{where}: the picture {src!r} is outside the article's folder, so it is not taken; "
                            "save it in the article's folder (or a folder inside it) and give that name")
            return image
        if not target.is_file():
            warnings.append(f"{where}: the picture {src!r} is not in the article's folder, so readers meet only "
                            "its description; check its name")
            return image
        size = target.stat().st_size
        if size > MAX_PICTURE_FILE_BYTES:
            raise ArticleError(path, f"the picture {src!r} is {size:,} bytes, over the {MAX_PICTURE_FILE_BYTES:,}-"
                               "byte limit", "make it smaller: save a copy at most 6000 pixels on its longer side",
                               line or None)
        if target not in taken:
            data = target.read_bytes()
            try:
                taken[target] = data, clean(data, where=where)
            except PictureRefused as refused:
                raise ArticleError(path, f"the picture {src!r} cannot be used: {refused.problem}", refused.fix,
                                   line or None) from None
        data, picture = taken[target]
        picture = replace(picture, where=where)
        given = kept.get(original_key(data))
        alt, decorative = image.alt, image.decorative
        if given is not None:
            alt, decorative = given.text, given.decorative
        if decorative and alt and given is None:
            warnings.append(f"{where}: the picture {src!r} is marked decorative, so its description is not used; "
                            "take out \"decorative\" if it shows something the text needs")
        if not alt and not decorative:
            warnings.append(f"{where}: a picture ({src}) has no description; it is printed and shown, but readers "
                            f"who cannot see it meet only '{NO_DESCRIPTION}'. Describe it between the brackets, as "
                            f"![what it shows]({src}), or mark it ![]({src} \"decorative\") if it adds nothing")
        return replace(image, alt="" if decorative else alt, decorative=decorative,
                       caption="" if decorative else image.caption, picture=picture)

    return [replace(section, blocks=set_pictures_apart(section.blocks, take)) for section in sections]


GLOSSARY_FILE = "glossary.yml"
PLAIN_WORDS_FILE = "plain-words.yml"


def language_file(folder: Path, name: str, lang: str) -> Path:
    """The word list ``name`` for articles in ``lang``: ``glossary.es-MX.yml``, else ``glossary.es.yml``.

    English articles also use the plain name (``glossary.yml``); articles in
    other languages never do, so a Spanish page is never given English words.
    The path returned may not exist (no list).
    """
    stem, suffix = name.rsplit(".", 1)
    parts = lang.split("-")
    tags = ["-".join(parts[:2])] if len(parts) > 1 else []
    tags.append(parts[0].lower())
    candidates = [folder / f"{stem}.{tag}.{suffix}" for tag in tags]
    if parts[0].lower() == "en":
        candidates.append(folder / name)
    return next((path for path in candidates if path.is_file()), candidates[-1])


def read_glossary(folder: Path, lang: str = "en") -> Glossary:
    """The glossary and plain-words list for ``lang`` kept beside the articles, if there are any."""
    glossary_path = language_file(folder, GLOSSARY_FILE, lang)
    plain_words_path = language_file(folder, PLAIN_WORDS_FILE, lang)
    glossary = _yaml_file(glossary_path)
    unknown = sorted(set(glossary) - {"terms", "abbreviations"})
    if unknown:
        raise ArticleError(glossary_path, f"unknown section {unknown[0]!r}",
                           "use 'terms:' and 'abbreviations:'")
    return Glossary(
        terms=_word_pairs(glossary_path, glossary.get("terms") or {}),
        abbreviations=_word_pairs(glossary_path, glossary.get("abbreviations") or {}),
        plain_words=_word_pairs(plain_words_path, _yaml_file(plain_words_path)),
    )


def _yaml_file(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(_decode(path))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise ArticleError(path, "the file is not valid YAML", "write each entry as 'word: meaning'",
                           mark.line + 1 if mark is not None else 0) from None
    if data is None:  # an empty file, or comments only
        return {}
    if not isinstance(data, dict):
        raise ArticleError(path, "the file must be a list of 'word: meaning' entries",
                           "write each entry as 'word: meaning' on its own line")
    return data


def _word_pairs(path: Path, entries: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(entries, dict):
        raise ArticleError(path, "a section must be a list of 'word: meaning' entries",
                           "indent each entry under its section as 'word: meaning'")
    pairs = []
    for word, meaning in entries.items():
        if not isinstance(meaning, str) or not str(word).strip() or not meaning.strip():
            raise ArticleError(path, f"the entry {word!r} has no meaning in words",
                               "write it as 'word: meaning in plain words'")
        pairs.append((" ".join(str(word).split()), " ".join(meaning.split())))
    return tuple(pairs)


def read_lexicon(folder: Path, lang: str) -> tuple[tuple[str, str], ...]:
    """The pronunciation rules for ``lang`` kept in ``folder`` beside the articles, if there are any."""
    lexicon_path = language_file(folder, LEXICON_FILE, lang)
    if not lexicon_path.is_file():
        return ()
    return parse_lexicon(_decode(lexicon_path), lexicon_path)


def plain_edition_path(path: Path, slug: str) -> Path:
    """Where the plain-language edition of the article at ``path``, named ``slug``, lives: SLUG.plain.md beside it."""
    return path.with_name(slug + PLAIN_SUFFIX)


def read_plain_edition(plain_path: Path, title: str, disclaimer: Disclaimer,
                       kept: dict[str, Description] | None = None,
                       warnings: list[str] | None = None) -> Edition | None:
    """The plain-language edition at ``plain_path``, if there is one; ``title`` and ``disclaimer`` are the article's.

    ``kept`` holds the descriptions staff gave the article's pictures; what
    its pictures need fixing is added to ``warnings``.
    """
    if not plain_path.exists():
        return None
    text = _read_text(plain_path, warnings, plain_path.name)
    return parse_plain_edition(text, plain_path, title, disclaimer, kept, warnings)


def parse_plain_edition(text: str, plain_path: Path, title: str, disclaimer: Disclaimer,
                        kept: dict[str, Description] | None = None,
                        warnings: list[str] | None = None) -> Edition:
    """A plain-language edition from its Markdown text, such as one being edited and not yet saved.

    ``plain_path`` names the edition in errors; ``title`` and ``disclaimer``
    are its article's. The same limits apply as to a file. Its pictures are
    taken from the folder it is in, as the article's are.
    """
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    size = len(text.encode("utf-8"))
    if size > MAX_SOURCE_BYTES:
        raise ArticleError(plain_path, f"the text is {size:,} bytes, over the {MAX_SOURCE_BYTES:,}-byte limit",
                           "shorten the plain edition")
    if not text.strip():
        raise ArticleError(plain_path, "the plain edition is empty",
                           "write the plain edition, starting with a '---' line, its front matter and another '---'")
    front, body, body_line = _split_front_matter(plain_path, text)
    sections, closing = _sections(plain_path, body, body_line)
    sections = take_pictures(plain_path, sections, kept or {}, warnings if warnings is not None else [],
                             label=f"{plain_path.name} ")
    if closing is not None and closing.text != disclaimer.text:
        raise ArticleError(
            plain_path, "this edition's disclaimer differs from the article's",
            "remove it (the article's own disclaimer is used) or copy it word for word",
            closing.line, field="disclaimer")
    title = front.get("title") or title
    summary: tuple[Block, ...] = ()
    if sections and sections[0].heading is None:
        summary, sections = sections[0].blocks, sections[1:]
    retold = front.get("disclaimer_in_plain_words") or ""
    return Edition(title=str(title), sections=tuple(sections), source=plain_path, summary=summary,
                   disclaimer_in_plain_words=" ".join(str(retold).split()),
                   fact_reviews=FactReview.from_front(front.get("fact_reviews")))


def _slug_for(path: Path) -> str:
    slug = path.name.removesuffix(".md") if path.name.endswith(".md") else path.stem
    if path.suffix != ".md":
        raise ArticleError(path, "an article must be a Markdown file ending in .md",
                           "rename the file to end in .md")
    if not SLUG_PATTERN.match(slug):
        raise ArticleError(
            path, f"the file name {slug!r} cannot be used to name the handouts",
            "use letters, digits, '-' and '_' only, starting with a letter or digit")
    return slug


def _read_text(path: Path, warnings: list[str] | None = None, where: str = "") -> str:
    """An article's text; an empty article is an error. A warning is added when its encoding was guessed."""
    text = _decode(path, warnings, where)
    if not text.strip():
        raise ArticleError(path, "the file is empty",
                           "write the article, starting with front matter that gives its title")
    return text


def _decode(path: Path, warnings: list[str] | None = None, where: str = "") -> str:
    """A source file's text: within the size limit, UTF-8 or else cp1252 or Latin-1 (said in ``warnings``, or
    logged), binary refused with its line, newlines made plain."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ArticleError(path, "no such file", "check the path you gave") from None
    if size > MAX_SOURCE_BYTES:
        raise ArticleError(path, f"the file is {size:,} bytes, over the {MAX_SOURCE_BYTES:,}-byte limit",
                           "split the article or check that this is the right file")
    raw = path.read_bytes()
    try:
        decoded = decode_text(raw)
    except NotText as error:
        if not error.binary:
            raise ArticleError(path, f"byte 0x{error.byte:02x} is not UTF-8 text, though the file starts with "
                               "UTF-8's byte-order mark: part of it was saved in another encoding",
                               "retype that line, or save the whole file as UTF-8 again", error.line) from None
        raise ArticleError(path, f"byte 0x{error.byte:02x} is not text in UTF-8 or any Windows encoding: "
                           "this looks like binary data", "save the article as a UTF-8 text file", error.line) from None
    if decoded.encoding is not None:
        if warnings is not None:
            warnings.append(decoded.warning(where))
        else:
            log.warning("%s", decoded.warning(str(path)))
    return decoded.text.replace("\r\n", "\n").replace("\r", "\n")


def _split_front_matter(path: Path, text: str) -> tuple[dict[str, Any], str, int]:
    """Front matter as a mapping, the body, and the body's first line number."""
    lines = text.split("\n")
    if lines[0].strip() != "---":
        raise ArticleError(path, "the article has no front matter",
                           "start the file with a '---' line, 'title: ...', and another '---' line", 1)
    for end, line in enumerate(lines[1:], start=1):  # noqa: B007 - used after the loop
        if line.strip() in ("---", "..."):
            break
    else:
        raise ArticleError(path, "the front matter is never closed",
                           "add a '---' line after the front matter", 1)
    try:
        front = yaml.safe_load("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(error, "problem", None) or "not valid YAML"
        raise ArticleError(path, f"the front matter is not valid YAML ({problem})",
                           "write each field as 'key: value' and put quotes around values that contain ':'",
                           line) from None
    if not isinstance(front, dict):
        raise ArticleError(path, "the front matter must be a list of 'key: value' fields",
                           "write it as 'title: ...' on its own line", 2)
    for key in front:
        if not isinstance(key, str):
            raise ArticleError(path, f"front matter key {key!r} is not a word",
                               f"use the keys {', '.join(KNOWN_KEYS)}", 2)
    return front, "\n".join(lines[end + 1:]), end + 2


def _title(path: Path, front: dict[str, Any]) -> str:
    title = front.get("title")
    if title is None:
        raise ArticleError(path, "the front matter has no title", "add a line 'title: ...' to the front matter", 2,
                           field="title")
    if not isinstance(title, (str, int, float)) or not str(title).strip():
        raise ArticleError(path, "the title must be a line of text", "write 'title: Your title here'", 2, field="title")
    return " ".join(str(title).split())


def _lang(path: Path, front: dict[str, Any]) -> str:
    lang = front.get("lang", "en")
    if not isinstance(lang, str) or not LANG_PATTERN.match(lang):
        raise ArticleError(path, f"lang {lang!r} is not a language tag",
                           "write a tag such as 'en', 'en-US' or 'es'", 2, field="lang")
    return lang


def _disclaimer(path: Path, front: dict[str, Any], closing: Disclaimer | None) -> Disclaimer:
    given = front.get("disclaimer")
    if given is not None:
        if not isinstance(given, str) or not given.strip():
            raise ArticleError(path, "the disclaimer must be text", "write 'disclaimer: ...' with its words", 2,
                               field="disclaimer")
        text = " ".join(given.split())
        if closing is not None and closing.text != text:
            raise ArticleError(path, "the article has two different disclaimers",
                               "keep either the 'disclaimer:' field or the closing 'Disclaimer:' paragraph",
                               closing.line, field="disclaimer")
        return Disclaimer(text=text, line=2)
    if closing is None:
        raise ArticleError(path, "the article has no disclaimer",
                           "add 'disclaimer: ...' to the front matter, or end the article with a "
                           "paragraph that starts 'Disclaimer:'", field="disclaimer")
    return closing


# ---------------------------------------------------------------- body


def _sections(path: Path, body: str, first_line: int) -> tuple[list[Section], Disclaimer | None]:
    """Group the body's blocks under its headings; lift out a closing disclaimer."""
    nesting.check_text(path, body, first_line)
    tokens = _markdown().parse(body)
    nesting.check_tokens(path, tokens, first_line)
    root = SyntaxTreeNode(tokens)
    nodes = list(root.children)
    closing = None
    if nodes and nodes[-1].type == "paragraph":
        last = _inlines(nodes[-1].children[0]) if nodes[-1].children else ()
        words = plain_text(last)
        if DISCLAIMER_LABEL.match(words):
            label = DISCLAIMER_LABEL.match(words).group(1)
            text = " ".join(DISCLAIMER_LABEL.sub("", words, count=1).split())
            if text:
                closing = Disclaimer(text=text, label=label.capitalize(),
                                     line=_line(nodes[-1], first_line))
                nodes = nodes[:-1]

    sections: list[Section] = []
    heading: str | None = None
    level, line = 2, first_line
    blocks: list[Block] = []
    source_levels: list[int] = []
    anchors: set[str] = set()

    def close() -> None:
        if heading is not None or blocks:
            sections.append(Section(heading=heading, level=level, blocks=tuple(blocks),
                                    anchor=anchor_for(heading, anchors) if heading else "", line=line))

    for node in nodes:
        if node.type == "heading":
            close()
            heading = " ".join(plain_text(_inlines(node.children[0])).split())
            line = _line(node, first_line)
            if not heading:
                raise ArticleError(path, "a heading has no words", "write the heading's text after the '#' marks", line)
            level = heading_level(int(node.tag[1]), source_levels, sections)
            blocks = []
        else:
            block = _block(path, node, first_line)
            if block is not None:
                blocks.append(block)
    close()
    return sections, closing


def heading_level(source_level: int, seen: list[int], sections: list[Section]) -> int:
    """Map a source heading's depth onto levels 2.. without skipping any level.

    ``seen`` holds the source depths of the headings before it (this one is
    added); ``sections`` are the sections made so far.

    The title is the page's only first-level heading, so the shallowest heading
    in the body becomes level 2; a heading may go at most one level deeper than
    the one before it, as PDF/UA and screen-reader users expect.
    """
    seen.append(source_level)
    previous = next((s.level for s in reversed(sections) if s.heading), 1)
    depth = 2 + source_level - min(seen)
    return max(2, min(depth, previous + 1))


def anchor_for(heading: str, taken: set[str]) -> str:
    """The page anchor for ``heading``, unlike any in ``taken`` (it is added there)."""
    base = re.sub(r"[^a-z0-9]+", "-", heading.lower()).strip("-") or "section"
    anchor, n = base, 2
    while anchor in taken:
        anchor, n = f"{base}-{n}", n + 1
    taken.add(anchor)
    return anchor


def _line(node: SyntaxTreeNode, first_line: int) -> int:
    return first_line + (node.map[0] if node.map else 0)


def _block(path: Path, node: SyntaxTreeNode, first_line: int) -> Block | None:
    line = _line(node, first_line)
    kind = node.type
    if kind == "paragraph":
        return Paragraph(inlines=_inlines(node.children[0]) if node.children else (), line=line)
    if kind in ("bullet_list", "ordered_list"):
        items = []
        for item in node.children:
            children = [_block(path, child, first_line) for child in item.children]
            items.append(ListItem(blocks=tuple(b for b in children if b is not None)))
        start = int(node.attrs.get("start", 1)) if kind == "ordered_list" else 1
        return ListBlock(items=tuple(items), ordered=kind == "ordered_list", start=start, line=line)
    if kind == "table":
        header: tuple[TableCell, ...] = ()
        rows: list[tuple[TableCell, ...]] = []
        for part in node.children:
            for row in part.children:
                cells = tuple(_cell(cell) for cell in row.children)
                if part.type == "thead":
                    header = cells
                else:
                    rows.append(cells)
        return Table(header=header, rows=tuple(rows), line=line)
    if kind == "blockquote":
        children = [_block(path, child, first_line) for child in node.children]
        return Quote(blocks=tuple(b for b in children if b is not None), line=line)
    if kind in ("fence", "code_block"):
        return CodeBlock(text=node.content.rstrip("\n"), line=line)
    if kind == "hr":
        return Rule(line=line)
    log.debug("%s:%d: skipping Markdown block of type %s", path, line, kind)
    return None


def _cell(node: SyntaxTreeNode) -> TableCell:
    style = str(node.attrs.get("style", ""))
    match = re.search(r"text-align:(left|center|right)", style)
    align = match.group(1) if match else None
    inlines = _inlines(node.children[0]) if node.children else ()
    return TableCell(inlines=inlines, align=align)  # type: ignore[arg-type]


def _inlines(node: SyntaxTreeNode) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for child in node.children:
        kind = child.type
        if kind == "text":
            _append_text(out, child.content)
        elif kind == "softbreak":
            _append_text(out, " ")
        elif kind == "hardbreak":
            out.append(LineBreak())
        elif kind == "strong":
            out.append(Strong(children=_inlines(child)))
        elif kind == "em":
            out.append(Emphasis(children=_inlines(child)))
        elif kind == "code_inline":
            out.append(Code(text=child.content))
        elif kind == "link":
            out.append(Link(href=str(child.attrs.get("href", "")), children=_inlines(child)))
        elif kind == "image":
            alt = " ".join((plain_text(_inlines(child)) if child.children else str(child.content)).split())
            # The title, the words in quotes after the address, is the picture's caption; "decorative" there
            # says on purpose that it adds nothing to the text.
            title = " ".join(str(child.attrs.get("title", "")).split())
            decorative = title.lower() in DECORATIVE_TITLES
            out.append(Image(src=str(child.attrs.get("src", "")), alt=alt, caption="" if decorative else title,
                             decorative=decorative))
        else:
            _append_text(out, child.content)
    return tuple(out)


def _append_text(out: list[Inline], text: str) -> None:
    if not text:
        return
    if out and isinstance(out[-1], Text):
        out[-1] = Text(out[-1].text + text)
    else:
        out.append(Text(text))
