"""Finishes the large-print PDF's tags so screen readers and PDF/UA-1 checkers accept it.

WeasyPrint 70 writes a structure tree that is close to PDF/UA-1 but not quite
there, in ways that a person using a screen reader notices:

- the page numbers are drawn as tagged content that belongs to no element of
  the structure tree, so they are neither read nor marked as page furniture;
- a list item whose marker is drawn inline (which keeps markers in reading
  order) gets no list-item body (``LBody``), or holds its paragraphs directly;
- a nested list is placed beside its list item instead of inside it;
- a link that wraps onto a second line becomes two links, and the bold words
  inside a link get a link area of their own outside any ``Link`` element;
- link areas are not printed (they lack the Print flag), so print and screen
  differ;
- a decorative picture (``alt=""``) is tagged as a figure with no
  alternative text, which a screen reader announces as an unnamed graphic;
  PDF/UA wants it out of the tree, as an artifact.

This module repairs exactly those points with pikepdf, after WeasyPrint has
written the file, and then rebuilds the map from drawn content to structure
elements (the parent tree) so it matches the repaired tree.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name

log = logging.getLogger(__name__)

PRINT_FLAG = 4
ListKey = tuple[int, int]


def finish_tagging(path: Path) -> None:
    """Repair the structure tree of the PDF at ``path`` in place.

    The repaired PDF is made in memory and written by Python, so a disk that
    refuses it raises OSError: the PDF library aborts the whole process when a
    write fails inside it.
    """
    repaired = io.BytesIO()
    with pikepdf.open(path) as pdf:
        document = _document_element(pdf)
        if document is None:
            log.warning("%s has no structure tree; leaving it as written", path)
            return
        pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
        _join_wrapped_links(document)
        _move_link_areas_into_links(document)
        _give_list_items_bodies(pdf, document, pages)
        _print_link_areas(pdf)
        decorative = _untag_decorative_figures(document, pages)
        untagged = _rebuild_parent_tree(pdf, document)
        _mark_as_page_furniture(pdf, untagged, decorative)
        # The file identifier is derived from the content, so the same article
        # and settings always give the same bytes (reproducible builds).
        pdf.save(repaired, deterministic_id=True)
    path.write_bytes(repaired.getvalue())


# ---------------------------------------------------------------- tree helpers


def _document_element(pdf: pikepdf.Pdf) -> Dictionary | None:
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return None
    kids = _kids(root)
    return kids[0] if len(kids) == 1 and _is_element(kids[0]) else None


def _kids(element: Dictionary) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def _set_kids(element: Dictionary, kids: list) -> None:
    element.K = Array(kids)


def _is_element(obj: object) -> bool:
    return isinstance(obj, Dictionary) and "/S" in obj \
        and obj.get("/Type", Name.StructElem) == Name.StructElem


def _role(obj: object) -> str | None:
    return str(obj.S)[1:] if _is_element(obj) else None


def _is_link_area(obj: object) -> bool:
    return isinstance(obj, Dictionary) and obj.get("/Type") == Name.OBJR \
        and obj.Obj.get("/Subtype") == Name.Link


def _elements(element: Dictionary) -> Iterator[Dictionary]:
    """Every structure element under ``element``, parents before children."""
    yield element
    for kid in _kids(element):
        if _is_element(kid):
            yield from _elements(kid)


def _adopt(parent: Dictionary, kids: list) -> None:
    for kid in kids:
        if _is_element(kid):
            kid.P = parent


# ---------------------------------------------------------------- links


def _link_target(link: Dictionary) -> object:
    for kid in _kids(link):
        if _is_link_area(kid):
            action = kid.Obj.get("/A")
            if action is not None:
                return str(action.get("/URI", action.get("/D", "")))
            return str(kid.Obj.get("/Dest", ""))
    return None


def _join_wrapped_links(document: Dictionary) -> None:
    """One link that wraps onto the next line is one link, not one per line."""
    for element in list(_elements(document)):
        kids = _kids(element)
        joined: list = []
        for kid in kids:
            previous = joined[-1] if joined else None
            if (_role(kid) == "Link" and _role(previous) == "Link"
                    and _same_page(previous, kid)
                    and _link_target(kid) is not None
                    and _link_target(kid) == _link_target(previous)):
                moved = _kids(kid)
                _set_kids(previous, _kids(previous) + moved)
                _adopt(previous, moved)
                continue
            joined.append(kid)
        if len(joined) != len(kids):
            _set_kids(element, joined)


def _same_page(first: Dictionary, second: Dictionary) -> bool:
    # A link split across two pages stays two links: an element's bare MCIDs
    # are numbers on its one page.
    one, two = first.get("/Pg"), second.get("/Pg")
    return one is not None and two is not None and one.objgen == two.objgen


def _move_link_areas_into_links(document: Dictionary) -> None:
    """A link area drawn for bold words inside a link belongs to that link."""

    def visit(element: Dictionary, link: Dictionary | None) -> None:
        kept = []
        for kid in _kids(element):
            if _is_link_area(kid) and _role(element) != "Link" and link is not None:
                _set_kids(link, _kids(link) + [kid])
                continue
            kept.append(kid)
        if len(kept) != len(_kids(element)):
            _set_kids(element, kept)
        for kid in kept:
            if _is_element(kid):
                visit(kid, element if _role(element) == "Link" else link)

    visit(document, None)


def _print_link_areas(pdf: pikepdf.Pdf) -> None:
    """Links print like the rest of the page (PDF/UA wants print and screen alike)."""
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", Array()):
            if annotation.get("/Subtype") == Name.Link:
                annotation.F = int(annotation.get("/F", 0)) | PRINT_FLAG


# ---------------------------------------------------------------- lists


def _give_list_items_bodies(pdf: pikepdf.Pdf, document: Dictionary, pages: dict) -> None:
    """Every list item is its label (number or bullet) then one body, as PDF/UA asks.

    A nested list goes inside the body of the item it belongs to, at the
    place it is drawn, so it is read where a sighted reader sees it.
    """
    for element in list(_elements(document)):
        if _role(element) == "L":
            _nest_sublists(element)
    for element in list(_elements(document)):
        if _role(element) == "LI":
            _split_label_and_body(pdf, element, pages)


def _nest_sublists(the_list: Dictionary) -> None:
    kept: list = []
    for kid in _kids(the_list):
        if _role(kid) == "L" and kept and _role(kept[-1]) == "LI":
            item = kept[-1]
            _set_kids(item, _kids(item) + [kid])
            kid.P = item
            continue
        kept.append(kid)
    if len(kept) != len(_kids(the_list)):
        _set_kids(the_list, kept)


def _split_label_and_body(pdf: pikepdf.Pdf, item: Dictionary, pages: dict) -> None:
    label = None
    body: list = []
    for kid in _kids(item):
        role = _role(kid)
        if role == "Lbl" and label is None:
            label = kid
        elif role == "LBody":
            inner = _kids(kid)
            if inner and _role(inner[0]) == "Lbl" and label is None:
                label, inner = inner[0], inner[1:]
            body.extend(inner)
        else:
            body.append(kid)
    body = _in_drawing_order(body, pages)
    lbody = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.LBody, P=item, K=Array(body)))
    if "/Pg" in item:
        lbody.Pg = item.Pg
    _adopt(lbody, body)
    kids = ([label] if label is not None else []) + ([lbody] if body else [])
    if label is not None:
        label.P = item
    _set_kids(item, kids)


def _first_drawn(obj: object, page: object, pages: dict) -> ListKey | None:
    """Where ``obj``'s first piece of content is drawn: (page number, MCID)."""
    if isinstance(obj, int):
        return (pages.get(page.objgen, 0), obj) if page is not None else None
    if not isinstance(obj, Dictionary):
        return None
    if "/MCID" in obj:
        pg = obj.get("/Pg", page)
        return (pages.get(pg.objgen, 0), int(obj.MCID)) if pg is not None else None
    if not _is_element(obj):
        return None
    page = obj.get("/Pg", page)
    for kid in _kids(obj):
        found = _first_drawn(kid, page, pages)
        if found is not None:
            return found
    return None


def _in_drawing_order(kids: list, pages: dict) -> list:
    # Content is drawn in source order, so drawing order puts a nested list
    # back between the paragraphs it came between. Kids with no content of
    # their own keep the place of the kid before them.
    keyed = []
    last: ListKey = (-1, -1)
    for index, kid in enumerate(kids):
        last = _first_drawn(kid, None, pages) or last
        keyed.append((last, index, kid))
    return [kid for _, _, kid in sorted(keyed, key=lambda k: (k[0], k[1]))]


# ---------------------------------------------------------------- decorative pictures


def _untag_decorative_figures(document: Dictionary, pages: dict) -> set[ListKey]:
    """Take the figures without alternative text (decorative pictures) out of the tree; return their content.

    The result holds (page number, MCID) of what they drew, to be marked as
    layout artifacts. A grouping element left empty goes too.
    """
    drawn: set[ListKey] = set()

    def visit(element: Dictionary, page: object) -> bool:
        """Prune ``element``'s decorative figures; True when that left it empty."""
        page = element.get("/Pg", page)
        kept = []
        for kid in _kids(element):
            if _role(kid) == "Figure" and "/Alt" not in kid and "/ActualText" not in kid:
                drawn.update(_marked_content(kid, kid.get("/Pg", page), pages))
                continue
            if _is_element(kid) and visit(kid, page) and _role(kid) in ("Div", "NonStruct", "P"):
                continue
            kept.append(kid)
        if len(kept) == len(_kids(element)):
            return False
        _set_kids(element, kept)
        return not kept

    visit(document, None)
    return drawn


def _marked_content(element: Dictionary, page: object, pages: dict) -> Iterator[ListKey]:
    """(page number, MCID) of every piece of content under ``element``."""
    for kid in _kids(element):
        if isinstance(kid, int):
            if page is not None:
                yield pages.get(page.objgen, 0), int(kid)
        elif isinstance(kid, Dictionary) and "/MCID" in kid:
            pg = kid.get("/Pg", page)
            if pg is not None:
                yield pages.get(pg.objgen, 0), int(kid.MCID)
        elif _is_element(kid):
            yield from _marked_content(kid, kid.get("/Pg", page), pages)


# ---------------------------------------------------------------- parent tree


def _rebuild_parent_tree(pdf: pikepdf.Pdf, document: Dictionary) -> dict[int, set[int]]:
    """Point every drawn piece of tagged content at its element; return the untagged.

    The result maps page numbers to the MCIDs drawn on that page that no
    element of the tree claims: WeasyPrint's page-margin content.
    """
    page_keys = {page.obj.objgen: (index, int(page.obj.get("/StructParents", index)))
                 for index, page in enumerate(pdf.pages)}
    claimed: dict[int, dict[int, Dictionary]] = {index: {} for index in range(len(pdf.pages))}
    annotation_owner: dict[int, Dictionary] = {}

    def visit(element: Dictionary, page: object) -> None:
        page = element.get("/Pg", page)
        for kid in _kids(element):
            if isinstance(kid, int):
                if page is not None and page.objgen in page_keys:
                    claimed[page_keys[page.objgen][0]][int(kid)] = element
            elif isinstance(kid, Dictionary) and "/MCID" in kid:
                pg = kid.get("/Pg", page)
                if pg is not None and pg.objgen in page_keys:
                    claimed[page_keys[pg.objgen][0]][int(kid.MCID)] = element
            elif isinstance(kid, Dictionary) and kid.get("/Type") == Name.OBJR:
                key = kid.Obj.get("/StructParent")
                if key is not None:
                    annotation_owner[int(key)] = element
            elif _is_element(kid):
                visit(kid, page)

    visit(document, None)

    entries: list[tuple[int, object]] = []
    untagged: dict[int, set[int]] = {}
    for page in pdf.pages:
        index, key = page_keys[page.obj.objgen]
        drawn = set(_drawn_mcids(page))
        untagged[index] = drawn - set(claimed[index])
        if not drawn and "/StructParents" not in page.obj:
            continue
        page.obj.StructParents = key
        size = max(claimed[index], default=-1) + 1
        entries.append((key, Array([claimed[index].get(mcid) for mcid in range(size)])))
    entries += sorted(annotation_owner.items())
    entries.sort(key=lambda entry: entry[0])
    root = pdf.Root.StructTreeRoot
    root.ParentTree = pdf.make_indirect(Dictionary(Nums=Array([x for entry in entries for x in entry])))
    root.ParentTreeNextKey = max((key for key, _ in entries), default=-1) + 1
    return untagged


def _drawn_mcids(page: pikepdf.Page) -> Iterator[int]:
    for operands, _ in pikepdf.parse_content_stream(page, "BDC"):
        if len(operands) == 2 and isinstance(operands[1], Dictionary) and "/MCID" in operands[1]:
            yield int(operands[1].MCID)


def _mark_as_page_furniture(pdf: pikepdf.Pdf, untagged: dict[int, set[int]],
                            decorative: set[ListKey] = frozenset()) -> None:  # type: ignore[assignment]
    """Content outside the tree becomes an artifact: the page numbers pagination, decorative pictures layout.

    A screen reader then skips "Page 2 of 5" in the text, as it should: the
    reader's software already says which page it is on; and it passes over a
    picture that adds nothing to the text.
    """
    for index, page in enumerate(pdf.pages):
        orphans = untagged.get(index)
        if not orphans:
            continue
        instructions = []
        for operands, operator in pikepdf.parse_content_stream(page):
            if (str(operator) == "BDC" and len(operands) == 2 and isinstance(operands[1], Dictionary)
                    and int(operands[1].get("/MCID", -1)) in orphans):
                kind = Name.Layout if (index, int(operands[1].MCID)) in decorative else Name.Pagination
                operands = [Name.Artifact, Dictionary(Type=kind)]
            instructions.append(pikepdf.ContentStreamInstruction(operands, operator))
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))
        log.debug("page %d: %d untagged pieces marked as page furniture", index + 1, len(orphans))
