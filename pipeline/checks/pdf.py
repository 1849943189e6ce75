"""Checks of a finished large-print PDF: opens, disclaimer, print size, fonts, glyphs, PDF/UA-1."""

from __future__ import annotations

import json
import logging
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

from ..fonts import FALLBACK_FAMILIES, FAMILY, atkinson_characters, is_drawn, notdef_glyphs
from ..model import Document
from ..settings import Settings
from . import Finding, Recorder

log = logging.getLogger(__name__)

PAGE_SIZES = {"letter": (612.0, 792.0), "a4": (595.28, 841.89)}
POINT_TOLERANCE = 0.05


def check_pdf(document: Document, folder: Path, settings: Settings) -> list[Finding]:
    """Every check of ``folder/SLUG.pdf``."""
    path = folder / f"{document.slug}.pdf"
    record = Recorder("pdf", path)
    if not record.file_present():
        return record.findings
    try:
        import pdfplumber
        import pikepdf

        with pikepdf.open(path) as pdf:
            root = pdf.Root
            lang = str(root.get("/Lang", ""))
            display_title = bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False))
            marked = bool(root.get("/MarkInfo", {}).get("/Marked", False))
            unembedded = _unembedded_fonts(pdf)
            families = _font_families(pdf)
            notdefs = notdef_glyphs(pdf)
            figures, pictures_drawn = _figures(pdf), _drawn_pictures(pdf)
        with pdfplumber.open(path) as plumb:
            pages = plumb.pages
            text = " ".join(page.extract_text() or "" for page in pages)
            sizes = [char["size"] for page in pages for char in page.chars if char["text"].strip()]
            drawn = [(char["fontname"], char["text"]) for page in pages for char in page.chars]
            boxes = {(round(float(page.width), 1), round(float(page.height), 1)) for page in pages}
            page_count = len(pages)
    except Exception as error:  # noqa: BLE001 - any damage to the file is a finding, not a crash
        record.add("opens", False, "damaged", "a readable PDF", f"{type(error).__name__}: {error}")
        return record.findings
    record.add("opens", page_count > 0, f"{page_count} pages", "a readable PDF")
    record.disclaimer(document, text)
    record.labels(document, text)
    smallest = min(sizes) if sizes else 0.0
    record.add("smallest text", smallest >= settings.print_size - POINT_TOLERANCE, f"{smallest:.1f} pt",
               f">= {settings.print_size} pt")
    record.add("typeface", *_typeface(drawn, families))
    record.add("missing glyphs", not notdefs, f"{len(notdefs)} .notdef", "0 .notdef (no empty box for a character)",
               "; ".join(f"page {box.page}: {_codes(box.text)} in {box.font}" for box in notdefs[:5]))
    record.add("fonts embedded", not unembedded, ", ".join(unembedded) or "all", "all")
    wanted = PAGE_SIZES[settings.paper]
    right_size = all(abs(w - wanted[0]) < 1 and abs(h - wanted[1]) < 1 for w, h in boxes)
    record.add("page size", right_size, " ".join(f"{w}x{h}" for w, h in sorted(boxes)), f"{settings.paper}")
    record.add("language", lang == document.lang, lang or "none", document.lang)
    record.add("title shown", display_title, "yes" if display_title else "no", "DisplayDocTitle")
    record.add("tagged", marked, "yes" if marked else "no", "tagged PDF")
    _check_pictures(record, document, figures, pictures_drawn)
    _validate(path, record)
    return record.findings


def _check_pictures(record: Recorder, document: Document, figures: list[str | None], drawn: dict[str, int]) -> None:
    """Each picture a Figure with its alternative text, or a decorative artifact; none drawn outside the tags."""
    from .pictures import judge_pictures

    # A decorative picture is an artifact, not a figure: it counts as described by its empty alternative.
    alternates = [*figures, *([""] * drawn["artifact"])]
    judge_pictures(record, document, alternates, "pictures described (PDF/UA-1 7.3)",
                   "every picture a Figure with Alt, or a decorative artifact")
    record.add("pictures tagged", drawn["untagged"] == 0 and drawn["tagged"] >= len(figures),
               f"{drawn['tagged']} in figures, {drawn['artifact']} artifacts, {drawn['untagged']} untagged",
               "every picture drawn inside a Figure or as an artifact")


def _figures(pdf) -> list[str | None]:  # type: ignore[no-untyped-def]
    """The alternative text of every Figure in the structure tree (None where it has none)."""
    import pikepdf

    found: list[str | None] = []
    seen: set[tuple[int, int]] = set()

    def walk(element) -> None:  # type: ignore[no-untyped-def]
        kids = element.get("/K")
        for kid in (list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
            if not isinstance(kid, pikepdf.Dictionary) or "/S" not in kid:
                continue
            if kid.is_indirect:
                if kid.objgen in seen:
                    continue
                seen.add(kid.objgen)
            if str(kid.S) == "/Figure":
                alt = kid.get("/Alt", kid.get("/ActualText"))
                found.append(None if alt is None else " ".join(str(alt).split()))
            walk(kid)

    root = pdf.Root.get("/StructTreeRoot")
    if root is not None:
        walk(root)
    return found


def _drawn_pictures(pdf) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """How many pictures each page draws inside tagged content, inside artifacts, and outside both."""
    import pikepdf

    counts = {"tagged": 0, "artifact": 0, "untagged": 0}
    for page in pdf.pages:
        images = {name for name, xobject in page.Resources.get("/XObject", {}).items()
                  if xobject.get("/Subtype") == pikepdf.Name.Image}
        stack: list[str] = []
        for operands, operator in pikepdf.parse_content_stream(page, "BDC BMC EMC Do"):
            name = str(operator)
            if name in ("BDC", "BMC"):
                stack.append(str(operands[0]))
            elif name == "EMC":
                if stack:
                    stack.pop()
            elif operands and str(operands[0]) in images:
                kind = "artifact" if "/Artifact" in stack else "tagged" if stack else "untagged"
                counts[kind] += 1
    return counts


def _typeface(drawn: list[tuple[str, str]], families: dict[str, str]) -> tuple[bool, str, str, str]:
    """Atkinson Hyperlegible for every character it has; the declared fallback fonts only for the rest.

    Returns what ``Recorder.add`` takes after the check's name: whether it
    passed, the fonts used with their counts of characters, the threshold, and
    what is wrong.
    """
    counts: Counter[str] = Counter()
    strangers: set[str] = set()
    stand_ins: set[str] = set()
    atkinson = atkinson_characters()
    for fontname, text in drawn:
        family = families.get(fontname) or _family_from_name(fontname)
        counts[family] += 1
        if family == FAMILY:
            continue
        if family not in FALLBACK_FAMILIES:
            strangers.add(fontname)
        else:
            stand_ins.update(c for c in text if is_drawn(c) and ord(c) in atkinson)
    problems = []
    if strangers:
        problems.append(f"fonts that are neither {FAMILY} nor its fallbacks: {', '.join(sorted(strangers))}")
    if stand_ins:
        problems.append(f"printed in a fallback font though {FAMILY} has them: {_codes(''.join(sorted(stand_ins)))}")
    if not counts[FAMILY]:
        problems.append(f"no text in {FAMILY}")
    figure = ", ".join(f"{family} ({n} characters)" for family, n in counts.most_common()) or "none"
    threshold = f"{FAMILY}; fallback fonts ({FALLBACK_FAMILIES[0]} and others) only for characters it lacks"
    return not problems, figure, threshold, "; ".join(problems)


def _font_families(pdf) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Each font's name as pdfplumber gives it (its /BaseFont) -> the family its descriptor names."""
    found = {}
    for page in pdf.pages:
        for font in page.Resources.get("/Font", {}).values():
            child = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            descriptor = child.get("/FontDescriptor")
            if descriptor is not None and "/FontFamily" in descriptor:
                found[str(font.get("/BaseFont", "")).lstrip("/")] = str(descriptor.FontFamily)
    return found


_STYLE_WORDS = re.compile(r"^(regular|bold|italic|oblique|semi|condensed|expanded|medium|light|book|\d+|[.-])*$")


def _family_from_name(fontname: str) -> str:
    """A font's family told from its PostScript name alone ("ABCDEF+NotoSans-Bold" -> "Noto Sans")."""
    name = fontname.split("+", 1)[-1]
    compact = name.replace("-", "").replace(" ", "").lower()
    for family in sorted((FAMILY, *FALLBACK_FAMILIES), key=len, reverse=True):
        key = family.replace(" ", "").lower()
        if compact.startswith(key) and _STYLE_WORDS.match(compact[len(key):]):
            return family
    return name


def _codes(text: str) -> str:
    return ", ".join(f"U+{ord(c):04X}" for c in text) or "a character the PDF does not name"


def _unembedded_fonts(pdf) -> list[str]:  # type: ignore[no-untyped-def]
    missing = []
    for page in pdf.pages:
        fonts = page.Resources.get("/Font", {})
        for font in fonts.values():
            descendants = font.get("/DescendantFonts", [font])
            for child in descendants:
                descriptor = child.get("/FontDescriptor")
                if descriptor is None:
                    continue
                if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                    missing.append(str(child.get("/BaseFont", "?")))
    return sorted(set(missing))


def _validate(path: Path, record: Recorder) -> None:
    """PDF/UA-1 by two independent validators, where they are installed."""
    try:
        import page
    except ImportError:
        record.not_run("PDF/UA-1 (page-validation)", "0 failures", "page-validation is not installed")
    else:
        report = page.validate_pdf(str(path), profile="ua1")
        failures = list(report.failures)
        record.add("PDF/UA-1 (page-validation)", not failures, f"{len(failures)} failures",
                   "0 failures", "; ".join(str(f) for f in failures[:3]))
    command = shutil.which("outloud") or str(Path(sys.executable).parent / "outloud")
    if not Path(command).exists() and not shutil.which("outloud"):
        record.not_run("PDF/UA-1 (outloud)", "0 errors, 0 warnings", "outloud is not installed")
        return
    done = subprocess.run([command, str(path), "--json", "-"], capture_output=True, text=True, check=False)
    try:
        result = json.loads(done.stdout)["results"][0]
        counts = result["counts"]
    except (ValueError, KeyError, IndexError):
        record.add("PDF/UA-1 (outloud)", False, "no report", "0 errors, 0 warnings", done.stderr.strip()[:200])
        return
    rules = "; ".join(f"{f['rule']}: {f['message']}" for f in result.get("findings", [])[:3])
    record.add("PDF/UA-1 (outloud)", counts.get("error", 0) == 0 and counts.get("warning", 0) == 0,
               f"{counts.get('error', 0)} errors, {counts.get('warning', 0)} warnings",
               "0 errors, 0 warnings", rules)
