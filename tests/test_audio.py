"""Tests of the audio renderer: timing, loudness, MP3 format, ID3 chapters, captions, reliability.

Unit tests use a fake engine (tones whose length follows the words and the
rate). Tests marked ``engine`` run eSpeak NG and measure the finished file.
"""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from conftest import DISCLAIMER_TEXT, ROOT, ToneEngine, para, short_document

from pipeline.audio import recording as rec
from pipeline.audio.engines import ESPEAK_FACTS, Speech, Voice
from pipeline.audio.listening import caption_cues, chapters, decode, frame_bitrates, measure
from pipeline.audio.mp3 import write_tags
from pipeline.audio.recording import (
    CHAPTER_GAP_S,
    Cue,
    limit_peaks,
    normalise_loudness,
    record,
    record_at_rate,
    words_per_minute,
)
from pipeline.audio.script import listening_script
from pipeline.model import Document, Section
from pipeline.renderers.audio import AudioRenderer
from pipeline.settings import Settings

# ---------------------------------------------------------------- unit: timing and levels


def test_cues_are_one_per_sentence_in_the_articles_words(tmp_path: Path) -> None:
    document = replace(short_document(tmp_path), lexicon=(("knee", "knee joint"),))
    script = listening_script(document)
    engine = ToneEngine()
    recording = record(script, engine)
    sentences = [s for chapter in script for s in chapter.sentences]
    assert [c.text for c in recording.cues] == [s.text for s in sentences]
    assert engine.spoken == [s.spoken for s in sentences]
    assert "knee joint" in " ".join(engine.spoken)
    assert "knee joint" not in " ".join(c.text for c in recording.cues)
    # The tone (the "speech") fills each cue: the engine's padding was trimmed.
    for cue, sentence in zip(recording.cues, sentences, strict=False):
        expected = len(sentence.spoken.split()) / 150 * 60
        assert cue.end - cue.start == pytest.approx(expected, abs=0.01)


def test_chapters_start_where_their_heading_is_spoken_after_a_clear_pause(tmp_path: Path) -> None:
    script = listening_script(short_document(tmp_path))
    recording = record(script, ToneEngine())
    assert [m.title for m in recording.chapters] == [c.title for c in script]
    first_cues = []
    index = 0
    for chapter in script:
        first_cues.append(recording.cues[index])
        index += len(chapter.sentences)
    assert recording.chapters[0].start == 0.0
    for mark, cue, previous in zip(recording.chapters[1:], first_cues[1:], recording.chapters, strict=False):
        assert mark.start == pytest.approx(cue.start, abs=1e-6)
        assert previous.end == pytest.approx(mark.start, abs=1e-6)
    previous = [recording.cues[recording.cues.index(c) - 1] for c in first_cues[1:]]
    for cue, before in zip(first_cues[1:], previous, strict=True):
        assert cue.start - before.end == pytest.approx(CHAPTER_GAP_S, abs=0.001)
    assert recording.chapters[-1].end == pytest.approx(recording.seconds, abs=1e-6)


def test_normalise_reaches_the_rms_target_and_holds_peaks_under_the_ceiling() -> None:
    rng = np.random.default_rng(1)
    rate = 22_050
    # Speech-like: quiet syllables with rare loud spikes and pauses between.
    signal = (0.05 * rng.standard_normal(rate * 20)).astype(np.float32)
    signal[::5000] = 0.9
    signal[rate * 5: rate * 7] = 0
    out = normalise_loudness(signal, rate)
    assert 20 * np.log10(np.sqrt(np.mean(out.astype(np.float64) ** 2))) == pytest.approx(rec.TARGET_RMS_DB, abs=0.2)
    assert 20 * np.log10(np.max(np.abs(out))) <= rec.PEAK_CEILING_DB + 1e-3
    assert np.all(out[rate * 5: rate * 7] == 0)


def test_limiter_touches_only_the_loud_moments() -> None:
    rate = 22_050
    signal = np.full(rate, 0.1, dtype=np.float32)
    signal[rate // 2] = 1.0
    out = limit_peaks(signal, rate)
    assert np.max(np.abs(out)) <= 10 ** (rec.PEAK_CEILING_DB / 20) + 1e-6
    assert np.allclose(out[: rate // 4], 0.1) and np.allclose(out[-rate // 4:], 0.1)


def test_the_limiter_holds_true_peaks_between_samples() -> None:
    from scipy.signal import resample_poly

    rate = 22_050
    t = np.arange(rate) / rate
    # A tone at a quarter of the sample rate, sampled 45 degrees off its crests:
    # every sample is at 0.71 of the waveform's true peak of 0.8.
    tone = (0.8 * np.sin(2 * np.pi * rate / 4 * t + np.pi / 4)).astype(np.float32)
    assert np.max(np.abs(tone)) < 10 ** (rec.PEAK_CEILING_DB / 20)  # the samples alone look safe
    out = limit_peaks(tone, rate)
    true_peak = np.max(np.abs(resample_poly(out.astype(np.float64), 8, 1)[100:-100]))
    assert 20 * np.log10(true_peak) <= rec.PEAK_CEILING_DB + 0.1


def test_rate_calibration_corrects_a_voice_that_speaks_faster_than_its_nominal_rate(tmp_path: Path) -> None:
    script = listening_script(short_document(tmp_path))
    voice = Voice(id="fake", name="fake", languages=("en-us",))
    engines: list[ToneEngine] = []

    def make(voice: Voice, rate: int) -> ToneEngine:
        engines.append(ToneEngine(rate, speed=1.4))
        return engines[-1]

    recording = record_at_rate(script, voice, 150, make)
    assert recording.words_per_minute == pytest.approx(150, rel=rec.RATE_TOLERANCE)
    assert engines[0].rate < 150 * ESPEAK_FACTS.nominal_per_measured  # corrected downwards


class StubbornTone(ToneEngine):
    """A tone voice whose pace follows its rate less than in proportion (as Piper's, whose pauses do not stretch)."""

    def speak(self, text: str, work_dir: Path):  # type: ignore[no-untyped-def]
        self.spoken.append(text)
        seconds = len(text.split()) * 60 / (150 * (self.rate / 150) ** 0.4) * 0.8
        tone = (0.5 * np.sin(2 * np.pi * 200 * np.arange(int(seconds * self.sample_rate)) / self.sample_rate))
        return Speech(samples=tone.astype(np.float32), sample_rate=self.sample_rate)


@pytest.mark.parametrize("settle_rounds, settles", [(rec.SETTLE_ROUNDS, True), (0, False)])
def test_a_short_article_settles_on_the_pace_in_one_recording(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               settle_rounds: int, settles: bool) -> None:
    monkeypatch.setattr(rec, "SETTLE_ROUNDS", settle_rounds)
    engine = StubbornTone(150)
    recording = record(listening_script(short_document(tmp_path)), engine, pace=150)
    assert (abs(recording.words_per_minute / 150 - 1) <= rec.RATE_TOLERANCE) is settles


def test_words_per_minute_counts_caption_words_over_speaking_time() -> None:
    cues = (Cue(0.0, 2.0, "PTSD is treatable."), Cue(3.0, 4.0, "1. Rest."))
    assert words_per_minute(cues) == pytest.approx(5 / 3 * 60)


# ---------------------------------------------------------------- unit: files


def test_mp3_is_mono_44k_cbr_with_id3_title_language_disclaimer_and_chapters(tmp_path: Path) -> None:
    from mutagen.id3 import ID3

    document = short_document(tmp_path)
    files = AudioRenderer(engine=ToneEngine()).render(document, Settings(), tmp_path)
    mp3 = tmp_path / "knee.mp3"
    assert files == [mp3, tmp_path / "knee.vtt"]
    rates = frame_bitrates(mp3)
    assert set(rates) == {96}
    samples, rate = decode(mp3)
    assert rate == 44_100 and samples.ndim == 1
    assert len(rates) * 1152 / 44_100 == pytest.approx(len(samples) / rate, abs=0.1)
    tags = ID3(str(mp3))
    assert str(tags["TIT2"]) == document.title
    assert str(tags["TLAN"]) == "eng"
    assert tags.getall("COMM")[0].text[0] == DISCLAIMER_TEXT
    marks = chapters(mp3)
    assert [m[0] for m in marks] == [document.title, "Introduction", "What to do each day",
                                     "When to call us", "Disclaimer"]
    # The table of contents lists the chapters in the order they play.
    toc = tags.getall("CTOC")[0]
    starts = {frame.element_id: frame.start_time for frame in tags.getall("CHAP")}
    assert [starts[i] for i in toc.child_element_ids] == sorted(starts.values())


def test_times_are_where_a_player_sounds_them_in_the_mp3(tmp_path: Path) -> None:
    """A decoder that honours the Info header (libsndfile's mpg123 here) trims the delay: the click is heard on time.

    Captions and chapters are written CODEC_DELAY_S late, which is then none.
    """
    from pipeline.audio.mp3 import CODEC_DELAY_S, as_played, encode_mp3

    rate = 22_050
    samples = np.zeros(3 * rate, dtype=np.float32)
    samples[rate: rate + 200] = 0.8  # a click one second in
    recording = rec.Recording(samples=samples, sample_rate=rate, cues=(rec.Cue(1.0, 1.01, "Click."),),
                              chapters=(rec.ChapterMark("Title", 0.0, 0.5), rec.ChapterMark("Click", 1.0, 3.0)),
                              spoken_text="Click.")
    mp3 = tmp_path / "click.mp3"
    mp3.write_bytes(encode_mp3(recording))
    decoded, decoded_rate = decode(mp3)
    heard = np.flatnonzero(np.abs(decoded) > 0.1)[0] / decoded_rate
    assert CODEC_DELAY_S == 0.0
    assert heard == pytest.approx(1.0, abs=0.001)
    assert len(decoded) == 3 * 44_100  # the exact length: no delay in front, no padding behind
    played = as_played(recording)
    assert played.cues[0].start == pytest.approx(heard, abs=0.002)
    assert [mark.start for mark in played.chapters] == [0.0, pytest.approx(heard, abs=0.002)]
    assert played.chapters[-1].end <= len(decoded) / decoded_rate


def test_captions_are_valid_webvtt_with_escaped_text(tmp_path: Path) -> None:
    document = replace(short_document(tmp_path, tiny=True),
                       sections=(Section(heading=None, level=2, blocks=(para("Salt & water <daily>."),)),))
    AudioRenderer(engine=ToneEngine()).render(document, Settings(), tmp_path)
    text = (tmp_path / "knee.vtt").read_text(encoding="utf-8")
    assert text.startswith("WEBVTT\n")
    assert "Salt &amp; water &lt;daily&gt;." in text
    assert [c[2] for c in caption_cues(tmp_path / "knee.vtt")][3] == "Salt & water <daily>."


# ---------------------------------------------------------------- the real engine


# The default English voice (Piper) and the eSpeak NG voice other languages get.
ESPEAK_VOICE = "gmw/en-us"


@pytest.fixture(scope="module", params=[None, ESPEAK_VOICE], ids=["piper", "espeak"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Document, Path, Path]:
    folder = tmp_path_factory.mktemp("audio")
    document = short_document(folder)
    AudioRenderer().render(document, Settings(voice=request.param), folder)
    return document, folder / "knee.mp3", folder / "knee.vtt"


@pytest.mark.engine
def test_real_audio_meets_loudness_silence_and_format_targets(built: tuple[Document, Path, Path]) -> None:
    _, mp3, vtt = built
    figures = measure(mp3, vtt)
    # Gate: plain RMS of the whole file (the ACX/NNELS measure).
    assert -23.0 <= figures.rms_db <= -18.0
    # BS.1770 integrated loudness, gated on speech, is held to the same range.
    assert -23.0 <= figures.lufs <= -18.0
    assert figures.peak_dbfs <= -3.0
    assert figures.noise_floor_db < -60.0
    assert 0.5 <= figures.lead_in_s <= 1.0
    assert 1.0 <= figures.tail_s <= 5.0
    assert (figures.sample_rate, figures.channels, figures.bitrate_kbps) == (44_100, 1, 96)
    assert figures.constant_bitrate


@pytest.mark.engine
def test_real_chapter_starts_are_where_speech_begins(built: tuple[Document, Path, Path]) -> None:
    _, mp3, _ = built
    samples, rate = decode(mp3)
    marks = chapters(mp3)
    assert len(marks) == 5
    for title, start, _ in marks[1:]:
        before = samples[int((start - 1.0) * rate): int((start - 0.05) * rate)]
        after = samples[int(start * rate): int((start + 0.3) * rate)]
        assert 20 * np.log10(np.max(np.abs(before)) + 1e-10) < -60, f"{title}: sound before the chapter"
        onset = np.flatnonzero(np.abs(after) > 10 ** (-40 / 20))
        assert onset.size and onset[0] / rate < 0.06, f"{title}: speech does not begin at the chapter start"


@pytest.mark.engine
def test_real_captions_match_the_speech_and_the_chapters(built: tuple[Document, Path, Path]) -> None:
    document, mp3, vtt = built
    samples, rate = decode(mp3)
    cues = caption_cues(vtt)
    script = listening_script(document)
    assert [c[2] for c in cues] == [s.text for chapter in script for s in chapter.sentences]
    starts = {round(c[0], 3) for c in cues}
    for _, start, _ in chapters(mp3)[1:]:
        assert round(start, 3) in starts
    loud = 10 ** (-40 / 20)
    for (start, end, text), following in zip(cues, cues[1:] + [(len(samples) / rate, 0, "")], strict=False):
        spoken = samples[int(start * rate): int(end * rate)]
        assert np.max(np.abs(spoken[: int(0.1 * rate)])) > loud, f"no speech at the start of {text!r}"
        gap = samples[int((end + 0.06) * rate): int((following[0] - 0.01) * rate)]
        assert gap.size == 0 or np.max(np.abs(gap)) < loud, f"speech after the end of {text!r}"


@pytest.mark.engine
@pytest.mark.parametrize("wpm, voice", [(150, None), (110, None), (200, None), (150, ESPEAK_VOICE)])
def test_real_speaking_rate_measured_from_the_file(tmp_path: Path, wpm: int, voice: str | None) -> None:
    AudioRenderer().render(short_document(tmp_path), Settings(rate=wpm, voice=voice), tmp_path)
    figures = measure(tmp_path / "knee.mp3", tmp_path / "knee.vtt")
    # Words of the captions over the time the voice is sounding (pauses of
    # 0.3 s or more excluded), measured on the decoded MP3.
    assert figures.words_per_minute == pytest.approx(wpm, rel=0.10)


# ---------------------------------------------------------------- reliability


def _complete(mp3: Path, expected_s: float | None = None, tolerance_s: float = 0.05) -> None:
    """The file has its three chapters and plays to its last caption (and, if given, lasts ``expected_s``)."""
    samples, rate = decode(mp3)
    cues = caption_cues(mp3.with_suffix(".vtt"))
    if expected_s is not None:
        spans = [round(end - start, 3) for start, end, _ in cues]
        assert len(samples) / rate == pytest.approx(expected_s, abs=tolerance_s), f"{mp3}: sentences {spans}"
    # The file runs to its own last caption plus the planned tail, no more, no less.
    assert len(samples) / rate == pytest.approx(cues[-1][1] + rec.TAIL_S, abs=0.06)
    assert len(chapters(mp3)) == 3
    # Speech right up to the last cue: nothing was cut short.
    last_start, last_end, _ = cues[-1]
    assert np.max(np.abs(samples[int(last_start * rate): int(last_end * rate)])) > 0.1


@pytest.mark.engine
def test_fifty_builds_in_one_process_are_all_complete(tmp_path: Path) -> None:
    # eSpeak NG through pyttsx3 has been seen to write no file now and then;
    # its speech is exactly repeatable, so every file must be the same length.
    document = short_document(tmp_path, "tiny", tiny=True)
    renderer = AudioRenderer()
    expected = None
    for number in range(50):
        folder = tmp_path / str(number)
        folder.mkdir()
        renderer.render(document, Settings(voice=ESPEAK_VOICE), folder)
        samples, rate = decode(folder / "tiny.mp3")
        expected = expected or len(samples) / rate
        _complete(folder / "tiny.mp3", expected)
    assert expected is not None and expected > 10


TINY_ARTICLE = """---
title: Caring for Your Knee After Surgery
lang: en
disclaimer: This handout is for information only. Always ask your own doctor about your care.
---

Your knee needs rest and gentle movement to heal well.
"""


@pytest.mark.engine
def test_twenty_builds_in_separate_processes_are_all_complete(tmp_path: Path) -> None:
    article = tmp_path / "tiny.md"
    article.write_text(TINY_ARTICLE, encoding="utf-8")
    handout = [sys.executable, "-m", "pipeline", "build", "--format", "audio", "--voice", ESPEAK_VOICE, str(article)]

    def run(number: int) -> Path:
        out = tmp_path / f"out{number}"
        done = subprocess.run(handout + ["--out", str(out)], cwd=ROOT, capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, done.stderr
        assert "Audio saved" not in done.stdout
        return out / "tiny" / "tiny.mp3"

    with ThreadPoolExecutor(max_workers=2) as pool:
        files = list(pool.map(run, range(20)))
    first, rate = decode(files[0])
    for mp3 in files:
        # Every process speaks at exactly the rate asked for, so all twenty
        # come out the same length (seen: 27.43 s, all twenty).
        _complete(mp3, len(first) / rate)


@pytest.mark.engine
def test_a_batch_of_different_articles_in_one_process_all_get_audio(tmp_path: Path) -> None:
    # Each article is paced on its own, so the speech rate moves up and down
    # between articles; every one must still be spoken in full.
    from pipeline.batch import build
    from pipeline.settings import Settings

    texts = [
        "Keep the wound clean and dry. Change the dressing every day.",
        "Drink plenty of water. Rest as much as you can for the first two days after your visit.",
        "Take one tablet by mouth each morning with food. Do not take two doses at once.",
        "Call the clinic if you have a fever, more pain, or redness that spreads. We are open every day.",
    ]
    for number, text in enumerate(texts):
        (tmp_path / f"leaflet-{number}.md").write_text(
            f"---\ntitle: Leaflet {number}\n---\n{text}\n\nDisclaimer: Ask your nurse.\n", encoding="utf-8")
    result = build([tmp_path], Settings(out_dir=tmp_path / "out", formats=("audio",)))
    assert [str(e) for a in result.articles for e in a.errors] == []
    assert len(result.articles) == 4
    for number, text in enumerate(texts):
        mp3 = tmp_path / "out" / f"leaflet-{number}" / f"leaflet-{number}.mp3"
        _complete(mp3)
        assert text.split(". ")[-1] in (mp3.with_suffix(".vtt")).read_text(encoding="utf-8")


def test_true_peaks_found_a_piece_at_a_time_equal_those_of_the_whole() -> None:
    from scipy.signal import resample_poly

    from pipeline.audio.recording import _block_true_peaks

    rng = np.random.default_rng(1)
    samples = (rng.standard_normal(22_050 * 30) * 0.1).astype(np.float32)
    block = 110
    blocks = -(-len(samples) // block)
    whole = np.abs(resample_poly(samples.astype(np.float64), 4, 1))
    whole = np.pad(whole, (0, blocks * block * 4 - len(whole))).reshape(blocks, block * 4).max(axis=1)
    expected = np.maximum(np.pad(np.abs(samples), (0, blocks * block - len(samples))).reshape(blocks, block).max(1),
                          whole)
    assert np.allclose(_block_true_peaks(samples, block), expected, atol=1e-6)


def test_the_mp3_starts_with_a_lame_info_header_that_mutagen_reads(tmp_path: Path) -> None:
    """Players learn the exact length and the delay to trim from it; lameenc alone writes none."""
    from mutagen.mp3 import MP3, BitrateMode

    from pipeline.audio.listening import info_header
    from pipeline.audio.mp3 import ENCODER_DELAY, SAMPLES_PER_FRAME, encode_mp3

    rate = 22_050
    samples = (0.25 * np.sin(2 * np.pi * 440 * np.arange(int(2.5 * rate)) / rate)).astype(np.float32)
    recording = rec.Recording(samples=samples, sample_rate=rate, cues=(), chapters=(), spoken_text="")
    mp3 = tmp_path / "tone.mp3"
    mp3.write_bytes(encode_mp3(recording))
    info = MP3(str(mp3)).info
    assert info.bitrate_mode == BitrateMode.CBR
    assert info.encoder_info.startswith("LAME 3.100") and info.encoder_settings == "-b 96"
    assert info.length == pytest.approx(2.5, abs=1 / 44_100)
    assert info.track_peak == pytest.approx(0.25, abs=0.001) and info.track_gain is None
    header = info_header(mp3)
    assert header is not None and header.tag == "Info" and header.crc_ok
    assert header.delay == ENCODER_DELAY
    assert (header.frames, header.bytes) == (header.frames_counted, header.bytes_counted)
    assert header.frames * SAMPLES_PER_FRAME - header.delay - header.padding == 2.5 * 44_100
    # Tags written afterwards keep it first.
    document = short_document(tmp_path, tiny=True)
    recording = replace(recording, chapters=(rec.ChapterMark("Title", 0.0, 2.5),))
    write_tags(mp3, document, recording)
    assert MP3(str(mp3)).info.bitrate_mode == BitrateMode.CBR and info_header(mp3) == header


def test_the_audio_check_fails_an_mp3_without_its_header(tmp_path: Path) -> None:
    from pipeline.audio.mp3 import encode_mp3
    from pipeline.checks import Recorder
    from pipeline.checks.audio import _info_header

    rate = 22_050
    samples = (0.25 * np.sin(2 * np.pi * 440 * np.arange(rate) / rate)).astype(np.float32)
    data = encode_mp3(rec.Recording(samples=samples, sample_rate=rate, cues=(), chapters=(), spoken_text=""))
    mp3 = tmp_path / "tone.mp3"
    mp3.write_bytes(data)
    record = Recorder("audio", mp3)
    _info_header(mp3, 1.0, record)
    assert record.findings[-1].status == "pass", record.findings[-1]
    mp3.write_bytes(data[313:])  # as lameenc writes it: frames only
    _info_header(mp3, 1.0, record)
    assert (record.findings[-1].status, record.findings[-1].figure) == ("fail", "none")


def test_the_lame_checksum_is_crc16_arc() -> None:
    """The tag's and the music's checksums are CRC-16/ARC, as LAME writes them (check value of "123456789")."""
    from pipeline.audio.mp3 import _crc16

    assert _crc16(b"123456789") == 0xBB3D
    assert _crc16(b"") == 0
    assert _crc16(b"6789", _crc16(b"12345")) == 0xBB3D  # carried on from a part
