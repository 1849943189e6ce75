"""Message catalogs: every word the tool itself adds to a handout, in the article's language.

The words come from gettext catalogs managed with Babel, one per language, in
its folder: ``pipeline/languages/<language>/handout.po`` (a region's own, if
one is needed, beside it as ``es_MX.po``), with the template of all messages
in ``pipeline/locale/handout.pot`` (``make catalogs`` extracts it from the code
and templates and merges it into each catalog). Catalogs are compiled when
first used, so a corrected ``.po`` file takes effect at once.

English is the language the messages are written in. A region tag chooses
the region's catalog if there is one and the base language's otherwise
(``es-MX`` → ``es_MX`` → ``es``). A language without a catalog gets English
labels and one warning naming the missing catalog.
"""

from __future__ import annotations

import gettext
import io
import logging
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

DOMAIN = "handout"
CATALOGS = Path(__file__).resolve().parent
LANGUAGES = CATALOGS.parent / "languages"
SOURCE_LANGUAGE = "en"


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "mark for translation, translate later"
    """Marks ``message`` for the catalogs; it is translated where it is used."""
    return message


def locale_names(lang: str) -> list[str]:
    """The catalog names to try for a language tag, most specific first: ``es-MX`` → ``es_MX``, ``es``."""
    parts = lang.replace("_", "-").split("-")
    base = parts[0].lower()
    names = []
    if len(parts) > 1 and parts[1]:
        names.append(f"{base}_{parts[1].upper() if len(parts[1]) == 2 else parts[1].title()}")
    names.append(base)
    return names


def catalog_path(name: str) -> Path:
    """Where the catalog of ``es`` or of a region's ``es_MX`` lives: in its language's folder."""
    base = name.split("_")[0]
    return LANGUAGES / base / (f"{DOMAIN}.po" if name == base else f"{name}.po")


@lru_cache(maxsize=32)
def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalog for ``lang`` (falling back to its base language), or English."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for name in locale_names(lang):
        path = catalog_path(name)
        if path.is_file():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=name, domain=DOMAIN)
            compiled = io.BytesIO()
            write_mo(compiled, catalog)
            compiled.seek(0)
            return gettext.GNUTranslations(compiled)
    base = locale_names(lang)[-1]
    # A language with no folder at all is told once, with everything it lacks, when its article is read.
    if base != SOURCE_LANGUAGE and (LANGUAGES / base).is_dir():
        log.warning("no message catalog for %r (%s): the handout's own labels are in English",
                    lang, catalog_path(base).relative_to(CATALOGS.parent.parent))
    return gettext.NullTranslations()


def gettext_for(lang: str) -> Callable[[str], str]:
    """The ``_`` function for ``lang``."""
    return translations(lang).gettext


def has_catalog(lang: str) -> bool:
    """Does ``lang`` have its own labels (English always does)?"""
    names = locale_names(lang)
    return names[-1] == SOURCE_LANGUAGE or any(catalog_path(name).is_file() for name in names)
