"""Surveys a Word document's XML before it is converted: what it holds, where, and what cannot be carried.

Every paragraph with words (or a picture) is numbered as a person counts
them from the top, list items and table cells included, so a warning can say
"paragraph 12" and quote the words to search for. What the handouts cannot
carry is taken out of the XML and said: text boxes, comments, footnotes, a
table of contents, pictures linked from outside the file. What the author
should fix in Word is said too, and where the fix is clear it is made: a
short bold line alone becomes a heading. The surveyed parts are packed into
a new zip in memory, the only thing mammoth reads.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import ArticleError
from .markdown import DISCLAIMER_LABEL, LINK_SCHEMES
from .wordzip import DAMAGED_FIX, WordZip

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "cust": "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
    "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
}
# Word's "Strict" files name the same things differently; they are read as the usual ones.
STRICT = {
    "http://purl.oclc.org/ooxml/wordprocessingml/main": NS["w"],
    "http://purl.oclc.org/ooxml/officeDocument/relationships": NS["r"],
    "http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing": NS["wp"],
    "http://purl.oclc.org/ooxml/drawingml/main": NS["a"],
}
PREFIX = {uri: prefix for prefix, uri in NS.items()}
DOCUMENT_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"

# Paragraphs found to look like headings (or to be the title) are given these
# style ids; the converter's style map (see .docx) turns them into headings.
MADE_HEADING_STYLE = "HandoutMadeHeading{level}"
MADE_TITLE_STYLE = "HandoutMadeTitle"

# A line styled like a heading but not as one: this short, and not a sentence.
FAKE_HEADING_MAX_WORDS = 14
FAKE_HEADING_MAX_CHARS = 100
FAKE_HEADING_LARGER_BY = 2.0  # points above the body text
WORD_DEFAULT_SIZE = 10.0  # points, when a document says nothing
FILE_NAME_ALT = re.compile(r"(^|[\\/])[^\\/]*\.(png|jpe?g|gif|bmp|tiff?|emf|wmf|svg|webp|heic)$", re.IGNORECASE)
AUTOMATIC_ALT = re.compile(r"\s*Description automatically generated( with (low|medium|high) confidence)?\.?\s*$",
                           re.IGNORECASE)
QUOTE_CHARS = 60
# A picture's description is swapped for this mark, numbered, before mammoth reads the document, so that
# each picture mammoth meets can be told apart and joined to what the survey found of it.
PICTURE_MARK = "handout-picture-{number}"
EMU_PER_INCH = 914_400


@dataclass
class PictureSpot:
    """What the survey found of one picture: where it stands, its description, whether it is decorative.

    ``told`` is True when a warning about its description was given already
    (described by its file name only), so no second one is added.
    """

    where: str
    alt: str
    decorative: bool
    width_in: float | None
    told: bool = False


# ---------------------------------------------------------------- XML helpers


def _name(element: ET.Element) -> str:
    """An element's name as "w:p", whichever spelling of the namespace the file used."""
    return _short_name(element.tag) if isinstance(element.tag, str) else str(element.tag)


@lru_cache(maxsize=1024)
def _short_name(tag: str) -> str:
    if not tag.startswith("{"):
        return tag
    uri, local = tag[1:].split("}", 1)
    uri = STRICT.get(uri, uri)
    return f"{PREFIX[uri]}:{local}" if uri in PREFIX else local


def _attr(element: ET.Element, name: str) -> str | None:
    """Attribute "w:val" (or an unqualified one) of ``element``, in either namespace spelling."""
    if ":" not in name:
        return element.get(name)
    prefix, local = name.split(":", 1)
    value = element.get(f"{{{NS[prefix]}}}{local}")
    if value is None:
        for strict, usual in STRICT.items():
            if usual == NS[prefix]:
                value = element.get(f"{{{strict}}}{local}")
    return value


def _set_attr(element: ET.Element, name: str, value: str | None) -> None:
    prefix, local = name.split(":", 1) if ":" in name else ("", name)
    keys = [local] if not prefix else [f"{{{NS[prefix]}}}{local}"] + [
        f"{{{strict}}}{local}" for strict, usual in STRICT.items() if usual == NS.get(prefix)]
    for key in keys:
        element.attrib.pop(key, None)
    if value is not None:
        element.set(keys[0], value)


def _children(element: ET.Element, name: str) -> list[ET.Element]:
    return [child for child in element if _name(child) == name]


def _child(element: ET.Element | None, name: str) -> ET.Element | None:
    if element is None:
        return None
    return next((child for child in element if _name(child) == name), None)


def _descendants(element: ET.Element, name: str) -> list[ET.Element]:
    return [node for node in element.iter() if _name(node) == name]


def _parse(path: Path, data: bytes, part: str) -> ET.Element:
    try:
        return ET.fromstring(data)
    except ET.ParseError as error:
        raise ArticleError(path, f"the file is damaged: its part {part!r} is not readable XML ({error})",
                           DAMAGED_FIX) from None


def _on(element: ET.Element | None) -> bool:
    """A Word on/off property such as <w:b/> or <w:b w:val="0"/>: present and not switched off."""
    if element is None:
        return False
    return (_attr(element, "w:val") or "true").lower() not in ("0", "false", "off")


def _text(element: ET.Element) -> str:
    """The words of a paragraph or part as Word shows them with changes accepted (no deleted text)."""
    parts = []
    for node in element.iter():
        name = _name(node)
        if name == "w:t" and node.text:
            parts.append(node.text)
        elif name in ("w:tab", "w:br", "w:cr"):
            parts.append(" ")
    return " ".join("".join(parts).split())


def paragraph_number(warning: str) -> int:
    """Where a warning is, to tell them in the order a person meets them; those about the whole file go last."""
    match = re.match(r"paragraph (\d+):", warning)
    return int(match.group(1)) if match else 1 << 30


def quote(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > QUOTE_CHARS:
        text = text[: QUOTE_CHARS - 1].rstrip() + "…"
    return f"'{text}'"


def _remove(parents: dict[ET.Element, ET.Element], element: ET.Element) -> None:
    parent = parents.get(element)
    if parent is not None and element in list(parent):
        parent.remove(element)


# ---------------------------------------------------------------- survey


@dataclass
class _Style:
    name: str
    kind: str
    based_on: str | None
    bold: bool | None
    size: float | None
    numbered: bool


class Survey:
    """What the document's parts hold, counted and checked; the parts mammoth will read, made safe.

    ``warnings`` are for the staff; ``parts`` is the package mammoth reads.
    """

    def __init__(self, path: Path, package: WordZip):
        self.path = path
        self.package = package
        self.warnings: list[str] = []
        # Each picture's mark (see PICTURE_MARK) -> what the survey found of it.
        self.pictures: dict[str, PictureSpot] = {}
        self.properties = self._properties()
        self.document_part = self._main_part()
        folder = self.document_part.rsplit("/", 1)[0] if "/" in self.document_part else ""
        self.rels_part = f"{folder}/_rels/{self.document_part.rsplit('/', 1)[-1]}.rels".lstrip("/")
        self.relationships = self._relationships(self.rels_part)
        self.styles_part = f"{folder}/styles.xml".lstrip("/")
        self.slim_styles: bytes | None = None
        self.styles, self.default_size, self.default_lang = self._styles()
        data = package.read_xml(self.document_part)
        if data is None:
            raise ArticleError(path, "the file has no document inside it", DAMAGED_FIX)
        self.root = _parse(path, data, self.document_part)
        self._collapse_alternate_content(self.root)
        self._survey_body()
        self._survey_headers_and_footers()
        self.parts = self._package_for_mammoth(folder)

    # ------------------------------------------------------------ package

    def _main_part(self) -> str:
        rels = self.package.read_xml("_rels/.rels")
        if rels is not None:
            for rel in _parse(self.path, rels, "_rels/.rels"):
                if _attr(rel, "Type") == DOCUMENT_TYPE:
                    target = (_attr(rel, "Target") or "").lstrip("/")
                    if self.package.has(target):
                        return target
        if self.package.has("word/document.xml"):
            return "word/document.xml"
        raise ArticleError(self.path, "the file has no document inside it", DAMAGED_FIX)

    def _relationships(self, part: str) -> dict[str, tuple[str, str, bool]]:
        """Relationship id -> (type, target, whether the target is outside the file)."""
        data = self.package.read_xml(part)
        found: dict[str, tuple[str, str, bool]] = {}
        if data is None:
            return found
        for rel in _parse(self.path, data, part):
            rid = _attr(rel, "Id")
            if rid:
                found[rid] = (_attr(rel, "Type") or "", _attr(rel, "Target") or "",
                              (_attr(rel, "TargetMode") or "").lower() == "external")
        return found

    def _properties(self) -> dict[str, str]:
        """The document's title, language and disclaimer from File > Info > Properties, where given."""
        found: dict[str, str] = {}
        core = self.package.read_xml("docProps/core.xml")
        if core is not None:
            root = _parse(self.path, core, "docProps/core.xml")
            for key in ("title", "language"):
                node = root.find(f"dc:{key}", NS)
                if node is not None and node.text and node.text.strip():
                    found[key] = " ".join(node.text.split())
        custom = self.package.read_xml("docProps/custom.xml")
        if custom is not None:
            for prop in _parse(self.path, custom, "docProps/custom.xml"):
                if (_attr(prop, "name") or "").strip().lower() == "disclaimer":
                    text = " ".join("".join(prop.itertext()).split())
                    if text:
                        found["disclaimer"] = text
        return found

    def _styles(self) -> tuple[dict[str, _Style], float, str | None]:
        part = self.styles_part
        data = self.package.read_xml(part)
        styles: dict[str, _Style] = {}
        size, lang = WORD_DEFAULT_SIZE, None
        if data is None:
            return styles, size, lang
        root = _parse(self.path, data, part)
        self.slim_styles = _slim_styles(root)
        defaults = _child(_child(_child(root, "w:docDefaults"), "w:rPrDefault"), "w:rPr")
        if defaults is not None:
            size = _half_points(_child(defaults, "w:sz")) or size
            lang_node = _child(defaults, "w:lang")
            lang = _attr(lang_node, "w:val") if lang_node is not None else None
        for node in _children(root, "w:style"):
            style_id = _attr(node, "w:styleId")
            if not style_id:
                continue
            name_node, based = _child(node, "w:name"), _child(node, "w:basedOn")
            run = _child(node, "w:rPr")
            bold = _child(run, "w:b")
            styles[style_id] = _Style(
                name=(_attr(name_node, "w:val") or style_id) if name_node is not None else style_id,
                kind=_attr(node, "w:type") or "paragraph",
                based_on=_attr(based, "w:val") if based is not None else None,
                bold=_on(bold) if bold is not None else None,
                size=_half_points(_child(run, "w:sz")),
                numbered=_child(_child(node, "w:pPr"), "w:numPr") is not None)
            # The body text's size is the default paragraph style's (Normal), else the document default.
            is_default = style_id == "Normal" or (_attr(node, "w:default") or "") in ("1", "true")
            if is_default and styles[style_id].kind == "paragraph" and styles[style_id].size:
                size = styles[style_id].size or size
        return styles, size, lang

    def _package_for_mammoth(self, folder: str) -> bytes:
        """A zip of only what mammoth needs: the surveyed document, its styles, lists and embedded pictures."""
        wanted = {"[Content_Types].xml", "_rels/.rels", self.rels_part}
        for name in ("styles.xml", "numbering.xml"):
            wanted.add(f"{folder}/{name}".lstrip("/"))
        for kind, target, external in self.relationships.values():
            if kind.endswith("/image") and not external:
                wanted.add(_resolve(folder, target))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as out:
            out.writestr(self.document_part, ET.tostring(self.root))
            if self.slim_styles is not None:
                out.writestr(self.styles_part, self.slim_styles)
                wanted.discard(self.styles_part)
            for name in sorted(wanted):
                if self.package.has(name):
                    data = (self.package.read_xml(name) if name.endswith((".xml", ".rels"))
                            else self.package.read(name))
                    out.writestr(name, data or b"")
        return buffer.getvalue()

    # ------------------------------------------------------------ body

    def _collapse_alternate_content(self, element: ET.Element) -> None:
        """Keep what a reader without Office's newest features sees (mc:Fallback), as mammoth does."""
        children = list(element)
        if not any(_name(child) == "mc:AlternateContent" for child in children):
            for child in children:
                self._collapse_alternate_content(child)
            return
        for child in children:
            element.remove(child)
        for child in children:
            if _name(child) == "mc:AlternateContent":
                fallback = _child(child, "mc:Fallback")
                for kept in list(fallback) if fallback is not None else []:
                    element.append(kept)
                    self._collapse_alternate_content(kept)
            else:
                element.append(child)
                self._collapse_alternate_content(child)

    def _survey_body(self) -> None:
        parents = {child: parent for parent in self.root.iter() for child in parent}
        self._take_out_text_boxes(parents)
        parents = {child: parent for parent in self.root.iter() for child in parent}
        number = 0
        previous_text = ""
        previous_level: int | None = None
        candidates: list[tuple[int, ET.Element, str]] = []  # (number, paragraph, text) styled like headings
        headings: list[tuple[int, ET.Element, int, str]] = []  # (number, paragraph, Word level, text)
        title_found = False
        changes: list[int] = []
        comments: list[int] = []
        notes: list[int] = []
        toc_dropped = False
        first: tuple[int, ET.Element, str, int | None] | None = None
        sequence: list[int] = []  # numbers of the paragraphs, marking which are heading candidates
        for paragraph in _descendants(self.root, "w:p"):
            text = _text(paragraph)
            pictures = _descendants(paragraph, "wp:docPr") + _descendants(paragraph, "v:imagedata")
            style_id = self._paragraph_style(paragraph)
            style = self.styles.get(style_id or "")
            style_name = (style.name if style else style_id or "").strip()
            level = _heading_level_of(style_id, style_name)
            if re.match(r"^toc( \d| heading)$", style_name.lower()):
                _remove(parents, paragraph)
                toc_dropped = True
                continue
            if not text and not pictures:
                if level is not None:
                    after = f"after paragraph {number} ({quote(previous_text)})" if number else "at the start"
                    self.warnings.append(f"a Heading {level} {after} has no words; delete it or write its heading")
                continue
            number += 1
            where = f"paragraph {number}"
            if _tracked_changes(paragraph):
                changes.append(number)
            if _descendants(paragraph, "w:commentReference") or _descendants(paragraph, "w:commentRangeStart"):
                comments.append(number)
            for reference in _descendants(paragraph, "w:footnoteReference") + \
                    _descendants(paragraph, "w:endnoteReference"):
                notes.append(number)
                _remove(parents, reference)
            for reference in _descendants(paragraph, "w:commentReference"):
                _remove(parents, reference)
            self._survey_other_content(paragraph, parents, where)
            self._survey_pictures(paragraph, parents, where)
            self._survey_links(paragraph, where, text)
            if style_name.lower() == "title":
                title_found = True
            if first is None:
                first = (number, paragraph, text, level)
            if level is not None:
                if previous_level is not None and level > previous_level + 1:
                    self.warnings.append(
                        f"{where}: {quote(text)} is a Heading {level} right after a Heading {previous_level}; "
                        f"make it Heading {previous_level + 1} so no level is skipped")
                previous_level = level
                headings.append((number, paragraph, level, text))
            elif style_name.lower() not in ("title", "caption") and \
                    self._looks_like_heading(paragraph, parents, style, text):
                candidates.append((number, paragraph, text))
            sequence.append(number)
            previous_text = text
        self._make_headings(candidates, headings, sequence, first, title_found)
        if changes:
            count = len(changes)
            self.warnings.append(
                f"paragraph {changes[0]}: the document has tracked changes ({count} paragraph{'s' * (count > 1)}"
                f"{', the first here' if count > 1 else ''}); the text with every change accepted is used. "
                "Accept or reject them in Word (Review > Accept) so the handout says what you meant")
        if comments:
            self.warnings.append(
                f"paragraph {comments[0]}: comments left out ({len(comments)} paragraph"
                f"{'s' * (len(comments) > 1)} with comments); comments are not carried over, so put anything a "
                "reader needs into the text")
        if notes:
            self.warnings.append(
                f"paragraph {notes[0]}: footnotes and endnotes left out ({len(notes)}); put anything a reader "
                "needs into the text")
        if toc_dropped:
            self.warnings.append("the table of contents is left out: every handout makes its own from the headings")

    def _paragraph_style(self, paragraph: ET.Element) -> str | None:
        style = _child(_child(paragraph, "w:pPr"), "w:pStyle")
        return _attr(style, "w:val") if style is not None else None

    def _take_out_text_boxes(self, parents: dict[ET.Element, ET.Element]) -> None:
        for box in _descendants(self.root, "w:txbxContent"):
            text = _text(box)
            holder = box
            while holder in parents and _name(holder) != "w:p":
                holder = parents[holder]
            _remove(parents, box)
            if text:
                near = _text(holder) if _name(holder) == "w:p" else ""
                place = f"near {quote(near)}" if near else "in the document"
                self.warnings.append(f"text in a text box {place} is not carried over: {quote(text)}; "
                                     "move it into the text")

    def _survey_other_content(self, paragraph: ET.Element, parents: dict[ET.Element, ET.Element],
                              where: str) -> None:
        """Equations, charts and diagrams: mammoth would drop them, some without a word; here they are named."""
        for equation in _descendants(paragraph, "m:oMathPara") or _descendants(paragraph, "m:oMath"):
            _remove(parents, equation)
            self.warnings.append(f"{where}: an equation is left out; write what it says as text")
        for graphic in _descendants(paragraph, "a:graphicData"):
            kind = (_attr(graphic, "uri") or "").rsplit("/", 1)[-1]
            if kind in ("chart", "diagram", "chartex"):
                holder = graphic
                while holder in parents and _name(holder) != "w:drawing":
                    holder = parents[holder]
                _remove(parents, holder)
                what = "a chart" if kind.startswith("chart") else "a SmartArt diagram"
                self.warnings.append(f"{where}: {what} is left out; say what it shows in the text")

    def _survey_pictures(self, paragraph: ET.Element, parents: dict[ET.Element, ET.Element], where: str) -> None:
        for blip in _descendants(paragraph, "a:blip"):
            embed, link = _attr(blip, "r:embed"), _attr(blip, "r:link")
            rel = self.relationships.get(embed or link or "")
            if link and not embed or (rel is not None and rel[2]):
                holder = blip
                while holder in parents and _name(holder) not in ("w:drawing", "w:pict"):
                    holder = parents[holder]
                _remove(parents, holder)
                address = rel[1] if rel else "elsewhere"
                self.warnings.append(f"{where}: a picture linked from outside the document ({address}) is not "
                                     "fetched; insert the picture itself (Insert > Pictures > This Device)")
        for data in _descendants(paragraph, "v:imagedata"):
            rel = self.relationships.get(_attr(data, "r:id") or "")
            if rel is not None and rel[2]:
                _remove(parents, data)
                self.warnings.append(f"{where}: a picture linked from outside the document ({rel[1]}) is not "
                                     "fetched; insert the picture itself (Insert > Pictures > This Device)")
        for properties in _descendants(paragraph, "wp:docPr"):
            drawing = parents.get(properties)
            if drawing is None or not _descendants(drawing, "a:blip"):
                continue  # a shape or text box, not a picture
            alt, told = self._description(where, (_attr(properties, "descr") or "").strip()
                                          or (_attr(properties, "title") or "").strip())
            extent = _child(drawing, "wp:extent")
            width = _emu_inches(_attr(extent, "cx") if extent is not None else None)
            _set_attr(properties, "descr", self._mark(PictureSpot(where, alt, _decorative(properties), width, told)))
            _set_attr(properties, "title", None)
        for data in _descendants(paragraph, "v:imagedata"):
            alt, told = self._description(where, (_attr(data, "o:title") or "").strip())
            shape = parents.get(data)
            width = _vml_width(_attr(shape, "style") if shape is not None else None)
            _set_attr(data, "o:title", self._mark(PictureSpot(where, alt, False, width, told)))

    def _mark(self, spot: PictureSpot) -> str:
        mark = PICTURE_MARK.format(number=len(self.pictures) + 1)
        self.pictures[mark] = spot
        return mark

    def _description(self, where: str, alt: str) -> tuple[str, bool]:
        """A picture's description as the handouts give it ("" when it has none a reader could use), and
        whether a warning about it was given."""
        if alt and FILE_NAME_ALT.search(alt):
            self.warnings.append(f"{where}: a picture is described only by its file name {quote(alt)}, so readers "
                                 "who cannot see it meet no description; describe it in Word (right-click > View "
                                 "Alt Text)")
            return "", True
        if alt and AUTOMATIC_ALT.search(alt):
            alt = AUTOMATIC_ALT.sub("", alt).strip()
            self.warnings.append(f"{where}: a picture's description was written by Word itself "
                                 f"({quote(alt)}); check it says what a reader needs (right-click > View Alt Text)")
        return " ".join(alt.split()), False

    def _survey_links(self, paragraph: ET.Element, where: str, text: str) -> None:
        targets = []
        for link in _descendants(paragraph, "w:hyperlink"):
            rel = self.relationships.get(_attr(link, "r:id") or "")
            if rel is not None:
                targets.append((rel[1], _text(link)))
        for instruction in _descendants(paragraph, "w:instrText") + _descendants(paragraph, "w:fldSimple"):
            code = instruction.text if _name(instruction) == "w:instrText" else _attr(instruction, "w:instr")
            match = re.match(r'\s*HYPERLINK\s+"([^"]*)"', code or "")
            if match:
                targets.append((match.group(1), ""))
        for target, words in targets:
            if target and not target.lower().startswith(LINK_SCHEMES) and not target.startswith("#"):
                shown = quote(words) if words else "its text"
                self.warnings.append(f"{where}: the link on {shown} leads to {target!r}, which is not a web page "
                                     "or email address; it is kept as plain text")

    # ------------------------------------------------------------ headings

    def _looks_like_heading(self, paragraph: ET.Element, parents: dict[ET.Element, ET.Element],
                            style: _Style | None, text: str) -> bool:
        """A short line alone, all bold or all larger than the body text, not a sentence, not in a list or table."""
        words = text.split()
        if not words or len(words) > FAKE_HEADING_MAX_WORDS or len(text) > FAKE_HEADING_MAX_CHARS:
            return False
        if text[-1] in ".:;," or not any(c.isalpha() for c in text) or DISCLAIMER_LABEL.match(text):
            return False
        if _child(_child(paragraph, "w:pPr"), "w:numPr") is not None or self._style_chain(style, "numbered"):
            return False
        holder = parents.get(paragraph)
        while holder is not None:
            if _name(holder) in ("w:tbl", "w:txbxContent"):
                return False
            holder = parents.get(holder)
        runs = [run for run in _descendants(paragraph, "w:r") if _text(run)]
        if not runs:
            return False
        paragraph_bold = bool(self._style_chain(style, "bold"))
        paragraph_size = self._style_chain(style, "size") or self.default_size
        bold = all(self._run_bold(run, paragraph_bold) for run in runs)
        larger = all(self._run_size(run, paragraph_size) >= self.default_size + FAKE_HEADING_LARGER_BY
                     for run in runs)
        return bold or larger

    def _style_chain(self, style: _Style | None, what: str) -> object:
        """A style's property, or the one it inherits through basedOn."""
        seen = 0
        while style is not None and seen < 20:
            value = getattr(style, what)
            if value not in (None, False):
                return value
            style = self.styles.get(style.based_on or "")
            seen += 1
        return None

    def _run_bold(self, run: ET.Element, paragraph_bold: bool) -> bool:
        properties = _child(run, "w:rPr")
        direct = _child(properties, "w:b")
        if direct is not None:
            return _on(direct)
        style = _child(properties, "w:rStyle")
        if style is not None and self._style_chain(self.styles.get(_attr(style, "w:val") or ""), "bold"):
            return True
        return paragraph_bold

    def _run_size(self, run: ET.Element, paragraph_size: float) -> float:
        size = _half_points(_child(_child(run, "w:rPr"), "w:sz"))
        return size if size is not None else paragraph_size

    def _make_headings(self, candidates: list[tuple[int, ET.Element, str]],
                       headings: list[tuple[int, ET.Element, int, str]], sequence: list[int],
                       first: tuple[int, ET.Element, str, int | None] | None, title_found: bool) -> None:
        """Style the lines that look like headings as headings, and say so; find a title if Word gave none."""
        candidate_numbers = {number for number, _, _ in candidates}
        if not title_found and "title" not in self.properties and first is not None:
            number, paragraph, text, level = first
            if level == 1 or number in candidate_numbers:
                _set_style(paragraph, MADE_TITLE_STYLE)
                self.warnings.append(f"paragraph {number}: {quote(text)} is used as the title; style it Title "
                                     "in Word so every reader finds it")
                candidates = [c for c in candidates if c[0] != number]
                headings = [h for h in headings if h[0] != number]
        top = min((level for _, _, level, _ in headings), default=1)
        position = {number: index for index, number in enumerate(sequence)}
        for number, paragraph, text in candidates:
            index = position[number]
            following = sequence[index + 1] if index + 1 < len(sequence) else None
            # A run of bold lines is emphasis (an address, a warning), not a row of headings.
            if following is None or following in candidate_numbers:
                continue
            if index > 0 and sequence[index - 1] in candidate_numbers:
                continue
            _set_style(paragraph, MADE_HEADING_STYLE.format(level=top))
            self.warnings.append(f"paragraph {number}: {quote(text)} looks like a heading; style it Heading {top} "
                                 "in Word so every reader finds it")

    # ------------------------------------------------------------ headers and footers

    def _survey_headers_and_footers(self) -> None:
        for name in sorted(self.package.names):
            match = re.match(r"^(?:.*/)?(header|footer)\d*\.xml$", name)
            if not match:
                continue
            data = self.package.read_xml(name)
            text = _text(_parse(self.path, data, name)) if data else ""
            if text:
                self.warnings.append(f"the page {match.group(1)} says {quote(text)}: headers and footers are not "
                                     "carried over, so put anything a reader needs into the text")


def _slim_styles(root: ET.Element) -> bytes:
    """The styles as mammoth reads them (type, id, name, a numbering style's list) and nothing more.

    Word's styles part is often several times the size of the document, mostly
    formatting the handouts do not use; mammoth parses all it is given, so it
    is given only this.
    """
    slim = ET.Element(root.tag)
    for style in _children(root, "w:style"):
        kept = ET.SubElement(slim, style.tag, style.attrib)
        for child in style:
            if _name(child) == "w:name":
                kept.append(child)
            elif _name(child) == "w:pPr":
                numbering = _child(child, "w:numPr")
                if numbering is not None:
                    ET.SubElement(kept, child.tag).append(numbering)
    return ET.tostring(slim)


def _decorative(properties: ET.Element) -> bool:
    """Word's "Mark as decorative": an extension inside the picture's properties saying so."""
    for node in properties.iter():
        if isinstance(node.tag, str) and node.tag.rsplit("}", 1)[-1] == "decorative":
            return (node.get("val") or "1").lower() in ("1", "true", "on")
    return False


def _emu_inches(value: str | None) -> float | None:
    """A DrawingML length (English Metric Units) in inches, when it is one."""
    return int(value) / EMU_PER_INCH if value and value.isdigit() and int(value) > 0 else None


def _vml_width(style: str | None) -> float | None:
    """The width a VML shape's style gives ("width:100pt"), in inches."""
    match = re.search(r"(?:^|;)\s*width\s*:\s*([\d.]+)\s*(pt|in|px)?", style or "")
    if not match:
        return None
    try:
        number = float(match.group(1))
    except ValueError:
        return None
    return number / {"pt": 72.0, "in": 1.0, "px": 96.0}.get(match.group(2) or "px", 96.0) or None


def _half_points(node: ET.Element | None) -> float | None:
    value = _attr(node, "w:val") if node is not None else None
    return int(value) / 2 if value and value.isdigit() else None


def _heading_level_of(style_id: str | None, style_name: str) -> int | None:
    """The Heading level of a paragraph style, as mammoth's style map reads it (by id or name)."""
    match = re.match(r"^heading ([1-6])$", style_name, re.IGNORECASE) or \
        re.match(r"^Heading([1-6])$", style_id or "")
    return int(match.group(1)) if match else None


def _tracked_changes(paragraph: ET.Element) -> bool:
    return any(_name(node) in ("w:ins", "w:del", "w:moveFrom", "w:moveTo") for node in paragraph.iter())


def _set_style(paragraph: ET.Element, style_id: str) -> None:
    properties = _child(paragraph, "w:pPr")
    if properties is None:
        properties = ET.Element(f"{{{NS['w']}}}pPr")
        paragraph.insert(0, properties)
    style = _child(properties, "w:pStyle")
    if style is None:
        style = ET.Element(f"{{{NS['w']}}}pStyle")
        properties.insert(0, style)
    _set_attr(style, "w:val", style_id)


def _resolve(folder: str, target: str) -> str:
    """A relationship target as a part name: relative to the document's folder unless it starts with '/'."""
    if target.startswith("/"):
        return target.lstrip("/")
    parts = [p for p in f"{folder}/{target}".split("/") if p and p != "."]
    resolved: list[str] = []
    for part in parts:
        if part == "..":
            if resolved:
                resolved.pop()
        else:
            resolved.append(part)
    return "/".join(resolved)
