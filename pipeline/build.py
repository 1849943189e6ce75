"""Builds handouts: read each article once, render each format, publish atomically.

Every format is rendered into a private staging folder inside the article's
output folder and only then moved into place with ``os.replace``, so a failed
or interrupted build leaves the previous good files, never a half-written one.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ArticleError, HandoutError
from .model import Document
from .reader import find_articles, read_article
from .renderers import build_order, get_renderer
from .settings import Settings

log = logging.getLogger(__name__)


@dataclass
class ArticleResult:
    source: Path
    slug: str | None = None
    written: list[Path] = field(default_factory=list)
    errors: list[HandoutError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class BuildResult:
    articles: list[ArticleResult] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        codes = [e.exit_code for a in self.articles for e in a.errors]
        return max(codes, default=0)


def build(paths: Iterable[Path], settings: Settings) -> BuildResult:
    """Build every article found under ``paths`` into ``settings.out_dir``.

    One article's bad input or failed format does not stop the others; the
    result lists what was written and what went wrong.
    """
    result = BuildResult()
    for source in find_articles(paths):
        article = ArticleResult(source=source)
        result.articles.append(article)
        try:
            document = read_article(source)
        except ArticleError as error:
            article.errors.append(error)
            continue
        article.slug = document.slug
        build_document(document, settings, article)
    return result


def build_document(document: Document, settings: Settings, article: ArticleResult) -> None:
    """Render one document in every requested format and publish the files."""
    out_dir = output_folder(settings.out_dir, document.slug)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out_dir))
    try:
        for name in build_order(settings.formats):
            try:
                files = get_renderer(name).render(document, settings, staging)
            except HandoutError as error:
                log.error("%s: %s", document.source, error)
                article.errors.append(error)
                continue
            for file in files:
                final = out_dir / file.name
                os.replace(file, final)
                article.written.append(final)
            log.info("%s: wrote %s", document.slug, ", ".join(f.name for f in files))
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def output_folder(out_root: Path, slug: str) -> Path:
    """The folder for one article's handouts, made if need be, always inside ``out_root``."""
    out_root.mkdir(parents=True, exist_ok=True)
    root = out_root.resolve()
    folder = root / slug
    if folder.is_symlink() or folder.resolve().parent != root:
        raise ArticleError(folder, "the output folder leads outside the output root",
                           f"remove the link at {folder} or choose another --out")
    folder.mkdir(exist_ok=True)
    return folder
