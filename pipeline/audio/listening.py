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
* ``intelligibility`` transcribes the whole file with Whisper base (the
  multilingual ear of :mod:`.ear`), told the article's language, and reports
  the share of the article's content words it heard: a proxy for how natural
  and clear the voice is (see ``INTELLIGIBILITY_TARGET``). Any language
  Whisper knows can be heard; one it does not is "not run".

For the disclaimer, English keeps pocketsphinx with a language model of the
article's own words (calibrated below, and it tells the disclaimer from the
article's other sentences); other languages use Whisper, which needs no such
model.

For ``check_disclaimer`` the recogniser uses its bundled US English acoustic
model and dictionary with a language model made, by pocketsphinx's own ARPA
builder, from the article's words as the captions give them plus the
disclaimer. With its general model it heard only about one word in ten of eSpeak's voice, and
what it heard changed from build to build; knowing the article's vocabulary
it hears most of it, and it must still tell the disclaimer apart from the
article's other sentences, which it knows just as well (see
``HEARD_THRESHOLD``).

These checks need the check extras (soundfile, pyloudnorm, scipy, pocketsphinx,
faster-whisper and the Whisper base parts).
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..languages import language_for, languages
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
# With Whisper (languages other than English), the Spanish test article gave
# 1.00 and 1.00 in Kokoro's voice and 0.82 and 0.64 in eSpeak NG's, and 0.00 in
# a control chapter of either; the same threshold holds.
HEARD_THRESHOLD = 0.40
MIN_WORDS_HEARD = 2

# What Whisper base must hear of the article: the share of its distinct content
# words (as the captions give them, accents folded) heard in the whole file,
# told the article's language. Measured 2026-11-29 (2-core machine, greedy
# decoding with timestamps):
#   seed (207 words), Piper en_US-joe-medium 0.957; eSpeak NG gmw/en-us 0.913
#   Spanish test article (104 words), Kokoro ef_dora-es 0.942; eSpeak NG roa/es 0.663
#   tone, silence, white noise in place of speech: 0.00-0.13 (tests)
#   truncated to its first third, or English speech checked as a Spanish article: below 0.55 (tests)
# A neural voice (Piper, Kokoro) must reach INTELLIGIBILITY_TARGET, below both
# neural figures with room for build-to-build change; any other voice must reach
# the floor, under Spanish eSpeak NG's 0.66 and above every broken file.
# Whisper hears formant speech far better than pocketsphinx did (eSpeak
# English: 0.91 against 0.20), so the floor judges eSpeak NG too.
# French and Portuguese words are compared by sound (``sound_of``). Measured 2026-12-05, Kokoro at 150
# words a minute: a French unseen article (a small wound's care) 0.924 by sound, 0.864 by spelling of
# the same audio; the French test article 0.967; a Portuguese unseen article (blood pressure) 0.935, the
# Portuguese test article 0.895.
INTELLIGIBILITY_TARGET = 0.85
FORMANT_INTELLIGIBILITY_FLOOR = 0.55


def intelligibility_target(lang: str) -> float:
    """What a neural voice must reach in ``lang``: its language's own target where it sets one
    (Chinese 0.80 of the characters in order; French and Portuguese 0.88 of the content words), else
    ``INTELLIGIBILITY_TARGET``."""
    known = language_for(lang)
    return known.heard_target if known is not None and known.heard_target is not None else INTELLIGIBILITY_TARGET

STOPWORDS = {code: language.stopwords for code, language in languages().items()}


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
    """Why the ear cannot listen to speech in ``lang``, or None when it can."""
    from . import ear

    why = ear.missing()
    if why is not None:
        return why
    if not ear.knows(lang):
        return f"the recogniser (Whisper base) does not know {lang}"
    return None


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


def fold(text: str) -> str:
    """Lower case without accents ("Cirugía" -> "cirugia"), so a transcript's spelling of accents does not count."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.lower().replace("'", "").replace("’", ""))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def simplified(text: str) -> str:
    """Chinese text in Simplified characters (Whisper often writes Traditional ones)."""
    import zhconv

    return zhconv.convert(text, "zh-cn")


def content_words(text: str, lang: str = "en") -> tuple[str, ...]:
    """The words that carry a text's meaning, lower case and unaccented, without repeats.

    Chinese has no spaces to find words by: its expected "words" are its characters, all of them, in
    order (Simplified), and the recall is of characters heard in order. A language heard by sound
    (French) keeps its accents, which say how a word sounds, and one word of those that sound the same.
    """
    known = language_for(lang)
    if known is not None and known.pace_unit == "characters":
        return tuple(HAN.findall(simplified(text)))
    stop = STOPWORDS.get(lang.lower().split("-")[0], STOPWORDS["en"])
    if known is not None and known.heard_by_sound:
        kept: dict[str, str] = {}
        for word in _said_words(text, lang):
            if len(fold(word)) > 2 and fold(word) not in stop:
                kept.setdefault(sound_of(word, lang), word)
        return tuple(kept.values())
    words = re.findall(r"[a-z]+", fold(text))
    return tuple(dict.fromkeys(w for w in words if len(w) > 2 and w not in stop))


def _said_words(text: str, lang: str, digits: bool = False) -> list[str]:
    """The words of ``text`` in lower case with their accents, as the voice says them: the language's
    units and symbols in words ("38°" as "38 degrés"), an elided article apart from its word, and with
    ``digits``, numbers the recogniser wrote in digits as number words."""
    from ..lexicon import Lexicon, shipped_rules

    said = _elisions_apart(Lexicon(shipped_rules(lang), spell_capitals=False).apply(text))
    return re.findall(r"[^\W\d_]+", (_number_words(said, lang) if digits else said).lower())


@lru_cache(maxsize=8192)
def sound_of(word: str, lang: str) -> str:
    """How ``word`` sounds in ``lang``: eSpeak NG's phonemes for it in the language's voice, without
    stress or length marks, unstressed vowels as full ones ("pansement" and "pensement" are both
    pɑ̃smɑ̃)."""
    from ..languages import language
    from .kokoro_driver import phonemes

    known = language(lang)
    for voice in (*known.regional_voices(lang), known.code):
        try:
            said = phonemes(word, voice)
        except RuntimeError:  # a voice name this eSpeak NG does not have
            continue
        return re.sub(r"[ˈˌː\s.,;:!?]", "", "".join(said)).translate(_BROAD) or word
    return word


# Unstressed vowels eSpeak NG writes apart from their full ones, which a listener (and a recogniser
# spelling what it heard) does not tell apart: Brazilian "lave" (lavɪ) and "lavi", "remédios" (-ʊs) and "-us".
_BROAD = str.maketrans({"ɪ": "i", "ʊ": "u", "ɐ": "a"})


def _elisions_apart(text: str) -> str:
    """l'asthme as l asthme: in French (and Portuguese) an apostrophe parts two words."""
    return re.sub(r"['’]", " ", text)


def _number_words(text: str, lang: str) -> str:
    """Digits a recogniser wrote as the language's number words ("4 ou 5" -> "quatre ou cinq")."""
    known = language_for(lang)
    if known is None or known.facts is None:
        return text
    names = {value: word for word, value in known.facts.number_words.items() if value <= 100}
    return re.sub(r"\b\d{1,3}\b", lambda m: names.get(int(m.group(0)), m.group(0)), text)


def heard_recall(expected: tuple[str, ...], heard: str, lang: str = "en") -> tuple[float, tuple[str, ...]]:
    """Share of ``expected`` words found in a transcript, and the ones missed.

    A word also counts as heard when the recogniser split it in two
    ("healthcare" heard as "health care"). In a language whose words sound
    alike but are written apart (French), both are compared by their sound.
    """
    if expected and all(HAN.fullmatch(word) for word in expected):
        return _characters_in_order(expected, heard)
    known = language_for(lang)
    key: Callable[[str], str] = lambda word: word  # noqa: E731 - the expected words as they are
    if known is not None and known.heard_by_sound:
        tokens = [sound_of(w, lang) for w in _said_words(heard, lang, digits=True)]
        key = lambda word: sound_of(word, lang)  # noqa: E731
    else:
        tokens = re.findall(r"[a-z]+", fold(heard))
    vocabulary = set(tokens) | {a + b for a, b in zip(tokens, tokens[1:], strict=False)}
    missed = tuple(w for w in expected if key(w) not in vocabulary)
    return (1 - len(missed) / len(expected) if expected else 1.0), missed


def _characters_in_order(expected: tuple[str, ...], heard: str) -> tuple[float, tuple[str, ...]]:
    """Share of the expected characters heard in the same order (the longest run of matches), and the
    ones missed; numbers heard as digits are written as Chinese numerals first."""
    from difflib import SequenceMatcher

    characters = HAN.findall(simplified(_numerals(heard)))
    matcher = SequenceMatcher(None, expected, characters, autojunk=False)
    found: set[int] = set()
    for block in matcher.get_matching_blocks():
        found.update(range(block.a, block.a + block.size))
    missed = tuple(dict.fromkeys(ch for i, ch in enumerate(expected) if i not in found))
    return len(found) / len(expected), missed


def _numerals(text: str) -> str:
    """Digits as Chinese numerals said digit by digit ("911" -> 九一一), as the ear cannot know the reading."""
    return re.sub(r"\d", lambda d: "零一二三四五六七八九"[int(d.group(0))], text)


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
        recall, missed = heard_recall(expected, heard, getattr(self, "lang", "en"))
        log.info("%s (%.1f-%.1f s): recall %.2f; heard %r", label, start, end, recall, heard)
        return Hearing(label=label, start=start, end=end, heard=heard, recall=recall, missed=missed,
                       expected=len(expected))


class WhisperListener:
    """Whisper base, told the language: the disclaimer's ear for languages pocketsphinx does not know."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def transcribe(self, samples: np.ndarray, rate: int) -> str:
        from . import ear

        return ear.transcribe(samples, rate, self.lang)

    hear = Listener.hear


def listener_for(mp3: Path, disclaimer: str, lang: str = "en") -> Listener | WhisperListener:
    """pocketsphinx knowing the article's words for English (when installed), Whisper otherwise."""
    if lang.lower().split("-")[0] == "en":
        try:
            return Listener.for_audio(mp3, disclaimer)
        except ImportError:
            pass
    return WhisperListener(lang)


def check_disclaimer(mp3: Path, disclaimer: str, listener: Listener | WhisperListener | None = None,
                     control: bool = True, lang: str = "en") -> DisclaimerCheck:
    """Is the disclaimer heard where it should be: in the first and the last chapter?

    The first chapter holds the title and "Before you listen: <disclaimer>",
    the last holds the disclaimer again. The control stretch is the chapter
    whose length is nearest the last chapter's, among the others; the
    disclaimer's words should mostly not be heard there.
    """
    listener = listener or listener_for(mp3, disclaimer, lang)
    samples, rate = decode(mp3)
    marks = chapters(mp3)
    if len(marks) < 2:
        raise ValueError(f"{mp3} has {len(marks)} chapters; the disclaimer cannot be located")
    expected = content_words(disclaimer, lang)
    opening = listener.hear("opening disclaimer", samples, rate, marks[0][1], marks[0][2], expected)
    closing = listener.hear("closing disclaimer", samples, rate, marks[-1][1], marks[-1][2], expected)
    hearing = None
    middle = marks[1:-1]
    if control and middle:
        length = marks[-1][2] - marks[-1][1]
        title, start, end = min(middle, key=lambda m: abs((m[2] - m[1]) - length))
        hearing = listener.hear(f"control ({title})", samples, rate, start, end, expected)
    return DisclaimerCheck(opening=opening, closing=closing, control=hearing)


# ---------------------------------------------------------------- the whole file


_heard_before: dict[tuple[str, int, tuple[str, ...], str], Intelligibility] = {}


def intelligibility(mp3: Path, vtt: Path | None = None, lang: str = "en") -> Intelligibility:
    """Share of the captions' distinct content words that Whisper base hears in the whole of ``mp3``.

    ``vtt`` defaults to the captions beside the MP3. The answer is kept for the
    life of the process, keyed by the sound (not the tags), the words expected
    and the language, so the same audio checked twice (the test suite) is heard once.
    """
    from . import ear

    vtt = vtt or mp3.with_suffix(".vtt")
    expected = content_words(" ".join(text for _, _, text in caption_cues(vtt)), lang)
    if not expected:
        raise ValueError(f"{vtt} has no words to listen for")
    began = time.perf_counter()
    samples, rate = decode(mp3)
    key = (hashlib.sha256(samples.tobytes()).hexdigest(), rate, expected, lang)
    if key in _heard_before:
        return _heard_before[key]
    heard = ear.transcribe(samples, rate, lang)
    recall, missed = heard_recall(expected, heard, lang)
    result = Intelligibility(recall=recall, expected=len(expected), missed=missed, heard=heard,
                             pieces=1, seconds=time.perf_counter() - began)
    log.info("intelligibility of %s: recall %.3f of %d words in %.1f s", mp3.name, recall,
             len(expected), result.seconds)
    _heard_before[key] = result
    return result
