"""The plain-language web page: one self-contained, accessible HTML file."""

from __future__ import annotations

from pathlib import Path

from ..model import Document
from ..settings import Settings
from ..templating import asset_text, environment

NO_PLAIN_EDITION = (
    "A plain-language version of this handout has not been written yet. "
    "This page shows the article as the author wrote it."
)


class HtmlRenderer:
    name = "html"

    def render(self, document: Document, settings: Settings, out_dir: Path) -> list[Path]:
        target = out_dir / f"{document.slug}.html"
        target.write_text(page_html(document, settings), encoding="utf-8")
        return [target]


def page_html(document: Document, settings: Settings) -> str:
    """The page's HTML: the plain-language edition where there is one."""
    audio_file = f"{document.slug}.mp3"
    has_audio = "audio" in settings.formats or (settings.out_dir / document.slug / audio_file).exists()
    edition = document.plain
    template = environment(settings.template_dir).get_template("page.html.j2")
    return template.render(
        document=document,
        lang=document.lang,
        title=edition.title if edition else document.title,
        summary=edition.summary if edition else (),
        sections=edition.sections if edition else document.sections,
        notice=None if edition else NO_PLAIN_EDITION,
        disclaimer=document.disclaimer,
        audio_file=audio_file if has_audio else None,
        stylesheet=asset_text("page.css", settings.template_dir),
    )
