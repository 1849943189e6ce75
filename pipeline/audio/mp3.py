"""The MP3 file: LAME encoding at the audio edition's format, and its ID3 tags with chapters."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import numpy as np

from ..model import Document
from .engines import Voice
from .recording import ChapterMark, Cue, Recording

OUTPUT_RATE = 44_100
BIT_RATE_KBPS = 96
# How much later than in the recording a player sounds each moment of the MP3.
# The file starts with a LAME/Info header (see info_frame) naming LAME's
# encoder delay (576 samples) and the padding, so a decoder that honours it
# (FFmpeg, mpg123 and so libsndfile, Apple's and Android's players, and the
# DAISY players built on them) trims the delay and the decoder's own 529
# samples: it sounds each moment at its recording time (measured in
# tests/test_audio.py). A player that ignores the header sounds everything
# (576 + 529) / 44100 = 25 ms later, under what a listener notices between
# words and their caption.
CODEC_DELAY_S = 0.0
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
    frames = bytes(encoder.encode(pcm) + encoder.flush())
    samples = round(len(recording.samples) * OUTPUT_RATE / recording.sample_rate)
    peak = float(np.max(np.abs(recording.samples))) if len(recording.samples) else 0.0
    return info_frame(frames, samples, min(peak, 1.0)) + frames


# ---------------------------------------------------------------- the LAME/Info header
# lameenc writes the MPEG frames only. LAME's own command line puts an "Info"
# frame first (a Xing header for constant bit rate, with LAME's extension):
# players read from it the exact number of frames, so the exact length, and
# how many samples of encoder delay and padding to trim, so the audio starts
# at its first sample (gapless playback). Layout: Gabriel Bouvigne's
# "Mp3 info tag rev 1 specifications" (the LAME tag), as mutagen and FFmpeg read it.

ENCODER_DELAY = 576  # LAME's delay before the first input sample, in samples at the output rate
DECODER_DELAY = 529  # an MPEG-1 Layer III decoder's own delay, trimmed with it by gapless players
SAMPLES_PER_FRAME = 1152
LAME_VERSION = b"LAME3.100"  # the LAME inside lameenc
_MPEG1_LAYER3_KBPS = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
_MPEG1_RATES = (44_100, 48_000, 32_000)


def _frame_lengths(data: bytes) -> list[int]:
    """The byte length of each MPEG-1 Layer III frame in ``data``, which starts with a frame."""
    lengths, position = [], 0
    while position + 4 <= len(data) and data[position] == 0xFF and data[position + 1] & 0xE0 == 0xE0:
        header = data[position + 2]
        kbps, rate = _MPEG1_LAYER3_KBPS[header >> 4], _MPEG1_RATES[(header >> 2) & 3]
        length = 144 * kbps * 1000 // rate + ((header >> 1) & 1)
        lengths.append(length)
        position += length
    return lengths


def _crc16_table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table.append(crc)
    return tuple(table)


_CRC16_TABLE = _crc16_table()


def _crc16(data: bytes, crc: int = 0) -> int:
    """CRC-16 (polynomial 0x8005, reflected), as LAME computes the tag's and the music's checksums.

    A byte at a time from a table: the whole file's checksum of a four-minute edition is
    millions of bytes, which bit by bit cost two seconds.
    """
    table = _CRC16_TABLE
    for byte in data:
        crc = (crc >> 8) ^ table[(crc ^ byte) & 0xFF]
    return crc


def info_frame(frames: bytes, samples: int, peak: float) -> bytes:
    """The Info frame (CBR Xing header with the LAME extension) to put before ``frames``.

    ``samples`` is how many samples the input has at the output rate; the rest
    of the frames' samples are the encoder delay and the padding at the end.
    """
    count = len(_frame_lengths(frames))
    if not count:
        return b""
    # The same header as the audio frames, without padding or CRC, so the frame is the standard size.
    header = bytes((frames[0], frames[1] | 0x01, frames[2] & 0xFD, frames[3]))
    kbps, rate = _MPEG1_LAYER3_KBPS[header[2] >> 4], _MPEG1_RATES[(header[2] >> 2) & 3]
    size = 144 * kbps * 1000 // rate
    mono = header[3] >> 6 == 3
    side_info = 17 if mono else 32
    padding = max(0, min(count * SAMPLES_PER_FRAME - ENCODER_DELAY - samples, 0xFFF))
    total_bytes = size + len(frames)
    toc = bytes(min(255, i * 256 // 100) for i in range(100))
    xing = (b"Info" + (0x0F).to_bytes(4, "big") + count.to_bytes(4, "big") + total_bytes.to_bytes(4, "big")
            + toc + (100 - MP3_QUALITY).to_bytes(4, "big"))
    lowpass = 0  # unknown: lameenc does not say which filter LAME chose
    source_rate = {32_000: 0, 44_100: 1, 48_000: 2}.get(rate, 3)
    lame = (LAME_VERSION
            + bytes((0x01, lowpass))  # tag revision 0, CBR
            + round(peak * 2 ** 23).to_bytes(4, "big")  # peak amplitude, 1.0 = full scale
            + bytes(4)  # track and album gain: not measured here
            + bytes((0x00, min(kbps, 255)))  # encoding flags and ATH type; the bit rate
            + (ENCODER_DELAY << 12 | padding).to_bytes(3, "big")
            + bytes((source_rate << 6 | (0 if mono else 1) << 2, 0))  # source rate and stereo mode; no MP3 gain
            + bytes(2)  # no preset, no surround
            + total_bytes.to_bytes(4, "big")
            + _crc16(frames).to_bytes(2, "big"))
    body = header + bytes(side_info) + xing + lame
    body += _crc16(body).to_bytes(2, "big")
    return body + bytes(size - len(body))


def as_played(recording: Recording) -> Recording:
    """The recording with its cue and chapter times where a player sounds them in the MP3."""
    delay = CODEC_DELAY_S
    cues = tuple(Cue(cue.start + delay, cue.end + delay, cue.text, cue.speaking) for cue in recording.cues)
    chapters = tuple(ChapterMark(mark.title, mark.start + delay if index else 0.0, mark.end + delay)
                     for index, mark in enumerate(recording.chapters))
    return Recording(samples=recording.samples, sample_rate=recording.sample_rate, cues=cues,
                     chapters=chapters, spoken_text=recording.spoken_text)


def write_tags(mp3: Path | BinaryIO, document: Document, recording: Recording, voice: Voice | None = None) -> None:
    """ID3v2 title, voice, language, the disclaimer as comment, and one chapter per section.

    ``mp3`` is the file, or the MP3's bytes in memory (the audio edition tags
    them before the file is written, so that one write makes it).

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
    tags.save(str(mp3) if isinstance(mp3, Path) else mp3, v2_version=4)


_ISO639_2 = {"en": "eng", "es": "spa", "fr": "fra", "de": "deu", "pt": "por", "it": "ita",
             "zh": "zho", "vi": "vie", "ar": "ara", "ru": "rus", "ko": "kor", "ja": "jpn"}


def _iso639_2(lang: str) -> str:
    return _ISO639_2.get(lang.split("-")[0].lower(), "und")
