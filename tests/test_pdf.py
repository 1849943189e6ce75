"""Tests of the large-print PDF: sizes, fonts, page furniture, tags, validators, text order, glyphs.

Renderer tests start from hand-built documents (conftest.make_document); the
validator and text-order tests also render the seed article and
tests/fixtures/every-feature.md, which uses every Markdown feature the reader
knows. PDFs are rendered once per module and shared, as rendering is the slow part.
The glyph tests print what Atkinson Hyperlegible lacks (emoji, arrows, check
marks, other scripts) with its fallback fonts, and stop an article with a
character no font has; tests/fixtures/glyphs.md is their article for the
command line.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from itertools import pairwise
from pathlib import Path

import page
import pdfplumber
import pikepdf
import pytest
from conftest import SEED_ARTICLE, is_struct_element, make_document, para, struct_elements, struct_kids, struct_role

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
from pipeline.readers import read_article
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


def test_layout_reads_only_our_fonts_and_the_documents_pictures(tmp_path):
    from photos import phone_photo

    from pipeline.fonts import font_files
    from pipeline.pictures import clean
    from pipeline.renderers.pdf import LocalOnlyFetcher

    font = next(iter(font_files().values()))
    picture = clean(phone_photo())
    fetcher = LocalOnlyFetcher([font.parent, tmp_path], pictures={"handout-picture:" + picture.digest: picture})
    assert fetcher.fetch("handout-picture:" + picture.digest).read() == picture.data
    response = fetcher.fetch(font.as_uri())
    assert response is not None
    (tmp_path / "picture.png").write_bytes(b"\x89PNG")
    assert fetcher.fetch((tmp_path / "picture.png").as_uri()) is not None
    for address in ("http://127.0.0.1:9/pixel.png", "https://example.com/x.css", "file:///etc/passwd",
                    (tmp_path / ".." / "elsewhere.png").as_uri(), "data:text/plain,hi", "ftp://x/y"):
        with pytest.raises(ValueError, match="not fetched"):
            fetcher.fetch(address)
    assert len(fetcher.refused) == 6


def test_a_picture_beside_the_article_is_shown_only_through_the_model(tmp_path):
    """The layout never reads the article's folder: a picture the reader did not take is its description."""
    from photos import phone_photo

    from pipeline.model import Image, Paragraph

    (tmp_path / "photo.jpg").write_bytes(phone_photo())
    document = make_document(tmp_path)
    section = replace(document.sections[0], blocks=(Paragraph((Image(src="photo.jpg", alt="A photo"),)),))
    target = tmp_path / "untaken.pdf"
    render_pdf(replace(document, sections=(section,)), Settings(out_dir=tmp_path), target)
    with pikepdf.open(target) as pdf:
        assert not [image for p in pdf.pages for image in p.get_images()]
    assert "[Picture: A photo]" in extracted_text(target)


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


# ---------------------------------------------------------------- characters Atkinson Hyperlegible lacks

GLYPHS_ARTICLE = Path(__file__).parent / "fixtures" / "glyphs.md"
# Each character, and the fallback family that must print it.
FALLBACK_GLYPHS = {
    "\U0001fa7a": "Noto Sans Symbols2",  # stethoscope, the emoji of the original report
    "\u2192": "Noto Sans Symbols",  # rightwards arrow
    "\u2713": "Noto Sans Symbols2",  # check mark
    "\u2714": "Noto Sans Symbols2",  # heavy check mark
    "\U0001f48a": "Symbola",  # pill
    "\U0001f600": "Symbola",  # grinning face
    "\u039a": "Noto Sans",  # Greek capital kappa
    "\u0417": "Noto Sans",  # Cyrillic capital ze
    "\u0928": "Noto Sans Devanagari",  # Devanagari na
    "\u0645": "Noto Sans Arabic",  # Arabic meem
}
GREEK = "\u039a\u03b1\u03bb\u03b7\u03bc\u03ad\u03c1\u03b1"  # Καλημέρα
CYRILLIC = "\u0417\u0434\u0440\u0430\u0432\u0441\u0442\u0432\u0443\u0439\u0442\u0435"  # Здравствуйте
DEVANAGARI = "\u0928\u092e\u0938\u094d\u0924\u0947"  # नमस्ते
ARABIC = "\u0645\u0631\u062d\u0628\u0627"  # مرحبا


def glyphs_document(folder: Path, *extra: Paragraph, slug: str = "glyphs") -> Document:
    """A hand-built article with an emoji in a heading, symbols in plain and bold text, and four scripts."""
    from pipeline.model import Strong

    sections = (
        Section(heading=None, level=2, blocks=(
            Paragraph(inlines=(Text("Bring your stethoscope \U0001fa7a and your pills \U0001f48a."),), line=5),)),
        Section(heading="Signs on the sheet \U0001fa7a", level=2, anchor="signs", line=7, blocks=(
            Paragraph(inlines=(Text("Take the tablet \u2192 drink water \u2192 rest. Done \u2713 Checked \u2714 "
                                    "Smile \U0001f600"),), line=9),
            Paragraph(inlines=(Strong((Text("Bold too: next \u2192 done \u2713"),)),), line=11),
            ListBlock(items=tuple(ListItem(blocks=(Paragraph(inlines=(Text(text),), line=13 + n),))
                                  for n, text in enumerate((f"Greek: {GREEK}.", f"Russian: {CYRILLIC}.",
                                                            f"Hindi: {DEVANAGARI}.", f"Arabic: {ARABIC}.")))),
            *extra,
        )),
    )
    return Document(slug=slug, title="Your Check-up", lang="en", sections=sections,
                    disclaimer=Disclaimer(text="This sheet is for information only.", line=20),
                    source=folder / f"{slug}.md")


@pytest.fixture(scope="module")
def glyphs_pdf(render, sample_folder) -> Path:
    return render("glyphs", glyphs_document(sample_folder))


def font_families(path: Path) -> dict[str, str]:
    """Each font's /BaseFont (as pdfplumber names it) -> the family its descriptor gives."""
    found = {}
    with pikepdf.open(path) as pdf:
        for p in pdf.pages:
            for font in p.Resources.get("/Font", {}).values():
                descriptor = (font.DescendantFonts[0] if "/DescendantFonts" in font else font).FontDescriptor
                found[str(font.BaseFont)[1:]] = str(descriptor.FontFamily)
    return found


@pytest.mark.parametrize("print_size", [18, 24])
def test_symbols_emoji_and_other_scripts_print_in_their_fallback_font_at_the_print_size(
        render, sample_folder, print_size):
    from pipeline.fonts import FALLBACK_FAMILIES

    path = render(f"glyphs-{print_size}", glyphs_document(sample_folder), print_size=print_size)
    families = font_families(path)
    drawn = [(c["text"], families[c["fontname"]], c["size"]) for c in chars(path)]
    for character, family in FALLBACK_GLYPHS.items():
        found = [(f, size) for text, f, size in drawn if character in text]
        assert found, f"U+{ord(character):04X} is not in the PDF's text"
        assert {f for f, _ in found} == {family}, (f"U+{ord(character):04X}", found)
        assert min(size for _, size in found) >= print_size - POINT_TOLERANCE
    # Latin letters stay in Atkinson Hyperlegible; only what it lacks falls back.
    assert {f for text, f, _ in drawn if text.isascii() and text.isalnum()} == {"Atkinson Hyperlegible"}
    assert {f for _, f, _ in drawn} <= {"Atkinson Hyperlegible", *FALLBACK_FAMILIES}


def test_a_bold_line_with_symbols_stays_bold_where_the_font_can(glyphs_pdf):
    bold = [c for c in chars(glyphs_pdf) if c["text"] in ("B", "\u2192") and "Bold" in c["fontname"]]
    assert {c["text"] for c in bold} == {"B", "\u2192"}


def test_the_other_scripts_read_back_as_written(glyphs_pdf):
    text = extracted_text(glyphs_pdf)
    for words in (GREEK, CYRILLIC, "\U0001fa7a", "\u2192", "\u2713"):
        assert words in text, words
    # Shaped scripts come back cluster by cluster; every letter is there.
    letters = "".join(c["text"] for c in chars(glyphs_pdf))
    assert set(DEVANAGARI) <= set(letters) and set(ARABIC) <= set(letters)


def test_fallback_fonts_are_embedded_and_no_glyph_is_notdef(glyphs_pdf):
    from pipeline.fonts import notdef_glyphs

    with pikepdf.open(glyphs_pdf) as pdf:
        assert notdef_glyphs(pdf) == []
        for p in pdf.pages:
            for font in p.Resources.Font.values():
                assert font.Encoding == "/Identity-H"  # WeasyPrint writes its own CMap only for missing glyphs
                descriptor = font.DescendantFonts[0].FontDescriptor
                assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, str(font.BaseFont)
    assert len(set(font_families(glyphs_pdf).values())) >= 7


def test_fallback_fonts_come_from_fontconfig_not_through_the_fetcher(tmp_path, caplog):
    # The fetcher lets the layout read only our packaged fonts and the article's
    # folder; the system's fallback fonts are opened by fontconfig, so nothing is refused.
    caplog.set_level("WARNING")
    render_pdf(glyphs_document(tmp_path), Settings(out_dir=tmp_path), tmp_path / "glyphs.pdf")
    assert not [r for r in caplog.records if "not fetching" in r.getMessage()]
    assert "Symbola" in font_families(tmp_path / "glyphs.pdf").values()


def test_validators_find_nothing_with_fallback_fonts(glyphs_pdf):
    report = page.validate_pdf(str(glyphs_pdf), profile="ua1")
    assert list(report.failures) == [], report
    outloud = outloud_report(glyphs_pdf)
    findings = [(f["rule"], f["message"]) for f in outloud["findings"]]
    assert outloud["counts"]["error"] == 0 and outloud["counts"]["warning"] == 0, findings


def test_the_check_accepts_the_fallback_fonts_and_names_them(glyphs_pdf, sample_folder):
    from pipeline.checks.pdf import check_pdf

    document = glyphs_document(sample_folder)
    findings = {f.check: f for f in check_pdf(document, glyphs_pdf.parent, Settings(out_dir=glyphs_pdf.parent))}
    assert findings["typeface"].status == "pass", findings["typeface"]
    assert findings["typeface"].figure.startswith("Atkinson Hyperlegible (")
    for family in ("Noto Sans Symbols2", "Symbola", "Noto Sans Devanagari"):
        assert family in findings["typeface"].figure
    assert findings["missing glyphs"].status == "pass" and findings["missing glyphs"].figure == "0 .notdef"
    assert [f.check for f in findings.values() if f.status == "fail"] == []


@pytest.mark.parametrize(("css", "complaint"), [
    # A clinic's stylesheet that sets another typeface on paragraphs.
    ('p { font-family: "DejaVu Serif"; }', "neither Atkinson Hyperlegible nor its fallbacks: "),
    # One that puts a fallback font first, so it prints letters Atkinson Hyperlegible has.
    ('p { font-family: "Noto Sans", "Atkinson Hyperlegible"; }', "though Atkinson Hyperlegible has them: U+"),
])
def test_the_typeface_check_fails_on_other_fonts(tmp_path, css, complaint):
    from pipeline.checks.pdf import check_pdf

    stylesheet = (Path(__file__).parents[1] / "pipeline" / "templates" / "large-print.css").read_text("utf-8")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "large-print.css").write_text(stylesheet + "\n" + css + "\n", encoding="utf-8")
    document = glyphs_document(tmp_path)
    render_pdf(document, Settings(out_dir=tmp_path, template_dir=tmp_path / "templates"), tmp_path / "glyphs.pdf")
    typeface = next(f for f in check_pdf(document, tmp_path, Settings(out_dir=tmp_path)) if f.check == "typeface")
    assert typeface.status == "fail" and complaint in typeface.detail, typeface


# ---------------------------------------------------------------- a character no font has

NO_FONT_HAS = [
    pytest.param("\ue000", "U+E000, a private-use character", id="private-use"),
    pytest.param("\u0378", "U+0378, a code point Unicode has not assigned", id="unassigned"),
    pytest.param("\U0001f9fa", '"\U0001f9fa" (U+1F9FA BASKET)', id="emoji-no-font-has"),
]


@pytest.mark.parametrize(("character", "named"), NO_FONT_HAS)
def test_a_character_no_font_has_stops_the_pdf_before_layout(tmp_path, character, named):
    from pipeline.errors import ArticleError

    extra = Paragraph(inlines=(Text(f"Keep it in the basket {character} by the door."),), line=17)
    target = tmp_path / "glyphs.pdf"
    target.write_bytes(b"%PDF- an earlier good handout")
    with pytest.raises(ArticleError) as caught:
        render_pdf(glyphs_document(tmp_path, extra), Settings(out_dir=tmp_path), target)
    error = caught.value
    assert error.exit_code == 2 and error.line == 17
    assert str(error).startswith(f"{tmp_path / 'glyphs.md'}:17: no font of the large-print PDF has a glyph for")
    assert named in str(error)
    assert target.read_bytes() == b"%PDF- an earlier good handout"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["glyphs.pdf"]


def test_every_character_without_a_glyph_is_named_with_its_line(tmp_path):
    from pipeline.errors import ArticleError

    extra = (Paragraph(inlines=(Text("A box \ue001 here."),), line=17),
             Paragraph(inlines=(Text("A bell \x07."),), line=18))
    with pytest.raises(ArticleError) as caught:
        render_pdf(glyphs_document(tmp_path, *extra), Settings(out_dir=tmp_path), tmp_path / "glyphs.pdf")
    assert caught.value.line == 17
    assert "(U+E001, a private-use" in str(caught.value) and "nor for (U+0007) on line 18" in str(caught.value)
    assert not (tmp_path / "glyphs.pdf").exists()


def test_the_line_is_found_inside_a_long_paragraph_of_the_article(tmp_path):
    from pipeline.errors import ArticleError
    from pipeline.renderers.pdf import source_line

    source = tmp_path / "glyphs.md"
    source.write_text("---\ntitle: T\n---\n\nFirst line of a paragraph\nsecond line \ue000 here\nthird line.\n",
                      encoding="utf-8")
    extra = Paragraph(inlines=(Text("First line of a paragraph second line \ue000 here third line."),), line=5)
    document = glyphs_document(tmp_path, extra)
    assert source_line(document, "\ue000") == 6
    with pytest.raises(ArticleError, match=r"glyphs\.md:6: .*U\+E000"):
        render_pdf(document, Settings(out_dir=tmp_path), tmp_path / "glyphs.pdf")


def test_spaces_joiners_and_selectors_need_no_glyph():
    from pipeline.fonts import missing_characters

    invisible = "a\u00a0b\u2009c\u202fd\u200de\u00adf\u2764\ufe0fg\ufeffh\u200bi\u2060j\U000e0001"
    assert missing_characters(invisible) == []
    # Controls and the line separator print as a box whatever the font.
    assert missing_characters("a\x07b\x1bc\u2028d") == ["\x07", "\x1b", "\u2028"]


def test_without_the_fallback_fonts_installed_the_build_says_what_to_install(tmp_path, monkeypatch):
    import pipeline.fonts as fonts
    import pipeline.renderers.pdf as renderer
    from pipeline.errors import RenderError

    monkeypatch.setattr(fonts, "fallback_font_files", lambda: {})
    monkeypatch.setattr(renderer, "fallback_font_files", lambda: {})
    with pytest.raises(RenderError, match=r"fonts-noto-core, fonts-noto-cjk and fonts-symbola") as caught:
        render_pdf(glyphs_document(tmp_path), Settings(out_dir=tmp_path), tmp_path / "glyphs.pdf")
    assert caught.value.exit_code == 1 and "U+1FA7A" in str(caught.value)
    assert not (tmp_path / "glyphs.pdf").exists()


def render_with_notdef(tmp_path: Path, monkeypatch, keep: bool) -> Path:  # type: ignore[no-untyped-def]
    """Lay out U+E000 with the check before layout switched off, as if it had missed it."""
    import pipeline.renderers.pdf as renderer

    monkeypatch.setattr(renderer, "missing_characters", lambda text: [])
    if keep:
        monkeypatch.setattr(renderer, "refuse_notdef", lambda document, target, texts: None)
    extra = Paragraph(inlines=(Text("A box \ue000 here."),), line=17)
    target = tmp_path / "glyphs.pdf"
    render_pdf(glyphs_document(tmp_path, extra), Settings(out_dir=tmp_path), target)
    return target


def test_a_notdef_the_layout_draws_is_caught_after_layout(tmp_path, monkeypatch):
    from pipeline.errors import ArticleError

    target = tmp_path / "glyphs.pdf"
    target.write_bytes(b"%PDF- an earlier good handout")
    with pytest.raises(ArticleError, match=r"glyphs\.md:17: .*empty box \(\.notdef\).*U\+E000") as caught:
        render_with_notdef(tmp_path, monkeypatch, keep=False)
    assert caught.value.exit_code == 2
    assert target.read_bytes() == b"%PDF- an earlier good handout"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["glyphs.pdf"]


def test_handout_check_flags_the_notdef_weasyprint_draws(tmp_path, monkeypatch):
    from pipeline.checks.pdf import check_pdf

    path = render_with_notdef(tmp_path, monkeypatch, keep=True)
    # page-validation agrees that the file breaks PDF/UA-1.
    failures = [f.rule_id for f in page.validate_pdf(str(path), profile="ua1").failures]
    assert "PDFUA1-NOTDEF-GLYPH-001" in failures
    findings = {f.check: f for f in check_pdf(glyphs_document(tmp_path), tmp_path, Settings(out_dir=tmp_path))}
    assert findings["missing glyphs"].status == "fail"
    assert findings["missing glyphs"].figure == "1 .notdef"
    assert "page 1: U+E000 in " in findings["missing glyphs"].detail


def test_handout_check_flags_a_notdef_in_a_damaged_pdf(glyphs_pdf, tmp_path, sample_folder):
    from pipeline.checks.pdf import check_pdf

    damaged = tmp_path / "glyphs.pdf"
    with pikepdf.open(glyphs_pdf) as pdf:
        first = pdf.pages[0]
        instructions = pikepdf.parse_content_stream(first)
        for operands, operator in instructions:
            if str(operator) == "TJ":
                strings = [i for i, item in enumerate(operands[0]) if isinstance(item, pikepdf.String)]
                operands[0][strings[0]] = pikepdf.String(b"\x00\x00")  # glyph 0 in an Identity-H font
                break
        first.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))
        pdf.save(damaged)
    findings = {f.check: f for f in check_pdf(glyphs_document(sample_folder), tmp_path, Settings(out_dir=tmp_path))}
    assert findings["missing glyphs"].status == "fail" and findings["missing glyphs"].figure == "1 .notdef"
    assert findings["typeface"].status == "pass"


def hand_made_pdf(path: Path, shown: bytes, make_font) -> Path:  # type: ignore[no-untyped-def]
    """A one-page PDF that shows ``shown`` in the font ``make_font(pdf)``, made without a layout engine."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(612, 792))
    first = pdf.pages[0]
    first.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=pdf.make_indirect(make_font(pdf))))
    first.Contents = pdf.make_stream(b"BT /F1 18 Tf 72 700 Td <" + shown.hex().encode() + b"> Tj ET")
    pdf.save(path)
    return path


def composite_font(pdf: pikepdf.Pdf, cmap: bytes = b"", unicode_map: bytes = b"") -> pikepdf.Dictionary:
    """A Type 0 font: Identity-H, or the CMap given (CID ranges), with a ToUnicode map if given."""
    font = pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type0, BaseFont=pikepdf.Name("/Hand-Made"),
        Encoding=pdf.make_stream(cmap) if cmap else pikepdf.Name("/Identity-H"),
        DescendantFonts=pikepdf.Array([pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.CIDFontType2, BaseFont=pikepdf.Name("/Hand-Made"),
            CIDToGIDMap=pikepdf.Name.Identity)]))
    if unicode_map:
        font.ToUnicode = pdf.make_stream(unicode_map)
    return font


def test_notdef_glyphs_are_found_in_hand_made_pdfs(tmp_path):
    from pipeline.fonts import notdef_glyphs

    def found(path: Path) -> list[tuple[int, str, str]]:
        with pikepdf.open(path) as pdf:
            return [(box.page, box.font, box.text) for box in notdef_glyphs(pdf)]

    # Identity-H: two bytes a glyph, glyph 0 is .notdef.
    assert found(hand_made_pdf(tmp_path / "a.pdf", b"\x00\x24\x00\x00\x00\x25", composite_font)) == [
        (1, "Hand-Made", "")]
    assert found(hand_made_pdf(tmp_path / "b.pdf", b"\x00\x24\x00\x25", composite_font)) == []
    # WeasyPrint's way: a CMap of its own sends an unused code to CID 0, and ToUnicode names the character.
    space = b"1 begincodespacerange\n<0000> <ffff>\nendcodespacerange\n"
    cmap = space + b"2 begincidchar\n<0024> 36\n<0171> 0\nendcidchar\n1 begincidrange\n<0030> <0039> 48\nendcidrange"
    unicode_map = space + b"1 beginbfchar\n<0171> <e000>\nendbfchar"

    def weasyprint_font(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
        return composite_font(pdf, cmap, unicode_map)

    assert found(hand_made_pdf(tmp_path / "c.pdf", b"\x00\x24\x00\x31\x01\x71", weasyprint_font)) == [
        (1, "Hand-Made", "\ue000")]
    # A code the CMap does not map also draws CID 0.
    assert found(hand_made_pdf(tmp_path / "d.pdf", b"\x00\x24\x00\x40", weasyprint_font)) == [(1, "Hand-Made", "")]
    assert found(hand_made_pdf(tmp_path / "e.pdf", b"\x00\x24\x00\x39", weasyprint_font)) == []

    # A simple font whose /Differences name the glyph .notdef.
    def simple_font(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
        differences = pikepdf.Array([65, pikepdf.Name("/.notdef")])
        return pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.TrueType, BaseFont=pikepdf.Name("/Old"),
                                  Encoding=pikepdf.Dictionary(Differences=differences))

    assert found(hand_made_pdf(tmp_path / "f.pdf", b"BAB", simple_font)) == [(1, "Old", "")]


def test_the_check_flags_a_notdef_in_a_hand_made_pdf(tmp_path, sample_folder):
    from pipeline.checks.pdf import check_pdf

    hand_made_pdf(tmp_path / "glyphs.pdf", b"\x00\x24\x00\x00", composite_font)
    findings = {f.check: f for f in check_pdf(glyphs_document(sample_folder), tmp_path, Settings(out_dir=tmp_path))}
    assert findings["missing glyphs"].status == "fail"
    assert findings["missing glyphs"].detail == "page 1: a character the PDF does not name in Hand-Made"


# ---------------------------------------------------------------- the command line


def test_the_command_line_stops_with_status_2_and_keeps_the_earlier_pdf(tmp_path):
    from click.testing import CliRunner

    from pipeline.cli import main

    source = tmp_path / "source" / "glyphs.md"
    source.parent.mkdir()
    text = GLYPHS_ARTICLE.read_text(encoding="utf-8")
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    arguments = ["build", str(source), "--out", str(out), "--format", "pdf"]
    first = CliRunner().invoke(main, arguments)
    assert first.exit_code == 0, first.output
    built = out / "glyphs" / "glyphs.pdf"
    good = built.read_bytes()
    lines = text.split("\n")
    number = lines.index("## Before the visit") + 2  # the line after the blank line under the heading
    lines[number] = "Keep the list in the basket \U0001f9fa by the door \ue000."
    source.write_text("\n".join(lines), encoding="utf-8")
    second = CliRunner().invoke(main, arguments)
    assert second.exit_code == 2, second.output
    assert f"{source}:{number + 1}: " in second.output
    assert '"\U0001f9fa" (U+1F9FA BASKET)' in second.output and "U+E000" in second.output
    assert built.read_bytes() == good
    assert sorted(p.name for p in built.parent.iterdir() if not p.name.startswith(".")) == ["glyphs.pdf"]


def test_the_command_line_writes_no_pdf_for_a_new_article_with_such_a_character(tmp_path):
    from click.testing import CliRunner

    from pipeline.cli import main

    source = tmp_path / "fresh.md"
    source.write_text('---\ntitle: "New"\n---\n\nA sign \ue000 we made up.\n\n'
                      "Disclaimer: For information only.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(source), "--out", str(tmp_path / "out"), "--format", "pdf"])
    assert result.exit_code == 2, result.output
    assert f"{source}:5: no font of the large-print PDF has a glyph for the character (U+E000" in result.output
    assert not list((tmp_path / "out").rglob("*.pdf"))


# ---------------------------------------------------------------- pictures


@pytest.fixture(scope="module")
def pictures_pdf(render, sample_folder) -> Path:
    from conftest import picture_document

    return render("pictures", picture_document(sample_folder))


def test_each_picture_is_a_figure_with_its_description_and_caption_and_a_box(pictures_pdf):
    with pikepdf.open(pictures_pdf) as pdf:
        figures = [element for _, element in struct_elements(pdf) if struct_role(element) == "Figure"]
        assert [str(f.Alt) for f in figures] == [
            "A hand holding an inhaler upright, mouthpiece at the bottom", "A person breathing out",
            "Picture with no description"]
        for figure in figures:
            box = [float(v) for v in figure.A.BBox]
            assert box[2] > box[0] and box[3] > box[1]
        roles = [role for _, role, _ in structure(pictures_pdf)]
        assert roles.index("Figure") < roles.index("Caption")
    assert "Step 1: hold it upright" in extracted_text(pictures_pdf)


def test_a_decorative_picture_is_an_artifact_drawn_but_not_in_the_tree(pictures_pdf):
    from pipeline.checks.pdf import _drawn_pictures

    with pikepdf.open(pictures_pdf) as pdf:
        assert _drawn_pictures(pdf) == {"tagged": 3, "artifact": 1, "untagged": 0}
        layout = [operands for page in pdf.pages for operands, operator in pikepdf.parse_content_stream(page, "BDC")
                  if str(operands[0]) == "/Artifact" and str(operands[1].get("/Type")) == "/Layout"]
        assert len(layout) == 1


def test_a_picture_at_a_web_address_is_never_fetched_and_printed_as_its_description(pictures_pdf):
    assert "[Picture: A chart of your doses]" in extracted_text(pictures_pdf)


def test_pictures_are_as_large_as_their_sources_and_sharpness_allow_and_never_split(pictures_pdf):
    from conftest import picture_document

    from pipeline.model import pictures_in
    from pipeline.pictures import print_size

    document = picture_document(pictures_pdf.parent)
    wanted = [print_size(image.picture) for image in pictures_in(document.sections[1].blocks)
              if image.picture is not None]
    with pdfplumber.open(pictures_pdf) as pdf:
        drawn = [(image["width"] / 72, image["height"] / 72, image["top"], image["bottom"], page.height)
                 for page in pdf.pages for image in page.images]
    # The one in a list item has the item's indent less room: narrower, the same shape.
    listed = drawn.pop(1)
    assert listed[0] < wanted[1][0] and listed[0] / listed[1] == pytest.approx(wanted[1][0] / wanted[1][1], rel=0.01)
    assert [(w, h) for w, h, *_ in drawn] == [pytest.approx(size, abs=0.01) for size in wanted[:1] + wanted[2:]]
    # The upright photo: 900 pixels sharp up to 6 in, more than its 2.5 in in the source, too tall at 8 in, so it
    # fits the page with room for its caption.
    assert wanted[0] == (5.175, 6.9)
    for _w, _h, top, bottom, height in drawn:
        assert MARGIN - 1 <= top and bottom <= height - MARGIN  # inside one page's text area


def test_the_check_counts_figures_and_fails_a_picture_nobody_described(pictures_pdf, sample_folder):
    from conftest import picture_document

    from pipeline.checks.pdf import check_pdf

    folder = pictures_pdf.parent
    document = picture_document(sample_folder, slug="pictures")
    findings = {f.check: f for f in check_pdf(document, folder, Settings(out_dir=folder))}
    described = findings["pictures described (PDF/UA-1 7.3)"]
    assert described.status == "fail"
    assert described.figure == "4 pictures: 2 described, 1 decorative, 1 with no description"
    assert "View Alt Text" in described.detail
    assert findings["pictures tagged"].status == "pass"
    # The placeholder is an alternative text: the validators accept the file, the check does not.
    assert findings["PDF/UA-1 (page-validation)"].status == "pass"


def test_validators_find_nothing_in_a_pdf_with_described_and_decorative_pictures(render, sample_folder):
    from conftest import picture_document

    path = render("described", picture_document(sample_folder, slug="described", undescribed=False))
    assert page.validate_pdf(str(path), profile="ua1").failures == []
    outloud = outloud_report(path)
    findings = [(f["rule"], f["message"]) for f in outloud["findings"]]
    assert outloud["counts"]["error"] == 0 and outloud["counts"]["warning"] == 0, findings


def test_without_the_decorative_repair_the_validators_object(tmp_path, monkeypatch):
    """The repair is what makes a decorative picture acceptable: without it, a Figure has no alternative."""
    from conftest import picture_document

    import pipeline.pdf_tags as tags

    monkeypatch.setattr(tags, "_untag_decorative_figures", lambda document, pages: set())
    target = tmp_path / "raw.pdf"
    render_pdf(picture_document(tmp_path, undescribed=False), Settings(out_dir=tmp_path), target)
    rules = [f.rule_id for f in page.validate_pdf(str(target), profile="ua1").failures]
    assert "PDFUA1-FIGURE-ALTERNATIVE-TEXT-001" in rules


# ---------------------------------------------------------------- numbers kept on one line


@pytest.mark.parametrize(("lang", "written", "printed"), [
    ("fr", "sans dépasser 4 000 mg par jour : pas plus", "sans dépasser 4\u00a0000\u00a0mg par jour\u00a0: pas plus"),
    ("es", "más de 38 °C o 12 500 personas", "más de 38\u00a0°C o 12\u00a0500 personas"),
    ("en", "Take 500 mg at 8 h, 10 % less: 1 2 3", "Take 500\u00a0mg at 8\u00a0h, 10\u00a0% less: 1 2 3"),
])
def test_a_number_keeps_its_groups_and_unit_and_french_its_colon_on_one_line(lang: str, written: str,
                                                                             printed: str) -> None:
    from pipeline.templating import together

    assert together(written, lang) == printed


def test_no_line_of_the_large_print_ends_inside_a_dose(render, sample_folder: Path) -> None:  # type: ignore[no-untyped-def]
    # One paragraph a length of lead-in, so that without the no-break spaces some "4 000 mg" would reach
    # the end of a line at every place it can break.
    paragraphs = tuple(para("Prenez " + "un peu " * n + "sans dépasser 4 000 mg par jour.") for n in range(14))
    document = replace(make_document(sample_folder, lang="fr-CA"),
                       sections=(Section(heading="Doses", level=2, anchor="doses", blocks=paragraphs),))
    with pdfplumber.open(render("doses", document)) as pdf:
        lines = [line for page_ in pdf.pages for line in (page_.extract_text() or "").splitlines()]
    doses = [line for line in lines if "mg" in line or "000" in line]
    assert doses and all(re.search(r"4\s000\smg", line) for line in doses), doses
