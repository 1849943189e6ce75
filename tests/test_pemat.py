"""PEMAT-P items: each judged item made to Agree and to Disagree, and a good and a poor handout either side of 70%."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.pemat import PASS_PERCENT, assess_document, with_answers
from pipeline.readers import read_article

FIXTURES = Path(__file__).parent / "fixtures" / "pemat"
DISCLAIMER = "This handout does not replace advice from your care team."


def handout(tmp_path: Path, body: str, lang: str = "en") -> object:
    path = tmp_path / f"sample-{lang}.md"
    path.write_text(f"---\ntitle: Sample\nlang: {lang}\ndisclaimer: \"{DISCLAIMER}\"\n---\n\n{body}\n",
                    encoding="utf-8")
    return read_article(path)


def answer(tmp_path: Path, body: str, number: int, lang: str = "en") -> str | None:
    verdict = next(v for v in assess_document(handout(tmp_path, body, lang)).verdicts if v.number == number)
    return verdict.answer


LONG = "\n\n".join(["Your knee will feel stiff for a few days."] * 3)

CASES = [
    # (item, lang, text that agrees, text that disagrees)
    (3, "en", "Talk to your doctor before you use it.", "Talk to your physician before you utilize it."),
    (3, "es", "Hable con su médico antes de usarlo.",
     "Hable con su médico a fin de que lo utilice con el fin de sanar."),
    (4, "en", "Tachycardia means a fast heartbeat. Call us if you have it.",
     "You may get tachycardia. Call us if you have it."),
    (4, "en", "A blood clot (DVT) can form. Call us.", "A DVT can form. Call us."),
    (5, "en", "Your nurse checks your blood pressure. Your doctor reads it. You rest after.",
     "Your blood pressure is checked. The results are reviewed. The form is signed."),
    (5, "es", "La enfermera mide su presión. El médico la revisa. Usted descansa.",
     "Su presión es medida. Los resultados son revisados. El formulario es firmado."),
    (6, "en", "About 2 in 10 people (20%) feel sick.", "About 20% of people feel sick."),
    (6, "en", "Take 1 pill.", "Take 0.5 of a pill."),
    (6, "es", "Unas 2 de cada 10 personas (20 %) se marean.", "Un 20 % de las personas se marean."),
    (7, "en", "Take 2 pills each morning.", "Multiply your weight by 2 to find your dose."),
    (7, "es", "Tome 2 pastillas cada mañana.", "Multiplique su peso por 2 para saber su dosis."),
    (8, "en", "## Rest\n\n" + LONG, "## Rest\n\n" + " ".join(["Your knee will feel stiff for a few days."] * 12)
     + "\n\n" + LONG),
    (9, "en", "## How to rest your knee\n\n" + LONG, "## Introduction\n\n" + LONG),
    (9, "es", "## Cómo descansar la rodilla\n\n" + LONG, "## Introducción\n\n" + LONG),
    (11, "en", "## Key points\n\n" + LONG, "## Rest\n\n" + LONG),
    (11, "es", "## Puntos clave\n\n" + LONG, "## Descanso\n\n" + LONG),
    (12, "en", "- Rest your knee.\n- Keep it up.", "Rest your knee and keep it up."),
    (17, "en", '![A knee with ice on it](knee.png "Ice on the knee")', "![A knee with ice on it](knee.png)"),
    (19, "en", "| Day | Dose |\n|---|---|\n| 1 | 2 pills |",
     "| Day | Dose | Time | Food | Drink | Notes |\n|---|---|---|---|---|---|\n| 1 | 2 | 8 | yes | no | - |"),
    (20, "en", "Ask your doctor about it.", "The knee heals over time."),
    (20, "es", "Pregunte a su médico.", "La rodilla sana con el tiempo."),
    (21, "en", "You should rest your knee.", "Patients should rest the knee."),
    (21, "es", "Usted debe descansar la rodilla.", "Los pacientes deben descansar la rodilla."),
    (22, "en", "1. Put ice on it.\n2. Raise your leg.\n3. Rest for an hour.",
     "Put ice on it, then raise your leg. Rest for an hour. Call us if it swells."),
    (23, "en", "- ☐ I put ice on my knee.\n- ☐ I raised my leg.", "Put ice on your knee."),
    (23, "es", "## Preguntas para su médico\n\n- ¿Cuándo puedo caminar?", "Ponga hielo en la rodilla."),
    (24, "en", "Multiply your weight by 2. For example, if you weigh 60 kg, take 120 mg.",
     "Multiply your weight by 2 to find your dose."),
]


@pytest.mark.parametrize(("number", "lang", "agrees", "disagrees"), CASES)
def test_each_item_agrees_and_disagrees(tmp_path: Path, number: int, lang: str, agrees: str, disagrees: str) -> None:
    assert answer(tmp_path, agrees, number, lang) == "agree"
    assert answer(tmp_path, disagrees, number, lang) == "disagree"


@pytest.mark.parametrize(("number", "text"), [(6, "Rest your knee."), (8, "Rest your knee."),
                                              (17, "Rest your knee."), (19, "Rest your knee."),
                                              (24, "Rest your knee."), (16, "Rest your knee."),
                                              (25, "Rest your knee.")])
def test_items_that_do_not_apply_are_not_applicable(tmp_path: Path, number: int, text: str) -> None:
    assert answer(tmp_path, text, number) == "n/a"


def test_good_and_poor_handouts_land_either_side_of_70() -> None:
    good = assess_document(read_article(FIXTURES / "good-inhaler.md"))
    poor = assess_document(read_article(FIXTURES / "poor-inhaler.md"))
    assert good.understandability.percent >= PASS_PERCENT and good.actionability.percent >= PASS_PERCENT
    assert poor.understandability.percent < PASS_PERCENT and poor.actionability.percent < PASS_PERCENT
    assert {3, 5, 6, 7, 9, 11, 12} <= set(poor.understandability.failing)
    assert good.understandability.failing == () and good.actionability.failing == ()


def test_items_only_a_person_can_judge_wait_for_staff_and_then_complete_the_score() -> None:
    good = assess_document(read_article(FIXTURES / "good-inhaler.md"))
    waiting = [v.number for v in good.unanswered]
    assert waiting == [1, 2, 10, 15, 26]
    assert good.understandability.describe().endswith("13 of 17 items judged)")
    answered = with_answers(good, {1: ("agree", "Ana"), 2: ("agree", "Ana"), 10: ("disagree", "Ana"),
                                   15: ("n/a", "Ana"), 26: ("agree", "Ana"), 3: ("disagree", "Ana")})
    score = answered.understandability
    assert score.complete and score.judged == 17 and 10 in score.failing
    assert 3 not in score.failing  # staff answer only the items they are asked
    assert answered.actionability.complete


def test_a_language_without_word_lists_asks_staff_the_word_items(tmp_path: Path) -> None:
    found = assess_document(handout(tmp_path, "## Introduction\n\n" + LONG, "fr"))
    by_number = {v.number: v for v in found.verdicts}
    assert by_number[3].answer is None and by_number[3].how == "asked of staff"
    assert by_number[9].answer == "disagree"  # headings are judged in every language


def test_every_item_says_how_it_is_judged_and_why() -> None:
    from pipeline.pemat.items import ACTIONABILITY_ITEMS, ITEMS, UNDERSTANDABILITY_ITEMS

    assert len(UNDERSTANDABILITY_ITEMS) == 17 and len(ACTIONABILITY_ITEMS) == 7
    assert 13 not in UNDERSTANDABILITY_ITEMS and 14 not in UNDERSTANDABILITY_ITEMS
    assert all(item.why and item.fix and item.how in ("judged by the program", "asked of staff") for item in ITEMS)


def test_check_reports_each_item_and_fails_below_70_naming_the_items(tmp_path: Path) -> None:
    import json
    import shutil

    from pipeline.checking import check
    from pipeline.settings import Settings

    for name in ("poor-inhaler.md", "good-inhaler.md"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    (tmp_path / "good-inhaler.pemat.json").write_text(json.dumps({"answers": {
        "1": {"answer": "agree", "by": "Ana"}, "10": {"answer": "disagree", "by": "Ana"}}}), encoding="utf-8")
    results = {r.slug: r for r in check([tmp_path], Settings(out_dir=tmp_path / "out", formats=()))}
    poor, good = results["poor-inhaler"], results["good-inhaler"]
    assert poor.failed and not good.failed
    failure = next(f for f in poor.findings if f.check.startswith("PEMAT-P understandability"))
    assert failure.status == "fail" and "item 9" in failure.detail and "“Introduction”" in failure.detail
    report = json.loads((tmp_path / "out" / "poor-inhaler" / "report.json").read_text(encoding="utf-8"))
    item9 = next(i for i in report["pemat"]["items"] if i["item"] == 9)
    assert item9["answer"] == "Disagree" and item9["fix"] and "Introduction" in item9["evidence"]
    assert report["pemat"]["understandability"]["note"] == "13 of 17 items judged"
    html = (tmp_path / "out" / "poor-inhaler" / "report.html").read_text(encoding="utf-8")
    assert "The material&#39;s sections have informative headers." in html or "informative headers" in html
    answered = json.loads((tmp_path / "out" / "good-inhaler" / "report.json").read_text(encoding="utf-8"))
    assert answered["pemat"]["understandability"]["note"] == "15 of 17 items judged"
    assert 10 in answered["pemat"]["understandability"]["failing_items"]
