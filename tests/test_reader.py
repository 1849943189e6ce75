"""The reader: Markdown with front matter in, a Document out, or a clear error."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SEED_ARTICLE

from pipeline.errors import ArticleError
from pipeline.model import (
    Emphasis,
    Link,
    ListBlock,
    Strong,
    Table,
    Text,
    plain_text,
    section_texts,
)
from pipeline.readers import find_articles, read_article

DISCLAIMER = "For information only. Ask your doctor."


def write(tmp_path: Path, text: str | bytes, name: str = "article.md") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def article(body: str, front: str = "title: A Title\n") -> str:
    return f"---\n{front}---\n{body}"


def test_front_matter_gives_title_lang_and_disclaimer(tmp_path: Path) -> None:
    path = write(tmp_path, article("Some text.\n", f"title: Sleep well\nlang: es\ndisclaimer: {DISCLAIMER}\n"))
    doc = read_article(path)
    assert doc.title == "Sleep well"
    assert doc.lang == "es"
    assert doc.disclaimer.text == DISCLAIMER
    assert doc.slug == "article"


def test_lang_defaults_to_english(tmp_path: Path) -> None:
    doc = read_article(write(tmp_path, article("Text.\n\nDisclaimer: Be careful.\n")))
    assert doc.lang == "en"


def test_closing_disclaimer_paragraph_becomes_its_own_node(tmp_path: Path) -> None:
    doc = read_article(write(tmp_path, article("Body text.\n\nDisclaimer: Be careful. Ask first.\n")))
    assert doc.disclaimer.text == "Be careful. Ask first."
    assert doc.disclaimer.label == "Disclaimer"
    # The disclaimer is lifted out of the body, so no renderer shows it twice.
    assert all("Be careful" not in t for t in section_texts(doc.sections))


def test_bold_disclaimer_label_is_recognised(tmp_path: Path) -> None:
    doc = read_article(write(tmp_path, article("Body.\n\n**Disclaimer:** Be careful.\n")))
    assert doc.disclaimer.text == "Be careful."


def test_disclaimer_in_the_middle_is_ordinary_text(tmp_path: Path) -> None:
    path = write(tmp_path, article("Disclaimer: early.\n\nBody.\n"))
    with pytest.raises(ArticleError, match="no disclaimer"):
        read_article(path)


def test_headings_become_sections_without_skipped_levels(tmp_path: Path) -> None:
    body = "Intro.\n\n## One\n\nA.\n\n#### Deep\n\nB.\n\n## Two\n\nC.\n\nDisclaimer: D.\n"
    doc = read_article(write(tmp_path, article(body)))
    assert [(s.heading, s.level) for s in doc.sections] == [
        (None, 2), ("One", 2), ("Deep", 3), ("Two", 2)]
    assert [s.anchor for s in doc.sections[1:]] == ["one", "deep", "two"]


def test_single_hash_headings_sit_under_the_title(tmp_path: Path) -> None:
    doc = read_article(write(tmp_path, article("# Part\n\nText.\n\nDisclaimer: D.\n")))
    assert doc.sections[0].level == 2


def test_lists_keep_numbering_and_nesting(tmp_path: Path) -> None:
    body = "3. first\n4. second\n   - inner\n\nDisclaimer: D.\n"
    doc = read_article(write(tmp_path, article(body)))
    block = doc.sections[0].blocks[0]
    assert isinstance(block, ListBlock) and block.ordered and block.start == 3
    assert len(block.items) == 2
    inner = block.items[1].blocks[1]
    assert isinstance(inner, ListBlock) and not inner.ordered


def test_tables_have_header_and_rows(tmp_path: Path) -> None:
    body = "| Drug | Dose |\n|:-----|-----:|\n| A | 1 mg |\n| B | 2 mg |\n\nDisclaimer: D.\n"
    doc = read_article(write(tmp_path, article(body)))
    table = doc.sections[0].blocks[0]
    assert isinstance(table, Table)
    assert [plain_text(c.inlines) for c in table.header] == ["Drug", "Dose"]
    assert [[plain_text(c.inlines) for c in row] for row in table.rows] == [["A", "1 mg"], ["B", "2 mg"]]
    assert [c.align for c in table.header] == ["left", "right"]


def test_inline_formatting_and_links(tmp_path: Path) -> None:
    doc = read_article(write(tmp_path, article("A **bold** and *soft* [link](https://x.org).\n\nDisclaimer: D.\n")))
    inlines = doc.sections[0].blocks[0].inlines  # type: ignore[union-attr]
    kinds = [type(node) for node in inlines]
    assert kinds == [Text, Strong, Text, Emphasis, Text, Link, Text]
    assert inlines[5].href == "https://x.org"  # type: ignore[union-attr]


def test_raw_html_stays_text(tmp_path: Path) -> None:
    doc = read_article(write(tmp_path, article("<script>alert(1)</script>\n\nHi <b>there</b>.\n\nDisclaimer: D.\n")))
    texts = list(section_texts(doc.sections))
    assert "<script>alert(1)</script>" in texts
    assert "Hi <b>there</b>." in texts


def test_seed_article_keeps_every_sentence_of_the_author(tmp_path: Path) -> None:
    doc = read_article(SEED_ARTICLE)
    # The article exactly as its author published it on the web.
    seed = Path(__file__).parent / "fixtures" / "ketamine-ptsd-article.txt"
    words = " ".join(section_texts(doc.sections)) + " " + doc.disclaimer.text
    for line in seed.read_text(encoding="utf-8").splitlines():
        line = line.replace("\xa0", " ").strip()
        if not line or line == "Skip to main content":
            continue
        line = line.split(". ", 1)[1] if line[:2].rstrip(".").isdigit() else line
        line = line.removeprefix("Disclaimer: ")
        assert line in words, line
    assert [s.heading for s in doc.sections][1:3] == ["Understanding PTSD", "Traditional Treatments for PTSD"]
    findings = [b for s in doc.sections for b in s.blocks if isinstance(b, ListBlock)]
    assert len(findings) == 1 and findings[0].ordered and len(findings[0].items) == 3


def test_plain_edition_is_read_beside_the_article(tmp_path: Path) -> None:
    write(tmp_path, article("Original.\n\nDisclaimer: D.\n"))
    write(tmp_path, "---\ntitle: Easy words\n---\n- Key point.\n\n## Part\n\nYou can.\n", "article.plain.md")
    doc = read_article(tmp_path / "article.md")
    assert doc.plain is not None
    assert doc.plain.title == "Easy words"
    assert isinstance(doc.plain.summary[0], ListBlock)
    assert [s.heading for s in doc.plain.sections] == ["Part"]


def test_folder_search_skips_plain_editions(tmp_path: Path) -> None:
    write(tmp_path, article("A.\n\nDisclaimer: D.\n"), "a.md")
    write(tmp_path, article("A.\n"), "a.plain.md")
    write(tmp_path, "notes", "notes.txt")
    assert [p.name for p in find_articles([tmp_path])] == ["a.md"]


# ------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("content", "problem", "line"),
    [
        ("", "the file is empty", None),
        ("   \n\n", "the file is empty", None),
        ("Just text.\n", "no front matter", 1),
        ("---\ntitle: x\n", "never closed", 1),
        (article("Text.\n\nDisclaimer: D.\n", "lang: en\n"), "no title", 2),
        (article("Text.\n", "title: T\n"), "no disclaimer", None),
        (article("Text.\n\nDisclaimer: D.\n", "title: T\nlang: en\n  bad: [\n"), "not valid YAML", None),
        (article("Text.\n\nDisclaimer: D.\n", "title: [unclosed\n"), "not valid YAML", None),
        (article("Text.\n\nDisclaimer: D.\n", "- a list\n"), "key: value", 2),
        (article("Text.\n\nDisclaimer: D.\n", "title: T\nlang: 'not a language'\n"), "language tag", 2),
        (article("Text.\n\nDisclaimer: D.\n", "title: T\ndisclaimer: E\n"), "two different disclaimers", 7),
        (article("Disclaimer: D.\n"), "no text besides its disclaimer", None),
    ],
)
def test_bad_input_is_a_clear_error(tmp_path: Path, content: str, problem: str, line: int | None) -> None:
    path = write(tmp_path, content)
    with pytest.raises(ArticleError) as caught:
        read_article(path)
    error = caught.value
    assert problem in error.problem
    assert error.path == path
    assert error.fix
    if line is not None:
        assert error.line == line
    assert str(error).startswith(f"{path}")
    assert "\n" not in str(error)


def test_yaml_error_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "---\ntitle: T\nlang: en\ndisclaimer: \"open\n---\nText.\n")
    with pytest.raises(ArticleError) as caught:
        read_article(path)
    assert caught.value.line is not None and caught.value.line >= 4


def test_a_windows_ansi_file_is_read_with_a_warning_naming_the_encoding(tmp_path: Path) -> None:
    path = write(tmp_path, "---\ntitle: Caf\u00e9\n---\nDo not smoke \u2013 ask us.\n\nDisclaimer: Ask.\n"
                 .encode("cp1252"))
    document = read_article(path)
    assert document.title == "Caf\u00e9"
    assert any("read as Windows-1252" in w and "line 2 reads 'Caf\u00e9'" in w
               for w in document.warnings), document.warnings


def test_a_utf8_file_with_one_line_in_another_encoding_is_refused_not_misread(tmp_path: Path) -> None:
    # Its byte-order mark says UTF-8: reading it all as Windows text would garble every other accent.
    path = write(tmp_path, "\ufeff---\ntitle: Caf\u00e9\n---\nA\u00f1o.\n".encode() + b"Ni\xf1o.\n\nDisclaimer: Ask.\n")
    with pytest.raises(ArticleError) as caught:
        read_article(path)
    assert caught.value.line == 5
    assert "byte 0xf1 is not UTF-8 text" in caught.value.problem and "UTF-8 again" in caught.value.fix


def test_binary_bytes_are_refused_with_their_line(tmp_path: Path) -> None:
    path = write(tmp_path, b"---\ntitle: T\n---\nCaf\xe9\x02\x81 au lait.\n")
    with pytest.raises(ArticleError) as caught:
        read_article(path)
    assert "binary data" in caught.value.problem
    assert caught.value.line == 4
    assert "UTF-8" in caught.value.fix


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ArticleError, match="no such file"):
        read_article(tmp_path / "gone.md")


def test_oversized_source_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, article("word " * 250_000 + "\n\nDisclaimer: D.\n"))
    with pytest.raises(ArticleError, match="limit"):
        read_article(path)


def test_file_name_must_make_a_safe_slug(tmp_path: Path) -> None:
    path = write(tmp_path, article("A.\n\nDisclaimer: D.\n"), "bad name!.md")
    with pytest.raises(ArticleError, match="cannot be used to name"):
        read_article(path)


def test_plain_edition_may_not_change_the_disclaimer(tmp_path: Path) -> None:
    write(tmp_path, article("Original.\n\nDisclaimer: D.\n"))
    write(tmp_path, "---\ntitle: Easy\n---\nYou can.\n\nDisclaimer: Something else.\n", "article.plain.md")
    with pytest.raises(ArticleError, match="differs") as caught:
        read_article(tmp_path / "article.md")
    assert caught.value.path.name == "article.plain.md"


# ------------------------------------------------------------ fuzzing

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

FRONT_VALUES = st.one_of(st.text(max_size=40), st.integers(), st.none(), st.booleans(),
                         st.lists(st.text(max_size=5), max_size=3), st.just("[unclosed"), st.just("a: b: c"))
MARKDOWN_BITS = st.sampled_from([
    "# ", "## ", "### ", "- ", "1. ", "> ", "**", "*", "_", "`", "```\n", "|", "|---|", "\n", "\n\n", "---",
    "<script>", "[x](javascript:alert(1))", "![i](file:///etc/passwd)", "Disclaimer:", "\u00a0", "\t", "&amp;",
    "\\", "...", "\r\n", "\ufeff",
])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.lists(st.one_of(MARKDOWN_BITS, st.text(max_size=30)), max_size=40).map("".join),
       front=st.dictionaries(st.sampled_from(["title", "lang", "disclaimer", "other", "1"]), FRONT_VALUES,
                             max_size=4),
       raw_front=st.booleans())
def test_any_article_reads_or_fails_with_an_input_error(tmp_path: Path, body: str, front: dict,
                                                        raw_front: bool) -> None:
    import yaml

    head = yaml.safe_dump(front, allow_unicode=True) if not raw_front else "".join(
        f"{k}: {v}\n" for k, v in front.items())
    path = tmp_path / "fuzz.md"
    path.write_text(f"---\n{head}---\n{body}", encoding="utf-8", errors="surrogatepass") \
        if "\ud800" not in body else path.write_bytes(b"---\ntitle: x\n---\n\xff")
    try:
        document = read_article(path)
    except ArticleError as error:
        assert error.path == path and error.fix
        assert "\n" not in error.problem
        return
    assert document.title.strip()
    assert document.disclaimer.text.strip()
    levels = [s.level for s in document.sections if s.heading]
    assert all(b - a <= 1 for a, b in zip([1, *levels], levels, strict=False))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=300))
def test_any_bytes_read_or_fail_with_an_input_error(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "bytes.md"
    path.write_bytes(b"---\ntitle: T\n---\n" + raw + b"\n\nDisclaimer: D.\n")
    try:
        read_article(path)
    except ArticleError as error:
        assert error.path == path


def test_bare_web_addresses_become_links(tmp_path: Path) -> None:
    doc = read_article(write(tmp_path, article("Read https://example.org/guide today.\n\nDisclaimer: D.\n")))
    inlines = doc.sections[0].blocks[0].inlines  # type: ignore[union-attr]
    links = [node for node in inlines if isinstance(node, Link)]
    assert [link.href for link in links] == ["https://example.org/guide"]


def test_word_lists_are_per_language(tmp_path: Path) -> None:
    (tmp_path / "glossary.yml").write_text("terms:\n  knee: the joint in the middle of the leg\n", encoding="utf-8")
    (tmp_path / "glossary.es.yml").write_text("terms:\n  rodilla: la articulación de la pierna\n", encoding="utf-8")
    (tmp_path / "glossary.es-MX.yml").write_text("terms:\n  rodilla: la coyuntura de la pierna\n",
                                                 encoding="utf-8")
    (tmp_path / "lexicon.txt").write_text("mg = milligrams\n", encoding="utf-8")
    (tmp_path / "lexicon.es.txt").write_text("mg = miligramos\n", encoding="utf-8")
    (tmp_path / "plain-words.yml").write_text("utilize: use\n", encoding="utf-8")

    def article(name: str, lang: str) -> Path:
        path = tmp_path / f"{name}.md"
        path.write_text(f"---\ntitle: T\nlang: {lang}\ndisclaimer: D.\n---\n\nText.\n", encoding="utf-8")
        return path

    english = read_article(article("en", "en"))
    assert english.glossary.terms == (("knee", "the joint in the middle of the leg"),)
    assert english.lexicon == (("mg", "milligrams"),) and english.glossary.plain_words == (("utilize", "use"),)
    spanish = read_article(article("es", "es"))
    assert spanish.glossary.terms == (("rodilla", "la articulación de la pierna"),)
    assert spanish.lexicon == (("mg", "miligramos"),)
    assert spanish.glossary.plain_words == ()  # never the English list
    assert read_article(article("mx", "es-MX")).glossary.terms == (("rodilla", "la coyuntura de la pierna"),)
    assert read_article(article("us", "es-US")).glossary.terms == (("rodilla", "la articulación de la pierna"),)
    assert read_article(article("fr", "fr")).glossary.terms == ()


def test_a_spanish_closing_paragraph_is_the_disclaimer(tmp_path: Path) -> None:
    path = tmp_path / "aviso.md"
    path.write_text("---\ntitle: T\nlang: es\n---\n\nTexto.\n\nAviso importante: Consulte a su médico.\n",
                    encoding="utf-8")
    document = read_article(path)
    assert document.disclaimer.text == "Consulte a su médico."
    assert document.disclaimer.label == "Aviso importante"


# ---------------------------------------------------------------- pictures


def pictures_of(document) -> list:  # type: ignore[no-untyped-def]
    from pipeline.model import pictures_in

    return [image for section in document.sections for image in pictures_in(section.blocks)]


def test_a_local_picture_is_taken_made_safe_and_set_apart_from_its_text(tmp_path: Path) -> None:
    from photos import phone_photo, private_traces

    (tmp_path / "pictures").mkdir()
    (tmp_path / "pictures" / "meter.jpg").write_bytes(phone_photo())
    doc = read_article(write(tmp_path, article(
        "Test your sugar. ![A meter showing 5.4](pictures/meter.jpg \"Your meter after breakfast\") Then eat.\n\n"
        "Disclaimer: Ask.\n")))
    text, picture = doc.sections[0].blocks
    assert plain_text(text.inlines) == "Test your sugar. Then eat."
    (image,) = picture.inlines
    assert (image.alt, image.caption, image.decorative) == ("A meter showing 5.4", "Your meter after breakfast", False)
    assert image.picture.where == "line 4" and private_traces(image.picture.data) == []
    assert doc.warnings == ()


def test_pictures_not_in_the_articles_folder_are_never_fetched_and_said(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (tmp_path / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    doc = read_article(write(folder, article(
        "![a](https://example.org/a.png)\n\n![b](file:///etc/passwd)\n\n![c](../secret.png)\n\n"
        "![d](/etc/hostname)\n\n![e](missing.png)\n\nDisclaimer: Ask.\n")))
    # A file: address is not even a picture to Markdown: it stays the text that was typed.
    assert "![b](file:///etc/passwd)" in section_texts(doc.sections)
    assert [(i.alt, i.picture) for i in pictures_of(doc)] == [(n, None) for n in "acde"]
    assert [w.split(":", 1)[0] for w in doc.warnings] == ["line 4", "line 8", "line 10", "line 12"]
    assert "'https://example.org/a.png' is not fetched: handouts take only pictures saved in the article's " \
           "folder" in doc.warnings[0]
    assert "outside the article's folder" in doc.warnings[1]
    assert "'/etc/hostname' is not fetched" in doc.warnings[2]
    assert "'missing.png' is not in the article's folder" in doc.warnings[3]


def test_a_picture_with_no_description_is_taken_and_named_and_decorative_ones_are_not(tmp_path: Path) -> None:
    from photos import png_with_metadata

    (tmp_path / "border.png").write_bytes(png_with_metadata())
    doc = read_article(write(tmp_path, article(
        "Text.\n\n![](border.png)\n\n![](border.png \"decorative\")\n\nDisclaimer: Ask.\n")))
    undescribed, decorative = pictures_of(doc)
    assert (undescribed.alt, undescribed.decorative) == ("", False) and undescribed.picture is not None
    assert (decorative.alt, decorative.decorative, decorative.caption) == ("", True, "")
    assert doc.warnings == (
        "line 6: a picture (border.png) has no description; it is printed and shown, but readers who cannot see "
        "it meet only 'Picture with no description'. Describe it between the brackets, as ![what it shows]"
        "(border.png), or mark it ![](border.png \"decorative\") if it adds nothing",)


@pytest.mark.parametrize("data, problem", [
    (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
     "the picture 'logo.png' cannot be used: it is an SVG drawing, which can carry script"),
    (b"not a picture at all", "the picture 'logo.png' cannot be used: it is not a picture handouts take"),
])
def test_a_file_that_is_no_safe_picture_stops_the_article_naming_its_line(tmp_path: Path, data: bytes,
                                                                          problem: str) -> None:
    (tmp_path / "logo.png").write_bytes(data)
    with pytest.raises(ArticleError) as refused:
        read_article(write(tmp_path, article("Text.\n\n![Our logo](logo.png)\n\nDisclaimer: Ask.\n")))
    assert refused.value.problem.startswith(problem) and refused.value.line == 6
    assert "PNG" in refused.value.fix


def test_the_plain_edition_takes_its_pictures_too(tmp_path: Path) -> None:
    from photos import phone_photo

    (tmp_path / "meter.jpg").write_bytes(phone_photo())
    write(tmp_path, article("Text.\n\nDisclaimer: Ask.\n"))
    write(tmp_path, "---\ntitle: Easy\n---\nLook.\n\n![](meter.jpg)\n", name="article.plain.md")
    doc = read_article(tmp_path / "article.md")
    from pipeline.model import pictures_in

    (image,) = pictures_in(doc.plain.summary)
    assert image.picture is not None
    assert doc.warnings[0].startswith("article.plain.md line 6: a picture (meter.jpg) has no description")


# ------------------------------------------------------------ how deep an article may nest

from pipeline.readers.nesting import MAX_NESTING  # noqa: E402


def nested_list(levels: int) -> str:
    return "".join("  " * level + "- item\n" for level in range(levels))


ATTACKS = {
    # The finding: a line of stars around one letter, 100,000 levels of bold.
    "stars": "*" * 200_000 + "x" + "*" * 200_000,
    "underscores": "_" * 100_000 + "x" + "_" * 100_000,
    "one star a word": "*a " * 50_000 + "x" + " a*" * 50_000,
    "bold and italic": "**a _" * 20_000 + "x" + "_ a**" * 20_000,
    "quotes": ">" * 100_000 + " x",
    "quotes with spaces": "> " * 500 + "x",
    "lists": nested_list(MAX_NESTING + 1),
    "quoted lists": "".join("> " * level + "- item\n" for level in range(1, 40)),
}


@pytest.mark.parametrize("name", ATTACKS)
def test_nesting_past_the_limit_is_an_article_error_on_its_line_with_memory_flat(tmp_path: Path, name: str) -> None:
    import tracemalloc

    path = write(tmp_path, article(f"Opening text.\n\n{ATTACKS[name]}\n\nDisclaimer: Ask us.\n"))
    tracemalloc.start()
    try:
        with pytest.raises(ArticleError) as caught:
            read_article(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "nested more than 12 levels" in caught.value.problem or "quoted more than 12" in caught.value.problem
    assert caught.value.line is not None and 5 <= caught.value.line <= 5 + MAX_NESTING + 1, caught.value.line
    assert "12 levels" in caught.value.fix
    # A few times the text itself, never the gigabytes the parser's tree would take.
    assert peak < 40 * 1024 * 1024, f"{peak / 1e6:.0f} MB"


@pytest.mark.parametrize("body", [
    "***bold and italic*** and **bold** and *italic* and __bold__ and _italic_.",
    "Fill in: name *required, date *required, " * 40 + "and sign.",
    " ".join(f"**word{n}**" for n in range(300)),
    "*" * MAX_NESTING + "x" + "*" * MAX_NESTING,
    "> " * MAX_NESTING + "quoted",
    nested_list(MAX_NESTING),
    "*" * 400 + "\n\n" + "- - - - - - - - - - - - - - - - - - - -",
    "5* hotel, 4** rating and 2*3 = 6, snake_case_names_with_many_parts_a_b_c_d_e_f_g_h_i_j_k_l_m_n",
])
def test_nesting_within_the_limit_reads(tmp_path: Path, body: str) -> None:
    document = read_article(write(tmp_path, article(f"{body}\n\nDisclaimer: Ask us.\n")))
    assert section_texts(document.sections)


NESTING_BITS = st.one_of(
    st.integers(1, 60).map(lambda n: "> " * n),
    st.integers(1, 60).map(lambda n: "  " * n + "- "),
    st.integers(1, 3000).map(lambda n: "*" * n),
    st.integers(1, 3000).map(lambda n: "_" * n),
    st.integers(1, 200).map(lambda n: "*a " * n),
    st.integers(1, 200).map(lambda n: " a*" * n),
    st.integers(1, 200).map(lambda n: "[" * n),
    st.integers(1, 200).map(lambda n: "](u)" * n),
    st.integers(1000, 60_000).map(lambda n: "word " * (n // 5)),
    st.sampled_from(["x", " ", "\n", "\n\n", "`", "**", "_", "1. ", "# "]),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(body=st.lists(NESTING_BITS, min_size=1, max_size=12).map("".join))
def test_random_nesting_emphasis_runs_and_long_lines_read_or_fail_with_an_input_error(tmp_path: Path,
                                                                                    body: str) -> None:
    path = write(tmp_path, article(f"{body}\n\nDisclaimer: Ask us.\n"), name="fuzz.md")
    try:
        read_article(path)
    except ArticleError as error:
        assert error.path == path and error.fix
        if "levels" in error.problem:
            assert error.line is not None and 4 <= error.line <= 4 + body.count("\n")
