"""`make bench`: the handout build measured against the bare engines, in one run.

Prints a Markdown table of medians and writes it to output/benchmark.md. Every
figure is measured on this machine in this run; each ratio stands next to its
target. Nothing here is a test: a missed target is reported, not hidden.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HANDOUT = [PYTHON, "-m", "pipeline"]
SEED = ROOT / "source" / "ketamine-ptsd.md"


def run(command: list[str], cwd: Path | None = None) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"benchmark step failed: {' '.join(command)}\n{done.stderr[-2000:]}")
    return elapsed, done


def median_time(runs: int, command: list[str], before=None) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        if before:
            before()
        times.append(run(command)[0])
    return statistics.median(times)


# ---------------------------------------------------------------- inputs


def engine_inputs(work: Path) -> dict[str, Path]:
    """The exact HTML, speech text and WAV our build hands to its engines."""
    script = work / "engine_inputs.py"
    script.write_text(
        "import sys\n"
        "from pathlib import Path\n"
        "from pipeline.reader import read_article\n"
        "from pipeline.settings import Settings\n"
        "from pipeline.renderers.pdf import large_print_html\n"
        "from pipeline.audio.script import listening_script\n"
        "doc = read_article(Path(sys.argv[1]))\n"
        "Path(sys.argv[2]).write_text(large_print_html(doc, Settings()), encoding='utf-8')\n"
        "text = '\\n\\n'.join(' '.join(s.spoken for s in c.sentences) for c in listening_script(doc))\n"
        "Path(sys.argv[3]).write_text(text, encoding='utf-8')\n",
        encoding="utf-8")
    html, text, wav = work / "seed.html", work / "seed.txt", work / "seed.wav"
    run([PYTHON, str(script), str(SEED), str(html), str(text)])
    run(["espeak-ng", "-v", "en-us", "-s", "150", "-f", str(text), "-w", str(wav)])
    return {"html": html, "text": text, "wav": wav}


WEASYPRINT = ("import sys, weasyprint; weasyprint.HTML(filename=sys.argv[1])"
              ".write_pdf(sys.argv[2], pdf_variant='pdf/ua-1')")
ENCODER = ("import sys, wave, lameenc\n"
           "w = wave.open(sys.argv[1], 'rb'); pcm = w.readframes(w.getnframes())\n"
           "e = lameenc.Encoder(); e.set_bit_rate(96); e.set_in_sample_rate(w.getframerate())\n"
           "e.set_out_sample_rate(44100); e.set_channels(1); e.set_quality(2)\n"
           "open(sys.argv[2], 'wb').write(e.encode(pcm) + e.flush())\n")


def batch_articles(folder: Path, count: int) -> None:
    """``count`` short articles of varied text, made from the seed's sentences."""
    text = SEED.read_text(encoding="utf-8")
    body = text.split("---", 2)[2].replace("**", "")
    sentences = re.findall(r"[A-Z][^.!?]*[.!?]", body.replace("Disclaimer:", ""))
    headings = re.findall(r"^## (.+)$", body, re.M)
    rng = random.Random(7)
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        parts = [f"---\ntitle: Handout number {n + 1}\n---\n"]
        for section in range(2):
            parts.append(f"## {rng.choice(headings)} {section + 1}\n")
            parts.append(" ".join(rng.sample(sentences, 3)) + "\n")
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
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="runs per median (default 3)")
    parser.add_argument("--batch", type=int, default=50, help="articles in the batch (default 50)")
    parser.add_argument("--out", type=Path, default=ROOT / "output" / "benchmark.md")
    options = parser.parse_args()
    rows: list[tuple[str, str, str, str, str, str]] = []

    def row(measure: str, ours: float, base: float | None, ratio: float | None, target: str, met: bool | None,
            unit: str = "s") -> None:
        rows.append((measure, f"{ours:.2f} {unit}", f"{base:.2f} {unit}" if base is not None else "",
                     f"{ratio:.2f}" if ratio is not None else "", target,
                     "" if met is None else ("yes" if met else "**no**")))
        print(rows[-1], flush=True)

    with tempfile.TemporaryDirectory(prefix="handout-bench-") as temp:
        work = Path(temp)
        inputs = engine_inputs(work)
        out = work / "out"

        # 1. A full build against the bare engines doing the same work.
        full = median_time(options.runs, [*HANDOUT, "build", str(SEED), "--out", str(out), "--force"])
        pdf = median_time(options.runs, [PYTHON, "-c", WEASYPRINT, str(inputs["html"]), str(work / "bare.pdf")])
        speech = median_time(options.runs, ["espeak-ng", "-v", "en-us", "-s", "150", "-f", str(inputs["text"]),
                                            "-w", str(work / "bare.wav")])
        encode = median_time(options.runs, [PYTHON, "-c", ENCODER, str(inputs["wav"]), str(work / "bare.mp3")])
        engines = pdf + speech + encode
        row("full build of the seed vs WeasyPrint + espeak-ng + LAME "
            f"({pdf:.2f} + {speech:.2f} + {encode:.2f} s)", full, engines, full / engines, "<= 1.3",
            full / engines <= 1.3)

        # 2. Start-up: heavy libraries load only when a command needs them.
        help_time = median_time(options.runs * 2, [*HANDOUT, "--help"])
        bare = median_time(options.runs * 2, [PYTHON, "-c", "pass"])
        row("`handout --help` vs `python -c pass`", help_time, bare, help_time / bare, "small (report)", None)

        # 3. A rebuild with nothing changed.
        rebuild = median_time(options.runs, [*HANDOUT, "build", str(SEED), "--out", str(out)])
        row("rebuild with nothing changed vs full build", rebuild, full, full / rebuild, ">= 10x faster",
            full / rebuild >= 10)

        # 4. Only the plain-language edition changes: only the page is made again.
        source = work / "source"
        shutil.copytree(ROOT / "source", source)
        run([*HANDOUT, "build", str(source / "ketamine-ptsd.md"), "--out", str(work / "inc")])
        plain = source / "ketamine-ptsd.plain.md"
        folder = work / "inc" / "ketamine-ptsd"
        times, remade = [], set()
        for n in range(options.runs):
            before = {p.suffix: p.stat().st_mtime_ns for p in folder.iterdir() if not p.name.startswith(".")}
            if plain.exists():
                plain.write_text(plain.read_text(encoding="utf-8") + f"\n\nEdited {n}.\n", encoding="utf-8")
            else:
                plain.write_text(f"---\ntitle: Plain\n---\nEdited {n}.\n", encoding="utf-8")
            elapsed, _ = run([*HANDOUT, "build", str(source / "ketamine-ptsd.md"), "--out", str(work / "inc")])
            times.append(elapsed)
            remade |= {p.suffix for p in folder.iterdir()
                       if not p.name.startswith(".") and before.get(p.suffix) != p.stat().st_mtime_ns}
        changed = statistics.median(times)
        untouched = {".pdf", ".mp3", ".vtt"}
        row(f"plain edition edited: remade {', '.join(sorted(remade))}", changed, full, full / changed,
            "page only; PDF and audio untouched", ".html" in remade and not remade & untouched)

        # 5. A batch, one job against two.
        batch = work / "batch"
        batch_articles(batch, options.batch)
        one, usage_one = measured_build(["build", str(batch), "--out", str(work / "b1"), "--force", "--jobs", "1"])
        two, usage_two = measured_build(["build", str(batch), "--out", str(work / "b2"), "--force", "--jobs", "2"])
        row(f"batch of {options.batch} articles, --jobs 2 vs --jobs 1", two, one, one / two, ">= 1.7x faster",
            one / two >= 1.7)
        peak = max(usage_one["self_peak_mb"], usage_two["worker_peak_mb"])
        row("peak memory of one build worker", peak, None, None, "< 300 MB", peak < 300, unit="MB")

        # 6. Time against length.
        base_time = None
        for times_longer in (1, 4, 16):
            article = scaled_article(work / "scaled", times_longer)
            runs = options.runs if times_longer < 16 else 1
            elapsed = median_time(runs, [*HANDOUT, "build", str(article), "--out", str(work / "s"), "--force"])
            base_time = base_time or elapsed
            per_unit = elapsed / times_longer
            row(f"seed x{times_longer}: seconds per seed-length", per_unit, base_time, per_unit / base_time,
                "close to 1 (linear)", times_longer == 1 or per_unit / base_time <= 1.2)

    header = ("| measure | ours | baseline | ratio | target | met |\n"
              "|---|---|---|---|---|---|\n")
    table = header + "\n".join("| " + " | ".join(r) + " |" for r in rows) + "\n"
    machine = f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, medians of {options.runs} runs"
    options.out.parent.mkdir(parents=True, exist_ok=True)
    options.out.write_text(f"# Benchmark\n\n{machine}\n\n{table}", encoding="utf-8")
    print()
    print(table)
    print(f"written to {options.out}")


if __name__ == "__main__":
    main()
