"""Tests of the pronunciation lexicon: its file format, its rules, and the reader loading it."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import ArticleError
from pipeline.lexicon import Lexicon, parse_lexicon
from pipeline.readers import read_article

ROOT = Path(__file__).resolve().parent.parent
RULES = """
# comment
PTSD = P T S D
IV = I V
mg = milligrams
% = percent
≥ = at least
>= = at least
= = equals
AIDS = aids
"""


@pytest.fixture
def lexicon() -> Lexicon:
    return Lexicon(parse_lexicon(RULES, Path("lexicon.txt")))


def test_rules_are_read_in_order_with_symbol_terms_split_at_spaced_equals() -> None:
    entries = parse_lexicon(RULES, Path("lexicon.txt"))
    assert entries[0] == ("PTSD", "P T S D")
    assert (">=", "at least") in entries and ("=", "equals") in entries


@pytest.mark.parametrize("text, problem, line", [
    ("PTSD P T S D", "is not a rule", 1),
    ("\nmg =", "says nothing", 2),
    ("mg = milligrams\nmg = mg", "has a rule already, on line 1", 2),
])
def test_bad_rules_name_the_line(text: str, problem: str, line: int) -> None:
    with pytest.raises(ArticleError) as raised:
        parse_lexicon(text, Path("lexicon.txt"))
    assert problem in str(raised.value) and raised.value.line == line


@pytest.mark.parametrize("written, spoken", [
    ("PTSD is common.", "P T S D is common."),
    ("PTSD's effects (PTSD)", "P T S D's effects (P T S D)"),
    ("an IV drip", "an I V drip"),
    ("IVF and River stay", "I V F and River stay"),  # no rule: spelled; "IV" inside a word untouched
    ("take 5mg or 10 mg", "take 5 milligrams or 10 milligrams"),
    ("Mg is magnesium", "Mg is magnesium"),  # case is exact
    ("20% of people", "20 percent of people"),
    ("if it is ≥5 or >= 6", "if it is at least 5 or at least 6"),
    ("FDA-approved SSRIs", "F D A-approved S S R I's"),
    ("AIDS care", "aids care"),
    ("I was OK", "I was O K"),
])
def test_rules_apply_by_whole_word_and_case(lexicon: Lexicon, written: str, spoken: str) -> None:
    assert lexicon.apply(written) == spoken


def test_output_of_one_rule_is_not_rewritten_by_another() -> None:
    lexicon = Lexicon((("BP", "blood pressure"), ("blood", "BLOOD")))
    assert lexicon.apply("BP") == "blood pressure"


def test_spelling_capitals_can_be_switched_off() -> None:
    assert Lexicon((), spell_capitals=False).apply("FDA") == "FDA"


def test_the_projects_lexicon_covers_the_seed_articles_terms() -> None:
    entries = dict(parse_lexicon((ROOT / "source" / "lexicon.txt").read_text(encoding="utf-8"),
                                 ROOT / "source" / "lexicon.txt"))
    for term in ("PTSD", "SSRIs", "FDA", "IV", "mg", "%", "≥"):
        assert term in entries


ARTICLE = "---\ntitle: Test\ndisclaimer: Ask your doctor.\n---\n\nText.\n"


def test_reader_loads_the_lexicon_beside_the_article(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(ARTICLE, encoding="utf-8")
    assert read_article(tmp_path / "a.md").lexicon == ()
    (tmp_path / "lexicon.txt").write_text("mg = milligrams\n", encoding="utf-8")
    assert read_article(tmp_path / "a.md").lexicon == (("mg", "milligrams"),)


def test_a_bad_lexicon_is_an_error_naming_the_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "lexicon.txt").write_text("# ok\nno rule here\n", encoding="utf-8")
    with pytest.raises(ArticleError) as raised:
        read_article(tmp_path / "a.md")
    assert str(raised.value).startswith(f"{tmp_path / 'lexicon.txt'}:2:")
    assert raised.value.exit_code == 2


def test_a_lexicon_that_is_not_utf8_names_its_line_and_an_empty_glossary_is_no_error(tmp_path: Path) -> None:
    # Every file beside the articles is read the same way as the articles are.
    (tmp_path / "a.md").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "lexicon.txt").write_bytes(b"\xef\xbb\xbfmg = milligrams\r\nIV = I V\r\n\xe9 = e\n")
    with pytest.raises(ArticleError) as raised:
        read_article(tmp_path / "a.md")
    assert str(raised.value).startswith(f"{tmp_path / 'lexicon.txt'}:3: byte 0xe9 is not UTF-8 text")
    (tmp_path / "lexicon.txt").write_bytes(b"\xef\xbb\xbfmg = milligrams\r\nIV = I V\r\n")
    (tmp_path / "glossary.yml").write_text("# terms to come\n", encoding="utf-8")
    document = read_article(tmp_path / "a.md")
    assert document.lexicon == (("mg", "milligrams"), ("IV", "I V")) and document.glossary.terms == ()
