"""What staff see before they download: the PDF's pages as pictures with their text, and voice samples.

Both are made on request and kept by what they were made from (the PDF's
digest; the voice, language and sentence), so a page of the library shows at
once the second time and a rebuilt PDF is never shown with old pictures.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import multiprocessing
import os
import subprocess
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..errors import RenderError
from ..manifest import write_atomically

log = logging.getLogger(__name__)

# Pictures of the PDF's pages: 60 dots an inch makes a Letter page 510 x 660 pixels.
PAGE_DPI = 60
SAMPLE_SECONDS_LIMIT = 60


@dataclass(frozen=True)
class PageView:
    number: int
    total: int
    text: str


class PdfPreview:
    """The large-print PDF's pages as PNG pictures and as text (the pictures' text alternative)."""

    def __init__(self, cache: Path):
        self.cache = cache
        self.lock = threading.Lock()

    def _folder(self, pdf: Path) -> Path:
        digest = hashlib.sha256(pdf.read_bytes()).hexdigest()[:32]
        return self.cache / digest

    def pages(self, pdf: Path | None) -> list[PageView]:
        """Each page's number and text (empty when there is no PDF yet, or poppler is missing)."""
        if pdf is None or not pdf.is_file():
            return []
        folder = self._folder(pdf)
        text_file = folder / "pages.txt"
        if not text_file.is_file():
            try:
                text = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                                      check=True, timeout=60).stdout.decode("utf-8", "replace")
            except (OSError, subprocess.SubprocessError) as error:
                log.warning("%s: the PDF's text could not be read for its preview (%s)", pdf, error)
                return []
            folder.mkdir(parents=True, exist_ok=True)
            write_atomically(text_file, text)
        pages = text_file.read_text(encoding="utf-8").split("\f")
        if pages and not pages[-1].strip():
            pages.pop()
        return [PageView(number, len(pages), _tidy(page)) for number, page in enumerate(pages, start=1)]

    def image(self, pdf: Path | None, number: int) -> Path | None:
        """The PNG picture of page ``number``, made on first request."""
        if pdf is None or not pdf.is_file() or number < 1:
            return None
        total = len(self.pages(pdf))
        if number > total:
            return None
        folder = self._folder(pdf)
        image = folder / f"page-{number}.png"
        if not image.is_file():
            # Every page at once: one run of the renderer costs little more than one page.
            with self.lock, tempfile.TemporaryDirectory(dir=folder) as scratch:
                if not image.is_file():
                    try:
                        subprocess.run(["pdftoppm", "-png", "-r", str(PAGE_DPI), str(pdf), str(Path(scratch) / "page")],
                                       capture_output=True, check=True, timeout=120)
                    except (OSError, subprocess.SubprocessError) as error:
                        log.warning("%s: its pages could not be pictured (%s)", pdf, error)
                        return None
                    for made in Path(scratch).glob("page-*.png"):
                        os.replace(made, folder / f"page-{int(made.stem.split('-')[-1])}.png")
        if not image.is_file():
            return None
        return image


def _tidy(page: str) -> str:
    lines = [line.rstrip() for line in page.splitlines()]
    text = "\n".join(lines).strip("\n")
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text


# ---------------------------------------------------------------- voice samples


def _list_voices() -> list[tuple[str, str, str, tuple[str, ...], str]]:
    """(id, name, engine, languages, how it sounds) for every voice on this machine."""
    from ..audio.engines import list_voices

    return [(voice.id, voice.name, voice.engine_name, voice.languages, voice.facts.sound) for voice in list_voices()]


def _speak_sample(voice_id: str, lang: str, text: str, rate: int, target: str) -> str:
    """Speak one sentence as the audio edition would (same engine, voice, rate and loudness) into an MP3."""
    import numpy as np

    from ..audio.engines import Pyttsx3Engine, choose_voice, list_voices
    from ..audio.mp3 import encode_mp3
    from ..audio.recording import Recording, normalise_loudness, trim_silence

    voice = choose_voice(lang, voice_id or None, list_voices(), Path("voice sample"))
    engine = Pyttsx3Engine(voice, rate, threads=1)
    with tempfile.TemporaryDirectory() as work:
        speech = engine.speak(text, Path(work))
    rate_hz = speech.sample_rate
    quiet = np.zeros(int(0.4 * rate_hz), dtype=np.float32)
    samples = normalise_loudness(trim_silence(speech.samples.astype(np.float32)), rate_hz)
    recording = Recording(samples=np.concatenate([quiet, samples, quiet]), sample_rate=rate_hz, cues=(),
                          chapters=(), spoken_text=text)
    write_atomically(Path(target), encode_mp3(recording))
    return voice.name


def offered_voice_languages() -> set[str]:
    """The base languages of the voices the app offers: those of every language with a folder, and the
    eSpeak NG voices they fall back on ("cmn" for Chinese)."""
    from ..languages import languages

    found = set(languages())
    for language in languages().values():
        found.update(voice.split("-")[0] for voices in language.espeak.values() for voice in voices)
    return found


class SamplerBusy(Exception):
    """No sample can be made for this request now: what to tell staff, and the seconds to wait."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.message, self.retry_after = message, retry_after


class VoiceSampler:
    """Short samples of each voice, spoken in a process of their own so they never wait behind a build.

    Making one holds a request until it is spoken, so at most one is made for
    each member of staff at a time and at most ``queue_limit`` at once; a
    request past either is told at once to try again. The samples kept are
    at most ``cache_bytes``, the least recently played removed first.
    """

    def __init__(self, cache: Path, rate: int, queue_limit: int = 4, cache_bytes: int = 50 * 1024 * 1024,
                 spoken_lang: Callable[[str], str] = str):
        self.cache = cache
        # The tag a voice is chosen for (a bare "es" in the accent the settings give), as the build does.
        self.spoken_lang = spoken_lang
        self.rate = rate
        self.queue_limit, self.cache_bytes = queue_limit, cache_bytes
        self.pool: ProcessPoolExecutor | None = None
        self.lock = threading.Lock()
        self.making: set[str] = set()  # who has a sample being made
        self._voices: list[tuple[str, str, str, tuple[str, ...], str]] | None = None

    def _pool(self) -> ProcessPoolExecutor:
        with self.lock:
            if self.pool is None:
                self.pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
            return self.pool

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)

    def voices(self) -> list[tuple[str, str]]:
        """(id, what staff read) for each voice that speaks a language the app offers, neural voices first."""
        if self._voices is None:
            try:
                self._voices = self._pool().submit(_list_voices).result(timeout=60)
            except Exception as error:  # noqa: BLE001 - the form works without the list
                log.warning("the speech voices could not be listed (%s)", error)
                return []
        offered = []
        spoken = offered_voice_languages()
        for voice_id, name, engine, languages, sound in self._voices:
            if not any(language.split("-")[0] in spoken for language in languages):
                continue
            offered.append((voice_id, f"{name} ({', '.join(languages)}; {engine}, {sound})"))
        return offered

    def voice_name(self, voice_id: str, lang: str) -> str:
        named = dict(self.voices())
        if voice_id in named:
            return named[voice_id]
        return f"the voice chosen for {lang}" if not voice_id else voice_id

    def sample(self, voice_id: str, lang: str, text: str, who: str = "") -> Path:
        """An MP3 of ``text`` in the voice, made once and kept; ``who`` asks (one sample at a time each)."""
        if voice_id and voice_id not in dict(self.voices()):
            raise RenderError("voice sample", f"there is no voice called {voice_id!r}", "choose one from the list")
        lang = self.spoken_lang(lang)
        key = hashlib.sha256(f"{voice_id}\n{lang}\n{self.rate}\n{text}".encode()).hexdigest()[:32]
        target = self.cache / f"{key}.mp3"
        if target.is_file():
            with contextlib.suppress(OSError):
                os.utime(target)  # played again: kept longer
            return target
        with self.lock:
            if who in self.making:
                raise SamplerBusy("Your last sample is still being made: wait for it, then try again", 5)
            if len(self.making) >= self.queue_limit:
                raise SamplerBusy("Samples are being made for other staff: try again in a few seconds", 10)
            self.making.add(who)
        try:
            self.cache.mkdir(parents=True, exist_ok=True)
            future = self._pool().submit(_speak_sample, voice_id, lang, text, self.rate, str(target))
            try:
                future.result(timeout=SAMPLE_SECONDS_LIMIT)
            except TimeoutError:
                raise SamplerBusy("The sample is taking too long: try again in a minute", 60) from None
        finally:
            with self.lock:
                self.making.discard(who)
        self.prune()
        return target

    def prune(self) -> None:
        """Remove the least recently played samples until those kept fit in ``cache_bytes``."""
        kept = []
        for path in self.cache.glob("*.mp3"):
            with contextlib.suppress(OSError):
                stat = path.stat()
                kept.append((stat.st_mtime_ns, stat.st_size, path))
        total = sum(size for _, size, _ in kept)
        for _, size, path in sorted(kept, key=lambda entry: entry[0]):
            if total <= self.cache_bytes:
                break
            with contextlib.suppress(OSError):
                path.unlink()
                total -= size
