"""Speech synthesis through pyttsx3 (eSpeak NG on Linux), made dependable.

pyttsx3's eSpeak driver has been seen to return without writing a file (on
the first call in a process, and now and then for short inputs). Every call
here is therefore checked: the WAV must exist, parse, and be long enough for
the words in it, or the call is retried on the same engine (a second engine
would break the first, see ``_engine``). Success is never reported without
real audio.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import logging
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from .errors import ArticleError, RenderError

log = logging.getLogger(__name__)

ATTEMPTS = 4


@dataclass(frozen=True)
class Voice:
    id: str
    name: str
    languages: tuple[str, ...]


@dataclass(frozen=True)
class Speech:
    """Mono 16-bit samples as float32 in -1..1, with their sample rate."""

    samples: np.ndarray
    sample_rate: int

    @property
    def seconds(self) -> float:
        return len(self.samples) / self.sample_rate


class SpeechEngine(Protocol):
    def speak(self, text: str, work_dir: Path) -> Speech:
        """Synthesise ``text`` and return its samples."""
        ...


class RatedEngine(SpeechEngine, Protocol):
    """An engine whose nominal rate can be changed between sentences."""

    rate: int


def list_voices() -> list[Voice]:
    """The voices the speech engine offers on this machine."""
    engine = _engine()
    return [Voice(id=v.id, name=v.name, languages=tuple(_language_names(v.languages)))
            for v in engine.getProperty("voices")]


def choose_voice(lang: str, requested: str | None, voices: list[Voice], source: Path) -> Voice:
    """The voice to read an article in ``lang``: the one asked for, or the best match."""
    if requested:
        for voice in voices:
            if requested in (voice.id, voice.name):
                return voice
        raise ArticleError(source, f"there is no voice called {requested!r}",
                           "run 'handout voices' to see the voices on this machine")
    wanted = lang.lower()
    base = wanted.split("-")[0]
    # A bare "en" is read in US English: the clinics this is made for are American.
    for choice in (["en-us"] if wanted == "en" else []) + [wanted]:
        for voice in voices:
            if choice in (language.lower() for language in voice.languages):
                return voice
    for voice in voices:
        if any(language.lower().split("-")[0] == base for language in voice.languages):
            return voice
    raise ArticleError(source, f"no speech voice on this machine speaks lang {lang!r}",
                       "set 'lang:' to a language 'handout voices' lists, or install that eSpeak NG voice")


class Pyttsx3Engine:
    """pyttsx3 with a chosen voice and rate, and every result checked."""

    def __init__(self, voice: Voice, rate: int):
        self.voice = voice
        self.rate = rate
        self.calls = 0

    def speak(self, text: str, work_dir: Path) -> Speech:
        words = len(text.split())
        # Real speech of short words runs at up to about twice the nominal
        # rate; audio shorter than three times as fast is a truncated file.
        shortest = words / (3 * max(self.rate, 80)) * 60
        _settle(self.voice.id, self.rate, work_dir)
        problem = "no file was written"
        for attempt in range(1, ATTEMPTS + 1):
            speech, problem = _synthesise(text, work_dir / f"speech-{self.calls}.wav")
            self.calls += 1
            if speech is not None and speech.seconds >= shortest:
                return speech
            if speech is not None:
                problem = f"only {speech.seconds:.2f} s of audio for {words} words"
            log.info("speech engine attempt %d failed (%s); trying again", attempt, problem)
        raise RenderError("audio", f"the speech engine gave no usable audio after {ATTEMPTS} tries ({problem})",
                          "check that eSpeak NG is installed (apt-get install espeak-ng)")


def _synthesise(text: str, target: Path) -> tuple[Speech | None, str]:
    target.unlink(missing_ok=True)
    engine = _engine()
    # pyttsx3 prints "Audio saved to ..." for every file; keep it off stdout.
    with contextlib.redirect_stdout(io.StringIO()):
        engine.save_to_file(text, str(target))
        engine.runAndWait()
    try:
        return _read_wav(target)
    finally:
        target.unlink(missing_ok=True)


# A rate change is verified by speaking this phrase until its length settles.
PROBE = "One, two, three, four, five, six, seven, eight."
SETTLE_TRIES = 20
WARM_UP = 6
# eSpeak NG's own limits on its rate setting; values outside are clamped by it.
ESPEAK_RATES = (80, 450)
START_RATE = 200  # pyttsx3 sets this when it starts eSpeak
# A rate this far (as a ratio) from the last confirmed one changes the probe's
# length clearly enough to be seen; nearer changes go by way of a distant rate.
CLEAR_CHANGE = 1.4
MOVED = 0.08  # the probe's length must change by more than this share ...
STEADY = 0.01  # ... and then repeat within this share
_CURRENT: dict[str, object] = {}


def _settle(voice_id: str, rate: int, work_dir: Path) -> None:
    """Make sure eSpeak really speaks ``voice_id`` at ``rate`` before any sentence is kept.

    Seen with pyttsx3 2.99 and eSpeak NG here: after a rate change eSpeak
    went on at the old rate for one to several utterances, at random, so
    sentences came out a third longer or shorter than asked. A change is
    therefore confirmed by speaking a probe phrase until its length has
    clearly moved from the last confirmed rate's length and then holds
    steady. A change too small to see in the length goes by way of a distant
    rate first, so that every step is unmistakable.
    """
    rate = min(max(rate, ESPEAK_RATES[0]), ESPEAK_RATES[1])
    if _CURRENT.get("voice") == voice_id and _CURRENT.get("rate") == rate:
        return
    engine = _engine()
    if _CURRENT.get("voice") != voice_id:
        _CURRENT.clear()
        engine.setProperty("voice", voice_id)
        # The first few utterances after start-up (or a new voice) came out
        # 1-2% shorter than the same text later on; speak those to no one.
        for number in range(WARM_UP):
            _synthesise(PROBE, work_dir / f"warm-{number}.wav")
        start = int(_CURRENT.get("rate", START_RATE))  # type: ignore[call-overload]
        _CURRENT.update(voice=voice_id, rate=start, length=_confirm(engine, start, None, work_dir))
        if start == rate:
            return
    current = int(_CURRENT["rate"])  # type: ignore[call-overload]
    length = int(_CURRENT["length"])  # type: ignore[call-overload]
    if max(rate, current) / min(rate, current) < CLEAR_CHANGE:
        distant = ESPEAK_RATES[1] if rate < 250 else ESPEAK_RATES[0]
        length = _confirm(engine, distant, length, work_dir)
    _CURRENT.update(rate=rate, length=_confirm(engine, rate, length, work_dir))


def _confirm(engine, rate: int, away_from: int | None, work_dir: Path) -> int:  # type: ignore[no-untyped-def]
    """Set ``rate`` until the probe's length has moved from ``away_from`` and holds; return it."""
    previous = None
    for _ in range(SETTLE_TRIES):
        engine.setProperty("rate", rate)
        speech, _problem = _synthesise(PROBE, work_dir / "probe.wav")
        if speech is None:
            continue
        length = len(speech.samples)
        moved = away_from is None or abs(length - away_from) > MOVED * away_from
        if moved and previous is not None and abs(length - previous) <= STEADY * length:
            return length
        previous = length if moved else None
    raise RenderError("audio", f"the speech engine would not change to rate {rate} after {SETTLE_TRIES} tries",
                      "try again; if it persists, report it with the output of 'handout voices'")


_ENGINE = None


def _engine():  # type: ignore[no-untyped-def]
    """The process's one pyttsx3 engine, kept alive for the life of the process.

    pyttsx3 holds its engines only weakly. If ours is collected, the next
    ``pyttsx3.init()`` builds a second eSpeak driver, and when the first one is
    collected it unhooks eSpeak's audio callback: later calls then write no
    file, or crash the process. One engine, held here, avoids both.
    """
    global _ENGINE
    if _ENGINE is not None:
        return _ENGINE
    try:
        import pyttsx3
    except ImportError as error:  # pragma: no cover - a declared dependency
        raise RenderError("audio", "pyttsx3 is not installed", "run 'make build'") from error
    try:
        _ENGINE = pyttsx3.init("espeak" if _has_espeak() else None)
        atexit.register(_release_engine)
    except (OSError, RuntimeError, ImportError) as error:
        raise RenderError("audio", f"the speech engine could not start ({error})",
                          "install eSpeak NG: sudo apt-get install espeak-ng") from error
    return _ENGINE


def _release_engine() -> None:
    """Let pyttsx3 close its driver at exit while Python is still whole.

    Left to the end of interpreter shutdown, its clean-up runs after the
    modules it needs are gone and prints a traceback after every command.
    """
    global _ENGINE
    _ENGINE = None


def _has_espeak() -> bool:
    import sys

    return sys.platform.startswith("linux")


def _language_names(languages: list[object]) -> list[str]:
    names = []
    for language in languages or []:
        if isinstance(language, bytes):
            language = language.decode("utf-8", "replace").lstrip("\x05")
        names.append(str(language))
    return names


def _read_wav(path: Path) -> tuple[Speech | None, str]:
    if not path.exists():
        return None, "no file was written"
    if path.stat().st_size <= 44:
        return None, "the file was empty"
    try:
        with wave.open(str(path), "rb") as wav:
            if wav.getsampwidth() != 2:
                return None, f"unexpected sample width {wav.getsampwidth()}"
            frames = wav.readframes(wav.getnframes())
            rate = wav.getframerate()
            channels = wav.getnchannels()
    except (wave.Error, EOFError) as error:
        return None, f"the file is not a readable WAV ({error})"
    samples = np.frombuffer(frames, dtype="<i2").astype(np.float32) / 32768.0
    if channels > 1:
        samples = samples.reshape(-1, channels).mean(axis=1)
    if samples.size == 0:
        return None, "the file held no samples"
    return Speech(samples=samples, sample_rate=rate), ""
