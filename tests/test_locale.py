"""Tests of the message catalogs: every message the tool adds is translated, and languages fall back sensibly."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from pipeline import locale
from pipeline.locale import catalog_path, gettext_for, has_catalog, locale_names, translations

ROOT = Path(__file__).resolve().parent.parent
COMPLETE_LANGUAGES = ("es", "fr", "pt", "zh", "zh_TW", "zh_HK")
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def extracted_messages() -> set[str]:
    """Every message marked for translation in the package's code and templates, as `make catalogs` finds them."""
    method_map = [("pipeline/**.py", "python"), ("pipeline/templates/**.j2", "jinja2")]
    options = {"pipeline/templates/**.j2": {"extensions": "jinja2.ext.i18n"}}
    found = set()
    for _, _, message, _, _ in extract_from_dir(str(ROOT), method_map, options, keywords={"_": None, "N_": None}):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_messages_are_found_in_code_and_templates() -> None:
    messages = extracted_messages()
    # One from a template, one from Python code, one marked for later (N_).
    assert {"Skip to main content", "Introduction", "Before you listen:"} <= messages


@pytest.mark.parametrize("lang", COMPLETE_LANGUAGES)
def test_every_message_is_translated_with_its_placeholders(lang: str) -> None:
    with catalog_path(lang).open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    for message in sorted(extracted_messages()):
        entry = catalog.get(message)
        assert entry is not None, f"{lang}: {message!r} is not in the catalog; run make catalogs and translate it"
        assert entry.string and not entry.fuzzy, f"{lang}: {message!r} has no (or only a fuzzy) translation"
        assert sorted(PLACEHOLDER.findall(entry.string)) == sorted(PLACEHOLDER.findall(message)), message


def test_the_template_of_all_messages_is_up_to_date() -> None:
    with (locale.CATALOGS / "handout.pot").open("rb") as handle:
        template = {entry.id for entry in read_po(handle) if entry.id}
    assert template == extracted_messages(), "run make catalogs"


@pytest.mark.parametrize("lang, names", [("es", ["es"]), ("es-MX", ["es_MX", "es"]), ("es-US", ["es_US", "es"]),
                                         ("en-GB", ["en_GB", "en"]), ("es-419", ["es_419", "es"])])
def test_region_tags_try_the_region_then_the_base_language(lang: str, names: list[str]) -> None:
    assert locale_names(lang) == names


@pytest.mark.parametrize("lang", ["es", "es-MX", "es-US", "es-ES"])
def test_spanish_regions_use_the_spanish_catalog(lang: str) -> None:
    assert gettext_for(lang)("Key points") == "Puntos clave"
    assert has_catalog(lang)


def test_english_needs_no_catalog_and_gives_the_messages_as_written(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        assert gettext_for("en-GB")("Key points") == "Key points"
    assert caplog.records == []


def test_a_language_without_a_folder_gets_english_labels_and_leaves_the_warning_to_the_reader(
        caplog: pytest.LogCaptureFixture) -> None:
    translations.cache_clear()
    with caplog.at_level(logging.WARNING):
        assert gettext_for("de")("Key points") == "Key points"
        assert gettext_for("de")("Disclaimer") == "Disclaimer"
    # The article's one warning, naming everything German lacks, comes from reading it (test_languages.py).
    assert caplog.records == []
    assert not has_catalog("de")
