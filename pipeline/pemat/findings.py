"""PEMAT-P scores as findings of ``handout check``: below 70% fails, naming the items that disagree."""

from __future__ import annotations

from pathlib import Path

from ..checks import Finding
from . import Assessment, Score
from .items import BY_NUMBER, PASS_PERCENT


def pemat_findings(assessment: Assessment, file: Path) -> list[Finding]:
    """One finding per score: pass at 70% or more, fail below it, info while no item that applies is judged."""
    return [_finding(assessment.understandability, assessment, file),
            _finding(assessment.actionability, assessment, file)]


def _finding(score: Score, assessment: Assessment, file: Path) -> Finding:
    status = "info" if score.passes is None else "pass" if score.passes else "fail"
    figure = "not scored yet" if score.percent is None else f"{score.percent:g}%"
    failing = [v for v in assessment.verdicts if v.number in score.failing]
    detail = "; ".join(f"item {v.number} “{BY_NUMBER[v.number].wording}” Disagree: {v.evidence}. Fix: {v.item.fix}"
                       for v in failing)
    waiting = [str(v.number) for v in assessment.unanswered if v.item.part == score.part]
    if waiting:
        detail = (detail + "; " if detail else "") + (f"{score.judged_note}: items {', '.join(waiting)} are for "
                                                      "staff to answer on the handout page")
    return Finding("pemat", f"PEMAT-P {score.part} ({assessment.edition} edition)", status,
                   f"{figure} ({score.points} of {score.applies} items that apply)",
                   f"{PASS_PERCENT:g}% or more", detail, str(file))
