"""Turns a Word document into our Markdown source: SLUG.md with front matter, its pictures in SLUG.assets/.

A clinic that keeps its library as text imports each Word file once and edits
the Markdown from then on. The Markdown is written so that reading it back
gives the same Document the Word file gave, so both build the same handouts.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import ArticleError
from .leftovers import PARTIAL_PREFIX
from .manifest import write_atomically
from .model import (
    Abbreviation,
    Block,
    Code,
    CodeBlock,
    Document,
    Edition,
    Emphasis,
    Image,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    Paragraph,
    Quote,
    Rule,
    Section,
    Strong,
    Table,
    TableCell,
    Term,
    Text,
)
from .readers import docx, sniff

log = logging.getLogger(__name__)


@dataclass
class Imported:
    """What ``import_article`` wrote, and the document it read (with its warnings)."""

    markdown: Path
    pictures: list[Path]
    document: Document


def import_article(path: Path, to: Path, force: bool = False) -> Imported:
    """Write the Word document at ``path`` as ``to/SLUG.md`` and ``to/SLUG.assets/``; all or nothing.

    An existing SLUG.md is replaced only with ``force``.
    """
    path = Path(path)
    kind = sniff(path)
    if kind != "docx":
        from .readers import reader_for

        reader_for(path)  # says what the file is and what to do
        raise ArticleError(path, "this is not a Word document", "give a .docx file")
    conversion = docx.convert(path)
    document = conversion.document
    to = Path(to)
    to.mkdir(parents=True, exist_ok=True)
    target = to / f"{document.slug}.md"
    assets = to / f"{document.slug}.assets"
    if target.exists() and not force:
        raise ArticleError(target, "the file already exists",
                           "give --force to replace it, or import into another folder with --to")
    if target.resolve() == path.resolve():
        raise ArticleError(target, "the article would overwrite the Word file it comes from",
                           "import into another folder with --to")
    text = markdown_source(document)
    staging = Path(tempfile.mkdtemp(prefix=f"{PARTIAL_PREFIX}{document.slug}.assets-", dir=to))
    written = []
    try:
        for src, data in conversion.pictures.items():
            picture = staging / Path(src).name
            picture.write_bytes(data)
            written.append(assets / picture.name)
        if assets.exists():
            if not force:
                raise ArticleError(assets, "the folder already exists",
                                   "give --force to replace it, or import into another folder with --to")
            shutil.rmtree(assets)
        if written:
            staging.chmod(0o755)  # a library folder others read, not a private temporary one
            os.replace(staging, assets)
        write_atomically(target, text)
        target.chmod(0o644)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    log.info("%s: wrote %s and %d picture(s)", path, target, len(written))
    return Imported(markdown=target, pictures=written, document=document)


# ---------------------------------------------------------------- Markdown


def markdown_source(document: Document) -> str:
    """The document as our Markdown source: front matter, then the article; reading it gives the same model."""
    front: dict[str, str] = {"title": document.title, "lang": document.lang}
    if not document.disclaimer.label:
        front["disclaimer"] = document.disclaimer.text
    front.update({key: value for key, value in document.metadata.items() if key not in front})
    parts = ["---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=1_000_000) + "---"]
    for section in document.sections:
        parts.extend(_section(section))
    if document.disclaimer.label:
        parts.append(_line_starts(f"{_escape(document.disclaimer.label)}: {_escape(document.disclaimer.text)}"))
    return "\n\n".join(parts) + "\n"


def edition_markdown(edition: Edition) -> str:
    """An edition's body as our Markdown: its main message, then each section (no front matter)."""
    parts = [_block(block) for block in edition.summary]
    for section in edition.sections:
        parts.extend(_section(section))
    return "\n\n".join(parts) + "\n"


def _section(section: Section) -> list[str]:
    parts = []
    if section.heading:
        parts.append("#" * section.level + " " + _escape(section.heading))
    previous: Block | None = None
    for block in section.blocks:
        # Two lists in a row would run together in Markdown unless their markers differ.
        other = isinstance(previous, ListBlock) and isinstance(block, ListBlock) and \
            previous.ordered == block.ordered and not _other_marker(parts)
        parts.append(_block(block, other_marker=other))
        previous = block
    return parts


def _other_marker(parts: list[str]) -> bool:
    """True when the last list written used the other marker ('*' or ')')."""
    return bool(parts) and re.match(r"^(\*|\d+\))", parts[-1]) is not None


def _block(block: Block, other_marker: bool = False) -> str:
    if isinstance(block, Paragraph):
        return _line_starts(_inlines(block.inlines))
    if isinstance(block, ListBlock):
        return _list(block, other_marker)
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Quote):
        inner = "\n\n".join(_block(child) for child in block.blocks)
        return "\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))
    if isinstance(block, CodeBlock):
        fence = "`" * max(3, max((len(run) for run in re.findall(r"`+", block.text)), default=0) + 1)
        return f"{fence}\n{block.text}\n{fence}"
    if isinstance(block, Rule):
        return "* * *"
    raise TypeError(f"no Markdown for {type(block).__name__}")


def _list(block: ListBlock, other_marker: bool) -> str:
    lines = []
    for number, item in enumerate(block.items, start=block.start):
        if block.ordered:
            marker = f"{number}{')' if other_marker else '.'} "
        else:
            marker = "* " if other_marker else "- "
        indent = " " * len(marker)
        body: list[str] = []
        previous: Block | None = None
        for child in item.blocks:
            text = _block(child)
            if isinstance(previous, Paragraph) and isinstance(child, Paragraph):
                body.append("")  # two paragraphs, not one
            body.extend(text.split("\n"))
            previous = child
        if not body:
            body = [""]
        lines.append(marker + body[0])
        lines.extend(indent + line if line else "" for line in body[1:])
    return "\n".join(lines)


def _table(block: Table) -> str:
    def row(cells: tuple[TableCell, ...]) -> str:
        return "| " + " | ".join(_inlines(cell.inlines, one_line=True) for cell in cells) + " |"

    delimiter = "| " + " | ".join({"left": ":--", "center": ":-:", "right": "--:"}.get(cell.align or "", "---")
                                  for cell in block.header) + " |"
    return "\n".join([row(block.header), delimiter, *(row(r) for r in block.rows)])


def _inlines(nodes: tuple[Inline, ...], in_strong: bool = False, one_line: bool = False) -> str:
    out = []
    last = len(nodes) - 1
    for index, node in enumerate(nodes):
        if isinstance(node, Text):
            out.append(_escape(node.text))
        elif isinstance(node, Strong):
            out.append("**" + _inlines(node.children, in_strong=True, one_line=one_line) + "**")
        elif isinstance(node, Emphasis):
            # '***x***' reads as emphasis around bold: beside bold's stars, emphasis uses '_'.
            beside_bold = (in_strong and index in (0, last)) or \
                any(isinstance(child, Strong) for child in node.children[:1] + node.children[-1:])
            mark = "_" if beside_bold else "*"
            out.append(mark + _inlines(node.children, one_line=one_line) + mark)
        elif isinstance(node, Link):
            out.append("[" + _inlines(node.children, one_line=one_line) + "](" + _destination(node.href) + ")")
        elif isinstance(node, Image):
            # A caption is the picture's title; "decorative" there marks one that adds nothing to the text.
            title = "decorative" if node.decorative else node.caption
            quoted = ' "' + re.sub(r'(["\\])', r"\\\1", title) + '"' if title else ""
            out.append("![" + _escape(node.alt) + "](" + _destination(node.src) + quoted + ")")
        elif isinstance(node, LineBreak):
            out.append(" " if one_line else "\\\n")
        elif isinstance(node, Code):
            fence = "`" * (max((len(run) for run in re.findall(r"`+", node.text)), default=0) + 1)
            pad = " " if node.text.startswith("`") or node.text.endswith("`") else ""
            out.append(f"{fence}{pad}{node.text}{pad}{fence}")
        elif isinstance(node, (Term, Abbreviation)):
            out.append(_escape(node.text))
    return "".join(out)


# Characters that mean something to Markdown wherever they stand in a line.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|&#!])")


def _escape(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text)


def _line_starts(text: str) -> str:
    """Escape what would start a list, a heading underline or a rule at the start of a line."""
    lines = []
    for line in text.split("\n"):
        line = re.sub(r"^([-+=~])", r"\\\1", line)
        line = re.sub(r"^(\d+)([.)])", r"\1\\\2", line)
        lines.append(line)
    return "\n".join(lines)


def _destination(href: str) -> str:
    if re.search(r"[\s()<>]", href):
        return "<" + href.replace("<", "%3C").replace(">", "%3E") + ">"
    return href
