"""A language is one folder: what each knows, read the same way by every part of handout."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline import liblouis
from pipeline.cli import main
from pipeline.language_list import markdown
from pipeline.languages import language, language_for, languages
from pipeline.languages.zh.numerals import digits_for_numerals
from pipeline.readers import read_article
from pipeline.readers.markdown import parse_plain_edition
from pipeline.text.facts import guard
from pipeline.text.readability import reading_report
from pipeline.text.words import split_sentences

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_each_folder_is_a_language_with_its_catalog() -> None:
    assert set(languages()) == {"en", "es", "fr", "pt", "zh"}
    for code, known in languages().items():
        assert known.code == code and known.folder.name == code
        assert known.has_catalog and known.reading is not None and known.braille is not None, code
        for table in known.braille.tables:
            assert (liblouis.TABLE_FOLDER / table).is_file() or not liblouis.available(), table


@pytest.mark.parametrize("tag, code", [("zh-Hant-TW", "zh"), ("zh_CN", "zh"), ("fr-CA", "fr"), ("pt-BR", "pt"),
                                       ("es-419", "es"), ("en", "en")])
def test_a_tag_finds_its_language(tag: str, code: str) -> None:
    found = language_for(tag)
    assert found is not None and found.code == code


def test_a_language_without_a_folder_is_named_for_espeak_and_lacks_what_it_lacks() -> None:
    assert language_for("vi") is None
    generic = language("vi-VN")
    assert generic.espeak[""][0] == "vi-vn" and generic.missing() == ["labels", "reading measure", "braille table"]


def test_handout_languages_lists_what_each_has_and_the_readme_shows_the_same_table() -> None:
    result = CliRunner().invoke(main, ["languages"])
    assert result.exit_code == 0, result.output
    for code in ("en", "es", "fr", "pt", "zh"):
        assert re.search(rf"^{code}\s", result.output, re.M), code
    assert "characters a minute" in result.output and "zhcn-cbs.ctb" in result.output
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = readme.split("<!-- languages: made by `handout languages --markdown` -->\n")[1].split("<!-- end")[0]
    assert shown == markdown(), "README's language table is out of date: paste `handout languages --markdown`"


@pytest.mark.parametrize("tag, table", [("zh-CN", "zhcn-cbs.ctb"), ("zh", "zhcn-cbs.ctb"), ("zh-TW", "zh-tw.ctb"),
                                        ("zh-Hant", "zh-tw.ctb"), ("zh-HK", "zh-hk.ctb"), ("fr", "fr-bfu-comp6.utb"),
                                        ("pt-BR", "pt-pt-g1.utb"), ("es-MX", "es-g1.ctb"), ("en", "en-ueb-g2.ctb")])
def test_each_language_and_region_gets_its_braille_table(tag: str, table: str) -> None:
    assert liblouis.table_for(tag, None) == table


def test_chinese_sentences_end_at_full_width_marks() -> None:
    assert split_sentences("请勿饮酒。如有不适，请立即就医！您明白吗？好的", "zh-CN") == [
        "请勿饮酒。", "如有不适，请立即就医！", "您明白吗？", "好的"]


@pytest.mark.parametrize("text, digits", [
    ("每天服用十毫克", "10 毫克"),
    ("三十八点五度", "38.5 度"),
    ("拨打九一一", "911"),
    ("两次", "2 次"),
    ("两千五百毫升", "2500 毫升"),
    ("三到五天", "3 到 5 天"),
])
def test_chinese_numerals_are_the_same_numbers_as_digits(text: str, digits: str) -> None:
    assert " ".join(digits_for_numerals(text).split()).endswith(digits)


def test_a_chinese_word_with_one_in_it_is_not_a_number() -> None:
    assert digits_for_numerals("一定要一起来") == "一定要一起来"


def test_the_fact_guard_keeps_a_faithful_chinese_plain_edition_and_catches_a_faulty_one() -> None:
    article = read_article(FIXTURES / "zh" / "xueya.md")
    faithful = guard(article)
    assert faithful.ok and faithful.original_count >= 9, faithful.summary()
    text = (FIXTURES / "zh" / "xueya.plain.md").read_text(encoding="utf-8")
    faulty = parse_plain_edition(text.replace("每次5毫克", "每次10毫克").replace("不要自己停药", "可以自己停药"),
                                 Path("xueya.plain.md"), article.title, article.disclaimer)
    report = guard(article, faulty)
    assert not report.ok
    assert {f.text for f in report.dropped} >= {"5 毫克", "请勿 自行 停药"}
    assert {f.text for f in report.added} == {"10 毫克"}


@pytest.mark.parametrize("lang, easy, hard", [
    ("fr", "Prenez un comprimé le matin. Ne buvez pas d'alcool. Appelez votre médecin si vous avez mal.",
     "L'administration concomitante d'anticoagulants oraux nécessite une surveillance biologique régulière, "
     "particulièrement lors de l'instauration thérapeutique, compte tenu des interactions médicamenteuses "
     "potentiellement significatives."),
    ("pt-BR", "Tome um comprimido de manhã. Não beba álcool. Ligue para o seu médico se sentir dor.",
     "A administração concomitante de anticoagulantes orais requer monitorização laboratorial periódica, "
     "particularmente durante a introdução terapêutica, considerando interações medicamentosas potencialmente "
     "significativas."),
    ("zh-CN", "请勿饮酒。每天吃一片药。如果疼痛，请打电话给医生。",
     "鉴于口服抗凝药物与多种常用药物之间存在具有潜在临床意义的相互作用因此在治疗初始阶段及剂量调整期间必须进行规律的实验室监测以评估凝血功能的变化情况"),
])
def test_each_reading_measure_tells_easy_text_from_hard(lang: str, easy: str, hard: str) -> None:
    good, bad = reading_report([easy], lang), reading_report([hard], lang)
    assert good.measured and good.meets_target() is True, good.describe()
    assert bad.meets_target() is False, bad.describe()
    assert good.describe_target() and good.as_dict()["score"]["value"] > bad.as_dict()["score"]["value"]


def test_an_article_in_a_language_with_no_folder_builds_with_one_warning_naming_what_it_lacks(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    article = tmp_path / "hinweis.md"
    article.write_text("---\ntitle: Blutdruck zu Hause messen\nlang: de\n---\n\nMessen Sie ihn morgens und abends.\n\n"
                       "Disclaimer: Dieses Blatt ersetzt nicht den Rat Ihres Arztes.\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        result = CliRunner().invoke(main, ["build", str(article), "--out", str(tmp_path / "out"), "--format", "pdf",
                                           "--format", "html"])
    assert result.exit_code == 0, result.output
    warnings = [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING]
    assert len(warnings) == 1, warnings
    for lacking in ("labels in English", "no reading measure", "no braille edition", "eSpeak NG"):
        assert lacking in warnings[0]
    assert (tmp_path / "out" / "hinweis" / "hinweis.pdf").is_file()


def test_the_default_formats_leave_braille_out_for_a_language_without_a_table_but_asked_for_it_is_an_error(
        tmp_path: Path) -> None:
    from pipeline.build import formats_for
    from pipeline.settings import Settings

    article = tmp_path / "hinweis.md"
    article.write_text("---\ntitle: Blutdruck\nlang: de\n---\n\nMessen Sie ihn.\n\nDisclaimer: Kein Rat.\n",
                       encoding="utf-8")
    document = read_article(article)
    assert "braille" not in formats_for(document, Settings())
    assert "braille" in formats_for(read_article(FIXTURES / "zh" / "xueya.md"), Settings())
    result = CliRunner().invoke(main, ["build", str(article), "--out", str(tmp_path / "out"), "--format", "braille"])
    assert result.exit_code != 0 and "no braille table" in result.output


def test_a_label_left_in_english_is_found_and_a_translated_one_is_not() -> None:
    from pipeline.checks import english_labels

    assert english_labels("Aller au contenu principal. Page 2 sur 3. Points clés", "fr") == []
    assert english_labels("Aller au contenu principal. Page 2 of 3. Key points", "fr") == [
        "Key points", "Page %(page)s of %(pages)s"]
    # English words that are also the language's own ("Introduction", "Notes") are not judged.
    assert english_labels("Introduction. Notes.", "fr") == []


@pytest.mark.skipif(not liblouis.available(), reason="liblouis is not installed")
@pytest.mark.parametrize("article", ["pt/diabetes.md", "fr/asthme.md", "pressao.md"])
def test_the_braille_of_portuguese_and_french_reads_back_to_the_article(article: str, tmp_path: Path) -> None:
    from pipeline.checks.braille import check_braille
    from pipeline.settings import Settings

    if article == "pressao.md":
        # Capitals, "ss" and "ç": what liblouis's Portuguese table reads back in its own way.
        (tmp_path / article).write_text(
            "---\ntitle: Pressão alta\nlang: pt-BR\n---\n\nMeça a pressão. Não deixe passar. Assim, "
            "a pressão fica controlada.\n\nAviso: Este material é apenas informativo.\n", encoding="utf-8")
        article = str(tmp_path / article)
    result = CliRunner().invoke(main, ["build", str(FIXTURES / article), "--out", str(tmp_path / "out"),
                                       "--format", "braille"])
    assert result.exit_code == 0, result.output
    document = read_article(FIXTURES / article)
    findings = {f.check: f for f in check_braille(document, tmp_path / "out" / document.slug,
                                                  Settings(out_dir=tmp_path / "out"))}
    assert findings["back-translation"].status == "pass", findings["back-translation"]
    assert findings["disclaimer in braille"].status == "pass"
