"""Tests of the tag repairs made after WeasyPrint writes the large-print PDF.

These start from small PDFs WeasyPrint makes from plain HTML, so they show
what the repair itself does, apart from our template.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from conftest import struct_elements, struct_kids, struct_role

from pipeline.pdf_tags import finish_tagging

PAGE = """<!DOCTYPE html><html lang="en"><head><title>T</title><style>
@page {{ @bottom-center {{ content: "Page " counter(page) " of " counter(pages); }} }}
ol, ul {{ list-style-position: inside; }}
</style></head><body><h1>T</h1>{body}</body></html>"""


def weasyprint_pdf(tmp_path: Path, body: str) -> Path:
    import weasyprint

    target = tmp_path / "raw.pdf"
    weasyprint.HTML(string=PAGE.format(body=body)).write_pdf(target, pdf_variant="pdf/ua-1")
    return target


def elements(pdf: pikepdf.Pdf) -> list:
    return [element for _, element in struct_elements(pdf)]


def marked_content(pdf: pikepdf.Pdf) -> list[tuple[str, int | None]]:
    out = []
    for p in pdf.pages:
        for operands, _ in pikepdf.parse_content_stream(p, "BDC"):
            props = operands[1] if len(operands) == 2 and isinstance(operands[1], pikepdf.Dictionary) else {}
            out.append((str(operands[0]), int(props["/MCID"]) if "/MCID" in props else None))
    return out


def test_page_numbers_become_pagination_artifacts(tmp_path):
    path = weasyprint_pdf(tmp_path, "<p>Hello</p>")
    finish_tagging(path)
    with pikepdf.open(path) as pdf:
        tree_mcids = {int(k) for el in elements(pdf) for k in struct_kids(el) if isinstance(k, int)}
        drawn = marked_content(pdf)
        # Every tagged piece of content belongs to an element in the tree ...
        assert {mcid for _, mcid in drawn if mcid is not None} == tree_mcids
        # ... and the page number is an artifact of type Pagination.
        artifacts = [operands[1] for p in pdf.pages for operands, _ in pikepdf.parse_content_stream(p, "BDC")
                     if str(operands[0]) == "/Artifact" and len(operands) == 2]
        assert [str(a.get("/Type")) for a in artifacts] == ["/Pagination"] * len(pdf.pages)
        # The parent tree maps each piece of content back to the element that holds it.
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        arrays = [entry for entry in list(nums)[1::2] if isinstance(entry, pikepdf.Array)]
        assert arrays
        for array in arrays:
            for mcid, element in enumerate(array):
                claimed = {int(k) for k in struct_kids(element) if isinstance(k, int)}
                assert mcid in claimed, (mcid, struct_role(element))


def test_list_items_get_a_label_and_one_body(tmp_path):
    path = weasyprint_pdf(tmp_path, "<ol><li>One<ul><li>a</li></ul><p>More</p></li><li><p>Two</p></li></ol>")
    finish_tagging(path)
    with pikepdf.open(path) as pdf:
        items = [el for el in elements(pdf) if struct_role(el) == "LI"]
        assert len(items) == 3
        assert all([struct_role(k) for k in struct_kids(item)] == ["Lbl", "LBody"] for item in items)
        first_body = struct_kids(items[0])[1]
        # The nested list is inside the body, between the words it came between.
        assert [struct_role(k) for k in struct_kids(first_body)] == ["Span", "L", "P"]
        assert all(kid.P.objgen == first_body.objgen for kid in struct_kids(first_body))


def test_a_wrapped_link_is_one_printable_link(tmp_path):
    words = "a long link that runs on and on over more than one line of the page " * 3
    path = weasyprint_pdf(tmp_path, f'<p>See <a href="https://example.org/">{words}<b>bold</b></a>.</p>')
    finish_tagging(path)
    with pikepdf.open(path) as pdf:
        links = [el for el in elements(pdf) if struct_role(el) == "Link"]
        assert len(links) == 1
        areas = [k for k in struct_kids(links[0]) if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR"]
        annotations = [a for p in pdf.pages for a in p.Annots]
        assert len(areas) == len(annotations) > 1
        assert all(int(a.F) & 4 for a in annotations)


@pytest.mark.parametrize("body", ["<p>Plain</p>", "<ul><li>x</li></ul>"])
def test_repairing_twice_changes_nothing_more(tmp_path, body):
    path = weasyprint_pdf(tmp_path, body)
    finish_tagging(path)
    with pikepdf.open(path) as pdf:
        once = [(struct_role(el), len(struct_kids(el))) for el in elements(pdf)]
    finish_tagging(path)
    with pikepdf.open(path) as pdf:
        assert [(struct_role(el), len(struct_kids(el))) for el in elements(pdf)] == once
