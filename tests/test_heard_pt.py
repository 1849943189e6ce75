"""Kokoro's Portuguese voice reads the Portuguese test article: Whisper hears 0.88 of its content words."""

from __future__ import annotations

import pytest
from hearing import heard_at_its_target, needs_kokoro


@needs_kokoro
@pytest.mark.engine
def test_pf_dora_reads_the_pt_test_article_so_whisper_hears_it_at_its_target() -> None:
    heard_at_its_target("pt/diabetes.md", "pf_dora", 0.88)
