"""Speech synthesis through pyttsx3, with three engines behind it: Piper and Kokoro (neural) and eSpeak NG.

pyttsx3 is the one speech interface: each engine is a pyttsx3 driver (its own
``espeak`` driver, ``piper`` from :mod:`.piper_driver` and ``kokoro`` from
:mod:`.kokoro_driver`), so SAPI5 or NSSS voices on other systems would fit the
same way. An English article is read by the Piper voice ``en_US-joe-medium``
when it is installed, a Spanish one by the Kokoro voice ``ef_dora`` (Latin
American phonemes for American Spanish, Spain's for es and es-ES); other
languages, and English or Spanish without those voices, by eSpeak NG.

pyttsx3's eSpeak driver has been seen to return without writing a file (on
the first call in a process, and now and then for short inputs). Every call
here is therefore checked: the WAV must exist, parse, and be long enough for
the words in it, or the call is retried on the same engine (a second engine
would break the first, see ``_engine``). Success is never reported without
real audio.
"""

from __future__ import annotations

import atexit
import logging
import re
import time
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from ..errors import ArticleError, RenderError
from ..languages import language as language_of
from . import kokoro_driver, piper_driver
from .neural import EngineFacts, VoiceProblem

log = logging.getLogger(__name__)

ATTEMPTS = 4

ESPEAK = "espeak"
# The neural engines, each a pyttsx3 driver module with FACTS, register(), missing(),
# packaged_voices() and a driver class; listed first, they are preferred in this order.
NEURAL_DRIVERS = (piper_driver, kokoro_driver)
ESPEAK_FACTS = EngineFacts(
    driver=ESPEAK, name="eSpeak NG", natural=False,
    # eSpeak NG's own limits on its rate setting; values outside are clamped by it.
    rates=(80, 450),
    # eSpeak speaks about 15% faster than its nominal rate.
    nominal_per_measured=1 / 0.85,
    install="install eSpeak NG: sudo apt-get install espeak-ng",
    reinstall="check that eSpeak NG is installed (apt-get install espeak-ng)")
ENGINES: dict[str, EngineFacts] = {module.FACTS.driver: module.FACTS for module in NEURAL_DRIVERS}
ENGINES[ESPEAK] = ESPEAK_FACTS
DRIVER_MODULES = {module.FACTS.driver: module for module in NEURAL_DRIVERS}


@dataclass(frozen=True)
class Voice:
    """A voice of one engine: ``engine`` is the pyttsx3 driver that speaks with it."""

    id: str
    name: str
    languages: tuple[str, ...]
    engine: str = ESPEAK
    quality: str = "formant"
    # A Piper voice given by path: its .onnx model.
    path: Path | None = None

    @property
    def facts(self) -> EngineFacts:
        """What the voice's engine is: natural or robotic, its rates, how to install it."""
        return ENGINES.get(self.engine, ESPEAK_FACTS)

    @property
    def engine_name(self) -> str:
        return self.facts.name


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
    """The voices of every speech engine on this machine: the neural engines' first, in order, then eSpeak NG's."""
    voices = [_neural_voice(module.FACTS, info) for module in NEURAL_DRIVERS for info in module.packaged_voices()]
    try:
        engine = _engine(ESPEAK)
    except RenderError:
        if not voices:
            raise
        log.warning("eSpeak NG is not installed (apt-get install espeak-ng): only the neural voices can speak")
        return voices
    voices += [Voice(id=v.id, name=v.name, languages=tuple(_language_names(v.languages)))
               for v in engine.getProperty("voices")]
    return voices


def _neural_voice(facts: EngineFacts, info: object, path: Path | None = None) -> Voice:
    return Voice(id=info.id, name=info.name, languages=(info.language.lower(),), engine=facts.driver,  # type: ignore[attr-defined]
                 quality=info.quality, path=path)  # type: ignore[attr-defined]


def voice_from_path(path: Path, source: Path) -> Voice:
    """A Piper voice a clinic downloaded itself, checked before anything is spoken."""
    if not piper_driver.piper_available():
        raise ArticleError(path, "a voice file needs the Piper engine, which is not installed",
                           "install it with 'pip install piper-tts' (make build does)")
    try:
        info = piper_driver.read_voice(path)
        piper_driver.load_voice(info, threads=1)
    except VoiceProblem as problem:
        raise ArticleError(problem.path, problem.problem, problem.fix) from None
    return _neural_voice(piper_driver.FACTS, info, path=info.model)


def choose_voice(lang: str, requested: str | None, voices: list[Voice], source: Path) -> Voice:
    """The voice to read an article in ``lang``: the one asked for, or the best match.

    Without a request, an article gets the first neural engine that speaks
    its language (English: the Piper voice ``en_US-joe-medium``; Spanish: a
    Kokoro voice, ``ef_dora``, Latin American unless the tag says es-ES); a language no neural voice speaks gets eSpeak
    NG, with a warning when the engine meant for it is not installed.
    """
    if requested:
        for voice in voices:
            if requested in (voice.id, voice.name):
                return voice
        if _looks_like_path(requested):
            voice = voice_from_path(Path(requested), source)
            if not _speaks(voice, lang):
                raise ArticleError(Path(requested), f"the voice speaks {voice.languages[0]}, but the article "
                                   f"{source} is in {lang!r}", f"choose a voice that speaks {lang}")
            return voice
        raise ArticleError(source, f"there is no voice called {requested!r}",
                           "run 'handout voices' to see the voices on this machine, or give the path of a .onnx voice")
    wanted = lang.lower()
    base = wanted.split("-")[0]
    regional = language_of(lang).regional_voices(lang)
    # A bare language tag ("es") is read in the accent its language folder puts first, not whichever
    # voice happens to be named by the bare tag.
    choices = [*regional, wanted, base] if wanted == base else [wanted, *regional, base]
    for module in NEURAL_DRIVERS:
        default = module.FACTS.default_voices.get(base)
        if default is not None and not any(v.engine == module.FACTS.driver and v.id == default for v in voices):
            log.warning("%s: the natural %s voice %s is not installed (%s); speaking with eSpeak NG", source,
                        _language_name(base), default, module.missing() or module.FACTS.install)
    pools = [[v for v in voices if v.engine == module.FACTS.driver] for module in NEURAL_DRIVERS]
    pools.append([v for v in voices if not v.facts.natural])
    for pool in pools:
        for choice in choices:
            for voice in pool:
                if choice in (language.lower() for language in voice.languages):
                    return voice
        for voice in pool:
            if _speaks(voice, base):
                return voice
    raise ArticleError(source, f"no speech voice on this machine speaks lang {lang!r}",
                       "set 'lang:' to a language 'handout voices' lists, or install that eSpeak NG voice")


def _speaks(voice: Voice, lang: str) -> bool:
    base = lang.lower().split("-")[0]
    return any(language.lower().split("-")[0] == base for language in voice.languages)


def _looks_like_path(requested: str) -> bool:
    """A --voice that is no voice id is a file when it has a folder or a suffix, or exists."""
    path = Path(requested)
    return len(path.parts) > 1 or bool(path.suffix) or path.exists()


def _language_name(base: str) -> str:
    """A language's name in English, for the log ("es" -> "Spanish")."""
    from babel import Locale, UnknownLocaleError

    try:
        return str(Locale.parse(base).english_name)
    except (ValueError, UnknownLocaleError):
        return base


class Pyttsx3Engine:
    """pyttsx3 with a chosen voice and rate, and every result checked.

    ``threads`` is how many CPU threads a neural voice may use; eSpeak NG
    always uses one.
    """

    def __init__(self, voice: Voice, rate: int, threads: int = 1):
        self.voice = voice
        self.rate = rate
        self.threads = threads
        self.calls = 0

    @property
    def pace_exponent(self) -> float:
        """How the measured pace follows the nominal rate: pace = k * rate ** exponent (see recording.Pacer)."""
        return self.voice.facts.pace_exponent

    @property
    def rate_limits(self) -> tuple[int, int]:
        """The nominal rates this voice's engine takes."""
        return self.voice.facts.rates

    def speak(self, text: str, work_dir: Path) -> Speech:
        words = len(text.split())
        rate = min(max(self.rate, self.rate_limits[0]), self.rate_limits[1])
        # Real speech of short words runs at up to about twice the nominal
        # rate; audio shorter than three times as fast is a truncated file.
        shortest = words / (3 * rate) * 60
        problem = "no file was written"
        for attempt in range(1, ATTEMPTS + 1):
            target = work_dir / f"speech-{self.calls}.wav"
            if self.voice.engine in DRIVER_MODULES:
                speech, problem = _synthesise_neural(text, target, self.voice, rate, self.threads)
            else:
                speech, problem = _synthesise(text, target, self.voice.id, rate)
            self.calls += 1
            if speech is not None and speech.seconds >= shortest:
                return speech
            if speech is not None:
                problem = f"only {speech.seconds:.2f} s of audio for {words} words"
            log.info("speech engine attempt %d failed (%s); trying again", attempt, problem)
        raise RenderError("audio", f"the speech engine gave no usable audio after {ATTEMPTS} tries ({problem})",
                          self.voice.facts.reinstall)


def _synthesise_neural(text: str, target: Path, voice: Voice, rate: int, threads: int) -> tuple[Speech | None, str]:
    """Speak ``text`` with a Piper or Kokoro voice through its pyttsx3 driver and read it back."""
    target.unlink(missing_ok=True)
    engine = _engine(voice.engine)
    errors: list[BaseException] = []
    token = engine.connect("error", lambda name, exception: errors.append(exception))
    try:
        engine.setProperty("threads", threads)
        engine.setProperty("voice", str(voice.path) if voice.path else voice.id)
        engine.setProperty("rate", rate)
        engine.save_to_file(text, str(target))
        engine.runAndWait()
    finally:
        engine.disconnect(token)
    for error in errors:
        if isinstance(error, VoiceProblem):
            raise RenderError("audio", f"{error.path}: {error.problem}", error.fix)
    try:
        speech, problem = _read_wav(target)
    finally:
        target.unlink(missing_ok=True)
    if errors and speech is None:
        problem = f"{problem}; the engine said {type(errors[0]).__name__}: {errors[0]}"
    wanted = str(voice.path) if voice.path else voice.id
    if speech is not None and engine.getProperty("voice") != wanted:
        return None, f"the engine spoke in voice {engine.getProperty('voice')!r}, not {wanted!r}"
    return speech, problem


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
    engine = _engine(ESPEAK)
    espeak = _espeak_library()
    _wait_until_idle(espeak)
    if engine.getProperty("voice") != voice_id:
        engine.setProperty("voice", voice_id)
    if espeak is not None:
        spoken = f"{EMBEDDED}{rate}S {_CONTROL.sub(' ', text)}"
    else:
        engine.setProperty("rate", rate)
        spoken = text
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


_ENGINES: dict[str, object] = {}


def _engine(driver: str = ESPEAK):  # type: ignore[no-untyped-def]
    """The process's one pyttsx3 engine for ``driver``, kept alive for the life of the process.

    pyttsx3 holds its engines only weakly. If ours is collected, the next
    ``pyttsx3.init()`` builds a second eSpeak driver, and when the first one is
    collected it unhooks eSpeak's audio callback: later calls then write no
    file, or crash the process. One engine per driver, held here, avoids both.
    """
    if driver in _ENGINES:
        return _ENGINES[driver]
    try:
        import pyttsx3
    except ImportError as error:  # pragma: no cover - a declared dependency
        raise RenderError("audio", "pyttsx3 is not installed", "run 'make build'") from error
    module = DRIVER_MODULES.get(driver)
    if module is not None:
        module.register()
    try:
        engine = pyttsx3.init(driver if module is not None or _has_espeak() else None)
    except (OSError, RuntimeError, ImportError) as error:
        if module is not None:
            raise RenderError("audio", f"the {module.FACTS.name} engine could not start ({error})",
                              module.missing() or module.FACTS.install) from error
        raise RenderError("audio", f"the speech engine could not start ({error})", ESPEAK_FACTS.install) from error
    if module is None:
        _quieten_espeak_driver()
    if not _ENGINES:
        atexit.register(_release_engines)
    _ENGINES[driver] = engine
    return engine


def _quieten_espeak_driver() -> None:
    """Send pyttsx3's "Audio saved to ..." lines to the log instead of standard output.

    Its eSpeak driver prints one for every file, from eSpeak's own thread and
    sometimes after the call that asked for the file has returned, so no
    redirection around the call can catch it; standard output is the
    command's, for what it reports to the person running it.
    """
    try:
        from pyttsx3.drivers import espeak as driver_module
    except ImportError:  # pragma: no cover - not on this platform
        return
    driver_module.print = lambda *args, **kwargs: log.debug(" ".join(map(str, args)))  # type: ignore[attr-defined]


def _release_engines() -> None:
    """Let pyttsx3 close its drivers at exit while Python is still whole.

    Left to the end of interpreter shutdown, its clean-up runs after the
    modules it needs are gone and prints a traceback after every command.
    """
    _ENGINES.clear()


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
