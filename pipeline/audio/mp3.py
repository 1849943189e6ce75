"""The MP3 file: LAME encoding at the audio edition's format, and its ID3 tags with chapters."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..model import Document
from .engines import Voice
from .recording import ChapterMark, Cue, Recording

OUTPUT_RATE = 44_100
BIT_RATE_KBPS = 96
# LAME's encoder delay and the MP3 decoder's delay, in samples at the output
# rate. The file carries no gapless header, so a player sounds every moment of
# the recording this much later (measured in tests/test_audio.py).
CODEC_DELAY_S = (576 + 529) / OUTPUT_RATE
# LAME's quality setting, chosen by measurement (make bench, on the seed's Piper
# speech at 96 kbps mono): q5 encodes in 1.15 s of CPU against q2's 1.84 s,
# with the same frequency-weighted segmental SNR (26.13 against 26.08 dB) and
# log-spectral distance (2.18 against 2.20 dB); q7 is quicker still (0.83 s)
# but 0.4 dB worse on both.
MP3_QUALITY = 5


def encode_mp3(recording: Recording) -> bytes:
    """Mono, 44.1 kHz, constant bit rate MP3 (LAME, shipped inside lameenc)."""
    import lameenc

    encoder = lameenc.Encoder()
    encoder.set_bit_rate(BIT_RATE_KBPS)
    encoder.set_in_sample_rate(recording.sample_rate)
    encoder.set_out_sample_rate(OUTPUT_RATE)
    encoder.set_channels(1)
    encoder.set_quality(MP3_QUALITY)
    pcm = np.clip(recording.samples * 32767.0, -32768, 32767).astype("<i2").tobytes()
    return bytes(encoder.encode(pcm) + encoder.flush())


def as_played(recording: Recording) -> Recording:
    """The recording with its cue and chapter times where a player sounds them in the MP3."""
    delay = CODEC_DELAY_S
    cues = tuple(Cue(cue.start + delay, cue.end + delay, cue.text, cue.speaking) for cue in recording.cues)
    chapters = tuple(ChapterMark(mark.title, mark.start + delay if index else 0.0, mark.end + delay)
                     for index, mark in enumerate(recording.chapters))
    return Recording(samples=recording.samples, sample_rate=recording.sample_rate, cues=cues,
                     chapters=chapters, spoken_text=recording.spoken_text)


def write_tags(mp3: Path, document: Document, recording: Recording, voice: Voice | None = None) -> None:
    """ID3v2 title, voice, language, the disclaimer as comment, and one chapter per section.

    The voice is named for people (the artist) and for checks (two TXXX
    frames, "voice engine" and "voice"), since how clearly a listener is
    expected to hear it depends on the engine.
    """
    from mutagen.id3 import CHAP, COMM, CTOC, ID3, TIT2, TLAN, TPE1, TXXX, CTOCFlags

    tags = ID3()
    tags.add(TIT2(encoding=3, text=document.title))
    if voice is not None:
        tags.add(TPE1(encoding=3, text=f"Spoken by {voice.name}, {voice.engine_name}"))
        tags.add(TXXX(encoding=3, desc="voice engine", text=voice.engine))
        tags.add(TXXX(encoding=3, desc="voice", text=voice.id))
    else:
        tags.add(TPE1(encoding=3, text="Spoken by a speech engine"))
    tags.add(TLAN(encoding=3, text=_iso639_2(document.lang)))
    tags.add(COMM(encoding=3, lang=_iso639_2(document.lang), desc="Disclaimer",
                  text=document.disclaimer.text))
    ids = [f"chp{i}" for i in range(len(recording.chapters))]
    tags.add(CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                  child_element_ids=ids, sub_frames=[TIT2(encoding=3, text="Contents")]))
    for element_id, mark in zip(ids, recording.chapters, strict=False):
        tags.add(CHAP(element_id=element_id, start_time=round(mark.start * 1000),
                      end_time=round(mark.end * 1000),
                      sub_frames=[TIT2(encoding=3, text=mark.title)]))
    tags.save(str(mp3), v2_version=4)


_ISO639_2 = {"en": "eng", "es": "spa", "fr": "fra", "de": "deu", "pt": "por", "it": "ita",
             "zh": "zho", "vi": "vie", "ar": "ara", "ru": "rus", "ko": "kor", "ja": "jpn"}


def _iso639_2(lang: str) -> str:
    return _ISO639_2.get(lang.split("-")[0].lower(), "und")
