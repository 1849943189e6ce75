"""One plan per build: the article is read once, the manifest once, and each file hashed once."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from conftest import HANDS_ARTICLE

from pipeline import build as build_module
from pipeline import plan as plan_module
from pipeline.batch import build
from pipeline.plan import FileDigests
from pipeline.settings import Settings


class Reads:
    """Counts the article reads, manifest reads and file hashes of everything built while it listens."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        self.articles: Counter[str] = Counter()
        self.manifests = 0
        self.hashed: Counter[str] = Counter()
        real_read, real_manifest, real_digest = (build_module.read_article, plan_module.read_manifest,
                                                 plan_module.file_digest)

        def read_article(path: Path):  # type: ignore[no-untyped-def]
            self.articles[Path(path).name] += 1
            return real_read(path)

        def read_manifest(folder: Path) -> dict:
            self.manifests += 1
            return real_manifest(folder)

        def file_digest(path: Path) -> str:
            self.hashed[Path(path).name] += 1
            return real_digest(path)

        monkeypatch.setattr(build_module, "read_article", read_article)
        monkeypatch.setattr(plan_module, "read_manifest", read_manifest)
        monkeypatch.setattr(plan_module, "file_digest", file_digest)

    def clear(self) -> None:
        self.articles.clear()
        self.hashed.clear()
        self.manifests = 0


@pytest.fixture
def hands(tmp_path: Path) -> Path:
    source = tmp_path / "source"
    source.mkdir()
    (source / "hands.md").write_text(HANDS_ARTICLE, encoding="utf-8")
    return source / "hands.md"


def test_a_build_reads_the_article_and_manifest_once_and_hashes_each_file_once(
        hands: Path, tmp_path: Path, fake_speech, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    reads = Reads(monkeypatch)
    settings = Settings(out_dir=tmp_path / "out")
    first = build([hands], settings)
    assert first.exit_code == 0, [str(e) for a in first.articles for e in a.errors]
    written = sorted(path.name for path in first.articles[0].written)
    assert "hands.mp3" in written and "hands.epub" in written and "hands.daisy.zip" in written
    assert reads.articles == {"hands.md": 1}
    assert reads.manifests == 0  # there was none yet: nothing to read
    assert reads.hashed == dict.fromkeys(written, 1), reads.hashed

    # Only the PDF is out of date (its paper changed): the MP3 the EPUB and DAISY book are made from is hashed
    # once, to see that it is intact, and the new PDF once, as it is published.
    reads.clear()
    again = build([hands], Settings(out_dir=tmp_path / "out", paper="a4"))
    assert [path.name for path in again.articles[0].written] == ["hands.pdf"]
    assert reads.articles == {"hands.md": 1}
    assert reads.manifests == 1
    assert max(reads.hashed.values()) == 1, reads.hashed
    assert reads.hashed["hands.mp3"] == 1 and reads.hashed["hands.pdf"] == 1

    # Nothing out of date: each file is hashed once to see that it is intact, and nothing is built.
    reads.clear()
    same = build([hands], Settings(out_dir=tmp_path / "out", paper="a4"))
    assert same.articles[0].written == []
    assert reads.articles == {"hands.md": 1} and reads.manifests == 1
    assert reads.hashed == dict.fromkeys(written, 1), reads.hashed


def test_a_file_changed_since_it_was_hashed_is_hashed_again(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("one", encoding="utf-8")
    digests = FileDigests()
    first = digests.digest(path)
    assert digests.digest(path) == first
    path.write_text("two!", encoding="utf-8")
    assert digests.digest(path) != first
