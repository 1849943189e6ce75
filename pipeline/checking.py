"""Checks finished handouts: reads each article, runs every check of its files, writes its reports.

This sits beside the build: :mod:`pipeline.checks` holds one module per output
kind and the ``Finding`` they return, and :mod:`pipeline.report` turns
findings into the report pages; this module joins them for ``handout check``
and the staff web app.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .build import output_folder
from .checks import Finding, run_checks
from .errors import ArticleError
from .pemat import Assessment, assess_document
from .pemat.answers import answers_path, read_answers
from .pemat.findings import pemat_findings
from .readers import find_articles, read_article
from .report import write_reports
from .settings import Settings


@dataclass
class ArticleCheck:
    source: Path
    slug: str | None = None
    findings: list[Finding] | None = None
    reports: list[Path] | None = None
    pemat: Assessment | None = None
    error: Exception | None = None

    @property
    def failed(self) -> bool:
        return self.error is not None or any(f.status == "fail" for f in self.findings or [])


def check(paths: list[Path], settings: Settings) -> list[ArticleCheck]:
    """Check the finished handouts of every article under ``paths``; write their reports."""
    results = []
    for source in find_articles(paths):
        result = ArticleCheck(source=source)
        results.append(result)
        try:
            document = read_article(source)
        except ArticleError as error:
            result.error = error
            continue
        result.slug = document.slug
        folder = output_folder(settings.out_dir, document.slug)
        result.findings = run_checks(document, folder, settings)
        # PEMAT-P reads the edition patients are given: the plain edition where there is one.
        result.pemat = assess_document(document, read_answers(answers_path(document.source, document.slug)))
        result.findings += pemat_findings(result.pemat, document.plain.source if document.plain else document.source)
        result.reports = write_reports(document, folder, result.findings, result.pemat)
    return results


def check_summary(source: str, settings: Settings) -> dict[str, Any]:
    """Check one article's handouts and write their reports; the counts of each result, for the web app."""
    results = check([Path(source)], settings)
    summary: dict[str, Any] = {"state": "done", "passed": 0, "failed": 0, "not run": 0, "info": 0, "failures": []}
    for result in results:
        if result.error is not None:
            return {"state": "failed", "problem": str(result.error)}
        for finding in result.findings or []:
            key = {"pass": "passed", "fail": "failed"}.get(finding.status, finding.status)
            summary[key] = summary.get(key, 0) + 1
            if finding.status == "fail":
                summary["failures"].append(f"{finding.output}: {finding.check} ({finding.figure})")
    return summary
