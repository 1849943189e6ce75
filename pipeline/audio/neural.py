"""What every speech engine states about itself, and the frame the neural voices share as pyttsx3 drivers.

pyttsx3 is the one speech interface. A neural engine (Piper, Kokoro) joins it
as a driver module: :func:`register` makes the module ``pyttsx3.drivers.<name>``,
and a subclass of :class:`NeuralDriver` supplies only its voices and its
synthesis. The rest is here: pyttsx3's run loop, the properties (``voice``,
``rate`` in words a minute, ``volume``, ``threads``), writing the WAV, the
model loaded once per process, and onnxruntime's session options.

Each engine also states its facts in an :class:`EngineFacts` (natural or
robotic, the rates it takes, how its pace follows the rate, how to install
it, the languages it is the default for), so no caller asks which engine it is.
"""

from __future__ import annotations

import ctypes
import logging
import sys
import threading
import wave
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EngineFacts:
    """What one speech engine is, for choosing a voice, steering its pace and telling staff about it."""

    # The pyttsx3 driver that speaks with it.
    driver: str
    # Its name where people read it ("Piper").
    name: str
    # A voice trained on human speech sounds natural; formant synthesis sounds robotic.
    natural: bool
    # The nominal rates (words a minute) the engine takes.
    rates: tuple[int, int]
    # How the measured pace follows the nominal rate: pace = k * rate ** exponent (see recording.Pacer).
    pace_exponent: float = 1.0
    # The nominal rate to start from for one measured word a minute (eSpeak speaks faster than it is told).
    nominal_per_measured: float = 1.0
    # What to do when the engine or its voices are missing.
    install: str = ""
    # What to do when it gave no usable audio.
    reinstall: str = ""
    # Base language -> the voice this engine reads it with by default ("en" -> "en_US-joe-medium").
    default_voices: Mapping[str, str] = field(default_factory=dict)

    @property
    def sound(self) -> str:
        """How the voice sounds, in the words the voice list uses."""
        return "natural" if self.natural else "robotic"


class VoiceProblem(ValueError):
    """A voice or model that cannot be used, with what to do about it."""

    def __init__(self, path: Path, problem: str, fix: str):
        super().__init__(f"{path}: {problem}")
        self.path, self.problem, self.fix = path, problem, fix


def register(driver: str, module: str) -> None:
    """Make the module named ``module`` pyttsx3's driver ``driver``."""
    sys.modules.setdefault(f"pyttsx3.drivers.{driver}", sys.modules[module])


class ModelCache:
    """Models loaded once per process, by key, whichever thread asks first."""

    def __init__(self) -> None:
        self._models: dict[Any, Any] = {}
        self.lock = threading.Lock()

    def get(self, key: Any, load: Callable[[], Any]) -> Any:
        with self.lock:
            if key not in self._models:
                self._models[key] = load()
            return self._models[key]


def session_options(threads: int) -> Any:
    """onnxruntime's options for a voice model: ``threads`` cores, idle threads asleep."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    # Idle threads sleep rather than spin, leaving the cores to the PDF and
    # page being laid out at the same time.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return options


def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError):
        return None


_TRIM: list[Callable[[int], int] | None] = []


def release_free_memory() -> None:
    """Give the pages freed since the last call back to the system (glibc's ``malloc_trim``; elsewhere nothing).

    The arena a voice gives back after each sentence is freed into the C
    heap, between pages the page layout and the other formats, made at the
    same time, still hold; glibc keeps such pages until asked. Asked after
    each sentence, a Spanish build process peaked at 540 MB instead of 620.
    """
    if not _TRIM:
        _TRIM.append(_malloc_trim())
    if _TRIM[0] is not None:
        _TRIM[0](0)


class LeanSession:
    """An onnxruntime session that gives back, after each call, the memory that call needed.

    onnxruntime keeps a memory arena that grows to the largest call a voice
    has made and never shrinks: with the arena kept whole, one long sentence
    spoken slowly left a Kokoro build process at 814 MB for the rest of its
    life. Shrinking it after each call (``memory.enable_memory_arena_shrinkage``)
    keeps the session's own weights and little else between sentences, for
    the same samples and no measurable time (docs/benchmarks.md). The session
    is also made to let go of the model's bytes when it was loaded from
    memory: onnxruntime's Python session keeps them only to re-create itself
    on another device, which a CPU voice never does.
    """

    def __init__(self, session: Any):
        import onnxruntime

        self.session = session
        if getattr(session, "_model_bytes", None) is not None:
            session._model_bytes = None
        self.options = onnxruntime.RunOptions()
        self.options.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")

    def run(self, outputs: Any, feeds: Mapping[str, Any], options: Any = None) -> Any:
        try:
            return self.session.run(outputs, feeds, options or self.options)
        finally:
            release_free_memory()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.session, name)


def write_wav(filename: str, samples: np.ndarray, sample_rate: int) -> None:
    """Float samples in -1..1 as a 16-bit mono WAV."""
    pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2")
    with wave.open(filename, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(sample_rate)
        wav.writeframes(pcm.tobytes())


class NeuralDriver:
    """A pyttsx3 driver for a neural engine; synthesis happens inside ``save_to_file``.

    A subclass sets ``facts`` and supplies :meth:`installed_voices`,
    :meth:`missing_voice` and :meth:`write_speech`; it may override
    :meth:`find_voice` to take voices that are not installed (a model's path).
    """

    facts: EngineFacts
    # The voice chosen when none is set: the engine's default for its first language.
    default_voice: str = ""
    # The exception its voice problems are raised as.
    problem: type[VoiceProblem] = VoiceProblem

    def __init__(self, proxy: Any) -> None:
        self._proxy = proxy
        self._voices: dict[str, Any] = {info.id: info for info in self.installed_voices()}
        self._voice: Any = self._voices.get(self.default_voice) or self.fallback_voice()
        self._rate = 150
        self._volume = 1.0
        self._threads = 1

    # What each engine supplies.
    def installed_voices(self) -> list[Any]:
        """The engine's voices on this machine, each with ``id``, ``name`` and ``language``."""
        raise NotImplementedError

    def missing_voice(self) -> VoiceProblem:
        """The problem to report when no voice is installed."""
        raise NotImplementedError

    def write_speech(self, text: str, filename: str) -> None:
        """Speak ``text`` in the chosen voice into a 16-bit mono WAV at ``filename``."""
        raise NotImplementedError

    def fallback_voice(self) -> Any:
        """The voice to use when the default one is not installed (None: refuse to speak)."""
        return None

    def find_voice(self, value: str) -> Any:
        """The voice a ``voice`` property names; raises VoiceProblem for one there is not."""
        if value not in self._voices:
            raise self.problem(Path(str(value)), f"there is no such {self.facts.name} voice",
                               f"choose one of {', '.join(self._voices)}")
        return self._voices[value]

    # pyttsx3's run loop: commands are carried out synchronously as they are pumped.
    def startLoop(self) -> None:  # noqa: N802 - pyttsx3's name
        self._proxy.setBusy(False)

    def endLoop(self) -> None:  # noqa: N802 - pyttsx3's name
        pass

    def iterate(self):  # type: ignore[no-untyped-def]
        self._proxy.setBusy(False)
        yield

    def destroy(self) -> None:
        pass

    def stop(self) -> None:
        pass

    def say(self, text: str) -> None:
        raise NotImplementedError(f"the {self.facts.name} driver writes files only; use save_to_file")

    def save_to_file(self, text: str, filename: str) -> None:
        """Speak ``text`` into a WAV file, telling pyttsx3 when the utterance starts and ends."""
        self._proxy.setBusy(True)
        self._proxy.notify("started-utterance")
        completed = False
        try:
            if self._voice is None:
                raise self.missing_voice()
            self.write_speech(text, filename)
            completed = True
        finally:
            self._proxy.notify("finished-utterance", completed=completed)
            self._proxy.setBusy(False)

    def getProperty(self, name: str) -> Any:  # noqa: N802 - pyttsx3's name
        if name == "voices":
            from pyttsx3.voice import Voice

            return [Voice(info.id, info.name, [info.language]) for info in self._voices.values()]
        if name == "voice":
            return self._voice.id if self._voice else None
        if name == "rate":
            return self._rate
        if name == "volume":
            return self._volume
        if name == "threads":
            return self._threads
        raise KeyError(f"unknown property {name}")

    def setProperty(self, name: str, value: Any) -> None:  # noqa: N802 - pyttsx3's name
        if name == "voice":
            self._voice = self.find_voice(value)
        elif name == "rate":
            self._rate = max(1, int(value))
        elif name == "volume":
            self._volume = min(max(float(value), 0.0), 1.0)
        elif name == "threads":
            self._threads = max(1, int(value))
        else:
            raise KeyError(f"unknown property {name}")
