"""A recording of the listening script: every sentence spoken, trimmed, joined with measured pauses, levelled.

Each sentence is synthesised on its own, its surrounding silence trimmed and
measured pauses put back (short between sentences, longer between paragraphs
and before a heading). That gives even pacing and exact times for every
sentence, from which come the ID3 chapters and the WebVTT captions.
"""

from __future__ import annotations

import logging
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .engines import ESPEAK_FACTS, Pyttsx3Engine, RatedEngine, SpeechEngine, Voice
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
# True peaks are held below -3 dBFS with a margin, because MP3 encoding lets
# decoded peaks overshoot the PCM that went in. With a ceiling on sample peaks
# alone, Piper's voice came out 0.4-1.3 dB over it (the seed at -3.1 dBFS
# from -4); the limiter now measures the waveform between samples too.
PEAK_CEILING_DB = -4.5
SILENCE_THRESHOLD = 10 ** (-45 / 20)
LIMITER_BLOCK_S = 0.005
# A voice's rate setting is nominal: the words a minute it really speaks differ,
# and by how much depends on the engine and on the words (long medical words
# are slower to say). Each engine starts from the ratio typical of it here
# (eSpeak NG at 150: measured = 0.85 x nominal; Piper's rate is already set
# from its voice's measured pace), and the pace is then steered by what was
# measured of this article's own speech while it is being spoken (EngineFacts.nominal_per_measured).
# A sentence spoken at a rate more than 3% off the settled one is spoken again.
RATE_TOLERANCE = 0.03
# The whole script is spoken again only when its measured pace misses by more
# than 5%: Piper's pace varies by a few percent from one take of a short
# article to the next, so a tighter bound would re-record without gaining.
PACE_TOLERANCE = 0.05
RATE_PASSES = 3
# Level, relative to full scale, above which a 10 ms frame counts as sound, and
# the pauses shorter than which are part of speaking (a voice's word gaps);
# the pauses put between sentences are all 0.35 s or longer.
SOUND_THRESHOLD_DB = -50.0
BRIDGED_PAUSE_S = 0.3
FRAME_S = 0.01
# Words heard before the pace is steered: fewer gives a noisy estimate.
STEER_AFTER_WORDS = 25
# Times the sentences spoken off the settled rate are spoken again.
SETTLE_ROUNDS = 2


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str
    # Seconds the voice is sounding within the cue (its own long pauses left
    # out); None means the whole cue.
    speaking: float | None = None


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


def speaking_seconds(samples: np.ndarray, rate: int) -> float:
    """Time from the start to the end of each stretch of sound, pauses shorter than 0.3 s included.

    This is how pace is measured, here while speaking and by the audio check
    on the finished file: a voice's own long pauses (a neural voice pauses at
    commas, longer when slowed down) are not speaking time.
    """
    return sound_seconds(frame_levels(samples, rate) > SOUND_THRESHOLD_DB, FRAME_S)


def frame_levels(samples: np.ndarray, rate: int, frame_s: float = 0.01) -> np.ndarray:
    """The RMS level (dB relative to full scale) of each ``frame_s`` frame."""
    size = int(frame_s * rate)
    usable = len(samples) // size * size
    frames = samples[:usable].reshape(-1, size).astype(np.float64)
    return 20 * np.log10(np.maximum(np.sqrt(np.mean(frames ** 2, axis=1)), 1e-10))


def sound_seconds(sound: np.ndarray, frame_s: float) -> float:
    """Time from the start to the end of each stretch of sound frames, short pauses bridged."""
    frames = np.flatnonzero(sound)
    if frames.size == 0:
        return 0.0
    breaks = np.flatnonzero((np.diff(frames) - 1) * frame_s >= BRIDGED_PAUSE_S)
    starts = np.concatenate(([frames[0]], frames[breaks + 1]))
    ends = np.concatenate((frames[breaks], [frames[-1]]))
    return float(np.sum(ends - starts + 1) * frame_s)


# A Chinese (or Japanese) character is a syllable and is counted as one unit of pace: Chinese
# pace is in characters a minute.
CJK_CHARACTER = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def count_words(text: str) -> int:
    """Words as a reader counts them in the captions ("PTSD" is one word, "1." is one), each Chinese
    character one ("服用10毫克" is four characters and the number)."""
    count = 0
    for token in text.split():
        characters = len(CJK_CHARACTER.findall(token))
        rest = CJK_CHARACTER.sub(" ", token).split()
        count += characters + sum(1 for piece in rest if any(ch.isalnum() for ch in piece))
    return count


def words_per_minute(cues: tuple[Cue, ...] | list[Cue]) -> float:
    """Caption words divided by the time the voice is speaking them."""
    speaking = sum(cue.end - cue.start if cue.speaking is None else cue.speaking for cue in cues)
    return 60 * sum(count_words(cue.text) for cue in cues) / speaking if speaking else 0.0


def record_at_rate(chapters: list[Chapter], voice: Voice, wpm: int,
                   make_engine: Callable[[Voice, int], RatedEngine] | None = None, threads: int = 1) -> Recording:
    """Speak the script so that the measured words a minute come within a few percent of ``wpm``.

    The pace is steered while the script is spoken (see :class:`Pacer`), so
    one pass is usually enough; should the whole still miss, it is spoken
    again at the rate the first pass measured.
    """
    nominal = round(wpm * voice.facts.nominal_per_measured)
    engine = make_engine(voice, nominal) if make_engine else Pyttsx3Engine(voice, nominal, threads=threads)
    recording = record(chapters, engine, pace=wpm)
    for _ in range(RATE_PASSES - 1):
        measured = recording.words_per_minute
        if measured <= 0 or abs(measured / wpm - 1) <= PACE_TOLERANCE:
            break
        log.info("measured %.0f words a minute overall; speaking again, steering from rate %d",
                 measured, engine.rate)
        recording = record(chapters, engine, pace=wpm)
    return recording


class Pacer:
    """Steers an engine's nominal rate, sentence by sentence, towards a measured pace.

    A voice's measured pace is taken to follow its nominal rate as
    ``pace = k * rate ** exponent``: eSpeak NG's in proportion (exponent 1),
    Piper's less so, since its pauses and some sounds do not stretch with the
    length scale (exponent about 0.65, measured here between length scales 1
    and 3). Everything heard so far gives one estimate of ``k``, and the next
    sentence is asked for at the rate that gives the target.
    """

    def __init__(self, engine: RatedEngine, target: int):
        self.engine, self.target = engine, target
        self.exponent = getattr(engine, "pace_exponent", 1.0)
        # What each sentence heard so far measured: (words, seconds, rate).
        self.sentences: dict[int, tuple[int, float, int]] = {}

    def heard(self, index: int, words: int, seconds: float, rate: int, steer: bool = True) -> None:
        """Sentence ``index`` of ``words`` took ``seconds`` at nominal ``rate``; steer the rate unless told not to.

        A sentence spoken again replaces what it measured the first time.
        """
        self.sentences[index] = (words, seconds, rate)
        if steer:
            self.steer()

    def measured(self) -> float:
        """Words a minute over everything heard, as the recording will measure."""
        seconds = sum(seconds for _, seconds, _ in self.sentences.values())
        return 60 * sum(words for words, _, _ in self.sentences.values()) / seconds if seconds else 0.0

    def steer(self) -> None:
        """Set the engine's rate to the one that everything heard so far says gives the target pace."""
        weighted = sum(seconds * rate ** self.exponent for _, seconds, rate in self.sentences.values())
        if self.settled and weighted > 0:
            k = 60 * sum(words for words, _, _ in self.sentences.values()) / weighted
            low, high = getattr(self.engine, "rate_limits", ESPEAK_FACTS.rates)
            self.engine.rate = min(max(round((self.target / k) ** (1 / self.exponent)), low), high)

    @property
    def settled(self) -> bool:
        """Has enough been heard to steer by?"""
        return sum(words for words, _, _ in self.sentences.values()) >= STEER_AFTER_WORDS

    def off_pace(self, rate: int) -> bool:
        """Was a sentence spoken at ``rate`` too far from where the pace has settled?"""
        return abs(rate / self.engine.rate - 1) > RATE_TOLERANCE


def record(chapters: list[Chapter], engine: SpeechEngine, pace: int | None = None) -> Recording:
    """Speak every sentence of the script and join them with measured pauses.

    With ``pace`` (words a minute) and an engine whose rate can be set, the
    rate is steered as the script is spoken; the opening sentences, spoken
    before there was anything to steer by, are spoken again at the steered
    rate, and if the pace still misses, so are the others spoken off the
    rate everything heard settles on.
    """
    sentences = [sentence for chapter in chapters for paragraph in chapter.paragraphs for sentence in paragraph]
    pacer = Pacer(engine, pace) if pace and hasattr(engine, "rate") else None  # type: ignore[arg-type]
    voiced: list[np.ndarray] = []
    rates: list[int] = []
    rate = 0
    with tempfile.TemporaryDirectory(prefix="handout-speech-") as work:
        respoken = False
        for index, sentence in enumerate(sentences):
            asked = getattr(engine, "rate", 0)
            speech = engine.speak(sentence.spoken, Path(work))
            rate = rate or speech.sample_rate
            voiced.append(trim_silence(speech.samples))
            rates.append(asked)
            if pacer is None:
                continue
            pacer.heard(index, count_words(sentence.text), speaking_seconds(voiced[-1], rate), asked)
            if pacer.settled and not respoken:
                # The opening sentences were spoken before the pace was known.
                for earlier in range(index + 1):
                    if pacer.off_pace(rates[earlier]):
                        rates[earlier] = engine.rate  # type: ignore[attr-defined]
                        voiced[earlier] = trim_silence(engine.speak(sentences[earlier].spoken, Path(work)).samples)
                        pacer.heard(earlier, count_words(sentences[earlier].text),
                                    speaking_seconds(voiced[earlier], rate), rates[earlier])
                respoken = True
        # A short article gives the steering few sentences to correct by, so
        # its pace can still miss: then the sentences spoken off the settled
        # rate are spoken again at it (a long article rarely needs this).
        for _ in range(SETTLE_ROUNDS if pacer is not None else 0):
            if abs(pacer.measured() / pace - 1) <= RATE_TOLERANCE:  # type: ignore[union-attr, operator]
                break
            settled = engine.rate  # type: ignore[attr-defined]
            for index in [i for i, asked in enumerate(rates) if pacer.off_pace(asked)]:  # type: ignore[union-attr]
                engine.rate = settled  # type: ignore[attr-defined]
                voiced[index] = trim_silence(engine.speak(sentences[index].spoken, Path(work)).samples)
                rates[index] = settled
                pacer.heard(index, count_words(sentences[index].text),  # type: ignore[union-attr]
                            speaking_seconds(voiced[index], rate), settled, steer=False)
            pacer.steer()  # type: ignore[union-attr]
    return _assemble(chapters, voiced, rate)


def _assemble(chapters: list[Chapter], voiced: list[np.ndarray], rate: int) -> Recording:
    """The spoken sentences in script order, with pauses, levelled; cue and chapter times from them."""
    pieces: list[np.ndarray] = []
    cues: list[Cue] = []
    marks: list[ChapterMark] = []
    clock = 0.0
    spoken = iter(voiced)
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
                samples = next(spoken)
                pieces.append(np.zeros(int(gap * rate), dtype=np.float32))
                clock += gap
                if p_index == 0 and s_index == 0:
                    chapter_start = clock
                pieces.append(samples)
                cues.append(Cue(start=clock, end=clock + len(samples) / rate, text=sentence.text,
                                speaking=speaking_seconds(samples, rate)))
                clock += len(samples) / rate
        marks.append(ChapterMark(title=chapter.title, start=chapter_start, end=clock))
    pieces.append(np.zeros(int(TAIL_S * rate), dtype=np.float32))
    samples = normalise_loudness(np.concatenate(pieces), rate)
    total = len(samples) / rate
    # Chapters tile the whole file: each runs to the start of the next.
    tiled = [ChapterMark(m.title, m.start if i else 0.0,
                         marks[i + 1].start if i + 1 < len(marks) else total)
             for i, m in enumerate(marks)]
    text = " ".join(c.text for c in cues)
    return Recording(samples=samples, sample_rate=rate, cues=tuple(cues),
                     chapters=tuple(tiled), spoken_text=text)


def trim_silence(samples: np.ndarray) -> np.ndarray:
    """Drop the engine's own leading and trailing silence."""
    loud = np.flatnonzero(np.abs(samples) > SILENCE_THRESHOLD)
    if loud.size == 0:
        return samples
    return samples[loud[0]: loud[-1] + 1]


def normalise_loudness(samples: np.ndarray, sample_rate: int = 22_050) -> np.ndarray:
    """Bring the whole file to about -20.5 dB RMS with true peaks held at or below -4.5 dBFS.

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


def _rms(samples: np.ndarray, piece: int = 1 << 20) -> float:
    """Plain RMS, summed in double precision a piece at a time (no full-length copy)."""
    total = sum(float(np.dot(part, part)) for part in
                (samples[i:i + piece].astype(np.float64) for i in range(0, len(samples), piece)))
    return max((total / max(len(samples), 1)) ** 0.5, 1e-9)


def limit_peaks(samples: np.ndarray, sample_rate: int) -> np.ndarray:
    """Scale down the loudest moments so no peak exceeds the ceiling, with smooth gain changes.

    Peaks are true peaks: measured on the signal oversampled four times, since
    the waveform between samples (which the encoder's resampling to 44.1 kHz
    brings out) rises above the samples themselves, by over 1 dB in Piper's
    sibilants.
    """
    ceiling = 10 ** (PEAK_CEILING_DB / 20)
    block = max(1, int(LIMITER_BLOCK_S * sample_rate))
    peaks = _block_true_peaks(samples, block)
    need = np.minimum(1.0, ceiling / np.maximum(peaks, 1e-12))
    # Each block takes the smallest gain needed within three blocks either
    # side; gains are then interpolated between block centres. Both ends of any
    # interpolation cover the blocks in between, so the gain never exceeds what
    # a sample needs, and it moves over tens of milliseconds, not clicks.
    wide = np.pad(need, 3, constant_values=1.0)
    gains = np.min(np.lib.stride_tricks.sliding_window_view(wide, 7), axis=1)
    return (samples * _gain_curve(gains, block, len(samples))).astype(np.float32)


def _block_true_peaks(samples: np.ndarray, block: int, oversample: int = 4) -> np.ndarray:
    """The true peak of each ``block`` of samples: the larger of the samples and the 4x oversampled waveform.

    Oversampled a few seconds at a time (each piece with a margin for the
    filter), so an hour of speech needs megabytes, not gigabytes.
    """
    from scipy.signal import resample_poly

    blocks = -(-len(samples) // block)
    peaks = np.pad(np.abs(samples), (0, blocks * block - len(samples))).reshape(blocks, block).max(axis=1)
    piece = block * 2048
    margin = block * 8
    for start in range(0, len(samples), piece):
        low, high = max(0, start - margin), min(len(samples), start + piece + margin)
        up = np.abs(resample_poly(samples[low:high], oversample, 1))
        core = up[(start - low) * oversample: (min(start + piece, len(samples)) - low) * oversample]
        count = -(-len(core) // (block * oversample))
        core = np.pad(core, (0, count * block * oversample - len(core)))
        first = start // block
        peaks[first:first + count] = np.maximum(peaks[first:first + count],
                                                core.reshape(count, block * oversample).max(axis=1))
    return peaks


def _gain_curve(gains: np.ndarray, block: int, length: int) -> np.ndarray:
    """Per-sample gain, interpolated between block centres, computed only where it is not 1.

    Speech needs limiting in few places, so only the stretches around a
    turned-down block are interpolated: the same curve as interpolating the
    whole file, at a fraction of the cost.
    """
    gain = np.ones(length, dtype=np.float32)
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
