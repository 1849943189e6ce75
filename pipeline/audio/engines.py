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
import re
import time
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from ..errors import ArticleError, RenderError

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
        rate = min(max(self.rate, ESPEAK_RATES[0]), ESPEAK_RATES[1])
        # Real speech of short words runs at up to about twice the nominal
        # rate; audio shorter than three times as fast is a truncated file.
        shortest = words / (3 * rate) * 60
        problem = "no file was written"
        for attempt in range(1, ATTEMPTS + 1):
            speech, problem = _synthesise(text, work_dir / f"speech-{self.calls}.wav", self.voice.id, rate)
            self.calls += 1
            if speech is not None and speech.seconds >= shortest:
                return speech
            if speech is not None:
                problem = f"only {speech.seconds:.2f} s of audio for {words} words"
            log.info("speech engine attempt %d failed (%s); trying again", attempt, problem)
        raise RenderError("audio", f"the speech engine gave no usable audio after {ATTEMPTS} tries ({problem})",
                          "check that eSpeak NG is installed (apt-get install espeak-ng)")


# eSpeak NG's own limits on its rate setting; values outside are clamped by it.
ESPEAK_RATES = (80, 450)
# eSpeak reads this control character as the start of an embedded command;
# article text never carries it (nor any other control character).
EMBEDDED = "\x01"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
IDLE_TIMEOUT_S = 10.0


def _synthesise(text: str, target: Path, voice_id: str, rate: int) -> tuple[Speech | None, str]:
    """Speak ``text`` in ``voice_id`` at ``rate`` into ``target`` and read it back.

    Seen with pyttsx3 2.99 and eSpeak NG: pyttsx3 cancels whatever eSpeak still
    has queued when a new utterance starts, so a rate or voice set while eSpeak
    was finishing the last sentence could be lost, and that sentence (or
    several) came out at the old rate or not at all. So eSpeak is first let
    finish; the rate travels inside the utterance as eSpeak's own speed
    command, where nothing can drop it; and the voice is confirmed after the
    sentence is spoken.
    """
    target.unlink(missing_ok=True)
    engine = _engine()
    espeak = _espeak_library()
    _wait_until_idle(espeak)
    if engine.getProperty("voice") != voice_id:
        engine.setProperty("voice", voice_id)
    if espeak is not None:
        spoken = f"{EMBEDDED}{rate}S {_CONTROL.sub(' ', text)}"
    else:
        engine.setProperty("rate", rate)
        spoken = text
    # pyttsx3 prints "Audio saved to ..." for every file; keep it off stdout.
    with contextlib.redirect_stdout(io.StringIO()):
        engine.save_to_file(spoken, str(target))
        engine.runAndWait()
    try:
        speech, problem = _read_wav(target)
    finally:
        target.unlink(missing_ok=True)
    if speech is not None and engine.getProperty("voice") != voice_id:
        return None, f"the engine spoke in voice {engine.getProperty('voice')!r}, not {voice_id!r}"
    return speech, problem


def _espeak_library():  # type: ignore[no-untyped-def]
    """pyttsx3's binding to eSpeak NG, when that is the engine in use."""
    if not _has_espeak():
        return None
    from pyttsx3.drivers import _espeak

    return _espeak


def _wait_until_idle(espeak) -> None:  # type: ignore[no-untyped-def]
    """Wait until eSpeak has finished everything it was given."""
    if espeak is None:
        return
    deadline = time.monotonic() + IDLE_TIMEOUT_S
    while espeak.IsPlaying():
        if time.monotonic() > deadline:
            raise RenderError("audio", f"the speech engine was still busy after {IDLE_TIMEOUT_S:.0f} s",
                              "try again; if it persists, report it with the output of 'handout voices'")
        time.sleep(0.001)


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
