"""The audio edition: the listening script spoken by eSpeak NG, as a chaptered MP3.

Each sentence is synthesised on its own, its surrounding silence trimmed and
measured pauses put back (short between sentences, longer between paragraphs
and before a heading). That gives even pacing and exact times for every
sentence, from which come the ID3 chapters and the WebVTT captions.
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..model import Document
from ..settings import Settings
from ..speech import Pyttsx3Engine, SpeechEngine, choose_voice, list_voices
from ..spoken import Chapter, listening_script

log = logging.getLogger(__name__)

OUTPUT_RATE = 44_100
BIT_RATE_KBPS = 96
LEAD_IN_S = 0.75
TAIL_S = 2.0
SENTENCE_GAP_S = 0.35
PARAGRAPH_GAP_S = 0.8
CHAPTER_GAP_S = 1.5
TARGET_RMS_DB = -20.0
PEAK_CEILING_DB = -3.0
SILENCE_THRESHOLD = 10 ** (-45 / 20)


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


class AudioRenderer:
    name = "audio"

    def __init__(self, engine: SpeechEngine | None = None):
        self.engine = engine

    def render(self, document: Document, settings: Settings, out_dir: Path) -> list[Path]:
        engine = self.engine or Pyttsx3Engine(
            choose_voice(document.lang, settings.voice, list_voices(), document.source), settings.rate)
        recording = record(listening_script(document), engine)
        mp3 = out_dir / f"{document.slug}.mp3"
        vtt = out_dir / f"{document.slug}.vtt"
        mp3.write_bytes(encode_mp3(recording))
        write_tags(mp3, document, recording)
        vtt.write_text(webvtt(recording.cues), encoding="utf-8")
        return [mp3, vtt]


def record(chapters: list[Chapter], engine: SpeechEngine) -> Recording:
    """Speak every sentence of the script and join them with measured pauses."""
    pieces: list[np.ndarray] = []
    cues: list[Cue] = []
    marks: list[ChapterMark] = []
    rate = 0
    clock = 0.0
    with tempfile.TemporaryDirectory(prefix="handout-speech-") as work:
        for c_index, chapter in enumerate(chapters):
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
                    speech = engine.speak(sentence, Path(work))
                    if rate == 0:
                        rate = speech.sample_rate
                    voiced = trim_silence(speech.samples)
                    pieces.append(np.zeros(int(gap * rate), dtype=np.float32))
                    clock += gap
                    if p_index == 0 and s_index == 0:
                        chapter_start = clock
                    pieces.append(voiced)
                    cues.append(Cue(start=clock, end=clock + len(voiced) / rate, text=sentence))
                    clock += len(voiced) / rate
            marks.append(ChapterMark(title=chapter.title, start=chapter_start, end=clock))
    pieces.append(np.zeros(int(TAIL_S * rate), dtype=np.float32))
    samples = normalise_loudness(np.concatenate(pieces))
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


def normalise_loudness(samples: np.ndarray) -> np.ndarray:
    """Bring speech to about -20 dB RMS with peaks no higher than -3 dBFS."""
    voiced = samples[np.abs(samples) > SILENCE_THRESHOLD]
    if voiced.size == 0:
        return samples
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))
    gain = 10 ** (TARGET_RMS_DB / 20) / max(rms, 1e-9)
    peak = float(np.max(np.abs(samples))) * gain
    ceiling = 10 ** (PEAK_CEILING_DB / 20)
    if peak > ceiling:
        gain *= ceiling / peak
    return (samples * gain).astype(np.float32)


def encode_mp3(recording: Recording) -> bytes:
    """Mono, 44.1 kHz, constant bit rate MP3 (LAME, shipped inside lameenc)."""
    import lameenc

    encoder = lameenc.Encoder()
    encoder.set_bit_rate(BIT_RATE_KBPS)
    encoder.set_in_sample_rate(recording.sample_rate)
    encoder.set_out_sample_rate(OUTPUT_RATE)
    encoder.set_channels(1)
    encoder.set_quality(2)
    pcm = np.clip(recording.samples * 32767.0, -32768, 32767).astype("<i2").tobytes()
    return bytes(encoder.encode(pcm) + encoder.flush())


def write_tags(mp3: Path, document: Document, recording: Recording) -> None:
    """ID3v2 title, language, the disclaimer as comment, and one chapter per section."""
    from mutagen.id3 import CHAP, COMM, CTOC, ID3, TIT2, TLAN, TPE1, CTOCFlags

    tags = ID3()
    tags.add(TIT2(encoding=3, text=document.title))
    tags.add(TPE1(encoding=3, text="Spoken by eSpeak NG"))
    tags.add(TLAN(encoding=3, text=_iso639_2(document.lang)))
    tags.add(COMM(encoding=3, lang=_iso639_2(document.lang), desc="Disclaimer",
                  text=document.disclaimer.text))
    ids = [f"chp{i}" for i in range(len(recording.chapters))]
    tags.add(CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                  child_element_ids=ids, sub_frames=[TIT2(encoding=3, text="Contents")]))
    for element_id, mark in zip(ids, recording.chapters):
        tags.add(CHAP(element_id=element_id, start_time=round(mark.start * 1000),
                      end_time=round(mark.end * 1000),
                      sub_frames=[TIT2(encoding=3, text=mark.title)]))
    tags.save(str(mp3), v2_version=4)


_ISO639_2 = {"en": "eng", "es": "spa", "fr": "fra", "de": "deu", "pt": "por", "it": "ita",
             "zh": "zho", "vi": "vie", "ar": "ara", "ru": "rus", "ko": "kor", "ja": "jpn"}


def _iso639_2(lang: str) -> str:
    return _ISO639_2.get(lang.split("-")[0].lower(), "und")


def webvtt(cues: tuple[Cue, ...]) -> str:
    """Captions, one cue per sentence, timed to the speech."""
    lines = ["WEBVTT", ""]
    for number, cue in enumerate(cues, start=1):
        text = cue.text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        lines += [str(number), f"{_timestamp(cue.start)} --> {_timestamp(cue.end)}", text, ""]
    return "\n".join(lines)


def _timestamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"
