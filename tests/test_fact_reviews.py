"""A person's review of what the fact guard flagged: recorded, reported, and lapsing when a sentence changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.checks.html import check_html
from pipeline.cli import main
from pipeline.readers import read_article
from pipeline.settings import Settings
from pipeline.text.facts import guard

ARTICLE = """---
title: "Living with high blood pressure"
lang: en
disclaimer: "This handout is for information only. Talk with your care team about your care."
---

## Lowering it

Eating less salt, moving more and not smoking all lower blood pressure.
Take lisinopril 10 mg once a day, in the morning.

## When to call

If your blood pressure is over 180/120 mmHg, call 911.
"""

PLAIN = """---
title: "High blood pressure"
---

## Lowering it

Eat less salt. Move more. Do not smoke. Take lisinopril 10 mg each morning.

## When to call

If your blood pressure is over 180/120 mmHg, call 911.
"""


@pytest.fixture
def article(tmp_path: Path) -> Path:
    (tmp_path / "bp.md").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "bp.plain.md").write_text(PLAIN, encoding="utf-8")
    return tmp_path / "bp.md"


def test_do_not_smoke_keeps_not_smoking_and_only_the_dropped_dose_is_flagged(article: Path) -> None:
    report = guard(read_article(article))
    assert report.added == ()
    assert [f.text for f in report.dropped] == ["once a day"]
    assert report.flagged()[0][0].startswith("FACT-")


def test_accepted_fact_is_reported_as_reviewed_until_its_sentence_changes(article: Path) -> None:
    fact_id = guard(read_article(article)).flagged()[0][0]
    result = CliRunner().invoke(main, ["plain", str(article), "--accept", fact_id, "--by", "Ana Ruiz",
                                       "--note", "each morning is once a day"])
    assert f"{fact_id} dropped, reviewed by Ana Ruiz on " in result.output
    assert "drops 1 fact" not in result.output
    plain = article.with_name("bp.plain.md")
    assert "fact_reviews:" in plain.read_text(encoding="utf-8")
    report = guard(read_article(article))
    assert report.ok and [r.by for _f, _d, r in report.reviewed] == ["Ana Ruiz"]

    plain.write_text(plain.read_text(encoding="utf-8").replace("each morning.", "each morning with food."),
                     encoding="utf-8")
    result = CliRunner().invoke(main, ["plain", str(article)])
    assert result.exit_code == 1
    assert f"{fact_id} dropped: number “once a day”" in result.output and "reviewed by" not in result.output


def test_accept_names_an_unknown_fact_and_needs_a_name(article: Path) -> None:
    result = CliRunner().invoke(main, ["plain", str(article), "--accept", "FACT-000000", "--by", "Ana"])
    assert result.exit_code == 2 and "no flagged fact is FACT-000000" in result.output
    result = CliRunner().invoke(main, ["plain", str(article), "--accept", "FACT-000000"])
    assert result.exit_code == 2 and "--by NAME" in result.output


def test_check_reports_a_reviewed_fact_as_reviewed_not_failed(article: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.checks.browser
    from pipeline.renderers.html import page_html

    monkeypatch.setattr(pipeline.checks.browser, "check_in_browser", lambda path: [])
    fact_id = guard(read_article(article)).flagged()[0][0]
    CliRunner().invoke(main, ["plain", str(article), "--accept", fact_id, "--by", "Ana Ruiz"])
    document = read_article(article)
    folder = tmp_path / "out" / document.slug
    folder.mkdir(parents=True)
    (folder / f"{document.slug}.html").write_text(page_html(document, Settings(out_dir=tmp_path / "out")),
                                                   encoding="utf-8")
    facts = {f.check: f for f in check_html(document, folder, Settings(out_dir=tmp_path / "out"))}["facts kept"]
    assert facts.status == "pass", facts.detail
    assert "once a day (number dropped) reviewed by Ana Ruiz on " in facts.detail
