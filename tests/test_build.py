"""Building: staging and atomic publishing, incremental rebuilds, batches."""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
import wordfiles
from conftest import HANDS_ARTICLE as ARTICLE
from conftest import short_document

from pipeline import batch as batch_module
from pipeline import build as build_module
from pipeline.batch import build
from pipeline.build import output_folder
from pipeline.errors import ArticleError, RenderError
from pipeline.manifest import MANIFEST, fingerprint
from pipeline.readers import read_article
from pipeline.renderers import MADE_FROM
from pipeline.settings import FORMATS, Settings


class CountingRenderer:
    """Writes a small file per format and counts how often it was asked to."""

    calls: list[str] = []
    fail: set[str] = set()

    def __init__(self, name: str, inputs: Path | None = None):
        self.name = name

    def render(self, document, settings, out_dir: Path) -> list[Path]:  # type: ignore[no-untyped-def]
        CountingRenderer.calls.append(self.name)
        target = out_dir / f"{document.slug}.{self.name}"
        target.write_text(f"{self.name} of {document.title} {document.plain!r}", encoding="utf-8")
        if self.name in CountingRenderer.fail:
            raise RenderError(self.name, "the engine is missing", "install it")
        return [target]


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch) -> type[CountingRenderer]:
    CountingRenderer.calls = []
    CountingRenderer.fail = set()
    monkeypatch.setattr(build_module, "get_renderer", CountingRenderer)
    return CountingRenderer


@pytest.fixture
def source(hands: Path) -> Path:
    """The folder of ``hands.md``: the article these tests build and change."""
    return hands


def test_unchanged_rebuild_renders_nothing(source: Path, tmp_path: Path, counting) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(out_dir=tmp_path / "out")
    first = build([source], settings)
    assert sorted(counting.calls) == sorted(FORMATS)
    assert (tmp_path / "out" / "hands" / MANIFEST).exists()
    counting.calls.clear()
    second = build([source], settings)
    assert counting.calls == []
    assert sorted(second.articles[0].skipped) == sorted(FORMATS)
    assert first.exit_code == second.exit_code == 0


def test_force_rebuilds_everything(source: Path, tmp_path: Path, counting) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(out_dir=tmp_path / "out")
    build([source], settings)
    counting.calls.clear()
    build([source], replace(settings, force=True))
    assert sorted(counting.calls) == sorted(FORMATS)


def test_changing_the_plain_edition_rerenders_only_the_page(source: Path, tmp_path: Path, counting) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(out_dir=tmp_path / "out")
    build([source], settings)
    counting.calls.clear()
    (source / "hands.plain.md").write_text("---\ntitle: Clean hands\n---\nWash well.\n", encoding="utf-8")
    build([source], settings)
    assert counting.calls == ["html"]


def test_changing_the_article_rerenders_every_format(source: Path, tmp_path: Path, counting) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(out_dir=tmp_path / "out")
    build([source], settings)
    counting.calls.clear()
    (source / "hands.md").write_text(ARTICLE.replace("twenty", "thirty"), encoding="utf-8")
    build([source], settings)
    assert sorted(counting.calls) == sorted(FORMATS)


def test_changing_a_pdf_setting_rerenders_only_the_pdf(source: Path, tmp_path: Path, counting) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(out_dir=tmp_path / "out")
    build([source], settings)
    counting.calls.clear()
    build([source], replace(settings, paper="a4"))
    assert counting.calls == ["pdf"]


def test_damaged_or_missing_output_is_rebuilt(source: Path, tmp_path: Path, counting) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(out_dir=tmp_path / "out")
    build([source], settings)
    counting.calls.clear()
    (tmp_path / "out" / "hands" / "hands.pdf").write_text("truncat", encoding="utf-8")
    (tmp_path / "out" / "hands" / "hands.audio").unlink()
    build([source], settings)
    assert sorted(counting.calls) == ["audio", "pdf"]


def test_a_failing_format_keeps_the_others_and_its_old_file(source: Path, tmp_path: Path, counting) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(out_dir=tmp_path / "out", force=True)
    build([source], settings)
    folder = tmp_path / "out" / "hands"
    old_audio = (folder / "hands.audio").read_bytes()
    counting.fail = {"audio"}
    (source / "hands.md").write_text(ARTICLE.replace("twenty", "thirty"), encoding="utf-8")
    result = build([source], settings)
    assert result.exit_code == 1
    assert "install it" in str(result.articles[0].errors[0])
    assert (folder / "hands.audio").read_bytes() == old_audio
    assert {p.name for p in result.articles[0].written} == {"hands.pdf", "hands.html", "hands.braille"}
    assert not [p for p in folder.iterdir() if p.name.startswith(".staging")]
    # The failed format is tried again next time, not recorded as built from the new text.
    counting.fail = set()
    counting.calls.clear()
    build([source], replace(settings, force=False))
    # The talking books, made from the audio, failed with it and are made again after it.
    assert counting.calls == ["audio", "epub", "daisy"]


class Heard:
    """A progress listener that writes down what it hears, as the web app's does."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str, str]] = []

    def __call__(self, name: str, state: str, error=None) -> None:  # type: ignore[no-untyped-def]
        self.events.append((name, state, error.problem if error is not None else ""))


def test_progress_is_heard_format_by_format(source: Path, tmp_path: Path, counting) -> None:  # type: ignore[no-untyped-def]
    from pipeline.build import build_article

    settings = Settings(out_dir=tmp_path / "out")
    counting.fail = {"braille"}
    heard = Heard()
    article = build_article(source / "hands.md", settings, heard)
    assert article.errors
    states = {name: [state for n, state, _ in heard.events if n == name] for name in FORMATS}
    for name in ("pdf", "html", "audio", "epub", "daisy"):
        assert states[name] == ["making", "done"], (name, heard.events)
    assert states["braille"] == ["making", "failed"]
    assert ("braille", "failed", "the engine is missing") in heard.events
    # The talking book is made from the finished audio, and is done only once the audio is.
    order = [(n, s) for n, s, _ in heard.events]
    assert order.index(("audio", "making")) < order.index(("epub", "making"))
    assert order.index(("audio", "done")) < order.index(("epub", "done"))
    assert order.index(("audio", "making")) < order.index(("daisy", "making"))
    assert order.index(("audio", "done")) < order.index(("daisy", "done"))
    # A rebuild with nothing changed hears each format is up to date.
    counting.fail = set()
    build_article(source / "hands.md", settings)
    again = Heard()
    build_article(source / "hands.md", settings, again)
    assert sorted(again.events) == sorted((name, "up to date", "") for name in FORMATS)


def test_an_unexpected_crash_is_reported_and_the_batch_goes_on(
        source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (source / "second.md").write_text(ARTICLE, encoding="utf-8")

    def explode(path: Path):  # type: ignore[no-untyped-def]
        if path.name == "hands.md":
            raise ZeroDivisionError("boom")
        return real_read(path)

    real_read = build_module.read_article
    monkeypatch.setattr(build_module, "read_article", explode)
    result = build([source], Settings(out_dir=tmp_path / "out", formats=("html",)))
    assert [a.ok for a in result.articles] == [False, True]
    assert "ZeroDivisionError" in str(result.articles[0].errors[0])
    assert result.exit_code == 1


def test_parallel_batch_builds_the_same_pages(source: Path, tmp_path: Path) -> None:
    for n in range(3):
        (source / f"extra-{n}.md").write_text(ARTICLE.replace("Hands", f"Hands {n}"), encoding="utf-8")
    (source / "broken.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    serial = build([source], Settings(out_dir=tmp_path / "serial", formats=("html",)))
    parallel = build([source], Settings(out_dir=tmp_path / "parallel", formats=("html",), jobs=2))
    assert [a.source for a in parallel.articles] == [a.source for a in serial.articles]
    assert parallel.exit_code == serial.exit_code == 2
    assert isinstance(parallel.articles[0].errors[0], ArticleError)
    for article in serial.articles:
        if article.ok:
            name = f"{article.slug}/{article.slug}.html"
            assert (tmp_path / "parallel" / name).read_bytes() == (tmp_path / "serial" / name).read_bytes()


def test_output_folder_never_follows_a_link_out(tmp_path: Path) -> None:
    root = tmp_path / "out"
    root.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.symlink(elsewhere, root / "hands")
    with pytest.raises(ArticleError, match="outside the output root"):
        output_folder(root, "hands")


# ---------------------------------------------------------------- crashes, races, repeatability

import random  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import pikepdf  # noqa: E402
from conftest import SEED_ARTICLE  # noqa: E402


def handout(*args: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "pipeline", *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=env)


def assert_whole_handouts(folder: Path) -> None:
    """Every handout in ``folder`` is a complete file, whichever build wrote it."""
    with pikepdf.open(folder / "ketamine-ptsd.pdf") as pdf:
        assert len(pdf.pages) >= 3
    assert (folder / "ketamine-ptsd.html").read_text(encoding="utf-8").rstrip().endswith("</html>")


def test_builds_killed_at_random_moments_leave_whole_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ("build", str(SEED_ARTICLE), "--out", str(out), "--format", "pdf", "--format", "html", "--force")
    start = time.perf_counter()
    assert handout(*args).wait() == 0
    full = time.perf_counter() - start
    folder = out / "ketamine-ptsd"
    rng = random.Random(2026)
    for _ in range(10):
        process = handout(*args)
        time.sleep(rng.uniform(0.05, full))
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert_whole_handouts(folder)
    # The next build clears what the killed ones abandoned.
    assert handout(*args).wait() == 0
    assert_whole_handouts(folder)
    assert not list(folder.glob(".staging-*")) and not list(folder.glob(".partial-*"))


def test_two_builds_of_one_article_at_once(tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ("build", str(SEED_ARTICLE), "--out", str(out), "--format", "pdf", "--format", "html", "--force")
    first, second = handout(*args), handout(*args)
    assert first.wait() == 0 and second.wait() == 0
    assert_whole_handouts(out / "ketamine-ptsd")
    assert not list((out / "ketamine-ptsd").glob(".staging-*"))


def test_same_input_gives_byte_identical_pdf_and_page(tmp_path: Path) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    for name in ("one", "two"):
        process = handout("build", str(SEED_ARTICLE), "--out", str(tmp_path / name), "--format", "pdf",
                          "--format", "html", env=env)
        assert process.wait() == 0
    for suffix in ("pdf", "html"):
        one = (tmp_path / "one" / "ketamine-ptsd" / f"ketamine-ptsd.{suffix}").read_bytes()
        two = (tmp_path / "two" / "ketamine-ptsd" / f"ketamine-ptsd.{suffix}").read_bytes()
        assert one == two, suffix


# ---------------------------------------------------------------- hostile articles

HOSTILE = """---
title: "<script>alert('title')</script> Safety"
---
<script>alert(1)</script>

<iframe src="https://example.com/"></iframe>

Look <img src=x onerror="alert(2)"> here and [click me](javascript:alert(3)) or [data](data:text/html,hi).

![a tracking pixel](http://127.0.0.1:9/pixel.png) ![secrets](file:///etc/passwd)

Disclaimer: Ask your nurse.
"""


def test_raw_html_and_hostile_links_never_become_markup(tmp_path: Path) -> None:
    from lxml import html as lxml_html

    article = tmp_path / "hostile.md"
    article.write_text(HOSTILE, encoding="utf-8")
    result = build([article], Settings(out_dir=tmp_path / "out", formats=("pdf", "html")))
    assert result.exit_code == 0, [str(e) for e in result.articles[0].errors]
    folder = tmp_path / "out" / "hostile"

    page = (folder / "hostile.html").read_text(encoding="utf-8")
    tree = lxml_html.fromstring(page)
    assert tree.xpath("//script") == [] and tree.xpath("//iframe") == [] and tree.xpath("//img") == []
    assert not [a for a in tree.xpath("//@*") if a.attrname.lower().startswith("on")]
    hrefs = [href.strip().lower() for href in tree.xpath("//@href | //@src")]
    assert not [h for h in hrefs if h.startswith(("javascript:", "data:", "file:", "http://127"))]
    text = tree.text_content()
    assert "<script>alert(1)</script>" in text and "<iframe" in text  # shown as typed

    import pdfplumber

    with pdfplumber.open(folder / "hostile.pdf") as pdf:
        pdf_text = " ".join(p.extract_text() or "" for p in pdf.pages)
    assert "<script>alert(1)</script>" in pdf_text
    assert "root:" not in pdf_text
    with pikepdf.open(folder / "hostile.pdf") as pdf:
        for page_object in pdf.pages:
            assert not list(page_object.get_images())
            for annotation in page_object.get("/Annots", []):
                action = annotation.get("/A")
                if action is not None and "/URI" in action:
                    assert not str(action.URI).lower().startswith(("javascript:", "data:", "file:"))


# ---------------------------------------------------------------- fuzzing whole builds

from hypothesis import HealthCheck, given  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

PIECES = st.sampled_from([
    "# ", "## ", "#### ", "- ", "1. ", "> ", "**", "*", "`", "```\n", "| a | b |\n|---|---|\n| 1 | 2 |\n",
    "\n", "\n\n", "<b>", "[x](javascript:alert(1))", "![i](file:///etc/passwd)", "https://example.org/"
    + "a" * 80, "Disclaimer:", "\u00a0", "\t", "&amp;", "PTSD", "≥ 5 mg", "😀", "\u202e", "a" * 120,
])


@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.lists(st.one_of(PIECES, st.text(max_size=25)), max_size=30).map("".join),
       title=st.one_of(st.text(max_size=30), st.just("")))
def test_any_article_builds_or_fails_with_an_input_error(tmp_path: Path, body: str, title: str) -> None:
    import yaml

    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    article = folder / "fuzz.md"
    front = yaml.safe_dump({"title": title}, allow_unicode=True)
    article.write_text(f"---\n{front}---\n{body}\n\nDisclaimer: Ask your nurse.\n", encoding="utf-8",
                       errors="surrogatepass")
    result = build([article], Settings(out_dir=folder / "out", formats=("pdf", "html")))
    for error in result.articles[0].errors:
        assert isinstance(error, ArticleError), f"{type(error).__name__}: {error}"


# ---------------------------------------------------------------- templates


def test_each_format_reads_only_the_templates_it_declares(tmp_path: Path, fake_speech,  # type: ignore[no-untyped-def]
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A template a format reads but does not declare would leave its files stale when the template changes."""
    import jinja2

    from pipeline import templating
    from pipeline.manifest import TEMPLATES_READ_BY
    from pipeline.renderers import build_order, get_renderer

    read: list[str] = []
    for loader in (jinja2.PackageLoader, jinja2.FileSystemLoader):
        original = loader.get_source

        def recording(self, environment, template, _original=original):  # type: ignore[no-untyped-def]
            read.append(template)
            return _original(self, environment, template)

        monkeypatch.setattr(loader, "get_source", recording)
    real_asset_path = templating.asset_path
    monkeypatch.setattr(templating, "asset_path", lambda name, folder=None: read.append(name)
                        or real_asset_path(name, folder))

    document = short_document(tmp_path, tiny=True)
    settings = Settings(out_dir=tmp_path / "out")
    staging = tmp_path / "staging"
    staging.mkdir()
    seen: dict[str, set[str]] = {}
    for name in build_order(FORMATS):
        templating.environment.cache_clear()
        read.clear()
        renderer = get_renderer(name, staging if name in MADE_FROM else None)
        assert renderer.render(document, settings, staging)
        seen[name] = set(read)
    assert seen == {name: set(files) for name, files in TEMPLATES_READ_BY.items()}


def test_a_changed_template_remakes_only_the_formats_that_read_it(source: Path, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                  counting) -> None:
    from pipeline.manifest import PACKAGE_TEMPLATES

    clinic = tmp_path / "clinic-templates"
    clinic.mkdir()
    settings = Settings(out_dir=tmp_path / "out", template_dir=clinic)
    build([source], settings)
    expected = {"page.css": ["html"], "large-print.css": ["pdf"], "epub.css": ["epub"],
                "braille-preview.html.j2": ["braille"], "blocks.html.j2": ["html", "pdf"]}
    for template, remade in expected.items():
        counting.calls.clear()
        text = (PACKAGE_TEMPLATES / template).read_text(encoding="utf-8")
        (clinic / template).write_text(text + ("\n/* clinic */\n" if template.endswith(".css") else "\n{# clinic #}\n"),
                                       encoding="utf-8")
        build([source], settings)
        assert sorted(counting.calls) == remade, template
    # A file of the clinic's that no format names may be included by any template: every
    # format that reads templates is remade, never the audio.
    counting.calls.clear()
    (clinic / "clinic-header.html.j2").write_text("<p>Riverside Clinic</p>\n", encoding="utf-8")
    build([source], settings)
    assert sorted(counting.calls) == ["braille", "epub", "html", "pdf"]


def test_built_in_templates_are_not_part_of_the_code_digest(tmp_path: Path) -> None:
    """Else a new page stylesheet in a release would speak every article's audio again."""
    from pipeline.manifest import _tree_digest

    (tmp_path / "templates").mkdir()
    (tmp_path / "build.py").write_text("X = 1\n", encoding="utf-8")
    (tmp_path / "templates" / "page.css").write_text("body {}\n", encoding="utf-8")
    digest = lambda: _tree_digest(tmp_path, {".py", ".css"}, skip=tmp_path / "templates")  # noqa: E731
    before = digest()
    (tmp_path / "templates" / "page.css").write_text("body { color: navy }\n", encoding="utf-8")
    assert digest() == before
    (tmp_path / "build.py").write_text("X = 2\n", encoding="utf-8")
    assert digest() != before


# ---------------------------------------------------------------- deciding what to build


def test_only_out_of_date_articles_are_sent_to_be_built(source: Path, tmp_path: Path, counting,  # type: ignore[no-untyped-def]
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    (source / "sleep.md").write_text(ARTICLE.replace("Washing Your Hands", "Sleeping Well"), encoding="utf-8")
    sent: list[str] = []
    real = batch_module.build_article
    monkeypatch.setattr(batch_module, "build_article", lambda path, settings, **plan: sent.append(path.name)
                        or real(path, settings, **plan))
    planned: list[tuple[int, int]] = []

    class Listening(batch_module.Feedback):
        def planned(self, total: int, to_build: int, failed: int = 0) -> None:
            planned.append((total, to_build))

    settings = Settings(out_dir=tmp_path / "out")
    build([source], settings, Listening())
    assert sorted(sent) == ["hands.md", "sleep.md"]
    sent.clear()
    counting.calls.clear()
    result = build([source], settings, Listening())
    assert sent == [] and counting.calls == []
    assert [sorted(a.skipped) for a in result.articles] == [sorted(FORMATS)] * 2
    (source / "sleep.md").write_text(ARTICLE.replace("Washing Your Hands", "Sleeping Soundly"), encoding="utf-8")
    build([source], settings, Listening())
    assert sent == ["sleep.md"]
    assert planned == [(2, 2), (2, 0), (2, 1)]
    # A damaged file puts its article back on the list.
    (tmp_path / "out" / "hands" / "hands.braille").write_text("damaged", encoding="utf-8")
    sent.clear()
    build([source], settings, Listening())
    assert sent == ["hands.md"]


def test_an_article_that_cannot_be_read_is_reported_once_and_not_sent(source: Path, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                     counting,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    (source / "broken.md").write_text("---\ntitle: [unclosed\n---\nText.\n", encoding="utf-8")
    sent: list[str] = []
    real = batch_module.build_article
    monkeypatch.setattr(batch_module, "build_article", lambda path, settings, **plan: sent.append(path.name)
                        or real(path, settings, **plan))
    result = build([source], Settings(out_dir=tmp_path / "out"))
    broken = next(a for a in result.articles if a.source.name == "broken.md")
    assert len(broken.errors) == 1 and isinstance(broken.errors[0], ArticleError)
    assert "broken.md" in str(broken.errors[0])
    assert sent == ["hands.md"]
    assert result.exit_code == 2


# ---------------------------------------------------------------- build processes that die


class CrashingPool:
    """Stands in for the process pool: the articles named in ``crash`` take their process down with them."""

    crash: set[str] = set()
    started: list[str] = []

    def __init__(self, max_workers: int, mp_context: object):
        self.max_workers = max_workers

    def __enter__(self) -> CrashingPool:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def submit(self, function, source: Path, settings: Settings, *rest):  # type: ignore[no-untyped-def]
        from concurrent.futures import Future
        from concurrent.futures.process import BrokenProcessPool

        CrashingPool.started.append(source.name)
        future: Future = Future()
        if source.name in CrashingPool.crash:
            future.set_exception(BrokenProcessPool("A process in the process pool was terminated abruptly"))
        else:
            future.set_result(function(source, settings, *rest))
        return future


def test_an_article_whose_process_keeps_dying_is_reported_and_the_rest_are_built(  # type: ignore[no-untyped-def]
        source: Path, tmp_path: Path, counting, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("b-sleep", "c-knee", "d-diet"):
        (source / f"{name}.md").write_text(ARTICLE.replace("Washing Your Hands", name), encoding="utf-8")
    CrashingPool.crash, CrashingPool.started = {"c-knee.md"}, []
    monkeypatch.setattr(batch_module, "ProcessPoolExecutor", CrashingPool)
    result = build([source], Settings(out_dir=tmp_path / "out", jobs=2))
    by_name = {a.source.name: a for a in result.articles}
    assert [name for name, a in by_name.items() if a.ok] == ["b-sleep.md", "d-diet.md", "hands.md"]
    (error,) = by_name["c-knee.md"].errors
    assert "stopped abruptly while building it, 2 times" in str(error) and "c-knee.md -v" in str(error)
    assert result.exit_code == 1
    # The crashing article was tried twice; the others were built once each.
    assert sorted(CrashingPool.started) == ["b-sleep.md", "c-knee.md", "c-knee.md", "d-diet.md", "hands.md"]


def test_a_killed_build_process_is_replaced_and_the_batch_completes(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys

    source = tmp_path / "source"
    source.mkdir()
    for n in range(6):
        (source / f"leaflet-{n}.md").write_text(ARTICLE.replace("Washing Your Hands", f"Leaflet {n}"),
                                                encoding="utf-8")
    build_process = subprocess.Popen([sys.executable, "-m", "pipeline", "build", str(source), "--out",
                                      str(tmp_path / "out"), "--jobs", "2", "--format", "pdf", "--format", "braille"],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = build_process.stdout.readline()  # the pool is up and building the next articles
    assert ": built" in first

    def pool_processes() -> list[int]:
        children = Path(f"/proc/{build_process.pid}/task/{build_process.pid}/children").read_text().split()
        return [int(pid) for pid in children
                if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()]

    victim = pool_processes()[0]
    os.kill(victim, signal.SIGKILL)
    rest, stderr = build_process.communicate(timeout=300)
    assert build_process.returncode == 0, stderr
    assert "a build process stopped abruptly; building again" in stderr
    # An article the killed process had finished and published before it died is found whole when its
    # build is tried again, and counted as up to date; every other one is built. None fails.
    summary = re.search(r"(\d) of 6 up to date, (\d) built(.*)", first + rest)
    assert summary is not None, first + rest
    assert int(summary[1]) + int(summary[2]) == 6 and "failed" not in summary[3], summary[0]
    for n in range(6):
        assert (tmp_path / "out" / f"leaflet-{n}" / f"leaflet-{n}.pdf").is_file()


def test_what_the_reader_warned_about_changes_no_fingerprint(source: Path, tmp_path: Path) -> None:
    document = read_article(source / "hands.md")
    warned = replace(document, warnings=("paragraph 3: 'Care' looks like a heading; style it Heading 1",))
    settings = Settings(out_dir=tmp_path / "out")
    for name in FORMATS:
        made_from = {"x.mp3": "0"} if name in ("epub", "daisy") else None
        assert fingerprint(name, warned, settings, made_from) == fingerprint(name, document, settings, made_from)


def test_a_word_document_is_rebuilt_only_when_it_changes(tmp_path: Path, counting) -> None:  # type: ignore[no-untyped-def]
    word = wordfiles.article(tmp_path, picture_alt=None)  # read with warnings every time
    settings = Settings(out_dir=tmp_path / "out", formats=("html", "pdf"))
    build([word], settings)
    assert sorted(counting.calls) == ["html", "pdf"]
    counting.calls.clear()
    build([word], settings)
    assert counting.calls == []
    wordfiles.article(tmp_path, picture_alt="A knee with ice on it")
    build([word], settings)
    assert sorted(counting.calls) == ["html", "pdf"]


# ---------------------------------------------------------------- a full disk, a folder it may not write

import errno  # noqa: E402

from pipeline.renderers import REGISTRY, get_renderer  # noqa: E402

# Each format's files, as the build of hands.md names them.
HANDS_FILES = {
    "pdf": ("hands.pdf",),
    "html": ("hands.html", "hands.readability.json"),
    "audio": ("hands.mp3", "hands.vtt"),
    "epub": ("hands.epub",),
    "daisy": ("hands.daisy.zip",),
    "braille": ("hands.brf", "hands.braille.html"),
}
# What each refused write is called in words, and what the fix says to do.
FAULT_WORDS = {errno.ENOSPC: ("the disk is full", "free space on the disk that holds"),
               errno.EACCES: ("permission to write there is denied", "let the user that makes the handouts write")}


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EACCES], ids=["ENOSPC", "EACCES"])
@pytest.mark.parametrize("name", list(REGISTRY))
def test_every_format_reports_a_refused_write_alike_and_the_others_are_still_made(  # type: ignore[no-untyped-def]
        source: Path, tmp_path: Path, fake_speech, refused_writes, caplog, name: str, code: int) -> None:
    assert set(HANDS_FILES) == set(REGISTRY), "name the files of every registered format above"
    refused_writes(HANDS_FILES[name], code)
    settings = Settings(out_dir=tmp_path / "out")
    result = build([source], settings)
    article = result.articles[0]
    folder = (tmp_path / "out" / "hands").resolve()
    words, fix = FAULT_WORDS[code]
    label = get_renderer(name).label
    assert result.exit_code == 1
    refused = [str(error) for error in article.errors if "could not be written" in str(error)]
    assert len(refused) == 1, [str(error) for error in article.errors]
    message = refused[0]
    # The format, the file, the error in words, and what to do.
    assert message.startswith(f"{folder / HANDS_FILES[name][0]}: {label} could not be written: {words}"), message
    assert f"Fix: {fix}" in message and str(folder) in message.split("Fix: ")[1], message
    for error in article.errors:
        assert "report this" not in str(error) and "unexpected" not in str(error), str(error)
    assert not [record for record in caplog.records if "Traceback" in record.getMessage()
                or record.exc_info is not None]
    # Every other format is still made, except those made from the one that failed.
    lost = {name} | {later for later, made_from in MADE_FROM.items() if made_from == name}
    for other in set(REGISTRY) - lost:
        for file in HANDS_FILES[other]:
            assert folder / file in article.written, (other, [str(e) for e in article.errors])
    assert not list(folder.glob(".staging-*")) and not list(folder.glob(".partial-*"))


def test_a_record_the_disk_refuses_fails_its_format_which_is_made_again_next_time(  # type: ignore[no-untyped-def]
        source: Path, tmp_path: Path, counting, monkeypatch: pytest.MonkeyPatch) -> None:
    real_write = build_module.write_manifest
    calls: list[int] = []

    def first_refused(out_dir: Path, manifest: dict) -> None:
        calls.append(1)
        if len(calls) == 1:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_write(out_dir, manifest)

    monkeypatch.setattr(build_module, "write_manifest", first_refused)
    settings = Settings(out_dir=tmp_path / "out", formats=("pdf", "html", "braille"))
    result = build([source], settings)
    (error,) = result.articles[0].errors
    folder = (tmp_path / "out" / "hands").resolve()
    assert str(error) == (f"{folder / MANIFEST}: the record of what the large-print PDF was built from could not be "
                          f"written: the disk is full (No space left on device). Fix: free space on the disk that "
                          f"holds {folder}, or write the handouts to a folder on another disk")
    assert {p.name for p in result.articles[0].written} == {"hands.pdf", "hands.html", "hands.braille"}
    counting.calls.clear()
    assert build([source], settings).exit_code == 0
    assert counting.calls == ["pdf"]


@pytest.fixture
def full_disk(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A small filesystem (a 1 MB tmpfs) filled to the last byte, mounted at tmp_path/disk."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small filesystem needs root (CI runs as root); "
                    "test_every_format_reports_a_refused_write_alike stands in for it")
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"a tmpfs cannot be mounted here: {mounted.stderr.strip()}")
    try:
        with (disk / "filler").open("wb", buffering=0) as filler, pytest.raises(OSError) as full:
            while True:
                filler.write(b"\0" * 4096)
        assert full.value.errno == errno.ENOSPC
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def test_a_full_disk_fails_each_format_in_words_and_leaves_nothing(  # type: ignore[no-untyped-def]
        source: Path, full_disk: Path) -> None:
    out = full_disk / "out"
    done = subprocess.run([sys.executable, "-m", "pipeline", "build", str(source / "hands.md"), "--out", str(out)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and "report this" not in done.stderr, done.stderr
    folder = out / "hands"
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    for name in ("pdf", "html", "audio", "braille"):
        file = folder / HANDS_FILES[name][0]
        expected = (f"error: {file}: {get_renderer(name).label} could not be written: the disk is full "
                    f"(No space left on device). Fix: free space on the disk that holds {folder}")
        assert any(line.startswith(expected) for line in errors), (expected, done.stderr)
    # The books made from the audio say they need it; nothing half-written is left behind.
    assert sum("needs the audio edition, which failed" in line for line in errors) == 2, done.stderr
    assert sorted(path.name for path in folder.iterdir()) == [".lock"]
    # With room again, the next build makes every format.
    (full_disk / "filler").unlink()
    again = subprocess.run([sys.executable, "-m", "pipeline", "build", str(source / "hands.md"), "--out", str(out)],
                           capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert all((folder / files[0]).is_file() for files in HANDS_FILES.values())



def test_a_pdf_whose_tags_cannot_be_saved_raises_an_error_the_build_reports(source: Path, tmp_path: Path) -> None:
    """The PDF library aborts its process when a write fails inside it; the repaired PDF is written by Python.

    The repair runs with a file size limit below the PDF's size, so every write past it fails (EFBIG), as it
    does on a disk that fills up while the PDF is written.
    """
    build([source], Settings(out_dir=tmp_path / "out", formats=("pdf",)))
    pdf = tmp_path / "out" / "hands" / "hands.pdf"
    repair = ("import resource, signal, sys\nfrom pathlib import Path\nfrom pipeline.pdf_tags import finish_tagging\n"
              "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
              "limit = Path(sys.argv[1]).stat().st_size // 2\n"
              "resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))\n"
              "try:\n    finish_tagging(Path(sys.argv[1]))\nexcept OSError as error:\n"
              "    print(error.errno)\n    sys.exit(7)\n")
    done = subprocess.run([sys.executable, "-c", repair, str(pdf)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 7, (done.returncode, done.stderr)


# ---------------------------------------------------------------- what killed builds leave

# A build of one article that stops right after publishing its files, before its staging folder is removed:
# "kill" dies there (SIGKILL), "hold" says so and waits, holding the article's lock.
PUBLISHED_THEN = """
import os, shutil, signal, sys, time
from pathlib import Path

real_rmtree = shutil.rmtree

def rmtree(path, *args, **kwargs):
    if Path(path).name.startswith(".staging-") and Path(path).exists() and not any(Path(path).iterdir()):
        if sys.argv[3] == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        print("published", flush=True)
        time.sleep(600)
    return real_rmtree(path, *args, **kwargs)

shutil.rmtree = rmtree
from pipeline.batch import build
from pipeline.settings import Settings
build([Path(sys.argv[1])], Settings(out_dir=Path(sys.argv[2]), formats=("html",)))
"""


def published_then(source: Path, out: Path, how: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", PUBLISHED_THEN, str(source / "hands.md"), str(out), how],
                            stdout=subprocess.PIPE, text=True)


def test_staging_a_killed_build_left_is_cleared_though_the_article_is_up_to_date(
        source: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    killed = published_then(source, out, "kill")
    assert killed.wait(timeout=120) == -signal.SIGKILL
    folder = out / "hands"
    (left,) = folder.glob(".staging-*")
    assert (folder / "hands.html").is_file()
    result = build([source], Settings(out_dir=out, formats=("html",)))
    assert result.articles[0].skipped == ["html"] and not result.articles[0].written  # up to date
    assert not left.exists() and not list(folder.glob(".staging-*"))


def test_staging_of_a_build_still_running_is_left_alone(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    running = published_then(source, out, "hold")
    try:
        assert running.stdout.readline().strip() == "published"
        folder = out / "hands"
        (held,) = folder.glob(".staging-*")
        result = build([source], Settings(out_dir=out, formats=("html",)))
        assert result.articles[0].skipped == ["html"]
        assert held.is_dir(), "the staging folder of a build that is still running was removed"
    finally:
        running.kill()
        running.wait()
    build([source], Settings(out_dir=out, formats=("html",)))
    assert not held.exists()


def test_changing_a_picture_remakes_only_the_formats_that_show_it(source: Path, tmp_path: Path, counting) -> None:  # type: ignore[no-untyped-def]
    from photos import phone_photo

    (source / "meter.jpg").write_bytes(phone_photo(colour=(200, 0, 0)))
    (source / "hands.md").write_text(ARTICLE.replace("Before you eat.", "Before you eat.\n\n![A meter](meter.jpg)"),
                                     encoding="utf-8")
    settings = Settings(out_dir=tmp_path / "out")
    build([source], settings)
    counting.calls.clear()
    build([source], settings)
    assert counting.calls == []
    # The same picture described the same, but other pixels: only what shows pictures is made again.
    (source / "meter.jpg").write_bytes(phone_photo(colour=(0, 0, 200)))
    build([source], settings)
    assert sorted(counting.calls) == ["daisy", "epub", "html", "pdf"]
    counting.calls.clear()
    # Its description is said too: every format is made again.
    (source / "hands.md").write_text(ARTICLE.replace("Before you eat.", "Before you eat.\n\n![A glucose meter]"
                                                     "(meter.jpg)"), encoding="utf-8")
    build([source], settings)
    assert sorted(counting.calls) == sorted(FORMATS)
