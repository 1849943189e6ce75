"""Checks of a finished audio edition: it plays to the end, sounds right, is navigable, says the disclaimer."""

from __future__ import annotations

from pathlib import Path

from ..languages import speaking_rate
from ..model import Document
from ..settings import Settings
from . import Finding, Recorder

RMS_RANGE_DB = (-23.0, -18.0)
PEAK_MAX_DB = -3.0
NOISE_FLOOR_MAX_DB = -60.0
LEAD_IN_S = (0.5, 1.0)
TAIL_S = (1.0, 5.0)
RATE_TOLERANCE = 0.10
CUT_SHORT_S = 0.25


def check_audio(document: Document, folder: Path, settings: Settings) -> list[Finding]:
    """Every check of ``folder/SLUG.mp3`` and its captions ``SLUG.vtt``."""
    mp3 = folder / f"{document.slug}.mp3"
    vtt = folder / f"{document.slug}.vtt"
    record = Recorder("audio", mp3)
    if not record.file_present():
        return record.findings
    try:
        from ..audio.listening import caption_cues, measure
    except ImportError as error:
        record.not_run("measurements", "", f"the audio checks need the check extras ({error.name} is missing)")
        return record.findings
    cues = caption_cues(vtt) if vtt.is_file() else []
    try:
        figures = measure(mp3, vtt if vtt.is_file() else None)
    except Exception as error:  # noqa: BLE001 - a damaged file is a finding, not a crash
        record.add("decodes", False, "damaged", "a playable MP3", f"{type(error).__name__}: {error}")
        return record.findings
    record.add("decodes", figures.seconds > 0, f"{figures.seconds:.1f} s", "a playable MP3")
    expected_end = max([end for _, _, end in figures.chapters] + [end for _, end, _ in cues] + [0.0])
    complete = record.add("complete", figures.seconds >= expected_end - CUT_SHORT_S,
                          f"{figures.seconds:.1f} s of {expected_end:.1f} s", "plays to the end of its last chapter")
    record.add("format", figures.channels == 1 and figures.sample_rate == 44100 and figures.constant_bitrate,
               f"{figures.channels} ch, {figures.sample_rate} Hz, {figures.bitrate_kbps} kbps"
               f"{' CBR' if figures.constant_bitrate else ' VBR'}", "mono, 44100 Hz, CBR")
    low, high = RMS_RANGE_DB
    record.add("loudness (RMS)", low <= figures.rms_db <= high, f"{figures.rms_db:.1f} dB",
               f"{low:g} to {high:g} dB", f"integrated loudness {figures.lufs:.1f} LUFS")
    record.add("peak", figures.peak_dbfs <= PEAK_MAX_DB, f"{figures.peak_dbfs:.1f} dBFS", f"<= {PEAK_MAX_DB:g} dBFS")
    record.add("noise floor", figures.noise_floor_db < NOISE_FLOOR_MAX_DB, f"{figures.noise_floor_db:.1f} dB",
               f"< {NOISE_FLOOR_MAX_DB:g} dB")
    record.add("silence before", LEAD_IN_S[0] <= figures.lead_in_s <= LEAD_IN_S[1], f"{figures.lead_in_s:.2f} s",
               f"{LEAD_IN_S[0]:g} to {LEAD_IN_S[1]:g} s")
    record.add("silence after", TAIL_S[0] <= figures.tail_s <= TAIL_S[1], f"{figures.tail_s:.2f} s",
               f"{TAIL_S[0]:g} to {TAIL_S[1]:g} s")
    rate, unit = speaking_rate(settings.rate, document.lang)
    per_minute = "wpm" if unit == "words" else f"{unit} a minute"
    if figures.words:
        off = abs(figures.words_per_minute - rate) / rate
        record.add("speaking rate", off <= RATE_TOLERANCE, f"{figures.words_per_minute:.0f} {per_minute}",
                   f"{rate} {per_minute} ± {RATE_TOLERANCE:.0%}", f"caption {unit} over time spent speaking")
    else:
        record.not_run("speaking rate", f"{rate} {per_minute}", f"no captions to count the {unit} from")
    _info_header(mp3, figures.seconds, record)
    titled = [title for title, _, _ in figures.chapters if title.strip()]
    record.add("chapters", len(figures.chapters) >= 2 and len(titled) == len(figures.chapters),
               f"{len(figures.chapters)} chapters", "one titled chapter per section")
    if vtt.is_file():
        record.disclaimer(document, " ".join(text for _, _, text in cues), check="disclaimer in captions")
    else:
        record.add("captions", False, "missing", f"{vtt.name} beside the MP3")
    _listen(mp3, vtt, document, record, complete)
    return record.findings


def _info_header(mp3: Path, decoded_s: float, record: Recorder) -> None:
    """The LAME/Info header players read the exact length and the delay to trim from, checked against the frames."""
    from ..audio.listening import info_header
    from ..audio.mp3 import ENCODER_DELAY, SAMPLES_PER_FRAME

    threshold = "an Info frame first: frames, bytes, encoder delay 576 and padding, matching the file"
    header = info_header(mp3)
    if header is None:
        record.add("LAME/Info header", False, "none", threshold,
                   "players cannot know the exact length or trim the encoder delay")
        return
    stated_s = (header.frames * SAMPLES_PER_FRAME - header.delay - header.padding) / 44_100
    problems = [problem for problem, wrong in (
        (f"says CBR as {header.tag}", header.tag != "Info"),
        (f"{header.frames} frames stated, {header.frames_counted} in the file", header.frames != header.frames_counted),
        (f"{header.bytes} bytes stated, {header.bytes_counted} in the file", header.bytes != header.bytes_counted),
        (f"encoder delay {header.delay}", header.delay != ENCODER_DELAY),
        ("its CRC does not match", not header.crc_ok),
        (f"length {stated_s:.3f} s against {decoded_s:.3f} s decoded", abs(stated_s - decoded_s) > 0.01),
    ) if wrong]
    record.add("LAME/Info header", not problems,
               f"{header.encoder}, {header.frames} frames, delay {header.delay}, padding {header.padding}",
               threshold, "; ".join(problems))


def _listen(mp3: Path, vtt: Path, document: Document, record: Recorder, complete: bool) -> None:
    """The ear's two checks, or why they cannot run: the disclaimer heard, and intelligibility."""
    from ..audio.listening import intelligibility_target, recogniser_missing

    target = f">= {intelligibility_target(document.lang):.2f} for a neural voice"
    # A language the ear does not know: neither passed nor failed, even when the file is cut short.
    why = recogniser_missing(document.lang)
    if why is None and not complete:
        record.add("disclaimer heard", False, "not heard", "first and last chapters",
                   "the file ends before its last chapter, where the disclaimer is spoken")
        record.not_run("intelligibility", target, "the file ends before its last chapter, so not all of the "
                       "article's words can be heard")
        return
    if why is not None:
        record.not_run("disclaimer heard", "recall threshold", why)
        record.not_run("intelligibility", target, why)
        return
    _disclaimer_heard(mp3, document, record)
    if vtt.is_file():
        _intelligibility(mp3, vtt, document.lang, record)
    else:
        record.not_run("intelligibility", target, "no captions to take the article's words from")


def _disclaimer_heard(mp3: Path, document: Document, record: Recorder) -> None:
    """Is the disclaimer heard at the start and the end?"""
    from ..audio.listening import check_disclaimer

    try:
        result = check_disclaimer(mp3, document.disclaimer.text, control=False, lang=document.lang)
    except ValueError as error:
        record.add("disclaimer heard", False, "cannot locate", "first and last chapters", str(error))
        return
    figure = f"recall {result.opening.recall:.2f} / {result.closing.recall:.2f}"
    record.add("disclaimer heard", result.passed, figure, f">= {result.threshold:.2f} at start and end",
               "; ".join(result.findings()))


def _intelligibility(mp3: Path, vtt: Path, lang: str, record: Recorder) -> None:
    """How much of the article Whisper base hears: a neural voice against its target, eSpeak NG against a floor."""
    from ..audio.listening import (
        FORMANT_INTELLIGIBILITY_FLOOR,
        intelligibility,
        intelligibility_target,
        voice_tag,
    )

    engine, voice = voice_tag(mp3)
    neural = engine in ("piper", "kokoro")
    threshold = intelligibility_target(lang) if neural else FORMANT_INTELLIGIBILITY_FLOOR
    kind = "a neural voice" if neural else "eSpeak NG or an unnamed voice"
    target = f">= {threshold:.2f} for {kind}"
    try:
        result = intelligibility(mp3, vtt, lang)
    except ValueError as error:
        record.not_run("intelligibility", target, str(error))
        return
    from ..languages import language_for

    known = language_for(lang)
    by_character = known is not None and known.pace_unit == "characters"
    figure = f"{result.recall:.2f} ({result.words_heard} of {result.expected} " \
             f"{'characters' if by_character else 'words'})"
    heard_what = "characters heard in order" if by_character else (
        "content words heard (compared by sound)" if known is not None and known.heard_by_sound
        else "content words heard")
    how = (f"share of the captions' {heard_what} by Whisper base (told the language, {lang}) "
           f"in the whole file, decoded in {result.seconds:.0f} s")
    named = f"{engine or 'unnamed engine'} voice {voice}" if voice else (engine or "no voice engine named")
    ok = result.recall >= threshold
    record.add("intelligibility", ok, figure, target,
               f"{named}: {how}" + ("" if ok else f"; missed e.g. {', '.join(result.missed[:12])}"))
