"""PEMAT-P on the handout page: the scores so far, and the items only a person can judge, asked as a short form."""

from __future__ import annotations

import logging
from typing import Any

from ..errors import ArticleError
from ..pemat import Assessment, assess_document
from ..pemat.answers import CHOICES, answers_path, read_answers
from .jobs import Job
from .services import Services

log = logging.getLogger(__name__)


def pemat_for(services: Services, job: Job) -> Assessment | None:
    """The handout's PEMAT-P with staff's answers so far; None while it is being made or cannot be read."""
    if job.unfinished:
        return None
    source = services.library.source_path(job)
    try:
        document = services.read_article(source)
    except ArticleError as error:
        log.info("%s: no PEMAT-P on the handout page: %s", source, error)
        return None
    return assess_document(document, read_answers(answers_path(source, document.slug)))


def read_form(assessment: Assessment, form: Any) -> tuple[dict[int, str], dict[str, str]]:
    """The answers sent for the items staff are asked ({item: answer}), and the fields that are wrong."""
    answers, errors = {}, {}
    for verdict in assessment.asked:
        name = f"item-{verdict.number}"
        value = form.get(name, "")
        if value in CHOICES:
            answers[verdict.number] = value
        elif value:
            errors[name] = f"Choose Agree, Disagree or Not applicable for item {verdict.number}"
    if not answers and not errors:
        first = assessment.asked[0].number if assessment.asked else 1
        errors[f"item-{first}"] = "Choose an answer for at least one item, then keep the answers"
    return answers, errors
