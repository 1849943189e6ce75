"""The large-print PDF: WeasyPrint lays out our template as tagged PDF/UA-1."""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import unquote, urlparse

import pikepdf

from ..errors import RenderError
from ..fonts import font_face_css, font_files
from ..model import Document
from ..pdf_tags import finish_tagging
from ..settings import Settings
from ..templating import asset_text, environment

log = logging.getLogger(__name__)


class PdfRenderer:
    name = "pdf"

    def render(self, document: Document, settings: Settings, out_dir: Path) -> list[Path]:
        target = out_dir / f"{document.slug}.pdf"
        render_pdf(document, settings, target)
        return [target]


def large_print_html(document: Document, settings: Settings) -> str:
    """The HTML that WeasyPrint lays out for the large-print edition."""
    template = environment(settings.template_dir, document.lang).get_template("large-print.html.j2")
    return template.render(
        document=document,
        font_faces=font_face_css(),
        stylesheet=asset_text("large-print.css", settings.template_dir),
        paper=settings.paper,
        print_size=settings.print_size,
    )


def render_pdf(document: Document, settings: Settings, target: Path) -> None:
    """Write the large-print, tagged PDF/UA-1 edition of ``document`` to ``target``."""
    import weasyprint

    html = large_print_html(document, settings)
    roots = [Path(p).parent for p in font_files().values()] + [document.source.parent.resolve()]
    fetcher = LocalOnlyFetcher(roots)
    try:
        weasyprint.HTML(
            string=html, base_url=document.source.parent.resolve().as_uri() + "/",
            url_fetcher=fetcher,
        ).write_pdf(
            target,
            pdf_variant="pdf/ua-1",
            custom_metadata=False,
        )
    except OSError as error:
        raise RenderError(str(target), f"the PDF could not be written ({error})",
                          "check that the output folder is writable and the disk has room") from error
    # WeasyPrint's tags fall short of PDF/UA-1 in a few known places (page
    # numbers, list items, wrapped links); a screen reader needs them right.
    try:
        finish_tagging(target)
    except (OSError, pikepdf.PdfError) as error:
        raise RenderError(str(target), f"the PDF's tags could not be finished ({error})",
                          "check that the output folder is writable and the disk has room") from error


def _is_within(path: Path, roots: list[Path]) -> bool:
    resolved = path.resolve()
    return any(resolved == root or root in resolved.parents for root in roots)


try:
    from weasyprint.urls import URLFetcher as _URLFetcher
except ImportError:  # pragma: no cover - WeasyPrint is a required dependency
    _URLFetcher = object  # type: ignore[assignment,misc]


class LocalOnlyFetcher(_URLFetcher):  # type: ignore[misc,valid-type]
    """Lets WeasyPrint read our font files and the article's folder, nothing else.

    An article is untrusted: an image at an ``http://`` address or at
    ``file:///etc/passwd`` must not be fetched while a handout is made.
    """

    def __init__(self, roots: list[Path]):
        super().__init__(allowed_protocols={"file"}, timeout=1)
        self.roots = [Path(root).resolve() for root in roots]
        self.refused: list[str] = []

    def fetch(self, url: str, headers: object = None):  # type: ignore[no-untyped-def]
        parsed = urlparse(url)
        if parsed.scheme == "file" and _is_within(Path(unquote(parsed.path)), self.roots):
            return super().fetch(url, headers)
        self.refused.append(url)
        log.warning("not fetching %s: handouts use only local files", url)
        raise ValueError(f"not fetched: {url}")
