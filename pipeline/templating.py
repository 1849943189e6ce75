"""The one Jinja2 environment: our templates, under any a clinic supplies."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import jinja2

from .locale import SOURCE_LANGUAGE, translations

PACKAGE_TEMPLATES = resources.files("pipeline") / "templates"


@lru_cache(maxsize=16)
def environment(template_dir: Path | None = None, lang: str = SOURCE_LANGUAGE) -> jinja2.Environment:
    """Templates from ``template_dir`` first (clinic branding), then the package's, speaking ``lang``.

    Templates write their own words as ``_("...")``; they come from the
    message catalog of the article's language (see :mod:`pipeline.locale`).
    """
    loaders: list[jinja2.BaseLoader] = []
    if template_dir is not None:
        loaders.append(jinja2.FileSystemLoader(str(template_dir)))
    loaders.append(jinja2.PackageLoader("pipeline", "templates"))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.filters["safe_href"] = safe_href
    env.filters["together"] = lambda text: together(text, lang)
    env.globals["picture_view"] = picture_view
    env.tests["picture"] = is_picture
    return env


NO_BREAK = "\u00a0"
# A space inside a number written in groups ("4 000", "12 500"), and one between a number and its unit.
_NUMBER_GROUP = re.compile(r"(?<=\d)[ \u2009\u202f](?=\d{3}(?!\d))")
_BEFORE_UNIT = re.compile(r"(?<=\d) (?=(?:mg|mcg|µg|μg|g|kg|ml|mL|dl|dL|l|L|mmol|mmHg|cm|mm|IU|UI|kcal|h|min|"
                          r"%|°C|°F|°|毫克|毫升)(?![^\W\d_]))")
# Where a language's typography spaces them (French), : ; ! ? and » never start a line, nor « end one.
_SPACED_MARKS = re.compile(r"(?<=\S) (?=[:;!?»])|(?<=«) ")


def together(text: str, lang: str) -> str:
    """``text`` with no-break spaces where a line must not break: inside a number written in groups and
    between a number and its unit, so "4 000 mg" is never read as "4" at the end of one line and
    "000 mg" on the next; and, where the language spaces its high punctuation (French), before it."""
    from .languages import language_for

    text = _BEFORE_UNIT.sub(NO_BREAK, _NUMBER_GROUP.sub(NO_BREAK, text))
    known = language_for(lang)
    if known is not None and known.spaced_punctuation:
        text = _SPACED_MARKS.sub(NO_BREAK, text)
    return text


# Pictures in the large print are fetched by this address, from the document, never from a file.
PRINT_PICTURE_SCHEME = "handout-picture:"


@dataclass(frozen=True)
class PictureView:
    """How a template shows one picture: its address, and its size as attributes (screen) or a style (print)."""

    src: str
    width: int = 0
    height: int = 0
    style: str = ""


def picture_view(image: object, paper: object = False) -> PictureView:
    """The picture of an ``Image`` node as the page (``paper`` false) or the large print shows it.

    The page carries a copy scaled for screens inside itself (a ``data:``
    address) with its pixel size, so the browser keeps its place before it is
    drawn; the large print names the picture by its digest (the PDF renderer
    serves it from the document) with its printed size in inches. ``paper``
    is the paper's name ("letter", "a4"), or True for Letter.
    """
    from .pictures import data_uri, for_screen, print_size

    picture = getattr(image, "picture", None)
    if picture is None:
        return PictureView(src="")
    if paper:
        width, _height = print_size(picture, paper if isinstance(paper, str) else "letter")
        # The height follows the width, so a picture in a narrower place (a list item) keeps its shape.
        return PictureView(src=PRINT_PICTURE_SCHEME + picture.digest, style=f"width: {width}in; height: auto")
    shown = for_screen(picture)
    return PictureView(src=data_uri(shown), width=shown.width, height=shown.height)


def is_picture(block: object) -> bool:
    """True for a paragraph that holds one picture and nothing else (what the readers make of a picture)."""
    from .model import picture_of

    return picture_of(block) is not None  # type: ignore[arg-type]


SAFE_SCHEMES = ("http://", "https://", "mailto:", "tel:")


def safe_href(href: str) -> str:
    """A link address a reader can follow safely, or "" to drop the link.

    Only web, mail and phone links and in-page anchors survive: a
    ``javascript:`` or ``data:`` address in an article must never become a
    live link in a handout.
    """
    value = href.strip()
    lowered = "".join(value.split()).lower()
    if lowered.startswith("#") or lowered.startswith(SAFE_SCHEMES):
        return value
    return ""


def asset_text(name: str, template_dir: Path | None = None) -> str:
    """A stylesheet or other text asset, from the clinic's folder if it has one."""
    return asset_path(name, template_dir).read_text(encoding="utf-8")


def asset_path(name: str, template_dir: Path | None = None):  # type: ignore[no-untyped-def]
    """Where asset ``name`` is read from: the clinic's folder first, then the package's."""
    if template_dir is not None and (template_dir / name).is_file():
        return template_dir / name
    return PACKAGE_TEMPLATES / name
