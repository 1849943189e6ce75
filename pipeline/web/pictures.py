"""A handout's pictures in the web app: the list staff see, their small copies, and the descriptions staff give.

When an article is accepted its pictures are listed in the job (where each
stands, its description or that it has none) and a small copy of each is
kept beside the job, made from the picture the reader made safe, never from
the file as it came. The descriptions staff type on the handout's page are
kept beside the article as ``SLUG.pictures.yml`` (see :mod:`pipeline.pictures`),
which every later build reads, so the next build has them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..model import Document, pictures_in
from ..pictures import Description, descriptions_path, descriptions_text, read_descriptions, thumbnail

KEY_PATTERN = re.compile(r"^[0-9a-f]{16}$")
MAX_DESCRIPTION_CHARS = 1000


def picture_list(document: Document) -> tuple[list[dict[str, Any]], dict[str, bytes]]:
    """The article's pictures as the job keeps them, and a small copy of each by file name.

    A picture shown twice is listed once, where it first stands, with the
    first description it is given; it counts as described only when it is
    described (or decorative) everywhere, and a description given here
    describes it everywhere.
    """
    entries: list[dict[str, Any]] = []
    copies: dict[str, bytes] = {}
    for section in document.sections:
        for image in pictures_in(section.blocks):
            picture = image.picture
            if picture is None or not KEY_PATTERN.match(picture.key):
                continue
            seen = next((entry for entry in entries if entry["key"] == picture.key), None)
            if seen is not None:
                seen["described"] = seen["described"] and bool(image.alt or image.decorative)
                seen["description"] = seen["description"] or image.alt
                continue
            name = f"{picture.key}.{'jpg' if picture.mime == 'image/jpeg' else 'png'}"
            small = thumbnail(picture)
            copies[name] = small.data
            entries.append({"key": picture.key, "number": len(entries) + 1, "where": picture.where,
                            "description": image.alt, "decorative": image.decorative, "caption": image.caption,
                            "described": bool(image.alt or image.decorative),
                            "thumbnail": name, "width": small.width, "height": small.height})
    return entries, copies


def read_form(pictures: list[dict[str, Any]], form: Any) -> tuple[dict[str, Description], dict[str, str]]:
    """The descriptions sent for each listed picture, and the errors by field."""
    given: dict[str, Description] = {}
    errors: dict[str, str] = {}
    for entry in pictures:
        key = entry["key"]
        text = " ".join(str(form.get(f"description-{key}", "")).split())
        decorative = form.get(f"decorative-{key}") == "yes"
        field = f"description-{key}"
        if len(text) > MAX_DESCRIPTION_CHARS:
            errors[field] = (f"Picture {entry['number']}: the description is {len(text):,} characters long; "
                             f"keep it under {MAX_DESCRIPTION_CHARS:,} and put the rest in the article's text")
        elif decorative and text:
            errors[field] = (f"Picture {entry['number']} has a description and is marked decorative: clear the "
                             "description, or untick “decorative” if the picture shows something the text needs")
        given[key] = Description(text=text, decorative=decorative)
    return given, errors


def save_descriptions(article: Path, slug: str, given: dict[str, Description]) -> str | None:
    """Keep ``given`` beside the article; return the file's earlier text (None: there was none), to put back."""
    from ..manifest import write_atomically

    path = descriptions_path(article, slug)
    earlier = path.read_text(encoding="utf-8") if path.is_file() else None
    kept = read_descriptions(path) if earlier is not None else {}
    kept.update(given)
    write_atomically(path, descriptions_text(kept))
    return earlier


def restore_descriptions(article: Path, slug: str, earlier: str | None) -> None:
    """Put the descriptions file back as it was before :func:`save_descriptions`."""
    from ..manifest import write_atomically

    path = descriptions_path(article, slug)
    if earlier is None:
        path.unlink(missing_ok=True)
    else:
        write_atomically(path, earlier)
