"""Tests for the plain-language page, from hand-built Documents, by parsing the HTML.

The golden file tests/golden/sample-plain.html holds the page for
conftest.make_document(plain=True) with the stylesheet left out. After a
deliberate change to the page, regenerate it with:

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_html.py -k golden

and read the diff before committing it.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import replace
from pathlib import Path

import lxml.html
import pytest
from conftest import DISCLAIMER_TEXT, make_document, para

from pipeline.model import Disclaimer, Edition, Glossary, Link, Paragraph, Section, Text
from pipeline.renderers.html import HtmlRenderer, page_html, page_reading_units
from pipeline.settings import Settings
from pipeline.text.readability import reading_report, words_of

GOLDEN = Path(__file__).parent / "golden" / "sample-plain.html"


def parse(html: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(html)


def text_of(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


@pytest.fixture
def plain_page(tmp_path: Path, settings: Settings) -> lxml.html.HtmlElement:
    return parse(page_html(make_document(tmp_path, plain=True), settings))


def test_page_structure(plain_page: lxml.html.HtmlElement) -> None:
    root = plain_page
    assert root.get("lang") == "en"
    assert root.findtext(".//title") == "Sleep: what you can do"
    assert [text_of(h) for h in root.iter("h1")] == ["Sleep: what you can do"]
    for landmark in ("header", "main", "footer"):
        assert len(root.findall(f".//{landmark}")) == 1, landmark
    skip = root.body[0]
    assert skip.tag == "a" and skip.get("href") == "#main"
    assert root.get_element_by_id("main").tag == "main"
    levels = [int(h.tag[1]) for h in root.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    assert levels[0] == 1 and all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))
    key_points = root.xpath("//section[@aria-labelledby='key-points-heading']")[0]
    assert [text_of(li) for li in key_points.xpath(".//ul/li")] == ["Go to bed at the same time."]


def test_page_is_self_contained(plain_page: lxml.html.HtmlElement, tmp_path: Path, settings: Settings) -> None:
    assert plain_page.xpath("//script") == []
    assert plain_page.xpath("//link") == []
    css = "".join(plain_page.xpath("//style/text()"))
    assert "@import" not in css
    assert re.findall(r"url\((?!\"data:)", css) == []
    assert "@media (prefers-color-scheme: dark)" in css and "@media print" in css
    assert re.search(r"line-height:\s*1\.6", css) and "font-size: 125%" in css


def test_every_value_is_escaped_and_javascript_links_dropped(tmp_path: Path, settings: Settings) -> None:
    evil = "<script>alert(1)</script>"
    document = make_document(tmp_path, plain=True)
    edition = replace(document.plain, title=f"Title {evil}", sections=(
        Section(heading=f"Heading {evil}", level=2, anchor="h", blocks=(
            Paragraph(inlines=(Text("Fish & chips <b>bold</b> "),
                               Link("javascript:alert(1)", (Text("click me"),)),
                               Text(" "), Link("https://example.org/?a=1&b=2", (Text("safe"),)))),)),),
        disclaimer_in_plain_words=f"Plain {evil}")
    document = replace(document, plain=edition, title=f"Original {evil}",
                       disclaimer=Disclaimer(text=f"Disclaimer {evil}"))
    html = page_html(document, settings)
    root = parse(html)
    assert root.xpath("//script") == [] and root.xpath("//b") == []
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert root.findtext(".//title") == f"Title {evil}"
    assert text_of(root.get_element_by_id("h")) == f"Heading {evil}"
    paragraph = root.xpath("//main//p[contains(., 'Fish')]")[0]
    assert text_of(paragraph).startswith("Fish & chips <b>bold</b> click me")
    assert [a.get("href") for a in paragraph.iter("a")] == ["https://example.org/?a=1&b=2"]
    assert evil in text_of(root.xpath("//p[@class='disclaimer-text']")[0])
    assert evil in text_of(root.find(".//footer"))


def test_disclaimer_verbatim_in_its_own_labelled_section_with_plain_words_beside(
        tmp_path: Path, settings: Settings) -> None:
    document = make_document(tmp_path, plain=True)
    document = replace(document, plain=replace(document.plain, disclaimer_in_plain_words="Ask your doctor."))
    root = parse(page_html(document, settings))
    section = root.xpath("//main/section[@aria-labelledby='disclaimer-heading']")[0]
    assert text_of(root.get_element_by_id("disclaimer-heading")) == "Disclaimer"
    assert text_of(section.xpath("p[@class='disclaimer-text']")[0]) == DISCLAIMER_TEXT
    assert text_of(section.xpath("p[@class='disclaimer-plain']")[0]) == "In plain words: Ask your doctor."


def test_audio_player_download_link_and_captions(tmp_path: Path) -> None:
    document = make_document(tmp_path, plain=True)
    settings = Settings(out_dir=tmp_path / "out", formats=("html", "audio"))
    root = parse(page_html(document, settings))
    audio = root.xpath("//audio")[0]
    assert audio.get("src") == "sample.mp3" and audio.get("controls") is not None
    label = root.get_element_by_id(audio.get("aria-labelledby"))
    assert text_of(label) == "Listen to this page"
    assert "read out loud" in text_of(root.get_element_by_id(audio.get("aria-describedby")))
    assert root.xpath("//a[@download]/@href") == ["sample.mp3"]
    # The audio edition, made alongside the page, writes its captions with it.
    track = root.xpath("//audio/track")[0]
    assert (track.get("kind"), track.get("src"), track.get("srclang")) == ("captions", "sample.vtt", "en")
    # A page built on its own links the audio and captions only when an earlier build left them.
    page_only = Settings(out_dir=tmp_path / "out", formats=("html",))
    assert parse(page_html(document, page_only)).xpath("//audio") == []
    (tmp_path / "out" / "sample").mkdir(parents=True)
    (tmp_path / "out" / "sample" / "sample.mp3").write_bytes(b"")
    assert parse(page_html(document, page_only)).xpath("//audio/track") == [], "no captions file, so no track"
    (tmp_path / "out" / "sample" / "sample.vtt").write_text("WEBVTT\n", encoding="utf-8")
    assert parse(page_html(document, page_only)).xpath("//audio/track/@src") == ["sample.vtt"]


def test_no_audio_section_without_an_audio_edition(tmp_path: Path) -> None:
    settings = Settings(out_dir=tmp_path / "out", formats=("html",))
    root = parse(page_html(make_document(tmp_path, plain=True), settings))
    assert root.xpath("//audio") == [] and root.xpath("//a[@download]") == []


def test_glossary_terms_defined_and_abbreviations_spelled_out_on_first_use(
        tmp_path: Path, settings: Settings) -> None:
    document = make_document(tmp_path, plain=True)
    document = replace(
        document,
        glossary=Glossary(terms=(("melatonin", "a sleep hormone"),), abbreviations=(("REM", "rapid eye movement"),)),
        plain=replace(document.plain, sections=(Section(heading="About REM", level=2, anchor="r", blocks=(
            para("Melatonin can help. REM sleep matters."),
            para("Take melatonin at night. Dreams come in REM sleep."))),)))
    root = parse(page_html(document, settings))
    first, second = root.xpath("//main/p[contains(., 'elatonin')]")
    assert [text_of(d) for d in first.iter("dfn")] == ["Melatonin"]
    assert text_of(first).startswith("Melatonin (a sleep hormone) can help.")
    # Spelled out where it opens a sentence, the words take the sentence's capital.
    assert "can help. Rapid eye movement (REM) sleep matters." in text_of(first)
    assert [(a.get("title"), text_of(a)) for a in first.iter("abbr")] == [("Rapid eye movement", "REM")]
    assert list(second.iter("dfn")) == [] and "hormone" not in text_of(second)
    assert [a.get("title") for a in second.iter("abbr")] == ["rapid eye movement"]
    assert "rapid eye movement (" not in text_of(second)
    assert root.xpath("//h2[.='About REM']"), "headings are left as written"


def test_article_without_plain_edition_gets_a_labelled_automatic_draft(tmp_path: Path, settings: Settings) -> None:
    document = make_document(tmp_path)
    document = replace(document, glossary=Glossary(plain_words=(("regular", "set"),)))
    root = parse(page_html(document, settings))
    assert "No person has checked it yet" in text_of(root.xpath("//header/p[@class='notice']")[0])
    assert root.findtext(".//h1") == "Sleeping Well After Surgery"
    assert "Keep a set bedtime" in text_of(root.find(".//main"))
    assert text_of(root.xpath("//p[@class='disclaimer-text']")[0]) == DISCLAIMER_TEXT


def test_render_writes_the_page_and_its_readability_report(tmp_path: Path, settings: Settings) -> None:
    out = tmp_path / "staging"
    out.mkdir()
    files = HtmlRenderer().render(make_document(tmp_path), settings, out)
    assert [f.name for f in files] == ["sample.html", "sample.readability.json"]
    report = json.loads(files[1].read_text(encoding="utf-8"))
    assert report["edition"] == "automatic draft"
    assert report["page"]["hardest_sentences"] and report["original_article"]["grade"] > 0
    # The figures are the page's own: its words, not the article's or the disclaimer's.
    page_words = len(words_of(" ".join(page_reading_units(files[0].read_text(encoding="utf-8")))))
    assert report["page"]["words"] == page_words and DISCLAIMER_TEXT not in json.dumps(report)


def test_reading_units_leave_out_only_the_verbatim_disclaimer(tmp_path: Path, settings: Settings) -> None:
    document = make_document(tmp_path, plain=True)
    document = replace(document, plain=replace(document.plain, disclaimer_in_plain_words="Ask your doctor."))
    units = page_reading_units(page_html(document, settings))
    assert units[0] == "Sleep: what you can do"
    assert "Go to bed at the same time." in units and "You can keep a set bedtime." in units
    assert "In plain words: Ask your doctor." in units
    assert DISCLAIMER_TEXT not in " ".join(units)
    assert not any("From the article" in u or "Skip to" in u for u in units)
    # Every unit ends a sentence; one unit may hold several.
    assert reading_report(units).sentences == len(units) + 1


def _without_stylesheet(html: str) -> str:
    return re.sub(r"<style>.*?</style>", "<style>/* page.css and embedded fonts */</style>", html, flags=re.S)


def test_golden_page(tmp_path: Path) -> None:
    # A fixed folder keeps tmp_path out of the Document, so the page is the same on every machine.
    document = make_document(Path("/golden"), plain=True)
    html = _without_stylesheet(page_html(document, Settings(out_dir=tmp_path / "out")))
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(html, encoding="utf-8")
    assert html == GOLDEN.read_text(encoding="utf-8"), (
        "the page changed; if that was meant, regenerate: "
        "UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_html.py -k golden")


def test_edition_summary_paragraphs_are_the_main_message(tmp_path: Path, settings: Settings) -> None:
    document = make_document(tmp_path, plain=True)
    edition = document.plain
    assert isinstance(edition, Edition)
    document = replace(document, plain=replace(edition, summary=(para("You can sleep better."), *edition.summary)))
    root = parse(page_html(document, settings))
    main = root.find(".//main")
    assert text_of(main[0]) == "You can sleep better." and main[0].get("class") == "main-message"
    assert main[1].get("class") == "key-points"


# ---------------------------------------------------------------- pictures


def test_pictures_are_figures_inside_the_page_described_captioned_or_decorative(tmp_path: Path,
                                                                               settings: Settings) -> None:
    import base64
    import io

    from conftest import picture_document
    from photos import private_traces
    from PIL import Image

    html = page_html(picture_document(tmp_path), settings)
    root = parse(html)
    figures = root.xpath("//main//figure[@class='picture']")
    assert [figure.xpath("img/@alt")[0] for figure in figures] == [
        "A hand holding an inhaler upright, mouthpiece at the bottom", "A person breathing out",
        "Picture with no description"]
    assert [text_of(c) for c in root.xpath("//main//figcaption")] == ["Step 1: hold it upright"]
    (decorative,) = root.xpath("//main//div[contains(@class, 'decorative')]/img")
    assert decorative.get("alt") == ""
    assert "[Picture: A chart of your doses]" in text_of(root.xpath("//main")[0])  # at a web address: not fetched
    for img in root.xpath("//main//img"):
        src = img.get("src")
        assert src.startswith(("data:image/jpeg;base64,", "data:image/png;base64,"))
        data = base64.b64decode(src.split(",", 1)[1])
        with Image.open(io.BytesIO(data)) as image:
            assert image.size == (int(img.get("width")), int(img.get("height")))
            assert image.size[0] <= 1600
        assert private_traces(data) == []


def test_a_page_with_pictures_says_how_large_it_is(tmp_path: Path, settings: Settings) -> None:
    from conftest import picture_document

    from pipeline.renderers.html import readable_size

    html = page_html(picture_document(tmp_path), settings)
    (stated,) = re.findall(r"This page, with its pictures, is ([\d.,]+ [KM]B)\.", html)
    assert stated == readable_size(len(html.encode("utf-8")), "en")
    assert "with its pictures" not in page_html(make_document(tmp_path), settings)
    spanish = page_html(picture_document(tmp_path, lang="es"), settings)
    assert re.search(r"Esta página, con sus imágenes, ocupa \d+ KB\.", spanish)
    assert 'alt="Imagen sin descripción"' in spanish
    assert readable_size(1_234_567, "es") == "1,2 MB" and readable_size(1_234_567, "en") == "1.2 MB"


def test_the_check_fails_a_picture_nobody_described_and_passes_described_ones(tmp_path: Path) -> None:
    from conftest import picture_document

    from pipeline.checks import Recorder
    from pipeline.checks.html import _check_pictures

    for undescribed, status in ((True, "fail"), (False, "pass")):
        document = picture_document(tmp_path, undescribed=undescribed)
        record = Recorder("html", tmp_path / "page.html")
        _check_pictures(record, document, page_html(document, Settings(out_dir=tmp_path)))
        findings = {f.check: f for f in record.findings}
        assert findings["pictures described (WCAG 1.1.1)"].status == status
        assert findings["pictures inside the page"].status == "pass"
    assert findings["pictures described (WCAG 1.1.1)"].figure == "3 pictures: 2 described, 1 decorative"
