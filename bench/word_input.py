"""Reading a Word document against reading the same article as Markdown (the ``word`` part of bench/run.py).

Writes a 20-page .docx with python-docx (headings, paragraphs, bulleted and
numbered lists, tables), imports it as Markdown with ``handout import``'s own
writer so both hold the same content, then times ``read_article`` on each in
this process, after one untimed read of each; then times refusing two zip
bombs built from it (a part of 60 MB, over the limit, and one of 10 MB packed
1000 to one). Prints one JSON line.

    python bench/word_input.py [--pages 20] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import docx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.errors import ArticleError  # noqa: E402
from pipeline.importer import markdown_source  # noqa: E402
from pipeline.readers import read_article  # noqa: E402

WORDS = ("your knee may swell after the operation so rest it on a pillow and put ice on it for twenty minutes "
         "every two hours call the clinic if the pain gets worse or you have a fever take the medicine your "
         "doctor gave you with food and do not drive until you can bend the knee without pain").split()


def sentence(rng: random.Random) -> str:
    words = rng.sample(WORDS, rng.randint(8, 16))
    return " ".join(words).capitalize() + "."


def write_docx(path: Path, pages: int, seed: int = 7) -> None:
    """About ``pages`` pages of a clinic handout: each page a section with text, lists and now and then a table."""
    rng = random.Random(seed)
    document = docx.Document()
    document.add_paragraph("Recovering from knee surgery", style="Title")
    for page in range(pages):
        document.add_heading(f"Week {page + 1}: what to expect", level=1)
        for _ in range(3):
            paragraph = document.add_paragraph(" ".join(sentence(rng) for _ in range(4)) + " ")
            paragraph.add_run(sentence(rng)).bold = True
        for _ in range(5):
            document.add_paragraph(sentence(rng), style="List Bullet")
        document.add_heading(f"Exercises for week {page + 1}", level=2)
        document.add_paragraph(" ".join(sentence(rng) for _ in range(3)))
        for _ in range(4):
            document.add_paragraph(sentence(rng), style="List Number")
        if page % 4 == 0:
            table = document.add_table(rows=6, cols=3)
            for row in table.rows:
                for cell in row.cells:
                    cell.text = " ".join(rng.sample(WORDS, 3))
    document.add_heading("Disclaimer", level=1)
    document.add_paragraph("This handout is for information only. Ask your own care team about your care.")
    document.save(str(path))


def timed(path: Path, runs: int) -> float:
    read_article(path)  # untimed: imports and caches warm
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        read_article(path)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def bomb(source: Path, target: Path, megabytes: int) -> Path:
    """``source`` with a picture part of ``megabytes`` MB of zeros, which packs to almost nothing."""
    zeros = b"\0" * (1024 * 1024)
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as packed:
        for info in original.infolist():
            packed.writestr(info.filename, original.read(info))
        with packed.open("word/media/image9.png", "w") as handle:
            for _ in range(megabytes):
                handle.write(zeros)
    return target


def refusal_seconds(path: Path, runs: int) -> float:
    """The median time ``read_article`` takes to refuse ``path``."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        try:
            read_article(path)
        except ArticleError:
            times.append(time.perf_counter() - started)
        else:
            raise SystemExit(f"{path.name} was read, not refused")
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="handout-word-") as temp:
        word = Path(temp) / "knee-surgery.docx"
        write_docx(word, options.pages)
        document = read_article(word)
        markdown = Path(temp) / "text" / "knee-surgery.md"
        markdown.parent.mkdir()
        markdown.write_text(markdown_source(document), encoding="utf-8")
        words = sum(len(text.split()) for text in markdown.read_text(encoding="utf-8").split("\n"))
        print(json.dumps({"pages": options.pages, "words": words, "docx_bytes": word.stat().st_size,
                          "docx_seconds": timed(word, options.runs), "markdown_seconds": timed(markdown, options.runs),
                          "runs": options.runs, "warnings": len(document.warnings),
                          "bomb_over_limit_seconds": refusal_seconds(bomb(word, Path(temp) / "big.docx", 60),
                                                                     options.runs),
                          "bomb_ratio_seconds": refusal_seconds(bomb(word, Path(temp) / "ratio.docx", 10),
                                                                options.runs)}))


if __name__ == "__main__":
    main()
