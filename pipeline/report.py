"""The conformance report: a table for the terminal, report.json and report.html.

report.json schema (one per article, in output/SLUG/):

    {
      "article": "SLUG",
      "source": "source/SLUG.md",
      "summary": {"pass": 0, "fail": 0, "not run": 0, "info": 0},
      "outputs": {
        "pdf":   [{"check": str, "status": "pass" | "fail" | "not run" | "info",
                   "figure": str, "threshold": str, "detail": str, "file": str}, ...],
        "html":  [...],
        "audio": [...],
        "pemat": [...]
      },
      "pemat": {"edition": "plain" | "article", "lang": str,
                "understandability": {"percent": float | null, "points": int, "applies": int,
                                      "judged": int, "items": 17, "complete": bool, "passes": bool | null,
                                      "target": 70.0, "failing_items": [int], "note": "n of 17 items judged"},
                "actionability": {... the same, of 7 items},
                "items": [{"item": int, "part": str, "wording": str, "how": "judged by the program" |
                           "asked of staff", "why": str, "answer": "Agree" | "Disagree" | "N/A" |
                           "not answered yet", "evidence": str, "fix": str, "by": str}, ...]}
    }

"info" is a figure measured and reported but not judged (for example the
intelligibility of an eSpeak voice, whose target is set for neural voices):
like "not run", it never makes a check fail.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from .checks import Finding
from .manifest import write_atomically
from .model import Document
from .pemat import Assessment
from .templating import asset_text, environment


def report_data(document: Document, findings: list[Finding], pemat: Assessment | None = None) -> dict[str, object]:
    """The report as plain data, in the documented schema."""
    outputs: dict[str, list[dict[str, str]]] = {}
    for finding in findings:
        entry = finding.to_dict()
        entry.pop("output")
        outputs.setdefault(finding.output, []).append(entry)
    counts = Counter(f.status for f in findings)
    return {
        "article": document.slug,
        "source": str(document.source),
        "summary": {"pass": counts["pass"], "fail": counts["fail"], "not run": counts["not run"],
                    "info": counts["info"]},
        "outputs": outputs,
        **({"pemat": pemat.to_dict()} if pemat is not None else {}),
    }


def write_reports(document: Document, folder: Path, findings: list[Finding],
                  pemat: Assessment | None = None) -> list[Path]:
    """Write report.json and report.html beside the handouts, each atomically."""
    data = report_data(document, findings, pemat)
    html = environment(None, document.lang).get_template("report.html.j2").render(
        document=document, data=data, findings=findings, stylesheet=asset_text("page.css"))
    written = []
    for name, text in (("report.json", json.dumps(data, indent=2, ensure_ascii=False) + "\n"),
                       ("report.html", html)):
        write_atomically(folder / name, text)
        written.append(folder / name)
    return written


def table(slug: str, findings: list[Finding]) -> str:
    """A compact table of the findings for the terminal."""
    rows = [(f.output, f.check, f.status.upper() if f.status == "fail" else f.status, f.figure, f.threshold)
            for f in findings]
    header = ("output", "check", "status", "figure", "threshold")
    widths = [min(max(len(str(r[i])) for r in [header, *rows]), 48) for i in range(len(header))]
    lines = [slug, "  " + "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=False))]
    for r in rows:
        lines.append("  " + "  ".join(str(v)[:48].ljust(w) for v, w in zip(r, widths, strict=False)).rstrip())
    for f in findings:
        if f.status != "pass" and f.detail:
            lines.append(f"  {f.output} {f.check}: {f.detail} ({f.file})")
    return "\n".join(lines)
