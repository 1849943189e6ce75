"""Listening checks of a finished audio edition: how it sounds and what it really says.

Everything here reads the finished MP3 (and its WebVTT captions), never the
document model or the script, so a renderer bug cannot hide from it:

* ``measure`` gives the figures ACX and NNELS set targets for: loudness (plain
  RMS of the whole file, and ITU-R BS.1770 integrated loudness for reference),
  sample peak, noise floor, leading and trailing silence, and the speaking
  rate measured from the sound.
* ``check_disclaimer`` transcribes, with the pocketsphinx recogniser, the
  stretch of audio where the disclaimer should be (cut at the ID3 chapter
  times) and reports how many of the disclaimer's content words were heard
  there, beside a control stretch of other text.
* ``intelligibility`` transcribes the whole file with the recogniser's general
  model only, and reports the share of the article's content words it heard:
  a proxy for how natural and clear the voice is (see ``INTELLIGIBILITY_TARGET``).

For ``check_disclaimer`` the recogniser uses its bundled US English acoustic
model and dictionary with a language model made, by pocketsphinx's own ARPA
builder, from the article's words as the captions give them plus the
disclaimer. With its general model it heard only about one word in ten of eSpeak's voice, and
what it heard changed from build to build; knowing the article's vocabulary
it hears most of it, and it must still tell the disclaimer apart from the
article's other sentences, which it knows just as well (see
``HEARD_THRESHOLD``).

These checks need the test extras (soundfile, pyloudnorm, scipy, pocketsphinx).
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .recording import SOUND_THRESHOLD_DB, count_words, frame_levels, sound_seconds

log = logging.getLogger(__name__)

RECOGNISER_RATE = 16_000
# What must be heard in each disclaimer stretch: at least this share of the
# disclaimer's content words, and never fewer than two of them. Calibrated on
# the seed article (16 content words) built at 135, 150 and 165 words a
# minute: the disclaimer stretches gave 0.75-0.81 (opening) and 0.69-0.81
# (closing); its nine other chapters gave 0.00-0.19, never more than three
# words ("medical", "care", "treatment", "options" recur in the article). The
# test article (6 content words): 0.83 and 0.83 where the disclaimer is
# spoken, 0.00-0.17 in other chapters, and 0.00 and 0.00 when it is left out
# of the audio or replaced by other text.
HEARD_THRESHOLD = 0.40
MIN_WORDS_HEARD = 2

# What a general recogniser must hear of a neural voice: at least this share of
# the article's distinct content words (as its captions give them), with
# pocketsphinx's bundled US English acoustic model, dictionary and general
# language model only, over the whole file in PIECE_S pieces. Calibrated on the
# seed article (205 content words, 2026-11-28): Piper en_US-joe-medium gave
# 0.771 and 0.805 in two builds (standards.md: 0.77-0.78; Piper's output is
# not bit-for-bit repeatable), eSpeak NG gmw/en-us 0.195 (standards.md:
# 0.17-0.27). The target sits below Piper's figures with room for
# build-to-build noise, far above anything eSpeak reaches; it applies to Piper
# voices only (eSpeak's figure is reported, never failed: its formant speech
# is not what the model was trained on). The tests' short article (41 content words) gave 0.73-0.80 in
# Piper's voice and 0.10 in eSpeak's; its tiny form (16 words) 0.62-0.88 and
# 0.12; a 200 Hz tone or silence in place of speech gave 0.00.
INTELLIGIBILITY_TARGET = 0.70
# Length of the pieces the whole file is cut into for the general model, and
# how many are decoded at once. Decoding the seed's 13 pieces (246 s of audio)
# took 26-32 s of CPU in Piper's voice and 56-60 s in eSpeak's (2-core machine,
# 2026-11-28; eSpeak's poorer match widens the search). Shared between two
# worker processes on the idle machine: 31.1 s became 16.5 s (Piper) and 60.2 s
# became 31.4 s (eSpeak), with the same transcript.
PIECE_S = 20.0
INTELLIGIBILITY_WORKERS = 2
# Languages the installed recogniser has a model for (base language tags).
RECOGNISER_LANGUAGES = ("en",)

_STOPWORDS = frozenset("""
a about after all also an and any are as at be been before being but by can could did do does
for from had has have he her his how i if in into is it its just may me more most my no not of
on only or our out over own she should so some such than that the their them then there these
they this those to too under up us very was we were what when which while who why will with
would you your listen
""".split())


@dataclass(frozen=True)
class AudioFigures:
    """What a finished MP3 measures, in the units its targets are written in."""

    seconds: float
    sample_rate: int
    channels: int
    bitrate_kbps: int
    constant_bitrate: bool
    rms_db: float
    lufs: float
    peak_dbfs: float
    noise_floor_db: float
    lead_in_s: float
    tail_s: float
    speaking_s: float
    words: int
    words_per_minute: float
    chapters: tuple[tuple[str, float, float], ...]


@dataclass(frozen=True)
class Hearing:
    """What the recogniser heard in one stretch of the file."""

    label: str
    start: float
    end: float
    heard: str
    recall: float
    missed: tuple[str, ...]
    expected: int = 0

    @property
    def words_heard(self) -> int:
        return self.expected - len(self.missed)


@dataclass(frozen=True)
class DisclaimerCheck:
    """The disclaimer stretches (opening and closing) and a control stretch."""

    opening: Hearing
    closing: Hearing
    control: Hearing | None
    threshold: float = HEARD_THRESHOLD

    def heard_enough(self, hearing: Hearing) -> bool:
        return hearing.recall >= self.threshold and hearing.words_heard >= MIN_WORDS_HEARD

    @property
    def passed(self) -> bool:
        return self.heard_enough(self.opening) and self.heard_enough(self.closing)

    def findings(self) -> list[str]:
        """Problems found, each with its figure; empty when the disclaimer was heard."""
        return [f"{h.label}: only {h.words_heard} of the disclaimer's words ({h.recall:.0%}) were heard "
                f"(needs {self.threshold:.0%} and at least {MIN_WORDS_HEARD}); missed {', '.join(h.missed)}"
                for h in (self.opening, self.closing) if not self.heard_enough(h)]


@dataclass(frozen=True)
class Intelligibility:
    """What the general recogniser heard of the whole file, against the article's content words."""

    recall: float
    expected: int
    missed: tuple[str, ...]
    heard: str
    pieces: int
    seconds: float

    @property
    def words_heard(self) -> int:
        return self.expected - len(self.missed)


# ---------------------------------------------------------------- reading the file


def decode(mp3: Path) -> tuple[np.ndarray, int]:
    """The decoded samples (mono float) and their rate."""
    import soundfile

    samples, rate = soundfile.read(str(mp3), dtype="float32", always_2d=True)
    return samples.mean(axis=1), int(rate)


def chapters(mp3: Path) -> tuple[tuple[str, float, float], ...]:
    """(title, start, end) of each ID3 chapter, in the order the CTOC lists them."""
    from mutagen.id3 import ID3

    tags = ID3(str(mp3))
    frames = {frame.element_id: frame for frame in tags.getall("CHAP")}
    tocs = tags.getall("CTOC")
    order = list(tocs[0].child_element_ids) if tocs else sorted(frames)
    out = []
    for element_id in order:
        frame = frames[element_id]
        titles = [sub for sub in frame.sub_frames.values() if sub.FrameID == "TIT2"]
        out.append((str(titles[0].text[0]) if titles else "", frame.start_time / 1000, frame.end_time / 1000))
    return tuple(out)


def voice_tag(mp3: Path) -> tuple[str | None, str | None]:
    """(engine, voice id) as the renderer wrote them in TXXX frames, or None where absent."""
    from mutagen.id3 import ID3, ID3NoHeaderError

    try:
        frames = ID3(str(mp3)).getall("TXXX")
    except ID3NoHeaderError:
        return None, None
    found = {frame.desc.strip().lower(): str(frame.text[0]).strip() for frame in frames if frame.text}
    return found.get("voice engine") or None, found.get("voice") or None


def recogniser_missing(lang: str) -> str | None:
    """Why the recogniser cannot listen to speech in ``lang``, or None when it can."""
    if lang.lower().split("-")[0] in RECOGNISER_LANGUAGES:
        return None
    return f"no recogniser model for {lang} is installed (pocketsphinx ships only US English)"


def caption_cues(vtt: Path) -> list[tuple[float, float, str]]:
    """(start, end, text) of each WebVTT cue."""
    cues = []
    blocks = vtt.read_text(encoding="utf-8").split("\n\n")
    for block in blocks:
        lines = [line for line in block.strip().split("\n") if line]
        timing = next((i for i, line in enumerate(lines) if "-->" in line), None)
        if timing is None:
            continue
        start, end = (_seconds(part.strip().split()[0]) for part in lines[timing].split("-->"))
        text = " ".join(lines[timing + 1:]).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        cues.append((start, end, text))
    return cues


_MPEG1_LAYER3_KBPS = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
_MPEG1_RATES = (44_100, 48_000, 32_000)


def frame_bitrates(mp3: Path) -> list[int]:
    """The bit rate (kbps) of every MPEG-1 Layer III frame in the file, in order.

    Walking the frame headers says whether the file is constant bit rate
    without trusting what its Info header claims.
    """
    data = mp3.read_bytes()
    position = 0
    if data[:3] == b"ID3":
        size = data[6] << 21 | data[7] << 14 | data[8] << 7 | data[9]
        position = 10 + size
    rates = []
    while position + 4 <= len(data):
        b1, b2 = data[position + 1], data[position + 2]
        if data[position] != 0xFF or b1 & 0xE0 != 0xE0:
            break
        if (b1 >> 3) & 3 != 3 or (b1 >> 1) & 3 != 1:
            raise ValueError(f"{mp3}: frame at byte {position} is not MPEG-1 Layer III")
        kbps, rate = _MPEG1_LAYER3_KBPS[b2 >> 4], _MPEG1_RATES[(b2 >> 2) & 3]
        rates.append(kbps)
        position += 144 * kbps * 1000 // rate + ((b2 >> 1) & 1)
    return rates


@dataclass(frozen=True)
class InfoHeader:
    """What a LAME/Info (or Xing) header at the start of an MP3 says, and whether it is right."""

    tag: str  # "Info" (constant bit rate) or "Xing"
    frames: int  # audio frames after the header, as it states
    bytes: int  # bytes of MPEG data, header frame included, as it states
    encoder: str  # e.g. "LAME3.100"
    delay: int  # encoder delay, in samples
    padding: int  # samples of padding at the end
    crc_ok: bool  # the header's own CRC-16 matches
    frames_counted: int  # audio frames actually in the file
    bytes_counted: int  # bytes of MPEG data actually in the file


def info_header(mp3: Path) -> InfoHeader | None:
    """The LAME/Info header of ``mp3`` (the first frame after any ID3v2 tag), or None if it has none."""
    data = mp3.read_bytes()
    start = 0
    if data[:3] == b"ID3":
        start = 10 + (data[6] << 21 | data[7] << 14 | data[8] << 7 | data[9])
    if len(data) < start + 4 or data[start] != 0xFF or data[start + 1] & 0xE0 != 0xE0:
        return None
    offset = start + 4 + (17 if data[start + 3] >> 6 == 3 else 32)
    tag = data[offset:offset + 4]
    if tag not in (b"Info", b"Xing"):
        return None
    flags = int.from_bytes(data[offset + 4:offset + 8], "big")
    position, values = offset + 8, {}
    for bit, name, width in ((1, "frames", 4), (2, "bytes", 4), (4, "toc", 100), (8, "quality", 4)):
        if flags & bit:
            values[name] = int.from_bytes(data[position:position + width], "big")
            position += width
    lame = data[position:position + 36]
    delay = padding = 0
    crc_ok = False
    if len(lame) == 36:
        both = int.from_bytes(lame[21:24], "big")
        delay, padding = both >> 12, both & 0xFFF
        crc_ok = _crc16(data[start:position + 34]) == int.from_bytes(lame[34:36], "big")
    rates = frame_bitrates(mp3)
    mpeg_bytes = len(data) - start - (128 if data[-128:-125] == b"TAG" else 0)
    return InfoHeader(tag.decode(), values.get("frames", 0), values.get("bytes", 0),
                      lame[:9].decode("latin-1").strip("\x00 "), delay, padding, crc_ok, len(rates) - 1, mpeg_bytes)


def _crc16(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def _seconds(stamp: str) -> float:
    hours, minutes, seconds = stamp.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


# ---------------------------------------------------------------- measuring


def measure(mp3: Path, vtt: Path | None = None) -> AudioFigures:
    """Loudness, silence, format and speaking-rate figures of a finished MP3."""
    import pyloudnorm
    from mutagen.mp3 import MP3

    info = MP3(str(mp3)).info
    samples, rate = decode(mp3)
    rms_db = _db(float(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))))
    lufs = float(pyloudnorm.Meter(rate).integrated_loudness(samples.astype(np.float64)))
    peak = _db(float(np.max(np.abs(samples))))
    frames = frame_levels(samples, rate)
    loud = np.flatnonzero(frames > SOUND_THRESHOLD_DB)
    frame_s = 0.01
    lead_in = loud[0] * frame_s if loud.size else len(frames) * frame_s
    tail = (len(frames) - 1 - loud[-1]) * frame_s if loud.size else 0.0
    speaking = sound_seconds(frames > SOUND_THRESHOLD_DB, frame_s)
    words = 0
    if vtt is not None:
        words = sum(count_words(text) for _, _, text in caption_cues(vtt))
    return AudioFigures(
        seconds=len(samples) / rate, sample_rate=info.sample_rate, channels=info.channels,
        bitrate_kbps=round(info.bitrate / 1000), constant_bitrate=_constant(mp3, info.bitrate_mode),
        rms_db=rms_db, lufs=lufs, peak_dbfs=peak, noise_floor_db=noise_floor(samples, rate),
        lead_in_s=lead_in, tail_s=tail, speaking_s=speaking, words=words,
        words_per_minute=60 * words / speaking if speaking else 0.0, chapters=chapters(mp3))


def _constant(mp3: Path, mode: object) -> bool:
    from mutagen.mp3 import BitrateMode

    if mode == BitrateMode.CBR:
        return True
    rates = frame_bitrates(mp3)
    return bool(rates) and len(set(rates)) == 1


def noise_floor(samples: np.ndarray, rate: int, window_s: float = 0.5) -> float:
    """RMS level of the quietest half second, as ACX measures the noise floor."""
    window = int(window_s * rate)
    if len(samples) < window:
        return rms_db(samples)
    running = np.concatenate([[0.0], np.cumsum(np.square(samples, dtype=np.float64))])
    energy = (running[window:] - running[:-window]) / window
    return _db(float(np.sqrt(max(energy.min(), 0.0))))


def rms_db(samples: np.ndarray) -> float:
    """Plain RMS level in dB relative to full scale."""
    return _db(float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))) if len(samples) else -200.0


def _db(value: float) -> float:
    return 20 * float(np.log10(max(value, 1e-10)))


# ---------------------------------------------------------------- listening


def content_words(text: str) -> tuple[str, ...]:
    """The words that carry a text's meaning, lower case, without repeats."""
    words = re.findall(r"[a-z]+", text.lower().replace("'", ""))
    return tuple(dict.fromkeys(w for w in words if len(w) > 2 and w not in _STOPWORDS))


def heard_recall(expected: tuple[str, ...], heard: str) -> tuple[float, tuple[str, ...]]:
    """Share of ``expected`` words found in a transcript, and the ones missed.

    A word also counts as heard when the recogniser split it in two
    ("healthcare" heard as "health care").
    """
    tokens = re.findall(r"[a-z]+", heard.lower().replace("'", ""))
    vocabulary = set(tokens) | {a + b for a, b in zip(tokens, tokens[1:], strict=False)}
    missed = tuple(w for w in expected if w not in vocabulary)
    return (1 - len(missed) / len(expected) if expected else 1.0), missed


def recogniser_pcm(samples: np.ndarray, rate: int) -> np.ndarray:
    """Mono float samples as the recogniser takes them: 16-bit, 16 kHz."""
    from scipy.signal import resample_poly

    divisor = np.gcd(RECOGNISER_RATE, rate)
    resampled = resample_poly(samples, RECOGNISER_RATE // divisor, rate // divisor)
    return (np.clip(resampled, -1, 1) * 32767).astype("<i2")


class Listener:
    """pocketsphinx with its bundled US English model and a language model of the given texts."""

    def __init__(self, texts: list[str]) -> None:
        import tempfile

        from pocketsphinx import Decoder
        from pocketsphinx.lm import ArpaBoLM

        corpus = "".join(" ".join(re.findall(r"[a-z']+", text.lower())) + "\n" for text in texts)
        if not corpus.strip():
            raise ValueError("there is no text to make the recogniser's language model from")
        model = ArpaBoLM(text=corpus, case="lower", add_start=True)
        model.compute()
        with tempfile.TemporaryDirectory(prefix="handout-lm-") as folder:
            arpa = Path(folder) / "article.arpa"
            with arpa.open("w", encoding="utf-8") as out:
                model.write(out)
            self._decoder = Decoder(samprate=RECOGNISER_RATE, lm=str(arpa), loglevel="FATAL")

    @classmethod
    def for_audio(cls, mp3: Path, disclaimer: str) -> Listener:
        """A listener that knows the words of ``mp3``'s captions and of the disclaimer."""
        vtt = mp3.with_suffix(".vtt")
        captions = [text for _, _, text in caption_cues(vtt)] if vtt.exists() else []
        return cls([*captions, disclaimer])

    def transcribe(self, samples: np.ndarray, rate: int) -> str:
        """The words the recogniser hears in some mono float samples."""
        pcm = recogniser_pcm(samples, rate).tobytes()
        self._decoder.start_utt()
        self._decoder.process_raw(pcm, full_utt=True)
        self._decoder.end_utt()
        hypothesis = self._decoder.hyp()
        return hypothesis.hypstr if hypothesis is not None else ""

    def hear(self, label: str, samples: np.ndarray, rate: int, start: float, end: float,
             expected: tuple[str, ...]) -> Hearing:
        """Transcribe ``start``..``end`` seconds and score it against ``expected`` words."""
        heard = self.transcribe(samples[int(start * rate): int(end * rate)], rate)
        recall, missed = heard_recall(expected, heard)
        log.info("%s (%.1f-%.1f s): recall %.2f; heard %r", label, start, end, recall, heard)
        return Hearing(label=label, start=start, end=end, heard=heard, recall=recall, missed=missed,
                       expected=len(expected))


def check_disclaimer(mp3: Path, disclaimer: str, listener: Listener | None = None,
                     control: bool = True) -> DisclaimerCheck:
    """Is the disclaimer heard where it should be: in the first and the last chapter?

    The first chapter holds the title and "Before you listen: <disclaimer>",
    the last holds the disclaimer again. The control stretch is the chapter
    whose length is nearest the last chapter's, among the others; the
    disclaimer's words should mostly not be heard there.
    """
    listener = listener or Listener.for_audio(mp3, disclaimer)
    samples, rate = decode(mp3)
    marks = chapters(mp3)
    if len(marks) < 2:
        raise ValueError(f"{mp3} has {len(marks)} chapters; the disclaimer cannot be located")
    expected = content_words(disclaimer)
    opening = listener.hear("opening disclaimer", samples, rate, marks[0][1], marks[0][2], expected)
    closing = listener.hear("closing disclaimer", samples, rate, marks[-1][1], marks[-1][2], expected)
    hearing = None
    middle = marks[1:-1]
    if control and middle:
        length = marks[-1][2] - marks[-1][1]
        title, start, end = min(middle, key=lambda m: abs((m[2] - m[1]) - length))
        hearing = listener.hear(f"control ({title})", samples, rate, start, end, expected)
    return DisclaimerCheck(opening=opening, closing=closing, control=hearing)


# ---------------------------------------------------------------- the general model


def general_transcript(samples: np.ndarray, rate: int, workers: int = INTELLIGIBILITY_WORKERS) -> list[str]:
    """What pocketsphinx's general US English model hears in each PIECE_S piece of some samples.

    Each piece gets a decoder of its own: one decoder carries what it adapted
    to from one utterance into the next, and the figure must not depend on
    which worker decoded which piece, nor in what order.
    """
    pcm = recogniser_pcm(samples, rate)
    size = int(PIECE_S * RECOGNISER_RATE)
    pieces = [pcm[start:start + size].tobytes() for start in range(0, len(pcm), size)]
    if workers <= 1 or len(pieces) <= 1:
        return [_hear_with_general_model(piece) for piece in pieces]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # pocketsphinx holds the GIL while it decodes, so threads would not help.
    # fork, not spawn: a spawned worker first reruns the caller's main script,
    # which fails for a script without an ``if __name__ == "__main__"`` guard.
    # A forked worker touches only pocketsphinx and the bytes it is given, never
    # what other threads of the parent (a speech engine's) may hold.
    if "fork" not in multiprocessing.get_all_start_methods():
        return [_hear_with_general_model(piece) for piece in pieces]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(min(workers, len(pieces)), mp_context=context) as pool:
        return list(pool.map(_hear_with_general_model, pieces))


def _hear_with_general_model(pcm: bytes) -> str:
    from pocketsphinx import Decoder

    # No lm, dict or hmm given: pocketsphinx's bundled en-us acoustic model,
    # cmudict-en-us.dict and the general en-us.lm.bin.
    decoder = Decoder(samprate=RECOGNISER_RATE, loglevel="FATAL")
    decoder.start_utt()
    decoder.process_raw(pcm, full_utt=True)
    decoder.end_utt()
    hypothesis = decoder.hyp()
    return hypothesis.hypstr if hypothesis is not None else ""


_heard_before: dict[tuple[str, int, tuple[str, ...]], Intelligibility] = {}


def intelligibility(mp3: Path, vtt: Path | None = None, workers: int = INTELLIGIBILITY_WORKERS) -> Intelligibility:
    """Share of the captions' distinct content words that the general model hears in the whole of ``mp3``.

    ``vtt`` defaults to the captions beside the MP3. The answer is kept for the
    life of the process, keyed by the sound (not the tags) and the words
    expected, so the same audio checked twice (the test suite) is heard once.
    """
    vtt = vtt or mp3.with_suffix(".vtt")
    expected = content_words(" ".join(text for _, _, text in caption_cues(vtt)))
    if not expected:
        raise ValueError(f"{vtt} has no words to listen for")
    began = time.perf_counter()
    samples, rate = decode(mp3)
    key = (hashlib.sha256(samples.tobytes()).hexdigest(), rate, expected)
    if key in _heard_before:
        return _heard_before[key]
    pieces = general_transcript(samples, rate, workers)
    heard = " ".join(piece for piece in pieces if piece)
    recall, missed = heard_recall(expected, heard)
    result = Intelligibility(recall=recall, expected=len(expected), missed=missed, heard=heard,
                             pieces=len(pieces), seconds=time.perf_counter() - began)
    log.info("intelligibility of %s: recall %.3f of %d words, %d pieces in %.1f s", mp3.name, recall,
             len(expected), len(pieces), result.seconds)
    _heard_before[key] = result
    return result
