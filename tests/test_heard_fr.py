"""Kokoro's French voice reads the French test article so that Whisper hears at least 0.88 of its content words."""

from __future__ import annotations

import pytest
from hearing import heard_at_its_target, needs_kokoro


@needs_kokoro
@pytest.mark.engine
def test_ff_siwis_reads_the_fr_test_article_so_whisper_hears_it_at_its_target() -> None:
    heard_at_its_target("fr/asthme.md", "ff_siwis", 0.88)
