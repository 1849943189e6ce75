"""The plain-language workbench's form: a plain edition as one field per section of its article, and back.

Staff rewrite an article section by section. Each field holds the Markdown
of the plain sections that retell one section of the article (paired by the
words they share, as :func:`pipeline.text.workbench.pair_sections` does), so
the plain edition may still split, merge or add sections. Putting the
fields back together in order gives the plain edition's text; the analysis of
that text (reading level, hard sentences, the fact guard) is shown beside
each field.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..errors import ArticleError
from ..model import Document, FactReview

# A heading line of Markdown (ATX): the plain edition's sections start at these.
HEADING_LINE = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
OPENING, ADDED = "opening", "added"


@dataclass
class Row:
    """One section of the article beside the plain text that retells it."""

    key: str
    label: str
    original: tuple[str, ...]
    text: str = ""
    figures: dict[str, Any] = field(default_factory=dict)

    @property
    def field_name(self) -> str:
        return f"plain-{self.key}"

    @property
    def lines(self) -> int:
        """Lines the field shows at once: its text, wrapped at about 55 characters, and a little room."""
        wrapped = sum(len(line) // 55 + 1 for line in self.text.splitlines())
        return min(30, max(6, wrapped + 2))


@dataclass
class Workbench:
    """The form's contents: the plain title, the disclaimer in plain words, and a row per section."""

    title: str
    retold: str
    rows: list[Row]
    notice: str = ""
    # Flagged facts a person checked, kept in the plain edition's front matter.
    reviews: list[FactReview] = field(default_factory=list)

    def markdown(self) -> str:
        """The plain edition these fields make: front matter, then each field's text in order."""
        front: dict[str, str] = {}
        if self.title.strip():
            front["title"] = " ".join(self.title.split())
        if self.retold.strip():
            front["disclaimer_in_plain_words"] = " ".join(self.retold.split())
        if self.reviews:
            front["fact_reviews"] = [review.to_front() for review in self.reviews]  # type: ignore[assignment]
        header = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=1_000_000) if front else ""
        body = "\n\n".join(row.text.strip().replace("\r\n", "\n") for row in self.rows if row.text.strip())
        return f"---\n{header}---\n\n{body}\n"

    def problems(self) -> dict[str, str]:
        """Fields that cannot be put together as they stand, by field name."""
        errors = {}
        for row in self.rows:
            text = row.text.strip()
            if row.key != OPENING and text and not HEADING_LINE.match(text.splitlines()[0]):
                example = row.label if row.key != ADDED else "What you can do"
                errors[row.field_name] = (f"Start the plain text of “{row.label}” with its heading, on a line that "
                                          f"begins ## (for example: ## {example})")
        return errors


def split_sections(body: str) -> list[str]:
    """Markdown split before each heading line (outside code fences): the opening first, then one per heading."""
    parts: list[list[str]] = [[]]
    fence = None
    for line in body.replace("\r\n", "\n").split("\n"):
        marker = FENCE.match(line)
        if marker and (fence is None or marker.group(1)[0] == fence):
            fence = None if fence else marker.group(1)[0]
        if fence is None and not marker and HEADING_LINE.match(line):
            parts.append([])
        parts[-1].append(line)
    return ["\n".join(part).strip() for part in parts]


def _front_and_body(text: str) -> tuple[dict[str, Any], str]:
    text = text.replace("\r\n", "\n")
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end != -1:
            try:
                front = yaml.safe_load(text[4:end]) or {}
            except yaml.YAMLError:
                front = {}
            rest = text[end + 4:]
            return (front if isinstance(front, dict) else {}), rest.split("\n", 1)[1] if "\n" in rest else ""
    return {}, text


def workbench_for(document: Document, plain_markdown: str | None) -> Workbench:
    """The form for ``document``'s plain edition given as Markdown, or for its automatic draft (None)."""
    from ..importer import edition_markdown
    from ..readers.markdown import parse_plain_edition, plain_edition_path
    from ..text.facts import document_parts, plain_parts
    from ..text.plain_draft import draft_edition
    from ..text.workbench import pair_sections

    notice = ""
    if plain_markdown is None:
        edition = draft_edition(document)
        front: dict[str, Any] = {}
        body = edition_markdown(edition)
        notice = ("This is the automatic draft: a starting point no person has checked. Rewrite each part, "
                  "then save it.")
    else:
        front, body = _front_and_body(plain_markdown)
        try:
            edition = parse_plain_edition(plain_markdown, plain_edition_path(document.source, document.slug),
                                          document.title, document.disclaimer)
        except ArticleError:
            edition = None
    originals = document_parts(document)
    rows = [Row(OPENING, "Main message", originals[0].texts[1:])]
    rows += [Row(f"section-{index}", part.heading or f"Section {index}", part.texts[1:])
             for index, part in enumerate(originals[1:], start=1)]
    rows.append(Row(ADDED, "Sections only in the plain version", ()))
    chunks = split_sections(body)
    pairing = None
    if edition is not None:
        parts = plain_parts(edition)
        if len(parts) == len(chunks):
            pairing = pair_sections(originals, parts, document.glossary, document.lang)
    if pairing is None:
        rows[0].text = body.strip()
        if body.strip():
            notice = "The plain version is shown whole in the first box: its sections could not be told apart."
    else:
        for index, (chunk, original) in enumerate(zip(chunks, pairing, strict=True)):
            if not chunk:
                continue
            row = rows[0] if index == 0 else rows[-1] if original is None else rows[original]
            row.text = f"{row.text}\n\n{chunk}".strip()
    return Workbench(title=str(front.get("title") or ""), retold=str(front.get("disclaimer_in_plain_words") or ""),
                     rows=rows, notice=notice, reviews=list(FactReview.from_front(front.get("fact_reviews"))))


def workbench_from_form(document: Document, form: Any) -> Workbench:
    """The form as staff sent it, row by row in the article's order."""
    bench = workbench_for(document, "---\n---\n")
    for row in bench.rows:
        row.text = (form.get(row.field_name) or "").replace("\r\n", "\n")
    bench.title = form.get("plain_title", "")
    bench.retold = form.get("retold", "")
    bench.notice = ""
    kept = []
    for value in form.getlist("fact_review") if hasattr(form, "getlist") else []:
        try:
            kept.append(json.loads(value))
        except ValueError:
            continue  # a review the form mangled is dropped: its fact is flagged again
    bench.reviews = list(FactReview.from_front(kept))
    return bench


def review_json(review: FactReview) -> str:
    """A kept review as the form carries it from page to page."""
    return json.dumps(review.to_front(), ensure_ascii=False)


def needs_confirming(direction: str, kind: str) -> bool:
    """Whether a review of this flagged fact is asked a second time: a dropped dose or drug."""
    return direction == "dropped" and kind in ("number", "drug")


def ticked_reviews(document: Document, bench: Workbench, facts: Any, form: Any,
                   by: str) -> tuple[list[FactReview], list[str]]:
    """The reviews staff ticked in the form, and the FACT-IDs of dropped doses or drugs not yet confirmed."""
    from ..readers.markdown import parse_plain_edition, plain_edition_path
    from ..text.facts import compared_sentences, review_for

    ticked = [(fact_id, direction, fact) for fact_id, direction, fact in facts.flagged()
              if form.get(f"checked-{fact_id}")]
    unconfirmed = [fact_id for fact_id, direction, fact in ticked
                   if needs_confirming(direction, fact.kind) and not form.get(f"confirm-{fact_id}")]
    if not ticked or unconfirmed:
        return [], unconfirmed
    edition = parse_plain_edition(bench.markdown(), plain_edition_path(document.source, document.slug),
                                  document.title, document.disclaimer)
    sentences = compared_sentences(document, edition)
    reviews = [review_for(facts, fact_id, by, *sentences, note=form.get(f"note-{fact_id}", ""))
               for fact_id, _d, _f in ticked]
    return [review for review in reviews if review is not None], []


def analysed(document: Document, bench: Workbench) -> tuple[Any, Workbench]:
    """The analysis of the fields and the workbench with each row's figures: what a reading worker sends back."""
    return analyse_rows(document, bench), bench


def analyse_rows(document: Document, bench: Workbench) -> Any:
    """The analysis of the fields as one plain edition, with each row's own figures filled in."""
    from ..text.workbench import analyse_text

    analysis = analyse_text(document, bench.markdown())
    by_original = {}
    added: list[dict[str, Any]] = []
    for index, section in enumerate(analysis.sections):
        data = section.to_dict()
        if section.kind == "plain only":
            added.append(data)
        else:
            by_original[index] = data
    for index, row in enumerate(bench.rows[:-1]):
        row.figures = by_original.get(index, {})
    if added:
        merged: dict[str, Any] = {"hard_sentences": [], "facts": {"dropped": [], "added": []}, "kind": "plain only"}
        for data in added:
            merged["hard_sentences"] += data["hard_sentences"]
            merged["facts"]["added"] += data["facts"]["added"]
        bench.rows[-1].figures = merged
    return analysis
