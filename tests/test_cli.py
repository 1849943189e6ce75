"""The handout command end to end, through Click's CliRunner, into tmp_path."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest
from click.testing import CliRunner
from conftest import SEED_ARTICLE
from wordfiles import article, cut_short, odt, ole2

from pipeline.audio.script import split_sentences
from pipeline.checks import squeeze
from pipeline.cli import main
from pipeline.model import section_texts
from pipeline.readers import read_article

GOOD = "---\ntitle: Washing Your Hands\n---\nWash for twenty seconds.\n\n## When\n\nBefore you eat.\n\n" \
       "Disclaimer: Ask your nurse if you have questions.\n"


def words(text: str) -> str:
    """Text with quotes made plain and spaces collapsed, as the checks compare extracted text."""
    return squeeze(text)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_help_lists_the_commands() -> None:
    code, out, _ = run("--help")
    assert code == 0
    assert "build" in out and "voices" in out and "plain" in out
    code, out, _ = run("build", "--help")
    assert code == 0
    for option in ("--out", "--format", "--paper", "--print-size", "--rate", "--voice"):
        assert option in out


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run([sys.executable, "-m", "pipeline", "--help"], capture_output=True, text=True)
    assert done.returncode == 0
    assert "handout" in done.stdout


def test_seed_article_builds_all_three_outputs(tmp_path: Path, fake_speech: list[str]) -> None:
    out = tmp_path / "out"
    code, stdout, stderr = run("build", str(SEED_ARTICLE), "--out", str(out))
    assert code == 0, stderr
    folder = out / "ketamine-ptsd"
    for name in ("ketamine-ptsd.pdf", "ketamine-ptsd.html", "ketamine-ptsd.mp3"):
        assert (folder / name).stat().st_size > 1000, name
    assert not [p for p in folder.iterdir() if p.name.startswith(".staging")], "staging files left behind"

    document = read_article(SEED_ARTICLE)
    disclaimer = document.disclaimer.text

    # The PDF holds every sentence of the article, in the author's order, then the disclaimer.
    with pdfplumber.open(folder / "ketamine-ptsd.pdf") as pdf:
        pdf_text = words(" ".join(page.extract_text() or "" for page in pdf.pages))
    position = 0
    for text in [document.title, *section_texts(document.sections), disclaimer]:
        for sentence in split_sentences(words(text)):
            found = pdf_text.find(sentence, position)
            assert found >= 0, f"missing or out of order in the PDF: {sentence!r}"
            position = found + len(sentence)

    html = (folder / "ketamine-ptsd.html").read_text(encoding="utf-8")
    assert disclaimer in re.sub(r"\s+", " ", html)

    # What the speech engine was asked to say ends with the disclaimer.
    spoken = " ".join(fake_speech)
    assert spoken.rstrip().endswith(words(disclaimer).replace('"', ""))


def test_only_the_formats_asked_for(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, _, stderr = run("build", str(SEED_ARTICLE), "--out", str(out), "--format", "html")
    assert code == 0, stderr
    handouts = [p.name for p in (out / "ketamine-ptsd").iterdir() if not p.name.startswith(".")]
    # The page comes with its reading-grade report for editors; no PDF, no audio.
    assert sorted(handouts) == ["ketamine-ptsd.html", "ketamine-ptsd.readability.json"]


def test_any_well_formed_article_in_a_folder_builds(tmp_path: Path, fake_speech: list[str]) -> None:
    source = tmp_path / "source"
    source.mkdir()
    (source / "hand-washing.md").write_text(GOOD, encoding="utf-8")
    code, _, stderr = run("build", str(source), "--out", str(tmp_path / "out"))
    assert code == 0, stderr
    names = sorted(p.name for p in (tmp_path / "out" / "hand-washing").iterdir())
    assert {"hand-washing.pdf", "hand-washing.html", "hand-washing.mp3"} <= set(names)


BAD_INPUTS = {
    "empty": (b"", "empty"),
    "no-title": (b"---\nlang: en\n---\nText.\n\nDisclaimer: D.\n", "no title"),
    "no-disclaimer": (b"---\ntitle: T\n---\nText.\n", "no disclaimer"),
    "bad-yaml": (b"---\ntitle: [oops\n---\nText.\n\nDisclaimer: D.\n", "not valid YAML"),
    "binary": (b"---\ntitle: T\n---\nCaf\xe9\x02\x81 au lait.\n\nDisclaimer: D.\n", "binary data"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_exits_2_and_writes_nothing(tmp_path: Path, name: str) -> None:
    content, problem = BAD_INPUTS[name]
    path = tmp_path / f"{name}.md"
    path.write_bytes(content)
    out = tmp_path / "out"
    code, stdout, stderr = run("build", str(path), "--out", str(out))
    assert code == 2
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert str(path) in lines[0] and problem in lines[0] and "Fix:" in lines[0]
    assert not (out / name).exists()


def test_missing_file_exits_2(tmp_path: Path) -> None:
    code, _, stderr = run("build", str(tmp_path / "nowhere.md"), "--out", str(tmp_path / "out"))
    assert code == 2
    assert "nowhere.md" in stderr


def test_bad_article_leaves_the_previous_good_handouts_alone(tmp_path: Path) -> None:
    path = tmp_path / "leaflet.md"
    path.write_text(GOOD, encoding="utf-8")
    out = tmp_path / "out"
    assert run("build", str(path), "--out", str(out), "--format", "html")[0] == 0
    before = (out / "leaflet" / "leaflet.html").read_bytes()
    path.write_text("---\ntitle: [broken\n---\n", encoding="utf-8")
    assert run("build", str(path), "--out", str(out), "--format", "html")[0] == 2
    assert (out / "leaflet" / "leaflet.html").read_bytes() == before


def test_one_bad_article_does_not_stop_the_others(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    (source / "good.md").write_text(GOOD, encoding="utf-8")
    (source / "bad.md").write_text("no front matter\n", encoding="utf-8")
    code, _, stderr = run("build", str(source), "--out", str(tmp_path / "out"), "--format", "html")
    assert code == 2
    assert "bad.md" in stderr
    assert (tmp_path / "out" / "good" / "good.html").exists()


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    code, _, stderr = run("build", str(SEED_ARTICLE), "--format", "kindle", "--out", str(tmp_path))
    assert code == 2
    assert "braille" in stderr


def test_empty_folder_is_an_error(tmp_path: Path) -> None:
    code, _, stderr = run("build", str(tmp_path), "--out", str(tmp_path / "out"))
    assert code == 2
    assert "no articles" in stderr


@pytest.mark.engine
def test_real_engine_audio_lasts_as_long_as_the_words_need(tmp_path: Path) -> None:
    soundfile = pytest.importorskip("soundfile")
    out = tmp_path / "out"
    code, _, stderr = run("build", str(SEED_ARTICLE), "--out", str(out), "--format", "audio")
    assert code == 0, stderr
    samples, rate = soundfile.read(out / "ketamine-ptsd" / "ketamine-ptsd.mp3")
    assert rate == 44100 and samples.ndim == 1
    seconds = len(samples) / rate
    document = read_article(SEED_ARTICLE)
    word_count = len(" ".join([document.title, *section_texts(document.sections)]).split()) \
        + 2 * len(document.disclaimer.text.split())
    expected = word_count / 150 * 60
    # Speech at 150 words a minute plus the pauses between sentences and sections.
    assert expected * 0.9 <= seconds <= expected * 1.5, (seconds, expected)


def test_without_a_speech_engine_the_other_handouts_are_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pyttsx3

    import pipeline.audio.engines as speech

    def no_engine(driver: str | None = None, *args: object, **kwargs: object) -> None:
        raise OSError(f"{driver} driver: cannot open shared object file")

    monkeypatch.setattr(speech, "_ENGINES", {})
    monkeypatch.setattr(pyttsx3, "init", no_engine)
    out = tmp_path / "out"
    code, _, stderr = run("build", str(SEED_ARTICLE), "--out", str(out))
    assert code == 1
    assert "pip install piper-tts" in stderr
    folder = out / "ketamine-ptsd"
    assert (folder / "ketamine-ptsd.pdf").exists() and (folder / "ketamine-ptsd.html").exists()
    assert not (folder / "ketamine-ptsd.mp3").exists()


def test_batch_logs_a_line_per_article_and_a_summary_naming_failures(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    for name in ("a-first", "c-third"):
        (source / f"{name}.md").write_text(GOOD, encoding="utf-8")
    (source / "b-broken.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    code, stdout, stderr = run("build", str(source), "--out", str(tmp_path / "out"), "--format", "html")
    assert code == 2
    lines = stdout.splitlines()
    # The article that cannot be read is known before anything is built, and reported then.
    assert lines[0] == "[1] b-broken.md: failed"
    assert lines[1].startswith("[2] a-first: built") and lines[2].startswith("[3] c-third: built")
    assert "0 of 3 up to date, 2 built, 1 failed: b-broken.md" in stderr



def test_the_summary_says_what_was_done_as_the_plan_line_counts_it(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    for name in ("a-first", "b-second", "c-third"):
        (source / f"{name}.md").write_text(GOOD, encoding="utf-8")
    command = ("build", str(source), "--out", str(tmp_path / "out"), "--format", "html")
    assert run(*command)[0] == 0
    code, stdout, stderr = run(*command)
    assert code == 0
    assert "3 of 3 articles are up to date; building 0" in stderr
    assert stdout.strip().splitlines()[-1] == "3 of 3 up to date, 0 built", stdout
    (source / "b-second.md").write_text(GOOD.replace("Wash", "Scrub"), encoding="utf-8")
    code, stdout, stderr = run(*command)
    assert "2 of 3 articles are up to date; building 1" in stderr
    assert code == 0 and stdout.strip().splitlines()[-1] == "2 of 3 up to date, 1 built", stdout
    # An article that cannot be read is neither up to date nor built.
    (source / "d-broken.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    code, stdout, stderr = run(*command)
    assert code == 2
    assert "3 of 4 articles are up to date; building 0; 1 cannot be read" in stderr
    assert stderr.strip().splitlines()[-1] == "3 of 4 up to date, 0 built, 1 failed: d-broken.md", stderr

# ---------------------------------------------------------------- handout plain

HANDS = ("---\ntitle: Washing Your Hands\n---\nWash your hands with soap and water for 20 seconds. Do not skip "
         "the backs of your hands.\n\n## When\n\nWash before you eat and after you use the toilet.\n\n"
         "Disclaimer: Ask your nurse if you have questions.\n")
HANDS_PLAIN = ("---\ntitle: Clean hands\n---\nWash your hands for 20 seconds. Use soap and water. Do not skip "
               "the backs of your hands.\n\n## When to wash\n\nWash before you eat. Wash after you use the toilet.\n")


def hands_pair(tmp_path: Path, plain: str | None = HANDS_PLAIN) -> Path:
    article = tmp_path / "hands.md"
    article.write_text(HANDS, encoding="utf-8")
    if plain is not None:
        (tmp_path / "hands.plain.md").write_text(plain, encoding="utf-8")
    return article


def test_plain_exits_0_for_a_plain_edition_at_the_target_keeping_every_fact(tmp_path: Path) -> None:
    code, out, _ = run("plain", str(hands_pair(tmp_path)))
    assert code == 0, out
    assert "meets the reading target and keeps every fact" in out
    assert "formula: SMOG and Flesch-Kincaid; target: grade <= 6" in out


def test_plain_exits_1_and_names_a_dropped_fact(tmp_path: Path) -> None:
    code, out, _ = run("plain", str(hands_pair(tmp_path, HANDS_PLAIN.replace("Do not skip", "Clean"))))
    assert code == 1
    assert "dropped: negation “Do not skip the backs” in “Do not skip the backs of your hands.”" in out


def test_plain_on_an_article_without_a_plain_edition_analyses_the_labelled_draft(tmp_path: Path) -> None:
    code, out, _ = run("plain", str(hands_pair(tmp_path, plain=None)), "--json")
    data = json.loads(out)
    assert data["edition"] == "draft" and data["source"] is None
    assert code == (0 if data["ok"] else 1)
    code, out, _ = run("plain", str(tmp_path / "hands.md"))
    assert out.startswith("hands: the automatic draft (no plain edition written yet; not checked by a person)")


def test_plain_json_shape(tmp_path: Path) -> None:
    code, out, _ = run("plain", str(hands_pair(tmp_path, HANDS_PLAIN.replace("20 seconds", "2 minutes"))),
                       "--json")
    assert code == 1
    data = json.loads(out)
    assert {"formula", "grade", "target", "hard_sentences", "facts"} <= set(data)
    assert data["formula"] == "SMOG and Flesch-Kincaid" and data["target"] == 6.0
    assert isinstance(data["grade"], float)
    assert set(data["facts"]) >= {"dropped", "added"}
    assert [f["fact"] for f in data["facts"]["dropped"]] == ["20 seconds"]
    assert [f["fact"] for f in data["facts"]["added"]] == ["2 minutes"]
    assert {"kind", "fact", "sentence", "section"} <= set(data["facts"]["added"][0])
    for sentence in data["hard_sentences"]:
        assert {"text", "grade", "hard_words"} <= set(sentence)
    assert data["edition"] == "plain" and data["sections"][0]["kind"] == "opening"


def test_plain_exits_2_on_bad_input(tmp_path: Path) -> None:
    code, _, err = run("plain", str(tmp_path / "missing.md"))
    assert code == 2 and "missing.md" in err
    bad = tmp_path / "bad.md"
    bad.write_text("no front matter", encoding="utf-8")
    code, _, err = run("plain", str(bad))
    assert code == 2 and "bad.md" in err
    article = hands_pair(tmp_path, HANDS_PLAIN + "\nDisclaimer: Something else.\n")
    code, _, err = run("plain", str(article))
    assert code == 2 and "hands.plain.md" in err and "disclaimer differs" in err
# ---------------------------------------------------------------- Word documents


def test_a_word_document_builds_and_its_warnings_reach_the_person(tmp_path: Path) -> None:
    word = article(tmp_path, picture_alt=None)
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "pipeline", "build", str(word), "--out", str(out),
                           "--format", "html", "--format", "braille"], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parent.parent)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (out / "knee-pain").iterdir() if not p.name.startswith(".")) == [
        "knee-pain.braille.html", "knee-pain.brf", "knee-pain.html", "knee-pain.readability.json"]
    told = [line for line in done.stderr.splitlines() if "knee-pain.docx:" in line]
    assert told == [
        f"WARNING: {word}: paragraph 17: 'When to call your doctor' looks like a heading; style it Heading 1 in "
        "Word so every reader finds it",
        f"WARNING: {word}: paragraph 19: a picture has no description; it is printed and shown, but readers who "
        "cannot see it meet only 'Picture with no description'; describe it in Word (right-click > View Alt Text), "
        "or mark it decorative there if it adds nothing to the text"]
    page = (out / "knee-pain" / "knee-pain.html").read_text(encoding="utf-8")
    assert 'alt="Picture with no description"' in page and "picture-1" not in page and "picture.png" not in page


def test_a_folder_of_word_documents_builds(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    article(source, name="Knee Pain.docx")
    (source / "hands.md").write_text(GOOD, encoding="utf-8")
    code, stdout, stderr = run("build", str(source), "--out", str(tmp_path / "out"), "--format", "html")
    assert code == 0, stderr
    assert (tmp_path / "out" / "knee-pain" / "knee-pain.html").exists()
    assert (tmp_path / "out" / "hands" / "hands.html").exists()


@pytest.mark.parametrize("kind", ["doc", "encrypted", "rtf", "odt", "pdf", "damaged"])
def test_a_bad_word_file_exits_2_and_writes_nothing(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "leaflet.docx"
    if kind in ("doc", "encrypted"):
        ole2(path, encrypted=kind == "encrypted")
    elif kind == "odt":
        odt(path)
    elif kind == "damaged":
        (tmp_path / "good").mkdir()
        cut_short(path, article(tmp_path / "good"))
    else:
        path.write_bytes(b"{\\rtf1 Hi}" if kind == "rtf" else b"%PDF-1.4\n")
    out = tmp_path / "out"
    code, _, stderr = run("build", str(path), "--out", str(out))
    assert code == 2
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"error: {path}: ") and "Fix:" in lines[0], stderr
    assert not (out / "leaflet").exists()


def test_import_writes_markdown_that_builds_the_same_page(tmp_path: Path) -> None:
    word = article(tmp_path)
    to = tmp_path / "source"
    code, stdout, stderr = run("import", str(word), "--to", str(to))
    assert code == 0, stderr
    assert stdout.strip() == f"{word}: wrote {to / 'knee-pain.md'} and 1 picture(s) in {to / 'knee-pain.assets'}"
    assert run("import", str(word), "--to", str(to))[0] == 2  # already there
    assert run("import", str(word), "--to", str(to), "--force")[0] == 0
    for built in ("from-word", "from-text"):
        source = word if built == "from-word" else to / "knee-pain.md"
        assert run("build", str(source), "--out", str(tmp_path / built), "--format", "html")[0] == 0
    assert (tmp_path / "from-word" / "knee-pain" / "knee-pain.html").read_bytes() == \
        (tmp_path / "from-text" / "knee-pain" / "knee-pain.html").read_bytes()


def test_an_article_nested_past_the_limit_exits_2_with_its_line(tmp_path: Path) -> None:
    # 200 KB on one line: 100,000 levels of bold around one letter.
    body = "*" * 100_000 + "x" + "*" * 100_000
    source = tmp_path / "deep.md"
    source.write_text(f"---\ntitle: Deep\n---\nOpening.\n\n{body}\n\nDisclaimer: Ask us.\n", encoding="utf-8")
    code, _, err = run("build", str(source), "--out", str(tmp_path / "out"), "--format", "html")
    assert code == 2, err
    assert f"{source}:6: emphasis (* or _) is nested more than 12 levels deep" in err
    assert "unexpected failure" not in err and not (tmp_path / "out" / "deep").exists()


def test_a_windows_ansi_article_builds_with_a_warning_naming_the_encoding(tmp_path: Path,
                                                                        caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "cafe.md"
    path.write_bytes("---\ntitle: Café\n---\nRest – and ice the knee.\n\nDisclaimer: Ask us.\n".encode("cp1252"))
    code, _, stderr = run("build", str(path), "--out", str(tmp_path / "out"), "--format", "html")
    assert code == 0, stderr
    warned = [r.getMessage() for r in caplog.records if "read as Windows-1252" in r.getMessage()]
    assert len(warned) == 1 and warned[0].startswith(f"{path}: the file is not UTF-8")
    assert "line 2 reads 'Café'" in warned[0]
