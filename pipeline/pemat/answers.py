"""Staff's answers to the PEMAT-P items only a person can judge, kept beside the article (SLUG.pemat.json).

In the web app the article lives in its handout's folder, so the answers are
kept with the handout; ``handout check`` reads the same file beside an article
in source/. Each answer records who gave it and when.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from ..manifest import write_atomically
from .items import BY_NUMBER, STAFF

log = logging.getLogger(__name__)

SUFFIX = ".pemat.json"
CHOICES = ("agree", "disagree", "n/a")


def answers_path(source: Path, slug: str) -> Path:
    """Where the answers for the article at ``source`` are kept."""
    return source.parent / f"{slug}{SUFFIX}"


def read_answers(path: Path) -> dict[int, tuple[str, str]]:
    """The answers kept at ``path``: {item: (answer, staff name)}; none when the file is missing or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        log.warning("%s: the PEMAT-P answers cannot be read (%s); the items are asked again", path, error)
        return {}
    answers = {}
    for key, entry in (data.get("answers") or {}).items() if isinstance(data, dict) else ():
        if (str(key).isdigit() and int(key) in BY_NUMBER and BY_NUMBER[int(key)].how == STAFF
                and isinstance(entry, dict) and entry.get("answer") in CHOICES):
            answers[int(key)] = (str(entry["answer"]), str(entry.get("by") or "staff"))
    return answers


def write_answers(path: Path, answers: dict[int, str], by: str, when: str) -> None:
    """Keep ``answers`` ({item: answer}) given by ``by`` at ``when``, over any earlier answer to the same items."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        data = {}
    kept = data.get("answers") if isinstance(data, dict) and isinstance(data.get("answers"), dict) else {}
    for number, answer in answers.items():
        if answer in CHOICES and BY_NUMBER[number].how == STAFF:
            kept[str(number)] = {"answer": answer, "by": by, "when": when}
    write_atomically(path, json.dumps({"answers": kept}, indent=2, ensure_ascii=False) + "\n")
