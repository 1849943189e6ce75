"""The Word file's zip: bombs, lies and damage are refused before they cost memory or time."""

from __future__ import annotations

import struct
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from wordfiles import article

import pipeline.readers.docx  # noqa: F401 - imported before timing, as a build has it
from pipeline.errors import ArticleError
from pipeline.readers import read_article
from pipeline.readers.wordzip import MAX_INFLATED_BYTES, WordZip

ZEROS = bytes(1024 * 1024)


def bomb(path: Path, part_megabytes: int, based_on: Path) -> Path:
    """A real .docx with one more part of ``part_megabytes`` MB of zeros (about a thousand to one packed)."""
    with zipfile.ZipFile(based_on) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
        with target.open("word/media/image9.png", "w") as handle:
            for _ in range(part_megabytes):
                handle.write(ZEROS)
    return path


def refused_quickly(path: Path, problem: str) -> None:
    """Refusing ``path`` gives the reason and uses little memory: the parts are never inflated.

    How long a refusal takes is measured by ``make bench --parts word``.
    """
    tracemalloc.start()
    with pytest.raises(ArticleError, match=problem) as raised:
        read_article(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert raised.value.exit_code == 2
    assert peak < 16 * 1024 * 1024, f"used {peak:,} bytes to refuse"


def test_a_part_declaring_more_than_the_limit_is_refused_before_inflating(tmp_path: Path) -> None:
    path = bomb(tmp_path / "bomb.docx", MAX_INFLATED_BYTES // (1024 * 1024) + 10, article(tmp_path))
    assert path.stat().st_size < 200_000  # 60 MB packed into a small file
    refused_quickly(path, "would unpack to .* bytes, over the 52,428,800-byte limit")


def test_a_part_packed_tighter_than_a_hundred_to_one_is_refused(tmp_path: Path) -> None:
    path = bomb(tmp_path / "ratio.docx", 10, article(tmp_path))
    refused_quickly(path, r"'word/media/image9.png' unpacks to 10,485,760 bytes from .* more than 100 to one")


def test_a_part_that_inflates_past_its_declared_size_is_stopped_there(tmp_path: Path) -> None:
    """A directory may lie: the document declares 2 KB but holds 10 MB; no more than 2 KB is inflated."""
    path = tmp_path / "liar.docx"
    with zipfile.ZipFile(article(tmp_path)) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename == "word/document.xml":
                with target.open(info.filename, "w") as handle:
                    handle.write(source.read(info))
                    for _ in range(10):
                        handle.write(ZEROS)
            else:
                target.writestr(info.filename, source.read(info))
    data = bytearray(path.read_bytes())
    name = b"word/document.xml"
    central = data.index(b"PK\x01\x02")  # the central directory's entries
    while data[central + 46:central + 46 + len(name)] != name:
        central = data.index(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", data, central + 24, 2048)  # the uncompressed size it claims
    path.write_bytes(bytes(data))
    refused_quickly(path, "damaged")


def test_an_encrypted_zip_entry_is_named_as_a_password(tmp_path: Path) -> None:
    path = article(tmp_path)
    data = bytearray(path.read_bytes())
    central = data.index(b"PK\x01\x02")
    data[central + 8] |= 0x1  # the "encrypted" flag of the first entry
    path.write_bytes(bytes(data))
    with pytest.raises(ArticleError, match="protected with a password") as raised:
        WordZip(path)
    assert raised.value.fix == "remove the password in Word, then save again"


def test_parts_are_read_within_a_budget(tmp_path: Path) -> None:
    with WordZip(article(tmp_path)) as package:
        assert package.has("word/document.xml")
        assert package.read_xml("word/nothing.xml") is None
        assert b"Knee pain" in (package.read_xml("word/document.xml") or b"")


def test_a_part_declaring_entities_is_refused(tmp_path: Path) -> None:
    path = article(tmp_path)
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    parts["word/document.xml"] = parts["word/document.xml"].replace(
        b"?>", b'?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>', 1)
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    with pytest.raises(ArticleError, match="declares XML entities"):
        read_article(path)
