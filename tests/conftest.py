"""Shared test fixtures: hand-built documents, so renderer tests never depend on the reader."""

from __future__ import annotations

import builtins
import errno
import io
import os
from pathlib import Path

import numpy as np
import pikepdf
import pytest

from pipeline.audio.engines import Speech, Voice
from pipeline.model import (
    Disclaimer,
    Document,
    Edition,
    Emphasis,
    Link,
    ListBlock,
    ListItem,
    Paragraph,
    Section,
    Strong,
    Table,
    TableCell,
    Text,
)
from pipeline.settings import FORMATS, Settings

ROOT = Path(__file__).resolve().parent.parent
SEED_ARTICLE = ROOT / "source" / "ketamine-ptsd.md"
DISCLAIMER_TEXT = (
    "This handout is for information only. Always ask your own doctor about your care."
)


def para(text: str) -> Paragraph:
    return Paragraph(inlines=(Text(text),))


def make_document(tmp_path: Path, *, slug: str = "sample", lang: str = "en",
                  plain: bool = False) -> Document:
    """A small article with every kind of block, built by hand."""
    source = tmp_path / f"{slug}.md"
    sections = (
        Section(heading=None, level=2, blocks=(para("Sleep helps the body heal. It matters every night."),)),
        Section(heading="What to do", level=2, anchor="what-to-do", blocks=(
            Paragraph(inlines=(Text("Keep a "), Strong((Text("regular"),)), Text(" bedtime and an "),
                               Emphasis((Text("early"),)), Text(" alarm. See "),
                               Link("https://example.org/sleep", (Text("the sleep guide"),)), Text("."))),
            ListBlock(ordered=True, items=(
                ListItem(blocks=(para("Turn off screens an hour before bed."),)),
                ListItem(blocks=(para("Keep the bedroom dark and cool."),)),
            )),
        )),
        Section(heading="Doses at a glance", level=3, anchor="doses-at-a-glance", blocks=(
            Table(header=(TableCell((Text("Medicine"),)), TableCell((Text("Dose"),))),
                  rows=((TableCell((Text("Melatonin"),)), TableCell((Text("3 mg"),))),)),
        )),
    )
    edition = None
    if plain:
        edition = Edition(
            title="Sleep: what you can do",
            summary=(ListBlock(items=(ListItem(blocks=(para("Go to bed at the same time."),)),)),),
            sections=(Section(heading="What you can do", level=2, anchor="what-you-can-do",
                              blocks=(para("You can keep a set bedtime."),)),),
            source=tmp_path / f"{slug}.plain.md",
        )
    return Document(slug=slug, title="Sleeping Well After Surgery", lang=lang, sections=sections,
                    disclaimer=Disclaimer(text=DISCLAIMER_TEXT), source=source, plain=edition)


def short_document(tmp_path: Path, slug: str = "knee", *, tiny: bool = False) -> Document:
    """A short article built by hand for the audio edition: two sections, a numbered list, a disclaimer."""
    opening = para("Your knee needs rest and gentle movement to heal well.")
    sections = [Section(heading=None, level=2, blocks=(opening,))]
    if not tiny:
        sections += [
            Section(heading="What to do each day", level=2, anchor="what-to-do", blocks=(
                para("Walk a little every few hours. Keep your leg raised when you sit."),
                ListBlock(ordered=True, items=(
                    ListItem(blocks=(para("Take your pain medicine with food."),)),
                    ListItem(blocks=(para("Keep the wound clean and dry."),)),
                )),
            )),
            Section(heading="When to call us", level=2, anchor="when-to-call", blocks=(
                para("Call your care team if the knee gets red, hot or swollen, or if you have a fever."),
            )),
        ]
    return Document(slug=slug, title="Caring for Your Knee After Surgery", lang="en", sections=tuple(sections),
                    disclaimer=Disclaimer(text=DISCLAIMER_TEXT), source=tmp_path / f"{slug}.md")


def picture_document(tmp_path: Path, *, slug: str = "inhaler", undescribed: bool = True, lang: str = "en") -> Document:
    """An article with pictures, built by hand: a photo described and captioned, one in a list, a decorative
    border, a picture at a web address (never fetched) and, with ``undescribed``, a photo nobody described."""
    from photos import phone_photo, png_with_metadata

    from pipeline.model import Image
    from pipeline.pictures import clean

    def picture(image: Image) -> Paragraph:
        return Paragraph(inlines=(image,))

    upright = clean(phone_photo(1200, 900, colour=(200, 0, 0)), width_in=2.5, where="line 5")
    wide = clean(phone_photo(1600, 1200, colour=(0, 120, 0), orientation=1), width_in=3.0, where="line 9")
    border = clean(png_with_metadata(600, 40), where="line 11")
    blocks = [para("Your inhaler sends medicine into your lungs."),
              picture(Image(src="upright.jpg", alt="A hand holding an inhaler upright, mouthpiece at the bottom",
                            caption="Step 1: hold it upright", picture=upright)),
              ListBlock(ordered=True, items=(
                  ListItem(blocks=(para("Breathe out all the way."),
                                   picture(Image(src="out.jpg", alt="A person breathing out", picture=wide)))),
                  ListItem(blocks=(para("Press once and breathe in slowly."),)),
              )),
              picture(Image(src="border.png", alt="", decorative=True, picture=border)),
              picture(Image(src="https://example.org/chart.png", alt="A chart of your doses"))]
    if undescribed:
        other = clean(phone_photo(900, 1200, colour=(0, 0, 200), orientation=1), where="line 13")
        blocks.append(picture(Image(src="cap.jpg", alt="", picture=other)))
    sections = (Section(heading=None, level=2, blocks=(para("Use your inhaler the same way every time."),)),
                Section(heading="How to use it", level=2, anchor="how-to-use-it", blocks=tuple(blocks)))
    return Document(slug=slug, title="Using Your Inhaler", lang=lang, sections=sections,
                    disclaimer=Disclaimer(text=DISCLAIMER_TEXT), source=tmp_path / f"{slug}.md")


class ToneEngine:
    """A fake speech engine: a 200 Hz tone lasting as long as the words take at ``rate``.

    ``speed`` is how much faster than nominal the fake voice really speaks,
    standing in for eSpeak's nominal rate. ``spoken`` collects every text it
    was given, and may be shared between engines.
    """

    sample_rate = 22_050

    def __init__(self, rate: int = 150, speed: float = 1.0, peak: float = 0.5, spoken: list[str] | None = None):
        self.rate, self.speed, self.peak = rate, speed, peak
        self.spoken: list[str] = [] if spoken is None else spoken

    def speak(self, text: str, work_dir: Path) -> Speech:
        self.spoken.append(text)
        seconds = len(text.split()) / (self.rate * self.speed) * 60
        t = np.arange(int(seconds * self.sample_rate)) / self.sample_rate
        tone = (self.peak * np.sin(2 * np.pi * 200 * t)).astype(np.float32)
        quiet = np.zeros(int(0.2 * self.sample_rate), dtype=np.float32)  # the engine's own padding
        return Speech(samples=np.concatenate([quiet, tone, quiet]), sample_rate=self.sample_rate)


@pytest.fixture
def fake_speech(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Builds speak with tone engines instead of eSpeak; returns every text they were given."""
    import pipeline.audio.recording as recording
    import pipeline.renderers.audio as audio

    spoken: list[str] = []
    monkeypatch.setattr(recording, "Pyttsx3Engine", lambda voice, rate, **_: ToneEngine(rate, spoken=spoken))
    monkeypatch.setattr(audio, "list_voices", lambda: [Voice("gmw/en-us", "English (America)", ("en-us",))])
    return spoken


# ---------------------------------------------------------------- reading a PDF's structure tree


def struct_kids(element) -> list:  # type: ignore[no-untyped-def]
    """The /K entries of a structure element: child elements, MCIDs and object references."""
    kids = element.get("/K")
    return list(kids) if isinstance(kids, pikepdf.Array) else ([kids] if kids is not None else [])


def struct_role(element) -> str:  # type: ignore[no-untyped-def]
    return str(element.S)[1:]


def is_struct_element(kid: object) -> bool:
    return isinstance(kid, pikepdf.Dictionary) and "/S" in kid


def struct_elements(pdf: pikepdf.Pdf) -> list[tuple[int, object]]:
    """Every structure element under the root as (depth, element), in reading order."""
    found: list[tuple[int, object]] = []

    def walk(element, depth: int) -> None:  # type: ignore[no-untyped-def]
        for kid in struct_kids(element):
            if is_struct_element(kid):
                found.append((depth, kid))
                walk(kid, depth + 1)

    walk(pdf.Root.StructTreeRoot, 0)
    return found


def seed_without_plain_edition(folder: Path) -> Path:
    """A copy of the seed article with its glossary and plain-words list, but no plain edition."""
    import shutil

    source = folder / "source"
    source.mkdir()
    for name in (SEED_ARTICLE.name, "glossary.yml", "plain-words.yml"):
        shutil.copy(SEED_ARTICLE.parent / name, source / name)
    return source / SEED_ARTICLE.name


# A short article as a clinic would write it: front matter, two paragraphs, a section, a disclaimer.
HANDS_ARTICLE = "---\ntitle: Washing Your Hands\n---\nWash for twenty seconds.\n\n## When\n\nBefore you eat.\n\n" \
                "Disclaimer: Ask your nurse if you have questions.\n"


# ---------------------------------------------------------------- writes a disk refuses


class _FullText(io.StringIO):
    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


class _FullBytes(io.BytesIO):
    def write(self, data) -> int:  # type: ignore[no-untyped-def]
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.fixture
def refused_writes(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):  # type: ignore[no-untyped-def]
    """``refuse(names, code)``: from then on, opening one of those files under tmp_path/out for writing fails
    as a full disk (ENOSPC, on write) or a folder the build may not write (EACCES, on open) makes it fail."""
    real_open = builtins.open
    refused: dict[str, int] = {}

    def opening(file, mode="r", *args, **kwargs):  # type: ignore[no-untyped-def]
        if isinstance(file, str | os.PathLike) and any(flag in mode for flag in "wax+"):
            path = Path(os.fspath(file))
            names = [name for name in refused if path.name == name or path.name.startswith(f".partial-{name}-")]
            if names and (tmp_path / "out") in path.parents:
                if refused[names[0]] == errno.EACCES:
                    raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
                return _FullBytes() if "b" in mode else _FullText()
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", opening)
    monkeypatch.setattr(io, "open", opening)

    def refuse(names: tuple[str, ...], code: int) -> None:
        refused.update(dict.fromkeys(names, code))
    return refuse


@pytest.fixture
def hands(tmp_path: Path) -> Path:
    """A source folder holding ``hands.md`` (``HANDS_ARTICLE``)."""
    folder = tmp_path / "source"
    folder.mkdir()
    (folder / "hands.md").write_text(HANDS_ARTICLE, encoding="utf-8")
    return folder


@pytest.fixture
def document(tmp_path: Path) -> Document:
    return make_document(tmp_path)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(out_dir=tmp_path / "out")


@pytest.fixture(scope="session")
def built_seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed article built once, with the real engines, into a scratch folder.

    Tests that damage files must copy the folder first (see ``seed_copy``).
    """
    import fcntl
    import os

    from pipeline.batch import build

    if os.environ.get("PYTEST_XDIST_WORKER"):
        # Test processes share one build: the first to get here makes it, the others wait and read it.
        out = tmp_path_factory.getbasetemp().parent / "seed-build"
        with (tmp_path_factory.getbasetemp().parent / "seed-build.lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not (out / "ketamine-ptsd" / "ketamine-ptsd.daisy.zip").is_file():
                result = build([SEED_ARTICLE], Settings(out_dir=out))
                assert result.exit_code == 0, [str(e) for a in result.articles for e in a.errors]
    else:
        out = tmp_path_factory.mktemp("seed-build")
        result = build([SEED_ARTICLE], Settings(out_dir=out))
        assert result.exit_code == 0, [str(e) for a in result.articles for e in a.errors]
    before = folder_state(out)
    yield out
    assert folder_state(out) == before, "a test changed the shared seed build: give it seed_copy instead"


def folder_state(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``folder`` with its size and modification time."""
    return {str(path.relative_to(folder)): (path.stat().st_size, path.stat().st_mtime_ns)
            for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.fixture
def seed_copy(built_seed: Path, tmp_path: Path) -> Path:
    """A private copy of the built seed's output folder, free to damage."""
    import shutil

    copy = tmp_path / "out"
    shutil.copytree(built_seed, copy)
    return copy


# ---------------------------------------------------------------- the staff web app


class WebClient:
    """Flask's test client with a browser's habits: it keeps the session and sends each form's CSRF token."""

    def __init__(self, app):  # type: ignore[no-untyped-def]
        self.app = app
        self.client = app.test_client()

    def csrf(self) -> str:
        import re

        page = self.client.get("/").get_data(as_text=True)
        match = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert match, "no CSRF token on the start page"
        return match.group(1)

    def get(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return self.client.get(*args, **kwargs)

    def post(self, url: str, data: dict | None = None, *, token: bool = True, **kwargs):  # type: ignore[no-untyped-def]
        data = dict(data or {})
        if token:
            data.setdefault("csrf_token", self.csrf())
        return self.client.post(url, data=data, **kwargs)


@pytest.fixture
def web_settings(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Build and serve settings for a web app over a library in ``tmp_path`` (the quick formats only)."""
    from pipeline.settings import ServeSettings

    settings = Settings(out_dir=tmp_path / "out", formats=("pdf", "html", "braille"))
    serve = ServeSettings(word_lists=ROOT / "source", staff_file=tmp_path / "staff.json", upload_limit_mb=1,
                          check=False)
    return settings, serve


@pytest.fixture
def running_web(web) -> WebClient:  # type: ignore[no-untyped-def]
    """The web app with its maker started: handouts are really made."""
    maker = web.app.config["MAKER"]
    maker.start()
    yield web
    maker.stop()


@pytest.fixture
def web(web_settings) -> WebClient:  # type: ignore[no-untyped-def]
    """The web app with its maker not started: jobs stay queued, so pages can be looked at in that state."""
    from pipeline.web.app import create_app

    app = create_app(*web_settings)
    app.config["SAMPLER"]._voices = [("en_US-joe-medium", "Joe", "Piper", ("en-us",), "natural"),
                                     ("roa/es", "Spanish (Spain)", "eSpeak NG", ("es",), "robotic")]
    return WebClient(app)


def finished_job(store, built_seed: Path, state: str = "done"):  # type: ignore[no-untyped-def]
    """A job in ``store`` whose handouts are the seed's real build (every format), as the maker leaves it."""
    import shutil

    from pipeline.web.jobs import Job

    job = Job(id=store.new_id("ketamine-ptsd"), title="Ketamine for PTSD: New Hope for Trauma Survivors",
              slug="ketamine-ptsd", lang="en", article="ketamine-ptsd.md", received_as="text file",
              options={"formats": list(FORMATS), "paper": "letter", "print_size": 18, "voice": "",
                       "braille_grade": 2, "check": False}, state=state, sample="PTSD is a condition.")
    store.create(job, SEED_ARTICLE.read_bytes())
    shutil.copytree(built_seed / "ketamine-ptsd", store.output_dir(job))
    log = store.progress_log(job)
    for name in FORMATS:
        log(name, "done")
    return job
