"""Word documents for the tests, made with python-docx as a clinic's Word would save them.

Things python-docx has no call for (alt text, hyperlinks, header rows, nested
list levels, text boxes, tracked changes, custom properties) are written into
its XML the way Word writes them.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Pt

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DISCLAIMER = "This handout is for information only. Ask your own doctor about your care."


def tiny_png() -> bytes:
    """A valid one-pixel PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def new_document() -> docx.document.Document:
    return docx.Document()


def add_picture(document, folder: Path, alt: str | None) -> None:  # type: ignore[no-untyped-def]
    """A picture in a paragraph of its own, described by ``alt`` (Word's docPr descr), or not at all."""
    png = folder / "picture.png"
    png.write_bytes(tiny_png())
    shape = document.add_picture(str(png))
    if alt is not None:
        shape._inline.docPr.set("descr", alt)


def add_photo(document, folder: Path, data: bytes, name: str, *, alt: str | None = None,  # type: ignore[no-untyped-def]
              decorative: bool = False, width_in: float | None = None, caption: str | None = None) -> None:
    """A picture from ``data`` in a paragraph of its own, as Word's Insert > Pictures makes one.

    ``alt`` is its description (View Alt Text), ``decorative`` Word's "Mark as
    decorative", ``caption`` a paragraph in Word's Caption style under it
    (References > Insert Caption).
    """
    from docx.shared import Inches

    path = folder / name
    path.write_bytes(data)
    shape = document.add_picture(str(path), width=Inches(width_in) if width_in else None)
    properties = shape._inline.docPr
    if alt is not None:
        properties.set("descr", alt)
    if decorative:
        properties.append(parse_xml(
            '<a:extLst xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
            '<a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}"><adec:decorative '
            'xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative" val="1"/></a:ext></a:extLst>'))
    if caption is not None:
        document.add_paragraph(caption, style="Caption")


def add_link(paragraph, url: str, text: str) -> None:  # type: ignore[no-untyped-def]
    """A hyperlink run, as Word's Insert > Link writes it."""
    rid = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = OxmlElement("w:r")
    words = OxmlElement("w:t")
    words.text = text
    run.append(words)
    link.append(run)
    paragraph._p.append(link)


def mark_header_row(table) -> None:  # type: ignore[no-untyped-def]
    """Table Design > Header Row (Repeat as header row): the first row is the table's header."""
    properties = table.rows[0]._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:tblHeader"))


def add_list_item(document, text: str, ordered: bool = False, level: int = 0):  # type: ignore[no-untyped-def]
    """A list paragraph at ``level`` (0 = top), numbered as Word's multilevel bullets or numbers do it."""
    paragraph = document.add_paragraph(text, style="List Paragraph")
    numbering = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    numbering.get_or_add_ilvl().val = level
    numbering.get_or_add_numId().val = _multilevel_list(document, ordered)
    return paragraph


def _multilevel_list(document, ordered: bool) -> int:  # type: ignore[no-untyped-def]
    """The id of a two-level list definition (python-docx's own list styles have one level only)."""
    num_id = 91 if ordered else 90
    part = document.part.numbering_part.element
    if not part.xpath(f'./w:num[@w:numId="{num_id}"]'):
        kind, text = ("decimal", "%{n}.") if ordered else ("bullet", "\u2022")
        levels = "".join(f'<w:lvl w:ilvl="{n}"><w:start w:val="1"/><w:numFmt w:val="{kind}"/>'
                         f'<w:lvlText w:val="{text.format(n=n + 1)}"/></w:lvl>' for n in range(2))
        abstract = parse_xml(f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="{num_id}">{levels}'
                             '</w:abstractNum>')
        first_num = part.xpath("./w:num")
        if first_num:
            first_num[0].addprevious(abstract)
        else:
            part.append(abstract)
        part.append(parse_xml(f'<w:num xmlns:w="{W_NS}" w:numId="{num_id}"><w:abstractNumId '
                              f'w:val="{num_id}"/></w:num>'))
    return num_id


def add_fake_heading(document, text: str, *, bold: bool = True, size: float | None = None):  # type: ignore[no-untyped-def]
    """A line made to look like a heading with bold or a larger size, in the Normal style."""
    run = document.add_paragraph().add_run(text)
    run.bold = bold or None
    if size:
        run.font.size = Pt(size)
    return run


def append_xml(paragraph, xml: str) -> None:  # type: ignore[no-untyped-def]
    """Raw WordprocessingML appended to a paragraph (namespaces w, v, r declared for it)."""
    element = parse_xml(f'<w:wrap xmlns:w="{W_NS}" xmlns:v="urn:schemas-microsoft-com:vml" '
                        'xmlns:o="urn:schemas-microsoft-com:office:office" '
                        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
                        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
                        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
                        'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
                        f'{xml}</w:wrap>')
    for child in list(element):
        paragraph._p.append(child)


def text_box(text: str) -> str:
    """A VML text box holding ``text``, as Word writes one for older readers."""
    return ('<w:r><w:pict><v:shape style="width:100pt;height:40pt"><v:textbox><w:txbxContent><w:p><w:r>'
            f'<w:t>{text}</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>')


def add_custom_property(path: Path, name: str, value: str) -> None:
    """File > Info > Properties > Advanced > Custom: a text property, added to a saved .docx."""
    custom = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
              'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
              '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" '
              f'name="{name}"><vt:lpwstr>{value}</vt:lpwstr></property></Properties>')
    rewrite_parts(path, {"docProps/custom.xml": custom.encode()}, edit={
        "[Content_Types].xml": lambda xml: xml.replace(
            b"</Types>", b'<Override PartName="/docProps/custom.xml" ContentType="application/'
                         b'vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>'),
        "_rels/.rels": lambda xml: xml.replace(
            b"</Relationships>", b'<Relationship Id="rIdCustom" Type="http://schemas.openxmlformats.org/'
                                 b'officeDocument/2006/relationships/custom-properties" '
                                 b'Target="docProps/custom.xml"/></Relationships>'),
    })


def rewrite_parts(path: Path, add: dict[str, bytes], edit: dict | None = None) -> None:
    """Rewrite the zip at ``path`` with parts added or replaced, and some edited."""
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    for name, change in (edit or {}).items():
        parts[name] = change(parts[name])
    parts.update(add)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


def article(folder: Path, name: str = "knee-pain.docx", *, picture_alt: str | None = "A knee with ice on it",
            disclaimer: bool = True) -> Path:
    """A typical clinic handout: title, headings, lists, a table, a picture, a link, a fake heading."""
    document = new_document()
    document.add_paragraph("Knee pain", style="Title")
    document.add_paragraph("Knee pain is common. Most of it gets better with rest.")
    document.add_heading("What causes it", level=1)
    paragraph = document.add_paragraph("Most knee pain comes from ")
    paragraph.add_run("wear").bold = True
    paragraph.add_run(" and ")
    paragraph.add_run("injury").italic = True
    paragraph.add_run(".")
    add_list_item(document, "Rest your knee.")
    add_list_item(document, "Put ice on it.")
    add_list_item(document, "Wrap the ice in a towel.", level=1)
    add_list_item(document, "Take your medicine.", ordered=True)
    add_list_item(document, "Walk a little each day.", ordered=True)
    document.add_heading("Medicines", level=2)
    table = document.add_table(rows=3, cols=2)
    for row, (drug, dose) in enumerate((("Medicine", "How much"), ("Ibuprofen", "200 mg"),
                                         ("Paracetamol", "500 mg"))):
        table.rows[row].cells[0].text = drug
        table.rows[row].cells[1].text = dose
    mark_header_row(table)
    add_fake_heading(document, "When to call your doctor")
    paragraph = document.add_paragraph("Call us if your knee swells. Read more on ")
    add_link(paragraph, "https://example.org/knee", "our knee page")
    paragraph.add_run(".")
    add_picture(document, folder, picture_alt)
    if disclaimer:
        document.add_heading("Disclaimer", level=1)
        document.add_paragraph(DISCLAIMER)
    path = folder / name
    document.save(str(path))
    return path


# ---------------------------------------------------------------- files that are not Word documents


def odt(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return path


def ole2(path: Path, encrypted: bool) -> Path:
    """An OLE2 compound file: an old .doc, or Office's wrapper around a password-protected .docx."""
    directory = "EncryptionInfo".encode("utf-16-le") if encrypted else "WordDocument".encode("utf-16-le")
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + directory + bytes(1024))
    return path


def cut_short(path: Path, source: Path) -> Path:
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path
