"""Shared test fixtures: hand-built documents, so renderer tests never depend on the reader."""

from __future__ import annotations

from pathlib import Path

import pytest

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
from pipeline.settings import Settings

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
    from pipeline.build import build

    out = tmp_path_factory.mktemp("seed-build")
    result = build([SEED_ARTICLE], Settings(out_dir=out))
    assert result.exit_code == 0, [str(e) for a in result.articles for e in a.errors]
    return out


@pytest.fixture
def seed_copy(built_seed: Path, tmp_path: Path) -> Path:
    """A private copy of the built seed's output folder, free to damage."""
    import shutil

    copy = tmp_path / "out"
    shutil.copytree(built_seed, copy)
    return copy
