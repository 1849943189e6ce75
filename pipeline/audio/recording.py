"""A recording of the listening script: every sentence spoken, trimmed, joined with measured pauses, levelled.

Each sentence is synthesised on its own, its surrounding silence trimmed and
measured pauses put back (short between sentences, longer between paragraphs
and before a heading). That gives even pacing and exact times for every
sentence, from which come the ID3 chapters and the WebVTT captions.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .engines import ESPEAK_RATES, Pyttsx3Engine, RatedEngine, SpeechEngine, Voice
from .script import Chapter

log = logging.getLogger(__name__)

LEAD_IN_S = 0.75
TAIL_S = 2.0
SENTENCE_GAP_S = 0.35
PARAGRAPH_GAP_S = 0.8
CHAPTER_GAP_S = 1.5
# Loudness is gated on the plain (unweighted) RMS of the whole file, the figure
# ACX and NNELS specify (-23 to -18 dB); -20.5 leaves room on both sides.
TARGET_RMS_DB = -20.5
# Peaks are held below -3 dBFS with a margin, because MP3 encoding lets
# decoded peaks overshoot the PCM that went in by a fraction of a dB.
PEAK_CEILING_DB = -4.0
SILENCE_THRESHOLD = 10 ** (-45 / 20)
LIMITER_BLOCK_S = 0.005
# eSpeak's rate is nominal: measured words a minute differ from it, and by how
# much depends on the words (long medical words are slower to say). The first
# pass uses the typical ratio seen here (measured = 0.85 x nominal at 150);
# later passes correct by the figure measured on this article's own speech.
NOMINAL_PER_MEASURED = 1 / 0.85
RATE_TOLERANCE = 0.03
RATE_PASSES = 4


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str


@dataclass(frozen=True)
class ChapterMark:
    title: str
    start: float
    end: float


@dataclass(frozen=True)
class Recording:
    samples: np.ndarray
    sample_rate: int
    cues: tuple[Cue, ...]
    chapters: tuple[ChapterMark, ...]
    spoken_text: str

    @property
    def seconds(self) -> float:
        return len(self.samples) / self.sample_rate

    @property
    def words_per_minute(self) -> float:
        """Words of the article said a minute while speaking (the pauses put between sentences excluded)."""
        return words_per_minute(self.cues)


def count_words(text: str) -> int:
    """Words as a reader counts them in the captions ("PTSD" is one word, "1." is one)."""
    return sum(1 for token in text.split() if any(ch.isalnum() for ch in token))


def words_per_minute(cues: tuple[Cue, ...] | list[Cue]) -> float:
    """Caption words divided by the time the voice is speaking them."""
    speaking = sum(cue.end - cue.start for cue in cues)
    return 60 * sum(count_words(cue.text) for cue in cues) / speaking if speaking else 0.0


def record_at_rate(chapters: list[Chapter], voice: Voice, wpm: int,
                   make_engine: Callable[[Voice, int], RatedEngine] | None = None) -> Recording:
    """Speak the script so that the measured words a minute come within a few percent of ``wpm``.

    Synthesis is fast (seconds for a whole article), so the script is simply
    spoken again at a corrected nominal rate until the measured rate fits.
    """
    nominal = round(wpm * NOMINAL_PER_MEASURED)
    engine = (make_engine or Pyttsx3Engine)(voice, nominal)
    recording = record(chapters, engine)
    for _ in range(RATE_PASSES - 1):
        measured = recording.words_per_minute
        if measured <= 0 or abs(measured / wpm - 1) <= RATE_TOLERANCE:
            break
        corrected = min(max(round(engine.rate * wpm / measured), ESPEAK_RATES[0]), ESPEAK_RATES[1])
        if corrected == engine.rate:
            break
        log.info("measured %.0f words a minute at eSpeak rate %d; trying %d", measured, engine.rate, corrected)
        engine.rate = corrected
        recording = record(chapters, engine)
    return recording


def record(chapters: list[Chapter], engine: SpeechEngine) -> Recording:
    """Speak every sentence of the script and join them with measured pauses."""
    pieces: list[np.ndarray] = []
    cues: list[Cue] = []
    marks: list[ChapterMark] = []
    rate = 0
    clock = 0.0
    with tempfile.TemporaryDirectory(prefix="handout-speech-") as work:
        for chapter in chapters:
            chapter_start = clock
            for p_index, paragraph in enumerate(chapter.paragraphs):
                for s_index, sentence in enumerate(paragraph):
                    if clock == 0.0:
                        gap = LEAD_IN_S
                    elif p_index == 0 and s_index == 0:
                        gap = CHAPTER_GAP_S
                    elif s_index == 0:
                        gap = PARAGRAPH_GAP_S
                    else:
                        gap = SENTENCE_GAP_S
                    speech = engine.speak(sentence.spoken, Path(work))
                    if rate == 0:
                        rate = speech.sample_rate
                    voiced = trim_silence(speech.samples)
                    pieces.append(np.zeros(int(gap * rate), dtype=np.float32))
                    clock += gap
                    if p_index == 0 and s_index == 0:
                        chapter_start = clock
                    pieces.append(voiced)
                    cues.append(Cue(start=clock, end=clock + len(voiced) / rate, text=sentence.text))
                    clock += len(voiced) / rate
            marks.append(ChapterMark(title=chapter.title, start=chapter_start, end=clock))
    pieces.append(np.zeros(int(TAIL_S * rate), dtype=np.float32))
    samples = normalise_loudness(np.concatenate(pieces), rate)
    total = len(samples) / rate
    # Chapters tile the whole file: each runs to the start of the next.
    tiled = [ChapterMark(m.title, m.start if i else 0.0,
                         marks[i + 1].start if i + 1 < len(marks) else total)
             for i, m in enumerate(marks)]
    spoken = " ".join(c.text for c in cues)
    return Recording(samples=samples, sample_rate=rate, cues=tuple(cues),
                     chapters=tuple(tiled), spoken_text=spoken)


def trim_silence(samples: np.ndarray) -> np.ndarray:
    """Drop the engine's own leading and trailing silence."""
    loud = np.flatnonzero(np.abs(samples) > SILENCE_THRESHOLD)
    if loud.size == 0:
        return samples
    return samples[loud[0]: loud[-1] + 1]


def normalise_loudness(samples: np.ndarray, sample_rate: int = 22_050) -> np.ndarray:
    """Bring the whole file to about -20.5 dB RMS with peaks held at or below -4 dBFS.

    Synthetic speech has a high crest factor, so a plain gain that reaches the
    RMS target would push peaks past the ceiling. A look-ahead peak limiter
    turns down only the few loudest moments; the loop repeats because limiting
    lowers the RMS a little.
    """
    if not np.any(np.abs(samples) > SILENCE_THRESHOLD):
        return samples
    out = samples.astype(np.float32)
    for _ in range(4):
        out = out * (10 ** (TARGET_RMS_DB / 20) / _rms(out))
        out = limit_peaks(out, sample_rate)
        if abs(20 * np.log10(_rms(out)) - TARGET_RMS_DB) < 0.1:
            break
    return out.astype(np.float32)


def _rms(samples: np.ndarray) -> float:
    return max(float(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))), 1e-9)


def limit_peaks(samples: np.ndarray, sample_rate: int) -> np.ndarray:
    """Scale down the loudest moments so no sample exceeds the ceiling, with smooth gain changes."""
    ceiling = 10 ** (PEAK_CEILING_DB / 20)
    block = max(1, int(LIMITER_BLOCK_S * sample_rate))
    padded = np.pad(np.abs(samples), (0, -len(samples) % block))
    need = np.minimum(1.0, ceiling / np.maximum(padded.reshape(-1, block).max(axis=1), 1e-12))
    # Each block takes the smallest gain needed within three blocks either
    # side; gains are then interpolated between block centres. Both ends of any
    # interpolation cover the blocks in between, so the gain never exceeds what
    # a sample needs, and it moves over tens of milliseconds, not clicks.
    wide = np.pad(need, 3, constant_values=1.0)
    gains = np.min(np.lib.stride_tricks.sliding_window_view(wide, 7), axis=1)
    return (samples * _gain_curve(gains, block, len(samples))).astype(np.float32)


def _gain_curve(gains: np.ndarray, block: int, length: int) -> np.ndarray:
    """Per-sample gain, interpolated between block centres, computed only where it is not 1.

    Speech needs limiting in few places, so only the stretches around a
    turned-down block are interpolated: the same curve as interpolating the
    whole file, at a fraction of the cost.
    """
    gain = np.ones(length, dtype=np.float64)
    low = gains < 1.0
    if not low.any():
        return gain
    centres = (np.arange(len(gains)) + 0.5) * block
    touched = low.copy()
    touched[:-1] |= low[1:]
    touched[1:] |= low[:-1]
    index = np.flatnonzero(touched)
    breaks = np.flatnonzero(np.diff(index) > 1)
    starts = np.concatenate(([index[0]], index[breaks + 1]))
    ends = np.concatenate((index[breaks], [index[-1]]))
    for first, last in zip(starts, ends, strict=False):
        low_edge = 0 if first == 0 else int(np.ceil(centres[first]))
        high_edge = length if last == len(gains) - 1 else int(np.floor(centres[last])) + 1
        positions = np.arange(low_edge, min(high_edge, length))
        gain[positions] = np.interp(positions, centres[first:last + 1], gains[first:last + 1])
    return gain
