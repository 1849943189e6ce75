"""The audio edition: the listening script spoken through pyttsx3, as a chaptered MP3 with WebVTT captions."""

from __future__ import annotations

import io
import logging
import os
from pathlib import Path

from ..audio.captions import webvtt
from ..audio.engines import SpeechEngine, choose_voice, list_voices
from ..audio.mp3 import as_played, encode_mp3, write_tags
from ..audio.recording import record, record_at_rate
from ..audio.script import listening_script
from ..languages import speaking_rate
from ..model import Document
from ..settings import Settings
from . import write_output

log = logging.getLogger(__name__)


def speech_threads(jobs: int) -> int:
    """CPU threads for a neural voice when ``jobs`` articles are built at once: the cores shared out."""
    return max(1, len(os.sched_getaffinity(0)) // max(1, jobs))


class AudioRenderer:
    name = "audio"
    label = "the audio edition"

    def __init__(self, engine: SpeechEngine | None = None):
        self.engine = engine

    def render(self, document: Document, settings: Settings, out_dir: Path) -> list[Path]:
        script = listening_script(document)
        rate, unit = speaking_rate(settings.rate, document.lang)
        voice = None
        if self.engine is not None:
            recording = record(script, self.engine)
        else:
            voice = choose_voice(settings.spoken_lang(document.lang), settings.voice, list_voices(), document.source)
            recording = record_at_rate(script, voice, rate, threads=speech_threads(settings.jobs))
        log.info("%s: %.1f s of audio, %.0f %s a minute (asked for %d)", document.slug,
                 recording.seconds, recording.words_per_minute, unit, rate)
        mp3 = out_dir / f"{document.slug}.mp3"
        vtt = out_dir / f"{document.slug}.vtt"
        # Captions, chapters and the read-along book follow the audio as it is played.
        played = as_played(recording)
        music = io.BytesIO(encode_mp3(recording))
        write_tags(music, document, played, voice)
        write_output(mp3, music.getvalue())
        write_output(vtt, webvtt(played.cues))
        return [mp3, vtt]
