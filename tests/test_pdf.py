"""Tests of the large-print PDF: sizes, fonts, page furniture, tags, validators, text order.

Renderer tests start from hand-built documents (conftest.make_document); the
validator and text-order tests also render the seed article and
tests/fixtures/every-feature.md, which uses every Markdown feature the reader
knows. PDFs are rendered once per module and shared, as rendering is the slow part.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from itertools import pairwise
from pathlib import Path

import page
import pdfplumber
import pikepdf
import pytest
from conftest import SEED_ARTICLE, is_struct_element, make_document, struct_elements, struct_kids, struct_role

from pipeline.model import (
    Disclaimer,
    Document,
    ListBlock,
    ListItem,
    Paragraph,
    Section,
    Text,
    section_texts,
)
from pipeline.reader import read_article
from pipeline.renderers.pdf import render_pdf
from pipeline.settings import Settings

FIXTURE_ARTICLE = Path(__file__).parent / "fixtures" / "every-feature.md"
MARGIN = 72.0  # 1 inch, in points
POINT_TOLERANCE = 0.05
FOOTER = re.compile(r"^Page (\d+) of (\d+)$")


# ---------------------------------------------------------------- rendering


@pytest.fixture(scope="module")
def render(tmp_path_factory):
    """Render a document once per module: render(name, document, **settings) -> path."""
    made: dict[str, Path] = {}

    def rendered(name: str, document: Document, **options: object) -> Path:
        if name not in made:
            target = tmp_path_factory.mktemp("pdf") / f"{name}.pdf"
            render_pdf(document, Settings(out_dir=target.parent, **options), target)
            made[name] = target
        return made[name]

    return rendered


@pytest.fixture(scope="module")
def sample_folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("sample")


@pytest.fixture(scope="module")
def sample_pdf(render, sample_folder) -> Path:
    return render("sample-18", make_document(sample_folder))


@pytest.fixture(scope="module")
def seed_document() -> Document:
    return read_article(SEED_ARTICLE)


@pytest.fixture(scope="module")
def fixture_document() -> Document:
    return read_article(FIXTURE_ARTICLE)


@pytest.fixture(scope="module")
def seed_pdf(render, seed_document) -> Path:
    return render("seed", seed_document)


@pytest.fixture(scope="module")
def fixture_pdf(render, fixture_document) -> Path:
    return render("every-feature", fixture_document)


def long_document(folder: Path) -> Document:
    """Many sections of uneven length, so page breaks fall in many places."""
    words = "Rest, drink water and take your medicine at the same time each day. "
    sections = []
    for n in range(1, 19):
        sections.append(Section(
            heading=f"Step {n} of your recovery", level=2, anchor=f"step-{n}",
            blocks=(
                Paragraph(inlines=(Text(words * (1 + n % 5)),)),
                ListBlock(ordered=n % 2 == 0, items=tuple(
                    ListItem(blocks=(Paragraph(inlines=(Text(
                        f"Item {n}-{i}: " + words * (1 + (n + i) % 3)),)),))
                    for i in range(1, 3 + n % 3))),
            )))
    return Document(slug="long", title="Getting Better at Home", lang="en", sections=tuple(sections),
                    disclaimer=Disclaimer(text="This handout is for information only."),
                    source=folder / "long.md")


@pytest.fixture(scope="module")
def long_pdf(render, sample_folder) -> Path:
    return render("long", long_document(sample_folder))


# ---------------------------------------------------------------- reading helpers


def chars(path: Path) -> list[dict]:
    with pdfplumber.open(path) as pdf:
        return [char for p in pdf.pages for char in p.chars]


def page_lines(path: Path) -> list[list[dict]]:
    """Each page's text lines (pdfplumber's), top to bottom."""
    with pdfplumber.open(path) as pdf:
        return [p.extract_text_lines() for p in pdf.pages]


def body_lines(path: Path) -> list[list[dict]]:
    """Each page's lines without the page-number footer."""
    return [[line for line in lines if not FOOTER.match(line["text"].strip())]
            for lines in page_lines(path)]


def squeeze(text: str) -> str:
    """Text without any whitespace: line breaks inside long words vanish."""
    return re.sub(r"\s+", "", text)


def extracted_text(path: Path) -> str:
    return "\n".join(line["text"] for lines in body_lines(path) for line in lines)


def structure(path: Path) -> list[tuple[int, str, list[str]]]:
    """The structure tree as (depth, role, roles of its child elements), in reading order."""
    with pikepdf.open(path) as pdf:
        return [(depth, struct_role(element), [struct_role(k) for k in struct_kids(element) if is_struct_element(k)])
                for depth, element in struct_elements(pdf)]


def outloud_report(path: Path) -> dict:
    command = shutil.which("outloud") or str(Path(sys.executable).parent / "outloud")
    done = subprocess.run([command, str(path), "--json", "-"], capture_output=True, text=True, check=False)
    assert done.stdout, done.stderr
    return json.loads(done.stdout)["results"][0]


# ---------------------------------------------------------------- typography


@pytest.mark.parametrize("print_size", [18, 24])
def test_no_text_is_smaller_than_the_print_size(render, sample_folder, print_size):
    path = render(f"sample-{print_size}", make_document(sample_folder), print_size=print_size)
    found = chars(path)
    sizes = [round(char["size"], 2) for char in found]
    assert min(sizes) >= print_size - POINT_TOLERANCE, f"smallest text is {min(sizes)} pt"
    with pdfplumber.open(path) as pdf:
        words = [w for p in pdf.pages for w in p.extract_words(extra_attrs=["size"])]
    # Body text is set at the print size itself, not merely above it.
    body = [w for w in words if w["text"] in {"Sleep", "helps", "body", "heal."}]
    assert len(body) >= 4 and {round(w["size"], 1) for w in body} == {print_size}
    # The page numbers are as large as the rest.
    footer_words = [w for w in words if w["text"] == "Page"]
    assert footer_words and min(w["size"] for w in footer_words) >= print_size - POINT_TOLERANCE


def test_every_glyph_is_atkinson_hyperlegible(fixture_pdf):
    fonts = {char["fontname"] for char in chars(fixture_pdf)}
    assert fonts, "no text found"
    assert all("Atkinson-Hyperlegible" in name for name in fonts), fonts
    assert not any("Italic" in name for name in fonts), "italics are not used in large print"


def test_every_font_is_embedded(fixture_pdf, seed_pdf):
    for path in (fixture_pdf, seed_pdf):
        with pikepdf.open(path) as pdf:
            seen = 0
            for p in pdf.pages:
                for _, font in p.Resources.get("/Font", {}).items():
                    seen += 1
                    descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
                    descriptor = descendant.FontDescriptor
                    assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), \
                        f"{font.BaseFont} is not embedded in {path.name}"
            assert seen


def test_italic_is_printed_bold(sample_pdf):
    # "early" is Emphasis in the hand-built document; large print uses bold only.
    text = "".join(c["text"] for c in chars(sample_pdf))
    start = text.index("early")
    emphasised = chars(sample_pdf)[start:start + len("early")]
    assert all("Bold" in c["fontname"] for c in emphasised), {c["fontname"] for c in emphasised}


def test_text_is_black(fixture_pdf):
    colours = {tuple(c["non_stroking_color"] or ()) for c in chars(fixture_pdf)}
    assert colours <= {(0,), (0.0,), (0, 0, 0), (0.0, 0.0, 0.0), (0, 0, 0, 1), (0.0, 0.0, 0.0, 1.0)}, colours


def test_line_spacing_is_at_least_one_and_a_half(seed_pdf):
    gaps = []
    for lines in body_lines(seed_pdf):
        for above, below in pairwise(lines):
            gaps.append(below["top"] - above["top"])
    assert gaps
    assert min(gaps) >= 1.5 * 18 - POINT_TOLERANCE, f"closest lines are {min(gaps):.1f} pt apart"


def test_text_is_left_aligned_and_ragged_right(seed_pdf):
    lines = [line for lines in body_lines(seed_pdf) for line in lines]
    starts = {round(line["x0"]) for line in lines}
    # The margin, the inside of the disclaimer's box, the hanging indent of list items.
    assert starts <= {72, 92, 99}, starts
    # Justified text would end most lines exactly at the right margin.
    at_margin = [line for line in lines if line["x1"] > 612 - MARGIN - 1]
    assert len(at_margin) < len(lines) / 5, f"{len(at_margin)} of {len(lines)} lines end at the margin"


def test_no_line_ends_in_a_hyphen_the_article_does_not_have(seed_pdf, fixture_pdf):
    for path, source in ((seed_pdf, SEED_ARTICLE), (fixture_pdf, FIXTURE_ARTICLE)):
        original = squeeze(source.read_text(encoding="utf-8"))
        lines = [line["text"] for lines in body_lines(path) for line in lines]
        assert not any("\u00ad" in line for line in lines)
        for line, following in pairwise(lines):
            if line.rstrip().endswith(("-", "\u2010")):
                joined = line.split()[-1] + following.split()[0]
                assert joined in original, f"{path.name}: inserted hyphen in {line!r} / {following!r}"


def test_long_words_wrap_inside_the_margins(fixture_pdf):
    with pdfplumber.open(fixture_pdf) as pdf:
        for p in pdf.pages:
            for char in p.chars:
                assert MARGIN - 1 <= char["x0"] and char["x1"] <= p.width - MARGIN + 1, \
                    f"{char['text']!r} at x={char['x0']:.0f}-{char['x1']:.0f} on page {p.page_number}"
    # The long drug name and the long address are both printed, whole.
    text = squeeze(extracted_text(fixture_pdf))
    assert "dexamethasonemethylprednisolonehydrocortisonefludrocortisone" in text
    assert "methylprednisolone-patient-information-leaflet-2024.pdf" in text


# ---------------------------------------------------------------- page


@pytest.mark.parametrize(("paper", "size"), [("letter", (612, 792)), ("a4", (595.28, 841.89))])
def test_paper_size(render, sample_folder, paper, size):
    path = render(f"sample-{paper}", make_document(sample_folder), paper=paper)
    with pikepdf.open(path) as pdf:
        for p in pdf.pages:
            box = [float(v) for v in p.MediaBox]
            assert box[2] - box[0] == pytest.approx(size[0], abs=0.5)
            assert box[3] - box[1] == pytest.approx(size[1], abs=0.5)


def test_page_numbers_say_page_n_of_m_in_the_same_place(seed_pdf):
    pages = page_lines(seed_pdf)
    assert len(pages) > 1
    places = set()
    for number, lines in enumerate(pages, start=1):
        footers = [line for line in lines if FOOTER.match(line["text"].strip())]
        assert len(footers) == 1, f"page {number}: {[line['text'] for line in lines[-2:]]}"
        assert footers[0]["text"].strip() == f"Page {number} of {len(pages)}"
        places.add((round(footers[0]["x0"] + footers[0]["x1"]), round(footers[0]["top"])))
    centres = {centre for centre, _ in places}
    assert len({top for _, top in places}) == 1
    assert max(centres) - min(centres) <= 2  # centred, whatever the number's width


def test_first_page_starts_with_the_title_then_the_key_message(seed_pdf, seed_document):
    first = body_lines(seed_pdf)[0]
    assert first[0]["top"] < MARGIN + 30  # nothing above the title
    opening = squeeze(" ".join(line["text"] for line in first))
    assert opening.startswith(squeeze(seed_document.title))
    intro = squeeze(next(section_texts(seed_document.sections)))
    assert opening[len(squeeze(seed_document.title)):].startswith(intro[:80])


def pages_ending_with_a_heading(path: Path) -> list[int]:
    """Numbers of the pages (all but the last) whose last line is one of long_document's headings."""
    pages = body_lines(path)
    return [number for number, lines in enumerate(pages[:-1], start=1)
            if re.match(r"^Step \d+ of your recovery$", lines[-1]["text"])]


def test_no_heading_is_left_at_the_bottom_of_a_page(long_pdf):
    assert len(body_lines(long_pdf)) >= 4
    assert pages_ending_with_a_heading(long_pdf) == []


def test_a_heading_left_at_the_bottom_of_a_page_is_found(render, sample_folder, tmp_path):
    # A stylesheet that ends a page after every heading: the measure above must see it.
    css = (Path(__file__).parents[1] / "pipeline" / "templates" / "large-print.css").read_text(encoding="utf-8")
    (tmp_path / "large-print.css").write_text(css + "\nh2 { break-after: page; }\n", encoding="utf-8")
    broken = render("long-broken", long_document(sample_folder), template_dir=tmp_path)
    assert len(pages_ending_with_a_heading(broken)) >= 10


def test_list_items_are_not_split_across_pages(long_pdf):
    pages = [squeeze(" ".join(line["text"] for line in lines)) for lines in body_lines(long_pdf)]
    document = long_document(Path("."))
    for section in document.sections:
        for block in section.blocks:
            if isinstance(block, ListBlock):
                for item in block.items:
                    words = squeeze(item.blocks[0].inlines[0].text)
                    assert any(words in text for text in pages), f"split: {words[:30]}"


# ---------------------------------------------------------------- links and disclaimer


def test_links_print_their_address_inside_the_link(sample_pdf):
    text = " ".join(extracted_text(sample_pdf).split())
    assert "the sleep guide (https://example.org/sleep)." in text
    with pikepdf.open(sample_pdf) as pdf:
        links = [a for p in pdf.pages for a in p.get("/Annots", []) if a.Subtype == "/Link"]
        # One link area per printed line of the link, all in one Link element.
        assert links and {str(a.A.URI) for a in links} == {"https://example.org/sleep"}
        assert all(int(a.F) & 4 for a in links), "links must print"
    tree = structure(sample_pdf)
    assert [role for _, role, _ in tree].count("Link") == 1


def test_disclaimer_is_in_the_body_in_a_box_under_its_own_heading(fixture_pdf, fixture_document):
    text = " ".join(extracted_text(fixture_pdf).split())
    assert f"Disclaimer {fixture_document.disclaimer.text}" in text
    tree = structure(fixture_pdf)
    sections = [i for i, (_, role, info) in enumerate(tree) if role == "Sect"]
    assert sections and tree[sections[-1]][2] == ["H2", "P"]
    with pdfplumber.open(fixture_pdf) as pdf:
        last = pdf.pages[-1]
        words = [w for w in last.extract_words() if w["text"] in ("Disclaimer", "pharmacist.")]
        boxes = [r for r in last.rects if r["x1"] - r["x0"] < last.width - 2 * MARGIN - 1]
        assert words and boxes
        box = boxes[0]
        assert all(box["x0"] < w["x0"] and w["x1"] < box["x1"] and box["top"] < w["top"]
                   and w["bottom"] < box["bottom"] for w in words)


# ---------------------------------------------------------------- tags


def test_title_language_and_bookmarks(render, sample_folder):
    document = make_document(sample_folder, lang="en-GB")
    path = render("sample-en-gb", document)
    with pikepdf.open(path) as pdf:
        assert str(pdf.Root.Lang) == "en-GB"
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) is True
        assert pdf.open_metadata().get("dc:title") == document.title
        with pdf.open_outline() as outline:
            top = outline.root
            assert [item.title for item in top] == [document.title]
            second = [item.title for item in top[0].children]
            assert second == ["What to do", "Disclaimer"]
            assert [item.title for item in top[0].children[0].children] == ["Doses at a glance"]


def test_headings_start_at_h1_and_skip_no_level(sample_pdf, fixture_pdf, seed_pdf):
    for path in (sample_pdf, fixture_pdf, seed_pdf):
        levels = [int(role[1]) for _, role, _ in structure(path) if re.fullmatch(r"H[1-6]", role)]
        assert levels[0] == 1 and levels.count(1) == 1
        assert all(b <= a + 1 for a, b in pairwise(levels)), levels


def test_lists_are_labels_and_bodies(fixture_pdf, sample_pdf):
    for path in (fixture_pdf, sample_pdf):
        tree = structure(path)
        items = [kids for _, role, kids in tree if role == "LI"]
        assert items
        assert all(kids == ["Lbl", "LBody"] for kids in items), items
        lists = [kids for _, role, kids in tree if role == "L"]
        assert all(set(kids) == {"LI"} for kids in lists)


def test_nested_lists_sit_inside_their_item_in_reading_order(fixture_pdf):
    tree = structure(fixture_pdf)
    bodies = [kids for _, role, kids in tree if role == "LBody"]
    # "Swallow the tablet whole", its two bullets, then its second paragraph.
    assert ["Span", "L", "P"] in bodies


def test_tables_have_header_cells(sample_pdf):
    roles = [role for _, role, _ in structure(sample_pdf)]
    assert roles.count("Table") == 1
    assert roles.count("TH") == 2 and roles.count("TD") == 2


@pytest.mark.parametrize("which", ["seed", "every-feature"])
def test_validators_find_nothing(which, seed_pdf, fixture_pdf):
    path = seed_pdf if which == "seed" else fixture_pdf
    report = page.validate_pdf(str(path), profile="ua1")
    assert report.rules.total > 0
    assert list(report.failures) == [], report
    outloud = outloud_report(path)
    assert outloud["error"] is None
    findings = [(f["rule"], f["message"]) for f in outloud["findings"]]
    assert outloud["counts"]["error"] == 0 and outloud["counts"]["warning"] == 0, findings


def test_reading_order_matches_the_source(seed_pdf, fixture_pdf, seed_document, fixture_document):
    for path, document in ((seed_pdf, seed_document), (fixture_pdf, fixture_document)):
        text = squeeze(extracted_text(path))
        position = 0
        words = [document.title, *section_texts(document.sections),
                 document.disclaimer.label, document.disclaimer.text]
        for chunk in words:
            for word in chunk.split():
                found = text.find(word, position)
                after = text[position:position + 40]
                assert found >= 0, f"{path.name}: {word!r} missing or out of order after {after!r}"
                position = found + len(word)



# ---------------------------------------------------------------- fetching


def test_layout_reads_only_our_fonts_and_the_article_folder(tmp_path):
    from pipeline.fonts import font_files
    from pipeline.renderers.pdf import LocalOnlyFetcher

    font = next(iter(font_files().values()))
    fetcher = LocalOnlyFetcher([font.parent, tmp_path])
    response = fetcher.fetch(font.as_uri())
    assert response is not None
    (tmp_path / "picture.png").write_bytes(b"\x89PNG")
    assert fetcher.fetch((tmp_path / "picture.png").as_uri()) is not None
    for address in ("http://127.0.0.1:9/pixel.png", "https://example.com/x.css", "file:///etc/passwd",
                    (tmp_path / ".." / "elsewhere.png").as_uri(), "data:text/plain,hi", "ftp://x/y"):
        with pytest.raises(ValueError, match="not fetched"):
            fetcher.fetch(address)
    assert len(fetcher.refused) == 6


def test_unsafe_link_addresses_never_become_pdf_links(tmp_path):
    from dataclasses import replace as replace_field

    from pipeline.model import Link, Paragraph, Section, Text
    from pipeline.renderers.pdf import render_pdf
    from pipeline.settings import Settings

    links = Paragraph(inlines=(Link("javascript:alert(1)", (Text("run me"),)), Text(" and "),
                               Link("file:///etc/passwd", (Text("secrets"),)), Text(" and "),
                               Link("https://example.org/", (Text("a safe one"),))))
    document = make_document(tmp_path)
    document = replace_field(document, sections=(Section(heading=None, level=2, blocks=(links,)),))
    target = tmp_path / "links.pdf"
    render_pdf(document, Settings(out_dir=tmp_path), target)
    uris = []
    with pikepdf.open(target) as pdf:
        for page in pdf.pages:
            for annotation in page.get("/Annots", []):
                action = annotation.get("/A")
                if action is not None and "/URI" in action:
                    uris.append(str(action.URI))
    assert uris and set(uris) == {"https://example.org/"}
    text = extracted_text(target)
    assert "run me" in text and "secrets" in text
